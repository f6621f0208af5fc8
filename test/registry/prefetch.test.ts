/**
 * The `--resolve` step of pin-base-image: collectImageReferences (which
 * references the rule needs) and resolveReferences against REAL registries
 * on 127.0.0.1 (anonymous, and htpasswd with credentials from a Docker
 * config), then the whole way through the fix engine.
 *
 * Every client here uses a fetch that refuses any host but 127.0.0.1, so a
 * regression that leaks a lookup to Docker Hub fails instead of going out.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fix } from '../../src/fix/index.js';
import { DockerConfigCredentials, RegistryClient } from '../../src/registry/index.js';
import { collectImageReferences, type ResolveResult, resolveReferences } from '../../src/registry/prefetch.js';
import { pinBaseImage } from '../../src/rules/pin-base-image.js';
import { parse } from '../../src/syntax/index.js';
import {
  type Proxy,
  pushTestImages,
  type RegistryServer,
  startProxy,
  startRegistry,
  TEST_CREDENTIALS,
  type TestImages,
  writeDockerConfig,
} from '../helpers/registry-server.js';

let registry: RegistryServer;
let app: TestImages;
let node: TestImages;
let privateRegistry: RegistryServer;
let privateImages: TestImages;
let dir: string;
const proxies: Proxy[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dockerfix-prefetch-'));
  registry = await startRegistry();
  app = await pushTestImages(registry, 'dockerfix/app');
  // What `FROM node` means on Docker Hub, served by the loopback mirror.
  node = await pushTestImages(registry, 'library/node');
  privateRegistry = await startRegistry({ auth: 'htpasswd' });
  privateImages = await pushTestImages(privateRegistry, 'dockerfix/private');
});

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await registry?.stop();
  await privateRegistry?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A client whose every request must go to 127.0.0.1; the URLs are recorded. */
function loopbackClient(options: ConstructorParameters<typeof RegistryClient>[0] = {}): { client: RegistryClient; urls: URL[] } {
  const urls: URL[] = [];
  const guarded: typeof fetch = (input, init) => {
    const url = new URL(String(input));
    urls.push(url);
    if (url.hostname !== '127.0.0.1') return Promise.reject(new Error(`test tried to contact ${url.host}`));
    return fetch(input, init);
  };
  return { client: new RegistryClient({ ...options, fetch: guarded }), urls };
}

function pinWith(text: string, resolved: Map<string, ResolveResult>) {
  return fix(text, { rules: [pinBaseImage], context: () => ({ options: {}, resolved }) });
}

describe('collectImageReferences', () => {
  it('lists the references the rule looks up, as written, once each, in file order', () => {
    const doc = parse(
      [
        '# syntax=docker/dockerfile:1',
        'ARG BASE=node:22',
        'ARG TAG=3.20',
        'FROM ${BASE} AS build',
        'COPY --from=nginx:1.27 /etc/nginx /etc/nginx',
        'RUN --mount=type=bind,from=golang:1.23,target=/go true',
        'FROM build AS test',
        'FROM scratch',
        'COPY --from=build /out /out',
        'COPY --from=0 /out /out2',
        'COPY --from=nginx:1.27 /usr/share/nginx /usr/share/nginx',
        `FROM python:3.13@sha256:${'a'.repeat(64)}`,
        'FROM alpine:${TAG}',
        'FROM ubuntu',
        '',
      ].join('\n'),
    );
    // alpine:${TAG} is assembled from an ARG: the rule only reports it, so it is not looked up.
    expect(collectImageReferences(doc)).toEqual(['node:22', 'nginx:1.27', 'golang:1.23', 'ubuntu']);
    expect(collectImageReferences(doc, { syntax: true })).toEqual(['docker/dockerfile:1', 'node:22', 'nginx:1.27', 'golang:1.23', 'ubuntu']);
  });
});

