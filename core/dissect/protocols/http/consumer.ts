/** HTTP as a TCP payload consumer: its ports, its heuristic, and the loop over the messages of a payload. */
import { BoundsError, type DesegmentRequest, type TcpPayloadConsumer } from '../../context';
import { HTTP_TCP_PORTS } from './fields';
import { looksLikeHttp } from './headers';
import { dissectMessage, httpStreams } from './dissector';

// The consumer

export const httpConsumer: TcpPayloadConsumer = {
  name: 'http',
  ports: HTTP_TCP_PORTS,
  heuristic(buf: Uint8Array, offset: number, end: number): boolean {
    return looksLikeHttp(buf, offset, end);
  },
  dissect(ctx, buf, offset, end, tree, info): DesegmentRequest | void {
    let pos = offset;
    const stop = Math.min(end, buf.length);
    while (pos < stop) {
      const r = dissectMessage(ctx, buf, pos, stop, tree, info, offset);
      if (typeof r !== 'number') return r;
      if (r <= pos) break;
      pos = r;
    }
    // Cut by the snap length: Wireshark's loop goes on to the next message, which starts in the
    // bytes not captured, and stops there with "[Packet size limited during capture]".
    if (pos >= stop && (info.reportedEnd ?? stop) > stop && ctx.packet.protocols.includes('http')) {
      throw new BoundsError('captured');
    }
  },
  release(ctx, stream): void {
    httpStreams(ctx).delete(stream);
  },
};
