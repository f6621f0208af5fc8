/**
 * No code path executes text from a Dockerfile or the build context, read
 * off the source (TypeScript's parser, so comments and strings do not count):
 *
 * - src/ imports nothing that runs programs or code (child_process, vm,
 *   worker_threads, cluster, inspector, wasi) and nothing that opens sockets
 *   itself (net, tls, dgram, dns, http, https, http2, undici): the only network
 *   path is the registry client's injected `fetch`, used under --resolve.
 * - no eval, no Function constructor, no process.binding/dlopen;
 * - every import() and require() names a fixed module (a string literal), so
 *   no path from a Dockerfile or config can choose what gets loaded;
 * - the one deliberate exception: `--format` asks Prettier for the file's
 *   config (`prettier.resolveConfig`), and Prettier imports JavaScript config
 *   files (prettier.config.js, .prettierrc.mjs, …) found upward from the
 *   Dockerfile, exactly as `prettier --write` on that file would. Tested below
 *   end to end, so the exception stays visible.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repoRoot, runCli, tempTree } from '../hostile/harness.js';

const SRC = path.join(repoRoot, 'src');
const files = fs
  .readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .sort();

interface Use {
  file: string;
  line: number;
  what: string;
}

/** Every module a file loads (static, dynamic, require), and every code-running construct. */
function scan(): { modules: Use[]; nonLiteralLoads: Use[]; codeRunners: Use[]; fetches: Use[]; resolveConfig: Use[] } {
  const out = { modules: [] as Use[], nonLiteralLoads: [] as Use[], codeRunners: [] as Use[], fetches: [] as Use[], resolveConfig: [] as Use[] };
  for (const file of files) {
    const text = fs.readFileSync(path.join(SRC, file), 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const at = (n: ts.Node, what: string): Use => ({ file, line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1, what });
    const isRequireLike = (call: ts.CallExpression): boolean =>
      (ts.isIdentifier(call.expression) && call.expression.text === 'require') ||
      // createRequire(import.meta.url)('x')
      (ts.isCallExpression(call.expression) && ts.isIdentifier(call.expression.expression) && call.expression.expression.text === 'createRequire');
    const visit = (n: ts.Node): void => {
      if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
        // type-only imports load nothing at run time
        const typeOnly = ts.isImportDeclaration(n) ? n.importClause?.isTypeOnly === true : n.isTypeOnly;
        if (!typeOnly) out.modules.push(at(n, n.moduleSpecifier.text));
      } else if (ts.isCallExpression(n) && (n.expression.kind === ts.SyntaxKind.ImportKeyword || isRequireLike(n))) {
        const arg = n.arguments[0];
        if (arg && ts.isStringLiteralLike(arg)) out.modules.push(at(n, arg.text));
        else out.nonLiteralLoads.push(at(n, n.getText(sf)));
      } else if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
        const callee = n.expression;
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
        if (name === 'eval' || name === 'Function' || name === 'binding' || name === 'dlopen' || name === 'runInThisContext' || name === 'runInNewContext') {
          out.codeRunners.push(at(n, n.getText(sf).slice(0, 80)));
        }
        if (name === 'resolveConfig' || name === 'resolveConfigFile') out.resolveConfig.push(at(n, n.getText(sf).slice(0, 80)));
      }
      // `fetch` as a value: the global one, or an injected one stored under that name
      if (ts.isIdentifier(n) && n.text === 'fetch' && !ts.isTypeQueryNode(n.parent) && !ts.isPropertySignature(n.parent) && !ts.isPropertyAssignment(n.parent)) {
        if (!(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n && !/globalThis/.test(n.parent.expression.getText(sf)))) out.fetches.push(at(n, n.parent.getText(sf).slice(0, 80)));
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

const FORBIDDEN = /^(node:)?(child_process|vm|worker_threads|cluster|inspector|wasi|net|tls|dgram|dns|dns\/promises|http|https|http2|undici)$/;

describe('src/ never runs code or opens sockets of its own', () => {
  const found = scan();

  it('(the scan itself sees static, dynamic and require() loads, and fetch uses)', () => {
    const names = new Set(found.modules.map((m) => m.what));
    for (const m of ['node:fs', 'prettier', 'ignore', './resolve.js', '../rules/index.js']) expect(names, m).toContain(m);
    expect(found.fetches.length).toBeGreaterThan(0);
  });

  it('imports no module that runs programs or code, or opens sockets (exact list of exceptions: none)', () => {
    expect(found.modules.filter((m) => FORBIDDEN.test(m.what))).toEqual([]);
  });

  it('loads only fixed modules: every import() and require() names a string literal', () => {
    expect(found.nonLiteralLoads).toEqual([]);
    // and the only require() is discover.ts loading the CommonJS `ignore` package
    const required = found.modules.filter((m) => m.what === 'node:module');
    expect(required.map((m) => m.file)).toEqual(['cli/discover.ts']);
  });

  it('has no eval, Function constructor, vm context, process.binding or dlopen', () => {
    expect(found.codeRunners).toEqual([]);
  });

  it('reaches the network only through the registry client\'s fetch (used by --resolve), never a global fetch elsewhere', () => {
    const files = [...new Set(found.fetches.map((f) => f.file))].sort();
    expect(files).toEqual(['registry/client.ts']);
  });

  it("asks Prettier for a config (which may be JavaScript) in exactly one place: --format's formatter", () => {
    expect(found.resolveConfig.map((u) => u.file)).toEqual(['cli/formatter.ts']);
  });
});

describe('JavaScript config files in the repository', () => {
  beforeAll(ensureBuilt, 180_000);

  const tree = (): string =>
    tempTree({
      Dockerfile: 'FROM alpine:3.20 as build\n',
      // every config file name Prettier imports as code
      'prettier.config.mjs': "import fs from 'node:fs'; fs.writeFileSync(new URL('./ran-prettier-config', import.meta.url), ''); export default {};",
      // dockerfix's own config is JSON only: a .js file of the same stem is not a config
      'dockerfix.config.js': "require('node:fs').writeFileSync(__dirname + '/ran-dockerfix-js', '');",
      '.dockerfixrc.js': "require('node:fs').writeFileSync(__dirname + '/ran-dockerfixrc-js', '');",
    });

  it('are never run without --format (check, dry-run, fix)', async () => {
    const dir = tree();
    for (const args of [['--check'], ['--dry-run', '--unsafe'], []]) {
      const r = await runCli([...args, '.'], { cwd: dir, timeoutMs: 30_000 });
      expect(r.code, r.err).not.toBe(2);
    }
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('ran-'))).toEqual([]);
  });

  it('--format runs the folder\'s JavaScript Prettier config, exactly as `prettier --write` does (the one deliberate exception); dockerfix\'s own .js names never', async () => {
    const dir = tree();
    const r = await runCli(['--format', '--check', '.'], { cwd: dir, timeoutMs: 30_000 });
    expect(r.code, r.err).not.toBe(2);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('ran-'))).toEqual(['ran-prettier-config']);
  });
});
