/**
 * The LabApi contract: the one API the UI uses. Both shells — Electron (preload + IPC) and
 * the browser shell (WebSocket) — implement it from the lists below, so they cannot drift.
 * Everything crossing the bridge is plain data (structured-clone / JSON with bytes).
 */
import { isLabScenario, type LabScenario } from '../core/analysis/lab/scenarios/names';

/**
 * The student's profile as stored and shown on the page: three text fields. embedded-server validates,
 * stores and serves them (embedded-server/profile.ts); every other profile shape derives from this one.
 */
export interface ProfileFields {
  /** 专业 */
  major: string;
  /** 学号 */
  studentId: string;
  /** 姓名 */
  name: string;
}

/** The profile as the UI sees it across the bridge: the fields plus what the logo is. */
export interface Profile extends ProfileFields {
  /** The logo as served: MIME type and size; the bytes are fetched with getLogo(). */
  logo: { mimeType: string; size: number };
}

export type ProfileField = keyof ProfileFields;

/** The fields in the order the page shows them (and the only keys updateProfile accepts). */
export const PROFILE_FIELDS = ['major', 'studentId', 'name'] as const satisfies readonly ProfileField[];

export type ProfileUpdate = Partial<ProfileFields>;

/** A captured packet as it travels to the UI, which dissects it in a worker. */
export interface WireRecord {
  data: Uint8Array;
  originalLength: number;
  tsSec: number;
  tsNsec: number;
  interfaceId: number;
  linkType: number;
  comments?: string[];
  /** A pcapng block shown as a frame (tshark 4.0's Custom Block frames), not a packet; see core/pcap/types.ts. */
  pcapngBlock?: { type: number; pen: number; section: number };
  noTimestamp?: boolean;
}

export interface InterfaceSummary {
  name: string;
  description?: string;
  addresses: string[];
  loopback: boolean;
}

export type ServerState = 'stopped' | 'starting' | 'running' | 'error';
export type CaptureState = 'idle' | 'starting' | 'running' | 'stopping' | 'error';

export interface LabError {
  /** Machine-readable cause: 'port-in-use', 'permission', 'no-backend', 'crashed', 'bad-file', … */
  code: string;
  /** What happened, in a sentence. */
  message: string;
  /** What to do next (per OS where it matters). */
  remedy?: string;
}

export interface LabStatus {
  server: {
    state: ServerState;
    url?: string;
    host: string;
    port: number;
    error?: LabError;
    /** The scenario served while running. */
    scenario?: LabScenario;
  };
  capture: {
    state: CaptureState;
    backend?: string;
    device?: string;
    filter?: string;
    received: number;
    dropped: number;
    /** False when the capture backend cannot count drops (then `dropped` is unknown, not zero). */
    dropsKnown?: boolean;
    error?: LabError;
    /** Bytes kept of each packet (startCapture's snapLen; Start Lab keeps 262144). */
    snapLen?: number;
  };
  /** What the packet list holds: a live capture or a file. */
  source: {
    kind: 'none' | 'live' | 'file';
    name?: string;
    packets: number;
    generation: number;
    error?: LabError;
    /** A file's format, known once its header was read (Capture File Properties). */
    format?: 'pcap' | 'pcapng';
    /**
     * Set when a page reads this file itself (CaptureUploadPart.loadedBy): that page does not
     * ask for its packets; any other page (or the same one after a reload) fetches them.
     */
    loadedBy?: string;
  };
}

/**
 * Records packed in two buffers instead of an object each (record-batch.ts packs and unpacks
 * them): a batch of 20,000 packets crosses the bridge and the UI thread as two blobs.
 */
export interface RecordBatch {
  count: number;
  /** RECORD_META_BYTES per record: timestamps, lengths, interface and link type. */
  meta: Uint8Array;
  /** The records' captured bytes, back to back. */
  data: Uint8Array;
  /** Comments, by position in the batch, of the records that have any. */
  comments?: Record<string, string[]>;
  /** pcapng blocks shown as frames (Custom Blocks), by position in the batch; they have no time. */
  blocks?: Record<string, { type: number; pen: number; section: number }>;
}

/** Packets appended to the current source; `generation` changes whenever the source is replaced. */
export interface PacketsEvent {
  generation: number;
  /** Index (from 0) of the first record in this batch within the source. */
  firstIndex: number;
  batch: RecordBatch;
}

export interface ServedRequest {
  method: string;
  path: string;
  status: number;
  bytes: number;
  remotePort: number;
  time: number;
}

