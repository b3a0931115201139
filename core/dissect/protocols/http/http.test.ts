/**
 * HTTP and the body dissectors against tshark 4.0.17: per-field agreement with the
 * `*.tshark.tsv` references of every capture fixture (plus test/fixtures/http/http-media.pcap,
 * made by make-captures.py), the -V text of the HTTP and body layers, and a fuzz test.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { readCaptureFile } from '../../../pcap/reader';
import { DissectionEngine } from '../../engine';
import {
  ColumnValues,
  PacketContext,
  SessionState,
  TreePruning,
  type DissectedPacket,
  type HeaderBlock,
  type PacketInDissection,
  type TcpPayloadInfo,
} from '../../context';
import { formatTreeText } from '../../print';
import { findFieldNodes, formatFieldValue, type ProtoNode } from '../../tree';
import { httpConsumer } from './consumer';
import { HeaderScratch, looksLikeHttp } from './headers';
import { HEADER_FIELDS } from './fields';
import { HEADER_ITEM_FIELDS, headerBlockItems } from './dissector';
import { formatText } from '../media/text';

const FIX = join(__dirname, '../../../../test/fixtures');
const CAP = join(FIX, 'captures');
const HTTP_FIX = join(FIX, 'http');

function dissectFile(path: string): DissectedPacket[] {
  const { info, packets } = readCaptureFile(new Uint8Array(readFileSync(path)));
  const engine = new DissectionEngine({ tree: true, interfaces: info.interfaces, format: info.format });
  return packets.map((r) => engine.dissect(r));
}

function tsv(path: string): Record<string, string>[] {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  const header = lines[0].split('\t');
  return lines.slice(1).map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

const FIELDS = ['http.request.method', 'http.request.uri', 'http.response.code', 'http.content_type'];
const COLUMNS = ['_ws.col.Protocol', '_ws.col.Info'];

/** Known differences, `file#frame`, each with the reason. */
const KNOWN: Record<string, string> = {
  'http/http-media.pcap#9':
    'image/gif: no GIF dissector here (tshark: "Compuserve GIF", Info "(GIF89a)"); shown as Media Type',
};

function fixtureFiles(): { label: string; path: string; ref: string }[] {
  const out: { label: string; path: string; ref: string }[] = [];
  for (const dir of ['lab', 'public']) {
    for (const name of readdirSync(join(CAP, dir))) {
      if (/\.(pcap|pcapng)$/.test(name))
        out.push({ label: `${dir}/${name}`, path: join(CAP, dir, name), ref: join(CAP, dir, name + '.tshark.tsv') });
    }
  }
  out.push({
    label: 'http/http-media.pcap',
    path: join(HTTP_FIX, 'http-media.pcap'),
    ref: join(HTTP_FIX, 'http-media.pcap.tshark.tsv'),
  });
  return out.sort((a, b) => a.label.localeCompare(b.label));
}

describe('HTTP vs tshark -T fields references', () => {
  let compared = 0;
  let agreed = 0;
  const perField = new Map<string, [number, number]>();
  for (const fx of fixtureFiles()) {
    it(fx.label, () => {
      const packets = dissectFile(fx.path);
      const mismatches: string[] = [];
      for (const row of tsv(fx.ref)) {
        const n = Number(row['frame.number']);
        const p = packets[n - 1];
        if (!p) continue;
        const httpRow = row['_ws.col.Protocol'].startsWith('HTTP') || FIELDS.some((f) => row[f] !== '');
        const httpMine = p.columns.protocol.startsWith('HTTP') || p.protocols.includes('http');
        if (!httpRow && !httpMine) continue;
        if (KNOWN[`${fx.label}#${n}`]) continue;
        const got: Record<string, string> = { '_ws.col.Protocol': p.columns.protocol, '_ws.col.Info': p.columns.info };
        for (const f of FIELDS)
          got[f] = findFieldNodes(p.tree ?? [], f)
            .map((nd) => formatFieldValue(nd.field!, nd.value))
            .join(',');
        for (const k of [...COLUMNS, ...FIELDS]) {
          const tally = perField.get(k) ?? [0, 0];
          tally[0]++;
          compared++;
          if (got[k] === row[k]) {
            tally[1]++;
            agreed++;
          } else mismatches.push(`#${n} ${k}: expected ${JSON.stringify(row[k])}, got ${JSON.stringify(got[k])}`);
          perField.set(k, tally);
        }
      }
      expect(mismatches).toEqual([]);
    });
  }
  it('summary', () => {
    const lines = [...perField].map(([k, [c, a]]) => `  ${k}: ${a}/${c}`);
    console.log(`HTTP per-field agreement ${agreed}/${compared}\n${lines.join('\n')}`);
    expect(agreed).toBe(compared);
  });
});

