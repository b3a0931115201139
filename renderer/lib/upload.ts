/**
 * Opening a capture file chosen in the UI (Open button, drop: a File).
 *
 * openCaptureInWorker: the dissection worker reads the file itself (worker/file-reader.ts), so
 * its bytes never cross the UI thread on their way to the list; the host gets the file too, in
 * large parts sent alongside (LabApi.uploadCapture with `loadedBy`), and keeps it on disk for
 * Save, statistics and other pages without sending its packets back. The host reads the header
 * first: a file that is not a capture is refused with the host's words, and what was shown stays.
 *
 * uploadCaptureFile: the file in parts to the host, the next part read from disk while the
 * current one is sent (alone, the host shows the packets of each part as it reads it).
 */
import type { CaptureUploadResult, LabApi, LabClient, OpenCaptureResult } from '../../bridge/lab-api';
import type { FileLoadResult } from '../worker/file-reader';

/** Small first part for the first rows, then larger ones. */
export const FIRST_UPLOAD_PART = 256 << 10;
export const UPLOAD_PART = 512 << 10;

/** A File (or a Blob with a name): what the file input and a drop give. */
export type UploadFile = Blob & { readonly name: string };

/** How the file is cut and paced (defaults: the host shows the packets, so small parts first). */
export interface UploadOptions {
  /** The page reads the file itself (CaptureUploadPart.loadedBy). */
  loadedBy?: string;
  /** Called with each answer of the host, in order (the first one says the source's generation). */
  onReply?: (result: CaptureUploadResult) => void;
  firstPart?: number;
  part?: number;
  inFlight?: number;
  serialBytes?: number;
  /**
   * Sends everything after the first part at once (the browser shell's uploadCaptureBody: the
   * browser streams it from the file), instead of part by part from here.
   */
  sendRest?: (upload: number, offset: number) => Promise<CaptureUploadResult>;
}

/**
 * When the worker reads the file, the host's copy goes in larger parts, two at a time: no
 * rows wait for it, and fewer, larger messages cost the UI thread less.
 */
