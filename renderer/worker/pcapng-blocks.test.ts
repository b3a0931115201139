/**
 * pcapng Custom Blocks in the UI's packet list: tshark 4.0 numbers them as frames, so the rows
 * the worker shows (after the host → UI record batches) carry tshark's numbers, Protocol and Info.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../core/pcap';
import { packRecords, unpackRecords } from '../../bridge/record-batch';
import { createColorizer } from './coloring';
import { PacketTable } from './packet-table';

const fixture = path.join(
  __dirname,
  '..',
  '..',
  'test',
  'fixtures',
  'captures',
  'public',
  'pcapng-test-generator-le-difficult-test202.pcapng',
);
const records = readCaptureFile(new Uint8Array(readFileSync(fixture))).packets;
/** tshark -r's lines: "   7  … → … PCAPNG 60 Custom Block: PEN = …". */
const tsharkLines = readFileSync(`${fixture}.tshark.txt`, 'utf8').split('\n').filter(Boolean);

function load(keepTrees?: number): PacketTable {
  const table = new PacketTable(createColorizer(), keepTrees);
  table.reset(1);
  table.append(1, 0, unpackRecords(packRecords(records)));
  table.drain();
  return table;
}

describe('pcapng Custom Blocks in the packet list', () => {
  it('are rows of their own, numbered, named and sized as tshark shows them', () => {
    const table = load();
    expect(table.received).toBe(tsharkLines.length);
    const rows = table.rows(0, tsharkLines.length);
    const blocks = rows.filter((r) => r.protocol === 'PCAPNG');
    expect(blocks.map((r) => r.number)).toEqual([1, 7, 10]);
    for (const row of blocks) {
      const line = tsharkLines[row.number - 1];
      expect(line).toContain(` PCAPNG ${row.length} ${row.info}`);
      expect(row.source).toBe('');
    }
    // The packets after them keep tshark's numbers.
    expect(rows[1].number).toBe(2);
    expect(rows[1].info).toBe(
      'Boot Request from 00:0b:82:01:fc:42 (Grandstr_01:fc:42)[Packet size limited during capture]',
    );
  });

  it('shows the block tree, and re-dissection (fillers) gives the same trees', () => {
    const kept = load();
    const lean = load(2);
    const top = kept.detail(6)?.tree.map((i) => i.label);
    expect(top?.[0]).toBe(
      'PCAPNG Custom Block 7: 60 bytes (480 bits) of custom data and options, PEN Example Enterprise Number ' +
        'for Documentation Use (32473), copying not allowed',
    );
    expect(top?.[1]).toBe('Data (60 bytes)');
    // A block moves no packet clock: frame 11's delta is from frame 9, as in tshark 4.0.
    const frame11 = kept.detail(10)?.tree[0].children?.map((i) => i.label);
    expect(frame11).toContain('[Time delta from previous captured frame: 0.003000000 seconds]');
    for (const index of [0, 1, 6, 8, 10]) expect(lean.detail(index)?.tree).toEqual(kept.detail(index)?.tree);
    expect(kept.setFilter('frame.cb_pen == 36724').ok).toBe(true);
    kept.drain();
    expect(kept.displayedIndices()).toEqual([9]);
  });
});
