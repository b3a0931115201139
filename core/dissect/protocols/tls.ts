/**
 * Transport Layer Security (SSL 3.0, TLS 1.0–1.3) over TCP, after Wireshark 4.0's
 * packet-tls.c and packet-tls-utils.c, without decryption: the record layer, and the
 * handshake messages sent in the clear (Client/Server Hello with their extensions,
 * Certificate as a list of lengths, Server/Client Key Exchange for (EC)DHE and RSA, Server
 * Hello Done), Change Cipher Spec, Alert, and Application Data as opaque bytes.
 *
 * Chosen by TCP port (Wireshark's default TLS ports, see TLS_TCP_PORTS) or by the heuristic
 * Wireshark also applies on other ports: the stream's first bytes are a handshake record
 * holding a Client Hello or Server Hello. Records split over TCP segments are reassembled.
 *
 * The Protocol column names the version as Wireshark does: the record's version until a
 * Server Hello has fixed the session's (TLS 1.3 from its supported_versions extension).
 */
import { defineProtocol } from '../protocol';
import { defineFields } from '../fields';
import {
  BoundsError,
  DESEGMENT_ONE_MORE_SEGMENT,
  type DesegmentRequest,
  type PacketContext,
  type TcpPayloadConsumer,
  type TcpPayloadInfo,
} from '../context';
import type { ProtoNode } from '../tree';
import { formatBytesHex, latin1 } from '../format';
import { u16, u24, u32, truncatedHex } from './common';
import { md5Hex } from './md5';
import {
  ALERT_DESCRIPTIONS,
  ALERT_LEVELS,
  CERT_STATUS_TYPES,
  CIPHER_SUITES,
  COMPRESSION_METHODS,
  CONTENT_TYPES,
  CURVE_TYPES,
  EC_POINT_FORMATS,
  EXTENSION_TYPES,
  HANDSHAKE_TYPES,
  PSK_KE_MODES,
  SERVER_NAME_TYPES,
  SIG_HASH_ALGS,
  SIG_HASH_HASHES,
  SIG_HASH_SIGS,
  SUPPORTED_GROUPS,
  VERSIONS,
} from './tls-values';

