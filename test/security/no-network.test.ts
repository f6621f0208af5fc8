/**
 * No network access unless --resolve is given: the real CLI runs with a
 * preload (network-guard.mjs) that records and refuses every socket, DNS
 * lookup, http(s) request and fetch, over Dockerfiles naming images
 * everywhere (FROM, COPY --from, RUN --mount=from, ARG defaults, the syntax
 * directive, private registries), with credentials and mirrors configured.
 * Then the sanity check: with --resolve against a registry on 127.0.0.1 the
 * guard does see the connection.
 *
 * Registry credentials going only to their own host (and being dropped on a
 * redirect to another host) is covered by test/registry/redirect.test.ts.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, tempTree } from '../hostile/harness.js';

beforeAll(ensureBuilt, 180_000);

const GUARD = path.join(import.meta.dirname, 'network-guard.mjs');

const DOCKERFILES: Record<string, string> = {
  'hub/Dockerfile': 'FROM alpine\nRUN apk add curl\nCMD curl https://example.com\n',
  'tags/Dockerfile': 'FROM node:20 as build\nCOPY . .\nRUN npm ci\nFROM node:20-slim\nCOPY --from=build /app /app\nCMD ["node", "server.js"]\n',
  'registries/Dockerfile':
    '# syntax=docker/dockerfile:1\nFROM ghcr.io/acme/base:1.2 AS base\nFROM registry.example.com:5000/team/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n' +
    'COPY --from=docker.io/library/busybox:1.36 /bin/busybox /bin/\nRUN --mount=type=bind,from=quay.io/x/y:2,target=/y true\n',
  'args/Dockerfile': 'ARG BASE=python:3.12-slim\nFROM ${BASE}\nARG TAG=latest\nFROM mcr.microsoft.com/dotnet/sdk:${TAG}\nMAINTAINER someone <a@b.c>\n',
  'private/Containerfile': 'FROM 10.0.0.7:5000/internal/img\nUSER root\nWORKDIR app\n',
  'package.json': JSON.stringify({ name: 'x', scripts: { start: 'node server.js' } }),
  '.dockerfixrc.json': JSON.stringify({ pins: { node: '20.11.1' }, registryMirrors: { 'docker.io': 'mirror.example.com' } }),
  'docker-config/config.json': JSON.stringify({ auths: { 'ghcr.io': { auth: Buffer.from('user:secret').toString('base64') } }, credsStore: 'desktop' }),
};

interface Attempt {
  kind: string;
  detail: string;
}

function attempts(log: string): Attempt[] {
  return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Attempt) : [];
}

describe('without --resolve no socket is ever attempted', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempTree(DOCKERFILES);
  });

  it.each([
    ['--check', ['--check', '.']],
    ['--dry-run --unsafe', ['--dry-run', '--unsafe', '.']],
    ['--format (writing)', ['--format', '.']],
    ['the default fixing run with --unsafe', ['--unsafe', '.']],
    ['--reporter sarif', ['--check', '--reporter', 'sarif', '.']],
    ['--stdin-filepath', ['--stdin-filepath', 'hub/Dockerfile', '--unsafe']],
    ['--write-dockerignore', ['--write-dockerignore', '.']],
    ['--explain pin-base-image', ['--explain', 'pin-base-image']],
  ] as const)('%s', async (_name, args) => {
    const log = path.join(tempTree(), 'net.log');
    const r = await runCli([...args], {
      cwd: dir,
      nodeArgs: ['--import', GUARD],
      env: { DOCKERFIX_NET_LOG: log, DOCKERFIX_NET_MODE: 'deny', DOCKER_CONFIG: path.join(dir, 'docker-config') },
      input: args.includes('--stdin-filepath') ? DOCKERFILES['hub/Dockerfile'] : undefined,
      timeoutMs: 60_000,
    });
    expect(fs.existsSync(log), 'the guard was not loaded').toBe(true);
    expect(attempts(log)).toEqual([]);
    expect(r.err).not.toMatch(/network-guard|internal error/);
    expect(r.signal).toBeNull();
    expect(r.code, r.err).toBeLessThan(2); // the files really were processed
  }, 90_000);
});

describe('with --resolve the registry IS contacted (the guard works)', () => {
  let server: http.Server;
  let port = 0;
  const requests: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"NAME_UNKNOWN","message":"no"}]}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('records a connection to 127.0.0.1:<port> and the registry sees the request', async () => {
    const dir = tempTree({ Dockerfile: `FROM 127.0.0.1:${port}/team/app:1.0\nRUN true\n` });
    const log = path.join(tempTree(), 'net.log');
    const r = await runCli(['--check', '--resolve', '--select', 'pin-base-image', 'Dockerfile'], {
      cwd: dir,
      nodeArgs: ['--import', GUARD],
      env: { DOCKERFIX_NET_LOG: log, DOCKERFIX_NET_MODE: 'record', DOCKER_CONFIG: path.join(dir, 'no-docker-config') },
      timeoutMs: 60_000,
    });
    expect(r.signal).toBeNull();
    const seen = attempts(log);
    expect(seen.some((a) => a.kind === 'fetch' && a.detail.startsWith(`http://127.0.0.1:${port}/v2/`))).toBe(true);
    expect(seen.some((a) => a.kind === 'net.Socket.connect' && a.detail.includes(String(port)))).toBe(true);
    expect(requests.length).toBeGreaterThan(0);
  }, 90_000);
});
