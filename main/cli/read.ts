/**
 * `wirelab -r FILE …`: read a capture file in chunks through the streaming reader, dissect
 * each packet, apply the display filter, and print it the way tshark does (summary line,
 * -V tree, -x bytes, -T fields, -T json), optionally writing the packets to a pcapng file.
 */
import type { Writable } from 'node:stream';
import { DissectionEngine, readsOnlyBelowTcpPayload } from '../../core/dissect/engine';
import type { DissectedPacket } from '../../core/dissect/context';
import { ColumnFormatter, FieldExtractor, unknownFields } from '../../core/dissect/extract';
import { formatPacketBytes, formatTreeText, hexDumpBound, sourceHeading, writeHexDump } from '../../core/dissect/print';
import { compileDisplayFilter, type PacketPredicate } from '../../core/filter';
import { CaptureReader } from '../../core/pcap/reader';
import type { CaptureFileError, CaptureFileInfo } from '../../core/pcap/types';
import type { ReadOptions } from './args';
import { CaptureOutput } from './capture-out';
import { formatFieldsHeader, formatFieldsRow } from './fields';
import { JsonArrayWriter } from './json';
import { BufferedOutput } from './output';
import { SummaryLineWriter } from './summary-line';
import { SummaryThread, summaryThreadWorker } from './summary-thread';
import { OpenError, fileChunks, streamChunks } from '../files/file-chunks';
import { labAnalysisText, labLanguage } from './lab-analysis-command';
import { StatsRun, parseStatSpec, statsTreeNeeds, type StatSpec } from '../../core/stats';
import { HttpObjectList } from '../../core/stats/http-objects';
import { writeExportedObjects } from './export-objects';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: NodeJS.ReadableStream;
}

/** Exit statuses, as tshark 4.0 uses them. */
export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
/** Unreadable or damaged file, invalid display filter. */
export const EXIT_FILE = 2;

/** Filter error as tshark prints it: message, the filter, and a caret under the bad part. */
export function formatFilterError(text: string, message: string, start: number, end: number): string {
  const lines = [`wirelab: ${message}`];
  if (start < text.length) {
    lines.push(`    ${text}`);
    lines.push(`    ${' '.repeat(start)}^${'~'.repeat(Math.max(0, end - start - 1))}`);
  }
  return lines.join('\n');
}

/** One line describing where a damaged file broke, with the file named as tshark names it. */
export function describeDamage(name: string, error: CaptureFileError, info: CaptureFileInfo | null): string {
  if (info === null && error.packetsRead === 0 && !/cut short|damaged/.test(error.message)) {
    return `The file "${name}" isn't a capture file in a format WireLab understands.`;
  }
  if (error.message.startsWith('The file ')) return error.message.replace(/^The file /, `The file "${name}" `);
  return `The file "${name}" appears to be damaged or corrupt: ${error.message}`;
}

/** Bytes handed to the capture reader at a time. */
const READER_PIECE = 64 * 1024;

