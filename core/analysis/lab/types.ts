/** Data model of the lab analysis (what the guide panels, the CLI and the report read). */
import type { Direction } from './stream';

export type TcpState =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN_SENT'
  | 'SYN_RECEIVED'
  | 'ESTABLISHED'
  | 'FIN_WAIT_1'
  | 'FIN_WAIT_2'
  | 'CLOSE_WAIT'
  | 'CLOSING'
  | 'LAST_ACK'
  | 'TIME_WAIT';

export interface Endpoint {
  address: string;
  port: number;
}

/** Both ends' TCP states (RFC 793/9293 state machine) once a segment has been sent and received. */
export interface StatePair {
  client: TcpState;
  server: TcpState;
}

/** One captured TCP segment, with this capture's numbers. */
export interface SegmentRef {
  frame: number;
  /** Seconds since the first packet of the capture. */
  time: number;
  direction: Direction;
  /** "SYN", "SYN, ACK", "FIN, ACK", … */
  flags: string;
  flagBits: number;
  /** Relative (as Wireshark shows by default) and absolute sequence / acknowledgment numbers. */
  seq: number;
  ack: number;
  seqRaw: number;
  ackRaw: number;
  len: number;
  /** tcp.window_size_value (as sent) and tcp.window_size (scaled). */
  windowValue: number;
  window: number;
}

export interface HandshakeSegment extends SegmentRef {
  step: 1 | 2 | 3;
  mss: number | null;
  wscaleShift: number | null;
  wscaleMultiplier: number | null;
  sackPerm: boolean;
  /** States of both ends after this segment. */
  states: StatePair;
}

export interface Handshake {
  /** All three segments seen. */
  complete: boolean;
  segments: HandshakeSegment[];
  /** Initial sequence numbers (raw): x = the client's, y = the server's. */
  clientIsn: number | null;
  serverIsn: number | null;
  /** tcp.analysis.initial_rtt (seconds), when Wireshark's analysis gives it. */
  initialRtt: number | null;
}

export type TeardownRole = 'fin' | 'ack' | 'fin-ack' | 'rst';

export interface TeardownSegment extends SegmentRef {
  /** 1-based position in the teardown, in capture order. */
  step: number;
  role: TeardownRole;
  /** For ACKs: whose FIN this acknowledges. */
  acksFinOf?: Direction;
  states: StatePair;
}

export type TeardownKind = 'four-way' | 'three-way' | 'simultaneous' | 'rst' | 'partial' | 'none';

export type TeardownReason =
  /** Server closed an idle keep-alive connection (Node's keepAliveTimeout, 5 s by default). */
  | 'keep-alive-timeout'
  /** Response said "Connection: close". */
  | 'connection-close'
  | 'server-close'
  /** The browser closed several connections at the same moment (it exited or the tab closed). */
  | 'browser-exit'
  /** The browser closed a connection it never used, right after opening it. */
  | 'unused-closed'
  | 'client-close'
  | 'reset'
  | 'unknown';

export interface Teardown {
  kind: TeardownKind;
  /** Who sent the first FIN (or RST). */
  initiator: Direction | null;
  reason: TeardownReason;
  segments: TeardownSegment[];
  /** Seconds between the connection's last earlier packet (and last data) and the first FIN. */
  idleBeforeClose: number | null;
  /** Seconds between the first FIN and the other side's FIN (half-closed time). */
  halfCloseSeconds: number | null;
  /** Frames that carried data after the first FIN (half-close in use). */
  dataAfterFin: number[];
  /** Seconds from the first close packet to the last teardown packet. */
  duration: number | null;
}

export interface HttpRequestInfo {
  frame: number;
  firstFrame: number;
  time: number;
  method: string;
  uri: string;
  version: string;
  host?: string;
  userAgent?: string;
  headerBytes: number;
  bodyBytes: number;
  totalBytes: number;
}

export interface HttpResponseInfo {
  frame: number;
  firstFrame: number;
  time: number;
  code: number;
  phrase: string;
  version: string;
  contentType?: string;
  contentLength?: number;
  connection?: string;
  keepAlive?: string;
  headerBytes: number;
  bodyBytes: number;
  totalBytes: number;
}

