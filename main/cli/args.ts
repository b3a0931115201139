/**
 * tshark-style option parsing for `wirelab` (getopt rules: `-c 10` or `-c10`, flags grouped
 * as `-Vx`, long options `--read-file F` or `--read-file=F`). Parsing only: no I/O here.
 */
import type { Occurrence } from '../../core/dissect/extract';
import { parseStatSpec, STAT_SYNTAX } from '../../core/stats';

export type OutputFormat = 'text' | 'fields' | 'json';

export interface FieldsOptions {
  header: boolean;
  separator: string;
  occurrence: Occurrence;
  aggregator: string;
  /** Quote character around each value, or '' for none. */
  quote: string;
  bom: boolean;
}

export interface ReadOptions {
  mode: 'read';
  file: string;
  count: number | null;
  displayFilter: string | null;
  format: OutputFormat;
  fields: string[];
  fieldsOptions: FieldsOptions;
  verbose: boolean;
  hex: boolean;
  write: string | null;
  quiet: boolean;
  /** -P: print the summary even when writing a file. */
  printWithWrite: boolean;
  /** -l: flush after every packet. */
  lineBuffered: boolean;
  /** --no-duplicate-keys: merge repeated JSON keys into arrays. */
  noDuplicateKeys: boolean;
  /** -z statistics printed after the packets (`lab`: the lab analysis). */
  stats: string[];
  /** --export-objects http,DIR: the HTTP objects written into DIR. */
  exportObjects: { protocol: 'http'; dir: string } | null;
}

/** -i IFACE [-f BPF]: live capture. */
export interface LiveOptions {
  mode: 'live';
  device: string | null;
  filter: string;
  count: number | null;
  write: string | null;
  quiet: boolean;
}

/** The -z statistics wirelab knows. */
export const STATS = ['lab'] as const;

export type Command =
  | ReadOptions
  | { mode: 'help' }
  | { mode: 'version' }
  | { mode: 'interfaces' }
  | LiveOptions
  | { mode: 'subcommand'; name: string; args: string[] };

/** A usage error: message for stderr and tshark's exit status. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    /** Append "use -h" hint. */
    readonly hint = false,
  ) {
    super(message);
  }
}

/** Subcommands (`wirelab lab …`, `wirelab report …`): the first argument, when it is one of these. */
export const SUBCOMMANDS = ['lab', 'report'] as const;

/** Short options that take a value. */
const WITH_VALUE = new Set(['r', 'c', 'Y', 'T', 'e', 'E', 'w', 'i', 'f', 'z']);
/** Short options without a value. */
const FLAGS = new Set(['V', 'x', 'q', 'h', 'v', 'D', 'P', 'l', 'n']);

const LONG: Record<string, { short: string; value: boolean }> = {
  'read-file': { short: 'r', value: true },
  'display-filter': { short: 'Y', value: true },
  interface: { short: 'i', value: true },
  'list-interfaces': { short: 'D', value: false },
  help: { short: 'h', value: false },
  version: { short: 'v', value: false },
  print: { short: 'P', value: false },
  'no-duplicate-keys': { short: '--no-duplicate-keys', value: false },
  'export-objects': { short: '--export-objects', value: true },
};

const T_FORMATS: Record<string, OutputFormat> = { text: 'text', fields: 'fields', json: 'json' };

function parseCount(text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`The specified packet count "${text}" isn't a decimal number`);
  const n = Number(text);
  if (n === 0) throw new UsageError('The specified packet count is zero');
  return n;
}

function charOption(value: string, what: string): string {
  if (value === '/t') return '\t';
  if (value === '/s') return ' ';
  if (value.length === 0) throw new UsageError(`"${what}=" needs a character.`);
  return value;
}

