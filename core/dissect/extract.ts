/**
 * Values as tshark prints them: the summary columns (No., Time, Source, Destination,
 * Protocol, Length, Info), the one-line summary layout of `tshark -r F`, and field values
 * for `-T fields -e …` (one walk of the tree per packet, occurrences aggregated).
 *
 * The CLI and the parity tests both use this module, so what the tests compare against
 * tshark is exactly what `wirelab` prints.
 */
import { PCAPNG_BLOCK_LINK_TYPE, type CaptureInterface, type PacketRecord } from '../pcap/types';
import type { DissectedPacket } from './context';
import { lookupField, type FieldDef } from './fields';
import { registerAllProtocols } from './protocols';
import { formatFieldValue, isMissingBytes, type ProtoNode } from './tree';
import { formatArrivalTime } from './arrival-time';
import { escapeControlText } from './format';
import { formatSignedTime, formatTimeColumn, type TimeFormat, type TimeStamp } from './time-format';

/** The default columns, by their `_ws.col.<title>` names. */
export const COLUMN_TITLES = ['No.', 'Time', 'Source', 'Destination', 'Protocol', 'Length', 'Info'] as const;
export type ColumnTitle = (typeof COLUMN_TITLES)[number];

export interface SummaryColumns {
  number: string;
  time: string;
  source: string;
  destination: string;
  protocol: string;
  length: string;
  info: string;
}

const COLUMN_KEYS: Record<ColumnTitle, keyof SummaryColumns> = {
  'No.': 'number',
  Time: 'time',
  Source: 'source',
  Destination: 'destination',
  Protocol: 'protocol',
  Length: 'length',
  Info: 'info',
};

/**
 * Digits after the decimal point of the Time column for a packet, as Wireshark's automatic
 * precision: the precision of the file (pcap µs / ns, pcapng if_tsresol), bucketed to
 * s, ds, cs, ms, µs or ns.
 */
export function timePrecisionDigits(iface: CaptureInterface | undefined): number {
  const units = iface?.tsUnitsPerSecond ?? 1e6;
  if (!(units > 1)) return 0;
  const digits = Math.ceil(Math.log10(units) - 1e-9);
  if (digits <= 3) return digits;
  if (digits <= 6) return 6;
  return 9;
}

/**
 * Produces the summary columns of successive packets of one capture. It remembers the first
 * packet's time (the reference of the relative Time column), and for the other formats of
 * tshark's -t the packets read and shown before, so use one per capture and feed it every
 * packet read, displayed or not, in order; a packet's columns are asked for when it is shown.
 */
export class ColumnFormatter {
  private firstSec = 0;
  private firstNsec = 0;
  private haveFirst = false;
  /** Time column digits per interface id (known once the interface has been read). */
  private readonly digits: number[] = [];
  // For -t d and dd: the packet observed last and the one before it; the packet shown last
  // and the one shown before it (a packet's columns may be asked for more than once).
  private current: PacketRecord | null = null;
  private beforeCurrent: TimeStamp | null = null;
  private shown: PacketRecord | null = null;
  private beforeShown: TimeStamp | null = null;

  /** `interfaces` is read on each call (a pcapng file can add interfaces as it goes). */
  constructor(
    private readonly interfaces: () => readonly CaptureInterface[] | undefined = () => undefined,
    /** The Time column's format (tshark -t; default r, seconds since the first packet). */
    readonly timeFormat: TimeFormat = 'relative',
  ) {}

  /** Must be called for every packet read, in order (also for packets a filter hides). */
  observe(record: PacketRecord): void {
    // (Only for the formats that read it: the default's hot path makes no object per packet.)
    if (this.timeFormat !== 'relative' && record !== this.current) {
      this.beforeCurrent = nextBase(this.current, this.beforeCurrent);
      this.current = record;
    }
    if (this.haveFirst) return;
    this.haveFirst = true;
    this.firstSec = record.tsSec;
    this.firstNsec = record.tsNsec;
  }

  timeText(record: PacketRecord): string {
    if (this.timeFormat !== 'relative' && record !== this.shown) {
      this.beforeShown = nextBase(this.shown, this.beforeShown);
      this.shown = record;
    }
    if (record.noTimestamp) return '';
    const digits = this.timeDigits(record);
    if (this.timeFormat === 'relative')
      return formatSignedTime(record.tsSec - this.firstSec, record.tsNsec - this.firstNsec, digits);
    return formatTimeColumn(stampOf(record), {
      format: this.timeFormat,
      digits,
      first: { sec: this.firstSec, nsec: this.firstNsec },
      previousCaptured: record === this.current ? this.beforeCurrent : null,
      previousDisplayed: this.beforeShown,
      reference: null,
      isReference: false,
    });
  }

