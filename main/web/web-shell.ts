/**
 * `npm run web`: WireLab in the system browser. Starts a LabHost and the browser shell's
 * server on 127.0.0.1, prints the address (with its token) and opens it.
 *
 *   node out/web/web.js [--port N] [--lab-port N] [--no-open] [--data-dir DIR] [--renderer DIR]
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LabHost } from '../host/lab-host';
import { userDataDir } from '../../embedded-server';
import { startWebServer } from './server';

interface WebArgs {
  port: number;
  /** The profile server's port for Start Lab (default 8001; 0 picks a free one). */
  labPort?: number;
  open: boolean;
  dataDir?: string;
  rendererDir?: string;
  token?: string;
}

export function parseWebArgs(argv: readonly string[]): WebArgs {
  const args: WebArgs = { port: 0, open: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const portValue = (): number => {
      const port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${a.split('=')[0]} must be 0-65535`);
      return port;
    };
    if (a === '--no-open') args.open = false;
    else if (a === '--port' || a.startsWith('--port=')) args.port = portValue();
    else if (a === '--lab-port' || a.startsWith('--lab-port=')) args.labPort = portValue();
    else if (a === '--data-dir' || a.startsWith('--data-dir=')) args.dataDir = value();
    else if (a === '--renderer' || a.startsWith('--renderer=')) args.rendererDir = value();
    else if (a === '--token' || a.startsWith('--token=')) args.token = value();
    else if (a === '--help' || a === '-h') {
      console.log('Usage: npm run web -- [--port N] [--lab-port N] [--no-open] [--data-dir DIR]');
      process.exit(0);
    } else throw new Error(`Unknown option ${a}`);
  }
  return args;
}

function openBrowser(url: string): void {
  const [cmd, cmdArgs] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, cmdArgs, { stdio: 'ignore', detached: true });
    child.on('error', () => console.log('Could not open a browser: open the address above yourself.'));
    child.unref();
  } catch {
    console.log('Could not open a browser: open the address above yourself.');
  }
}

function findRendererDir(explicit?: string): string {
  const candidates = explicit ? [explicit] : [path.join(__dirname, '..', 'renderer'), path.resolve('out', 'renderer')];
  return candidates.find((d) => existsSync(path.join(d, 'index.html'))) ?? candidates[0];
}

async function main(): Promise<void> {
  let args: WebArgs;
  try {
    args = parseWebArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  const rendererDir = findRendererDir(args.rendererDir);
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    console.error(`The WireLab UI is not built (${rendererDir} has no index.html). Run "npm run build" first.`);
    process.exit(1);
  }
  const host = await LabHost.create({ dataDir: args.dataDir ?? userDataDir(), port: args.labPort });
  const server = await startWebServer({ host, rendererDir, port: args.port, token: args.token });
  console.log(`WireLab is running at:\n\n    ${server.loginUrl}\n\nPress Ctrl+C to stop.`);
  if (args.open) openBrowser(server.loginUrl);

  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log('\nStopping WireLab…');
    await Promise.race([
      Promise.all([server.close(), host.dispose()]),
      new Promise((resolve) => setTimeout(resolve, 5000)),
    ]);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
