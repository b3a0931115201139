/**
 * Parity with tshark 4.0: every capture in test/fixtures/captures is dissected by the engine
 * and every column of its `*.tshark.tsv` reference is compared, value for value, formatted by
 * the same code as `wirelab -T fields` (core/dissect/extract.ts). The lab captures must agree
 * 100% on every field, and on the summary lines of `*.tshark.txt`; over all captures each
 * field must agree on ≥ 99% of the rows, where Protocol and Info count only the packets whose
 * every layer (frame.protocols) is one WireLab dissects.
 *
 * The full table and every mismatch go to .test-results/parity.txt.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  dissectFile,
  listCaptures,
  readLines,
  readTsv,
  type CaptureFixture,
  type DissectedFile,
} from './helpers/captures';

/**
 * Protocols (as named in tshark's frame.protocols) that WireLab dissects. Protocol/Info of a
 * packet count only when every protocol of its frame.protocols is in this set.
 */
const DISSECTED_PROTOCOLS = new Set([
  'eth',
  'ethertype',
  'sll',
  'null',
  'raw',
  'ip',
  'ipv6',
  'ipv6.hopopts',
  'ipv6.dstopts',
  'ipv6.routing',
  'ipv6.fraghdr',
  'vlan',
  'gre',
  'arp',
  'icmp',
  'icmpv6',
  'igmp',
  'udp',
  'dns',
  'mdns',
  'tcp',
  'http',
  'tls',
  'ssh',
  'dhcp',
  'db-lsp-disc',
  'data',
  'data-text-lines',
  'image-jfif',
  'png',
  'json',
  'urlencoded-form',
  'media',
]);

const COLUMN_FIELDS = new Set(['_ws.col.Protocol', '_ws.col.Info']);

interface Mismatch {
  file: string;
  frame: string;
  field: string;
  ours: string;
  tshark: string;
}

interface FieldTally {
  matches: number;
  total: number;
  labMatches: number;
  labTotal: number;
}

interface FileResult {
  fixture: CaptureFixture;
  header: string[];
  ours: DissectedFile | null;
  loadError: string | null;
  /** tshark's rows, one per frame (pcapng Custom Blocks are frames too). */
  tsharkRows: string[][];
  tsharkProtocols: string[];
}

const fixtures = listCaptures();
const results: FileResult[] = [];
const tallies = new Map<string, FieldTally>();
const mismatches: Mismatch[] = [];
/** Highest-layer protocols excluded from Protocol/Info, with how many packets each. */
const excluded = new Map<string, number>();
const summaryMismatches: Array<{ file: string; line: number; ours: string; tshark: string }> = [];

function tally(field: string): FieldTally {
  let t = tallies.get(field);
  if (!t) {
    t = { matches: 0, total: 0, labMatches: 0, labTotal: 0 };
    tallies.set(field, t);
  }
  return t;
}

