/**
 * JPEG File Interchange Format, as Wireshark 4.0's packet-image-jfif.c shows it: markers,
 * the APP0 JFIF header, frame (SOF) and scan (SOS) headers, other segments as "Remaining
 * segment data", the entropy-coded data, EOI.
 */
import { defineFields } from '../../fields';
import { BoundsError } from '../../context';
import type { MediaDissector } from './media-type';

const MARKERS: Record<number, string> = {
  0xffc0: 'Start of Frame (non-differential, Huffman coding) - Baseline DCT',
  0xffc1: 'Start of Frame (non-differential, Huffman coding) - Extended sequential DCT',
  0xffc2: 'Start of Frame (non-differential, Huffman coding) - Progressive DCT',
  0xffc3: 'Start of Frame (non-differential, Huffman coding) - Lossless (sequential)',
  0xffc4: 'Define Huffman table(s)',
  0xffc5: 'Start of Frame (differential, Huffman coding) - Differential sequential DCT',
  0xffc6: 'Start of Frame (differential, Huffman coding) - Differential progressive DCT',
  0xffc7: 'Start of Frame (differential, Huffman coding) - Differential lossless (sequential)',
  0xffc8: 'Start of Frame (non-differential, arithmetic coding) - Reserved for JPEG extensions',
  0xffc9: 'Start of Frame (non-differential, arithmetic coding) - Extended sequential DCT',
  0xffca: 'Start of Frame (non-differential, arithmetic coding) - Progressive DCT',
  0xffcb: 'Start of Frame (non-differential, arithmetic coding) - Lossless (sequential)',
  0xffcc: 'Define arithmetic coding conditioning(s)',
  0xffcd: 'Start of Frame (differential, arithmetic coding) - Differential sequential DCT',
  0xffce: 'Start of Frame (differential, arithmetic coding) - Differential progressive DCT',
  0xffcf: 'Start of Frame (differential, arithmetic coding) - Differential lossless (sequential)',
  0xffd8: 'Start of Image',
  0xffd9: 'End of Image',
  0xffda: 'Start of Scan',
  0xffdb: 'Define quantization table(s)',
  0xffdc: 'Define number of lines',
  0xffdd: 'Define restart interval',
  0xffde: 'Define hierarchical progression',
  0xffdf: 'Expand reference component(s)',
  0xfffe: 'Comment',
  0xff01: 'For temporary private use in arithmetic coding',
};
for (let i = 0; i < 8; i++) MARKERS[0xffd0 + i] = `Restart interval termination - Restart with modulo 8 count ${i}`;
for (let i = 0; i < 16; i++) MARKERS[0xffe0 + i] = `Reserved for application segments - ${i}`;
for (let i = 0; i < 14; i++) MARKERS[0xfff0 + i] = `Reserved for JPEG extensions - ${i}`;

const UNITS: Record<number, string> = {
  0: 'No units; Xdensity and Ydensity specify the pixel aspect ratio',
  1: 'Xdensity and Ydensity are dots per inch',
  2: 'Xdensity and Ydensity are dots per cm',
};