export const tlsFields = defineFields({
  tls: { abbrev: 'tls', name: 'Transport Layer Security', type: 'protocol' },
  record: { abbrev: 'tls.record', name: 'Record Layer', type: 'none' },
  contentType: {
    abbrev: 'tls.record.content_type',
    name: 'Content Type',
    type: 'uint8',
    valueStrings: CONTENT_TYPES,
  },
  opaqueType: { abbrev: 'tls.record.opaque_type', name: 'Opaque Type', type: 'uint8', valueStrings: CONTENT_TYPES },
  recordVersion: {
    abbrev: 'tls.record.version',
    name: 'Version',
    type: 'uint16',
    base: 'hex',
    valueStrings: VERSIONS,
  },
  recordLength: { abbrev: 'tls.record.length', name: 'Length', type: 'uint16' },
  appData: { abbrev: 'tls.app_data', name: 'Encrypted Application Data', type: 'bytes' },
  appDataProto: { abbrev: 'tls.app_data_proto', name: 'Application Data Protocol', type: 'string' },
  changeCipherSpec: { abbrev: 'tls.change_cipher_spec', name: 'Change Cipher Spec Message', type: 'none' },
  alert: { abbrev: 'tls.alert_message', name: 'Alert Message', type: 'none' },
  alertLevel: { abbrev: 'tls.alert_message.level', name: 'Level', type: 'uint8', valueStrings: ALERT_LEVELS },
  alertDesc: {
    abbrev: 'tls.alert_message.desc',
    name: 'Description',
    type: 'uint8',
    valueStrings: ALERT_DESCRIPTIONS,
  },
  handshake: { abbrev: 'tls.handshake', name: 'Handshake Protocol', type: 'none' },
  hsType: { abbrev: 'tls.handshake.type', name: 'Handshake Type', type: 'uint8', valueStrings: HANDSHAKE_TYPES },
  hsLength: { abbrev: 'tls.handshake.length', name: 'Length', type: 'uint24' },
  hsVersion: { abbrev: 'tls.handshake.version', name: 'Version', type: 'uint16', base: 'hex', valueStrings: VERSIONS },
  random: { abbrev: 'tls.handshake.random', name: 'Random', type: 'bytes' },
  randomTime: { abbrev: 'tls.handshake.random_time', name: 'GMT Unix Time', type: 'time_abs' },
  randomBytes: { abbrev: 'tls.handshake.random_bytes', name: 'Random Bytes', type: 'bytes' },
  sessionIdLength: { abbrev: 'tls.handshake.session_id_length', name: 'Session ID Length', type: 'uint16' },
  sessionId: { abbrev: 'tls.handshake.session_id', name: 'Session ID', type: 'bytes' },
  cipherSuitesLength: { abbrev: 'tls.handshake.cipher_suites_length', name: 'Cipher Suites Length', type: 'uint16' },
  cipherSuites: { abbrev: 'tls.handshake.ciphersuites', name: 'Cipher Suites', type: 'none' },
  cipherSuite: {
    abbrev: 'tls.handshake.ciphersuite',
    name: 'Cipher Suite',
    type: 'uint16',
    base: 'hex',
    valueStrings: CIPHER_SUITES,
  },
  compMethodsLength: {
    abbrev: 'tls.handshake.comp_methods_length',
    name: 'Compression Methods Length',
    type: 'uint8',
  },
  compMethods: { abbrev: 'tls.handshake.comp_methods', name: 'Compression Methods', type: 'none' },
  compMethod: {
    abbrev: 'tls.handshake.comp_method',
    name: 'Compression Method',
    type: 'uint8',
    valueStrings: COMPRESSION_METHODS,
  },
  extensionsLength: { abbrev: 'tls.handshake.extensions_length', name: 'Extensions Length', type: 'uint16' },
  extType: { abbrev: 'tls.handshake.extension.type', name: 'Type', type: 'uint16', valueStrings: EXTENSION_TYPES },
  extLen: { abbrev: 'tls.handshake.extension.len', name: 'Length', type: 'uint16' },
  extData: { abbrev: 'tls.handshake.extension.data', name: 'Data', type: 'bytes' },
  sniListLen: {
    abbrev: 'tls.handshake.extensions_server_name_list_len',
    name: 'Server Name list length',
    type: 'uint16',
  },
  sniType: {
    abbrev: 'tls.handshake.extensions_server_name_type',
    name: 'Server Name Type',
    type: 'uint8',
    valueStrings: SERVER_NAME_TYPES,
  },
  sniLen: { abbrev: 'tls.handshake.extensions_server_name_len', name: 'Server Name length', type: 'uint16' },
  sni: { abbrev: 'tls.handshake.extensions_server_name', name: 'Server Name', type: 'string' },
  supportedVersionsLen: {
    abbrev: 'tls.handshake.extensions.supported_versions_len',
    name: 'Supported Versions length',
    type: 'uint8',
  },
  supportedVersion: {
    abbrev: 'tls.handshake.extensions.supported_version',
    name: 'Supported Version',
    type: 'uint16',
    base: 'hex',
    valueStrings: VERSIONS,
  },
  alpnLen: { abbrev: 'tls.handshake.extensions_alpn_len', name: 'ALPN Extension Length', type: 'uint16' },
  alpnList: { abbrev: 'tls.handshake.extensions_alpn_list', name: 'ALPN Protocol', type: 'none' },
  alpnStrLen: { abbrev: 'tls.handshake.extensions_alpn_str_len', name: 'ALPN string length', type: 'uint8' },
  alpnStr: { abbrev: 'tls.handshake.extensions_alpn_str', name: 'ALPN Next Protocol', type: 'string' },
  groupsLength: {
    abbrev: 'tls.handshake.extensions_supported_groups_length',
    name: 'Supported Groups List Length',
    type: 'uint16',
  },
  groups: { abbrev: 'tls.handshake.extensions_supported_groups', name: 'Supported Groups List', type: 'none' },
  group: {
    abbrev: 'tls.handshake.extensions_supported_group',
    name: 'Supported Group',
    type: 'uint16',
    base: 'hex',
    valueStrings: SUPPORTED_GROUPS,
  },
  pointFormatsLength: {
    abbrev: 'tls.handshake.extensions_ec_point_formats_length',
    name: 'EC point formats Length',
    type: 'uint8',
  },
  pointFormats: { abbrev: 'tls.handshake.extensions_ec_point_formats', name: 'EC point formats', type: 'none' },
  pointFormat: {
    abbrev: 'tls.handshake.extensions_ec_point_format',
    name: 'EC point format',
    type: 'uint8',
    valueStrings: EC_POINT_FORMATS,
  },
  sigHashAlgLen: {
    abbrev: 'tls.handshake.sig_hash_alg_len',
    name: 'Signature Hash Algorithms Length',
    type: 'uint16',
  },
  sigHashAlgs: { abbrev: 'tls.handshake.sig_hash_algs', name: 'Signature Algorithms', type: 'none' },
  sigHashAlg: {
    abbrev: 'tls.handshake.sig_hash_alg',
    name: 'Signature Algorithm',
    type: 'uint16',
    base: 'hex',
    valueStrings: SIG_HASH_ALGS,
  },
  sigHashHash: {
    abbrev: 'tls.handshake.sig_hash_hash',
    name: 'Signature Hash Algorithm Hash',
    type: 'uint8',
    valueStrings: SIG_HASH_HASHES,
  },
  sigHashSig: {
    abbrev: 'tls.handshake.sig_hash_sig',
    name: 'Signature Hash Algorithm Signature',
    type: 'uint8',
    valueStrings: SIG_HASH_SIGS,
  },
  pskKeModesLength: {
    abbrev: 'tls.extension.psk_ke_modes_length',
    name: 'PSK Key Exchange Modes Length',
    type: 'uint8',
  },
  pskKeMode: {
    abbrev: 'tls.extension.psk_ke_mode',
    name: 'PSK Key Exchange Mode',
    type: 'uint8',
    valueStrings: PSK_KE_MODES,
  },
  keyShareClientLength: {
    abbrev: 'tls.handshake.extensions_key_share_client_length',
    name: 'Client Key Share Length',
    type: 'uint16',
  },
  keyShareGroup: {
    abbrev: 'tls.handshake.extensions_key_share_group',
    name: 'Group',
    type: 'uint16',
    valueStrings: SUPPORTED_GROUPS,
  },
  keyShareSelectedGroup: {
    abbrev: 'tls.handshake.extensions_key_share_selected_group',
    name: 'Selected Group',
    type: 'uint16',
    valueStrings: SUPPORTED_GROUPS,
  },
  keyExchangeLength: {
    abbrev: 'tls.handshake.extensions_key_share_key_exchange_length',
    name: 'Key Exchange Length',
    type: 'uint16',
  },
  keyExchange: { abbrev: 'tls.handshake.extensions_key_share_key_exchange', name: 'Key Exchange', type: 'bytes' },
  paddingData: { abbrev: 'tls.handshake.extensions_padding_data', name: 'Padding Data', type: 'bytes' },
  renegInfoLen: {
    abbrev: 'tls.handshake.extensions_reneg_info_len',
    name: 'Renegotiation info extension length',
    type: 'uint8',
  },
  renegInfo: { abbrev: 'tls.handshake.extensions_reneg_info', name: 'Renegotiation info', type: 'bytes' },
  certificatesLength: { abbrev: 'tls.handshake.certificates_length', name: 'Certificates Length', type: 'uint24' },
  certificates: { abbrev: 'tls.handshake.certificates', name: 'Certificates', type: 'none' },
  certificateLength: { abbrev: 'tls.handshake.certificate_length', name: 'Certificate Length', type: 'uint24' },
  certificate: { abbrev: 'tls.handshake.certificate', name: 'Certificate', type: 'bytes' },
  curveType: {
    abbrev: 'tls.handshake.server_curve_type',
    name: 'Curve Type',
    type: 'uint8',
    base: 'hex',
    valueStrings: CURVE_TYPES,
  },
  namedCurve: {
    abbrev: 'tls.handshake.server_named_curve',
    name: 'Named Curve',
    type: 'uint16',
    base: 'hex',
    valueStrings: SUPPORTED_GROUPS,
  },
  serverPointLen: { abbrev: 'tls.handshake.server_point_len', name: 'Pubkey Length', type: 'uint8' },
  serverPoint: { abbrev: 'tls.handshake.server_point', name: 'Pubkey', type: 'bytes' },
  clientPointLen: { abbrev: 'tls.handshake.client_point_len', name: 'Pubkey Length', type: 'uint8' },
  clientPoint: { abbrev: 'tls.handshake.client_point', name: 'Pubkey', type: 'bytes' },
  sigLen: { abbrev: 'tls.handshake.sig_len', name: 'Signature Length', type: 'uint16' },
  sig: { abbrev: 'tls.handshake.sig', name: 'Signature', type: 'bytes' },
  statusType: {
    abbrev: 'tls.handshake.extensions_status_request_type',
    name: 'Certificate Status Type',
    type: 'uint8',
    valueStrings: CERT_STATUS_TYPES,
  },
  statusLen: {
    abbrev: 'tls.handshake.extensions_status_request_len',
    name: 'Certificate Status Length',
    type: 'uint16',
  },
  responderIdsLen: {
    abbrev: 'tls.handshake.extensions_status_request_responder_ids_len',
    name: 'Responder ID list Length',
    type: 'uint16',
  },
  requestExtsLen: {
    abbrev: 'tls.handshake.extensions_status_request_exts_len',
    name: 'Request Extensions Length',
    type: 'uint16',
  },
  statusListLen: {
    abbrev: 'tls.handshake.extensions_status_request_list_len',
    name: 'Certificate Status List Length',
    type: 'uint16',
  },
  ja3Full: { abbrev: 'tls.handshake.ja3_full', name: 'JA3 Fullstring', type: 'string' },
  ja3: { abbrev: 'tls.handshake.ja3', name: 'JA3', type: 'string' },
  ja3sFull: { abbrev: 'tls.handshake.ja3s_full', name: 'JA3S Fullstring', type: 'string' },
  ja3s: { abbrev: 'tls.handshake.ja3s', name: 'JA3S', type: 'string' },
  epmsLen: { abbrev: 'tls.handshake.epms_len', name: 'Encrypted PreMaster length', type: 'uint16' },
  epms: { abbrev: 'tls.handshake.epms', name: 'Encrypted PreMaster', type: 'bytes' },
});
const f = tlsFields;

