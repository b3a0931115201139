/**
 * Portable Network Graphics, as Wireshark 4.0's packet-png.c shows it: the signature, then
 * each chunk with its length, type, the three type-case flags, IHDR/pHYs/tEXt fields, and CRC.
 */
import { defineFields } from '../../fields';
import { BoundsError } from '../../context';
import type { MediaDissector } from './media-type';

const COLOUR: Record<number, string> = {
  0: 'Greyscale',
  2: 'Truecolour',
  3: 'Indexed-colour',
  4: 'Greyscale with alpha',
  6: 'Truecolour with alpha',
};
const CHUNK_NAMES: Record<string, string> = {
  IHDR: 'Image Header',
  PLTE: 'Palette',
  IDAT: 'Image data chunk',
  IEND: 'Image Trailer',
  bKGD: 'Background colour',
  cHRM: 'Primary chromaticities and white point',
  gAMA: 'Image gamma',
  iCCP: 'Embedded ICC profile',
  iTXt: 'International textual data',
  pHYs: 'Physical pixel dimensions',
  sBIT: 'Significant bits',
  sRGB: 'Standard RGB colour space',
  tEXt: 'Textual data',
  tIME: 'Image last-modification time',
  tRNS: 'Transparency',
  zTXt: 'Compressed textual data',
};

export const pngFields = defineFields({
  png: { abbrev: 'png', name: 'Portable Network Graphics', type: 'protocol' },
  signature: { abbrev: 'png.signature', name: 'PNG Signature', type: 'bytes' },
  len: { abbrev: 'png.chunk.len', name: 'Len', type: 'uint32' },
  type: { abbrev: 'png.chunk.type', name: 'Chunk', type: 'string' },
  ancillary: {
    abbrev: 'png.chunk.flag.ancillary',
    name: 'Ancillary',
    type: 'bool',
    bitmask: 0x20000000,
    bitWidth: 32,
    trueFalse: ['This is an ANCILLARY chunk', 'This is a CRITICAL chunk'],
  },
  private: {
    abbrev: 'png.chunk.flag.private',
    name: 'Private',
    type: 'bool',
    bitmask: 0x00200000,
    bitWidth: 32,
    trueFalse: ['This is a PRIVATE chunk', 'This is a PUBLIC chunk'],
  },
  stc: {
    abbrev: 'png.chunk.flag.stc',
    name: 'Safe To Copy',
    type: 'bool',
    bitmask: 0x00000020,
    bitWidth: 32,
    trueFalse: ['This chunk is SAFE TO COPY', 'This chunk is NOT safe to copy'],
  },
  width: { abbrev: 'png.ihdr.width', name: 'Width', type: 'uint32' },
  height: { abbrev: 'png.ihdr.height', name: 'Height', type: 'uint32' },
  bitdepth: { abbrev: 'png.ihdr.bitdepth', name: 'Bit Depth', type: 'uint8' },
  colour: { abbrev: 'png.ihdr.colour_type', name: 'Colour Type', type: 'uint8', valueStrings: COLOUR },
  compression: {
    abbrev: 'png.ihdr.compression_method',
    name: 'Compression Method',
    type: 'uint8',
    valueStrings: { 0: 'Deflate' },
  },
  filter: { abbrev: 'png.ihdr.filter_method', name: 'Filter Method', type: 'uint8', valueStrings: { 0: 'Adaptive' } },
  interlace: {
    abbrev: 'png.ihdr.interlace_method',
    name: 'Interlace Method',
    type: 'uint8',
    valueStrings: { 0: 'No interlace', 1: 'Adam7' },
  },
  physHoriz: { abbrev: 'png.phys.horiz', name: 'Horizontal pixels per unit', type: 'uint32' },
  physVert: { abbrev: 'png.phys.vert', name: 'Vertical pixels per unit', type: 'uint32' },
  physUnit: {
    abbrev: 'png.phys.unit',
    name: 'Unit',
    type: 'uint8',
    valueStrings: { 0: 'Unit is unknown', 1: 'Unit is METRE' },
  },
  keyword: { abbrev: 'png.text.keyword', name: 'Keyword', type: 'string' },
  string: { abbrev: 'png.text.string', name: 'String', type: 'string' },
  data: { abbrev: 'png.chunk.data', name: 'Data', type: 'none' },
  crc: { abbrev: 'png.chunk.crc', name: 'CRC', type: 'uint32', base: 'hex' },
});
const f = pngFields;

