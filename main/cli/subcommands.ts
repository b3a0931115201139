/**
 * `wirelab <subcommand> …`. Each subcommand is one entry here, implemented in its own
 * module; `lab` (serve + capture + explain) and `report` (lab report draft) come next.
 */
import type { CliIo } from './read';

export type Subcommand = (args: readonly string[], io: CliIo) => Promise<number>;

const notImplementedYet =
  (name: string): Subcommand =>
  async (_args, io) => {
    io.stderr.write(`wirelab ${name}: not implemented yet\n`);
    return 1;
  };

export const subcommands: Record<string, Subcommand> = {
  lab: notImplementedYet('lab'),
  report: notImplementedYet('report'),
};