  /** Digits after the point in the packet's Time column; also takes the packet as the first if none was. */
  timeDigits(record: PacketRecord): number {
    this.observe(record);
    let digits = this.digits[record.interfaceId];
    if (digits === undefined) {
      const iface = this.interfaces()?.[record.interfaceId];
      digits = timePrecisionDigits(iface);
      if (iface) this.digits[record.interfaceId] = digits;
    }
    return digits;
  }

  /** The first packet's time (seconds, nanoseconds): the reference of the Time column. */
  get referenceSec(): number {
    return this.firstSec;
  }

  get referenceNsec(): number {
    return this.firstNsec;
  }

  columns(packet: DissectedPacket): SummaryColumns {
    const record = packet.record;
    return {
      number: String(packet.number),
      time: this.timeText(record),
      source: packet.columns.source,
      destination: packet.columns.destination,
      protocol: packet.columns.protocol,
      length: String(record.originalLength),
      info: packet.columns.info,
    };
  }

  /** formatSummaryLine(this.columns(packet)), without the intermediate object. */
  summaryLine(packet: DissectedPacket): string {
    const c = packet.columns;
    return (
      String(packet.number).padStart(5, ' ') +
      ' ' +
      this.timeText(packet.record).padStart(10, ' ') +
      ' ' +
      padAddress(c.source, true) +
      ' \u2192 ' +
      padAddress(c.destination, false) +
      ' ' +
      c.protocol +
      ' ' +
      packet.record.originalLength +
      ' ' +
      c.info
    );
  }

  column(packet: DissectedPacket, title: ColumnTitle): string {
    const key = COLUMN_KEYS[title];
    switch (key) {
      case 'number':
        return String(packet.number);
      case 'time':
        return this.timeText(packet.record);
      case 'length':
        return String(packet.record.originalLength);
      default:
        return packet.columns[key];
    }
  }
}

function stampOf(record: PacketRecord): TimeStamp {
  return { sec: record.tsSec, nsec: record.tsNsec };
}

/**
 * The base of a delta after `last` (the packet read or shown last; `base`, the one before it):
 * `last`, unless it is a pcapng block shown as a frame and not the first (as the engine's
 * frame.time_delta). A packet without a time (a Simple Packet Block) counts as time 0, as tshark's.
 */
function nextBase(last: PacketRecord | null, base: TimeStamp | null): TimeStamp | null {
  if (last === null || (last.linkType === PCAPNG_BLOCK_LINK_TYPE && base !== null)) return base;
  return stampOf(last);
}

/**
 * tshark's one-line summary (print_columns in tshark.c): No. right-aligned to 5, Time
 * right-aligned to 10, Source right-aligned to 12, " → ", Destination left-aligned to 12,
 * then Protocol, Length and Info separated by single spaces; wider values are not cut.
 */
// Padded address columns: a capture shows a few addresses on every line.
const paddedSources = new Map<string, string>();
const paddedDestinations = new Map<string, string>();

function padAddress(address: string, source: boolean): string {
  const cache = source ? paddedSources : paddedDestinations;
  let padded = cache.get(address);
  if (padded === undefined) {
    if (cache.size >= 4096) cache.clear();
    padded = source ? address.padStart(12, ' ') : address.padEnd(12, ' ');
    cache.set(address, padded);
  }
  return padded;
}

export function formatSummaryLine(c: SummaryColumns): string {
  return (
    c.number.padStart(5, ' ') +
    ' ' +
    c.time.padStart(10, ' ') +
    ' ' +
    c.source.padStart(12, ' ') +
    ' \u2192 ' +
    c.destination.padEnd(12, ' ') +
    ' ' +
    c.protocol +
    ' ' +
    c.length +
    ' ' +
    c.info
  );
}

// ---------------------------------------------------------------------------------------
// -T fields

export type Occurrence = 'first' | 'last' | 'all';

export interface FieldOutputOptions {
  occurrence: Occurrence;
  /** Joins several occurrences of one field (tshark default ","). */
  aggregator: string;
}

const COLUMN_PREFIX = '_ws.col.';

function columnTitleOf(name: string): ColumnTitle | null {
  if (!name.startsWith(COLUMN_PREFIX)) return null;
  const title = name.slice(COLUMN_PREFIX.length);
  return (COLUMN_TITLES as readonly string[]).includes(title) ? (title as ColumnTitle) : null;
}

