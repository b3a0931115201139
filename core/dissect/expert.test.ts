/** Expert items declared once (defineExpertInfos) and raised by reference (ctx.expert). */
import { describe, expect, it } from 'vitest';
import { ColumnValues, PacketContext, SessionState, TreePruning, type PacketInDissection } from './context';
import { defineExpertInfos } from './expert';
import { lookupField, type FieldDef } from './fields';
import { formatTreeText } from './print';

const dupAckField: FieldDef = { abbrev: 'tcp.analysis.duplicate_ack', name: 'Duplicate ACK', type: 'none' };
const ei = defineExpertInfos({
  duplicateAck: {
    abbrev: 'tcp.analysis.duplicate_ack',
    group: 'sequence',
    severity: 'note',
    message: (n: number) => `Duplicate ACK (#${n})`,
    field: dupAckField,
  },
  deprecated: {
    abbrev: 'ipv6.routing.deprecated',
    protocol: 'ipv6.routing',
    group: 'deprecated',
    severity: 'note',
    field: { abbrev: 'ipv6.routing.deprecated', name: 'Routing header type is deprecated', type: 'none' },
  },
  ttl: { abbrev: 'ip.ttl.too_small', group: 'sequence', severity: 'note', message: '"Time To Live" only 1' },
});

function context(buildTree: boolean, pruning: TreePruning | null = null, labelsRead = true): PacketContext {
  const data = new Uint8Array(0);
  const packet = {
    number: 1,
    record: { tsSec: 0, tsNsec: 0, data, originalLength: 0, interfaceId: 0, linkType: 1 },
    timeRelative: 0,
    timeDelta: 0,
    columns: new ColumnValues(),
    protocols: [],
    tree: [],
    sources: [{ name: 'Frame', data }],
    expert: [],
    malformed: false,
  } as unknown as PacketInDissection;
  return new PacketContext(packet, new SessionState(), buildTree, pruning, labelsRead);
}

describe('expert items', () => {
  it('makes the message from the call, with the declared severity, group, protocol and field', () => {
    const ctx = context(true);
    const tree = ctx.packet.tree ?? [];
    ctx.expert(tree, ei.duplicateAck, 2);
    ctx.expert(tree, ei.deprecated);
    ctx.expert(tree, ei.ttl);
    expect(ctx.packet.expert).toEqual([
      { severity: 'note', group: 'sequence', message: 'Duplicate ACK (#2)', protocol: 'tcp' },
      { severity: 'note', group: 'deprecated', message: 'Routing header type is deprecated', protocol: 'ipv6.routing' },
      { severity: 'note', group: 'sequence', message: '"Time To Live" only 1', protocol: 'ip' },
    ]);
    // Wireshark's subtree: `_ws.expert`, the item's own field, the message (hidden), severity, group.
    expect(tree.map((n) => n.field?.abbrev)).toEqual(['_ws.expert', '_ws.expert', '_ws.expert']);
    expect(tree[0].children?.map((n) => [n.field?.abbrev, n.value, n.hidden === true])).toEqual([
      ['tcp.analysis.duplicate_ack', undefined, false],
      ['_ws.expert.message', 'Duplicate ACK (#2)', true],
      ['_ws.expert.severity', 0x00400000, false],
      ['_ws.expert.group', 0x02000000, false],
    ]);
    // An item without a field of its own: its line is named by its abbreviation all the same (as
    // tshark's `-T json` writes it), by a field no filter knows.
    expect(tree[2].children?.[0].field?.abbrev).toBe('ip.ttl.too_small');
    expect(lookupField('ip.ttl.too_small')).toBeUndefined();
    expect(formatTreeText(tree.slice(0, 1))).toBe(
      [
        '[Expert Info (Note/Sequence): Duplicate ACK (#2)]',
        '    [Duplicate ACK (#2)]',
        '    [Severity level: Note]',
        '    [Group: Sequence]',
      ].join('\n'),
    );
  });

  it('does not even make the message for a summary line', () => {
    const ctx = context(false);
    let made = 0;
    const counted = defineExpertInfos({
      x: { abbrev: 'x.y', group: 'protocol', severity: 'warning', message: () => String(++made) },
    });
    ctx.expert(null, counted.x);
    expect(made).toBe(0);
    expect(ctx.packet.expert).toEqual([]);
  });

  it("leaves the packet's list empty where nobody reads it (the packet list's passes), and adds the items a filter keeps", () => {
    let made = 0;
    const counted = defineExpertInfos({
      x: { abbrev: 'x.y', group: 'protocol', severity: 'warning', message: () => `made ${++made}` },
    });
    // A load pass's tree (labels not read) that keeps no expert item: no message, no list.
    const load = context(true, new TreePruning(['tcp.port']), false);
    load.expert(load.packet.tree, counted.x);
    expect(made).toBe(0);
    expect(load.packet.expert).toEqual([]);
    // A filter on `_ws.expert.message`: the item is in its tree, still not in the list.
    const filter = context(true, new TreePruning(['_ws.expert.message']), false);
    const tree = filter.packet.tree ?? [];
    filter.expert(tree, counted.x);
    expect(made).toBe(1);
    expect(filter.packet.expert).toEqual([]);
    expect(formatTreeText(tree)).toContain('[made 1]');
    // Where labels are read (the detail, statistics, the command line), the list has it.
    const detail = context(true, new TreePruning(['tcp.port']), true);
    detail.expert(detail.packet.tree, counted.x);
    expect(detail.packet.expert).toEqual([
      { severity: 'warning', group: 'protocol', message: 'made 2', protocol: 'x' },
    ]);
  });

  it('refuses an item with neither a message nor a field', () => {
    expect(() => defineExpertInfos({ bad: { abbrev: 'x.bad', group: 'protocol', severity: 'note' } })).toThrow(
      /x\.bad/,
    );
  });
});
