import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { parse } from '../../src/syntax/index.js';
import { buildContext } from '../../src/rules/build-context.js';
import { fsBuildContext } from '../../src/cli/build-context.js';
import type { BuildContext, RuleContext } from '../../src/rules/types.js';

const fixtures = path.join(import.meta.dirname, '..', '..', 'fixtures', 'build-context');
const check = (text: string, ctx: Partial<RuleContext> = {}) => buildContext.check(parse(text), { options: {}, ...ctx });

/** An in-memory build context: paths ending in `/` are directories. */
function memoryContext(entries: Record<string, string>, root = '/ctx'): BuildContext {
  const norm = (p: string) => p.replace(/\/+$/, '');
  const all = new Map(Object.entries(entries).map(([k, v]) => [norm(k), { dir: k.endsWith('/'), text: v }]));
  return {
    root,
    readHead: (p, n) => (all.get(p) && !all.get(p)!.dir ? new TextEncoder().encode(all.get(p)!.text).slice(0, n) : null),
    readText: (p) => (all.get(p) && !all.get(p)!.dir ? all.get(p)!.text : null),
    exists: (p) => all.has(norm(p)),
    isDirectory: (p) => all.get(norm(p))?.dir ?? false,
    glob: () => [],
    list: (d) => [...all.keys()].filter((k) => (d === '' ? !k.includes('/') : k.startsWith(d + '/') && !k.slice(d.length + 1).includes('/'))).map((k) => k.split('/').pop()!),
  };
}

describe('build-context meta', () => {
  it('is a suggestion rule without options', () => {
    expect(buildContext.meta.id).toBe('build-context');
    expect(buildContext.meta.safety).toBe('suggestion');
    expect(buildContext.meta.options).toEqual({});
    expect(buildContext.meta.docs).toMatch(/--write-dockerignore/);
  });
});

describe('proposed .dockerignore', () => {
  it('lists what the context shows, never what the Dockerfile copies explicitly', () => {
    const text = [
      'FROM node:20-alpine AS build', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN npm ci', 'COPY . .', 'RUN npm run build',
      'FROM node:20-alpine', 'COPY --from=build /app/dist ./dist', 'COPY .env.production ./.env', '',
    ].join('\n');
    const findings = check(text, { buildContext: fsBuildContext(path.join(fixtures, 'proposal-context')) });
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f.safety).toBe('suggestion');
    expect(f.edits).toBeUndefined();
    expect(f.proposedFile).toEqual({
      path: '.dockerignore',
      content: '# Proposed by dockerfix: keep these out of the build context\n.git\nnode_modules\n.env\n**/*.log\ndist\n',
    });
    expect(f.message).toBe('no .dockerignore: the whole build context is sent to the builder; proposed one ignores .git, node_modules, .env, **/*.log, dist');
    expect(text.slice(f.start, f.end)).toBe('FROM node:20-alpine AS build');
  });

  it('proposes node_modules when the context has it, and Python/Rust leftovers', () => {
    const ctx = memoryContext({
      'node_modules/': '', '.venv/': '', '__pycache__/': '', '.DS_Store': '', 'target/': '', 'Cargo.toml': '', 'src/': '', '.env.sample': '',
    });
    const [f] = check('FROM rust:1\nCOPY . .\nRUN cargo build --release\n', { buildContext: ctx });
    expect(f.proposedFile!.content.split('\n').slice(1, -1)).toEqual(['.git', 'node_modules', '.venv', '**/__pycache__', '**/.DS_Store', 'target']);
  });

  it('keeps build output when the image does not build it', () => {
    const ctx = memoryContext({ 'target/': '', 'Cargo.toml': '', 'dist/': '', 'package.json': '{}' });
    const [f] = check('FROM debian:12\nCOPY . .\nCMD ["/target/release/app"]\n', { buildContext: ctx });
    expect(f.proposedFile!.content).not.toMatch(/target|dist/);
  });

  it('honours explicit sources: names, globs at the root and nested names', () => {
    const ctx = memoryContext({ '.env': '', '.env.local': '', 'node_modules/': '', 'app.log': '', '__pycache__/': '' });
    const [f] = check('FROM node:20\nCOPY .env* ./\nCOPY node_modules/foo /x\nCOPY logs/app.log /x\nCOPY pkg/__pycache__/ /y\n', { buildContext: ctx });
    expect(f.proposedFile!.content.split('\n').slice(1, -1)).toEqual(['.git']);
  });

  it('proposes only .git when a COPY source is a variable', () => {
    const ctx = memoryContext({ '.env': '', 'node_modules/': '' });
    const [f] = check('FROM node:20\nARG SRC=.\nCOPY ${SRC} /app\n', { buildContext: ctx });
    expect(f.proposedFile!.content.split('\n').slice(1, -1)).toEqual(['.git']);
  });

  it('is silent when .dockerignore or <Dockerfile>.dockerignore exists, or without a context', () => {
    expect(check('FROM alpine\n', { buildContext: memoryContext({ '.dockerignore': '.git\n' }) })).toEqual([]);
    const ctx = memoryContext({ 'docker/api.Dockerfile.dockerignore': '.git\n' }, '/repo');
    expect(check('FROM alpine\n', { buildContext: ctx, filePath: '/repo/docker/api.Dockerfile' })).toEqual([]);
    expect(check('FROM alpine\n', { buildContext: ctx, filePath: '/repo/docker/web.Dockerfile' })).toHaveLength(1);
    expect(check('FROM alpine\n')).toEqual([]);
  });
});

