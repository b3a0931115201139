/**
 * The upload's time–sequence graph (Stevens style, as Wireshark's Statistics → TCP Stream
 * Graphs → Time Sequence (Stevens)): one point per data segment, time on x, sequence number on y.
 */
import { escapeXml, SVG_FONT_FAMILY } from '../flow-graph';
import type { LabLang } from '../explain';
import type { UploadTcp } from './types';

export function stevensSvg(up: UploadTcp, lang: LabLang): string {
  const W = 640;
  const H = 360;
  const L = 80;
  const B = 40;
  const T = 30;
  const R = 20;
  const t0 = up.segments[0]?.time ?? 0;
  const xs = up.segments.map((s) => (s.time - t0) * 1000);
  const ys = up.segments.map((s) => s.seq);
  // Reduced, not spread into Math.max: a long upload has more segments than a call takes arguments.
  const xMax = xs.reduce((most, v) => Math.max(most, v), 0.001);
  const yMin = ys.reduce((least, v) => Math.min(least, v), 0);
  const yMax = up.segments.reduce((most, s) => Math.max(most, s.seq + s.len), yMin + 1);
  const x = (v: number) => L + (v / xMax) * (W - L - R);
  const y = (v: number) => H - B - ((v - yMin) / (yMax - yMin)) * (H - B - T);
  const zh = lang === 'zh-CN';
  const title = zh
    ? `上传的时间–序号图（Stevens），连接 ${up.stream}`
    : `Upload time–sequence (Stevens), connection ${up.stream}`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${escapeXml(SVG_FONT_FAMILY)}" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(title)}</text>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#333"/>`,
    `<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle">${zh ? '时间（毫秒，自第一段起）' : 'Time (ms since the first segment)'}</text>`,
    `<text x="14" y="${(T + H - B) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(T + H - B) / 2})">${zh ? '序号（相对）' : 'Sequence number (relative)'}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const tv = (xMax * i) / 4;
    const sv = yMin + ((yMax - yMin) * i) / 4;
    parts.push(`<text x="${x(tv)}" y="${H - B + 14}" text-anchor="middle">${tv.toFixed(2)}</text>`);
    parts.push(`<text x="${L - 4}" y="${y(sv) + 4}" text-anchor="end">${Math.round(sv)}</text>`);
  }
  up.segments.forEach((s, i) => {
    // Each segment as Wireshark's Stevens graph: a point at its first byte, a bar to its last byte.
    parts.push(
      `<line x1="${x(xs[i])}" y1="${y(s.seq)}" x2="${x(xs[i])}" y2="${y(s.seq + s.len)}" stroke="#1f6feb" stroke-width="2"/>`,
      `<circle cx="${x(xs[i])}" cy="${y(s.seq)}" r="3" fill="#1f6feb"><title>#${s.frame} seq=${s.seq} len=${s.len}</title></circle>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
