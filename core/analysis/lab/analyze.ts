/**
 * analyzeLab(): what the lab capture shows — per connection to the lab port: the three-way
 * handshake, the HTTP transactions, the teardown in the order it really happened, both ends'
 * TCP states after each segment, time–sequence points and RTT estimates — plus the checklist
 * of lab steps with the frames that prove each one.
 */
import type { DissectedPacket } from '../../dissect/context';
import { u32, GT_SEQ } from '../../dissect/protocols/tcp/analysis';
import { flagNames, packetListFacts, type TcpFacts } from './facts';
import { directionOf, followHttpStream, streamEndpoints, type Direction, type HttpMessage } from './stream';
import type {
  HandshakeSegment,
  Handshake,
  HttpTransaction,
  LabAnalysis,
  LabAnalysisOptions,
  LabConnection,
  LabNote,
  LabStep,
  RttSample,
  SegmentRef,
  StatePair,
  StateStep,
  TcpState,
  Teardown,
  TeardownSegment,
  TimeSeqPoint,
} from './types';

export const DEFAULT_LAB_PORT = 8001;
/** Kurose & Ross / RFC 6298 gains. */
export const RTT_ALPHA = 1 / 8;
export const RTT_BETA = 1 / 4;

const other = (d: Direction): Direction => (d === 'client' ? 'server' : 'client');

/** Picks the lab server port when the caller did not say. */
export function guessServerPort(facts: readonly TcpFacts[]): number | null {
  if (facts.length === 0) return null;
  if (facts.some((f) => f.srcPort === DEFAULT_LAB_PORT || f.dstPort === DEFAULT_LAB_PORT)) return DEFAULT_LAB_PORT;
  const count = (ports: number[]): number | null => {
    const m = new Map<number, number>();
    for (const p of ports) m.set(p, (m.get(p) ?? 0) + 1);
    let best: number | null = null;
    let bestN = 0;
    for (const [p, n] of m) if (n > bestN) [best, bestN] = [p, n];
    return best;
  };
  const http = count(facts.filter((f) => f.http.some((h) => h.kind === 'response')).map((f) => f.srcPort));
  if (http !== null) return http;
  const syn = count(facts.filter((f) => f.syn && !f.ackFlag).map((f) => f.dstPort));
  if (syn !== null) return syn;
  return count(facts.map((f) => Math.min(f.srcPort, f.dstPort)));
}

/** Second copies of a packet captured on two interfaces: same TCP header, another interface. */
function findDuplicates(facts: readonly TcpFacts[]): Set<number> {
  const seen = new Map<string, TcpFacts>();
  const dups = new Set<number>();
  for (const f of facts) {
    const key = [f.stream, f.src, f.srcPort, f.seqRaw, f.ackRaw, f.flags, f.len, f.windowValue, f.tsval ?? ''].join(
      '|',
    );
    const prev = seen.get(key);
    if (prev && prev.interfaceId !== f.interfaceId) dups.add(f.frame);
    else if (!prev) seen.set(key, f);
  }
  return dups;
}

function segmentRef(f: TcpFacts, dir: Direction): SegmentRef {
  return {
    frame: f.frame,
    time: f.time,
    direction: dir,
    flags: flagNames(f.flags),
    flagBits: f.flags,
    seq: f.seq,
    ack: f.ack,
    seqRaw: f.seqRaw,
    ackRaw: f.ackRaw,
    len: f.len,
    windowValue: f.windowValue,
    window: f.window,
  };
}

/** RFC 793 state machine, one segment at a time (sending and receiving happen together on loopback). */
class StateMachine {
  states: Record<Direction, TcpState>;
  private finEnd: Record<Direction, number | null> = { client: null, server: null };

  constructor(initial: StatePair) {
    this.states = { client: initial.client, server: initial.server };
  }

  pair(): StatePair {
    return { client: this.states.client, server: this.states.server };
  }

