/** non-persistent: `Connection: close` on every response, one connection (handshake + teardown) per object. */
import { bi, check, header } from './context';
import type { ScenarioAnalyzer, ScenarioContext } from './types';

function parts(ctx: ScenarioContext) {
  const responses = ctx.exchanges.filter((e) => e.response);
  const closing = responses.filter((e) => /\bclose\b/i.test(header(e.response, 'Connection') ?? ''));
  const streams = [...new Set(ctx.exchanges.map((e) => e.stream))];
  const conns = streams.map((s) => ctx.connections.get(s)).filter((c) => c !== undefined);
  const withHandshake = conns.filter((c) => c.handshake.complete);
  const withTeardown = conns.filter((c) => c.teardown.kind !== 'none' && c.teardown.kind !== 'partial');
  const serverFirst = conns.filter((c) => c.teardown.initiator === 'server');
  return { responses, closing, streams, conns, withHandshake, withTeardown, serverFirst };
}

export const nonPersistent: ScenarioAnalyzer = {
  checks(ctx) {
    const { responses, closing, streams, conns, withHandshake, withTeardown } = parts(ctx);
    const requests = ctx.exchanges.length;
    return [
      check(
        'connection-close',
        responses.length > 0 && closing.length === responses.length
          ? 'done'
          : closing.length > 0
            ? 'partial'
            : 'missing',
        bi(
          `${responses.length} 个响应中有 ${closing.length} 个带 Connection: close`,
          `${closing.length} of ${responses.length} responses carry Connection: close`,
        ),
        closing.map((e) => e.response?.frame),
        'http.connection',
      ),
      check(
        'one-per-object',
        requests > 0 && streams.length === requests ? 'done' : streams.length > 1 ? 'partial' : 'missing',
        bi(
          `${requests} 个请求用了 ${streams.length} 条 TCP 连接`,
          `${requests} requests used ${streams.length} TCP connections`,
        ),
        conns.map((c) => c.handshake.segments[0]?.frame ?? c.frames[0]),
        'tcp.stream',
      ),
      check(
        'handshake-teardown',
        conns.length > 0 && withHandshake.length === conns.length && withTeardown.length === conns.length,
        bi(
          `${conns.length} 条连接中 ${withHandshake.length} 条有完整的三次握手，${withTeardown.length} 条有完整的挥手`,
          `${withHandshake.length} of ${conns.length} connections have a complete handshake and ${withTeardown.length} a complete teardown`,
        ),
        conns.flatMap((c) => [c.handshake.segments[0]?.frame, c.teardown.segments[0]?.frame]),
        'tcp.flags',
      ),
    ];
  },

  explain(ctx) {
    const { streams, conns, serverFirst, closing } = parts(ctx);
    if (conns.length === 0) return [];
    const durations = conns.map((c) => (c.endTime - c.startTime) * 1000);
    const avg = durations.reduce((a, b) => a + b, 0) / durations.length;
    return [
      {
        text: bi(
          `每个响应都带 Connection: close（${closing.length} 个），服务器发完响应就关闭连接（${serverFirst.length} 条连接由服务器先发 FIN），所以每取一个对象都要重新握手：${ctx.exchanges.length} 个对象用了 ${streams.length} 条连接，每条平均 ${avg.toFixed(3)} 毫秒。这就是非持久 HTTP：每个对象多付一次握手的往返时间。`,
          `Every response carries Connection: close (${closing.length} of them) and the server closes the connection once it has answered (the server sent the first FIN on ${serverFirst.length} connections), so each object needs a new handshake: ${ctx.exchanges.length} objects took ${streams.length} connections, ${avg.toFixed(3)} ms each on average. This is non-persistent HTTP: one extra handshake round trip per object.`,
        ),
        frames: conns.map((c) => c.handshake.segments[0]?.frame ?? c.frames[0]),
      },
    ];
  },

  questions(ctx) {
    const { streams, conns } = parts(ctx);
    const firstConn = conns[0];
    const syn = firstConn?.handshake.segments.find((s) => s.step === 1);
    const qs = [
      {
        id: 'connections',
        prompt: bi('一共打开了多少条 TCP 连接？', 'How many TCP connections were opened?'),
        answer: String(streams.length),
        kind: 'number' as const,
        tolerance: 0,
        frame: syn?.frame ?? null,
        field: 'tcp.flags.syn',
        where: bi(
          '过滤 tcp.flags.syn == 1 && tcp.flags.ack == 0 看到的 SYN 数',
          'The SYNs the filter tcp.flags.syn == 1 && tcp.flags.ack == 0 shows',
        ),
      },
    ];
    const fin = firstConn?.teardown.segments[0];
    if (fin)
      qs.push({
        id: 'first-fin',
        prompt: bi(
          `连接 ${firstConn.stream} 的第一个 FIN 在哪一帧？`,
          `Which frame carries the first FIN of connection ${firstConn.stream}?`,
        ),
        answer: String(fin.frame),
        kind: 'number' as const,
        tolerance: 0,
        frame: fin.frame,
        field: 'tcp.flags.fin',
        where: bi(`帧 ${fin.frame}：[${fin.flags}]`, `Frame ${fin.frame}: [${fin.flags}]`),
      });
    return qs;
  },
};
