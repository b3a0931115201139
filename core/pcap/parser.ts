import type { CaptureFileError, CaptureFileInfo, PacketRecord } from './types';

/**
 * What the streaming reader needs from a file format. A file is a sequence of "units"
 * (the pcap file header, then pcap records; or pcapng blocks), each of which announces its
 * own length in its first `headerSize` bytes. The reader only ever hands a parser complete
 * units, so parsers never deal with chunk boundaries.
 *
 * Parsers throw CaptureFileError for damaged data; the reader catches it and stops.
 */
export interface FormatParser {
  /** Bytes of a unit needed before unitLength() can be asked (may change after the file header). */
  readonly headerSize: number;
  /** Null until the file header has been read. */
  readonly info: CaptureFileInfo | null;
  /** Packets returned so far. */
  readonly packetCount: number;
  /** Total length of the unit at `offset` (validated: throws if impossible). Must not change parser state. */
  unitLength(bytes: Uint8Array, view: DataView, offset: number, fileOffset: number): number;
  /** Parse one complete unit; packet data are subarray views into `bytes`. */
  parseUnit(bytes: Uint8Array, view: DataView, offset: number, length: number, fileOffset: number): PacketRecord | null;
  /** The error for input that ends after `available` bytes of the unit starting at `fileOffset`. */
  truncationError(bytes: Uint8Array, offset: number, available: number, fileOffset: number): CaptureFileError;
}

export const DAMAGED = 'The file appears to be damaged or corrupt';
export const CUT_SHORT = 'The file appears to have been cut short';