  apply(f: TcpFacts, s: Direction): StatePair {
    const r = other(s);
    const st = this.states;
    if (f.rst) {
      st.client = 'CLOSED';
      st.server = st.server === 'LISTEN' || st.server === 'SYN_RECEIVED' ? 'LISTEN' : 'CLOSED';
      return this.pair();
    }
    // The sender's transition.
    if (f.syn && !f.ackFlag) {
      if (st[s] === 'CLOSED') st[s] = 'SYN_SENT';
    } else if (f.syn && f.ackFlag) {
      if (st[s] === 'LISTEN' || st[s] === 'CLOSED') st[s] = 'SYN_RECEIVED';
    }
    if (f.fin) {
      this.finEnd[s] = u32(f.seqRaw + f.len + 1);
      if (st[s] === 'ESTABLISHED' || st[s] === 'SYN_RECEIVED') st[s] = 'FIN_WAIT_1';
      else if (st[s] === 'CLOSE_WAIT') st[s] = 'LAST_ACK';
    }
    // The receiver's transitions: the ACK first, then SYN / FIN.
    if (f.syn && !f.ackFlag) {
      if (st[r] === 'LISTEN') st[r] = 'SYN_RECEIVED';
    } else if (f.syn && f.ackFlag) {
      if (st[r] === 'SYN_SENT') st[r] = 'ESTABLISHED';
    } else if (f.ackFlag && st[r] === 'SYN_RECEIVED') {
      st[r] = 'ESTABLISHED';
    }
    const rFin = this.finEnd[r];
    if (f.ackFlag && rFin !== null && !GT_SEQ(rFin, f.ackRaw)) {
      if (st[r] === 'FIN_WAIT_1') st[r] = 'FIN_WAIT_2';
      else if (st[r] === 'CLOSING') st[r] = 'TIME_WAIT';
      else if (st[r] === 'LAST_ACK') st[r] = 'CLOSED';
    }
    if (f.fin) {
      if (st[r] === 'ESTABLISHED' || st[r] === 'SYN_RECEIVED') st[r] = 'CLOSE_WAIT';
      else if (st[r] === 'FIN_WAIT_1') st[r] = 'CLOSING';
      else if (st[r] === 'FIN_WAIT_2') st[r] = 'TIME_WAIT';
    }
    return this.pair();
  }
}

/** Closed together with another connection: the browser closes all of them when it exits. */
const BROWSER_EXIT_WINDOW = 0.5;

/**
 * The connections' client FIN times, sorted, to ask whether another connection's came within
 * BROWSER_EXIT_WINDOW of a time. Each connection asking with a list of all the others' was
 * quadratic: on the first 20,000 packets of the bench capture (1,429 connections) analyzeLab
 * took 642 ms, most of it making those lists, and 362 ms with this (the lab repeat's: 819 →
 * 404 ms; Node, the same results). Exported for its test.
 */
export class FinTimes {
  private readonly fins: { time: number; stream: number }[];

  constructor(byStream: ReadonlyMap<number, number>) {
    this.fins = [...byStream].map(([stream, time]) => ({ time, stream })).sort((a, b) => a.time - b.time);
  }

  /** Whether a connection other than `stream` sent its client FIN within the window of `time`. */
  near(time: number, stream: number): boolean {
    const { fins } = this;
    // The first FIN at or after the window's start (a little before: the test below decides).
    let low = 0;
    let high = fins.length;
    const from = time - BROWSER_EXIT_WINDOW - 1e-9;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (fins[middle].time < from) low = middle + 1;
      else high = middle;
    }
    for (let i = low; i < fins.length && fins[i].time <= time + BROWSER_EXIT_WINDOW + 1e-9; i++)
      if (fins[i].stream !== stream && Math.abs(fins[i].time - time) < BROWSER_EXIT_WINDOW) return true;
    return false;
  }
}

