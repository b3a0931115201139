import { EventEmitter } from 'node:events';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import {
  electronWorkerPath,
  utilityProcessSpawner,
  type UtilityProcessLike,
} from '../../main/electron/capture-utility';

class FakeUtilityProcess extends EventEmitter {
  pid: number | undefined = 4242;
  stderr = new PassThrough();
  posted: unknown[] = [];
  killed = 0;
  postMessage(message: unknown) {
    this.posted.push(message);
  }
  kill() {
    this.killed++;
    return true;
  }
}

describe('utilityProcess capture adapter', () => {
  it('forks the worker with piped stderr and relays messages, exit and errors', () => {
    const child = new FakeUtilityProcess();
    const fork = vi.fn(() => child as unknown as UtilityProcessLike);
    const handle = utilityProcessSpawner({ fork })('/app/out/capture/capture-worker.js');
    expect(fork).toHaveBeenCalledWith('/app/out/capture/capture-worker.js', [], {
      stdio: ['ignore', 'ignore', 'pipe'],
      serviceName: 'WireLab capture',
    });
    expect(handle.pid).toBe(4242);

    handle.postMessage({ type: 'list' });
    expect(child.posted).toEqual([{ type: 'list' }]);

    const messages: unknown[] = [];
    handle.onMessage((m) => messages.push(m));
    child.emit('message', { type: 'ready', linkType: 1, linkName: 'ETHERNET' });
    expect(messages).toEqual([{ type: 'ready', linkType: 1, linkName: 'ETHERNET' }]);

    const errors: Error[] = [];
    handle.onError?.((e) => errors.push(e));
    child.emit('error', 'FatalError', 'v8::Something', 'report');
    expect(errors[0].message).toMatch(/FatalError at v8::Something/);

    child.stderr.write('pcap: permission denied\n');
    expect(handle.stderrText?.()).toContain('permission denied');

    const exits: Array<[number | null, string | null]> = [];
    handle.onExit((code, signal) => exits.push([code, signal]));
    child.emit('exit', 2);
    expect(exits).toEqual([[2, null]]);

    // After exit, nothing is posted or killed.
    handle.postMessage({ type: 'stop' });
    handle.kill('SIGTERM');
    expect(child.posted).toHaveLength(1);
    expect(child.killed).toBe(0);
  });

  it('kill() terminates a running worker (utilityProcess takes no signal)', () => {
    const child = new FakeUtilityProcess();
    const handle = utilityProcessSpawner({ fork: () => child as unknown as UtilityProcessLike })('/w.js');
    handle.kill('SIGKILL');
    expect(child.killed).toBe(1);
  });

  it('the packaged worker runs from app.asar.unpacked', () => {
    const asar = path.join('/opt', 'WireLab', 'resources', 'app.asar');
    expect(electronWorkerPath(asar, true)).toBe(
      path.join('/opt', 'WireLab', 'resources', 'app.asar.unpacked', 'out', 'capture', 'capture-worker.js'),
    );
    expect(electronWorkerPath('/repo', false)).toBe(path.join('/repo', 'out', 'capture', 'capture-worker.js'));
  });
});
