/** The Electron shell's own settings (preferences.json in the user data folder). */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DesktopPreferences } from '../../bridge/desktop-api';

/**
 * The lab page opens in a WireLab window by default: its in-memory session has no cache and no
 * kept-alive connection, so every Start Lab captures a full handshake and a 200 (a browser may answer
 * from its cache or reuse a connection). The system browser is one menu click away.
 */
export const defaultPreferences: DesktopPreferences = { openPageIn: 'window', theme: 'system' };

export function parsePreferences(value: unknown): DesktopPreferences {
  const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return {
    openPageIn: v.openPageIn === 'browser' || v.openPageIn === 'window' ? v.openPageIn : defaultPreferences.openPageIn,
    theme: v.theme === 'light' || v.theme === 'dark' || v.theme === 'system' ? v.theme : defaultPreferences.theme,
  };
}

export function mergePreferences(current: DesktopPreferences, change: Partial<DesktopPreferences>): DesktopPreferences {
  return parsePreferences({ ...current, ...change });
}

export async function loadPreferences(file: string): Promise<DesktopPreferences> {
  try {
    return parsePreferences(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return { ...defaultPreferences };
  }
}

export async function savePreferences(file: string, prefs: DesktopPreferences): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(prefs, null, 2) + '\n', 'utf8');
  await rename(temp, file);
}
