/**
 * `dockerfix --resolve` end to end against REAL registries (Debian's
 * docker-registry on 127.0.0.1, see test/helpers/registry-server.ts), run
 * in-process with the real rules.
 *
 * Every run hands run() a fetch that refuses any host but 127.0.0.1, and
 * DOCKER_CONFIG always points at a temp folder, so nothing here can reach
 * Docker Hub or read the machine's own credentials. Runs without --resolve
 * are checked to make no request at all: through a loopback proxy that
 * counts what reaches the registry, and through the fetch never being called.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { captureIO } from '../../src/cli/io.js';
import { rules } from '../../src/rules/index.js';
import {
  freePort,
  type Proxy,
  pushTestImages,
  type RegistryServer,
  startProxy,
  startRegistry,
  TEST_CREDENTIALS,
  type TestImages,
  writeDockerConfig,
} from '../helpers/registry-server.js';
import { read, tree, type Ran } from './helpers.js';

let registry: RegistryServer;
let app: TestImages;
let node: TestImages;
let privateRegistry: RegistryServer;
let privateImages: TestImages;
let proxy: Proxy;

beforeAll(async () => {
  registry = await startRegistry();
  app = await pushTestImages(registry, 'dockerfix/app');
  node = await pushTestImages(registry, 'library/node');
  privateRegistry = await startRegistry({ auth: 'htpasswd' });
  privateImages = await pushTestImages(privateRegistry, 'dockerfix/private');
  // Counts every request that reaches the anonymous registry through it.
  proxy = await startProxy({ target: registry.url });
});

afterAll(async () => {
  await proxy?.close();
  await registry?.stop();
  await privateRegistry?.stop();
});

/** Every URL run() fetched; a host other than 127.0.0.1 fails the request (and the test, below). */
const fetched: URL[] = [];
const loopbackOnly: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  fetched.push(url);
  if (url.hostname !== '127.0.0.1') return Promise.reject(new Error(`the test tried to contact ${url.host}`));
  return fetch(input, init);
};

/** run() in-process with the real rules, a loopback-only fetch and a Docker config folder of the test's own. */
async function dockerfix(cwd: string, args: string[], opts: { env?: Record<string, string>; stdin?: string } = {}): Promise<Ran> {
  const env = { DOCKER_CONFIG: path.join(cwd, '.no-docker-config'), ...opts.env };
  const io = captureIO({ cwd, env, stdin: opts.stdin });
  const code = await run(args, io, { rules, fetch: loopbackOnly });
  expect(fetched.filter((u) => u.hostname !== '127.0.0.1')).toEqual([]);
  return { code, out: io.out(), err: io.err() };
}

const digestOf = (images: TestImages, tag: string): string => images.tags[tag]!;

