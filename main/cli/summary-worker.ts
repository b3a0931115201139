/**
 * The summary thread (see summary-thread.ts): turns the slots the main thread fills into
 * lines with SummaryLineWriter and writes them to standard output (fd 1) itself.
 * Built by scripts/build.mjs (target `summary-worker`) to out/cli/summary-worker.js.
 */
import { writeSync } from 'node:fs';
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { ColumnValues, type DissectedPacket } from '../../core/dissect/context';
import { TcpInfo } from '../../core/dissect/protocols/tcp-info';
import type { PacketRecord } from '../../core/pcap/types';
import { SummaryLineWriter, type LineClock, type LineOutput } from './summary-line';
import {
  CLOSED,
  DONE,
  FAILED,
  FIELDS,
  FREE,
  FULL,
  F_ACK,
  F_DESTINATION,
  F_DIGITS,
  F_DST_PORT,
  F_FLAGS,
  F_FLAG_BITS,
  F_KIND,
  F_LENGTH,
  F_NUMBER,
  F_OPTIONS,
  F_OPTIONS_AFTER,
  F_PREFIX,
  F_PROTOCOL,
  F_SEGMENT,
  F_SEQ,
  F_SOURCE,
  F_SRC_PORT,
  F_SUFFIX,
  F_TEXT_AT,
  F_TEXT_BYTES,
  F_TSECR,
  F_TSVAL,
  F_TS_NSEC,
  F_TS_SEC,
  F_URGENT,
  F_WINDOW,
  H_LINES,
  H_REFERENCE_NSEC,
  H_REFERENCE_SEC,
  KIND_DEFINE,
  KIND_MESSAGE,
  KIND_RESET,
  KIND_TCP,
  SLOTS,
  STATE,
  type MessageColumns,
  type SummaryThreadData,
} from './summary-thread';

const STDOUT = 1;

/** Lines collected in a buffer and written to fd 1 with writeSync (this thread has nothing else to do). */
class FdOutput implements LineOutput {
  private buffer = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  closed = false;

  reserve(maxBytes: number): Buffer {
    if (this.used + maxBytes > this.buffer.length) {
      this.flush();
      if (maxBytes > this.buffer.length) this.buffer = Buffer.allocUnsafe(maxBytes);
    }
    return this.buffer;
  }

  get offset(): number {
    return this.used;
  }

  commit(end: number): null {
    this.used = end;
    return null;
  }

  flush(): void {
    let at = 0;
    while (at < this.used && !this.closed) {
      try {
        at += writeSync(STDOUT, this.buffer, at, this.used - at);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN')
          sleep(1); // a non-blocking pipe that is full
        else if (code === 'EPIPE') this.closed = true;
        else throw error;
      }
    }
    this.used = 0;
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}

function run(data: SummaryThreadData): void {
  const control = new Int32Array(data.control);
  const numbers = data.numbers.map((b) => new Float64Array(b));
  const bytes = data.bytes.map((b) => Buffer.from(b));
  const out = new FdOutput();
  const clock = { digits: 0, referenceSec: 0, referenceNsec: 0, timeDigits: () => clock.digits };
  const writer = new SummaryLineWriter(out, clock satisfies LineClock);
  let texts: string[] = [''];
  // One packet, its record and columns, refilled for every line.
  const record: PacketRecord = {
    data: new Uint8Array(0),
    originalLength: 0,
    tsSec: 0,
    tsNsec: 0,
    interfaceId: 0,
    linkType: 0,
  };
  const packet: DissectedPacket & { columns: ColumnValues } = {
    number: 0,
    record,
    timeRelative: 0,
    timeDelta: 0,
    columns: new ColumnValues(),
    protocols: [],
    tree: null,
    sources: [],
    expert: [],
    malformed: false,
    cutShortAfterLayers: -1,
  };

  for (let slot = 0; ; slot = (slot + 1) % SLOTS) {
    // Wait for the slot; the main thread fills them in turn and says DONE after the last.
    while (Atomics.load(control, STATE + slot) !== FULL) {
      if (Atomics.load(control, DONE) !== 0 && Atomics.load(control, STATE + slot) !== FULL) {
        out.flush();
        if (out.closed) Atomics.store(control, CLOSED, 1);
        return;
      }
      Atomics.wait(control, STATE + slot, FREE, 1000);
    }
    const n = numbers[slot];
    const b = bytes[slot];
    clock.referenceSec = n[H_REFERENCE_SEC];
    clock.referenceNsec = n[H_REFERENCE_NSEC];
    const lines = n[H_LINES];
    for (let line = 1; line <= lines && !out.closed; line++) {
      const at = line * FIELDS;
      const kind = n[at + F_KIND];
      if (kind === KIND_DEFINE) {
        texts[n[at + F_NUMBER]] = b.toString('utf8', n[at + F_TEXT_AT], n[at + F_TEXT_AT] + n[at + F_TEXT_BYTES]);
        continue;
      }
      if (kind === KIND_RESET) {
        texts = [''];
        continue;
      }
      const columns = packet.columns;
      if (kind === KIND_MESSAGE) {
        // Posted before the slot was handed over, so it is there.
        const received = receiveMessageOnPort(data.port);
        if (received === undefined) throw new Error(`the columns of line ${n[at + F_NUMBER]} did not arrive`);
        Object.assign(columns, received.message as MessageColumns);
      } else {
        columns.source = texts[n[at + F_SOURCE]];
        columns.destination = texts[n[at + F_DESTINATION]];
        columns.protocol = texts[n[at + F_PROTOCOL]];
        if (kind === KIND_TCP) {
          const info = new TcpInfo(
            n[at + F_SRC_PORT],
            n[at + F_DST_PORT],
            n[at + F_FLAG_BITS],
            texts[n[at + F_FLAGS]],
            n[at + F_SEQ],
            n[at + F_ACK],
            n[at + F_WINDOW],
          );
          info.urgent = n[at + F_URGENT];
          info.length = n[at + F_SEGMENT];
          info.tsval = n[at + F_TSVAL];
          info.tsecr = n[at + F_TSECR];
          info.prefix = texts[n[at + F_PREFIX]];
          info.options = texts[n[at + F_OPTIONS]];
          info.optionsAfter = texts[n[at + F_OPTIONS_AFTER]];
          info.suffix = texts[n[at + F_SUFFIX]];
          columns.defer(info);
        } else {
          columns.info = b.toString('utf8', n[at + F_TEXT_AT], n[at + F_TEXT_AT] + n[at + F_TEXT_BYTES]);
        }
      }
      const digits = n[at + F_DIGITS];
      clock.digits = digits;
      record.noTimestamp = digits < 0;
      record.tsSec = n[at + F_TS_SEC];
      record.tsNsec = n[at + F_TS_NSEC];
      record.originalLength = n[at + F_LENGTH];
      packet.number = n[at + F_NUMBER];
      writer.write(packet);
    }
    if (out.closed) {
      Atomics.store(control, CLOSED, 1);
      for (let k = 0; k < SLOTS; k++) Atomics.notify(control, STATE + k);
      return;
    }
    Atomics.store(control, STATE + slot, FREE);
    Atomics.notify(control, STATE + slot);
  }
}

const data = workerData as SummaryThreadData;
try {
  run(data);
} catch (error) {
  Atomics.store(new Int32Array(data.control), FAILED, 1);
  for (let k = 0; k < SLOTS; k++) Atomics.notify(new Int32Array(data.control), STATE + k);
  throw error;
}
