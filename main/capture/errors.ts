/**
 * CaptureError: what went wrong with a live capture, and what the user can do about it on their OS.
 * Messages are written for students, not network engineers.
 */
import { DEFAULT_PORT } from '../../embedded-server/defaults';

export type CaptureErrorCode = 'permission' | 'no-backend' | 'no-device' | 'crashed' | 'bad-filter' | 'failed';

export type CaptureBackendName = 'cap' | 'dumpcap' | 'tcpdump' | 'replay';

export class CaptureError extends Error {
  readonly code: CaptureErrorCode;
  /** What to do next, for the platform the error happened on. */
  readonly remedy: string;
  /** Raw output of the backend (stderr, exit status, errno …), for "show details". */
  readonly details: string;
  /** The backend that failed, when one did. */
  readonly backend?: CaptureBackendName;

  constructor(
    code: CaptureErrorCode,
    message: string,
    opts: { details?: string; remedy?: string; backend?: CaptureBackendName; platform?: NodeJS.Platform } = {},
  ) {
    super(message);
    this.name = 'CaptureError';
    this.code = code;
    this.details = opts.details ?? '';
    this.backend = opts.backend;
    this.remedy = opts.remedy ?? remedyFor(code, opts.platform ?? process.platform);
  }
}

const PERMISSION_REMEDY: Partial<Record<NodeJS.Platform, string>> = {
  linux:
    'Capturing needs the CAP_NET_RAW and CAP_NET_ADMIN capabilities. Either install Wireshark (dumpcap), run ' +
    '`sudo dpkg-reconfigure wireshark-common` (answer Yes), add yourself to the wireshark group with ' +
    '`sudo usermod -aG wireshark $USER` and log out and back in; or give the capture helper the capabilities with ' +
    '`sudo setcap cap_net_raw,cap_net_admin=eip <path to the WireLab capture helper or node>`.',
  darwin:
    'Capturing needs read access to the BPF devices (/dev/bpf*). Install Wireshark together with its ChmodBPF ' +
    'component (it adds you to the access_bpf group), log out and back in, then restart WireLab. For a one-off ' +
    'session, `sudo chmod o+r /dev/bpf*` works until the next reboot.',
  win32:
    'Install Npcap (https://npcap.com) with "Support loopback traffic" checked. If Npcap was installed with ' +
    '"Restrict Npcap driver\'s access to Administrators only", reinstall it without that option or run WireLab as administrator.',
};

const NO_BACKEND_REMEDY: Partial<Record<NodeJS.Platform, string>> = {
  linux:
    "Install Wireshark's dumpcap (`sudo apt install wireshark-common`, or `sudo dnf install wireshark-cli`) or tcpdump, " +
    'or rebuild the built-in capture module (`npm rebuild cap`, which needs libpcap-dev and a C++ compiler).',
  darwin:
    'Install Wireshark (https://www.wireshark.org; it brings dumpcap and ChmodBPF), or use the tcpdump that comes with macOS.',
  win32:
    'Install Npcap (https://npcap.com) with "Support loopback traffic" checked; Wireshark\'s installer can install it for you.',
};

export function remedyFor(code: CaptureErrorCode, platform: NodeJS.Platform = process.platform): string {
  switch (code) {
    case 'permission':
      return PERMISSION_REMEDY[platform] ?? PERMISSION_REMEDY.linux ?? '';
    case 'no-backend':
      return NO_BACKEND_REMEDY[platform] ?? NO_BACKEND_REMEDY.linux ?? '';
    case 'no-device':
      return (
        'Choose an interface from the list. The loopback interface is "lo" on Linux, "lo0" on macOS and ' +
        '"\\Device\\NPF_Loopback" on Windows (Npcap installed with loopback support).'
      );
    case 'bad-filter':
      return `Correct the capture filter. It uses BPF syntax (man pcap-filter), for example \`tcp port ${DEFAULT_PORT}\`.`;
    case 'crashed':
      return 'The packets captured so far are kept and can be saved. Start a new capture; if this keeps happening, choose another capture backend.';
    case 'failed':
      return 'Try again; if it keeps failing, choose another capture backend or interface and look at the details.';
  }
}

/** Guess the code of a libpcap / dumpcap / tcpdump error message. Returns null when it is none of the known kinds. */
export function classifyPcapMessage(message: string): 'permission' | 'no-device' | null {
  if (/permission|not permitted|\bEPERM\b|\bEACCES\b|access is denied|access denied/i.test(message))
    return 'permission';
  if (
    /no such device|no device named|doesn't exist|does not exist|no interface|not found.*(device|interface)|unknown interface/i.test(
      message,
    )
  )
    return 'no-device';
  return null;
}
