/**
 * Writing pcapng (what the capture process appends to its temp file, and "Save as") and
 * classic pcap. Everything is written little-endian.
 */
import { PCAP_MAGIC_MICRO, PCAP_MAGIC_NANO, PCAP_MAX_PACKET_SIZE } from './pcap';
import { BlockType, BYTE_ORDER_MAGIC } from './pcapng';
import { timestampToTicks } from './timestamp';
import type { CaptureInterface, PacketRecord, PcapngBlockRecord } from './types';
import { encodeUtf8 } from './utf8';

export interface PcapngWriterInterface {
  linkType: number;
  snapLen: number;
  name?: string;
  description?: string;
  /** 10^k (e.g. 1e6, 1e9) or 2^k; default 1e9. */
  tsUnitsPerSecond?: number;
  fcsLength?: number;
}

export interface PcapngWriterOptions {
  interfaces: PcapngWriterInterface[];
  comment?: string;
  /** More section comments (written after `comment`). */
  comments?: string[];
  application?: string;
  os?: string;
  hardware?: string;
}

const OPT_COMMENT = 1;
const SHB_HARDWARE = 2;
const SHB_OS = 3;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const IF_FCSLEN = 13;
const MAX_OPTION_LENGTH = 0xffff;

type Option = { code: number; value: Uint8Array };

const pad4 = (n: number): number => (n + 3) & ~3;

function textOption(code: number, text: string | undefined): Option[] {
  if (text === undefined) return [];
  const value = encodeUtf8(text);
  // An option length is 16 bits; a longer string is cut (at a byte boundary, which decodeUtf8 tolerates).
  return [{ code, value: value.length > MAX_OPTION_LENGTH ? value.subarray(0, MAX_OPTION_LENGTH) : value }];
}

function optionsLength(options: Option[]): number {
  if (options.length === 0) return 0;
  return options.reduce((sum, o) => sum + 4 + pad4(o.value.length), 0) + 4; // + opt_endofopt
}

function writeOptions(view: DataView, bytes: Uint8Array, offset: number, options: Option[]): number {
  if (options.length === 0) return offset;
  for (const { code, value } of options) {
    view.setUint16(offset, code, true);
    view.setUint16(offset + 2, value.length, true);
    bytes.set(value, offset + 4);
    offset += 4 + pad4(value.length);
  }
  view.setUint32(offset, 0, true); // opt_endofopt
  return offset + 4;
}

/** if_tsresol byte for a units-per-second value: 10^k → k, 2^k → 0x80 | k. */
function tsresolByte(unitsPerSecond: number): number {
  for (let k = 0; k <= 19; k++) if (10 ** k === unitsPerSecond) return k;
  for (let k = 0; k <= 63; k++) if (2 ** k === unitsPerSecond) return 0x80 | k;
  throw new RangeError(`pcapng cannot store a timestamp resolution of ${unitsPerSecond} units per second`);
}

function block(type: number, bodyLength: number, fill: (view: DataView, bytes: Uint8Array) => void): Uint8Array {
  const length = 12 + bodyLength;
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, length, true);
  fill(view, bytes);
  view.setUint32(length - 4, length, true);
  return bytes;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * One pcapng section. header() and packet() return independent byte chunks, so a capture
 * process can append header() once and then packet() per packet to a growing file.
 */
export class PcapngWriter {
  private readonly interfaces: Array<PcapngWriterInterface & { tsUnitsPerSecond: number }>;

  constructor(private readonly options: PcapngWriterOptions) {
    this.interfaces = options.interfaces.map((i) => ({ ...i, tsUnitsPerSecond: i.tsUnitsPerSecond ?? 1e9 }));
    for (const i of this.interfaces) tsresolByte(i.tsUnitsPerSecond); // fail now, not on the first packet
  }

  /** Section Header Block + one Interface Description Block per interface. */
  header(): Uint8Array {
    const o = this.options;
    const shbOptions = [
      ...textOption(OPT_COMMENT, o.comment),
      ...(o.comments ?? []).flatMap((c) => textOption(OPT_COMMENT, c)),
      ...textOption(SHB_HARDWARE, o.hardware),
      ...textOption(SHB_OS, o.os),
      ...textOption(SHB_USERAPPL, o.application),
    ];
    const shb = block(BlockType.SECTION_HEADER, 16 + optionsLength(shbOptions), (view, bytes) => {
      view.setUint32(8, BYTE_ORDER_MAGIC, true);
      view.setUint16(12, 1, true); // version 1.0
      view.setUint16(14, 0, true);
      view.setInt32(16, -1, true); // section length: not given
      view.setInt32(20, -1, true);
      writeOptions(view, bytes, 24, shbOptions);
    });
    const idbs = this.interfaces.map((iface) => {
      const idbOptions: Option[] = [
        ...textOption(IF_NAME, iface.name),
        ...textOption(IF_DESCRIPTION, iface.description),
      ];
      if (iface.tsUnitsPerSecond !== 1e6) {
        idbOptions.push({ code: IF_TSRESOL, value: Uint8Array.of(tsresolByte(iface.tsUnitsPerSecond)) });
      }
      if (iface.fcsLength !== undefined)
        idbOptions.push({ code: IF_FCSLEN, value: Uint8Array.of(iface.fcsLength & 0xff) });
      return block(BlockType.INTERFACE_DESCRIPTION, 8 + optionsLength(idbOptions), (view, bytes) => {
        view.setUint16(8, iface.linkType & 0xffff, true);
        view.setUint16(10, 0, true);
        view.setUint32(12, iface.snapLen >>> 0, true);
        writeOptions(view, bytes, 16, idbOptions);
      });
    });
    return concat([shb, ...idbs]);
  }

