/**
 * A hostile JSON body: a number 200,000 digits long (Content-Type: application/json, reassembled
 * from four TCP segments). Its text was made by spreading the digits into one call, which throws
 * RangeError past ~125,000 arguments: the JSON layer was lost. Now it is dissected as a number.
 */
import { describe, expect, it } from 'vitest';
import { DissectionEngine } from '../../engine';
import type { ProtoNode } from '../../tree';
import { tcpRecord } from '../../../../test/helpers/packets';

const find = (nodes: readonly ProtoNode[], abbrev: string): ProtoNode | undefined => {
  for (const node of nodes) {
    if (node.field?.abbrev === abbrev) return node;
    const inner = node.children && find(node.children, abbrev);
    if (inner) return inner;
  }
  return undefined;
};

describe('JSON media: a number of 200,000 digits', () => {
  it('is a json.value.number, the packet not malformed', () => {
    const digits = 200_000;
    const head = new TextEncoder().encode(
      `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${digits}\r\n\r\n`,
    );
    const body = new Uint8Array(digits).fill(0x37); // "7777…"
    const stream = new Uint8Array(head.length + body.length);
    stream.set(head);
    stream.set(body, head.length);
    const engine = new DissectionEngine({ tree: true });
    const SEGMENT = 60_000;
    let last = null;
    for (let at = 0, i = 0; at < stream.length; at += SEGMENT, i++) {
      const payload = [...stream.subarray(at, at + SEGMENT)];
      last = engine.dissect(
        tcpRecord({ srcPort: 80, dstPort: 40000, seq: 1 + at, ack: 1, flags: 0x18, payload, second: i }),
      );
    }
    const tree = last?.tree ?? [];
    const number = find(tree, 'json.value.number');
    expect(number).toBeDefined();
    expect(number?.start).toBe(head.length);
    expect(number?.length).toBe(digits);
    expect(last?.malformed).toBe(false);
    expect(last?.columns.protocol).toBe('HTTP/JSON');
  });
});
