/**
 * Issue 4, "Done when": the built `dockerfix` as a real subprocess on a small
 * Node.js project, with `FROM node` looked up through a docker.io mirror
 * that is a REAL registry on 127.0.0.1 (the test images pushed as
 * `library/node`). The mirror is the only registry the run can reach: the
 * Dockerfile names no other image, and DOCKER_CONFIG points at an empty
 * folder so the machine's own credentials are never read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushTestImages, type RegistryServer, startRegistry, type TestImages } from '../helpers/registry-server.js';
import { builtMain, ensureBuilt, read, repoRoot, spawn, tempLeftovers, tree } from './helpers.js';

let registry: RegistryServer;
let node: TestImages;
/** an empty DOCKER_CONFIG folder: no credentials of this machine are read */
let dockerConfig: string;

beforeAll(async () => {
  ensureBuilt();
  dockerConfig = tree();
  registry = await startRegistry();
  node = await pushTestImages(registry, 'library/node');
}, 120_000);

afterAll(async () => {
  await registry?.stop();
});

const DOCKERFILE = 'FROM node\nADD . .\nCMD npm start\n';

function project(): string {
  return tree({
    Dockerfile: DOCKERFILE,
    'package.json': `${JSON.stringify({ name: 'demo', version: '1.0.0', scripts: { start: 'node server.js' } }, null, 2)}\n`,
    'server.js': "require('http').createServer((_, res) => res.end('hi')).listen(3000);\n",
    'node_modules/.package-lock.json': '{}\n',
    '.dockerfixrc.json': JSON.stringify({ registryMirrors: { 'docker.io': registry.host } }),
  });
}

const dockerfix = (dir: string, args: string[]) => spawn(builtMain, dir, args, { env: { DOCKER_CONFIG: dockerConfig } });

/** `Dockerfile:L:C: <label> <rule>: <message> (<safety>: <reason>)` lines of the text report. */
function findingLines(out: string, label: string): Array<{ rule: string; safety: string; reason: string }> {
  const re = new RegExp(`^Dockerfile:\\d+:\\d+: ${label} ([a-z-]+): .+ \\((safe|unsafe|suggestion): (.+)\\)$`);
  return out.split('\n').flatMap((line) => {
    const m = re.exec(line);
    return m ? [{ rule: m[1]!, safety: m[2]!, reason: m[3]! }] : [];
  });
}

