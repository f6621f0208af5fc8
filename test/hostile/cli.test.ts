/**
 * Hostile input to the real CLI (`node dist/src/cli/main.js`, a subprocess,
 * real files): every bad file gets ONE line on stderr naming it (with
 * line:col where the problem has a place), the run exits 2, the bad file's
 * bytes are untouched, and the good files of the same run are still fixed.
 *
 * Decided here (see the report of issue 5):
 * - An empty file and a comment-only file are errors (exit 2), as BuildKit
 *   refuses them ("file with no instructions") and as Prettier and Ruff treat
 *   a file their parser rejects; the file is left untouched and stdin input
 *   is echoed unchanged, so nothing is lost.
 * - A directory named `Dockerfile` is a folder like any other: walked, not read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtMain, canRunAsNobody, cliEnv, ensureBuilt, errorLines, NOBODY, noNobodyReason, runCli, tempLeftovers, tempTree, type CliRun } from './harness.js';

beforeAll(ensureBuilt, 180_000);

const FIXABLE = 'FROM alpine:3.20 as build\nRUN echo ok\n';
const FIXED = 'FROM alpine:3.20 AS build\nRUN echo ok\n';
/** Only the rule whose fix is asserted: other people change the registry's rules. */
const ONLY = ['--select', 'from-as-casing'];

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

/** The hostile files of one tree (relative path → bytes), and the one line each must produce. */
const HOSTILE: Record<string, { content: Buffer; error: RegExp }> = {
  'binary/Dockerfile': {
    // valid UTF-8 with NUL bytes: BuildKit would read "alpine\0\0RUN" as one word, but nobody wrote this
    content: bytes('FROM alpine\0\0RUN x\n'),
    error: /^binary\/Dockerfile:1:12: error: binary file \(it holds a NUL byte\); left untouched$/,
  },
  'huge-flag/Dockerfile': {
    // the error quotes the flag: cut, so a 100 KB flag is not a 100 KB line on the terminal
    content: bytes(`FROM --${'x'.repeat(100_000)} alpine\n`),
    error: /^huge-flag\/Dockerfile:1:\d+: error: unknown flag: --x{400,500}… \(\d+ more characters\)$/,
  },
  'latin1/Dockerfile': {
    content: bytes('FROM alpine:3.20 as build\nLABEL author="J\xf6rg"\n'),
    error: /^latin1\/Dockerfile(:\d+:\d+)?: error: not valid UTF-8; left untouched$/,
  },
  'empty/Dockerfile': { content: Buffer.alloc(0), error: /^empty\/Dockerfile:1:1: error: file with no instructions$/ },
  'comments/Dockerfile': { content: bytes('# just a comment\n\n# and another\n'), error: /^comments\/Dockerfile:\d+:\d+: error: file with no instructions$/ },
  'heredoc/Dockerfile': { content: bytes('FROM alpine:3.20 as build\nRUN <<EOF\necho never ends\n'), error: /^heredoc\/Dockerfile:2:5: error: unterminated heredoc "EOF"$/ },
  'crlf-bad/Dockerfile': { content: bytes('FROM alpine:3.20 as build\r\nRUN echo \xc3\r\n'), error: /^crlf-bad\/Dockerfile(:\d+:\d+)?: error: not valid UTF-8; left untouched$/ },
};

const GOOD = ['good/Dockerfile', 'dir/Dockerfile/Dockerfile', 'spaces and ünïcødé 🐳/Dockerfile', 'continuations/Dockerfile'];
const CONTINUED = `FROM alpine:3.20 as build\nRUN echo start \\\n${'  && echo more \\\n'.repeat(10_000)}  && true\n`;

