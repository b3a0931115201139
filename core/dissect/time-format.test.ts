/**
 * The Time column in every Time Display Format against tshark 4.0's `-t FORMAT` output
 * (test/fixtures/time/README.md says how the references were made).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../pcap';
import { CAPTURES_DIR } from '../../test/helpers/captures';
import { compileDisplayFilter } from '../filter';
import { DissectionEngine } from './engine';
import { timePrecisionDigits } from './extract';
import {
  formatTimeColumn,
  TSHARK_TIME_FLAGS,
  TIME_FORMATS,
  REF_TEXT,
  type TimeFormat,
  type TimeStamp,
} from './time-format';

const TIME_DIR = join(CAPTURES_DIR, '..', 'time');
/** Asia/Shanghai has been UTC+8 without daylight saving since 1991. */
const shanghai = () => 8 * 60;

function load(file: string) {
  const contents = readCaptureFile(new Uint8Array(readFileSync(join(CAPTURES_DIR, file))));
  const stamps: TimeStamp[] = contents.packets.map((p) => ({ sec: p.tsSec, nsec: p.tsNsec }));
  const digits = timePrecisionDigits(contents.info.interfaces[0]);
  return { contents, stamps, digits };
}

function column(
  stamps: TimeStamp[],
  digits: number,
  format: TimeFormat,
  displayed: ReadonlySet<number> = new Set(stamps.keys()),
  refs: ReadonlySet<number> = new Set(),
): string[] {
  const out: string[] = [];
  let previousDisplayed: TimeStamp | null = null;
  let reference: TimeStamp | null = null;
  stamps.forEach((ts, i) => {
    if (refs.has(i)) reference = ts;
    if (!displayed.has(i)) return;
    out.push(
      `${i + 1}\t${formatTimeColumn(ts, {
        format,
        digits,
        first: stamps[0],
        previousCaptured: i > 0 ? stamps[i - 1] : null,
        previousDisplayed,
        reference,
        isReference: refs.has(i),
        utcOffsetMinutes: shanghai,
      })}`,
    );
    previousDisplayed = ts;
  });
  return out;
}

const reference = (name: string) => readFileSync(join(TIME_DIR, name), 'utf8').trimEnd().split('\n');

describe('Time Display Format = tshark -t', () => {
  for (const file of ['lab/lab-linux-ipv4.pcap', 'public/tcpdump-tcp-handshake-nano.pcap']) {
    const { stamps, digits } = load(file);
    const base = file.split('/')[1];
    for (const format of TIME_FORMATS) {
      const flag = TSHARK_TIME_FLAGS[format];
      it(`${base}: ${format} (-t ${flag})`, () => {
        expect(column(stamps, digits, format)).toEqual(reference(`${base}.t-${flag}.tsv`));
      });
    }
  }

  it('since previous displayed packet under the display filter `http` (-Y http -t dd)', () => {
    const { contents, stamps, digits } = load('lab/lab-linux-ipv4.pcap');
    const compiled = compileDisplayFilter('http');
    if (!compiled.ok) throw new Error(compiled.error.message);
    const engine = new DissectionEngine({ tree: true });
    const displayed = new Set<number>();
    contents.packets.forEach((p, i) => {
      if (compiled.filter(engine.dissect(p))) displayed.add(i);
    });
    expect(column(stamps, digits, 'delta_displayed', displayed)).toEqual(
      reference('lab-linux-ipv4.pcap.Y-http.t-dd.tsv'),
    );
  });

  it('a time reference shows *REF* and later relative times count from it', () => {
    const { stamps, digits } = load('lab/lab-linux-ipv4.pcap');
    const rows = column(stamps, digits, 'relative', undefined, new Set([9]));
    expect(rows[8]).toBe('9\t0.034386');
    expect(rows[9]).toBe(`10\t${REF_TEXT}`);
    // Frame 12 at 0.042936 s is 0.005973 s after frame 10 (0.036963 s).
    expect(rows[11]).toBe('12\t0.005973');
    // Absolute formats are unchanged by a reference, except the reference itself.
    const abs = column(stamps, digits, 'utc_time_of_day', undefined, new Set([9]));
    expect(abs[9]).toBe(`10\t${REF_TEXT}`);
    expect(abs[10]).toBe('11\t18:49:50.306728');
  });
});
