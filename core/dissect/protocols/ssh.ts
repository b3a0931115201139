/**
 * SSH over TCP (port 22), after Wireshark 4.0's packet-ssh.c without decryption: the
 * protocol banners ("Client: Protocol (SSH-2.0-…)"), then SSH 2 binary packets in the clear
 * (packet and padding length, message code, Key Exchange Init with its name-lists and hassh,
 * (EC)DH key exchange, New Keys, padding, sequence number), and after New Keys the encrypted
 * packets as one opaque "SSH Version 2 (encryption:… compression:…)" item per segment.
 * Packets split over TCP segments are reassembled.
 */
import { defineProtocol } from '../protocol';
import { defineExpertInfos } from '../expert';
import { defineFields } from '../fields';
import {
  DESEGMENT_ONE_MORE_SEGMENT,
  type DesegmentRequest,
  type PacketContext,
  type TcpPayloadConsumer,
  type TcpPayloadInfo,
} from '../context';
import type { ProtoNode } from '../tree';
import { formatBytesHex, latin1 } from '../format';
import { u32, truncatedHex } from './common';
import { md5Hex } from './md5';

export const sshFields = defineFields({
  ssh: { abbrev: 'ssh', name: 'SSH Protocol', type: 'protocol' },
  protocol: { abbrev: 'ssh.protocol', name: 'Protocol', type: 'string' },
  direction: {
    abbrev: 'ssh.direction',
    name: 'Direction',
    type: 'bool',
    trueFalse: ['server-to-client', 'client-to-server'],
  },
  packetLength: { abbrev: 'ssh.packet_length', name: 'Packet Length', type: 'uint32' },
  paddingLength: { abbrev: 'ssh.padding_length', name: 'Padding Length', type: 'uint8' },
  packetLengthEncrypted: { abbrev: 'ssh.packet_length_encrypted', name: 'Packet Length (encrypted)', type: 'bytes' },
  encryptedPacket: { abbrev: 'ssh.encrypted_packet', name: 'Encrypted Packet', type: 'bytes' },
  messageCode: { abbrev: 'ssh.message_code', name: 'Message Code', type: 'uint8' },
  cookie: { abbrev: 'ssh.cookie', name: 'Cookie', type: 'bytes' },
  firstKexFollows: { abbrev: 'ssh.first_kex_packet_follows', name: 'First KEX Packet Follows', type: 'uint8' },
  reserved: { abbrev: 'ssh.kex.reserved', name: 'Reserved', type: 'bytes' },
  hasshAlgorithms: { abbrev: 'ssh.kex.hassh_algorithms', name: 'hasshAlgorithms', type: 'string' },
  hassh: { abbrev: 'ssh.kex.hassh', name: 'hassh', type: 'string' },
  hasshServerAlgorithms: { abbrev: 'ssh.kex.hasshserver_algorithms', name: 'hasshServerAlgorithms', type: 'string' },
  hasshServer: { abbrev: 'ssh.kex.hasshserver', name: 'hasshServer', type: 'string' },
  payload: { abbrev: 'ssh.payload', name: 'Payload', type: 'bytes' },
  paddingString: { abbrev: 'ssh.padding_string', name: 'Padding String', type: 'bytes' },
  seqNum: { abbrev: 'ssh.seq_num', name: 'Sequence number', type: 'uint32' },
  mpintLength: { abbrev: 'ssh.mpint_length', name: 'Multi Precision Integer Length', type: 'uint32' },
  hostKeyLength: { abbrev: 'ssh.host_key.length', name: 'Host key length', type: 'uint32' },
  hostKeyTypeLength: { abbrev: 'ssh.host_key.type_length', name: 'Host key type length', type: 'uint32' },
  hostKeyType: { abbrev: 'ssh.host_key.type', name: 'Host key type', type: 'string' },
  hostKeyData: { abbrev: 'ssh.host_key.data', name: 'Host key data', type: 'bytes' },
  rsaN: { abbrev: 'ssh.host_key.rsa.n', name: 'RSA modulus (N)', type: 'bytes' },
  rsaE: { abbrev: 'ssh.host_key.rsa.e', name: 'RSA public exponent (e)', type: 'bytes' },
  eddsaKeyLength: { abbrev: 'ssh.host_key.eddsa.key_length', name: 'EdDSA public key length', type: 'uint32' },
  eddsaKey: { abbrev: 'ssh.host_key.eddsa.key', name: 'EdDSA public key', type: 'bytes' },
  ecdsaIdLength: {
    abbrev: 'ssh.host_key.ecdsa.id_length',
    name: 'ECDSA elliptic curve identifier length',
    type: 'uint32',
  },
  ecdsaId: { abbrev: 'ssh.host_key.ecdsa.id', name: 'ECDSA elliptic curve identifier', type: 'string' },
  ecdsaQLength: { abbrev: 'ssh.host_key.ecdsa.q_length', name: 'ECDSA public key length', type: 'uint32' },
  ecdsaQ: { abbrev: 'ssh.host_key.ecdsa.q', name: 'ECDSA public key (Q)', type: 'bytes' },
  hostSigLength: { abbrev: 'ssh.host_sig.length', name: 'Host signature length', type: 'uint32' },
  hostSigTypeLength: { abbrev: 'ssh.host_sig.type_length', name: 'Host signature type length', type: 'uint32' },
  hostSigType: { abbrev: 'ssh.host_sig.type', name: 'Host signature type', type: 'string' },
  hostSigData: { abbrev: 'ssh.host_sig.data', name: 'Host signature data', type: 'bytes' },
  ecdhQcLength: {
    abbrev: 'ssh.ecdh.q_c_length',
    name: "ECDH client's ephemeral public key length",
    type: 'uint32',
  },
  ecdhQc: { abbrev: 'ssh.ecdh.q_c', name: "ECDH client's ephemeral public key (Q_C)", type: 'bytes' },
  ecdhQsLength: {
    abbrev: 'ssh.ecdh.q_s_length',
    name: "ECDH server's ephemeral public key length",
    type: 'uint32',
  },
  ecdhQs: { abbrev: 'ssh.ecdh.q_s', name: "ECDH server's ephemeral public key (Q_S)", type: 'bytes' },
  dhE: { abbrev: 'ssh.dh.e', name: 'DH client e', type: 'bytes' },
  dhF: { abbrev: 'ssh.dh.f', name: 'DH server f', type: 'bytes' },
  sigLengthExpert: {
    abbrev: 'ssh.packet_decode.error',
    name: 'Packet decoded length not equal to packet length',
    type: 'none',
  },
});

