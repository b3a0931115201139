/**
 * One default lab port: embedded-server/defaults.ts defines it for everything outside core/. core/
 * keeps its own (it imports nothing outside core/), and electron-main.ts keeps a literal URL for
 * electronegativity (test/electron/open-external.test.ts checks that one); here the rest.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LAB_PORT } from '../../core/analysis/lab';
import { DEFAULT_HOST, DEFAULT_PORT } from '../../embedded-server/defaults';
import { DEFAULT_FILTER } from '../../main/capture';

const ROOT = path.resolve(__dirname, '../..');

describe('the default lab port', () => {
  it("is core's lab-analysis default too", () => {
    expect(DEFAULT_LAB_PORT).toBe(DEFAULT_PORT);
    expect(DEFAULT_HOST).toBe('127.0.0.1');
    expect(DEFAULT_FILTER).toBe(`tcp port ${DEFAULT_PORT}`);
  });

  it('is defined once: no other module outside core/ declares a constant with its value', () => {
    const declared: string[] = [];
    for (const folder of ['main', 'embedded-server', 'bridge', 'renderer']) {
      for (const file of ts.sys.readDirectory(
        path.join(ROOT, folder),
        ['.ts', '.tsx'],
        ['**/*.test.ts', '**/*.test.tsx'],
      )) {
        const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
        const visit = (node: ts.Node) => {
          if (
            ts.isVariableDeclaration(node) &&
            node.initializer &&
            ts.isNumericLiteral(node.initializer) &&
            Number(node.initializer.text) === DEFAULT_PORT
          ) {
            declared.push(`${path.relative(ROOT, file)}: ${node.name.getText(source)}`);
          }
          ts.forEachChild(node, visit);
        };
        visit(source);
      }
    }
    expect(declared).toEqual([`embedded-server${path.sep}defaults.ts: DEFAULT_PORT`]);
  });
});