describe('resolveReferences against a real registry', () => {
  it('resolves an untagged reference to the most specific version with the index digest of latest', async () => {
    const ref = `${registry.host}/dockerfix/app`;
    const doc = parse(`FROM ${ref}\n`);
    expect(collectImageReferences(doc)).toEqual([ref]);
    const { client, urls } = loopbackClient();
    const resolved = await resolveReferences(collectImageReferences(doc), client);
    expect(resolved).toEqual(new Map([[ref, { tag: '1.2.3', digest: app.current.digest }]]));
    expect(app.current.platformManifests).not.toContain(app.current.digest);
    expect(urls.every((u) => u.host === registry.host)).toBe(true);
  });

  it('resolves `latest` the same way and an explicit tag to its own digest', async () => {
    const { client } = loopbackClient();
    const latest = `${registry.host}/dockerfix/app:latest`;
    const older = `${registry.host}/dockerfix/app:1.2.2`;
    const minor = `${registry.host}/dockerfix/app:1.2`;
    const resolved = await resolveReferences([latest, older, minor], client);
    expect([...resolved]).toEqual([
      [latest, { tag: '1.2.3', digest: app.current.digest }],
      [older, { tag: '1.2.2', digest: app.older.digest }],
      [minor, { tag: '1.2', digest: app.current.digest }],
    ]);
  });

  it('resolves `FROM node` through a docker.io mirror, looking up library/node but keeping the written name', async () => {
    const doc = parse('FROM node\nFROM docker.io/library/node:1.2\n');
    const refs = collectImageReferences(doc);
    expect(refs).toEqual(['node', 'docker.io/library/node:1.2']);
    const { client, urls } = loopbackClient();
    const resolved = await resolveReferences(refs, client, { mirrors: { 'docker.io': registry.host } });
    expect(resolved.get('node')).toEqual({ tag: '1.2.3', digest: node.current.digest });
    expect(resolved.get('docker.io/library/node:1.2')).toEqual({ tag: '1.2', digest: node.current.digest });
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.every((u) => u.host === registry.host)).toBe(true);
    expect(urls.filter((u) => u.pathname !== '/v2/').every((u) => u.pathname.startsWith('/v2/library/node/'))).toBe(true);

    const result = pinWith('FROM node\nFROM docker.io/library/node:1.2\n', resolved);
    expect(result.output).toBe(`FROM node:1.2.3@${node.current.digest}\nFROM docker.io/library/node:1.2@${node.current.digest}\n`);
    expect(result.internalErrors).toEqual([]);
  });

  it('accepts the Docker Hub host names as mirror keys, and turns an invalid mirror into per-image errors', async () => {
    const { client } = loopbackClient();
    const viaIndex = await resolveReferences(['node:1'], client, { mirrors: { 'index.docker.io': registry.host } });
    expect(viaIndex.get('node:1')).toEqual({ tag: '1', digest: node.current.digest });
    const bad = await resolveReferences(['node', `${registry.host}/dockerfix/app:1`], client, { mirrors: { 'docker.io': 'http://127.0.0.1:1/' } });
    expect(bad.get('node')).toEqual({ error: 'invalid mirror for docker.io: expected host[:port]' });
    const leaky = await resolveReferences(['node'], client, { mirrors: { 'docker.io': 'user:s3cret-Pw@127.0.0.1:5000' } });
    expect(JSON.stringify([...leaky])).not.toContain('s3cret-Pw');
    expect(bad.get(`${registry.host}/dockerfix/app:1`)).toEqual({ tag: '1', digest: app.current.digest });
  });

  it('gives a missing image its own error and still resolves the others', async () => {
    const missing = `${registry.host}/dockerfix/missing:1`;
    const missingTag = `${registry.host}/dockerfix/app:9.9.9`;
    const good = `${registry.host}/dockerfix/app:1.2.3`;
    const { client } = loopbackClient();
    const resolved = await resolveReferences([missing, good, missingTag], client);
    expect(resolved.get(good)).toEqual({ tag: '1.2.3', digest: app.current.digest });
    expect(resolved.get(missing)).toEqual({ error: `cannot resolve ${missing}: registry answered 404 for manifest` });
    expect(resolved.get(missingTag)).toEqual({ error: `cannot resolve ${missingTag}: registry answered 404 for manifest` });

    const text = `FROM ${missing}\nFROM ${good}\n`;
    const result = pinWith(text, resolved);
    expect(result.output).toBe(`FROM ${missing}\nFROM ${good}@${app.current.digest}\n`);
    expect(result.reports.map((r) => r.message)).toEqual([`${missing} is not pinned: cannot resolve ${missing}: registry answered 404 for manifest`]);
  });

  it('reports a mirror in the error when the lookup went through one', async () => {
    const { client } = loopbackClient();
    const resolved = await resolveReferences(['node-missing:1'], client, { mirrors: { 'docker.io': registry.host } });
    expect(resolved.get('node-missing:1')).toEqual({
      error: `cannot resolve node-missing:1: registry answered 404 for manifest (via mirror ${registry.host})`,
    });
  });

  it('pins `latest` to its digest when the registry refuses to list tags', async () => {
    const proxy = await startProxy({
      target: registry.url,
      intercept: (_req, res, url) => {
        if (!url.pathname.endsWith('/tags/list')) return false;
        res.writeHead(403, { 'content-type': 'application/json' }).end('{"errors":[{"code":"DENIED"}]}');
        return true;
      },
    });
    proxies.push(proxy);
    const ref = `${proxy.host}/dockerfix/app`;
    const { client } = loopbackClient();
    const resolved = await resolveReferences([ref], client);
    expect(resolved.get(ref)).toEqual({ tag: 'latest', digest: app.current.digest });
    expect(pinWith(`FROM ${ref}\n`, resolved).output).toBe(`FROM ${ref}:latest@${app.current.digest}\n`);
  });
});

