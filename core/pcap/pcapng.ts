/**
 * pcapng (https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcapng/): a sequence of blocks
 * [type u32][total length u32][body][total length u32]. A Section Header Block starts a section
 * with its own byte order and its own interface numbering; Wireshark numbers interfaces across
 * the whole file, and so do we (PacketRecord.interfaceId, CaptureInterface.section).
 */
import { CUT_SHORT, DAMAGED, type FormatParser } from './parser';
import { ticksToTimestamp } from './timestamp';
import {
  CaptureFileError,
  PCAPNG_BLOCK_LINK_TYPE,
  type CaptureFileInfo,
  type CaptureInterface,
  type PacketRecord,
} from './types';
import { decodeUtf8 } from './utf8';

export const BlockType = {
  SECTION_HEADER: 0x0a0d0d0a,
  INTERFACE_DESCRIPTION: 0x00000001,
  PACKET_OBSOLETE: 0x00000002,
  SIMPLE_PACKET: 0x00000003,
  NAME_RESOLUTION: 0x00000004,
  INTERFACE_STATISTICS: 0x00000005,
  ENHANCED_PACKET: 0x00000006,
  DECRYPTION_SECRETS: 0x0000000a,
  CUSTOM_COPY: 0x00000bad,
  CUSTOM_NO_COPY: 0x40000bad,
} as const;

export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Smallest block: type + two lengths. */
const MIN_BLOCK_SIZE = 12;
/** Blocks longer than this are treated as damage rather than waited for (Wireshark uses a similar cap). */
export const PCAPNG_MAX_BLOCK_SIZE = 16 * 1024 * 1024;

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_HARDWARE = 2;
const SHB_OS = 3;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const IF_FCSLEN = 13;
const IF_TSOFFSET = 14;

const BLOCK_NAMES: Record<number, string> = {
  [BlockType.SECTION_HEADER]: 'Section Header Block',
  [BlockType.INTERFACE_DESCRIPTION]: 'Interface Description Block',
  [BlockType.PACKET_OBSOLETE]: 'Packet Block',
  [BlockType.SIMPLE_PACKET]: 'Simple Packet Block',
  [BlockType.NAME_RESOLUTION]: 'Name Resolution Block',
  [BlockType.INTERFACE_STATISTICS]: 'Interface Statistics Block',
  [BlockType.ENHANCED_PACKET]: 'Enhanced Packet Block',
  [BlockType.DECRYPTION_SECRETS]: 'Decryption Secrets Block',
  [BlockType.CUSTOM_COPY]: 'Custom Block',
  [BlockType.CUSTOM_NO_COPY]: 'Custom Block',
};

function blockName(type: number): string {
  return BLOCK_NAMES[type] ?? `block of type 0x${type.toString(16).padStart(8, '0')}`;
}

function isPacketBlock(type: number): boolean {
  return type === BlockType.ENHANCED_PACKET || type === BlockType.SIMPLE_PACKET || type === BlockType.PACKET_OBSOLETE;
}

/** Byte order of the SHB at `offset`, or null if its byte-order magic is wrong. */
export function sectionByteOrder(view: DataView, offset: number): boolean | null {
  if (view.getUint32(offset + 8, true) === BYTE_ORDER_MAGIC) return true;
  if (view.getUint32(offset + 8, false) === BYTE_ORDER_MAGIC) return false;
  return null;
}

interface Section {
  index: number;
  littleEndian: boolean;
  /** Global index of this section's interface 0. */
  interfaceBase: number;
  interfaceCount: number;
}

/** Calls visit(code, valueStart, valueLength) for each option in [start, end); stops quietly at malformed ones. */
function forEachOption(
  view: DataView,
  start: number,
  end: number,
  le: boolean,
  visit: (code: number, valueStart: number, valueLength: number) => void,
): void {
  let p = start;
  while (p + 4 <= end) {
    const code = view.getUint16(p, le);
    const length = view.getUint16(p + 2, le);
    if (code === OPT_ENDOFOPT) return;
    const valueStart = p + 4;
    if (valueStart + length > end) return; // option runs past the block: ignore the rest, keep the block
    visit(code, valueStart, length);
    p = valueStart + ((length + 3) & ~3);
  }
}

export class PcapngParser implements FormatParser {
  readonly headerSize = MIN_BLOCK_SIZE;
  info: CaptureFileInfo | null = null;
  packetCount = 0;
  private section: Section | null = null;
  private sectionCount = 0;
  /** if_tsoffset per global interface, in seconds (not part of CaptureInterface: already applied to tsSec). */
  private readonly tsOffsets: number[] = [];

