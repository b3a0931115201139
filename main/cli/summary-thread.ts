/**
 * Summary lines formatted and written by a second thread. Turning a million packets into
 * lines took a quarter of `wirelab -r F`; with this the main thread only copies each packet's
 * column values into a shared slot (numbers, and ids of the texts a capture repeats) and goes
 * on dissecting, while a worker (summary-worker.ts) turns the slots into the very bytes
 * SummaryLineWriter makes in-thread and writes them to standard output.
 *
 * Slots are filled and drained in turn; a slot's state in the control array says whose it is.
 * The worker writes with fs.writeSync on fd 1, so it is used only when the main thread writes
 * nothing else to stdout (plain summary output; see summaryThreadWorker).
 *
 * The dissection itself stays on one thread. Tried: two threads each dissecting the TCP and UDP
 * conversations of their half (a key from each packet's addresses and ports), counting the other
 * packets past, the worker merging both threads' slots by frame number. Its output was byte for
 * byte the in-order one, but on the 2-core bench machine it was slower: the 300,000-packet lab
 * repeat took 1.56–2.00 s against 1.23–1.32 s in order, the 1,000,000-packet bench file 3.2–3.3 s
 * against 2.7–2.8 s. Each thread still reads and parses every record, the two threads used 0.97
 * and 0.87 s of CPU for what one does in 1.18 s, and V8's helper threads 0.89 s (0.33 s in order)
 * for the three heaps. Reading the file once into shared memory instead was slower still (2.4 s:
 * 0.6 s to fault in 198 MB of fresh memory).
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { DissectedPacket } from '../../core/dissect/context';
import { CaptureReader } from '../../core/pcap/reader';
import { heldTcpInfo, type TcpInfo } from '../../core/dissect/protocols/tcp-info';
import type { ColumnFormatter } from '../../core/dissect/extract';

export const SLOTS = 4;
export const SLOT_LINES = 16384;
export const SLOT_BYTES = 1024 * 1024;
/** A line with an Info longer than this (UTF-16 units) goes by message, not through a slot. */
const LONG_INFO = 32 * 1024;
/** Longest text given an id (addresses, protocol names, TCP flags and options); a longer one sends its line by message. */
const LONG_TEXT = 1024;
/** Room a line may take: up to 10 entries (8 new texts, a reset, the line) and their bytes. */
const LINE_ENTRIES = 10;
const LINE_BYTES = 3 * (LONG_INFO + 8 * LONG_TEXT);
/** The string table starts over past this many texts (both sides forget them). */
const MAX_TEXT_IDS = 16384;

// control: Int32Array
export const CLOSED = 0; // set by the worker: stdout's reader went away (EPIPE)
export const DONE = 1; // set by the main thread: no more slots
export const FAILED = 2; // set by the worker: it stopped on an error
export const STATE = 4; // + slot: FREE or FULL
export const FREE = 0;
export const FULL = 1;

// Per line, in a slot's Float64Array.
export const FIELDS = 24;
export const F_KIND = 0;
export const F_NUMBER = 1;
export const F_TS_SEC = 2;
export const F_TS_NSEC = 3;
export const F_LENGTH = 4;
/** Digits of the Time column, or -1 for a packet without a timestamp. */
export const F_DIGITS = 5;
export const F_SOURCE = 6;
export const F_DESTINATION = 7;
export const F_PROTOCOL = 8;
// KIND_TEXT: the Info's UTF-8 bytes in the slot's byte area.
export const F_TEXT_AT = 9;
export const F_TEXT_BYTES = 10;
// KIND_TCP: TcpInfo's values and text ids.
export const F_SRC_PORT = 9;
export const F_DST_PORT = 10;
export const F_FLAG_BITS = 11;
export const F_FLAGS = 12;
export const F_SEQ = 13;
export const F_ACK = 14;
export const F_WINDOW = 15;
export const F_URGENT = 16;
export const F_SEGMENT = 17;
export const F_TSVAL = 18;
export const F_TSECR = 19;
export const F_PREFIX = 20;
export const F_OPTIONS = 21;
export const F_OPTIONS_AFTER = 22;
export const F_SUFFIX = 23;
// KIND_DEFINE: text id F_NUMBER is the UTF-8 bytes at F_TEXT_AT.
// Slot header (the first "line"): line count, bytes used, the Time column's reference.
export const H_LINES = 0;
export const H_BYTES = 1;
export const H_REFERENCE_SEC = 2;
export const H_REFERENCE_NSEC = 3;

export const KIND_TEXT = 0;
export const KIND_TCP = 1;
/** The line's columns came as a message on the port (a text too long for a slot). */
export const KIND_MESSAGE = 2;
export const KIND_DEFINE = 3;
/** Both sides forget their texts. */
export const KIND_RESET = 4;

