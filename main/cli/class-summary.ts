/**
 * `wirelab report` for a class: several capture files (or folders of them). Each capture gets
 * its own report folder, and class-summary.csv lists, per file, the student ID / name / major
 * read from the captured WireLab page, the scenario, the steps seen and the steps missing.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { LabAnalysis } from '../../core/analysis/lab/types';
import type { ScenarioResult } from '../../core/analysis/lab/scenarios';

export const CLASS_SUMMARY_FILE = 'class-summary.csv';
export const CLASS_SUMMARY_COLUMNS = [
  'file',
  'student_id',
  'name',
  'major',
  'scenario',
  'steps_seen',
  'missing_steps',
  'problem',
] as const;

export type ClassRow = Record<(typeof CLASS_SUMMARY_COLUMNS)[number], string>;

const CAPTURE_EXT = new Set(['.pcap', '.pcapng', '.cap']);

/** The capture files named: files as given, folders by their *.pcap / *.pcapng / *.cap (sorted, not recursive). */
export async function expandCaptureArgs(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = (await stat(p)).isDirectory();
    } catch {
      // Missing: reported when it is read, like any other file.
    }
    if (!isDir) {
      out.push(p);
      continue;
    }
    const names = (await readdir(p)).filter((n) => CAPTURE_EXT.has(extname(n).toLowerCase())).sort();
    out.push(...names.map((n) => join(p, n)));
  }
  return out;
}

/** A report folder name per file, unique within the class. */
export function reportFolderNames(files: readonly string[]): string[] {
  const used = new Map<string, number>();
  return files.map((f) => {
    const base = basename(f).replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'capture';
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}

/** The profile lab's steps that every scenario shares (the logo steps belong to the profile page). */
const SHARED_STEPS = new Set(['handshake', 'page-request', 'page-response', 'teardown']);

/** Steps seen and missing: the lab's capture steps, then the scenario's checks (`scenario:check`). */
export function stepsOf(analysis: LabAnalysis, scenario: ScenarioResult): { seen: string[]; missing: string[] } {
  const seen: string[] = [];
  const missing: string[] = [];
  for (const s of analysis.steps) {
    if (s.source !== 'capture') continue;
    if (scenario.scenario !== 'profile' && !SHARED_STEPS.has(s.id)) continue;
    (s.status === 'done' ? seen : missing).push(s.id);
  }
  for (const c of scenario.checks) (c.status === 'done' ? seen : missing).push(`${scenario.scenario}:${c.id}`);
  return { seen, missing };
}

/** One CSV cell: quoted when needed; text a spreadsheet would run as a formula is prefixed with '. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese names right; CRLF lines as RFC 4180). */
export function classSummaryCsv(rows: readonly ClassRow[]): string {
  const lines = [
    CLASS_SUMMARY_COLUMNS.join(','),
    ...rows.map((r) => CLASS_SUMMARY_COLUMNS.map((c) => csvCell(r[c])).join(',')),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
