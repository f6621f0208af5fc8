/**
 * Proposed files (`Finding.proposedFile`) and `--write-dockerignore`: created
 * atomically in the build context the rule saw, never over an existing file,
 * never under --dry-run/--check; shown from /dev/null under --dry-run; a
 * proposal alone never makes --check exit 1. In-process with the real
 * build-context rule (and, for the edge cases, small rules of our own).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import type { Rule } from '../../src/rules/types.js';
import { dockerfix as runIn, isRoot, read, tempLeftovers, tree } from './helpers.js';

const dockerfix = (cwd: string, args: string[], opts: { rules?: readonly Rule[]; stdin?: string } = {}) =>
  runIn(cwd, args, { rules: opts.rules ?? rules, stdin: opts.stdin });

/** A context the real build-context rule proposes a .dockerignore for (.git and node_modules), and a clean Dockerfile. */
function project(files: Record<string, string | null> = {}): string {
  return tree({
    Dockerfile: 'FROM scratch\nCOPY . /app\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
    'node_modules/x/index.js': '',
    ...files,
  });
}
const PROPOSAL = '# Proposed by dockerfix: keep these out of the build context\n.git\nnode_modules\n';

/** Proposes `path` with `content` on every file, whatever is on disk (the real rule would not, once the file exists). */
function proposer(relPath: string, content = 'proposed\n'): Rule {
  return {
    meta: { id: 'proposer', title: 'proposes a file', safety: 'suggestion', related: [], docs: '' },
    check: (doc) => [
      {
        ruleId: 'proposer', message: `add ${relPath}`, start: doc.instructions[0]!.start, end: doc.instructions[0]!.end,
        safety: 'suggestion', reason: 'test', proposedFile: { path: relPath, content },
      },
    ],
  };
}

