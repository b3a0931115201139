#!/usr/bin/env node
// Regenerates core/filter/tshark-reference.json: for each display filter below and each
// capture fixture, the frame numbers tshark selects, plus the coloring rule tshark --color
// picks for each frame. core/filter/tshark-agreement.test.ts checks WireLab against it.
//
// Usage: node scripts/make-filter-reference.mjs [--all]   (needs tshark on PATH; tests do not)
// Without --all, results already in the JSON for a (file, filter) pair made by the same tshark are
// kept, and tshark runs only for new filters and new files (each run costs about a second).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Lab-relevant filters first, then the trickier ones. */
export const FILTERS = [
  'tcp.port == 8001',
  'http',
  'tcp.flags.syn == 1 && tcp.flags.ack == 0',
  'http.request.method == "GET"',
  'tcp.analysis.retransmission',
  'ip.addr == 127.0.0.0/8',
  'ipv6',
  'frame.len > 1000',
  'tcp.stream == 1',
  'http.response.code >= 400',
  'tcp.payload contains 47:45:54',
  'http.content_type matches "jpe?g"',
  'tcp',
  'udp',
  'arp',
  'tcp.flags.syn == 1',
  'tcp.flags.fin == 1',
  'tcp.flags.reset == 1',
  'tcp.flags & 0x02 || tcp.flags.fin == 1',
  'tcp.port in {80, 8001}',
  'frame.len in {60..100}',
  'tcp.srcport > tcp.dstport',
  'eth.src[0:3] == 00:00:00',
  'ip.src == 127.0.0.1 && tcp.dstport == 8001',
  'ipv6.addr == ::1',
  'tcp.port != 8001',
  'tcp.port ~= 8001',
  '!(tcp.port == 8001)',
  'tcp.len > 0',
  'tcp.options.mss',
  'http.request',
  'http.response',
  'http.request.uri contains "logo"',
  'lower(http.request.method) == "get"',
  'frame.time_relative > 1.5',
  'eth.addr == ff:ff:ff:ff:ff:ff',
  'eth[0] & 1',
  'ip.ttl < 64',
  'ip.proto == 17',
  'dns',
  'icmp || icmpv6',
  'tcp.analysis.flags',
  'tcp.analysis.duplicate_ack',
  'frame contains "HTTP/1.1"',
  'tcp.payload',
  'tcp.stream in {0..2}',
  'len(tcp.payload) > 500',
  'http.host matches "^127\\\\.0\\\\.0\\\\.1"',
  'ip.flags.df == 1',
  'tcp.seq == 1 && tcp.ack == 1',
  'tcp.hdr_len > 20',
  'not tcp and not udp',
  'tcp.port == 80 || udp.port == 53',
  'igmp',
  'frame.number <= 3',
  'tcp.flags.syn == True',
  'ip.dst != 224.0.0.0/4',
  'http.response.code == 200 && http.content_type contains "html"',
  'ipv6.nxt == 6',
  'udp.port == 53',
  'frame.protocols contains "http"',
  'tcp.srcport == 8001 and tcp.len > 0',
  'ip.addr == 10.0.0.0/8 or ip.addr == 192.168.0.0/16',
  'tcp.window_size > 60000',
  'tcp.flags == 0x018',
  'tcp.flags & 0x12 == 0x12',
  'http.request.method in {"GET", "POST"}',
  'tcp contains "GET"',
  'ip.len > 100 and ip.len < 300',
  'tcp.nxtseq > 1000',
  // Issue 16: snap-limited HTTP, TLS, SSH, DHCP/BOOTP, ICMP types.
  'http.response.code == 200',
  'tls',
  'tls.handshake.type == 1',
  'tls.handshake.type == 2',
  'tls.handshake.extensions_server_name contains "wirelab"',
  'tls.record.version == 0x0301',
  'tls.handshake.extensions.supported_version == 0x0304',
  'tls.handshake.ciphersuite == 0xc02c',
  'tls.alert_message.desc == 40',
  'tls.handshake.extensions_alpn_str == "http/1.1"',
  'tls.record.content_type == 23',
  'ssh',
  'ssh.protocol contains "OpenSSH"',
  'ssh.packet_length > 100',
  'dhcp',
  'bootp',
  'dhcp.option.dhcp == 1',
  'dhcp.hw.mac_addr[0:3] == 00:0b:82',
  'icmp.type == 8',
  'icmpv6.type == 135',
  'igmp.type == 0x16',
  'icmp.type == 0',
  'icmp.type == 3',
  'icmp.type == 4',
  'icmp.type == 5',
  'icmp.type == 9',
  'icmp.type == 11',
  'icmp.type == 12',
  'icmp.type == 13',
  'icmp.type == 15',
  'icmp.type == 17',
  'icmp.type == 42',
  'icmp.type == 43',
  'icmp.code == 3',
  'icmp.ident == 0x0404',
  'icmp.address_mask == 255.255.255.0',
  'icmpv6.type == 1',
  'icmpv6.type == 2',
  'icmpv6.type == 129',
  'icmpv6.type == 130',
  'icmpv6.type == 131',
  'icmpv6.type == 132',
  'icmpv6.type == 133',
  'icmpv6.type == 134',
  'icmpv6.type == 136',
  'icmpv6.type == 137',
  'icmpv6.type == 143',
  'icmpv6.code == 7',
  'icmpv6.nd.ns.target_address == 2001:db8::2',
  'icmpv6.mld.maximum_response_delay == 10000',
  'icmpv6.mldr.mar.record_type == 6',
  'igmp.type == 0x11',
  'igmp.type == 0x12',
  'igmp.type == 0x17',
  'igmp.type == 0x22',
  'igmp.version == 3',
  'igmp.maddr == 239.1.2.3',
  'igmp.record_type == 4',
  'igmp.saddr == 203.0.113.9',
  // Expert items (Analyze → Expert Information), as fields (tcpdump-pptp.pcap's non-zero
  // Ethernet padding is a trailer with a note, eth.padding_bad).
  '_ws.expert.message contains "SYN"',
  '_ws.expert.severity == "chat"',
  '_ws.expert.group == "sequence"',
  '_ws.expert.severity >= "note"',
  // An expert item's own field, with or without a field of the protocol's beside it, and the
  // items tshark adds for a packet cut short by the snap length or malformed.
  'ip.ttl.too_small',
  'http.chat || tcp.connection.syn',
  '_ws.malformed.expert',
  '_ws.short',
  '_ws.malformed',
  '_ws.expert',
  // Filters tshark rejects: WireLab must reject them too.
  'http.host matches "^127\\.0"',
  'tcp.port == 99999',
  'tcp.prot',
];