/** The HTTP layer and what follows it, as tshark -V prints them (blank lines dropped). */
function httpLayersText(p: DissectedPacket): string {
  const tree = p.tree ?? [];
  const i = tree.findIndex((n) => n.field?.abbrev === 'http');
  expect(i, 'HTTP layer').toBeGreaterThanOrEqual(0);
  return formatTreeText(tree.slice(i)).replace(/\n+$/, '');
}

const V_CASES: [string, string, number, boolean][] = [
  ['captures/lab/lab-linux-ipv4.pcap', 'lab-linux-ipv4.f10.txt', 10, false],
  ['captures/lab/lab-linux-ipv4.pcap', 'lab-linux-ipv4.f12.txt', 12, false],
  ['captures/lab/lab-linux-ipv4.pcap', 'lab-linux-ipv4.f18.head.txt', 18, true],
  ['captures/lab/lab-linux-ipv4.pcap', 'lab-linux-ipv4.f21.txt', 21, false],
  ['captures/lab/lab-pipelining-ipv4.pcap', 'pipelining.f4.txt', 4, false],
  ['captures/lab/lab-pipelining-ipv4.pcap', 'pipelining.f8.head.txt', 8, true],
  ['captures/public/zeek-http-cooper-grill-dvwa.pcapng', 'cooper.f13.txt', 13, false],
  ['captures/public/zeek-http-cooper-grill-dvwa.pcapng', 'cooper.f19.txt', 19, false],
  ['captures/public/zeek-http-get-gzip.pcap', 'gzip.f8.txt', 8, false],
  ['captures/public/zeek-http-post.pcap', 'post.f4.txt', 4, false],
  ...[5, 7, 11, 13, 15, 17, 19, 20, 23, 25, 33, 40, 42, 44].map((n): [string, string, number, boolean] => [
    'http/http-media.pcap',
    `http-media.f${n}.txt`,
    n,
    false,
  ]),
];

/** Body layers not implemented (tshark has dedicated dissectors): compared up to that layer. */
const V_PARTIAL: Record<string, string> = {};

describe('HTTP -V text vs tshark', () => {
  const cache = new Map<string, DissectedPacket[]>();
  for (const [file, ref, frame, head] of V_CASES) {
    it(`${file} frame ${frame}`, () => {
      if (!cache.has(file)) cache.set(file, dissectFile(join(FIX, file)));
      const p = cache.get(file)![frame - 1];
      let expected = readFileSync(join(HTTP_FIX, ref), 'utf8').replace(/\n+$/, '');
      // tshark -V prints a hex dump under "Data" items; the tree text has no such lines.
      expected = expected
        .split('\n')
        .filter((l) => !/^\s*[0-9a-f]{4} {2}/.test(l))
        .join('\n');
      let got = httpLayersText(p);
      if (head) got = got.split('\n').slice(0, expected.split('\n').length).join('\n');
      const cut = V_PARTIAL[ref];
      if (cut) {
        expected = expected.slice(0, expected.indexOf(cut));
        got = got.slice(0, expected.length);
      }
      expect(got).toBe(expected);
    });
  }

  it('frame.protocols of http-media.pcap', () => {
    const packets = dissectFile(join(HTTP_FIX, 'http-media.pcap'));
    const rows = readFileSync(join(HTTP_FIX, 'http-media.pcap.protocols.tsv'), 'utf8').trim().split('\n');
    const bad: string[] = [];
    for (const row of rows) {
      const [n, chain] = row.split('\t');
      if (KNOWN[`http/http-media.pcap#${n}`]) continue;
      const got = packets[Number(n) - 1].protocols.filter((x) => x !== 'frame' && !x.startsWith('_ws.')).join(':');
      if (got !== chain) bad.push(`#${n}: expected ${chain}, got ${got}`);
    }
    expect(bad).toEqual([]);
  });
});

function info(stream = 0): TcpPayloadInfo {
  return { stream, fromClient: true, srcPort: 40000, dstPort: 8001, relSeq: 1, outOfOrder: false };
}

