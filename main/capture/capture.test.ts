/**
 * Live capture on the loopback interface with every backend this machine has. Needs root (or
 * capture capabilities): traffic goes only to a server this test starts on 127.0.0.1.
 */
import { execFileSync, spawn as execSpawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../core/pcap/reader';
import type { PacketRecord } from '../../core/pcap/types';
import { findTool } from './backend';
import { forkCaptureWorker } from './cap-backend';
import { CaptureError, listInterfaces, loopbackDevice, startCapture, type CaptureSession } from './index';
import { firstClosedFolder, stageCaptureWorker, type StagedWorker } from './worker-staging';
import { httpGet, peekTcp, runTool, startHttpServer, SYN, waitFor } from './test-helpers';

const repo = path.resolve(__dirname, '..', '..');
const workerPath = path.join(repo, 'out', 'capture', 'capture-worker.js');
const isRoot = process.getuid?.() === 0;
const device = loopbackDevice();

function capLoads(): boolean {
  try {
    execFileSync(process.execPath, ['-e', "require('cap').Cap.deviceList()"], { cwd: repo, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const available = {
  cap: isRoot && capLoads(),
  dumpcap: isRoot && findTool('dumpcap') !== null,
  tcpdump: isRoot && findTool('tcpdump') !== null,
};
const capinfos = findTool('dumpcap') ? 'capinfos' : null;

let server: { port: number; close: () => Promise<void> };
const tmp = mkdtempSync(path.join(os.tmpdir(), 'wirelab-capture-test-'));

beforeAll(async () => {
  // The cap backend runs the bundled worker, as the app does.
  execFileSync(process.execPath, [path.join(repo, 'scripts', 'build.mjs'), '--only=capture-worker', '--quiet'], {
    cwd: repo,
  });
  server = await startHttpServer();
}, 60_000);

afterAll(async () => {
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

function collect(session: CaptureSession): PacketRecord[] {
  const packets: PacketRecord[] = [];
  session.on('packets', (batch) => packets.push(...batch));
  return packets;
}

function sameAsFile(emitted: PacketRecord[], file: string): void {
  const { packets } = readCaptureFile(readFileSync(file));
  expect(emitted.length).toBe(packets.length);
  emitted.forEach((p, i) => {
    expect(Buffer.from(p.data).equals(Buffer.from(packets[i].data))).toBe(true);
    expect([p.tsSec, p.tsNsec, p.originalLength]).toEqual([
      packets[i].tsSec,
      packets[i].tsNsec,
      packets[i].originalLength,
    ]);
  });
}

async function expectCaptureError(promise: Promise<unknown>): Promise<CaptureError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CaptureError);
  return error as CaptureError;
}

const backends = ['cap', 'dumpcap', 'tcpdump'] as const;

describe.each(backends)('%s backend on loopback', (backend) => {
  const skip = !available[backend];
  if (skip) console.log(`skipping ${backend}: ${isRoot ? 'not installed / cannot load' : 'not root'}`);

  it.skipIf(skip)(
    'is ready before the first SYN, emits what the temp file holds, and saves a file Wireshark reads',
    async () => {
      const t0 = performance.now();
      const session = await startCapture({
        backend,
        device,
        filter: `tcp port ${server.port}`,
        tempDir: tmp,
        workerPath,
      });
      const readyMs = performance.now() - t0;
      console.log(`${backend}: ready after ${readyMs.toFixed(1)} ms (session.readyMs ${session.readyMs.toFixed(1)})`);
      expect(session.backend).toBe(backend);
      expect(session.device).toBe(device);
      const packets = collect(session);
      const stats: number[] = [];
      session.on('stats', (s) => stats.push(s.received));
      const ends: number[] = [];
      session.on('end', () => ends.push(packets.length));

      const firstClientPort = await httpGet(server.port); // no delay after ready: the SYN must be captured
      await httpGet(server.port);
      await httpGet(server.port);
      const result = await session.stop();
      expect(await session.stop()).toEqual(result); // idempotent

      const syn = packets
        .map(peekTcp)
        .findIndex((t) => t !== null && t.flags === SYN && t.srcPort === firstClientPort && t.dstPort === server.port);
      expect(syn).toBeGreaterThanOrEqual(0);
      // Everything is this test's traffic: 3 connections, each at least SYN, SYN/ACK, ACK, request, response, FIN, FIN.
      expect(packets.length).toBeGreaterThanOrEqual(21);
      expect(
        packets.every((p) => {
          const t = peekTcp(p);
          return t !== null && (t.srcPort === server.port || t.dstPort === server.port);
        }),
      ).toBe(true);
      expect(result.packets).toBe(packets.length);
      expect(result.tempFile).toBe(session.tempFile);
      expect(ends).toEqual([packets.length]);
      expect(session.stats.received).toBeGreaterThanOrEqual(packets.length);
      expect(stats.at(-1)).toBe(session.stats.received);
      sameAsFile(packets, result.tempFile);

      const saved = path.join(tmp, `${backend}-saved.pcapng`);
      const save = await session.saveAs(saved);
      expect(save).toMatchObject({ packets: packets.length, format: 'pcapng' });
      expect(readFileSync(saved).readUInt32LE(0)).toBe(0x0a0d0d0a);
      if (capinfos === null || findTool('tcpdump') === null) {
        console.log('skipping the capinfos/tshark check: not installed');
      } else {
        const info = await runTool('capinfos', ['-c', '-M', saved]);
        expect(info.ok, info.stderr).toBe(true);
        expect(info.stdout).toMatch(new RegExp(`Number of packets:\\s+${packets.length}\\b`));
        const tshark = await runTool('tshark', [
          '-r',
          saved,
          '-Y',
          'tcp.flags.syn == 1 && tcp.flags.ack == 0',
          '-T',
          'fields',
          '-e',
          'tcp.srcport',
        ]);
        expect(tshark.ok, tshark.stderr).toBe(true);
        expect(tshark.stdout.split('\n')).toContain(String(firstClientPort));
      }
    },
  );

  it.skipIf(skip)(
    'reports a crash (kill -9) with the packets captured so far, and a new capture then starts',
    async () => {
      const session = await startCapture({
        backend,
        device,
        filter: `tcp port ${server.port}`,
        tempDir: tmp,
        workerPath,
      });
      const packets = collect(session);
      const errors: CaptureError[] = [];
      session.on('error', (e) => errors.push(e));
      const ended = new Promise<void>((resolve) => session.once('end', resolve));
      await httpGet(server.port);
      // dumpcap hands packets over in blocks; wait until they are in the file.
      expect(await waitFor(() => packets.length >= 7, 5000), `${packets.length} packets before the kill`).toBe(true);
      const before = packets.length;
      expect(session.pid).toBeGreaterThan(0);
      process.kill(session.pid as number, 'SIGKILL');
      await ended;
      expect(errors.map((e) => e.message)).toHaveLength(1);
      expect(errors[0].code).toBe('crashed');
      expect(errors[0].message).toMatch(/SIGKILL/);
      expect(errors[0].remedy).toMatch(/start a new capture/i);
      expect(packets.length).toBeGreaterThanOrEqual(before);
      sameAsFile(packets, session.tempFile);
      const result = await session.stop();
      expect(result.packets).toBe(packets.length);

      const again = await startCapture({
        backend,
        device,
        filter: `tcp port ${server.port}`,
        tempDir: tmp,
        workerPath,
      });
      const more = collect(again);
      const port = await httpGet(server.port);
      await again.stop();
      expect(
        more.some((p) => peekTcp(p)?.srcPort === port && peekTcp(p)?.flags === SYN),
        `new capture: ${more.length} packets`,
      ).toBe(true);
    },
  );

  it.skipIf(skip)('rejects a bad capture filter with the parser message', async () => {
    const error = await expectCaptureError(
      startCapture({ backend, device, filter: 'tcp port 8001 and and', tempDir: tmp, workerPath }),
    );
    expect(error.code).toBe('bad-filter');
    expect(error.message).toMatch(/syntax error/);
    expect(error.remedy).toMatch(/BPF/);
  });

  it.skipIf(skip)('rejects an unknown device', async () => {
    const error = await expectCaptureError(
      startCapture({ backend, device: 'wirelab-nosuch0', tempDir: tmp, workerPath }),
    );
    expect(error.code).toBe('no-device');
    expect(error.message).toMatch(/wirelab-nosuch0|no such device/i);
  });
});

describe('without permission (run as user nobody)', () => {
  // nobody may not be able to read the repository at all (a clone in a private folder, such as one made
  // by `mktemp -d`): the worker it runs is a copy, with the cap module, in a world-readable temp folder.
  let staged: StagedWorker | null = null;
  beforeAll(() => {
    if (available.cap) staged = stageCaptureWorker(workerPath, path.join(repo, 'node_modules', 'cap'));
  });
  afterAll(() => staged?.remove());

  /** The staged worker, or skips (with the reason printed) when nobody could not reach it either. */
  function stagedWorker(skip: (note?: string) => never): string {
    const closed = firstClosedFolder(staged!.workerPath);
    if (closed !== null) {
      const reason = `skipped: ${closed} (above the staged worker in the temp folder) cannot be searched by other users`;
      console.log(reason);
      skip(reason);
    }
    return staged!.workerPath;
  }

  it.skipIf(!available.cap)('the cap worker reports permission with the Linux remedy', async (ctx) => {
    const error = await expectCaptureError(
      startCapture({
        backend: 'cap',
        device,
        tempDir: tmp,
        workerPath: stagedWorker(ctx.skip),
        spawnWorker: (p) => forkCaptureWorker(p, { uid: 65534, gid: 65534 }),
      }),
    );
    expect(error.code).toBe('permission');
    expect(error.message).toMatch(/not permitted/);
    if (process.platform === 'linux') expect(error.remedy).toMatch(/setcap cap_net_raw,cap_net_admin=eip/);
    if (process.platform === 'linux') expect(error.remedy).toMatch(/wireshark group/);
  });

  it.skipIf(!available.cap || !available.dumpcap || !available.tcpdump)(
    'auto tries every backend and says why each was skipped',
    async (ctx) => {
      const error = await expectCaptureError(
        startCapture({
          device,
          tempDir: tmp,
          workerPath: stagedWorker(ctx.skip),
          spawnWorker: (p) => forkCaptureWorker(p, { uid: 65534, gid: 65534 }),
          spawnTool: (command, args, options) => execSpawn(command, args, { ...options, uid: 65534, gid: 65534 }),
        }),
      );
      expect(error.code).toBe('permission');
      expect(error.details).toMatch(/^cap: .*permission/m);
      expect(error.details).toMatch(/^dumpcap: .*permission/m);
      expect(error.details).toMatch(/^tcpdump: .*permission/m);
    },
  );

  describe.skipIf(!isRoot)('a worker nobody cannot even read says why', () => {
    const places = mkdtempSync(path.join(os.tmpdir(), 'wirelab-unreadable-'));
    chmodSync(places, 0o755);
    afterAll(() => rmSync(places, { recursive: true, force: true }));

    it('in a private folder: Node\'s "Cannot find module", and what to do', async () => {
      const closed = path.join(places, 'private');
      mkdirSync(closed);
      chmodSync(closed, 0o700);
      const lonely = path.join(closed, 'capture-worker.js');
      copyFileSync(workerPath, lonely);
      const error = await expectCaptureError(
        startCapture({
          backend: 'cap',
          device,
          tempDir: tmp,
          workerPath: lonely,
          spawnWorker: (p) => forkCaptureWorker(p, { uid: 65534, gid: 65534 }),
        }),
      );
      expect(error.message).toContain(`Error: Cannot find module '${lonely}'`);
      expect(error.message).toMatch(/exited with code 1/);
      expect(error.message).toContain(`that file, its folder ${closed} and every folder above it must be readable`);
      expect(error.message).not.toMatch(/node:internal|\n\s*at /);
      expect(error.remedy).toMatch(/readable .*by the user that runs the capture/);
      expect(error.details).toMatch(/MODULE_NOT_FOUND/);
    });

    it('an unreadable file: EACCES, and what to do', async () => {
      const open = path.join(places, 'open');
      mkdirSync(open);
      chmodSync(open, 0o755);
      const unreadable = path.join(open, 'capture-worker.js');
      copyFileSync(workerPath, unreadable);
      chmodSync(unreadable, 0o600);
      const error = await expectCaptureError(
        startCapture({
          backend: 'cap',
          device,
          tempDir: tmp,
          workerPath: unreadable,
          spawnWorker: (p) => forkCaptureWorker(p, { uid: 65534, gid: 65534 }),
        }),
      );
      expect(error.message).toContain(`Error: EACCES: permission denied, open '${unreadable}'`);
      expect(error.message).toMatch(/must be readable by that user/);
    });
  });
});

describe('automatic choice', () => {
  it.skipIf(!available.dumpcap)(
    'uses dumpcap first where it is installed (kernel timestamps and drop counts)',
    async () => {
      const session = await startCapture({ device, filter: `tcp port ${server.port}`, tempDir: tmp, workerPath });
      await session.stop();
      expect(session.backend).toBe('dumpcap');
      expect(session.skipped).toEqual([]);
    },
  );

  it.skipIf(!available.cap)('falls back to cap when dumpcap is missing, and says why', async () => {
    const session = await startCapture({
      device,
      filter: `tcp port ${server.port}`,
      tempDir: tmp,
      workerPath,
      dumpcapPath: path.join(tmp, 'no-such-dumpcap'),
    });
    await session.stop();
    expect(session.backend).toBe('cap');
    // cap has no pcap_stats: its drop count is unknown, and says so rather than claiming zero.
    expect(session.stats.dropsKnown).toBe(false);
    expect(session.skipped.map((s) => s.backend)).toEqual(['dumpcap']);
    expect(session.reason).toMatch(/^cap, because dumpcap /);
  });

  it.skipIf(!available.tcpdump)('falls back to tcpdump when neither dumpcap nor cap can be used', async () => {
    // The worker copied out of the repository cannot find node_modules/cap: like a missing native build.
    const lonely = path.join(mkdtempSync(path.join(os.tmpdir(), 'wirelab-nocap-')), 'capture-worker.js');
    copyFileSync(workerPath, lonely);
    const session = await startCapture({
      device,
      filter: `tcp port ${server.port}`,
      tempDir: tmp,
      workerPath: lonely,
      dumpcapPath: path.join(tmp, 'no-such-dumpcap'),
    });
    await session.stop();
    expect(session.backend).toBe('tcpdump');
    expect(session.skipped.map((s) => s.backend)).toEqual(['dumpcap', 'cap']);
    expect(session.skipped[1].error?.code).toBe('no-backend');
    expect(session.reason).toMatch(/cap .*could not be loaded/);
  });

  it.skipIf(!available.dumpcap)('does not try other backends after a bad filter', async () => {
    const error = await expectCaptureError(startCapture({ device, filter: 'port nope', tempDir: tmp, workerPath }));
    expect(error.code).toBe('bad-filter');
    expect(error.backend).toBe('dumpcap');
  });
});

describe('listInterfaces', () => {
  it.skipIf(!existsSync('/sys/class/net/lo') || !(available.cap || available.dumpcap || available.tcpdump))(
    'lists the loopback interface with its addresses',
    async () => {
      const list = await listInterfaces({ workerPath });
      const lo = list.find((i) => i.name === device);
      expect(lo?.loopback).toBe(true);
      expect(lo?.addresses).toContain('127.0.0.1');
    },
  );
});
