/**
 * Writers: what we write reads back identically, and Wireshark's own tools (capinfos, tshark)
 * accept it and see the same packets tshark saw in the original fixture.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureReader, readCaptureFile } from './reader';
import type { PacketRecord } from './types';
import { PcapngWriter, writePcap, writePcapng } from './writer';

const CAPTURES = join(__dirname, '../../test/fixtures/captures');
const captureFiles: string[] = ['lab', 'public'].flatMap((dir) =>
  readdirSync(join(CAPTURES, dir))
    .filter((f) => /\.(pcap|pcapng)$/.test(f))
    .map((f) => `${dir}/${f}`),
);
const load = (file: string): Uint8Array => new Uint8Array(readFileSync(join(CAPTURES, file)));

const TSHARK = '/usr/bin/tshark';
const CAPINFOS = '/usr/bin/capinfos';
const haveTshark = existsSync(TSHARK);

/** What a reader consumer sees of a record, minus where it sat in the file. */
function visible(packets: PacketRecord[]): unknown[] {
  return packets.map((p) => ({
    data: Array.from(p.data),
    originalLength: p.originalLength,
    tsSec: p.tsSec,
    tsNsec: p.tsNsec,
    interfaceId: p.interfaceId,
    linkType: p.linkType,
    comments: p.comments,
    pcapngBlock: p.pcapngBlock,
  }));
}

/** What tshark -w keeps: packets, and pcapng Custom Blocks that may be copied (0x00000BAD). */
const copied = (packets: PacketRecord[]): PacketRecord[] =>
  packets.filter((p) => p.pcapngBlock === undefined || p.pcapngBlock.type === 0x00000bad);

/** A file with a single link type and resolution can also be written as classic pcap. */
function pcapCompatible(file: string): boolean {
  const { info } = readCaptureFile(load(file));
  const kinds = new Set(info.interfaces.map((i) => `${i.linkType}/${i.tsUnitsPerSecond}`));
  return kinds.size === 1 && [1e6, 1e9].includes(info.interfaces[0].tsUnitsPerSecond);
}

function asPcap(file: string): Uint8Array {
  const { info, packets } = readCaptureFile(load(file));
  const iface = info.interfaces[0];
  return writePcap(packets, {
    linkType: iface.linkType,
    snapLen: iface.snapLen,
    nanosecond: iface.tsUnitsPerSecond === 1e9,
  });
}

describe('round trip: read → write → read gives the same records', () => {
  for (const file of captureFiles) {
    it(`${file} via writePcapng`, () => {
      const original = readCaptureFile(load(file));
      const again = readCaptureFile(writePcapng(original.info, original.packets));
      expect(again.error).toBeNull();
      // Simple Packet Blocks carry no time; they are written as EPBs with time 0. Custom Blocks
      // come back as they were (section 0: one section is written), unless they may not be copied.
      const expected = copied(original.packets).map((p) =>
        p.pcapngBlock ? { ...p, pcapngBlock: { ...p.pcapngBlock, section: 0 } } : p,
      );
      expect(visible(again.packets)).toEqual(visible(expected));
      expect(again.info.interfaces).toEqual(original.info.interfaces.map((i) => ({ ...i, section: 0 })));
      expect(again.info.comments).toEqual(original.info.comments);
      expect([again.info.hardware, again.info.os, again.info.application]).toEqual([
        original.info.hardware,
        original.info.os,
        original.info.application,
      ]);
    });
  }

  for (const file of captureFiles.filter(pcapCompatible)) {
    it(`${file} via writePcap`, () => {
      const original = readCaptureFile(load(file));
      const again = readCaptureFile(asPcap(file));
      expect(again.info.format).toBe('pcap');
      // pcap has one interface and no comments.
      const flattened = original.packets.map((p) => ({ ...p, interfaceId: 0, comments: undefined }));
      expect(visible(again.packets)).toEqual(visible(flattened));
    });
  }

  it('writePcap reproduces a little-endian pcap file byte for byte', () => {
    // lab files were written by tcpdump (LE, v2.4, thiszone 0): the whole file must come out identical.
    for (const file of ['lab/lab-linux-ipv4.pcap', 'public/tcpdump-tcp-handshake-nano.pcap']) {
      expect(Buffer.from(asPcap(file)).equals(Buffer.from(load(file))), file).toBe(true);
    }
  });
});

