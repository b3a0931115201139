/** The frame's own fields (Wireshark's "frame" protocol, packet-frame.c), registered by registerAllProtocols(). */
import { defineFields, type FieldValue } from './fields';

export const frameFields = defineFields({
  frame: { abbrev: 'frame', name: 'Frame', type: 'protocol' },
  interfaceId: { abbrev: 'frame.interface_id', name: 'Interface id', type: 'uint32' },
  interfaceName: { abbrev: 'frame.interface_name', name: 'Interface name', type: 'string' },
  interfaceDescription: { abbrev: 'frame.interface_description', name: 'Interface description', type: 'string' },
  sectionNumber: { abbrev: 'frame.section_number', name: 'Section number', type: 'uint32' },
  encapType: { abbrev: 'frame.encap_type', name: 'Encapsulation type', type: 'int32' },
  time: { abbrev: 'frame.time', name: 'Arrival Time', type: 'time_abs' },
  timeShift: { abbrev: 'frame.offset_shift', name: 'Time shift for this packet', type: 'time_rel' },
  timeEpoch: { abbrev: 'frame.time_epoch', name: 'Epoch Time', type: 'time_abs' },
  // The unit lets the tree format these labels on demand (most packets never show them).
  timeDelta: {
    abbrev: 'frame.time_delta',
    name: 'Time delta from previous captured frame',
    type: 'time_rel',
    unit: ' seconds',
  },
  timeDeltaDisplayed: {
    abbrev: 'frame.time_delta_displayed',
    name: 'Time delta from previous displayed frame',
    type: 'time_rel',
    unit: ' seconds',
  },
  timeRelative: {
    abbrev: 'frame.time_relative',
    name: 'Time since reference or first frame',
    type: 'time_rel',
    unit: ' seconds',
  },
  number: { abbrev: 'frame.number', name: 'Frame Number', type: 'uint32' },
  len: { abbrev: 'frame.len', name: 'Frame Length', type: 'uint32', label: (v) => `Frame Length: ${bytesAndBits(v)}` },
  capLen: {
    abbrev: 'frame.cap_len',
    name: 'Capture Length',
    type: 'uint32',
    label: (v) => `Capture Length: ${bytesAndBits(v)}`,
  },
  marked: { abbrev: 'frame.marked', name: 'Frame is marked', type: 'bool' },
  ignored: { abbrev: 'frame.ignored', name: 'Frame is ignored', type: 'bool' },
  protocols: { abbrev: 'frame.protocols', name: 'Protocols in frame', type: 'string' },
  comment: { abbrev: 'frame.comment', name: 'Comment', type: 'string' },
  commentTree: { abbrev: 'frame.comment.expert', name: 'Packet comments', type: 'none' },
  /** tshark 4.0's "Packet comments" item, before the Frame's (not a layer: see isProtocolLayer). */
  comments: { abbrev: 'pkt_comment', name: 'Packet comments', type: 'protocol', subtreeHolds: ['frame.comment'] },
});

/**
 * The frame's items the frame layer makes itself, from the record and the capture position:
 * not frame.protocols (the other layers' names) nor a coloring rule (the colorizer's).
 */
export const FRAME_ITEM_FIELDS: ReadonlySet<string> = new Set(
  Object.values(frameFields)
    .map((field) => field.abbrev)
    .filter(
      (abbrev) =>
        abbrev !== frameFields.protocols.abbrev &&
        abbrev !== frameFields.commentTree.abbrev &&
        abbrev !== frameFields.comments.abbrev,
    ),
);

/** The coloring rule a packet matched (the GUI's, packet-frame.c registers them); core/filter/coloring.ts adds them. */
export const coloringRuleFields = defineFields({
  name: { abbrev: 'frame.coloring_rule.name', name: 'Coloring Rule Name', type: 'string' },
  string: { abbrev: 'frame.coloring_rule.string', name: 'Coloring Rule String', type: 'string' },
});

/** "66 bytes (528 bits)". */
function bytesAndBits(value: FieldValue | undefined): string {
  const n = value as number;
  return `${n} bytes (${n * 8} bits)`;
}
