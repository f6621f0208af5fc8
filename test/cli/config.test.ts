/** Config discovery and its cache (a monorepo must not re-read configs per Dockerfile). */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, ConfigResolver } from '../../src/cli/config.js';
import { dockerfix, testRules, tree } from './helpers.js';

afterEach(() => vi.restoreAllMocks());

describe('ConfigResolver', () => {
  it('reads each config file once for many Dockerfiles, and each folder is searched once', () => {
    const files: Record<string, string> = { '.dockerfixrc.json': JSON.stringify({ pins: { node: '22' } }) };
    for (let i = 0; i < 50; i++) files[`svc${i}/a/b/Dockerfile`] = '';
    const dir = tree(files);
    const resolver = new ConfigResolver(testRules);
    const read = vi.spyOn(fs, 'readFileSync');
    for (let i = 0; i < 50; i++) expect(resolver.forFile(path.join(dir, `svc${i}/a/b/Dockerfile`)).pins).toEqual({ node: '22' });
    const found = read.mock.calls.filter(([p], i) => String(p).endsWith('.dockerfixrc.json') && read.mock.results[i].type === 'return');
    expect(found).toHaveLength(1);
    // 50 × (svc, a, b) folders plus the root, each probed once for 3 names.
    expect(read.mock.calls.length).toBeLessThanOrEqual(3 * (50 * 3 + 1) + 1);
  });

  it('without any config gives the defaults', () => {
    const dir = tree({ 'Dockerfile': '' });
    const c = new ConfigResolver(testRules).forFile(path.join(dir, 'Dockerfile'));
    expect(c.file === null || !c.file.startsWith(dir)).toBe(true);
  });

  it('a config error is thrown again (from the cache) for every file under it', () => {
    const dir = tree({ '.dockerfixrc.json': '{"x": 1}', 'a/Dockerfile': '', 'b/Dockerfile': '' });
    const resolver = new ConfigResolver(testRules);
    for (const f of ['a/Dockerfile', 'b/Dockerfile']) {
      expect(() => resolver.forFile(path.join(dir, f))).toThrow(ConfigError);
    }
  });

  it('prefers .dockerfixrc.json over dockerfix.config.json over package.json in one folder', () => {
    const dir = tree({
      '.dockerfixrc.json': JSON.stringify({ pins: { a: '1' } }),
      'dockerfix.config.json': JSON.stringify({ pins: { a: '2' } }),
      'package.json': JSON.stringify({ dockerfix: { pins: { a: '3' } } }),
      'two/dockerfix.config.json': JSON.stringify({ pins: { a: '2' } }),
      'two/package.json': JSON.stringify({ dockerfix: { pins: { a: '3' } } }),
      'three/package.json': JSON.stringify({ dockerfix: { pins: { a: '3' } } }),
    });
    const r = new ConfigResolver(testRules);
    expect(r.forFile(path.join(dir, 'Dockerfile')).pins).toEqual({ a: '1' });
    expect(r.forFile(path.join(dir, 'two/Dockerfile')).pins).toEqual({ a: '2' });
    expect(r.forFile(path.join(dir, 'three/Dockerfile')).pins).toEqual({ a: '3' });
  });

  it('a package.json that mentions dockerfix but does not parse is an error, not skipped', () => {
    const dir = tree({ 'package.json': '{ "dockerfix": { , }' });
    expect(() => new ConfigResolver(testRules).forFile(path.join(dir, 'Dockerfile'))).toThrow(/invalid JSON/);
  });
});

describe('many files', () => {
  it('400 Dockerfiles in nested folders with configs: quick, and every file fixed', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) {
      files[`team${i}/.dockerfixrc.json`] = JSON.stringify({ rules: { 'test-pin': i % 2 ? 'unsafe' : 'on' } });
      for (let j = 0; j < 10; j++) files[`team${i}/svc${j}/Dockerfile`] = 'FROM alpine as build\nRUN apt-get install -y x\n';
    }
    const dir = tree(files);
    const started = performance.now();
    const r = await dockerfix(dir, ['.']);
    const ms = performance.now() - started;
    expect(r.code).toBe(0);
    expect(r.out).toContain('Fixed 400 files: 600 fixes applied (400 files checked).');
    expect(fs.readFileSync(path.join(dir, 'team1/svc0/Dockerfile'), 'utf8')).toBe('FROM alpine:3.20 AS build\nRUN apt-get install -y x\n');
    expect(fs.readFileSync(path.join(dir, 'team0/svc0/Dockerfile'), 'utf8')).toBe('FROM alpine AS build\nRUN apt-get install -y x\n');
    // Generous bound for a loaded 2-core CI machine; typically a few hundred ms.
    expect(ms).toBeLessThan(15_000);
  });
});
