/**
 * pin-base-image with registry answers (`ctx.resolved`). The map is plain
 * data the CLI builds before the rules run (see src/registry/prefetch.ts and
 * test/registry/prefetch.test.ts for the real lookups), so these tests build
 * it by hand. Config pins are covered by fixtures/pin-base-image.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fix, type FixResult } from '../../src/fix/index.js';
import { pinBaseImage } from '../../src/rules/pin-base-image.js';
import { ruleById } from '../../src/rules/index.js';
import type { ResolvedImage } from '../../src/rules/types.js';
import { parse } from '../../src/syntax/index.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

type Answers = Record<string, ResolvedImage | { error: string }>;

function run(text: string, answers: Answers, extra: { pins?: Record<string, string>; options?: Record<string, unknown>; unsafe?: boolean } = {}): FixResult {
  const resolved = new Map(Object.entries(answers));
  return fix(text, {
    rules: [pinBaseImage],
    unsafe: extra.unsafe ?? false,
    context: () => ({ options: extra.options ?? {}, pins: extra.pins, resolved }),
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('pin-base-image meta', () => {
  it('is registered with its hadolint ids and the syntax option', () => {
    expect(ruleById('pin-base-image')).toBe(pinBaseImage);
    expect(pinBaseImage.meta).toMatchObject({ id: 'pin-base-image', safety: 'safe', related: ['DL3006', 'DL3007'] });
    expect(Object.keys(pinBaseImage.meta.options ?? {})).toEqual(['syntax']);
  });
});

describe('pin-base-image with resolved answers', () => {
  it('pins an untagged reference to the version tag that has the same digest, as a safe fix', () => {
    const r = run('FROM node\nRUN node --version\n', { node: { tag: '1.2.3', digest: D1 } });
    expect(r.output).toBe(`FROM node:1.2.3@${D1}\nRUN node --version\n`);
    expect(r.internalErrors).toEqual([]);
    expect(r.applied).toHaveLength(1);
    expect(r.applied[0].safety).toBe('safe');
    expect(r.applied[0].reason).toBe('node:1.2.3 has the same digest as node:latest today: the build is the same today');
  });

  it('pins `latest` as `latest@digest` when no version tag matched', () => {
    const r = run('FROM node:latest\n', { 'node:latest': { tag: 'latest', digest: D1 } });
    expect(r.output).toBe(`FROM node:latest@${D1}\n`);
    expect(r.applied[0].reason).toBe('the digest node:latest points to today: the build is the same today');
  });

  it('writes `name:latest@digest` for an untagged reference without a version', () => {
    expect(run('FROM node\n', { node: { tag: 'latest', digest: D1 } }).output).toBe(`FROM node:latest@${D1}\n`);
  });

  it('keeps an explicit tag and adds its digest (the answer cannot rename a tag the user chose)', () => {
    const r = run('FROM node:22-alpine AS build\n', { 'node:22-alpine': { tag: '22.11.0-alpine3.20', digest: D1 } });
    expect(r.output).toBe(`FROM node:22-alpine@${D1} AS build\n`);
    expect(r.applied[0].safety).toBe('safe');
  });

  it('looks answers up by the reference as written (no canonical aliasing)', () => {
    const r = run('FROM docker.io/library/node:22\n', { 'node:22': { tag: '22', digest: D1 } });
    expect(r.output).toBe('FROM docker.io/library/node:22\n');
    expect(r.reports.map((f) => f.message)).toEqual(['docker.io/library/node:22 is not pinned: run with --resolve or add a pin']);
  });

  it('reports a lookup error without a fix, naming the image and the error on one line', () => {
    const r = run('FROM node:22\nFROM python:3.13\n', {
      'node:22': { error: 'cannot resolve node:22: registry answered 404 for manifest' },
      'python:3.13': { tag: '3.13', digest: D2 },
    });
    expect(r.output).toBe(`FROM node:22\nFROM python:3.13@${D2}\n`);
    expect(r.reports).toHaveLength(1);
    expect(r.reports[0]).toMatchObject({ line: 1, safety: 'suggestion' });
    expect(r.reports[0].message).toBe('node:22 is not pinned: cannot resolve node:22: registry answered 404 for manifest');
    const multi = run('FROM node\n', { node: { error: 'line one\nline two' } });
    expect(multi.reports[0].message).toBe('node is not pinned: line one line two');
  });

  it('refuses an answer that is not a valid tag and digest', () => {
    const r = run('FROM node:22\n', { 'node:22': { tag: '22', digest: 'sha256:nothex' } });
    expect(r.output).toBe('FROM node:22\n');
    expect(r.reports[0].message).toBe('node:22 is not pinned: the registry answer is not a valid tag and digest');
  });

  it('pins an ARG default through its answer and names the FROMs that read it', () => {
    const text = 'ARG BASE=node\nFROM ${BASE} AS build\nFROM $BASE\nCOPY --from=build /a /a\n';
    const r = run(text, { node: { tag: '1.2.3', digest: D1 } });
    expect(r.output).toBe(`ARG BASE=node:1.2.3@${D1}\nFROM \${BASE} AS build\nFROM $BASE\nCOPY --from=build /a /a\n`);
    expect(r.internalErrors).toEqual([]);
    expect(r.applied).toHaveLength(1);
    const doc = parse(text);
    const [finding] = pinBaseImage.check(doc, { options: {}, resolved: new Map([['node', { tag: '1.2.3', digest: D1 }]]) });
    expect(finding.touches).toEqual([doc.instructions[1].start, doc.instructions[2].start]);
    expect(finding.edits).toEqual([{ start: 9, end: 13, text: `node:1.2.3@${D1}` }]);
  });

  it('pins COPY --from and RUN --mount from= images, and the syntax image only when asked', () => {
    const text = [
      '# syntax=docker/dockerfile:1',
      `FROM alpine:3.20@${D2}`,
      'COPY --from=nginx:1.27 /etc/nginx /etc/nginx',
      'RUN --mount=type=cache,target=/c --mount=from=golang:1.23,source=/usr/local/go,target=/go /go/bin/go version',
      '',
    ].join('\n');
    const answers: Answers = {
      'docker/dockerfile:1': { tag: '1', digest: D1 },
      'nginx:1.27': { tag: '1.27', digest: D1 },
      'golang:1.23': { tag: '1.23', digest: D2 },
    };
    const without = run(text, answers);
    expect(without.output).toBe(
      text.replace('nginx:1.27', `nginx:1.27@${D1}`).replace('from=golang:1.23', `from=golang:1.23@${D2}`),
    );
    const withSyntax = run(text, answers, { options: { syntax: true } });
    expect(withSyntax.output).toBe(without.output.replace('docker/dockerfile:1', `docker/dockerfile:1@${D1}`));
    expect(withSyntax.internalErrors).toEqual([]);
    expect(withSyntax.applied).toHaveLength(3);
  });

  it('prefers a configured pin: another version stays unsafe even when the registry answered', () => {
    const r = run('FROM node\n', { node: { tag: '1.2.3', digest: D1 } }, { pins: { node: '22' } });
    expect(r.output).toBe('FROM node\n');
    expect(r.withheld).toHaveLength(1);
    expect(r.withheld[0].reason).toBe('picks another version: node:22 instead of node:latest (configured pin "node")');
    expect(run('FROM node\n', { node: { tag: '1.2.3', digest: D1 } }, { pins: { node: '22' }, unsafe: true }).output).toBe('FROM node:22\n');
  });

  it('adds the registry digest to a reference that already has the configured tag', () => {
    const r = run('FROM node:22\n', { 'node:22': { tag: '22', digest: D1 } }, { pins: { node: '22' } });
    expect(r.output).toBe(`FROM node:22@${D1}\n`);
    expect(r.applied[0].safety).toBe('safe');
  });

  it('never does I/O while checking', () => {
    const spy = vi.spyOn(globalThis, 'fetch');
    run('FROM node\nFROM python:3.13\n', {});
    expect(spy).not.toHaveBeenCalled();
  });
});