  unitLength(_bytes: Uint8Array, view: DataView, offset: number, fileOffset: number): number {
    const type = view.getUint32(offset, true); // SHB's type reads the same in both orders
    let le: boolean;
    if (type === BlockType.SECTION_HEADER) {
      const order = sectionByteOrder(view, offset);
      if (order === null) {
        throw this.damaged(`the Section Header Block at byte ${fileOffset} has no valid byte-order magic`, fileOffset);
      }
      le = order;
    } else if (this.section === null) {
      throw this.damaged(`the file does not start with a Section Header Block`, fileOffset);
    } else {
      le = this.section.littleEndian;
    }
    const length = view.getUint32(offset + 4, le);
    const realType = view.getUint32(offset, le);
    if (length < MIN_BLOCK_SIZE || length % 4 !== 0) {
      throw this.damaged(
        `${this.describe(realType)} at byte ${fileOffset} has a length of ${length} bytes, ` +
          (length < MIN_BLOCK_SIZE ? `less than the minimum of ${MIN_BLOCK_SIZE}` : 'not a multiple of 4'),
        fileOffset,
      );
    }
    if (length > PCAPNG_MAX_BLOCK_SIZE) {
      throw this.damaged(
        `${this.describe(realType)} at byte ${fileOffset} is ${length} bytes, bigger than the maximum of ${PCAPNG_MAX_BLOCK_SIZE}`,
        fileOffset,
      );
    }
    return length;
  }

  parseUnit(
    bytes: Uint8Array,
    view: DataView,
    offset: number,
    length: number,
    fileOffset: number,
  ): PacketRecord | null {
    const first = view.getUint32(offset, true);
    if (first === BlockType.SECTION_HEADER) {
      this.readSectionHeader(bytes, view, offset, length, fileOffset);
      return null;
    }
    const section = this.section as Section; // unitLength() has ensured an SHB came first
    const le = section.littleEndian;
    const type = view.getUint32(offset, le);
    if (view.getUint32(offset + length - 4, le) !== length) {
      throw this.damaged(
        `${this.describe(type)} at byte ${fileOffset} has different lengths at its start (${length}) and end ` +
          `(${view.getUint32(offset + length - 4, le)})`,
        fileOffset,
      );
    }
    switch (type) {
      case BlockType.ENHANCED_PACKET:
        return this.readEnhancedPacket(bytes, view, offset, length, fileOffset, section);
      case BlockType.INTERFACE_DESCRIPTION:
        this.readInterface(bytes, view, offset, length, fileOffset, section);
        return null;
      case BlockType.SIMPLE_PACKET:
        return this.readSimplePacket(bytes, view, offset, length, fileOffset, section);
      case BlockType.PACKET_OBSOLETE:
        return this.readEnhancedPacket(bytes, view, offset, length, fileOffset, section, BlockType.PACKET_OBSOLETE);
      case BlockType.CUSTOM_COPY:
      case BlockType.CUSTOM_NO_COPY:
        return this.readCustomBlock(bytes, view, offset, length, fileOffset, section, type);
      default:
        // NRB, ISB, DSB and unknown blocks carry nothing a packet list needs (tshark 4.0 shows none).
        return null;
    }
  }

  truncationError(bytes: Uint8Array, offset: number, available: number, fileOffset: number): CaptureFileError {
    let type = -1;
    if (available >= 4) {
      const view = new DataView(bytes.buffer, bytes.byteOffset + offset, available);
      const raw = view.getUint32(0, true);
      type =
        raw === BlockType.SECTION_HEADER || this.section === null ? raw : view.getUint32(0, this.section.littleEndian);
    }
    if (this.info === null) {
      return new CaptureFileError(
        `${CUT_SHORT} in the middle of its file header (at byte ${fileOffset}).`,
        fileOffset,
        0,
      );
    }
    const what = isPacketBlock(type)
      ? `a packet (packet ${this.packetCount + 1}, at byte ${fileOffset})`
      : type === -1
        ? `a block (at byte ${fileOffset})`
        : `a ${blockName(type)} (at byte ${fileOffset})`;
    return new CaptureFileError(`${CUT_SHORT} in the middle of ${what}.`, fileOffset, this.packetCount);
  }

  private damaged(what: string, fileOffset: number): CaptureFileError {
    return new CaptureFileError(`${DAMAGED}: ${what}`, fileOffset, this.packetCount);
  }

