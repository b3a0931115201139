/**
 * `wirelab <subcommand> …`. Each subcommand is one entry here, implemented in its own
 * module: `lab` (serve + capture + explain, lab-command.ts) and `report` (lab report draft).
 */
import type { CliIo } from './read';
import { runLab } from './lab-command';
import { runReportCommand } from './report-command';

export type Subcommand = (args: readonly string[], io: CliIo) => Promise<number>;

export const subcommands: Record<string, Subcommand> = {
  lab: (args, io) => runLab(args, io),
  report: (args, io) => runReportCommand([...args], io),
};
