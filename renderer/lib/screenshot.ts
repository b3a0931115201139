/**
 * Screenshots as PNG, at the window's pixel density.
 *
 * - Electron: `desktop.captureScreenshot(rect)` (webContents.capturePage): exactly what is on screen.
 * - Browser shell: the page cannot read the screen, so the pane is drawn from its DOM: the
 *   subtree is cloned (form values, scroll offsets and canvases carried over), wrapped in
 *   replicas of its ancestors (so the app's selectors and inherited styles still apply), put
 *   with the page's stylesheets into an SVG <foreignObject>, drawn onto a canvas at
 *   devicePixelRatio and encoded with toBlob. Limits: only same-origin stylesheets; images
 *   are inlined only when same-origin and loaded; no scrollbars, caret, text selection or
 *   :hover/:focus states; fonts are the system's (web fonts are not embedded).
 */
import { desktopApi } from './desktop';

export interface Png {
  bytes: Uint8Array;
  /** Pixels. */
  width: number;
  height: number;
}

export function pixelRatio(): number {
  return typeof window !== 'undefined' && window.devicePixelRatio > 0 ? window.devicePixelRatio : 1;
}

/** A screenshot of `element` (or of the whole window when null). */
export async function screenshotElement(element: HTMLElement | null): Promise<Png> {
  const desktop = desktopApi();
  const target = element ?? document.documentElement;
  const rect = element
    ? element.getBoundingClientRect()
    : { x: 0, y: 0, width: window.innerWidth, height: window.innerHeight };
  if (desktop) {
    const r = {
      x: Math.max(0, Math.round(rect.x)),
      y: Math.max(0, Math.round(rect.y)),
      width: Math.max(1, Math.round(rect.width)),
      height: Math.max(1, Math.round(rect.height)),
    };
    const bytes = await desktop.captureScreenshot(element ? r : undefined, 'app');
    const size = pngSize(bytes);
    return { bytes, width: size?.width ?? 0, height: size?.height ?? 0 };
  }
  return renderDomToPng(element ?? (target.querySelector('.app') as HTMLElement | null) ?? document.body, rect);
}

/** Width and height from a PNG's IHDR, or null when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || sig.some((b, i) => bytes[i] !== b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function collectCss(): string {
  const parts: string[] = [];
  for (const sheet of Array.from(document.styleSheets)) {
    try {
      for (const rule of Array.from(sheet.cssRules)) parts.push(rule.cssText);
    } catch {
      // a cross-origin stylesheet cannot be read: its rules are missing from the picture
    }
  }
  return parts.join('\n');
}

const NEUTRAL_ANCESTOR =
  'display:block;position:static;width:auto;height:auto;min-width:0;min-height:0;margin:0;padding:0;border:0;overflow:visible;transform:none;contain:none;';

/** Carries over what cloneNode does not: form values, canvases, images, scroll offsets. */
function fixClone(original: Element, clone: Element): void {
  const originals = [original, ...Array.from(original.querySelectorAll('*'))];
  const clones = [clone, ...Array.from(clone.querySelectorAll('*'))];
  for (let i = 0; i < originals.length && i < clones.length; i++) {
    const o = originals[i];
    const c = clones[i];
    if (o instanceof HTMLInputElement && c instanceof HTMLInputElement) {
      c.setAttribute('value', o.value);
      if (o.checked) c.setAttribute('checked', '');
    } else if (o instanceof HTMLTextAreaElement) {
      c.textContent = o.value;
    } else if (o instanceof HTMLSelectElement && c instanceof HTMLSelectElement) {
      Array.from(c.options).forEach((opt, k) => {
        if (k === o.selectedIndex) opt.setAttribute('selected', '');
        else opt.removeAttribute('selected');
      });
    } else if (o instanceof HTMLCanvasElement) {
      const img = document.createElement('img');
      try {
        img.src = o.toDataURL('image/png');
      } catch {
        // tainted canvas
      }
      img.setAttribute('style', o.getAttribute('style') ?? '');
      img.width = o.clientWidth;
      img.height = o.clientHeight;
      c.replaceWith(img);
    } else if (o instanceof HTMLImageElement && c instanceof HTMLImageElement && o.complete && o.naturalWidth > 0) {
      try {
        const canvas = document.createElement('canvas');
        canvas.width = o.naturalWidth;
        canvas.height = o.naturalHeight;
        canvas.getContext('2d')?.drawImage(o, 0, 0);
        c.src = canvas.toDataURL('image/png');
      } catch {
        // cross-origin image: left as a link (it will not show)
      }
    }
    if (o instanceof HTMLElement && c instanceof HTMLElement && (o.scrollTop || o.scrollLeft)) {
      // The clone is not scrolled: move its children instead (sticky ones stay, as on screen).
      const oc = Array.from(o.children);
      const cc = Array.from(c.children);
      oc.forEach((child, k) => {
        const target = cc[k];
        if (!(target instanceof HTMLElement || target instanceof SVGElement)) return;
        const style = getComputedStyle(child);
        if (style.position === 'sticky' || style.position === 'fixed') return;
        const previous = style.transform && style.transform !== 'none' ? ` ${style.transform}` : '';
        target.style.transform = `translate(${-o.scrollLeft}px, ${-o.scrollTop}px)${previous}`;
      });
      c.setAttribute('data-scroll-top', String(o.scrollTop));
    }
  }
}