/** SSH's expert items (Wireshark's ei_register_info of packet-ssh.c). */
const ei = defineExpertInfos({
  keyLengthError: {
    abbrev: 'ssh.packet_decode.error',
    group: 'protocol',
    severity: 'warning',
    // "legnth" as Wireshark 4.0 spells it.
    message: (decoded: number, len: number) => `Decoded ${decoded} bytes, but packet legnth is ${len} bytes`,
    field: sshFields.sigLengthExpert,
  },
});
const f = sshFields;

/** The ten name-lists of a Key Exchange Init, in order (field abbreviation stem = label). */
const NAME_LISTS = [
  'kex_algorithms',
  'server_host_key_algorithms',
  'encryption_algorithms_client_to_server',
  'encryption_algorithms_server_to_client',
  'mac_algorithms_client_to_server',
  'mac_algorithms_server_to_client',
  'compression_algorithms_client_to_server',
  'compression_algorithms_server_to_client',
  'languages_client_to_server',
  'languages_server_to_client',
] as const;

const listFields = NAME_LISTS.map((stem) =>
  defineFields({
    length: { abbrev: `ssh.${stem}_length`, name: `${stem} length`, type: 'uint32' },
    value: { abbrev: `ssh.${stem}`, name: `${stem} string`, type: 'string' },
  }),
);

/** Wireshark's default SSH port. */
export const SSH_TCP_PORTS: readonly number[] = [22];

