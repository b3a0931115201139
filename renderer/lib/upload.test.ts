import { describe, expect, it, vi } from 'vitest';
import type { CaptureUploadPart, CaptureUploadResult } from '../../bridge/lab-api';
import { FIRST_UPLOAD_PART, PARTS_IN_FLIGHT, SERIAL_UPLOAD_BYTES, UPLOAD_PART, uploadCaptureFile } from './upload';

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
