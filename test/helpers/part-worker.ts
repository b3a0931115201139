/**
 * A reader worker for tests (renderer/worker/file-parts.ts): its two ends are a MessageChannel's
 * ports, as a worker's are, and its side runs serveParts on this thread.
 */
import {
  serveParts,
  type PartEndpoint,
  type PartReply,
  type PartRequest,
  type PartWorker,
} from '../../renderer/worker/file-parts';

const ports: MessagePort[] = [];

/** Closes the ports of the channel workers made so far (after each test). */
export function closeChannelWorkers(): void {
  for (const port of ports.splice(0)) port.close();
}

/** A reader worker whose two ends are a MessageChannel's ports; it reads what `blobOf` gives. */
export function channelWorker(blobOf: (request: { blob: Blob; partSize: number }) => Blob = (r) => r.blob) {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const served = { parts: 0, terminated: false };
  // The reader's end counts what it sends (the parts it handed over).
  const readerEnd: PartEndpoint<PartRequest, PartReply> = {
    postMessage(message, transfer) {
      if (message.kind === 'part') served.parts++;
      port2.postMessage(message, transfer ?? []);
    },
    set onmessage(handler) {
      port2.onmessage = handler as (event: MessageEvent) => void;
    },
    get onmessage() {
      return port2.onmessage as PartEndpoint<PartRequest, PartReply>['onmessage'];
    },
  };
  const worker: PartWorker = {
    onerror: null,
    postMessage(message, transfer) {
      // The request (with its Blob) starts the reader, as the worker's first message does.
      if (message.kind === 'read') void serveParts(readerEnd, { ...message, blob: blobOf(message) });
      else port1.postMessage(message, transfer ?? []);
    },
    set onmessage(handler) {
      port1.onmessage = handler as (event: MessageEvent) => void;
    },
    get onmessage() {
      return port1.onmessage as PartWorker['onmessage'];
    },
    terminate() {
      served.terminated = true;
      port1.close();
      port2.close();
    },
  };
  return { worker, served };
}
