#!/usr/bin/env node
// Writes renderer/worker/warmup-sample.ts: the lab capture the dissection worker warms its code
// with while the app is idle (engine-warmup.ts), as base64 in the worker's bundle (no request,
// the same in the browser shell, in Electron and in Node's tests). The capture is the project's
// own (test/fixtures/captures/lab/lab-linux-ipv4.pcap: Chromium loading the profile page, its
// JPEG logo, a 404, an unused connection and keep-alive teardowns; 30 packets, 19.8 KB).
//
// Usage: node scripts/make-warmup-sample.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const SOURCE = 'test/fixtures/captures/lab/lab-linux-ipv4.pcap';
const OUT = new URL('../renderer/worker/warmup-sample.ts', import.meta.url);
const base64 = readFileSync(new URL(`../${SOURCE}`, import.meta.url)).toString('base64');
writeFileSync(
  OUT,
  `/**
 * The lab capture the dissection worker warms its code with (engine-warmup.ts): ${SOURCE}, as
 * base64. Made by scripts/make-warmup-sample.mjs; a test checks it is that file.
 */
export const WARMUP_SAMPLE_SOURCE = '${SOURCE}';

export const WARMUP_SAMPLE_BASE64 =
  '${base64}';
`,
);