describe('--write-dockerignore', () => {
  it('creates the proposed file beside the Dockerfile, reports "wrote", and keeps the usual mode; no temp file is left', async () => {
    const dir = project();
    const r = await dockerfix(dir, ['--write-dockerignore']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(read(dir, '.dockerignore')).toBe(PROPOSAL);
    expect(r.out).toContain('Dockerfile: wrote .dockerignore (proposed by build-context)\n');
    expect(r.out).toContain('Wrote 1 proposed file.\n');
    // 0666 minus the umask, as a file any other tool creates there.
    fs.writeFileSync(path.join(dir, 'probe'), '');
    expect(fs.statSync(path.join(dir, '.dockerignore')).mode & 0o777).toBe(fs.statSync(path.join(dir, 'probe')).mode & 0o777);
    expect(tempLeftovers(dir)).toEqual([]);
    // The real rule sees it now and proposes nothing more.
    const again = await dockerfix(dir, ['--write-dockerignore', '--dry-run']);
    expect(again.out).not.toContain('.dockerignore');
  });

  it('writes into the build context the rule saw (--context), named relative to the working directory', async () => {
    const dir = tree({ 'docker/Dockerfile': 'FROM scratch\nCOPY . /app\n', 'app/.git/HEAD': '', 'app/src/main.c': '' });
    const r = await dockerfix(dir, ['--write-dockerignore', '--context', 'app', 'docker/Dockerfile', '--reporter', 'json']);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'docker/.dockerignore'))).toBe(false);
    expect(read(dir, 'app/.dockerignore')).toContain('.git\n');
    const file = JSON.parse(r.out).files[0];
    expect(file.proposedFiles).toEqual([{ ruleId: 'build-context', path: '.dockerignore', file: path.join('app', '.dockerignore'), content: read(dir, 'app/.dockerignore'), status: 'written' }]);
    expect(JSON.parse(r.out).summary.proposedWritten).toBe(1);
  });

  it('never overwrites: an existing file, a dangling symlink, or the file another Dockerfile of the context just wrote', async () => {
    const dir = tree({ Dockerfile: 'FROM scratch\n', '.dockerignore': 'mine\n' });
    const r = await dockerfix(dir, ['--write-dockerignore'], { rules: [proposer('.dockerignore')] });
    expect(r.code).toBe(0);
    expect(read(dir, '.dockerignore')).toBe('mine\n');
    expect(r.out).toContain('Dockerfile: proposer: .dockerignore already exists; not overwritten\n');
    expect(r.out).not.toContain('wrote');

    const linked = tree({ Dockerfile: 'FROM scratch\n' });
    fs.symlinkSync(path.join(linked, 'elsewhere'), path.join(linked, '.dockerignore'));
    const viaLink = await dockerfix(linked, ['--write-dockerignore', '--reporter', 'json'], { rules: [proposer('.dockerignore')] });
    expect(JSON.parse(viaLink.out).files[0].proposedFiles[0].status).toBe('exists');
    expect(fs.existsSync(path.join(linked, 'elsewhere'))).toBe(false);

    // Two Dockerfiles, one context: both propose before either writes; the first in discovery order wins.
    const two = project({ 'Dockerfile.dev': 'FROM scratch\nCOPY . /src\n' });
    const both = await dockerfix(two, ['--write-dockerignore', '.']);
    expect(both.code).toBe(0);
    expect(both.out).toContain('Dockerfile: wrote .dockerignore (proposed by build-context)\n');
    expect(both.out).toContain('Dockerfile.dev: build-context: .dockerignore already exists; not overwritten\n');
    expect(read(two, '.dockerignore')).toBe(PROPOSAL);
    expect(tempLeftovers(two)).toEqual([]);
  });

  it('writes only ignore files, and only inside the build context', async () => {
    const dir = tree({ 'ctx/Dockerfile': 'FROM scratch\n' });
    const other = await dockerfix(dir, ['--write-dockerignore', 'ctx'], { rules: [proposer('README.md')] });
    expect(other.code).toBe(0);
    expect(other.out).toContain('proposes proposer: new file README.md (dockerfix does not write it)');
    expect(fs.existsSync(path.join(dir, 'ctx/README.md'))).toBe(false);

    const perDockerfile = await dockerfix(dir, ['--write-dockerignore', 'ctx'], { rules: [proposer('Dockerfile.dockerignore')] });
    expect(perDockerfile.code).toBe(0);
    expect(read(dir, 'ctx/Dockerfile.dockerignore')).toBe('proposed\n');

    const outside = await dockerfix(dir, ['--write-dockerignore', 'ctx'], { rules: [proposer('../.dockerignore')] });
    expect(outside.err).toContain('internal error in proposer: proposed a file outside the build context (../.dockerignore); ignored');
    expect(fs.existsSync(path.join(dir, '.dockerignore'))).toBe(false);
  });

  it('a failed write is an error (exit 2) naming the file; the Dockerfile is still fixed and reported', async () => {
    // `sub` is a file, so nothing can be created under it, not even by root.
    const dir = tree({ Dockerfile: 'FROM scratch as build\n', sub: 'a file\n' });
    const fixAs = rules.filter((r) => r.meta.id === 'from-as-casing');
    const r = await dockerfix(dir, ['--write-dockerignore', '--reporter', 'json'], { rules: [...fixAs, proposer('sub/.dockerignore')] });
    expect(r.code).toBe(2);
    expect(r.err).toBe(`Dockerfile: error: ${path.join('sub', '.dockerignore')}: cannot write: not a directory (proposed by proposer)\n`);
    const json = JSON.parse(r.out);
    expect(json.files[0]).toMatchObject({ status: 'changed', written: true, proposedFiles: [{ status: 'error' }] });
    expect(json.summary).toMatchObject({ errors: 1, written: 1, proposedWritten: 0 });
    expect(read(dir, 'Dockerfile')).toBe('FROM scratch AS build\n');
    expect(tempLeftovers(dir)).toEqual([]);
  });

  it.skipIf(isRoot)('in a folder without write permission both writes fail, each reported (exit 2)', async () => {
    const dir = tree({ 'ro/Dockerfile': 'FROM scratch as build\n' });
    const fixAs = rules.filter((r) => r.meta.id === 'from-as-casing');
    fs.chmodSync(path.join(dir, 'ro'), 0o555);
    try {
      // The Dockerfile is replaced through a temp file in its folder too, so it fails as well.
      const r = await dockerfix(dir, ['--write-dockerignore', 'ro'], { rules: [...fixAs, proposer('.dockerignore')] });
      expect(r.code).toBe(2);
      expect(r.err).toContain(`ro/Dockerfile: error: ${path.join('ro', '.dockerignore')}: cannot write: permission denied (proposed by proposer)`);
    } finally {
      fs.chmodSync(path.join(dir, 'ro'), 0o755);
    }
    expect(fs.existsSync(path.join(dir, 'ro/.dockerignore'))).toBe(false);
  });

  it('is a usage error with --stdin-filepath (nothing is ever written beside a piped file)', async () => {
    const dir = tree();
    const r = await dockerfix(dir, ['--write-dockerignore', '--stdin-filepath', 'Dockerfile'], { stdin: 'FROM scratch\n' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('--write-dockerignore writes beside a Dockerfile on disk: it cannot be used with --stdin-filepath');
  });
});

