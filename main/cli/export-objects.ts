/**
 * `--export-objects http,DIR`: writes the HTTP objects core/stats found into DIR, named as
 * tshark names them (a name already in DIR gets "(1)", "(2)"… before its extension).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportFileNames, type HttpObject } from '../../core/stats/http-objects';

/** Writes the objects; returns an error message, or null when all were written. */
export function writeExportedObjects(dir: string, objects: readonly HttpObject[]): string | null {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    return `The folder "${dir}" for exported objects could not be created: ${(e as Error).message}`;
  }
  const names = exportFileNames(objects, (name) => existsSync(join(dir, name)));
  for (let i = 0; i < objects.length; i++) {
    try {
      writeFileSync(join(dir, names[i]), objects[i].data);
    } catch (e) {
      return `The object from frame ${objects[i].frame} could not be written to "${join(dir, names[i])}": ${(e as Error).message}`;
    }
  }
  return null;
}
