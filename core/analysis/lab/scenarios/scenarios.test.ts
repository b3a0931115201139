/**
 * The scenario checklists and "check yourself" answers on real captures (WireLab's client,
 * headless Chromium, and a public capture), against tshark 4.0's references
 * (test/fixtures/captures/scenarios/*.tshark.fields.tsv), never against our own output.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAPTURES_DIR, readTsv } from '../../../../test/helpers/captures';
import type { DissectedPacket } from '../../../dissect/context';
import { DissectionEngine } from '../../../dissect/engine';
import { readCaptureFile } from '../../../pcap/reader';
import { analyzeLab, RTT_ALPHA } from '../analyze';
import { analyzeScenario, base64Decode, checkAnswer, LAB_SCENARIOS, type LabScenario, type ScenarioResult } from '.';

const DIR = join(CAPTURES_DIR, 'scenarios');

function load(file: string): DissectedPacket[] {
  const { info, packets } = readCaptureFile(new Uint8Array(readFileSync(file)));
  const engine = new DissectionEngine({ tree: true, interfaces: info.interfaces });
  return packets.map((r) => engine.dissect(r));
}

/** tshark's rows as objects keyed by field name. */
function tshark(name: string): Record<string, string>[] {
  const t = readTsv(join(DIR, `${name}.pcapng.tshark.fields.tsv`));
  return t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, r[i]])));
}

const cache = new Map<string, ScenarioResult>();
function result(name: string, scenario?: LabScenario): ScenarioResult {
  const key = `${name}|${scenario ?? ''}`;
  let r = cache.get(key);
  if (!r) {
    const packets = load(join(DIR, `${name}.pcapng`));
    r = analyzeScenario(packets, analyzeLab(packets), { scenario });
    cache.set(key, r);
  }
  return r;
}

const answer = (r: ScenarioResult, id: string) => {
  const q = r.questions.find((x) => x.id === id);
  if (!q) throw new Error(`no question ${id} in ${r.scenario}: ${r.questions.map((x) => x.id).join(', ')}`);
  return q;
};

/** Per stream: first and last time, from tshark. */
function maxOpen(rows: Record<string, string>[], streams: Set<string>): number {
  const span = new Map<string, [number, number]>();
  for (const row of rows) {
    if (!streams.has(row['tcp.stream'])) continue;
    const t = Number(row['frame.time_relative']);
    const s = span.get(row['tcp.stream']) ?? [t, t];
    span.set(row['tcp.stream'], [Math.min(s[0], t), Math.max(s[1], t)]);
  }
  const list = [...span.values()];
  return Math.max(...list.map(([a]) => list.filter(([b, e]) => b <= a && a < e).length));
}

const CAPTURES: [string, LabScenario][] = [
  ...LAB_SCENARIOS.map((s): [string, LabScenario] => [s, s]),
  ['conditional-get-chromium', 'conditional-get'],
  ['embedded-objects-chromium', 'embedded-objects'],
];

