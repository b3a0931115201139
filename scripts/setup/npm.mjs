// The project's own npm install step, shared by `npm start` and `npm test` (scripts/start.mjs, scripts/test.mjs):
// a fresh clone runs either command without a separate `npm install` first.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

/** `npm` as a command this platform can spawn (npm.cmd on Windows needs a shell). */
export function npmCommand(platform = process.platform) {
  return platform === 'win32' ? { command: 'npm.cmd', shell: true } : { command: 'npm', shell: false };
}

/**
 * npm's environment for installs. node-gyp (which builds the native capture module) downloads Node's
 * headers unless told where they are; a distribution's Node (/usr/bin/node) ships them in /usr/include/node,
 * so point it there when nothing else is set — a machine without internet then still builds cap.
 */
export function npmEnv({ env = process.env, execPath = process.execPath, exists = existsSync } = {}) {
  const configured = env.npm_config_nodedir ?? env.NPM_CONFIG_NODEDIR;
  if (configured || !execPath.startsWith('/usr/bin/') || !exists('/usr/include/node/node.h')) return env;
  return { ...env, npm_config_nodedir: '/usr' };
}

/** Runs npm with the install environment; returns its exit status. */
export function runNpm(root, args) {
  const npm = npmCommand();
  const result = spawnSync(npm.command, args, { cwd: root, stdio: 'inherit', shell: npm.shell, env: npmEnv() });
  return result.status ?? 1;
}

/**
 * Why the project's packages must be (re)installed, or null when node_modules is current.
 * npm writes node_modules/.package-lock.json at the end of every install, so a lockfile newer than it
 * means the checkout moved on (a pull, a branch switch) since the last install.
 * @param {string} root
 * @param {{ exists?: (p: string) => boolean, mtime?: (p: string) => number }} [fs]
 */
export function installReason(root, fs = {}) {
  const exists = fs.exists ?? existsSync;
  const mtime = fs.mtime ?? ((p) => statSync(p).mtimeMs);
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  if (!exists(path.join(root, 'node_modules'))) return 'node_modules is missing';
  if (!exists(installed)) return 'node_modules was not installed by npm';
  const lock = path.join(root, 'package-lock.json');
  if (exists(lock) && mtime(lock) > mtime(installed)) return 'package-lock.json changed since the last install';
  return null;
}

/**
 * Installs the project's packages when needed (npm ci with a lockfile, npm install without).
 * @returns {boolean} false when npm failed (its errors are already on the terminal)
 */
export function ensurePackages(root, { log = console.log, force = false } = {}) {
  const reason = force ? 'asked to reinstall' : installReason(root);
  if (reason === null) return true;
  const verb = existsSync(path.join(root, 'package-lock.json')) ? 'ci' : 'install';
  log(`setup: installing the project's packages (npm ${verb}: ${reason})`);
  const npm = npmCommand();
  const result = spawnSync(npm.command, [verb, '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    shell: npm.shell,
    env: npmEnv(),
  });
  if (result.status !== 0) {
    log(`setup: npm ${verb} failed (exit ${result.status ?? result.error?.message}); see its errors above.`);
    return false;
  }
  return true;
}
