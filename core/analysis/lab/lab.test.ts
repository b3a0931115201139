/**
 * The lab analysis on the real lab captures and public handshake captures. Expected frames and
 * numbers come from tshark's references (*.tshark.tsv / *.tshark.frame.tsv), never from our output.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAPTURES_DIR, dissectFile, readTsv, type Table } from '../../../test/helpers/captures';
import { DissectionEngine } from '../../dissect/engine';
import { readCaptureFile } from '../../pcap/reader';
import fc from 'fast-check';
import { FinTimes, analyzeLab } from './analyze';
import { explainLab } from './explain';
import { buildFlowGraph, flowGraphSvg, type FlowGraph } from './flow-graph';
import { followHttpStream, followTcpStream, renderStreamText } from './stream';
import type { LabAnalysis } from './types';
import { wellFormed } from './xml-check';

interface Row {
  frame: number;
  info: string;
  stream: number;
  seq: number;
  seqRaw: number;
  ack: number;
  len: number;
  flags: number;
  window: number;
  srcPort: number;
  method: string;
  uri: string;
  code: string;
  ctype: string;
  iface: number;
}

function rows(id: string): Row[] {
  const t: Table = readTsv(join(CAPTURES_DIR, `${id}.tshark.tsv`));
  const ft: Table = readTsv(join(CAPTURES_DIR, `${id}.tshark.frame.tsv`));
  const col = (tb: Table, r: string[], name: string) => r[tb.header.indexOf(name)];
  return t.rows.map((r, i) => ({
    frame: Number(col(t, r, 'frame.number')),
    info: col(t, r, '_ws.col.Info'),
    stream: Number(col(t, r, 'tcp.stream')),
    seq: Number(col(t, r, 'tcp.seq')),
    seqRaw: Number(col(t, r, 'tcp.seq_raw')),
    ack: Number(col(t, r, 'tcp.ack')),
    len: Number(col(t, r, 'tcp.len')),
    flags: parseInt(col(t, r, 'tcp.flags'), 16),
    window: Number(col(t, r, 'tcp.window_size')),
    srcPort: Number(col(t, r, 'tcp.srcport')),
    method: col(t, r, 'http.request.method'),
    uri: col(t, r, 'http.request.uri'),
    code: col(t, r, 'http.response.code'),
    ctype: col(t, r, 'http.content_type'),
    iface: Number(col(ft, ft.rows[i], 'frame.interface_id') || 0),
  }));
}

const cache = new Map<string, { packets: ReturnType<typeof dissectFile>['packets']; analysis: LabAnalysis }>();
function load(id: string, serverPort?: number) {
  const key = `${id}|${serverPort}`;
  let v = cache.get(key);
  if (!v) {
    const f = dissectFile(join(CAPTURES_DIR, id), []);
    v = { packets: f.packets, analysis: analyzeLab(f.packets, serverPort === undefined ? {} : { serverPort }) };
    cache.set(key, v);
  }
  return v;
}

const SYN = 0x02;
const ACK = 0x10;
const FIN = 0x01;

/** What tshark's columns say the lab steps are, for the connection that carried `GET /`. */
function expectedSteps(rs: Row[]) {
  const real = rs.filter((r) => r.iface === 0); // lab-dumpcap-lo-any: every packet twice, once per interface
  const pageReq = real.find((r) => r.method.split(',').includes('GET') && r.uri.split(',')[0] === '/');
  if (!pageReq) throw new Error('no GET / in the reference');
  const s = pageReq.stream;
  const streamRows = real.filter((r) => r.stream === s);
  const syn = streamRows.find((r) => r.flags === SYN);
  const synAck = streamRows.find((r) => r.flags === (SYN | ACK));
  const ack3 = streamRows.find((r) => r.frame > (synAck?.frame ?? 0) && r.flags & ACK && !(r.flags & SYN));
  const pageRes = real.find((r) => r.ctype.startsWith('text/html'));
  const logoReq = real.find((r) => r.uri.split(',').includes('/logo.jpg'));
  const logoRes = real.find((r) => r.ctype.startsWith('image/jpeg'));
  const firstFin = streamRows.findIndex((r) => r.flags & FIN);
  const teardown = streamRows.slice(firstFin).map((r) => r.frame);
  return {
    stream: s,
    handshake: [syn, synAck, ack3].map((r) => r?.frame),
    syn: syn as Row,
    synAck: synAck as Row,
    ack3: ack3 as Row,
    pageReq: pageReq.frame,
    pageRes: pageRes?.frame,
    logoReq: logoReq?.frame,
    logoRes: logoRes?.frame,
    teardown,
    finRows: streamRows.filter((r) => r.flags & FIN),
  };
}

