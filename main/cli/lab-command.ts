/**
 * `wirelab lab`: the whole lab without a window — profile server + capture, optionally a scripted
 * visit, then the saved pcapng and the lab analysis. Packets print as they arrive, like `-i`
 * (live-capture.ts).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DissectionEngine } from '../../core/dissect/engine';
import type { DissectedPacket } from '../../core/dissect/context';
import type { CaptureInterface, PacketRecord } from '../../core/pcap/types';
import { loopbackDevice, type CaptureBackendChoice } from '../capture';
import { isScenarioName, SCENARIO_NAMES, userDataDir, type ScenarioName } from '../../embedded-server';
import { DEFAULT_PORT } from '../../embedded-server/defaults';
import { LabHost } from '../host/lab-host';
import { visitScenario } from '../host/scenario-visit';
import { unpackRecords } from '../../bridge/record-batch';
import { readCaptureFile } from '../../core/pcap';
import { labAnalysisText, labLanguage } from './lab-analysis-command';
import { LivePrinter, liveInterfaces, untilInterrupted } from './live-capture';
import { EXIT_FILE, EXIT_OK, EXIT_USAGE, type CliIo } from './read';

const LAB_USAGE = `Usage: wirelab lab [--scenario NAME] [--visit] [--port N] [-w FILE] [--backend auto|dumpcap|cap|tcpdump] [--lang zh-CN|en] [--timeout S]

Runs the lab without a window: serves your profile page on 127.0.0.1:PORT (default ${DEFAULT_PORT};
0 picks a free port), captures its loopback traffic and prints each packet as it arrives.
  --scenario NAME  the assignment (default profile):
                   ${SCENARIO_NAMES.join(', ')}
  --visit       do what a browser does in the scenario (fetch the page and its objects, reload,
                log in, upload…), wait for the teardown, then stop
  (otherwise it runs until Ctrl-C or SIGTERM; open the printed URL in a browser)
  -w FILE       save the capture there (pcapng); default: a file in the temp folder, printed
  --timeout S   stop after S seconds at the latest (default 30 with --visit)
  --lang L      language of the lab analysis printed at the end (default: from the system locale)`;

interface LabArgs {
  scenario: ScenarioName;
  visit: boolean;
  port: number;
  write: string | null;
  backend: CaptureBackendChoice;
  lang: 'zh-CN' | 'en';
  timeoutSec: number | null;
}

function parseLabArgs(args: readonly string[]): LabArgs | string {
  const out: LabArgs = {
    scenario: 'profile',
    visit: false,
    port: DEFAULT_PORT,
    write: null,
    backend: 'auto',
    lang: labLanguage(),
    timeoutSec: null,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '--visit') out.visit = true;
      else if (a === '--scenario') {
        const name = value();
        if (!isScenarioName(name)) return `unknown scenario "${name}" (one of: ${SCENARIO_NAMES.join(', ')})`;
        out.scenario = name;
      } else if (a === '--port') {
        const p = Number(value());
        if (!Number.isInteger(p) || p < 0 || p > 65535) return `--port must be 0-65535 (0: a free port)`;
        out.port = p;
      } else if (a === '-w') out.write = value();
      else if (a === '--backend') {
        const b = value();
        if (!['auto', 'dumpcap', 'cap', 'tcpdump'].includes(b)) return `unknown backend "${b}"`;
        out.backend = b as CaptureBackendChoice;
      } else if (a === '--lang') {
        const l = value();
        if (l !== 'zh-CN' && l !== 'en') return `--lang must be zh-CN or en`;
        out.lang = l;
      } else if (a === '--timeout') {
        const t = Number(value());
        if (!(t > 0)) return '--timeout must be a number of seconds';
        out.timeoutSec = t;
      } else if (a === '-h' || a === '--help') return 'help';
      else return `unknown option "${a}"`;
    } catch (error) {
      return (error as Error).message;
    }
  }
  return out;
}

/** `wirelab lab …`. */
export async function runLab(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseLabArgs(args);
  if (parsed === 'help') {
    io.stdout.write(LAB_USAGE + '\n');
    return EXIT_OK;
  }
  if (typeof parsed === 'string') {
    io.stderr.write(`wirelab lab: ${parsed}\n${LAB_USAGE}\n`);
    return EXIT_USAGE;
  }
  const host = await LabHost.create({ dataDir: userDataDir() });
  const interfaces: CaptureInterface[] = [];
  const printer = new LivePrinter(io, () => interfaces);
  host.on('packets', (e) => {
    const records: PacketRecord[] = unpackRecords(e.batch);
    liveInterfaces(records, loopbackDevice(), interfaces);
    printer.print(records);
  });
  host.on('log', (l) => io.stderr.write(`${l.level}: ${l.message}\n`));

  const status = await host.startLab({ port: parsed.port, backend: parsed.backend, scenario: parsed.scenario });
  const problem = status.server.error ?? status.capture.error;
  if (problem) {
    io.stderr.write(`wirelab lab: ${problem.message}\n${problem.remedy ? problem.remedy + '\n' : ''}`);
    await host.dispose();
    return EXIT_FILE;
  }
  io.stderr.write(
    `Serving the ${parsed.scenario} scenario at ${status.server.url} — capturing on ${status.capture.device} with ${status.capture.backend} (filter: ${status.capture.filter})\n`,
  );

  const timeoutMs = (parsed.timeoutSec ?? (parsed.visit ? 30 : Infinity)) * 1000;
  const timeout = timeoutMs === Infinity ? undefined : new Promise<void>((r) => setTimeout(r, timeoutMs).unref());
  if (parsed.visit) {
    io.stderr.write('Visiting the page like a browser; waiting for the server to close the idle connection…\n');
    const visit = visitScenario(parsed.scenario, status.server.url!, 10_000)
      .then((v) =>
        io.stderr.write(
          `${v.requests.map((r) => `${r.method} ${r.path}: HTTP ${r.status} (${r.bytes} bytes)`).join('\n')}\n` +
            `${v.connections} TCP connection${v.connections === 1 ? '' : 's'}\n`,
        ),
      )
      .catch((error: unknown) => io.stderr.write(`The visit failed: ${(error as Error).message}\n`));
    await Promise.race([visit, timeout]);
    await new Promise((r) => setTimeout(r, 500)); // the last ACK of the teardown
  } else {
    io.stderr.write('Open the URL in a browser; press Ctrl-C to stop.\n');
    await untilInterrupted(timeout);
  }
  await host.stopLab();

  const out =
    parsed.write ?? path.join(os.tmpdir(), `wirelab-lab-${new Date().toISOString().replace(/[:.]/g, '-')}.pcapng`);
  const saved = await host.saveCapture({ path: out });
  io.stderr.write(`${saved.packets} packets saved to ${saved.path}\n`);
  await host.dispose();

  const { info, packets } = readCaptureFile(new Uint8Array(readFileSync(out)));
  const engine = new DissectionEngine({ tree: true, interfaces: info.interfaces });
  const dissected: DissectedPacket[] = packets.map((r) => engine.dissect(r));
  io.stdout.write('\n' + labAnalysisText(dissected, parsed.lang, status.server.port) + '\n');
  return EXIT_OK;
}