describe.each(CAPTURES)('%s', (name, scenario) => {
  it(`is recognised as ${scenario}, with every checklist step done and the student's fields read from the page`, () => {
    const r = result(name);
    expect(r.scenario).toBe(scenario);
    expect(r.source).toBe(scenario === 'profile' ? 'traffic' : 'page');
    expect(r.checks.filter((c) => c.status !== 'done').map((c) => c.text.en)).toEqual([]);
    expect(r.profile).toEqual({ major: '计算机科学与技术', studentId: '2011188', name: '邵琦' });
    for (const c of r.checks) expect(c.frames.length, c.id).toBeGreaterThan(0);
  });

  it('explains in both languages with the captured numbers', () => {
    const r = result(name);
    for (const item of r.explanation) {
      expect(item.text['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(item.text.en).not.toMatch(/[\u4e00-\u9fff]/);
      // The same numbers in both languages: the texts are filled from the capture, not canned.
      const nums = (s: string) => (s.match(/\d+(\.\d+)?/g) ?? []).sort();
      expect(nums(item.text['zh-CN'])).toEqual(nums(item.text.en));
    }
    for (const c of r.checks) expect(c.text['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  });

  it('answers the SYN question from the SYN tshark shows', () => {
    const rows = tshark(name);
    const syn = rows.find((row) => row['tcp.flags.str'] === '··········S·');
    const q = answer(result(name), 'syn-seq');
    expect(q.frame).toBe(Number(syn?.['frame.number']));
    expect(q.answer).toBe(syn?.['tcp.seq_raw']);
    expect(checkAnswer(q, syn?.['tcp.seq_raw'] ?? '').correct).toBe(true);
    expect(checkAnswer(q, '0').correct).toBe(false);
  });
});

describe('conditional-get answers', () => {
  it.each(['conditional-get', 'conditional-get-chromium'])(
    '%s: the 304 frame, its empty body, the If-None-Match sent',
    (name) => {
      const rows = tshark(name);
      const r304 = rows.find((row) => row['http.response.code'] === '304');
      const r = result(name);
      expect(answer(r, 'frame-304').answer).toBe(r304?.['frame.number']);
      expect(r304?.['http.content_length_header']).toBe('');
      expect(answer(r, 'bytes-304').answer).toBe('0');
      const inm = answer(r, 'if-none-match');
      const packets = load(join(DIR, `${name}.pcapng`));
      const bytes = new TextDecoder('latin1').decode(packets[(inm.frame ?? 0) - 1].record.data);
      expect(bytes).toContain(`If-None-Match: ${inm.answer}\r\n`);
      expect(checkAnswer(inm, ` ${inm.answer} `).correct).toBe(true);
      const first = answer(r, 'first-length');
      expect(first.answer).toBe(
        rows.find((row) => row['frame.number'] === String(first.frame))?.['http.content_length_header'],
      );
    },
  );
});

describe('long-document answers', () => {
  it('counts the segments tshark reassembled, in the frame tshark shows the response', () => {
    const rows = tshark('long-document');
    const page = rows.find((row) => row['http.response.code'] === '200' && Number(row['tcp.segment.count']) >= 4);
    const r = result('long-document');
    expect(answer(r, 'segments').answer).toBe(page?.['tcp.segment.count']);
    expect(answer(r, 'response-frame').answer).toBe(page?.['frame.number']);
    expect(answer(r, 'length').answer).toBe(page?.['http.content_length_header']);
    expect(Number(answer(r, 'segments').answer)).toBeGreaterThanOrEqual(4);
  });
});

describe.each(['embedded-objects', 'embedded-objects-chromium'])('%s answers', (name) => {
  it('counts the GETs, the connections and the most open at once as tshark shows them', () => {
    const rows = tshark(name);
    const gets = rows.filter((row) => row['http.request.method'] === 'GET');
    const streams = new Set(gets.map((row) => row['tcp.stream']));
    const r = result(name);
    expect(answer(r, 'gets').answer).toBe(String(gets.length));
    expect(answer(r, 'connections').answer).toBe(String(streams.size));
    expect(answer(r, 'max-open').answer).toBe(String(maxOpen(rows, streams)));
    expect(Number(answer(r, 'max-open').answer)).toBeGreaterThanOrEqual(2);
  });
});

describe('non-persistent answers', () => {
  it('one SYN per connection and the first FIN as tshark shows them', () => {
    const rows = tshark('non-persistent');
    const syns = rows.filter((row) => row['tcp.flags.str'] === '··········S·');
    const r = result('non-persistent');
    expect(answer(r, 'connections').answer).toBe(String(syns.length));
    const fin = rows.find((row) => row['tcp.stream'] === '0' && row['tcp.flags.str'].endsWith('F'));
    expect(answer(r, 'first-fin').answer).toBe(fin?.['frame.number']);
    expect(rows.filter((row) => row['http.response.code']).every((row) => row['http.connection'] === 'close')).toBe(
      true,
    );
  });
});

describe('basic-auth answers', () => {
  it('the 401, the decoded credentials and their frame as tshark shows them', () => {
    const rows = tshark('basic-auth');
    const auth = rows.find((row) => row['http.authbasic'] !== '');
    const r = result('basic-auth');
    expect(answer(r, 'status').answer).toBe('401');
    expect(
      rows.find((row) => row['frame.number'] === String(answer(r, 'status').frame))?.['http.www_authenticate'],
    ).toMatch(/^Basic realm=/);
    expect(answer(r, 'credentials').answer).toBe(auth?.['http.authbasic']);
    expect(answer(r, 'auth-frame').answer).toBe(auth?.['frame.number']);
    expect(checkAnswer(answer(r, 'credentials'), 'wirelab-student:wrong').correct).toBe(false);
  });

  it('decodes Base64 without Node', () => {
    expect(base64Decode('d2lyZWxhYi1zdHVkZW50Om5ldHdvcms=')).toBe('wirelab-student:network');
    expect(base64Decode('5a2m55SfOuWvhueggQ==')).toBe('学生:密码');
    expect(base64Decode('not base64!')).toBeNull();
  });
});

describe('upload answers', () => {
  it('the POST length, its first sequence number and EstimatedRTT from tshark’s ACK RTTs', () => {
    const rows = tshark('upload');
    const post = rows.find((row) => row['http.request.method'] === 'POST');
    const r = result('upload');
    expect(answer(r, 'post-bytes').answer).toBe(post?.['http.content_length_header']);
    const first = answer(r, 'first-seq');
    const firstRow = rows.find((row) => row['frame.number'] === String(first.frame));
    expect(first.answer).toBe(firstRow?.['tcp.seq']);
    // tshark's summary line of that frame starts the POST.
    const txt = readFileSync(join(DIR, 'upload.pcapng.tshark.txt'), 'utf8').split('\n');
    expect(txt[(first.frame ?? 0) - 1]).toContain('POST /upload');
    // The server's ACKs during the upload carry tshark's RTT samples; EstimatedRTT from them (α = 1/8).
    const serverPort = rows.find((row) => row['http.response.code'] === '200')?.['tcp.srcport'];
    const postFrames = new Set(r.upload?.segments.map((s) => s.frame));
    const samples = rows
      .filter(
        (row) =>
          row['tcp.srcport'] === serverPort &&
          row['tcp.analysis.ack_rtt'] !== '' &&
          Number(row['frame.number']) > (first.frame ?? 0) &&
          Number(row['frame.number']) <= Math.max(...(r.upload?.rtt.map((x) => x.ackFrame) ?? [0])),
      )
      .map((row) => Number(row['tcp.analysis.ack_rtt']) * 1000);
    expect(samples.length).toBe(r.upload?.rtt.length);
    expect(postFrames.size).toBeGreaterThanOrEqual(2);
    let est = samples[0];
    for (const s of samples.slice(1)) est = (1 - RTT_ALPHA) * est + RTT_ALPHA * s;
    const q = answer(r, 'estimated-rtt');
    expect(Number(q.answer)).toBeCloseTo(est, 3);
    expect(checkAnswer(q, `${(est * 1.01).toFixed(3)} ms`).correct).toBe(true);
    expect(checkAnswer(q, `${(est * 1.1).toFixed(3)}`).correct).toBe(false);
  });
});

describe('upload with curl as the client (upload-curl.pcapng: GET / then curl -F on a second connection)', () => {
  it('is recognised, reads the other student, and answers from tshark’s values', () => {
    const rows = tshark('upload-curl');
    const r = result('upload-curl');
    expect(r.scenario).toBe('upload');
    expect(r.profile).toEqual({ major: '网络工程', studentId: '2024001', name: '李雷' });
    expect(r.checks.every((c) => c.status === 'done')).toBe(true);
    const post = rows.find((row) => row['http.request.method'] === 'POST');
    expect(answer(r, 'post-bytes').answer).toBe(post?.['http.content_length_header']);
    expect(r.upload?.stream).toBe(Number(post?.['tcp.stream']));
    const first = answer(r, 'first-seq');
    expect(first.answer).toBe(rows.find((row) => row['frame.number'] === String(first.frame))?.['tcp.seq']);
    // The POST's first segment is the one tshark shows starting the request.
    const txt = readFileSync(join(DIR, 'upload-curl.pcapng.tshark.txt'), 'utf8').split('\n');
    expect(txt[(first.frame ?? 0) - 1]).toContain('POST /upload');
  });
});

describe('a capture not made by WireLab: zeek-http-post.pcap (a form POST on the Internet)', () => {
  const file = join(CAPTURES_DIR, 'public', 'zeek-http-post.pcap');
  const t = readTsv(`${file}.tshark.tsv`);
  const rows = t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, r[i]])));

  it('is not taken for a WireLab scenario page, and has no WireLab profile', () => {
    const packets = load(file);
    const r = analyzeScenario(packets, analyzeLab(packets));
    expect(r.source).toBe('traffic');
    expect(r.profile).toBeUndefined();
  });

  it('as an upload: the POST, its SYN and its 200 as tshark shows them', () => {
    const packets = load(file);
    const r = analyzeScenario(packets, analyzeLab(packets), { scenario: 'upload' });
    const post = rows.find((row) => row['http.request.method'] === 'POST');
    const syn = rows.find((row) => row['tcp.flags'] === '0x0002');
    expect(answer(r, 'syn-seq').answer).toBe(syn?.['tcp.seq_raw']);
    expect(r.checks.find((c) => c.id === 'post')?.frames).toEqual([Number(post?.['frame.number'])]);
    const ok = rows.find((row) => row['http.response.code'] === '200');
    expect(r.checks.find((c) => c.id === 'ok')?.frames).toEqual([Number(ok?.['frame.number'])]);
    expect(r.checks.find((c) => c.id === 'ok')?.status).toBe('done');
  });

  it('as conditional-get it says what is missing instead of inventing it', () => {
    const packets = load(file);
    const r = analyzeScenario(packets, analyzeLab(packets), { scenario: 'conditional-get' });
    expect(r.source).toBe('given');
    expect(r.checks.find((c) => c.id === 'not-modified')?.status).toBe('missing');
    expect(r.questions.map((q) => q.id)).toEqual(['syn-seq']);
  });
});

describe('checkAnswer', () => {
  it('accepts numbers with separators and units, refuses empty and wrong answers', () => {
    const q = { ...answer(result('long-document'), 'length') };
    expect(checkAnswer(q, q.answer.replace(/\B(?=(\d{3})+(?!\d))/g, ',')).correct).toBe(true);
    expect(checkAnswer(q, `${q.answer} bytes`).correct).toBe(true);
    expect(checkAnswer(q, '').correct).toBe(false);
    expect(checkAnswer(q, String(Number(q.answer) + 1)).correct).toBe(false);
  });
});