for (const fixture of fixtures) {
  const table = readTsv(fixture.tsvPath);
  const frames = readTsv(fixture.frameTsvPath);
  const protoCol = frames.header.indexOf('frame.protocols');
  // Every tshark row, pcapng Custom Blocks included: tshark 4.0 numbers them as frames, so does WireLab.
  const tsharkRows = table.rows;
  const tsharkProtocols = frames.rows.map((r) => r[protoCol]);
  let ours: DissectedFile | null = null;
  let loadError: string | null = null;
  try {
    ours = dissectFile(fixture.path, table.header);
  } catch (e) {
    loadError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  results.push({
    fixture,
    header: table.header,
    ours,
    loadError,
    tsharkRows,
    tsharkProtocols,
  });
}

for (const r of results) {
  const isLab = r.fixture.group === 'lab';
  const frameCol = r.header.indexOf('frame.number');
  r.tsharkRows.forEach((row, i) => {
    const ourRow = r.ours?.rows[i];
    const stack = r.tsharkProtocols[i] ?? '';
    const layers = stack.split(':');
    const dissected = layers.every((p) => DISSECTED_PROTOCOLS.has(p));
    if (!dissected) {
      const highest = layers.filter((p) => !DISSECTED_PROTOCOLS.has(p)).join(':');
      excluded.set(highest, (excluded.get(highest) ?? 0) + 1);
    }
    r.header.forEach((field, col) => {
      if (COLUMN_FIELDS.has(field) && !dissected) return;
      const expected = row[col];
      const actual = ourRow ? ourRow[col] : '<no packet>';
      const t = tally(field);
      const ok = actual === expected;
      t.total++;
      if (ok) t.matches++;
      if (isLab) {
        t.labTotal++;
        if (ok) t.labMatches++;
      }
      if (!ok) mismatches.push({ file: r.fixture.id, frame: row[frameCol], field, ours: actual, tshark: expected });
    });
  });
  if (isLab && r.ours) {
    const expected = readLines(r.fixture.txtPath);
    expected.forEach((line, i) => {
      const actual = r.ours?.summary[i] ?? '<no packet>';
      if (actual !== line) summaryMismatches.push({ file: r.fixture.id, line: i + 1, ours: actual, tshark: line });
    });
    r.ours.summary.slice(expected.length).forEach((line, i) => {
      summaryMismatches.push({ file: r.fixture.id, line: expected.length + i + 1, ours: line, tshark: '<no line>' });
    });
  }
}

const pct = (m: number, t: number): string => (t === 0 ? '   -   ' : `${((100 * m) / t).toFixed(2).padStart(6)}%`);

function report(): string {
  const lines: string[] = [];
  const fields = results[0]?.header ?? [];
  lines.push('WireLab vs tshark 4.0.17 — per-field agreement (-T fields values)');
  lines.push('');
  lines.push(`${'field'.padEnd(22)} ${'all: match/total'.padStart(17)}        ${'lab: match/total'.padStart(17)}`);
  for (const field of fields) {
    const t = tally(field);
    lines.push(
      `${field.padEnd(22)} ${`${t.matches}/${t.total}`.padStart(17)} ${pct(t.matches, t.total)} ${`${t.labMatches}/${t.labTotal}`.padStart(17)} ${pct(t.labMatches, t.labTotal)}`,
    );
  }
  lines.push('');
  lines.push('Protocol/Info count only packets whose every frame.protocols layer WireLab dissects:');
  lines.push(`  dissected: ${[...DISSECTED_PROTOCOLS].join(', ')}`);
  lines.push('  excluded (not dissected protocols in the stack → packets):');
  for (const [proto, n] of [...excluded].sort((a, b) => b[1] - a[1])) lines.push(`    ${proto}: ${n}`);
  lines.push('');
  lines.push('Per file (rows tshark / frames WireLab; load errors):');
  for (const r of results) {
    const n = r.ours ? r.ours.packets.length : 0;
    const extra = [
      r.loadError ? `LOAD ERROR ${r.loadError}` : '',
      r.ours?.error ? `reader: ${r.ours.error.message}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    lines.push(`  ${r.fixture.id}: ${r.tsharkRows.length} / ${n}${extra ? `  (${extra})` : ''}`);
  }
  lines.push('');
  lines.push(`Summary lines (lab captures vs *.tshark.txt): ${summaryMismatches.length} differ`);
  for (const s of summaryMismatches) {
    lines.push(`  ${s.file} line ${s.line}`);
    lines.push(`    ours:   ${s.ours}`);
    lines.push(`    tshark: ${s.tshark}`);
  }
  lines.push('');
  lines.push(`Mismatches (${mismatches.length}): file, frame, field, ours vs tshark`);
  for (const m of mismatches) {
    lines.push(
      `  ${m.file}\t#${m.frame}\t${m.field}\tours=${JSON.stringify(m.ours)}\ttshark=${JSON.stringify(m.tshark)}`,
    );
  }
  return lines.join('\n') + '\n';
}

afterAll(() => {
  const text = report();
  const dir = resolve(__dirname, '../.test-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'parity.txt'), text);
  const head = text.split('\n\n')[0];
  console.log(
    `${head}\n(${mismatches.length} mismatches, ${summaryMismatches.length} summary lines differ; details in .test-results/parity.txt)`,
  );
});

describe('parity with tshark 4.0', () => {
  it('finds the capture fixtures', () => {
    expect(fixtures.filter((f) => f.group === 'lab').length).toBeGreaterThanOrEqual(8);
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
  });

  it.each(results.map((r) => [r.fixture.id, r] as const))('%s: reads as many packets as tshark shows', (_id, r) => {
    expect(r.loadError).toBeNull();
    expect(r.ours?.packets.length).toBe(r.tsharkRows.length);
  });

  it.each(results.filter((r) => r.fixture.errPath !== null).map((r) => [r.fixture.id, r] as const))(
    '%s: damaged file reports where it broke',
    (_id, r) => {
      expect(r.ours?.error).not.toBeNull();
      expect(r.ours?.error?.packetsRead).toBe(r.tsharkRows.length);
    },
  );

  const fields = results[0]?.header ?? [];
  it.each(fields)('lab captures agree 100%% on %s', (field) => {
    const t = tally(field);
    const bad = mismatches.filter((m) => m.field === field && m.file.startsWith('lab/')).slice(0, 5);
    expect({ field, matches: t.labMatches, total: t.labTotal, firstMismatches: bad }).toEqual({
      field,
      matches: t.labTotal,
      total: t.labTotal,
      firstMismatches: [],
    });
  });

  it.each(fields)('all captures agree ≥ 99%% on %s', (field) => {
    const t = tally(field);
    expect(t.total).toBeGreaterThan(0);
    expect(t.matches / t.total).toBeGreaterThanOrEqual(0.99);
  });

  it('numbers pcapng Custom Blocks as frames, as tshark 4.0 does (test202: 8 packets + 3 blocks)', () => {
    const r = results.find((x) => x.fixture.id.endsWith('pcapng-test-generator-le-difficult-test202.pcapng'));
    expect(r?.ours).toBeTruthy();
    const ours = r?.ours?.summary ?? [];
    const expected = readLines(r?.fixture.txtPath ?? '');
    expect(ours.length).toBe(11);
    expect(ours.length).toBe(expected.length);
    // `wirelab -r` prints exactly tshark's lines: Custom Blocks ("PCAPNG") and the packets after them.
    expect(ours.filter((l) => l.includes(' PCAPNG ')).length).toBe(3);
    expect(ours).toEqual(expected);
  });

  it('lab summary lines equal tshark -r output', () => {
    expect(summaryMismatches.slice(0, 10)).toEqual([]);
  });
});
