/**
 * An engine that reads only TCP's header (EngineOptions.tcpHeaderOnly: a display filter on
 * `tcp.flags.syn`, `tcp.hdr_len`, `tcp.len`…) keeps no TCP conversation, and must still give
 * every item of TCP_HEADER_FIELDS, and of the layers below, exactly as a full dissection pruned
 * to the same fields does: same value, bytes, place and order, over every capture of the test set.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { listCaptures } from '../../test/helpers/captures';
import { readCaptureFile } from '../pcap';
import { DissectionEngine, readsOnlyTcpHeader } from './engine';
import { TCP_HEADER_FIELDS } from './protocols/tcp';
import { TcpConversationTable } from './protocols/tcp/analysis';
import { valuesView } from '../../test/helpers/tree-view';

/** TCP's header items, and items of the layers below that a filter may read with them. */
const KEPT = [...TCP_HEADER_FIELDS, 'ip.len', 'ip.src', 'ipv6.plen', 'eth.src', 'frame.len', 'udp.port', 'icmp.type'];

describe('an engine for filters on TCP’s header alone', () => {
  const captures = listCaptures();
  it('covers the test set', () => expect(captures.length).toBeGreaterThan(20));

  for (const capture of captures) {
    it(`gives the header's items as a full dissection does, with no conversation: ${capture.id}`, () => {
      const { packets: records, info } = readCaptureFile(new Uint8Array(readFileSync(capture.path)));
      const options = { tree: true, interfaces: info.interfaces, format: info.format, keptFields: KEPT, labels: false };
      const full = new DissectionEngine(options);
      const headerOnly = new DissectionEngine({ ...options, tcpHeaderOnly: true });
      const fullTrees = records.map((record) => valuesView(full.dissect(record).tree));
      const conversations = vi.spyOn(TcpConversationTable.prototype, 'create');
      const headerTrees = records.map((record) => valuesView(headerOnly.dissect(record).tree));
      expect(conversations).not.toHaveBeenCalled();
      conversations.mockRestore();
      for (let i = 0; i < records.length; i++) expect(headerTrees[i], `frame ${i + 1}`).toEqual(fullTrees[i]);
    });
  }

  it('is chosen only for filters that read no TCP state and nothing above TCP', () => {
    expect(readsOnlyTcpHeader(['tcp.hdr_len', 'tcp.flags.syn', 'tcp.len', 'tcp.port', 'ip.src', 'frame.len'])).toBe(
      true,
    );
    expect(readsOnlyTcpHeader(['tcp'])).toBe(true);
    for (const field of [
      'tcp.seq',
      'tcp.ack',
      'tcp.nxtseq',
      'tcp.stream',
      'tcp.completeness',
      'tcp.window_size',
      'tcp.window_size_scalefactor',
      'tcp.options.mss_val',
      'tcp.options.sack_le',
      'tcp.analysis.retransmission',
      'tcp.time_relative',
      'tcp.connection.fin_active',
      'tcp.payload',
      'tcp.reassembled_in',
      'http.request',
      'frame.protocols',
      '_ws.malformed',
    ])
      expect(readsOnlyTcpHeader(['tcp.hdr_len', field]), field).toBe(false);
    expect(readsOnlyTcpHeader([])).toBe(false);
  });
});