/**
 * Wireshark's default TLS ports (TCP): 443 (https), 465 (smtps), 636 (ldaps), 853 (DNS over
 * TLS), 989/990 (ftps), 992 (telnets), 993 (imaps), 994 (ircs), 995 (pop3s), 5061 (sips).
 * Elsewhere the heuristic decides.
 */
export const TLS_TCP_PORTS: readonly number[] = [443, 465, 636, 853, 989, 990, 992, 993, 994, 995, 5061];

/** ssl_version_short_names: the Protocol column and the record item's version. */
const VERSION_SHORT: Readonly<Record<number, string>> = {
  0x0002: 'SSLv2',
  0x0300: 'SSLv3',
  0x0301: 'TLSv1',
  0x0302: 'TLSv1.1',
  0x0303: 'TLSv1.2',
  0x0304: 'TLSv1.3',
  0x0101: 'GMTLS',
  0xfeff: 'DTLSv1.0',
  0xfefd: 'DTLSv1.2',
  0x0100: 'DTLS 1.0 (OpenSSL pre 0.9.8f)',
};

const CT_CHANGE_CIPHER_SPEC = 20;
const CT_ALERT = 21;
const CT_HANDSHAKE = 22;
const CT_APP_DATA = 23;
const CT_HEARTBEAT = 24;

const HS_CLIENT_HELLO = 1;
const HS_SERVER_HELLO = 2;

/** The record versions Wireshark accepts (ssl_is_valid_ssl_version). */
function validVersion(v: number): boolean {
  return (v >= 0x0300 && v <= 0x0304) || v === 0x0101 || v === 0xfeff || v === 0xfefd || v === 0x0100;
}

function validContentType(t: number): boolean {
  return t >= CT_CHANGE_CIPHER_SPEC && t <= CT_HEARTBEAT;
}

// ---------------------------------------------------------------------------------------------
// Per-stream state (Wireshark's SslSession: one per conversation)

interface TlsSession {
  /** The negotiated version, 0 while unknown. */
  version: number;
  /** Change Cipher Spec seen from the client / the server: its later handshake records are encrypted. */
  encryptedFromClient: boolean;
  encryptedFromServer: boolean;
  /** The cipher suite the server chose (for the key exchange's parameters). */
  cipherSuite: number;
  /** Long name of the protocol inside (from the port or ALPN), or null. */
  appProtocol: string | null;
}

function sessionOf(ctx: PacketContext, info: TcpPayloadInfo): TlsSession {
  const all = ctx.state.state<Map<number, TlsSession>>('tls.sessions', () => new Map());
  let s = all.get(info.stream);
  if (!s) {
    const serverPort = info.fromClient ? info.dstPort : info.srcPort;
    s = {
      version: 0,
      encryptedFromClient: false,
      encryptedFromServer: false,
      cipherSuite: -1,
      appProtocol: serverPort === 443 ? 'Hypertext Transfer Protocol' : null,
    };
    all.set(info.stream, s);
  }
  return s;
}

/** ALPN protocol id → the long name of the dissector Wireshark hands the data to. */
const ALPN_PROTOCOLS: Readonly<Record<string, string>> = {
  'http/1.1': 'Hypertext Transfer Protocol',
  'http/1.0': 'Hypertext Transfer Protocol',
  h2: 'HyperText Transfer Protocol 2',
};

// ---------------------------------------------------------------------------------------------
// The consumer

/**
 * dissect_ssl_heur (is_sslv3_or_tls): a record header of a handshake or application data
 * record, SSL 3.0–TLS 1.2 record version (TLS 1.3 sends 1.0/1.2 there) and a sane length.
 */
export function looksLikeTls(buf: Uint8Array, offset: number, end: number): boolean {
  if (Math.min(end, buf.length) - offset < 5) return false;
  const type = buf[offset];
  if (type !== CT_HANDSHAKE && type !== CT_APP_DATA) return false;
  const version = u16(buf, offset + 1);
  if (!((version >= 0x0300 && version <= 0x0303) || version === 0x0101)) return false;
  const length = u16(buf, offset + 3);
  return length > 0 && length < 0x4000 + 2048;
}

