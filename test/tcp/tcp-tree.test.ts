/**
 * The TCP layer's detail tree, as formatTreeText prints it, against `tshark -V -O tcp`
 * (4.0.17) for a few frames: SYN with options, data with SEQ/ACK analysis, FIN, SACK + dup
 * ACK, D-SACK, retransmission, TFO, keep-alive, and a reassembled PDU.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { formatTreeText } from '../../core/dissect/print';
import { tcpPayloadConsumers } from '../../core/dissect/context';
import { dissectCapture, loadCapture, FIXTURES } from './harness';
import { fakeHttp } from './fake-http';

tcpPayloadConsumers.push(fakeHttp);

const CASES: [string, number, string][] = [
  ['lab/lab-linux-ipv4.pcap', 1, 'lab-linux-ipv4.f1.txt'],
  ['lab/lab-linux-ipv4.pcap', 18, 'lab-linux-ipv4.f18.txt'],
  ['lab/lab-linux-ipv4.pcap', 23, 'lab-linux-ipv4.f23.txt'],
  ['public/tcpdump-ssh.pcap', 48, 'tcpdump-ssh.f48.txt'],
  ['public/tcpdump-ssh.pcap', 49, 'tcpdump-ssh.f49.txt'],
  ['public/tcpdump-ssh.pcap', 54, 'tcpdump-ssh.f54.txt'],
  ['public/zeek-http-get.pcap', 9, 'zeek-http-get.f9.txt'],
  ['public/zeek-tcp-tcp-fast-open.pcap', 2, 'zeek-tcp-tcp-fast-open.f2.txt'],
  ['public/zeek-http-cooper-grill-dvwa.pcapng', 28, 'cooper.f28.txt'],
  ['lab/lab-dumpcap-lo-any.pcapng', 24, 'lab-dumpcap.f24.txt'],
];

describe('TCP tree vs tshark -V', () => {
  for (const [capture, frame, refFile] of CASES) {
    it(`${capture} frame ${frame}`, () => {
      const expected = readFileSync(FIXTURES + '../tcp/' + refFile, 'utf8')
        .replace(/\n+$/, '')
        .split('\n');
      const packets = dissectCapture(loadCapture(capture));
      const tree = packets[frame - 1].tree;
      // The TCP layer, plus the first line of a "[N Reassembled TCP Segments …]" subtree.
      const tcpText = formatTreeText(tree.filter((n) => n.field?.abbrev === 'tcp')).split('\n');
      const seg = tree.find((n) => n.field?.abbrev === 'tcp.segments');
      const actual = seg ? [...tcpText, formatTreeText([{ ...seg, children: [] }])] : tcpText;
      expect(actual.join('\n')).toBe(expected.join('\n'));
    });
  }
});