describe('whole-context COPY before an install', () => {
  const ignoreOnly = { '.dockerignore': '.git\n' };

  it('offers an unsafe npm rewrite that names the install RUN', () => {
    const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n';
    const ctx = memoryContext({ ...ignoreOnly, 'package.json': '{}', 'package-lock.json': '{}' });
    const [f] = check(text, { buildContext: ctx });
    expect(f.safety).toBe('unsafe');
    expect(f.reason).toBe('a preinstall/postinstall script may need files from the rest of the build context');
    expect(f.message).toBe('`COPY . .` comes before `npm ci`: any source change re-runs the install; copy package.json package-lock.json first and install before copying the rest');
    expect(f.edits).toEqual([
      { start: text.indexOf('COPY . .'), end: text.indexOf('COPY . .') + 8, text: 'COPY package.json package-lock.json ./' },
      { start: text.length, end: text.length, text: 'COPY . .\n' },
    ]);
    expect(f.touches).toEqual([text.indexOf('RUN npm ci')]);
  });

  it('drops lock files the .dockerignore excludes (they never reached the install)', () => {
    const ctx = memoryContext({ '.dockerignore': '**/*.json\n!package.json\n', 'package.json': '{}', 'package-lock.json': '{}' });
    const [f] = check('FROM node:20\nCOPY . .\nRUN npm ci\n', { buildContext: ctx });
    expect(f.edits![0].text).toBe('COPY package.json ./');
    const none = memoryContext({ '.dockerignore': 'package.json\n', 'package.json': '{}' });
    expect(check('FROM node:20\nCOPY . .\nRUN npm ci\n', { buildContext: none })[0].reason).toBe('package.json is excluded by .dockerignore');
  });

  it('refuses install hooks, workspaces and local dependencies, saying which', () => {
    const run = (pkg: object) => check('FROM node:20\nCOPY . .\nRUN npm ci\n', { buildContext: memoryContext({ ...ignoreOnly, 'package.json': JSON.stringify(pkg) }) })[0];
    expect(run({ scripts: { prepare: 'husky' } }).reason).toBe('package.json has a `prepare` script, which may need the rest of the sources');
    expect(run({ workspaces: ['a'] }).safety).toBe('suggestion');
    expect(run({ devDependencies: { x: 'link:../x' } }).reason).toBe('a dependency is a local file: or link: path from the sources');
  });

  it('refuses what it cannot move: other commands, other operators, flags, JSON-less context', () => {
    const r = (text: string) => check(text)[0];
    expect(r('FROM node:20\nCOPY . .\nRUN npm ci; npm test\n').reason).toMatch(/other than &&/);
    expect(r('FROM node:20\nCOPY . .\nRUN npm ci > /dev/null\n').reason).toMatch(/shell syntax/);
    expect(r('FROM node:20\nCOPY --exclude=*.md . .\nRUN npm ci\n').reason).toBe('the COPY has --exclude, which a manifest COPY cannot mirror');
    expect(r('FROM node:20\nCOPY . .\nRUN --mount=type=bind,source=.npmrc,target=.npmrc npm ci\n').reason).toMatch(/bind-mounts/);
    expect(r('FROM node:20\nCOPY . .\nEXPOSE 80\nRUN npm ci\n').reason).toBe('EXPOSE lies between the COPY and the install');
    expect(r('FROM node:20\nCOPY . /app\nRUN npm ci\n').reason).toBe('the install does not run in the COPY destination /app');
  });

  it('does not flag installs with package arguments or a stage that installed first', () => {
    expect(check('FROM node:20\nCOPY . .\nRUN npm install -g pm2\n')).toEqual([]);
    expect(check('FROM node:20\nCOPY package.json .\nRUN npm ci\nCOPY . .\nRUN npm ci\n')).toEqual([]);
    expect(check('FROM python:3\nCOPY . .\nRUN pip install flask\n')).toEqual([]);
  });

  it('suggests for the other ecosystems', () => {
    for (const [cmd, eco] of [['bundle install', 'bundler'], ['composer install --no-dev', 'composer'], ['python -m pip install -r req.txt', 'pip'], ['pnpm install --frozen-lockfile', 'pnpm'], ['yarn', 'yarn']]) {
      const [f] = check(`FROM x\nCOPY . .\nRUN ${cmd}\n`);
      expect(f.safety, cmd).toBe('suggestion');
      expect(f.reason, cmd).toBe(`no automatic rewrite for ${eco}: the files its install needs are project-specific`);
    }
  });
});

describe('proposed .dockerignore and .git', () => {
  it('keeps .git when the build reads it or copies or bind-mounts it', () => {
    const ctx = memoryContext({ '.env': '' });
    const entries = (text: string) => check(text, { buildContext: ctx })[0]?.proposedFile?.content.split('\n').slice(1, -1);
    expect(entries('FROM golang:1\nCOPY . .\nRUN VERSION=$(git describe --tags) && go build\n')).toEqual(['.env']);
    expect(entries('FROM golang:1\nCOPY . .\nRUN git rev-parse HEAD > /version\n')).toEqual(['.env']);
    expect(entries('FROM alpine\nCOPY .git /src/.git\n')).toEqual(['.env']);
    expect(entries('FROM alpine\nRUN --mount=source=.git,target=/g cat /g/HEAD\n')).toEqual(['.env']);
    expect(entries('FROM alpine\nRUN --mount=type=bind,from=build,source=.git,target=/g true\n')).toEqual(['.git', '.env']);
    expect(entries('FROM alpine\nRUN git clone https://example.com/x.git\n')).toEqual(['.git', '.env']);
  });

  it('says nothing when there is nothing to propose', () => {
    expect(check('FROM alpine\nCOPY .git /g\n', { buildContext: memoryContext({ 'a.txt': '' }) })).toEqual([]);
  });
});
