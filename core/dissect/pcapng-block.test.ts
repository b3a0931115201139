/**
 * pcapng Custom Blocks as tshark 4.0 shows them: their own frames, with the frame tree, Data and
 * the hex dump `-V` prints. Reference: `tshark -r test202.pcapng -Y frame.cb_pen -V` (TZ=UTC),
 * committed as test202.pcapng.tshark.custom-blocks.V.txt.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../pcap';
import { DissectionEngine } from './engine';
import { formatTreeText } from './print';

const FILE = join(__dirname, '../../test/fixtures/captures/public/pcapng-test-generator-le-difficult-test202.pcapng');

describe('pcapng Custom Block frames', () => {
  it('-V text equals tshark 4.0 for every Custom Block of test202', () => {
    const { info, packets } = readCaptureFile(new Uint8Array(readFileSync(FILE)));
    const engine = new DissectionEngine({ tree: true, interfaces: info.interfaces, format: info.format });
    const dissected = packets.map((r) => engine.dissect(r));
    const blocks = dissected.filter((p) => p.record.pcapngBlock !== undefined);
    expect(blocks.map((p) => p.number)).toEqual([1, 7, 10]);
    const ours = blocks.map((p) => formatTreeText(p.tree ?? [], p.sources) + '\n\n').join('');
    expect(ours).toBe(readFileSync(`${FILE}.tshark.custom-blocks.V.txt`, 'utf8'));
    expect(blocks.map((p) => [p.columns.protocol, p.columns.info])).toEqual([
      ['PCAPNG', 'Custom Block: PEN = Example Enterprise Number for Documentation Use (32473), will be copied'],
      ['PCAPNG', 'Custom Block: PEN = Example Enterprise Number for Documentation Use (32473), will not be copied'],
      ['PCAPNG', 'Custom Block: PEN = Kaplan Research and Application Prototyping (36724), will not be copied'],
    ]);
  });

  it('a block does not move the packet clock; the first frame (a block) is the time reference', () => {
    const { packets } = readCaptureFile(new Uint8Array(readFileSync(FILE)));
    const engine = new DissectionEngine({ tree: false });
    const dissected = packets.map((r) => engine.dissect(r));
    // tshark: frame 2's delta and relative time are its epoch time (frame 1, a block, is at 0);
    // frame 11's delta is from frame 9 (0.003 s), not from block 10.
    expect(dissected[1].timeRelative).toBeCloseTo(1340954905.298858, 5);
    expect(dissected[10].timeDelta).toBeCloseTo(0.003, 9);
  });
});