const E_HELP = [
  'The available options for field output "E" are:',
  'bom=y|n    Prepend output with the UTF-8 BOM (def: N: no)',
  'header=y|n    Print field abbreviations as first line of output (def: N: no)',
  'separator=/t|/s|<character>   Set the separator to use;',
  '     "/t" = tab, "/s" = space (def: /t: tab)',
  'occurrence=f|l|a    Print first, last or all occurrences of each field (def: a: all)',
  'aggregator=,|/s|<character>   Set the aggregator to use;',
  '     "," = comma, "/s" = space (def: ,: comma)',
  'quote=d|s|n   Print either d: double-quotes, s: single quotes or n: no quotes around field values (def: n: none)',
].join('\n');

function applyFieldOption(opts: FieldsOptions, pair: string): void {
  const eq = pair.indexOf('=');
  const bad = () => new UsageError(`"${pair}" is not a valid field output option=value pair.\n${E_HELP}`);
  if (eq < 0) throw bad();
  const key = pair.slice(0, eq);
  const value = pair.slice(eq + 1);
  const yesNo = (): boolean => {
    if (/^[yY]/.test(value)) return true;
    if (/^[nN]/.test(value)) return false;
    throw bad();
  };
  switch (key) {
    case 'header':
      opts.header = yesNo();
      return;
    case 'bom':
      opts.bom = yesNo();
      return;
    case 'separator':
      opts.separator = charOption(value, key);
      return;
    case 'aggregator':
      opts.aggregator = charOption(value, key);
      return;
    case 'occurrence':
      if (value === 'f') opts.occurrence = 'first';
      else if (value === 'l') opts.occurrence = 'last';
      else if (value === 'a') opts.occurrence = 'all';
      else throw bad();
      return;
    case 'quote':
      if (value === 'd') opts.quote = '"';
      else if (value === 's') opts.quote = "'";
      else if (value === 'n') opts.quote = '';
      else throw bad();
      return;
    default:
      throw bad();
  }
}

