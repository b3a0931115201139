/** The report's scenario section on the scenario captures, checked against tshark's references. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAPTURES_DIR, readTsv } from '../../test/helpers/captures';
import { DissectionEngine } from '../dissect/engine';
import { readCaptureFile } from '../pcap/reader';
import { analyzeLab } from '../analysis/lab/analyze';
import { wellFormed } from '../analysis/lab/xml-check';
import { buildLabReport } from './build-report';

const DIR = join(CAPTURES_DIR, 'scenarios');

function report(name: string, lang: 'en' | 'zh-CN' = 'en') {
  const { info, packets: records } = readCaptureFile(new Uint8Array(readFileSync(join(DIR, `${name}.pcapng`))));
  const engine = new DissectionEngine({ tree: true, interfaces: info.interfaces });
  const packets = records.map((r) => engine.dissect(r));
  return buildLabReport({ analysis: analyzeLab(packets), packets, lang });
}

function rows(name: string): Record<string, string>[] {
  const t = readTsv(join(DIR, `${name}.pcapng.tshark.fields.tsv`));
  return t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, r[i]])));
}

describe('report: the scenario section', () => {
  it('profile: no scenario section (the report stays as it was)', () => {
    expect(report('profile').markdown).not.toContain('Scenario:');
  });

  it('conditional-get: the conditional GET and the 304 with their headers', () => {
    const { markdown } = report('conditional-get');
    const frame = rows('conditional-get').find((r) => r['http.response.code'] === '304')?.['frame.number'];
    expect(markdown).toContain('## 5. Scenario: Conditional GET and 304');
    expect(markdown).toContain(`the 304 (frame ${frame})`);
    expect(markdown).toMatch(/If-None-Match: "[\w-]+"\n[\s\S]*HTTP\/1\.1 304 Not Modified\n(.+\n)*ETag: "[\w-]+"\n/);
  });

  it('long-document: one line per reassembled segment, as many as tshark counts', () => {
    const { markdown } = report('long-document');
    const count = rows('long-document').find((r) => Number(r['tcp.segment.count']) > 1)?.['tcp.segment.count'];
    expect(markdown).toContain(`Reassembly: ${count} TCP segments`);
    const block = markdown.split('Reassembly:')[1].split('```')[1];
    expect(block.trim().split('\n')).toHaveLength(Number(count));
  });

  it('non-persistent: a timeline row per connection', () => {
    const { markdown } = report('non-persistent');
    const syns = rows('non-persistent').filter((r) => r['tcp.flags.str'] === '··········S·');
    const block = markdown.split('Connection timeline')[1].split('```')[1];
    expect(block.trim().split('\n')).toHaveLength(syns.length + 1);
    for (const s of syns) expect(block).toContain(`\t${s['tcp.srcport']}\t`);
  });

  it('basic-auth: the 401 and the retry with the decoded credentials', () => {
    const { markdown } = report('basic-auth', 'zh-CN');
    const cred = rows('basic-auth').find((r) => r['http.authbasic'])?.['http.authbasic'];
    expect(markdown).toContain('## 五、场景：HTTP 基本认证');
    expect(markdown).toContain('HTTP/1.1 401 Unauthorized\n');
    expect(markdown).toContain(`    Credentials: ${cred}`);
  });

  it('upload: the RTT table from tshark’s ACK RTTs and the Stevens graph as an image', () => {
    const { markdown, html } = report('upload');
    const serverPort = rows('upload').find((r) => r['http.response.code'] === '200')?.['tcp.srcport'];
    const table = markdown.split('RTT and EstimatedRTT')[1].split('```')[1];
    for (const line of table.trim().split('\n').slice(1)) {
      const [, , , ackFrame, sample] = line.split('\t');
      const row = rows('upload').find((r) => r['frame.number'] === ackFrame);
      expect(row?.['tcp.srcport']).toBe(serverPort);
      expect(Number(sample)).toBeCloseTo(Number(row?.['tcp.analysis.ack_rtt']) * 1000, 3);
    }
    expect(markdown).toMatch(/!\[Time–sequence graph \(Stevens\)\]\(data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    const svg = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)]
      .map((m) => m[0])
      .find((x) => x.includes('Upload time–sequence'));
    expect(svg).toBeDefined();
    expect(wellFormed(svg ?? '')).toBe(true);
    // One point per POST segment tshark shows (not counting retransmissions).
    const txt = readFileSync(join(DIR, 'upload.pcapng.tshark.txt'), 'utf8').split('\n');
    const all = rows('upload');
    const postFrame = Number(all.find((r) => r['http.request.method'] === 'POST')?.['frame.number']);
    const firstPost = txt.findIndex((l) => l.includes('POST /upload')) + 1;
    const segments = all.filter(
      (r) =>
        r['tcp.dstport'] === serverPort &&
        Number(r['tcp.len']) > 0 &&
        Number(r['frame.number']) >= firstPost &&
        Number(r['frame.number']) <= postFrame &&
        !txt[Number(r['frame.number']) - 1].includes('Retransmission'),
    );
    expect(svg?.match(/<circle/g)).toHaveLength(segments.length);
  });
});
