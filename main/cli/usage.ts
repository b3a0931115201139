/** `wirelab -h` and `wirelab -v` texts. The options' part is made from args.ts's CLI_OPTIONS. */

import pkg from '../../package.json';
import { CLI_OPTIONS, OPTION_SECTIONS, type CliOption } from './args';

/** The package version (package.json is bundled into the CLI by esbuild). */
export function version(): string {
  return pkg.version;
}

export function versionText(): string {
  return [
    `WireLab ${version()} (wirelab, tshark-compatible output for capture files).`,
    '',
    'A mini-Wireshark lab kit: pcap and pcapng reading, Ethernet, Linux cooked, BSD loopback,',
    'IPv4, IPv6, ARP, ICMP, UDP, DNS, TCP and HTTP/1.x dissection, display filters.',
    `Running on Node.js ${process.version} (${process.platform}-${process.arch}).`,
  ].join('\n');
}

export function usageText(): string {
  return `WireLab ${version()}
Dump and analyze capture files, the way tshark does.

Usage: wirelab [options] -r <infile>
       wirelab [options] -i <interface> [-f <capture filter>]
       wirelab lab [--visit] [--port N] [-w FILE]   (serve your profile page, capture and explain it)
       wirelab report -r FILE [-o DIR] [--lang zh-CN|en]   (lab report draft: Markdown, HTML, flow graph)

${optionsText()}

Exit status: 0 ok; 1 bad usage or unknown field; 2 unreadable or damaged file,
or invalid display filter (as tshark 4.0).`;
}

/** Where an option's help text starts (the left column is two spaces and up to 24 characters). */
const HELP_COLUMN = 27;

/** The left column of an option: `-r <infile>, --read-file <infile>`. */
function optionForms(option: CliOption): string {
  const value = option.value ? ` ${option.value}` : '';
  const forms: string[] = [];
  if (option.short) forms.push(`-${option.short}${value}`);
  if (option.long) forms.push(`--${option.long}${value}`);
  return forms.join(', ');
}

/** One row: the left column, then the text beside it (or under it when the left column is too wide). */
function row(left: string, text: string): string {
  const [first, ...rest] = text.split('\n');
  const head = `  ${left}`;
  const lines =
    head.length < HELP_COLUMN ? [head.padEnd(HELP_COLUMN) + first] : [head, ' '.repeat(HELP_COLUMN) + first];
  for (const line of rest) lines.push(' '.repeat(HELP_COLUMN) + line);
  return lines.join('\n');
}

/** The options, section by section, as `wirelab -h` prints them. */
export function optionsText(): string {
  return OPTION_SECTIONS.map((section) => {
    const lines = [`${section}:`];
    for (const option of CLI_OPTIONS.filter((o) => o.section === section)) {
      const rows = typeof option.help === 'string' ? [[optionForms(option), option.help] as const] : option.help;
      for (const [left, text] of rows) lines.push(row(left, text));
      if (option.more) lines.push(option.more);
    }
    return lines.join('\n');
  }).join('\n\n');
}