describe('--resolve pins to the registry digest', () => {
  it('writes FROM <registry>/dockerfix/app as the version with the same index digest, and --dry-run shows it', async () => {
    const ref = `${registry.host}/dockerfix/app`;
    const dir = tree({ Dockerfile: `FROM ${ref}\nRUN echo hi\n` });
    const pinned = `FROM ${ref}:1.2.3@${app.current.digest}\nRUN echo hi\n`;
    expect(app.current.digest).toBe(digestOf(app, 'latest'));

    const dry = await dockerfix(dir, ['--dry-run', '--resolve', '--select', 'pin-base-image']);
    expect(dry.err).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.out).toContain(`-FROM ${ref}\n+FROM ${ref}:1.2.3@${app.current.digest}\n`);
    expect(dry.out).toContain(`would fix pin-base-image: base image ${ref} is not pinned: pin it as ${ref}:1.2.3@${app.current.digest}`);
    expect(read(dir, 'Dockerfile')).toBe(`FROM ${ref}\nRUN echo hi\n`);

    const r = await dockerfix(dir, ['--resolve']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(read(dir, 'Dockerfile')).toBe(pinned);
    // Pinned now: nothing more to look up or change.
    const again = await dockerfix(dir, ['--check', '--resolve', '--select', 'pin-base-image']);
    expect(again.code).toBe(0);
  });

  it('keeps an explicit tag and adds its digest; --stdin-filepath prints the pinned file', async () => {
    const dir = tree();
    const text = `FROM ${registry.host}/dockerfix/app:1.2.2 AS old\nFROM ${registry.host}/dockerfix/app:1.2\n`;
    const r = await dockerfix(dir, ['--stdin-filepath', 'Dockerfile', '--resolve', '--select', 'pin-base-image'], { stdin: text });
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      `FROM ${registry.host}/dockerfix/app:1.2.2@${app.older.digest} AS old\nFROM ${registry.host}/dockerfix/app:1.2@${app.current.digest}\n`,
    );
  });

  it('looks Docker Hub images up through the configured registryMirrors and writes the name as the user did', async () => {
    const dir = tree({
      '.dockerfixrc.json': JSON.stringify({ registryMirrors: { 'docker.io': registry.host } }),
      Dockerfile: 'FROM node AS build\nFROM docker.io/library/node:1.2\n',
    });
    fetched.length = 0;
    const r = await dockerfix(dir, ['--resolve', '--select', 'pin-base-image']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(read(dir, 'Dockerfile')).toBe(`FROM node:1.2.3@${node.current.digest} AS build\nFROM docker.io/library/node:1.2@${node.current.digest}\n`);
    expect(fetched.length).toBeGreaterThan(0);
    expect(fetched.every((u) => u.host === registry.host)).toBe(true);
  });

  it('passes the option `syntax` of pin-base-image from each file\'s config', async () => {
    const dir = tree({
      '.dockerfixrc.json': JSON.stringify({ rules: { 'pin-base-image': ['on', { syntax: true }] } }),
      Dockerfile: `# syntax=${registry.host}/dockerfix/app:1\nFROM scratch\n`,
      'other/.dockerfixrc.json': '{}',
      'other/Dockerfile': `# syntax=${registry.host}/dockerfix/app:1\nFROM scratch\n`,
    });
    const r = await dockerfix(dir, ['--resolve', '--select', 'pin-base-image', '.']);
    expect(r.code).toBe(0);
    expect(read(dir, 'Dockerfile')).toBe(`# syntax=${registry.host}/dockerfix/app:1@${app.current.digest}\nFROM scratch\n`);
    expect(read(dir, 'other/Dockerfile')).toBe(`# syntax=${registry.host}/dockerfix/app:1\nFROM scratch\n`);
  });
});

