import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../pcap/reader';
import { DissectionEngine } from '../dissect/engine';
import { formatTreeText } from '../dissect/print';
import { addColoringNodes, compileColoringRules, defaultColoringRules, type ColoringRule } from './coloring';
import { compileDisplayFilter, type PacketPredicate } from './index';

const LAB = join(__dirname, '../../test/fixtures/captures/lab/lab-null-loopback.pcap');

function dissect(file: string) {
  const contents = readCaptureFile(new Uint8Array(readFileSync(file)));
  const engine = new DissectionEngine({ tree: true, interfaces: contents.info.interfaces });
  return contents.packets.map((r) => engine.dissect(r));
}

describe('default coloring rules', () => {
  it("are Wireshark 4.0's colorfilters, in order, with their colours", () => {
    expect(defaultColoringRules.map((r) => r.name)).toEqual([
      'Bad TCP',
      'HSRP State Change',
      'Spanning Tree Topology  Change',
      'OSPF State Change',
      'ICMP errors',
      'ARP',
      'ICMP',
      'TCP RST',
      'SCTP ABORT',
      'TTL low or unexpected',
      'Checksum Errors',
      'SMB',
      'HTTP',
      'DCERPC',
      'Routing',
      'TCP SYN/FIN',
      'TCP',
      'UDP',
      'Broadcast',
      'System Event',
    ]);
    const tcp = defaultColoringRules.find((r) => r.name === 'TCP') as ColoringRule;
    expect(tcp).toEqual({ name: 'TCP', filter: 'tcp', foreground: '#12272e', background: '#e7e6ff', enabled: true });
    const synFin = defaultColoringRules.find((r) => r.name === 'TCP SYN/FIN') as ColoringRule;
    expect(synFin.filter).toBe('tcp.flags & 0x02 || tcp.flags.fin == 1');
    expect(synFin.background).toBe('#a0a0a0');
  });

  it('treat protocols no dissector knows as absent, and list them', () => {
    const compiled = compileColoringRules(defaultColoringRules);
    const smb = compiled.unknownFields.find((u) => u.rule === 'SMB');
    expect(smb?.fields).toEqual(['smb', 'nbss', 'nbns', 'netbios']);
  });

  it('compile every default rule (the checksum status fields have their value strings)', () => {
    expect(compileColoringRules(defaultColoringRules).errors).toEqual([]);
  });

  it('share one field index per packet with display filters, and see nodes added after coloring', () => {
    const packets = dissect(LAB);
    const compile = (text: string): PacketPredicate => {
      const c = compileDisplayFilter(text);
      if (!c.ok) throw new Error(c.error.message);
      return c.filter;
    };
    const port = compile('tcp.port == 8001 && tcp.len > 0');
    const alone = packets.map((p) => port(p));
    const rules = compileColoringRules(defaultColoringRules);
    const named = compile('frame.coloring_rule.name == "TCP SYN/FIN"');
    const interleaved = packets.map((p) => {
      const rule = rules.match(p);
      const before = named(p);
      addColoringNodes(p, rule);
      expect(before).toBe(false);
      expect(named(p)).toBe(rule?.name === 'TCP SYN/FIN');
      return port(p);
    });
    expect(interleaved).toEqual(alone);
    expect(alone.some((m) => m)).toBe(true);
  });

  it('disable a rule that does not compile and report it, skip disabled rules', () => {
    const rules: ColoringRule[] = [
      { name: 'Broken', filter: 'tcp.port ==', foreground: '#000000', background: '#ffffff', enabled: true },
      { name: 'Off', filter: 'tcp', foreground: '#000000', background: '#ffffff', enabled: false },
      { name: 'Any frame', filter: 'frame', foreground: '#000000', background: '#ffffff', enabled: true },
    ];
    const compiled = compileColoringRules(rules);
    expect(compiled.errors).toEqual([
      { rule: 'Broken', error: { message: 'Unexpected end of filter expression.', start: 11, end: 11 } },
    ]);
    const [first] = dissect(LAB);
    expect(compiled.match(first)?.name).toBe('Any frame');
  });

  it('adds [Coloring Rule Name/String] under the Frame node, after the protocols, as the GUI', () => {
    const packets = dissect(LAB);
    const compiled = compileColoringRules(defaultColoringRules);
    const syn = packets[0];
    const rule = compiled.match(syn);
    expect(rule?.name).toBe('TCP SYN/FIN');
    addColoringNodes(syn, rule);
    addColoringNodes(syn, rule); // idempotent
    const text = formatTreeText(syn.tree ?? []);
    expect(text).toContain(
      '    [Protocols in frame: null:ip:tcp]\n    [Coloring Rule Name: TCP SYN/FIN]\n    [Coloring Rule String: tcp.flags & 0x02 || tcp.flags.fin == 1]\n',
    );
    addColoringNodes(syn, null);
    expect(formatTreeText(syn.tree ?? [])).not.toContain('Coloring Rule');
  });
});
