/** embedded-objects: how many GETs, over how many connections, and how many were open at once. */
import { bi, check, counted, isHtml, listed, overlap, spans } from './context';
import type { ScenarioAnalyzer, ScenarioContext } from './types';

function parts(ctx: ScenarioContext) {
  const page = ctx.exchanges.find((e) => isHtml(e.response));
  const objects = ctx.exchanges.filter(
    (e) => e !== page && /\.(svg|png|jpe?g|gif|webp)$/i.test((e.request.uri ?? '').split('?')[0]),
  );
  const streams = [...new Set(ctx.exchanges.map((e) => e.stream))];
  const list = spans(ctx, streams);
  return { page, objects, streams, list, ...overlap(list) };
}

export const embeddedObjects: ScenarioAnalyzer = {
  checks(ctx) {
    const { page, objects, streams, max, overlapping } = parts(ctx);
    const uris = listed(counted(objects.map((e) => e.request.uri ?? '')), ', ');
    return [
      check(
        'page',
        Boolean(page),
        page
          ? bi(
              `帧 ${page.request.frame}：GET ${page.request.uri} 取得页面`,
              `Frame ${page.request.frame}: GET ${page.request.uri} fetched the page`,
            )
          : bi('没有看到页面请求', 'No request for the page was captured'),
        [page?.request.frame, page?.response?.frame],
        'http.request.uri',
      ),
      check(
        'objects',
        objects.length >= 6 ? 'done' : objects.length > 0 ? 'partial' : 'missing',
        bi(
          `页面之后又有 ${objects.length} 个 GET 请求嵌入的图片：${uris['zh-CN']}`,
          `After the page came ${objects.length} GET requests for its embedded images: ${uris.en}`,
        ),
        objects.map((e) => e.request.frame),
        'http.request.uri',
      ),
      check(
        'parallel',
        max >= 2,
        bi(
          `${streams.length} 条 TCP 连接，其中 ${overlapping.length} 条在时间上重叠（最多 ${max} 条同时打开）`,
          `${streams.length} TCP connection${streams.length === 1 ? '' : 's'}, of which ${overlapping.length} overlapped in time (at most ${max} open at once)`,
        ),
        streams.map((s) => ctx.connections.get(s)?.handshake.segments[0]?.frame ?? ctx.connections.get(s)?.frames[0]),
        'tcp.stream',
      ),
    ];
  },

  explain(ctx) {
    const { page, objects, streams, max, list } = parts(ctx);
    if (!page) return [];
    const requests = new Map<number, number>();
    for (const e of ctx.exchanges) requests.set(e.stream, (requests.get(e.stream) ?? 0) + 1);
    const perStream = listed(
      streams.map((s) => `${s}: ${requests.get(s) ?? 0}`),
      ', ',
    );
    return [
      {
        text: bi(
          `浏览器先取页面（帧 ${page.request.frame}），解析 HTML 后发现 ${objects.length} 个嵌入对象，于是为每个对象各发一个 GET。它一共用了 ${streams.length} 条 TCP 连接（连接:请求数 ${perStream['zh-CN']}），最多 ${max} 条同时打开——${max >= 2 ? '也就是说对象是并行取回的（HTTP/1.1 的浏览器对同一主机最多并行 6 条连接），而不是在一条连接上一个接一个地取。' : '对象是在一条连接上依次取回的。'}`,
          `The browser fetched the page first (frame ${page.request.frame}), found ${objects.length} embedded objects in the HTML and sent one GET for each. It used ${streams.length} TCP connection${streams.length === 1 ? '' : 's'} (connection: requests ${perStream.en}), at most ${max} open at once — ${max >= 2 ? 'so the objects came in parallel (HTTP/1.1 browsers open up to 6 connections per host) rather than one after another on one connection.' : 'so the objects came one after another on one connection.'}`,
        ),
        frames: list.map((l) => ctx.connections.get(l.stream)?.frames[0] ?? 0).filter((f) => f > 0),
      },
    ];
  },

  questions(ctx) {
    const { objects, streams, max, page } = parts(ctx);
    const first = page ?? objects[0];
    return [
      {
        id: 'gets',
        prompt: bi(
          '浏览器一共发出了多少个 HTTP GET 请求（含页面本身）？',
          'How many HTTP GET requests did the browser send (the page included)?',
        ),
        answer: String(ctx.exchanges.filter((e) => e.request.method === 'GET').length),
        kind: 'number',
        tolerance: 0,
        frame: first?.request.frame ?? null,
        field: 'http.request.method',
        where: bi(
          '显示过滤器 http.request.method == "GET" 列出的帧数',
          'The frames the display filter http.request.method == "GET" lists',
        ),
      },
      {
        id: 'connections',
        prompt: bi('这些请求用了多少条 TCP 连接？', 'How many TCP connections carried them?'),
        answer: String(streams.length),
        kind: 'number',
        tolerance: 0,
        frame: first?.request.frame ?? null,
        field: 'tcp.stream',
        where: bi(
          `不同的 tcp.stream：${listed(streams, ', ')['zh-CN']}`,
          `Distinct tcp.stream values: ${listed(streams).en}`,
        ),
      },
      {
        id: 'max-open',
        prompt: bi('最多有几条连接同时打开？', 'How many connections were open at the same time, at most?'),
        answer: String(max),
        kind: 'number',
        tolerance: 0,
        frame: null,
        where: bi(
          '比较每条连接的 SYN 与最后一个 FIN/ACK 的时间',
          'Compare each connection’s SYN time with the others’ last FIN/ACK time',
        ),
      },
    ];
  },
};
