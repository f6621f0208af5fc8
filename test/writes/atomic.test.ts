/** write.ts in-process: the clean-up of temp files in flight, and what it costs an idle process (nothing). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileAtomic, removeTempFiles, writeFileAtomic, WriteError } from '../../src/cli/write.js';
import { isRoot, NOBODY, TEMP_NAME, tempLeftovers, tempTree } from '../hostile/harness.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const listeners = (): number[] => SIGNALS.map((s) => process.listenerCount(s));

describe('temp files in flight', () => {
  it('signal listeners exist only while a write is in flight, so an idle process keeps Node\'s default signal handling', async () => {
    const dir = tempTree({ f: 'old' });
    const idle = listeners();
    let during: number[] = [];
    await writeFileAtomic(path.join(dir, 'f'), 'new', { beforeRename: () => void (during = listeners()) });
    expect(during).toEqual(idle.map((n) => n + 1));
    expect(listeners()).toEqual(idle);
    await createFileAtomic(path.join(dir, 'g'), 'created');
    expect(listeners()).toEqual(idle);
    await expect(writeFileAtomic(path.join(dir, 'f'), 'x', { beforeRename: () => { throw new Error('boom'); } })).rejects.toThrow(WriteError);
    expect(listeners()).toEqual(idle);
  });

  it('removeTempFiles() (what a signal or a closed stdout runs) deletes the temp file in flight; the write then fails and the original is kept', async () => {
    const dir = tempTree({ Dockerfile: 'old' });
    let temp = '';
    await expect(
      writeFileAtomic(path.join(dir, 'Dockerfile'), 'new', {
        beforeRename: (t) => {
          temp = t;
          expect(path.basename(t)).toMatch(TEMP_NAME);
          removeTempFiles();
        },
      }),
    ).rejects.toThrow(/cannot write: no such file or directory/);
    expect(fs.existsSync(temp)).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe('old');
    expect(tempLeftovers(dir)).toEqual([]);
  });

  it('many writes at once each clean up after themselves', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 50; i++) files[`d${i}/Dockerfile`] = `old ${i}`;
    const dir = tempTree(files);
    await Promise.all(Object.keys(files).map((rel, i) => writeFileAtomic(path.join(dir, rel), `new ${i}`)));
    for (let i = 0; i < 50; i++) expect(fs.readFileSync(path.join(dir, `d${i}/Dockerfile`), 'utf8')).toBe(`new ${i}`);
    expect(tempLeftovers(dir)).toEqual([]);
  });
});

describe.skipIf(!isRoot)(`owner and mode${isRoot ? '' : ' (skipped: needs root to chown)'}`, () => {
  it('keeps set-user-ID and set-group-ID bits when giving the file back to its owner (chown clears them, so it comes first)', async () => {
    const dir = tempTree({ f: 'old' });
    const file = path.join(dir, 'f');
    fs.chownSync(file, NOBODY.uid, NOBODY.gid);
    fs.chmodSync(file, 0o6755);
    await writeFileAtomic(file, 'new');
    const st = fs.statSync(file);
    expect({ uid: st.uid, gid: st.gid, mode: (st.mode & 0o7777).toString(8) }).toEqual({ uid: NOBODY.uid, gid: NOBODY.gid, mode: '6755' });
  });
});
