/**
 * Packet diagram layouts against the RFC header pictures: every field at its RFC bit offset
 * and width, derived from the real dissection tree of fixture captures (and of a hand-built
 * ICMP echo, the fixtures having none).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../pcap';
import { DissectionEngine } from '../dissect/engine';
import { CAPTURES_DIR, listCaptures } from '../../test/helpers/captures';
import { diagramNodes, layoutDiagram, type DiagramLayer, type DiagramNode } from './layout';
import { diagramSvg } from './svg';

function layers(file: string, frame: number): DiagramLayer[] {
  const contents = readCaptureFile(new Uint8Array(readFileSync(join(CAPTURES_DIR, file))));
  const engine = new DissectionEngine({ tree: true, interfaces: contents.info.interfaces });
  for (let i = 0; i < frame - 1; i++) engine.dissect(contents.packets[i]);
  const packet = engine.dissect(contents.packets[frame - 1]);
  return layoutDiagram(diagramNodes(packet.tree ?? []));
}

/** `abbrev@offset/width` of the named fields, in bit order (gaps as `-@offset/width`). */
function cells(layer: DiagramLayer | undefined): string[] {
  return (layer?.fields ?? []).map((f) => `${f.field || '-'}@${f.bitOffset}/${f.bitWidth}`);
}

const layer = (all: DiagramLayer[], protocol: string) => all.find((l) => l.protocol === protocol);

