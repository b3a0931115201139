/**
 * firstFieldNodes finds, in one walk, what findFieldNodes(nodes, abbrev)[0] finds for each
 * abbrev: checked on the whole trees of every test capture, for random lists of the fields they
 * hold (with repeats and fields they do not hold).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listCaptures } from '../../test/helpers/captures';
import { readCaptureFile } from '../pcap';
import { DissectionEngine } from './engine';
import { findFieldNodes, firstFieldNodes, walkTree, type ProtoNode } from './tree';

describe('firstFieldNodes', () => {
  const trees: ProtoNode[][] = [];
  const fields = new Set<string>(['not.a.field']);
  for (const capture of listCaptures()) {
    const { packets, info } = readCaptureFile(new Uint8Array(readFileSync(capture.path)));
    const engine = new DissectionEngine({ tree: true, interfaces: info.interfaces, format: info.format });
    for (const record of packets.slice(0, 40)) {
      const tree = engine.dissect(record).tree ?? [];
      trees.push(tree);
      walkTree(tree, (node) => void (node.field && fields.add(node.field.abbrev)));
    }
  }
  const names = [...fields];

  it('is the first node of each field, in tree order, as findFieldNodes gives it', () => {
    expect(trees.length).toBeGreaterThan(500);
    fc.assert(
      fc.property(
        fc.nat(trees.length - 1),
        fc.array(fc.constantFrom(...names), { minLength: 0, maxLength: 8 }),
        (which, abbrevs) => {
          const tree = trees[which];
          expect(firstFieldNodes(tree, abbrevs)).toEqual(abbrevs.map((a) => findFieldNodes(tree, a)[0]));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
