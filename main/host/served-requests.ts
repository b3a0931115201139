/**
 * Which of the lab server's requests go on to the UI as 'request' events. The UI learns from
 * them whether the page and the logo were served (renderer/store/lab-facts.ts), and every
 * event is a message to the UI's thread (a WebSocket frame or an IPC message). Under a load of
 * thousands of requests a second, one event per request filled that thread and queued the
 * packet batches behind them: the list fell seconds behind the capture.
 *
 * So a request is passed on when it says something new: the first of its method, path (without
 * the query) and status in each second, and since the source last changed (a new capture's facts start
 * empty). Other statuses than 200 (a scan of random paths) are passed on for at most
 * OTHER_KINDS_PER_SECOND kinds a second, so they cannot crowd out the page's own.
 */
import type { ServedRequest } from '../../bridge/lab-api';

/** Kinds of request (method, path, status) with a status other than 200 passed on per second. */
export const OTHER_KINDS_PER_SECOND = 64;

export class ServedRequestThrottle {
  private windowStart = -Infinity;
  private readonly seen = new Set<string>();
  private others = 0;

  /** Whether this request is passed on (`now` in ms, from a clock that does not jump back). */
  pass(request: ServedRequest, now: number): boolean {
    if (now - this.windowStart >= 1000) this.reset(now);
    // The path without its query: the same page asked for with a thousand queries is one kind.
    const query = request.path.indexOf('?');
    const path = query < 0 ? request.path : request.path.slice(0, query);
    const kind = `${request.status} ${request.method} ${path}`;
    if (this.seen.has(kind)) return false;
    if (request.status !== 200) {
      if (this.others >= OTHER_KINDS_PER_SECOND) return false;
      this.others++;
    }
    this.seen.add(kind);
    return true;
  }

  /** Starts over: every kind is new again (a new source, whose facts start empty). */
  reset(now = -Infinity): void {
    this.windowStart = now;
    this.seen.clear();
    this.others = 0;
  }
}
