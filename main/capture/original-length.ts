/**
 * cap does not report a packet's length on the wire, only how much was captured (at most 65535 bytes).
 * Loopback frames can be longer (lo's MTU is 65536, plus GSO), so for a frame that filled the capture
 * buffer we recover the wire length from the IP header, as far as the link type allows.
 */
import { LinkType } from '../../core/pcap/types';

function ipLength(data: Uint8Array, offset: number): number | null {
  if (data.length < offset + 1) return null;
  const version = data[offset] >> 4;
  if (version === 4 && data.length >= offset + 4) {
    const total = (data[offset + 2] << 8) | data[offset + 3];
    return total > 0 ? offset + total : null; // 0: TSO super-packet, length unknown
  }
  if (version === 6 && data.length >= offset + 6) {
    const payload = (data[offset + 4] << 8) | data[offset + 5];
    return payload > 0 ? offset + 40 + payload : null; // 0: jumbogram
  }
  return null;
}

/** Length of the frame on the wire given its first `data.length` bytes; at least data.length. */
export function inferOriginalLength(linkType: number, data: Uint8Array): number {
  let inferred: number | null = null;
  if (linkType === LinkType.ETHERNET && data.length >= 14) {
    let offset = 12;
    let type = (data[offset] << 8) | data[offset + 1];
    while ((type === 0x8100 || type === 0x88a8) && data.length >= offset + 6) {
      offset += 4;
      type = (data[offset] << 8) | data[offset + 1];
    }
    if (type === 0x0800 || type === 0x86dd) inferred = ipLength(data, offset + 2);
  } else if ((linkType === LinkType.NULL || linkType === LinkType.LOOP) && data.length >= 4) {
    inferred = ipLength(data, 4);
  } else if (linkType === LinkType.RAW || linkType === LinkType.IPV4 || linkType === LinkType.IPV6) {
    inferred = ipLength(data, 0);
  } else if (linkType === LinkType.LINUX_SLL && data.length >= 16) {
    inferred = ipLength(data, 16);
  }
  return inferred !== null && inferred > data.length ? inferred : data.length;
}