export const tlsConsumer: TcpPayloadConsumer = {
  name: 'tls',
  ports: TLS_TCP_PORTS,
  heuristic(buf, offset, end): boolean {
    return looksLikeTls(buf, offset, end);
  },
  dissect(ctx, buf, offset, end, tree, info): DesegmentRequest | void {
    const stop = Math.min(end, buf.length);
    const reportedEnd = info.reportedEnd ?? stop;
    const canDesegment = !info.outOfOrder && info.canDesegment !== false;
    const session = sessionOf(ctx, info);
    let pos = offset;
    let tlsTree: ProtoNode[] | null = null;
    let tlsNode: ProtoNode | null = null;
    const open = (): ProtoNode[] | null => {
      if (tlsNode === null) {
        if (!ctx.packet.protocols.includes('tls')) ctx.enterProtocol('tls');
        // dissect_ssl clears TCP's Info (TCP puts its analysis markers back in front).
        if (ctx.infoMessages === 0) ctx.setInfo('');
        tlsNode = ctx.add(tree, f.tls, pos, stop - pos);
        tlsTree = ctx.children(tlsNode);
      }
      return tlsTree;
    };
    try {
      while (pos < stop) {
        if (stop - pos < 5) {
          if (canDesegment) return { offset: pos, needMore: DESEGMENT_ONE_MORE_SEGMENT };
          if (reportedEnd > stop) {
            open();
            throw new BoundsError('captured');
          }
          break;
        }
        const type = buf[pos];
        const version = u16(buf, pos + 1);
        const length = u16(buf, pos + 3);
        if (!validContentType(type) || !validVersion(version)) {
          // Not a record start: what Wireshark calls continuation data.
          const t = open();
          writeInfo(ctx, 'Continuation Data');
          ctx.columns.protocol = protocolName(session, version);
          if (t) ctx.add(t, undefined, pos, stop - pos, undefined, `${protocolName(session, 0)} Continuation Data`);
          pos = stop;
          break;
        }
        if (pos + 5 + length > stop && canDesegment) {
          return { offset: pos, needMore: pos + 5 + length - stop };
        }
        dissectRecord(ctx, buf, pos, stop, open(), session, info);
        pos += 5 + length;
      }
    } finally {
      if (tlsNode !== null) (tlsNode as ProtoNode).length = Math.min(pos, stop) - (tlsNode as ProtoNode).start;
    }
  },
  release(ctx, stream): void {
    ctx.state.state<Map<number, TlsSession>>('tls.sessions', () => new Map()).delete(stream);
  },
};

function protocolName(session: TlsSession, recordVersion: number): string {
  const v = session.version !== 0 ? session.version : recordVersion;
  return VERSION_SHORT[v] ?? 'TLS';
}

/** The first message replaces TCP's Info, later ones are appended with ", " (col_append_sep_str). */
function writeInfo(ctx: PacketContext, text: string): void {
  if (ctx.infoMessages === 0) ctx.setInfo(text);
  else ctx.appendInfo(', ' + text);
  ctx.infoMessages++;
}

// ---------------------------------------------------------------------------------------------
// Records

function dissectRecord(
  ctx: PacketContext,
  buf: Uint8Array,
  start: number,
  stop: number,
  t: ProtoNode[] | null,
  session: TlsSession,
  info: TcpPayloadInfo,
): void {
  const type = buf[start];
  const version = u16(buf, start + 1);
  const length = u16(buf, start + 3);
  const body = start + 5;
  const recordEnd = body + length;
  const fromClient = info.fromClient;

  // ssl_try_set_version: any valid record but a Client Hello is authoritative for the version.
  const nextByte = body < stop ? buf[body] : -1;
  if (
    session.version === 0 &&
    (type !== CT_HANDSHAKE || (HANDSHAKE_TYPES[nextByte] !== undefined && nextByte !== HS_CLIENT_HELLO))
  ) {
    session.version = version;
  }
  const vname = protocolName(session, version);
  ctx.columns.protocol = vname;

  const recNode = ctx.add(t, f.record, start, Math.min(recordEnd, stop) - start);
  const r = ctx.children(recNode);
  const tls13AppData = session.version === 0x0304 && type === CT_APP_DATA;
  ctx.add(r, tls13AppData ? f.opaqueType : f.contentType, start, 1, type);
  ctx.add(r, f.recordVersion, start + 1, 2, version);
  ctx.add(r, f.recordLength, start + 3, 2, length);
  // A record the capture cut (snap length) ends the dissection here, as in Wireshark.
  ctx.need(buf, body, length, recordEnd);
  const encrypted = fromClient ? session.encryptedFromClient : session.encryptedFromServer;
  const end = recordEnd;

  const setLabel = (text: string) => {
    if (recNode) recNode.text = `${vname} Record Layer: ${text}`;
  };

  switch (type) {
    case CT_CHANGE_CIPHER_SPEC:
      writeInfo(ctx, 'Change Cipher Spec');
      setLabel('Change Cipher Spec Protocol: Change Cipher Spec');
      ctx.need(buf, body, 1, stop);
      ctx.add(r, f.changeCipherSpec, body, 1);
      if (fromClient) session.encryptedFromClient = true;
      else session.encryptedFromServer = true;
      return;
    case CT_ALERT: {
      if (!encrypted && length === 2) {
        ctx.need(buf, body, 2, stop);
        const level = buf[body];
        const desc = buf[body + 1];
        const text = `Alert (Level: ${ALERT_LEVELS[level] ?? 'Unknown'}, Description: ${ALERT_DESCRIPTIONS[desc] ?? 'Unknown'})`;
        writeInfo(ctx, text);
        setLabel(text);
        const a = ctx.children(ctx.add(r, f.alert, body, 2));
        ctx.add(a, f.alertLevel, body, 1, level);
        ctx.add(a, f.alertDesc, body + 1, 1, desc);
      } else {
        writeInfo(ctx, 'Encrypted Alert');
        setLabel('Encrypted Alert');
        ctx.add(r, f.alert, body, end - body, undefined, 'Alert Message: Encrypted Alert');
      }
      return;
    }
    case CT_HANDSHAKE:
      dissectHandshakes(ctx, buf, body, end, r, session, encrypted, setLabel, info);
      return;
    case CT_APP_DATA: {
      writeInfo(ctx, 'Application Data');
      const proto = session.appProtocol;
      setLabel(`Application Data Protocol: ${proto ?? 'Application Data'}`);
      const data = buf.subarray(body, end);
      if (r) ctx.add(r, f.appData, body, end - body, data, `Encrypted Application Data: ${truncatedHex(data)}`);
      if (proto !== null) ctx.addGenerated(r, f.appDataProto, proto, `Application Data Protocol: ${proto}`);
      return;
    }
    default:
      writeInfo(ctx, encrypted ? 'Encrypted Heartbeat' : 'Heartbeat');
      setLabel(encrypted ? 'Encrypted Heartbeat' : 'Heartbeat');
  }
}