function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) >>> 0) + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
}

function latin1(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(b[i]);
  return out;
}

/** Where a body cut by the snap length stops being readable (even without a tree, as Wireshark reads the CRC). */
const cutShort = (): BoundsError => new BoundsError('captured', 'PNG');

export const dissectPng: MediaDissector = (ctx, buf, start, end, tree, _type, _params, cut) => {
  ctx.enterProtocol('png');
  ctx.appendInfo(' (PNG)');
  if (!tree && !cut) return true;
  const node = ctx.add(tree, f.png, start, end - start, undefined);
  const t = ctx.children(node);
  if (end - start < 8) {
    if (cut) throw cutShort();
    return true;
  }
  ctx.add(t, f.signature, start, 8, buf.subarray(start, start + 8), 'PNG Signature: 89504e470d0a1a0a');
  let pos = start + 8;
  while (pos + 8 <= end || (cut && pos <= end)) {
    // A chunk item covers length, type, data and CRC: one the capture cut cannot be shown.
    if (cut && (pos + 8 > end || pos + 12 + u32(buf, pos) > end)) throw cutShort();
    const len = u32(buf, pos);
    const type = latin1(buf, pos + 4, pos + 8);
    const dataStart = pos + 8;
    const dataEnd = Math.min(end, dataStart + len);
    const chunkEnd = Math.min(end, dataEnd + 4);
    const name = CHUNK_NAMES[type] ?? 'unknown';
    const chunk = ctx.add(t, undefined, pos, chunkEnd - pos, undefined, `${name} (${type})`);
    const c = ctx.children(chunk);
    ctx.add(c, f.len, pos, 4, len);
    ctx.add(c, f.type, pos + 4, 4, type);
    const typeBits = u32(buf, pos + 4);
    ctx.add(c, f.ancillary, pos + 4, 4, (typeBits & 0x20000000) !== 0);
    ctx.add(c, f.private, pos + 4, 4, (typeBits & 0x00200000) !== 0);
    ctx.add(c, f.stc, pos + 4, 4, (typeBits & 0x00000020) !== 0);
    if (type === 'IHDR' && dataEnd - dataStart >= 13) {
      ctx.add(c, f.width, dataStart, 4, u32(buf, dataStart));
      ctx.add(c, f.height, dataStart + 4, 4, u32(buf, dataStart + 4));
      ctx.add(c, f.bitdepth, dataStart + 8, 1, buf[dataStart + 8]);
      ctx.add(c, f.colour, dataStart + 9, 1, buf[dataStart + 9]);
      ctx.add(c, f.compression, dataStart + 10, 1, buf[dataStart + 10]);
      ctx.add(c, f.filter, dataStart + 11, 1, buf[dataStart + 11]);
      ctx.add(c, f.interlace, dataStart + 12, 1, buf[dataStart + 12]);
    } else if (type === 'pHYs' && dataEnd - dataStart >= 9) {
      ctx.add(c, f.physHoriz, dataStart, 4, u32(buf, dataStart));
      ctx.add(c, f.physVert, dataStart + 4, 4, u32(buf, dataStart + 4));
      ctx.add(c, f.physUnit, dataStart + 8, 1, buf[dataStart + 8]);
    } else if (type === 'tEXt') {
      let z = dataStart;
      while (z < dataEnd && buf[z] !== 0) z++;
      ctx.add(c, f.keyword, dataStart, z - dataStart, latin1(buf, dataStart, z));
      if (z < dataEnd) ctx.add(c, f.string, z + 1, dataEnd - z - 1, latin1(buf, z + 1, dataEnd));
    } else if (len > 0) {
      ctx.add(c, f.data, dataStart, dataEnd - dataStart, undefined);
    }
    if (dataEnd + 4 <= end) ctx.add(c, f.crc, dataEnd, 4, u32(buf, dataEnd));
    if (dataEnd + 4 > end || type === 'IEND') break;
    pos = dataEnd + 4;
  }
  return true;
};