export interface LabEvents {
  status: LabStatus;
  packets: PacketsEvent;
  request: ServedRequest;
  log: { level: 'info' | 'warning' | 'error'; message: string };
}

export interface StartLabOptions {
  port?: number;
  host?: string;
  /** Needed to bind a non-loopback host: the page becomes visible to the network. */
  allowNetworkExposure?: boolean;
  backend?: 'auto' | 'cap' | 'dumpcap' | 'tcpdump';
  /** The lab scenario the server serves (default `profile`); a running lab switches at once. */
  scenario?: LabScenario;
}

export interface OpenCaptureRequest {
  /** A path on the host (Electron, CLI) … */
  path?: string;
  /** … or the file's bytes, in one message (uploadCapture sends a big file in parts). */
  bytes?: Uint8Array;
  name?: string;
  /** As CaptureUploadPart.loadedBy: the page reads this file itself (Electron: a File with a path). */
  loadedBy?: string;
}

/**
 * One part of a capture file sent in parts (the browser shell has no path to give): packets
 * are shown as each part is read instead of after the whole file has crossed the bridge.
 */
export interface CaptureUploadPart {
  /** Absent on the first part, which starts a new upload; then the `upload` number it returned. */
  upload?: number;
  /** The file's name (first part). */
  name?: string;
  /** Where the bytes start in the file: each part continues the one before. */
  offset: number;
  bytes: Uint8Array;
  /** Set on the last part: the file is complete and the result counts every packet. */
  last?: boolean;
  /**
   * First part only: the page reads the file itself (its dissection worker) and shows its
   * packets, so the host sends no packets events for it and only keeps it (on disk) for Save,
   * statistics and other pages. A token the page chose; LabStatus.source.loadedBy repeats it.
   */
  loadedBy?: string;
}

export interface OpenCaptureResult {
  name: string;
  packets: number;
  /** Set when the file is damaged: the packets before the damage are loaded. */
  error?: LabError;
  /** The source's generation once the file's header was read (it replaced what was shown). */
  generation?: number;
}

export interface CaptureUploadResult extends OpenCaptureResult {
  /** Which upload this is: the next parts carry it. */
  upload: number;
  /** Packets read so far; with `last` (or an error) the whole file's. */
  packets: number;
}

export interface SaveCaptureRequest {
  /** Indices (from 0) of the packets to save; all when absent. */
  indices?: number[];
  /** Where to write on the host; when absent the pcapng bytes are returned instead. */
  path?: string;
}

export interface SaveCaptureResult {
  packets: number;
  path?: string;
  bytes?: Uint8Array;
}

export interface CaptureStatistics {
  packets: number;
  bytes: number;
  firstTime?: number;
  lastTime?: number;
  received: number;
  dropped: number;
}

/** Capture → Options: a capture on any interface, without the lab's server or page. */
export interface CaptureOptions {
  /** Interface name, as listInterfaces() gives it. */
  device: string;
  /** BPF capture filter (man pcap-filter); '' or absent: everything. */
  filter?: string;
  /** Bytes kept of each packet, 1-262144 (default 262144, as Wireshark). */
  snapLen?: number;
  /** Where the capture is also written when it ends (Electron's save dialog); the temp pcapng is written either way. */
  savePath?: string;
  backend?: 'auto' | 'cap' | 'dumpcap' | 'tcpdump';
}

/** A capture filter compiled for an interface before the capture starts. */
export interface CaptureFilterCheck {
  filter: string;
  device: string;
  /** true: it compiles; false: refused (message is the compiler's); null: it could not be checked (error says why). */
  valid: boolean | null;
  message?: string;
  /** The interface is gone ('no-device'), no permission, or no tool to compile with. */
  error?: LabError;
  checkedBy?: string;
  /** Length of the compiled BPF program. */
  instructions?: number;
}

export const MAX_SNAPLEN = 262144;

/** The methods, as the UI calls them. Every method is async across the bridge. */
export interface LabApi {
  getStatus(): Promise<LabStatus>;
  getProfile(): Promise<Profile>;
  updateProfile(update: ProfileUpdate): Promise<Profile>;
  setLogo(bytes: Uint8Array): Promise<Profile>;
  getLogo(): Promise<{ mimeType: string; bytes: Uint8Array }>;
  startLab(options?: StartLabOptions): Promise<LabStatus>;
  stopLab(): Promise<LabStatus>;
  getPackets(from: number, count: number): Promise<PacketsEvent>;
  openCapture(request: OpenCaptureRequest): Promise<OpenCaptureResult>;
  uploadCapture(part: CaptureUploadPart): Promise<CaptureUploadResult>;
  saveCapture(request: SaveCaptureRequest): Promise<SaveCaptureResult>;
  listInterfaces(): Promise<InterfaceSummary[]>;
  getStatistics(): Promise<CaptureStatistics>;
  /** Starts a capture on any interface (no server, no page); stopLab() stops it. */
  startCapture(options: CaptureOptions): Promise<LabStatus>;
  checkCaptureFilter(filter: string, device: string): Promise<CaptureFilterCheck>;
}