/** True when `-e name` is something tshark would accept: a registered field or a column. */
export function isKnownField(name: string): boolean {
  registerAllProtocols();
  return columnTitleOf(name) !== null || lookupField(name) !== undefined;
}

/** The names tshark would reject with "Some fields aren't valid". */
export function unknownFields(names: readonly string[]): string[] {
  return names.filter((n) => !isKnownField(n));
}

/**
 * One node's value as `-T fields` prints it. Protocols print their label; text-only
 * (FT_NONE) items print 1 when present; times print as tshark does.
 */
export function fieldNodeText(node: ProtoNode, record: PacketRecord): string {
  const field = node.field as FieldDef;
  switch (field.type) {
    case 'protocol':
      return nodeRepresentation(node);
    case 'none':
      return '1';
    case 'bytes':
      return isMissingBytes(field, node.value) ? '<MISSING>' : formatFieldValue(field, node.value);
    case 'string': {
      // tshark's strings are C strings: one read from binary data (http.file_data of an image)
      // ends at its first NUL.
      const text = formatFieldValue(field, node.value);
      const nul = text.indexOf('\0');
      return nul < 0 ? text : text.slice(0, nul);
    }
    case 'time_abs':
      if (field.abbrev === 'frame.time_epoch') return `${record.tsSec}.${String(record.tsNsec).padStart(9, '0')}`;
      if (field.abbrev === 'frame.time') return formatArrivalTime(record.tsSec, record.tsNsec);
      return formatFieldValue(field, node.value);
    default:
      return formatFieldValue(field, node.value);
  }
}

/** A node's label without the [brackets] of generated items (Wireshark's item representation). */
export function nodeRepresentation(node: ProtoNode): string {
  const field = node.field;
  const t = node.text ?? field?.label?.(node.value);
  if (t !== undefined) return node.generated && t.startsWith('[') && t.endsWith(']') ? t.slice(1, -1) : t;
  return field ? field.name : '';
}

/**
 * Extracts a fixed list of fields from packets, as `tshark -T fields -e a -e b …`:
 * one string per field, several occurrences joined with the aggregator.
 */
export class FieldExtractor {
  private readonly slots = new Map<string, number[]>();
  private readonly columnSlots: Array<[number, ColumnTitle]> = [];
  private readonly treeFields: number;

  constructor(
    readonly names: readonly string[],
    private readonly columns: ColumnFormatter,
    private readonly options: FieldOutputOptions = { occurrence: 'all', aggregator: ',' },
  ) {
    names.forEach((name, i) => {
      const title = columnTitleOf(name);
      if (title !== null) {
        this.columnSlots.push([i, title]);
        return;
      }
      const list = this.slots.get(name);
      if (list) list.push(i);
      else this.slots.set(name, [i]);
    });
    this.treeFields = this.slots.size;
  }

  /** True when some field needs the detail tree (columns alone do not). */
  get needsTree(): boolean {
    return this.treeFields > 0;
  }

  /** Every occurrence of every field, in tree order. */
  occurrences(packet: DissectedPacket): string[][] {
    const out: string[][] = this.names.map(() => []);
    for (const [i, title] of this.columnSlots) out[i].push(this.columns.column(packet, title));
    if (this.treeFields > 0 && packet.tree) this.collect(packet.tree, packet.record, out);
    return out;
  }

  /** One depth-first walk for all fields (no per-node closure call). */
  private collect(nodes: readonly ProtoNode[], record: PacketRecord, out: string[][]): void {
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n];
      const field = node.field;
      if (field !== undefined) {
        const idx = this.slots.get(field.abbrev);
        if (idx !== undefined) {
          // A string's control characters print escaped, as tshark's do (HTTP's "…\r\n" lines).
          const value = fieldNodeText(node, record);
          const text = field.type === 'string' ? escapeControlText(value) : value;
          for (const i of idx) out[i].push(text);
        }
      }
      const children = node.children;
      if (children !== undefined) this.collect(children, record, out);
    }
  }

  /** One value per field, occurrences chosen and aggregated as the options say. */
  values(packet: DissectedPacket): string[] {
    const { occurrence, aggregator } = this.options;
    return this.occurrences(packet).map((list) => {
      if (list.length === 0) return '';
      if (occurrence === 'first') return list[0];
      if (occurrence === 'last') return list[list.length - 1];
      return list.join(aggregator);
    });
  }
}
