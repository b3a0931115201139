#!/usr/bin/env node
// The project's postinstall (after `npm install` / `npm ci`): fetch Electron's binary where its host can be
// reached, and say in a line or two how WireLab will run. It never fails the install: every outcome is a
// way to run (the desktop app, or the browser shell), and `npm start` tries the download again later.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadDecision, downloadElectronBinary, electronInstall } from './setup/electron-binary.mjs';
import { captureModuleState } from './setup/capture-module.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => console.log(`wirelab: ${line}`);
const browserShell = '`npm start` opens WireLab in your web browser (the browser shell) instead of the desktop app';

async function main() {
  const installed = electronInstall(root);
  if (!installed.package) {
    // npm 10 runs electron's own postinstall; when that download fails npm drops the optional package.
    say(
      `the electron package is not installed (npm drops this optional package when its binary download fails, or with --omit=optional): ${browserShell}.`,
    );
  } else if (installed.binary) {
    say(`desktop app ready (Electron ${installed.version}): run \`npm start\`.`);
  } else {
    const decision = downloadDecision();
    if (!decision.download) {
      say(`Electron's binary was not downloaded (${decision.reason}): ${browserShell}.`);
    } else {
      const result = await downloadElectronBinary(root);
      if (result.ok) say(`desktop app ready (Electron ${installed.version}): run \`npm start\`.`);
      else say(`Electron's binary could not be downloaded (${result.reason}): ${browserShell}.`);
    }
  }
  const capture = captureModuleState(root);
  if (!capture.ok) say(`live capture: ${capture.reason}`);
}

main().catch((error) => {
  say(`postinstall check failed (${error instanceof Error ? error.message : String(error)}); npm start still works.`);
});