describe('PcapngWriter: chunks a capture process can append to a growing file', () => {
  const writer = new PcapngWriter({
    interfaces: [
      { linkType: 1, snapLen: 262144, name: 'lo', description: 'Loopback 回环', tsUnitsPerSecond: 1e9 },
      { linkType: 0, snapLen: 65535, name: 'lo0', tsUnitsPerSecond: 1e6 },
    ],
    comment: '实验二: HTTP 抓包',
    application: 'WireLab 0.1.0',
    os: 'Linux',
    hardware: 'x86_64',
  });
  const packets: PacketRecord[] = [
    {
      data: Uint8Array.of(1, 2, 3),
      originalLength: 3,
      tsSec: 1795459908,
      tsNsec: 17088807,
      interfaceId: 0,
      linkType: 1,
    },
    {
      data: Uint8Array.of(2, 0, 0, 0, 0x45),
      originalLength: 60,
      tsSec: 1795459908,
      tsNsec: 123456000,
      interfaceId: 1,
      linkType: 0,
      comments: ['SYN', 'second comment'],
    },
  ];

  it('header() and each packet() are self-contained blocks a streaming reader takes one at a time', () => {
    const reader = new CaptureReader();
    expect(reader.push(writer.header())).toEqual([]);
    expect(reader.info?.interfaces.map((i) => i.name)).toEqual(['lo', 'lo0']);
    expect(reader.info?.comments).toEqual(['实验二: HTTP 抓包']);
    expect(reader.info?.interfaces[0].description).toBe('Loopback 回环');
    for (const p of packets) {
      const got = reader.push(writer.packet(p));
      expect(visible(got)).toEqual(visible([p]));
    }
    expect(reader.end()).toBeNull();
  });

  it('rejects a packet for an interface it does not have', () => {
    expect(() => writer.packet({ ...packets[0], interfaceId: 2 })).toThrow(RangeError);
  });

  it('writes ns and µs timestamps exactly (µs truncates sub-µs digits)', () => {
    const t = { tsSec: 4102444800, tsNsec: 999999999 }; // 2100-01-01, beyond 2^32 µs and 2^53 ns
    const [a, b] = readCaptureFile(
      new Uint8Array([
        ...writer.header(),
        ...writer.packet({ ...packets[0], ...t }),
        ...writer.packet({ ...packets[1], ...t }),
      ]),
    ).packets;
    expect([a.tsSec, a.tsNsec]).toEqual([4102444800, 999999999]);
    expect([b.tsSec, b.tsNsec]).toEqual([4102444800, 999999000]);
  });
});