describe('the demo: dockerfix --dry-run --unsafe --resolve on a Node.js project', () => {
  it('shows every fix as one diff, each change explained by rule id and reason, and the .dockerignore proposal; writes nothing', () => {
    const dir = project();
    const r = dockerfix(dir, ['--dry-run', '--unsafe', '--resolve', '--no-color']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);

    const pinned = `node:1.2.3@${node.current.digest}`;
    expect(node.current.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(r.out).toContain(
      ['--- a/Dockerfile', '+++ b/Dockerfile', '@@ -1,3 +1,4 @@', '-FROM node', '-ADD . .', '-CMD npm start', `+FROM ${pinned}`, '+COPY . .', '+USER node', '+CMD ["node", "server.js"]', ''].join('\n'),
    );
    expect(r.out).toContain(
      ['--- /dev/null', '+++ b/.dockerignore', '@@ -0,0 +1,3 @@', '+# Proposed by dockerfix: keep these out of the build context', '+.git', '+node_modules', ''].join('\n'),
    );

    const fixes = findingLines(r.out, 'would fix');
    expect(fixes.map((f) => f.rule).sort()).toEqual(['add-to-copy', 'exec-form', 'node-process', 'non-root-user', 'pin-base-image']);
    for (const f of fixes) expect(f.reason.length).toBeGreaterThan(10);
    expect(fixes.find((f) => f.rule === 'pin-base-image')).toMatchObject({ safety: 'safe' });
    expect(fixes.find((f) => f.rule === 'non-root-user')).toMatchObject({ safety: 'unsafe' });
    expect(r.out).toContain(`would fix pin-base-image: base image node is not pinned: pin it as ${pinned}`);
    expect(findingLines(r.out, 'suggestion')).toEqual([expect.objectContaining({ rule: 'build-context', safety: 'suggestion' })]);
    expect(r.out).toContain('Dockerfile: proposes build-context: new file .dockerignore (written with --write-dockerignore)\n');
    expect(r.out).toContain('1 file would change: 5 fixes (1 file checked); nothing written.\n');

    expect(read(dir, 'Dockerfile')).toBe(DOCKERFILE);
    expect(fs.existsSync(path.join(dir, '.dockerignore'))).toBe(false);
  });

  it('without --unsafe: only the safe fixes (pin, COPY) are in the diff; the unsafe ones are listed as withheld with the --unsafe hint', () => {
    const dir = project();
    const r = dockerfix(dir, ['--dry-run', '--resolve', '--no-color']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      ['--- a/Dockerfile', '+++ b/Dockerfile', '@@ -1,3 +1,3 @@', '-FROM node', '-ADD . .', `+FROM node:1.2.3@${node.current.digest}`, '+COPY . .', ' CMD npm start', ''].join('\n'),
    );
    expect(r.out).not.toContain('+USER');
    expect(r.out).not.toContain('+CMD');
    expect(findingLines(r.out, 'would fix').map((f) => f.rule).sort()).toEqual(['add-to-copy', 'pin-base-image']);
    const withheld = findingLines(r.out, 'withheld');
    expect(withheld.map((f) => f.rule).sort()).toEqual(['exec-form', 'node-process', 'non-root-user']);
    for (const f of withheld) expect(f.safety).toBe('unsafe');
    expect(r.out).toContain('+++ b/.dockerignore');
    expect(r.out).toContain('3 unsafe fixes withheld; run with --unsafe to apply.\n');
    expect(read(dir, 'Dockerfile')).toBe(DOCKERFILE);
  });

  it('without --resolve the registry client is not even loaded', () => {
    const dir = project();
    // A module hook that fails the process if the registry client or the --resolve step is imported.
    const hooks = tree({
      'hooks.mjs': "export async function resolve(s, c, next) { if (/(registry\\/(client|credentials|prefetch|index)|cli\\/resolve)\\.js$/.test(s)) throw new Error('LOADED ' + s); return next(s, c); }\n",
      'register.mjs': "import { register } from 'node:module'; register('./hooks.mjs', import.meta.url);\n",
    });
    const env = { NODE_OPTIONS: `--import=${path.join(hooks, 'register.mjs')}`, DOCKER_CONFIG: dockerConfig };
    for (const args of [['--dry-run', '--unsafe'], ['--check'], ['--reporter', 'json'], ['--write-dockerignore']]) {
      const r = spawn(builtMain, dir, [...args, '--no-color'], { env });
      expect(r.err).not.toContain('LOADED');
      expect(r.code).toBeLessThan(2);
    }
    expect(read(dir, 'Dockerfile')).toContain('FROM node\n');
    // The hook works: --resolve loads them.
    expect(spawn(builtMain, dir, ['--dry-run', '--resolve'], { env }).err).toContain('LOADED');
  });

  it('--write-dockerignore creates the proposed file next to the fixed Dockerfile', () => {
    const dir = project();
    const r = dockerfix(dir, ['--unsafe', '--resolve', '--write-dockerignore', '--no-color']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(read(dir, 'Dockerfile')).toBe(`FROM node:1.2.3@${node.current.digest}\nCOPY . .\nUSER node\nCMD ["node", "server.js"]\n`);
    expect(read(dir, '.dockerignore')).toBe('# Proposed by dockerfix: keep these out of the build context\n.git\nnode_modules\n');
    expect(r.out).toContain('Dockerfile: wrote .dockerignore (proposed by build-context)\n');
    expect(tempLeftovers(dir)).toEqual([]);
    // Done: a second run finds nothing to change and nothing to propose.
    const again = dockerfix(dir, ['--check', '--unsafe', '--resolve', '--no-color']);
    expect(again.code).toBe(0);
    expect(again.out).not.toContain('.dockerignore');
  });
});
