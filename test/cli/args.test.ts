import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from '../../src/cli/args.js';

describe('parseCli', () => {
  it('defaults', () => {
    expect(parseCli([])).toMatchObject({
      paths: [], dryRun: false, check: false, unsafe: false, select: undefined, ignore: [], format: false,
      reporter: 'text', color: undefined, resolve: false, writeDockerignore: false,
    });
  });

  it('every flag', () => {
    const o = parseCli([
      '--dry-run', '--check', '--unsafe', '--select', 'a,b', '--select=c', '--ignore', 'd', '--format', '--reporter', 'sarif',
      '--config', 'c.json', '--context', 'ctx', '--no-color', '--resolve', '--write-dockerignore', 'x', '--', '--weird-name',
    ]);
    expect(o).toMatchObject({
      paths: ['x', '--weird-name'], dryRun: true, check: true, unsafe: true, select: ['a', 'b', 'c'], ignore: ['d'], format: true,
      reporter: 'sarif', config: 'c.json', context: 'ctx', color: false, resolve: true, writeDockerignore: true,
    });
    expect(parseCli(['--stdin-filepath', 'D', '--explain', 'r', '--list-rules', '--version', '-h'])).toMatchObject({
      stdinFilepath: 'D', explain: 'r', listRules: true, version: true, help: true,
    });
  });

  it('rejects bad input with UsageError', () => {
    for (const argv of [['--nope'], ['--reporter', 'xml'], ['--config', ''], ['--check=yes'], ['--color', '--no-color']]) {
      expect(() => parseCli(argv), argv.join(' ')).toThrow(UsageError);
    }
  });
});