describe('resolveReferences with an htpasswd registry', () => {
  it('resolves with credentials from the Docker config, and without them fails per image with no secret in the message', async () => {
    await writeDockerConfig(dir, { [privateRegistry.host]: TEST_CREDENTIALS });
    const credentials = await DockerConfigCredentials.load({ env: { DOCKER_CONFIG: dir } });
    const ref = `${privateRegistry.host}/dockerfix/private`;
    const tagged = `${privateRegistry.host}/dockerfix/private:1.2.2`;

    const withCredentials = await resolveReferences([ref, tagged], loopbackClient({ credentials }).client);
    expect(withCredentials.get(ref)).toEqual({ tag: '1.2.3', digest: privateImages.current.digest });
    expect(withCredentials.get(tagged)).toEqual({ tag: '1.2.2', digest: privateImages.older.digest });

    const anonymous = await resolveReferences([ref, `${registry.host}/dockerfix/app:1`], loopbackClient().client);
    expect(anonymous.get(ref)).toEqual({
      error: `cannot resolve ${ref}: registry answered 401 for manifest (no credentials for ${privateRegistry.host} in the Docker config)`,
    });
    expect(anonymous.get(`${registry.host}/dockerfix/app:1`)).toEqual({ tag: '1', digest: app.current.digest });

    const wrong = DockerConfigCredentials.fromConfig({
      auths: { [privateRegistry.host]: { username: TEST_CREDENTIALS.username, password: 'wrong-Pw-77k' } },
    });
    const refused = await resolveReferences([ref], loopbackClient({ credentials: wrong }).client);
    const secrets = [TEST_CREDENTIALS.password, 'wrong-Pw-77k', 'Basic ', Buffer.from(`${TEST_CREDENTIALS.username}:wrong-Pw-77k`).toString('base64')];
    for (const map of [anonymous, refused]) {
      const printed = inspect(map, { depth: 5 }) + JSON.stringify([...map]);
      for (const secret of secrets) expect(printed).not.toContain(secret);
    }
    expect(refused.get(ref)).toEqual({
      error: `cannot resolve ${ref}: registry answered 401 for manifest (the credentials for ${privateRegistry.host} were refused)`,
    });
  });
});

describe('through the fix engine', () => {
  it('pins FROM, COPY --from and an ARG default from the resolved map, and the meaning check passes', async () => {
    const host = registry.host;
    const text = [
      `ARG BASE=${host}/dockerfix/app:1.2`,
      'FROM ${BASE} AS build',
      'RUN echo build',
      '',
      `FROM --platform=linux/amd64 ${host}/dockerfix/app`,
      `COPY --from=${host}/dockerfix/app:1.2.2 /hello.txt /old.txt`,
      'COPY --from=build /hello.txt /hello.txt',
      '',
    ].join('\n');
    const doc = parse(text);
    const refs = collectImageReferences(doc);
    expect(refs).toEqual([`${host}/dockerfix/app:1.2`, `${host}/dockerfix/app`, `${host}/dockerfix/app:1.2.2`]);
    const resolved = await resolveReferences(refs, loopbackClient().client);

    const result = pinWith(text, resolved);
    expect(result.internalErrors).toEqual([]);
    expect(result.withheld).toEqual([]);
    expect(result.reports).toEqual([]);
    expect(result.applied).toHaveLength(3);
    expect(result.applied.every((f) => f.safety === 'safe')).toBe(true);
    expect(result.output).toBe(
      [
        `ARG BASE=${host}/dockerfix/app:1.2@${app.current.digest}`,
        'FROM ${BASE} AS build',
        'RUN echo build',
        '',
        `FROM --platform=linux/amd64 ${host}/dockerfix/app:1.2.3@${app.current.digest}`,
        `COPY --from=${host}/dockerfix/app:1.2.2@${app.older.digest} /hello.txt /old.txt`,
        'COPY --from=build /hello.txt /hello.txt',
        '',
      ].join('\n'),
    );
    // Pinned references are skipped: a second run has nothing to do or look up.
    expect(collectImageReferences(parse(result.output))).toEqual([]);
    expect(pinWith(result.output, new Map()).output).toBe(result.output);
  });
});
