/**
 * The `cap` capture worker: a separate process (child_process.fork, or Electron's utilityProcess) that
 * opens a device with libpcap/Npcap through the native `cap` module and appends every packet to a
 * temporary pcapng file with a synchronous write, so that what was captured survives a crash of
 * either side. It talks to the host only about readiness, statistics and errors (capture-worker-messages.ts).
 *
 * Built by scripts/build.mjs (target `capture-worker`) to out/capture/capture-worker.js, with `cap`
 * left external.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { PcapngWriter } from '../../core/pcap/writer';
import { CAP_SNAPLEN, capLinkType, type CapInstance, type CapModule } from './cap-types';
import { classifyPcapMessage, type CaptureErrorCode } from './errors';
import { inferOriginalLength } from './original-length';
import {
  isParentMessage,
  type ParentToWorker,
  type WorkerCaptureConfig,
  type WorkerToParent,
} from './capture-worker-messages';

/** Electron's utilityProcess gives the child process.parentPort instead of process.send. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}
const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;

function send(message: WorkerToParent): void {
  if (parentPort) parentPort.postMessage(message);
  else if (process.send && process.connected) process.send(message);
}

function onMessage(listener: (message: ParentToWorker) => void): void {
  const accept = (value: unknown): void => {
    if (isParentMessage(value)) listener(value);
  };
  if (parentPort) parentPort.on('message', (event) => accept(event.data));
  else process.on('message', accept);
}

function loadCap(): CapModule | string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('cap') as CapModule;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function fail(code: CaptureErrorCode, message: string, details = ''): never {
  send({ type: 'error', code, message, details });
  // Let the message reach the parent before exiting.
  setTimeout(() => process.exit(2), 50);
  throw new Error(message);
}

let cap: CapInstance | null = null;
let fd: number | null = null;
let received = 0;
let stopping = false;

/** Wall-clock time at hrtime 0, ns, so packets get ns timestamps that never go backwards. */
const clockBase = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

function openCapture(capModule: CapModule, config: WorkerCaptureConfig, buffer: Buffer): string {
  const instance = new capModule.Cap();
  try {
    const linkName = instance.open(config.device, config.filter, config.bufferSize, buffer);
    cap = instance;
    return linkName;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const known = classifyPcapMessage(message);
    if (known !== null) {
      const what =
        known === 'permission'
          ? `No permission to capture on "${config.device}"`
          : `There is no interface "${config.device}"`;
      fail(known, `${what}: ${message}`, message);
    }
    if (config.filter.trim() !== '') {
      // Was it the filter? Open without one: if that works, the device is fine and the filter is wrong.
      const probe = new capModule.Cap();
      let deviceOk: boolean;
      try {
        probe.open(config.device, '', 1 << 16, Buffer.alloc(CAP_SNAPLEN));
        probe.close();
        deviceOk = true;
      } catch {
        deviceOk = false;
      }
      if (deviceOk) fail('bad-filter', `Invalid capture filter "${config.filter}": ${message}`, message);
    }
    fail('failed', `Could not start capturing on "${config.device}": ${message}`, message);
  }
}

function start(config: WorkerCaptureConfig): void {
  const capModule = loadCap();
  if (typeof capModule === 'string') {
    fail('no-backend', `The built-in capture module (cap) could not be loaded: ${capModule}`, capModule);
  }
  const buffer = Buffer.alloc(CAP_SNAPLEN);
  const linkName = openCapture(capModule, config, buffer);
  const linkType = capLinkType(linkName);
  if (linkType === null) {
    cap?.close();
    fail(
      'failed',
      `Interface "${config.device}" has a link type WireLab cannot capture through cap (${linkName}).`,
      linkName,
    );
  }
  const snapLen = Math.max(1, Math.min(config.snapLen, CAP_SNAPLEN));
  const writer = new PcapngWriter({
    interfaces: [{ linkType, snapLen, name: config.device, tsUnitsPerSecond: 1e9 }],
    application: 'WireLab (cap capture worker)',
    os: `${os.type()} ${os.release()}`,
  });
  try {
    fd = fs.openSync(config.tempFile, 'a');
    fs.writeSync(fd, writer.header());
  } catch (e) {
    cap?.close();
    const message = e instanceof Error ? e.message : String(e);
    fail('failed', `Could not write the capture file ${config.tempFile}: ${message}`, message);
  }
  const out = fd;

  cap?.on('packet', (nbytes: number) => {
    if (stopping) return;
    const now = clockBase + process.hrtime.bigint();
    const full = buffer.subarray(0, nbytes);
    const originalLength = nbytes >= CAP_SNAPLEN ? inferOriginalLength(linkType, full) : nbytes;
    const block = writer.packet({
      data: nbytes > snapLen ? full.subarray(0, snapLen) : full,
      originalLength,
      tsSec: Number(now / 1_000_000_000n),
      tsNsec: Number(now % 1_000_000_000n),
      interfaceId: 0,
      linkType,
    });
    try {
      fs.writeSync(out, block);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      stopping = true;
      cap?.close();
      send({
        type: 'error',
        code: 'failed',
        message: `Could not append to the capture file: ${message}`,
        details: message,
      });
      setTimeout(() => process.exit(2), 50);
      return;
    }
    received++;
  });
  if (process.platform === 'win32') cap?.setMinBytes?.(0);

  let lastReported = -1;
  const timer = setInterval(() => {
    if (received !== lastReported) {
      lastReported = received;
      send({ type: 'stats', received, dropped: 0 });
    }
  }, config.statsIntervalMs);
  timer.unref();
  send({ type: 'ready', linkType, linkName });
}

let draining = false;

/**
 * Packets may still wait in the kernel ring when the stop request arrives (both become readable in
 * the same event-loop turn): keep handling packets until none came for a short while, then close.
 */
function drainThenStop(quietMs = 100, maxMs = 1500): void {
  if (draining || stopping) return;
  draining = true;
  if (cap === null) return stop();
  const started = Date.now();
  let last = received;
  let lastChange = started;
  const timer = setInterval(() => {
    const now = Date.now();
    if (received !== last) {
      last = received;
      lastChange = now;
    }
    if (now - lastChange >= quietMs || now - started >= maxMs) {
      clearInterval(timer);
      stop();
    }
  }, 10);
}

function stop(): void {
  if (stopping) return;
  stopping = true;
  try {
    cap?.close();
  } catch {
    // already closed
  }
  if (fd !== null) {
    try {
      fs.closeSync(fd);
    } catch {
      // nothing more to write anyway
    }
    fd = null;
  }
  send({ type: 'stats', received, dropped: 0 });
  send({ type: 'stopped', received });
  setTimeout(() => process.exit(0), 20);
}

onMessage((message) => {
  try {
    if (message.type === 'start') start(message.config);
    else if (message.type === 'stop') drainThenStop();
    else if (message.type === 'list') {
      const capModule = loadCap();
      if (typeof capModule === 'string')
        fail('no-backend', `The capture module (cap) could not be loaded: ${capModule}`, capModule);
      send({ type: 'interfaces', devices: capModule.Cap.deviceList() });
      setTimeout(() => process.exit(0), 20);
    }
  } catch {
    // fail() already reported it and schedules the exit
  }
});

// The host went away: stop cleanly so the file ends on a whole block.
if (!parentPort) process.on('disconnect', stop);
