/// <reference lib="webworker" />
/**
 * The lab worker: the lab analysis (LabAnalyst) on a thread of its own, so the dissection
 * worker's load pass and the packet list go on while it runs. The dissection worker starts it
 * (lab-link.ts), sends it the records it needs and the UI's asks; the answers go straight to the
 * UI through the port it was given (a 20,000-packet analysis is megabytes: not copied twice).
 */
import { LabAnalyst, answerLabAsk } from './lab-analyst';
import type { LabWorkerAnswered, LabWorkerRequest } from './lab-link';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const analyst = new LabAnalyst();
let replies: MessagePort | null = null;

scope.onmessage = (event: MessageEvent<LabWorkerRequest>) => {
  const request = event.data;
  if (request.kind === 'replies') {
    replies = request.port;
    return;
  }
  answerLabAsk(analyst, request, (reply) => replies?.postMessage(reply));
  scope.postMessage({ kind: 'answered', id: request.id } satisfies LabWorkerAnswered);
};