function acksFin(f: TcpFacts, finFact: TcpFacts): boolean {
  return f.ackFlag && !GT_SEQ(u32(finFact.seqRaw + finFact.len + 1), f.ackRaw);
}

function buildHandshake(segs: readonly { f: TcpFacts; dir: Direction; states: StatePair }[]): Handshake {
  const out: HandshakeSegment[] = [];
  const hs = (i: number, step: 1 | 2 | 3): HandshakeSegment => {
    const { f, dir, states } = segs[i];
    return {
      ...segmentRef(f, dir),
      step,
      mss: f.mss,
      wscaleShift: f.wscaleShift,
      wscaleMultiplier: f.wscaleMultiplier,
      sackPerm: f.sackPerm,
      states,
    };
  };
  const i1 = segs.findIndex((s) => s.f.syn && !s.f.ackFlag);
  let i2 = -1;
  if (i1 >= 0) {
    out.push(hs(i1, 1));
    const syn = segs[i1].f;
    i2 = segs.findIndex((s, i) => i > i1 && s.f.syn && s.f.ackFlag && s.f.ackRaw === u32(syn.seqRaw + 1));
  } else {
    i2 = segs.findIndex((s) => s.f.syn && s.f.ackFlag);
  }
  let initialRtt: number | null = null;
  if (i2 >= 0) {
    out.push(hs(i2, 2));
    const synAck = segs[i2].f;
    const i3 = segs.findIndex(
      (s, i) =>
        i > i2 && s.dir === 'client' && !s.f.syn && s.f.ackFlag && !s.f.rst && s.f.ackRaw === u32(synAck.seqRaw + 1),
    );
    if (i3 >= 0) {
      out.push(hs(i3, 3));
      initialRtt = segs[i3].f.initialRtt;
    }
  }
  const s1 = out.find((s) => s.step === 1);
  const s2 = out.find((s) => s.step === 2);
  return {
    complete: out.length === 3 && s1 !== undefined,
    segments: out,
    clientIsn: s1 ? s1.seqRaw : s2 ? u32(s2.ackRaw - 1) : null,
    serverIsn: s2 ? s2.seqRaw : null,
    initialRtt,
  };
}

