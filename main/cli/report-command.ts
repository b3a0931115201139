/**
 * `wirelab report -r FILE [-o DIR] [--lang zh-CN|en] [--port N]`: writes report.md,
 * report.html and flow-graph.svg for a lab capture, and says what it wrote.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { DissectionEngine } from '../../core/dissect/engine';
import type { DissectedPacket } from '../../core/dissect/context';
import { readCaptureFile } from '../../core/pcap/reader';
import { CaptureFileError, type CaptureFileInfo } from '../../core/pcap/types';
import { analyzeLab } from '../../core/analysis/lab/analyze';
import type { LabLang } from '../../core/analysis/lab/explain';
import type { LabAnalysis } from '../../core/analysis/lab/types';
import { buildLabReport, type ReportProfile } from '../../core/report/build-report';
import { describeOpenError } from '../files/file-chunks';
import { analyzeScenario, SCENARIO_TITLES } from '../../core/analysis/lab/scenarios';
import {
  classSummaryCsv,
  CLASS_SUMMARY_FILE,
  expandCaptureArgs,
  reportFolderNames,
  stepsOf,
  type ClassRow,
} from './class-summary';
import { DEFAULT_PORT } from '../../embedded-server/defaults';

export const REPORT_USAGE = `Usage: wirelab report -r FILE [-r FILE2 …] [-o DIR] [--lang zh-CN|en] [--port N]
  -r FILE          the lab capture (pcap or pcapng); several -r, or a folder, for a class:
                   then each capture's report goes to DIR/<file>/ and DIR/class-summary.csv
                   lists file, student ID, name, major, scenario, steps seen and missing
  -o DIR           where to write report.md, report.html, flow-graph.svg (default: .)
  --lang LANG      zh-CN or en (default: zh-CN)
  --port N         the lab server's TCP port (default: ${DEFAULT_PORT}, or guessed)
  --name, --student-id, --major   the profile printed at the top of the report
`;

export interface ReportIo {
  stdout: Pick<Writable, 'write'>;
  stderr: Pick<Writable, 'write'>;
}

export interface ReportArgs {
  file: string;
  /** Every -r given (files or folders); more than one, or a folder, makes a class report. */
  files: string[];
  outDir: string;
  lang: LabLang;
  port?: number;
  profile?: ReportProfile;
}

export class UsageError extends Error {}

export function parseReportArgs(argv: readonly string[]): ReportArgs {
  let file: string | undefined;
  const files: string[] = [];
  let outDir = '.';
  let lang: LabLang = 'zh-CN';
  let port: number | undefined;
  const profile: ReportProfile = { major: '', studentId: '', name: '' };
  let hasProfile = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`option ${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-r':
      case '--read':
        file = value();
        files.push(file);
        break;
      case '-o':
      case '--out':
        outDir = value();
        break;
      case '--lang': {
        const v = value();
        if (v === 'zh-CN' || v === 'zh' || v === 'zh_CN') lang = 'zh-CN';
        else if (v === 'en' || v.startsWith('en-') || v.startsWith('en_')) lang = 'en';
        else throw new UsageError(`unknown language "${v}" (use zh-CN or en)`);
        break;
      }
      case '--port': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 65535) throw new UsageError(`invalid port "${v}"`);
        port = Number(v);
        break;
      }
      case '--name':
        profile.name = value();
        hasProfile = true;
        break;
      case '--student-id':
        profile.studentId = value();
        hasProfile = true;
        break;
      case '--major':
        profile.major = value();
        hasProfile = true;
        break;
      default:
        throw new UsageError(`unknown option "${a}"`);
    }
  }
  if (file === undefined) throw new UsageError('no capture file given (-r FILE)');
  const args: ReportArgs = { file, files, outDir, lang };
  if (port !== undefined) args.port = port;
  if (hasProfile) args.profile = profile;
  return args;
}

export interface LoadedCapture {
  info: CaptureFileInfo;
  packets: DissectedPacket[];
  /** Where a damaged file broke (packets before it were read). */
  damage: CaptureFileError | null;
}

/** Reads and dissects a whole capture file (tree on). Throws Error with a user-facing message. */
export async function loadCapture(path: string): Promise<LoadedCapture> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    throw new Error(describeOpenError(path, err as NodeJS.ErrnoException), { cause: err });
  }
  let contents;
  try {
    contents = readCaptureFile(bytes);
  } catch (err) {
    const msg = err instanceof CaptureFileError ? err.message : String(err);
    throw new Error(`The file "${path}" isn't a capture file WireLab can read: ${msg}`, { cause: err });
  }
  const engine = new DissectionEngine({
    tree: true,
    interfaces: contents.info.interfaces,
    format: contents.info.format,
  });
  const packets = contents.packets.map((r) => engine.dissect(r));
  return { info: contents.info, packets, damage: contents.error };
}

export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_FILE = 2;