export type LabMethod = keyof LabApi;
export type LabEvent = keyof LabEvents;

/** Stops a subscription made with `on()`. */
export type Unsubscribe = () => void;

/**
 * A LabApi with its events: the one shape on both sides of the bridge. LabHost is one; the
 * Electron IPC router and the browser shell's WebSocket bridge serve one; the UI holds one.
 */
export interface LabApiWithEvents extends LabApi {
  on<E extends LabEvent>(event: E, listener: (payload: LabEvents[E]) => void): Unsubscribe;
}

/** What the UI holds (window.wirelab in Electron, the WebSocket client in the browser): which shell serves it too. */
export interface LabClient extends LabApiWithEvents {
  /** 'electron': the preload's bridge; 'web': the browser shell's WebSocket bridge. */
  readonly shell: 'electron' | 'web';
  /**
   * The browser shell only: the rest of an upload (uploadCapture's parts from `offset` to the
   * end, the last one marked) sent as one HTTP request body, which the browser streams from the
   * file itself: none of its bytes pass through the page's JavaScript. Resolves with the host's
   * answer to the last part it read (an error ends the upload there).
   */
  uploadCaptureBody?(part: { upload: number; offset: number }, body: UploadBody): Promise<CaptureUploadResult>;
}

/** A Blob (the DOM type, which this folder does not import). */
export interface UploadBody {
  readonly size: number;
}

/** The single list both shells expose; the preload and the WebSocket bridge are generated from it. */
export const labMethods = [
  'getStatus',
  'getProfile',
  'updateProfile',
  'setLogo',
  'getLogo',
  'startLab',
  'stopLab',
  'getPackets',
  'openCapture',
  'uploadCapture',
  'saveCapture',
  'listInterfaces',
  'getStatistics',
  'startCapture',
  'checkCaptureFilter',
] as const satisfies readonly LabMethod[];

export const labEvents = ['status', 'packets', 'request', 'log'] as const satisfies readonly LabEvent[];

// Compile-time check that the lists are complete.
type Missing<A extends string, B extends readonly string[]> = Exclude<A, B[number]>;
const _allMethodsListed: Missing<LabMethod, typeof labMethods> extends never ? true : never = true;
const _allEventsListed: Missing<LabEvent, typeof labEvents> extends never ? true : never = true;
void _allMethodsListed;
void _allEventsListed;

