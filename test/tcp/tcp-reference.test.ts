/**
 * TCP against tshark 4.0.17's references (`*.tshark.tsv`) for every fixture capture: the
 * fields as `-T fields -e` prints them (read from the tree with findFieldNodes +
 * formatFieldValue), and the Info column of rows whose Protocol column is TCP.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { findFieldNodes, formatFieldValue } from '../../core/dissect/tree';
import { tcpPayloadConsumers } from '../../core/dissect/context';
import { dissectCapture, loadCapture, loadReference, FIXTURES } from './harness';
import { fakeHttp } from './fake-http';

tcpPayloadConsumers.push(fakeHttp);

const FIELDS = [
  'tcp.srcport',
  'tcp.dstport',
  'tcp.stream',
  'tcp.seq',
  'tcp.seq_raw',
  'tcp.ack',
  'tcp.len',
  'tcp.flags',
  'tcp.window_size',
];

const captures: string[] = [];
for (const dir of ['lab', 'public']) {
  for (const name of readdirSync(FIXTURES + dir)) {
    if (/\.(pcap|pcapng)$/.test(name)) captures.push(`${dir}/${name}`);
  }
}

/**
 * Known differences. Key: `file#frame:field`. Not TCP's: the Info text there is written by
 * HTTP, and the test's stand-in HTTP does not show a request line that has no CRLF (tshark's
 * HTTP does, with `\000` escaped).
 */
const KNOWN: Record<string, string> = {
  'public/zeek-ipv4-fragmented-4.pcap#5:info': 'HTTP stand-in: request line without CRLF',
};

interface Tally {
  compared: number;
  agreed: number;
}

describe('TCP vs tshark references', () => {
  const totals = new Map<string, Tally>();
  const mismatches: string[] = [];
  for (const file of captures) {
    it(file, () => {
      const ref = loadReference(file);
      const packets = dissectCapture(loadCapture(file));
      for (const row of ref) {
        const n = Number(row['frame.number']);
        const hp = packets[n - 1];
        if (!row['tcp.srcport']) continue;
        for (const field of FIELDS) {
          const expected = row[field];
          const nodes = hp ? findFieldNodes(hp.tree, field) : [];
          const actual = nodes.map((node) => (node.field ? formatFieldValue(node.field, node.value) : '')).join(',');
          const t = totals.get(field) ?? { compared: 0, agreed: 0 };
          t.compared++;
          if (actual === expected) t.agreed++;
          else if (!KNOWN[`${file}#${n}:${field}`])
            mismatches.push(`${file}#${n} ${field}: expected ${expected} got ${actual}`);
          totals.set(field, t);
        }
        if (row['_ws.col.Protocol'] === 'TCP') {
          const t = totals.get('_ws.col.Info') ?? { compared: 0, agreed: 0 };
          t.compared++;
          const actual = hp?.packet.columns.info ?? '';
          if (actual === row['_ws.col.Info']) t.agreed++;
          else if (!KNOWN[`${file}#${n}:info`])
            mismatches.push(`${file}#${n} info:\n    expected ${row['_ws.col.Info']}\n    got      ${actual}`);
          totals.set('_ws.col.Info', t);
          const pt = totals.get('_ws.col.Protocol') ?? { compared: 0, agreed: 0 };
          pt.compared++;
          if (hp?.packet.columns.protocol === 'TCP') pt.agreed++;
          else mismatches.push(`${file}#${n} protocol: expected TCP got ${hp?.packet.columns.protocol}`);
          totals.set('_ws.col.Protocol', pt);
        }
      }
    });
  }
  it('agreement summary', () => {
    const lines = [...totals].map(([k, v]) => `${k.padEnd(18)} ${v.agreed}/${v.compared}`);
    console.log('TCP agreement with tshark 4.0.17:\n' + lines.join('\n'));
    if (mismatches.length) console.log(mismatches.join('\n'));
    expect(mismatches).toEqual([]);
  });
});