export type MessageColumns = { source: string; destination: string; protocol: string; info: string };

export interface SummaryThreadData {
  control: SharedArrayBuffer;
  numbers: SharedArrayBuffer[];
  bytes: SharedArrayBuffer[];
  port: MessagePort;
}

/** The bundled worker, next to the CLI bundle (or in out/cli when running from the sources). */
function summaryWorkerFile(): string | null {
  for (const candidate of [
    path.join(__dirname, 'summary-worker.js'),
    path.join(__dirname, '..', '..', 'out', 'cli', 'summary-worker.js'),
  ]) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** What the machine has to give a second thread: its cores and their 1-minute load average. */
export interface MachineLoad {
  cores: number;
  load: number;
}

const currentLoad = (): MachineLoad => ({ cores: availableParallelism(), load: loadavg()[0] });

/** Packets below which the summary thread does not pay (see summaryThreadWorker). */
export const THREAD_MIN_PACKETS = 500_000;

/** How much of the file estimatePackets reads. */
const SAMPLE_BYTES = 1024 * 1024;

/**
 * The packets a capture file holds, estimated from its size and the records in its first
 * megabyte (null when that is not a capture). Packet sizes differ by mix: the bench file has
 * 1,000,000 packets in 287 MB, the repeated lab capture 300,000 in 198 MB.
 */
export function estimatePackets(file: string): number | null {
  let fd: number | null = null;
  try {
    const size = statSync(file).size;
    fd = openSync(file, 'r');
    const sample = new Uint8Array(Math.min(size, SAMPLE_BYTES));
    const read = readSync(fd, sample, 0, sample.length, 0);
    const records = new CaptureReader().push(sample.subarray(0, read)).length;
    if (records === 0) return null;
    return Math.round((records * size) / read);
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * The worker `wirelab -r FILE` prints its summary lines with, or null for the main thread: a
 * second thread for a file with enough packets to repay the thread (starting it and draining
 * the last slots cost ~0.1 s, and it saves ~0.3 µs a packet: the repeated lab capture's 300,000
 * packets took 1.43–1.68 s with it against 1.40–1.62 s without, the bench file's 1,000,000 are
 * faster with it), on a machine with a second core that is not busy: with less than half a core
 * idle on average (1-minute load average above cores − 0.5) the two threads wait for each
 * other's turn on a core, and the lab-repeat bench file took 5.5–7.4 s with the thread against
 * 3.8–5.5 s without (2 cores, load average 11).
 * WIRELAB_SUMMARY_THREAD=0 never, =1 always (tests).
 */
export function summaryThreadWorker(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  machine: () => MachineLoad = currentLoad,
): string | null {
  const setting = env.WIRELAB_SUMMARY_THREAD;
  if (setting === '0') return null;
  if (setting !== '1') {
    if (file === '-') return null;
    const { cores, load } = machine();
    if (cores < 2 || load > cores - 0.5) return null;
    if ((estimatePackets(file) ?? 0) < THREAD_MIN_PACKETS) return null;
  }
  return summaryWorkerFile();
}

/** Sends summary lines to the worker; the counterpart of SummaryLineWriter for runRead. */
export class SummaryThread {
  private readonly control: Int32Array;
  private readonly numbers: Float64Array[];
  private readonly bytes: Buffer[];
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private readonly exited: Promise<number>;
  private failure: Error | null = null;
  private slot = 0;
  private lines = 0;
  private used = 0;
  private readonly textIds = new Map<string, number>();
  // The last source/destination/protocol text and its id: most lines repeat them.
  private lastSource = '';
  private lastSourceId = 0;
  private lastDestination = '';
  private lastDestinationId = 0;
  private lastProtocol = '';
  private lastProtocolId = 0;
  /** Ids of TCP's flag texts, by the flag bits (0: not given yet). */
  private readonly flagIds = new Int32Array(4096);

  constructor(
    private readonly columns: ColumnFormatter,
    workerFile: string,
  ) {
    const control = new SharedArrayBuffer(4 * (STATE + SLOTS));
    const numbers = Array.from({ length: SLOTS }, () => new SharedArrayBuffer(8 * FIELDS * (SLOT_LINES + 1)));
    const bytes = Array.from({ length: SLOTS }, () => new SharedArrayBuffer(SLOT_BYTES));
    this.control = new Int32Array(control);
    this.numbers = numbers.map((b) => new Float64Array(b));
    this.bytes = bytes.map((b) => Buffer.from(b));
    const channel = new MessageChannel();
    this.port = channel.port1;
    const data: SummaryThreadData = { control, numbers, bytes, port: channel.port2 };
    const worker = new Worker(workerFile, { workerData: data, transferList: [channel.port2] });
    this.worker = worker;
    this.exited = new Promise((resolve) => {
      worker.on('error', (error) => (this.failure = error));
      worker.on('exit', resolve);
    });
    this.textIds.set('', 0);
  }

  /**
   * Set when stdout's reader went away (`wirelab -r F | head`): stop reading. Looked at when a
   * slot is handed over (runRead asks for every packet).
   */
  get closed(): boolean {
    return this.closedSeen;
  }

  private closedSeen = false;

  /** Queues the packet's line; returns a promise when the caller must wait for a free slot. */
  write(packet: DissectedPacket): Promise<void> | null {
    if (this.closed) return null;
    if (this.lines + LINE_ENTRIES > SLOT_LINES || this.used + LINE_BYTES > SLOT_BYTES) {
      const wait = this.nextSlot();
      if (wait) return wait.then(() => void this.write(packet));
    }
    this.encode(packet);
    return null;
  }

  /** Sends what is left, and waits until the worker has written everything. */
  async end(): Promise<void> {
    if (this.lines > 0 && !this.closed) this.publish();
    Atomics.store(this.control, DONE, 1);
    for (let k = 0; k < SLOTS; k++) Atomics.notify(this.control, STATE + k);
    const code = await this.exited;
    this.port.close();
    if (this.failure !== null || code !== 0 || Atomics.load(this.control, FAILED) !== 0) {
      throw new Error(`the summary thread stopped: ${this.failure?.message ?? `exit code ${code}`}`);
    }
  }

  /** Stops the worker at once (reading failed): lines not yet written are dropped. */
  abort(): void {
    this.port.close();
    void this.worker.terminate();
  }

  private encode(packet: DissectedPacket): void {
    const c = packet.columns;
    const tcp = heldTcpInfo(c);
    if (
      c.source.length > LONG_TEXT ||
      c.destination.length > LONG_TEXT ||
      c.protocol.length > LONG_TEXT ||
      (tcp !== null &&
        tcp.prefix.length + tcp.options.length + tcp.optionsAfter.length + tcp.suffix.length > LONG_TEXT) ||
      (tcp === null && c.info.length > LONG_INFO)
    ) {
      this.encodeByMessage(packet);
      return;
    }
    // Started over before the line's texts are looked up, never between them (ids in hand would
    // then name forgotten texts); a line gives at most 8 new ones.
    if (this.textIds.size + 8 > MAX_TEXT_IDS) this.forgetTexts();
    const source = c.source === this.lastSource ? this.lastSourceId : this.sourceId(c.source);
    const destination =
      c.destination === this.lastDestination ? this.lastDestinationId : this.destinationId(c.destination);
    const protocol = c.protocol === this.lastProtocol ? this.lastProtocolId : this.protocolId(c.protocol);
    const flags = tcp !== null ? this.flagIds[tcp.flagBits] || this.flagsId(tcp) : 0;
    // TCP's other texts are mostly empty (id 0).
    const prefix = tcp === null || tcp.prefix === '' ? 0 : this.textId(tcp.prefix);
    const options = tcp === null || tcp.options === '' ? 0 : this.textId(tcp.options);
    const optionsAfter = tcp === null || tcp.optionsAfter === '' ? 0 : this.textId(tcp.optionsAfter);
    const suffix = tcp === null || tcp.suffix === '' ? 0 : this.textId(tcp.suffix);
    const n = this.numbers[this.slot];
    const at = this.startLine(packet);
    n[at + F_SOURCE] = source;
    n[at + F_DESTINATION] = destination;
    n[at + F_PROTOCOL] = protocol;
    if (tcp !== null) {
      n[at + F_KIND] = KIND_TCP;
      n[at + F_SRC_PORT] = tcp.srcPort;
      n[at + F_DST_PORT] = tcp.dstPort;
      n[at + F_FLAG_BITS] = tcp.flagBits;
      n[at + F_FLAGS] = flags;
      n[at + F_SEQ] = tcp.seq;
      n[at + F_ACK] = tcp.ack;
      n[at + F_WINDOW] = tcp.window;
      n[at + F_URGENT] = tcp.urgent;
      n[at + F_SEGMENT] = tcp.length;
      n[at + F_TSVAL] = tcp.tsval;
      n[at + F_TSECR] = tcp.tsecr;
      n[at + F_PREFIX] = prefix;
      n[at + F_OPTIONS] = options;
      n[at + F_OPTIONS_AFTER] = optionsAfter;
      n[at + F_SUFFIX] = suffix;
      return;
    }
    n[at + F_KIND] = KIND_TEXT;
    n[at + F_TEXT_AT] = this.used;
    const length = this.bytes[this.slot].write(c.info, this.used, 'utf8');
    n[at + F_TEXT_BYTES] = length;
    this.used += length;
  }

  /** Number, time and length of a new line; returns where its fields start. */
  private startLine(packet: DissectedPacket): number {
    const n = this.numbers[this.slot];
    const record = packet.record;
    const at = ++this.lines * FIELDS; // "line" 0 is the slot's header
    n[at + F_NUMBER] = packet.number;
    n[at + F_TS_SEC] = record.tsSec;
    n[at + F_TS_NSEC] = record.tsNsec;
    n[at + F_LENGTH] = record.originalLength;
    n[at + F_DIGITS] = record.noTimestamp ? -1 : this.columns.timeDigits(record);
    return at;
  }

  /** A line with a very long text: its columns go by message (posted before the slot is handed over). */
  private encodeByMessage(packet: DissectedPacket): void {
    const c = packet.columns;
    const at = this.startLine(packet);
    this.numbers[this.slot][at + F_KIND] = KIND_MESSAGE;
    const columns: MessageColumns = {
      source: c.source,
      destination: c.destination,
      protocol: c.protocol,
      info: c.info,
    };
    this.port.postMessage(columns);
  }

  private flagsId(tcp: TcpInfo): number {
    return (this.flagIds[tcp.flagBits] = this.textId(tcp.flags));
  }

  private sourceId(text: string): number {
    this.lastSource = text;
    return (this.lastSourceId = this.textId(text));
  }

  private destinationId(text: string): number {
    this.lastDestination = text;
    return (this.lastDestinationId = this.textId(text));
  }

  private protocolId(text: string): number {
    this.lastProtocol = text;
    return (this.lastProtocolId = this.textId(text));
  }

  /** Both sides start their text tables over (a capture of very many addresses). */
  private forgetTexts(): void {
    this.textIds.clear();
    this.textIds.set('', 0);
    this.lastSource = this.lastDestination = this.lastProtocol = '';
    this.lastSourceId = this.lastDestinationId = this.lastProtocolId = 0;
    this.flagIds.fill(0);
    this.numbers[this.slot][++this.lines * FIELDS + F_KIND] = KIND_RESET;
  }

  /** The text's id; a new text is defined in the slot, ahead of the line that uses it. */
  private textId(text: string): number {
    if (text === '') return 0;
    const known = this.textIds.get(text);
    if (known !== undefined) return known;
    const id = this.textIds.size;
    this.textIds.set(text, id);
    const n = this.numbers[this.slot];
    const at = ++this.lines * FIELDS;
    n[at + F_KIND] = KIND_DEFINE;
    n[at + F_NUMBER] = id;
    n[at + F_TEXT_AT] = this.used;
    const length = this.bytes[this.slot].write(text, this.used, 'utf8');
    n[at + F_TEXT_BYTES] = length;
    this.used += length;
    return id;
  }

  /** Hands the current slot to the worker and takes the next one, waiting while it is busy. */
  private nextSlot(): Promise<void> | null {
    this.publish();
    if (Atomics.load(this.control, STATE + this.slot) === FREE) return null;
    return this.whenFree(this.slot);
  }

  /** Hands the current slot to the worker; the next one becomes current. */
  private publish(): void {
    this.closedSeen = Atomics.load(this.control, CLOSED) !== 0;
    const header = this.numbers[this.slot];
    header[H_LINES] = this.lines;
    header[H_BYTES] = this.used;
    header[H_REFERENCE_SEC] = this.columns.referenceSec;
    header[H_REFERENCE_NSEC] = this.columns.referenceNsec;
    Atomics.store(this.control, STATE + this.slot, FULL);
    Atomics.notify(this.control, STATE + this.slot);
    this.slot = (this.slot + 1) % SLOTS;
    this.lines = 0;
    this.used = 0;
  }

  private async whenFree(slot: number): Promise<void> {
    while (Atomics.load(this.control, STATE + slot) !== FREE) {
      this.closedSeen = Atomics.load(this.control, CLOSED) !== 0;
      if (Atomics.load(this.control, FAILED) !== 0 || this.closedSeen) return;
      const result = waitAsync(this.control, STATE + slot, FULL, 1000);
      // The worker's exit ends the wait too (it cannot free the slot any more).
      if (result.async) await Promise.race([result.value, this.exited]);
      if (this.failure !== null) throw this.failure;
    }
  }
}

// Atomics.waitAsync is in Node since 16 but not in the ES2022 library this project compiles against.
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
      timeout: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;
