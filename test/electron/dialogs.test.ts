/** Save dialog options per kind: an exported object (File › Export Objects) keeps its own name. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveDialogOptions, withExtension } from '../../main/electron/dialogs';

describe('save dialogs', () => {
  it('an HTTP object keeps its name, with or without an extension; other kinds get theirs', () => {
    expect(withExtension('/tmp/%2f', 'object')).toBe('/tmp/%2f');
    expect(withExtension('/tmp/logo.jpg', 'object')).toBe('/tmp/logo.jpg');
    expect(withExtension('/tmp/shot', 'png')).toBe('/tmp/shot.png');
  });

  it('offers only "All files" for an object, named as given', () => {
    const options = saveDialogOptions('object', '/home/u', 'logo.jpg');
    expect(options.defaultPath).toBe(path.join('/home/u', 'logo.jpg'));
    expect(options.filters).toEqual([{ name: 'All files', extensions: ['*'] }]);
  });
});
