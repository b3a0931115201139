// shell.openExternal is the one way out of WireLab into another program. This reads the source (with the
// TypeScript parser) to keep it that way: exactly one call, in electron-main.ts, with a constant that equals the
// default port's lab address, behind a guard on that address and port.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOST, DEFAULT_PORT } from '../../embedded-server/server';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(file);
    return /\.(ts|tsx|mts|cts)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

interface OpenExternalCall {
  file: string;
  call: ts.CallExpression;
  source: ts.SourceFile;
}

function openExternalCalls(files: string[]): OpenExternalCall[] {
  const found: OpenExternalCall[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('openExternal')) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ((ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'openExternal') ||
          (ts.isIdentifier(node.expression) && node.expression.text === 'openExternal'))
      ) {
        found.push({ file, call: node, source });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

function enclosingIfs(node: ts.Node, source: ts.SourceFile): string[] {
  const conditions: string[] = [];
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isIfStatement(n)) conditions.push(n.expression.getText(source));
  }
  return conditions;
}

describe('shell.openExternal', () => {
  const calls = openExternalCalls([
    ...sourceFiles('main'),
    ...sourceFiles('renderer'),
    ...sourceFiles('embedded-server'),
  ]);
  const labUrl = `http://${DEFAULT_HOST}:${DEFAULT_PORT}/`;

  it('is called once in the whole program, by electron-main.ts', () => {
    expect(calls.map((c) => path.relative('.', c.file))).toEqual([path.join('main', 'electron', 'electron-main.ts')]);
  });

  it("with a constant equal to the default port's lab address, not with anything passed in", () => {
    const [{ call }] = calls;
    expect(call.arguments).toHaveLength(1);
    const [argument] = call.arguments;
    expect(ts.isStringLiteral(argument)).toBe(true);
    expect((argument as ts.StringLiteral).text).toBe(labUrl);
  });

  it('only when the lab page asked for is that address on that port, and the setting says "browser"', () => {
    const [{ call, source }] = calls;
    const [guard, setting] = enclosingIfs(call, source);
    expect(guard).toBe(`url === '${labUrl}' && labPort === ${DEFAULT_PORT}`);
    expect(setting).toBe("prefs.openPageIn === 'browser'");
  });
});
