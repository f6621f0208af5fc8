/**
 * Shared by test/hostile, test/writes, test/security and test/bounds: the
 * built CLI as a real subprocess (asynchronous, so a test can signal or race
 * it), temp trees, and running as an unprivileged user.
 *
 * These suites run the built `dist/` (as a user's `npx dockerfix` would);
 * `ensureBuilt()` builds it when missing or older than src/, once per machine
 * at a time (several test files may ask together).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn, type SpawnOptions } from 'node:child_process';
import { afterAll } from 'vitest';
import { writeTree } from '../helpers/tree.js';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
/** `DOCKERFIX_TEST_DIST=/other/dist` runs these suites against another build (e.g. to see a test fail before a fix). */
const distOverride = process.env.DOCKERFIX_TEST_DIST;
export const distRoot = distOverride ? path.resolve(distOverride) : path.join(repoRoot, 'dist');
export const builtMain = path.join(distRoot, 'src', 'cli', 'main.js');

/** Our temp files: `.NAME.<16 hex>.dockerfix-tmp` (src/cli/write.ts). */
export const TEMP_NAME = /^\..+\.[0-9a-f]{16}\.dockerfix-tmp$/;

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const SETPRIV = '/usr/bin/setpriv';
/** Root can drop to `nobody` for the cases where root's privileges would hide the behaviour. */
export const canRunAsNobody = isRoot && fs.existsSync(SETPRIV) && uidOf('nobody') !== null;
export const NOBODY = { uid: uidOf('nobody') ?? 65534, gid: gidOf('nogroup') ?? 65534 };
export const noNobodyReason = !isRoot ? 'not root: cannot switch to user nobody' : 'setpriv or user nobody missing';

function uidOf(user: string): number | null {
  try {
    const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
    return line ? Number(line.split(':')[2]) : null;
  } catch {
    return null;
  }
}

function gidOf(group: string): number | null {
  try {
    const line = fs.readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.startsWith(`${group}:`));
    return line ? Number(line.split(':')[2]) : null;
  } catch {
    return null;
  }
}

/** Build dist/ when it is missing or older than src/ (one builder at a time; the others wait for it). */
export function ensureBuilt(): void {
  if (distOverride) {
    if (!fs.existsSync(builtMain)) throw new Error(`DOCKERFIX_TEST_DIST: ${builtMain} does not exist`);
    return;
  }
  const newestSource = (): number =>
    Math.max(
      0,
      ...fs
        .readdirSync(path.join(repoRoot, 'src'), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => fs.statSync(path.join(repoRoot, 'src', f)).mtimeMs),
    );
  const fresh = (): boolean => fs.existsSync(builtMain) && fs.statSync(builtMain).mtimeMs >= newestSource();
  if (fresh()) return;
  const lock = path.join(os.tmpdir(), 'dockerfix-build.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // someone else is building; a lock older than two minutes is abandoned
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 120_000) fs.rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      if (Date.now() > deadline) throw new Error(`waited 2 minutes for ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      if (fresh()) return;
    }
  }
  try {
    if (fresh()) return;
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: repoRoot, stdio: 'pipe' });
  } catch {
    // Type errors elsewhere in the tree still emit JavaScript; what matters is that main.js runs.
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
  // Touch main.js so a tree whose newest source emitted nothing new still counts as built.
  if (fs.existsSync(builtMain)) fs.utimesSync(builtMain, new Date(), new Date());
  else throw new Error('the build did not produce dist/src/cli/main.js');
}

const made: string[] = [];
afterAll(() => {
  for (const d of made) {
    try {
      fs.rmSync(d, { recursive: true, force: true });
    } catch {
      // best effort (a test may have left a folder read-only)
    }
  }
});

/**
 * A fresh temp folder filled with `files` (path → content; null makes a
 * folder). `worldReadable` opens the folder to other users (mkdtemp makes it
 * 0700), for the tests that run the CLI as nobody.
 */
export function tempTree(files: Record<string, string | Uint8Array | null> = {}, opts: { worldReadable?: boolean } = {}): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-hostile-')));
  made.push(dir);
  if (opts.worldReadable) fs.chmodSync(dir, 0o755);
  writeTree(dir, files);
  return dir;
}

/** Paths (relative) of files in `dir` that look like our temp files. */
export function tempLeftovers(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes('dockerfix-tmp'));
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  ms: number;
}

export interface CliOptions {
  cwd: string;
  /** text for stdin (ended after writing); default: an empty, closed stdin */
  input?: string | Uint8Array;
  env?: Record<string, string>;
  /** run as nobody:nogroup (root only; see canRunAsNobody) */
  asNobody?: boolean | { groups: number[] };
  /** node flags before the script, e.g. ['--import', file] */
  nodeArgs?: string[];
  /** kill with SIGKILL after this long (the run then fails the test with a clear message) */
  timeoutMs?: number;
  /** wrap the command: `/usr/bin/time -f %M` etc. */
  prefix?: string[];
}

/** The command line that runs the built CLI with these options. */
export function cliCommand(args: string[], opts: Pick<CliOptions, 'asNobody' | 'nodeArgs' | 'prefix'> = {}): string[] {
  let cmd = [process.execPath, ...(opts.nodeArgs ?? []), builtMain, ...args];
  if (opts.asNobody) {
    const groups = typeof opts.asNobody === 'object' ? [`--groups=${opts.asNobody.groups.join(',')}`] : ['--clear-groups'];
    cmd = [SETPRIV, `--reuid=${NOBODY.uid}`, `--regid=${NOBODY.gid}`, ...groups, ...cmd];
  }
  return [...(opts.prefix ?? []), ...cmd];
}

/** The environment the CLI runs in: the parent's, without colour settings that would leak into assertions. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!('FORCE_COLOR' in extra)) delete env.FORCE_COLOR;
  if (!('NO_COLOR' in extra)) delete env.NO_COLOR;
  return env;
}

/** Start the built CLI; the child is returned so a test can signal it, and `done` settles when it exits. */
export function startCli(args: string[], opts: CliOptions): { child: ReturnType<typeof spawn>; done: Promise<CliRun> } {
  const [cmd, ...rest] = cliCommand(args, opts);
  const spawnOpts: SpawnOptions = { cwd: opts.cwd, env: cliEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] };
  const t0 = performance.now();
  const child = spawn(cmd, rest, spawnOpts);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdin!.on('error', () => undefined); // the CLI may exit before reading it all
  if (opts.input !== undefined) child.stdin!.end(opts.input);
  else child.stdin!.end();
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err, ms: performance.now() - t0 });
    });
  });
  if (opts.timeoutMs !== undefined) {
    timer = setTimeout(() => {
      err += `\n[test harness: killed after ${opts.timeoutMs} ms]`;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
  }
  return { child, done };
}

export function runCli(args: string[], opts: CliOptions): Promise<CliRun> {
  return startCli(args, opts).done;
}

/** stderr lines that are errors (`…: error: …`), in order. */
export const errorLines = (err: string): string[] => err.split('\n').filter((l) => /: error: /.test(l));

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
