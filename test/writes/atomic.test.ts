/** write.ts in-process: the clean-up of temp files in flight, and what it costs an idle process (nothing). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeTempFiles } from '../../src/cli/interrupt.js';
import { createFileAtomic, writeFileAtomic, WriteError } from '../../src/cli/write.js';
import { isRoot, NOBODY, TEMP_NAME, tempLeftovers, tempTree } from '../hostile/harness.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const listeners = (): number[] => SIGNALS.map((s) => process.listenerCount(s));
const idleBefore = listeners();
/** idle listener counts plus the test's own one on `signal` */
const idleWith = (signal: (typeof SIGNALS)[number]): number[] => SIGNALS.map((s, i) => idleBefore[i]! + (s === signal ? 1 : 0));

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

  it('removeTempFiles() (what a hung write\'s grace period or a second signal runs) deletes the temp file in flight; the write then fails and the original is kept', async () => {
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

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s while the temp files are still being opened on the thread pool: every write stops, removes its temp file, and the originals are kept', async (signal) => {
    // An embedder's own listener keeps the signal from killing the test process; the write path is the CLI's.
    const embedder = (): void => undefined;
    process.on(signal, embedder);
    try {
      const files: Record<string, string> = {};
      for (let i = 0; i < 20; i++) files[`d${i}/Dockerfile`] = `old ${i}`;
      const dir = tempTree(files);
      const writes = Object.keys(files).map((rel, i) => writeFileAtomic(path.join(dir, rel), `new ${i}`));
      // As soon as the first write has asked for its temp file (its open() still on the thread pool):
      // a handler that only deleted the temp files it knows of would find none yet.
      while (process.listenerCount(signal) === idleWith(signal)[SIGNALS.indexOf(signal)]) await new Promise((r) => setImmediate(r));
      process.emit(signal, signal);
      const results = await Promise.allSettled(writes);
      for (const [i, r] of results.entries()) {
        const content = fs.readFileSync(path.join(dir, `d${i}/Dockerfile`), 'utf8');
        if (r.status === 'rejected') {
          expect(String(r.reason)).toMatch(new RegExp(`interrupted by ${signal}; not written`));
          expect(content).toBe(`old ${i}`);
        } else expect(content).toBe(`new ${i}`);
      }
      expect(results.some((r) => r.status === 'rejected')).toBe(true);
      expect(tempLeftovers(dir)).toEqual([]);
      // The embedder kept the process alive: later writes go ahead, and listeners are back to idle.
      expect(listeners()).toEqual(idleWith(signal));
      await writeFileAtomic(path.join(dir, 'd0/Dockerfile'), 'later');
      expect(fs.readFileSync(path.join(dir, 'd0/Dockerfile'), 'utf8')).toBe('later');
    } finally {
      process.removeListener(signal, embedder);
    }
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
