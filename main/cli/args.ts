/**
 * tshark-style option parsing for `wirelab` (getopt rules: `-c 10` or `-c10`, flags grouped
 * as `-Vx`, long options `--read-file F` or `--read-file=F`). Parsing only: no I/O here.
 */
import type { Occurrence } from '../../core/dissect/extract';
import { TSHARK_TIME_FLAGS, type TimeFormat } from '../../core/dissect/time-format';
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
  /** -t: the Time column's format (tshark's default, r: seconds since the first packet). */
  timeFormat: TimeFormat;
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

const T_FORMATS: Record<string, OutputFormat> = { text: 'text', fields: 'fields', json: 'json' };

function parseCount(text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`The specified packet count "${text}" isn't a decimal number`);
  const n = Number(text);
  if (n === 0) throw new UsageError('The specified packet count is zero');
  return n;
}

/** tshark's -t letters and what each means, as its error lists them (those wirelab prints). */
const TIME_FLAG_NAMES: Readonly<Record<TimeFormat, string>> = {
  time_of_day: 'absolute',
  date_time: 'absolute with YYYY-MM-DD date',
  delta: 'delta',
  delta_displayed: 'delta displayed',
  epoch: 'epoch',
  relative: 'relative',
  utc_time_of_day: 'absolute UTC',
  utc_date_time: 'absolute UTC with YYYY-MM-DD date',
};

