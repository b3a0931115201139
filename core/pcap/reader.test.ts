/**
 * The reader against Wireshark: every capture in test/fixtures/captures is compared with
 * tshark 4.0.17's per-frame view of it (the committed *.tshark.frame.tsv / *.tshark.tsv, and
 * capinfos -M output in *.capinfos.txt for pcapng metadata). Nothing expected here comes from
 * our own output.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureReader, detectCaptureFormat, readCaptureFile } from './reader';
import { ticksToTimestamp, timestampToTicks } from './timestamp';
import { CaptureFileError, PCAPNG_BLOCK_LINK_TYPE, type CaptureFileInfo, type PacketRecord } from './types';

const CAPTURES = join(__dirname, '../../test/fixtures/captures');
const captureFiles: string[] = ['lab', 'public'].flatMap((dir) =>
  readdirSync(join(CAPTURES, dir))
    .filter((f) => /\.(pcap|pcapng)$/.test(f))
    .map((f) => `${dir}/${f}`),
);

function load(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(CAPTURES, file)));
}

/** Rows of a tshark `-T fields -E header=y` file as objects keyed by field name. */
function readTsv(path: string): Array<Record<string, string>> {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  const header = lines[0].split('\t');
  return lines.slice(1).map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

interface TsharkFrame {
  number: number;
  timeEpoch: string;
  interfaceId: string;
  encapType: string;
  comment: string;
  len: number;
  capLen: number;
  protocol: string;
}

function tsharkFrames(file: string): TsharkFrame[] {
  const meta = readTsv(join(CAPTURES, `${file}.tshark.frame.tsv`));
  const fields = readTsv(join(CAPTURES, `${file}.tshark.tsv`));
  expect(fields.length).toBe(meta.length);
  return meta.map((m, i) => ({
    number: Number(m['frame.number']),
    timeEpoch: m['frame.time_epoch'],
    interfaceId: m['frame.interface_id'],
    encapType: m['frame.encap_type'],
    comment: m['frame.comment'],
    len: Number(fields[i]['frame.len']),
    capLen: Number(fields[i]['frame.cap_len']),
    protocol: fields[i]['_ws.col.Protocol'],
  }));
}

/**
 * tshark 4.0 shows pcapng Custom Blocks (types 0x00000BAD / 0x40000BAD) as frames of their own
 * (Protocol "PCAPNG", no time, no interface, no encapsulation): test202 has 8 packet blocks but 11
 * rows. The reader yields them too, in file order, as records with `pcapngBlock` set.
 */
function isCustomBlockRow(row: TsharkFrame): boolean {
  return row.protocol === 'PCAPNG' && row.timeEpoch === '' && row.interfaceId === '' && row.encapType === '';
}

/** Wireshark's WTAP_ENCAP numbers (frame.encap_type) for the LINKTYPE_ values in these files. */
const WTAP_ENCAP_TO_LINKTYPE: Record<string, number> = { '1': 1, '15': 0, '25': 113, '7': 101, '210': 276 };

function epoch(r: PacketRecord): string {
  return r.noTimestamp ? '' : `${r.tsSec}.${String(r.tsNsec).padStart(9, '0')}`;
}

/** tshark 4.0 prints the per-section interface number (see the interface test below). */
function sectionLocalInterface(info: CaptureFileInfo, r: PacketRecord): number {
  const section = info.interfaces[r.interfaceId].section;
  return r.interfaceId - info.interfaces.findIndex((i) => i.section === section);
}

function expectMatchesTshark(file: string, info: CaptureFileInfo, packets: PacketRecord[]): void {
  const rows = tsharkFrames(file);
  expect(packets.length).toBe(rows.length);
  packets.forEach((p, i) => {
    const row = rows[i];
    const where = `${file} frame ${row.number}`;
    expect(epoch(p), where).toBe(row.timeEpoch);
    expect(p.originalLength, where).toBe(row.len);
    expect(p.data.length, where).toBe(row.capLen);
    expect(p.pcapngBlock !== undefined, where).toBe(isCustomBlockRow(row));
    if (p.pcapngBlock !== undefined) {
      expect(p.linkType, where).toBe(PCAPNG_BLOCK_LINK_TYPE);
      expect(p.interfaceId, where).toBe(-1);
      return;
    }
    expect((p.comments ?? []).join(','), where).toBe(row.comment);
    expect(p.linkType, where).toBe(WTAP_ENCAP_TO_LINKTYPE[row.encapType]);
    expect(p.linkType, where).toBe(info.interfaces[p.interfaceId].linkType);
    // pcap files have no interface ids; tshark prints an empty column for them.
    expect(info.format === 'pcap' ? '' : String(sectionLocalInterface(info, p)), where).toBe(row.interfaceId);
  });
}

const damaged = new Set(captureFiles.filter((f) => existsSync(join(CAPTURES, `${f}.tshark.err`))));

describe('every fixture matches tshark 4.0, frame by frame', () => {
  it('finds the fixtures', () => {
    expect(captureFiles.length).toBe(45);
    expect(damaged.size).toBe(2);
  });

  for (const file of captureFiles) {
    it(file, () => {
      const { info, packets, error } = readCaptureFile(load(file));
      expectMatchesTshark(file, info, packets);
      if (damaged.has(file)) expect(error).toBeInstanceOf(CaptureFileError);
      else expect(error).toBeNull();
    });
  }
});

/** Per-section capinfos -M facts for a pcapng file: SHB options and the (globally numbered) interfaces. */
function capinfos(file: string): {
  hardware: string[];
  os: string[];
  application: string[];
  comments: string[];
  interfaces: Array<{ name?: string; description?: string; snapLen: number; ticks: number }>;
} {
  const text = readFileSync(join(CAPTURES, `${file}.capinfos.txt`), 'utf8');
  // Several sections repeat the interface list: keep the first copy (capinfos 4.0 lists all of them per section).
  const firstInterfaces = text.split(/\nSection 1:\n/)[0];
  const values = (label: string): string[] =>
    [...text.matchAll(new RegExp(`^${label}:\\s+(.*)$`, 'gm'))].map((m) => m[1]);
  const interfaces = firstInterfaces
    .split(/^Interface #\d+ info:$/m)
    .slice(1)
    .map((block) => {
      const field = (name: string): string | undefined => new RegExp(`^\\s+${name} = (.*)$`, 'm').exec(block)?.[1];
      return {
        name: field('Name'),
        description: field('Description'),
        snapLen: Number(field('Capture length')),
        ticks: Number(field('Time ticks per second')),
      };
    });
  return {
    hardware: values('Capture hardware'),
    os: values('Capture oper-sys'),
    application: values('Capture application'),
    comments: values('Capture comment'),
    interfaces,
  };
}

describe('pcapng metadata matches capinfos', () => {
  const pcapngFiles = captureFiles.filter((f) => f.endsWith('.pcapng'));
  it('covers the five pcapng fixtures', () => expect(pcapngFiles.length).toBe(5));
  for (const file of pcapngFiles) {
    it(file, () => {
      const { info } = readCaptureFile(load(file));
      const ref = capinfos(file);
      expect(info.format).toBe('pcapng');
      expect(info.hardware).toBe(ref.hardware[0]);
      expect(info.os).toBe(ref.os[0]?.split('\n')[0]);
      expect(info.application).toBe(ref.application[0]);
      expect(info.comments).toEqual(ref.comments);
      expect(info.interfaces.map((i) => i.name)).toEqual(ref.interfaces.map((i) => i.name));
      expect(info.interfaces.map((i) => i.description)).toEqual(ref.interfaces.map((i) => i.description));
      expect(info.interfaces.map((i) => i.snapLen)).toEqual(ref.interfaces.map((i) => i.snapLen));
      expect(info.interfaces.map((i) => i.tsUnitsPerSecond)).toEqual(ref.interfaces.map((i) => i.ticks));
    });
  }
});

describe('pcap and pcapng details', () => {
  it('reads the format, byte order, interfaces and precision INDEX.tsv lists', () => {
    const lines = readFileSync(join(CAPTURES, 'INDEX.tsv'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    const header = lines[0].split('\t');
    let checked = 0;
    for (const line of lines.slice(1)) {
      const row = Object.fromEntries(header.map((h, i) => [h, line.split('\t')[i]]));
      const { info } = readCaptureFile(load(row.file));
      expect(info.format, row.file).toBe(row.container);
      if (row.byte_order !== 'mixed') expect(info.byteOrder, row.file).toBe(row.byte_order);
      expect(info.interfaces.length, row.file).toBe(Number(row.interfaces));
      checked++;
      if (row.capinfos_type === 'nsecpcap') expect(info.interfaces[0].tsUnitsPerSecond).toBe(1e9);
      if (row.capinfos_type === 'pcap') expect(info.interfaces[0].tsUnitsPerSecond).toBe(1e6);
    }
    expect(checked).toBe(captureFiles.length);
  });

  it('numbers pcapng interfaces across sections, as capinfos does (test202: 3 sections, 5 interfaces)', () => {
    // tshark 4.0 prints frame.interface_id per section (section 1's only interface shows as 0), while
    // capinfos numbers the interfaces of all sections 0..4. PacketRecord.interfaceId is the global
    // number, so a packet of section 1 points at capinfos' "Interface #2", the section's own IDB.
    const file = 'public/pcapng-test-generator-le-difficult-test202.pcapng';
    const contents = readCaptureFile(load(file));
    const info = contents.info;
    let packets = contents.packets;
    const ref = capinfos(file);
    expect(info.interfaces.map((i) => i.section)).toEqual([0, 0, 1, 2, 2]);
    const rows = tsharkFrames(file).filter((r) => !isCustomBlockRow(r));
    const blocks = packets.filter((p) => p.pcapngBlock !== undefined);
    expect(blocks.map((b) => b.pcapngBlock)).toEqual([
      { type: 0x00000bad, pen: 32473, section: 0 },
      { type: 0x40000bad, pen: 32473, section: 1 },
      { type: 0x40000bad, pen: 36724, section: 2 },
    ]);
    // Frames 1, 7 and 10 of tshark's 11, in file order.
    expect(packets.flatMap((p, i) => (p.pcapngBlock ? [i + 1] : []))).toEqual([1, 7, 10]);
    packets = packets.filter((p) => p.pcapngBlock === undefined);
    const sectionOf = packets.map((p) => info.interfaces[p.interfaceId].section);
    expect(sectionOf).toEqual([0, 0, 0, 1, 1, 1, 1, 2]);
    expect(info.interfaces[packets[3].interfaceId].name).toBe(ref.interfaces[2].name);
    expect(packets[7].interfaceId).toBe(4);
    expect(rows[7].interfaceId).toBe('1');
    // Simple Packet Blocks have no timestamp (tshark shows none) and take their snaplen from IDB 0.
    expect(packets.filter((p) => p.noTimestamp).length).toBe(rows.filter((r) => r.timeEpoch === '').length);
  });

  it('detects the format from the magic number', () => {
    expect(detectCaptureFormat(load('public/tcpdump-pptp.pcap'))).toBe('pcap'); // big-endian µs
    expect(detectCaptureFormat(load('public/tcpdump-tcp-handshake-nano.pcap'))).toBe('pcap'); // ns
    expect(detectCaptureFormat(load('public/pcapng-test-generator-be-basic-test008.pcapng'))).toBe('pcapng');
    expect(detectCaptureFormat(Uint8Array.of(0x50, 0x4b, 3, 4, 0))).toBeNull();
    expect(detectCaptureFormat(Uint8Array.of(0xd4, 0xc3))).toBeNull();
  });

  it('masks the FCS bits of the pcap link-type field', () => {
    const bytes = load('public/zeek-http-get.pcap').slice();
    const view = new DataView(bytes.buffer);
    view.setUint32(20, 1 | 0x04000000 | (2 << 28), true); // F bit + 2 half-words of FCS, Ethernet
    const { info, packets } = readCaptureFile(bytes);
    expect(info.interfaces[0].linkType).toBe(1);
    expect(info.interfaces[0].fcsLength).toBe(4);
    expect(packets[0].linkType).toBe(1);
  });

  it('refuses what is not a capture file with a clear message', () => {
    expect(() => readCaptureFile(latin1('PK\x03\x04 zip file'))).toThrow(
      /not a pcap or pcapng file: it starts with the bytes 50 4b 03 04/,
    );
    expect(() => readCaptureFile(new Uint8Array(0))).toThrow(/empty/);
    expect(() => readCaptureFile(Uint8Array.of(0xd4, 0xc3))).toThrow(CaptureFileError);
    expect(() => readCaptureFile(load('public/zeek-http-get.pcap').subarray(0, 20))).toThrow(
      /cut short in the middle of its file header/,
    );
  });
});

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

describe('damaged files: the packets before the damage, and an error that says what and where', () => {
  /** Byte offset of record n (1-based) in a pcap file, from tshark's cap_len of the records before it. */
  function pcapRecordOffset(rows: TsharkFrame[], n: number): number {
    return 24 + rows.slice(0, n - 1).reduce((sum, r) => sum + 16 + r.capLen, 0);
  }

  it('zeek-http-get.cut-short.pcap: cut short in the middle of packet 9', () => {
    const file = 'public/zeek-http-get.cut-short.pcap';
    const tsharkError = readFileSync(join(CAPTURES, `${file}.tshark.err`), 'utf8');
    expect(tsharkError).toMatch(/appears to have been cut short in the middle of a packet/);
    const rows = tsharkFrames(file);
    const { packets, error } = readCaptureFile(load(file));
    expect(packets.length).toBe(rows.length);
    const n = rows.length + 1;
    const at = pcapRecordOffset(rows, n);
    expect(error?.message).toBe(
      `The file appears to have been cut short in the middle of a packet (packet ${n}, at byte ${at}).`,
    );
    expect(error?.fileOffset).toBe(at);
    expect(error?.packetsRead).toBe(rows.length);
  });

  it('zeek-http-post.bad-incl-len.pcap: packet 6 claims a length no snaplen allows', () => {
    const file = 'public/zeek-http-post.bad-incl-len.pcap';
    const tsharkError = readFileSync(join(CAPTURES, `${file}.tshark.err`), 'utf8');
    const [, size, max] = /File has (\d+)-byte packet, bigger than maximum of (\d+)/.exec(tsharkError) ?? [];
    const rows = tsharkFrames(file);
    const { packets, error } = readCaptureFile(load(file));
    expect(packets.length).toBe(rows.length);
    const n = rows.length + 1;
    const at = pcapRecordOffset(rows, n);
    expect(error?.message).toBe(
      `The file appears to be damaged or corrupt: packet ${n} is ${size} bytes, bigger than the maximum of ${max} (at byte ${at})`,
    );
    expect(error?.fileOffset).toBe(at);
  });

  it('pcapng cut inside a block names the block and its offset', () => {
    const bytes = load('lab/lab-dumpcap-lo-any.pcapng');
    // The 4th EPB starts at 868 (SHB 364 + IDBs 100 + 88 + EPBs 108, 108, 100): cut inside it.
    const { packets, error } = readCaptureFile(bytes.subarray(0, 900));
    expect(packets.length).toBe(3);
    expect(error?.message).toBe(
      'The file appears to have been cut short in the middle of a packet (packet 4, at byte 868).',
    );
    const idbCut = readCaptureFile(bytes.subarray(0, 400));
    expect(idbCut.error?.message).toMatch(/cut short in the middle of a Interface Description Block \(at byte 364\)/);
  });

  it('pcapng blocks with impossible lengths are reported, earlier packets kept', () => {
    const bytes = load('lab/lab-dumpcap-lo-any.pcapng').slice();
    new DataView(bytes.buffer).setUint32(868 + 4, 13, true);
    const { packets, error } = readCaptureFile(bytes);
    expect(packets.length).toBe(3);
    expect(error?.message).toBe(
      'The file appears to be damaged or corrupt: packet 4 (Enhanced Packet Block) at byte 868 has a length of 13 bytes, not a multiple of 4',
    );
  });
});

/** Split `bytes` at the given cut points (sorted, deduplicated) into views. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, p));
    start = p;
  }
  return chunks;
}

function stream(chunks: Uint8Array[]): {
  info: CaptureFileInfo | null;
  packets: PacketRecord[];
  error: CaptureFileError | null;
} {
  const reader = new CaptureReader();
  const packets: PacketRecord[] = [];
  for (const c of chunks) packets.push(...reader.push(c));
  const error = reader.end();
  return { info: reader.info, packets, error };
}

/** Records without the file offset, with data as plain arrays (so toEqual compares bytes). */
function comparable(packets: PacketRecord[]): unknown[] {
  return packets.map((p) => ({ ...p, data: Array.from(p.data) }));
}

describe('streaming gives the same result however the input is cut', () => {
  for (const file of captureFiles) {
    it(`${file} in random chunks`, () => {
      const bytes = load(file);
      const whole = readCaptureFile(bytes);
      fc.assert(
        fc.property(fc.array(fc.nat(bytes.length), { maxLength: 40 }), (cuts) => {
          const streamed = stream(split(bytes, cuts));
          expect(streamed.info).toEqual(whole.info);
          expect(comparable(streamed.packets)).toEqual(comparable(whole.packets));
          expect(streamed.error?.message).toBe(whole.error?.message);
        }),
        { numRuns: 25 },
      );
    });
  }

  for (const file of [
    'public/pcapng-test-generator-le-difficult-test202.pcapng',
    'public/zeek-http-get.cut-short.pcap',
  ]) {
    it(`${file} one byte at a time, packets as soon as they are complete`, () => {
      const bytes = load(file);
      const whole = readCaptureFile(bytes);
      const reader = new CaptureReader();
      const packets: PacketRecord[] = [];
      for (let i = 0; i < bytes.length; i++) {
        const got = reader.push(bytes.subarray(i, i + 1));
        for (const p of got) {
          // A packet comes out with the very byte that completes its pcap record / pcapng block.
          const start = p.fileOffset ?? -1;
          if (file.endsWith('.pcap')) {
            expect(i + 1).toBe(start + 16 + p.data.length);
          } else {
            const view = new DataView(bytes.buffer, bytes.byteOffset);
            expect([view.getUint32(start + 4, true), view.getUint32(start + 4, false)]).toContain(i + 1 - start);
          }
        }
        packets.push(...got);
      }
      expect(reader.end()?.message).toBe(whole.error?.message);
      expect(comparable(packets)).toEqual(comparable(whole.packets));
    });
  }

  it('info is null until the header is complete, and interfaces grow as IDBs arrive', () => {
    const bytes = load('lab/lab-dumpcap-lo-any.pcapng');
    const reader = new CaptureReader();
    reader.push(bytes.subarray(0, 363));
    expect(reader.info).toBeNull();
    reader.push(bytes.subarray(363, 364));
    expect(reader.info?.interfaces.length).toBe(0);
    reader.push(bytes.subarray(364, 464));
    expect(reader.info?.interfaces.length).toBe(1);
    reader.push(bytes.subarray(464, 600));
    expect(reader.info?.interfaces.length).toBe(2);
  });

  it('a live file read as it grows: a partial record waits for the rest', () => {
    const bytes = load('public/zeek-http-get.pcap');
    const reader = new CaptureReader();
    expect(reader.push(bytes.subarray(0, 24 + 10)).length).toBe(0);
    const first = reader.push(bytes.subarray(34, 200));
    expect(first.length).toBe(1);
    expect(reader.error).toBeNull();
  });

  it('after damage push() returns nothing and the error stays', () => {
    const bytes = load('public/zeek-http-post.bad-incl-len.pcap');
    const reader = new CaptureReader();
    expect(reader.push(bytes).length).toBe(5);
    expect(reader.error).toBeInstanceOf(CaptureFileError);
    expect(reader.push(load('public/zeek-http-post.pcap').subarray(24)).length).toBe(0);
    expect(reader.end()).toBe(reader.error);
  });

  it('records are views into the input when the whole file is given (no copies)', () => {
    const bytes = load('public/zeek-http-get.pcap');
    const { packets } = readCaptureFile(bytes);
    for (const p of packets) expect(p.data.buffer).toBe(bytes.buffer);
  });
});

describe('fuzz: damaged input never throws anything but CaptureFileError, and always ends', () => {
  const small = captureFiles.filter((f) => load(f).length < 30_000);
  it('mutations and truncations', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...small),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.option(fc.nat(), { nil: undefined }),
        (file, mutations, cut) => {
          const bytes = load(file);
          for (const [at, value] of mutations) bytes[at % bytes.length] = value;
          const input = cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
          try {
            const { packets, error, info } = readCaptureFile(input);
            expect(info).not.toBeNull();
            if (error) expect(error.packetsRead).toBe(packets.length);
            for (const p of packets) {
              expect(p.tsNsec).toBeGreaterThanOrEqual(0);
              expect(p.tsNsec).toBeLessThan(1e9);
              expect(p.interfaceId).toBeLessThan(info.interfaces.length);
            }
          } catch (e) {
            expect(e).toBeInstanceOf(CaptureFileError);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('mutations in the length fields of pcapng blocks', () => {
    const file = 'public/pcapng-test-generator-le-difficult-test202.pcapng';
    fc.assert(
      fc.property(fc.nat(2908 / 4 - 1), fc.integer({ min: 0, max: 0xffffffff }), (word, value) => {
        const bytes = load(file);
        new DataView(bytes.buffer).setUint32(word * 4, value, true);
        try {
          readCaptureFile(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(CaptureFileError);
        }
      }),
      { numRuns: 1500 },
    );
  });
});

describe('timestamps are exact', () => {
  const reference = (hi: number, lo: number, units: bigint): string => {
    const ticks = (BigInt(hi) << 32n) | BigInt(lo);
    return `${ticks / units}.${String(((ticks % units) * 1_000_000_000n) / units).padStart(9, '0')}`;
  };
  it('for µs, ns and other resolutions, against BigInt arithmetic', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.constantFrom(1, 10, 100, 1000, 1e6, 1e9, 1e10, 1e12, 1024, 2 ** 20, 2 ** 30, 2 ** 40),
        (hi, lo, units) => {
          const t = ticksToTimestamp(hi, lo, units);
          if (t.sec > Number.MAX_SAFE_INTEGER) return; // not representable as a number anyway
          expect(`${t.sec}.${String(t.nsec).padStart(9, '0')}`).toBe(reference(hi, lo, BigInt(units)));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('writing: seconds + nanoseconds → 64-bit ticks, against BigInt arithmetic', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 999_999_999 }),
        fc.constantFrom(1e6, 1e9, 1000, 2 ** 20),
        (sec, nsec, units) => {
          const { hi, lo } = timestampToTicks(sec, nsec, units);
          const expected =
            (BigInt(sec) * BigInt(units) + (BigInt(nsec) * BigInt(units)) / 1_000_000_000n) & ((1n << 64n) - 1n);
          expect((BigInt(hi) << 32n) | BigInt(lo)).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