const MSG_NAMES: Readonly<Record<number, string>> = {
  1: 'Disconnect',
  2: 'Ignore',
  3: 'Unimplemented',
  4: 'Debug',
  5: 'Service Request',
  6: 'Service Accept',
  20: 'Key Exchange Init',
  21: 'New Keys',
  50: 'User Authentication Request',
  51: 'User Authentication Failure',
  52: 'User Authentication Success',
  53: 'User Authentication Banner',
  60: 'Public Key algorithm accepted',
  80: 'Global Request',
  81: 'Request Success',
  82: 'Request Failure',
  90: 'Channel Open',
  91: 'Channel Open Confirmation',
  92: 'Channel Open Failure',
  93: 'Window Adjust',
  94: 'Channel Data',
  95: 'Channel Extended Data',
  96: 'Channel EOF',
  97: 'Channel Close',
  98: 'Channel Request',
  99: 'Channel Success',
  100: 'Channel Failure',
};

type KexKind = 'ecdh' | 'dh' | 'dh-gex' | null;

/** The key exchange's message names (codes 30–49 depend on the method). */
function kexMessageName(kind: KexKind, code: number): string | undefined {
  if (kind === 'ecdh') {
    return {
      30: 'Elliptic Curve Diffie-Hellman Key Exchange Init',
      31: 'Elliptic Curve Diffie-Hellman Key Exchange Reply',
    }[code];
  }
  if (kind === 'dh-gex') {
    return {
      30: 'Diffie-Hellman Group Exchange Request (Old)',
      31: 'Diffie-Hellman Group Exchange Group',
      32: 'Diffie-Hellman Group Exchange Init',
      33: 'Diffie-Hellman Group Exchange Reply',
      34: 'Diffie-Hellman Group Exchange Request',
    }[code];
  }
  if (kind === 'dh') {
    return { 30: 'Diffie-Hellman Key Exchange Init', 31: 'Diffie-Hellman Key Exchange Reply' }[code];
  }
  return undefined;
}

