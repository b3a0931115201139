import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../core/pcap/reader';
import type { PacketRecord } from '../../core/pcap/types';
import { CaptureError, startCapture } from './index';
import { CaptureFileTail } from './tail';

const fixture = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'captures', 'lab', 'lab-linux-ipv4.pcap');
const fixtureNg = path.resolve(
  __dirname,
  '..',
  '..',
  'test',
  'fixtures',
  'captures',
  'lab',
  'lab-dumpcap-lo-any.pcapng',
);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'wirelab-replay-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function expectSamePackets(actual: PacketRecord[], expected: PacketRecord[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((p, i) => {
    expect(Buffer.from(p.data).equals(Buffer.from(expected[i].data))).toBe(true);
    expect([p.tsSec, p.tsNsec, p.originalLength, p.linkType]).toEqual([
      expected[i].tsSec,
      expected[i].tsNsec,
      expected[i].originalLength,
      expected[i].linkType,
    ]);
  });
}

describe('file replay backend', () => {
  it.each([fixture, fixtureNg])('reproduces %s packet for packet, in order, and ends by itself', async (file) => {
    const expected = readCaptureFile(readFileSync(file)).packets;
    const session = await startCapture({ replayFile: file, tempDir: tmp });
    expect(session.backend).toBe('replay');
    const packets: PacketRecord[] = [];
    session.on('packets', (batch) => packets.push(...batch));
    await new Promise<void>((resolve) => session.once('end', resolve));
    expectSamePackets(packets, expected);
    expect(readFileSync(session.tempFile).equals(readFileSync(file))).toBe(true);
    expect(session.stats.received).toBe(expected.length);
    expect(await session.stop()).toEqual({ packets: expected.length, dropped: 0, tempFile: session.tempFile });
  });

  it('paces packets by their timestamps when asked', async () => {
    const expected = readCaptureFile(readFileSync(fixture)).packets;
    const span = expected.at(-1)!.tsSec - expected[0].tsSec + (expected.at(-1)!.tsNsec - expected[0].tsNsec) / 1e9;
    const speed = 20;
    const t0 = performance.now();
    const session = await startCapture({ replayFile: fixture, tempDir: tmp, replaySpeed: speed });
    const arrivals: number[] = [];
    const packets: PacketRecord[] = [];
    session.on('packets', (batch) => {
      packets.push(...batch);
      for (const _ of batch) arrivals.push(performance.now() - t0);
    });
    await new Promise<void>((resolve) => session.once('end', resolve));
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(((span * 1000) / speed) * 0.9);
    expectSamePackets(packets, expected);
    // Not all at once: the first packet arrived well before the last.
    expect(arrivals.at(-1)! - arrivals[0]).toBeGreaterThan(((span * 1000) / speed) * 0.5);
  });

  it('stop() during a paced replay keeps what was replayed so far', async () => {
    const session = await startCapture({ replayFile: fixture, tempDir: tmp, replaySpeed: 1 });
    const packets: PacketRecord[] = [];
    session.on('packets', (batch) => packets.push(...batch));
    await new Promise((r) => setTimeout(r, 300));
    const result = await session.stop();
    expect(result.packets).toBe(packets.length);
    expect(result.packets).toBeGreaterThan(0);
    expect(result.packets).toBeLessThan(30);
    expectSamePackets(packets, readCaptureFile(readFileSync(fixture)).packets.slice(0, packets.length));
  });

  it('rejects a file that is not a capture', async () => {
    const bogus = path.join(tmp, 'notes.txt');
    writeFileSync(bogus, 'hello, this is not a capture file');
    const error = await startCapture({ replayFile: bogus, tempDir: tmp }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaptureError);
    expect((error as CaptureError).code).toBe('failed');
    expect((error as CaptureError).message).toMatch(/not a capture file/);
  });

  it('saveAs converts a pcap temp file to pcapng, or copies it to a .pcap name', async () => {
    const session = await startCapture({ replayFile: fixture, tempDir: tmp });
    await new Promise<void>((resolve) => session.once('end', resolve));
    const asNg = path.join(tmp, 'saved.pcapng');
    expect(await session.saveAs(asNg)).toEqual({ path: asNg, packets: 30, format: 'pcapng' });
    const saved = readCaptureFile(readFileSync(asNg));
    expect(saved.info.format).toBe('pcapng');
    expect(saved.error).toBeNull();
    expectSamePackets(saved.packets, readCaptureFile(readFileSync(fixture)).packets);
    const asPcap = path.join(tmp, 'saved.pcap');
    expect(await session.saveAs(asPcap)).toMatchObject({ format: 'pcap', packets: 30 });
    expect(readFileSync(asPcap).equals(readFileSync(fixture))).toBe(true);
  });
});

describe('CaptureFileTail', () => {
  it('emits every packet of a file that grows in pieces split anywhere', async () => {
    const bytes = readFileSync(fixtureNg);
    const expected = readCaptureFile(bytes).packets;
    const file = path.join(tmp, 'growing.pcapng');
    await writeFile(file, Buffer.alloc(0));
    const packets: PacketRecord[] = [];
    const tail = new CaptureFileTail(file, (batch) => packets.push(...batch), 5);
    tail.start();
    let offset = 0;
    let step = 1;
    while (offset < bytes.length) {
      const end = Math.min(bytes.length, offset + step);
      await appendFile(file, bytes.subarray(offset, end));
      offset = end;
      step = (step * 7 + 3) % 997; // odd sizes: records split at arbitrary bytes
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(await tail.finish()).toBeNull();
    expectSamePackets(packets, expected);
    expect(tail.packetCount).toBe(expected.length);
  });

  it('reports a record cut short at the end (a capture process killed mid-write)', async () => {
    const bytes = readFileSync(fixtureNg);
    const file = path.join(tmp, 'cut.pcapng');
    await writeFile(file, bytes.subarray(0, bytes.length - 10));
    const packets: PacketRecord[] = [];
    const tail = new CaptureFileTail(file, (batch) => packets.push(...batch));
    await tail.poll();
    const error = await tail.finish();
    expect(error).not.toBeNull();
    expect(packets.length).toBe(readCaptureFile(bytes).packets.length - 1);
  });
});
