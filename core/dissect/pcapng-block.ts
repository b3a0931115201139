/**
 * pcapng blocks that tshark 4.0 shows as frames of their own (wiretap's REC_TYPE_CUSTOM_BLOCK):
 * Protocol "PCAPNG", Info "Custom Block: PEN = … (n), will [not ]be copied", no time and no
 * interface, and the block's custom data (everything after the PEN) as "Data". As in Wireshark's
 * epan/dissectors/packet-frame.c (4.0), fields frame.cb_pen and frame.cb_copy.
 */
import { BlockType } from '../pcap/pcapng';
import type { PcapngBlockRecord } from '../pcap/types';
import type { PacketContext } from './context';
import { defineFields, type FieldDef } from './fields';
import { dissectData } from './protocols/common';
import type { ProtoNode } from './tree';

export const pcapngBlockFields = defineFields({
  pen: { abbrev: 'frame.cb_pen', name: 'Private Enterprise Number', type: 'uint32' },
  copy: { abbrev: 'frame.cb_copy', name: 'Copying', type: 'bool' },
});
const f = pcapngBlockFields;

/**
 * Names of Private Enterprise Numbers (IANA's registry, as Wireshark's enterprises.tsv spells
 * them). Only a few: the full registry has ~60 000 entries; others show as "Unknown".
 */
const ENTERPRISES: Readonly<Record<number, string>> = {
  0: 'Reserved',
  9: 'ciscoSystems',
  311: 'Microsoft',
  2011: 'HUAWEI Technology Co.,Ltd',
  25461: 'Palo Alto Networks',
  32473: 'Example Enterprise Number for Documentation Use',
  36724: 'Kaplan Research and Application Prototyping',
};

export function enterpriseName(pen: number): string {
  return ENTERPRISES[pen] ?? 'Unknown';
}

/** Frame fields the block shows, passed in from the engine (they are defined there). */
export interface BlockFrameFields {
  frame: FieldDef;
  sectionNumber: FieldDef;
  number: FieldDef;
  len: FieldDef;
  capLen: FieldDef;
  marked: FieldDef;
  ignored: FieldDef;
  protocols: FieldDef;
}

export function dissectPcapngBlock(
  ctx: PacketContext,
  block: PcapngBlockRecord,
  data: Uint8Array,
  tree: ProtoNode[] | null,
  frame: BlockFrameFields,
): void {
  const packet = ctx.packet;
  const copy = block.type === BlockType.CUSTOM_COPY;
  const name = enterpriseName(block.pen);
  ctx.enterProtocol('frame', 'PCAPNG');
  ctx.setInfo(`Custom Block: PEN = ${name} (${block.pen}), will${copy ? '' : ' not'} be copied`);
  let protocolsNode: ProtoNode | null = null;
  if (tree) {
    const n = data.length;
    const frameNode = ctx.add(
      tree,
      frame.frame,
      0,
      n,
      undefined,
      ctx.labelled(frame.frame)
        ? `PCAPNG Custom Block ${packet.number}: ${n} bytes (${n * 8} bits) of custom data and options, ` +
            `PEN ${name} (${block.pen}), copying ${copy ? 'allowed' : 'not allowed'}`
        : undefined,
    );
    const c = ctx.children(frameNode);
    ctx.add(c, frame.sectionNumber, 0, 0, block.section + 1, `Section number: ${block.section + 1}`);
    ctx.add(c, frame.number, 0, 0, packet.number);
    ctx.add(c, frame.len, 0, 0, n);
    ctx.add(c, frame.capLen, 0, 0, n);
    ctx.addGenerated(c, frame.marked, false);
    ctx.addGenerated(c, frame.ignored, false);
    ctx.add(c, f.pen, 0, 0, block.pen, `Private Enterprise Number: ${name} (${block.pen})`);
    ctx.add(c, f.copy, 0, 0, copy, `Copying: ${copy ? 'Allowed' : 'Not Allowed'}`);
    protocolsNode = ctx.addGenerated(c, frame.protocols, '');
  }
  dissectData(ctx, data, 0, data.length, tree);
  if (protocolsNode && ctx.keeps(frame.protocols)) {
    const chain = packet.protocols.filter((p) => p !== 'frame' && !p.startsWith('_ws.')).join(':');
    protocolsNode.value = chain;
    protocolsNode.text = `Protocols in frame: ${chain}`;
  }
}
