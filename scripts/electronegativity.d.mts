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
