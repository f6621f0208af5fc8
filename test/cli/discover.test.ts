/** Which files a directory walk picks up. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover, isDockerfileName } from '../../src/cli/discover.js';
import { tree } from './helpers.js';

const names = (dir: string, paths: string[] = ['.']): string[] => discover(paths, dir).files.map((f) => f.display.split(path.sep).join('/'));

describe('file names', () => {
  it.each([
    'Dockerfile', 'Containerfile', 'dockerfile', 'api.Dockerfile', 'api.dockerfile', 'Dockerfile.prod', 'Containerfile.dev', 'Dockerfile.windows.ltsc2022',
  ])('%s is a Dockerfile', (name) => expect(isDockerfileName(name)).toBe(true));

  it.each([
    'Dockerfile.dockerignore', 'api.Dockerfile.dockerignore', 'Dockerfile~', 'Dockerfile.orig', 'Dockerfile.rej', 'Dockerfile.bak', 'Dockerfile.swp',
    'DOCKERFILE', 'Dockerfile-prod', 'dockerfile.prod', 'containerfile', '.Dockerfile', 'Dockerfile.', 'README.md', 'Dockerfiles',
  ])('%s is not', (name) => expect(isDockerfileName(name)).toBe(false));
});

describe('walking', () => {
  it('recurses, sorted, skipping .git and node_modules', () => {
    const dir = tree({
      'Dockerfile': '', 'b/Containerfile': '', 'a/x.Dockerfile': '', 'a/Dockerfile.dockerignore': '',
      '.git/Dockerfile': '', 'node_modules/pkg/Dockerfile': '', 'deep/er/still/Dockerfile.ci': '',
    });
    expect(names(dir)).toEqual(['Dockerfile', 'a/x.Dockerfile', 'b/Containerfile', 'deep/er/still/Dockerfile.ci']);
  });

  it('honours .gitignore, nested ones relative to their folder, and negation', () => {
    const dir = tree({
      '.gitignore': 'build/\n*.generated.Dockerfile\n',
      'build/Dockerfile': '',
      'keep.generated.Dockerfile': '',
      'svc/.gitignore': '!keep.generated.Dockerfile\nlocal/\n/Dockerfile.tmpl\n',
      'svc/keep.generated.Dockerfile': '',
      'svc/local/Dockerfile': '',
      'svc/Dockerfile.tmpl': '',
      'svc/sub/Dockerfile.tmpl': '',
      'svc/Dockerfile': '',
    });
    expect(names(dir)).toEqual(['svc/Dockerfile', 'svc/keep.generated.Dockerfile', 'svc/sub/Dockerfile.tmpl']);
  });

  it('applies .gitignore files above the walked folder up to the repository root', () => {
    const dir = tree({ '.git/HEAD': '', '.gitignore': 'gen/\n', 'app/gen/Dockerfile': '', 'app/Dockerfile': '' });
    expect(names(dir, ['app'])).toEqual(['app/Dockerfile']);
    // …but a folder the user names explicitly is walked even if ignored.
    expect(names(dir, ['app/gen'])).toEqual(['app/gen/Dockerfile']);
  });

  it('takes an explicit file whatever its name, and reports a missing path', () => {
    const dir = tree({ 'docker/prod.txt': '', Dockerfile: '' });
    const r = discover(['docker/prod.txt', 'nope', 'Dockerfile'], dir);
    expect(r.files.map((f) => f.display)).toEqual([path.join('docker', 'prod.txt'), 'Dockerfile']);
    expect(r.errors).toEqual([{ display: 'nope', message: 'no such file or directory' }]);
  });

  it('takes an explicit file even if .gitignore ignores it', () => {
    const dir = tree({ '.gitignore': 'Dockerfile\n', Dockerfile: '' });
    expect(names(dir)).toEqual([]);
    expect(names(dir, ['Dockerfile'])).toEqual(['Dockerfile']);
  });

  it('follows links to files, not to folders (no cycles)', () => {
    const dir = tree({ 'real/Dockerfile': '', 'a/.keep': '' });
    fs.symlinkSync('../real', path.join(dir, 'a/loop'));
    fs.symlinkSync('..', path.join(dir, 'real/up'));
    fs.symlinkSync('../real/Dockerfile', path.join(dir, 'a/Dockerfile'));
    expect(names(dir)).toEqual(['a/Dockerfile']); // real/Dockerfile is the same file: once
  });

  it('shows paths outside the working directory as absolute', () => {
    const dir = tree({ 'x/Dockerfile': '' });
    const elsewhere = tree({});
    expect(discover([path.join(dir, 'x')], elsewhere).files[0].display).toBe(path.join(dir, 'x', 'Dockerfile'));
  });
});
