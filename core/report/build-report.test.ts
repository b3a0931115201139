import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CAPTURES_DIR, dissectFile, readTsv } from '../../test/helpers/captures';
import { analyzeLab } from '../analysis/lab/analyze';
import { wellFormed } from '../analysis/lab/xml-check';
import { buildLabReport } from './build-report';

const ID = 'lab/lab-linux-ipv4.pcap';
const t = readTsv(join(CAPTURES_DIR, `${ID}.tshark.tsv`));
const col = (r: string[], name: string) => r[t.header.indexOf(name)];
const synRow = t.rows.find((r) => col(r, 'tcp.flags') === '0x0002' && col(r, 'tcp.stream') === '1') as string[];
const synAckRow = t.rows.find((r) => col(r, 'tcp.flags') === '0x0012' && col(r, 'tcp.stream') === '1') as string[];
const getRow = t.rows.find((r) => col(r, 'http.request.uri') === '/') as string[];
const finRows = t.rows.filter((r) => col(r, 'tcp.stream') === '1' && (parseInt(col(r, 'tcp.flags'), 16) & 1) === 1);

describe('buildLabReport', () => {
  const { packets } = dissectFile(join(CAPTURES_DIR, ID), []);
  const analysis = analyzeLab(packets);

  it("draws the SYN's Ethernet, IPv4 and TCP headers as packet diagrams, with the values tshark reads", () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const r = buildLabReport({ analysis, packets, lang });
      const diagrams = [...r.html.matchAll(/<svg[^>]*class="wl-diagram"[\s\S]*?<\/svg>/g)].map((m) => m[0]);
      expect(diagrams).toHaveLength(3);
      const [eth, ip, tcp] = diagrams;
      expect(eth).toContain('data-field="eth.dst"');
      expect(ip).toContain('data-field="ip.flags.df"');
      expect(ip).toContain('data-field="ip.frag_offset"');
      expect(tcp).toContain('data-field="tcp.srcport"');
      expect(tcp).toContain('data-field="tcp.flags.syn"');
      // The diagram carries the SYN's own numbers (tshark's view of the same frame).
      expect(tcp).toContain(`>${col(synRow, 'tcp.srcport')}</text>`);
      expect(tcp).toContain(`>${col(synRow, 'tcp.window_size')}</text>`);
      // Markdown links the same pictures as data: URLs, one per header, captioned with the frame.
      const links = [
        ...r.markdown.matchAll(/!\[([^\]]*)\]\(data:image\/svg\+xml;charset=utf-8,%3Csvg[^)]*wl-diagram/g),
      ];
      expect(links).toHaveLength(3);
      const frame = col(synRow, 'frame.number');
      expect(links[2][1]).toBe(
        lang === 'zh-CN'
          ? `帧 ${frame} 的分组示意图：Transmission Control Protocol, Src Port: ${col(synRow, 'tcp.srcport')}, Dst Port: 8001, Seq: 0, Len: 0`
          : `Packet diagram of frame ${frame}: Transmission Control Protocol, Src Port: ${col(synRow, 'tcp.srcport')}, Dst Port: 8001, Seq: 0, Len: 0`,
      );
    }
  });
  for (const lang of ['zh-CN', 'en'] as const) {
    it(`${lang}: real frames and numbers, images linked, HTML standalone and escaped`, () => {
      const r = buildLabReport({
        analysis,
        packets,
        lang,
        profile: { major: '计算机科学与技术', studentId: '2011188', name: '<b>邵琦</b> & co' },
        screenshots: [{ name: 'page', path: 'shots/page 1.png', caption: 'The page' }],
        served: { html: '<h1>专业: 计算机</h1>' },
      });
      for (const doc of [r.markdown, r.html]) {
        expect(doc).toContain(col(synRow, 'tcp.seq_raw'));
        expect(doc).toContain(col(synAckRow, 'tcp.seq_raw'));
        for (const f of finRows) expect(doc).toContain(col(f, 'tcp.seq_raw'));
        expect(doc).toContain(`Frame ${col(synRow, 'frame.number')}:`);
        expect(doc).toContain(col(getRow, 'frame.number'));
        expect(doc).toContain('Transmission Control Protocol, Src Port: ' + col(synRow, 'tcp.srcport'));
        expect(doc).toContain('Hypertext Transfer Protocol');
      }
      expect(r.markdown).toContain('](flow-graph.svg)');
      expect(r.markdown).toContain('](shots/page%201.png)');
      expect(r.markdown).toContain(lang === 'zh-CN' ? '4.1 三次握手' : '4.1 Three-way handshake');
      expect(r.html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
      expect(r.html).toContain('src="shots/page 1.png"');
      expect(r.html).toContain('&lt;b&gt;邵琦&lt;/b&gt; &amp; co');
      expect(r.html).not.toContain('<b>邵琦');
      expect(r.html).toContain('&lt;h1&gt;专业: 计算机&lt;/h1&gt;');
      expect(r.html).not.toMatch(/(src|href)="https?:/);
      expect(r.html).not.toMatch(/<link|<script/);
      expect(wellFormed(r.flowGraphSvg)).toBe(true);
      const body = r.html.slice(r.html.indexOf('<body>'), r.html.indexOf('</body>') + 7);
      expect(wellFormed(body.replace(/<meta[^>]*>/g, '').replace(/<img([^>]*)>/g, '<img$1/>'))).toBe(true);
    });
  }
});
