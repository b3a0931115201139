/** Fakes of the host (LabClient) and the dissection worker for store and component tests. */
import { vi } from 'vitest';
import type { CaptureUploadPart, LabEvents, LabStatus, PacketsEvent, Profile } from '../../bridge/lab-api';
import { packRecords } from '../../bridge/record-batch';
import type { LabClient } from '../api/types';
import type { DissectionClient, ProgressListener } from '../worker/worker-client';
import type { FilterOutcome, PacketDetail, RowData, SortSpec, TableProgress } from '../worker/worker-messages';

export function labStatus(patch: Partial<LabStatus> = {}): LabStatus {
  return {
    server: { state: 'stopped', host: '127.0.0.1', port: 8001 },
    capture: { state: 'idle', received: 0, dropped: 0 },
    source: { kind: 'none', packets: 0, generation: 0 },
    ...patch,
  };
}

export const profile: Profile = {
  major: '计算机',
  studentId: '2024001',
  name: '张三',
  logo: { mimeType: 'image/png', size: 10 },
};

export function fakeApi(overrides: Partial<LabClient> = {}) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const running = labStatus({
    server: { state: 'running', host: '127.0.0.1', port: 8001, url: 'http://127.0.0.1:8001/' },
    capture: { state: 'running', backend: 'cap', device: 'lo', received: 0, dropped: 0 },
    source: { kind: 'live', packets: 0, generation: 1 },
  });
  const api = {
    shell: 'web' as const,
    getStatus: vi.fn(async () => labStatus()),
    getProfile: vi.fn(async () => profile),
    updateProfile: vi.fn(async (u: Partial<Profile>) => ({ ...profile, ...u })),
    setLogo: vi.fn(async (b: Uint8Array) => ({ ...profile, logo: { mimeType: 'image/png', size: b.length } })),
    getLogo: vi.fn(async () => ({ mimeType: 'image/png', bytes: new Uint8Array(0) })),
    startLab: vi.fn(async () => running),
    stopLab: vi.fn(async () => labStatus()),
    getPackets: vi.fn(async (from: number): Promise<PacketsEvent> => ({
      generation: 0,
      firstIndex: from,
      batch: packRecords([]),
    })),
    openCapture: vi.fn(async () => ({ name: 'a.pcap', packets: 3 })),
    uploadCapture: vi.fn(async (part: CaptureUploadPart) => ({
      name: part.name ?? 'a.pcap',
      packets: 3,
      upload: 1,
      generation: 1,
    })),
    saveCapture: vi.fn(async () => ({ packets: 3, bytes: new Uint8Array([1, 2, 3]) })),
    listInterfaces: vi.fn(async () => []),
    getStatistics: vi.fn(async () => ({ packets: 0, bytes: 0, received: 0, dropped: 0 })),
    startCapture: vi.fn(async () => running),
    checkCaptureFilter: vi.fn(async (filter: string, device: string) => ({
      filter,
      device,
      valid: true as boolean | null,
      instructions: 1,
    })),
    on: vi.fn(<E extends keyof LabEvents>(event: E, listener: (payload: LabEvents[E]) => void) => {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    }),
    ...overrides,
  };
  const emit = <E extends keyof LabEvents>(event: E, payload: LabEvents[E]) => {
    for (const l of listeners.get(event) ?? []) l(payload);
  };
  return { api: api as LabClient & typeof api, emit };
}