function newContext(state = new SessionState(), number = 1): PacketContext {
  const data = new Uint8Array(0);
  const packet: PacketInDissection = {
    number,
    record: {
      tsSec: 0,
      tsNsec: 0,
      data,
      originalLength: 0,
      interfaceId: 0,
      linkType: 1,
    } as unknown as DissectedPacket['record'],
    timeRelative: 0,
    timeDelta: 0,
    columns: Object.assign(new ColumnValues(), { protocol: 'TCP' }),
    protocols: [],
    tree: [],
    sources: [{ name: 'Frame', data }],
    expert: [],
    malformed: false,
    cutShortAfterLayers: -1,
  };
  return new PacketContext(packet, state, true);
}

const enc = (s: string) => new TextEncoder().encode(s);

describe('HTTP consumer', () => {
  it('finds HTTP on any port by its first line, as the tshark heuristic does', () => {
    expect(looksLikeHttp(enc('GET / HTTP/1.1\r\n'), 0, 16)).toBe(true);
    expect(looksLikeHttp(enc('HTTP/1.1 200 OK\r\n'), 0, 17)).toBe(true);
    expect(looksLikeHttp(enc('GET / HTTP/1.1'), 0, 14)).toBe(false);
    expect(looksLikeHttp(enc('SSH-2.0-OpenSSH\r\n'), 0, 17)).toBe(false);
  });

  it('asks TCP for more while headers or the body are incomplete, and writes the first line to Info', () => {
    const ctx = newContext();
    const a = enc('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n');
    expect(httpConsumer.dissect(ctx, a, 0, a.length, ctx.packet.tree, info())).toEqual({ offset: 0, needMore: -1 });
    expect(ctx.columns.info).toBe('HTTP/1.1 200 OK ');
    const ctx2 = newContext();
    const b = enc('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    expect(httpConsumer.dissect(ctx2, b, 0, b.length, ctx2.packet.tree, info())).toEqual({ offset: 0, needMore: 7 });
    const ctx3 = newContext();
    const c = enc('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n');
    expect(httpConsumer.dissect(ctx3, c, 0, c.length, ctx3.packet.tree, info())).toEqual({ offset: 0, needMore: -1 });
  });

  it('dissects pipelined requests in one buffer and joins their Info', () => {
    const ctx = newContext();
    const buf = enc('GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n');
    expect(httpConsumer.dissect(ctx, buf, 0, buf.length, ctx.packet.tree, info())).toBeUndefined();
    expect(ctx.columns.info).toBe('GET /a HTTP/1.1 GET /b HTTP/1.1 ');
    const uris = findFieldNodes(ctx.packet.tree ?? [], 'http.request.uri').map((n) => n.value);
    expect(uris).toEqual(['/a', '/b']);
  });

  it('formats text as format_text does', () => {
    expect(formatText(enc('a\\b\0\r\n\u00e9'), 0, 8)).toBe('a\\b\\000\\r\\n\u00e9');
    expect(formatText(new Uint8Array([0x41, 0xff, 0x42]), 0, 3)).toBe('A\ufffdB');
  });
});

describe('HTTP never throws', () => {
  const arbitraryHttpish = fc.oneof(
    fc.uint8Array({ maxLength: 400 }),
    fc
      .tuple(
        fc.constantFrom(
          'GET / HTTP/1.1',
          'HTTP/1.1 200 OK',
          'POST /x HTTP/1.0',
          'HTTP/1.1 100 Continue',
          'HEAD / HTTP/1.1',
          'HTTP/1.0',
        ),
        fc.array(
          fc.constantFrom(
            'Content-Length: 5',
            'Content-Length: -1',
            'Content-Length: 99999999999999999999',
            'Transfer-Encoding: chunked',
            'Content-Encoding: gzip',
            'Content-Encoding: deflate',
            'Content-Type: application/json',
            'Content-Type: image/jpeg',
            'Content-Type: application/x-www-form-urlencoded',
            'Content-Type: text/html',
            'Content-Type: ;;',
            'Cookie: a=1; ;b',
            'Authorization: Basic ###',
            'Host: h',
            ': empty',
            'NoColon',
          ),
          { maxLength: 6 },
        ),
        fc.string({ maxLength: 200 }),
        fc.uint8Array({ maxLength: 200 }),
      )
      .map(([first, hdrs, body, tail]) => {
        const text = enc([first, ...hdrs].join('\r\n') + '\r\n\r\n' + body);
        const out = new Uint8Array(text.length + tail.length);
        out.set(text);
        out.set(tail, text.length);
        return out;
      }),
  );
  it('on random and malformed buffers, with and without desegmentation', () => {
    fc.assert(
      fc.property(arbitraryHttpish, fc.boolean(), (buf, canDesegment) => {
        const ctx = newContext();
        const tree: ProtoNode[] = [];
        const r = httpConsumer.dissect(ctx, buf, 0, buf.length, tree, { ...info(), canDesegment });
        if (r) {
          expect(r.offset).toBeGreaterThanOrEqual(0);
          expect(r.offset).toBeLessThanOrEqual(buf.length);
        }
        formatTreeText(tree);
      }),
      { numRuns: 2000 },
    );
  });

  it('on a 10 MB header line', () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 40).fill(0x61);
    big.set(enc('GET / HTTP/1.1\r\nX: '));
    const ctx = newContext();
    const r = httpConsumer.dissect(ctx, big, 0, big.length, ctx.packet.tree, info());
    expect(r).toBeUndefined();
    expect(formatTreeText(ctx.packet.tree ?? [])).toContain(' [truncated]X: aaa');
  });
});