const LAB = [
  'lab/lab-linux-ipv4.pcap',
  'lab/lab-linux-ipv6.pcap',
  'lab/lab-null-loopback.pcap',
  'lab/lab-null-loopback-ipv6.pcap',
  'lab/lab-linux-any-sll2-ipv4.pcap',
  'lab/lab-pipelining-ipv4.pcap',
  'lab/lab-dumpcap-lo-any.pcapng',
];

describe.each(LAB)('%s', (id) => {
  const rs = rows(id);
  const exp = expectedSteps(rs);

  it('points each lab step at the frames tshark shows', () => {
    const { analysis } = load(id);
    const step = (sid: string) => analysis.steps.find((s) => s.id === sid);
    expect(analysis.serverPort).toBe(8001);
    expect(analysis.mainStream).toBe(exp.stream);
    expect(step('handshake')).toMatchObject({ status: 'done', frames: exp.handshake });
    expect(step('page-request')?.frames).toEqual([exp.pageReq]);
    expect(step('page-response')?.frames).toEqual([exp.pageRes]);
    expect(step('logo-request')?.frames).toEqual([exp.logoReq]);
    expect(step('logo-response')?.frames).toEqual([exp.logoRes]);
    expect(step('teardown')).toMatchObject({ status: 'done', frames: exp.teardown });
    expect(step('server-up')?.status).toBe('done');
    // Every HTTP row of tshark is a request or response frame of a transaction, and vice versa.
    const httpFrames = rs.filter((r) => r.iface === 0 && (r.method || r.code)).map((r) => r.frame);
    const ours = new Set(analysis.transactions.flatMap((t) => [t.request.frame, t.response?.frame ?? -1]));
    expect([...ours].sort((a, b) => a - b)).toEqual(httpFrames);
    for (const t of analysis.transactions) {
      const rq = rs.find((r) => r.frame === t.request.frame) as Row;
      expect(rq.method.split(',')).toContain(t.request.method);
      expect(rq.uri.split(',')).toContain(t.request.uri);
      const rp = rs.find((r) => r.frame === t.response?.frame) as Row;
      expect(rp.code.split(',').map(Number)).toContain(t.response?.code);
      expect(rp.ctype.split(',')).toContain(t.response?.contentType);
    }
  });

  it('labels the handshake with the packets’ seq/ack, window and options', () => {
    const { analysis } = load(id);
    const main = analysis.connections.find((c) => c.stream === exp.stream);
    if (!main) throw new Error('main connection missing');
    const [s1, s2, s3] = main.handshake.segments;
    expect([s1.step, s2.step, s3.step]).toEqual([1, 2, 3]);
    expect(s1).toMatchObject({ seq: exp.syn.seq, seqRaw: exp.syn.seqRaw, window: exp.syn.window, flags: 'SYN' });
    expect(s2).toMatchObject({
      seq: exp.synAck.seq,
      seqRaw: exp.synAck.seqRaw,
      ack: exp.synAck.ack,
      flags: 'SYN, ACK',
    });
    expect(s2.ackRaw).toBe(exp.syn.seqRaw + 1);
    expect(s3).toMatchObject({ seqRaw: exp.ack3.seqRaw, ack: exp.ack3.ack, window: exp.ack3.window });
    expect(s3.ackRaw).toBe(exp.synAck.seqRaw + 1);
    // Options as the Info column prints them.
    const mss = Number(/MSS=(\d+)/.exec(exp.syn.info)?.[1]);
    const ws = Number(/WS=(\d+)/.exec(exp.syn.info)?.[1]);
    expect(s1.mss).toBe(mss);
    expect(s1.wscaleMultiplier).toBe(ws);
    expect(s1.sackPerm).toBe(exp.syn.info.includes('SACK_PERM'));
    expect(main.handshake.clientIsn).toBe(exp.syn.seqRaw);
    expect(main.handshake.serverIsn).toBe(exp.synAck.seqRaw);
  });

  it('explains with this capture’s numbers in both languages', () => {
    const { analysis } = load(id);
    const x = exp.syn.seqRaw;
    const y = exp.synAck.seqRaw;
    for (const lang of ['zh-CN', 'en'] as const) {
      const text = explainLab(analysis, lang)
        .sections.flatMap((s) => s.paragraphs.map((p) => p.text))
        .join('\n');
      expect(text).toContain(`seq = x = ${x}`);
      expect(text).toContain(`ack = x + 1 = ${x} + 1 = ${x + 1}`);
      expect(text).toContain(`seq = y = ${y}`);
      expect(text).toContain(`y + 1 = ${y} + 1 = ${y + 1}`);
      expect(text).toContain(String(exp.syn.window));
      for (const fin of exp.finRows) {
        expect(text).toContain(`帧 ${fin.frame}`.replace('帧 ', lang === 'zh-CN' ? '帧 ' : 'frame '));
        expect(text).toContain(`seq = ${fin.seqRaw}`);
      }
      // The ACK of the first FIN: ack = its seq + 1, with the real numbers.
      const firstFin = exp.finRows[0];
      expect(text).toContain(`${firstFin.seqRaw} + 1 = ${firstFin.seqRaw + 1}`);
    }
  });

  it('draws one flow-graph arrow per packet, in order', () => {
    const { packets, analysis } = load(id);
    const graph = buildFlowGraph(packets, { analysis });
    expect(graph.arrows.map((a) => a.frame)).toEqual(rs.map((r) => r.frame));
    for (const a of graph.arrows) {
      const r = rs.find((row) => row.frame === a.frame) as Row;
      expect(graph.nodes[a.from].port).toBe(r.srcPort);
      expect(a.seq).toBe(r.seq);
      expect(a.len).toBe(r.len);
      if (r.method && r.iface === 0) expect(a.label).toContain(`${r.method.split(',')[0]} ${r.uri.split(',')[0]}`);
      if (r.flags === SYN) expect(a.label).toBe('SYN');
    }
    const svg = flowGraphSvg(graph, { lang: 'zh-CN' });
    expect(wellFormed(svg)).toBe(true);
    expect((svg.match(/<g class="arrow"/g) ?? []).length).toBe(rs.length);
  });
});

