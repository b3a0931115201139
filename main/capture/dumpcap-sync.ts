/**
 * dumpcap's child protocol ("-Z none"), the one Wireshark itself uses: instead of text, dumpcap
 * writes messages to stderr, each a 1-byte indicator, a 3-byte big-endian length and a
 * NUL-terminated payload (Wireshark's sync_pipe.h). 'F' = capture file created (the device is open
 * and the filter set: really capturing), 'P' = packets captured since the last 'P', 'D' = drops
 * ("count:interface"), 'B' = bad capture filter ("interface index:message"), 'E' = error (two nested
 * messages: primary and secondary text), 'S' = success, 'I' = interface list.
 */

export interface SyncMessage {
  indicator: string;
  text: string;
  /** For 'E': the secondary message. */
  secondary?: string;
}

const KNOWN = new Set(['F', 'P', 'D', 'B', 'E', 'S', 'I', 'C', 'Q', 'N']);

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.toString('utf8', 0, end === -1 ? bytes.length : end);
}

export class DumpcapSyncParser {
  private buffered: Buffer = Buffer.alloc(0);
  /** Bytes that were not protocol messages (plain text dumpcap printed). */
  plainText = '';

  push(chunk: Buffer): SyncMessage[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const out: SyncMessage[] = [];
    while (this.buffered.length >= 4) {
      const indicator = String.fromCharCode(this.buffered[0]);
      if (!KNOWN.has(indicator)) {
        // Not the binary protocol (e.g. a warning printed as text): keep it for error details.
        this.plainText += this.buffered.toString('utf8');
        this.buffered = Buffer.alloc(0);
        break;
      }
      const length = this.buffered.readUIntBE(1, 3);
      if (this.buffered.length < 4 + length) break;
      const payload = this.buffered.subarray(4, 4 + length);
      this.buffered = this.buffered.subarray(4 + length);
      out.push(indicator === 'E' ? parseError(payload) : { indicator, text: cString(payload) });
    }
    return out;
  }
}

function parseError(payload: Buffer): SyncMessage {
  const parts: string[] = [];
  let pos = 0;
  while (pos + 4 <= payload.length && parts.length < 2) {
    const length = payload.readUIntBE(pos + 1, 3);
    parts.push(cString(payload.subarray(pos + 4, Math.min(payload.length, pos + 4 + length))));
    pos += 4 + length;
  }
  if (parts.length === 0) return { indicator: 'E', text: cString(payload) };
  return { indicator: 'E', text: parts[0] ?? '', secondary: parts[1] };
}