/** Each node of `fields` in tree order, as "abbrev=value". */
function itemsOf(nodes: readonly ProtoNode[], fields: ReadonlySet<string>, out: string[] = []): string[] {
  for (const node of nodes) {
    if (node.field && fields.has(node.field.abbrev)) out.push(`${node.field.abbrev}=${String(node.value)}`);
    if (node.children) itemsOf(node.children, fields, out);
  }
  return out;
}

// The packet list answers a filter on header items from the header lines the load pass was
// told of (header-blocks.ts): reading them again must give what the message's tree holds.
describe('header blocks read again give the header items of the message', () => {
  const names = [...HEADER_FIELDS.keys(), 'x-other', 'content-length'];
  const headerLine = fc
    .tuple(
      fc.constantFrom(...names),
      fc.boolean(),
      fc.constantFrom('', ' ', '  ', '\t'),
      fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.constantFrom('12', ' 34 ', 'a=1; b=2;; c', 'Basic dXNlcjpwYXNz', 'Basic ###', 'chunked'),
      ),
      fc.constantFrom('', '', '', '\r\n folded', '\r\n\tfolded'),
    )
    .map(([name, upper, space, value, fold]) => `${upper ? name.toUpperCase() : name}:${space}${value}${fold}`);
  const message = fc
    .tuple(
      fc.constantFrom('GET /a HTTP/1.1', 'POST /p HTTP/1.0', 'HTTP/1.1 200 OK', 'HTTP/1.1 304 Not Modified'),
      fc.array(fc.oneof(headerLine, fc.constantFrom('NoColon', ': empty')), { maxLength: 8 }),
      fc.constantFrom('\r\n', '\n'),
      fc.constantFrom('\r\n', '\n', ''),
    )
    .map(([first, lines, eol, blank]) => [first, ...lines].join(eol) + eol + blank);
  const all = new Set(HEADER_ITEM_FIELDS);
  it('for every header item, and pruned to a few of them, with and without desegmentation', () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.boolean(),
        fc.subarray([...all], { minLength: 1, maxLength: 3 }),
        (messages, canDesegment, cut, kept) => {
          const buf = enc(messages.join(''));
          const end = cut ? Math.max(1, buf.length - 3) : buf.length;
          const ctx = newContext();
          const blocks: HeaderBlock[] = [];
          ctx.state.headerBlockListener = (block) => {
            expect(block.buf).toBe(buf);
            blocks.push(block);
          };
          const tree: ProtoNode[] = [];
          const tcp = { ...info(), canDesegment, reportedEnd: cut ? buf.length : undefined };
          try {
            httpConsumer.dissect(ctx, buf, 0, end, tree, tcp);
          } catch {
            // Cut in a line: what was added before stays, as the engine keeps it.
          }
          for (const fields of [all, new Set(kept)]) {
            const pruning = new TreePruning(fields);
            const again = blocks.flatMap((block) => headerBlockItems(pruning, new HeaderScratch(), block));
            expect(itemsOf(again, fields)).toEqual(itemsOf(tree, fields));
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});
