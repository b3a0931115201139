/**
 * The repository's structure, checked on every test run (docs/ARCHITECTURE.md, "Import rules"):
 * - no import cycle anywhere (ESLint cannot see a cycle: it lints one file at a time);
 * - the folder rules in eslint.config.mjs really fire, so they cannot rot silently (a glob that no
 *   longer matches would make `npx eslint .` pass while renderer/ imports main/ again).
 *
 * Which imports count for cycles: every static `import`/`export … from`, `require()` and `import()`
 * of a relative path, EXCEPT type-only ones (`import type`, `export type … from`, or an import whose
 * every name is marked `type`). Type-only imports are erased by tsc and esbuild, so they create no
 * load order and cannot leave a module half-initialised (the harm a cycle does at run time: a value
 * read as `undefined` because the module that exports it has not finished loading). Two data types
 * that mention each other are normal; their modules importing each other's code is what this refuses.
 * (madge counts type imports unless told `skipTypeImports`; this check is the stricter one for code
 * and the looser one for types, on purpose.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const FOLDERS = ['main', 'renderer', 'core', 'bridge', 'embedded-server', 'scripts', 'test', 'bench'];
const SOURCE = /\.(ts|tsx|mts|mjs|cts|cjs)$/;

function sourceFiles(): string[] {
  const files: string[] = [];
  for (const folder of FOLDERS) {
    const walk = (dir: string) => {
      for (const entry of ts.sys.readDirectory(dir, undefined, undefined, ['**/*'])) {
        const rel = path.relative(ROOT, entry).split(path.sep).join('/');
        if (rel.includes('/node_modules/') || rel.startsWith('test/fixtures/') || !SOURCE.test(rel)) continue;
        files.push(rel);
      }
    };
    walk(path.join(ROOT, folder));
  }
  return [...new Set(files)].sort();
}

