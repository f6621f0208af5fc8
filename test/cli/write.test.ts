/** Atomic writes: mode, links, refusals, clean-up on failure. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, WriteError } from '../../src/cli/write.js';
import { isRoot, tempLeftovers, tree } from './helpers.js';

describe('writeFileAtomic', () => {
  it('replaces the content through a rename (new inode) and keeps the mode', async () => {
    const dir = tree({ f: 'old' });
    const file = path.join(dir, 'f');
    fs.chmodSync(file, 0o751);
    const before = fs.statSync(file);
    await writeFileAtomic(file, 'new');
    const after = fs.statSync(file);
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(after.mode & 0o7777).toBe(0o751);
    expect(after.ino).not.toBe(before.ino);
    expect(tempLeftovers(dir)).toEqual([]);
  });

  it('writes through a symlink to its target, keeping the link', async () => {
    const dir = tree({ 'target/f': 'old' });
    fs.symlinkSync('target/f', path.join(dir, 'link'));
    await writeFileAtomic(path.join(dir, 'link'), 'new');
    expect(fs.lstatSync(path.join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'target/f'), 'utf8')).toBe('new');
    expect(tempLeftovers(dir)).toEqual([]);
  });

  it('refuses a read-only file, even as root', async () => {
    const dir = tree({ f: 'old' });
    fs.chmodSync(path.join(dir, 'f'), 0o444);
    await expect(writeFileAtomic(path.join(dir, 'f'), 'new')).rejects.toThrow(/read-only/);
    expect(fs.readFileSync(path.join(dir, 'f'), 'utf8')).toBe('old');
  });

  it('refuses when the file changed since it was read', async () => {
    const dir = tree({ f: 'old' });
    const st = fs.statSync(path.join(dir, 'f'));
    fs.writeFileSync(path.join(dir, 'f'), 'someone else');
    await expect(writeFileAtomic(path.join(dir, 'f'), 'new', { expect: { size: st.size, mtimeMs: st.mtimeMs } })).rejects.toThrow(/changed while/);
    expect(fs.readFileSync(path.join(dir, 'f'), 'utf8')).toBe('someone else');
  });

  it('removes the temp file when the rename fails, and leaves the original', async () => {
    const dir = tree({ f: 'old' });
    let temp = '';
    await expect(
      writeFileAtomic(path.join(dir, 'f'), 'new', {
        beforeRename: (t) => {
          temp = t;
          expect(fs.readFileSync(t, 'utf8')).toBe('new');
          throw new Error('disk on fire');
        },
      }),
    ).rejects.toThrow(new WriteError('cannot write: disk on fire'));
    expect(path.dirname(temp)).toBe(dir);
    expect(path.basename(temp)).toMatch(/^\.f\.[0-9a-f]{16}\.dockerfix-tmp$/);
    expect(fs.existsSync(temp)).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'f'), 'utf8')).toBe('old');
  });

  it.skipIf(isRoot)('fails cleanly in a folder it may not write to (skipped as root: root may write anywhere)', async () => {
    const dir = tree({ 'ro/f': 'old' });
    fs.chmodSync(path.join(dir, 'ro'), 0o555);
    try {
      await expect(writeFileAtomic(path.join(dir, 'ro/f'), 'new')).rejects.toThrow(WriteError);
      expect(fs.readdirSync(path.join(dir, 'ro'))).toEqual(['f']);
    } finally {
      fs.chmodSync(path.join(dir, 'ro'), 0o755);
    }
  });

  it('refuses something that is not a regular file', async () => {
    const dir = tree({ d: null });
    await expect(writeFileAtomic(path.join(dir, 'd'), 'x')).rejects.toThrow(/not a regular file/);
  });
});