describe('Wireshark accepts what we write', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirelab-pcap-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const rowsOf = (tsv: string): string[][] =>
    tsv
      .split('\n')
      .filter((l) => l.length > 0)
      .slice(1)
      .map((l) => l.split('\t'));

  /** tshark's time, lengths and comment for each frame; custom-block rows (see reader.test.ts) dropped. */
  function tsharkView(path: string): string[] {
    const out = execFileSync(
      TSHARK,
      [
        '-r',
        path,
        '-T',
        'fields',
        '-E',
        'header=y',
        '-E',
        'separator=/t',
        '-e',
        'frame.time_epoch',
        '-e',
        'frame.len',
        '-e',
        'frame.cap_len',
        '-e',
        'frame.comment',
        '-e',
        '_ws.col.Protocol',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return rowsOf(out)
      .filter((r) => r[4] !== 'PCAPNG')
      .map((r) => r.slice(0, 4).join('\t'));
  }

  /** The same four columns from the committed tshark view of the original fixture. */
  function fixtureView(file: string): string[] {
    const meta = rowsOf(readFileSync(join(CAPTURES, `${file}.tshark.frame.tsv`), 'utf8'));
    const fields = rowsOf(readFileSync(join(CAPTURES, `${file}.tshark.tsv`), 'utf8'));
    return meta
      .map((m, i) => ({ time: m[1], comment: m[5], len: fields[i][1], capLen: fields[i][2], protocol: fields[i][3] }))
      .filter((r) => r.protocol !== 'PCAPNG')
      .map((r) => [r.time, r.len, r.capLen, r.comment].join('\t'));
  }

  /** SPB rows have no time in the original; we write them with time 0. */
  const withZeroTime = (rows: string[]): string[] => rows.map((r) => (r.startsWith('\t') ? `0.000000000${r}` : r));

  for (const file of captureFiles) {
    it(`tshark and capinfos read our pcapng of ${file}`, () => {
      if (!haveTshark) {
        console.log('skipped: tshark not installed');
        return;
      }
      const { info, packets } = readCaptureFile(load(file));
      const path = join(dir, file.replace('/', '_') + '.pcapng');
      writeFileSync(path, writePcapng(info, packets));
      expect(tsharkView(path)).toEqual(withZeroTime(fixtureView(file)));
      const capinfos = execFileSync(CAPINFOS, ['-c', '-M', path], { encoding: 'utf8' });
      // capinfos counts packets only, not Custom Blocks.
      const packetCount = packets.filter((p) => p.pcapngBlock === undefined).length;
      expect(capinfos).toMatch(new RegExp(`Number of packets:\\s+${packetCount}\\n`));
    });
  }

  for (const file of captureFiles.filter(pcapCompatible)) {
    it(`tshark reads our pcap of ${file}`, () => {
      if (!haveTshark) {
        console.log('skipped: tshark not installed');
        return;
      }
      const path = join(dir, file.replace('/', '_') + '.pcap');
      writeFileSync(path, asPcap(file));
      expect(tsharkView(path)).toEqual(fixtureView(file).map((r) => r.replace(/\t[^\t]*$/, '\t')));
    });
  }

  it('capinfos sees the section and interface options PcapngWriter writes', () => {
    if (!haveTshark) {
      console.log('skipped: tshark not installed');
      return;
    }
    const writer = new PcapngWriter({
      interfaces: [
        { linkType: 1, snapLen: 262144, name: 'lo', description: 'Loopback' },
        { linkType: 0, snapLen: 65535, tsUnitsPerSecond: 1e6 },
      ],
      comment: 'lab 2',
      application: 'WireLab',
      os: 'Linux',
      hardware: 'x86_64',
    });
    const path = join(dir, 'writer-options.pcapng');
    const packet: PacketRecord = {
      data: new Uint8Array(14),
      originalLength: 14,
      tsSec: 1700000000,
      tsNsec: 5,
      interfaceId: 0,
      linkType: 1,
    };
    writeFileSync(path, new Uint8Array([...writer.header(), ...writer.packet(packet)]));
    const out = execFileSync(CAPINFOS, ['-M', path], { encoding: 'utf8' });
    expect(out).toMatch(/Capture hardware:\s+x86_64\n/);
    expect(out).toMatch(/Capture oper-sys:\s+Linux\n/);
    expect(out).toMatch(/Capture application:\s+WireLab\n/);
    expect(out).toMatch(/Capture comment:\s+lab 2\n/);
    expect(out).toMatch(/Interface #0 info:\n\s+Name = lo\n\s+Description = Loopback\n\s+Encapsulation = Ethernet/);
    expect(out).toMatch(
      /Time ticks per second = 1000000000\n[\s\S]*Interface #1 info:[\s\S]*NULL\/Loopback[\s\S]*Time ticks per second = 1000000\n/,
    );
    expect(tsharkView(path)).toEqual(['1700000000.000000005\t14\t14\t']);
  });
});
