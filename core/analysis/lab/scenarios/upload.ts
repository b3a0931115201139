/** upload: the POST's segments, their RTT samples and EstimatedRTT, throughput, and the 200. */
import { RTT_ALPHA } from '../analyze';
import { bi, check, listed, messageFrames, ms } from './context';
import type { ScenarioAnalyzer, ScenarioContext, UploadTcp } from './types';

export function uploadTcp(ctx: ScenarioContext): UploadTcp | undefined {
  const post = ctx.exchanges
    .filter((e) => e.request.method === 'POST')
    .sort((a, b) => b.request.bodyBytes - a.request.bodyBytes)[0];
  const conn = post ? ctx.connections.get(post.stream) : undefined;
  if (!post || !conn) return undefined;
  const frames = new Set(messageFrames(post.request));
  const points = conn.timeSequence.filter((p) => p.direction === 'client' && p.len > 0 && frames.has(p.frame));
  const segments = points
    .filter((p) => !p.retransmission)
    .map((p) => ({ frame: p.frame, time: p.time, seq: p.seq, len: p.len }));
  if (segments.length === 0) return undefined;
  // EstimatedRTT as the TCP lab computes it: from the POST's first sample on (α = 1/8).
  let estimated: number | null = null;
  const rtt = conn.rtt
    .filter((r) => r.direction === 'client' && frames.has(r.segmentFrame))
    .map((r) => {
      const sampleMs = r.sampleRtt * 1000;
      estimated = estimated === null ? sampleMs : (1 - RTT_ALPHA) * estimated + RTT_ALPHA * sampleMs;
      return {
        segmentFrame: r.segmentFrame,
        ackFrame: r.ackFrame,
        seq: r.segmentSeq,
        len: r.segmentLen,
        sampleMs,
        estimatedMs: estimated,
      };
    });
  // Not Math.max(...): a long upload has more segments than a call takes arguments.
  const end = segments.reduce((most, s) => Math.max(most, s.seq + s.len), -Infinity);
  const lastAck = conn.timeSequence.find((p) => p.direction === 'server' && p.flags.includes('ACK') && p.ack >= end);
  const bytes = segments.reduce((a, s) => a + s.len, 0);
  const seconds = (lastAck?.time ?? segments[segments.length - 1].time) - segments[0].time;
  return { stream: post.stream, segments, rtt, bytes, seconds, throughput: seconds > 0 ? bytes / seconds : 0 };
}

function postOf(ctx: ScenarioContext) {
  return ctx.exchanges
    .filter((e) => e.request.method === 'POST')
    .sort((a, b) => b.request.bodyBytes - a.request.bodyBytes)[0];
}

