/** The I/O graph's result and intervals (no engine imports: the UI thread uses these). */
export interface IoGraphResult {
  /** Seconds per bucket. */
  interval: number;
  /** The display filter applied ('' for none). */
  filter: string;
  /** Packets and bytes (original lengths) per interval, from the first packet's time. */
  packets: number[];
  bytes: number[];
  /** Packets counted (those the filter kept, in the graph's intervals). */
  counted: number;
  /** Packets the filter kept after the last interval (MAX_IO_INTERVALS): not counted. */
  beyond: number;
  /** Seconds from the first packet to the last. */
  duration: number;
}

/** The intervals the dialog offers, in seconds. */
export const IO_INTERVALS = [0.001, 0.01, 0.1, 1, 10, 60] as const;

/**
 * The most intervals a graph has: 1 ms intervals over 17 minutes of capture. Wireshark's I/O graph
 * stops at 250,000; the packets after the last interval are not counted, there as here.
 */
export const MAX_IO_INTERVALS = 1_000_000;
