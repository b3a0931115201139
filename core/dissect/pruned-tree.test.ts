/**
 * A tree pruned to a few fields (what `wirelab -Y` and `-T fields -e` build, as tshark does)
 * must hold exactly the nodes of those fields that the whole tree holds, with the same values
 * and bytes, in the same order — and the columns must not change.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listCaptures } from '../../test/helpers/captures';
import { readCaptureFile } from '../pcap';
import { TreePruning, ownItemsPrefix } from './context';
import { DissectionEngine } from './engine';
import { formatFieldValue, nodeLabel, walkTree, type ProtoNode } from './tree';
import { lookupField, type FieldDef } from './fields';

const captures = listCaptures().map((c) => ({
  id: c.id,
  contents: readCaptureFile(new Uint8Array(readFileSync(c.path))),
}));

/**
 * What -e and filters read of the kept nodes: each field's occurrences in tree order. (Items
 * of different fields may come in another order, as in tshark: what goes under a pruned item
 * lands in its parent when it is added.)
 */
function keptNodes(tree: readonly ProtoNode[], kept: ReadonlySet<string>, labels = true): string[] {
  const out: string[] = [];
  walkTree(tree, (node) => {
    const field = node.field;
    if (field && kept.has(field.abbrev)) {
      out.push(
        `${field.abbrev}=${formatFieldValue(field, node.value)} @${node.source}:${node.start}+${node.length}` +
          (labels ? ` ${nodeLabel(node)}` : ''),
      );
    }
  });
  // Stable: occurrences of one field keep their order.
  return out.sort((a, b) => (a.split('=')[0] < b.split('=')[0] ? -1 : a.split('=')[0] > b.split('=')[0] ? 1 : 0));
}

/** The lab's own capture: page, logo, 404 and teardowns. */
function labCapture(): (typeof captures)[number] {
  const found = captures.find((c) => c.id === 'lab/lab-linux-ipv4.pcap');
  if (!found) throw new Error('lab/lab-linux-ipv4.pcap is missing from the fixtures');
  return found;
}