function customProperties(css: string): string {
  const names = new Set(css.match(/--[\w-]+(?=\s*:)/g) ?? []);
  const root = getComputedStyle(document.documentElement);
  return [...names].map((n) => `${n}:${root.getPropertyValue(n)};`).join('');
}

function replica(element: Element, extraStyle: string): HTMLElement {
  const div = document.createElement('div');
  for (const attr of Array.from(element.attributes)) {
    if (attr.name === 'id' || attr.name === 'class' || attr.name.startsWith('data-') || attr.name === 'lang')
      div.setAttribute(attr.name, attr.value);
  }
  div.setAttribute('style', extraStyle);
  return div;
}

/** The DOM → SVG <foreignObject> → canvas path (browser shell). */
export async function renderDomToPng(
  element: HTMLElement,
  rect: { width: number; height: number },
  scale = pixelRatio(),
): Promise<Png> {
  const width = Math.max(1, Math.ceil(rect.width));
  const height = Math.max(1, Math.ceil(rect.height));
  const css = collectCss();
  const clone = element.cloneNode(true) as HTMLElement;
  fixClone(element, clone);
  const own = getComputedStyle(element);
  clone.style.position = 'absolute';
  clone.style.left = '0';
  clone.style.top = '0';
  clone.style.margin = '0';
  clone.style.width = `${width}px`;
  clone.style.height = `${height}px`;
  clone.style.boxSizing = 'border-box';
  if (own.display === 'none') clone.style.display = 'block';

  // Ancestors, innermost first, up to <body>; <html> and <body> become divs.
  let node: HTMLElement = clone;
  for (let a = element.parentElement; a && a !== document.documentElement; a = a.parentElement) {
    const isBody = a === document.body;
    const style = isBody
      ? `${NEUTRAL_ANCESTOR}font:${getComputedStyle(a).font};color:${getComputedStyle(a).color};`
      : NEUTRAL_ANCESTOR;
    const wrapper = replica(a, style);
    wrapper.appendChild(node);
    node = wrapper;
  }
  const html = document.documentElement;
  const root = document.createElement('div');
  for (const attr of ['data-theme', 'lang']) {
    const v = html.getAttribute(attr);
    if (v !== null) root.setAttribute(attr, v);
  }
  const body = getComputedStyle(document.body);
  root.setAttribute(
    'style',
    `${customProperties(css)}position:relative;width:${width}px;height:${height}px;overflow:hidden;` +
      `background:${body.backgroundColor};color:${body.color};font:${body.font};`,
  );
  const styleEl = document.createElement('style');
  // `:root` in an SVG image is the <svg>: point the theme rules at the replica instead.
  // Content out of view (content-visibility: auto) is drawn too: in an image all of it is "out of view".
  styleEl.textContent =
    css.replace(/:root/g, '.wl-shot-root') + '\n.wl-shot-root * { content-visibility: visible !important; }';
  root.className = 'wl-shot-root';
  root.appendChild(styleEl);
  root.appendChild(node);
  const xhtml = new XMLSerializer().serializeToString(root);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.round(width * scale)}" height="${Math.round(height * scale)}" viewBox="0 0 ${width} ${height}">` +
    `<foreignObject x="0" y="0" width="${width}" height="${height}">${xhtml}</foreignObject></svg>`;
  return svgToPng(svg, 1, body.backgroundColor);
}

/**
 * Draws an SVG document onto a canvas and encodes it as PNG. `scale` multiplies the SVG's own
 * width/height (devicePixelRatio for exports); the vector is rasterised at that size.
 */
export async function svgToPng(svg: string, scale = pixelRatio(), background?: string): Promise<Png> {
  const open = /<svg\b[^>]*>/.exec(svg);
  const tag = open?.[0] ?? '';
  const w = Number(/\swidth="([\d.]+)"/.exec(tag)?.[1] ?? 800);
  const h = Number(/\sheight="([\d.]+)"/.exec(tag)?.[1] ?? 600);
  const width = Math.max(1, Math.round(w * scale));
  const height = Math.max(1, Math.round(h * scale));
  let scaled = svg;
  if (scale !== 1 && open) {
    let t = tag.replace(/\swidth="[\d.]+"/, ` width="${width}"`).replace(/\sheight="[\d.]+"/, ` height="${height}"`);
    if (!/viewBox=/.test(t)) t = t.replace('<svg', `<svg viewBox="0 0 ${w} ${h}"`);
    scaled = svg.replace(tag, t);
  }
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(scaled)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw on a canvas.');
  if (background) {
    ctx.fillStyle = background;
    ctx.fillRect(0, 0, width, height);
  }
  ctx.drawImage(img, 0, 0, width, height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('The picture could not be encoded as PNG.');
  return { bytes: new Uint8Array(await blob.arrayBuffer()), width, height };
}
