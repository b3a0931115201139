/**
 * Where WireLab keeps per-user data (profile.json and the logo), following each OS's
 * convention — the same directory Electron's `app.getPath('userData')` returns:
 * - Linux and other Unix: `$XDG_CONFIG_HOME/<app>` when it is an absolute path, else `~/.config/<app>`
 * - macOS: `~/Library/Application Support/<app>`
 * - Windows: `%APPDATA%\<app>`, else `<home>\AppData\Roaming\<app>`
 * The Electron shell passes `app.getPath('userData')` as `override`; the CLI may pass a flag's value.
 */
import os from 'node:os';
import path from 'node:path';

export interface UserDataDirOptions {
  /** When set (non-empty), returned as is (resolved to an absolute path). */
  override?: string;
  platform?: NodeJS.Platform;
  env?: Readonly<Record<string, string | undefined>>;
  homedir?: string;
}

export function userDataDir(appName = 'WireLab', options: UserDataDirOptions = {}): string {
  const platform = options.platform ?? process.platform;
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (options.override) return p.resolve(options.override);
  const env = options.env ?? process.env;
  const home = options.homedir ?? os.homedir();
  switch (platform) {
    case 'win32': {
      const appData = env.APPDATA;
      return p.join(appData && p.isAbsolute(appData) ? appData : p.join(home, 'AppData', 'Roaming'), appName);
    }
    case 'darwin':
      return p.join(home, 'Library', 'Application Support', appName);
    default: {
      const xdg = env.XDG_CONFIG_HOME;
      // The XDG spec says relative values are invalid and must be ignored.
      return p.join(xdg && p.isAbsolute(xdg) ? xdg : p.join(home, '.config'), appName);
    }
  }
}