describe('pruned detail tree', () => {
  it('every item that prunes its subtree (protocols, fields declaring subtreeHolds) holds only what it declares', () => {
    const strays = new Set<string>();
    const allowed = (owner: FieldDef, abbrev: string): boolean => {
      const own = ownItemsPrefix(owner);
      const holds = owner.subtreeHolds;
      const under = (prefix: string) => abbrev === prefix || abbrev.startsWith(prefix + '.');
      return abbrev.startsWith(own + '.') || holds === 'any' || (holds ?? []).some(under);
    };
    for (const { id, contents } of captures) {
      const engine = new DissectionEngine({ tree: true, interfaces: contents.info.interfaces });
      for (const record of contents.packets) {
        const packet = engine.dissect(record);
        const visit = (nodes: readonly ProtoNode[], owners: readonly FieldDef[]): void => {
          for (const node of nodes) {
            const abbrev = node.field?.abbrev;
            if (abbrev && !abbrev.startsWith('_ws.')) {
              for (const owner of owners) {
                if (!allowed(owner, abbrev)) strays.add(`${abbrev} under ${owner.abbrev} (${id} #${packet.number})`);
              }
            }
            const field = node.field;
            const prunes = field && (field.type === 'protocol' || field.subtreeHolds !== undefined);
            if (node.children) visit(node.children, prunes ? [...owners, field] : owners);
          }
        };
        visit(packet.tree ?? [], []);
      }
    }
    expect([...strays].slice(0, 10)).toEqual([]);
  });

  const fieldSets = [
    ['tcp.port', 'http'],
    ['frame.number', 'ip.src', 'tcp.srcport', 'tcp.seq', 'http.request.uri'],
    ['_ws.col.Info', 'tcp.stream', 'http.response.code'],
    ['frame.time_epoch', 'frame.protocols', 'eth.src', 'sll.pkttype'],
    ['ip', 'ipv6', 'udp', 'dns.qry.name', 'dns.a'],
    ['ip.version', 'ip.dst', 'icmp.type', 'icmpv6.type', 'arp.opcode'],
    ['data', 'data.data', 'data.len', 'media.type', 'http.file_data'],
    ['tcp.analysis.flags', 'tcp.analysis.retransmission', 'tcp.analysis.ack_rtt', 'tcp.options.mss_val'],
    ['tcp.option_kind', 'mptcp', 'tcp.flags.syn', 'tcp.flags.str', 'tcp.connection.syn', 'tcp.time_delta'],
    ['tcp.analysis', 'tcp.analysis.bytes_in_flight', 'ip.flags.df', 'ip.dsfield.dscp', 'tcp.nop'],
    ['http.request.method', 'http.response.code', 'http.content_length', 'http.response_in', 'http.time'],
    ['_ws.expert.message', '_ws.malformed', 'tcp.len'],
    // Items whose labels, values or whole groups a pruned tree skips when it does not keep them.
    ['ip', 'ip.hdr_len', 'ip.dsfield', 'ip.flags', 'ip.frag_offset', 'ip.checksum', 'tcp.ack', 'tcp.flags.str'],
    ['tcp.options', 'tcp.payload', 'tcp.segment_data', 'tcp.timestamps', 'http.file_data', 'http.request.version'],
    ['http.host', 'http.request.line', 'http.response.line', 'http.cookie_pair', 'http.authbasic', 'http.user_agent'],
    [
      'http.response.version',
      'http.response.phrase',
      'http.request_number',
      'http.prev_request_in',
      'http.next_request_in',
    ],
    [
      'http.response_number',
      'http.prev_response_in',
      'http.next_response_in',
      'http.response_for.uri',
      'http.request.full_uri',
    ],
    ['http.response.code.desc', 'http.request.method', 'http.request.uri.query.parameter', 'http.content_length'],
    ['ip.len', 'ip.id', 'ip.addr', 'ip.src_host', 'ip.host', 'ip.dsfield.ecn', 'tcp.seq_raw', 'tcp.flags.ece'],
    ['tcp.flags.push', 'tcp.flags.res', 'tcp.window_size_value', 'tcp.window_size', 'tcp.window_size_scalefactor'],
  ];
  for (const fields of fieldSets) {
    it(`keeps exactly the nodes of ${fields.join(', ')} (all fixtures)`, () => {
      // Column pseudo-fields (_ws.col.*) are not in the tree: they must not stop the pruning.
      for (const f of fields) if (!f.startsWith('_ws.col.')) expect(lookupField(f), f).toBeDefined();
      const kept = new Set(fields);
      const differences: string[] = [];
      for (const { id, contents } of captures) {
        const whole = new DissectionEngine({ tree: true, interfaces: contents.info.interfaces });
        const pruned = new DissectionEngine({ tree: true, keptFields: fields, interfaces: contents.info.interfaces });
        // As the packet list's load pass and filters build them: the same items, labels not formatted.
        const unlabelled = new DissectionEngine({
          tree: true,
          keptFields: fields,
          interfaces: contents.info.interfaces,
          labels: false,
        });
        for (const record of contents.packets) {
          const a = whole.dissect(record);
          const b = pruned.dissect(record);
          const c = unlabelled.dissect(record);
          const want = keptNodes(a.tree ?? [], kept).join(' | ');
          const got = keptNodes(b.tree ?? [], kept).join(' | ');
          if (want !== got) differences.push(`${id} #${a.number}: whole [${want}] pruned [${got}]`);
          const wantValues = keptNodes(a.tree ?? [], kept, false).join(' | ');
          const gotValues = keptNodes(c.tree ?? [], kept, false).join(' | ');
          if (wantValues !== gotValues)
            differences.push(`${id} #${a.number}: whole [${wantValues}] unlabelled [${gotValues}]`);
          for (const other of [b, c]) {
            if (JSON.stringify(a.columns) !== JSON.stringify(other.columns)) {
              differences.push(`${id} #${a.number}: columns ${JSON.stringify(other.columns)}`);
            }
          }
        }
      }
      expect(differences.slice(0, 5)).toEqual([]);
    });
  }

  it('formats no explicit label when labels are not read, and every label when they are', () => {
    const { contents } = labCapture();
    const kept = [
      'eth',
      'ip',
      'ip.frag_offset',
      'tcp',
      'tcp.options',
      'tcp.options.mss',
      'tcp.options.wscale',
      'tcp.options.timestamp',
      'http.request.uri',
      'http.response.phrase',
      'http.request_in',
    ];
    const texts = (labels: boolean): number => {
      const engine = new DissectionEngine({ tree: true, keptFields: kept, labels });
      let n = 0;
      for (const record of contents.packets)
        walkTree(engine.dissect(record).tree ?? [], (node) => void (n += node.text ? 1 : 0));
      return n;
    };
    expect(texts(true)).toBeGreaterThan(contents.packets.length * 3);
    expect(texts(false)).toBe(0);
  });

  it('builds far fewer nodes than the whole tree', () => {
    const { contents } = labCapture();
    const count = (keptFields?: string[]): number => {
      const engine = new DissectionEngine({ tree: true, keptFields });
      let nodes = 0;
      for (const record of contents.packets) walkTree(engine.dissect(record).tree ?? [], () => void nodes++);
      return nodes;
    };
    const whole = count();
    expect(count(['tcp.port', 'http'])).toBeLessThan(whole / 5);
  });

  it('skips the subtrees no kept field can be in (columns do not count; expert items can be anywhere)', () => {
    const frame = lookupField('frame') as FieldDef;
    const tcp = lookupField('tcp') as FieldDef;
    const columnsAndPort = new TreePruning(['_ws.col.Info', 'tcp.port']);
    expect([columnsAndPort.needsSubtree(frame), columnsAndPort.needsSubtree(tcp)]).toEqual([false, true]);
    const expert = new TreePruning(['_ws.expert.message']);
    expect([expert.needsSubtree(frame), expert.needsSubtree(tcp)]).toEqual([true, true]);
  });
});