/** A worker with `n` fixed rows; filters are "valid" unless they contain "prot". */
export function fakeWorker(detail: PacketDetail | null = null, n = 5) {
  const progressListeners = new Set<ProgressListener>();
  let progress: TableProgress = { generation: 0, received: n, dissected: n, displayed: n, viewVersion: 1 };
  const row = (position: number): RowData => ({
    position,
    index: position,
    number: position + 1,
    time: position * 0.001,
    source: '127.0.0.1',
    destination: '127.0.0.1',
    protocol: position === 3 ? 'HTTP' : 'TCP',
    length: 66,
    info: `row ${position + 1}`,
  });
  const outcome = (text: string): FilterOutcome =>
    text.includes('prot') && !text.includes('protocol')
      ? { ok: false, message: 'tcp.prot is neither a field nor a protocol name.', start: 0, end: 8 }
      : { ok: true, displayed: n };
  const worker = {
    reset: vi.fn(),
    append: vi.fn(),
    rows: vi.fn(async (from: number, count: number) => {
      const out: RowData[] = [];
      for (let p = from; p < Math.min(progress.displayed, from + count); p++) out.push(row(p));
      return out;
    }),
    detail: vi.fn(async (index: number) => (detail ? { ...detail, index, number: index + 1 } : null)),
    check: vi.fn(async (text: string) => outcome(text)),
    filter: vi.fn(async (text: string) => outcome(text)),
    sort: vi.fn(async (_s: SortSpec | null) => n),
    find: vi.fn(async (number: number) => (number >= 1 && number <= n ? number - 1 : -1)),
    displayedIndices: vi.fn(async () => Array.from({ length: n }, (_, i) => i)),
    exportText: vi.fn(async () => 'Frame 1: …'),
    view: vi.fn(async () => 2),
    search: vi.fn(async () => null),
    loadFile: vi.fn(async (_file: Blob, name: string, _generation: number, _key?: string) => ({ name, packets: n })),
    prefetchFile: vi.fn(),
    onProgress: vi.fn((l: ProgressListener) => {
      progressListeners.add(l);
      return () => progressListeners.delete(l);
    }),
  };
  /** New progress; with `tailRows`, the list's last rows go with it (as the worker sends when the list grew). */
  const setProgress = (patch: Partial<TableProgress>, tailRows = 0) => {
    progress = { ...progress, ...patch };
    const from = Math.max(0, progress.displayed - tailRows);
    const tail = tailRows > 0 ? Array.from({ length: progress.displayed - from }, (_, i) => row(from + i)) : undefined;
    for (const l of progressListeners) l(progress, tail);
  };
  return { worker: worker as DissectionClient & typeof worker, setProgress };
}

/** A small TCP-like tree: Frame, IPv4 (with children), TCP (with Sequence Number at 38..42). */
export const sampleDetail: PacketDetail = {
  index: 0,
  number: 1,
  sources: [
    { name: 'Frame (74 bytes)', data: new Uint8Array(74).map((_, i) => i) },
    { name: 'Reassembled TCP (10 bytes)', data: new Uint8Array(10).fill(0x41) },
  ],
  tree: [
    { id: 0, label: 'Frame 1: 74 bytes on wire', field: 'frame', start: 0, length: 74, source: 0, generated: false },
    {
      id: 1,
      label: 'Internet Protocol Version 4, Src: 127.0.0.1, Dst: 127.0.0.1',
      field: 'ip',
      start: 14,
      length: 20,
      source: 0,
      generated: false,
      children: [
        {
          id: 2,
          label: '0100 .... = Version: 4',
          field: 'ip.version',
          start: 14,
          length: 1,
          source: 0,
          generated: false,
        },
        {
          id: 3,
          label: 'Source Address: 127.0.0.1',
          field: 'ip.src',
          start: 26,
          length: 4,
          source: 0,
          generated: false,
        },
      ],
    },
    {
      id: 4,
      label: 'Transmission Control Protocol, Src Port: 46062, Dst Port: 8001',
      field: 'tcp',
      start: 34,
      length: 40,
      source: 0,
      generated: false,
      children: [
        { id: 5, label: 'Source Port: 46062', field: 'tcp.srcport', start: 34, length: 2, source: 0, generated: false },
        { id: 6, label: '[Stream index: 0]', field: 'tcp.stream', start: 0, length: 0, source: 0, generated: true },
        {
          id: 7,
          label: 'Sequence Number: 0    (relative sequence number)',
          field: 'tcp.seq',
          start: 38,
          length: 4,
          source: 0,
          generated: false,
        },
        {
          id: 8,
          label: 'Sequence Number (raw): 1',
          field: 'tcp.seq_raw',
          start: 38,
          length: 4,
          source: 0,
          generated: false,
        },
        {
          id: 9,
          label: 'Flags: 0x002 (SYN)',
          field: 'tcp.flags',
          start: 46,
          length: 2,
          source: 0,
          generated: false,
          children: [
            {
              id: 10,
              label: '.... .... ..1. = Syn: Set',
              field: 'tcp.flags.syn',
              start: 46,
              length: 2,
              source: 0,
              generated: false,
            },
          ],
        },
      ],
    },
    { id: 11, label: 'Reassembled body', field: 'http.file_data', start: 2, length: 5, source: 1, generated: false },
  ],
};