// ---------------------------------------------------------------------------------------------
// Handshake messages

function dissectHandshakes(
  ctx: PacketContext,
  buf: Uint8Array,
  start: number,
  end: number,
  r: ProtoNode[] | null,
  session: TlsSession,
  encrypted: boolean,
  setLabel: (text: string) => void,
  info: TcpPayloadInfo,
): void {
  let pos = start;
  let count = 0;
  while (pos < end) {
    const type = buf[pos];
    const length = end - pos >= 4 ? u24(buf, pos + 1) : -1;
    const name = HANDSHAKE_TYPES[type];
    // An unknown type, or a length past the record: the message is encrypted (Finished after CCS).
    if (encrypted || name === undefined || length < 0 || pos + 4 + length > end) {
      if (count === 0) {
        writeInfo(ctx, 'Encrypted Handshake Message');
        setLabel('Handshake Protocol: Encrypted Handshake Message');
        ctx.add(r, f.handshake, pos, end - pos, undefined, 'Handshake Protocol: Encrypted Handshake Message');
      }
      return;
    }
    writeInfo(ctx, name);
    setLabel(count === 0 ? `Handshake Protocol: ${name}` : 'Handshake Protocol: Multiple Handshake Messages');
    count++;
    const msgEnd = pos + 4 + length;
    const hsNode = ctx.add(r, f.handshake, pos, msgEnd - pos, undefined, `Handshake Protocol: ${name}`);
    const h = ctx.children(hsNode);
    ctx.add(h, f.hsType, pos, 1, type);
    ctx.add(h, f.hsLength, pos + 1, 3, length);
    const b = pos + 4;
    switch (type) {
      case HS_CLIENT_HELLO:
        dissectHello(ctx, buf, b, msgEnd, h, session, false, info);
        break;
      case HS_SERVER_HELLO:
        dissectHello(ctx, buf, b, msgEnd, h, session, true, info);
        break;
      case 11:
        if (session.version !== 0x0304) dissectCertificates(ctx, buf, b, msgEnd, h);
        break;
      case 12:
        dissectServerKeyExchange(ctx, buf, b, msgEnd, h, session);
        break;
      case 16:
        dissectClientKeyExchange(ctx, buf, b, msgEnd, h, session);
        break;
      default:
        break;
    }
    pos = msgEnd;
  }
}

/** A list item label with its count: "Cipher Suites (31 suites)", "(1 suite)". */
function counted(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function dissectHello(
  ctx: PacketContext,
  buf: Uint8Array,
  start: number,
  end: number,
  h: ProtoNode[] | null,
  session: TlsSession,
  fromServer: boolean,
  info: TcpPayloadInfo,
): void {
  let p = start;
  ctx.need(buf, p, 2 + 32 + 1, end);
  const version = u16(buf, p);
  // A TLS 1.3 Server Hello names its version in supported_versions (tls_scan_server_hello).
  if (fromServer) {
    const selected = scanServerHelloVersion(buf, start, end);
    if (selected !== null) session.version = selected;
  }
  ctx.add(h, f.hsVersion, p, 2, version);
  p += 2;
  // JA3 (client) / JA3S (server) fingerprints, as Wireshark adds them (GREASE values left out).
  const ja3Ciphers: number[] = [];
  const ja3Extensions: number[] = [];
  const ja3Groups: number[] = [];
  const ja3Formats: number[] = [];
  const random = buf.subarray(p, p + 32);
  const rNode = ctx.add(h, f.random, p, 32, random, `Random: ${formatBytesHex(random)}`);
  if (!(fromServer && session.version === 0x0304)) {
    const rt = ctx.children(rNode);
    const secs = u32(buf, p);
    ctx.add(rt, f.randomTime, p, 4, secs, `GMT Unix Time: ${formatUnixTime(secs)}`);
    const rest = buf.subarray(p + 4, p + 32);
    ctx.add(rt, f.randomBytes, p + 4, 28, rest, `Random Bytes: ${formatBytesHex(rest)}`);
  }
  p += 32;
  const sidLen = buf[p];
  ctx.add(h, f.sessionIdLength, p, 1, sidLen);
  p += 1;
  if (sidLen > 0) {
    ctx.need(buf, p, sidLen, end);
    const sid = buf.subarray(p, p + sidLen);
    ctx.add(h, f.sessionId, p, sidLen, sid, `Session ID: ${formatBytesHex(sid)}`);
    p += sidLen;
  }
  if (fromServer) {
    ctx.need(buf, p, 3, end);
    const suite = u16(buf, p);
    session.cipherSuite = suite;
    ja3Ciphers.push(suite);
    ctx.add(h, f.cipherSuite, p, 2, suite);
    ctx.add(h, f.compMethod, p + 2, 1, buf[p + 2]);
    p += 3;
  } else {
    ctx.need(buf, p, 2, end);
    const csLen = u16(buf, p);
    ctx.add(h, f.cipherSuitesLength, p, 2, csLen);
    p += 2;
    ctx.need(buf, p, csLen, end);
    const n = Math.floor(csLen / 2);
    const cs = ctx.children(
      ctx.add(h, f.cipherSuites, p, csLen, undefined, `Cipher Suites (${counted(n, 'suite', 'suites')})`),
    );
    for (let i = 0; i < n; i++) {
      const suite = u16(buf, p + 2 * i);
      ctx.add(cs, f.cipherSuite, p + 2 * i, 2, suite);
      if (!isGrease(suite)) ja3Ciphers.push(suite);
    }
    p += csLen;
    ctx.need(buf, p, 1, end);
    const cmLen = buf[p];
    ctx.add(h, f.compMethodsLength, p, 1, cmLen);
    p += 1;
    ctx.need(buf, p, cmLen, end);
    const cm = ctx.children(
      ctx.add(h, f.compMethods, p, cmLen, undefined, `Compression Methods (${counted(cmLen, 'method', 'methods')})`),
    );
    for (let i = 0; i < cmLen; i++) ctx.add(cm, f.compMethod, p + i, 1, buf[p + i]);
    p += cmLen;
  }
  if (p + 2 > end) {
    addJa3(ctx, h, fromServer, version, ja3Ciphers, ja3Extensions, ja3Groups, ja3Formats);
    return;
  }
  const extLen = u16(buf, p);
  ctx.add(h, f.extensionsLength, p, 2, extLen);
  p += 2;
  const extEnd = Math.min(end, p + extLen);
  while (p + 4 <= extEnd) {
    const type = u16(buf, p);
    const len = u16(buf, p + 2);
    ctx.need(buf, p + 4, len, extEnd);
    const name = EXTENSION_TYPES[type] ?? 'Unknown';
    const x = ctx.children(ctx.add(h, undefined, p, 4 + len, undefined, `Extension: ${name} (len=${len})`));
    ctx.add(x, f.extType, p, 2, type);
    ctx.add(x, f.extLen, p + 2, 2, len);
    dissectExtension(ctx, buf, type, p + 4, p + 4 + len, x, session, fromServer, info);
    if (!isGrease(type)) ja3Extensions.push(type);
    if (type === 10 && len >= 2) {
      for (let q = p + 6; q + 2 <= Math.min(p + 6 + u16(buf, p + 4), p + 4 + len); q += 2) {
        if (!isGrease(u16(buf, q))) ja3Groups.push(u16(buf, q));
      }
    } else if (type === 11 && len >= 1) {
      for (let q = p + 5; q < Math.min(p + 5 + buf[p + 4], p + 4 + len); q++) ja3Formats.push(buf[q]);
    }
    p += 4 + len;
  }
  addJa3(ctx, h, fromServer, version, ja3Ciphers, ja3Extensions, ja3Groups, ja3Formats);
}

/** GREASE values (RFC 8701): 0x?a?a with both bytes equal. */
function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
}

