/**
 * Typed declaration of the parts of the `cap` package (https://github.com/mscdex/cap, a libpcap/Npcap
 * binding with no types of its own) that the capture worker uses. The package is native and an
 * optionalDependency: it is loaded with require() inside a try/catch, never imported statically.
 *
 * Facts from cap 0.2.1's src/binding.cc that shape the worker:
 * - open() sets libpcap's snaplen to 65535, promiscuous mode on, immediate mode (Linux), and returns the
 *   link type as a name ('ETHERNET', 'NULL', 'RAW', 'LINKTYPE_LINUX_SLL', 'IEEE802_11_RADIO' or
 *   'Unknown linktype N'); it throws an Error with libpcap's message on failure.
 * - the 'packet' event gives only the captured length and whether it was cut to the buffer: no
 *   timestamp, no original length, and there is no pcap_stats() (so no drop counts).
 */
import type { EventEmitter } from 'node:events';

export interface CapAddress {
  addr?: string;
  netmask?: string;
  broadaddr?: string;
  dstaddr?: string;
}

export interface CapDevice {
  name: string;
  description?: string;
  addresses: CapAddress[];
  /** 'PCAP_IF_LOOPBACK' for loopback devices. */
  flags?: string;
}

export interface CapInstance extends EventEmitter {
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  close(): void;
  /** Windows only. */
  setMinBytes?(nBytes: number): void;
  on(event: 'packet', listener: (nbytes: number, truncated: boolean) => void): this;
}

export interface CapModule {
  Cap: {
    new (): CapInstance;
    deviceList(): CapDevice[];
    findDevice(ip?: string): string | undefined;
  };
}

/** The snaplen cap 0.2.1 hard-codes in open(). */
export const CAP_SNAPLEN = 65535;

/** LINKTYPE_ number for the names cap's open() returns. */
export function capLinkType(name: string): number | null {
  switch (name) {
    case 'NULL':
      return 0;
    case 'ETHERNET':
      return 1;
    case 'RAW':
      return 101;
    case 'LINKTYPE_LINUX_SLL':
      return 113;
    case 'IEEE802_11_RADIO':
      return 127;
    default:
      return null;
  }
}
