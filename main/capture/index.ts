/**
 * Live capture for WireLab. Every backend makes packets land in a temporary capture file that grows
 * as packets arrive (nothing is lost on stop, crash or quit); the session tails that file and emits
 * the packets, so the host sees one behaviour whichever backend captured them:
 *   cap     – the native libpcap/Npcap binding, in a worker process (capture-worker.ts)
 *   dumpcap – Wireshark's capture engine (Linux: works without root for the wireshark group)
 *   tcpdump – where neither of the above is available
 *   replay  – a saved file fed through the same path (offline use, tests)
 */
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  findTool,
  type BackendCallbacks,
  type BackendStartOptions,
  type CaptureStats,
  type RunningBackend,
  type SpawnTool,
} from './backend';
import { listCapDevices, startCapBackend, type CapBackendOptions, type SpawnCaptureWorker } from './cap-backend';
import { CaptureError, type CaptureBackendName } from './errors';
import { startReplay } from './replay';
import { CaptureSession, type SkippedBackend } from './session';
import { CAPTURE_DIR_PREFIX, removeStaleCaptureDirs } from './temp-dirs';
import { startDumpcap, startTcpdump } from './tool-backends';
import { DEFAULT_PORT } from '../../embedded-server/defaults';

export { CaptureError, remedyFor, type CaptureErrorCode, type CaptureBackendName } from './errors';
export {
  CaptureSession,
  type CaptureSessionEvents,
  type CaptureStopResult,
  type SaveResult,
  type SkippedBackend,
} from './session';
export type { CaptureStats, SpawnTool } from './backend';
export {
  configureCaptureWorker,
  forkCaptureWorker,
  type CaptureWorkerHandle,
  type SpawnCaptureWorker,
  type ForkWorkerOptions,
} from './cap-backend';

export type CaptureBackendChoice = 'auto' | 'cap' | 'dumpcap' | 'tcpdump';

export interface StartCaptureOptions {
  /** Interface name; default: the loopback device of this OS. */
  device?: string;
  /** BPF capture filter; default 'tcp port 8001'. Pass '' to capture everything. */
  filter?: string;
  /** Bytes kept of each packet; default 262144 (cap keeps at most 65535). */
  snapLen?: number;
  backend?: CaptureBackendChoice;
  /** Where the temp capture file goes; default the OS temp directory. */
  tempDir?: string;
  /** Replay this saved capture instead of capturing live (the filter is not applied). */
  replayFile?: string;
  /** Replay pacing: 0 (default) as fast as possible, 1 real time, 2 twice as fast, … */
  replaySpeed?: number;
  /** How long a backend may take to confirm it is capturing; default 15 s. */
  readyTimeoutMs?: number;
  /** How often the temp file is read for new packets; default 25 ms. */
  pollIntervalMs?: number;
  /** cap backend: the built worker script and how to start it (default child_process.fork; Electron: utilityProcess). */
  workerPath?: string;
  spawnWorker?: SpawnCaptureWorker;
  /** dumpcap/tcpdump: explicit paths, and how to start them. */
  dumpcapPath?: string;
  tcpdumpPath?: string;
  spawnTool?: SpawnTool;
}

export interface CaptureInterfaceInfo {
  name: string;
  description?: string;
  addresses: string[];
  loopback: boolean;
}

export const DEFAULT_FILTER = `tcp port ${DEFAULT_PORT}`;
export const DEFAULT_SNAPLEN = 262144;

/** The loopback capture device: Linux `lo`, macOS `lo0`, Windows (Npcap) `\Device\NPF_Loopback`. */
export function loopbackDevice(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return '\\Device\\NPF_Loopback';
  if (platform === 'linux') return 'lo';
  return 'lo0';
}

/**
 * Backends to try for `auto`, in order. Wireshark's dumpcap first where it is installed and
 * permitted: it gives kernel timestamps and drop counts and kept up with 100k packets/s on
 * loopback, where cap (one JavaScript callback per packet, no timestamps, no pcap_stats) lost
 * about half. cap is the built-in way when Wireshark is not installed; tcpdump the last resort.
 */
const AUTO_ORDER: Array<Exclude<CaptureBackendChoice, 'auto'>> = ['dumpcap', 'cap', 'tcpdump'];

/** Errors that any other backend would hit too: no point trying the next one. */
const FINAL_CODES = new Set(['bad-filter', 'no-device']);

function tempName(backend: CaptureBackendName, ext: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `wirelab-${stamp}-${backend}${ext}`;
}

