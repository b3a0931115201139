/** Types of make-capture.mjs (the bench's generator, also used by tests for many connections). */
export declare const DEFAULT_PACKETS: number;
export declare const PACKETS_PER_CONNECTION: number;
export declare function writeBenchCapture(path: string, packets?: number): { packets: number; bytes: number };
export declare function ensureBenchCapture(
  packets?: number,
  log?: (line: string) => void,
): { path: string; packets: number; bytes: number };
