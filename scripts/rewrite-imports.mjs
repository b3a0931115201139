#!/usr/bin/env node
// Re-points relative imports after a module moved: every `import … from`, `export … from`, `import()`,
// `require()` and `vi.mock()` whose path resolves to an OLD module is rewritten to the NEW one, relative
// to the importing file. Paths are from the repository root, without extension. Idempotent: run it again
// after merging a branch that still imports the old places.
//
//   node scripts/rewrite-imports.mjs main/host/lab-api=bridge/lab-api [old=new …]
//
// It moves no file (use `git mv`), and it leaves the moved file's own imports alone (tsc reports them).
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const pairs = process.argv.slice(2);
if (pairs.length === 0 || pairs.some((p) => !/^[^=]+=[^=]+$/.test(p))) {
  console.error('usage: node scripts/rewrite-imports.mjs old/path=new/path [old=new …]');
  process.exit(1);
}
const moves = new Map(pairs.map((p) => p.split('=').map((side) => path.posix.normalize(side))));
const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => /\.(ts|tsx|mts|cts|mjs|cjs|js)$/.test(f) && !/^(node_modules|out|test\/fixtures)\//.test(f));
const SPECIFIER = /((?:\bfrom|\bimport|\brequire\(|\bimport\(|\bvi\.mock\()\s*)(['"])(\.{1,2}\/[^'"]+)\2/g;

let changed = 0;
for (const file of files) {
  const source = readFileSync(file, 'utf8');
  const dir = path.posix.dirname(file);
  const rewritten = source.replace(SPECIFIER, (match, before, quote, specifier) => {
    const extension = specifier.match(/\.(js|ts|tsx|mjs)$/)?.[0] ?? '';
    const target = path.posix.join(dir, extension ? specifier.slice(0, -extension.length) : specifier);
    const moved = moves.get(target);
    if (moved === undefined) return match;
    let relative = path.posix.relative(dir, moved);
    if (!relative.startsWith('.')) relative = `./${relative}`;
    return `${before}${quote}${relative}${extension}${quote}`;
  });
  if (rewritten !== source) {
    writeFileSync(file, rewritten);
    changed++;
    console.log(`rewrote ${file}`);
  }
}
console.log(`${changed} file${changed === 1 ? '' : 's'} rewritten`);