describe('--dry-run and --check', () => {
  it('--dry-run shows the proposal as a diff from /dev/null with the finding and its reason, and writes nothing', async () => {
    const dir = tree({ 'app/Dockerfile': 'FROM scratch\nCOPY . /app\n', 'app/.git/HEAD': '', 'app/node_modules/x.js': '' });
    for (const args of [['--dry-run'], ['--dry-run', '--write-dockerignore']]) {
      const r = await dockerfix(dir, [...args, '.']);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`--- /dev/null\n+++ b/app/.dockerignore\n@@ -0,0 +1,3 @@\n+${PROPOSAL.trimEnd().split('\n').join('\n+')}\n`);
      expect(r.out).toMatch(
        /app\/Dockerfile:1:1: suggestion build-context: no \.dockerignore: .* \(suggestion: a \.dockerignore is a file beside the Dockerfile: written only on request \(--write-dockerignore\), after review\)\n/,
      );
      expect(r.out).toContain(
        args.includes('--write-dockerignore')
          ? 'app/Dockerfile: proposes build-context: new file .dockerignore (not written under --dry-run/--check)\n'
          : 'app/Dockerfile: proposes build-context: new file .dockerignore (written with --write-dockerignore)\n',
      );
      expect(fs.existsSync(path.join(dir, 'app/.dockerignore'))).toBe(false);
      expect(tempLeftovers(dir)).toEqual([]);
    }
  });

  it('--dry-run shows one diff per proposed path, and none for a file that exists', async () => {
    const two = project({ 'Dockerfile.dev': 'FROM scratch\nCOPY . /src\n' });
    const r = await dockerfix(two, ['--dry-run', '.']);
    expect(r.out.split('+++ b/.dockerignore').length - 1).toBe(1);
    const existing = tree({ Dockerfile: 'FROM scratch\n', '.dockerignore': 'mine\n' });
    const e = await dockerfix(existing, ['--dry-run'], { rules: [proposer('.dockerignore')] });
    expect(e.out).not.toContain('+++ b/.dockerignore');
    expect(e.out).toContain('.dockerignore already exists; not overwritten');
  });

  it('--check: a proposal alone exits 0 (it is a suggestion) and writes nothing, with or without --write-dockerignore', async () => {
    const dir = project();
    for (const args of [['--check'], ['--check', '--write-dockerignore']]) {
      const r = await dockerfix(dir, args);
      expect(r.code).toBe(0);
      expect(r.out).toContain('proposes build-context: new file .dockerignore');
      expect(fs.existsSync(path.join(dir, '.dockerignore'))).toBe(false);
    }
    // A fix that is due still makes it 1.
    const due = project({ Dockerfile: 'FROM scratch as build\nCOPY . /app\n' });
    expect((await dockerfix(due, ['--check', '--write-dockerignore'])).code).toBe(1);
    expect(fs.existsSync(path.join(due, '.dockerignore'))).toBe(false);
    expect(read(due, 'Dockerfile')).toBe('FROM scratch as build\nCOPY . /app\n');
  });
});
