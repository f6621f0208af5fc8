import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { parse } from '../../src/syntax/index.js';
import { nodeProcess } from '../../src/rules/node-process.js';
import { fsBuildContext } from '../../src/cli/build-context.js';
import type { BuildContext, RuleContext } from '../../src/rules/types.js';

const fixtures = path.join(import.meta.dirname, '..', '..', 'fixtures', 'node-process');
const check = (text: string, ctx: Partial<RuleContext> = {}) => nodeProcess.check(parse(text), { options: {}, ...ctx });

/** An in-memory build context. */
function memoryContext(files: Record<string, string>): BuildContext {
  return {
    root: '/ctx',
    readHead: (p, n) => (p in files ? new TextEncoder().encode(files[p]).slice(0, n) : null),
    readText: (p) => files[p] ?? null,
    exists: (p) => p in files,
    isDirectory: () => false,
    glob: () => [],
    list: () => Object.keys(files),
  };
}

describe('node-process meta', () => {
  it('says hadolint has no equivalent and lists no options', () => {
    expect(nodeProcess.meta.id).toBe('node-process');
    expect(nodeProcess.meta.related).toEqual([]);
    expect(nodeProcess.meta.docs).toMatch(/hadolint has no equivalent/);
    expect(nodeProcess.meta.options).toEqual({});
  });
});

describe('node-process start command', () => {
  const bc = fsBuildContext(path.join(fixtures, 'plain-start-context'));

  it('offers an unsafe exec-form node command, with the assumptions as reason', () => {
    const text = 'FROM node:20\nCMD npm start\n';
    const [f] = check(text, { buildContext: bc });
    expect(f.safety).toBe('unsafe');
    expect(f.message).toBe('npm does not forward SIGTERM to the app `npm start` starts; run `node server.js` directly');
    expect(f.reason).toBe(
      "assumes the build context's package.json is the one copied into the image, at the WORKDIR; the app no longer gets npm_* variables or node_modules/.bin on PATH",
    );
    expect(f.edits).toEqual([{ start: text.indexOf('npm start'), end: text.indexOf('npm start') + 9, text: '["node", "server.js"]' }]);
  });

  it('says why when it only suggests', () => {
    const [f] = check('FROM node:20\nCMD ["npm", "start"]\n');
    expect(f.safety).toBe('suggestion');
    expect(f.edits).toBeUndefined();
    expect(f.reason).toBe('without the build context the `start` script in package.json is unknown');
  });

  it('refuses pre/post scripts of `npm run X`', () => {
    const ctx = memoryContext({ 'package.json': JSON.stringify({ scripts: { serve: 'node s.js', postserve: 'echo done' } }) });
    const [f] = check('FROM node:20\nCMD ["npm", "run", "serve"]\n', { buildContext: ctx });
    expect(f.reason).toBe('package.json has a `postserve` script that running node directly would skip');
  });

  it('refuses scripts with quoting it cannot keep literal, and keeps the literal ones', () => {
    const ctx = memoryContext({ 'package.json': JSON.stringify({ scripts: { a: 'node "$ENTRY"', b: "node 'my app.js' --x=\"1 2\"" } }) });
    expect(check('FROM node:20\nCMD ["npm", "run", "a"]\n', { buildContext: ctx })[0].reason).toMatch(/expands variables/);
    const [f] = check('FROM node:20\nCMD ["npm", "run", "b"]\n', { buildContext: ctx });
    expect(f.edits![0].text).toBe('["node", "my app.js", "--x=1 2"]');
  });

  it('refuses comment lines inside the instruction and Windows files', () => {
    expect(check('FROM node:20\nCMD npm \\\n# c\n  start\n', { buildContext: bc })[0].reason).toMatch(/comment lines/);
    expect(check('# escape=`\nFROM node:20\nCMD ["npm", "start"]\n', { buildContext: bc })[0].reason).toMatch(/Windows/);
  });
});

describe('node-process install flags', () => {
  it('is safe on node >= 15, naming the base', () => {
    const [f] = check('ARG NODE=20\nFROM node:${NODE}-alpine\nRUN npm ci --production\n');
    expect(f.safety).toBe('safe');
    expect(f.reason).toBe('node:20-alpine ships npm >= 7, where the old flag is a deprecated alias of --omit=dev');
    expect(f.message).toBe('`--production` is deprecated in npm 7+; use `--omit=dev`');
  });

  it('is unsafe with "requires npm >= 7" otherwise', () => {
    for (const base of ['node:14', 'node:fermium', 'example.com/node:20', 'node@sha256:abc']) {
      const [f] = check(`FROM ${base}\nRUN npm ci --production\n`);
      expect(f.safety, base).toBe('unsafe');
      expect(f.reason, base).toMatch(/^requires npm >= 7/);
    }
    for (const base of ['node', 'node:lts', 'node:current-alpine', 'node:iron', 'node:alpine', 'node:16']) {
      expect(check(`FROM ${base}\nRUN npm ci --production\n`)[0].safety, base).toBe('safe');
    }
  });

  it('replaces every old flag in every top-level npm install of the RUN, as one finding', () => {
    const text = 'FROM node:20\nRUN npm ci --production || npm i --only=prod\n';
    const [f] = check(text);
    expect(f.edits!.map((e) => text.slice(e.start, e.end))).toEqual(['--production', '--only=prod']);
    expect(f.edits!.every((e) => e.text === '--omit=dev')).toBe(true);
  });

  it('leaves a flag split by a line continuation alone', () => {
    expect(check('FROM node:20\nRUN npm ci --pro\\\nduction\n')).toEqual([]);
  });
});
