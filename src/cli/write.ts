/**
 * Atomic file replacement: the new content goes to a temporary file in the
 * same folder (same file system, so the rename is atomic), is flushed to disk,
 * then renamed over the original. Readers see the old file or the new one,
 * never half of either, and a crash leaves one of the two complete files.
 *
 * - The temp name is unguessable (random bytes) and created with O_EXCL, so
 *   nobody can pre-create it or swap in a symlink.
 * - A symlinked Dockerfile: the link's target is replaced and the link kept.
 * - The original's permission bits (and, where allowed, owner) are kept.
 * - A file with no write permission is refused even for root: the user made
 *   it read-only, and rename() would otherwise quietly replace it.
 * - On any failure the temp file is removed and the original left as it was.
 * - Interrupted (SIGINT, SIGTERM, SIGHUP: see interrupt.ts), every write in
 *   flight stops at its next step, removes its temp file, and only then does
 *   the process die of the signal. Only SIGKILL
 *   (or a power cut) can leave one: at most one per write in flight (run.ts
 *   keeps at most WRITE_WINDOW = 8), named `.NAME.<16 hex>.dockerfix-tmp`,
 *   which discovery never takes for a Dockerfile. They are not deleted by
 *   later runs, which cannot tell them from a concurrent run's.
 *
 * Asynchronous so that run.ts can fix the next file while this one's fsync
 * runs on libuv's thread pool (the fsync dominates the cost of a write).
 * The folder itself is not fsynced: that would only decide which of two
 * complete versions survives a power cut, at twice the cost (as npm's
 * write-file-atomic, we leave that to the file system).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeFsError } from './fs-errors.js';
import { settled, stopIfInterrupted, track } from './interrupt.js';

export class WriteError extends Error {}

export interface WriteOptions {
  /** the file's size and mtime when it was read: refuse if someone changed it since */
  expect?: { size: number; mtimeMs: number };
  /** test hook: runs after the temp file is written, before the rename */
  beforeRename?: (tempPath: string) => void;
}

export async function writeFileAtomic(file: string, content: string, options: WriteOptions = {}): Promise<void> {
  let target: string;
  let st: fs.Stats;
  try {
    target = await fsp.realpath(file);
    st = await fsp.stat(target);
  } catch (err) {
    throw new WriteError(`cannot write: ${describeFsError(err)}`);
  }
  if (!st.isFile()) throw new WriteError('cannot write: not a regular file');
  if ((st.mode & 0o222) === 0) throw new WriteError('cannot write: the file is read-only');
  try {
    await fsp.access(target, fs.constants.W_OK);
  } catch {
    throw new WriteError('cannot write: permission denied');
  }
  if (options.expect && (st.size !== options.expect.size || st.mtimeMs !== options.expect.mtimeMs)) {
    throw new WriteError('the file changed while dockerfix was working on it; not written');
  }

  notInterrupted();
  const temp = tempNameFor(target);
  let handle: fsp.FileHandle | undefined;
  track(temp);
  try {
    // 0600 while the content is incomplete; the original's mode is applied below.
    // After each step that ran on the thread pool: stop if a signal came meanwhile.
    handle = await openTemp(temp, 0o600);
    stopIfInterrupted();
    await handle.writeFile(content, 'utf8');
    stopIfInterrupted();
    // Owner first: chown() clears the set-user-ID and set-group-ID bits, even for root.
    await keepOwner(handle, st);
    await handle.chmod(st.mode & 0o7777);
    await handle.sync();
    await handle.close();
    handle = undefined;
    stopIfInterrupted();
    options.beforeRename?.(temp);
    await fsp.rename(temp, target);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fsp.unlink(temp).catch(() => undefined); // never created, or already renamed
    if (err instanceof WriteError) throw err;
    throw new WriteError(`cannot write: ${err instanceof Error && !(err as NodeJS.ErrnoException).code ? err.message : describeFsError(err)}`);
  } finally {
    settled(temp);
  }
}

/** A write that has not started yet refuses to start once a signal came. */
function notInterrupted(): void {
  try {
    stopIfInterrupted();
  } catch (err) {
    throw new WriteError(`cannot write: ${(err as Error).message}`);
  }
}

/** `.NAME.<16 hex>.dockerfix-tmp` beside `file`: hidden, unguessable, never a Dockerfile name. */
function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(8).toString('hex')}.dockerfix-tmp`);
}

/** O_EXCL create; a folder we may not create files in is named as the cause (the file itself may be writable). */
async function openTemp(temp: string, mode: number): Promise<fsp.FileHandle> {
  try {
    return await fsp.open(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new WriteError(`cannot write: cannot create a temporary file in its folder (${describeFsError(err)})`);
    }
    throw err;
  }
}

/**
 * Keep uid/gid when they differ from ours (root editing someone's file). A
 * non-root user cannot give the file away, but may keep its group when a
 * member of it (a team's shared checkout); otherwise the file becomes ours,
 * as with any editor's save.
 */
async function keepOwner(handle: fsp.FileHandle, st: fs.Stats): Promise<void> {
  if (typeof process.getuid !== 'function') return;
  if (st.uid === process.getuid() && st.gid === process.getgid?.()) return;
  try {
    await handle.chown(st.uid, st.gid);
  } catch {
    try {
      await handle.chown(-1, st.gid);
    } catch {
      // not a member of the file's group either
    }
  }
}

/** `createFileAtomic` found a file (or anything else) already at the path: nothing was written. */
export class FileExistsError extends WriteError {}

/**
 * Create a file that must not exist yet (a proposed `.dockerignore`), with
 * the same guarantees as a replacement: the content is complete and flushed
 * before the name appears. The temp file is hard-linked to the name, and
 * link() fails with EEXIST instead of replacing what is there, so even a file
 * created a moment ago by someone else is never overwritten (rename() would).
 * The new file gets the usual 0666 minus umask, as any editor would create it.
 */
export async function createFileAtomic(file: string, content: string): Promise<void> {
  notInterrupted();
  const temp = tempNameFor(file);
  let handle: fsp.FileHandle | undefined;
  track(temp);
  try {
    handle = await openTemp(temp, 0o666);
    stopIfInterrupted();
    await handle.writeFile(content, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    stopIfInterrupted();
    try {
      await fsp.link(temp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new FileExistsError('already exists; never overwritten');
      throw err;
    }
  } catch (err) {
    await handle?.close().catch(() => undefined);
    if (err instanceof WriteError) throw err;
    throw new WriteError(`cannot write: ${describeFsError(err)}`);
  } finally {
    await fsp.unlink(temp).catch(() => undefined); // never created, or the link now holds the content
    settled(temp);
  }
}