describe('--resolve failures are per image', () => {
  it('a missing image or an unreachable registry is a report on its line; other files and images are still pinned; exit 0', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const missing = `${registry.host}/dockerfix/missing:1.0`;
    const dir = tree({
      'a/Dockerfile': `FROM ${missing}\nFROM ${registry.host}/dockerfix/app:1.2.3\n`,
      'b/Dockerfile': `FROM ${closed}/dockerfix/app:1\n`,
      'c/Dockerfile': `FROM ${registry.host}/dockerfix/app:1\n`,
    });
    const r = await dockerfix(dir, ['--resolve', '--select', 'pin-base-image', '.']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain(`a/Dockerfile:1:6: suggestion pin-base-image: ${missing} is not pinned: cannot resolve ${missing}: registry answered 404 for manifest`);
    expect(r.out).toMatch(new RegExp(`b/Dockerfile:1:6: suggestion pin-base-image: ${closed}/dockerfix/app:1 is not pinned: cannot resolve ${closed}/dockerfix/app:1: .+`));
    expect(read(dir, 'a/Dockerfile')).toBe(`FROM ${missing}\nFROM ${registry.host}/dockerfix/app:1.2.3@${app.current.digest}\n`);
    expect(read(dir, 'b/Dockerfile')).toBe(`FROM ${closed}/dockerfix/app:1\n`);
    expect(read(dir, 'c/Dockerfile')).toBe(`FROM ${registry.host}/dockerfix/app:1@${app.current.digest}\n`);
  });

  it('a Dockerfile that does not parse is reported as usual and not looked up', async () => {
    const dir = tree({ 'bad/Dockerfile': `FROM ${proxy.host}/dockerfix/app\nFROBNICATE x\n`, 'good/Dockerfile': `FROM ${registry.host}/dockerfix/app:1\n` });
    const before = proxy.requests.length;
    const r = await dockerfix(dir, ['--resolve', '--select', 'pin-base-image', '.']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('bad/Dockerfile:2:1: error:');
    expect(proxy.requests.length).toBe(before);
    expect(read(dir, 'good/Dockerfile')).toBe(`FROM ${registry.host}/dockerfix/app:1@${app.current.digest}\n`);
  });
});

describe('--resolve with credentials', () => {
  const password = TEST_CREDENTIALS.password;
  const noSecret = (r: Ran): void => {
    expect(r.out).not.toContain(password);
    expect(r.err).not.toContain(password);
    expect(r.out).not.toContain(Buffer.from(`${TEST_CREDENTIALS.username}:${password}`).toString('base64'));
  };

  it('reads them from DOCKER_CONFIG for an htpasswd registry and never prints them (text, json, sarif)', async () => {
    const ref = `${privateRegistry.host}/dockerfix/private`;
    const dir = tree({ Dockerfile: `FROM ${ref}\n` });
    const dockerConfig = tree();
    await writeDockerConfig(dockerConfig, { [privateRegistry.host]: TEST_CREDENTIALS });
    const env = { DOCKER_CONFIG: dockerConfig };
    for (const reporter of ['text', 'json', 'sarif', 'github']) {
      const r = await dockerfix(dir, ['--dry-run', '--resolve', '--reporter', reporter, '--select', 'pin-base-image'], { env });
      expect(r.code).toBe(0);
      expect(r.out).toContain(`${ref}:1.2.3@${privateImages.current.digest}`);
      noSecret(r);
    }
    const json = JSON.parse((await dockerfix(dir, ['--dry-run', '--resolve', '--reporter', 'json'], { env })).out);
    expect(json.files[0].applied.map((f: { ruleId: string }) => f.ruleId)).toContain('pin-base-image');
    const r = await dockerfix(dir, ['--resolve', '--select', 'pin-base-image'], { env });
    noSecret(r);
    expect(read(dir, 'Dockerfile')).toBe(`FROM ${ref}:1.2.3@${privateImages.current.digest}\n`);
  });

  it('without credentials, or with a wrong password, the image is reported and the run goes on; no secret is shown', async () => {
    const ref = `${privateRegistry.host}/dockerfix/private:1`;
    const dir = tree({ Dockerfile: `FROM ${ref}\n` });
    const anonymous = await dockerfix(dir, ['--resolve', '--reporter', 'json', '--select', 'pin-base-image']);
    expect(anonymous.code).toBe(0);
    const report = JSON.parse(anonymous.out).files[0].reports[0];
    expect(report.message).toMatch(new RegExp(`^${ref.replace(/[.]/g, '\\.')} is not pinned: cannot resolve ${ref.replace(/[.]/g, '\\.')}: .*(401|unauthorized|credentials)`, 'i'));

    const wrong = 'wrong-Pa55-do-not-print';
    const dockerConfig = tree();
    await writeDockerConfig(dockerConfig, { [privateRegistry.host]: { username: TEST_CREDENTIALS.username, password: wrong } });
    for (const reporter of ['text', 'json']) {
      const r = await dockerfix(dir, ['--resolve', '--reporter', reporter, '--select', 'pin-base-image'], { env: { DOCKER_CONFIG: dockerConfig } });
      expect(r.code).toBe(0);
      expect(r.out + r.err).not.toContain(wrong);
      expect(r.out).toContain('is not pinned');
    }
    expect(read(dir, 'Dockerfile')).toBe(`FROM ${ref}\n`);
  });

  it('a broken Docker config stops the run with exit 2 and a message naming the file, not its content; nothing is written', async () => {
    const dir = tree({ Dockerfile: `FROM ${registry.host}/dockerfix/app\n` });
    const dockerConfig = tree({ 'config.json': `{"auths": {"${privateRegistry.host}": {"auth": "${password}"` });
    const before = proxy.requests.length;
    for (const reporter of ['text', 'json']) {
      const r = await dockerfix(dir, ['--resolve', '--reporter', reporter], { env: { DOCKER_CONFIG: dockerConfig } });
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toBe(`dockerfix: --resolve: cannot read Docker config ${path.join(dockerConfig, 'config.json')}: not valid JSON\n`);
      noSecret(r);
    }
    expect(read(dir, 'Dockerfile')).toBe(`FROM ${registry.host}/dockerfix/app\n`);
    expect(proxy.requests.length).toBe(before);

    // --stdin-filepath: the input comes back unchanged, as for every error.
    const stdin = await dockerfix(dir, ['--stdin-filepath', 'Dockerfile', '--resolve'], { env: { DOCKER_CONFIG: dockerConfig }, stdin: 'FROM node\n' });
    expect(stdin).toMatchObject({ code: 2, out: 'FROM node\n' });

    // Nothing to look up: the Docker config is not even read.
    const pinned = tree({ Dockerfile: `FROM scratch\n` });
    expect((await dockerfix(pinned, ['--resolve'], { env: { DOCKER_CONFIG: dockerConfig } })).code).toBe(0);
  });
});

describe('network access only with --resolve', () => {
  it('without --resolve no request reaches the registry, whatever the mode; with it, one batch for the whole run', async () => {
    const ref = `${proxy.host}/dockerfix/app`;
    const dir = tree({
      '.dockerfixrc.json': JSON.stringify({ registryMirrors: { 'docker.io': proxy.host } }),
      'a/Dockerfile': `FROM ${ref}\nFROM node:1\n`,
      'b/Dockerfile': `FROM ${ref}\n`,
    });
    const start = proxy.requests.length;
    fetched.length = 0;
    for (const args of [[], ['--dry-run'], ['--check'], ['--unsafe'], ['--reporter', 'json'], ['--dry-run', '--resolve', '--ignore', 'pin-base-image']]) {
      const r = await dockerfix(dir, [...args, '.']);
      expect(r.code).toBeLessThan(2);
    }
    expect(proxy.requests.length).toBe(start);
    expect(fetched).toEqual([]);
    expect(read(dir, 'a/Dockerfile')).toContain(`FROM ${ref}\n`);
    const offline = await dockerfix(dir, ['--dry-run', '--select', 'pin-base-image', '.']);
    expect(offline.out).toContain(`${ref} is not pinned: run with --resolve or add a pin`);

    // The control: the same tree with --resolve goes through the proxy, each image once for both files.
    const r = await dockerfix(dir, ['--dry-run', '--resolve', '--select', 'pin-base-image', '.']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`+FROM ${ref}:1.2.3@${app.current.digest}`);
    expect(r.out).toContain(`+FROM node:1@${node.current.digest}`);
    const seen = proxy.requests.slice(start);
    expect(seen.filter((q) => q.path === '/v2/dockerfix/app/manifests/latest')).toHaveLength(1);
    expect(seen.filter((q) => q.path === '/v2/library/node/manifests/1')).toHaveLength(1);
    expect(seen.filter((q) => q.path === '/v2/')).toHaveLength(1);
  });
});

describe('registryMirrors in config', () => {
  it('is validated like every other key, without echoing a value that may hold credentials', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [['127.0.0.1:5000'], /"registryMirrors" must be an object of registry → host\[:port\]/],
      [{ 'docker.io': 'https://user:s3cret-Mirror@127.0.0.1:5000/' }, /the mirror for "docker.io" must be host\[:port\]/],
      [{ 'docker.io': 5000 }, /the mirror for "docker.io" must be host\[:port\]/],
      [{ 'not a host': '127.0.0.1:5000' }, /"not a host" is not a registry host/],
      [{ 'docker.io': '127.0.0.1:1', 'index.docker.io': '127.0.0.1:2' }, /names Docker Hub again/],
    ];
    for (const [value, message] of cases) {
      const config = JSON.stringify({ registryMirrors: value }, null, 2);
      const dir = tree({ '.dockerfixrc.json': config, Dockerfile: 'FROM scratch\n' });
      const r = await dockerfix(dir, ['--resolve']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).toMatch(/^\.dockerfixrc\.json:\d+:\d+: error: config error: "?registryMirrors/m);
      expect(r.err).not.toContain('s3cret-Mirror');
    }
    const typo = tree({ '.dockerfixrc.json': '{"registryMirror": {}}', Dockerfile: 'FROM scratch\n' });
    expect((await dockerfix(typo, [])).err).toContain('unknown key "registryMirror" (did you mean "registryMirrors"?)');
  });

  it('two configs of one run that send a registry to different hosts stop the run (one batch, one mirror per registry)', async () => {
    const dir = tree({
      'a/.dockerfixrc.json': JSON.stringify({ registryMirrors: { 'docker.io': registry.host } }),
      'a/Dockerfile': 'FROM node\n',
      'b/.dockerfixrc.json': JSON.stringify({ registryMirrors: { 'docker.io': proxy.host } }),
      'b/Dockerfile': 'FROM node\n',
    });
    const r = await dockerfix(dir, ['--resolve', '.']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'dockerfix: --resolve: a/.dockerfixrc.json and b/.dockerfixrc.json set different registryMirrors for docker.io; one run asks one mirror per registry (run them separately, or use --config)\n',
    );
    expect(read(dir, 'a/Dockerfile')).toBe('FROM node\n');
    // Each folder on its own is fine.
    expect((await dockerfix(dir, ['--resolve', '--select', 'pin-base-image', 'a'])).code).toBe(0);
    expect(read(dir, 'a/Dockerfile')).toBe(`FROM node:1.2.3@${node.current.digest}\n`);
  });
});