/** Relays backend events to the session once it exists (a crash can arrive right after ready). */
class Relay implements BackendCallbacks {
  private session: CaptureSession | null = null;
  private pendingStats: CaptureStats | null = null;
  private pendingExit: { error: CaptureError | null } | null = null;

  onStats(stats: CaptureStats): void {
    if (this.session) this.session.handleStats(stats);
    else this.pendingStats = stats;
  }

  onExit(error: CaptureError | null): void {
    if (this.session) this.session.handleExit(error);
    else this.pendingExit = { error };
  }

  attach(session: CaptureSession): void {
    this.session = session;
    const stats = this.pendingStats;
    const exit = this.pendingExit;
    // After the caller had a chance to add listeners.
    setImmediate(() => {
      if (stats) session.handleStats(stats);
      if (exit) session.handleExit(exit.error);
    });
  }
}

async function startOne(
  backend: Exclude<CaptureBackendChoice, 'auto'>,
  base: Omit<BackendStartOptions, 'tempFile'>,
  dir: string,
  opts: StartCaptureOptions,
): Promise<{ running: RunningBackend; tempFile: string }> {
  const tempFile = path.join(dir, tempName(backend, backend === 'tcpdump' ? '.pcap' : '.pcapng'));
  const start = { ...base, tempFile };
  const capOpts: CapBackendOptions = { workerPath: opts.workerPath, spawnWorker: opts.spawnWorker };
  try {
    const running =
      backend === 'cap'
        ? await startCapBackend(start, capOpts)
        : backend === 'dumpcap'
          ? await startDumpcap(start, { toolPath: opts.dumpcapPath, spawnTool: opts.spawnTool })
          : await startTcpdump(start, { toolPath: opts.tcpdumpPath, spawnTool: opts.spawnTool });
    return { running, tempFile };
  } catch (e) {
    await fsp.rm(tempFile, { force: true }).catch(() => undefined);
    throw e;
  }
}

/**
 * Start capturing. Resolves once the backend confirms it is capturing (so a browser opened after
 * this cannot have its SYN missed); rejects with a CaptureError.
 */
export async function startCapture(opts: StartCaptureOptions = {}): Promise<CaptureSession> {
  const t0 = performance.now();
  const device = opts.device ?? loopbackDevice();
  const filter = opts.filter ?? DEFAULT_FILTER;
  const snapLen = opts.snapLen ?? DEFAULT_SNAPLEN;
  const relay = new Relay();
  const tempRoot = opts.tempDir ?? os.tmpdir();
  // Temp folders of captures a week old are removed now (never the one being written).
  await removeStaleCaptureDirs(tempRoot);
  const dir = await fsp.mkdtemp(path.join(tempRoot, CAPTURE_DIR_PREFIX));
  const base: Omit<BackendStartOptions, 'tempFile'> = {
    device,
    filter,
    snapLen,
    readyTimeoutMs: opts.readyTimeoutMs ?? 15_000,
    callbacks: relay,
  };

  const makeSession = (
    running: RunningBackend,
    tempFile: string,
    reason: string,
    skipped: SkippedBackend[],
  ): CaptureSession => {
    const session = new CaptureSession({
      backend: running,
      device: opts.replayFile ?? device,
      filter: opts.replayFile ? '' : filter,
      tempFile,
      reason,
      skipped,
      readyMs: performance.now() - t0,
      pollIntervalMs: opts.pollIntervalMs,
    });
    relay.attach(session);
    return session;
  };

  if (opts.replayFile !== undefined) {
    const ext = path.extname(opts.replayFile).toLowerCase() === '.pcap' ? '.pcap' : '.pcapng';
    const tempFile = path.join(dir, tempName('replay', ext));
    const running = await startReplay(opts.replayFile, { tempFile, callbacks: relay }, { speed: opts.replaySpeed });
    return makeSession(running, tempFile, `replaying ${opts.replayFile}`, []);
  }

  const choice = opts.backend ?? 'auto';
  const order = choice === 'auto' ? AUTO_ORDER : [choice];
  const skipped: SkippedBackend[] = [];
  for (const backend of order) {
    try {
      const { running, tempFile } = await startOne(backend, base, dir, opts);
      const reason =
        choice === 'auto'
          ? skipped.length === 0
            ? `${backend}: the first choice, and it works`
            : `${backend}, because ${skipped.map((s) => `${s.backend} ${s.reason}`).join('; ')}`
          : `${backend}, as requested`;
      return makeSession(running, tempFile, reason, skipped);
    } catch (e) {
      const error =
        e instanceof CaptureError
          ? e
          : new CaptureError('failed', e instanceof Error ? e.message : String(e), { backend });
      if (order.length === 1 || FINAL_CODES.has(error.code)) {
        await fsp.rm(dir, { recursive: true, force: true }).catch(() => undefined);
        throw error;
      }
      skipped.push({ backend, reason: `failed (${error.code}): ${error.message}`, error });
    }
  }
  await fsp.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  const permission = skipped.find((s) => s.error?.code === 'permission');
  const summary = skipped.map((s) => `${s.backend}: ${s.reason}`).join('\n');
  if (permission?.error) {
    throw new CaptureError(
      'permission',
      `No capture backend has permission to capture on "${device}". ${permission.error.message}`,
      {
        details: summary,
      },
    );
  }
  throw new CaptureError('no-backend', 'No way to capture packets is available on this computer.', {
    details: summary,
  });
}

