/**
 * The application layers (HTTP and the bodies it carries, TLS, SSH, DHCP) and the
 * "[Packet size limited during capture]" mark against tshark 4.0.17's -V text of chosen
 * frames (test/fixtures/captures/dissect/F.tshark.V.N.txt, made by
 * scripts/make-capture-reference.mjs --verbose N): every top-level section of those layers
 * must read exactly as tshark prints it, in the same order.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readCaptureFile } from '../../pcap/reader';
import { DissectionEngine } from '../engine';
import { formatTreeText } from '../print';

const ROOT = join(__dirname, '../../../test/fixtures/captures');
const REF = join(ROOT, 'dissect');

/** Headings of the top-level sections compared here. */
const HEADINGS = [
  'Transmission Control Protocol',
  'Hypertext Transfer Protocol',
  'Line-based text data',
  'Portable Network Graphics',
  'JPEG File Interchange Format',
  'Transport Layer Security',
  'SSH Protocol',
  'Dynamic Host Configuration Protocol',
  '[Packet size limited during capture',
];

/** Top-level sections of a -V text (a heading line and its indented lines). */
function sections(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    if (!line.startsWith(' ')) out.push(line);
    else if (out.length) out[out.length - 1] += '\n' + line;
  }
  return out;
}

/** Protocols (frame.protocols names) WireLab does not dissect: frames carrying them are left out. */
const NOT_DISSECTED = new Set(['x509sat', 'x509ce', 'pkcs-1']);

const compared = (list: string[]) => list.filter((s) => HEADINGS.some((h) => s.startsWith(h)));

describe('tshark -V text of the application layers', () => {
  const byFile = new Map<string, number[]>();
  for (const name of readdirSync(REF)) {
    const m = /^(.*)\.tshark\.V\.(\d+)\.txt$/.exec(name);
    if (!m) continue;
    const text = readFileSync(join(REF, name), 'utf8');
    const stack = /\[Protocols in frame: ([^\]]*)\]/.exec(text)?.[1].split(':') ?? [];
    if (stack.some((p) => NOT_DISSECTED.has(p))) continue;
    if (compared(sections(text)).every((s) => s.startsWith('Transmission Control Protocol'))) continue;
    byFile.set(
      m[1],
      [...(byFile.get(m[1]) ?? []), Number(m[2])].sort((a, b) => a - b),
    );
  }

  it('has references to compare with', () => {
    expect(byFile.size).toBeGreaterThanOrEqual(4);
  });

  for (const [base, frames] of byFile) {
    const file = existsSync(join(ROOT, 'lab', base)) ? `lab/${base}` : `public/${base}`;
    it(`${base} frames ${frames.join(',')}`, () => {
      const { info, packets: records } = readCaptureFile(new Uint8Array(readFileSync(join(ROOT, file))));
      const engine = new DissectionEngine({ tree: true, interfaces: info.interfaces, format: info.format });
      const packets = records.map((r) => engine.dissect(r));
      for (const n of frames) {
        const expected = compared(sections(readFileSync(join(REF, `${base}.tshark.V.${n}.txt`), 'utf8')));
        const ours = compared(sections(formatTreeText(packets[n - 1].tree ?? [])));
        expect({ frame: n, sections: ours }).toEqual({ frame: n, sections: expected });
      }
    });
  }
});
