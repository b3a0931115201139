// Types for scripts/electronegativity.mjs (imported by test/electron/electronegativity.test.ts).
export interface Finding {
  issue: string;
  severity: string;
  confidence: string;
  file: string;
  location: string;
  sample: string;
  description: string;
  url: string;
}

export interface AllowEntry {
  issue: string;
  file?: string;
  /** The exact flagged source line, or several. */
  sample?: string | string[];
  reason: string;
}

export function parseCsv(text: string): string[][];
export function parseFindings(csvText: string): Finding[];
export function wellFormed(csvText: string): boolean;
export function aboveLow(severity: string): boolean;
export function parseAllowList(json: unknown): AllowEntry[];
export function evaluateFindings(
  findings: Finding[],
  allowList: AllowEntry[],
): { failures: Finding[]; allowed: { finding: Finding; reason: string }[]; low: Finding[]; unused: AllowEntry[] };
/** The installed scanner's command-line script, or null when the package is not installed. */
export function scannerBin(): string | null;
/** Runs the real scanner from the repository root and returns its CSV report (throws when none is usable). */
export function runScanner(
  bin: string,
  input: string,
  options?: { electronVersion?: string; log?: (line: string) => void },
): string;
