/**
 * MIME multipart bodies against tshark 4.0.17 (its -V lines, -T fields values and Info column,
 * copied below): a form upload built in the test (a field without a Content-Type, a text file, a
 * PNG with a pHYs chunk), and the lab's upload scenario capture (curl 7.88 sending a 150 KB text
 * file, test/fixtures/captures/scenarios/upload-curl.pcapng).
 */
import { describe, expect, it } from 'vitest';
import type { PacketRecord } from '../../../pcap/types';
import { formatTreeText } from '../../print';
import { ColumnFormatter, FieldExtractor } from '../../extract';
import { tcpRecord } from '../../../../test/helpers/packets';
import { dissectInOrder, fixtureRecords } from '../../../../test/helpers/captures';

const text = (s: string) => [...s].map((ch) => ch.charCodeAt(0));
const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

/** A 1×1 PNG: IHDR, pHYs (2835 pixels per metre), IEND. */
const PNG = [
  ...[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  ...u32(13),
  ...text('IHDR'),
  ...u32(1),
  ...u32(1),
  ...[8, 6, 0, 0, 0],
  ...u32(0x1f15c489),
  ...u32(9),
  ...text('pHYs'),
  ...u32(2835),
  ...u32(2835),
  1,
  ...u32(0x009a9c18),
  ...u32(0),
  ...text('IEND'),
  ...u32(0xae426082),
];

/** A POST of a three-part form (boundary "xYzZY") after a handshake, from 10.0.0.1 to port 80. */
function formUpload(): PacketRecord[] {
  const body = [
    ...text('--xYzZY\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello world\r\n'),
    ...text('--xYzZY\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'),
    ...text('Content-Type: text/plain\r\n\r\nline one\nline two\n\r\n'),
    ...text('--xYzZY\r\nContent-Disposition: form-data; name="img"; filename="p.png"\r\n'),
    ...text('Content-Type: image/png\r\n\r\n'),
    ...PNG,
    ...text('\r\n--xYzZY--\r\n'),
  ];
  const head = text(
    'POST /upload HTTP/1.1\r\nHost: 10.0.0.2\r\nContent-Type: multipart/form-data; boundary=xYzZY\r\n' +
      `Content-Length: ${body.length}\r\n\r\n`,
  );
  return [
    tcpRecord({ srcPort: 40000, dstPort: 80, seq: 100, ack: 0, flags: 0x02 }),
    tcpRecord({ srcPort: 80, dstPort: 40000, seq: 500, ack: 101, flags: 0x12, reverse: true }),
    tcpRecord({ srcPort: 40000, dstPort: 80, seq: 101, ack: 501, flags: 0x10 }),
    tcpRecord({ srcPort: 40000, dstPort: 80, seq: 101, ack: 501, flags: 0x18, payload: [...head, ...body] }),
  ];
}

/** Dissects the records in order; the last packet with its -V lines from "MIME Multipart" on. */
function lastPacket(records: readonly PacketRecord[]) {
  const packets = dissectInOrder(records);
  const packet = packets[packets.length - 1];
  const lines = formatTreeText(packet.tree ?? [], packet.sources).split('\n');
  const start = lines.findIndex((line) => line.startsWith('MIME Multipart'));
  return { packet, packets, mime: start < 0 ? [] : lines.slice(start) };
}

describe('a form upload (multipart/form-data) built in the test', () => {
  const { packet, mime } = lastPacket(formUpload());

  it('the Info column names the parts that have a dissector', () => {
    expect(packet.columns.info).toBe('POST /upload HTTP/1.1  (text/plain) (PNG)');
    expect(packet.protocols.join(':')).toBe('frame:eth:ethertype:ip:tcp:http:mime_multipart:data:data-text-lines:png');
  });

  it('each part: its headers, its body by its Content-Type (Data without one), the boundaries', () => {
    expect(mime.slice(0, 21)).toEqual([
      'MIME Multipart Media Encapsulation, Type: multipart/form-data, Boundary: "xYzZY"',
      '    [Type: multipart/form-data]',
      '    First boundary: --xYzZY\\r\\n',
      '    Encapsulated multipart part: ',
      '        Content-Disposition: form-data; name="note"\\r\\n\\r\\n',
      '        Data (11 bytes)',
      '',
      '0000  68 65 6c 6c 6f 20 77 6f 72 6c 64                  hello world',
      '            Data: 68656c6c6f20776f726c64',
      '            [Length: 11]',
      '    Boundary: \\r\\n--xYzZY\\r\\n',
      '    Encapsulated multipart part:  (text/plain)',
      '        Content-Disposition: form-data; name="file"; filename="a.txt"\\r\\n',
      '        Content-Type: text/plain\\r\\n\\r\\n',
      '        Line-based text data: text/plain (2 lines)',
      '            line one\\n',
      '            line two\\n',
      '    Boundary: \\r\\n--xYzZY\\r\\n',
      '    Encapsulated multipart part:  (image/png)',
      '        Content-Disposition: form-data; name="img"; filename="p.png"\\r\\n',
      '        Content-Type: image/png\\r\\n\\r\\n',
    ]);
    expect(mime[mime.length - 1]).toBe('    Last boundary: \\r\\n--xYzZY--\\r\\n');
  });

  it("a PNG's pHYs chunk", () => {
    const at = mime.indexOf('            Physical pixel dimensions (pHYs)');
    expect(mime.slice(at + 6, at + 10)).toEqual([
      '                Horizontal pixels per unit: 2835',
      '                Vertical pixels per unit: 2835',
      '                Unit: Unit is METRE (1)',
      '                CRC: 0x009a9c18',
    ]);
  });

  it('-T fields: header values compacted, boundaries with their line ends escaped', () => {
    const fields = [
      'mime_multipart.header.content-disposition',
      'mime_multipart.header.content-type',
      'mime_multipart.first_boundary',
      'mime_multipart.boundary',
      'mime_multipart.last_boundary',
      'http.request.line',
    ];
    const extractor = new FieldExtractor(fields, new ColumnFormatter());
    expect(extractor.values(packet)).toEqual([
      'form-data;name="note",form-data;name="file";filename="a.txt",form-data;name="img";filename="p.png"',
      'text/plain,image/png',
      '--xYzZY\\r\\n',
      '\\r\\n--xYzZY\\r\\n,\\r\\n--xYzZY\\r\\n',
      '\\r\\n--xYzZY--\\r\\n',
      'Host: 10.0.0.2\\r\\n,Content-Type: multipart/form-data; boundary=xYzZY\\r\\n,Content-Length: 366\\r\\n',
    ]);
  });
});

describe("the lab's upload scenario (curl 7.88)", () => {
  const packets = dissectInOrder(fixtureRecords('scenarios/upload-curl.pcapng'));
  // The request is reassembled in its last segment: the packet whose layers include the multipart.
  const upload = packets.find((p) => p.protocols.includes('mime_multipart'));

  it('the POST shows the uploaded file as text, as tshark does', () => {
    expect(upload?.columns.info).toBe('POST /upload HTTP/1.1  (text/plain)');
    const lines = formatTreeText(upload?.tree ?? [], upload?.sources).split('\n');
    const start = lines.findIndex((line) => line.startsWith('MIME Multipart'));
    expect(lines.slice(start, start + 8)).toEqual([
      'MIME Multipart Media Encapsulation, Type: multipart/form-data, Boundary: "------------------------77bdec23b7f29f1b"',
      '    [Type: multipart/form-data]',
      '    First boundary: --------------------------77bdec23b7f29f1b\\r\\n',
      '    Encapsulated multipart part:  (text/plain)',
      '        Content-Disposition: form-data; name="file"; filename="upload-sample.txt"\\r\\n',
      '        Content-Type: text/plain\\r\\n\\r\\n',
      '        Line-based text data: text/plain (972 lines)',
      '            WireLab upload sample (public domain, CC0 1.0; generated by assets/make-upload-sample.mjs)\\n',
    ]);
    expect(lines.slice(-3)).toEqual([
      '            \\n',
      '            End of the WireLab upload sample.\\n',
      '    Last boundary: \\r\\n--------------------------77bdec23b7f29f1b--\\r\\n',
    ]);
  });
});
