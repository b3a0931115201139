/** The I/O graph's result and intervals (no engine imports: the UI thread uses these). */
export interface IoGraphResult {
  /** Seconds per bucket. */
  interval: number;
  /** The display filter applied ('' for none). */
  filter: string;
  /** Packets and bytes (original lengths) per interval, from the first packet's time. */
  packets: number[];
  bytes: number[];
  /** Packets counted (those the filter kept). */
  counted: number;
  /** Seconds from the first packet to the last. */
  duration: number;
}

/** The intervals the dialog offers, in seconds. */
export const IO_INTERVALS = [0.001, 0.01, 0.1, 1, 10, 60] as const;
