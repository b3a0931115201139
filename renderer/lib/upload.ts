/**
 * Sends a capture file chosen in the UI to the host in parts (LabApi.uploadCapture): the
 * host shows the packets of each part as it reads it, so the first rows appear after the
 * first part instead of after the whole file (hundreds of MB) has crossed the bridge.
 * The next part is read from disk while the current one is sent.
 */
import type { CaptureUploadResult, LabApi, OpenCaptureResult } from '../../bridge/lab-api';

/** Small first part for the first rows, then larger ones. */
export const FIRST_UPLOAD_PART = 256 << 10;
export const UPLOAD_PART = 512 << 10;

export interface UploadFile {
  name: string;
  size: number;
  slice(start: number, end: number): Blob;
}

async function readPart(file: UploadFile, start: number, size: number): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(start, Math.min(file.size, start + size)).arrayBuffer());
}

/** Parts sent before the host has answered the earlier ones (it reads them in order). */
export const PARTS_IN_FLIGHT = 4;
/**
 * Up to this offset, one part at a time: sending several at once keeps the UI thread busy
 * (encoding, WebSocket send) while the first rows come back, which shows them 1-2 s later.
 */
export const SERIAL_UPLOAD_BYTES = 4 << 20;

export async function uploadCaptureFile(
  api: Pick<LabApi, 'uploadCapture'>,
  file: UploadFile,
): Promise<OpenCaptureResult> {
  const done = (r: CaptureUploadResult): OpenCaptureResult => ({ name: r.name, packets: r.packets, error: r.error });
  // The first part opens the upload (its number comes back), alone.
  const first = await readPart(file, 0, FIRST_UPLOAD_PART);
  let offset = first.length;
  let result = await api.uploadCapture({
    name: file.name,
    offset: 0,
    bytes: first,
    last: offset >= file.size || offset === 0,
  });
  if (offset >= file.size || offset === 0 || result.error) return done(result);
  const upload = result.upload;
  // Then a few parts at a time, so the host reads one while the next is on its way; the next
  // part is read from disk while the current one is sent.
  const inFlight: Promise<CaptureUploadResult>[] = [];
  let next: Promise<Uint8Array> | null = readPart(file, offset, UPLOAD_PART);
  while (next) {
    const bytes: Uint8Array = await next;
    const end = offset + bytes.length;
    const last = end >= file.size || bytes.length === 0;
    next = last ? null : readPart(file, end, UPLOAD_PART);
    inFlight.push(api.uploadCapture({ upload, offset, bytes, last }));
    offset = end;
    if (inFlight.length >= (offset <= SERIAL_UPLOAD_BYTES ? 1 : PARTS_IN_FLIGHT)) {
      result = await (inFlight.shift() as Promise<CaptureUploadResult>);
      if (result.error) break;
    }
  }
  // A part the host refused ends the upload: what it says is the answer, whatever the parts
  // sent after it say (the file is closed by then).
  for (const pending of inFlight) {
    if (result.error) {
      pending.catch(() => undefined);
      continue;
    }
    result = await pending;
  }
  if (next) void next.catch(() => undefined);
  return done(result);
}