/** Parses argv (without node and script). Throws UsageError for anything tshark would refuse. */
export function parseArgs(argv: readonly string[]): Command {
  if (argv.length > 0 && (SUBCOMMANDS as readonly string[]).includes(argv[0])) {
    return { mode: 'subcommand', name: argv[0], args: argv.slice(1) };
  }
  const opts: ReadOptions = {
    mode: 'read',
    file: '',
    count: null,
    displayFilter: null,
    format: 'text',
    fields: [],
    fieldsOptions: { header: false, separator: '\t', occurrence: 'all', aggregator: ',', quote: '', bom: false },
    verbose: false,
    hex: false,
    write: null,
    quiet: false,
    printWithWrite: false,
    lineBuffered: false,
    noDuplicateKeys: false,
    stats: [],
    exportObjects: null,
  };
  let help = false;
  let version = false;
  let listInterfaces = false;
  let device: string | null = null;
  let captureFilter: string | null = null;
  let sawFileOption = false;

  const apply = (opt: string, value: string | undefined): void => {
    switch (opt) {
      case 'r':
        opts.file = value as string;
        sawFileOption = true;
        break;
      case 'c':
        opts.count = parseCount(value as string);
        break;
      case 'Y':
        opts.displayFilter = value as string;
        break;
      case 'T': {
        const format = T_FORMATS[value as string];
        if (!format) {
          throw new UsageError(
            `Invalid -T parameter "${value}"; it must be one of:\n` +
              '\t"fields"  The values of fields specified with the -e option, in a form\n' +
              '\t          specified by the -E option.\n' +
              '\t"json"    Packet Summary, an JSON-based format for the details\n' +
              '\t          summary information of a decoded packet.\n' +
              '\t"text"    The text format of the packet details (the default).',
          );
        }
        opts.format = format;
        break;
      }
      case 'e':
        opts.fields.push(value as string);
        break;
      case 'E':
        applyFieldOption(opts.fieldsOptions, value as string);
        break;
      case 'w':
        opts.write = value as string;
        break;
      case 'V':
        opts.verbose = true;
        break;
      case 'x':
        opts.hex = true;
        break;
      case 'q':
        opts.quiet = true;
        break;
      case 'P':
        opts.printWithWrite = true;
        break;
      case 'l':
        opts.lineBuffered = true;
        break;
      case 'n':
        break; // name resolution is always off for networks and ports, as tshark's defaults
      case 'h':
        help = true;
        break;
      case 'v':
        version = true;
        break;
      case 'D':
        listInterfaces = true;
        break;
      case 'i':
        device = value as string;
        break;
      case 'f':
        captureFilter = value as string;
        break;
      case 'z': {
        let known = (STATS as readonly string[]).includes(value as string);
        try {
          known ||= parseStatSpec(value as string) !== null;
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        if (!known) {
          throw new UsageError(
            `Invalid -z argument "${value}"; wirelab knows: ${[...STATS, ...STAT_SYNTAX].join(', ')}`,
          );
        }
        opts.stats.push(value as string);
        break;
      }
      case '--no-duplicate-keys':
        opts.noDuplicateKeys = true;
        break;
      case '--export-objects': {
        const comma = (value as string).indexOf(',');
        if (comma <= 0 || comma === (value as string).length - 1) {
          throw new UsageError('"--export-objects" are specified as: <protocol>,<destdir>');
        }
        const protocol = (value as string).slice(0, comma);
        if (protocol !== 'http') {
          throw new UsageError(`"${protocol}" is not a valid export object protocol; wirelab knows: http`);
        }
        opts.exportObjects = { protocol, dir: (value as string).slice(comma + 1) };
        break;
      }
      default:
        throw new UsageError(`invalid option -- '${opt}'`, 1, true);
    }
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      if (i + 1 < argv.length) throw new UsageError(`unexpected argument "${argv[i + 1]}"`, 1, true);
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const spec = LONG[name];
      if (!spec) throw new UsageError(`unrecognized option: ${name}`, 1, true);
      let value: string | undefined;
      if (spec.value) {
        if (eq >= 0) value = arg.slice(eq + 1);
        else if (i + 1 < argv.length) value = argv[++i];
        else throw new UsageError(`option requires an argument -- '${name}'`, 1, true);
      } else if (eq >= 0) {
        throw new UsageError(`option '--${name}' doesn't allow an argument`, 1, true);
      }
      apply(spec.short, value);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j];
        if (WITH_VALUE.has(c)) {
          let value = arg.slice(j + 1);
          if (value === '') {
            if (i + 1 >= argv.length) throw new UsageError(`option requires an argument -- '${c}'`, 1, true);
            value = argv[++i];
          }
          apply(c, value);
          break;
        }
        if (!FLAGS.has(c)) throw new UsageError(`invalid option -- '${c}'`, 1, true);
        apply(c, undefined);
      }
      continue;
    }
    // tshark takes a trailing capture/display filter expression; wirelab only reads files.
    throw new UsageError(`unexpected argument "${arg}" (use -Y for a display filter)`, 1, true);
  }

  if (help) return { mode: 'help' };
  if (version) return { mode: 'version' };
  if (listInterfaces) return { mode: 'interfaces' };
  if (device !== null || captureFilter !== null) {
    if (sawFileOption) throw new UsageError('Give either -r FILE or -i INTERFACE, not both', 1, true);
    return {
      mode: 'live',
      device,
      filter: captureFilter ?? '',
      count: opts.count,
      write: opts.write,
      quiet: opts.quiet,
    };
  }
  if (!sawFileOption || opts.file === '') {
    throw new UsageError('no capture file given: use -r FILE, or -i INTERFACE to capture live', 1, true);
  }
  if (opts.format === 'fields' && opts.fields.length === 0) {
    throw new UsageError('"-Tfields" was specified, but no fields were specified with "-e".');
  }
  if (opts.fields.length > 0 && opts.format !== 'fields') {
    throw new UsageError('Output fields were specified with "-e", but "-Tfields" was not specified.');
  }
  if (opts.hex && opts.format === 'fields') {
    throw new UsageError('Raw packet hex data can only be printed as text or JSON');
  }
  if (opts.hex && opts.format === 'json') {
    throw new UsageError('-x with -T json is not supported yet');
  }
  return opts;
}
