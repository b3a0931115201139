import { describe, expect, it, vi } from 'vitest';
import type { CaptureUploadPart, CaptureUploadResult } from '../../bridge/lab-api';
import {
  HostCopy,
  FIRST_UPLOAD_PART,
  LOCAL_UPLOAD,
  PARTS_IN_FLIGHT,
  SERIAL_UPLOAD_BYTES,
  UPLOAD_PART,
  openCaptureInWorker,
  uploadCaptureFile,
} from './upload';
import { PacketFeed } from '../store/feed';
import { labStatus } from '../test/fakes';

function fakeHost(fail?: (part: CaptureUploadPart) => CaptureUploadResult | undefined) {
  const received: CaptureUploadPart[] = [];
  const uploadCapture = vi.fn(async (part: CaptureUploadPart): Promise<CaptureUploadResult> => {
    received.push({ ...part, bytes: part.bytes.slice() });
    return fail?.(part) ?? { name: part.name ?? 'f.pcap', packets: received.length, upload: 7 };
  });
  return { api: { uploadCapture }, received };
}

describe('uploading a capture file in parts', () => {
  it('sends the whole file in order, a small first part, the last one marked', async () => {
    const size = FIRST_UPLOAD_PART + UPLOAD_PART * 2 + 10;
    const bytes = new Uint8Array(size).map((_, i) => i % 251);
    const { api, received } = fakeHost();
    const result = await uploadCaptureFile(api, new File([bytes], 'big.pcap'));
    expect(received.map((p) => p.bytes.length)).toEqual([FIRST_UPLOAD_PART, UPLOAD_PART, UPLOAD_PART, 10]);
    expect(received[0]).toMatchObject({ name: 'big.pcap', offset: 0, last: false });
    expect(received[0].upload).toBeUndefined();
    expect(received.slice(1).every((p) => p.upload === 7 && p.name === undefined)).toBe(true);
    expect(received.map((p) => p.offset)).toEqual([
      0,
      FIRST_UPLOAD_PART,
      FIRST_UPLOAD_PART + UPLOAD_PART,
      FIRST_UPLOAD_PART + 2 * UPLOAD_PART,
    ]);
    expect(received.at(-1)?.last).toBe(true);
    const joined = new Uint8Array(size);
    for (const p of received) joined.set(p.bytes, p.offset);
    expect(Buffer.from(joined).equals(Buffer.from(bytes))).toBe(true);
    expect(result).toEqual({ name: 'f.pcap', packets: 4, error: undefined });
  });

  it('stops at the first part the host refuses (not a capture, damaged)', async () => {
    const error = { code: 'bad-file', message: 'x.txt is not a capture file WireLab can read' };
    const { api, received } = fakeHost(() => ({ name: 'x.txt', packets: 0, upload: 1, error }));
    const result = await uploadCaptureFile(api, new File([new Uint8Array(FIRST_UPLOAD_PART * 3)], 'x.txt'));
    expect(received).toHaveLength(1);
    expect(result).toEqual({ name: 'x.txt', packets: 0, error });
  });

  it('sends an empty file as one empty last part (the host says it is empty)', async () => {
    const { api, received } = fakeHost();
    await uploadCaptureFile(api, new File([], 'empty.pcap'));
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ offset: 0, last: true });
    expect(received[0].bytes.length).toBe(0);
  });

  it('after the first MBs one at a time, keeps a few parts on their way; a refusal in the middle is the answer', async () => {
    const answers: ((r: CaptureUploadResult) => void)[] = [];
    const sent: CaptureUploadPart[] = [];
    const serial: number[] = [];
    const api = {
      uploadCapture: (part: CaptureUploadPart) => {
        if (part.offset <= SERIAL_UPLOAD_BYTES) {
          // The first parts: answered at once, so each goes only after the one before is read.
          serial.push(part.offset);
          return Promise.resolve({ name: 'big.pcap', packets: 1, upload: 3 });
        }
        return new Promise<CaptureUploadResult>((resolve) => {
          sent.push(part);
          answers.push(resolve);
        });
      },
    };
    const size = SERIAL_UPLOAD_BYTES + UPLOAD_PART * 8;
    const uploading = uploadCaptureFile(api, new File([new Uint8Array(size)], 'big.pcap'));
    await vi.waitFor(() => expect(sent).toHaveLength(PARTS_IN_FLIGHT));
    // Not more than that before the host answers.
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toHaveLength(PARTS_IN_FLIGHT);
    answers[0]({ name: 'big.pcap', packets: 2, upload: 3 });
    await vi.waitFor(() => expect(sent).toHaveLength(PARTS_IN_FLIGHT + 1));
    const error = { code: 'bad-file', message: 'big.pcap is damaged' };
    answers[1]({ name: 'big.pcap', packets: 2, upload: 3, error });
    answers[2]?.({ name: 'big.pcap', packets: 2, upload: 3 });
    expect(await uploading).toEqual({ name: 'big.pcap', packets: 2, error });
    const firstHeld = sent[0].offset;
    expect(sent.map((p) => p.offset)).toEqual(sent.map((_, i) => firstHeld + i * UPLOAD_PART));
    expect(serial.length).toBeGreaterThan(2);
  });
});

