#!/usr/bin/env node
// Makes test/fixtures/io-stat/: three small pcaps whose timing puts -z io,stat at its edges, and
// what tshark 4.0 prints for each (main/cli/stats.test.ts compares `wirelab` with them). Each
// packet is the same 60-byte Ethernet frame of zeros (EtherType IPv4); only the times matter:
//   exact-end.pcap     0, 0.5, 1.0 s: the capture ends exactly on an interval's boundary
//   exact-end-2s.pcap  0, 0.3, 2.0 s: the same at 2 s (and whole-second intervals end in "Dur")
//   long-span.pcap     0, 50000, 100000, 100000.004 s: 6-digit seconds, wider than tshark's columns
// Run from the repository root: node scripts/make-io-stat-fixtures.mjs (needs tshark on PATH).
// References: tshark -r F -q -z io,stat,I > F.io-stat-I.txt (stdout only, TZ=UTC).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUT = 'test/fixtures/io-stat';
const CAPTURES = {
  'exact-end.pcap': { times: [0, 0.5, 1.0], intervals: ['0.25', '1', '0.01', '0', '3', '0.3'] },
  'exact-end-2s.pcap': { times: [0, 0.3, 2.0], intervals: ['0.25', '1', '0.01', '0', '3', '0.3'] },
  'long-span.pcap': { times: [0, 50000, 100000, 100000.004], intervals: ['0', '1000', '250.5', '99999'] },
};

/** A classic pcap (microseconds, Ethernet) of one zero frame at each time, from 1,000,000,000 s. */
function pcap(times) {
  const frame = Buffer.alloc(60);
  frame.writeUInt16BE(0x0800, 12);
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  const records = times.map((t) => {
    const record = Buffer.alloc(16);
    const sec = Math.floor(t);
    record.writeUInt32LE(1_000_000_000 + sec, 0);
    record.writeUInt32LE(Math.round((t - sec) * 1e6), 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    return Buffer.concat([record, frame]);
  });
  return Buffer.concat([header, ...records]);
}

mkdirSync(OUT, { recursive: true });
for (const [name, { times, intervals }] of Object.entries(CAPTURES)) {
  const path = join(OUT, name);
  writeFileSync(path, pcap(times));
  for (const interval of intervals) {
    const text = execFileSync('tshark', ['-r', path, '-q', '-z', `io,stat,${interval}`], {
      env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    writeFileSync(`${path}.io-stat-${interval}.txt`, text);
  }
}
execFileSync('sh', ['-c', `tshark -v 2>/dev/null | head -1 > ${OUT}/TSHARK_VERSION`]);
