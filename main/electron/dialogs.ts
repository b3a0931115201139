/** Open/save dialog options per kind of file, and the extension fix-up GTK's dialog does not do. */
import path from 'node:path';
import type { FileFilter, OpenDialogOptions, SaveDialogOptions } from 'electron';
import type { SaveKind } from '../../bridge/desktop-api';

interface KindInfo {
  defaultName: string;
  filters: FileFilter[];
}

const KINDS: Record<SaveKind, KindInfo> = {
  capture: {
    defaultName: 'wirelab-capture.pcapng',
    filters: [{ name: 'Wireshark/… - pcapng', extensions: ['pcapng'] }],
  },
  dissection: { defaultName: 'wirelab-packets.txt', filters: [{ name: 'Plain text', extensions: ['txt'] }] },
  png: { defaultName: 'wirelab-screenshot.png', filters: [{ name: 'PNG image', extensions: ['png'] }] },
  report: {
    defaultName: 'wirelab-lab-report.md',
    filters: [
      { name: 'Markdown', extensions: ['md'] },
      { name: 'HTML', extensions: ['html'] },
      { name: 'Plain text', extensions: ['txt'] },
    ],
  },
  object: { defaultName: 'object', filters: [] },
};

export const CAPTURE_FILE_EXTENSIONS = ['pcapng', 'pcap', 'cap', 'ntar', 'dmp', 'pcapng.gz', 'pcap.gz'];

export function openCaptureDialogOptions(defaultDir: string): OpenDialogOptions {
  return {
    title: 'Open Capture File',
    defaultPath: defaultDir,
    properties: ['openFile'],
    filters: [
      { name: 'Capture files', extensions: CAPTURE_FILE_EXTENSIONS },
      { name: 'All files', extensions: ['*'] },
    ],
  };
}

export function saveDialogOptions(kind: SaveKind, defaultDir: string, defaultName?: string): SaveDialogOptions {
  const info = KINDS[kind];
  return {
    defaultPath: path.join(defaultDir, defaultName ?? info.defaultName),
    filters: [...info.filters, { name: 'All files', extensions: ['*'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
}

/** Adds the kind's extension when the user typed a name without one (Linux dialogs do not). */
export function withExtension(filePath: string, kind: SaveKind): string {
  if (path.extname(filePath) !== '' || KINDS[kind].filters.length === 0) return filePath;
  return `${filePath}.${KINDS[kind].filters[0].extensions[0]}`;
}
