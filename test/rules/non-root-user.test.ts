import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { parse } from '../../src/syntax/index.js';
import { fix } from '../../src/fix/index.js';
import { nonRootUser } from '../../src/rules/non-root-user.js';
import { lookupImage, parseImageRef, KNOWN_IMAGES } from '../../src/rules/data/known-images.js';
import { fsBuildContext } from '../../src/cli/build-context.js';
import type { RuleContext } from '../../src/rules/types.js';

const check = (text: string, ctx: Partial<RuleContext> = {}) => nonRootUser.check(parse(text), { options: {}, ...ctx });
const fixtures = path.join(import.meta.dirname, '..', '..', 'fixtures', 'non-root-user');

describe('non-root-user meta', () => {
  it('declares id, DL3002, unsafe, docs and its options', () => {
    expect(nonRootUser.meta.id).toBe('non-root-user');
    expect(nonRootUser.meta.safety).toBe('unsafe');
    expect(nonRootUser.meta.related).toEqual(['DL3002']);
    expect(Object.keys(nonRootUser.meta.options ?? {}).sort()).toEqual(['gid', 'numeric', 'uid', 'user']);
    expect(nonRootUser.meta.docs).toMatch(/docs\.docker\.com/);
  });
});

describe('non-root-user findings', () => {
  it('is always unsafe, with a one-line message and reason', () => {
    const [f] = check('FROM node:20\nCOPY . .\nCMD ["node", "a.js"]\n');
    expect(f.safety).toBe('unsafe');
    expect(f.message).toBe('the final stage runs as root (no USER); add `USER node` (node:20 ships user node)');
    expect(f.reason).toMatch(/may need to write where a non-root user cannot/);
    expect(f.message).not.toMatch(/\n/);
    expect(f.reason).not.toMatch(/\n/);
  });

  it('reports at the root USER when the final stage has one, else at its FROM', () => {
    const text = 'FROM alpine:3.20\nUSER root\nRUN true\n';
    const [f] = check(text);
    expect(text.slice(f.start, f.end)).toBe('USER root');
    const [g] = check('FROM alpine:3.20 AS a\nUSER root\nFROM a\nRUN true\n');
    expect(g.message).toMatch(/^the final stage's last USER is root/);
    expect(parse('FROM alpine:3.20 AS a\nUSER root\nFROM a\nRUN true\n').text.slice(g.start, g.end)).toBe('FROM a');
  });

  it('inserts whole lines at a line start, above the comment block of the start command', () => {
    const text = 'FROM node:20\nCOPY . .\n# hadolint ignore=DL3025\nCMD node a.js\n';
    const [f] = check(text);
    expect(f.edits).toHaveLength(1);
    const e = f.edits![0];
    expect(e.start).toBe(e.end);
    expect(e.start).toBe(text.indexOf('# hadolint'));
    expect(e.text).toBe('USER node\n');
  });

  it('names the last instruction when it appends to a file without a final newline', () => {
    const text = 'FROM alpine:3.20\nRUN true';
    const [f] = check(text);
    expect(f.edits![0].start).toBe(text.length);
    expect(f.edits![0].text.startsWith('\n')).toBe(true);
    expect(f.touches).toEqual([text.indexOf('RUN')]);
  });

  it('suggests, with the reason, when the distribution is unknown', () => {
    const [f] = check('FROM example.com/base:1\nCMD ["/x"]\n');
    expect(f.safety).toBe('suggestion');
    expect(f.edits).toBeUndefined();
    expect(f.reason).toBe('the distribution of example.com/base:1 is unknown, so no user-creation step can be written');
  });

  it('refuses two package-manager families in one chain', () => {
    const [f] = check('FROM example.com/base:1\nRUN apk add curl\nRUN apt-get install -y curl\nCMD ["/x"]\n');
    expect(f.safety).toBe('suggestion');
  });

  it('refuses when the file creates users it cannot read, or several', () => {
    expect(check('FROM debian:12\nRUN useradd "$NAME"\nCMD ["/x"]\n')[0].reason).toMatch(/cannot read/);
    expect(check('FROM debian:12\nRUN useradd a && useradd b\nCMD ["/x"]\n')[0].reason).toMatch(/several users \(a, b\)/);
  });

  it('does not read `adduser USER GROUP` (add to a group) as a creation', () => {
    const [f] = check('FROM node:20\nRUN adduser node staff\nCMD ["node", "a.js"]\n');
    expect(f.message).toMatch(/`USER node`/);
  });

  it('validates options', () => {
    expect(check('FROM alpine:3\nCMD ["/x"]\n', { options: { user: 'bad name' } })[0].reason).toBe('option `user` must be a user name');
    expect(check('FROM alpine:3\nCMD ["/x"]\n', { options: { numeric: 'yes' } })[0].reason).toBe('option `numeric` must be true or false');
    expect(check('FROM alpine:3\nCMD ["/x"]\n', { options: { gid: 0 } })[0].reason).toBe('option `gid` must be a positive integer');
  });

  it('uses the configured user on an image that ships it', () => {
    const [f] = check('FROM node:20\nCMD ["node", "a.js"]\n', { options: { user: 'node', numeric: true } });
    expect(f.edits![0].text).toBe('USER 1000:1000\n');
  });

  it('refuses a configured uid that the base image already uses', () => {
    const [f] = check('FROM node:20\nCMD ["node", "a.js"]\n', { options: { uid: 1000 } });
    expect(f.safety).toBe('suggestion');
    expect(f.reason).toMatch(/already has node with uid\/gid 1000:1000/);
  });

  it('skips images and commands that are non-root already', () => {
    for (const text of [
      'FROM bitnami/postgresql:16\nCOPY a /a\n',
      'FROM gcr.io/distroless/static-debian12:debug-nonroot\nCOPY a /a\n',
      'FROM mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled\nCOPY a /a\n',
      'FROM redis:7\nCOPY redis.conf /usr/local/etc/redis/\n',
      'FROM debian:12\nENTRYPOINT ["chroot", "--userspec=1000:1000", "/", "/app"]\n',
      'FROM debian:12\nCMD s6-setuidgid app /app\n',
      'FROM debian:12\nUSER 1000\n',
    ]) {
      expect(check(text), text).toEqual([]);
    }
  });

  it('keeps the inherited entrypoint check: a postgres file with its own ENTRYPOINT is flagged', () => {
    expect(check('FROM postgres:16\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["postgres"]\n')).toEqual([]);
    expect(check('FROM postgres:16\nENTRYPOINT ["/start.sh"]\n')).toHaveLength(1);
  });

  it('reads an entrypoint script from the build context', () => {
    const bc = fsBuildContext(path.join(fixtures, 'script-drops-privileges-context'));
    const text = 'FROM debian:12\nCOPY docker/entrypoint.sh /usr/local/bin/\nENTRYPOINT ["/usr/local/bin/entrypoint.sh"]\n';
    expect(check(text, { buildContext: bc })).toEqual([]);
    expect(check(text)).toHaveLength(1);
  });

  it('goes through the engine without internal errors and settles', () => {
    const text = 'FROM ubuntu:24.04\r\nRUN apt-get update\r\n# note\r\nHEALTHCHECK CMD true\r\nCMD ["/x"]\r\n';
    const r = fix(text, { rules: [nonRootUser], unsafe: true, context: () => ({ options: {} }) });
    expect(r.internalErrors).toEqual([]);
    expect(r.output).toBe(
      'FROM ubuntu:24.04\r\nRUN apt-get update\r\nRUN groupadd -r -g 10001 app && useradd -r -l -u 10001 -g app --no-log-init app\r\nUSER app\r\n# note\r\nHEALTHCHECK CMD true\r\nCMD ["/x"]\r\n',
    );
  });
});

describe('known-images table', () => {
  it('every entry names its source', () => {
    for (const e of KNOWN_IMAGES) expect(e.source.length, e.repo).toBeGreaterThan(10);
  });

  it('normalises Docker Hub references', () => {
    expect(parseImageRef('docker.io/library/node:20@sha256:abc')).toEqual({ repo: 'node', tag: '20', digest: 'sha256:abc' });
    expect(parseImageRef('localhost:5000/team/app')).toEqual({ repo: 'localhost:5000/team/app', tag: 'latest', digest: null });
    expect(parseImageRef('node@sha256:abc').tag).toBe('');
  });

  it('knows users, distros and entrypoints', () => {
    const node = lookupImage('node:20-alpine');
    expect(node.user).toEqual({ name: 'node', uid: 1000, gid: 1000 });
    expect(node.runsAsNonRoot).toBe(false);
    expect(node.distro).toBe('alpine');
    expect(node.entrypoint).toEqual(['docker-entrypoint.sh']);
    expect(lookupImage('node:20-bookworm-slim').distro).toBe('debian');
    expect(lookupImage('python:3.12').entrypoint).toBeNull();
    expect(lookupImage('postgres:16-alpine').dropsPrivileges).toBe(true);
    expect(lookupImage('eclipse-temurin:21-jre-ubi9-minimal').distro).toBe('rhel-minimal');
    expect(lookupImage('registry.access.redhat.com/ubi9/ubi-minimal:9.4').distro).toBe('rhel-minimal');
    expect(lookupImage('registry.access.redhat.com/ubi9').distro).toBe('rhel');
    expect(lookupImage('mcr.microsoft.com/dotnet/runtime:8.0-azurelinux3.0').distro).toBeUndefined();
    expect(lookupImage('example.com/x:1').known).toBe(false);
    expect(lookupImage('node:${V}').known).toBe(false);
  });

  it('knows which images run as non-root already', () => {
    expect(lookupImage('gcr.io/distroless/static-debian12:nonroot').runsAsNonRoot).toBe(true);
    expect(lookupImage('gcr.io/distroless/static-debian12:nonroot-arm64').runsAsNonRoot).toBe(true);
    expect(lookupImage('gcr.io/distroless/static-debian12').runsAsNonRoot).toBe(false);
    expect(lookupImage('gcr.io/distroless/static-debian12').user?.uid).toBe(65532);
    expect(lookupImage('nginxinc/nginx-unprivileged:stable').user?.uid).toBe(101);
    expect(lookupImage('docker.io/bitnami/nginx:1.27').user).toEqual({ uid: 1001, gid: 0 });
    expect(lookupImage('bitnami/nginx').runsAsNonRoot).toBe(true);
  });

  it('knows that Ubuntu 23.04+ ships uid 1000', () => {
    expect(lookupImage('ubuntu:24.04').user?.name).toBe('ubuntu');
    expect(lookupImage('ubuntu:noble-20240801').user?.uid).toBe(1000);
    expect(lookupImage('ubuntu:latest').user?.uid).toBe(1000);
    expect(lookupImage('ubuntu:22.04').user).toBeUndefined();
    expect(lookupImage('ubuntu:jammy').user).toBeUndefined();
  });
});

describe('non-root-user with a configured user the file creates itself', () => {
  it('switches to it instead of creating it twice', () => {
    const [f] = check('FROM debian:12\nRUN useradd -r -u 900 svc\nCMD ["/x"]\n', { options: { user: 'svc' } });
    expect(f.edits![0].text).toBe('USER svc\n');
    const [g] = check('FROM debian:12\nRUN useradd -r -u 900 svc\nCMD ["/x"]\n', { options: { user: 'svc', numeric: true } });
    expect(g.edits![0].text).toBe('USER 900\n');
    const [h] = check('FROM debian:12\nRUN useradd -r other\nCMD ["/x"]\n', { options: { user: 'svc' } });
    expect(h.edits![0].text).toMatch(/useradd -r -l -u 10001 -g svc --no-log-init svc\nUSER svc\n$/);
  });
});
