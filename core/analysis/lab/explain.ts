/**
 * explainLab(): the lab analysis as text, in zh-CN or en. Every sentence is a template filled
 * with this capture's values (frames, seq/ack, windows, options, times, states); nothing is
 * said that the capture does not show.
 */
import type { Direction } from './stream';
import type {
  HandshakeSegment,
  HttpTransaction,
  LabAnalysis,
  LabConnection,
  LabNote,
  LabStep,
  StatePair,
  TeardownSegment,
} from './types';

export type LabLang = 'zh-CN' | 'en';

export interface ExplainParagraph {
  text: string;
  /** Frames this paragraph talks about (for links to the packet list). */
  frames: number[];
}

export interface ExplainSection {
  id: string;
  title: string;
  paragraphs: ExplainParagraph[];
}

export interface LabExplanation {
  lang: LabLang;
  title: string;
  sections: ExplainSection[];
}

type Pick2 = (zh: string, en: string) => string;

function picker(lang: LabLang): Pick2 {
  return (zh, en) => (lang === 'zh-CN' ? zh : en);
}

/** "0.000045 s" → "0.045 ms" for short spans, seconds otherwise. */
export function formatDuration(seconds: number, lang: LabLang): string {
  if (Math.abs(seconds) < 1) {
    const ms = seconds * 1000;
    return `${ms.toFixed(ms < 0.1 ? 3 : ms < 10 ? 3 : 1)} ${lang === 'zh-CN' ? '毫秒' : 'ms'}`;
  }
  return `${seconds.toFixed(3)} ${lang === 'zh-CN' ? '秒' : 's'}`;
}

