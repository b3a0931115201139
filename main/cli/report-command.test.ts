import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAPTURES_DIR, readTsv } from '../../test/helpers/captures';
import { runReportCommand, loadCapture } from './report-command';
import { formatLabAnalysisText } from './lab-analysis-command';
import { analyzeLab } from '../../core/analysis/lab/analyze';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) > 0 }, stderr: { write: (s: string) => err.push(s) > 0 } },
    out,
    err,
  };
}

describe('wirelab report', () => {
  it('writes report.md, report.html and flow-graph.svg', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirelab-report-'));
    const { io: x, out } = io();
    const file = join(CAPTURES_DIR, 'lab/lab-linux-ipv6.pcap');
    const code = await runReportCommand(['-r', file, '-o', dir, '--lang', 'en'], x);
    expect(code).toBe(0);
    for (const f of ['report.md', 'report.html', 'flow-graph.svg']) {
      expect(existsSync(join(dir, f))).toBe(true);
      expect(out.join('')).toContain(join(dir, f));
    }
    const t = readTsv(`${file}.tshark.tsv`);
    const c = (r: string[], n: string) => r[t.header.indexOf(n)];
    const get = t.rows.find((r) => c(r, 'http.request.uri') === '/') as string[];
    const syn = t.rows.find(
      (r) => c(r, 'tcp.flags') === '0x0002' && c(r, 'tcp.stream') === c(get, 'tcp.stream'),
    ) as string[];
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain(syn[t.header.indexOf('tcp.seq_raw')]);
  });

  it('says clearly what is wrong', async () => {
    const a = io();
    expect(await runReportCommand(['-r', '/nonexistent/x.pcap'], a.io)).toBe(2);
    expect(a.err.join('')).toContain("doesn't exist");
    const dir = mkdtempSync(join(tmpdir(), 'wirelab-report-'));
    writeFileSync(join(dir, 'bad.pcap'), 'not a capture at all');
    const b = io();
    expect(await runReportCommand(['-r', join(dir, 'bad.pcap'), '-o', dir], b.io)).toBe(2);
    expect(b.err.join('')).toContain("isn't a capture file");
    const c = io();
    expect(
      await runReportCommand(
        ['-r', join(CAPTURES_DIR, 'public/tcpdump-IGMP_V2.pcap'), '-o', dir, '--port', '8001'],
        c.io,
      ),
    ).toBe(2);
    expect(c.err.join('')).toContain('no lab traffic');
    const d = io();
    expect(await runReportCommand(['-o', dir], d.io)).toBe(1);
    expect(await runReportCommand(['-r', 'x', '--lang', 'fr'], d.io)).toBe(1);
  });
});

describe('-z lab text', () => {
  it('lists steps, frames and states', async () => {
    const file = join(CAPTURES_DIR, 'lab/lab-null-loopback.pcap');
    const { packets } = await loadCapture(file);
    const text = formatLabAnalysisText(analyzeLab(packets), 'zh-CN');
    const t = readTsv(`${file}.tshark.tsv`);
    const fins = t.rows.filter((r) => (parseInt(r[t.header.indexOf('tcp.flags')], 16) & 1) === 1).map((r) => r[0]);
    for (const f of fins) expect(text).toContain(`#${f} `);
    expect(text).toContain('FIN_WAIT_2');
    expect(text).toContain('TIME_WAIT');
    expect(formatLabAnalysisText(analyzeLab(packets), 'en')).toContain('[x] Three-way handshake: done');
  });
});
