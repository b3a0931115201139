/**
 * Classic libpcap files (https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcap/):
 * a 24-byte file header, then records of a 16-byte header + captured bytes.
 */
import { CUT_SHORT, DAMAGED, type FormatParser } from './parser';
import { CaptureFileError, type CaptureFileInfo, type PacketRecord } from './types';

export const PCAP_MAGIC_MICRO = 0xa1b2c3d4;
export const PCAP_MAGIC_NANO = 0xa1b23c4d;
export const PCAP_FILE_HEADER_SIZE = 24;
export const PCAP_RECORD_HEADER_SIZE = 16;

/**
 * Wireshark refuses records longer than the biggest snaplen it allows for the link type
 * (262144 for Ethernet and the loopback types); a bigger snaplen in the header raises the limit.
 */
export const PCAP_MAX_PACKET_SIZE = 262144;

/** The link-type field's upper bits carry the FCS length (draft-ietf-opsawg-pcap §4), as Wireshark's LT_ macros. */
const LINKTYPE_MASK = 0x03ffffff;
const FCS_PRESENT = 0x04000000;

/** Byte order and precision from the first 4 bytes, or null if they are not a pcap magic number. */
export function pcapMagic(view: DataView, offset: number): { littleEndian: boolean; nanosecond: boolean } | null {
  const be = view.getUint32(offset, false);
  const le = view.getUint32(offset, true);
  if (be === PCAP_MAGIC_MICRO) return { littleEndian: false, nanosecond: false };
  if (le === PCAP_MAGIC_MICRO) return { littleEndian: true, nanosecond: false };
  if (be === PCAP_MAGIC_NANO) return { littleEndian: false, nanosecond: true };
  if (le === PCAP_MAGIC_NANO) return { littleEndian: true, nanosecond: true };
  return null;
}

export class PcapParser implements FormatParser {
  headerSize = PCAP_FILE_HEADER_SIZE;
  info: CaptureFileInfo | null = null;
  packetCount = 0;
  private littleEndian = true;
  private fracPerSecond = 1e6;
  private nsecPerFrac = 1000;
  private maxRecordLength = PCAP_MAX_PACKET_SIZE;
  private linkType = 0;

  unitLength(_bytes: Uint8Array, view: DataView, offset: number, fileOffset: number): number {
    if (this.info === null) return PCAP_FILE_HEADER_SIZE;
    const inclLen = view.getUint32(offset + 8, this.littleEndian);
    if (inclLen > this.maxRecordLength) {
      throw new CaptureFileError(
        `${DAMAGED}: packet ${this.packetCount + 1} is ${inclLen} bytes, bigger than the maximum of ` +
          `${this.maxRecordLength} (at byte ${fileOffset})`,
        fileOffset,
        this.packetCount,
      );
    }
    return PCAP_RECORD_HEADER_SIZE + inclLen;
  }

  parseUnit(
    bytes: Uint8Array,
    view: DataView,
    offset: number,
    length: number,
    fileOffset: number,
  ): PacketRecord | null {
    if (this.info === null) {
      this.readFileHeader(view, offset);
      return null;
    }
    const le = this.littleEndian;
    let tsSec = view.getUint32(offset, le);
    let frac = view.getUint32(offset + 4, le);
    if (frac >= this.fracPerSecond) {
      // Out-of-range fraction (seen in hand-made files): carry it into the seconds so tsNsec stays < 1e9.
      tsSec += Math.floor(frac / this.fracPerSecond);
      frac %= this.fracPerSecond;
    }
    const start = offset + PCAP_RECORD_HEADER_SIZE;
    this.packetCount++;
    return {
      data: bytes.subarray(start, offset + length),
      originalLength: view.getUint32(offset + 12, le),
      tsSec,
      tsNsec: frac * this.nsecPerFrac,
      interfaceId: 0,
      linkType: this.linkType,
      fileOffset,
    };
  }

  truncationError(_bytes: Uint8Array, _offset: number, _available: number, fileOffset: number): CaptureFileError {
    if (this.info === null) {
      return new CaptureFileError(
        `${CUT_SHORT} in the middle of its file header (at byte ${fileOffset}).`,
        fileOffset,
        0,
      );
    }
    return new CaptureFileError(
      `${CUT_SHORT} in the middle of a packet (packet ${this.packetCount + 1}, at byte ${fileOffset}).`,
      fileOffset,
      this.packetCount,
    );
  }

  private readFileHeader(view: DataView, offset: number): void {
    const magic = pcapMagic(view, offset);
    if (magic === null) throw new CaptureFileError('Not a pcap file: unknown magic number', offset, 0);
    const le = magic.littleEndian;
    const major = view.getUint16(offset + 4, le);
    const minor = view.getUint16(offset + 6, le);
    if (major !== 2) {
      throw new CaptureFileError(
        `${DAMAGED}: pcap version ${major}.${minor} is not supported (only 2.x exists)`,
        offset,
        0,
      );
    }
    const snapLen = view.getUint32(offset + 16, le);
    const linkField = view.getUint32(offset + 20, le);
    this.littleEndian = le;
    this.fracPerSecond = magic.nanosecond ? 1e9 : 1e6;
    this.nsecPerFrac = magic.nanosecond ? 1 : 1000;
    this.maxRecordLength = Math.max(snapLen, PCAP_MAX_PACKET_SIZE);
    this.linkType = linkField & LINKTYPE_MASK;
    this.headerSize = PCAP_RECORD_HEADER_SIZE;
    this.info = {
      format: 'pcap',
      byteOrder: le ? 'little-endian' : 'big-endian',
      interfaces: [
        {
          linkType: this.linkType,
          snapLen,
          tsUnitsPerSecond: this.fracPerSecond,
          section: 0,
          ...((linkField & FCS_PRESENT) !== 0 ? { fcsLength: 2 * (linkField >>> 28) } : {}),
        },
      ],
      comments: [],
    };
  }
}