  /**
   * One Enhanced Packet Block; record.interfaceId indexes the constructor's interfaces. A record
   * that is a pcapng Custom Block (record.pcapngBlock) is written back as that block when it may
   * be copied, and dropped (an empty array) when it may not, as tshark 4.0's -w does.
   */
  packet(record: PacketRecord): Uint8Array {
    if (record.pcapngBlock !== undefined) return customBlock(record, record.pcapngBlock);
    const iface = this.interfaces[record.interfaceId];
    if (iface === undefined) {
      throw new RangeError(
        `packet refers to interface ${record.interfaceId}, but the writer has ${this.interfaces.length}`,
      );
    }
    const { hi, lo } = timestampToTicks(record.tsSec, record.tsNsec, iface.tsUnitsPerSecond);
    const data = record.data;
    const options = (record.comments ?? []).flatMap((c) => textOption(OPT_COMMENT, c));
    return block(BlockType.ENHANCED_PACKET, 20 + pad4(data.length) + optionsLength(options), (view, bytes) => {
      view.setUint32(8, record.interfaceId, true);
      view.setUint32(12, hi, true);
      view.setUint32(16, lo, true);
      view.setUint32(20, data.length, true);
      view.setUint32(24, record.originalLength >>> 0, true);
      bytes.set(data, 28);
      writeOptions(view, bytes, 28 + pad4(data.length), options);
    });
  }
}

/** Resolutions the reader reported that round-trip exactly are kept; anything else is written in ns. */
/** A copyable Custom Block as read (PEN + custom data and options); others are not written. */
function customBlock(record: PacketRecord, b: PcapngBlockRecord): Uint8Array {
  if (b.type !== BlockType.CUSTOM_COPY) return new Uint8Array(0);
  const data = record.data;
  return block(BlockType.CUSTOM_COPY, 4 + pad4(data.length), (view, bytes) => {
    view.setUint32(8, b.pen >>> 0, true);
    bytes.set(data, 12);
  });
}

function writableResolution(unitsPerSecond: number): number {
  for (let k = 0; k <= 9; k++) if (10 ** k === unitsPerSecond) return unitsPerSecond;
  return 1e9;
}

/**
 * A whole pcapng file with one section holding all interfaces, so interface numbers stay as given
 * (a file read from several sections is flattened into one). Packets without a timestamp
 * (Simple Packet Blocks) are written as Enhanced Packet Blocks with time 0.
 */
export function writePcapng(
  info: {
    interfaces: CaptureInterface[];
    comments?: string[];
    hardware?: string;
    os?: string;
    application?: string;
  },
  packets: PacketRecord[],
): Uint8Array {
  const writer = new PcapngWriter({
    interfaces: info.interfaces.map((i) => ({
      linkType: i.linkType,
      snapLen: i.snapLen,
      name: i.name,
      description: i.description,
      tsUnitsPerSecond: writableResolution(i.tsUnitsPerSecond),
      fcsLength: i.fcsLength,
    })),
    comments: info.comments,
    hardware: info.hardware,
    os: info.os,
    application: info.application,
  });
  return concat([writer.header(), ...packets.map((p) => writer.packet(p))]);
}

/**
 * A classic pcap file (little-endian, version 2.4). All packets get the one link type; µs
 * resolution unless `nanosecond`. Throws RangeError for times a pcap file cannot hold.
 */
export function writePcap(
  packets: PacketRecord[],
  opts: { linkType: number; snapLen?: number; nanosecond?: boolean },
): Uint8Array {
  // pcap has no blocks: pcapng Custom Block records are left out.
  packets = packets.filter((p) => p.pcapngBlock === undefined);
  const snapLen = opts.snapLen ?? PCAP_MAX_PACKET_SIZE;
  const size = 24 + packets.reduce((n, p) => n + 16 + p.data.length, 0);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, opts.nanosecond ? PCAP_MAGIC_NANO : PCAP_MAGIC_MICRO, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setInt32(8, 0, true); // thiszone
  view.setUint32(12, 0, true); // sigfigs
  view.setUint32(16, snapLen >>> 0, true);
  view.setUint32(20, opts.linkType >>> 0, true);
  let offset = 24;
  for (const p of packets) {
    if (!(p.tsSec >= 0 && p.tsSec <= 0xffffffff)) {
      throw new RangeError(`a pcap file cannot store the time ${p.tsSec} s (it must fit in 32 unsigned bits)`);
    }
    view.setUint32(offset, p.tsSec, true);
    view.setUint32(offset + 4, opts.nanosecond ? p.tsNsec : Math.floor(p.tsNsec / 1000), true);
    view.setUint32(offset + 8, p.data.length, true);
    view.setUint32(offset + 12, p.originalLength >>> 0, true);
    bytes.set(p.data, offset + 16);
    offset += 16 + p.data.length;
  }
  return bytes;
}
