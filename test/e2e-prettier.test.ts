/**
 * The plugin through the real Prettier CLI (node_modules/.bin/prettier), the
 * way users and editors load it. Uses the built plugin in dist/: `npm test`
 * builds first; run `npx tsc -p tsconfig.json` before running this file alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { format } from '../src/format/index.js';

const root = path.join(import.meta.dirname, '..');
const prettierBin = path.join(root, 'node_modules', '.bin', 'prettier');
const pluginPath = path.join(root, 'dist', 'plugin', 'index.js');

const UNFORMATTED = 'from alpine:3.20 as base\nrun apk add --no-cache curl &&   apk add git\n\n\ncmd [ "sh" ]\n';

let work: string;

function prettier(cwd: string, args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(prettierBin, args, { cwd, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh folder under the test's temporary directory. */
function project(name: string, files: Record<string, string>): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

describe('prettier CLI with the dockerfix plugin', () => {
  beforeAll(() => {
    if (!fs.existsSync(pluginPath)) throw new Error(`${pluginPath} is missing: run \`npm run build\` first`);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-e2e-'));
  });
  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('--check exits 1 on an unformatted Dockerfile, --write formats it like format(), then --check exits 0', async () => {
    const dir = project('check-write', { Dockerfile: UNFORMATTED });
    const plugin = `--plugin=${pluginPath}`;
    expect(prettier(dir, [plugin, '--check', 'Dockerfile']).status).toBe(1);
    expect(prettier(dir, [plugin, '--write', 'Dockerfile']).status).toBe(0);
    const written = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    expect(written).toBe(await format(UNFORMATTED));
    expect(written).toBe('FROM alpine:3.20 AS base\nRUN apk add --no-cache curl && apk add git\n\nCMD ["sh"]\n');
    expect(prettier(dir, [plugin, '--check', 'Dockerfile']).status).toBe(0);
  });

  it('formats stdin to stdout with --stdin-filepath Dockerfile', async () => {
    const dir = project('stdin', {});
    const r = prettier(dir, [`--plugin=${pluginPath}`, '--stdin-filepath', 'Dockerfile'], UNFORMATTED);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(await format(UNFORMATTED));
  });

  it('loads the plugin from a .prettierrc that names the package, as prettier-vscode does', async () => {
    const dir = project('prettierrc', {
      '.prettierrc': JSON.stringify({ plugins: ['dockerfix/plugin'] }),
      Dockerfile: UNFORMATTED,
      Containerfile: UNFORMATTED,
      'api.dockerfile': UNFORMATTED,
      'web.containerfile': UNFORMATTED,
    });
    // the package as an installed dependency of the project
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(root, path.join(dir, 'node_modules', 'dockerfix'), 'dir');
    const files = ['Dockerfile', 'Containerfile', 'api.dockerfile', 'web.containerfile'];
    expect(prettier(dir, ['--check', ...files]).status).toBe(1);
    const r = prettier(dir, ['--write', ...files]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const expected = await format(UNFORMATTED);
    for (const f of files) expect(fs.readFileSync(path.join(dir, f), 'utf8')).toBe(expected);
  });

  it('formats Dockerfile.dev through an overrides entry that sets the dockerfile parser', async () => {
    const dir = project('overrides', {
      '.prettierrc': JSON.stringify({ overrides: [{ files: 'Dockerfile.*', options: { parser: 'dockerfile' } }] }),
      'Dockerfile.dev': UNFORMATTED,
    });
    const r = prettier(dir, [`--plugin=${pluginPath}`, '--write', 'Dockerfile.dev']);
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'Dockerfile.dev'), 'utf8')).toBe(await format(UNFORMATTED));
  });

  it('keeps CRLF line endings with --end-of-line auto and turns them into LF by default', () => {
    const crlf = UNFORMATTED.replace(/\n/g, '\r\n');
    const dir = project('eol', { Dockerfile: crlf, 'lf.dockerfile': crlf });
    expect(prettier(dir, [`--plugin=${pluginPath}`, '--end-of-line', 'auto', '--write', 'Dockerfile']).status).toBe(0);
    const auto = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    expect(auto).toBe('FROM alpine:3.20 AS base\r\nRUN apk add --no-cache curl && apk add git\r\n\r\nCMD ["sh"]\r\n');
    expect(prettier(dir, [`--plugin=${pluginPath}`, '--write', 'lf.dockerfile']).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'lf.dockerfile'), 'utf8')).toBe(auto.replace(/\r\n/g, '\n'));
  });

  it('keeps a byte-order mark', () => {
    const dir = project('bom', { Dockerfile: '\uFEFF' + UNFORMATTED });
    expect(prettier(dir, [`--plugin=${pluginPath}`, '--write', 'Dockerfile']).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8').startsWith('\uFEFFFROM alpine:3.20 AS base\n')).toBe(true);
  });

  it('follows --tab-width and --use-tabs for continuation lines', () => {
    const dir = project('indent', {});
    const input = 'FROM alpine\nRUN a && \\\n  b\n';
    const plugin = `--plugin=${pluginPath}`;
    expect(prettier(dir, [plugin, '--stdin-filepath', 'Dockerfile'], input).stdout).toBe('FROM alpine\nRUN a \\\n    && b\n');
    expect(prettier(dir, [plugin, '--tab-width', '2', '--stdin-filepath', 'Dockerfile'], input).stdout).toBe('FROM alpine\nRUN a \\\n  && b\n');
    expect(prettier(dir, [plugin, '--use-tabs', '--stdin-filepath', 'Dockerfile'], input).stdout).toBe('FROM alpine\nRUN a \\\n\t&& b\n');
  });
});