  private describe(type: number): string {
    return isPacketBlock(type) ? `packet ${this.packetCount + 1} (${blockName(type)})` : `a ${blockName(type)}`;
  }

  private readSectionHeader(
    bytes: Uint8Array,
    view: DataView,
    offset: number,
    length: number,
    fileOffset: number,
  ): void {
    const le = sectionByteOrder(view, offset) as boolean; // checked in unitLength()
    if (length < 28)
      throw this.damaged(`the Section Header Block at byte ${fileOffset} is too short (${length} bytes)`, fileOffset);
    if (view.getUint32(offset + length - 4, le) !== length) {
      throw this.damaged(
        `the Section Header Block at byte ${fileOffset} has different lengths at its start and end`,
        fileOffset,
      );
    }
    const major = view.getUint16(offset + 12, le);
    const minor = view.getUint16(offset + 14, le);
    if (major !== 1) {
      throw this.damaged(
        `pcapng version ${major}.${minor} at byte ${fileOffset} is not supported (only 1.x exists)`,
        fileOffset,
      );
    }
    const info: CaptureFileInfo = this.info ?? {
      format: 'pcapng',
      byteOrder: le ? 'little-endian' : 'big-endian',
      interfaces: [],
      comments: [],
    };
    forEachOption(view, offset + 24, offset + length - 4, le, (code, start, len) => {
      const text = (): string => decodeUtf8(bytes, start, start + len);
      if (code === OPT_COMMENT) info.comments.push(text());
      else if (code === SHB_HARDWARE) info.hardware ??= text();
      else if (code === SHB_OS) info.os ??= text();
      else if (code === SHB_USERAPPL) info.application ??= text();
    });
    this.info = info;
    this.section = {
      index: this.sectionCount++,
      littleEndian: le,
      interfaceBase: info.interfaces.length,
      interfaceCount: 0,
    };
  }

  private readInterface(
    bytes: Uint8Array,
    view: DataView,
    offset: number,
    length: number,
    fileOffset: number,
    section: Section,
  ): void {
    if (length < 20)
      throw this.damaged(
        `an Interface Description Block at byte ${fileOffset} is too short (${length} bytes)`,
        fileOffset,
      );
    const le = section.littleEndian;
    const iface: CaptureInterface = {
      linkType: view.getUint16(offset + 8, le),
      snapLen: view.getUint32(offset + 12, le),
      tsUnitsPerSecond: 1e6,
      section: section.index,
    };
    let tsOffset = 0;
    forEachOption(view, offset + 16, offset + length - 4, le, (code, start, len) => {
      if (code === IF_NAME) iface.name = decodeUtf8(bytes, start, start + len);
      else if (code === IF_DESCRIPTION) iface.description = decodeUtf8(bytes, start, start + len);
      else if (code === IF_TSRESOL && len >= 1) {
        const v = bytes[start];
        // High bit set: negative power of 2; otherwise negative power of 10.
        const units = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
        if (Number.isFinite(units) && units >= 1) iface.tsUnitsPerSecond = units;
      } else if (code === IF_FCSLEN && len >= 1) iface.fcsLength = bytes[start];
      else if (code === IF_TSOFFSET && len >= 8) {
        const hi = view.getInt32(start + (le ? 4 : 0), le);
        const lo = view.getUint32(start + (le ? 0 : 4), le);
        tsOffset = hi * 4294967296 + lo;
      }
    });
    const info = this.info as CaptureFileInfo;
    info.interfaces.push(iface);
    this.tsOffsets.push(tsOffset);
    section.interfaceCount++;
  }

  private interfaceFor(localId: number, section: Section, fileOffset: number, type: number): number {
    if (localId >= section.interfaceCount) {
      throw this.damaged(
        `${this.describe(type)} at byte ${fileOffset} refers to interface ${localId}, but section ${section.index} ` +
          `has ${section.interfaceCount === 0 ? 'no interfaces' : `only ${section.interfaceCount}`}`,
        fileOffset,
      );
    }
    return section.interfaceBase + localId;
  }

