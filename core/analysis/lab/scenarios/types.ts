/**
 * What a lab scenario's analysis gives the guide, the CLI and the report: a checklist filled
 * from the capture, an explanation built from its values, and the handouts' questions with
 * this capture's answers. Every text exists in zh-CN and en, both filled from the capture.
 */
import type { DissectedPacket } from '../../../dissect/context';
import type { HttpMessage } from '../stream';
import type { LabAnalysis, LabConnection } from '../types';
import type { LabScenario } from './names';

/** One text in both languages. */
export interface Bilingual {
  'zh-CN': string;
  en: string;
}

export type ScenarioCheckStatus = 'done' | 'partial' | 'missing';

export interface ScenarioCheck {
  id: string;
  status: ScenarioCheckStatus;
  /** What was seen (or what is missing), with the captured values. */
  text: Bilingual;
  /** Frames that show it; the first is where to look. */
  frames: number[];
  /** The detail-tree item (Wireshark field name) that shows it in the first frame. */
  field?: string;
}

export interface ScenarioQuestion {
  id: string;
  prompt: Bilingual;
  /** This capture's answer, as Wireshark shows it. */
  answer: string;
  kind: 'number' | 'text';
  /** For numbers: accepted relative error (0 = exact). */
  tolerance: number;
  /** Unit the answer is given in (e.g. ms), shown next to the input. */
  unit?: Bilingual;
  /** Where the answer is: frame and tree item. */
  frame: number | null;
  field?: string;
  /** How the answer is found, with the values (shown after checking). */
  where: Bilingual;
}

export interface ExplainItem {
  text: Bilingual;
  frames: number[];
}

/** Upload's TCP numbers: the RTT table and the data for the Stevens graph. */
export interface UploadTcp {
  stream: number;
  /** The POST's segments: frame, time (s), relative seq, length. */
  segments: { frame: number; time: number; seq: number; len: number }[];
  rtt: { segmentFrame: number; ackFrame: number; seq: number; len: number; sampleMs: number; estimatedMs: number }[];
  bytes: number;
  seconds: number;
  /** bytes / seconds. */
  throughput: number;
}

export interface ScenarioResult {
  scenario: LabScenario;
  /** How the scenario was known: the captured page said so, the traffic looked like it, or the caller chose it. */
  source: 'page' | 'traffic' | 'given';
  checks: ScenarioCheck[];
  explanation: ExplainItem[];
  questions: ScenarioQuestion[];
  /** Student fields read from the captured WireLab page, when present. */
  profile?: { major: string; studentId: string; name: string };
  upload?: UploadTcp;
}

/** One HTTP request and its response, on one connection. */
export interface Exchange {
  stream: number;
  request: HttpMessage;
  response: HttpMessage | null;
}

export interface ScenarioContext {
  packets: readonly DissectedPacket[];
  analysis: LabAnalysis;
  /** HTTP connections to the lab port, by stream. */
  connections: Map<number, LabConnection>;
  /** Every request with its response, in request order. */
  exchanges: Exchange[];
}

export interface ScenarioAnalyzer {
  checks(ctx: ScenarioContext): ScenarioCheck[];
  explain(ctx: ScenarioContext): ExplainItem[];
  questions(ctx: ScenarioContext): ScenarioQuestion[];
}