function addJa3(
  ctx: PacketContext,
  h: ProtoNode[] | null,
  fromServer: boolean,
  version: number,
  ciphers: number[],
  extensions: number[],
  groups: number[],
  formats: number[],
): void {
  if (!h) return;
  const full = fromServer
    ? `${version},${ciphers.join('-')},${extensions.join('-')}`
    : `${version},${ciphers.join('-')},${extensions.join('-')},${groups.join('-')},${formats.join('-')}`;
  const fullField = fromServer ? f.ja3sFull : f.ja3Full;
  ctx.addGenerated(h, fullField, full, generatedLabel(fullField.name, full));
  const hash = md5Hex(full);
  ctx.addGenerated(h, fromServer ? f.ja3s : f.ja3, hash, `${fromServer ? 'JA3S' : 'JA3'}: ${hash}`);
}

/** "[Name: value]" within Wireshark's label buffer, or "[Name [truncated]: valu…]" cut to 238 characters. */
function generatedLabel(name: string, value: string): string {
  const label = `${name}: ${value}`;
  if (label.length < 240) return label;
  return `${name} [truncated]: ${value}`.slice(0, 238);
}

/** The version a Server Hello's supported_versions extension selects, or null. */
function scanServerHelloVersion(buf: Uint8Array, start: number, end: number): number | null {
  let p = start + 2 + 32;
  if (p >= end) return null;
  p += 1 + buf[p] + 3;
  if (p + 2 > end) return null;
  const extEnd = Math.min(end, p + 2 + u16(buf, p));
  p += 2;
  while (p + 4 <= extEnd) {
    const type = u16(buf, p);
    const len = u16(buf, p + 2);
    if (type === 43 && len === 2 && p + 6 <= extEnd) return u16(buf, p + 4);
    p += 4 + len;
  }
  return null;
}

