/**
 * A packet diagram (see layout.ts) drawn as one standalone SVG document: a bit ruler over each
 * header, then its rows of fields with names and values. The UI shows the same string and
 * exports it (SVG as is, PNG rasterised), so what is saved is what was on screen.
 */
import type { DiagramField, DiagramLayer } from './layout';

export interface DiagramSvgOptions {
  /** Tree item id of the selected field (drawn highlighted, data-selected="true"). */
  selectedId?: number | null;
  /** Pixels per bit column. */
  bitPx?: number;
  /** Title line above the grids (e.g. "Frame 1"). */
  title?: string;
  /** Fields take keyboard focus (tabindex="0"): for the UI pane, not for exported files. */
  interactive?: boolean;
}

const ROW_PX = 38;
const RULER_PX = 30;
const TITLE_PX = 22;
const GAP_PX = 16;
const MARGIN = 8;
const CHAR_PX = 6.4;
const SMALL_CHAR_PX = 5.6;

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Text that fits `px` pixels at the diagram's font, or '' (the full text is in the field's title). */
function fit(text: string, px: number): string {
  const max = Math.floor((px - 4) / CHAR_PX);
  if (max <= 0 || text === '') return '';
  if (text.length <= max) return text;
  return max >= 3 ? text.slice(0, max - 1) + '…' : '';
}

/** Flag bits as RFCs and Wireshark's Info column name them. */
const SHORT: Readonly<Record<string, string>> = {
  'tcp.flags.res': 'Res',
  'tcp.flags.ae': 'AE',
  'tcp.flags.cwr': 'CWR',
  'tcp.flags.ece': 'ECE',
  'tcp.flags.urg': 'URG',
  'tcp.flags.ack': 'ACK',
  'tcp.flags.push': 'PSH',
  'tcp.flags.reset': 'RST',
  'tcp.flags.syn': 'SYN',
  'tcp.flags.fin': 'FIN',
  'ip.flags.rb': 'R',
  'ip.flags.df': 'DF',
  'ip.flags.mf': 'MF',
};

/** A short name for narrow cells: the flag's usual name, else the abbreviation's last part. */
function shortName(field: DiagramField): string {
  if (!field.field) return '';
  const short = SHORT[field.field];
  if (short) return short;
  const last = field.field.split('.').pop() ?? '';
  return last.length <= 4 ? last.toUpperCase() : last;
}

/** Text that fits at the small font (narrow cells). */
function fitSmall(text: string, px: number): string {
  return text.length * SMALL_CHAR_PX <= px - 2 ? text : '';
}

