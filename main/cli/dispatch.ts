/**
 * Argument dispatch for `wirelab`: reading a capture file (tshark's flags) lives in
 * read.ts, subcommands (`wirelab lab …`, `wirelab report …`) in subcommands.ts.
 */
import { parseArgs, UsageError, type Command } from './args';
import { runRead, type CliIo } from './read';
import { subcommands } from './subcommands';
import { usageText, versionText } from './usage';
import { runListInterfaces, runLiveCapture } from './live-capture';
import { loopbackDevice } from '../capture';

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let command: Command;
  try {
    command = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`wirelab: ${e.message}\n`);
    if (e.hint) io.stderr.write('Use "wirelab -h" for a list of options.\n');
    return e.exitCode;
  }
  switch (command.mode) {
    case 'help':
      io.stdout.write(usageText() + '\n');
      return 0;
    case 'version':
      io.stdout.write(versionText() + '\n');
      return 0;
    case 'interfaces':
      return runListInterfaces(io);
    case 'live':
      return runLiveCapture({ ...command, device: command.device ?? loopbackDevice() }, io);
    case 'subcommand':
      return subcommands[command.name](command.args, io);
    case 'read':
      return runRead(command, io);
  }
}
