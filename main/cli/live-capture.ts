/**
 * Live capture from the command line, like tshark: `-D` lists interfaces, `-i IFACE [-f BPF] [-c N] [-w OUT]`
 * captures and prints summary lines as packets arrive. `wirelab lab` (lab-command.ts) prints the same way.
 */
import { writeFileSync } from 'node:fs';
import { DissectionEngine } from '../../core/dissect/engine';
import { ColumnFormatter, formatSummaryLine } from '../../core/dissect/extract';
import type { CaptureInterface, PacketRecord } from '../../core/pcap/types';
import { writePcapng } from '../../core/pcap';
import { CaptureError, listInterfaces, startCapture, type CaptureBackendChoice } from '../capture';
import { EXIT_FILE, EXIT_OK, type CliIo } from './read';

/** Prints packets as tshark's summary lines, in arrival order. */
export class LivePrinter {
  private readonly engine: DissectionEngine;
  private readonly formatter: ColumnFormatter;
  count = 0;

  constructor(
    private readonly io: CliIo,
    interfaces: () => readonly CaptureInterface[],
  ) {
    this.engine = new DissectionEngine({ tree: false });
    this.formatter = new ColumnFormatter(interfaces);
  }

  print(records: readonly PacketRecord[]): void {
    let text = '';
    for (const record of records) {
      const packet = this.engine.dissect(record);
      this.count++;
      text += formatSummaryLine(this.formatter.columns(packet)) + '\n';
    }
    if (text) this.io.stdout.write(text);
  }
}

export function liveInterfaces(records: readonly PacketRecord[], device: string, known: CaptureInterface[]): void {
  for (const r of records) {
    known[r.interfaceId] ??= { linkType: r.linkType, snapLen: 262144, tsUnitsPerSecond: 1e9, section: 0, name: device };
  }
}

/** Resolves on Ctrl-C or SIGTERM (or when `also` settles); removes its handlers afterwards. */
export function untilInterrupted(also?: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    also?.then(done, done);
  });
}

function captureErrorText(error: unknown): string {
  if (error instanceof CaptureError) return `${error.message}\n${error.remedy}`;
  return error instanceof Error ? error.message : String(error);
}

/** `wirelab -D`: interfaces numbered as tshark -D numbers them. */
export async function runListInterfaces(io: CliIo): Promise<number> {
  try {
    const list = await listInterfaces();
    list.forEach((i, n) => {
      const note = i.description ?? (i.loopback ? 'Loopback' : '');
      io.stdout.write(`${n + 1}. ${i.name}${note ? ` (${note})` : ''}\n`);
    });
    return EXIT_OK;
  } catch (error) {
    io.stderr.write(`wirelab: cannot list interfaces: ${captureErrorText(error)}\n`);
    return EXIT_FILE;
  }
}

export interface LiveCaptureOptions {
  device: string;
  filter: string;
  count: number | null;
  write: string | null;
  quiet: boolean;
  backend?: CaptureBackendChoice;
}

/** `wirelab -i IFACE [-f BPF] [-c N] [-w OUT]`. */
export async function runLiveCapture(opts: LiveCaptureOptions, io: CliIo): Promise<number> {
  let session;
  try {
    session = await startCapture({ device: opts.device, filter: opts.filter, backend: opts.backend ?? 'auto' });
  } catch (error) {
    io.stderr.write(`wirelab: ${captureErrorText(error)}\n`);
    return EXIT_FILE;
  }
  io.stderr.write(`Capturing on '${session.device}' with ${session.backend}\n`);
  const interfaces: CaptureInterface[] = [];
  const printer = new LivePrinter(io, () => interfaces);
  let reachedCount: () => void = () => undefined;
  const countReached = new Promise<void>((resolve) => (reachedCount = resolve));
  let seen = 0;
  // With -c, only the first N packets are printed and saved (the temp file may hold a few more).
  const counted: PacketRecord[] = [];
  session.on('packets', (records) => {
    let batch = records;
    if (opts.count !== null) {
      batch = records.slice(0, Math.max(0, opts.count - seen));
      seen += batch.length;
      for (const r of batch) counted.push(r); // not push(...batch): a read can hold 100,000+ records
      if (seen >= opts.count) reachedCount();
    }
    liveInterfaces(batch, session.device, interfaces);
    if (!opts.quiet) printer.print(batch);
    else printer.count += batch.length;
  });
  let failed = false;
  session.on('error', (error) => {
    failed = true;
    io.stderr.write(`wirelab: ${captureErrorText(error)}\n`);
    reachedCount();
  });
  await untilInterrupted(countReached);
  const result = await session.stop();
  io.stderr.write(`${printer.count} packet${printer.count === 1 ? '' : 's'} captured\n`);
  if (opts.write && opts.count !== null) {
    writeFileSync(opts.write, writePcapng({ interfaces, comments: ['Captured by WireLab'] }, counted));
    io.stderr.write(`Saved ${counted.length} packets to ${opts.write}\n`);
  } else if (opts.write) {
    const saved = await session.saveAs(opts.write);
    io.stderr.write(`Saved ${saved.packets} packets to ${saved.path}\n`);
  } else {
    io.stderr.write(`The capture is kept in ${result.tempFile}\n`);
  }
  return failed ? EXIT_FILE : EXIT_OK;
}