describe('TCP states and connection roles (lab-linux-ipv4)', () => {
  const id = 'lab/lab-linux-ipv4.pcap';
  const rs = rows(id);

  it('server FIN first: the used connection', () => {
    const { analysis } = load(id);
    const exp = expectedSteps(rs);
    const main = analysis.connections.find((c) => c.stream === exp.stream);
    if (!main) throw new Error('missing');
    expect(main.role).toBe('page');
    // tshark: the first FIN of this stream comes from the server port.
    expect(exp.finRows[0].srcPort).toBe(8001);
    expect(main.teardown).toMatchObject({ initiator: 'server', kind: 'four-way', reason: 'keep-alive-timeout' });
    const seq = main.teardown.segments.map((s) => [s.frame, s.role, s.states.client, s.states.server]);
    expect(seq).toEqual([
      [exp.teardown[0], 'fin', 'CLOSE_WAIT', 'FIN_WAIT_1'],
      [exp.teardown[1], 'ack', 'CLOSE_WAIT', 'FIN_WAIT_2'],
      [exp.teardown[2], 'fin', 'LAST_ACK', 'TIME_WAIT'],
      [exp.teardown[3], 'ack', 'CLOSED', 'TIME_WAIT'],
    ]);
    expect(main.handshake.segments.map((s) => [s.states.client, s.states.server])).toEqual([
      ['SYN_SENT', 'SYN_RECEIVED'],
      ['ESTABLISHED', 'SYN_RECEIVED'],
      ['ESTABLISHED', 'ESTABLISHED'],
    ]);
    // The idle time before the FIN is the gap tshark's timestamps show (~6 s keep-alive).
    expect(main.teardown.idleBeforeClose).toBeGreaterThan(5);
    expect(main.teardown.idleBeforeClose).toBeLessThan(7);
  });

  it('the unused preconnect socket and the connection closed at once', () => {
    const { analysis } = load(id);
    const streams = [...new Set(rs.map((r) => r.stream))];
    const unused = streams.filter((s) => rs.filter((r) => r.stream === s).every((r) => r.len === 0));
    const found = analysis.connections.filter((c) => c.role === 'unused').map((c) => c.stream);
    expect(found).toEqual(unused);
    const idle = analysis.connections.find((c) => c.unusedKind === 'idle');
    const atOnce = analysis.connections.find((c) => c.unusedKind === 'closed-at-once');
    if (!idle || !atOnce) throw new Error('missing');
    const idleRows = rs.filter((r) => r.stream === idle.stream);
    expect(idle.states.map((s) => s.frame)).toEqual(idleRows.map((r) => r.frame));
    expect(idle.states.map((s) => `${s.states.client}/${s.states.server}`)).toEqual([
      'SYN_SENT/SYN_RECEIVED',
      'ESTABLISHED/SYN_RECEIVED',
      'ESTABLISHED/ESTABLISHED',
      'FIN_WAIT_1/CLOSE_WAIT',
      'FIN_WAIT_2/CLOSE_WAIT',
      'TIME_WAIT/LAST_ACK',
      'TIME_WAIT/CLOSED',
    ]);
    expect(idle.teardown.reason).toBe('browser-exit');
    // FIN+ACK combined: three segments.
    expect(atOnce.teardown.kind).toBe('three-way');
    expect(atOnce.teardown.segments.map((s) => s.role)).toEqual(['fin', 'fin-ack', 'ack']);
    expect(atOnce.finalStates).toEqual({ client: 'TIME_WAIT', server: 'CLOSED' });
    const en = explainLab(analysis, 'en')
      .sections.map((s) => s.paragraphs.map((p) => p.text).join(' '))
      .join(' ');
    expect(en).toContain('preconnect');
    expect(en).toContain(`Connection ${idle.stream} (browser port ${idleRows[0].srcPort})`);
  });

  it('RTT samples follow Kurose & Ross (α = 1/8, β = 1/4)', () => {
    const { analysis } = load(id);
    const main = analysis.connections.find((c) => c.role === 'page');
    if (!main) throw new Error('missing');
    const client = main.rtt.filter((r) => r.direction === 'client');
    expect(client.length).toBeGreaterThan(1);
    for (const r of main.rtt) {
      const seg = rs.find((x) => x.frame === r.segmentFrame) as Row;
      const ackRow = rs.find((x) => x.frame === r.ackFrame) as Row;
      expect(ackRow.ack).toBe(seg.seq + seg.len);
      expect(r.segmentLen).toBe(seg.len);
    }
    const [a, b] = client;
    expect(a.estimatedRtt).toBeCloseTo(a.sampleRtt, 12);
    expect(a.devRtt).toBeCloseTo(a.sampleRtt / 2, 12);
    expect(b.estimatedRtt).toBeCloseTo((7 / 8) * a.sampleRtt + (1 / 8) * b.sampleRtt, 12);
    expect(b.devRtt).toBeCloseTo((3 / 4) * a.devRtt + (1 / 4) * Math.abs(b.sampleRtt - a.estimatedRtt), 12);
    expect(b.timeoutInterval).toBeCloseTo(b.estimatedRtt + 4 * b.devRtt, 12);
    // Time–sequence points: one per segment, with tshark's relative seq.
    for (const p of main.timeSequence) expect(p.seq).toBe((rs.find((r) => r.frame === p.frame) as Row).seq);
  });
});

