/**
 * The page template and default logo shipped in the repository's `assets/` folder.
 *
 * Lookup order for the folder: the `assetsDir` argument; `$WIRELAB_ASSETS_DIR`;
 * `<process.resourcesPath>/assets` (packaged Electron: electron-builder `extraResources`);
 * then `assets/` in this module's folder or any parent (source tree, tests, `out/*` bundles).
 */
import fs from 'node:fs';
import path from 'node:path';

export const TEMPLATE_FILE = 'profile-page.html';
export const DEFAULT_LOGO_FILE = 'default-logo.png';

export interface DefaultAssets {
  /** HTML template with `{{major}}`, `{{studentId}}`, `{{name}}` and `{{logoUrl}}` placeholders. */
  template: string;
  /** The default logo (PNG). */
  defaultLogo: Uint8Array;
}

function candidates(assetsDir?: string): string[] {
  const list: string[] = [];
  if (assetsDir) return [path.resolve(assetsDir)];
  const fromEnv = process.env.WIRELAB_ASSETS_DIR;
  if (fromEnv) list.push(path.resolve(fromEnv));
  const resourcesPath = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (typeof resourcesPath === 'string') list.push(path.join(resourcesPath, 'assets'));
  let dir = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (;;) {
    list.push(path.join(dir, 'assets'));
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return list;
}

/** The first folder that holds both asset files; throws an Error naming the folders searched. */
export function findAssetsDir(assetsDir?: string): string {
  const tried = candidates(assetsDir);
  for (const dir of tried) {
    if (fs.existsSync(path.join(dir, TEMPLATE_FILE)) && fs.existsSync(path.join(dir, DEFAULT_LOGO_FILE))) return dir;
  }
  throw new Error(
    `WireLab's page template (${TEMPLATE_FILE}) and default logo (${DEFAULT_LOGO_FILE}) were not found. ` +
      `Searched: ${tried.join(', ')}. Reinstall WireLab or set WIRELAB_ASSETS_DIR to the assets folder.`,
  );
}

const cache = new Map<string, DefaultAssets>();

/** Reads (once per folder) the template and default logo. */
export function loadDefaultAssets(assetsDir?: string): DefaultAssets {
  const dir = findAssetsDir(assetsDir);
  let assets = cache.get(dir);
  if (!assets) {
    assets = {
      template: fs.readFileSync(path.join(dir, TEMPLATE_FILE), 'utf8'),
      defaultLogo: new Uint8Array(fs.readFileSync(path.join(dir, DEFAULT_LOGO_FILE))),
    };
    cache.set(dir, assets);
  }
  return assets;
}
