#!/usr/bin/env node
// Writes core/dissect/protocols/oui-data.ts from Wireshark's manuf file (default: Debian's
// /usr/share/wireshark/manuf of Wireshark 4.0.17): the 24-bit OUIs of the vendors with at least
// 25 of them, and of the vendors listed in EXTRA_VENDORS (virtual machines, and those of the
// test captures). Each line: "<short name>\t<long name>\t<OUI hex>…", the long name empty when
// manuf gives none (Wireshark then shows the short one).
//
// Usage: node scripts/make-oui-data.mjs [path/to/manuf]
import { readFileSync, writeFileSync } from 'node:fs';

const MANUF = process.argv[2] ?? '/usr/share/wireshark/manuf';
const OUT = new URL('../core/dissect/protocols/oui-data.ts', import.meta.url);
const MIN_ASSIGNMENTS = 25;
// Vendors kept whatever their number of OUIs (manuf's short names).
const EXTRA_VENDORS = [
  '00:00:00',
  'ASRockIn',
  'AminoCom',
  'Broadcom',
  'Computer',
  'DecLocal',
  'Grandstr',
  'Intel',
  'Lenovo',
  'Oracle',
  'Parallel',
  'PcsCompu',
  'Raspberr',
  'Realtek',
  'RealtekS',
  'RealtekU',
  'Routerbo',
  'VMware',
  'WatchGua',
  'Xensourc',
];

const entries = [];
for (const line of readFileSync(MANUF, 'utf8').split('\n')) {
  if (line === '' || line.startsWith('#')) continue;
  const [prefix, short, rest] = line.split('\t');
  // 24-bit prefixes only (the 28/36-bit MA-M/MA-S blocks are "xx:xx:xx:x0:00:00/28").
  if (!/^[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2}$/i.test(prefix ?? '')) continue;
  const long = rest !== undefined && !rest.startsWith('#') ? rest.trim() : '';
  entries.push({ oui: prefix.replace(/:/g, '').toLowerCase(), short, long });
}
const assignments = new Map();
for (const e of entries) assignments.set(e.short, (assignments.get(e.short) ?? 0) + 1);
const kept = (short) => (assignments.get(short) ?? 0) >= MIN_ASSIGNMENTS || EXTRA_VENDORS.includes(short);

// One line per short and long name, in the short names' order, then the long names'.
const lines = new Map();
for (const e of entries) {
  if (!kept(e.short)) continue;
  const key = `${e.short}\t${e.long === e.short ? '' : e.long}`;
  lines.set(key, [...(lines.get(key) ?? []), e.oui]);
}
const body = [...lines]
  .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  .map(([key, ouis]) => `${key}\t${ouis.sort().join('')}`)
  .join('\n');

writeFileSync(
  OUT,
  `/**
 * A subset of Wireshark's OUI → vendor name table (\`manuf\`), for MAC address name resolution
 * as Wireshark shows it ("VMware_c0:00:01"; nameres.mac_name is on by default) and for the
 * eth.*.oui_resolved items (the long name, or the short one when there is none).
 *
 * Made by scripts/make-oui-data.mjs from /usr/share/wireshark/manuf of Wireshark 4.0.17 (Debian
 * 12 package; the file is compiled by Wireshark's tools/make-manuf.py from the public IEEE OUI
 * registries, distributed with Wireshark under GPL-2.0-or-later). Kept: every 24-bit OUI of the
 * vendors with at least ${MIN_ASSIGNMENTS} assignments, plus common virtual-machine vendors and the vendors
 * seen in our test captures. Vendors not kept resolve to the plain address, as Wireshark does
 * for unknown OUIs. 28/36-bit (MA-M/MA-S) blocks are not included.
 *
 * Format: one line per short and long name, "<short>\\t<long, or empty>\\t<OUI hex><OUI hex>…"
 * (6 lower-case hex digits each).
 */
export const OUI_DATA = \`${body.replace(/[`\\$]/g, (c) => '\\' + c)}\`;
`,
);
console.log(`oui-data.ts: ${lines.size} lines, ${entries.filter((e) => kept(e.short)).length} OUIs`);
