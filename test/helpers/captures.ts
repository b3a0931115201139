/**
 * The capture fixtures (test/fixtures/captures/{lab,public}) and their tshark 4.0 references,
 * and a runner that dissects a file with the same code the CLI uses (core/dissect/extract.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DissectionEngine } from '../../core/dissect/engine';
import type { DissectedPacket } from '../../core/dissect/context';
import { ColumnFormatter, FieldExtractor, formatSummaryLine } from '../../core/dissect/extract';
import { readCaptureFile } from '../../core/pcap/reader';
import type { CaptureFileError, CaptureFileInfo, PacketRecord } from '../../core/pcap/types';

export const CAPTURES_DIR = resolve(__dirname, '../fixtures/captures');

/** The records of a capture fixture, by its path below test/fixtures/captures ("scenarios/upload.pcapng"). */
export function fixtureRecords(relative: string): PacketRecord[] {
  return readCaptureFile(new Uint8Array(readFileSync(join(CAPTURES_DIR, relative)))).packets;
}

/** Records dissected in order by one engine, with their trees (as a capture is read). */
export function dissectInOrder(records: readonly PacketRecord[]): DissectedPacket[] {
  const engine = new DissectionEngine({ tree: true });
  return records.map((record) => engine.dissect(record));
}

export type CaptureGroup = 'lab' | 'public';

export interface CaptureFixture {
  group: CaptureGroup;
  /** File name, e.g. lab-linux-ipv4.pcap. */
  name: string;
  /** `group/name`. */
  id: string;
  path: string;
  tsvPath: string;
  txtPath: string;
  frameTsvPath: string;
  /** Present only for files tshark called damaged. */
  errPath: string | null;
}

const CAPTURE_RE = /\.(pcap|pcapng)$/;

export function listCaptures(): CaptureFixture[] {
  const out: CaptureFixture[] = [];
  for (const group of ['lab', 'public'] as const) {
    const dir = join(CAPTURES_DIR, group);
    for (const name of readdirSync(dir).sort()) {
      if (!CAPTURE_RE.test(name)) continue;
      const path = join(dir, name);
      const errPath = `${path}.tshark.err`;
      out.push({
        group,
        name,
        id: `${group}/${name}`,
        path,
        tsvPath: `${path}.tshark.tsv`,
        txtPath: `${path}.tshark.txt`,
        frameTsvPath: `${path}.tshark.frame.tsv`,
        errPath: existsSync(errPath) ? errPath : null,
      });
    }
  }
  return out;
}

export interface Table {
  header: string[];
  rows: string[][];
}

/** A tab-separated file with a header line, as `tshark -T fields -E header=y` writes it. */
export function readTsv(path: string): Table {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const [head, ...rest] = lines;
  const header = head.split('\t');
  const rows = rest.map((line) => {
    const cells = line.split('\t');
    while (cells.length < header.length) cells.push('');
    return cells;
  });
  return { header, rows };
}

/** Lines of a text file without the final empty line. */
export function readLines(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export interface DissectedFile {
  info: CaptureFileInfo;
  packets: DissectedPacket[];
  /** `-T fields` values for the requested fields, one row per packet. */
  rows: string[][];
  /** tshark's one-line summaries. */
  summary: string[];
  /** frame.protocols of each packet. */
  protocols: string[];
  error: CaptureFileError | null;
}

/** Reads and dissects a whole capture (tree on), extracting `fields` as `-T fields -e …` would. */
export function dissectFile(path: string, fields: readonly string[]): DissectedFile {
  const { info, packets: records, error } = readCaptureFile(new Uint8Array(readFileSync(path)));
  const engine = new DissectionEngine({ tree: true, interfaces: info.interfaces });
  // The rows come from a tree pruned to the asked fields, as `wirelab -T fields` builds it.
  const fieldsEngine = new DissectionEngine({ tree: true, keptFields: fields, interfaces: info.interfaces });
  const columns = new ColumnFormatter(() => info.interfaces);
  const extractor = new FieldExtractor(fields, columns);
  const packets: DissectedPacket[] = [];
  const rows: string[][] = [];
  const summary: string[] = [];
  const protocols: string[] = [];
  for (const record of records) {
    columns.observe(record);
    const packet = engine.dissect(record);
    packets.push(packet);
    rows.push(extractor.values(fieldsEngine.dissect(record)));
    summary.push(formatSummaryLine(columns.columns(packet)));
    protocols.push(packet.protocols.filter((p) => !p.startsWith('_ws.')).join(':'));
  }
  return { info, packets, rows, summary, protocols, error };
}
