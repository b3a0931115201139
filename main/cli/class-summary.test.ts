/** `wirelab report` for a class: several files or a folder → one report each + class-summary.csv. */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAPTURES_DIR } from '../../test/helpers/captures';
import { runReportCommand } from './report-command';
import { classSummaryCsv, csvCell, CLASS_SUMMARY_COLUMNS, type ClassRow } from './class-summary';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) > 0 }, stderr: { write: (s: string) => err.push(s) > 0 } },
    out,
    err,
  };
}

/** A minimal RFC 4180 reader for the test (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

describe('wirelab report with several captures', () => {
  it('a folder plus files: a report per capture and class-summary.csv with student, scenario and steps', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirelab-class-'));
    const { io: x, out } = io();
    const scenarios = join(CAPTURES_DIR, 'scenarios');
    const zeek = join(CAPTURES_DIR, 'public', 'zeek-http-post.pcap');
    const missing = join(dir, 'absent.pcapng');
    const code = await runReportCommand(['-r', scenarios, '-r', zeek, '-r', missing, '-o', dir, '--lang', 'en'], x);
    expect(code).toBe(2); // one file could not be read; the others are reported
    const text = readFileSync(join(dir, 'class-summary.csv'), 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header).toEqual([...CLASS_SUMMARY_COLUMNS]);
    const col = (r: string[], name: string) => r[header.indexOf(name)];
    expect(rows).toHaveLength(10 + 2);
    for (const r of rows.slice(0, 10)) {
      const base = col(r, 'file')
        .split('/')
        .pop()
        ?.replace(/(-chromium|-curl)?\.pcapng$/, '');
      if (col(r, 'file').endsWith('upload-curl.pcapng')) {
        expect([col(r, 'student_id'), col(r, 'name'), col(r, 'major')]).toEqual(['2024001', '李雷', '网络工程']);
        expect(col(r, 'scenario')).toBe('upload');
        continue;
      }
      expect(col(r, 'scenario'), col(r, 'file')).toBe(base);
      expect([col(r, 'student_id'), col(r, 'name'), col(r, 'major')]).toEqual(['2011188', '邵琦', '计算机科学与技术']);
      expect(col(r, 'missing_steps'), col(r, 'file')).toBe('');
      expect(col(r, 'steps_seen')).toContain('handshake');
    }
    const basic = rows.find((r) => col(r, 'file').endsWith('basic-auth.pcapng')) ?? [];
    expect(col(basic, 'steps_seen')).toContain('basic-auth:authorization');
    const z = rows[10];
    expect([col(z, 'file'), col(z, 'student_id'), col(z, 'name')]).toEqual([zeek, '', '']);
    expect(col(rows[11], 'problem')).toMatch(/absent\.pcapng/);
    expect(existsSync(join(dir, 'upload.pcapng', 'report.html'))).toBe(true);
    expect(readFileSync(join(dir, 'upload.pcapng', 'report.md'), 'utf8')).toContain('Name: 邵琦');
    expect(out.join('')).toContain('class-summary.csv (12 captures)');
  });

  it('an empty folder is a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirelab-class-empty-'));
    const { io: x, err } = io();
    expect(await runReportCommand(['-r', dir, '-o', dir], x)).toBe(2);
    expect(err.join('')).toMatch(/no capture files/);
  });
});

describe('classSummaryCsv', () => {
  it('quotes commas, quotes and newlines, and defuses spreadsheet formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    const row = Object.fromEntries(
      CLASS_SUMMARY_COLUMNS.map((c) => [c, c === 'name' ? '张三,\n李四' : '']),
    ) as ClassRow;
    const [, parsed] = parseCsv(classSummaryCsv([row]).slice(1));
    expect(parsed[CLASS_SUMMARY_COLUMNS.indexOf('name')]).toBe('张三,\n李四');
  });
});