export const LOCAL_UPLOAD: Required<Pick<UploadOptions, 'firstPart' | 'part' | 'inFlight' | 'serialBytes'>> = {
  firstPart: 64 << 10,
  part: 8 << 20,
  inFlight: 2,
  serialBytes: 0,
};

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
  options: UploadOptions = {},
): Promise<OpenCaptureResult> {
  const partSize = options.part ?? UPLOAD_PART;
  const inFlightParts = options.inFlight ?? PARTS_IN_FLIGHT;
  const serialBytes = options.serialBytes ?? SERIAL_UPLOAD_BYTES;
  const done = (r: CaptureUploadResult): OpenCaptureResult => ({ name: r.name, packets: r.packets, error: r.error });
  const answered = (r: CaptureUploadResult): CaptureUploadResult => {
    options.onReply?.(r);
    return r;
  };
  // The first part opens the upload (its number comes back), alone.
  const first = await readPart(file, 0, options.firstPart ?? FIRST_UPLOAD_PART);
  let offset = first.length;
  let result = answered(
    await api.uploadCapture({
      name: file.name,
      offset: 0,
      bytes: first,
      last: offset >= file.size || offset === 0,
      ...(options.loadedBy !== undefined ? { loadedBy: options.loadedBy } : {}),
    }),
  );
  if (offset >= file.size || offset === 0 || result.error) return done(result);
  const upload = result.upload;
  if (options.sendRest) return done(answered(await options.sendRest(upload, offset)));
  // Then a few parts at a time, so the host reads one while the next is on its way; the next
  // part is read from disk while the current one is sent.
  const inFlight: Promise<CaptureUploadResult>[] = [];
  let next: Promise<Uint8Array> | null = readPart(file, offset, partSize);
  while (next) {
    const bytes: Uint8Array = await next;
    const end = offset + bytes.length;
    const last = end >= file.size || bytes.length === 0;
    next = last ? null : readPart(file, end, partSize);
    inFlight.push(api.uploadCapture({ upload, offset, bytes, last }));
    offset = end;
    if (inFlight.length >= (offset <= serialBytes ? 1 : inFlightParts)) {
      result = answered(await (inFlight.shift() as Promise<CaptureUploadResult>));
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
    result = answered(await pending);
  }
  if (next) void next.catch(() => undefined);
  return done(result);
}

export interface WorkerOpenDeps {
  api: Pick<LabClient, 'uploadCapture' | 'uploadCaptureBody' | 'openCapture'>;
  /** The dissection worker: reads the file into the table of a generation. */
  worker: {
    loadFile(file: Blob, name: string, generation: number, key?: string): Promise<FileLoadResult>;
    prefetchFile?(file: Blob, key: string): void;
  };
  /** The packet feed (store/feed.ts): says when the host has made the file the source. */
  feed: {
    expectLocal(token: string, onStart: (generation: number) => void): void;
    adopt(generation: number, token: string): boolean;
  };
  /** Electron: the File's path on disk ('' when it has none); the host then reads that path itself. */
  pathOf?: (file: UploadFile) => string;
  /**
   * The browser shell's copy for the host waits for this (see HostCopy): resolves when the list
   * of `generation` has its `packets` dissected (or another source replaced it).
   */
  listComplete?: (generation: number, packets: number) => Promise<void>;
  hostCopy?: HostCopy;
  /** Called when the worker has read the whole file (the list and the host's copy may still be on their way). */
  onRead?: () => void;
}

/**
 * When the host gets its copy of a file the worker reads, in the browser shell: once the list is
 * complete, or at once when something needs it (Save). On a 2-core machine the copy (the browser
 * reading the file a second time, the host receiving and writing it) took CPU from the worker's
 * load pass: with the copy sent after the list, ui.bench measured the 1M-packet bench file fully
 * loaded in 11.0-11.3 s instead of 11.9-13.1 s, and the 300,000-packet lab-repeat capture in
 * 5.2-5.4 s instead of 6.1-7.0 s (two runs each, alternating).
 */
export class HostCopy {
  private current: { release: () => void; done: Promise<void> } | null = null;

  /** Runs `send` when `ready` resolves (or fails), or earlier if needed() is called. */
  async send<T>(ready: Promise<unknown>, send: () => Promise<T>): Promise<T> {
    let release = () => undefined as void;
    const go = new Promise<void>((resolve) => (release = resolve));
    let finish = () => undefined as void;
    const entry = { release, done: new Promise<void>((resolve) => (finish = resolve)) };
    this.current = entry;
    ready.then(release, release);
    try {
      await go;
      return await send();
    } finally {
      finish();
      if (this.current === entry) this.current = null;
    }
  }

  /** The host's copy is needed now (Save): sends it if it waits, and resolves once it is sent. */
  async needed(): Promise<void> {
    const entry = this.current;
    if (!entry) return;
    entry.release();
    await entry.done;
  }
}

/** A token for loadedBy: 16 random bytes, hex. */
function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Opens a file the dissection worker reads itself (see the top of this file). Resolves with what
 * the worker read (the packets, the damage it found) or the host's refusal; `cancelled` when a
 * newer file or a capture replaced it meanwhile (nothing to say then).
 */
export async function openCaptureInWorker(deps: WorkerOpenDeps, file: UploadFile): Promise<FileLoadResult> {
  const { api } = deps;
  const loadedBy = newToken();
  // Set once the host has read the header and made the file the source (its status or its answer).
  const started: { loading: Promise<FileLoadResult> | null; generation: number; stale: boolean } = {
    loading: null,
    generation: -1,
    stale: false,
  };
  deps.feed.expectLocal(loadedBy, (generation) => {
    started.generation = generation;
    started.loading = deps.worker.loadFile(file, file.name, generation, loadedBy);
    started.loading.then(deps.onRead, () => undefined);
  });
  // The worker reads the first part while the host reads the header.
  deps.worker.prefetchFile?.(file, loadedBy);
  const adopt = (generation: number | undefined) => {
    if (generation !== undefined && !started.loading && !deps.feed.adopt(generation, loadedBy)) started.stale = true;
  };
  let hostResult: OpenCaptureResult | null = null;
  let hostError: unknown = null;
  try {
    const path = deps.pathOf?.(file) ?? '';
    if (path !== '') {
      // Electron, a File with a path: the host reads the file itself, nothing crosses IPC.
      hostResult = await api.openCapture({ path, name: file.name, loadedBy });
      adopt(hostResult.generation);
    } else {
      // The browser shell: the rest in one request the browser streams from the file (nothing
      // through this thread); otherwise 8 MB parts.
      // It starts once the worker has read the file and the list is complete (HostCopy), so the
      // list waits neither for the host's copy nor for the CPU it takes.
      const body = api.uploadCaptureBody;
      const { hostCopy, listComplete } = deps;
      const sendRest = body
        ? async (upload: number, offset: number): Promise<CaptureUploadResult> => {
            const loaded = await started.loading;
            if (loaded?.cancelled) return { name: file.name, packets: 0, upload };
            const send = () => body({ upload, offset }, file.slice(offset));
            if (!hostCopy || !listComplete || !loaded) return send();
            return hostCopy.send(listComplete(started.generation, loaded.packets), send);
          }
        : undefined;
      hostResult = await uploadCaptureFile(api, file, {
        ...LOCAL_UPLOAD,
        loadedBy,
        onReply: (reply) => adopt(reply.generation),
        sendRest,
      });
    }
  } catch (error) {
    hostError = error;
  }
  const worker = started.loading;
  if (worker === null) {
    if (started.stale) return { name: file.name, packets: 0, cancelled: true };
    // Never a source: the host refused it (not a capture) or could not be reached.
    if (hostError !== null || hostResult === null) throw hostError;
    return { name: hostResult.name, packets: hostResult.packets, error: hostResult.error };
  }
  const loaded = await worker;
  // Replaced meanwhile: the host's copy was refused for the same reason, nothing to report.
  if (loaded.cancelled) return loaded;
  if (hostError !== null) throw hostError;
  return loaded;
}
