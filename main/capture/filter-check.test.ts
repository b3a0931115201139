/**
 * checkCaptureFilter's reading of dumpcap's and tcpdump's answers, with their real texts (dumpcap 4.0,
 * tcpdump 4.99 on Debian 12: dumpcap -d exits 0 even when it refuses the filter).
 */
import { describe, expect, it } from 'vitest';
import { checkCaptureFilter, type RunTool, type ToolRun } from './filter-check';

const PROGRAM =
  '(000) ldh      [12]\n(001) jeq      #0x800           jt 2\tjf 3\n(002) ret      #262144\n(003) ret      #0\n';

function fake(answers: Record<string, ToolRun>): { run: RunTool; calls: string[][] } {
  const calls: string[][] = [];
  const run: RunTool = async (command, args) => {
    calls.push([command, ...args]);
    return answers[command] ?? { code: 127, stdout: '', stderr: 'not found' };
  };
  return { run, calls };
}

describe('checkCaptureFilter', () => {
  it('dumpcap: a program is valid; its refusal (exit 0) is invalid with libpcap’s message', async () => {
    const ok = fake({ dumpcap: { code: 0, stdout: PROGRAM, stderr: "Capturing on 'Loopback: lo'\n" } });
    expect(await checkCaptureFilter('ip', 'lo', { dumpcapPath: 'dumpcap', tcpdumpPath: null, run: ok.run })).toEqual({
      valid: true,
      checkedBy: 'dumpcap',
      instructions: 4,
    });
    expect(ok.calls).toEqual([['dumpcap', '-i', 'lo', '-f', 'ip', '-d']]);

    const bad = fake({
      dumpcap: {
        code: 0,
        stdout: '',
        stderr:
          "Capturing on 'Loopback: lo'\ndumpcap: Invalid capture filter \"tcp prt 80\" for interface 'lo'.\n\n" +
          "That string isn't a valid capture filter (can't parse filter expression: syntax error).\n" +
          "See the User's Guide for a description of the capture filter syntax.\n",
      },
    });
    expect(
      await checkCaptureFilter('tcp prt 80', 'lo', { dumpcapPath: 'dumpcap', tcpdumpPath: null, run: bad.run }),
    ).toEqual({
      valid: false,
      checkedBy: 'dumpcap',
      message: "can't parse filter expression: syntax error",
    });
  });

  it('a missing interface is an error, not a bad filter', async () => {
    const gone = fake({
      dumpcap: {
        code: 0,
        stdout: '',
        stderr: 'Capturing on \'eth9\'\ndumpcap: There is no device named "eth9".\n(No such device exists)\n',
      },
    });
    const check = await checkCaptureFilter('tcp', 'eth9', { dumpcapPath: 'dumpcap', tcpdumpPath: null, run: gone.run });
    expect(check.valid).toBeNull();
    expect(check.error?.code).toBe('no-device');
    expect(check.error?.message).toBe('There is no interface "eth9" (it may have been removed or renamed).');
  });

  it('dumpcap without permission: tcpdump compiles it; without any tool it is unchecked, not refused', async () => {
    const denied = fake({
      dumpcap: {
        code: 0,
        stdout: '',
        stderr: "dumpcap: You don't have permission to capture on that device (socket: Operation not permitted)\n",
      },
      tcpdump: { code: 1, stdout: '', stderr: "tcpdump: can't parse filter expression: syntax error\n" },
    });
    const check = await checkCaptureFilter('tcp prt 80', 'lo', {
      dumpcapPath: 'dumpcap',
      tcpdumpPath: 'tcpdump',
      run: denied.run,
    });
    expect(check).toEqual({
      valid: false,
      checkedBy: 'tcpdump',
      message: "can't parse filter expression: syntax error",
    });
    expect(denied.calls[1]).toEqual(['tcpdump', '-d', '-i', 'lo', '--', 'tcp prt 80']);

    const tcpdumpDenied = fake({
      dumpcap: { code: 1, stdout: '', stderr: 'dumpcap: Permission denied\n' },
      tcpdump: { code: 1, stdout: '', stderr: "tcpdump: lo: You don't have permission to capture on that device\n" },
    });
    const unchecked = await checkCaptureFilter('tcp', 'lo', {
      dumpcapPath: 'dumpcap',
      tcpdumpPath: 'tcpdump',
      run: tcpdumpDenied.run,
    });
    expect(unchecked.valid).toBeNull();
    expect(unchecked.error?.code).toBe('permission');

    const none = await checkCaptureFilter('tcp', 'lo', { dumpcapPath: null, tcpdumpPath: null, run: fake({}).run });
    expect(none.valid).toBeNull();
    expect(none.error?.code).toBe('no-backend');
  });

  it('tcpdump: a program is valid; a bad port is refused with its message', async () => {
    const ok = fake({ tcpdump: { code: 0, stdout: PROGRAM, stderr: '' } });
    expect(await checkCaptureFilter('ip', 'lo', { dumpcapPath: null, tcpdumpPath: 'tcpdump', run: ok.run })).toEqual({
      valid: true,
      checkedBy: 'tcpdump',
      instructions: 4,
    });
    const bad = fake({ tcpdump: { code: 1, stdout: '', stderr: 'tcpdump: illegal port number 99999 > 65535\n' } });
    expect(
      await checkCaptureFilter('port 99999', 'lo', { dumpcapPath: null, tcpdumpPath: 'tcpdump', run: bad.run }),
    ).toEqual({
      valid: false,
      checkedBy: 'tcpdump',
      message: 'illegal port number 99999 > 65535',
    });
  });
});