  private packetRecord(
    bytes: Uint8Array,
    view: DataView,
    offset: number,
    length: number,
    fileOffset: number,
    section: Section,
    type: number,
    interfaceId: number,
    dataStart: number,
    capLen: number,
    originalLength: number,
    tsHi: number,
    tsLo: number,
  ): PacketRecord {
    const blockEnd = offset + length - 4;
    if (dataStart + capLen > blockEnd) {
      throw this.damaged(
        `${this.describe(type)} at byte ${fileOffset} says it holds ${capLen} bytes, but the block has room for ` +
          `only ${Math.max(0, blockEnd - dataStart)}`,
        fileOffset,
      );
    }
    const iface = (this.info as CaptureFileInfo).interfaces[interfaceId];
    const ts = ticksToTimestamp(tsHi, tsLo, iface.tsUnitsPerSecond);
    const record: PacketRecord = {
      data: bytes.subarray(dataStart, dataStart + capLen),
      originalLength,
      tsSec: ts.sec + this.tsOffsets[interfaceId],
      tsNsec: ts.nsec,
      interfaceId,
      linkType: iface.linkType,
      fileOffset,
    };
    const optionsStart = dataStart + ((capLen + 3) & ~3);
    if (optionsStart + 4 <= blockEnd) {
      forEachOption(view, optionsStart, blockEnd, section.littleEndian, (code, start, len) => {
        if (code === OPT_COMMENT) (record.comments ??= []).push(decodeUtf8(bytes, start, start + len));
      });
    }
    this.packetCount++;
    return record;
  }

  /**
   * EPB, and the obsolete Packet Block (type 2) that has the same layout except a 16-bit
   * interface id followed by a 16-bit drops count.
   */
  private readEnhancedPacket(
    bytes: Uint8Array,
    view: DataView,
    offset: number,
    length: number,
    fileOffset: number,
    section: Section,
    type: number = BlockType.ENHANCED_PACKET,
  ): PacketRecord {
    if (length < 32)
      throw this.damaged(`${this.describe(type)} at byte ${fileOffset} is too short (${length} bytes)`, fileOffset);
    const le = section.littleEndian;
    const rawInterfaceId =
      type === BlockType.PACKET_OBSOLETE ? view.getUint16(offset + 8, le) : view.getUint32(offset + 8, le);
    const interfaceId = this.interfaceFor(rawInterfaceId, section, fileOffset, type);
    return this.packetRecord(
      bytes,
      view,
      offset,
      length,
      fileOffset,
      section,
      type,
      interfaceId,
      offset + 28,
      view.getUint32(offset + 20, le),
      view.getUint32(offset + 24, le),
      view.getUint32(offset + 12, le),
      view.getUint32(offset + 16, le),
    );
  }

  /**
   * Custom Block: [PEN u32][custom data and options]. tshark 4.0 shows it as a frame of its own
   * (wiretap's REC_TYPE_CUSTOM_BLOCK) whose bytes are everything after the PEN.
   */
  private readCustomBlock(
    bytes: Uint8Array,
    view: DataView,
    offset: number,
    length: number,
    fileOffset: number,
    section: Section,
    type: number,
  ): PacketRecord {
    if (length < 16)
      throw this.damaged(`a ${blockName(type)} at byte ${fileOffset} is too short (${length} bytes)`, fileOffset);
    const data = bytes.subarray(offset + 12, offset + length - 4);
    this.packetCount++;
    return {
      data,
      originalLength: data.length,
      tsSec: 0,
      tsNsec: 0,
      noTimestamp: true,
      interfaceId: -1,
      linkType: PCAPNG_BLOCK_LINK_TYPE,
      fileOffset,
      pcapngBlock: { type, pen: view.getUint32(offset + 8, section.littleEndian), section: section.index },
    };
  }

  /** SPB: no interface id (always the section's interface 0), no timestamp, no options. */
  private readSimplePacket(
    bytes: Uint8Array,
    view: DataView,
    offset: number,
    length: number,
    fileOffset: number,
    section: Section,
  ): PacketRecord {
    const type = BlockType.SIMPLE_PACKET;
    if (length < 16)
      throw this.damaged(`${this.describe(type)} at byte ${fileOffset} is too short (${length} bytes)`, fileOffset);
    const interfaceId = this.interfaceFor(0, section, fileOffset, type);
    const originalLength = view.getUint32(offset + 8, section.littleEndian);
    const snapLen = (this.info as CaptureFileInfo).interfaces[interfaceId].snapLen;
    // The captured length is not stored: it is the original length cut to the snaplen (and to the block).
    let capLen = originalLength;
    if (snapLen !== 0 && capLen > snapLen) capLen = snapLen;
    capLen = Math.min(capLen, length - 16);
    const iface = (this.info as CaptureFileInfo).interfaces[interfaceId];
    this.packetCount++;
    return {
      data: bytes.subarray(offset + 12, offset + 12 + capLen),
      originalLength,
      tsSec: 0,
      tsNsec: 0,
      noTimestamp: true,
      interfaceId,
      linkType: iface.linkType,
      fileOffset,
    };
  }
}
