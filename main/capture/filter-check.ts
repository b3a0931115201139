/**
 * Checks a BPF capture filter before a capture starts, by compiling it for the chosen interface
 * with the tool the capture would use: `dumpcap -i DEV -f FILTER -d` (Wireshark's way; it prints
 * the BPF program, or the libpcap compiler's message), else `tcpdump -d -i DEV -- FILTER`.
 * Both compile for the interface's own link type, so a filter valid on Ethernet but not on
 * DLT_NULL is caught too. A missing interface is reported as such, not as a bad filter.
 */
import { execFile } from 'node:child_process';
import { findTool } from './backend';
import { CaptureError, classifyPcapMessage } from './errors';

export interface FilterCheck {
  /** true: it compiles; false: the compiler refused it (see message); null: nothing could check it. */
  valid: boolean | null;
  /** The compiler's message when it is invalid (libpcap's text, e.g. "syntax error"). */
  message?: string;
  /** Why the filter could not be checked: the interface is gone, no permission, no tool. */
  error?: CaptureError;
  /** Which tool compiled it. */
  checkedBy?: 'dumpcap' | 'tcpdump';
  /** Length of the compiled BPF program, when valid. */
  instructions?: number;
}

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export type RunTool = (command: string, args: string[]) => Promise<ToolRun>;

export interface FilterCheckOptions {
  dumpcapPath?: string | null;
  tcpdumpPath?: string | null;
  /** How tools are run (tests); default execFile with a 10 s timeout. */
  run?: RunTool;
}

const defaultRun: RunTool = (command, args) =>
  new Promise((resolve) => {
    execFile(command, args, { timeout: 10_000, windowsHide: true, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });

/** Lines of a BPF program as `-d` prints them: "(000) ldh      [12]". */
function countInstructions(text: string): number {
  return text.split(/\r?\n/).filter((line) => /^\(\d{3,}\)\s/.test(line)).length;
}

type Outcome = FilterCheck | { next: CaptureError };

function deviceError(kind: 'permission' | 'no-device', device: string, text: string, tool: string): CaptureError {
  const message =
    kind === 'no-device'
      ? `There is no interface "${device}" (it may have been removed or renamed).`
      : `No permission to open "${device}" with ${tool}.`;
  return new CaptureError(kind, message, { details: text });
}

function fromDumpcap(run: ToolRun, device: string): Outcome {
  const instructions = countInstructions(run.stdout);
  if (instructions > 0) return { valid: true, checkedBy: 'dumpcap', instructions };
  const text = run.stderr.trim();
  if (/Invalid capture filter/i.test(text)) {
    // "That string isn't a valid capture filter (can't parse filter expression: syntax error)."
    const inner = /valid capture filter \((.*)\)\.?/i.exec(text)?.[1];
    const first = text.split(/\r?\n/).find((l) => /Invalid capture filter/i.test(l)) ?? text;
    return { valid: false, checkedBy: 'dumpcap', message: inner ?? first.replace(/^dumpcap:\s*/, '') };
  }
  const kind = classifyPcapMessage(text);
  if (kind === 'no-device') return { valid: null, error: deviceError(kind, device, text, 'dumpcap') };
  return { next: deviceError(kind ?? 'permission', device, text || `dumpcap exited with ${run.code}`, 'dumpcap') };
}

function fromTcpdump(run: ToolRun, device: string): Outcome {
  const instructions = countInstructions(run.stdout);
  if (run.code === 0 && instructions > 0) return { valid: true, checkedBy: 'tcpdump', instructions };
  const text = run.stderr.trim();
  const lines = text.split(/\r?\n/).map((l) => l.replace(/^tcpdump:\s*/, ''));
  const first = lines[0] ?? '';
  if (first.startsWith(`${device}:`) || /^(pcap_|socket|can't (create|open))/i.test(first)) {
    const kind = classifyPcapMessage(text);
    if (kind === 'no-device') return { valid: null, error: deviceError(kind, device, text, 'tcpdump') };
    return { next: deviceError('permission', device, text, 'tcpdump') };
  }
  if (first !== '') return { valid: false, checkedBy: 'tcpdump', message: first };
  return { next: new CaptureError('failed', `tcpdump could not check the filter (exit ${run.code}).`) };
}

/**
 * Compiles `filter` for `device`. Never throws: a refused filter is `valid: false` with the
 * compiler's message; an interface that is gone is `error` with code 'no-device'.
 */
export async function checkCaptureFilter(
  filter: string,
  device: string,
  opts: FilterCheckOptions = {},
): Promise<FilterCheck> {
  const run = opts.run ?? defaultRun;
  const dumpcap = opts.dumpcapPath === undefined ? findTool('dumpcap') : opts.dumpcapPath;
  const tcpdump = opts.tcpdumpPath === undefined ? findTool('tcpdump') : opts.tcpdumpPath;
  let last: CaptureError | undefined;
  if (dumpcap) {
    const outcome = fromDumpcap(await run(dumpcap, ['-i', device, '-f', filter, '-d']), device);
    if (!('next' in outcome)) return outcome;
    last = outcome.next;
  }
  if (tcpdump) {
    const outcome = fromTcpdump(await run(tcpdump, ['-d', '-i', device, '--', filter]), device);
    if (!('next' in outcome)) return outcome;
    last = outcome.next;
  }
  return {
    valid: null,
    error:
      last ??
      new CaptureError(
        'no-backend',
        'Neither dumpcap nor tcpdump is installed to check the filter: it will be checked when the capture starts.',
      ),
  };
}
