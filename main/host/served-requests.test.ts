import { describe, expect, it } from 'vitest';
import type { ServedRequest } from '../../bridge/lab-api';
import { OTHER_KINDS_PER_SECOND, ServedRequestThrottle } from './served-requests';

const served = (path: string, status = 200, method = 'GET'): ServedRequest => ({
  method,
  path,
  status,
  bytes: 100,
  remotePort: 40000,
  time: 0,
});

describe('which served requests reach the UI', () => {
  it('the first of each method, path and status in a second; again the next second', () => {
    const throttle = new ServedRequestThrottle();
    const passed = (path: string, now: number, status = 200) => throttle.pass(served(path, status), now);
    // A load of a thousand page requests in one second: one event.
    let page = 0;
    for (let i = 0; i < 1000; i++) if (passed('/', i)) page++;
    expect(page).toBe(1);
    // Each other kind once in that second: the logo, a 404, a HEAD.
    expect(passed('/logo.jpg', 500)).toBe(true);
    expect(passed('/logo.jpg', 600)).toBe(false);
    expect(passed('/missing', 700, 404)).toBe(true);
    expect(throttle.pass({ ...served('/'), method: 'HEAD' }, 800)).toBe(true);
    // The next second, each again.
    expect(passed('/', 1000)).toBe(true);
    expect(passed('/logo.jpg', 1001)).toBe(true);
  });

  it('the same path with other queries is the same kind', () => {
    const throttle = new ServedRequestThrottle();
    let passed = 0;
    for (let i = 0; i < 1000; i++) if (throttle.pass(served(`/?r=${i}`), i)) passed++;
    expect(passed).toBe(1);
    expect(throttle.pass(served('/logo.png?v=2'), 999)).toBe(true);
  });

  it('starts over with a new source: its first page request is not lost to the one before', () => {
    const throttle = new ServedRequestThrottle();
    expect(throttle.pass(served('/'), 100)).toBe(true);
    expect(throttle.pass(served('/'), 200)).toBe(false);
    throttle.reset();
    expect(throttle.pass(served('/'), 300)).toBe(true);
  });

  it('a scan of random paths passes a few kinds a second, and never crowds out the page and the logo', () => {
    const throttle = new ServedRequestThrottle();
    let scans = 0;
    for (let i = 0; i < 10_000; i++) if (throttle.pass(served(`/probe-${i}`, 404), i / 100)) scans++;
    expect(scans).toBe(OTHER_KINDS_PER_SECOND);
    expect(throttle.pass(served('/'), 150)).toBe(true);
    expect(throttle.pass(served('/logo.png'), 151)).toBe(true);
  });
});
