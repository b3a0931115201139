// What `npm test` needs besides Node packages, and how to get it on this OS. On Debian/Ubuntu as root it
// installs the packages itself (as CI does); anywhere else it stops at once with the exact command to run,
// rather than letting dozens of tests fail one by one.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** Each tool the tests use, and the package that brings it per OS family. */
export const TEST_TOOLS = [
  {
    what: 'tshark',
    why: 'compares exports with Wireshark',
    probe: { command: 'tshark' },
    debian: 'tshark',
    fedora: 'wireshark-cli',
    brew: 'wireshark',
  },
  {
    what: 'tcpdump',
    why: 'capture backend tests',
    probe: { command: 'tcpdump' },
    debian: 'tcpdump',
    fedora: 'tcpdump',
    brew: null,
  },
  {
    what: 'Chromium',
    why: 'the UI tests (Playwright drives it; set CHROMIUM_PATH for another build)',
    probe: { chromium: true },
    debian: 'chromium',
    fedora: 'chromium',
    brew: '--cask chromium',
  },
  {
    what: 'libpcap headers',
    why: 'builds the native capture module (cap)',
    probe: { header: 'pcap/pcap.h' },
    debian: 'libpcap-dev',
    fedora: 'libpcap-devel',
    brew: null,
  },
  {
    what: 'a C++ compiler and make',
    why: 'node-gyp builds cap',
    probe: { command: 'g++' },
    debian: 'build-essential',
    fedora: 'gcc-c++ make',
    brew: null,
  },
  { what: 'python3', why: 'node-gyp', probe: { command: 'python3' }, debian: 'python3', fedora: 'python3', brew: null },
  {
    what: 'Xvfb',
    why: 'headed window screenshots',
    probe: { command: 'Xvfb' },
    debian: 'xvfb',
    fedora: 'xorg-x11-server-Xvfb',
    brew: null,
  },
];

/** linux-debian | linux-fedora | linux-other | darwin | win32 | other */
export function osFamily({
  platform = process.platform,
  readOsRelease = () => readFileSync('/etc/os-release', 'utf8'),
} = {}) {
  if (platform === 'darwin' || platform === 'win32') return platform;
  if (platform !== 'linux') return 'other';
  let release;
  try {
    release = readOsRelease();
  } catch {
    return 'linux-other';
  }
  const ids = (release.match(/^ID(?:_LIKE)?=(.*)$/gm) ?? []).join(' ').toLowerCase();
  if (/debian|ubuntu/.test(ids)) return 'linux-debian';
  if (/fedora|rhel|centos/.test(ids)) return 'linux-fedora';
  return 'linux-other';
}

function onPath(command) {
  const probe =
    process.platform === 'win32' ? spawnSync('where', [command]) : spawnSync('sh', ['-c', `command -v ${command}`]);
  return probe.status === 0;
}

/** Is the tool there? (Injected in tests.) */
export function toolPresent(tool, { env = process.env, exists = existsSync, has = onPath } = {}) {
  if (tool.probe.command) return has(tool.probe.command);
  if (tool.probe.chromium) return exists(env.CHROMIUM_PATH ?? '/usr/bin/chromium');
  if (tool.probe.header) {
    if (process.platform === 'darwin' || process.platform === 'win32') return true; // SDK / Npcap SDK: not probed
    return ['/usr/include', '/usr/local/include'].some((dir) => exists(`${dir}/${tool.probe.header}`));
  }
  return false;
}

/**
 * The exact command that installs `missing` on this OS, or prose where no single command does it.
 * @returns {{ command: string | null, text: string }}
 */
export function installAdvice(missing, family, { root = false } = {}) {
  const sudo = root ? '' : 'sudo ';
  if (family === 'linux-debian') {
    const command = `${sudo}apt-get install -y ${missing.map((t) => t.debian).join(' ')}`;
    return { command, text: `${sudo}apt-get update && ${command}` };
  }
  if (family === 'linux-fedora') {
    const command = `${sudo}dnf install -y ${missing.map((t) => t.fedora).join(' ')}`;
    return { command, text: command };
  }
  if (family === 'darwin') {
    const formulas = missing.filter((t) => t.brew).map((t) => `brew install ${t.brew}`);
    const text = formulas.length
      ? `${formulas.join(' && ')}; then CHROMIUM_PATH="/Applications/Chromium.app/Contents/MacOS/Chromium" npm test`
      : 'xcode-select --install';
    return { command: null, text };
  }
  if (family === 'win32') {
    return {
      command: null,
      text: 'install Wireshark (with TShark and Npcap, "Support loopback traffic") and Chromium or Chrome, then set CHROMIUM_PATH to its chrome.exe',
    };
  }
  return { command: null, text: `install with your package manager: ${missing.map((t) => t.what).join(', ')}` };
}

/**
 * Checks the tools; installs them with apt where it can (Debian/Ubuntu, as root).
 * @returns {{ ok: true, installed: string[] } | { ok: false, message: string }}
 */
export function ensureTestTools({ log = console.log, family = osFamily(), isRoot = process.getuid?.() === 0 } = {}) {
  const missing = TEST_TOOLS.filter((tool) => !toolPresent(tool));
  if (missing.length === 0) return { ok: true, installed: [] };
  const list = missing.map((t) => `${t.what} (${t.why})`).join('; ');
  if (family === 'linux-debian' && isRoot) {
    const packages = missing.map((t) => t.debian).join(' ');
    log(`setup: installing what the tests need: ${packages}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install =
      update.status === 0
        ? spawnSync('sh', ['-c', `apt-get install -y -qq ${packages} >/dev/null`], { stdio: 'inherit', env })
        : update;
    const still = missing.filter((tool) => !toolPresent(tool));
    if (install.status === 0 && still.length === 0) return { ok: true, installed: missing.map((t) => t.debian) };
    return {
      ok: false,
      message: `the tests need ${still.map((t) => t.what).join(', ') || list}, and apt-get could not install them (exit ${install.status}). Run: apt-get update && apt-get install -y ${packages}`,
    };
  }
  const advice = installAdvice(missing, family, { root: isRoot });
  return { ok: false, message: `the tests need ${list}.\n  Install: ${advice.text}\n  Then run npm test again.` };
}
