#!/usr/bin/env node
// Writes a complete profile into a data folder before the e2e browser shell starts (playwright.config.ts),
// so the specs find a profile already filled in, as on any run after the first; the first-run form has its
// own spec with an empty folder (first-run.spec.ts). Same format as embedded-server/store.ts writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: seed-profile.mjs DATA_DIR');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const profile = {
  version: 1,
  major: '计算机科学 Computer Science',
  studentId: '2026000001',
  name: 'E2E 测试',
  logo: null,
};
writeFileSync(path.join(dir, 'profile.json'), JSON.stringify(profile, null, 2));
