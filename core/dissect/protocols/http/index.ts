/**
 * HTTP/1.x (Wireshark's packet-http.c), split by concern: fields.ts (fields, status texts,
 * expert items), headers.ts (first line, header scan and the values read from headers),
 * dissector.ts (one message: tree, transactions), body.ts with decode.ts (de-chunking,
 * decompression, the media type's dissector) and consumer.ts (TCP ports, heuristic, the loop
 * over the messages of a payload). This file declares HTTP as data.
 */
import { defineProtocol } from '../../protocol';
import { httpConsumer } from './consumer';
import { httpExpert, httpFields } from './fields';

export { httpConsumer } from './consumer';
export { httpFields, HTTP_NUMBER_FIELDS, HTTP_STATUS, HTTP_TCP_PORTS } from './fields';
export {
  httpStreams,
  headerBlockItems,
  HEADER_ITEM_FIELDS,
  type HttpStream,
  type HttpStreams,
  type HttpTransaction,
} from './dissector';
export { HeaderScratch } from './headers';

export const protocol = defineProtocol({
  name: 'http',
  fields: [httpFields],
  expertInfos: [httpExpert],
  tcpConsumers: [httpConsumer],
});