describe('a run over a tree of hostile files', () => {
  let dir: string;
  let check: CliRun;
  let write: CliRun;
  const before = new Map<string, Buffer>();

  beforeAll(async () => {
    dir = tempTree({
      'good/Dockerfile': FIXABLE,
      // a directory named Dockerfile holding a real one
      'dir/Dockerfile/Dockerfile': FIXABLE,
      'spaces and ünïcødé 🐳/Dockerfile': FIXABLE,
      'continuations/Dockerfile': CONTINUED,
      'outside/real-target': FIXABLE,
    });
    for (const [rel, { content }] of Object.entries(HOSTILE)) {
      fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), content);
    }
    fs.mkdirSync(path.join(dir, 'link'));
    fs.symlinkSync('../outside/real-target', path.join(dir, 'link', 'Dockerfile'));
    for (const rel of Object.keys(HOSTILE)) before.set(rel, fs.readFileSync(path.join(dir, rel)));

    // All real rules read everything once (none may crash on hostile input), then the writing run.
    check = await runCli(['--check', '.', 'missing/Dockerfile'], { cwd: dir, timeoutMs: 30_000 });
    write = await runCli([...ONLY, '.', 'missing/Dockerfile'], { cwd: dir, timeoutMs: 30_000 });
  }, 90_000);

  it('exits 2 (errors win over "changes needed") and no rule crashes on any of the files', () => {
    expect(check.code).toBe(2);
    expect(write.code).toBe(2);
    expect(check.err).not.toMatch(/internal error/);
    expect(write.err).not.toMatch(/internal error/);
  });

  it('prints exactly one error line per bad file, naming it (with line:col where it has one), and nothing else as an error', () => {
    for (const run of [check, write]) {
      const lines = errorLines(run.err);
      const expected = [...Object.entries(HOSTILE).map(([rel, { error }]) => [rel, error] as const), ['missing/Dockerfile', /^missing\/Dockerfile: error: no such file or directory$/] as const];
      for (const [rel, re] of expected) {
        const mine = lines.filter((l) => l.startsWith(`${rel}:`));
        expect(mine, `${rel} in:\n${run.err}`).toHaveLength(1);
        expect(mine[0]).toMatch(re);
      }
      expect(lines).toHaveLength(expected.length);
      expect(lines.filter((l) => l.length > 600)).toEqual([]);
    }
  });

  it('leaves every bad file byte for byte as it was, and leaves no temp file anywhere', () => {
    for (const [rel, content] of before) expect(fs.readFileSync(path.join(dir, rel)).equals(content), rel).toBe(true);
    expect(tempLeftovers(dir)).toEqual([]);
  });

  it('still fixes the good files of the same run: a folder named Dockerfile is walked, a path with spaces and Unicode works, 10,000 continuation lines are fine', () => {
    for (const rel of GOOD.slice(0, 3)) expect(fs.readFileSync(path.join(dir, rel), 'utf8'), rel).toBe(FIXED);
    expect(fs.readFileSync(path.join(dir, 'continuations/Dockerfile'), 'utf8')).toBe(CONTINUED.replace(' as build', ' AS build'));
    expect(write.out).toContain('spaces and ünïcødé 🐳/Dockerfile:1:1: fixed from-as-casing');
    expect(write.out).toContain('dir/Dockerfile/Dockerfile:1:1: fixed from-as-casing');
  });

  it('writes a symlinked Dockerfile through to its target and keeps the link', () => {
    expect(fs.lstatSync(path.join(dir, 'link/Dockerfile')).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(path.join(dir, 'link/Dockerfile'))).toBe('../outside/real-target');
    expect(fs.readFileSync(path.join(dir, 'outside/real-target'), 'utf8')).toBe(FIXED);
  });
});