function endpoint(e: { address: string; port: number }): string {
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

function side(d: Direction, p: Pick2): string {
  return d === 'client' ? p('浏览器', 'the browser') : p('服务器', 'the server');
}

function Side(d: Direction, p: Pick2): string {
  return d === 'client' ? p('浏览器', 'The browser') : p('服务器', 'The server');
}

function statesText(s: StatePair, p: Pick2): string {
  return p(`浏览器 ${s.client}，服务器 ${s.server}`, `browser ${s.client}, server ${s.server}`);
}

function frameList(frames: readonly number[], p: Pick2): string {
  if (frames.length === 0) return p('（无）', '(none)');
  const list = frames.length > 8 ? `${frames.slice(0, 8).join(', ')}, …` : frames.join(', ');
  return p(`帧 ${list}`, `frame${frames.length > 1 ? 's' : ''} ${list}`);
}

const STEP_NAMES: Record<LabStep['id'], [string, string]> = {
  'server-up': ['服务器已启动', 'Server up'],
  'capture-running': ['抓包已开始（在浏览器连接之前）', 'Capture running (before the browser connected)'],
  handshake: ['三次握手', 'Three-way handshake'],
  'page-request': ['页面请求（GET 页面）', 'Page request (GET the page)'],
  'page-response': ['页面响应（HTML）', 'Page response (HTML)'],
  'logo-request': ['LOGO 请求', 'Logo request'],
  'logo-response': ['LOGO 响应（图片）', 'Logo response (image)'],
  'page-loaded': ['页面已加载', 'Page loaded'],
  teardown: ['连接释放（挥手）', 'Connection teardown'],
};

export function stepName(id: LabStep['id'], lang: LabLang): string {
  const [zh, en] = STEP_NAMES[id];
  return lang === 'zh-CN' ? zh : en;
}

export function stepStatusText(status: LabStep['status'], lang: LabLang): string {
  const p = picker(lang);
  switch (status) {
    case 'done':
      return p('已完成', 'done');
    case 'partial':
      return p('部分看到', 'partly seen');
    case 'missing':
      return p('未看到', 'not seen');
    default:
      return p('未知', 'unknown');
  }
}

function handshakeParagraph(s: HandshakeSegment, conn: LabConnection, p: Pick2): ExplainParagraph {
  const hs = conn.handshake;
  const x = hs.clientIsn;
  const y = hs.serverIsn;
  const opts: string[] = [];
  if (s.mss !== null) opts.push(`MSS = ${s.mss}`);
  if (s.wscaleShift !== null)
    opts.push(
      p(
        `窗口扩大因子 WS = ${s.wscaleMultiplier}（移位 ${s.wscaleShift}）`,
        `window scale WS = ${s.wscaleMultiplier} (shift ${s.wscaleShift})`,
      ),
    );
  if (s.step !== 3)
    opts.push(
      s.sackPerm ? p('允许 SACK（SACK_PERM）', 'SACK permitted (SACK_PERM)') : p('未声明 SACK_PERM', 'no SACK_PERM'),
    );
  const optText = opts.length ? p(`，选项：${opts.join('，')}`, `; options: ${opts.join(', ')}`) : '';
  const win =
    s.window !== s.windowValue
      ? p(
          `窗口字段 ${s.windowValue}（按握手中协商的扩大因子，实际窗口 ${s.window} 字节）`,
          `window field ${s.windowValue} (scaled by the factor agreed in the handshake: ${s.window} bytes)`,
        )
      : p(`窗口 ${s.windowValue}`, `window ${s.windowValue}`);
  const st = statesText(s.states, p);
  let text: string;
  if (s.step === 1) {
    text = p(
      `第一次握手（帧 ${s.frame}，${s.time.toFixed(6)} 秒）：浏览器 ${endpoint(conn.client)} 向服务器 ${endpoint(conn.server)} 发送 SYN 报文，seq = x = ${s.seqRaw}（Wireshark 显示的相对序号为 ${s.seq}），报文长度 ${s.len}，${win}${optText}。此后：${st}。`,
      `First segment of the handshake (frame ${s.frame}, ${s.time.toFixed(6)} s): the browser ${endpoint(conn.client)} sends a SYN to the server ${endpoint(conn.server)} with seq = x = ${s.seqRaw} (relative seq ${s.seq} as Wireshark shows it), length ${s.len}, ${win}${optText}. Afterwards: ${st}.`,
    );
  } else if (s.step === 2) {
    const xs = x !== null ? `${x} + 1 = ` : '';
    text = p(
      `第二次握手（帧 ${s.frame}，${s.time.toFixed(6)} 秒）：服务器确认浏览器的 SYN，ack = x + 1 = ${xs}${s.ackRaw}（相对 ${s.ack}），同时发送自己的 SYN，seq = y = ${s.seqRaw}（相对 ${s.seq}），即 [${s.flags}] 报文，长度 ${s.len}，${win}${optText}。此后：${st}。`,
      `Second segment (frame ${s.frame}, ${s.time.toFixed(6)} s): the server acknowledges the browser's SYN with ack = x + 1 = ${xs}${s.ackRaw} (relative ${s.ack}) and sends its own SYN with seq = y = ${s.seqRaw} (relative ${s.seq}) — a [${s.flags}] segment, length ${s.len}, ${win}${optText}. Afterwards: ${st}.`,
    );
  } else {
    const xs = x !== null ? `x + 1 = ${x} + 1 = ` : '';
    const ys = y !== null ? `y + 1 = ${y} + 1 = ` : '';
    const data = s.len > 0 ? p(`，并且已经携带 ${s.len} 字节数据`, `, already carrying ${s.len} bytes of data`) : '';
    text = p(
      `第三次握手（帧 ${s.frame}，${s.time.toFixed(6)} 秒）：浏览器发送 [${s.flags}]，seq = ${xs}${s.seqRaw}，ack = ${ys}${s.ackRaw}（相对 seq = ${s.seq}，ack = ${s.ack}），${win}${data}。此后：${st}，三次握手完成${hs.initialRtt !== null ? `，握手用时（iRTT）${formatDuration(hs.initialRtt, 'zh-CN')}` : ''}。`,
      `Third segment (frame ${s.frame}, ${s.time.toFixed(6)} s): the browser sends [${s.flags}] with seq = ${xs}${s.seqRaw} and ack = ${ys}${s.ackRaw} (relative seq = ${s.seq}, ack = ${s.ack}), ${win}${data}. Afterwards: ${st}; the handshake is complete${hs.initialRtt !== null ? ` (initial RTT, iRTT: ${formatDuration(hs.initialRtt, 'en')})` : ''}.`,
    );
  }
  return { text, frames: [s.frame] };
}

function handshakeSection(conn: LabConnection, lang: LabLang): ExplainSection {
  const p = picker(lang);
  const paragraphs: ExplainParagraph[] = [];
  const hs = conn.handshake;
  if (hs.segments.length === 0) {
    paragraphs.push({
      text: p(
        `连接 ${conn.stream} 的三次握手不在抓包中（没有 SYN）：抓包开始时连接已经建立。请先开始抓包，再在浏览器中打开页面。`,
        `The handshake of connection ${conn.stream} is not in the capture (no SYN): the connection already existed when the capture started. Start the capture first, then open the page.`,
      ),
      frames: conn.frames.slice(0, 1),
    });
  } else {
    paragraphs.push({
      text: p(
        `连接 ${conn.stream}（浏览器 ${endpoint(conn.client)} ↔ 服务器 ${endpoint(conn.server)}，IPv${conn.ipVersion}）的三次握手在${frameList(
          hs.segments.map((s) => s.frame),
          p,
        )}。握手之前：浏览器 ${conn.initialStates.client}，服务器 ${conn.initialStates.server}（在端口 ${conn.server.port} 上监听）。`,
        `The handshake of connection ${conn.stream} (browser ${endpoint(conn.client)} ↔ server ${endpoint(conn.server)}, IPv${conn.ipVersion}) is in ${frameList(
          hs.segments.map((s) => s.frame),
          p,
        )}. Before it: browser ${conn.initialStates.client}, server ${conn.initialStates.server} (listening on port ${conn.server.port}).`,
      ),
      frames: hs.segments.map((s) => s.frame),
    });
    for (const s of hs.segments) paragraphs.push(handshakeParagraph(s, conn, p));
    if (!hs.complete)
      paragraphs.push({
        text: p(
          `抓包中的握手不完整：只看到 ${hs.segments.length} 个报文段。`,
          `The handshake in the capture is incomplete: only ${hs.segments.length} of its segments were seen.`,
        ),
        frames: hs.segments.map((s) => s.frame),
      });
    paragraphs.push({
      text: p(
        '握手报文不携带数据（SYN 本身占用一个序号，所以确认号是对方序号加 1）；三次握手完成后，双方才开始传送 HTTP 数据。',
        'Handshake segments carry no data (a SYN takes one sequence number, which is why each side acknowledges the other\u2019s number plus 1); HTTP data flows only after the handshake.',
      ),
      frames: [],
    });
  }
  return { id: `handshake-${conn.stream}`, title: p('三次握手', 'Three-way handshake'), paragraphs };
}

function kindText(t: HttpTransaction, p: Pick2): string {
  switch (t.kind) {
    case 'page':
      return p('这是页面本身（HTML）。', 'This is the page itself (HTML).');
    case 'logo':
      return p(
        '这是页面中引用的 LOGO 图片，浏览器解析 HTML 后再去请求它。',
        'This is the logo image the page refers to; the browser asks for it after parsing the HTML.',
      );
    case 'favicon':
      return t.response && t.response.code === 404
        ? p(
            '浏览器自动请求网站图标 /favicon.ico；服务器没有这个文件，所以返回 404。',
            'The browser asks for the site icon /favicon.ico by itself; the server has no such file, hence 404.',
          )
        : p('浏览器自动请求网站图标 /favicon.ico。', 'The browser asks for the site icon /favicon.ico by itself.');
    default:
      return '';
  }
}

function httpParagraphs(conn: LabConnection, lang: LabLang): ExplainParagraph[] {
  const p = picker(lang);
  const out: ExplainParagraph[] = [];
  conn.transactions.forEach((t, i) => {
    const rq = t.request;
    const rs = t.response;
    let text = p(
      `请求 ${i + 1}（帧 ${rq.frame}，${rq.time.toFixed(6)} 秒）：${rq.method} ${rq.uri} ${rq.version}，共 ${rq.totalBytes} 字节${rq.host ? `，Host: ${rq.host}` : ''}。`,
      `Request ${i + 1} (frame ${rq.frame}, ${rq.time.toFixed(6)} s): ${rq.method} ${rq.uri} ${rq.version}, ${rq.totalBytes} bytes${rq.host ? `, Host: ${rq.host}` : ''}.`,
    );
    if (rs) {
      const ct = rs.contentType ? `Content-Type: ${rs.contentType}，` : '';
      const cte = rs.contentType ? `Content-Type: ${rs.contentType}, ` : '';
      text += p(
        `响应（帧 ${rs.frame}）：${rs.version} ${rs.code} ${rs.phrase}，${ct}正文 ${rs.bodyBytes} 字节（头部 ${rs.headerBytes} 字节，共 ${rs.totalBytes} 字节），在请求发出后 ${formatDuration(t.duration ?? 0, 'zh-CN')} 到达。`,
        ` Response (frame ${rs.frame}): ${rs.version} ${rs.code} ${rs.phrase}, ${cte}body ${rs.bodyBytes} bytes (headers ${rs.headerBytes} bytes, ${rs.totalBytes} in all), ${formatDuration(t.duration ?? 0, 'en')} after the request.`,
      );
      if (rs.firstFrame !== rs.frame)
        text += p(
          `响应分成多个 TCP 报文段（帧 ${rs.firstFrame}–${rs.frame}），Wireshark 在最后一段上显示重组后的 HTTP。`,
          ` The response spans several TCP segments (frames ${rs.firstFrame}–${rs.frame}); Wireshark shows the reassembled HTTP on the last one.`,
        );
    } else {
      text += p('抓包中没有它的响应。', ' Its response is not in the capture.');
    }
    const k = kindText(t, p);
    if (k) text += (lang === 'zh-CN' ? '' : ' ') + k;
    out.push({ text, frames: rs ? [rq.frame, rs.frame] : [rq.frame] });
  });
  const ka = conn.transactions.map((t) => t.response?.keepAlive).find((v) => v !== undefined);
  if (conn.transactions.length > 1)
    out.push({
      text: p(
        `这 ${conn.transactions.length} 个请求都在同一条 TCP 连接（连接 ${conn.stream}）上依次完成：HTTP/1.1 默认保持连接（keep-alive${ka ? `，服务器声明 Keep-Alive: ${ka}` : ''}），不用为每个请求重新握手。`,
        `All ${conn.transactions.length} requests use the same TCP connection (connection ${conn.stream}), one after another: HTTP/1.1 keeps the connection open by default (keep-alive${ka ? `; the server says Keep-Alive: ${ka}` : ''}), so no new handshake is needed per request.`,
      ),
      frames: conn.transactions.map((t) => t.request.frame),
    });
  return out;
}

function finOf(segs: readonly TeardownSegment[], d: Direction): TeardownSegment | undefined {
  return segs.find((s) => s.direction === d && (s.role === 'fin' || s.role === 'fin-ack'));
}

function teardownSection(conn: LabConnection, analysis: LabAnalysis, lang: LabLang): ExplainSection {
  const p = picker(lang);
  const td = conn.teardown;
  const paragraphs: ExplainParagraph[] = [];
  const title =
    td.kind === 'three-way'
      ? p('连接释放（三次挥手）', 'Teardown (three segments)')
      : p('连接释放（四次挥手）', 'Teardown (four-way)');
  if (td.kind === 'none') {
    paragraphs.push({
      text: p(
        `连接 ${conn.stream} 在抓包结束时还没有关闭（没有 FIN 或 RST）：抓包结束时 ${statesText(conn.finalStates, p)}。服务器大约在最后一次响应 5 秒后才会因 keep-alive 超时关闭连接，请多抓一会儿再停止。`,
        `Connection ${conn.stream} had not closed when the capture ended (no FIN or RST): at the end, ${statesText(conn.finalStates, p)}. The server closes an idle keep-alive connection about 5 s after the last response, so keep capturing a little longer.`,
      ),
      frames: conn.frames.slice(-1),
    });
    return { id: `teardown-${conn.stream}`, title, paragraphs };
  }
  const first = td.segments[0];
  const init = td.initiator ?? 'client';
  const idle = td.idleBeforeClose;
  const lastResp = conn.transactions
    .map((t) => t.response)
    .filter((r) => r !== null)
    .pop();
  let why: string;
  switch (td.reason) {
    case 'keep-alive-timeout':
      why = p(
        `服务器先发送 FIN（帧 ${first.frame}）：在这之前连接已空闲 ${idle !== null ? formatDuration(idle, 'zh-CN') : '?'}${lastResp ? `（最后一个响应在帧 ${lastResp.frame}）` : ''}。服务器的 keep-alive 超时到期（Node.js 的 keepAliveTimeout 默认 5 秒${lastResp?.keepAlive ? `，响应头 Keep-Alive: ${lastResp.keepAlive}` : ''}），于是由服务器主动关闭——这与教科书上常画的“客户端先关闭”不同。`,
        `The server sends the first FIN (frame ${first.frame}) after the connection had been idle for ${idle !== null ? formatDuration(idle, 'en') : '?'}${lastResp ? ` (last response: frame ${lastResp.frame})` : ''}: its keep-alive timeout expired (Node.js keepAliveTimeout, 5 s by default${lastResp?.keepAlive ? `; the responses said Keep-Alive: ${lastResp.keepAlive}` : ''}), so the server is the side that closes actively — not the client, as textbooks usually draw it.`,
      );
      break;
    case 'connection-close':
      why = p(
        `服务器在响应后立即发送 FIN（帧 ${first.frame}），因为响应头是 Connection: close。`,
        `The server sends FIN right after its response (frame ${first.frame}) because the response said Connection: close.`,
      );
      break;
    case 'server-close':
      why = p(
        `服务器先发送 FIN（帧 ${first.frame}）${idle !== null ? `，此前连接空闲 ${formatDuration(idle, 'zh-CN')}` : ''}。`,
        `The server sends the first FIN (frame ${first.frame})${idle !== null ? ` after ${formatDuration(idle, 'en')} of silence` : ''}.`,
      );
      break;
    case 'browser-exit': {
      const fr: number[] = [];
      for (const c of analysis.connections) {
        if (c.stream === conn.stream || c.finFrames.client === null) continue;
        const fin = c.states.find((s) => s.frame === c.finFrames.client);
        if (fin && Math.abs(fin.time - first.time) < 0.5) fr.push(fin.frame);
      }
      why = p(
        `浏览器先发送 FIN（帧 ${first.frame}，${first.time.toFixed(6)} 秒）${fr.length ? `，几乎同时也关闭了其他连接（${frameList(fr, p)}）` : ''}：浏览器退出或关闭了页面，于是关闭了它所有的连接。`,
        `The browser sends the first FIN (frame ${first.frame}, ${first.time.toFixed(6)} s)${fr.length ? ` and closes its other connections at the same moment (${frameList(fr, p)})` : ''}: the browser exited or closed the page, so it closed all its connections.`,
      );
      break;
    }
    case 'unused-closed':
      why = p(
        `浏览器在握手后 ${idle !== null ? formatDuration(idle, 'zh-CN') : ''}就发送了 FIN（帧 ${first.frame}），这条连接上没有任何数据：它是浏览器多开的一条连接，用不上就关掉了。`,
        `The browser sends FIN (frame ${first.frame}) ${idle !== null ? `${formatDuration(idle, 'en')} ` : ''}after the handshake, with no data ever sent: an extra connection the browser opened and dropped because it did not need it.`,
      );
      break;
    case 'client-close':
      why = p(
        `浏览器先发送 FIN（帧 ${first.frame}）${idle !== null ? `，此前连接空闲 ${formatDuration(idle, 'zh-CN')}` : ''}。`,
        `The browser sends the first FIN (frame ${first.frame})${idle !== null ? ` after ${formatDuration(idle, 'en')} of silence` : ''}.`,
      );
      break;
    case 'reset':
      why = p(
        `${Side(init, p)}发送 RST（帧 ${first.frame}）直接重置了连接，没有正常的挥手。`,
        `${Side(init, p)} sends RST (frame ${first.frame}) and resets the connection without the normal FIN exchange.`,
      );
      break;
    default:
      why = p(
        `${Side(init, p)}先发送 FIN（帧 ${first.frame}）。`,
        `${Side(init, p)} sends the first FIN (frame ${first.frame}).`,
      );
  }
  paragraphs.push({ text: why, frames: [first.frame] });

  for (const s of td.segments) {
    const sender = Side(s.direction, p);
    const nums = p(
      `seq = ${s.seqRaw}（相对 ${s.seq}），ack = ${s.ackRaw}（相对 ${s.ack}），长度 ${s.len}`,
      `seq = ${s.seqRaw} (relative ${s.seq}), ack = ${s.ackRaw} (relative ${s.ack}), length ${s.len}`,
    );
    let what: string;
    const acked = s.acksFinOf ? finOf(td.segments, s.acksFinOf) : undefined;
    const ackMath = acked ? `${acked.seqRaw} + 1 = ${s.ackRaw}` : `${s.ackRaw}`;
    if (s.role === 'rst') what = p('发送 RST，连接被重置', 'sends RST: the connection is reset');
    else if (s.role === 'fin')
      what = p(
        `发送 FIN，关闭${side(s.direction, p)}到${side(s.direction === 'client' ? 'server' : 'client', p)}方向的数据传送`,
        `sends FIN, closing the ${s.direction === 'client' ? 'browser-to-server' : 'server-to-browser'} direction`,
      );
    else if (s.role === 'fin-ack')
      what = p(
        `在同一个报文段中确认对方的 FIN（ack = FIN 的 seq + 1 = ${ackMath}）并发送自己的 FIN——ACK 与 FIN 合并，所以这次挥手只有三个报文段`,
        `acknowledges the other side's FIN (ack = the FIN's seq + 1 = ${ackMath}) and sends its own FIN in the same segment — ACK and FIN combined, so this teardown takes three segments`,
      );
    else
      what = p(
        `确认${side(s.acksFinOf ?? 'client', p)}的 FIN：ack = FIN 的 seq + 1 = ${ackMath}（FIN 和 SYN 一样占用一个序号）`,
        `acknowledges ${side(s.acksFinOf ?? 'client', p)}'s FIN: ack = the FIN's seq + 1 = ${ackMath} (a FIN takes one sequence number, like a SYN)`,
      );
    paragraphs.push({
      text: p(
        `第 ${s.step} 步（帧 ${s.frame}，${s.time.toFixed(6)} 秒，[${s.flags}]）：${sender}${what}；${nums}。此后：${statesText(s.states, p)}。`,
        `Step ${s.step} (frame ${s.frame}, ${s.time.toFixed(6)} s, [${s.flags}]): ${sender} ${what}; ${nums}. Afterwards: ${statesText(s.states, p)}.`,
      ),
      frames: [s.frame],
    });
  }
  const passive = init === 'client' ? 'server' : 'client';
  if (td.halfCloseSeconds !== null && td.halfCloseSeconds >= 1) {
    const f2 = finOf(td.segments, passive);
    paragraphs.push({
      text: p(
        `从帧 ${first.frame} 到帧 ${f2?.frame ?? '?'} 的 ${formatDuration(td.halfCloseSeconds, 'zh-CN')}里，连接处于半关闭状态：${side(init, p)}已不再发送数据，而${side(passive, p)}处于 CLOSE_WAIT，仍可以发送${td.dataAfterFin.length ? `（并且确实发送了数据：${frameList(td.dataAfterFin, p)}）` : '，但它一直没有发送，直到自己也关闭'}。`,
        `For ${formatDuration(td.halfCloseSeconds, 'en')} between frame ${first.frame} and frame ${f2?.frame ?? '?'} the connection was half-closed: ${side(init, p)} had stopped sending, while ${side(passive, p)} sat in CLOSE_WAIT and could still send${td.dataAfterFin.length ? ` (and did: ${frameList(td.dataAfterFin, p)})` : ', but sent nothing until it closed too'}.`,
      ),
      frames: f2 ? [first.frame, f2.frame] : [first.frame],
    });
  }
  const count = td.segments.length;
  let summary: string;
  if (td.kind === 'four-way')
    summary = p(
      `这次挥手共 ${count} 个报文段（FIN、ACK、FIN、ACK），主动关闭方是${side(init, p)}。`,
      `This teardown has ${count} segments (FIN, ACK, FIN, ACK); ${side(init, p)} closed actively.`,
    );
  else if (td.kind === 'three-way')
    summary = p(
      `这次挥手共 ${count} 个报文段（FIN、FIN+ACK、ACK），主动关闭方是${side(init, p)}。`,
      `This teardown has ${count} segments (FIN, FIN+ACK, ACK); ${side(init, p)} closed actively.`,
    );
  else if (td.kind === 'simultaneous')
    summary = p(
      '双方几乎同时发送了 FIN（同时关闭），都经过 CLOSING 状态。',
      'Both sides sent FIN at nearly the same time (simultaneous close), passing through CLOSING.',
    );
  else if (td.kind === 'rst') summary = p('连接以 RST 结束。', 'The connection ended with an RST.');
  else
    summary = p(
      `抓包中的挥手不完整（只看到 ${count} 个报文段），抓包结束时 ${statesText(conn.finalStates, p)}。`,
      `The teardown in the capture is incomplete (${count} segment${count === 1 ? '' : 's'}); at the end of the capture: ${statesText(conn.finalStates, p)}.`,
    );
  if (conn.finalStates.client === 'TIME_WAIT' || conn.finalStates.server === 'TIME_WAIT') {
    const tw: Direction = conn.finalStates.client === 'TIME_WAIT' ? 'client' : 'server';
    summary += p(
      `最后${side(tw, p)}处于 TIME_WAIT，要等待 2MSL 后才真正进入 CLOSED（这一步不产生报文，抓包中看不到）。`,
      ` Finally ${side(tw, p)} is in TIME_WAIT and reaches CLOSED only after 2×MSL (no packet shows that).`,
    );
  }
  paragraphs.push({ text: summary, frames: td.segments.map((s) => s.frame) });
  return { id: `teardown-${conn.stream}`, title, paragraphs };
}

function statesSection(conn: LabConnection, lang: LabLang): ExplainSection {
  const p = picker(lang);
  const paragraphs: ExplainParagraph[] = [
    {
      text: p(
        `开始：浏览器 ${conn.initialStates.client}，服务器 ${conn.initialStates.server}。`,
        `Start: browser ${conn.initialStates.client}, server ${conn.initialStates.server}.`,
      ),
      frames: [],
    },
  ];
  let prev = conn.initialStates;
  for (const s of conn.states) {
    if (s.states.client === prev.client && s.states.server === prev.server) continue;
    paragraphs.push({
      text: p(
        `帧 ${s.frame}（${side(s.direction, p)}发送 [${s.flags}]）之后：${statesText(s.states, p)}。`,
        `After frame ${s.frame} (${side(s.direction, p)} sends [${s.flags}]): ${statesText(s.states, p)}.`,
      ),
      frames: [s.frame],
    });
    prev = s.states;
  }
  return { id: `states-${conn.stream}`, title: p('TCP 状态变化', 'TCP states'), paragraphs };
}

function rttSection(conn: LabConnection, lang: LabLang): ExplainSection | null {
  if (conn.rtt.length === 0) return null;
  const p = picker(lang);
  const paragraphs: ExplainParagraph[] = [
    {
      text: p(
        'RTT 样本取自 Wireshark 的 SEQ/ACK 分析（数据段与确认它的 ACK 之间的时间）。按 Kurose & Ross：EstimatedRTT = (1 − α)·EstimatedRTT + α·SampleRTT，DevRTT = (1 − β)·DevRTT + β·|SampleRTT − EstimatedRTT|，α = 1/8，β = 1/4；第一个样本时 EstimatedRTT = SampleRTT，DevRTT = SampleRTT/2（RFC 6298）；TimeoutInterval = EstimatedRTT + 4·DevRTT。每个方向分别计算，重传的报文段不取样（Karn 算法）。',
        'RTT samples come from Wireshark\u2019s SEQ/ACK analysis (time from a data segment to the ACK that covers it). As in Kurose & Ross: EstimatedRTT = (1 − α)·EstimatedRTT + α·SampleRTT, DevRTT = (1 − β)·DevRTT + β·|SampleRTT − EstimatedRTT|, α = 1/8, β = 1/4; the first sample sets EstimatedRTT = SampleRTT and DevRTT = SampleRTT/2 (RFC 6298); TimeoutInterval = EstimatedRTT + 4·DevRTT. Each direction is estimated separately; retransmitted segments give no sample (Karn).',
      ),
      frames: [],
    },
  ];
  for (const r of conn.rtt) {
    paragraphs.push({
      text: p(
        `${side(r.direction, p)}的数据段 帧 ${r.segmentFrame}（seq = ${r.segmentSeq}，长度 ${r.segmentLen}）由帧 ${r.ackFrame} 确认：SampleRTT = ${formatDuration(r.sampleRtt, 'zh-CN')}，EstimatedRTT = ${formatDuration(r.estimatedRtt, 'zh-CN')}，DevRTT = ${formatDuration(r.devRtt, 'zh-CN')}，TimeoutInterval = ${formatDuration(r.timeoutInterval, 'zh-CN')}。`,
        `${Side(r.direction, p)}'s segment in frame ${r.segmentFrame} (seq = ${r.segmentSeq}, length ${r.segmentLen}) is acknowledged by frame ${r.ackFrame}: SampleRTT = ${formatDuration(r.sampleRtt, 'en')}, EstimatedRTT = ${formatDuration(r.estimatedRtt, 'en')}, DevRTT = ${formatDuration(r.devRtt, 'en')}, TimeoutInterval = ${formatDuration(r.timeoutInterval, 'en')}.`,
      ),
      frames: [r.segmentFrame, r.ackFrame],
    });
  }
  return { id: `rtt-${conn.stream}`, title: p('RTT 估计', 'RTT estimation'), paragraphs };
}

/**
 * One sentence per note (incomplete captures, preconnect sockets, IPv6, duplicates, …). It reads
 * the note's own connection only: the guide has the connections it draws, not all (LabResult).
 */
export function noteText(note: LabNote, analysis: Pick<LabAnalysis, 'connections'>, lang: LabLang): string {
  const p = picker(lang);
  const v = note.values ?? {};
  const conn = analysis.connections.find((c) => c.stream === note.stream);
  const port = conn ? conn.client.port : '?';
  const frames = frameList(note.frames, p);
  switch (note.code) {
    case 'no-lab-traffic':
      return p(
        `抓包中没有发往实验端口${v.port !== '' ? ` ${v.port}` : ''}的 TCP 连接。请确认服务器已启动、抓包在打开网页之前就已开始，并且抓的是回环接口。`,
        `The capture has no TCP connection to the lab port${v.port !== '' ? ` ${v.port}` : ''}. Check that the server was running, that the capture started before the page was opened, and that the loopback interface was captured.`,
      );
    case 'port-guessed':
      return p(
        `抓包中没有端口 8001 的流量，按服务器端口 ${v.port} 分析。`,
        `No traffic on port 8001; analysing server port ${v.port} instead.`,
      );
    case 'no-syn':
      return p(
        `连接 ${note.stream}（浏览器端口 ${port}）：抓包中没有 SYN，说明抓包开始时连接已经存在（从${frames}开始），看不到它的三次握手。`,
        `Connection ${note.stream} (browser port ${port}): no SYN in the capture — the connection already existed when the capture started (first seen in ${frames}), so its handshake is missing.`,
      );
    case 'incomplete-handshake':
      return p(
        `连接 ${note.stream}：三次握手不完整（${frames}）。`,
        `Connection ${note.stream}: incomplete handshake (${frames}).`,
      );
    case 'no-fin':
      return p(
        `连接 ${note.stream}（浏览器端口 ${port}）：抓包结束时还没有 FIN 或 RST，连接仍然打开（浏览器 ${v.client}，服务器 ${v.server}）；挥手发生在停止抓包之后。`,
        `Connection ${note.stream} (browser port ${port}): no FIN or RST before the capture ended; the connection was still open (browser ${v.client}, server ${v.server}) and closed after the capture stopped.`,
      );
    case 'ipv6':
      return p(
        `连接 ${note.stream} 使用 IPv6（服务器地址 ${v.address}）：浏览器把 localhost 解析成了 ::1。TCP 的握手和挥手与 IPv4 完全相同，只是网络层换成了 IPv6 头部。`,
        `Connection ${note.stream} uses IPv6 (server address ${v.address}): the browser resolved localhost to ::1. The TCP handshake and teardown are the same as over IPv4; only the network-layer header is IPv6.`,
      );
    case 'unused-closed':
      return p(
        `连接 ${note.stream}（浏览器端口 ${port}，${frames}）：浏览器建立后没有发送任何请求，${v.seconds} 秒内就关闭了——Chromium 会多开连接，用不上就关掉。`,
        `Connection ${note.stream} (browser port ${port}, ${frames}): the browser opened it, sent no request and closed it within ${v.seconds} s — Chromium opens extra connections and drops the ones it does not need.`,
      );
    case 'preconnect-idle': {
      const closed = conn && (conn.finFrames.client !== null || conn.finFrames.server !== null);
      return p(
        `连接 ${note.stream}（浏览器端口 ${port}）：三次握手后一直没有数据，这是浏览器预先建立（preconnect）的备用连接，存在了 ${v.seconds} 秒${closed ? `，最后由${side(conn?.teardown.initiator ?? 'client', p)}关闭（帧 ${conn?.teardown.segments[0]?.frame}）` : '，抓包结束时仍未关闭'}。`,
        `Connection ${note.stream} (browser port ${port}): no data after the handshake — a spare connection the browser opened in advance (preconnect); it lived ${v.seconds} s${closed ? ` and was closed by ${side(conn?.teardown.initiator ?? 'client', p)} (frame ${conn?.teardown.segments[0]?.frame})` : ' and was still open when the capture ended'}.`,
      );
    }
    case 'duplicates':
      return p(
        `连接 ${note.stream} 中有 ${v.count} 个重复报文（${frames}）：同一个包在两个接口上各被抓到一次（例如同时抓 lo 和 any），Wireshark 把第二份标成 [TCP Retransmission] 等；分析时忽略了这些副本。`,
        `Connection ${note.stream} has ${v.count} duplicate packets (${frames}): each packet was captured twice, once per interface (e.g. lo and any at the same time), and Wireshark marks the second copy as [TCP Retransmission] and the like; the analysis ignores these copies.`,
      );
    case 'retransmissions':
      return p(
        `连接 ${note.stream} 有 ${v.count} 个重传报文段（${frames}）。`,
        `Connection ${note.stream} has ${v.count} retransmitted segments (${frames}).`,
      );
    case 'rst':
      return p(
        `连接 ${note.stream} 被 RST 重置（${frames}）。`,
        `Connection ${note.stream} was reset by an RST (${frames}).`,
      );
    case 'half-close':
      return p(
        `连接 ${note.stream} 半关闭了 ${v.seconds} 秒（${frames}）。`,
        `Connection ${note.stream} stayed half-closed for ${v.seconds} s (${frames}).`,
      );
    case 'pipelining':
      return p(
        `帧 ${note.frames[0]} 一次携带了 ${v.count} 个 HTTP 请求（HTTP/1.1 流水线），服务器按请求顺序逐个响应。`,
        `Frame ${note.frames[0]} carries ${v.count} HTTP requests at once (HTTP/1.1 pipelining); the server answers them in order.`,
      );
    default:
      return '';
  }
}

/** Connections the overview names one by one (the page's first); the others are counted. */
export const OVERVIEW_CONNECTIONS = 8;

export interface ExplainOptions {
  /**
   * How many connections get their own sections (HTTP, handshake and teardown): the page's,
   * then the others in stream order; one paragraph counts the rest. All by default (the
   * report, `--lab-analysis`); the lab guide describes those it draws cards for.
   */
  connectionsDescribed?: number;
}

/** The whole analysis as structured text, with frame references. */
export function explainLab(analysis: LabAnalysis, lang: LabLang, options: ExplainOptions = {}): LabExplanation {
  const p = picker(lang);
  const sections: ExplainSection[] = [];
  const main = analysis.connections.find((c) => c.stream === analysis.mainStream);
  const others = analysis.connections.filter((c) => c !== main);
  const othersDescribed = (options.connectionsDescribed ?? analysis.connections.length) - (main ? 1 : 0);
  const described = new Set(others.slice(0, Math.max(0, othersDescribed)));
  const overview: ExplainParagraph[] = [];
  if (analysis.connections.length === 0) {
    overview.push({
      text: noteText(
        { code: 'no-lab-traffic', frames: [], values: { port: analysis.serverPort ?? '' } },
        analysis,
        lang,
      ),
      frames: [],
    });
  } else {
    const unused = analysis.connections.filter((c) => c.role === 'unused');
    // A reloaded page or a load test has hundreds of connections: name the first few, the
    // page's first, and count the rest by role.
    const ordered =
      analysis.connections.length <= OVERVIEW_CONNECTIONS || !main ? analysis.connections : [main, ...others];
    const named = ordered.slice(0, OVERVIEW_CONNECTIONS);
    const rest = ordered.slice(OVERVIEW_CONNECTIONS);
    const roles = named.map((c) => {
      const r =
        c.role === 'page'
          ? p(
              `承载了 ${c.transactions.length} 个 HTTP 请求`,
              `carried ${c.transactions.length} HTTP request${c.transactions.length === 1 ? '' : 's'}`,
            )
          : c.role === 'unused'
            ? p('未使用', 'unused')
            : p('有数据但不是 HTTP', 'data, not HTTP');
      return p(
        `连接 ${c.stream}（浏览器端口 ${c.client.port}，${r}）`,
        `connection ${c.stream} (browser port ${c.client.port}, ${r})`,
      );
    });
    if (rest.length > 0) {
      const withHttp = rest.filter((c) => c.role === 'page').length;
      const restUnused = rest.filter((c) => c.role === 'unused').length;
      const other = rest.length - withHttp - restUnused;
      roles.push(
        p(
          `以及另外 ${rest.length} 条连接（${withHttp} 条承载 HTTP 请求，${restUnused} 条未使用，${other} 条有数据但不是 HTTP）`,
          `and ${rest.length} more (${withHttp} carried HTTP requests, ${restUnused} unused, ${other} data, not HTTP)`,
        ),
      );
    }
    overview.push({
      text: p(
        `抓包共 ${analysis.packetCount} 个帧，其中 ${analysis.labPacketCount} 个属于实验服务器端口 ${analysis.serverPort}。浏览器与服务器之间共有 ${analysis.connections.length} 条 TCP 连接：${roles.join('；')}。${unused.length ? `浏览器多开了 ${unused.length} 条没有用上的连接。` : ''}`,
        `The capture has ${analysis.packetCount} frames, ${analysis.labPacketCount} of them to or from the lab server port ${analysis.serverPort}. The browser and the server used ${analysis.connections.length} TCP connection${analysis.connections.length === 1 ? '' : 's'}: ${roles.join('; ')}.${unused.length ? ` The browser opened ${unused.length} connection${unused.length === 1 ? '' : 's'} it never used.` : ''}`,
      ),
      frames: [],
    });
  }
  sections.push({ id: 'overview', title: p('概览', 'Overview'), paragraphs: overview });
  sections.push({
    id: 'checklist',
    title: p('实验步骤', 'Lab steps'),
    paragraphs: analysis.steps.map((s) => ({
      text: `${stepName(s.id, lang)}${p('：', ': ')}${stepStatusText(s.status, lang)}${s.frames.length ? p(`（${frameList(s.frames, p)}）`, ` (${frameList(s.frames, p)})`) : ''}`,
      frames: s.frames,
    })),
  });
  if (main) {
    sections.push(handshakeSection(main, lang));
    sections.push({
      id: `http-${main.stream}`,
      title: p('HTTP 请求与响应', 'HTTP requests and responses'),
      paragraphs: httpParagraphs(main, lang),
    });
    const otherHttp = analysis.connections.filter((c) => described.has(c) && c.transactions.length > 0);
    for (const c of otherHttp) {
      sections.push({
        id: `http-${c.stream}`,
        title: p(`连接 ${c.stream} 上的 HTTP`, `HTTP on connection ${c.stream}`),
        paragraphs: httpParagraphs(c, lang),
      });
    }
    sections.push(teardownSection(main, analysis, lang));
    sections.push(statesSection(main, lang));
    const rtt = rttSection(main, lang);
    if (rtt) sections.push(rtt);
  }
  for (const c of others) {
    if (!described.has(c)) continue;
    const paragraphs: ExplainParagraph[] = c.notes.map((n) => ({
      text: noteText(n, analysis, lang),
      frames: n.frames,
    }));
    const hs = c.handshake.segments.map((s) => s.frame);
    paragraphs.push({
      text: p(
        `握手：${frameList(hs, p)}；挥手：${
          c.teardown.segments.length
            ? frameList(
                c.teardown.segments.map((s) => s.frame),
                p,
              )
            : '（无）'
        }；结束时 ${statesText(c.finalStates, p)}。`,
        `Handshake: ${frameList(hs, p)}; teardown: ${
          c.teardown.segments.length
            ? frameList(
                c.teardown.segments.map((s) => s.frame),
                p,
              )
            : '(none)'
        }; at the end: ${statesText(c.finalStates, p)}.`,
      ),
      frames: [...hs, ...c.teardown.segments.map((s) => s.frame)],
    });
    if (c.teardown.kind !== 'none') paragraphs.push(teardownSection(c, analysis, lang).paragraphs[0]);
    sections.push({
      id: `connection-${c.stream}`,
      title: p(
        `连接 ${c.stream}（浏览器端口 ${c.client.port}）`,
        `Connection ${c.stream} (browser port ${c.client.port})`,
      ),
      paragraphs,
    });
  }
  const undescribed = others.length - described.size;
  if (undescribed > 0)
    sections.push({
      id: 'more-connections',
      title: p('其他连接', 'Other connections'),
      paragraphs: [
        {
          text: p(
            `另有 ${undescribed} 条连接未在此逐一说明。`,
            `${undescribed} more connection${undescribed === 1 ? ' is' : 's are'} not described one by one here.`,
          ),
          frames: [],
        },
      ],
    });
  const mainNotes = analysis.notes.filter((n) => n.stream === undefined || n.stream === analysis.mainStream);
  if (mainNotes.length)
    sections.push({
      id: 'notes',
      title: p('说明', 'Notes'),
      paragraphs: mainNotes.map((n) => ({ text: noteText(n, analysis, lang), frames: n.frames })),
    });
  return { lang, title: p('实验分析', 'Lab analysis'), sections };
}