function buildTeardown(
  segs: readonly { f: TcpFacts; dir: Direction; states: StatePair }[],
  hasData: boolean,
  handshakeEnd: number | null,
  otherClientFinNear: (time: number) => boolean,
  messages: readonly HttpMessage[],
): Teardown {
  const none: Teardown = {
    kind: 'none',
    initiator: null,
    reason: 'unknown',
    segments: [],
    idleBeforeClose: null,
    halfCloseSeconds: null,
    dataAfterFin: [],
    duration: null,
  };
  const iFirst = segs.findIndex((s) => s.f.fin || s.f.rst);
  if (iFirst < 0) return none;
  const first = segs[iFirst];
  const initiator = first.dir;
  const prev = iFirst > 0 ? segs[iFirst - 1].f : null;
  const idleBeforeClose = prev ? first.f.time - prev.time : null;
  const out: TeardownSegment[] = [];
  const push = (i: number, role: TeardownSegment['role'], acksFinOf?: Direction) => {
    const { f, dir, states } = segs[i];
    const seg: TeardownSegment = { ...segmentRef(f, dir), step: out.length + 1, role, states };
    if (acksFinOf) seg.acksFinOf = acksFinOf;
    out.push(seg);
  };
  const dataAfterFin: number[] = [];
  for (let i = iFirst + 1; i < segs.length; i++)
    if (segs[i].f.len > 0 && !segs[i].f.rst) dataAfterFin.push(segs[i].f.frame);

  let kind: Teardown['kind'];
  let halfCloseSeconds: number | null = null;
  if (first.f.rst) {
    push(iFirst, 'rst');
    kind = 'rst';
  } else {
    push(iFirst, 'fin');
    const p = other(initiator);
    // The passive side's ACK of the first FIN, and its own FIN.
    const iAck = segs.findIndex((s, i) => i > iFirst && s.dir === p && acksFin(s.f, first.f));
    const iFin2 = segs.findIndex((s, i) => i > iFirst && s.dir === p && (s.f.fin || s.f.rst));
    if (iFin2 >= 0 && segs[iFin2].f.rst) {
      if (iAck >= 0 && iAck < iFin2) push(iAck, 'ack', initiator);
      push(iFin2, 'rst');
      kind = 'rst';
    } else if (iFin2 >= 0 && iAck === iFin2) {
      push(iFin2, 'fin-ack', initiator);
      kind = 'three-way';
    } else {
      if (iAck >= 0 && (iFin2 < 0 || iAck < iFin2)) push(iAck, 'ack', initiator);
      if (iFin2 >= 0) push(iFin2, 'fin');
      kind = iFin2 >= 0 && (iAck < 0 || iAck > iFin2) ? 'simultaneous' : 'four-way';
      if (iFin2 >= 0 && iAck > iFin2) push(iAck, 'ack', initiator);
    }
    if (iFin2 >= 0 && !segs[iFin2].f.rst) {
      halfCloseSeconds = segs[iFin2].f.time - first.f.time;
      const fin2 = segs[iFin2].f;
      const iLast = segs.findIndex((s, i) => i > iFin2 && s.dir === initiator && acksFin(s.f, fin2));
      if (iLast >= 0) push(iLast, 'ack', p);
      else kind = 'partial';
    } else if (kind !== 'rst') {
      kind = 'partial';
    }
    out.sort((a, b) => a.frame - b.frame);
    out.forEach((s, i) => (s.step = i + 1));
  }

  // Why the first FIN was sent.
  let reason: Teardown['reason'];
  const lastResponse = [...messages].reverse().find((m) => m.kind === 'response');
  const connHeader = lastResponse?.headers.find((h) => h.name.toLowerCase() === 'connection')?.value.toLowerCase();
  if (first.f.rst) reason = 'reset';
  else if (initiator === 'server') {
    if (connHeader === 'close' && idleBeforeClose !== null && idleBeforeClose < 1) reason = 'connection-close';
    else if (hasData && idleBeforeClose !== null && idleBeforeClose >= 4 && idleBeforeClose <= 8)
      reason = 'keep-alive-timeout';
    else reason = 'server-close';
  } else {
    const t = first.f.time;
    if (!hasData && handshakeEnd !== null && t - handshakeEnd < 1) reason = 'unused-closed';
    else if (otherClientFinNear(t)) reason = 'browser-exit';
    else reason = 'client-close';
  }
  const last = out[out.length - 1];
  return {
    kind,
    initiator,
    reason,
    segments: out,
    idleBeforeClose,
    halfCloseSeconds,
    dataAfterFin,
    duration: last ? last.time - first.f.time : null,
  };
}

function classifyTransaction(uri: string, contentType: string | undefined): HttpTransaction['kind'] {
  const path = uri.split('?')[0].toLowerCase();
  if (path.endsWith('/favicon.ico')) return 'favicon';
  if (contentType?.toLowerCase().startsWith('text/html') || path === '/' || path.endsWith('.html')) return 'page';
  if (contentType?.toLowerCase().startsWith('image/') || /\.(jpe?g|png|gif|svg|webp|bmp)$/.test(path)) return 'logo';
  return 'other';
}