function kexKind(kex: string | null): KexKind {
  if (kex === null) return null;
  if (kex.startsWith('ecdh-sha2-') || kex.startsWith('curve25519-sha256') || kex.startsWith('curve448-sha512')) {
    return 'ecdh';
  }
  if (kex.startsWith('diffie-hellman-group-exchange')) return 'dh-gex';
  if (kex.startsWith('diffie-hellman-group')) return 'dh';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Per-stream state

interface SshPeer {
  /** The banner was seen (later "SSH-" text is not a banner). */
  bannerDone: boolean;
  /** New Keys sent: this peer's later packets are encrypted. */
  newKeys: boolean;
  sequence: number;
  /** Name-lists of this peer's Key Exchange Init. */
  lists: string[] | null;
  /** Chosen encryption / MAC / compression for this direction (shown once the key exchange replied). */
  enc: string | null;
  mac: string | null;
  comp: string | null;
}

interface SshSession {
  version: 0 | 1 | 2;
  kex: string | null;
  peers: [SshPeer, SshPeer];
}

const newPeer = (): SshPeer => ({
  bannerDone: false,
  newKeys: false,
  sequence: 0,
  lists: null,
  enc: null,
  mac: null,
  comp: null,
});

function sessionOf(ctx: PacketContext, stream: number): SshSession {
  const all = ctx.state.state<Map<number, SshSession>>('ssh.sessions', () => new Map());
  let s = all.get(stream);
  if (!s) {
    s = { version: 0, kex: null, peers: [newPeer(), newPeer()] };
    all.set(stream, s);
  }
  return s;
}

/** Wireshark: the server is the side on the SSH port (pinfo->match_uint). */
function isResponse(info: TcpPayloadInfo): boolean {
  if (info.dstPort === 22) return false;
  if (info.srcPort === 22) return true;
  return !info.fromClient;
}

// ---------------------------------------------------------------------------------------------

export const sshConsumer: TcpPayloadConsumer = {
  name: 'ssh',
  ports: SSH_TCP_PORTS,
  heuristic: () => false,
  dissect(ctx, buf, offset, end, tree, info): DesegmentRequest | void {
    const stop = Math.min(end, buf.length);
    const canDesegment = !info.outOfOrder && info.canDesegment !== false;
    const session = sessionOf(ctx, info.stream);
    const response = isResponse(info);
    const peer = session.peers[response ? 1 : 0];
    const startVersion = session.version;
    let pos = offset;
    let opened = false;
    let t: ProtoNode[] | null = null;
    const open = (): ProtoNode[] | null => {
      if (!opened) {
        opened = true;
        if (!ctx.packet.protocols.includes('ssh')) ctx.enterProtocol('ssh');
        ctx.columns.protocol = startVersion === 0 ? 'SSH' : startVersion === 1 ? 'SSHv1' : 'SSHv2';
        t = ctx.children(ctx.add(tree, f.ssh, offset, stop - offset));
        if (ctx.infoMessages === 0) ctx.setInfo('');
        ctx.infoMessages++;
      }
      return t;
    };
    const finish = (): void => {
      if (!opened) return;
      ctx.prependInfo(response ? 'Server: ' : 'Client: ');
      ctx.addGenerated(t, f.direction, response);
    };
    while (pos < stop) {
      const last = pos;
      if (!peer.bannerDone && stop - pos >= 4 && latin1(buf, pos, pos + 4).toUpperCase() === 'SSH-') {
        let eol = pos;
        while (eol < stop && buf[eol] !== 0x0a) eol++;
        if (eol >= stop && canDesegment) {
          finish();
          return { offset: pos, needMore: DESEGMENT_ONE_MORE_SEGMENT };
        }
        let textEnd = eol < stop ? eol : stop;
        if (textEnd > pos && buf[textEnd - 1] === 0x0d) textEnd--;
        const banner = latin1(buf, pos, textEnd);
        const c = open();
        ctx.add(c, f.protocol, pos, (eol < stop ? eol + 1 : stop) - pos, banner);
        ctx.appendInfo(`Protocol (${banner})`);
        peer.bannerDone = true;
        if (/^SSH-2\./i.test(banner) || /^SSH-1\.99/i.test(banner)) session.version = 2;
        else if (/^SSH-1\./i.test(banner)) session.version = 1;
        pos = eol < stop ? eol + 1 : stop;
      } else if (session.version !== 2 || peer.newKeys) {
        // Encrypted (or a version we do not read): the rest of the segment as one item.
        const c = open();
        if (session.version === 2) ctx.add(c, undefined, pos, stop - pos, undefined, versionLabel(peer));
        else dissectEncryptedPacket(ctx, buf, pos, stop, c);
        pos = stop;
      } else {
        if (stop - pos < 4 || pos + 4 + u32(buf, pos) > stop) {
          if (canDesegment) {
            finish();
            const plen = stop - pos >= 4 ? u32(buf, pos) : -1;
            return { offset: pos, needMore: plen < 0 ? DESEGMENT_ONE_MORE_SEGMENT : pos + 4 + plen - stop };
          }
        }
        const c = open();
        pos = dissectBinaryPacket(ctx, buf, pos, stop, c, session, peer, response);
      }
      if (pos <= last) break;
    }
    finish();
  },
  release(ctx, stream): void {
    ctx.state.state<Map<number, SshSession>>('ssh.sessions', () => new Map()).delete(stream);
  },
};

/** ssh_dissect_encrypted_packet, for a stream whose banners were not seen: "Encrypted packet (len=N)". */
function dissectEncryptedPacket(
  ctx: PacketContext,
  buf: Uint8Array,
  start: number,
  stop: number,
  c: ProtoNode[] | null,
) {
  const len = stop - start;
  appendMessage(ctx, `Encrypted packet (len=${len})`);
  let p = start;
  if (len > 4) {
    const head = buf.subarray(p, p + 4);
    ctx.add(c, f.packetLengthEncrypted, p, 4, head, `Packet Length (encrypted): ${formatBytesHex(head)}`);
    p += 4;
  }
  const data = buf.subarray(p, stop);
  ctx.add(c, f.encryptedPacket, p, stop - p, data, `Encrypted Packet: ${truncatedHex(data)}`);
}

function versionLabel(peer: SshPeer): string {
  const parts: string[] = [];
  if (peer.enc !== null) parts.push(`encryption:${peer.enc}`);
  if (peer.mac !== null) parts.push(`mac:${peer.mac}`);
  if (peer.comp !== null) parts.push(`compression:${peer.comp}`);
  return parts.length ? `SSH Version 2 (${parts.join(' ')})` : 'SSH Version 2';
}

/** One SSH 2 packet in the clear; returns the offset after it. */
function dissectBinaryPacket(
  ctx: PacketContext,
  buf: Uint8Array,
  start: number,
  stop: number,
  t: ProtoNode[] | null,
  session: SshSession,
  peer: SshPeer,
  response: boolean,
): number {
  const v = ctx.children(ctx.add(t, undefined, start, stop - start, undefined, versionLabel(peer)));
  ctx.need(buf, start, 6, stop);
  let plen = u32(buf, start);
  if (plen >= 256 * 1024) plen = stop - start - 4;
  ctx.add(v, f.packetLength, start, 4, plen);
  const padLen = buf[start + 4];
  ctx.add(v, f.paddingLength, start + 4, 1, padLen);
  const code = buf[start + 5];
  const kind = kexKind(session.kex);
  const keyExchange = ctx.children(
    ctx.add(
      v,
      undefined,
      start + 5,
      plen - 1,
      undefined,
      session.kex !== null ? `Key Exchange (method:${session.kex})` : 'Key Exchange',
    ),
  );
  const name = MSG_NAMES[code] ?? kexMessageName(kind, code);
  const codeNode = ctx.add(
    keyExchange,
    f.messageCode,
    start + 5,
    1,
    code,
    `Message Code: ${name ?? 'Unknown'} (${code})`,
  );
  void codeNode;
  appendMessage(ctx, name ?? `Unknown (${code})`);
  let p = start + 6;
  const end = start + 4 + plen - padLen;
  if (code === 20) {
    p = dissectKexInit(ctx, buf, p, end, keyExchange, peer, response, session);
  } else if (code === 21) {
    peer.newKeys = true;
  } else if (kind === 'ecdh' && code === 30) {
    p = addString(ctx, buf, p, end, keyExchange, f.ecdhQcLength, f.ecdhQc);
  } else if (kind === 'ecdh' && code === 31) {
    p = dissectHostKey(ctx, buf, p, end, keyExchange);
    p = addString(ctx, buf, p, end, keyExchange, f.ecdhQsLength, f.ecdhQs);
    p = dissectHostSignature(ctx, buf, p, end, keyExchange);
    chooseAlgorithms(session);
  } else if (kind === 'dh' && code === 30) {
    p = addMpint(ctx, buf, p, end, keyExchange, f.dhE);
  } else if (kind === 'dh' && code === 31) {
    p = dissectHostKey(ctx, buf, p, end, keyExchange);
    p = addMpint(ctx, buf, p, end, keyExchange, f.dhF);
    p = dissectHostSignature(ctx, buf, p, end, keyExchange);
    chooseAlgorithms(session);
  }
  if (end > p) {
    const data = buf.subarray(p, end);
    ctx.add(keyExchange, f.payload, p, end - p, data, `Payload: ${truncatedHex(data)}`);
  }
  ctx.need(buf, end, padLen, stop);
  const pad = buf.subarray(end, end + padLen);
  ctx.add(v, f.paddingString, end, padLen, pad, `Padding String: ${truncatedHex(pad)}`);
  ctx.add(v, f.seqNum, end + padLen, 0, peer.sequence);
  peer.sequence++;
  return start + 4 + plen;
}

/** Messages of one segment are joined with ", " after the "Client: "/"Server: " prefix. */
function appendMessage(ctx: PacketContext, text: string): void {
  const info = ctx.columns.info;
  ctx.appendInfo(info.length > 0 ? `, ${text}` : text);
}

function dissectKexInit(
  ctx: PacketContext,
  buf: Uint8Array,
  start: number,
  end: number,
  k: ProtoNode[] | null,
  peer: SshPeer,
  response: boolean,
  session: SshSession,
): number {
  const a = ctx.children(ctx.add(k, undefined, start, end - start, undefined, 'Algorithms'));
  ctx.need(buf, start, 16, end);
  const cookie = buf.subarray(start, start + 16);
  ctx.add(a, f.cookie, start, 16, cookie, `Cookie: ${formatBytesHex(cookie)}`);
  let p = start + 16;
  const lists: string[] = [];
  for (let i = 0; i < NAME_LISTS.length; i++) {
    ctx.need(buf, p, 4, end);
    const len = u32(buf, p);
    ctx.add(a, listFields[i].length, p, 4, len);
    ctx.need(buf, p + 4, len, end);
    const value = latin1(buf, p + 4, p + 4 + len);
    ctx.add(a, listFields[i].value, p + 4, len, value, fieldLabel(`${NAME_LISTS[i]} string`, value));
    lists.push(value);
    p += 4 + len;
  }
  ctx.need(buf, p, 5, end);
  ctx.add(a, f.firstKexFollows, p, 1, buf[p]);
  const reserved = buf.subarray(p + 1, p + 5);
  ctx.add(a, f.reserved, p + 1, 4, reserved, `Reserved: ${formatBytesHex(reserved)}`);
  p += 5;
  // hassh: kex;encryption;mac;compression of the sender's own direction.
  const d = response ? 1 : 0;
  const algorithms = [lists[0], lists[2 + d], lists[4 + d], lists[6 + d]].join(';');
  const algField = response ? f.hasshServerAlgorithms : f.hasshAlgorithms;
  ctx.addGenerated(a, algField, algorithms, fieldLabel(algField.name, algorithms));
  const hash = md5Hex(algorithms);
  const hashField = response ? f.hasshServer : f.hassh;
  ctx.addGenerated(a, hashField, hash, `${hashField.name}: ${hash}`);
  peer.lists = lists;
  const [client, server] = session.peers;
  if (client.lists && server.lists && session.kex === null) session.kex = firstCommon(client.lists[0], server.lists[0]);
  return p;
}

/** ssh_choose_algo: the first of the client's names the server also offers. */
function firstCommon(clientList: string, serverList: string): string | null {
  const offered = new Set(serverList.split(','));
  for (const name of clientList.split(',')) if (offered.has(name)) return name;
  return null;
}

/** After the key exchange reply both directions show the algorithms chosen for them. */
function chooseAlgorithms(session: SshSession): void {
  const [client, server] = session.peers;
  if (!client.lists || !server.lists) return;
  for (let d = 0; d < 2; d++) {
    const peer = session.peers[d];
    peer.enc = firstCommon(client.lists[2 + d], server.lists[2 + d]);
    const aead = peer.enc !== null && (peer.enc.startsWith('chacha20-poly1305') || peer.enc.includes('-gcm'));
    peer.mac = aead ? null : firstCommon(client.lists[4 + d], server.lists[4 + d]);
    peer.comp = firstCommon(client.lists[6 + d], server.lists[6 + d]);
  }
}

/** "Name: value", or "Name [truncated]: valu…" cut to Wireshark's label buffer. */
function fieldLabel(name: string, value: string): string {
  const label = `${name}: ${value}`;
  if (label.length < 240) return label;
  return `${name} [truncated]: ${value}`.slice(0, 238);
}

function addString(
  ctx: PacketContext,
  buf: Uint8Array,
  p: number,
  end: number,
  k: ProtoNode[] | null,
  lengthField: typeof f.ecdhQcLength,
  valueField: typeof f.ecdhQc,
): number {
  ctx.need(buf, p, 4, end);
  const len = u32(buf, p);
  ctx.add(k, lengthField, p, 4, len);
  ctx.need(buf, p + 4, len, end);
  const data = buf.subarray(p + 4, p + 4 + len);
  ctx.add(k, valueField, p + 4, len, data, `${valueField.name}: ${truncatedHex(data)}`);
  return p + 4 + len;
}

function addMpint(
  ctx: PacketContext,
  buf: Uint8Array,
  p: number,
  end: number,
  k: ProtoNode[] | null,
  field: typeof f.dhE,
): number {
  ctx.need(buf, p, 4, end);
  const len = u32(buf, p);
  ctx.add(k, f.mpintLength, p, 4, len);
  ctx.need(buf, p + 4, len, end);
  const data = buf.subarray(p + 4, p + 4 + len);
  ctx.add(k, field, p + 4, len, data, `${field.name}: ${truncatedHex(data)}`);
  return p + 4 + len;
}

function dissectHostKey(ctx: PacketContext, buf: Uint8Array, p: number, end: number, k: ProtoNode[] | null): number {
  ctx.need(buf, p, 8, end);
  const len = u32(buf, p);
  const typeLen = u32(buf, p + 4);
  ctx.need(buf, p + 8, typeLen, end);
  const type = latin1(buf, p + 8, p + 8 + typeLen);
  const h = ctx.children(ctx.add(k, undefined, p, 4 + len, undefined, `KEX host key (type: ${type})`));
  ctx.add(h, f.hostKeyLength, p, 4, len);
  ctx.add(h, f.hostKeyTypeLength, p + 4, 4, typeLen);
  ctx.add(h, f.hostKeyType, p + 8, typeLen, type);
  const q = p + 8 + typeLen;
  const keyEnd = p + 4 + len;
  if (type === 'ssh-rsa') {
    addMpint(ctx, buf, addMpint(ctx, buf, q, keyEnd, h, f.rsaE), keyEnd, h, f.rsaN);
  } else if (type === 'ssh-ed25519' || type === 'ssh-ed448') {
    addString(ctx, buf, q, keyEnd, h, f.eddsaKeyLength, f.eddsaKey);
  } else if (type.startsWith('ecdsa-sha2-')) {
    ctx.need(buf, q, 4, keyEnd);
    const idLen = u32(buf, q);
    ctx.add(h, f.ecdsaIdLength, q, 4, idLen);
    ctx.need(buf, q + 4, idLen, keyEnd);
    ctx.add(h, f.ecdsaId, q + 4, idLen, latin1(buf, q + 4, q + 4 + idLen));
    addString(ctx, buf, q + 4 + idLen, keyEnd, h, f.ecdsaQLength, f.ecdsaQ);
  } else if (keyEnd > q) {
    const data = buf.subarray(q, keyEnd);
    ctx.add(h, f.hostKeyData, q, keyEnd - q, data, `Host key data: ${truncatedHex(data)}`);
  }
  return keyEnd;
}

function dissectHostSignature(
  ctx: PacketContext,
  buf: Uint8Array,
  p: number,
  end: number,
  k: ProtoNode[] | null,
): number {
  ctx.need(buf, p, 8, end);
  const len = u32(buf, p);
  const typeLen = u32(buf, p + 4);
  ctx.need(buf, p + 8, typeLen, end);
  const type = latin1(buf, p + 8, p + 8 + typeLen);
  const s = ctx.children(ctx.add(k, undefined, p, 4 + len, undefined, `KEX host signature (type: ${type})`));
  const lenNode = ctx.add(s, f.hostSigLength, p, 4, len);
  // Wireshark 4.0 counts the type and the data's length field, not the data, and says so.
  const decoded = 4 + typeLen + 4;
  if (decoded !== len) {
    ctx.expert(ctx.children(lenNode), ei.keyLengthError, decoded, len);
  }
  ctx.add(s, f.hostSigTypeLength, p + 4, 4, typeLen);
  ctx.add(s, f.hostSigType, p + 8, typeLen, type);
  const dataStart = p + 8 + typeLen;
  const sigEnd = Math.min(p + 4 + len, end);
  const data = buf.subarray(dataStart, sigEnd);
  ctx.add(s, f.hostSigData, dataStart, sigEnd - dataStart, data, `Host signature data: ${truncatedHex(data)}`);
  return p + 4 + len;
}

/** SSH as data: what registerAllProtocols() (index.ts) registers. */
export const protocol = defineProtocol({
  name: 'ssh',
  fields: [sshFields, ...listFields],
  expertInfos: [ei],
  tcpConsumers: [sshConsumer],
});
