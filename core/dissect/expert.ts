/**
 * Expert items as data, after Wireshark's `ei_register_info`: each protocol declares its expert
 * items once — abbreviation, group, severity and message (or a message made from the values of
 * the call, Wireshark's format string) — and a dissector refers to one by name:
 *
 *   const ei = defineExpertInfos({
 *     retransmission: { abbrev: 'tcp.analysis.retransmission', group: 'sequence', severity: 'note', field: f.aRetransmission },
 *     bogusHeaderLength: {
 *       abbrev: 'tcp.bogus_header_length', group: 'malformed', severity: 'error',
 *       message: (hlen: number) => `Bogus TCP header length (${hlen}, must be at least 20)`,
 *     },
 *   });
 *   ctx.expert(parent, ei.bogusHeaderLength, hlen);
 */
import { fieldProtocol, type FieldDef } from './fields';

export type ExpertSeverity = 'comment' | 'chat' | 'note' | 'warning' | 'error';
export type ExpertGroup =
  | 'checksum'
  | 'sequence'
  | 'response-code'
  | 'request-code'
  | 'malformed'
  | 'protocol'
  | 'comment'
  | 'undecoded'
  | 'deprecated';

/**
 * The values of `_ws.expert.severity` and `_ws.expert.group` (Wireshark's PI_* constants, as
 * `-T json` writes them) and the names the tree shows, a filter matches (`tshark -G values`) and
 * `-z expert` prints (expert_group_vals, e.g. "Response", not "Response code").
 */
export const EXPERT_SEVERITIES: Readonly<Record<ExpertSeverity, { code: number; name: string }>> = {
  comment: { code: 0x00100000, name: 'Comment' },
  chat: { code: 0x00200000, name: 'Chat' },
  note: { code: 0x00400000, name: 'Note' },
  warning: { code: 0x00600000, name: 'Warning' },
  error: { code: 0x00800000, name: 'Error' },
};

export const EXPERT_GROUPS: Readonly<Record<ExpertGroup, { code: number; name: string }>> = {
  checksum: { code: 0x01000000, name: 'Checksum' },
  sequence: { code: 0x02000000, name: 'Sequence' },
  'response-code': { code: 0x03000000, name: 'Response' },
  'request-code': { code: 0x04000000, name: 'Request' },
  undecoded: { code: 0x05000000, name: 'Undecoded' },
  malformed: { code: 0x07000000, name: 'Malformed' },
  protocol: { code: 0x09000000, name: 'Protocol' },
  comment: { code: 0x0b000000, name: 'Comment' },
  deprecated: { code: 0x0e000000, name: 'Deprecated' },
};

/** What a protocol declares of one expert item. */
export interface ExpertInfoSpec {
  /** Wireshark's name of the expert item, e.g. `tcp.analysis.retransmission`. */
  abbrev: string;
  group: ExpertGroup;
  severity: ExpertSeverity;
  /**
   * The message, or the function that makes it from the arguments of `ctx.expert`. Absent when
   * `field` is given: the field's name is the message (as for `tcp.analysis.*`).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each item declares its own argument types; ExpertArgs reads them back
  message?: string | ((...args: any[]) => string);
  /**
   * The field an item carries in the tree beside its "[Expert Info …]" item
   * (`tcp.analysis.retransmission`); absent: only the expert item's own line has one, named by
   * the abbreviation (ExpertInfoDef.itemField). A filter or `-e` finds the item by either.
   */
  field?: FieldDef;
  /** The protocol the expert tap names, when it is not the abbreviation's first part (`ipv6.routing`). */
  protocol?: string;
}

/** The arguments `ctx.expert` takes for an item: those of its message function, else none. */
export type ExpertArgs<S extends ExpertInfoSpec> = S['message'] extends (...args: infer A) => string ? A : [];

/** A registered expert item, as `ctx.expert` takes it. */
export interface ExpertInfoDef<A extends readonly unknown[] = readonly unknown[]> {
  readonly abbrev: string;
  readonly protocol: string;
  readonly group: ExpertGroup;
  readonly severity: ExpertSeverity;
  /** The message of a call with `args`. */
  readonly message: (...args: A) => string;
  readonly field: FieldDef | undefined;
  /**
   * The field of the item's first line under "[Expert Info …]": `field`, or one named by the
   * abbreviation only (expertOnlyField), as Wireshark names every expert item's line
   * (`-T json` writes `"ip.ttl.too_small": ""` first in the `_ws.expert` object).
   */
  readonly itemField: FieldDef;
}

/**
 * The field an expert item without one shows under its "[Expert Info …]" item: its abbreviation
 * only, registered with its protocol (registerProtocol) as Wireshark registers every expert
 * item's (FT_NONE), so that a filter on it (`_ws.malformed.expert`) finds the packets that raised it.
 */
function expertOnlyField(abbrev: string): FieldDef {
  return { abbrev, name: abbrev, type: 'none' };
}

/** Declares a protocol's expert items (Wireshark's `ei_register_info` array). */
export function defineExpertInfos<T extends Record<string, ExpertInfoSpec>>(
  specs: T,
): { readonly [K in keyof T]: ExpertInfoDef<ExpertArgs<T[K]>> } {
  const out: Record<string, ExpertInfoDef<never>> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const message = spec.message ?? spec.field?.name;
    if (message === undefined) throw new Error(`Expert item ${spec.abbrev} has neither a message nor a field`);
    out[key] = {
      abbrev: spec.abbrev,
      protocol: spec.protocol ?? fieldProtocol(spec.abbrev),
      group: spec.group,
      severity: spec.severity,
      message: typeof message === 'string' ? () => message : message,
      field: spec.field,
      itemField: spec.field ?? expertOnlyField(spec.abbrev),
    };
  }
  return out as { readonly [K in keyof T]: ExpertInfoDef<ExpertArgs<T[K]>> };
}