describe('other lab variants', () => {
  it('IPv6 connections are said to be IPv6', () => {
    const { analysis } = load('lab/lab-linux-ipv6.pcap');
    expect(analysis.connections.every((c) => c.ipVersion === 6 && c.server.address === '::1')).toBe(true);
    expect(analysis.notes.some((n) => n.code === 'ipv6')).toBe(true);
    const zh = explainLab(analysis, 'zh-CN')
      .sections.flatMap((s) => s.paragraphs.map((p) => p.text))
      .join('\n');
    expect(zh).toContain('[::1]:8001');
  });

  it('duplicates captured on two interfaces are left out of the analysis', () => {
    const id = 'lab/lab-dumpcap-lo-any.pcapng';
    const rs = rows(id);
    const { analysis } = load(id);
    const dups = analysis.connections.flatMap((c) => c.duplicateFrames).sort((a, b) => a - b);
    // The later of two identical segments seen on different interfaces (tshark's header fields).
    const seen = new Map<string, Row>();
    const expected: number[] = [];
    for (const r of rs) {
      const key = [r.stream, r.srcPort, r.seqRaw, r.ack, r.flags, r.len].join('|');
      const prev = seen.get(key);
      if (prev && prev.iface !== r.iface) expected.push(r.frame);
      else if (!prev) seen.set(key, r);
    }
    expect(expected.length).toBe(rs.length / 2);
    expect(dups).toEqual(expected);
    expect(analysis.notes.some((n) => n.code === 'duplicates')).toBe(true);
  });

  it('pipelining: three requests in one frame, answered in order', () => {
    const id = 'lab/lab-pipelining-ipv4.pcap';
    const rs = rows(id);
    const { analysis } = load(id);
    const reqRow = rs.find((r) => r.method === 'GET,GET,GET') as Row;
    expect(analysis.transactions.map((t) => t.request.uri)).toEqual(reqRow.uri.split(','));
    expect(analysis.transactions.every((t) => t.request.frame === reqRow.frame)).toBe(true);
    expect(analysis.transactions.map((t) => t.response?.frame)).toEqual(rs.filter((r) => r.code).map((r) => r.frame));
    expect(analysis.notes.find((n) => n.code === 'pipelining')?.values?.count).toBe(3);
    const main = analysis.connections[0];
    expect(main.teardown.kind).toBe('three-way');
    expect(main.teardown.initiator).toBe('server');
  });

  it('a capture started late and stopped early says so', () => {
    const path = join(CAPTURES_DIR, 'lab/lab-linux-ipv4.pcap');
    const { info, packets: records } = readCaptureFile(new Uint8Array(readFileSync(path)));
    const engine = new DissectionEngine({ tree: true, interfaces: info.interfaces });
    const packets = records.slice(9, 22).map((r) => engine.dissect(r)); // file frames 10..22: no SYN, no FIN
    const analysis = analyzeLab(packets);
    const main = analysis.connections.find((c) => c.role === 'page');
    if (!main) throw new Error('missing');
    expect(main.synSeen).toBe(false);
    expect(main.handshake.segments).toEqual([]);
    expect(main.teardown.kind).toBe('none');
    expect(main.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['no-syn', 'no-fin']));
    expect(analysis.steps.find((s) => s.id === 'handshake')?.status).toBe('missing');
    expect(analysis.steps.find((s) => s.id === 'teardown')?.status).toBe('missing');
    expect(analysis.steps.find((s) => s.id === 'page-request')?.status).toBe('done');
    const en = explainLab(analysis, 'en')
      .sections.flatMap((s) => s.paragraphs.map((p) => p.text))
      .join('\n');
    expect(en).toContain('no SYN');
    expect(en).toContain('had not closed when the capture ended');
  });

  it('host facts override the capture’s inference', () => {
    const f = dissectFile(join(CAPTURES_DIR, 'lab/lab-linux-ipv4.pcap'), []);
    const a = analyzeLab(f.packets, { host: { serverUp: true, captureRunning: false } });
    expect(a.steps.find((s) => s.id === 'server-up')).toMatchObject({ status: 'done', source: 'host' });
    expect(a.steps.find((s) => s.id === 'capture-running')).toMatchObject({ status: 'missing', source: 'host' });
  });
});

