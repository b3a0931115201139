/** conditional-get: first GET with validators, the reload's conditional GET, the 304 without a body. */
import { bi, check, counted, header, listed } from './context';
import type { Exchange, ScenarioAnalyzer, ScenarioContext } from './types';

function parts(ctx: ScenarioContext) {
  const isConditional = (e: Exchange) =>
    header(e.request, 'If-None-Match') !== undefined || header(e.request, 'If-Modified-Since') !== undefined;
  const conditional =
    ctx.exchanges.find((e) => isConditional(e) && e.response?.code === 304) ?? ctx.exchanges.find(isConditional);
  const uri = conditional?.request.uri;
  const first =
    ctx.exchanges.find(
      (e) =>
        e.request.uri === uri && e.response?.code === 200 && e.request.frame < (conditional?.request.frame ?? Infinity),
    ) ?? ctx.exchanges.find((e) => e.response?.code === 200 && header(e.response, 'ETag') !== undefined);
  const notModified = ctx.exchanges.filter((e) => e.response?.code === 304);
  return { first, conditional, notModified, uri: uri ?? first?.request.uri ?? '/' };
}

export const conditionalGet: ScenarioAnalyzer = {
  checks(ctx) {
    const { first, conditional, notModified } = parts(ctx);
    const etag = header(first?.response, 'ETag');
    const lm = header(first?.response, 'Last-Modified');
    const inm = header(conditional?.request, 'If-None-Match');
    const ims = header(conditional?.request, 'If-Modified-Since');
    const r304 = conditional?.response?.code === 304 ? conditional.response : notModified[0]?.response;
    return [
      check(
        'validators',
        Boolean(first && (etag || lm)),
        first
          ? bi(
              `第一次 GET ${first.request.uri} 得到 200，响应带 ETag ${etag ?? '（无）'} 和 Last-Modified ${lm ?? '（无）'}`,
              `The first GET ${first.request.uri} got 200 with ETag ${etag ?? '(none)'} and Last-Modified ${lm ?? '(none)'}`,
            )
          : bi('没有看到带 ETag / Last-Modified 的 200 响应', 'No 200 response with ETag / Last-Modified was captured'),
        [first?.request.frame, first?.response?.frame],
        'http.response.code',
      ),
      check(
        'conditional-request',
        Boolean(conditional),
        conditional
          ? bi(
              `刷新时第二次 GET ${conditional.request.uri}（帧 ${conditional.request.frame}）带 ${[inm && `If-None-Match: ${inm}`, ims && `If-Modified-Since: ${ims}`].filter(Boolean).join('、')}`,
              `On reload the second GET ${conditional.request.uri} (frame ${conditional.request.frame}) carries ${[inm && `If-None-Match: ${inm}`, ims && `If-Modified-Since: ${ims}`].filter(Boolean).join(' and ')}`,
            )
          : bi(
              '没有看到条件 GET：请刷新页面（不要强制刷新）',
              'No conditional GET yet: reload the page (a normal reload, not a hard one)',
            ),
        [conditional?.request.frame],
        'http.request.line',
      ),
      check(
        'not-modified',
        Boolean(r304),
        r304
          ? bi(
              `服务器在帧 ${r304.frame} 回答 304 Not Modified`,
              `The server answered 304 Not Modified in frame ${r304.frame}`,
            )
          : bi('没有看到 304 响应', 'No 304 response was captured'),
        [r304?.frame],
        'http.response.code',
      ),
      check(
        'no-body',
        r304 ? r304.bodyBytes === 0 : false,
        r304
          ? bi(
              `304 只有 ${r304.headerBytes} 字节的状态行和首部，实体主体 ${r304.bodyBytes} 字节：服务器没有再发送页面`,
              `The 304 is ${r304.headerBytes} bytes of status line and headers and ${r304.bodyBytes} body bytes: the server did not send the page again`,
            )
          : bi('（需要先看到 304）', '(needs the 304 first)'),
        [r304?.frame],
      ),
    ];
  },

  explain(ctx) {
    const { first, conditional, notModified } = parts(ctx);
    const out = [];
    if (first?.response) {
      const size = first.response.bodyBytes;
      out.push({
        text: bi(
          `第一次请求 ${first.request.uri} 时浏览器的缓存里没有它，服务器在帧 ${first.response.frame} 返回 200 和完整的 ${size} 字节内容，并附上 ETag ${header(first.response, 'ETag') ?? '（无）'}、Last-Modified ${header(first.response, 'Last-Modified') ?? '（无）'} 以及 Cache-Control: ${header(first.response, 'Cache-Control') ?? '（无）'}（no-cache 表示每次使用前都要向服务器确认）。`,
          `When ${first.request.uri} was first requested the browser had no copy, so the server returned 200 with all ${size} bytes in frame ${first.response.frame}, plus ETag ${header(first.response, 'ETag') ?? '(none)'}, Last-Modified ${header(first.response, 'Last-Modified') ?? '(none)'} and Cache-Control: ${header(first.response, 'Cache-Control') ?? '(none)'} (no-cache means "check with the server before using the copy").`,
        ),
        frames: [first.request.frame, first.response.frame],
      });
    }
    if (conditional) {
      const r = conditional.response;
      const saved = first?.response ? first.response.bodyBytes - (r?.bodyBytes ?? 0) : null;
      out.push({
        text: bi(
          `刷新时浏览器在帧 ${conditional.request.frame} 发出条件 GET，用 If-None-Match / If-Modified-Since 把它手里那份的 ETag 和时间告诉服务器。${r ? `服务器在帧 ${r.frame} 回答 ${r.code} ${r.phrase ?? ''}，主体 ${r.bodyBytes} 字节${saved !== null && r.code === 304 ? `，省下了 ${saved} 字节` : ''}；浏览器使用缓存里的副本。` : '抓包里没有它的响应。'}`,
          `On reload the browser sent a conditional GET in frame ${conditional.request.frame}, telling the server the ETag and date of its copy with If-None-Match / If-Modified-Since. ${r ? `The server answered ${r.code} ${r.phrase ?? ''} in frame ${r.frame} with a ${r.bodyBytes}-byte body${saved !== null && r.code === 304 ? `, saving ${saved} bytes` : ''}; the browser used its cached copy.` : 'Its response is not in the capture.'}`,
        ),
        frames: [conditional.request.frame, ...(r ? [r.frame] : [])],
      });
    }
    if (notModified.length > 1)
      out.push({
        text: bi(
          `一共 ${notModified.length} 个 304：${listed(counted(notModified.map((e) => e.request.uri ?? '')))['zh-CN']}。`,
          `${notModified.length} responses were 304: ${listed(counted(notModified.map((e) => e.request.uri ?? ''))).en}.`,
        ),
        frames: notModified.map((e) => e.response?.frame ?? e.request.frame),
      });
    return out;
  },

  questions(ctx) {
    const { first, conditional, notModified } = parts(ctx);
    const r304 = conditional?.response?.code === 304 ? conditional.response : notModified[0]?.response;
    const qs = [];
    if (r304)
      qs.push(
        {
          id: 'frame-304',
          prompt: bi('哪一帧携带了 304 响应？', 'Which frame carries the 304?'),
          answer: String(r304.frame),
          kind: 'number' as const,
          tolerance: 0,
          frame: r304.frame,
          field: 'http.response.code',
          where: bi(`帧 ${r304.frame}：Status Code: 304`, `Frame ${r304.frame}: Status Code: 304`),
        },
        {
          id: 'bytes-304',
          prompt: bi(
            '服务器在 304 中返回了多少字节的实体主体？',
            'How many body bytes did the server return in the 304?',
          ),
          answer: String(r304.bodyBytes),
          kind: 'number' as const,
          tolerance: 0,
          unit: bi('字节', 'bytes'),
          frame: r304.frame,
          field: 'http.response.code',
          where: bi(
            `帧 ${r304.frame} 的 HTTP 首部之后没有数据（没有 Content-Length，也没有 File Data）`,
            `In frame ${r304.frame} nothing follows the HTTP headers (no Content-Length, no File Data)`,
          ),
        },
      );
    const inm = header(conditional?.request, 'If-None-Match');
    if (conditional && inm)
      qs.push({
        id: 'if-none-match',
        prompt: bi('第二次 GET 中 If-None-Match 的值是什么？', 'What is the If-None-Match value in the second GET?'),
        answer: inm,
        kind: 'text' as const,
        tolerance: 0,
        frame: conditional.request.frame,
        field: 'http.request.line',
        where: bi(
          `帧 ${conditional.request.frame} 的 If-None-Match 首部行`,
          `The If-None-Match header line of frame ${conditional.request.frame}`,
        ),
      });
    if (first?.response)
      qs.push({
        id: 'first-length',
        prompt: bi(
          `第一次 GET ${first.request.uri} 的响应 Content-Length 是多少？`,
          `What Content-Length did the first response to ${first.request.uri} carry?`,
        ),
        answer: String(first.response.bodyBytes),
        kind: 'number' as const,
        tolerance: 0,
        unit: bi('字节', 'bytes'),
        frame: first.response.frame,
        field: 'http.content_length_header',
        where: bi(
          `帧 ${first.response.frame}：Content-Length: ${first.response.bodyBytes}`,
          `Frame ${first.response.frame}: Content-Length: ${first.response.bodyBytes}`,
        ),
      });
    return qs;
  },
};
