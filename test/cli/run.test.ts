/**
 * In-process breadth: every flag and exit code through run(), with the test
 * rules of fixtures/cli/test-rules.mjs (so results do not depend on which
 * real rules exist today).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerfix, isRoot, read, stripAnsi, tempLeftovers, testRules, tree } from './helpers.js';

const FIXABLE = 'FROM alpine as build\nRUN echo hi\n';
const FIXED = 'FROM alpine AS build\nRUN echo hi\n';
const CLEAN = 'FROM alpine:3.20 AS build\nRUN echo hi\n';
const BROKEN = 'FROM alpine as build\nRUN <<EOF\necho\n';

describe('default mode: safe fixes in place', () => {
  it('applies safe fixes, withholds unsafe ones, and explains both', async () => {
    const dir = tree({ Dockerfile: FIXABLE });
    const r = await dockerfix(dir, ['Dockerfile']);
    expect(r.code).toBe(0);
    expect(read(dir, 'Dockerfile')).toBe(FIXED);
    expect(r.out).toContain('Dockerfile:1:1: fixed test-from-as: write AS in upper case (safe: keywords are case-insensitive)');
    expect(r.out).toContain('Dockerfile:1:1: withheld test-pin: pin alpine to 3.20 (unsafe: a pinned tag stops picking up new releases)');
    expect(r.out).toContain('1 unsafe fix withheld; run with --unsafe to apply.');
    expect(r.err).toBe('');
  });

  it('--unsafe applies unsafe fixes too', async () => {
    const dir = tree({ Dockerfile: FIXABLE });
    const r = await dockerfix(dir, ['--unsafe', '.']);
    expect(r.code).toBe(0);
    expect(read(dir, 'Dockerfile')).toBe('FROM alpine:3.20 AS build\nRUN echo hi\n');
    expect(r.out).not.toContain('withheld');
  });

  it('never writes an unchanged file (mtime and inode kept)', async () => {
    const dir = tree({ Dockerfile: CLEAN });
    const before = fs.statSync(path.join(dir, 'Dockerfile'));
    const r = await dockerfix(dir, []);
    expect(r.code).toBe(0);
    expect(r.out).toContain('No changes needed (1 file checked).');
    const after = fs.statSync(path.join(dir, 'Dockerfile'));
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });

  it('keeps a BOM and CRLF line ends byte for byte', async () => {
    const dir = tree({ Dockerfile: '\uFEFFFROM alpine as build\r\nRUN echo hi\r\n' });
    const r = await dockerfix(dir, ['Dockerfile']);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'Dockerfile'))).toEqual(Buffer.from('\uFEFFFROM alpine AS build\r\nRUN echo hi\r\n', 'utf8'));
  });

  it('refuses a file that is not UTF-8 (exit 2, untouched)', async () => {
    const dir = tree({});
    const bytes = Buffer.concat([Buffer.from('FROM alpine as build\nLABEL x="'), Buffer.from([0xff, 0xfe]), Buffer.from('"\n')]);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), bytes);
    const r = await dockerfix(dir, ['Dockerfile']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Dockerfile: error: not valid UTF-8');
    expect(fs.readFileSync(path.join(dir, 'Dockerfile'))).toEqual(bytes);
  });
});

describe('--check', () => {
  it('exits 1 when something would change, names the file and the rule, writes nothing', async () => {
    const dir = tree({ 'a/Dockerfile': FIXABLE, 'b/Dockerfile': CLEAN });
    const r = await dockerfix(dir, ['--check', '.']);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${path.join('a', 'Dockerfile')}:1:1: would fix test-from-as`);
    expect(r.out).toContain('1 file would change: 1 fix (2 files checked); nothing written.');
    expect(read(dir, 'a/Dockerfile')).toBe(FIXABLE);
  });

  it('exits 0 when only unsafe fixes or suggestions remain', async () => {
    const dir = tree({ Dockerfile: 'FROM alpine\nRUN apt-get install -y curl\n' });
    const r = await dockerfix(dir, ['--check']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('withheld test-pin');
    expect(r.out).toContain('Dockerfile:2:1: suggestion test-apt: add --no-install-recommends');
  });

  it('--check --unsafe counts unsafe fixes as changes', async () => {
    const dir = tree({ Dockerfile: 'FROM alpine\n' });
    expect((await dockerfix(dir, ['--check', '--unsafe'])).code).toBe(1);
  });

  it('exit 2 wins over 1', async () => {
    const dir = tree({ 'a/Dockerfile': FIXABLE, 'b/Dockerfile': BROKEN });
    const r = await dockerfix(dir, ['--check', '.']);
    expect(r.code).toBe(2);
  });
});

describe('--dry-run', () => {
  it('prints a unified diff and the explanations, writes nothing, exits 0', async () => {
    const dir = tree({ Dockerfile: FIXABLE + 'RUN apt-get install -y curl\n' });
    const r = await dockerfix(dir, ['--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,3 +1,3 @@\n-FROM alpine as build\n+FROM alpine AS build\n');
    expect(r.out).toContain('Dockerfile:1:1: would fix test-from-as');
    expect(r.out).toContain('withheld test-pin');
    expect(r.out).toContain('suggestion test-apt');
    expect(r.out).not.toContain('\u001b[');
    expect(read(dir, 'Dockerfile')).toBe(FIXABLE + 'RUN apt-get install -y curl\n');
  });

  it('colours the diff on a terminal', async () => {
    const dir = tree({ Dockerfile: FIXABLE });
    const r = await dockerfix(dir, ['--dry-run'], { tty: true });
    expect(r.out).toContain('\u001b[31m-FROM alpine as build\u001b[39m');
    expect(r.out).toContain('\u001b[32m+FROM alpine AS build\u001b[39m');
    expect(stripAnsi(r.out)).toContain('-FROM alpine as build');
  });

  it('--no-color, NO_COLOR and FORCE_COLOR decide colour', async () => {
    const dir = tree({ Dockerfile: FIXABLE });
    expect((await dockerfix(dir, ['--dry-run', '--no-color'], { tty: true })).out).not.toContain('\u001b[');
    expect((await dockerfix(dir, ['--dry-run'], { tty: true, env: { NO_COLOR: '1' } })).out).not.toContain('\u001b[');
    expect((await dockerfix(dir, ['--dry-run'], { tty: false, env: { FORCE_COLOR: '1' } })).out).toContain('\u001b[');
    expect((await dockerfix(dir, ['--dry-run'], { tty: true, env: { FORCE_COLOR: '0' } })).out).not.toContain('\u001b[');
    expect((await dockerfix(dir, ['--dry-run', '--color'], { tty: false })).out).toContain('\u001b[');
  });

  it('--dry-run --check shows the diff and exits 1', async () => {
    const dir = tree({ Dockerfile: FIXABLE });
    const r = await dockerfix(dir, ['--dry-run', '--check']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('+FROM alpine AS build');
  });
});

describe('--select / --ignore', () => {
  it('--select runs only the named rules', async () => {
    const dir = tree({ Dockerfile: FIXABLE });
    const r = await dockerfix(dir, ['--check', '--select', 'test-pin']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('withheld test-pin');
    expect(r.out).not.toContain('test-from-as');
  });

  it('--select takes comma lists and repeats', async () => {
    const dir = tree({ Dockerfile: FIXABLE + 'RUN apt-get install x\n' });
    const r = await dockerfix(dir, ['--check', '--select', 'test-pin,test-apt', '--select', 'test-from-as']);
    expect(r.out).toContain('test-pin');
    expect(r.out).toContain('test-apt');
    expect(r.out).toContain('test-from-as');
  });

  it('--ignore drops rules', async () => {
    const dir = tree({ Dockerfile: FIXABLE });
    const r = await dockerfix(dir, ['--ignore', 'test-from-as']);
    expect(r.code).toBe(0);
    expect(read(dir, 'Dockerfile')).toBe(FIXABLE);
  });

  it('an unknown rule id is a usage error (exit 2) with a suggestion', async () => {
    const dir = tree({ Dockerfile: FIXABLE });
    const r = await dockerfix(dir, ['--select', 'test-from-az']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown rule "test-from-az" in --select (did you mean "test-from-as"?)');
    expect(read(dir, 'Dockerfile')).toBe(FIXABLE);
    expect((await dockerfix(dir, ['--ignore', 'nope'])).code).toBe(2);
  });
});

describe('usage errors', () => {
  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--reporter', 'xml'], 'unknown reporter "xml"'],
    [['--select'], "Option '--select <value>' argument missing"],
    [['--stdin-filepath', 'Dockerfile', 'x'], 'do not give paths as well'],
    [['--color', '--no-color'], 'contradict'],
    [['--select', 'a,,b'], 'empty rule id'],
    [['--context', 'nowhere'], '--context nowhere: not a directory'],
    [['--explain', 'nope'], 'unknown rule "nope"'],
  ])('%j → exit 2', async (args, message) => {
    const r = await dockerfix(tree({}), args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.out).toBe('');
  });
});

describe('information flags', () => {
  it('--help prints usage with every flag', async () => {
    const r = await dockerfix(tree({}), ['--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--dry-run', '--check', '--unsafe', '--select', '--ignore', '--format', '--stdin-filepath', '--reporter', '--config', '--context', '--list-rules', '--explain', '--version', '--resolve', '--write-dockerignore', '--no-color']) {
      expect(r.out).toContain(flag);
    }
    expect(r.out).toMatch(/--resolve .*\(see README\)/);
    expect(r.out).toMatch(/--write-dockerignore .*\(see README\)/);
  });

  it('--version prints package.json version', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'));
    const r = await dockerfix(tree({}), ['--version']);
    expect(r).toEqual({ code: 0, out: `${pkg.version}\n`, err: '' });
  });

  it('--list-rules lists id, safety, title', async () => {
    const r = await dockerfix(tree({}), ['--list-rules']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^test-from-as\s+safe\s+Uppercase AS in FROM$/m);
    expect(r.out).toMatch(/^test-pin\s+unsafe\s+Pin alpine$/m);
    const json = JSON.parse((await dockerfix(tree({}), ['--list-rules', '--reporter', 'json'])).out);
    expect(json).toContainEqual({ id: 'test-apt', safety: 'suggestion', title: 'apt-get install without --no-install-recommends', related: ['DL3015'] });
  });

  it('--explain shows docs, safety, related ids and options', async () => {
    const r = await dockerfix(tree({}), ['--explain', 'test-pin']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('test-pin: Pin alpine');
    expect(r.out).toContain('safety:  unsafe');
    expect(r.out).toContain('related: DL3006');
    expect(r.out).toContain('tag: the tag to pin to');
    expect(r.out).toContain('Test rule: pins an untagged alpine');
  });
});

describe('errors: parse, I/O, missing paths', () => {
  it('a file that fails to parse is reported at file:line:col and left untouched; the others are fixed', async () => {
    const dir = tree({ 'a/Dockerfile': FIXABLE, 'b/Dockerfile': BROKEN, 'c/Dockerfile': FIXABLE });
    const r = await dockerfix(dir, ['.']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${path.join('b', 'Dockerfile')}:2:5: error: unterminated heredoc "EOF"`);
    expect(read(dir, 'b/Dockerfile')).toBe(BROKEN);
    expect(read(dir, 'a/Dockerfile')).toBe(FIXED);
    expect(read(dir, 'c/Dockerfile')).toBe(FIXED);
  });

  it('a missing path is an error (exit 2) and the other paths still run', async () => {
    const dir = tree({ Dockerfile: FIXABLE });
    const r = await dockerfix(dir, ['missing/Dockerfile', 'Dockerfile']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('missing/Dockerfile: error: no such file or directory');
    expect(read(dir, 'Dockerfile')).toBe(FIXED);
  });

  it('a read-only file: error, exit 2, untouched (even for root)', async () => {
    const dir = tree({ Dockerfile: FIXABLE, 'other/Dockerfile': FIXABLE });
    const file = path.join(dir, 'Dockerfile');
    fs.chmodSync(file, 0o444);
    const r = await dockerfix(dir, ['.']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Dockerfile: error: cannot write: the file is read-only');
    expect(read(dir, 'Dockerfile')).toBe(FIXABLE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o444);
    expect(read(dir, 'other/Dockerfile')).toBe(FIXED);
    expect(tempLeftovers(dir)).toEqual([]);
  });

  it('an unreadable file: error, exit 2, the others still run', async () => {
    const dir = tree({ 'a/Dockerfile': FIXABLE, 'b/Dockerfile': FIXABLE });
    if (!isRoot) fs.chmodSync(path.join(dir, 'b/Dockerfile'), 0o000);
    else {
      // Root reads through chmod 000, so make it unreadable another way: a
      // Dockerfile-named link to nothing (reading it fails with ENOENT).
      fs.rmSync(path.join(dir, 'b/Dockerfile'));
      fs.symlinkSync(path.join(dir, 'b/gone'), path.join(dir, 'b/Dockerfile'));
    }
    const r = await dockerfix(dir, ['.']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(isRoot ? /b\/Dockerfile: error: cannot read: no such file or directory/ : /b\/Dockerfile: error: cannot read: permission denied/);
    expect(read(dir, 'a/Dockerfile')).toBe(FIXED);
  });

  it('an explicit path to a folder named like a Dockerfile is walked, not read', async () => {
    const dir = tree({ 'Dockerfile/inner.Dockerfile': FIXABLE });
    const r = await dockerfix(dir, ['Dockerfile']);
    expect(r.code).toBe(0);
    expect(read(dir, 'Dockerfile/inner.Dockerfile')).toBe(FIXED);
  });

  it('a rule that throws is an internal error: exit 2, file untouched', async () => {
    const text = FIXABLE + 'LABEL crash=1\n';
    const dir = tree({ Dockerfile: text });
    const r = await dockerfix(dir, []);
    expect(r.code).toBe(2);
    expect(r.err).toContain('internal error while fixing (please report it): boom');
    expect(read(dir, 'Dockerfile')).toBe(text);
  });

  it('warns when no Dockerfile is found (exit 0)', async () => {
    const r = await dockerfix(tree({ 'README.md': 'x' }), ['.']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('no Dockerfiles found');
  });
});

describe('--stdin-filepath', () => {
  it('reads stdin, writes the fixed text to stdout and diagnostics to stderr', async () => {
    const dir = tree({});
    const r = await dockerfix(dir, ['--stdin-filepath', 'app/Dockerfile'], { stdin: FIXABLE });
    expect(r.code).toBe(0);
    expect(r.out).toBe(FIXED);
    expect(r.err).toContain('app/Dockerfile:1:1: fixed test-from-as');
    expect(r.err).toContain('1 unsafe fix withheld');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('on a parse error echoes the input unchanged and exits 2', async () => {
    const r = await dockerfix(tree({}), ['--stdin-filepath', 'Dockerfile'], { stdin: BROKEN });
    expect(r.code).toBe(2);
    expect(r.out).toBe(BROKEN);
    expect(r.err).toContain('Dockerfile:2:5: error: unterminated heredoc');
  });

  it('with --check writes no text and exits 1 when it would change', async () => {
    const r = await dockerfix(tree({}), ['--check', '--stdin-filepath', 'Dockerfile'], { stdin: FIXABLE });
    expect(r.code).toBe(1);
    expect(r.out).toContain('would fix test-from-as');
    expect(r.out).not.toContain('RUN echo hi');
  });

  it('with --dry-run prints the diff', async () => {
    const r = await dockerfix(tree({}), ['--dry-run', '--stdin-filepath', 'Dockerfile'], { stdin: FIXABLE });
    expect(r.code).toBe(0);
    expect(r.out).toContain('+FROM alpine AS build');
  });

  it('finds the config from NAME', async () => {
    const dir = tree({ 'sub/.dockerfixrc.json': JSON.stringify({ rules: { 'test-from-as': 'off' } }) });
    const r = await dockerfix(dir, ['--stdin-filepath', 'sub/Dockerfile'], { stdin: FIXABLE });
    expect(r.out).toBe(FIXABLE);
    const other = await dockerfix(dir, ['--stdin-filepath', 'Dockerfile'], { stdin: FIXABLE });
    expect(other.out).toBe(FIXED);
  });
});

describe('config', () => {
  it('"off", "unsafe" and options from .dockerfixrc.json', async () => {
    const dir = tree({
      '.dockerfixrc.json': JSON.stringify({ rules: { 'test-from-as': 'off', 'test-pin': ['unsafe', { tag: '3.19' }] } }),
      'Dockerfile': FIXABLE,
    });
    const r = await dockerfix(dir, []);
    expect(r.code).toBe(0);
    expect(read(dir, 'Dockerfile')).toBe('FROM alpine:3.19 as build\nRUN echo hi\n');
  });

  it('pins reach the rules', async () => {
    const dir = tree({ 'dockerfix.config.json': JSON.stringify({ rules: { 'test-pin': 'unsafe' }, pins: { alpine: '3.18' } }), Dockerfile: 'FROM alpine\n' });
    await dockerfix(dir, []);
    expect(read(dir, 'Dockerfile')).toBe('FROM alpine:3.18\n');
  });

  it('the "dockerfix" key of package.json, found upward', async () => {
    const dir = tree({ 'package.json': JSON.stringify({ name: 'x', dockerfix: { rules: { 'test-from-as': 'off' } } }), 'deep/er/Dockerfile': FIXABLE });
    await dockerfix(dir, ['.']);
    expect(read(dir, 'deep/er/Dockerfile')).toBe(FIXABLE);
  });

  it('the nearest config wins; a package.json without the key is skipped', async () => {
    const dir = tree({
      '.dockerfixrc.json': JSON.stringify({ rules: { 'test-from-as': 'off' } }),
      'a/package.json': JSON.stringify({ name: 'a' }),
      'a/Dockerfile': FIXABLE,
      'b/dockerfix.config.json': JSON.stringify({}),
      'b/Dockerfile': FIXABLE,
    });
    await dockerfix(dir, ['.']);
    expect(read(dir, 'a/Dockerfile')).toBe(FIXABLE);
    expect(read(dir, 'b/Dockerfile')).toBe(FIXED);
  });

  it('--select beats "off" in config', async () => {
    const dir = tree({ '.dockerfixrc.json': JSON.stringify({ rules: { 'test-from-as': 'off' } }), Dockerfile: FIXABLE });
    await dockerfix(dir, ['--select', 'test-from-as']);
    expect(read(dir, 'Dockerfile')).toBe(FIXED);
  });

  it.each([
    [{ rule: {} }, 'unknown key "rule" (did you mean "rules"?)', 2],
    [{ rules: { 'test-frm-as': 'off' } }, 'unknown rule "test-frm-as" (did you mean "test-from-as"?)', 3],
    [{ rules: { 'test-pin': ['on', { tga: 'x' }] } }, 'rule "test-pin": unknown option "tga" (did you mean "tag"?) (accepted: tag)', 3],
    [{ rules: { 'test-from-as': 'sometimes' } }, 'rule "test-from-as": unknown setting "sometimes"', 3],
    [{ rules: { 'test-from-as': ['on', { x: 1 }] } }, 'unknown option "x" (this rule takes no options)', 3],
    [{ pins: { alpine: 3 } }, 'pin "alpine" must map an image name to a non-empty tag string', 3],
    [{ context: 'nowhere' }, '"context" "nowhere" is not a directory', 2],
  ])('%j is an error naming the config file (exit 2), the file untouched', async (config, message, line) => {
    const dir = tree({ '.dockerfixrc.json': JSON.stringify(config, null, 2), Dockerfile: FIXABLE, 'other/.dockerfixrc.json': '{}', 'other/Dockerfile': FIXABLE });
    const r = await dockerfix(dir, ['.']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`.dockerfixrc.json:${line}:`);
    expect(r.err).toContain(message);
    expect(read(dir, 'Dockerfile')).toBe(FIXABLE);
    expect(read(dir, 'other/Dockerfile')).toBe(FIXED);
  });

  it('invalid JSON is an error with its position', async () => {
    const dir = tree({ '.dockerfixrc.json': '{\n  "rules": {,}\n}', Dockerfile: FIXABLE });
    const r = await dockerfix(dir, []);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\.dockerfixrc\.json:2:\d+: error: config error: invalid JSON/);
  });

  it('a broken config shared by many files is reported once', async () => {
    const dir = tree({ '.dockerfixrc.json': '{"bad": 1}', 'a/Dockerfile': FIXABLE, 'b/Dockerfile': FIXABLE });
    const r = await dockerfix(dir, ['.']);
    expect(r.err.match(/unknown key "bad"/g)).toHaveLength(1);
  });

  it('--config FILE is used for every input; a broken one stops the run', async () => {
    const dir = tree({ 'cfg.json': JSON.stringify({ rules: { 'test-from-as': 'off' } }), 'a/.dockerfixrc.json': '{}', 'a/Dockerfile': FIXABLE, 'bad.json': '{"x":1}' });
    await dockerfix(dir, ['--config', 'cfg.json', '.']);
    expect(read(dir, 'a/Dockerfile')).toBe(FIXABLE);
    const r = await dockerfix(dir, ['--config', 'bad.json', '.']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('bad.json:1:2: config error: unknown key "x"');
    const missing = await dockerfix(dir, ['--config', 'nope.json', '.']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('nope.json: config error: cannot read config: no such file');
  });
});

describe('build context', () => {
  const files = { 'app/Dockerfile': 'FROM alpine:3.20\nCOPY main.go /src/\n', 'app/main.go': 'x', 'ctx/other': 'x' };

  it('defaults to the Dockerfile folder', async () => {
    const dir = tree(files);
    const r = await dockerfix(dir, ['--check', '.']);
    expect(r.out).not.toContain('test-context');
  });

  it('--context DIR overrides it', async () => {
    const dir = tree(files);
    const r = await dockerfix(dir, ['--check', '--context', 'ctx', '.']);
    expect(r.out).toContain(`suggestion test-context: main.go is not in the build context ${path.join(dir, 'ctx')}`);
  });

  it('config "context" is relative to the config file', async () => {
    const dir = tree({ ...files, 'app/.dockerfixrc.json': JSON.stringify({ context: '../ctx' }) });
    const r = await dockerfix(dir, ['--check', '.']);
    expect(r.out).toContain(`build context ${path.join(dir, 'ctx')}`);
  });
});

describe('inline control comments, end to end', () => {
  it('# dockerfix-ignore=rule above an instruction, and # dockerfix-ignore-file', async () => {
    const dir = tree({
      'a/Dockerfile': '# dockerfix-ignore=test-from-as\nFROM alpine as build\nFROM alpine as two\n',
      'b/Dockerfile': '# dockerfix-ignore-file\nFROM alpine as build\n',
      'c/Dockerfile': '# hadolint ignore=DL3006\nFROM alpine as build\n',
    });
    const r = await dockerfix(dir, ['--unsafe', '.']);
    expect(r.code).toBe(0);
    expect(read(dir, 'a/Dockerfile')).toBe('# dockerfix-ignore=test-from-as\nFROM alpine:3.20 as build\nFROM alpine:3.20 AS two\n');
    expect(read(dir, 'b/Dockerfile')).toBe('# dockerfix-ignore-file\nFROM alpine as build\n');
    expect(read(dir, 'c/Dockerfile')).toBe('# hadolint ignore=DL3006\nFROM alpine AS build\n');
  });
});

describe('writes', () => {
  it('keeps the mode and leaves no temp file', async () => {
    const dir = tree({ Dockerfile: FIXABLE });
    fs.chmodSync(path.join(dir, 'Dockerfile'), 0o640);
    await dockerfix(dir, []);
    expect(fs.statSync(path.join(dir, 'Dockerfile')).mode & 0o777).toBe(0o640);
    expect(tempLeftovers(dir)).toEqual([]);
  });

  it('a symlinked Dockerfile: the target is written, the link kept', async () => {
    const dir = tree({ 'real/Dockerfile.prod': FIXABLE, 'app/.keep': '' });
    fs.symlinkSync('../real/Dockerfile.prod', path.join(dir, 'app/Dockerfile'));
    const r = await dockerfix(dir, ['app']);
    expect(r.code).toBe(0);
    expect(fs.lstatSync(path.join(dir, 'app/Dockerfile')).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(path.join(dir, 'app/Dockerfile'))).toBe('../real/Dockerfile.prod');
    expect(read(dir, 'real/Dockerfile.prod')).toBe(FIXED);
  });

  it('a file reached twice (path and link) is processed once', async () => {
    const dir = tree({ Dockerfile: FIXABLE });
    fs.symlinkSync('Dockerfile', path.join(dir, 'Containerfile'));
    const r = await dockerfix(dir, ['--check', '.', 'Dockerfile']);
    expect(r.out).toContain('(1 file checked)');
  });
});

describe('--format', () => {
  // Against src/format's API: format(text, prettierOptions) → Promise<string>.
  it('lays out the fixed text exactly as the format API does, with the Prettier config of the file', async () => {
    const dir = tree({ 'Dockerfile': 'from alpine as build\nrun   echo hi\n', '.prettierrc.json': JSON.stringify({ tabWidth: 8 }) });
    const { format } = await import('../../src/format/index.js');
    const prettier = await import('prettier');
    const fixed = 'from alpine AS build\nrun   echo hi\n';
    const config = await prettier.resolveConfig(path.join(dir, 'Dockerfile'), { editorconfig: true });
    const expected = await format(fixed, { ...config, filepath: path.join(dir, 'Dockerfile') });
    const r = await dockerfix(dir, ['--format', '--select', 'test-from-as', 'Dockerfile']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(read(dir, 'Dockerfile')).toBe(expected);
  });
});

describe('proposed files', () => {
  it('--dry-run shows a file a rule proposes to create; nothing is written', async () => {
    const proposer = {
      meta: { id: 'proposer', title: 'proposes', safety: 'suggestion' as const, related: [], docs: '' },
      check: (doc: { instructions: Array<{ start: number; end: number }> }) => [
        {
          ruleId: 'proposer', message: 'add a .dockerignore', start: doc.instructions[0].start, end: doc.instructions[0].end,
          safety: 'suggestion' as const, reason: 'smaller context', proposedFile: { path: '.dockerignore', content: '.git\n' },
        },
      ],
    };
    const dir = tree({ 'app/Dockerfile': CLEAN });
    const r = await dockerfix(dir, ['--dry-run', '.'], { rules: [proposer] });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`--- /dev/null\n+++ b/${path.join('app', '.dockerignore')}\n@@ -0,0 +1,1 @@\n+.git\n`);
    expect(r.out).toContain('proposes proposer: new file .dockerignore');
    expect(fs.existsSync(path.join(dir, 'app/.dockerignore'))).toBe(false);
  });
});

describe('--resolve and --write-dockerignore', () => {
  it('are parsed; rules see the answers (ctx.resolved), never the CLI flags', async () => {
    const seen: unknown[] = [];
    const spy = {
      meta: { id: 'spy', title: 'spy', safety: 'safe' as const, related: [], docs: '' },
      check(_doc: unknown, ctx: unknown) {
        seen.push(ctx);
        return [];
      },
    };
    const dir = tree({ Dockerfile: CLEAN });
    // The test rules include no pin-base-image, so --resolve has nothing to look up (and contacts nobody).
    const r = await dockerfix(dir, ['--resolve', '--write-dockerignore', '--check'], { rules: [spy, ...testRules] });
    expect(r.code).toBe(0);
    expect(seen[0]).not.toHaveProperty('cli');
    expect((seen[0] as { resolved?: Map<string, unknown> }).resolved?.size ?? 0).toBe(0);
  });
});
