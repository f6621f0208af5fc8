/** Shared helpers for the CLI tests: temp trees, in-process and subprocess runs. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll } from 'vitest';
import { writeTree } from '../helpers/tree.js';
import { run } from '../../src/cli/run.js';
import { captureIO } from '../../src/cli/io.js';
import type { Rule } from '../../src/rules/types.js';
// @ts-expect-error plain JS fixture shared with the subprocess wrapper
import { testRules as jsTestRules } from '../../fixtures/cli/test-rules.mjs';

export const testRules = jsTestRules as Rule[];
import { repoRoot } from '../hostile/harness.js';

// One build check for every suite that runs dist/ (it locks against parallel builds).
export { builtMain, ensureBuilt, repoRoot } from '../hostile/harness.js';
export const testRulesMain = path.join(repoRoot, 'fixtures', 'cli', 'run-with-test-rules.mjs');

/** Tests run as root in CI: permission bits do not stop root from reading. */
export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

/** A fresh temp folder filled with `files` (path → content; a value of null makes a folder). */
export function tree(files: Record<string, string | null> = {}): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-cli-')));
  made.push(dir);
  writeTree(dir, files);
  return dir;
}

export const read = (dir: string, rel: string): string => fs.readFileSync(path.join(dir, rel), 'utf8');

export interface Ran {
  code: number;
  out: string;
  err: string;
}

/** run() in-process with the test rules (or `rules`), no colour unless `tty`/env say so. */
export async function dockerfix(
  cwd: string,
  args: string[],
  opts: { stdin?: string | Uint8Array; env?: Record<string, string>; tty?: boolean; rules?: readonly Rule[] } = {},
): Promise<Ran> {
  const io = captureIO({ cwd, stdin: opts.stdin, env: opts.env ?? {}, tty: opts.tty });
  const code = await run(args, io, { rules: opts.rules ?? testRules });
  return { code, out: io.out(), err: io.err() };
}

/** A real subprocess: `node <script> args…` in cwd. */
export function spawn(script: string, cwd: string, args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Ran {
  const env: Record<string, string | undefined> = { ...process.env, ...opts.env };
  // The parent's colour settings must not leak into what we assert on.
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  Object.assign(env, opts.env);
  const r = spawnSync(process.execPath, [script, ...args], { cwd, input: opts.stdin ?? '', encoding: 'utf8', env });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Files left in a folder that look like our temp files. */
export function tempLeftovers(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes('dockerfix-tmp'));
}

// eslint-disable-next-line no-control-regex
export const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');
