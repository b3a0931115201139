/**
 * The worker's statistics passes: each dialog gets a pass that computes what it reads, a pass of
 * every dialog serves the tables' dialogs too, and no caller is answered with less than it asked for.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../core/pcap';
import type { PacketRecord } from '../../core/pcap/types';
import { StatisticsPasses, type StatisticsSource } from './statistics-passes';
import type { StatisticsResult, StatisticsScope } from './statistics-types';
import { arraySource } from './record-source';

const FIXTURE = resolve(__dirname, '../../test/fixtures/captures/lab/lab-linux-ipv4.pcap');
const RECORDS = readCaptureFile(new Uint8Array(readFileSync(FIXTURE))).packets;

function setup() {
  const records: PacketRecord[] = RECORDS.slice(0, 10);
  const source: StatisticsSource = {
    generation: 1,
    get received() {
      return records.length;
    },
    receivedSource: () => arraySource(records.slice()),
  };
  const answers = new Map<number, StatisticsResult>();
  let pending = 0;
  const passes = new StatisticsPasses(source, {
    progress: () => {},
    reply: (id, result) => answers.set(id, result),
    fail: (id, error) => {
      throw new Error(`request ${id} failed: ${String(error)}`);
    },
    continueLater: () => void pending++,
  });
  let passesRun = 0;
  /** Runs the slices asked for until no pass is left; counts the passes that ended. */
  const run = () => {
    while (pending > 0) {
      pending--;
      const before = answers.size;
      passes.step(1_000);
      if (answers.size > before) passesRun++;
    }
  };
  const ask = (id: number, scope: StatisticsScope) => passes.request(id, scope);
  return { records, answers, ask, run, passes: () => passesRun };
}

describe('statistics passes', () => {
  it('gives the tables their own pass, and a pass of every dialog answers the tables afterwards', () => {
    const { answers, ask, run, passes } = setup();
    ask(1, 'tables');
    run();
    expect(answers.get(1)?.scope).toBe('tables');
    expect(answers.get(1)?.hierarchy).toEqual([]);
    ask(2, 'all');
    run();
    expect(answers.get(2)?.scope).toBe('all');
    expect(answers.get(2)?.hierarchy.length).toBeGreaterThan(0);
    // Switching back to Conversations: the kept pass of every dialog answers at once.
    ask(3, 'tables');
    expect(answers.get(3)).toBe(answers.get(2));
    ask(4, 'all');
    expect(answers.get(4)).toBe(answers.get(2));
    expect(passes()).toBe(2);
  });

  const narrowerAndWider: [StatisticsScope, StatisticsScope][] = [
    ['tables', 'all'],
    ['tables', 'protocols'],
    ['protocols', 'all'],
  ];
  for (const [narrow, wide] of narrowerAndWider)
    it(`answers a '${narrow}' caller waiting on a pass that a '${wide}' request widened, and joins a running '${wide}' pass`, () => {
      const { answers, ask, run, passes } = setup();
      ask(1, narrow);
      ask(2, wide);
      run();
      expect(answers.get(1)?.scope).toBe(wide);
      expect(answers.get(2)).toBe(answers.get(1));
      expect(passes()).toBe(1);
      // And a narrower request while a wider pass runs joins it.
      const second = setup();
      second.ask(1, wide);
      second.ask(2, narrow);
      second.run();
      expect(second.answers.get(2)).toBe(second.answers.get(1));
      expect(second.answers.get(2)?.scope).toBe(wide);
      expect(second.passes()).toBe(1);
    });

  it('counts again when packets came since, and still answers what the earlier callers asked for', () => {
    const { records, answers, ask, run } = setup();
    ask(1, 'all');
    records.push(...RECORDS.slice(10, 20));
    // A pass over 20 packets for a tables caller: it must still serve the first caller's hierarchy.
    ask(2, 'tables');
    run();
    expect(answers.get(1)?.packets).toBe(20);
    expect(answers.get(1)?.scope).toBe('all');
    expect(answers.get(2)).toBe(answers.get(1));
    ask(3, 'tables');
    expect(answers.get(3)).toBe(answers.get(1));
    records.push(...RECORDS.slice(20, 21));
    ask(4, 'tables');
    run();
    expect(answers.get(4)?.packets).toBe(21);
    expect(answers.get(4)?.scope).toBe('tables');
  });
});

describe('statistics passes of three scopes', () => {
  it('gives Protocol Hierarchy and Expert Information a pass that answers the tables, and widens it for Export Objects', () => {
    const { answers, ask, run, passes } = setup();
    ask(1, 'protocols');
    ask(2, 'tables');
    run();
    expect(answers.get(1)?.scope).toBe('protocols');
    expect(answers.get(1)?.hierarchy.length).toBeGreaterThan(0);
    expect(answers.get(1)?.expert.length).toBeGreaterThan(0);
    expect(answers.get(1)?.httpObjects).toEqual([]);
    expect(answers.get(2)).toBe(answers.get(1));
    expect(passes()).toBe(1);
    // Export Objects needs whole trees (the HTTP bodies): a pass of every dialog, which answers all three after.
    ask(3, 'all');
    run();
    expect(answers.get(3)?.scope).toBe('all');
    ask(4, 'protocols');
    expect(answers.get(4)).toBe(answers.get(3));
    expect(passes()).toBe(2);
  });
});