function run(command: string, args: string[], timeoutMs = 5000): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, windowsHide: true }, (error, stdout) =>
      resolve(error ? null : stdout),
    );
  });
}

function osAddresses(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [name, list] of Object.entries(os.networkInterfaces())) {
    map.set(
      name,
      (list ?? []).map((a) => a.address),
    );
  }
  return map;
}

/** `dumpcap -D -M`: "N. name\tvendor\tfriendly name\tlink type\taddr,addr\tloopback|network". */
export function parseDumpcapInterfaces(text: string): CaptureInterfaceInfo[] {
  const out: CaptureInterfaceInfo[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\d+\.\s*(.*)$/.exec(line);
    if (!m) continue;
    const fields = m[1].split('\t');
    const name = fields[0] ?? '';
    if (name === '') continue;
    const description = fields[2] || fields[1] || undefined;
    const addresses = (fields[4] ?? '').split(',').filter((a) => a !== '');
    out.push({ name, description, addresses, loopback: fields[5] === 'loopback' });
  }
  return out;
}

/** `tcpdump -D`: "3.lo [Up, Running, Loopback]" or "2.any (Pseudo-device …) [Up, Running]". */
export function parseTcpdumpInterfaces(text: string): CaptureInterfaceInfo[] {
  const out: CaptureInterfaceInfo[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\d+\.(\S+)(?:\s+\((.*?)\))?(?:\s+\[(.*)\])?/.exec(line);
    if (!m) continue;
    out.push({ name: m[1], description: m[2], addresses: [], loopback: /Loopback/i.test(m[3] ?? '') });
  }
  return out;
}

/** Interfaces that can be captured on: from cap (in a worker), else `dumpcap -D`, else `tcpdump -D`, else the OS list. */
export async function listInterfaces(
  opts: Pick<StartCaptureOptions, 'workerPath' | 'spawnWorker' | 'dumpcapPath' | 'tcpdumpPath'> = {},
): Promise<CaptureInterfaceInfo[]> {
  const addresses = osAddresses();
  const withAddresses = (list: CaptureInterfaceInfo[]): CaptureInterfaceInfo[] =>
    list.map((i) => (i.addresses.length > 0 ? i : { ...i, addresses: addresses.get(i.name) ?? [] }));

  const devices = await listCapDevices({ workerPath: opts.workerPath, spawnWorker: opts.spawnWorker });
  if (devices) {
    return withAddresses(
      devices.map((d) => ({
        name: d.name,
        description: d.description,
        addresses: d.addresses.map((a) => a.addr).filter((a): a is string => typeof a === 'string'),
        loopback: d.flags === 'PCAP_IF_LOOPBACK' || /loopback/i.test(d.description ?? ''),
      })),
    );
  }
  const dumpcap = opts.dumpcapPath ?? findTool('dumpcap');
  if (dumpcap) {
    const text = await run(dumpcap, ['-D', '-M']);
    if (text) return withAddresses(parseDumpcapInterfaces(text));
  }
  const tcpdump = opts.tcpdumpPath ?? findTool('tcpdump');
  if (tcpdump) {
    const text = await run(tcpdump, ['-D']);
    if (text) return withAddresses(parseTcpdumpInterfaces(text));
  }
  return [...addresses.entries()].map(([name, list]) => ({
    name,
    addresses: list,
    loopback: os.networkInterfaces()[name]?.some((a) => a.internal) ?? false,
  }));
}