describe('packet diagram layout', () => {
  const syn = layers('lab/lab-linux-ipv4.pcap', 1);

  it('draws the link, network and transport headers of a SYN, outermost first', () => {
    expect(syn.map((l) => `${l.protocol}:${l.bits}`)).toEqual(['eth:112', 'ip:160', 'tcp:320']);
  });

  it('Ethernet II: 48-bit addresses and a 16-bit type', () => {
    expect(cells(layer(syn, 'eth'))).toEqual(['eth.dst@0/48', 'eth.src@48/48', 'eth.type@96/16']);
  });

  it('IPv4 (RFC 791): 4-bit version and IHL, DSCP/ECN, 3 flag bits and a 13-bit fragment offset', () => {
    expect(cells(layer(syn, 'ip'))).toEqual([
      'ip.version@0/4',
      'ip.hdr_len@4/4',
      'ip.dsfield.dscp@8/6',
      'ip.dsfield.ecn@14/2',
      'ip.len@16/16',
      'ip.id@32/16',
      'ip.flags.rb@48/1',
      'ip.flags.df@49/1',
      'ip.flags.mf@50/1',
      'ip.frag_offset@51/13',
      'ip.ttl@64/8',
      'ip.proto@72/8',
      'ip.checksum@80/16',
      'ip.src@96/32',
      'ip.dst@128/32',
    ]);
    const ip = layer(syn, 'ip');
    expect(ip?.rows).toBe(5);
    const df = ip?.fields.find((f) => f.field === 'ip.flags.df');
    expect(df).toMatchObject({ value: '1', segments: [{ row: 1, col: 17, width: 1 }] });
    expect(ip?.fields.find((f) => f.field === 'ip.frag_offset')?.segments).toEqual([{ row: 1, col: 19, width: 13 }]);
  });

  it('TCP (RFC 9293) with options: data offset, 12 flag bits, and each option kind/length/value', () => {
    expect(cells(layer(syn, 'tcp'))).toEqual([
      'tcp.srcport@0/16',
      'tcp.dstport@16/16',
      'tcp.seq@32/32',
      'tcp.ack@64/32',
      'tcp.hdr_len@96/4',
      'tcp.flags.res@100/3',
      'tcp.flags.ae@103/1',
      'tcp.flags.cwr@104/1',
      'tcp.flags.ece@105/1',
      'tcp.flags.urg@106/1',
      'tcp.flags.ack@107/1',
      'tcp.flags.push@108/1',
      'tcp.flags.reset@109/1',
      'tcp.flags.syn@110/1',
      'tcp.flags.fin@111/1',
      'tcp.window_size_value@112/16',
      'tcp.checksum@128/16',
      'tcp.urgent_pointer@144/16',
      // MSS (kind 2, length 4), SACK permitted (4, 2), Timestamps (8, 10), NOP, Window scale (3, 3)
      'tcp.option_kind@160/8',
      'tcp.option_len@168/8',
      'tcp.options.mss_val@176/16',
      'tcp.option_kind@192/8',
      'tcp.option_len@200/8',
      'tcp.option_kind@208/8',
      'tcp.option_len@216/8',
      'tcp.options.timestamp.tsval@224/32',
      'tcp.options.timestamp.tsecr@256/32',
      'tcp.option_kind@288/8',
      'tcp.option_kind@296/8',
      'tcp.option_len@304/8',
      'tcp.options.wscale.shift@312/8',
    ]);
    const tcp = layer(syn, 'tcp');
    expect(tcp?.rows).toBe(10);
    const src = tcp?.fields.find((f) => f.field === 'tcp.srcport');
    expect(src).toMatchObject({ name: 'Source Port', value: '46062' });
    expect(tcp?.fields.find((f) => f.field === 'tcp.flags.syn')).toMatchObject({
      value: '1',
      segments: [{ row: 3, col: 14, width: 1 }],
    });
  });

  it('each field carries the id of its tree item (what a click selects)', () => {
    const contents = readCaptureFile(new Uint8Array(readFileSync(join(CAPTURES_DIR, 'lab/lab-linux-ipv4.pcap'))));
    const packet = new DissectionEngine({ tree: true }).dissect(contents.packets[0]);
    const nodes = diagramNodes(packet.tree ?? []);
    const find = (id: number | undefined) => {
      let label: string | undefined;
      const walk = (list: readonly DiagramNode[]) => {
        for (const n of list) {
          if (n.id === id) label = n.label;
          if (n.children) walk(n.children);
        }
      };
      walk(nodes);
      return label;
    };
    const tcp = layer(layoutDiagram(nodes), 'tcp');
    expect(find(tcp?.fields.find((f) => f.field === 'tcp.flags.syn')?.id)).toBe('.... .... ..1. = Syn: Set');
    expect(find(tcp?.fields.find((f) => f.field === 'tcp.dstport')?.id)).toBe('Destination Port: 8001');
  });

  it('IPv6 (RFC 8200): 4-bit version, 8-bit traffic class, 20-bit flow label, full 128-bit addresses', () => {
    const all = layers('lab/lab-linux-ipv6.pcap', 1);
    expect(cells(layer(all, 'ipv6'))).toEqual([
      'ipv6.version@0/4',
      'ipv6.tclass.dscp@4/6',
      'ipv6.tclass.ecn@10/2',
      'ipv6.flow@12/20',
      'ipv6.plen@32/16',
      'ipv6.nxt@48/8',
      'ipv6.hlim@56/8',
      'ipv6.src@64/128',
      'ipv6.dst@192/128',
    ]);
    expect(layer(all, 'ipv6')?.rows).toBe(10);
  });

  it('Null/Loopback: the 32-bit family; Linux SLL: its 16-byte header', () => {
    expect(cells(layer(layers('lab/lab-null-loopback.pcap', 1), 'null'))).toEqual(['null.family@0/32']);
    expect(cells(layer(layers('lab/lab-linux-any-sll-ipv6.pcap', 1), 'sll'))).toEqual([
      'sll.pkttype@0/16',
      'sll.hatype@16/16',
      'sll.halen@32/16',
      'sll.src.eth@48/48',
      'sll.unused@96/16',
      'sll.etype@112/16',
    ]);
  });

  it('UDP (RFC 768), ICMPv6 echo and ARP (RFC 826)', () => {
    expect(cells(layer(layers('public/pcapng-test-generator-be-basic-test008.pcapng', 1), 'udp'))).toEqual([
      'udp.srcport@0/16',
      'udp.dstport@16/16',
      'udp.length@32/16',
      'udp.checksum@48/16',
    ]);
    expect(cells(layer(layers('public/tcpdump-ipv6-routing-header.pcap', 1), 'icmpv6'))).toEqual([
      'icmpv6.type@0/8',
      'icmpv6.code@8/8',
      'icmpv6.checksum@16/16',
      'icmpv6.echo.identifier@32/16',
      'icmpv6.echo.sequence_number@48/16',
    ]);
    expect(cells(layer(layers('public/zeek-http-cooper-grill-dvwa.pcapng', 6), 'arp'))).toEqual([
      'arp.hw.type@0/16',
      'arp.proto.type@16/16',
      'arp.hw.size@32/8',
      'arp.proto.size@40/8',
      'arp.opcode@48/16',
      'arp.src.hw_mac@64/48',
      'arp.src.proto_ipv4@112/32',
      'arp.dst.hw_mac@144/48',
      'arp.dst.proto_ipv4@192/32',
    ]);
  });

  it('ICMP echo (RFC 792): type, code, checksum, identifier, sequence, then its data cut short', () => {
    const data = Uint8Array.from(
      Buffer.from(
        '00000000000000000000000008004500002c000040004001' +
          '3ccf' +
          '7f0000017f000001' +
          '0800' +
          'f7fd' +
          '0001' +
          '0001' +
          '0102030405060708090a0b0c0d0e0f10',
        'hex',
      ),
    );
    const packet = new DissectionEngine({ tree: true }).dissect({
      data,
      originalLength: data.length,
      tsSec: 0,
      tsNsec: 0,
      interfaceId: 0,
      linkType: 1,
    });
    const icmp = layer(layoutDiagram(diagramNodes(packet.tree ?? []), { maxFieldBits: 64 }), 'icmp');
    const named = cells(icmp).slice(0, 5);
    expect(named).toEqual([
      'icmp.type@0/8',
      'icmp.code@8/8',
      'icmp.checksum@16/16',
      'icmp.ident@32/16',
      'icmp.seq@48/16',
    ]);
    // 16 bytes of data: 128 bits in the packet, drawn as 64.
    const rest = icmp?.fields.slice(5) ?? [];
    expect(rest.reduce((n, f) => n + f.bitWidth, 0)).toBe(128);
    expect(rest.some((f) => f.drawnBits < f.bitWidth)).toBe(true);
  });

  it('draws an SVG with one element per field named by its filter name, the selected one marked', () => {
    const tcp = layer(syn, 'tcp');
    const syncell = tcp?.fields.find((f) => f.field === 'tcp.flags.syn');
    const svg = diagramSvg(syn, { selectedId: syncell?.id });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/data-field="tcp\.srcport"/g)).toHaveLength(1);
    expect(svg).toMatch(
      /<g class="cell is-selected" data-field="tcp\.flags\.syn" data-id="\d+" role="button" aria-label="Syn: 1" data-selected="true">/,
    );
    expect(svg).toContain('>46062</text>');
    expect(svg).toMatch(
      /data-field="tcp\.flags\.syn"[^>]*>(<title>[^<]*<\/title>)?<rect[^>]*\/><text class="name small"[^>]*>SYN<\/text>/,
    );
    expect(svg).toContain('Transmission Control Protocol (40 bytes)');
    // One-bit flags are too narrow for their names: they get the usual short ones.
    expect(svg).toMatch(
      /data-field="tcp\.flags\.push"[^>]*>(<title>[^<]*<\/title>)?<rect[^>]*\/><text class="name small"[^>]*>PSH<\/text>/,
    );
    expect(svg).toMatch(
      /data-field="ip\.flags\.df"[^>]*>(<title>[^<]*<\/title>)?<rect[^>]*\/><text class="name small"[^>]*>DF<\/text>/,
    );
  });

  it('on every fixture packet: fields tile each header exactly, in order, and every segment fits its row', () => {
    let layersSeen = 0;
    for (const capture of listCaptures()) {
      const contents = readCaptureFile(new Uint8Array(readFileSync(capture.path)));
      const engine = new DissectionEngine({ tree: true, interfaces: contents.info.interfaces });
      for (const record of contents.packets) {
        const packet = engine.dissect(record);
        for (const l of layoutDiagram(diagramNodes(packet.tree ?? []))) {
          layersSeen++;
          let at = 0;
          let drawn = 0;
          for (const f of l.fields) {
            expect(f.bitOffset, `${capture.id} #${packet.number} ${l.protocol} ${f.field}`).toBe(at);
            expect(f.bitWidth).toBeGreaterThan(0);
            at += f.bitWidth;
            drawn += f.drawnBits;
            expect(f.segments.reduce((n, s) => n + s.width, 0)).toBe(f.drawnBits);
            for (const s of f.segments) expect(s.col + s.width).toBeLessThanOrEqual(32);
          }
          expect(at).toBe(l.bits);
          expect(l.rows).toBe(Math.ceil(drawn / 32));
        }
      }
    }
    expect(layersSeen).toBeGreaterThan(1000);
  });
});