/** Runs `wirelab report …`; returns the exit status. */
export async function runReportCommand(argv: readonly string[], io: ReportIo = process): Promise<number> {
  const err = (line: string) => io.stderr.write(`wirelab report: ${line}\n`);
  let args: ReportArgs;
  try {
    args = parseReportArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err(e.message);
      io.stderr.write(REPORT_USAGE);
      return EXIT_USAGE;
    }
    throw e;
  }
  const captures = await expandCaptureArgs(args.files);
  if (captures.length !== 1 || captures[0] !== args.file) return runClassReport(args, captures, io);
  let loaded: LoadedCapture;
  try {
    loaded = await loadCapture(args.file);
  } catch (e) {
    err((e as Error).message);
    return EXIT_FILE;
  }
  if (loaded.damage) {
    err(
      `warning: the file "${args.file}" is damaged after packet ${loaded.damage.packetsRead} (${loaded.damage.message}); using the ${loaded.packets.length} packets before it.`,
    );
  }
  const analysis: LabAnalysis = analyzeLab(loaded.packets, args.port === undefined ? {} : { serverPort: args.port });
  if (analysis.connections.length === 0) {
    const port = args.port ?? analysis.serverPort;
    err(
      loaded.packets.length === 0
        ? `the file "${args.file}" contains no packets.`
        : `no lab traffic in "${args.file}": none of its ${loaded.packets.length} packets is a TCP connection to port ${port ?? DEFAULT_PORT}. ` +
            'Start the capture before opening the page, capture the loopback interface, or give the server port with --port N.',
    );
    return EXIT_FILE;
  }
  const report = buildLabReport({ analysis, packets: loaded.packets, lang: args.lang, profile: args.profile });
  const dir = resolve(args.outDir);
  const files: [string, string][] = [
    ['report.md', report.markdown],
    ['report.html', report.html],
    ['flow-graph.svg', report.flowGraphSvg],
  ];
  try {
    await mkdir(dir, { recursive: true });
    for (const [name, text] of files) await writeFile(join(dir, name), text, 'utf8');
  } catch (e) {
    err(`could not write the report to "${dir}": ${(e as Error).message}`);
    return EXIT_FILE;
  }
  for (const [name, text] of files) io.stdout.write(`${join(dir, name)} (${Buffer.byteLength(text, 'utf8')} bytes)\n`);
  const steps = analysis.steps.filter((s) => s.source === 'capture');
  const done = steps.filter((s) => s.status === 'done').length;
  io.stdout.write(
    `${analysis.connections.length} connection(s) to port ${analysis.serverPort}, ${analysis.transactions.length} HTTP request(s); ${done}/${steps.length} lab steps seen in the capture.\n`,
  );
  return EXIT_OK;
}

/** Several captures: one report folder each, and class-summary.csv. */
async function runClassReport(args: ReportArgs, captures: readonly string[], io: ReportIo): Promise<number> {
  const err = (line: string) => io.stderr.write(`wirelab report: ${line}\n`);
  if (captures.length === 0) {
    err(`no capture files (*.pcap, *.pcapng, *.cap) in ${args.files.join(', ')}`);
    return EXIT_FILE;
  }
  const dir = resolve(args.outDir);
  const folders = reportFolderNames(captures);
  const rows: ClassRow[] = [];
  for (const [i, file] of captures.entries()) {
    const row: ClassRow = {
      file,
      student_id: '',
      name: '',
      major: '',
      scenario: '',
      steps_seen: '',
      missing_steps: '',
      problem: '',
    };
    rows.push(row);
    let loaded: LoadedCapture;
    try {
      loaded = await loadCapture(file);
    } catch (e) {
      row.problem = (e as Error).message;
      err(row.problem);
      continue;
    }
    if (loaded.damage) row.problem = `damaged after packet ${loaded.damage.packetsRead}: ${loaded.damage.message}`;
    const analysis = analyzeLab(loaded.packets, args.port === undefined ? {} : { serverPort: args.port });
    const scenario = analyzeScenario(loaded.packets, analysis);
    const student = scenario.profile;
    Object.assign(row, {
      student_id: student?.studentId ?? '',
      name: student?.name ?? '',
      major: student?.major ?? '',
      scenario: scenario.scenario,
    });
    const steps = stepsOf(analysis, scenario);
    row.steps_seen = steps.seen.join('; ');
    row.missing_steps = steps.missing.join('; ');
    if (analysis.connections.length === 0) {
      row.problem = row.problem || 'no lab traffic';
      continue;
    }
    const report = buildLabReport({
      analysis,
      packets: loaded.packets,
      lang: args.lang,
      profile: args.profile ?? student,
    });
    const out = join(dir, folders[i]);
    try {
      await mkdir(out, { recursive: true });
      await writeFile(join(out, 'report.md'), report.markdown, 'utf8');
      await writeFile(join(out, 'report.html'), report.html, 'utf8');
      await writeFile(join(out, 'flow-graph.svg'), report.flowGraphSvg, 'utf8');
    } catch (e) {
      err(`could not write the report to "${out}": ${(e as Error).message}`);
      return EXIT_FILE;
    }
    io.stdout.write(
      `${join(out, 'report.html')}: ${student?.studentId || '?'} ${student?.name || '?'} — ${SCENARIO_TITLES[scenario.scenario][args.lang]}; ${steps.seen.length} seen, ${steps.missing.length} missing\n`,
    );
  }
  const csv = join(dir, CLASS_SUMMARY_FILE);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(csv, classSummaryCsv(rows), 'utf8');
  } catch (e) {
    err(`could not write "${csv}": ${(e as Error).message}`);
    return EXIT_FILE;
  }
  io.stdout.write(`${csv} (${rows.length} capture${rows.length === 1 ? '' : 's'})\n`);
  return rows.some((r) => r.problem && !r.scenario) ? EXIT_FILE : EXIT_OK;
}