/** The relative specifiers a file loads at run time (see the header for what is left out). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const kind = /\.(tsx)$/.test(file)
    ? ts.ScriptKind.TSX
    : /\.m?[jc]?js$/.test(file)
      ? ts.ScriptKind.JS
      : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  const specifiers: string[] = [];
  const add = (node: ts.Expression | undefined) => {
    if (node && ts.isStringLiteralLike(node) && node.text.startsWith('.')) specifiers.push(node.text);
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)));
      if (!typeOnly) add(node.moduleSpecifier);
    } else if (ts.isExportDeclaration(node)) {
      const typeOnly =
        node.isTypeOnly ||
        (node.exportClause !== undefined &&
          ts.isNamedExports(node.exportClause) &&
          node.exportClause.elements.length > 0 &&
          node.exportClause.elements.every((element) => element.isTypeOnly));
      if (!typeOnly) add(node.moduleSpecifier);
    } else if (ts.isCallExpression(node)) {
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isRequire || node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0]);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      if (!node.isTypeOnly) add(node.moduleReference.expression);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

const compilerOptions: ts.CompilerOptions = {
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  module: ts.ModuleKind.ESNext,
  allowJs: true,
  resolveJsonModule: true,
  allowImportingTsExtensions: true,
};

/** The import graph: file → the repository files it loads at run time. */
function importGraph(files: readonly string[]): { graph: Map<string, string[]>; unresolved: string[] } {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const file of files) {
    const targets = new Set<string>();
    for (const specifier of runtimeImports(file)) {
      const resolved = ts.resolveModuleName(specifier, path.join(ROOT, file), compilerOptions, ts.sys).resolvedModule;
      if (!resolved) {
        // Data and assets (`./logo.png?url`, fixtures) are not modules; a missing source module is a bug tsc reports.
        if (/\.(ts|tsx|mts|mjs)$/.test(specifier) || !/\.[a-z0-9]+$/i.test(specifier))
          unresolved.push(`${file} → ${specifier}`);
        continue;
      }
      const target = path.relative(ROOT, resolved.resolvedFileName).split(path.sep).join('/');
      if (known.has(target)) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return { graph, unresolved };
}

/** Tarjan's strongly connected components: every group of files that import each other, directly or not. */
function stronglyConnected(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = component.length === 1 && (graph.get(v) ?? []).includes(v);
      if (component.length > 1 || selfLoop) components.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return components.sort((a, b) => a[0].localeCompare(b[0]));
}

/** One concrete loop through a component (shortest from its first file), to print: a → b → … → a. */
function oneCycle(graph: Map<string, string[]>, component: string[]): string[] {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const loop = [start];
        for (let at = v; at !== start; at = previous.get(at)!) loop.splice(1, 0, at);
        return [...loop, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return component;
}

describe('import graph', () => {
  const files = sourceFiles();
  const { graph, unresolved } = importGraph(files);

  it('covers every folder and resolves every relative import of a module', () => {
    for (const folder of FOLDERS) expect(files.some((f) => f.startsWith(`${folder}/`))).toBe(true);
    expect(files).toContain('bridge/lab-api.ts');
    // The graph is not empty: the renderer reaches the contract through bridge/.
    expect(graph.get('renderer/api/ws-client.ts')).toContain('bridge/codec.ts');
    expect(unresolved).toEqual([]);
  });

  it('has no source file deeper than the folder rules in eslint.config.mjs reach (MAX_DEPTH 6)', () => {
    const ruled = ['renderer/', 'bridge/', 'core/'];
    const deep = files.filter((f) => ruled.some((r) => f.startsWith(r)) && f.split('/').length - 1 > 6);
    expect(deep).toEqual([]);
  });

  it('has no import cycle anywhere in the repository', () => {
    const cycles = stronglyConnected(graph);
    const report = cycles
      .map(
        (component, i) =>
          `cycle ${i + 1} (${component.length} files):\n    ${oneCycle(graph, component).join('\n      → ')}\n` +
          `  all files in it: ${component.join(', ')}`,
      )
      .join('\n');
    expect(cycles.length, `import cycles (type-only imports do not count):\n${report}`).toBe(0);
  });

  it('starts every process in a file named for it, that no module imports (docs/ARCHITECTURE.md)', () => {
    const nodeEntries = [
      'main/cli/wirelab.ts',
      'main/cli/summary-worker.ts',
      'main/capture/capture-worker.ts',
      'main/web/web-shell.ts',
      'main/electron/electron-main.ts',
      'main/electron/preload.ts',
    ];
    const uiEntries = ['renderer/main.tsx', 'renderer/worker/dissect-worker.ts'];
    // scripts/build.mjs bundles exactly the Node entries; vite starts from index.html and the worker URL.
    const build = readFileSync(path.join(ROOT, 'scripts/build.mjs'), 'utf8');
    expect([...build.matchAll(/entry: '([^']+)'/g)].map((m) => m[1]).sort()).toEqual([...nodeEntries].sort());
    expect(readFileSync(path.join(ROOT, 'renderer/index.html'), 'utf8')).toContain('src="./main.tsx"');
    expect(readFileSync(path.join(ROOT, 'renderer/worker/worker-client.ts'), 'utf8')).toContain(
      "'./dissect-worker.ts'",
    );
    const importers = [...graph]
      .filter(([file]) => !/\.test\.tsx?$/.test(file))
      .flatMap(([file, targets]) =>
        targets.filter((t) => [...nodeEntries, ...uiEntries].includes(t)).map((t) => `${file} → ${t}`),
      );
    expect(importers).toEqual([]);
  });

  it('finds a cycle when there is one (the checker itself works)', () => {
    const toy = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    const cycles = stronglyConnected(toy);
    expect(cycles).toEqual([['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
    expect(oneCycle(toy, cycles[0])).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
  });
});

describe('folder rules in eslint.config.mjs', () => {
  const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: path.join(ROOT, 'eslint.config.mjs') });
  /** The rule ids ESLint reports for `code` as if it were the file at `filePath`. */
  const ruleIds = async (filePath: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
    return result.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
  };
  const refused = ['no-restricted-imports'];

  it.each([
    ['renderer/store/new-slice.ts', "import { LabHost } from '../../main/host/lab-host';\nvoid LabHost;"],
    ['renderer/App2.tsx', "import { startProfileServer } from '../embedded-server';\nvoid startProfileServer;"],
    ['renderer/components/statistics/x.tsx', "import { x } from '../../../main/web/server';\nvoid x;"],
    ['renderer/lib/x.ts', "import { readFileSync } from 'node:fs';\nvoid readFileSync;"],
    ['renderer/lib/x.ts', "import path from 'path';\nvoid path;"],
    ['renderer/lib/x.ts', "import { ipcRenderer } from 'electron';\nvoid ipcRenderer;"],
    ['renderer/lib/x.test.ts', "import { LabHost } from '../../main/host/lab-host';\nvoid LabHost;"],
    ['core/pcap/x.ts', "import { LabHost } from '../../main/host/lab-host';\nvoid LabHost;"],
    ['core/filter/x.ts', "import { x } from '../../bridge/lab-api';\nvoid x;"],
    ['core/report/x.ts', "import { readFileSync } from 'node:fs';\nvoid readFileSync;"],
    ['core/dissect/protocols/x.ts', "import { analyzeLab } from '../../analysis/lab';\nvoid analyzeLab;"],
    ['core/dissect/protocols/http/x.ts', "import { a } from '../../../analysis/tcp-conversation';\nvoid a;"],
    ['core/dissect/x.ts', "import { a } from '../stats/hierarchy';\nvoid a;"],
    ['bridge/x.ts', "import { LabHost } from '../main/host/lab-host';\nvoid LabHost;"],
    ['bridge/x.ts', "import { a } from '../renderer/lib/profile';\nvoid a;"],
    ['bridge/x.ts', "import { readFileSync } from 'node:fs';\nvoid readFileSync;"],
    ['bridge/x.ts', "import { create } from 'zustand';\nvoid create;"],
  ])('refuses %s: %s', async (filePath, code) => {
    // Several patterns may match one import (node:fs in bridge/ is both a Node builtin and a package).
    expect([...new Set(await ruleIds(filePath, code))]).toEqual(refused);
  });

  it.each([
    ['renderer/store/new-slice.ts', "import { labMethods } from '../../bridge/lab-api';\nvoid labMethods;"],
    ['renderer/main2.tsx', "import { x } from './main';\nvoid x;"],
    ['renderer/lib/x.test.ts', "import { readFileSync } from 'node:fs';\nvoid readFileSync;"],
    ['bridge/x.ts', "import { isLabScenario } from '../core/analysis/lab/scenarios/names';\nvoid isLabScenario;"],
    ['core/dissect/protocols/tcp/x.ts', "import { a } from './analysis';\nvoid a;"],
    ['core/analysis/x.ts', "import { a } from '../dissect/context';\nvoid a;"],
    [
      'main/host/x.ts',
      "import { readFileSync } from 'node:fs';\nimport { a } from '../../bridge/lab-api';\nvoid a;\nvoid readFileSync;",
    ],
  ])('allows %s: %s', async (filePath, code) => {
    expect(await ruleIds(filePath, code)).toEqual([]);
  });
});