export function diagramSvg(layers: readonly DiagramLayer[], options: DiagramSvgOptions = {}): string {
  const bitPx = options.bitPx ?? 24;
  const rowBits = 32;
  const width = MARGIN * 2 + rowBits * bitPx;
  const parts: string[] = [];
  let y = MARGIN;
  if (options.title) {
    parts.push(`<text class="title" x="${MARGIN}" y="${y + 14}">${escapeXml(options.title)}</text>`);
    y += TITLE_PX;
  }
  for (const layer of layers) {
    parts.push(
      `<g class="layer" data-protocol="${escapeXml(layer.protocol)}">`,
      `<text class="layer-name" x="${MARGIN}" y="${y + 14}">${escapeXml(layer.name)} (${layer.bits / 8} bytes)</text>`,
    );
    y += TITLE_PX;
    // Bit ruler, as RFC 791 draws it: tens above, units below.
    for (let bit = 0; bit < rowBits; bit++) {
      const x = MARGIN + bit * bitPx + bitPx / 2;
      if (bit % 10 === 0)
        parts.push(`<text class="ruler" x="${x}" y="${y + 11}" text-anchor="middle">${bit / 10}</text>`);
      parts.push(`<text class="ruler" x="${x}" y="${y + 24}" text-anchor="middle">${bit % 10}</text>`);
    }
    y += RULER_PX;
    const top = y;
    for (const field of layer.fields) {
      const selected = field.id !== undefined && field.id === options.selectedId;
      const label = field.value !== undefined && field.value !== '' ? `${field.name}: ${field.value}` : field.name;
      const attrs = field.field
        ? ` data-field="${escapeXml(field.field)}"${field.id !== undefined ? ` data-id="${field.id}"` : ''} role="button" aria-label="${escapeXml(label)}"${options.interactive ? ' tabindex="0"' : ''}${selected ? ' data-selected="true"' : ''}`
        : ' data-field=""';
      parts.push(`<g class="cell${field.field ? '' : ' is-gap'}${selected ? ' is-selected' : ''}"${attrs}>`);
      parts.push(
        `<title>${escapeXml(`${label || '(unused bits)'} — ${field.bitWidth} bit${field.bitWidth === 1 ? '' : 's'}`)}</title>`,
      );
      // The label goes in the widest piece of the field.
      let widest = field.segments[0];
      for (const s of field.segments) if (s && widest && s.width > widest.width) widest = s;
      for (const s of field.segments) {
        const x = MARGIN + s.col * bitPx;
        const sy = top + s.row * ROW_PX;
        const w = s.width * bitPx;
        parts.push(`<rect x="${x + 0.5}" y="${sy + 0.5}" width="${w}" height="${ROW_PX}" />`);
        if (s !== widest) continue;
        const cx = x + w / 2;
        const truncated = field.drawnBits < field.bitWidth;
        const full = field.name + (truncated ? ' …' : '');
        // One-bit flags always use their short names (SYN, ACK, DF), as RFC pictures do.
        const flag = field.bitWidth === 1 && field.field !== undefined && SHORT[field.field] !== undefined;
        const whole = !flag && full.length * CHAR_PX <= w - 4 ? full : '';
        // Too narrow for the name: a flag's short name in small type, else the name cut short.
        const small = whole || !field.name ? '' : fitSmall(shortName(field), w);
        const cut = fit(full, w);
        const name = whole || (small ? '' : cut.length >= 6 ? cut : '');
        const value = fit(field.value ?? '', w);
        if (name)
          parts.push(`<text class="name" x="${cx}" y="${sy + 15}" text-anchor="middle">${escapeXml(name)}</text>`);
        else if (small)
          parts.push(
            `<text class="name small" x="${cx}" y="${sy + 14}" text-anchor="middle">${escapeXml(small)}</text>`,
          );
        if (value)
          parts.push(`<text class="value" x="${cx}" y="${sy + 31}" text-anchor="middle">${escapeXml(value)}</text>`);
      }
      parts.push('</g>');
    }
    y = top + layer.rows * ROW_PX + GAP_PX;
    parts.push('</g>');
  }
  const height = y + MARGIN - GAP_PX;
  // Every rule under .wl-diagram: the SVG is also inlined in HTML (the pane, the report), where bare
  // .name / .value / .title rules would restyle the rest of the page.
  const style = [
    '.title,.layer-name{font:bold 13px sans-serif;fill:#222}',
    '.ruler{font:10px monospace;fill:#666}',
    '.name{font:11px sans-serif;fill:#111}',
    '.name.small{font:bold 9px sans-serif}',
    '.value{font:11px monospace;fill:#333}',
    '.cell rect{fill:#f4f7fb;stroke:#7a8699;stroke-width:1}',
    '.cell.is-gap rect{fill:#e3e3e3}',
    '.cell.is-selected rect{fill:#b8d4f5;stroke:#1a5fb4;stroke-width:2}',
    '.cell[data-field]:not(.is-gap){cursor:pointer}',
  ]
    .map((rule) => {
      const brace = rule.indexOf('{');
      const selectors = rule
        .slice(0, brace)
        .split(',')
        .map((sel) => `.wl-diagram ${sel}`);
      return selectors.join(',') + rule.slice(brace);
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="wl-diagram" width="${width}" height="${Math.max(height, 1)}" viewBox="0 0 ${width} ${Math.max(height, 1)}">` +
    `<style>${style}</style><rect class="bg" x="0" y="0" width="${width}" height="${Math.max(height, 1)}" fill="#ffffff" />` +
    parts.join('') +
    '</svg>'
  );
}
