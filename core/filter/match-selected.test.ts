/**
 * Apply as Filter's text, as Wireshark builds it (proto_construct_match_selected_string), and
 * the proof that each built filter parses and matches the packet it was built from.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../pcap';
import { CAPTURES_DIR } from '../../test/helpers/captures';
import { DissectionEngine } from '../dissect/engine';
import type { DissectedPacket } from '../dissect/context';
import { findFieldNodes, walkTree, formatFieldValue, type ProtoNode } from '../dissect/tree';
import { compileDisplayFilter } from './index';
import {
  combineFilter,
  conversationFilters,
  matchSelectedFilter,
  quote,
  type ConversationNode,
} from './match-selected';

function packets(file: string): DissectedPacket[] {
  const contents = readCaptureFile(new Uint8Array(readFileSync(join(CAPTURES_DIR, file))));
  const engine = new DissectionEngine({ tree: true, interfaces: contents.info.interfaces });
  return contents.packets.map((p) => engine.dissect(p));
}

const lab = packets('lab/lab-linux-ipv4.pcap');
const filterOf = (packet: DissectedPacket, abbrev: string, nth = 0) => {
  const node = findFieldNodes(packet.tree ?? [], abbrev)[nth];
  if (!node) throw new Error(`no ${abbrev} in frame ${packet.number}`);
  return matchSelectedFilter(node, packet.sources[0]?.data);
};

describe('Apply as Filter text', () => {
  it('matches what Wireshark writes for common fields', () => {
    const syn = lab[0];
    const get = lab[9];
    expect(filterOf(get, 'http.request.uri')).toBe('http.request.uri == "/"');
    expect(filterOf(get, 'http.request.method')).toBe('http.request.method == "GET"');
    expect(filterOf(syn, 'tcp.flags.syn')).toBe('tcp.flags.syn == 1');
    expect(filterOf(syn, 'tcp.flags.ack')).toBe('tcp.flags.ack == 0');
    expect(filterOf(syn, 'ip.src')).toBe('ip.src == 127.0.0.1');
    expect(filterOf(syn, 'tcp.srcport')).toBe('tcp.srcport == 46062');
    expect(filterOf(syn, 'tcp.stream')).toBe('tcp.stream == 0');
    expect(filterOf(syn, 'tcp')).toBe('tcp');
    // Hex fields in hex, as many digits as the field (or its bitmask) is wide.
    expect(filterOf(syn, 'ip.id')).toBe('ip.id == 0xc84f');
    expect(filterOf(syn, 'tcp.flags')).toBe('tcp.flags == 0x002');
    expect(filterOf(syn, 'ip.flags')).toBe('ip.flags == 0x2');
    expect(filterOf(syn, 'ip.flags.df')).toBe('ip.flags.df == 1');
    expect(filterOf(syn, 'eth.dst')).toBe('eth.dst == 00:00:00:00:00:00');
    expect(filterOf(syn, 'tcp.options')).toBe(
      'tcp.options == 02:04:ff:d7:04:02:08:0a:fe:47:de:b8:00:00:00:00:01:03:03:0a',
    );
    expect(filterOf(syn, 'tcp.time_delta')).toBe('tcp.time_delta == 0.000000000');
  });

  it('an item without a field filters on its bytes, frame[start:len]', () => {
    const get = lab[9];
    let line: ProtoNode | undefined;
    walkTree(get.tree ?? [], (n) => {
      if (!line && !n.field && n.length > 0) line = n;
    });
    expect(line && matchSelectedFilter(line, get.sources[0].data)).toBe(
      'frame[66:16] == 47:45:54:20:2f:20:48:54:54:50:2f:31:2e:31:0d:0a',
    );
  });

  it('strings are quoted with backslashes and quotes escaped', () => {
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quote('x\r\n')).toBe('"x\\x0d\\x0a"');
  });

  it('every filter built from an item parses and matches its own packet', () => {
    const failures: string[] = [];
    let checked = 0;
    for (const packet of [...lab, ...packets('public/zeek-http-cooper-grill-dvwa.pcapng').slice(0, 40)]) {
      walkTree(packet.tree ?? [], (node) => {
        // Absolute times print in the label's form; relative times are doubles the filter engine
        // compares exactly (frame.time_delta == 0.056529000 can miss by 1e-17): both left out here.
        if (node.hidden || node.field?.type === 'time_abs' || node.field?.type === 'time_rel') return;
        const filter = matchSelectedFilter(node, packet.sources[0]?.data);
        if (!filter) return;
        const compiled = compileDisplayFilter(filter);
        checked++;
        if (!compiled.ok) failures.push(`${filter}: ${compiled.error.message}`);
        else if (!compiled.filter(packet)) failures.push(`frame ${packet.number}: ${filter} does not match`);
      });
    }
    expect(checked).toBeGreaterThan(2000);
    expect(failures.slice(0, 10)).toEqual([]);
  });
});

describe('Prepare as Filter variants', () => {
  it('combine with the current filter as Wireshark does', () => {
    expect(combineFilter('', 'tcp.flags.syn == 1', 'selected')).toBe('tcp.flags.syn == 1');
    expect(combineFilter('http', 'tcp.flags.syn == 1', 'not')).toBe('!(tcp.flags.syn == 1)');
    expect(combineFilter('http', 'ip.src == 127.0.0.1', 'and')).toBe('(http) && (ip.src == 127.0.0.1)');
    expect(combineFilter('http', 'ip.src == 127.0.0.1', 'or')).toBe('(http) || (ip.src == 127.0.0.1)');
    expect(combineFilter('http', 'ip.src == 127.0.0.1', 'and_not')).toBe('(http) && !(ip.src == 127.0.0.1)');
    expect(combineFilter('http', 'ip.src == 127.0.0.1', 'or_not')).toBe('(http) || !(ip.src == 127.0.0.1)');
    expect(combineFilter(' ', 'tcp', 'and')).toBe('tcp');
    expect(combineFilter('', 'tcp', 'and_not')).toBe('!(tcp)');
  });
});

describe('Conversation Filter', () => {
  const asConversation = (nodes: readonly ProtoNode[]): ConversationNode[] =>
    nodes.map((n) => ({
      field: n.field?.abbrev,
      value: n.field ? formatFieldValue(n.field, n.value) : undefined,
      children: n.children && asConversation(n.children),
    }));

  it('offers Ethernet, IPv4 and TCP (by stream) for a TCP packet, and each matches its stream', () => {
    const get = lab[9];
    const filters = conversationFilters(asConversation(get.tree ?? []));
    expect(filters).toEqual([
      { name: 'Ethernet', filter: 'eth.addr eq 00:00:00:00:00:00 and eth.addr eq 00:00:00:00:00:00' },
      { name: 'IPv4', filter: 'ip.addr eq 127.0.0.1 and ip.addr eq 127.0.0.1' },
      { name: 'TCP', filter: 'tcp.stream eq 1' },
    ]);
    // tshark -r lab-linux-ipv4.pcap -Y 'tcp.stream eq 1' -T fields -e frame.number
    const tcp = compileDisplayFilter('tcp.stream eq 1');
    if (!tcp.ok) throw new Error(tcp.error.message);
    expect(lab.filter((p) => tcp.filter(p)).map((p) => p.number)).toEqual([
      7, 8, 9, 10, 11, 12, 13, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
    ]);
  });
});
