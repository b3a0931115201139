/**
 * The `wirelab` command, run in-process through main() with captured stdout/stderr, against
 * tshark 4.0.17 references (test/fixtures/cli, test/fixtures/captures).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../core/pcap/reader';
import { main } from './dispatch';

const CAPTURES = resolve(__dirname, '../../test/fixtures/captures');
const REFS = resolve(__dirname, '../../test/fixtures/cli');
const LAB = join(CAPTURES, 'lab/lab-linux-ipv4.pcap');
const tmp = mkdtempSync(join(tmpdir(), 'wirelab-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  bytes: Buffer;
}

async function run(args: string[], stdin: Uint8Array = new Uint8Array(0)): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await main(args, { stdout, stderr, stdin: Readable.from([Buffer.from(stdin)]) });
  const bytes = Buffer.concat(out);
  return { code, stdout: bytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), bytes };
}

const ref = (name: string) => readFileSync(join(REFS, name), 'utf8');
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

describe('wirelab -r (summary)', () => {
  it('prints the lab capture exactly as tshark -r does', async () => {
    const r = await run(['-r', LAB]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(`${LAB}.tshark.txt`, 'utf8'));
  });

  it('pads No./Time/Source/Destination as tshark (nanosecond pcap, long addresses)', async () => {
    const file = join(CAPTURES, 'public/tcpdump-tcp-handshake-nano.pcap');
    const r = await run(['-r', file]);
    expect(r.stdout).toBe(readFileSync(`${file}.tshark.txt`, 'utf8'));
  });

  it('right-aligns short IPv6 sources and left-aligns destinations', async () => {
    const file = join(CAPTURES, 'lab/lab-linux-ipv6.pcap');
    const r = await run(['-r', file, '-c', '3']);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual(
      readFileSync(`${file}.tshark.txt`, 'utf8').split('\n').slice(0, 3),
    );
  });

  it('-t prints the Time column in the other formats of tshark', async () => {
    const ud = await run(['-r', LAB, '-t', 'ud', '-Y', 'tcp.len > 0']);
    expect(ud.stdout).toBe(ref('lab-linux-ipv4.t-ud.txt'));
    // Since the packet shown before (HTTP 12: 5.973 ms after 10, 5.941 ms after frame 11).
    const dd = await run(['-r', LAB, '-t', 'dd', '-Y', 'tcp.len > 0']);
    expect(dd.stdout).toBe(ref('lab-linux-ipv4.t-dd.txt'));
    // Since the packet read before: a pcapng block is no base, a packet without a time is time 0.
    const blocks = await run([
      '-r',
      join(CAPTURES, 'public/pcapng-test-generator-le-difficult-test202.pcapng'),
      '-t',
      'd',
    ]);
    expect(blocks.stdout).toBe(ref('test202.t-d.txt'));
    const bad = await run(['-r', LAB, '-t', 'x']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.split('\n').slice(0, 3)).toEqual([
      'wirelab: Invalid time stamp type "x"; it must be one of:',
      '\t"a"    for absolute',
      '\t"ad"   for absolute with YYYY-MM-DD date',
    ]);
  });

  it('-c stops after N packets; -q prints nothing', async () => {
    expect((await run(['-r', LAB, '-c', '4'])).stdout.split('\n')).toHaveLength(5);
    expect((await run(['-r', LAB, '-q'])).stdout).toBe('');
  });

  it('reads stdin with -r -', async () => {
    const r = await run(['-r', '-', '-c', '2'], readFileSync(LAB));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(`${LAB}.tshark.txt`, 'utf8').split('\n').slice(0, 2).join('\n') + '\n');
  });
});

describe('wirelab -T fields', () => {
  it('prints columns, hidden fields and -E options as tshark', async () => {
    const expected = ref('lab-linux-ipv4.fields.csv');
    const fields = expected.split('\n')[0].split(',');
    const args = [
      '-r',
      LAB,
      '-T',
      'fields',
      '-E',
      'header=y',
      '-E',
      'separator=,',
      '-E',
      'quote=d',
      '-E',
      'occurrence=f',
    ];
    for (const f of fields) args.push('-e', f);
    const r = await run(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(expected);
  });

  it('matches the reference tsv for frame and TCP fields', async () => {
    const tsv = readFileSync(`${LAB}.tshark.tsv`, 'utf8').split('\n');
    const header = tsv[0].split('\t');
    const pick = [
      'frame.number',
      'frame.len',
      'ip.src',
      'tcp.srcport',
      'tcp.seq',
      'tcp.ack',
      'tcp.flags',
      'tcp.window_size',
    ];
    const cols = pick.map((f) => header.indexOf(f));
    const r = await run(['-r', LAB, '-T', 'fields', '-E', 'header=y', ...pick.flatMap((f) => ['-e', f])]);
    const expected = tsv.map((line) => (line === '' ? '' : cols.map((c) => line.split('\t')[c]).join('\t')));
    expect(r.stdout.split('\n')).toEqual(expected);
  });

  it('aggregates all occurrences with the aggregator', async () => {
    const r = await run([
      '-r',
      LAB,
      '-c',
      '1',
      '-T',
      'fields',
      '-E',
      'aggregator=/s',
      '-e',
      'ip.addr',
      '-e',
      'tcp.port',
    ]);
    expect(r.stdout).toBe('127.0.0.1 127.0.0.1\t46062 8001\n');
  });

  it("rejects unknown fields with tshark's wording and exit status 1", async () => {
    const r = await run(['-r', LAB, '-T', 'fields', '-e', 'frame.number', '-e', 'foo.bar']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("wirelab: Some fields aren't valid:\n\tfoo.bar\n");
    expect(r.stdout).toBe('');
  });
});

describe('wirelab -V / -x / -T json', () => {
  it('-x prints the hex dump with a blank line after each packet', async () => {
    const r = await run(['-r', LAB, '-c', '3', '-x']);
    expect(r.stdout).toBe(ref('lab-linux-ipv4.c3.x.txt'));
  });

  it('-V -x prints tree, blank line, bytes, blank line', async () => {
    const r = await run(['-r', LAB, '-c', '2', '-V', '-x']);
    const blocks = r.stdout.split('\n\n');
    const expected = ref('lab-linux-ipv4.c2.Vx.txt').split('\n\n');
    expect(blocks).toHaveLength(expected.length);
    expect(blocks[0].split('\n')[0]).toBe('Frame 1: 74 bytes on wire (592 bits), 74 bytes captured (592 bits)');
    expect(blocks[1]).toBe(expected[1]); // hex of frame 1
    expect(blocks[3]).toBe(expected[3]); // hex of frame 2
  });

  it('-T json is tshark 4.0.17’s, layer by layer', async () => {
    const r = await run(['-r', LAB, '-c', '2', '-T', 'json']);
    expect(r.code).toBe(0);
    type Doc = {
      _index: string;
      _type: string;
      _score: null;
      _source: { layers: Record<string, unknown> };
    };
    const ours = JSON.parse(r.stdout) as Doc[];
    const theirs = JSON.parse(ref('lab-linux-ipv4.c2.json')) as Doc[];
    expect(ours).toHaveLength(2);
    for (let i = 0; i < 2; i++) {
      expect({ ...ours[i], _source: undefined }).toEqual({ ...theirs[i], _source: undefined });
      // Every layer: TCP's options as their bytes with a _tree, "Timestamps" keyed by its label…
      expect(ours[i]._source.layers).toEqual(theirs[i]._source.layers);
    }
    // Framing: "[", packets at indent 2, "]" — as tshark.
    expect(r.stdout.startsWith('[\n  {\n    "_index": ')).toBe(true);
    expect(r.stdout.endsWith('\n  }\n]\n')).toBe(true);
  });

  // Byte for byte, eth.*.oui_resolved (the vendor's long name) included. What each adds: DHCP's
  // hidden option values and End option, IGMPv3's decoded Max Resp Time; ICMP's response time as
  // %.15g and expert items named by their abbreviation; DNS's text items ("Queries", "Answers")
  // and EDNS options; JSON members' names and form items; a string expert item of Wireshark's own
  // (_ws.string.*); IP's fragment offset in its own units, its options as a text item; a packet
  // cut by the snap length (_ws.short); the lab's own page.
  it.each([
    'lab/lab-dhcp-crafted.pcap',
    'lab/lab-icmp-crafted.pcap',
    'lab/lab-igmp-crafted.pcap',
    'lab/lab-snap96-ipv4.pcap',
    'public/zeek-pcapng-multi-interface.pcapng',
    'public/zeek-http-post.pcap',
    'public/tcpdump-tcp_rst_diag_payload.pcap',
    'public/zeek-ipv4-fragmented-4.pcap',
    'public/tcpdump-IGMP_V2.pcap',
    'scenarios/profile.pcapng',
  ])('-T json of %s is tshark 4.0.17’s', async (capture) => {
    const r = await run(['-r', join(CAPTURES, capture), '-T', 'json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(ref(`${capture.split('/')[1]}.json`));
  });

  it('TCP options are their bytes: -T fields prints them in hex, a filter compares them (as tshark 4.0.17)', async () => {
    const fields = await run([
      '-r',
      LAB,
      '-c',
      '2',
      '-T',
      'fields',
      '-e',
      'tcp.options.mss',
      '-e',
      'tcp.options.timestamp',
    ]);
    expect(fields.stdout).toBe('0204ffd7\t080afe47deb800000000\n0204ffd7\t080a24d50b02fe47deb8\n');
    const filtered = await run([
      '-r',
      LAB,
      '-Y',
      'tcp.options.mss == 02:04:ff:d7',
      '-T',
      'fields',
      '-e',
      'frame.number',
    ]);
    expect(filtered.stdout.trim().split('\n')).toHaveLength(6);
  });

  it('-T json with no packet prints []', async () => {
    const r = await run(['-r', LAB, '-Y', 'frame.number == 999', '-T', 'json']);
    expect(r.stdout).toBe('[]\n');
  });
});

describe('wirelab -Y', () => {
  it('keeps the packets the filter matches', async () => {
    const r = await run(['-r', LAB, '-Y', 'tcp.flags.syn == 1 && tcp.flags.ack == 0']);
    expect(r.code).toBe(0);
    const expected = readFileSync(`${LAB}.tshark.txt`, 'utf8')
      .split('\n')
      .filter((l) => l.includes('[SYN]'));
    expect(r.stdout.trimEnd().split('\n')).toEqual(expected);
  });

  it('measures frame.time_delta_displayed from the last packet shown, as tshark -Y does', async () => {
    // tshark -r lab-linux-ipv4.pcap -Y '…' -T fields -e frame.number -e frame.time_delta_displayed
    const fields = ['-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_delta_displayed'];
    const shown = await run(['-r', LAB, '-Y', 'frame.number in {2, 5}', ...fields]);
    expect(shown.stdout).toBe('2\t0.000000000\n5\t0.031780000\n');
    // A filter on the field itself: each packet's delta is from the last one the filter kept
    // (frame 4: 30.480 ms after frame 1, the last one kept; 30.440 ms after frame 3).
    const onItself = await run(['-r', LAB, '-Y', 'frame.number == 1 || frame.time_delta_displayed > 0.03', ...fields]);
    expect(onItself.stdout).toBe(
      [
        '1\t0.000000000',
        '4\t0.030480000',
        '17\t0.054900000',
        '20\t0.048476000',
        '23\t6.001898000',
        '24\t0.041271000',
        '25\t5.516450000',
        '27\t0.056554000',
        '',
      ].join('\n'),
    );
    // Without a filter every packet is shown: the same as frame.time_delta.
    const all = await run(['-r', LAB, '-T', 'fields', '-e', 'frame.time_delta', '-e', 'frame.time_delta_displayed']);
    for (const line of all.stdout.trimEnd().split('\n')) expect(line.split('\t')[1]).toBe(line.split('\t')[0]);
  });

  it('reports a bad filter with a caret and exit status 2 (tshark 4.0)', async () => {
    const r = await run(['-r', LAB, '-Y', 'tcp.port == 80 &&& x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'wirelab: "&" was unexpected in this context.\n    tcp.port == 80 &&& x\n                     ^\n',
    );
  });
});

describe('wirelab -w', () => {
  it('writes a pcapng that reads back with the same packets', async () => {
    const out = join(tmp, 'out.pcapng');
    const r = await run(['-r', LAB, '-Y', 'tcp.flags.push == 1', '-w', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    // Ethernet 14 + IPv4 20 + TCP flags at 13: PSH is 0x08.
    const original = readCaptureFile(new Uint8Array(readFileSync(LAB))).packets.filter(
      (p) => (p.data[47] & 0x08) !== 0,
    );
    expect(original.length).toBeGreaterThan(3);
    const written = readCaptureFile(new Uint8Array(readFileSync(out)));
    expect(written.error).toBeNull();
    expect(written.info.format).toBe('pcapng');
    expect(
      written.packets.map((p) => [p.tsSec, p.tsNsec, p.originalLength, Buffer.from(p.data).toString('hex')]),
    ).toEqual(original.map((p) => [p.tsSec, p.tsNsec, p.originalLength, Buffer.from(p.data).toString('hex')]));
  });

  it.runIf(has('capinfos') && has('tshark'))('is accepted by capinfos and tshark', async () => {
    const out = join(tmp, 'all.pcapng');
    await run(['-r', join(CAPTURES, 'lab/lab-dumpcap-lo-any.pcapng'), '-w', out]);
    const cap = spawnSync('capinfos', ['-c', '-M', out], { encoding: 'utf8' });
    expect(cap.status).toBe(0);
    expect(cap.stdout).toMatch(/Number of packets:\s+48/);
    const t = spawnSync('tshark', ['-r', out], { encoding: 'utf8' });
    expect(t.status).toBe(0);
    const expected = readFileSync(join(CAPTURES, 'lab/lab-dumpcap-lo-any.pcapng.tshark.txt'), 'utf8');
    expect(t.stdout).toBe(expected);
  });
});

describe('wirelab errors', () => {
  it('missing file: one line, exit 2', async () => {
    const r = await run(['-r', join(tmp, 'nope.pcap')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`wirelab: The file "${join(tmp, 'nope.pcap')}" doesn't exist.\n`);
  });

  it('not a capture file: one line, exit 2', async () => {
    const file = join(CAPTURES, 'NOTICE.md');
    const r = await run(['-r', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`wirelab: The file "${file}" isn't a capture file in a format WireLab understands.\n`);
  });

  it('damaged file: every readable packet, then where it broke, exit 2', async () => {
    const file = join(CAPTURES, 'public/zeek-http-get.cut-short.pcap');
    const r = await run(['-r', file, '-T', 'fields', '-e', 'frame.number']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('1\n2\n3\n4\n5\n6\n7\n8\n');
    expect(r.stderr).toMatch(
      new RegExp(`^wirelab: The file "${file}" appears to have been cut short in the middle of a packet.*\\n$`),
    );
    expect(r.stderr.split('\n')).toHaveLength(2);
  });

  it('unknown flag: usage hint, exit 1', async () => {
    const r = await run(['-r', LAB, '--bogus']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('wirelab: unrecognized option: bogus\nUse "wirelab -h" for a list of options.\n');
  });

  it('-T fields without -e, -e without -T fields, bad -c', async () => {
    expect((await run(['-r', LAB, '-T', 'fields'])).stderr).toMatch(/no fields were specified with "-e"/);
    expect((await run(['-r', LAB, '-e', 'ip.src'])).code).toBe(1);
    expect((await run(['-r', LAB, '-c', 'x'])).stderr).toBe(
      'wirelab: The specified packet count "x" isn\'t a decimal number\n',
    );
  });

  it('-h, -v, and the usage of the subcommands', async () => {
    expect((await run(['-h'])).stdout).toMatch(/^WireLab .*\n[\s\S]*-r <infile>/);
    expect((await run(['--version'])).stdout).toMatch(/^WireLab \d+\.\d+\.\d+/);
    expect((await run(['lab', '--help'])).stdout).toMatch(/^Usage: wirelab lab/);
    const badLab = await run(['lab', '--port', 'x']);
    expect(badLab.code).toBe(1);
    expect(badLab.stderr).toMatch(/--port must be/);
    const report = await run(['report']);
    expect(report.code).toBe(1);
    expect(report.stderr).toMatch(/-r/);
  });
});
