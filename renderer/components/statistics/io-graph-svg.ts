/**
 * The I/O graph drawn as one SVG document (shown in the dialog and saved as SVG or PNG): a line of
 * the chosen count per interval, with x in seconds and a y axis with round ticks.
 */
import { escapeXml } from '../../../core/analysis/lab/flow-graph';
import type { IoGraphResult } from '../../worker/io-graph';
import { trimmed } from './format';

export interface IoGraphSvgOptions {
  metric: 'packets' | 'bytes';
  /** The chart's title and axis labels (translated by the caller). */
  title: string;
  xLabel: string;
  yLabel: string;
  theme: 'light' | 'dark';
  width?: number;
  height?: number;
}

/** A round step for about `count` ticks over [0, max]. */
export function niceStep(max: number, count = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

/**
 * The line's points: one per interval at its centre; with more intervals than the plot has
 * pixels (a million 1 ms intervals), the lowest and the highest value of each pixel's intervals,
 * so that a single busy interval still shows as a peak, as a plotting library's adaptive sampling
 * draws it, in an SVG of a few thousand points instead of a million.
 */
export function linePoints(
  values: readonly number[],
  plotW: number,
  x: (i: number) => number,
  y: (v: number) => number,
): string {
  const columns = Math.max(1, Math.floor(plotW));
  if (values.length <= 2 * columns) return values.map((v, i) => `${(x(i) + x(i + 1)) / 2},${y(v)}`).join(' ');
  const out: string[] = [];
  const per = values.length / columns;
  for (let c = 0; c < columns; c++) {
    const from = Math.floor(c * per);
    const to = Math.min(values.length, Math.floor((c + 1) * per));
    let low = Infinity;
    let high = -Infinity;
    for (let i = from; i < to; i++) {
      const v = values[i];
      if (v < low) low = v;
      if (v > high) high = v;
    }
    const px = (x(from) + x(to)) / 2;
    out.push(`${px},${y(low)}`, `${px},${y(high)}`);
  }
  return out.join(' ');
}

export function ioGraphSvg(result: IoGraphResult, options: IoGraphSvgOptions): string {
  const width = options.width ?? 860;
  const height = options.height ?? 260;
  const dark = options.theme === 'dark';
  const fg = dark ? '#e0e0e0' : '#202020';
  const grid = dark ? '#444' : '#ddd';
  const bg = dark ? '#1e1e1e' : '#ffffff';
  const line = options.metric === 'packets' ? '#1f77b4' : '#d62728';
  const values = options.metric === 'packets' ? result.packets : result.bytes;
  const left = 64;
  const right = 16;
  const top = 32;
  const bottom = 44;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  // Not Math.max(...values): a million intervals are more arguments than a call can take.
  let max = 0;
  for (const v of values) if (v > max) max = v;
  const yStep = niceStep(max);
  const yMax = Math.max(yStep, Math.ceil(max / yStep) * yStep);
  const n = Math.max(1, values.length);
  const x = (i: number) => left + (plotW * i) / n;
  const y = (v: number) => top + plotH - (plotH * v) / yMax;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" role="img" aria-label="${escapeXml(options.title)}">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="${bg}"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" fill="${fg}" font-size="13">${escapeXml(options.title)}</text>`,
  ];
  for (let v = 0; v <= yMax + yStep / 2; v += yStep) {
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="${grid}"/>`);
    out.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" fill="${fg}">${trimmed(v, 6)}</text>`);
  }
  const duration = n * result.interval;
  const xStep = niceStep(duration, 8);
  for (let s = 0; s <= duration + 1e-9; s += xStep) {
    const px = left + (plotW * s) / duration;
    out.push(`<line x1="${px}" x2="${px}" y1="${top + plotH}" y2="${top + plotH + 4}" stroke="${fg}"/>`);
    out.push(`<text x="${px}" y="${top + plotH + 16}" text-anchor="middle" fill="${fg}">${trimmed(s, 6)}</text>`);
  }
  out.push(`<line x1="${left}" x2="${left + plotW}" y1="${top + plotH}" y2="${top + plotH}" stroke="${fg}"/>`);
  out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="${fg}"/>`);
  out.push(
    `<text x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle" fill="${fg}">${escapeXml(options.xLabel)}</text>`,
  );
  out.push(
    `<text transform="translate(14 ${top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="${fg}">${escapeXml(options.yLabel)}</text>`,
  );
  // One step per interval (the count holds over the whole interval), as Wireshark's line graph at its centre.
  const points = linePoints(values, plotW, x, y);
  if (values.length > 0) {
    out.push(`<polyline fill="none" stroke="${line}" stroke-width="1.5" points="${points}"/>`);
    if (values.length <= 200)
      values.forEach((v, i) =>
        out.push(
          `<circle cx="${(x(i) + x(i + 1)) / 2}" cy="${y(v)}" r="2.5" fill="${line}" data-interval="${i}" data-value="${v}"/>`,
        ),
      );
  }
  out.push('</svg>');
  return out.join('\n');
}
