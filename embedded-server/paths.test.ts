import { describe, expect, it } from 'vitest';
import { userDataDir } from './paths';

describe('userDataDir', () => {
  it('uses $XDG_CONFIG_HOME on Linux when it is absolute', () => {
    expect(userDataDir('WireLab', { platform: 'linux', env: { XDG_CONFIG_HOME: '/xdg' }, homedir: '/home/u' })).toBe(
      '/xdg/WireLab',
    );
  });

  it('falls back to ~/.config on Linux when XDG_CONFIG_HOME is unset or relative', () => {
    expect(userDataDir('WireLab', { platform: 'linux', env: {}, homedir: '/home/u' })).toBe('/home/u/.config/WireLab');
    expect(userDataDir('WireLab', { platform: 'linux', env: { XDG_CONFIG_HOME: 'rel' }, homedir: '/home/u' })).toBe(
      '/home/u/.config/WireLab',
    );
  });

  it('uses ~/Library/Application Support on macOS', () => {
    expect(userDataDir('WireLab', { platform: 'darwin', env: {}, homedir: '/Users/u' })).toBe(
      '/Users/u/Library/Application Support/WireLab',
    );
  });

  it('uses %APPDATA% on Windows, else AppData\\Roaming under the home folder', () => {
    expect(
      userDataDir('WireLab', {
        platform: 'win32',
        env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' },
        homedir: 'C:\\Users\\u',
      }),
    ).toBe('C:\\Users\\u\\AppData\\Roaming\\WireLab');
    expect(userDataDir('WireLab', { platform: 'win32', env: {}, homedir: 'C:\\Users\\u' })).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\WireLab',
    );
  });

  it('takes the app name and an override (the Electron userData path)', () => {
    expect(userDataDir('Other', { platform: 'linux', env: {}, homedir: '/h' })).toBe('/h/.config/Other');
    expect(userDataDir('WireLab', { platform: 'linux', override: '/custom/dir' })).toBe('/custom/dir');
  });
});
