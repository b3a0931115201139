/**
 * Capture through external tools that write the temp file themselves:
 * - dumpcap (Wireshark's capture engine; how Wireshark captures without root on Linux, via the
 *   wireshark group), run in its child mode so that "ready" is the moment the file exists with the
 *   device open and the filter set (dumpcap prints "Capturing on" before opening the device);
 * - tcpdump, ready when it prints "listening on" (after the device is open and the filter set).
 */
import type { ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { CaptureError, classifyPcapMessage, type CaptureBackendName } from './errors';
import {
  appendCapped,
  defaultSpawnTool,
  describeExit,
  findTool,
  terminate,
  type BackendStartOptions,
  type CaptureStats,
  type RunningBackend,
  type SpawnTool,
} from './backend';
import { DumpcapSyncParser } from './dumpcap-sync';

export interface ToolOptions {
  /** Path of the tool; found on PATH and in the usual install places when omitted. */
  toolPath?: string;
  spawnTool?: SpawnTool;
  /** dumpcap: how long the file must stay unchanged before stopping (ms), and the most to wait. */
  quietMs?: number;
  maxQuietWaitMs?: number;
}

/** Kernel capture buffer for dumpcap and tcpdump, MiB. */
const BUFFER_MIB = 32;

async function waitUntilQuiet(file: string, quietMs: number, maxMs: number): Promise<void> {
  const started = Date.now();
  let lastSize = -1;
  let lastChange = started;
  while (Date.now() - started < maxMs) {
    const size = await stat(file).then(
      (s) => s.size,
      () => -1,
    );
    if (size !== lastSize) {
      lastSize = size;
      lastChange = Date.now();
    } else if (Date.now() - lastChange >= quietMs) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function notFound(tool: 'dumpcap' | 'tcpdump'): CaptureError {
  return new CaptureError('no-backend', `${tool} is not installed (not found on PATH or in the usual places).`, {
    backend: tool,
  });
}

interface ToolProtocol {
  /** Feed stderr; returns 'ready' once capturing, or an error. */
  onStderr(chunk: Buffer): 'ready' | CaptureError | null;
  stats(): CaptureStats;
  /** Error for an exit before ready. */
  startupError(exitDescription: string): CaptureError;
  stderrText(): string;
  /** Wait before asking the tool to stop, so that it writes out what it holds. */
  beforeStop?(): Promise<void>;
}

async function runTool(
  name: 'dumpcap' | 'tcpdump',
  command: string,
  args: string[],
  protocol: ToolProtocol,
  opts: BackendStartOptions,
  spawnTool: SpawnTool,
): Promise<RunningBackend> {
  let child: ChildProcess;
  try {
    child = spawnTool(command, args, { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
  } catch (e) {
    throw new CaptureError('no-backend', `Could not start ${name}: ${e instanceof Error ? e.message : String(e)}`, {
      backend: name,
    });
  }
  let ready = false;
  let stopping = false;
  let stopped: Promise<CaptureStats | null> | null = null;

  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (error: CaptureError | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error === null) {
        ready = true;
        resolve();
      } else {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        reject(error);
      }
    };
    const timer = setTimeout(
      () =>
        settle(
          new CaptureError('failed', `${name} did not start capturing within ${opts.readyTimeoutMs} ms.`, {
            backend: name,
            details: protocol.stderrText(),
          }),
        ),
      opts.readyTimeoutMs,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      const result = protocol.onStderr(chunk);
      if (result === 'ready') settle(null);
      else if (result !== null) settle(result);
      if (ready) opts.callbacks.onStats(protocol.stats());
    });
    child.once('error', (e: NodeJS.ErrnoException) => {
      const err =
        e.code === 'ENOENT'
          ? notFound(name)
          : new CaptureError(e.code === 'EACCES' ? 'permission' : 'failed', `Could not run ${command}: ${e.message}`, {
              backend: name,
              details: e.message,
            });
      if (!ready) settle(err);
    });
    child.once('exit', (code, signal) => {
      if (!ready) {
        // Give the stderr pipe a moment to deliver the last message before judging.
        setTimeout(() => settle(protocol.startupError(describeExit(code, signal))), 20);
        return;
      }
      if (stopping) return;
      opts.callbacks.onExit(
        new CaptureError('crashed', `${name} stopped unexpectedly (${describeExit(code, signal)}).`, {
          backend: name,
          details: protocol.stderrText(),
        }),
      );
    });
  });

  return {
    name,
    pid: child.pid,
    stop(): Promise<CaptureStats | null> {
      if (stopped) return stopped;
      stopping = true;
      stopped = (async () => {
        if (child.exitCode === null && child.signalCode === null) await protocol.beforeStop?.();
        await terminate(child);
        await new Promise((r) => setTimeout(r, 10)); // last stderr bytes (statistics)
        return protocol.stats();
      })();
      return stopped;
    },
  };
}

function classify(
  name: CaptureBackendName,
  text: string,
  device: string,
  filter: string,
  fallback: string,
): CaptureError {
  const message = text.trim() || fallback;
  const kind = classifyPcapMessage(message);
  if (kind !== null) return new CaptureError(kind, message, { backend: name, details: text });
  if (filter.trim() !== '' && name === 'tcpdump' && !message.startsWith(`tcpdump: ${device}:`)) {
    return new CaptureError('bad-filter', `Invalid capture filter "${filter}": ${message.replace(/^tcpdump: /, '')}`, {
      backend: name,
      details: text,
    });
  }
  return new CaptureError('failed', message, { backend: name, details: text });
}

export async function startDumpcap(opts: BackendStartOptions, tool: ToolOptions = {}): Promise<RunningBackend> {
  const command = tool.toolPath ?? findTool('dumpcap');
  if (command === null) throw notFound('dumpcap');
  // -B: kernel buffer in MiB. The default 2 MiB holds only a few frames at a 256 KiB snaplen on Linux
  // (TPACKET_V3 sizes its slots by the snaplen) and drops packets of a burst.
  const args = [
    '-Z',
    'none',
    '-i',
    opts.device,
    '-s',
    String(opts.snapLen),
    '-B',
    String(BUFFER_MIB),
    '-w',
    opts.tempFile,
  ];
  if (opts.filter.trim() !== '') args.push('-f', opts.filter);
  const parser = new DumpcapSyncParser();
  let received = 0;
  let dropped = 0;
  let log = '';
  const protocol: ToolProtocol = {
    onStderr(chunk) {
      let result: 'ready' | CaptureError | null = null;
      for (const m of parser.push(chunk)) {
        log = appendCapped(log, `${m.indicator}: ${m.text}${m.secondary ? `\n${m.secondary}` : ''}\n`);
        if (m.indicator === 'F') result = 'ready';
        else if (m.indicator === 'P') received += Number.parseInt(m.text, 10) || 0;
        else if (m.indicator === 'D') dropped = Number.parseInt(m.text, 10) || 0;
        else if (m.indicator === 'B') {
          const message = m.text.replace(/^\d+:/, '');
          result = new CaptureError('bad-filter', `Invalid capture filter "${opts.filter}": ${message}`, {
            backend: 'dumpcap',
            details: m.text,
          });
        } else if (m.indicator === 'E') {
          const text = `${m.text}${m.secondary ? `\n${m.secondary}` : ''}`;
          const kind = classifyPcapMessage(m.text) ?? 'failed';
          result = new CaptureError(kind, m.text.trim(), { backend: 'dumpcap', details: text });
        }
      }
      return result;
    },
    stats: () => ({ received, dropped }),
    startupError: (exit) =>
      classify('dumpcap', parser.plainText, opts.device, opts.filter, `dumpcap ${exit} before capturing.`),
    stderrText: () => `${log}${parser.plainText}`,
    // dumpcap has no immediate mode: the kernel hands it packets in blocks (on a timeout) and it
    // flushes its file periodically, and on SIGTERM it exits without draining either. So wait until
    // the file has stopped growing for a while before stopping it.
    beforeStop: () => waitUntilQuiet(opts.tempFile, tool.quietMs ?? 700, tool.maxQuietWaitMs ?? 3000),
  };
  return runTool('dumpcap', command, args, protocol, opts, tool.spawnTool ?? defaultSpawnTool);
}

export async function startTcpdump(opts: BackendStartOptions, tool: ToolOptions = {}): Promise<RunningBackend> {
  const command = tool.toolPath ?? findTool('tcpdump');
  if (command === null) throw notFound('tcpdump');
  // --immediate-mode: without it tcpdump holds packets in the kernel ring until a buffer timeout and
  // loses what is still there when it is stopped. -U: write each packet out at once.
  // -B is in KiB here (see dumpcap's -B for why it is raised).
  const args = [
    '--immediate-mode',
    '-i',
    opts.device,
    '-U',
    '-s',
    String(opts.snapLen),
    '-B',
    String(BUFFER_MIB * 1024),
    '-w',
    opts.tempFile,
  ];
  if (opts.filter.trim() !== '') args.push(opts.filter);
  let text = '';
  const stats: CaptureStats = { received: 0, dropped: 0 };
  const protocol: ToolProtocol = {
    onStderr(chunk) {
      const before = text;
      text = appendCapped(text, chunk.toString('utf8'));
      const captured = /(\d+) packets? captured/.exec(text);
      if (captured) stats.received = Number(captured[1]);
      const kernel = /(\d+) packets? dropped by kernel/.exec(text);
      if (kernel) stats.dropped = Number(kernel[1]);
      const iface = /(\d+) packets? dropped by interface/.exec(text);
      if (iface) stats.ifDropped = Number(iface[1]);
      return /listening on/.test(text) && !/listening on/.test(before) ? 'ready' : null;
    },
    stats: () => ({ ...stats }),
    // tcpdump drops what it has not read yet when it is stopped; give it a moment to catch up.
    beforeStop: () => waitUntilQuiet(opts.tempFile, tool.quietMs ?? 150, tool.maxQuietWaitMs ?? 2000),
    startupError: (exit) => classify('tcpdump', text, opts.device, opts.filter, `tcpdump ${exit} before capturing.`),
    stderrText: () => text,
  };
  return runTool('tcpdump', command, args, protocol, opts, tool.spawnTool ?? defaultSpawnTool);
}