function buildTransactions(
  stream: number,
  messages: readonly HttpMessage[],
  facts: readonly TcpFacts[],
): HttpTransaction[] {
  // Prefer the HTTP dissector's values (tree) for the frames where it shows a message.
  const byFrame = new Map<number, TcpFacts>();
  for (const f of facts) byFrame.set(f.frame, f);
  const usedInFrame = new Map<string, number>();
  const treeValue = (m: HttpMessage) => {
    const f = byFrame.get(m.frame);
    if (!f || f.http.length === 0) return undefined;
    const key = `${m.frame}|${m.kind}`;
    const idx = usedInFrame.get(key) ?? 0;
    usedInFrame.set(key, idx + 1);
    return f.http.filter((h) => h.kind === m.kind)[idx];
  };
  const requests = messages.filter((m) => m.kind === 'request');
  const responses = messages.filter((m) => m.kind === 'response');
  const hdr = (m: HttpMessage, name: string) => m.headers.find((h) => h.name.toLowerCase() === name)?.value;
  return requests.map((rq, i) => {
    const tv = treeValue(rq);
    const rs = responses[i];
    const tr = rs ? treeValue(rs) : undefined;
    const method = tv?.method ?? rq.method ?? '';
    const uri = tv?.uri ?? rq.uri ?? '';
    const contentType = tr?.contentType ?? rs?.contentType;
    const request = {
      frame: rq.frame,
      firstFrame: rq.firstFrame,
      time: rq.time,
      method,
      uri,
      version: tv?.version ?? rq.version,
      host: hdr(rq, 'host'),
      userAgent: hdr(rq, 'user-agent'),
      headerBytes: rq.headerBytes,
      bodyBytes: rq.bodyBytes,
      totalBytes: rq.totalBytes,
    };
    let response: HttpTransaction['response'] = null;
    if (rs) {
      const cl = hdr(rs, 'content-length');
      response = {
        frame: rs.frame,
        firstFrame: rs.firstFrame,
        time: rs.time,
        code: tr?.code ?? rs.code ?? 0,
        phrase: tr?.phrase ?? rs.phrase ?? '',
        version: tr?.version ?? rs.version,
        contentType,
        contentLength: cl !== undefined && /^\d+$/.test(cl) ? Number(cl) : undefined,
        connection: hdr(rs, 'connection'),
        keepAlive: hdr(rs, 'keep-alive'),
        headerBytes: rs.headerBytes,
        bodyBytes: rs.bodyBytes,
        totalBytes: rs.totalBytes,
      };
    }
    return {
      stream,
      request,
      response,
      duration: rs ? rs.time - rq.time : null,
      kind: classifyTransaction(uri, contentType),
    };
  });
}

/** Stevens points and RTT samples (from tcp.analysis.acks_frame / ack_rtt) with EstimatedRTT and DevRTT. */
function buildTimeSeq(segs: readonly { f: TcpFacts; dir: Direction }[]): { points: TimeSeqPoint[]; rtt: RttSample[] } {
  const points: TimeSeqPoint[] = segs.map(({ f, dir }) => ({
    frame: f.frame,
    time: f.time,
    direction: dir,
    seq: f.seq,
    len: f.len,
    ack: f.ack,
    window: f.window,
    retransmission: f.retransmission,
    flags: flagNames(f.flags),
  }));
  const byFrame = new Map<number, { f: TcpFacts; dir: Direction }>();
  for (const s of segs) byFrame.set(s.f.frame, s);
  const rtt: RttSample[] = [];
  const est: Record<Direction, { e: number; d: number } | null> = { client: null, server: null };
  for (const { f, dir } of segs) {
    if (f.acksFrame === null || f.ackRtt === null) continue;
    const seg = byFrame.get(f.acksFrame);
    if (!seg || seg.dir === dir || seg.f.len === 0 || seg.f.retransmission) continue; // Karn: no samples for retransmissions
    const sample = f.ackRtt;
    const cur = est[seg.dir];
    let e: number;
    let d: number;
    if (!cur) {
      e = sample;
      d = sample / 2;
    } else {
      d = (1 - RTT_BETA) * cur.d + RTT_BETA * Math.abs(sample - cur.e);
      e = (1 - RTT_ALPHA) * cur.e + RTT_ALPHA * sample;
    }
    est[seg.dir] = { e, d };
    rtt.push({
      segmentFrame: seg.f.frame,
      ackFrame: f.frame,
      direction: seg.dir,
      segmentSeq: seg.f.seq,
      segmentLen: seg.f.len,
      sampleRtt: sample,
      estimatedRtt: e,
      devRtt: d,
      timeoutInterval: e + 4 * d,
    });
  }
  return { points, rtt };
}