describe("the host's copy, after the list (HostCopy)", () => {
  it('sends when ready resolves, or fails; needed() sends at once and resolves when it is sent', async () => {
    const copy = new HostCopy();
    await copy.needed(); // nothing waits
    const order: string[] = [];
    let ready = () => undefined as void;
    const sent = copy.send(new Promise<void>((resolve) => (ready = resolve)), async () => {
      order.push('send');
      await new Promise((resolve) => setTimeout(resolve, 10));
      order.push('sent');
      return 7;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual([]);
    await copy.needed();
    order.push('needed resolved');
    expect(order).toEqual(['send', 'sent', 'needed resolved']);
    expect(await sent).toBe(7);
    ready(); // later: nothing more happens
    const failed = copy.send(Promise.reject(new Error('the worker stopped')), async () => 'still sent');
    expect(await failed).toBe('still sent');
  });
});

describe('opening a file the dissection worker reads itself', () => {
  function setup() {
    const resets: number[] = [];
    const feed = new PacketFeed({ reset: (g) => resets.push(g), append: () => undefined }, async () => {
      throw new Error('no packets are fetched for a file the page reads');
    });
    const loads: { file: Blob; name: string; generation: number }[] = [];
    const worker = {
      loadFile: vi.fn(async (file: Blob, name: string, generation: number) => {
        loads.push({ file, name, generation });
        return { name, packets: 42 };
      }),
    };
    return { feed, resets, worker, loads };
  }

  it('the browser shell: a small first part opens the source, the rest goes as one body; the worker reads the File', async () => {
    const { feed, resets, worker, loads } = setup();
    const parts: CaptureUploadPart[] = [];
    const bodies: { upload: number; offset: number; size: number }[] = [];
    const api = {
      uploadCapture: vi.fn(async (part: CaptureUploadPart) => {
        parts.push(part);
        return { name: 'big.pcap', packets: 10, upload: 4, generation: 9 };
      }),
      uploadCaptureBody: vi.fn(async (part: { upload: number; offset: number }, body: { size: number }) => {
        bodies.push({ ...part, size: body.size });
        return { name: 'big.pcap', packets: 42, upload: 4 };
      }),
      openCapture: vi.fn(),
    };
    const file = new File([new Uint8Array(LOCAL_UPLOAD.firstPart * 5)], 'big.pcap');
    const result = await openCaptureInWorker({ api, worker, feed }, file);
    expect(result).toEqual({ name: 'big.pcap', packets: 42 });
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ name: 'big.pcap', offset: 0, last: false });
    expect(parts[0].bytes.length).toBe(LOCAL_UPLOAD.firstPart);
    expect(parts[0].loadedBy).toMatch(/^[0-9a-f]{32}$/);
    expect(bodies).toEqual([{ upload: 4, offset: LOCAL_UPLOAD.firstPart, size: LOCAL_UPLOAD.firstPart * 4 }]);
    expect(loads).toEqual([{ file, name: 'big.pcap', generation: 9 }]);
    expect(worker.loadFile).toHaveBeenCalledWith(file, 'big.pcap', 9, parts[0].loadedBy);
    expect(resets).toEqual([9]);
    // The host's status for that source later: nothing reset, nothing fetched.
    feed.status(labStatus({ source: { kind: 'file', packets: 42, generation: 9, loadedBy: parts[0].loadedBy } }));
    expect(resets).toEqual([9]);
  });

  it("the browser shell: the host's copy waits until the list is complete, or until Save needs it", async () => {
    for (const trigger of ['list complete', 'save'] as const) {
      const { feed, worker } = setup();
      const bodies: number[] = [];
      const api = {
        uploadCapture: vi.fn(async () => ({ name: 'big.pcap', packets: 10, upload: 4, generation: 9 })),
        uploadCaptureBody: vi.fn(async (part: { upload: number; offset: number }) => {
          bodies.push(part.offset);
          return { name: 'big.pcap', packets: 42, upload: 4 };
        }),
        openCapture: vi.fn(),
      };
      let complete = () => undefined as void;
      const asked: [number, number][] = [];
      const listComplete = (generation: number, packets: number) => {
        asked.push([generation, packets]);
        return new Promise<void>((resolve) => (complete = resolve));
      };
      const hostCopy = new HostCopy();
      const file = new File([new Uint8Array(LOCAL_UPLOAD.firstPart * 5)], 'big.pcap');
      let settled = false;
      const opening = openCaptureInWorker({ api, worker, feed, hostCopy, listComplete }, file).then((r) => {
        settled = true;
        return r;
      });
      await vi.waitFor(() => expect(asked).toEqual([[9, 42]]));
      await new Promise((resolve) => setTimeout(resolve, 20));
      // The worker has read the file, the list is not complete: nothing more sent, the open not ended.
      expect(bodies).toEqual([]);
      expect(settled).toBe(false);
      if (trigger === 'save') {
        await hostCopy.needed();
        // Save goes on once the host has its copy.
        expect(bodies).toEqual([LOCAL_UPLOAD.firstPart]);
      } else complete();
      expect(await opening).toEqual({ name: 'big.pcap', packets: 42 });
      expect(bodies, trigger).toEqual([LOCAL_UPLOAD.firstPart]);
      // Nothing waits any more: Save goes straight on.
      await hostCopy.needed();
    }
  });

  it("Electron, a File with a path: the host reads the path; the worker starts on the host's status", async () => {
    const { feed, resets, worker, loads } = setup();
    const api = {
      uploadCapture: vi.fn(),
      openCapture: vi.fn(async (request: { path?: string; name?: string; loadedBy?: string }) => {
        // The status event comes while the host reads the file.
        feed.status(labStatus({ source: { kind: 'file', packets: 0, generation: 3, loadedBy: request.loadedBy } }));
        expect(loads).toHaveLength(1);
        return { name: 'lab.pcapng', packets: 42, generation: 3 };
      }),
    };
    const file = new File([new Uint8Array(10)], 'lab.pcapng');
    const result = await openCaptureInWorker({ api, worker, feed, pathOf: () => '/home/student/lab.pcapng' }, file);
    expect(api.openCapture).toHaveBeenCalledWith({
      path: '/home/student/lab.pcapng',
      name: 'lab.pcapng',
      loadedBy: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(api.uploadCapture).not.toHaveBeenCalled();
    expect(loads).toEqual([{ file, name: 'lab.pcapng', generation: 3 }]);
    expect(resets).toEqual([3]);
    expect(result).toEqual({ name: 'lab.pcapng', packets: 42 });
  });

  it("not a capture: the host's refusal, the worker never reads, what was shown stays", async () => {
    const { feed, resets, worker } = setup();
    const error = { code: 'bad-file', message: 'x.txt is not a capture file WireLab can read: …' };
    const api = {
      uploadCapture: vi.fn(async () => ({ name: 'x.txt', packets: 0, upload: 1, error })),
      openCapture: vi.fn(),
    };
    const result = await openCaptureInWorker({ api, worker, feed }, new File([new Uint8Array(100)], 'x.txt'));
    expect(result).toEqual({ name: 'x.txt', packets: 0, error });
    expect(worker.loadFile).not.toHaveBeenCalled();
    expect(resets).toEqual([]);
  });

  it('a newer source already shown (a capture started meanwhile): the file is not read, nothing said', async () => {
    const { feed, worker } = setup();
    feed.status(labStatus({ source: { kind: 'live', packets: 0, generation: 12 } }));
    const api = {
      uploadCapture: vi.fn(async () => ({ name: 'a.pcap', packets: 1, upload: 1, generation: 11 })),
      openCapture: vi.fn(),
    };
    const result = await openCaptureInWorker({ api, worker, feed }, new File([new Uint8Array(100)], 'a.pcap'));
    expect(result).toMatchObject({ cancelled: true });
    expect(worker.loadFile).not.toHaveBeenCalled();
  });
});
