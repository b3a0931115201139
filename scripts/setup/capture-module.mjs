// Is the native capture module (cap, libpcap/Npcap) built? It is an optional dependency: without libpcap's
// headers npm skips it and live capture falls back to Wireshark's dumpcap or tcpdump.
import { existsSync } from 'node:fs';
import path from 'node:path';

/** @returns {{ ok: true } | { ok: false, reason: string }} */
export function captureModuleState(root, { exists = existsSync, platform = process.platform } = {}) {
  const dir = path.join(root, 'node_modules', 'cap');
  if (exists(path.join(dir, 'build', 'Release', 'cap.node'))) return { ok: true };
  const headers =
    platform === 'win32'
      ? 'Npcap and its SDK'
      : platform === 'darwin'
        ? 'the Xcode command line tools (xcode-select --install)'
        : 'libpcap headers and a C++ compiler (Debian/Ubuntu: libpcap-dev build-essential python3)';
  return {
    ok: false,
    reason: `the native capture module (cap) is not built; capture uses dumpcap or tcpdump if installed. To build it, install ${headers}, then run npm ${exists(dir) ? 'rebuild cap' : 'install'}.`,
  };
}