export const jfifFields = defineFields({
  jfif: { abbrev: 'image-jfif', name: 'JPEG File Interchange Format', type: 'protocol' },
  marker: { abbrev: 'image-jfif.marker', name: 'Marker', type: 'uint16', base: 'hex', valueStrings: MARKERS },
  markerSegment: { abbrev: 'image-jfif.marker_segment', name: 'Marker segment', type: 'none' },
  length: { abbrev: 'image-jfif.length', name: 'Length', type: 'uint16' },
  identifier: { abbrev: 'image-jfif.identifier', name: 'Identifier', type: 'string' },
  version: { abbrev: 'image-jfif.version', name: 'Version', type: 'none' },
  versionMajor: { abbrev: 'image-jfif.version.major', name: 'Major Version', type: 'uint8' },
  versionMinor: { abbrev: 'image-jfif.version.minor', name: 'Minor Version', type: 'uint8' },
  units: { abbrev: 'image-jfif.units', name: 'Units', type: 'uint8', valueStrings: UNITS },
  xdensity: { abbrev: 'image-jfif.Xdensity', name: 'Xdensity', type: 'uint16' },
  ydensity: { abbrev: 'image-jfif.Ydensity', name: 'Ydensity', type: 'uint16' },
  xthumbnail: { abbrev: 'image-jfif.Xthumbnail', name: 'Xthumbnail', type: 'uint16' },
  ythumbnail: { abbrev: 'image-jfif.Ythumbnail', name: 'Ythumbnail', type: 'uint16' },
  remaining: { abbrev: 'image-jfif.remain_seg_data', name: 'Remaining segment data', type: 'bytes' },
  sofHeader: { abbrev: 'image-jfif.sof', name: 'Start of Frame header', type: 'none' },
  sofP: { abbrev: 'image-jfif.sof.precision', name: 'Sample Precision (bits)', type: 'uint8' },
  sofLines: { abbrev: 'image-jfif.sof.lines', name: 'Lines', type: 'uint16' },
  sofSamples: { abbrev: 'image-jfif.sof.samples_per_line', name: 'Samples per line', type: 'uint16' },
  sofNf: { abbrev: 'image-jfif.sof.nf', name: 'Number of image components in frame', type: 'uint8' },
  sofC: { abbrev: 'image-jfif.sof.c_i', name: 'Component identifier', type: 'uint8' },
  sofH: { abbrev: 'image-jfif.sof.h_i', name: 'Horizontal sampling factor', type: 'uint8', bitmask: 0xf0 },
  sofV: { abbrev: 'image-jfif.sof.v_i', name: 'Vertical sampling factor', type: 'uint8', bitmask: 0x0f },
  sofTq: { abbrev: 'image-jfif.sof.tq_i', name: 'Quantization table destination selector', type: 'uint8' },
  sosHeader: { abbrev: 'image-jfif.header.sos', name: 'Start of Segment header', type: 'none' },
  sosNs: { abbrev: 'image-jfif.sos.ns', name: 'Number of image components in scan', type: 'uint8' },
  sosCs: { abbrev: 'image-jfif.sos.component_selector', name: 'Scan component selector', type: 'uint8' },
  sosTd: {
    abbrev: 'image-jfif.sos.dc_entropy_selector',
    name: 'DC entropy coding table destination selector',
    type: 'uint8',
    bitmask: 0xf0,
  },
  sosTa: {
    abbrev: 'image-jfif.sos.ac_entropy_selector',
    name: 'AC entropy coding table destination selector',
    type: 'uint8',
    bitmask: 0x0f,
  },
  sosSs: {
    abbrev: 'image-jfif.sos.ss',
    name: 'Start of spectral or predictor selection',
    type: 'uint8',
  },
  sosSe: { abbrev: 'image-jfif.sos.se', name: 'End of spectral selection', type: 'uint8' },
  sosAh: {
    abbrev: 'image-jfif.sos.ah',
    name: 'Successive approximation bit position high',
    type: 'uint8',
    bitmask: 0xf0,
  },
  sosAl: {
    abbrev: 'image-jfif.sos.al',
    name: 'Successive approximation bit position low or point transform',
    type: 'uint8',
    bitmask: 0x0f,
  },
  entropy: {
    abbrev: 'image-jfif.entropy_coded_segment',
    name: 'Entropy-coded segment (dissection is not yet implemented)',
    type: 'bytes',
  },
});
const f = jfifFields;

function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