function parseTimeFormat(value: string): TimeFormat {
  const formats = Object.keys(TIME_FLAG_NAMES) as TimeFormat[];
  const format = formats.find((f) => TSHARK_TIME_FLAGS[f] === value);
  if (format) return format;
  const list = formats.map((f) => `\t${`"${TSHARK_TIME_FLAGS[f]}"`.padEnd(6)} for ${TIME_FLAG_NAMES[f]}`);
  // (tshark also takes adoy and udoy, a date as year and day of the year: not these.)
  throw new UsageError(`Invalid time stamp type "${value}"; it must be one of:\n${list.join('\n')}`);
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

/** What the options set while argv is parsed; parseArgs turns it into a Command. */
interface ParseState {
  opts: ReadOptions;
  help: boolean;
  version: boolean;
  listInterfaces: boolean;
  device: string | null;
  captureFilter: string | null;
  sawFileOption: boolean;
}

/** The sections of `wirelab -h`, in print order. */
export const OPTION_SECTIONS = ['Input file', 'Capture interface', 'Processing', 'Output', 'Miscellaneous'] as const;

/**
 * One option of `wirelab`: how it is written, what it does to the parse, and its `-h` text. The one
 * table both parseArgs and usageText (usage.ts) read, so an option cannot be parsed without being
 * documented, or documented without being parsed.
 */
export interface CliOption {
  /** One letter: `-r`. */
  short?: string;
  /** Without the dashes: `read-file`. */
  long?: string;
  /** The value's name in the help (`<infile>`); set when the option takes a value. */
  value?: string;
  section: (typeof OPTION_SECTIONS)[number];
  /**
   * The help: its text (lines after the first are indented under it), or rows of [left column, text]
   * when the option is shown in several forms (`-z lab`, `-z <statistics>`).
   */
  help: string | readonly (readonly [left: string, text: string])[];
  /** Lines printed as they are after the help (the list of -E options, of -z statistics). */
  more?: string;
  apply(state: ParseState, value: string): void;
}

export const CLI_OPTIONS: readonly CliOption[] = [
  {
    short: 'r',
    long: 'read-file',
    value: '<infile>',
    section: 'Input file',
    help: "set the filename to read from (or '-' for stdin)",
    apply: (state, value) => {
      state.opts.file = value;
      state.sawFileOption = true;
    },
  },
  {
    short: 'i',
    long: 'interface',
    value: '<interface>',
    section: 'Capture interface',
    help: 'name of interface to capture on (live capture)',
    apply: (state, value) => void (state.device = value),
  },
  {
    short: 'f',
    value: '<capture filter>',
    section: 'Capture interface',
    help: 'packet filter in libpcap filter syntax',
    apply: (state, value) => void (state.captureFilter = value),
  },
  {
    short: 'D',
    long: 'list-interfaces',
    section: 'Capture interface',
    help: 'print list of interfaces and exit',
    apply: (state) => void (state.listInterfaces = true),
  },
  {
    short: 'c',
    value: '<packet count>',
    section: 'Processing',
    help: 'stop after n packets (def: infinite)',
    apply: (state, value) => void (state.opts.count = parseCount(value)),
  },
  {
    short: 'Y',
    long: 'display-filter',
    value: '<display filter>',
    section: 'Processing',
    help: 'packet displaY filter in Wireshark display filter\nsyntax',
    apply: (state, value) => void (state.opts.displayFilter = value),
  },
  {
    short: 'n',
    section: 'Processing',
    help: 'disable all name resolutions (always the case)',
    apply: () => undefined, // name resolution is always off for networks and ports, as tshark's defaults
  },
  {
    short: 'z',
    value: '<statistics>',
    section: 'Processing',
    help: [
      ['-z lab', 'after the packets, print the lab analysis: steps,\nhandshake and teardown frames, TCP states'],
      [
        '-z <statistics>',
        'after the packets, print statistics as tshark does\n' +
          '(computed over every packet read, whatever -Y shows;\n' +
          'several -z print in reverse order, as tshark):',
      ],
    ],
    more: [
      '     conv,eth|ip|ipv6|tcp|udp[,filter]       conversations',
      '     endpoints,eth|ip|ipv6|tcp|udp[,filter]  endpoints',
      '     io,phs[,filter]                         protocol hierarchy',
      '     expert[,error|warn|note|chat|comment][,filter]  expert information',
      "     follow,tcp,ascii|hex|raw,N              TCP stream N's data (tcp.stream)",
      '     io,stat,INTERVAL                        frames and bytes per INTERVAL seconds',
      '                                             (0: the whole capture)',
    ].join('\n'),
    apply: (state, value) => {
      let known = (STATS as readonly string[]).includes(value);
      try {
        known ||= parseStatSpec(value) !== null;
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      if (!known) {
        throw new UsageError(`Invalid -z argument "${value}"; wirelab knows: ${[...STATS, ...STAT_SYNTAX].join(', ')}`);
      }
      state.opts.stats.push(value);
    },
  },
  {
    long: 'export-objects',
    value: 'http,<destdir>',
    section: 'Output',
    help: 'save the HTTP objects (bodies) into destdir, named as\ntshark names them',
    apply: (state, value) => {
      const comma = value.indexOf(',');
      if (comma <= 0 || comma === value.length - 1) {
        throw new UsageError('"--export-objects" are specified as: <protocol>,<destdir>');
      }
      const protocol = value.slice(0, comma);
      if (protocol !== 'http') {
        throw new UsageError(`"${protocol}" is not a valid export object protocol; wirelab knows: http`);
      }
      state.opts.exportObjects = { protocol, dir: value.slice(comma + 1) };
    },
  },
  {
    short: 'w',
    value: '<outfile|->',
    section: 'Output',
    help: 'write packets to a pcapng-format file named "outfile"\n(or \'-\' for stdout)',
    apply: (state, value) => void (state.opts.write = value),
  },
  {
    short: 'P',
    long: 'print',
    section: 'Output',
    help: 'print packet summary even when writing to a file',
    apply: (state) => void (state.opts.printWithWrite = true),
  },
  {
    short: 't',
    value: 'a|ad|d|dd|e|r|u|ud',
    section: 'Output',
    help: 'output format of time stamps (def: r: rel. to first)',
    apply: (state, value) => void (state.opts.timeFormat = parseTimeFormat(value)),
  },
  {
    short: 'V',
    section: 'Output',
    help: 'add output of packet tree        (Packet Details)',
    apply: (state) => void (state.opts.verbose = true),
  },
  {
    short: 'x',
    section: 'Output',
    help: 'add output of hex and ASCII dump (Packet Bytes)',
    apply: (state) => void (state.opts.hex = true),
  },
  {
    short: 'T',
    value: 'text|fields|json',
    section: 'Output',
    help: 'format of text output (def: text)',
    apply: (state, value) => {
      const format = T_FORMATS[value];
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
      state.opts.format = format;
    },
  },
  {
    short: 'e',
    value: '<field>',
    section: 'Output',
    help:
      'field to print if -Tfields selected (e.g. tcp.port,\n_ws.col.Info)\n' +
      'this option can be repeated to print multiple fields',
    apply: (state, value) => void state.opts.fields.push(value),
  },
  {
    short: 'E',
    value: '<fieldsoption>=<value>',
    section: 'Output',
    help: [['-E<fieldsoption>=<value>', 'set options for output when -Tfields selected:']],
    more: [
      '     bom=y|n               print a UTF-8 BOM',
      '     header=y|n            switch headers on and off',
      '     separator=/t|/s|<char> select tab, space, printable character as separator',
      '     occurrence=f|l|a      print first, last or all occurrences of each field',
      '     aggregator=,|/s|<char> select comma, space, printable character as',
      '                           aggregator',
      '     quote=d|s|n           select double, single, no quotes for values',
    ].join('\n'),
    apply: (state, value) => applyFieldOption(state.opts.fieldsOptions, value),
  },
  {
    short: 'l',
    section: 'Output',
    help: 'flush standard output after each packet',
    apply: (state) => void (state.opts.lineBuffered = true),
  },
  {
    short: 'q',
    section: 'Output',
    help: 'be more quiet on stdout',
    apply: (state) => void (state.opts.quiet = true),
  },
  {
    long: 'no-duplicate-keys',
    section: 'Output',
    help:
      'If -T json is specified, merge duplicate keys in an object\n' +
      'into a single key with as value a json array containing all\nvalues',
    apply: (state) => void (state.opts.noDuplicateKeys = true),
  },
  {
    short: 'h',
    long: 'help',
    section: 'Miscellaneous',
    help: 'display this help and exit',
    apply: (state) => void (state.help = true),
  },
  {
    short: 'v',
    long: 'version',
    section: 'Miscellaneous',
    help: 'display version info and exit',
    apply: (state) => void (state.version = true),
  },
];

const BY_SHORT = new Map(CLI_OPTIONS.filter((o) => o.short).map((o) => [o.short as string, o]));
const BY_LONG = new Map(CLI_OPTIONS.filter((o) => o.long).map((o) => [o.long as string, o]));

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
    timeFormat: 'relative',
  };
  const state: ParseState = {
    opts,
    help: false,
    version: false,
    listInterfaces: false,
    device: null,
    captureFilter: null,
    sawFileOption: false,
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
      const option = BY_LONG.get(name);
      if (!option) throw new UsageError(`unrecognized option: ${name}`, 1, true);
      let value = '';
      if (option.value) {
        if (eq >= 0) value = arg.slice(eq + 1);
        else if (i + 1 < argv.length) value = argv[++i];
        else throw new UsageError(`option requires an argument -- '${name}'`, 1, true);
      } else if (eq >= 0) {
        throw new UsageError(`option '--${name}' doesn't allow an argument`, 1, true);
      }
      option.apply(state, value);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j];
        const option = BY_SHORT.get(c);
        if (!option) throw new UsageError(`invalid option -- '${c}'`, 1, true);
        if (option.value) {
          let value = arg.slice(j + 1);
          if (value === '') {
            if (i + 1 >= argv.length) throw new UsageError(`option requires an argument -- '${c}'`, 1, true);
            value = argv[++i];
          }
          option.apply(state, value);
          break;
        }
        option.apply(state, '');
      }
      continue;
    }
    // tshark takes a trailing capture/display filter expression; wirelab only reads files.
    throw new UsageError(`unexpected argument "${arg}" (use -Y for a display filter)`, 1, true);
  }

  const { help, version, listInterfaces, device, captureFilter, sawFileOption } = state;
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