export const upload: ScenarioAnalyzer = {
  checks(ctx) {
    const post = postOf(ctx);
    const tcp = uploadTcp(ctx);
    const conn = post ? ctx.connections.get(post.stream) : undefined;
    const end = tcp ? tcp.segments.reduce((most, s) => Math.max(most, s.seq + s.len), -Infinity) : 0;
    const acked = conn?.timeSequence.find((p) => p.direction === 'server' && p.ack >= end && end > 0);
    return [
      check(
        'post',
        Boolean(post),
        post
          ? bi(
              `帧 ${post.request.frame}：POST ${post.request.uri}，主体 ${post.request.bodyBytes} 字节（Content-Type: ${post.request.contentType ?? '?'}）`,
              `Frame ${post.request.frame}: POST ${post.request.uri} with a ${post.request.bodyBytes}-byte body (Content-Type: ${post.request.contentType ?? '?'})`,
            )
          : bi('没有看到 POST：在页面上选择文件并上传', 'No POST yet: choose the file on the page and upload it'),
        [post?.request.frame],
        'http.request.method',
      ),
      check(
        'segments',
        (tcp?.segments.length ?? 0) > 1,
        tcp
          ? bi(
              `POST 由 ${tcp.segments.length} 个 TCP 段携带（共 ${tcp.bytes} 字节），长度 ${
                listed(
                  tcp.segments.map((s) => s.len),
                  ', ',
                )['zh-CN']
              }`,
              `The POST was carried by ${tcp.segments.length} TCP segments (${tcp.bytes} bytes), of lengths ${listed(tcp.segments.map((s) => s.len)).en}`,
            )
          : bi('（需要先看到 POST）', '(needs the POST first)'),
        tcp?.segments.map((s) => s.frame) ?? [],
        'tcp.len',
      ),
      check(
        'acked',
        Boolean(acked),
        acked
          ? bi(
              `服务器在帧 ${acked.frame} 确认到 Ack=${acked.ack}：全部数据已送达`,
              `The server's ACK in frame ${acked.frame} (Ack=${acked.ack}) covers every byte sent`,
            )
          : bi('没有看到确认全部数据的 ACK', 'No ACK covering all the data was captured'),
        [acked?.frame],
        'tcp.ack',
      ),
      check(
        'ok',
        post?.response?.code === 200,
        post?.response
          ? bi(
              `服务器回答 ${post.response.code} ${post.response.phrase ?? ''}（帧 ${post.response.frame}）`,
              `The server answered ${post.response.code} ${post.response.phrase ?? ''} (frame ${post.response.frame})`,
            )
          : bi('没有看到响应', 'No response was captured'),
        [post?.response?.frame],
        'http.response.code',
      ),
    ];
  },

  explain(ctx) {
    const tcp = uploadTcp(ctx);
    if (!tcp) return [];
    const last = tcp.rtt[tcp.rtt.length - 1];
    const out = [
      {
        text: bi(
          `上传的 ${tcp.bytes} 字节由 ${tcp.segments.length} 个段发送，用时 ${(tcp.seconds * 1000).toFixed(3)} 毫秒（第一段到确认最后一个字节的 ACK），吞吐量 = ${tcp.bytes} ÷ ${tcp.seconds.toFixed(6)} 秒 ≈ ${Math.round(tcp.throughput)} 字节/秒。回环接口的 MSS 很大，所以段数比教材里的以太网例子少得多。`,
          `The upload's ${tcp.bytes} bytes went in ${tcp.segments.length} segments over ${(tcp.seconds * 1000).toFixed(3)} ms (from the first segment to the ACK of the last byte): throughput = ${tcp.bytes} / ${tcp.seconds.toFixed(6)} s ≈ ${Math.round(tcp.throughput)} bytes/s. Loopback's MSS is large, so there are far fewer segments than in the textbook's Ethernet example.`,
        ),
        frames: tcp.segments.map((s) => s.frame),
      },
    ];
    if (last)
      out.push({
        text: bi(
          `${tcp.rtt.length} 个 RTT 样本（每个来自一个数据段和确认它的 ACK）：${listed(tcp.rtt.map((r) => ms(r.sampleMs / 1000)))['zh-CN']} 毫秒。EstimatedRTT = 0.875·EstimatedRTT + 0.125·SampleRTT，第一个样本作为初值，最后为 ${last.estimatedMs.toFixed(3)} 毫秒。`,
          `${tcp.rtt.length} RTT samples (each a data segment and the ACK that acknowledged it): ${listed(tcp.rtt.map((r) => ms(r.sampleMs / 1000))).en} ms. EstimatedRTT = 0.875·EstimatedRTT + 0.125·SampleRTT, starting from the first sample, ends at ${last.estimatedMs.toFixed(3)} ms.`,
        ),
        frames: tcp.rtt.map((r) => r.segmentFrame),
      });
    return out;
  },

  questions(ctx) {
    const post = postOf(ctx);
    const tcp = uploadTcp(ctx);
    if (!post || !tcp) return [];
    const qs = [
      {
        id: 'post-bytes',
        prompt: bi('POST 的主体有多少字节（Content-Length）？', 'How many bytes is the POST’s body (Content-Length)?'),
        answer: String(post.request.bodyBytes),
        kind: 'number' as const,
        tolerance: 0,
        unit: bi('字节', 'bytes'),
        frame: post.request.frame,
        field: 'http.content_length_header',
        where: bi(`帧 ${post.request.frame}：Content-Length`, `Frame ${post.request.frame}: Content-Length`),
      },
      {
        id: 'first-seq',
        prompt: bi(
          '携带 POST 的第一个段的（相对）序号是多少？',
          'What is the (relative) sequence number of the first segment carrying the POST?',
        ),
        answer: String(tcp.segments[0].seq),
        kind: 'number' as const,
        tolerance: 0,
        frame: tcp.segments[0].frame,
        field: 'tcp.seq',
        where: bi(`帧 ${tcp.segments[0].frame}：Sequence Number`, `Frame ${tcp.segments[0].frame}: Sequence Number`),
      },
      {
        id: 'throughput',
        prompt: bi(
          '上传的吞吐量是多少（字节/秒，误差 5% 以内）？',
          'What was the upload’s throughput (bytes/s, within 5%)?',
        ),
        answer: String(Math.round(tcp.throughput)),
        kind: 'number' as const,
        tolerance: 0.05,
        unit: bi('字节/秒', 'bytes/s'),
        frame: tcp.segments[0].frame,
        where: bi(
          `${tcp.bytes} 字节 ÷（确认最后字节的 ACK 时间 − 帧 ${tcp.segments[0].frame} 的时间 = ${tcp.seconds.toFixed(6)} 秒）`,
          `${tcp.bytes} bytes / (time of the ACK of the last byte − time of frame ${tcp.segments[0].frame} = ${tcp.seconds.toFixed(6)} s)`,
        ),
      },
    ];
    if (tcp.rtt.length > 0) {
      const n = Math.min(6, tcp.rtt.length);
      const r = tcp.rtt[n - 1];
      qs.push({
        id: 'estimated-rtt',
        prompt: bi(
          `上传的第 ${n} 个 RTT 样本之后 EstimatedRTT 是多少毫秒（α = 0.125，以第一个样本为初值，误差 2% 以内）？`,
          `What is EstimatedRTT after RTT sample ${n} of the upload, in ms (α = 0.125, from the first sample on, within 2%)?`,
        ),
        answer: r.estimatedMs.toFixed(3),
        kind: 'number' as const,
        tolerance: 0.02,
        unit: bi('毫秒', 'ms'),
        frame: r.ackFrame,
        field: 'tcp.analysis.ack_rtt',
        where: bi(
          `样本取自各 ACK 的 [The RTT to ACK the segment was: …]：${tcp.rtt
            .slice(0, n)
            .map((x) => `帧 ${x.ackFrame} ${x.sampleMs.toFixed(3)}`)
            .join('、')} 毫秒`,
          `Samples are the ACKs' [The RTT to ACK the segment was: …]: ${tcp.rtt
            .slice(0, n)
            .map((x) => `frame ${x.ackFrame} ${x.sampleMs.toFixed(3)}`)
            .join(', ')} ms`,
        ),
      });
    }
    return qs;
  },
};