const root = new URL('..', import.meta.url).pathname;
const capturesDir = join(root, 'test/fixtures/captures');
const files = ['lab', 'public'].flatMap((dir) =>
  readdirSync(join(capturesDir, dir))
    .filter((f) => /\.(pcap|pcapng)$/.test(f))
    .sort()
    .map((f) => `${dir}/${f}`),
);

const run = (args, cwd) => spawnSync('tshark', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
const version = run(['--version']).stdout.split('\n')[0];

/**
 * Filters run on capture files added after the full reference was made (tshark costs about a
 * second per run, far more on a busy machine): the lab-relevant ones. Other pairs stay absent
 * and the agreement test leaves them out.
 */
const NEW_FILE_FILTERS = new Set([
  'http',
  'http.request',
  'http.response',
  'http.response.code == 200',
  'http.request.method == "GET"',
  'http.request.uri contains "logo"',
  'http.content_type matches "jpe?g"',
  'http.response.code == 200 && http.content_type contains "html"',
  'tcp.flags.syn == 1 && tcp.flags.ack == 0',
  'tcp.len > 0',
  'frame contains "HTTP/1.1"',
  'tcp.analysis.flags',
]);

/**
 * Filters that test fields of one protocol only (no negation) select nothing in a file whose
 * frames never carry that protocol (tshark's own frame.protocols, in F.tshark.frame.tsv): the
 * empty set is written without running tshark.
 */
function requiredProtocol(filter) {
  if (/!|\bnot\b|\bor\b|\|\|/.test(filter)) return null;
  const m = /^(tls|ssh|dhcp|bootp|icmpv6|icmp|igmp)\b/.exec(filter);
  if (!m) return null;
  return m[1] === 'bootp' ? 'dhcp' : m[1];
}

function protocolsOf(file) {
  const path = join(capturesDir, `${file}.tshark.frame.tsv`);
  if (!existsSync(path)) return null;
  const [head, ...rows] = readFileSync(path, 'utf8').split('\n');
  const col = head.split('\t').indexOf('frame.protocols');
  return new Set(rows.flatMap((r) => (r.split('\t')[col] ?? '').split(':')));
}

const outPath = join(root, 'core/filter/tshark-reference.json');
const previous =
  !process.argv.includes('--all') && existsSync(outPath) ? JSON.parse(readFileSync(outPath, 'utf8')) : null;
const reuse = previous !== null && previous.tshark === version;

const results = {};
const coloring = {};
for (const file of files) {
  const cwd = join(capturesDir, file.split('/')[0]);
  const name = file.split('/')[1];
  results[file] = {};
  const protocols = protocolsOf(file);
  for (const filter of FILTERS) {
    const known = reuse ? previous.results[file]?.[filter] : undefined;
    if (known !== undefined) {
      results[file][filter] = known;
      continue;
    }
    // tshark rejects such a filter whatever the file: its error holds for every file.
    const rejected = reuse
      ? Object.values(previous.results)
          .map((r) => r[filter])
          .find((v) => v !== undefined && !Array.isArray(v))
      : undefined;
    if (rejected !== undefined) {
      results[file][filter] = rejected;
      continue;
    }
    // A pair left out before stays out, unless the filter itself is new.
    const isNewFile = reuse && previous.results[file] === undefined;
    const leftOut = reuse && !isNewFile && previous.filters.includes(filter);
    if (leftOut || (isNewFile && !NEW_FILE_FILTERS.has(filter) && requiredProtocol(filter) === null)) continue;
    const needed = requiredProtocol(filter);
    if (needed !== null && protocols !== null && !protocols.has(needed)) {
      results[file][filter] = [];
      continue;
    }
    const r = run(['-r', name, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], cwd);
    const frames = r.stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map(Number);
    const error = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('tshark: ') && !/appears to (have been cut short|be damaged)/.test(l))
      .join('\n');
    results[file][filter] = error && frames.length === 0 ? { error } : frames;
  }
  if (reuse && previous.coloring[file] !== undefined) {
    coloring[file] = previous.coloring[file];
    process.stderr.write(`${file}\n`);
    continue;
  }
  const c = run(['-r', name, '--color', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.coloring_rule.name'], cwd);
  coloring[file] = Object.fromEntries(
    c.stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const [num, rule] = l.split('\t');
        return [num, rule ?? ''];
      }),
  );
  process.stderr.write(`${file}\n`);
}

const out = {
  tshark: version,
  command: 'cd test/fixtures/captures/<dir> && tshark -r FILE -Y FILTER -T fields -e frame.number',
  coloringCommand: 'tshark -r FILE --color -T fields -e frame.number -e frame.coloring_rule.name',
  generatedBy: 'node scripts/make-filter-reference.mjs',
  filters: FILTERS,
  files,
  results,
  coloring,
};
// Written as the repository's formatter writes JSON, so `npm run lint` (prettier --check) stays clean.
const prettier = await import('prettier');
const prettierOptions = (await prettier.resolveConfig(outPath)) ?? {};
writeFileSync(outPath, await prettier.format(JSON.stringify(out), { ...prettierOptions, filepath: outPath }));
console.log(`wrote core/filter/tshark-reference.json: ${FILTERS.length} filters x ${files.length} files`);