function dissectExtension(
  ctx: PacketContext,
  buf: Uint8Array,
  type: number,
  start: number,
  end: number,
  x: ProtoNode[] | null,
  session: TlsSession,
  fromServer: boolean,
  info: TcpPayloadInfo,
): void {
  void info;
  const len = end - start;
  switch (type) {
    case 0: {
      // server_name
      if (len === 0) return;
      const s = ctx.children(ctx.add(x, undefined, start, len, undefined, 'Server Name Indication extension'));
      ctx.add(s, f.sniListLen, start, 2, u16(buf, start));
      let p = start + 2;
      while (p + 3 <= end) {
        const nameLen = u16(buf, p + 1);
        ctx.add(s, f.sniType, p, 1, buf[p]);
        ctx.add(s, f.sniLen, p + 1, 2, nameLen);
        ctx.need(buf, p + 3, nameLen, end);
        ctx.add(s, f.sni, p + 3, nameLen, latin1(buf, p + 3, p + 3 + nameLen));
        p += 3 + nameLen;
      }
      return;
    }
    case 10: {
      // supported_groups
      const listLen = u16(buf, start);
      ctx.add(x, f.groupsLength, start, 2, listLen);
      const n = Math.floor(Math.min(listLen, len - 2) / 2);
      const g = ctx.children(
        ctx.add(x, f.groups, start + 2, n * 2, undefined, `Supported Groups (${counted(n, 'group', 'groups')})`),
      );
      for (let i = 0; i < n; i++) ctx.add(g, f.group, start + 2 + 2 * i, 2, u16(buf, start + 2 + 2 * i));
      return;
    }
    case 11: {
      // ec_point_formats
      const n = buf[start];
      ctx.add(x, f.pointFormatsLength, start, 1, n);
      const m = Math.min(n, len - 1);
      const g = ctx.children(
        ctx.add(x, f.pointFormats, start + 1, m, undefined, `Elliptic curves point formats (${m})`),
      );
      for (let i = 0; i < m; i++) ctx.add(g, f.pointFormat, start + 1 + i, 1, buf[start + 1 + i]);
      return;
    }
    case 5: {
      // status_request (a Client Hello's OCSP request)
      if (fromServer || len < 5) return;
      ctx.add(x, f.statusType, start, 1, buf[start]);
      addOcspRequest(ctx, buf, start + 1, x);
      return;
    }
    case 17: {
      // status_request_v2: a list of requests, each with its type and length
      if (fromServer || len < 2) return;
      ctx.add(x, f.statusListLen, start, 2, u16(buf, start));
      for (let p = start + 2; p + 3 <= end;) {
        const itemLen = u16(buf, p + 1);
        ctx.add(x, f.statusType, p, 1, buf[p]);
        ctx.add(x, f.statusLen, p + 1, 2, itemLen);
        if (itemLen >= 4) addOcspRequest(ctx, buf, p + 3, x);
        p += 3 + itemLen;
      }
      return;
    }
    case 13:
    case 50: {
      // signature_algorithms, signature_algorithms_cert
      const listLen = u16(buf, start);
      ctx.add(x, f.sigHashAlgLen, start, 2, listLen);
      dissectSigHashAlgs(ctx, buf, start + 2, Math.min(end, start + 2 + listLen), x);
      return;
    }
    case 16: {
      // application_layer_protocol_negotiation
      const listLen = u16(buf, start);
      ctx.add(x, f.alpnLen, start, 2, listLen);
      const a = ctx.children(ctx.add(x, f.alpnList, start + 2, len - 2));
      let p = start + 2;
      while (p < end) {
        const n = buf[p];
        ctx.add(a, f.alpnStrLen, p, 1, n);
        ctx.need(buf, p + 1, n, end);
        const id = latin1(buf, p + 1, p + 1 + n);
        ctx.add(a, f.alpnStr, p + 1, n, id);
        if (fromServer && ALPN_PROTOCOLS[id] !== undefined) session.appProtocol = ALPN_PROTOCOLS[id];
        p += 1 + n;
      }
      return;
    }
    case 21: {
      // padding
      const data = buf.subarray(start, end);
      ctx.add(x, f.paddingData, start, len, data, `Padding Data: ${truncatedHex(data)}`);
      return;
    }
    case 43: {
      // supported_versions
      if (fromServer) {
        if (len >= 2) ctx.add(x, f.supportedVersion, start, 2, u16(buf, start));
        return;
      }
      const n = buf[start];
      ctx.add(x, f.supportedVersionsLen, start, 1, n);
      for (let p = start + 1; p + 2 <= Math.min(end, start + 1 + n); p += 2) {
        ctx.add(x, f.supportedVersion, p, 2, u16(buf, p));
      }
      return;
    }
    case 45: {
      // psk_key_exchange_modes
      const n = buf[start];
      ctx.add(x, f.pskKeModesLength, start, 1, n);
      for (let i = 0; i < n && start + 1 + i < end; i++) ctx.add(x, f.pskKeMode, start + 1 + i, 1, buf[start + 1 + i]);
      return;
    }
    case 51: {
      // key_share
      const k = ctx.children(ctx.add(x, undefined, start, len, undefined, 'Key Share extension'));
      let p = start;
      let stop = end;
      if (!fromServer) {
        const clientLen = u16(buf, p);
        ctx.add(k, f.keyShareClientLength, p, 2, clientLen);
        p += 2;
        stop = Math.min(end, p + clientLen);
      } else if (len === 2) {
        ctx.add(k, f.keyShareSelectedGroup, p, 2, u16(buf, p));
        return;
      }
      while (p + 4 <= stop) {
        const group = u16(buf, p);
        const keLen = u16(buf, p + 2);
        ctx.need(buf, p + 4, keLen, stop);
        const groupName = SUPPORTED_GROUPS[group] ?? 'Unknown';
        const e = ctx.children(
          ctx.add(
            k,
            undefined,
            p,
            4 + keLen,
            undefined,
            `Key Share Entry: Group: ${groupName}, Key Exchange length: ${keLen}`,
          ),
        );
        ctx.add(e, f.keyShareGroup, p, 2, group);
        ctx.add(e, f.keyExchangeLength, p + 2, 2, keLen);
        const ke = buf.subarray(p + 4, p + 4 + keLen);
        ctx.add(e, f.keyExchange, p + 4, keLen, ke, `Key Exchange: ${truncatedHex(ke)}`);
        p += 4 + keLen;
      }
      return;
    }
    case 65281: {
      // renegotiation_info
      const ri = ctx.children(ctx.add(x, undefined, start, len, undefined, 'Renegotiation Info extension'));
      const n = buf[start];
      ctx.add(ri, f.renegInfoLen, start, 1, n);
      if (n > 0) {
        const data = buf.subarray(start + 1, Math.min(end, start + 1 + n));
        ctx.add(ri, f.renegInfo, start + 1, data.length, data, `Renegotiation info: ${truncatedHex(data)}`);
      }
      return;
    }
    case 22: // encrypt_then_mac
    case 23: // extended_master_secret
    case 49: // post_handshake_auth
      return;
    case 35: // session_ticket: Wireshark's "Data" dissector shows the ticket
      ctx.add(x, undefined, start, len, undefined, `Data (${len} bytes)`);
      return;
    default:
      if (len > 0) {
        const data = buf.subarray(start, end);
        ctx.add(x, f.extData, start, len, data, `Data: ${truncatedHex(data)}`);
      }
  }
}

/** An OCSPStatusRequest: responder ID list and request extensions (lengths only, as Wireshark 4.0). */
function addOcspRequest(ctx: PacketContext, buf: Uint8Array, p: number, x: ProtoNode[] | null): void {
  ctx.need(buf, p, 4, buf.length);
  const ids = u16(buf, p);
  ctx.add(x, f.responderIdsLen, p, 2, ids);
  ctx.need(buf, p + 2 + ids, 2, buf.length);
  ctx.add(x, f.requestExtsLen, p + 2 + ids, 2, u16(buf, p + 2 + ids));
}

function dissectSigHashAlgs(ctx: PacketContext, buf: Uint8Array, start: number, end: number, x: ProtoNode[] | null) {
  const n = Math.floor((end - start) / 2);
  const s = ctx.children(
    ctx.add(
      x,
      f.sigHashAlgs,
      start,
      n * 2,
      undefined,
      `Signature Hash Algorithms (${counted(n, 'algorithm', 'algorithms')})`,
    ),
  );
  for (let i = 0; i < n; i++) addSigHashAlg(ctx, buf, start + 2 * i, s);
}

