import { describe, expect, it } from 'vitest';
import { CLI_OPTIONS, parseArgs } from './args';
import { usageText } from './usage';

/** A value each option accepts, to parse it in both its forms. */
const SAMPLE: Record<string, string> = {
  'read-file': 'lab.pcapng',
  interface: 'lo',
  'display-filter': 'tcp.port == 8001',
  'export-objects': 'http,objects',
};

describe('CLI_OPTIONS: the one table of wirelab options', () => {
  it('documents every option it parses in wirelab -h, in each of its forms', () => {
    const usage = usageText();
    for (const option of CLI_OPTIONS) {
      if (option.short) expect(usage).toContain(`-${option.short}`);
      if (option.long) expect(usage).toContain(`--${option.long}`);
    }
  });

  it('parses the long form of an option as its short form', () => {
    for (const option of CLI_OPTIONS.filter((o) => o.short && o.long)) {
      const value = option.value ? [SAMPLE[option.long as string]] : [];
      const file = option.long === 'read-file' || option.long === 'interface' ? [] : ['-r', 'lab.pcapng'];
      expect(parseArgs([`--${option.long}`, ...value, ...file]), option.long).toEqual(
        parseArgs([`-${option.short}`, ...value, ...file]),
      );
    }
  });

  it('has no letter or long name twice', () => {
    const shorts = CLI_OPTIONS.flatMap((o) => (o.short ? [o.short] : []));
    const longs = CLI_OPTIONS.flatMap((o) => (o.long ? [o.long] : []));
    expect(new Set(shorts).size).toBe(shorts.length);
    expect(new Set(longs).size).toBe(longs.length);
  });
});
