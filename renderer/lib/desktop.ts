/**
 * The Electron preload's desktop API (dialogs, screenshots, menu), when running in Electron,
 * and one "save this output" function for both shells: a save dialog in Electron, a download
 * in the browser shell.
 */
import type { DesktopApi, SaveKind } from '../../bridge/desktop-api';
import { downloadFile } from './download';

export function desktopApi(): DesktopApi | null {
  if (typeof window === 'undefined' || !window.wirelab) return null;
  const client = window.wirelab as typeof window.wirelab & { desktop?: DesktopApi };
  return client.desktop ?? null;
}

/** Saves an export; resolves false when the user cancelled the save dialog. */
export async function saveOutput(kind: SaveKind, name: string, data: Uint8Array | string, mime: string) {
  const desktop = desktopApi();
  if (desktop) return (await desktop.saveFile(kind, data, name)) !== null;
  downloadFile(name, data, mime);
  return true;
}