function addSigHashAlg(ctx: PacketContext, buf: Uint8Array, p: number, parent: ProtoNode[] | null): void {
  const alg = u16(buf, p);
  // TLS 1.2 pairs without a TLS 1.3 name read "SHA224 ECDSA" (hash, then signature).
  const legacy =
    SIG_HASH_ALGS[alg] === undefined && SIG_HASH_HASHES[buf[p]] !== undefined && SIG_HASH_SIGS[buf[p + 1]] !== undefined
      ? `Signature Algorithm: ${SIG_HASH_HASHES[buf[p]]} ${SIG_HASH_SIGS[buf[p + 1]]} (0x${alg.toString(16).padStart(4, '0')})`
      : undefined;
  const a = ctx.children(ctx.add(parent, f.sigHashAlg, p, 2, alg, legacy));
  ctx.add(a, f.sigHashHash, p, 1, buf[p]);
  ctx.add(a, f.sigHashSig, p + 1, 1, buf[p + 1]);
}

function dissectCertificates(ctx: PacketContext, buf: Uint8Array, start: number, end: number, h: ProtoNode[] | null) {
  ctx.need(buf, start, 3, end);
  const total = u24(buf, start);
  ctx.add(h, f.certificatesLength, start, 3, total);
  const listEnd = Math.min(end, start + 3 + total);
  const c = ctx.children(
    ctx.add(h, f.certificates, start + 3, listEnd - start - 3, undefined, `Certificates (${total} bytes)`),
  );
  let p = start + 3;
  while (p + 3 <= listEnd) {
    const len = u24(buf, p);
    ctx.add(c, f.certificateLength, p, 3, len);
    ctx.need(buf, p + 3, len, listEnd);
    const cert = buf.subarray(p + 3, p + 3 + len);
    ctx.add(c, f.certificate, p + 3, len, cert, `Certificate: ${truncatedHex(cert)}`);
    p += 3 + len;
  }
}

/** The key exchange of the chosen cipher suite, from its name (TLS_ECDHE_…, TLS_DHE_…, TLS_RSA_…). */
function keyExchange(session: TlsSession): 'ecdhe' | 'dhe' | 'rsa' | null {
  const name = CIPHER_SUITES[session.cipherSuite];
  if (name === undefined) return null;
  if (name.startsWith('TLS_ECDHE_')) return 'ecdhe';
  if (name.startsWith('TLS_DHE_')) return 'dhe';
  if (name.startsWith('TLS_RSA_WITH_')) return 'rsa';
  return null;
}

function dissectServerKeyExchange(
  ctx: PacketContext,
  buf: Uint8Array,
  start: number,
  end: number,
  h: ProtoNode[] | null,
  session: TlsSession,
): void {
  if (keyExchange(session) !== 'ecdhe' || !h) return;
  const e = ctx.children(ctx.add(h, undefined, start, end - start, undefined, 'EC Diffie-Hellman Server Params'));
  ctx.need(buf, start, 4, end);
  ctx.add(e, f.curveType, start, 1, buf[start]);
  ctx.add(e, f.namedCurve, start + 1, 2, u16(buf, start + 1));
  const pointLen = buf[start + 3];
  ctx.add(e, f.serverPointLen, start + 3, 1, pointLen);
  let p = start + 4;
  ctx.need(buf, p, pointLen, end);
  const point = buf.subarray(p, p + pointLen);
  ctx.add(e, f.serverPoint, p, pointLen, point, `Pubkey: ${truncatedHex(point)}`);
  p += pointLen;
  if (session.version >= 0x0303 && p + 2 <= end) {
    addSigHashAlg(ctx, buf, p, e);
    p += 2;
  }
  if (p + 2 > end) return;
  const sigLen = u16(buf, p);
  ctx.add(e, f.sigLen, p, 2, sigLen);
  ctx.need(buf, p + 2, sigLen, end);
  const sig = buf.subarray(p + 2, p + 2 + sigLen);
  ctx.add(e, f.sig, p + 2, sigLen, sig, `Signature: ${truncatedHex(sig)}`);
}

function dissectClientKeyExchange(
  ctx: PacketContext,
  buf: Uint8Array,
  start: number,
  end: number,
  h: ProtoNode[] | null,
  session: TlsSession,
): void {
  const kex = keyExchange(session);
  if (!h || kex === null || kex === 'dhe') return;
  if (kex === 'ecdhe') {
    const e = ctx.children(ctx.add(h, undefined, start, end - start, undefined, 'EC Diffie-Hellman Client Params'));
    ctx.need(buf, start, 1, end);
    const n = buf[start];
    ctx.add(e, f.clientPointLen, start, 1, n);
    ctx.need(buf, start + 1, n, end);
    const point = buf.subarray(start + 1, start + 1 + n);
    ctx.add(e, f.clientPoint, start + 1, n, point, `Pubkey: ${truncatedHex(point)}`);
    return;
  }
  const e = ctx.children(ctx.add(h, undefined, start, end - start, undefined, 'RSA Encrypted PreMaster Secret'));
  ctx.need(buf, start, 2, end);
  const n = u16(buf, start);
  ctx.add(e, f.epmsLen, start, 2, n);
  ctx.need(buf, start + 2, n, end);
  const data = buf.subarray(start + 2, start + 2 + n);
  ctx.add(e, f.epms, start + 2, n, data, `Encrypted PreMaster: ${truncatedHex(data)}`);
}

// ---------------------------------------------------------------------------------------------

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Oct 21, 2034 15:38:52.000000000 UTC": seconds since the epoch in local time, as Wireshark shows FT_ABSOLUTE_TIME. */
function formatUnixTime(secs: number): string {
  const date = new Date(secs * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const zone =
    date.getTimezoneOffset() === 0 && Intl.DateTimeFormat().resolvedOptions().timeZone === 'UTC'
      ? 'UTC'
      : (new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
          .formatToParts(date)
          .find((p) => p.type === 'timeZoneName')?.value ?? 'UTC');
  return (
    `${MONTHS[date.getMonth()]} ${String(date.getDate()).padStart(2, ' ')}, ${date.getFullYear()} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.000000000 ${zone}`
  );
}

/** TLS as data: what registerAllProtocols() (index.ts) registers. */
export const protocol = defineProtocol({
  name: 'tls',
  fields: [tlsFields],
  tcpConsumers: [tlsConsumer],
});
