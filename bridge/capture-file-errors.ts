/**
 * What the UI says when a capture file cannot be read, or only up to some point: the same words
 * whoever read it (the host from a path or an upload, or the page's dissection worker).
 * Pure: the host and the renderer's worker share it.
 */
import type { LabError } from './lab-api';

/** The file's header could not be read: nothing of it is shown, what was shown stays. */
export function notCaptureFileError(name: string, error: { message: string } | null): LabError {
  return {
    code: 'bad-file',
    message: `${name} is not a capture file WireLab can read: ${error?.message ?? 'This is not a pcap or pcapng file.'}`,
    remedy: 'Open a .pcap or .pcapng file saved by WireLab, Wireshark, tcpdump or dumpcap.',
  };
}

/** The file is damaged (or cut short) after `packets` packets, which are shown. */
export function damagedFileError(name: string, error: { message: string }, packets: number): LabError {
  return {
    code: 'bad-file',
    message: `${name} is damaged: ${error.message} The ${packets} packets before that point are shown.`,
  };
}
