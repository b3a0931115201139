/**
 * The names File › Export Objects › HTTP and `--export-objects` give objects: tshark 4.0's
 * (export_object.c): the massaged name, else "name(1)", "name(2)"… up to "name(999)" while the
 * name is taken or exists in the folder.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exportFileNames, massageFileName, objectBaseName, type HttpObject } from './http-objects';

const object = (frame: number, filename: string | null): HttpObject => ({
  frame,
  hostname: '',
  contentType: '',
  filename,
  data: new Uint8Array(0),
});

/** export_object.c's loop as written: every object tries "(1)", "(2)"… from the start. */
function namesTriedFromTheStart(objects: readonly HttpObject[], exists: (name: string) => boolean): string[] {
  const taken = new Set<string>();
  return objects.map((o) => {
    let name = massageFileName(objectBaseName(o));
    for (let n = 1; (taken.has(name) || exists(name)) && n < 1000; n++) name = massageFileName(objectBaseName(o), n);
    taken.add(name);
    return name;
  });
}

describe('exportFileNames', () => {
  it('numbers duplicates as tshark does, up to "(999)", which the later ones share', () => {
    const objects = Array.from({ length: 1002 }, (_, i) => object(i + 1, 'logo.jpg'));
    const names = exportFileNames(objects, () => false);
    expect(names.slice(0, 3)).toEqual(['logo.jpg', 'logo(1).jpg', 'logo(2).jpg']);
    expect(names.slice(-3)).toEqual(['logo(999).jpg', 'logo(999).jpg', 'logo(999).jpg']);
    expect(new Set(names).size).toBe(1000);
  });

  it('skips names that exist in the folder, and names another object took', () => {
    const inFolder = new Set(['index.html', 'index(2).html']);
    const objects = [object(1, 'index(1).html'), object(2, 'index.html'), object(3, 'index.html'), object(4, null)];
    expect(exportFileNames(objects, (name) => inFolder.has(name))).toEqual([
      'index(1).html',
      'index(3).html',
      'index(4).html',
      'object4',
    ]);
  });

  it('gives the names trying every number from the start gives, for any objects and folder', () => {
    // Few short names, so that bases, numbered names and existing files collide often.
    const base = fc.constantFrom('a', 'a.x', 'a(1).x', 'a(2)', 'b/', '/', 'a:b', 'a(1)');
    fc.assert(
      fc.property(
        fc.array(fc.option(base, { nil: null }), { maxLength: 60 }),
        fc.uniqueArray(
          fc.constantFrom<string>('a', 'a(1)', 'a(2)', 'a.x', 'a(1).x', 'a(3).x', 'b%2f', '%2f', 'a%3ab'),
          {
            maxLength: 6,
          },
        ),
        (filenames, existing) => {
          const objects = filenames.map((name, i) => object(i + 1, name));
          const exists = (name: string) => existing.includes(name);
          expect(exportFileNames(objects, exists)).toEqual(namesTriedFromTheStart(objects, exists));
        },
      ),
      { numRuns: 500 },
    );
  });
});
