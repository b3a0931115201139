/**
 * A minimal HTTP/1.x stand-in used only by the TCP tests: it asks for desegmentation the way
 * Wireshark's HTTP dissector does (headers first, then the Content-Length or chunked body) and
 * writes the first line to the Info column before asking for the body.
 */
import type { TcpPayloadConsumer, TcpPayloadInfo, PacketContext, DesegmentRequest } from '../../core/dissect/context';
import type { ProtoNode } from '../../core/dissect/tree';

const METHODS = ['GET ', 'POST ', 'HEAD ', 'PUT ', 'DELETE ', 'OPTIONS ', 'HTTP/1.'];

function startsWith(buf: Uint8Array, off: number, end: number, s: string): boolean {
  if (end - off < s.length) return false;
  for (let i = 0; i < s.length; i++) if (buf[off + i] !== s.charCodeAt(i)) return false;
  return true;
}

function indexOfCrlfCrlf(buf: Uint8Array, off: number, end: number): number {
  for (let i = off; i + 3 < end; i++) {
    if (buf[i] === 13 && buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) return i;
  }
  return -1;
}

function text(buf: Uint8Array, a: number, b: number): string {
  let s = '';
  for (let i = a; i < b; i++) s += String.fromCharCode(buf[i]);
  return s;
}

/** End of a chunked body starting at `off`, or -1 when incomplete. */
function chunkedEnd(buf: Uint8Array, off: number, end: number): number {
  let p = off;
  for (;;) {
    let lineEnd = -1;
    for (let i = p; i + 1 < end; i++) {
      if (buf[i] === 13 && buf[i + 1] === 10) {
        lineEnd = i;
        break;
      }
    }
    if (lineEnd < 0) return -1;
    const size = parseInt(text(buf, p, lineEnd).split(';')[0].trim(), 16);
    if (Number.isNaN(size)) return -1;
    p = lineEnd + 2;
    if (size === 0) {
      // trailers until an empty line
      for (;;) {
        let le = -1;
        for (let i = p; i + 1 < end; i++) {
          if (buf[i] === 13 && buf[i + 1] === 10) {
            le = i;
            break;
          }
        }
        if (le < 0) return -1;
        const empty = le === p;
        p = le + 2;
        if (empty) return p;
      }
    }
    p += size + 2;
    if (p > end) return -1;
  }
}

export const fakeHttp: TcpPayloadConsumer = {
  name: 'fakehttp',
  ports: [80],
  heuristic(buf: Uint8Array, offset: number, end: number, _info: TcpPayloadInfo): boolean {
    return METHODS.some((m) => startsWith(buf, offset, end, m));
  },
  dissect(
    ctx: PacketContext,
    buf: Uint8Array,
    offset: number,
    end: number,
    tree: ProtoNode[] | null,
  ): DesegmentRequest | void {
    let pos = offset;
    let first = true;
    while (pos < end) {
      // Not the start of a message (e.g. an HTTP/0.9 reply): consumed as continuation data.
      if (!METHODS.some((m) => startsWith(buf, pos, end, m.slice(0, Math.min(m.length, end - pos))))) return;
      const hdrEnd = indexOfCrlfCrlf(buf, pos, end);
      if (hdrEnd < 0) {
        // Wireshark's HTTP shows the first line as soon as it is complete.
        let eol = -1;
        for (let i = pos; i + 1 < end; i++) {
          if (buf[i] === 13 && buf[i + 1] === 10) {
            eol = i;
            break;
          }
        }
        if (first && eol >= 0) {
          ctx.enterProtocol('http', 'HTTP');
          ctx.setInfo(text(buf, pos, eol) + ' ');
        }
        return { offset: pos, needMore: -1 };
      }
      const headers = text(buf, pos, hdrEnd);
      const lines = headers.split('\r\n');
      if (first) {
        ctx.enterProtocol('http', 'HTTP');
        ctx.setInfo(lines[0] + ' ');
      }
      const isResponse = lines[0].startsWith('HTTP/');
      let bodyLen = 0;
      let chunked = false;
      let untilClose = isResponse;
      for (const l of lines) {
        const m = /^content-length:\s*(\d+)/i.exec(l);
        if (m) {
          bodyLen = Number(m[1]);
          untilClose = false;
        }
        if (/^transfer-encoding:\s*chunked/i.test(l)) {
          chunked = true;
          untilClose = false;
        }
      }
      if (isResponse && /^HTTP\/1\.\d (1\d\d|204|304)/.test(lines[0])) untilClose = false;
      const bodyStart = hdrEnd + 4;
      let pduEnd: number;
      if (chunked) {
        pduEnd = chunkedEnd(buf, bodyStart, end);
        if (pduEnd < 0) return { offset: pos, needMore: -1 };
      } else if (untilClose) {
        return { offset: pos, needMore: -1 };
      } else {
        pduEnd = bodyStart + bodyLen;
        if (pduEnd > end) return { offset: pos, needMore: pduEnd - end };
      }
      ctx.add(tree, undefined, pos, pduEnd - pos, undefined, 'Hypertext Transfer Protocol');
      if (!first) ctx.appendInfo(lines[0] + ' ');
      first = false;
      pos = pduEnd;
    }
  },
};