describe('public captures with a handshake', () => {
  it.each(['public/tcpdump-print-flags.pcap', 'public/zeek-http-get.pcap', 'public/zeek-http-get-gzip.pcap'])(
    '%s: port guessed from the SYN, steps at tshark’s frames',
    (id) => {
      const rs = rows(id);
      const { analysis } = load(id);
      const synRow = rs.find((r) => r.flags === SYN) as Row;
      expect(analysis.serverPort).toBe(Number(/→ (\d+)/.exec(synRow.info)?.[1]));
      expect(analysis.steps.find((s) => s.id === 'handshake')?.frames).toEqual(
        rs.filter((r) => r.frame <= 3).map((r) => r.frame),
      );
      expect(analysis.steps.find((s) => s.id === 'page-request')?.frames).toEqual([rs.find((r) => r.method)?.frame]);
      expect(analysis.transactions[0].response?.frame).toBe(rs.find((r) => r.code)?.frame);
      const firstFin = rs.find((r) => r.flags & FIN) as Row;
      const main = analysis.connections[0];
      expect(main.teardown.segments[0].frame).toBe(firstFin.frame);
      expect(main.teardown.initiator).toBe(firstFin.srcPort === analysis.serverPort ? 'server' : 'client');
    },
  );

  it('handshake-only capture: complete handshake, no teardown', () => {
    const { analysis } = load('public/tcpdump-tcp-handshake-nano.pcap');
    const c = analysis.connections[0];
    expect(c.handshake.complete).toBe(true);
    expect(c.teardown.kind).toBe('none');
    expect(c.finalStates).toEqual({ client: 'ESTABLISHED', server: 'ESTABLISHED' });
    expect(c.notes.some((n) => n.code === 'no-fin')).toBe(true);
  });
});