describe('single hostile paths on the command line', () => {
  it('a directory named Dockerfile given explicitly is walked like any folder (warning, exit 0 when it holds no Dockerfile)', async () => {
    const dir = tempTree({ 'Dockerfile/notes.txt': 'not a Dockerfile' });
    const r = await runCli(['Dockerfile'], { cwd: dir, timeoutMs: 20_000 });
    expect(r.code).toBe(0);
    expect(r.err).toBe('warning: no Dockerfiles found\n');
  });

  it('a dangling symlink is one error line naming it, exit 2', async () => {
    const dir = tempTree({});
    fs.symlinkSync('nowhere', path.join(dir, 'Dockerfile'));
    const r = await runCli(['Dockerfile'], { cwd: dir, timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(errorLines(r.err)).toEqual(['Dockerfile: error: no such file or directory']);
    expect(fs.readlinkSync(path.join(dir, 'Dockerfile'))).toBe('nowhere');
  });

  it('something that is neither a file nor a folder (/dev/null) is one error line, exit 2', async () => {
    const r = await runCli(['/dev/null'], { cwd: tempTree(), timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(errorLines(r.err)).toEqual(['/dev/null: error: not a regular file or directory']);
  });
});

describe.skipIf(!canRunAsNobody)(`permissions, as user nobody (root reads and writes anything)${canRunAsNobody ? '' : ` (skipped: ${noNobodyReason})`}`, () => {
  /**
   * root/
   *   mine/Dockerfile            nobody's, fixable: must still be fixed
   *   locked/ (0700 root)        nobody cannot traverse it
   *     Dockerfile
   *   unreadable/Dockerfile      0000, root's
   *   readonly-dir/ (0555 root)  nobody's file inside, writable, but no temp file can be created beside it
   *     Dockerfile
   */
  let dir: string;
  let r: CliRun;
  beforeAll(async () => {
    dir = tempTree(
      { 'mine/Dockerfile': FIXABLE, 'locked/Dockerfile': FIXABLE, 'unreadable/Dockerfile': FIXABLE, 'readonly-dir/Dockerfile': FIXABLE },
      { worldReadable: true },
    );
    for (const d of ['mine', 'unreadable', 'readonly-dir']) fs.chmodSync(path.join(dir, d), 0o755);
    fs.chownSync(path.join(dir, 'mine'), NOBODY.uid, NOBODY.gid);
    fs.chownSync(path.join(dir, 'mine/Dockerfile'), NOBODY.uid, NOBODY.gid);
    fs.chmodSync(path.join(dir, 'locked'), 0o700);
    fs.chmodSync(path.join(dir, 'unreadable/Dockerfile'), 0o000);
    fs.chownSync(path.join(dir, 'readonly-dir/Dockerfile'), NOBODY.uid, NOBODY.gid);
    fs.chmodSync(path.join(dir, 'readonly-dir'), 0o555);
    r = await runCli([...ONLY, 'mine', 'locked/Dockerfile', 'unreadable/Dockerfile', 'readonly-dir/Dockerfile'], { cwd: dir, asNobody: true, timeoutMs: 30_000 });
  }, 60_000);

  it('reports a file it may not read (no traversal; mode 000) in one line each, exit 2', () => {
    expect(r.code).toBe(2);
    const lines = errorLines(r.err);
    expect(lines).toContain('locked/Dockerfile: error: permission denied');
    expect(lines).toContain('unreadable/Dockerfile: error: cannot read: permission denied');
  });

  it('fails cleanly in a folder it may not write to: one line, the file untouched, no temp file left', () => {
    expect(errorLines(r.err)).toContain('readonly-dir/Dockerfile: error: cannot write: cannot create a temporary file in its folder (permission denied)');
    expect(fs.readFileSync(path.join(dir, 'readonly-dir/Dockerfile'), 'utf8')).toBe(FIXABLE);
    expect(fs.readdirSync(path.join(dir, 'readonly-dir'))).toEqual(['Dockerfile']);
    expect(errorLines(r.err)).toHaveLength(3);
  });

  it('still fixes the file it owns in the same run, and the unreadable ones are untouched', () => {
    expect(fs.readFileSync(path.join(dir, 'mine/Dockerfile'), 'utf8')).toBe(FIXED);
    expect(fs.readFileSync(path.join(dir, 'locked/Dockerfile'), 'utf8')).toBe(FIXABLE);
    expect(fs.readFileSync(path.join(dir, 'unreadable/Dockerfile'), 'utf8')).toBe(FIXABLE);
    expect(tempLeftovers(dir)).toEqual([]);
  });

  it('a folder it may not list, met in a walk, is one error line and the rest of the walk goes on', async () => {
    const d = tempTree({ 'a/Dockerfile': FIXABLE, 'b/secret/Dockerfile': FIXABLE }, { worldReadable: true });
    for (const sub of ['a', 'b']) fs.chmodSync(path.join(d, sub), 0o755);
    fs.chownSync(path.join(d, 'a'), NOBODY.uid, NOBODY.gid);
    fs.chownSync(path.join(d, 'a/Dockerfile'), NOBODY.uid, NOBODY.gid);
    fs.chmodSync(path.join(d, 'b/secret'), 0o700);
    const w = await runCli([...ONLY, '.'], { cwd: d, asNobody: true, timeoutMs: 20_000 });
    expect(w.code).toBe(2);
    expect(errorLines(w.err)).toEqual(['b/secret: error: permission denied']);
    expect(fs.readFileSync(path.join(d, 'a/Dockerfile'), 'utf8')).toBe(FIXED);
  });
});

describe('--stdin-filepath with a hostile standard input', () => {
  it('stdin from /dev/null (empty): one error line, exit 2, and the (empty) input echoed', () => {
    const devNull = fs.openSync('/dev/null', 'r');
    try {
      const r = spawnSync(process.execPath, [builtMain, '--stdin-filepath', 'Dockerfile'], { cwd: tempTree(), stdio: [devNull, 'pipe', 'pipe'], env: cliEnv(), encoding: 'utf8', timeout: 20_000 });
      expect(r.status).toBe(2);
      expect(errorLines(r.stderr)).toEqual(['Dockerfile:1:1: error: file with no instructions']);
      expect(r.stdout).toBe('');
    } finally {
      fs.closeSync(devNull);
    }
  });

  it('a writer that closes stdin in the middle of a heredoc: the partial text is echoed unchanged with one error line, exit 2', async () => {
    const partial = 'FROM alpine:3.20 as build\nRUN <<EOF\necho half of the scr';
    const r = await runCli(['--stdin-filepath', 'Dockerfile'], { cwd: tempTree(), input: partial, timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(r.out).toBe(partial);
    expect(errorLines(r.err)).toEqual(['Dockerfile:2:5: error: unterminated heredoc "EOF"']);
  });

  it('a writer killed mid-stream (SIGKILL): what arrived is processed as the whole file, nothing hangs', async () => {
    // The writer prints two lines, then kills itself before writing the rest; dockerfix sees EOF.
    const dir = tempTree({ 'writer.sh': "printf 'FROM alpine:3.20 as build\\nRUN echo hi\\n'\nkill -KILL $$\nprintf 'never\\n'\n" });
    const r = spawnSync('/bin/sh', ['-c', `/bin/sh writer.sh | "${process.execPath}" "${builtMain}" --stdin-filepath Dockerfile --select from-as-casing`], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('FROM alpine:3.20 AS build\nRUN echo hi\n');
  });

  it('a writer that stops in the middle of a UTF-8 sequence: one error line, exit 2', async () => {
    const r = await runCli(['--stdin-filepath', 'Dockerfile'], { cwd: tempTree(), input: Buffer.from('FROM alpine\nRUN echo caf\xc3', 'latin1'), timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(errorLines(r.err)).toEqual(['Dockerfile: error: standard input is not valid UTF-8']);
  });

  // The README promises "the input is echoed unchanged … so a pipe never loses the file", bytes included.
  it('echoes stdin that is not valid UTF-8 back unchanged, byte for byte', () => {
    const input = Buffer.from('FROM alpine\nRUN echo caf\xc3', 'latin1');
    const r = spawnSync(process.execPath, [builtMain, '--stdin-filepath', 'Dockerfile'], { cwd: tempTree(), input, env: cliEnv(), timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(Buffer.from(r.stdout).equals(input)).toBe(true);
  });
});

describe('what error lines may contain', () => {
  // "file with no instructions" is reported at a position inside the file (1:1), never past its last line.
  it('a comment-only file is reported at a position inside the file', async () => {
    const dir = tempTree({ Dockerfile: '# just a comment\n' });
    const r = await runCli(['--check', 'Dockerfile'], { cwd: dir, timeoutMs: 20_000 });
    const m = /^Dockerfile:(\d+):(\d+): error: file with no instructions$/.exec(errorLines(r.err)[0] ?? '');
    expect(m).not.toBeNull();
    const [line, col] = [Number(m![1]), Number(m![2])];
    const lines = '# just a comment\n'.split('\n');
    expect(line).toBeLessThanOrEqual(lines.length);
    expect(col).toBeLessThanOrEqual(lines[line - 1].length + 1);
  });

  // Messages quote Dockerfile text: control characters are shown escaped, so escape sequences in a
  // Dockerfile never reach the terminal (colours, titles, hyperlinks, screen clears).
  it('never copies terminal control characters from a Dockerfile to stderr', async () => {
    const dir = tempTree({ Dockerfile: 'FROM alpine:3.20\n\u001b]0;pwned\u0007\u001b[2J x\n' });
    const r = await runCli(['--check', 'Dockerfile'], { cwd: dir, timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    // eslint-disable-next-line no-control-regex
    expect(r.err).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  // A COPY source with a character class Go's filepath.Match rejects (`[z-a]`) matches nothing; no rule throws.
  it('a COPY source with a bad glob class is not an internal error', async () => {
    const dir = tempTree({ Dockerfile: 'FROM alpine:3.20\nCOPY [z-a] /dst/\n', 'node_modules/x': '' });
    const r = await runCli(['--check', 'Dockerfile'], { cwd: dir, timeoutMs: 20_000 });
    expect(r.err).not.toMatch(/internal error/);
  });
});
