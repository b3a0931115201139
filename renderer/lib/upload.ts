/**
 * Sends a capture file chosen in the UI to the host in parts (LabApi.uploadCapture): the
 * host shows the packets of each part as it reads it, so the first rows appear after the
 * first part instead of after the whole file (hundreds of MB) has crossed the bridge.
 * The next part is read from disk while the current one is sent.
 */
import type { LabApi, OpenCaptureResult } from '../../main/host/lab-api';

/** Small first part for the first rows, then larger ones. */
export const FIRST_UPLOAD_PART = 256 << 10;
export const UPLOAD_PART = 4 << 20;

export interface UploadFile {
  name: string;
  size: number;
  slice(start: number, end: number): Blob;
}

async function readPart(file: UploadFile, start: number, size: number): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(start, Math.min(file.size, start + size)).arrayBuffer());
}

export async function uploadCaptureFile(
  api: Pick<LabApi, 'uploadCapture'>,
  file: UploadFile,
): Promise<OpenCaptureResult> {
  let upload: number | undefined;
  let offset = 0;
  let next = readPart(file, 0, FIRST_UPLOAD_PART);
  for (;;) {
    const bytes = await next;
    const end = offset + bytes.length;
    const last = end >= file.size || bytes.length === 0;
    if (!last) next = readPart(file, end, UPLOAD_PART);
    const result = await api.uploadCapture(
      upload === undefined ? { name: file.name, offset, bytes, last } : { upload, offset, bytes, last },
    );
    upload = result.upload;
    offset = end;
    if (last || result.error) return { name: result.name, packets: result.packets, error: result.error };
  }
}