describe('follow stream', () => {
  it('follows the TCP stream in order, skipping copies', () => {
    const id = 'lab/lab-dumpcap-lo-any.pcapng';
    const rs = rows(id);
    const { packets } = load(id);
    for (const stream of [0, 1]) {
      const chunks = followTcpStream(packets, stream, 8001);
      const expected = rs.filter((r) => r.stream === stream && r.len > 0 && r.iface === 0);
      expect(chunks.map((c) => c.frame)).toEqual(expected.map((r) => r.frame));
      expect(chunks.map((c) => c.bytes.length)).toEqual(expected.map((r) => r.len));
      expect(chunks.map((c) => c.direction)).toEqual(expected.map((r) => (r.srcPort === 8001 ? 'server' : 'client')));
    }
    const text = renderStreamText(followTcpStream(packets, 0, 8001));
    expect(text).toContain('GET / HTTP/1.1');
    expect(text).toContain('HTTP/1.1 200 OK');
  });

  it('follows HTTP: bodies de-chunked, decompressed and decoded', () => {
    const { packets } = load('lab/lab-linux-ipv4.pcap');
    const msgs = followHttpStream(packets, 1, 8001);
    expect(msgs.map((m) => m.kind)).toEqual(['request', 'response', 'request', 'response', 'request', 'response']);
    const html = msgs[1];
    expect(html.bodyText).toMatch(/<html/i);
    const jpeg = msgs[3].body;
    expect([jpeg[0], jpeg[1], jpeg[jpeg.length - 2], jpeg[jpeg.length - 1]]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    expect(msgs[3].bodyText).toBeUndefined();

    const gz = load('public/zeek-http-get-gzip.pcap');
    const res = followHttpStream(gz.packets, 0).find((m) => m.kind === 'response');
    expect(res?.contentEncoding).toBe('gzip');
    expect(() => JSON.parse(res?.bodyText ?? '')).not.toThrow();

    const chunked = load('public/zeek-http-cooper-grill-dvwa.pcapng');
    const streams = [...new Set(rows('public/zeek-http-cooper-grill-dvwa.pcapng').map((r) => r.stream))];
    const all = streams.flatMap((s) => followHttpStream(chunked.packets, s));
    const ch = all.find((m) => m.chunked);
    expect(ch?.bodyText?.length ?? 0).toBeGreaterThan(0);
  });
});

describe('SVG', () => {
  it('escapes text and stays well-formed', () => {
    const graph: FlowGraph = {
      nodes: [
        { address: '127.0.0.1', port: 1234, role: 'client' },
        { address: '::1', port: 8001, role: 'server' },
      ],
      arrows: [
        {
          frame: 1,
          time: 0,
          stream: 0,
          from: 0,
          to: 1,
          label: 'GET /<script>alert("x")&\'y\' HTTP/1.1',
          comment: 'Seq = 0 <b>',
          flags: 'PSH, ACK',
          seq: 0,
          ack: 0,
          len: 10,
          kind: 'http',
          duplicate: false,
        },
      ],
    };
    for (const lang of ['zh-CN', 'en'] as const) {
      for (const theme of ['light', 'dark'] as const) {
        const svg = flowGraphSvg(graph, { lang, theme, title: 'A & <B>' });
        expect(wellFormed(svg)).toBe(true);
        expect(svg).not.toContain('<script>');
        expect(svg).toContain('&lt;script&gt;');
        expect(svg).toContain('A &amp; &lt;B&gt;');
        expect(svg).toContain('[::1]:8001');
        expect(svg).toMatch(/font-family="[^"]*Noto Sans CJK SC/);
      }
    }
  });
});

describe("another connection's client FIN near a time (the browser closing everything at once)", () => {
  it("answers as comparing with every other connection does, FINs on the window's edges included", () => {
    // Times on a grid of 0.25 s (and a little off it) put many of them exactly 0.5 s apart.
    const time = fc.oneof(
      fc.integer({ min: 0, max: 40 }).map((quarter) => quarter / 4),
      fc.double({ min: 0, max: 10, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(time, { maxLength: 30 }), time, fc.integer({ min: 0, max: 35 }), (times, at, stream) => {
        const byStream = new Map(times.map((t, i) => [i, t] as const));
        const others = [...byStream].filter(([s]) => s !== stream).map(([, t]) => t);
        expect(new FinTimes(byStream).near(at, stream)).toBe(others.some((t) => Math.abs(t - at) < 0.5));
      }),
      { numRuns: 2000 },
    );
  });
});
