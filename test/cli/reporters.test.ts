/** The machine-readable reporters: shapes other tools depend on. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerfix, read, tree } from './helpers.js';

const FIXABLE = 'FROM alpine as build\nRUN apt-get install -y curl\n';
const BROKEN = 'FROM alpine\nRUN <<EOF\necho\n';

describe('--reporter json', () => {
  it('has the documented shape', async () => {
    const dir = tree({ 'a/Dockerfile': FIXABLE, 'b/Dockerfile': BROKEN, 'c/Dockerfile': 'FROM scratch\n' });
    const r = await dockerfix(dir, ['--check', '--reporter', 'json', '.']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({
      schemaVersion: 1,
      tool: { name: 'dockerfix', version: expect.any(String) },
      check: true,
      dryRun: false,
      unsafe: false,
      format: false,
      exitCode: 2,
      summary: { files: 3, changed: 1, written: 0, formatted: 0, errors: 1, applied: 1, withheld: 1, reports: 1, internalErrors: 0 },
    });
    expect(doc.files).toHaveLength(3);
    expect(doc.files[0]).toEqual({
      path: path.join('a', 'Dockerfile'),
      status: 'changed',
      written: false,
      formatted: false,
      applied: [{ ruleId: 'test-from-as', line: 1, column: 1, safety: 'safe', message: 'write AS in upper case', reason: 'keywords are case-insensitive' }],
      withheld: [{ ruleId: 'test-pin', line: 1, column: 1, safety: 'unsafe', message: 'pin alpine to 3.20', reason: 'a pinned tag stops picking up new releases' }],
      reports: [{ ruleId: 'test-apt', line: 2, column: 1, safety: 'suggestion', message: 'add --no-install-recommends', reason: "which packages are wanted is the author's call" }],
      errors: [],
      internalErrors: [],
      proposedFiles: [],
    });
    expect(doc.files[1]).toMatchObject({ path: path.join('b', 'Dockerfile'), status: 'error', errors: [{ message: 'unterminated heredoc "EOF"', line: 2, column: 5 }] });
    expect(doc.files[2]).toMatchObject({ status: 'unchanged' });
    // Human-readable errors still go to stderr; stdout stays pure JSON.
    expect(r.err).toContain('b/Dockerfile:2:5: error:');
  });

  it('includes the diff under --dry-run and marks written files', async () => {
    const dir = tree({ Dockerfile: FIXABLE });
    const dry = JSON.parse((await dockerfix(dir, ['--dry-run', '--reporter', 'json'])).out);
    expect(dry.files[0].diff).toContain('-FROM alpine as build\n+FROM alpine AS build\n');
    const wet = JSON.parse((await dockerfix(dir, ['--reporter', 'json'])).out);
    expect(wet.files[0]).toMatchObject({ status: 'changed', written: true });
    expect(wet.files[0].diff).toBeUndefined();
    expect(read(dir, 'Dockerfile')).toBe('FROM alpine AS build\nRUN apt-get install -y curl\n');
  });

  it('names the config file of a config error', async () => {
    const dir = tree({ '.dockerfixrc.json': '{"nope": true}', Dockerfile: FIXABLE });
    const doc = JSON.parse((await dockerfix(dir, ['--reporter', 'json'])).out);
    expect(doc.files[0].errors).toEqual([{ message: expect.stringContaining('unknown key "nope"'), line: 1, column: 2, file: '.dockerfixrc.json' }]);
  });

  it('goes to stderr with --stdin-filepath (stdout carries the Dockerfile)', async () => {
    const r = await dockerfix(tree({}), ['--reporter', 'json', '--stdin-filepath', 'Dockerfile'], { stdin: FIXABLE });
    expect(r.out).toBe('FROM alpine AS build\nRUN apt-get install -y curl\n');
    expect(JSON.parse(r.err).files[0].path).toBe('Dockerfile');
  });
});

describe('--reporter sarif', () => {
  it('is SARIF 2.1.0 with rules, results and locations', async () => {
    const dir = tree({ 'a/Dockerfile': FIXABLE, 'b/Dockerfile': BROKEN });
    const r = await dockerfix(dir, ['--check', '--reporter', 'sarif', '.']);
    expect(r.code).toBe(2);
    const log = JSON.parse(r.out);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('dockerfix');
    const ruleIds = run.tool.driver.rules.map((x: { id: string }) => x.id);
    expect(ruleIds).toEqual(['test-apt', 'test-context', 'test-crash', 'test-from-as', 'test-pin']);
    expect(run.tool.driver.rules[3]).toMatchObject({
      id: 'test-from-as',
      shortDescription: { text: 'Uppercase AS in FROM' },
      fullDescription: { text: expect.any(String) },
      properties: { safety: 'safe', related: ['FromAsCasing'] },
    });
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${dir}/`);
    expect(run.results).toHaveLength(3);
    for (const res of run.results) {
      expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
      expect(['warning', 'note']).toContain(res.level);
      expect(res.message.text).toEqual(expect.any(String));
      expect(res.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: 'a/Dockerfile', uriBaseId: '%SRCROOT%' }, region: { startLine: expect.any(Number), startColumn: expect.any(Number) } });
    }
    expect(run.results.map((x: { ruleId: string; level: string; properties: { status: string } }) => [x.ruleId, x.level, x.properties.status])).toEqual([
      ['test-from-as', 'warning', 'fixable'],
      ['test-pin', 'warning', 'withheld'],
      ['test-apt', 'note', 'report'],
    ]);
    expect(run.invocations[0]).toMatchObject({ executionSuccessful: false, exitCode: 2 });
    expect(run.invocations[0].toolExecutionNotifications[0]).toMatchObject({
      level: 'error',
      message: { text: 'unterminated heredoc "EOF"' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'b/Dockerfile' }, region: { startLine: 2, startColumn: 5 } } }],
    });
  });
});

describe('--reporter github', () => {
  it('prints workflow commands', async () => {
    const dir = tree({ 'a/Dockerfile': FIXABLE, 'b/Dockerfile': BROKEN });
    const r = await dockerfix(dir, ['--check', '--reporter', 'github', '.']);
    expect(r.code).toBe(2);
    expect(r.out.split('\n').filter(Boolean)).toEqual([
      '::warning file=a/Dockerfile,line=1,col=1,title=test-from-as::write AS in upper case (safe: keywords are case-insensitive)',
      '::warning file=a/Dockerfile,line=1,col=1,title=test-pin::unsafe fix withheld: pin alpine to 3.20 (unsafe: a pinned tag stops picking up new releases)',
      "::notice file=a/Dockerfile,line=2,col=1,title=test-apt::add --no-install-recommends (suggestion: which packages are wanted is the author's call)",
      '::error file=b/Dockerfile,line=2,col=5,title=dockerfix::unterminated heredoc "EOF"',
    ]);
  });

  it('applied fixes are notices when fixing in place', async () => {
    const dir = tree({ Dockerfile: 'FROM alpine:3.20 as build\n' });
    const r = await dockerfix(dir, ['--reporter', 'github']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('::notice file=Dockerfile,line=1,col=1,title=test-from-as::fixed: write AS in upper case (safe: keywords are case-insensitive)\n');
  });

  it('escapes properties and data', async () => {
    const { command } = await import('../../src/cli/reporters/github.js');
    expect(command('warning', { file: 'a,b:c.Dockerfile', line: 1, title: 'x' }, '50% done\nnext')).toBe('::warning file=a%2Cb%3Ac.Dockerfile,line=1,title=x::50%25 done%0Anext\n');
  });
});