/** Analyses the lab traffic of a capture. Pure; never throws on odd captures. */
export function analyzeLab(packets: readonly DissectedPacket[], opts: LabAnalysisOptions = {}): LabAnalysis {
  const all = packetListFacts(packets).all;
  const guessed = opts.serverPort === undefined;
  const serverPort = opts.serverPort ?? guessServerPort(all);
  const notes: LabNote[] = [];
  const lab = serverPort === null ? [] : all.filter((f) => f.srcPort === serverPort || f.dstPort === serverPort);
  const byStream = new Map<number, TcpFacts[]>();
  for (const f of lab) {
    let list = byStream.get(f.stream);
    if (!list) byStream.set(f.stream, (list = []));
    list.push(f);
  }
  const dups = findDuplicates(lab);

  // First pass: client FIN times per stream (to recognise the browser closing everything at once).
  const connections: LabConnection[] = [];
  const prepared = [...byStream.entries()].map(([stream, facts]) => {
    const ends = streamEndpoints(facts, serverPort ?? undefined);
    return { stream, facts, ends };
  });
  const clientFinTime = new Map<number, number>();
  for (const { stream, facts, ends } of prepared) {
    if (!ends) continue;
    const fin = facts.find((f) => f.fin && !dups.has(f.frame) && directionOf(f, ends) === 'client');
    if (fin) clientFinTime.set(stream, fin.time);
  }
  const clientFins = new FinTimes(clientFinTime);

  for (const { stream, facts, ends } of prepared) {
    if (!ends || ends.server.port !== serverPort) continue;
    const real = facts.filter((f) => !dups.has(f.frame));
    if (real.length === 0) continue;
    const firstF = real[0];
    const synSeen = real.some((f) => f.syn && !f.ackFlag);
    const synAckSeen = real.some((f) => f.syn && f.ackFlag);
    const initial: StatePair = synSeen
      ? { client: 'CLOSED', server: 'LISTEN' }
      : synAckSeen
        ? { client: 'SYN_SENT', server: 'LISTEN' }
        : { client: 'ESTABLISHED', server: 'ESTABLISHED' };
    const sm = new StateMachine(initial);
    const segs = real.map((f) => {
      const dir = directionOf(f, ends);
      const states = sm.apply(f, dir);
      return { f, dir, states };
    });
    const states: StateStep[] = segs.map(({ f, dir, states }) => ({
      frame: f.frame,
      time: f.time,
      direction: dir,
      flags: flagNames(f.flags),
      states,
    }));
    const handshake = buildHandshake(segs);
    const messages = followHttpStream(real, stream, serverPort ?? undefined);
    const transactions = buildTransactions(stream, messages, real);
    const payloadBytes = { client: 0, server: 0 };
    for (const s of segs) if (!s.f.retransmission) payloadBytes[s.dir] += s.f.len;
    const hasData = payloadBytes.client + payloadBytes.server > 0;
    const hsEnd = handshake.segments.length ? handshake.segments[handshake.segments.length - 1].time : null;
    const teardown = buildTeardown(segs, hasData, hsEnd, (t) => clientFins.near(t, stream), messages);
    const { points, rtt } = buildTimeSeq(segs);
    const finOf = (d: Direction) => segs.find((s) => s.dir === d && s.f.fin)?.f.frame ?? null;
    const rstFrame = segs.find((s) => s.f.rst)?.f.frame ?? null;
    const role: LabConnection['role'] = transactions.length > 0 ? 'page' : hasData ? 'other' : 'unused';
    const conn: LabConnection = {
      stream,
      ipVersion: firstF.ipVersion,
      client: ends.client,
      server: ends.server,
      role,
      frames: facts.map((f) => f.frame),
      duplicateFrames: facts.filter((f) => dups.has(f.frame)).map((f) => f.frame),
      retransmissionFrames: real.filter((f) => f.retransmission).map((f) => f.frame),
      startTime: firstF.time,
      endTime: real[real.length - 1].time,
      synSeen,
      finFrames: { client: finOf('client'), server: finOf('server') },
      rstFrame,
      payloadBytes,
      handshake,
      transactions,
      teardown,
      initialStates: initial,
      states,
      finalStates: sm.pair(),
      timeSequence: points,
      rtt,
      notes: [],
    };
    if (role === 'unused') {
      conn.unusedKind = teardown.reason === 'unused-closed' ? 'closed-at-once' : 'idle';
      const lifetime = conn.endTime - conn.startTime;
      conn.notes.push({
        code: conn.unusedKind === 'closed-at-once' ? 'unused-closed' : 'preconnect-idle',
        stream,
        frames: conn.frames,
        values: { seconds: round(lifetime, 3) },
      });
    }
    if (!synSeen) conn.notes.push({ code: 'no-syn', stream, frames: [firstF.frame] });
    else if (!handshake.complete)
      conn.notes.push({ code: 'incomplete-handshake', stream, frames: handshake.segments.map((s) => s.frame) });
    if (conn.finFrames.client === null && conn.finFrames.server === null && rstFrame === null)
      conn.notes.push({
        code: 'no-fin',
        stream,
        frames: [real[real.length - 1].frame],
        values: { client: conn.finalStates.client, server: conn.finalStates.server },
      });
    if (conn.ipVersion === 6)
      conn.notes.push({ code: 'ipv6', stream, frames: [firstF.frame], values: { address: ends.server.address } });
    if (conn.duplicateFrames.length)
      conn.notes.push({
        code: 'duplicates',
        stream,
        frames: conn.duplicateFrames,
        values: { count: conn.duplicateFrames.length },
      });
    if (conn.retransmissionFrames.length)
      conn.notes.push({
        code: 'retransmissions',
        stream,
        frames: conn.retransmissionFrames,
        values: { count: conn.retransmissionFrames.length },
      });
    if (rstFrame !== null) conn.notes.push({ code: 'rst', stream, frames: [rstFrame] });
    if (teardown.halfCloseSeconds !== null && teardown.halfCloseSeconds >= 1)
      conn.notes.push({
        code: 'half-close',
        stream,
        frames: teardown.segments.filter((s) => s.role !== 'ack').map((s) => s.frame),
        values: { seconds: round(teardown.halfCloseSeconds, 3) },
      });
    const reqFrames = new Map<number, number>();
    for (const t of transactions) reqFrames.set(t.request.frame, (reqFrames.get(t.request.frame) ?? 0) + 1);
    for (const [frame, n] of reqFrames)
      if (n > 1) conn.notes.push({ code: 'pipelining', stream, frames: [frame], values: { count: n } });
    connections.push(conn);
  }
  connections.sort((a, b) => a.stream - b.stream);

  const transactions = connections.flatMap((c) => c.transactions).sort((a, b) => a.request.frame - b.request.frame);
  const pageTx =
    transactions.find((t) => t.kind === 'page' && t.response?.contentType?.toLowerCase().startsWith('text/html')) ??
    transactions.find((t) => t.kind === 'page') ??
    transactions[0];
  const logoTx = transactions.find((t) => t.kind === 'logo');
  const main =
    (pageTx && connections.find((c) => c.stream === pageTx.stream)) ??
    connections.find((c) => c.handshake.complete) ??
    connections[0];
  const mainStream = main ? main.stream : null;

  if (serverPort === null || connections.length === 0)
    notes.push({ code: 'no-lab-traffic', frames: [], values: { port: serverPort ?? '' } });
  else if (guessed && serverPort !== DEFAULT_LAB_PORT)
    notes.push({ code: 'port-guessed', frames: [], values: { port: serverPort } });
  for (const c of connections) notes.push(...c.notes);

  const steps = buildSteps(connections, main, pageTx, logoTx, opts);
  return {
    serverPort,
    serverPortGuessed: guessed,
    packetCount: packets.length,
    tcpPacketCount: all.length,
    labPacketCount: lab.length,
    connections,
    mainStream,
    steps,
    transactions,
    notes,
  };
}