export async function runRead(opts: ReadOptions, io: CliIo): Promise<number> {
  const err = (line: string) => io.stderr.write(line + '\n');

  if (opts.format === 'fields') {
    const bad = unknownFields(opts.fields);
    if (bad.length > 0) {
      err(`wirelab: Some fields aren't valid:\n${bad.map((f) => `\t${f}`).join('\n')}`);
      return EXIT_USAGE;
    }
  }

  let filter: PacketPredicate | null = null;
  let filterFields: string[] = [];
  if (opts.displayFilter !== null && opts.displayFilter.trim() !== '') {
    const compiled = compileDisplayFilter(opts.displayFilter);
    if (!compiled.ok) {
      const e = compiled.error;
      err(formatFilterError(opts.displayFilter, e.message, e.start, e.end));
      return EXIT_FILE;
    }
    filter = compiled.filter;
    filterFields = compiled.fields;
  }

  // -z statistics (conv, endpoints, io,phs, expert, follow): their own filters compiled here.
  const statSpecs = opts.stats.map((z) => parseStatSpec(z)).filter((s): s is StatSpec => s !== null);
  const statFilterFields: string[] = [];
  for (const spec of statSpecs) {
    if (!('filter' in spec) || spec.filter === null || spec.filter === '') continue;
    const compiled = compileDisplayFilter(spec.filter);
    if (!compiled.ok) {
      const e = compiled.error;
      err(formatFilterError(spec.filter, e.message, e.start, e.end));
      return EXIT_FILE;
    }
    statFilterFields.push(...compiled.fields);
  }
  const statsTree = statsTreeNeeds(statSpecs);
  // --export-objects http,DIR: HTTP bodies need the whole HTTP tree.
  const httpObjects = opts.exportObjects !== null ? new HttpObjectList() : null;
  // tshark builds a detail tree for -V, -Y and -T fields/json; its expert summary then counts
  // items it raises only while building one.
  const tsharkBuildsTree =
    opts.verbose || filter !== null || (!opts.quiet && (opts.format === 'json' || opts.format === 'fields'));
  const stats =
    statSpecs.length > 0
      ? new StatsRun(
          statSpecs,
          (text) => {
            const compiled = compileDisplayFilter(text);
            return compiled.ok ? compiled.filter : null;
          },
          { withTreeOnlyExpertItems: tsharkBuildsTree },
        )
      : null;

  const out = new BufferedOutput(io.stdout, opts.lineBuffered);
  let capture: CaptureOutput | null = null;
  if (opts.write !== null) {
    try {
      capture = new CaptureOutput(opts.write, io.stdout);
    } catch (e) {
      err(
        `wirelab: The file to which the capture would be saved ("${opts.write}") could not be opened: ${(e as Error).message}`,
      );
      return EXIT_FILE;
    }
  }
  const writingToStdout = opts.write === '-';
  const printPackets = !opts.quiet && !writingToStdout && (capture === null || opts.printWithWrite);

  const columns = new ColumnFormatter(() => reader.info?.interfaces, opts.timeFormat);
  const summary = new SummaryLineWriter(out, columns);
  const extractor =
    opts.format === 'fields'
      ? new FieldExtractor(opts.fields, columns, {
          occurrence: opts.fieldsOptions.occurrence,
          aggregator: opts.fieldsOptions.aggregator,
        })
      : null;
  const json = opts.format === 'json' ? new JsonArrayWriter(opts.noDuplicateKeys) : null;
  const needTree =
    filter !== null ||
    statsTree.tree !== 'none' ||
    httpObjects !== null ||
    (printPackets && (opts.verbose || opts.format === 'json' || (extractor !== null && extractor.needsTree)));

  // -z lab: the lab analysis over every packet read, printed after them (as tshark prints -z statistics).
  const labStats = opts.stats.includes('lab');
  // Only a filter and -e read the tree: build just their fields, as tshark does.
  const wholeTree = labStats || httpObjects !== null || (printPackets && (opts.verbose || json !== null));
  // The tree is read by taps and filters alone (values and the expert list), unless packets are
  // printed with their trees or fields, or -z lab reads it: then no label is formatted.
  const forTaps = !labStats && !(printPackets && (opts.verbose || json !== null || extractor !== null));
  const keptFields = wholeTree
    ? undefined
    : [...filterFields, ...(extractor ? opts.fields : []), ...statsTree.fields, ...statFilterFields];
  // Nothing printed per packet but what those fields hold (-q with -z conv, endpoints, io,stat,
  // follow; -T fields of header fields): TCP's payload is not dissected, as the window's
  // Conversations pass does (tshark dissects it all).
  const stopAtTcpPayload =
    keptFields !== undefined && (!printPackets || extractor !== null) && readsOnlyBelowTcpPayload(keptFields);
  const kept: DissectedPacket[] = [];
  // Plain summary lines of a large file to the process's own stdout: a second thread formats
  // and writes them while this one dissects (summary-thread.ts). Started at the first line.
  const workerFile =
    printPackets &&
    opts.format === 'text' &&
    !opts.verbose &&
    !opts.hex &&
    !labStats &&
    stats === null &&
    httpObjects === null &&
    capture === null &&
    !opts.lineBuffered &&
    opts.timeFormat === 'relative' && // (the thread's lines know only the first packet's time)
    io.stdout === process.stdout
      ? summaryThreadWorker(opts.file)
      : null;
  let thread = null as SummaryThread | null; // (assigned in emit: a plain annotation would narrow it to null)
  const reader = new CaptureReader();
  let engine: DissectionEngine | null = null;
  let read = 0;
  const limit = opts.count ?? Infinity;

  // The preamble (BOM, header line, "[") waits until the file is known to be a capture.
  let started = false;
  const start = (): void => {
    started = true;
    if (!printPackets) return;
    if (extractor) {
      const { bom, header } = opts.fieldsOptions;
      if (bom) out.write('\ufeff');
      if (header) out.write(formatFieldsHeader(opts.fields, opts.fieldsOptions) + '\n');
    }
    if (json) out.write(json.open());
  };

  const emit = (packet: DissectedPacket): Promise<void> | null => {
    if (extractor) return out.write(formatFieldsRow(extractor.values(packet), opts.fieldsOptions) + '\n');
    if (json) return out.write(json.packet(packet));
    if (workerFile !== null) return (thread ??= new SummaryThread(columns, workerFile)).write(packet);
    if (!opts.verbose && !opts.hex) return summary.write(packet);
    if (!opts.verbose) return writePacketBytes(out, packet);
    let text = '';
    // Without -x, tshark -V dumps the bytes of each "Data" item in the tree.
    if (opts.verbose && packet.tree)
      text += formatTreeText(packet.tree, opts.hex ? undefined : packet.sources) + '\n\n';
    if (opts.hex) text += formatPacketBytes(packet) + '\n\n';
    return out.write(text);
  };

  const chunks = opts.file === '-' ? streamChunks(io.stdin as AsyncIterable<Uint8Array>) : fileChunks(opts.file);
  let openFailed: string | null = null;
  try {
    outer: for await (const chunk of chunks) {
      // Fed in pieces: the records of a whole 1 MB chunk (~3,700 of them) lived through several
      // young-generation collections, each copying them all.
      for (let at = 0; at < chunk.length; at += READER_PIECE) {
        const records = reader.push(chunk.subarray(at, at + READER_PIECE));
        if (!started && reader.info !== null) start();
        for (const record of records) {
          if (read >= limit) break outer;
          read++;
          if (engine === null) {
            engine = new DissectionEngine({
              tree: needTree || labStats,
              keptFields,
              forTaps,
              stopAtTcpPayload,
              interfaces: reader.info?.interfaces,
              format: reader.info?.format,
              displayedByCaller: filter !== null,
            });
          }
          columns.observe(record);
          const packet = engine.dissect(record);
          // tshark's taps see every packet read, whatever -Y shows.
          if (stats !== null) stats.add(packet);
          if (httpObjects !== null) httpObjects.add(packet);
          if (filter !== null) {
            if (!filter(packet)) continue;
            engine.markDisplayed(packet);
          }
          if (labStats) kept.push(packet);
          if (capture !== null) {
            const wait = capture.write(reader.info as CaptureFileInfo, record);
            if (wait) await wait;
          }
          if (printPackets) {
            const wait = emit(packet);
            if (wait) await wait;
            if (out.closed || thread?.closed) break outer;
          }
        }
        if (reader.error !== null || read >= limit || out.closed || thread?.closed) break outer;
      }
    }
  } catch (e) {
    thread?.abort();
    if (!(e instanceof OpenError)) throw e;
    openFailed = e.message;
  }
  if (openFailed !== null) {
    err(`wirelab: ${openFailed}`);
    return EXIT_FILE;
  }

  // Stopped early (-c, or stdout's reader went away as in `| head`): the unread rest is no damage.
  const stoppedEarly = read >= limit || out.closed || (thread?.closed ?? false);
  const damage = stoppedEarly ? reader.error : reader.end();
  if (!started && reader.info !== null) start();
  if (started && printPackets && json) out.write(json.close());
  if (labStats) out.write('\n' + labAnalysisText(kept, labLanguage()) + '\n');
  if (stats !== null) {
    // Piece by piece, waiting when stdout is behind: an I/O table can be more than a string holds.
    for (const piece of stats.pieces()) {
      if (out.closed) break;
      await out.write(piece);
    }
  }
  if (httpObjects !== null && opts.exportObjects !== null) {
    const failed = writeExportedObjects(opts.exportObjects.dir, httpObjects.result());
    if (failed !== null) err(`wirelab: ${failed}`);
  }
  if (thread !== null) await thread.end();
  await out.end();
  if (capture !== null) await capture.close(reader.info);
  if (damage !== null) {
    err(`wirelab: ${describeDamage(opts.file === '-' ? 'standard input' : opts.file, damage, reader.info)}`);
    return EXIT_FILE;
  }
  return EXIT_OK;
}

/**
 * `-x` without `-V`: the packet's bytes as formatPacketBytes prints them (each data source's dump,
 * headed by its name when there are several), then a blank line, written as bytes into the
 * output's buffer (writeHexDump): 0.48× tshark's speed as text, made of a rope of strings a packet.
 */
function writePacketBytes(out: BufferedOutput, packet: DissectedPacket): Promise<void> | null {
  const sources = packet.sources;
  if (sources.length === 0) return out.write('\n\n');
  let wait: Promise<void> | null = null;
  for (let k = 0; k < sources.length; k++) {
    const heading = sourceHeading(sources, k);
    if (heading !== '') wait = out.write(heading) ?? wait;
    const data = sources[k].data;
    const buffer = out.reserve(hexDumpBound(data.length) + 2);
    let at = writeHexDump(data, buffer, out.offset);
    if (k === sources.length - 1) {
      buffer[at++] = 10;
      buffer[at++] = 10;
    }
    wait = out.commit(at) ?? wait;
  }
  return wait;
}