function hex36(bytes: Uint8Array): string {
  let s = '';
  const n = Math.min(36, bytes.length);
  for (let i = 0; i < n; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  return bytes.length > 36 ? s + '\u2026' : s;
}

function markerName(marker: number): string {
  return MARKERS[marker] ?? 'Reserved';
}

/** A body cut by the snap length ends the image's dissection where the cut segment does. */
const cutShort = (): BoundsError => new BoundsError('captured', 'JFIF (JPEG) image');

export const dissectJfif: MediaDissector = (ctx, buf, start, end, tree, _type, _params, cut) => {
  ctx.enterProtocol('image-jfif');
  ctx.appendInfo(' (JPEG JFIF image)');
  if (!tree && !cut) return true;
  const node = ctx.add(tree, f.jfif, start, end - start, undefined);
  const t = ctx.children(node);
  // A pruned tree without the image's items (the packet list's load pass, most filters) needs
  // no walk over the segments; a cut image still does, to end where tshark's dissection ends.
  if (t === null && !cut) return true;
  if (end - start < 2) return true;
  ctx.add(t, f.marker, start, 2, u16(buf, start));
  let pos = start + 2;
  while (pos + 2 <= end) {
    const marker = u16(buf, pos);
    if ((marker & 0xff00) !== 0xff00) break;
    if (marker === 0xffd9 || marker === 0xffd8 || (marker >= 0xffd0 && marker <= 0xffd7) || marker === 0xff01) {
      ctx.add(t, f.marker, pos, 2, marker);
      pos += 2;
      if (marker === 0xffd9) break;
      continue;
    }
    if (pos + 4 > end) {
      if (cut) throw cutShort();
      break;
    }
    const len = u16(buf, pos + 2);
    const segEnd = Math.min(end, pos + 2 + len);
    const hex4 = marker.toString(16).toUpperCase().padStart(4, '0');
    const isSof = marker >= 0xffc0 && marker <= 0xffcf && marker !== 0xffc4 && marker !== 0xffc8 && marker !== 0xffcc;
    const label = isSof
      ? `Start of Frame header: ${markerName(marker)} (0x${hex4})`
      : marker === 0xffda
        ? `Start of Segment header: ${markerName(marker)} (0x${hex4})`
        : `Marker segment: ${markerName(marker)} (0x${hex4})`;
    const seg = ctx.add(
      t,
      isSof ? f.sofHeader : marker === 0xffda ? f.sosHeader : f.markerSegment,
      pos,
      segEnd - pos,
      undefined,
      label,
    );
    const s = ctx.children(seg);
    ctx.add(s, f.marker, pos, 2, marker);
    ctx.add(s, f.length, pos + 2, 2, len);
    const body = pos + 4;
    if (
      marker === 0xffe0 &&
      segEnd - body >= 14 &&
      buf[body] === 0x4a &&
      buf[body + 1] === 0x46 &&
      buf[body + 2] === 0x49 &&
      buf[body + 3] === 0x46 &&
      buf[body + 4] === 0
    ) {
      ctx.add(s, f.identifier, body, 5, 'JFIF', 'Identifier: JFIF');
      const v = ctx.add(s, f.version, body + 5, 2, undefined, `Version: ${buf[body + 5]}.${buf[body + 6]}`);
      const vc = ctx.children(v);
      ctx.add(vc, f.versionMajor, body + 5, 1, buf[body + 5]);
      ctx.add(vc, f.versionMinor, body + 6, 1, buf[body + 6]);
      ctx.add(s, f.units, body + 7, 1, buf[body + 7]);
      ctx.add(s, f.xdensity, body + 8, 2, u16(buf, body + 8));
      ctx.add(s, f.ydensity, body + 10, 2, u16(buf, body + 10));
      ctx.add(s, f.xthumbnail, body + 12, 1, buf[body + 12]);
      ctx.add(s, f.ythumbnail, body + 13, 1, buf[body + 13]);
      if (segEnd > body + 14) {
        const rest = segEnd - body - 14;
        ctx.add(
          s,
          f.remaining,
          body + 14,
          rest,
          buf.subarray(body + 14, segEnd),
          `Remaining segment data: ${rest} bytes`,
        );
      }
    } else if (isSof && segEnd - body >= 6) {
      ctx.add(s, f.sofP, body, 1, buf[body]);
      ctx.add(s, f.sofLines, body + 1, 2, u16(buf, body + 1));
      ctx.add(s, f.sofSamples, body + 3, 2, u16(buf, body + 3));
      const nf = buf[body + 5];
      ctx.add(s, f.sofNf, body + 5, 1, nf);
      let p = body + 6;
      for (let i = 0; i < nf && p + 3 <= segEnd; i++, p += 3) {
        ctx.add(s, f.sofC, p, 1, buf[p]);
        ctx.add(s, f.sofH, p + 1, 1, buf[p + 1] >> 4);
        ctx.add(s, f.sofV, p + 1, 1, buf[p + 1] & 0x0f);
        ctx.add(s, f.sofTq, p + 2, 1, buf[p + 2]);
      }
    } else if (marker === 0xffda && segEnd - body >= 1) {
      const ns = buf[body];
      ctx.add(s, f.sosNs, body, 1, ns);
      let p = body + 1;
      for (let i = 0; i < ns && p + 2 <= segEnd; i++, p += 2) {
        ctx.add(s, f.sosCs, p, 1, buf[p]);
        ctx.add(s, f.sosTd, p + 1, 1, buf[p + 1] >> 4);
        ctx.add(s, f.sosTa, p + 1, 1, buf[p + 1] & 0x0f);
      }
      if (p + 3 <= segEnd) {
        ctx.add(s, f.sosSs, p, 1, buf[p]);
        ctx.add(s, f.sosSe, p + 1, 1, buf[p + 1]);
        ctx.add(s, f.sosAh, p + 2, 1, buf[p + 2] >> 4);
        ctx.add(s, f.sosAl, p + 2, 1, buf[p + 2] & 0x0f);
      }
    } else if (segEnd > body) {
      const rest = segEnd - body;
      // The label counts the segment's bytes on the wire; the item holds those captured.
      const shown = cut ? pos + 2 + len - body : rest;
      ctx.add(s, f.remaining, body, rest, buf.subarray(body, segEnd), `Remaining segment data: ${shown} bytes`);
    }
    if (cut && pos + 2 + len > end) throw cutShort();
    pos = segEnd;
    if (marker === 0xffda) {
      // Entropy-coded data runs to the next marker that is not a stuffed 0xff00 or a restart marker.
      let e = pos;
      while (e + 1 < end && !(buf[e] === 0xff && buf[e + 1] !== 0 && !(buf[e + 1] >= 0xd0 && buf[e + 1] <= 0xd7))) e++;
      if (e + 1 >= end) {
        // Looking for the end of a cut segment reads past the captured bytes.
        if (cut) throw cutShort();
        e = end;
      }
      if (e > pos) {
        const data = buf.subarray(pos, e);
        ctx.add(
          t,
          f.entropy,
          pos,
          e - pos,
          data,
          `Entropy-coded segment (dissection is not yet implemented): ${hex36(data)}`,
        );
      }
      pos = e;
    }
  }
  return true;
};
