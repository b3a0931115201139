import { describe, expect, it } from 'vitest';
import { LinkType } from '../../core/pcap/types';
import { DumpcapSyncParser } from './dumpcap-sync';
import { classifyPcapMessage, remedyFor } from './errors';
import { loopbackDevice, parseDumpcapInterfaces, parseTcpdumpInterfaces } from './index';
import { inferOriginalLength } from './original-length';

function syncMessage(indicator: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.write(indicator, 0, 'latin1');
  header.writeUIntBE(payload.length, 1, 3);
  return Buffer.concat([header, payload]);
}
const cstr = (s: string): Buffer => Buffer.from(`${s}\0`);

describe('dumpcap child protocol', () => {
  it('parses messages split at any byte, including nested error messages', () => {
    const stream = Buffer.concat([
      syncMessage('F', cstr('/tmp/x.pcapng')),
      syncMessage('P', cstr('5')),
      syncMessage('B', cstr("0:unknown port '99999x'")),
      syncMessage(
        'E',
        Buffer.concat([
          syncMessage('E', cstr('There is no device named "nosuch".')),
          syncMessage('E', cstr('(No such device exists)')),
        ]),
      ),
      syncMessage('D', cstr('3:lo')),
    ]);
    const parser = new DumpcapSyncParser();
    const messages = [...stream].flatMap((byte) => parser.push(Buffer.of(byte)));
    expect(messages).toEqual([
      { indicator: 'F', text: '/tmp/x.pcapng' },
      { indicator: 'P', text: '5' },
      { indicator: 'B', text: "0:unknown port '99999x'" },
      { indicator: 'E', text: 'There is no device named "nosuch".', secondary: '(No such device exists)' },
      { indicator: 'D', text: '3:lo' },
    ]);
  });

  it('keeps plain text that is not the protocol for error details', () => {
    const parser = new DumpcapSyncParser();
    expect(parser.push(Buffer.from('dumpcap: some warning\n'))).toEqual([]);
    expect(parser.plainText).toBe('dumpcap: some warning\n');
  });
});

describe('wire length of frames cut at 65535 bytes', () => {
  it('reads it from the IPv4 header behind Ethernet', () => {
    const frame = new Uint8Array(65535);
    frame[12] = 0x08;
    frame[14] = 0x45;
    frame[16] = 0xff; // total length 65522 → frame 65536
    frame[17] = 0xf2;
    expect(inferOriginalLength(LinkType.ETHERNET, frame)).toBe(65536);
  });

  it('reads it from the IPv6 header behind a BSD loopback header', () => {
    const frame = new Uint8Array(65535);
    frame[0] = 30;
    frame[4] = 0x60;
    frame[8] = 0xff; // payload length 65500
    frame[9] = 0xdc;
    expect(inferOriginalLength(LinkType.NULL, frame)).toBe(4 + 40 + 65500);
  });

  it('never returns less than what was captured, and leaves unknown link types alone', () => {
    const frame = new Uint8Array(100);
    frame[12] = 0x08;
    frame[14] = 0x45;
    frame[17] = 20;
    expect(inferOriginalLength(LinkType.ETHERNET, frame)).toBe(100);
    expect(inferOriginalLength(147, new Uint8Array(65535))).toBe(65535);
  });
});

describe('interfaces and remedies', () => {
  it('names the loopback device of each OS', () => {
    expect(loopbackDevice('linux')).toBe('lo');
    expect(loopbackDevice('darwin')).toBe('lo0');
    expect(loopbackDevice('win32')).toBe('\\Device\\NPF_Loopback');
  });

  it('parses `dumpcap -D -M` and `tcpdump -D`', () => {
    const dumpcap = '1. eth0\t\t\t0\t192.0.2.2,fd00::2\tnetwork\t\n3. lo\t\tLoopback\t0\t127.0.0.1,::1\tloopback\t\n';
    expect(parseDumpcapInterfaces(dumpcap)).toEqual([
      { name: 'eth0', description: undefined, addresses: ['192.0.2.2', 'fd00::2'], loopback: false },
      { name: 'lo', description: 'Loopback', addresses: ['127.0.0.1', '::1'], loopback: true },
    ]);
    const tcpdump =
      '1.eth0 [Up, Running, Connected]\n2.any (Pseudo-device that captures on all interfaces) [Up, Running]\n3.lo [Up, Running, Loopback]\n';
    expect(parseTcpdumpInterfaces(tcpdump)).toEqual([
      { name: 'eth0', description: undefined, addresses: [], loopback: false },
      { name: 'any', description: 'Pseudo-device that captures on all interfaces', addresses: [], loopback: false },
      { name: 'lo', description: undefined, addresses: [], loopback: true },
    ]);
  });

  it('tells each OS what to do about permissions', () => {
    expect(remedyFor('permission', 'linux')).toMatch(/setcap cap_net_raw,cap_net_admin=eip/);
    expect(remedyFor('permission', 'linux')).toMatch(/wireshark group/);
    expect(remedyFor('permission', 'darwin')).toMatch(/ChmodBPF/);
    expect(remedyFor('permission', 'darwin')).toMatch(/\/dev\/bpf/);
    expect(remedyFor('permission', 'win32')).toMatch(/Npcap.*Support loopback traffic/);
    expect(remedyFor('permission', 'win32')).toMatch(/Administrators only/);
    expect(remedyFor('no-backend', 'win32')).toMatch(/Npcap/);
  });

  it('recognises libpcap permission and device messages', () => {
    expect(classifyPcapMessage('socket: Operation not permitted')).toBe('permission');
    expect(classifyPcapMessage('You do not have permission to capture on device "lo".')).toBe('permission');
    expect(classifyPcapMessage('No such device exists')).toBe('no-device');
    expect(classifyPcapMessage('There is no device named "nosuch".')).toBe('no-device');
    expect(classifyPcapMessage("unknown port '99999x'")).toBeNull();
  });
});
