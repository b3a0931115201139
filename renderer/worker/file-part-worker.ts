/// <reference lib="webworker" />
/**
 * A worker that only reads an opened file's parts for the dissection worker (file-parts.ts), so
 * receiving the bytes does not take the dissection worker's thread.
 */
import { serveParts, type PartEndpoint, type PartReply, type PartRequest } from './file-parts';

const scope = self as unknown as DedicatedWorkerGlobalScope & PartEndpoint<PartRequest, PartReply>;
scope.onmessage = (event: MessageEvent<PartRequest>) => {
  const request = event.data;
  if (request.kind === 'read') void serveParts(scope, request);
};
