/**
 * What a capture file (or a live capture) hands to the dissection engine.
 * Timestamps are split into whole seconds and nanoseconds so that a million packets
 * need no bigint arithmetic and no precision is lost (pcapng allows ns resolution).
 */

/** LINKTYPE_ numbers as stored in pcap/pcapng files (https://www.tcpdump.org/linktypes.html). */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/**
 * PacketRecord.linkType of a record that is not a packet but a pcapng block Wireshark shows as a
 * frame of its own (tshark 4.0 numbers Custom Blocks as frames). Real LINKTYPE_ values are 16-bit,
 * so this cannot collide with one; the block's details are in PacketRecord.pcapngBlock.
 */
export const PCAPNG_BLOCK_LINK_TYPE = 0x80000000;

/** A pcapng block shown as a frame (see PCAPNG_BLOCK_LINK_TYPE). */
export interface PcapngBlockRecord {
  /** Block type, e.g. 0x00000BAD (Custom Block, may be copied) or 0x40000BAD (may not be copied). */
  type: number;
  /** Private Enterprise Number of a Custom Block. */
  pen: number;
  /** Section (SHB) the block belongs to, counted from 0. */
  section: number;
}

export interface CaptureInterface {
  linkType: number;
  snapLen: number;
  name?: string;
  description?: string;
  /** Timestamp units per second, e.g. 1e6 for µs, 1e9 for ns. */
  tsUnitsPerSecond: number;
  /** Section (SHB) this interface belongs to, counted from 0. */
  section: number;
  /** Bytes of frame check sequence at the end of each frame, when the file says (pcap link-type FCS bits, if_fcslen). */
  fcsLength?: number;
}

export interface PacketRecord {
  /** Captured bytes (may be shorter than originalLength when snapped). */
  data: Uint8Array;
  /** Length on the wire. */
  originalLength: number;
  tsSec: number;
  tsNsec: number;
  /** True when the file stores no time for this packet (pcapng Simple Packet Block); tsSec/tsNsec are then 0. */
  noTimestamp?: boolean;
  /** Index into CaptureFileInfo.interfaces (global across sections, as Wireshark numbers them). */
  interfaceId: number;
  linkType: number;
  comments?: string[];
  /** Byte offset of the record in the file, for error messages and random access. */
  fileOffset?: number;
  /**
   * Set only on records that are pcapng blocks, not packets (linkType PCAPNG_BLOCK_LINK_TYPE,
   * interfaceId -1, noTimestamp; data is the block's custom data and options after the PEN).
   */
  pcapngBlock?: PcapngBlockRecord;
}

export interface CaptureFileInfo {
  format: 'pcap' | 'pcapng';
  byteOrder: 'little-endian' | 'big-endian';
  interfaces: CaptureInterface[];
  /** Comments of the section header block(s). */
  comments: string[];
  /** pcapng shb_hardware / shb_os / shb_userappl, when present. */
  hardware?: string;
  os?: string;
  application?: string;
}

/** A file that is damaged from some point on. Packets before the damage are still returned. */
export class CaptureFileError extends Error {
  constructor(
    message: string,
    /** Byte offset in the file where reading broke. */
    readonly fileOffset: number,
    /** How many packets were read successfully before it. */
    readonly packetsRead: number,
  ) {
    super(message);
    this.name = 'CaptureFileError';
  }
}
