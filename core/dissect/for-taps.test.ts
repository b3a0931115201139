/**
 * An engine whose trees only taps read (EngineOptions.forTaps: the statistics dialogs, `-z`)
 * formats no label, and must give taps all they read as the ordinary whole tree does: every item
 * with the same field, value, bytes and place, every text-only item's text, the same expert list
 * and the same columns — over every capture of the test set.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listCaptures } from '../../test/helpers/captures';
import { readCaptureFile } from '../pcap';
import { DissectionEngine } from './engine';
import type { ProtoNode } from './tree';
import { valuesView } from '../../test/helpers/tree-view';

describe('an engine for taps', () => {
  const captures = listCaptures();
  it('covers the test set', () => expect(captures.length).toBeGreaterThan(20));

  for (const capture of captures) {
    it(`gives taps what the whole tree gives them, without labels: ${capture.id}`, () => {
      const { packets: records, info } = readCaptureFile(new Uint8Array(readFileSync(capture.path)));
      const options = { tree: true, interfaces: info.interfaces, format: info.format } as const;
      const whole = new DissectionEngine(options);
      const forTaps = new DissectionEngine({ ...options, forTaps: true });
      let labelled = 0;
      let unlabelled = 0;
      for (const record of records) {
        const a = whole.dissect(record);
        const b = forTaps.dissect(record);
        expect(valuesView(b.tree)).toEqual(valuesView(a.tree));
        expect(b.expert).toEqual(a.expert);
        expect([b.columns.protocol, b.columns.info, b.malformed]).toEqual([
          a.columns.protocol,
          a.columns.info,
          a.malformed,
        ]);
        // Labels the whole tree formatted and the taps' tree did not.
        const count = (nodes: readonly ProtoNode[] | null, tally: (node: ProtoNode) => void) => {
          for (const node of nodes ?? []) {
            tally(node);
            count(node.children ?? null, tally);
          }
        };
        count(a.tree, (node) => void (node.field && node.text !== undefined && labelled++));
        count(b.tree, (node) => void (node.field && node.text !== undefined && unlabelled++));
      }
      if (labelled > 0) expect(unlabelled).toBeLessThan(labelled);
    });
  }
});