function buildSteps(
  connections: readonly LabConnection[],
  main: LabConnection | undefined,
  pageTx: HttpTransaction | undefined,
  logoTx: HttpTransaction | undefined,
  opts: LabAnalysisOptions,
): LabStep[] {
  const host = opts.host ?? {};
  const hostStep = (id: LabStep['id'], value: boolean | undefined, inferred: LabStep | null): LabStep => {
    if (value !== undefined) return { id, status: value ? 'done' : 'missing', source: 'host', frames: [] };
    return inferred ?? { id, status: 'unknown', source: 'host', frames: [] };
  };
  const synAck = connections.flatMap((c) => c.handshake.segments.filter((s) => s.step === 2));
  const firstSyn = connections.flatMap((c) => c.handshake.segments.filter((s) => s.step === 1))[0];
  const steps: LabStep[] = [];
  steps.push(
    hostStep(
      'server-up',
      host.serverUp,
      synAck.length ? { id: 'server-up', status: 'done', source: 'capture', frames: [synAck[0].frame] } : null,
    ),
  );
  steps.push(
    hostStep(
      'capture-running',
      host.captureRunning,
      firstSyn ? { id: 'capture-running', status: 'done', source: 'capture', frames: [firstSyn.frame] } : null,
    ),
  );
  if (main) {
    const hs = main.handshake;
    steps.push({
      id: 'handshake',
      status: hs.complete ? 'done' : hs.segments.length ? 'partial' : 'missing',
      source: 'capture',
      frames: hs.segments.map((s) => s.frame),
      stream: main.stream,
    });
  } else steps.push({ id: 'handshake', status: 'missing', source: 'capture', frames: [] });
  const txSteps = (tx: HttpTransaction | undefined, req: LabStep['id'], res: LabStep['id']) => {
    steps.push(
      tx
        ? { id: req, status: 'done', source: 'capture', frames: [tx.request.frame], stream: tx.stream }
        : { id: req, status: 'missing', source: 'capture', frames: [] },
    );
    steps.push(
      tx?.response
        ? { id: res, status: 'done', source: 'capture', frames: [tx.response.frame], stream: tx.stream }
        : { id: res, status: 'missing', source: 'capture', frames: [] },
    );
  };
  txSteps(pageTx, 'page-request', 'page-response');
  txSteps(logoTx, 'logo-request', 'logo-response');
  const loadedFrames = [pageTx?.response?.frame, logoTx?.response?.frame].filter((x): x is number => x !== undefined);
  steps.push(
    hostStep(
      'page-loaded',
      host.pageLoaded,
      loadedFrames.length === 2 ? { id: 'page-loaded', status: 'done', source: 'capture', frames: loadedFrames } : null,
    ),
  );
  if (main) {
    const td = main.teardown;
    const complete =
      td.kind === 'four-way' || td.kind === 'three-way' || td.kind === 'simultaneous' || td.kind === 'rst';
    steps.push({
      id: 'teardown',
      status: complete ? 'done' : td.segments.length ? 'partial' : 'missing',
      source: 'capture',
      frames: td.segments.map((s) => s.frame),
      stream: main.stream,
    });
  } else steps.push({ id: 'teardown', status: 'missing', source: 'capture', frames: [] });
  return steps;
}

function round(x: number, digits: number): number {
  const m = 10 ** digits;
  return Math.round(x * m) / m;
}