/** Thrown by argument validation: a bridge message that does not fit the contract. */
export class LabApiArgumentError extends Error {
  constructor(method: string, problem: string) {
    super(`${method}: ${problem}`);
    this.name = 'LabApiArgumentError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const optionalString = (v: unknown, max: number) => v === undefined || (typeof v === 'string' && v.length <= max);
const MAX_FILTER = 4096;
/** An interface name: text, not empty, no control characters (it becomes a tool's argument). */
const isDevice = (v: unknown): v is string =>
  typeof v === 'string' &&
  v.length > 0 &&
  v.length <= 255 &&
  ![...v].some((c) => c.charCodeAt(0) < 32) &&
  !v.startsWith('-');

/**
 * Validates the arguments of a bridge call before they reach the host (IPC and WebSocket
 * input is untrusted). Returns the arguments typed, or throws LabApiArgumentError.
 */
/** A page's token (CaptureUploadPart.loadedBy). */
const isToken = (v: unknown): boolean => typeof v === 'string' && /^[\w-]{1,64}$/.test(v);

export function validateLabCall(method: string, args: unknown[]): { method: LabMethod; args: unknown[] } {
  if (!(labMethods as readonly string[]).includes(method)) throw new LabApiArgumentError(method, 'unknown method');
  const m = method as LabMethod;
  const fail = (problem: string): never => {
    throw new LabApiArgumentError(m, problem);
  };
  const [a, b] = args;
  switch (m) {
    case 'getStatus':
    case 'getProfile':
    case 'getLogo':
    case 'stopLab':
    case 'listInterfaces':
    case 'getStatistics':
      if (args.length > 0) fail('takes no arguments');
      break;
    case 'updateProfile': {
      if (!isObject(a)) fail('expects a profile object');
      const update = a as Record<string, unknown>;
      for (const key of Object.keys(update)) {
        if (!(PROFILE_FIELDS as readonly string[]).includes(key)) fail(`unknown profile field "${key}"`);
        if (typeof update[key] !== 'string' || (update[key] as string).length > 200) fail(`${key} must be text`);
      }
      break;
    }
    case 'setLogo':
      if (!isBytes(a)) fail('expects the image bytes');
      break;
    case 'startLab': {
      if (a === undefined) break;
      if (!isObject(a)) fail('expects an options object');
      const o = a as Record<string, unknown>;
      if (o.port !== undefined && !(isIndex(o.port) && (o.port as number) <= 65535)) fail('port must be 0-65535');
      if (!optionalString(o.host, 255)) fail('host must be text');
      if (o.allowNetworkExposure !== undefined && typeof o.allowNetworkExposure !== 'boolean')
        fail('allowNetworkExposure must be true or false');
      if (o.backend !== undefined && !['auto', 'cap', 'dumpcap', 'tcpdump'].includes(o.backend as string))
        fail('unknown capture backend');
      if (o.scenario !== undefined && !isLabScenario(o.scenario)) fail('unknown lab scenario');
      break;
    }
    case 'getPackets':
      if (!isIndex(a) || !isIndex(b) || (b as number) > 100_000) fail('expects (from, count ≤ 100000)');
      break;
    case 'openCapture': {
      if (!isObject(a)) fail('expects { path } or { bytes, name }');
      const o = a as Record<string, unknown>;
      if (o.path === undefined && o.bytes === undefined) fail('expects { path } or { bytes, name }');
      if (!optionalString(o.path, 4096) || !optionalString(o.name, 255)) fail('path and name must be text');
      if (o.bytes !== undefined && !isBytes(o.bytes)) fail('bytes must be a Uint8Array');
      if (o.loadedBy !== undefined && !isToken(o.loadedBy))
        fail('loadedBy must be a token of 1-64 letters, digits, _ or -');
      break;
    }
    case 'uploadCapture': {
      if (!isObject(a)) fail('expects a part { offset, bytes }');
      const o = a as Record<string, unknown>;
      if (o.upload !== undefined && !isIndex(o.upload)) fail('upload must be an upload number');
      if (!optionalString(o.name, 255)) fail('name must be text');
      if (!isIndex(o.offset) || !isBytes(o.bytes)) fail('expects a part { offset, bytes }');
      if (o.last !== undefined && typeof o.last !== 'boolean') fail('last must be true or false');
      if (o.loadedBy !== undefined && !isToken(o.loadedBy))
        fail('loadedBy must be a token of 1-64 letters, digits, _ or -');
      break;
    }
    case 'saveCapture': {
      if (!isObject(a)) fail('expects a request object');
      const o = a as Record<string, unknown>;
      if (o.indices !== undefined && !(Array.isArray(o.indices) && o.indices.every(isIndex)))
        fail('indices must be packet indices');
      if (!optionalString(o.path, 4096)) fail('path must be text');
      break;
    }
    case 'startCapture': {
      if (args.length !== 1 || !isObject(a)) fail('expects an options object { device, filter?, snapLen?, savePath? }');
      const o = a as Record<string, unknown>;
      for (const key of Object.keys(o)) {
        if (!['device', 'filter', 'snapLen', 'savePath', 'backend'].includes(key)) fail(`unknown option "${key}"`);
      }
      if (!isDevice(o.device)) fail('device must be an interface name');
      if (!optionalString(o.filter, MAX_FILTER)) fail(`filter must be text of at most ${MAX_FILTER} characters`);
      if (o.snapLen !== undefined && !(isIndex(o.snapLen) && o.snapLen >= 1 && o.snapLen <= MAX_SNAPLEN))
        fail(`snapLen must be 1-${MAX_SNAPLEN}`);
      if (
        o.savePath !== undefined &&
        !(typeof o.savePath === 'string' && o.savePath !== '' && o.savePath.length <= 4096)
      )
        fail('savePath must be a path');
      if (o.backend !== undefined && !['auto', 'cap', 'dumpcap', 'tcpdump'].includes(o.backend as string))
        fail('unknown capture backend');
      break;
    }
    case 'checkCaptureFilter':
      if (args.length !== 2 || typeof a !== 'string' || a.length > MAX_FILTER || !isDevice(b))
        fail('expects (filter, device)');
      break;
  }
  return { method: m, args };
}
