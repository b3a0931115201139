/**
 * The lab worker dissects with trees pruned to LAB_FACT_FIELDS: on every fixture, each packet's
 * TCP facts (and so the lab analysis, flow graph and scenarios built from them) must be those
 * of the whole tree. A field tcpFacts starts reading without being listed fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listCaptures } from '../../../test/helpers/captures';
import { DissectionEngine } from '../../dissect/engine';
import { readCaptureFile } from '../../pcap';
import { LAB_FACT_FIELDS, tcpFacts, type TcpFacts } from './facts';

describe('TCP facts from a tree pruned to LAB_FACT_FIELDS', () => {
  const compared: TcpFacts[] = [];

  it.each(listCaptures().map((c) => [c.id, c.path] as const))('%s: the same as from the whole tree', (_id, path) => {
    const contents = readCaptureFile(new Uint8Array(readFileSync(path)));
    const options = { tree: true, interfaces: contents.info.interfaces };
    const whole = new DissectionEngine(options);
    const pruned = new DissectionEngine({ ...options, keptFields: LAB_FACT_FIELDS, labels: false });
    for (const record of contents.packets) {
      const expected = tcpFacts(whole.dissect(record));
      const packet = pruned.dissect(record);
      expect(tcpFacts(packet), `frame ${packet.number}`).toEqual(expected);
      if (expected) compared.push(expected);
    }
  });

  // Runs after the captures (in order): what the comparison above went through.
  it('the fixtures compared hold every kind of fact the analysis reads', () => {
    const count = (has: (f: TcpFacts) => boolean) => compared.filter(has).length;
    expect(count(() => true)).toBeGreaterThan(500);
    expect(count((f) => f.ipVersion === 6)).toBeGreaterThan(0);
    expect(count((f) => f.http.some((h) => h.kind === 'request' && h.uri !== undefined))).toBeGreaterThan(0);
    expect(count((f) => f.http.some((h) => h.kind === 'response' && h.contentType !== undefined))).toBeGreaterThan(0);
    expect(count((f) => f.mss !== null && f.wscaleShift !== null && f.tsval !== null && f.sackPerm)).toBeGreaterThan(0);
    expect(count((f) => f.retransmission && f.analysisFlags.length > 0)).toBeGreaterThan(0);
    expect(count((f) => f.ackRtt !== null && f.acksFrame !== null && f.initialRtt !== null)).toBeGreaterThan(0);
    expect(count((f) => (f.payload?.length ?? 0) > 0 && f.nextSeq !== null)).toBeGreaterThan(0);
  });
});
