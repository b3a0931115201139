/** long-document: one response carried by several TCP segments and reassembled. */
import { bi, check, isHtml, listed, messageFrames } from './context';
import type { ScenarioAnalyzer, ScenarioContext } from './types';

function doc(ctx: ScenarioContext) {
  // The largest HTML response: the document.
  const html = ctx.exchanges.filter((e) => e.response && isHtml(e.response));
  return html.sort((a, b) => (b.response?.totalBytes ?? 0) - (a.response?.totalBytes ?? 0))[0];
}

export const longDocument: ScenarioAnalyzer = {
  checks(ctx) {
    const e = doc(ctx);
    const r = e?.response ?? null;
    const frames = r ? messageFrames(r) : [];
    return [
      check(
        'request',
        Boolean(e),
        e
          ? bi(
              `浏览器在帧 ${e.request.frame} 请求文档 ${e.request.uri}`,
              `The browser requested the document ${e.request.uri} in frame ${e.request.frame}`,
            )
          : bi('没有看到文档请求', 'No request for the document was captured'),
        [e?.request.frame],
        'http.request.uri',
      ),
      check(
        'segments',
        frames.length >= 4 ? 'done' : frames.length > 1 ? 'partial' : 'missing',
        r
          ? bi(
              `响应（${r.totalBytes} 字节，其中主体 ${r.bodyBytes} 字节）由 ${frames.length} 个 TCP 段携带：帧 ${listed(frames, ', ')['zh-CN']}`,
              `The response (${r.totalBytes} bytes, ${r.bodyBytes} of them body) was carried by ${frames.length} TCP segments: frames ${listed(frames).en}`,
            )
          : bi('没有看到文档的响应', 'No response with the document was captured'),
        frames,
        'tcp.len',
      ),
      check(
        'reassembled',
        frames.length > 1,
        r
          ? bi(
              `最后一段（帧 ${r.frame}）显示 [${frames.length} Reassembled TCP Segments (${r.totalBytes} bytes)]，HTTP 在这里才被解析`,
              `The last segment (frame ${r.frame}) shows [${frames.length} Reassembled TCP Segments (${r.totalBytes} bytes)]; HTTP is dissected only there`,
            )
          : bi('（需要先看到响应）', '(needs the response first)'),
        [r?.frame],
        'tcp.segment.count',
      ),
    ];
  },

  explain(ctx) {
    const e = doc(ctx);
    const r = e?.response;
    if (!e || !r) return [];
    const frames = messageFrames(r);
    const mss = ctx.connections.get(e.stream)?.handshake.segments.find((s) => s.direction === 'client')?.mss ?? null;
    return [
      {
        text: bi(
          `文档有 ${r.bodyBytes} 字节，比一个 TCP 段能装的多${mss !== null ? `（握手中声明的 MSS 是 ${mss} 字节）` : ''}，所以服务器的 TCP 把这一个 HTTP 响应切成 ${frames.length} 段发送（帧 ${listed(frames, ', ')['zh-CN']}）。前面的段在 Wireshark 中显示为 [TCP segment of a reassembled PDU]；在最后一段（帧 ${r.frame}）把它们拼起来，才显示 HTTP/1.1 ${r.code} ${r.phrase ?? ''}。`,
          `The document is ${r.bodyBytes} bytes, more than one TCP segment holds${mss !== null ? ` (the handshake announced MSS ${mss})` : ''}, so the server's TCP sent this one HTTP response as ${frames.length} segments (frames ${listed(frames).en}). Wireshark marks the earlier ones [TCP segment of a reassembled PDU] and shows HTTP/1.1 ${r.code} ${r.phrase ?? ''} only on the last one (frame ${r.frame}), where it has put them back together.`,
        ),
        frames,
      },
    ];
  },

  questions(ctx) {
    const e = doc(ctx);
    const r = e?.response;
    if (!e || !r) return [];
    const frames = messageFrames(r);
    return [
      {
        id: 'segments',
        prompt: bi('一共有多少个 TCP 段携带了这个文档（响应）？', 'How many TCP segments carried the document?'),
        answer: String(frames.length),
        kind: 'number',
        tolerance: 0,
        frame: r.frame,
        field: 'tcp.segment.count',
        where: bi(
          `帧 ${r.frame} 的 [${frames.length} Reassembled TCP Segments]`,
          `[${frames.length} Reassembled TCP Segments] in frame ${r.frame}`,
        ),
      },
      {
        id: 'response-frame',
        prompt: bi('哪一帧显示了 HTTP 响应的状态行？', 'Which frame shows the status line of the HTTP response?'),
        answer: String(r.frame),
        kind: 'number',
        tolerance: 0,
        frame: r.frame,
        field: 'http.response.code',
        where: bi(`帧 ${r.frame}（重组后的最后一段）`, `Frame ${r.frame} (the last, reassembled, segment)`),
      },
      {
        id: 'length',
        prompt: bi('文档的 Content-Length 是多少字节？', 'What is the Content-Length of the document?'),
        answer: String(r.bodyBytes),
        kind: 'number',
        tolerance: 0,
        unit: bi('字节', 'bytes'),
        frame: r.frame,
        field: 'http.content_length_header',
        where: bi(`帧 ${r.frame}：Content-Length: ${r.bodyBytes}`, `Frame ${r.frame}: Content-Length: ${r.bodyBytes}`),
      },
    ];
  },
};