export interface HttpTransaction {
  stream: number;
  request: HttpRequestInfo;
  response: HttpResponseInfo | null;
  /** Seconds from the request's frame to the response's frame (Wireshark's http.time). */
  duration: number | null;
  /** 'page' = the HTML page, 'logo' = the image, 'favicon', or 'other'. */
  kind: 'page' | 'logo' | 'favicon' | 'other';
}

export interface StateStep {
  frame: number;
  time: number;
  direction: Direction;
  flags: string;
  states: StatePair;
}

export type ConnectionRole = 'page' | 'unused' | 'other';

export type LabNoteCode =
  | 'no-syn'
  | 'no-fin'
  | 'incomplete-handshake'
  | 'ipv6'
  | 'unused-closed'
  | 'preconnect-idle'
  | 'duplicates'
  | 'retransmissions'
  | 'rst'
  | 'half-close'
  | 'pipelining'
  | 'no-lab-traffic'
  | 'port-guessed';

export interface LabNote {
  code: LabNoteCode;
  stream?: number;
  frames: number[];
  /** Numbers the explanation fills in (seconds, counts, ports). */
  values?: Record<string, number | string>;
}

export interface RttSample {
  /** The data segment and the ACK that acknowledged it. */
  segmentFrame: number;
  ackFrame: number;
  direction: Direction;
  segmentSeq: number;
  segmentLen: number;
  /** Seconds. */
  sampleRtt: number;
  estimatedRtt: number;
  devRtt: number;
  /** EstimatedRTT + 4·DevRTT. */
  timeoutInterval: number;
}

export interface TimeSeqPoint {
  frame: number;
  time: number;
  direction: Direction;
  /** Relative sequence number of the first byte, and the segment's length. */
  seq: number;
  len: number;
  ack: number;
  window: number;
  retransmission: boolean;
  flags: string;
}

export interface LabConnection {
  stream: number;
  ipVersion: 4 | 6 | 0;
  client: Endpoint;
  server: Endpoint;
  role: ConnectionRole;
  /** For unused connections: closed at once after the handshake, or left idle (a preconnected socket). */
  unusedKind?: 'closed-at-once' | 'idle';
  frames: number[];
  /** Second copies of packets captured on two interfaces (left out of the analysis). */
  duplicateFrames: number[];
  retransmissionFrames: number[];
  startTime: number;
  endTime: number;
  synSeen: boolean;
  finFrames: { client: number | null; server: number | null };
  rstFrame: number | null;
  payloadBytes: { client: number; server: number };
  handshake: Handshake;
  transactions: HttpTransaction[];
  teardown: Teardown;
  /** Both ends' states: `initial` before the first segment, then one step per (non-duplicate) segment. */
  initialStates: StatePair;
  states: StateStep[];
  finalStates: StatePair;
  timeSequence: TimeSeqPoint[];
  rtt: RttSample[];
  notes: LabNote[];
}

export type LabStepId =
  | 'server-up'
  | 'capture-running'
  | 'handshake'
  | 'page-request'
  | 'page-response'
  | 'logo-request'
  | 'logo-response'
  | 'page-loaded'
  | 'teardown';

export type LabStepStatus = 'done' | 'partial' | 'missing' | 'unknown';

export interface LabStep {
  id: LabStepId;
  status: LabStepStatus;
  /** 'host': reported by the app (server started, capture running, page loaded); 'capture': seen in the packets. */
  source: 'host' | 'capture';
  frames: number[];
  stream?: number;
}

export interface HostFacts {
  serverUp?: boolean;
  captureRunning?: boolean;
  pageLoaded?: boolean;
}

export interface LabAnalysisOptions {
  /** The lab server's port; default: 8001 when present, else the port that received SYNs / answered HTTP. */
  serverPort?: number;
  host?: HostFacts;
}

export interface LabAnalysis {
  serverPort: number | null;
  serverPortGuessed: boolean;
  packetCount: number;
  tcpPacketCount: number;
  /** Packets to or from the lab port. */
  labPacketCount: number;
  connections: LabConnection[];
  /** The connection that carried the page (GET returning HTML), else the first one with HTTP. */
  mainStream: number | null;
  steps: LabStep[];
  transactions: HttpTransaction[];
  notes: LabNote[];
}
