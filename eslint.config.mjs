import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/*
 * Folder rules (docs/ARCHITECTURE.md, "Import rules"). Each is ESLint's built-in no-restricted-imports,
 * so `npx eslint .` fails on a violation; test/structure/import-graph.test.ts proves they fire and
 * checks the one rule ESLint cannot (no import cycle anywhere).
 *
 * A relative import leaves a folder when it climbs above it: from `renderer/store/x.ts`, `../../main/…`
 * climbs two levels. Globs are generated per depth so each rule knows exactly how many `../` leave its
 * folder (a pattern for any path segment named main would also catch `renderer/main.tsx` or an inner
 * folder that happens to be called main). Files deeper than MAX_DEPTH folders would escape the rules:
 * none exist, and test/structure/import-graph.test.ts checks that.
 */
const SOURCES = '{ts,tsx,mts}';
const MAX_DEPTH = 6;
const TESTS = ['**/*.test.ts', '**/*.test.tsx'];
const up = (levels) => `^(\\.\\./){${levels}}`;
/** Node's builtins, by exact name (fs, path, fs/promises, …); `node:*` is a pattern. */
const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_'));
const NODE = {
  paths: [...nodeBuiltins, 'electron'].map((name) => ({ name, message: 'runs in the Node side or Electron only.' })),
  pattern: { regex: '^node:', message: 'Node builtins run on the Node side only.' },
};

/**
 * One config object per depth under `folder`, with the restricted patterns for that depth.
 * `patternsAt(levels)` gets the number of `../` that climbs out of `folder` from a file at that depth.
 */
function folderRule(folder, { ignores = TESTS, paths = [], patternsAt }) {
  return Array.from({ length: MAX_DEPTH }, (_, depth) => ({
    files: [`${folder}/${'*/'.repeat(depth)}*.${SOURCES}`],
    ignores,
    rules: { 'no-restricted-imports': ['error', { paths, patterns: patternsAt(depth + 1) }] },
  }));
}

/** core/: nothing outside core/ — no other folder, no Node, no DOM-side package; fflate is pure JS. */
const coreOnly = (levels) => [
  {
    regex: `${up(levels)}`,
    message: 'core/ imports nothing outside core/ (it runs in the CLI, a Node worker and a Web Worker alike).',
  },
  {
    regex: '^(?!\\.|fflate$)',
    message: 'core/ imports only core/ and pure-JS packages (fflate): no Node, Electron or UI package.',
  },
];
/** Under core/<sub>/: a sibling folder of core/ that is off limits. */
const coreSibling = (levels, sibling, why) => ({ regex: `${up(levels)}${sibling}(/|$)`, message: why });

const folderRules = [
  // renderer/ is the UI: it reaches the Node side only through bridge/ (the LabApi contract).
  ...folderRule('renderer', {
    paths: NODE.paths,
    patternsAt: (levels) => [
      NODE.pattern,
      {
        regex: `${up(levels)}(main|embedded-server)(/|$)`,
        message: 'renderer/ talks to the Node side only through bridge/ (LabApi, record batches, codec, desktop API).',
      },
    ],
  }),
  // The UI's tests run in Node (vitest) and may read fixtures; they still never import main/ or Electron.
  ...folderRule('renderer', {
    ignores: [],
    paths: [{ name: 'electron', message: 'the UI never imports Electron.' }],
    patternsAt: (levels) => [
      {
        regex: `${up(levels)}main(/|$)`,
        message: 'renderer/ (its tests too) reaches the Node side only through bridge/.',
      },
    ],
  }).map((config) => ({ ...config, files: config.files.map((f) => f.replace(`.${SOURCES}`, '.test.{ts,tsx}')) })),
  // bridge/ is shared by both sides: only bridge/ and core/ (plain data types), no Node, DOM or package.
  ...folderRule('bridge', {
    paths: NODE.paths,
    patternsAt: (levels) => [
      NODE.pattern,
      {
        regex: `${up(levels)}(?!core/)`,
        message: 'bridge/ imports only bridge/ and core/: both sides of the bridge load it.',
      },
      { regex: '^(?!\\.)', message: 'bridge/ imports no package: both sides of the bridge load it.' },
    ],
  }),
  ...folderRule('core', { paths: NODE.paths, patternsAt: (levels) => coreOnly(levels) }),
  // Dissection depends on nothing above it: analysis and statistics read dissected packets, never the reverse.
  ...folderRule('core/dissect', {
    paths: NODE.paths,
    patternsAt: (levels) => [
      ...coreOnly(levels + 1),
      coreSibling(levels, 'analysis', 'core/dissect never imports core/analysis: analysis reads dissected packets.'),
      coreSibling(levels, 'stats', 'core/dissect never imports core/stats: statistics read dissected packets.'),
    ],
  }),
  // Inside core/, statistics read dissected packets: pcap and filter never import stats/.
  ...['core/pcap', 'core/filter'].flatMap((folder) =>
    folderRule(folder, {
      paths: NODE.paths,
      patternsAt: (levels) => [
        ...coreOnly(levels + 1),
        coreSibling(levels, 'stats', `${folder}/ never imports core/stats: statistics read dissected packets.`),
      ],
    }),
  ),
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test/fixtures/**', 'coverage/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
  },
  ...folderRules,
);
