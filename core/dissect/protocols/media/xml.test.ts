/**
 * XML bodies against tshark 4.0.17 (its -V lines and columns, copied below): an XML document
 * built in the test (declaration, DOCTYPE, comment, elements with and without attributes, text),
 * and the SVG images of the lab's embedded-objects scenario
 * (test/fixtures/captures/scenarios/embedded-objects.pcapng).
 */
import { describe, expect, it } from 'vitest';
import type { DissectedPacket } from '../../context';
import { formatTreeText } from '../../print';
import { tcpRecord } from '../../../../test/helpers/packets';
import { dissectInOrder, fixtureRecords } from '../../../../test/helpers/captures';

const text = (s: string) => [...s].map((ch) => ch.charCodeAt(0));

/** The packet's -V lines from "eXtensible Markup Language" on. */
function xmlLines(packet: DissectedPacket): string[] {
  const lines = formatTreeText(packet.tree ?? [], packet.sources).split('\n');
  const start = lines.findIndex((line) => line.startsWith('eXtensible Markup Language'));
  return start < 0 ? [] : lines.slice(start);
}

const DOCUMENT =
  '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE note>\n<!-- a comment -->\n' +
  '<note id=\'n1\'>\n  <to>Tove</to>\n  <empty/>\n  <from lang="en">  Jani  </from>\n' +
  "  <body>Don't &amp; forget\n  me</body>\n</note>\n";

describe('an XML document (application/xml) built in the test', () => {
  const response = text(
    `HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: ${DOCUMENT.length}\r\n\r\n${DOCUMENT}`,
  );
  const packets = dissectInOrder([
    tcpRecord({ srcPort: 40000, dstPort: 80, seq: 100, ack: 0, flags: 0x02 }),
    tcpRecord({ srcPort: 80, dstPort: 40000, seq: 500, ack: 101, flags: 0x12, reverse: true }),
    tcpRecord({
      srcPort: 40000,
      dstPort: 80,
      seq: 101,
      ack: 501,
      flags: 0x18,
      payload: text('GET /a.xml HTTP/1.1\r\n\r\n'),
    }),
    tcpRecord({ srcPort: 80, dstPort: 40000, seq: 501, ack: 124, flags: 0x18, payload: response, reverse: true }),
  ]);
  const packet = packets[3];

  it('the columns: HTTP/XML, and no media type in the Info', () => {
    expect(packet.columns.protocol).toBe('HTTP/XML');
    expect(packet.columns.info).toBe('HTTP/1.1 200 OK ');
  });

  it('the tree: declaration, DOCTYPE, comment, elements with their attributes, text and closing tags', () => {
    expect(xmlLines(packet)).toEqual([
      'eXtensible Markup Language',
      '    <?xml',
      '        version="1.0"',
      '        encoding="UTF-8"',
      '        ?>',
      '    <!DOCTYPE note>',
      '    <!-- a comment -->',
      '    <note',
      "        id='n1'>",
      '        <to>',
      '            Tove',
      '            </to>',
      '        <empty/>',
      '        <from',
      '            lang="en">',
      '            Jani  ',
      '            </from>',
      '        <body>',
      "            Don't &amp; forget\\n  me",
      '            </body>',
      '        </note>',
    ]);
  });
});

describe("the embedded-objects scenario's SVG images", () => {
  const packets = dissectInOrder(fixtureRecords('scenarios/embedded-objects.pcapng'));

  it('each SVG response is HTTP/XML, its elements as tshark shows them', () => {
    const svg = packets.filter((p) => p.protocols.includes('xml'));
    expect(svg).toHaveLength(8);
    expect(svg.every((p) => p.columns.protocol === 'HTTP/XML' && p.columns.info === 'HTTP/1.1 200 OK ')).toBe(true);
    expect(xmlLines(packets[34])).toEqual([
      'eXtensible Markup Language',
      '    <svg',
      '        xmlns="http://www.w3.org/2000/svg"',
      '        width="96"',
      '        height="96"',
      '        viewBox="0 0 96 96">',
      '        <rect',
      '            width="96"',
      '            height="96"',
      '            rx="12"',
      '            fill="hsl(47,55%,45%)"/>',
      '        <text',
      '            x="48"',
      '            y="62"',
      '            font-size="40"',
      '            font-family="sans-serif"',
      '            text-anchor="middle"',
      '            fill="#fff">',
      '            1',
      '            </text>',
      '        </svg>',
    ]);
  });
});
