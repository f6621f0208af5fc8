/**
 * Atomic file replacement: the new content goes to a temporary file in the
 * same folder (same file system, so the rename is atomic), is flushed to disk,
 * then renamed over the original. Readers see the old file or the new one,
 * never half of either, and a crash leaves the original intact.
 *
 * - The temp name is unguessable (random bytes) and created with O_EXCL, so
 *   nobody can pre-create it or swap in a symlink.
 * - A symlinked Dockerfile: the link's target is replaced and the link kept.
 * - The original's permission bits (and, where allowed, owner) are kept.
 * - A file with no write permission is refused even for root: the user made
 *   it read-only, and rename() would otherwise quietly replace it.
 * - On any failure the temp file is removed and the original left as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeFsError } from './fs-errors.js';

export class WriteError extends Error {}

export interface WriteOptions {
  /** the file's size and mtime when it was read: refuse if someone changed it since */
  expect?: { size: number; mtimeMs: number };
  /** test hook: runs after the temp file is written, before the rename */
  beforeRename?: (tempPath: string) => void;
}

export function writeFileAtomic(file: string, content: string, options: WriteOptions = {}): void {
  let target: string;
  let st: fs.Stats;
  try {
    target = fs.realpathSync(file);
    st = fs.statSync(target);
  } catch (err) {
    throw new WriteError(`cannot write: ${describeFsError(err)}`);
  }
  if (!st.isFile()) throw new WriteError('cannot write: not a regular file');
  if ((st.mode & 0o222) === 0) throw new WriteError('cannot write: the file is read-only');
  try {
    fs.accessSync(target, fs.constants.W_OK);
  } catch {
    throw new WriteError('cannot write: permission denied');
  }
  if (options.expect && (st.size !== options.expect.size || st.mtimeMs !== options.expect.mtimeMs)) {
    throw new WriteError('the file changed while dockerfix was working on it; not written');
  }

  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(8).toString('hex')}.dockerfix-tmp`);
  let fd = -1;
  try {
    // 0600 while the content is incomplete; the original's mode is applied below.
    fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
    fs.writeFileSync(fd, content, 'utf8');
    fs.fchmodSync(fd, st.mode & 0o7777);
    keepOwner(fd, st);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = -1;
    options.beforeRename?.(temp);
    fs.renameSync(temp, target);
  } catch (err) {
    if (fd >= 0) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing; the original error is the one to report
      }
    }
    try {
      fs.unlinkSync(temp);
    } catch {
      // never created, or already renamed
    }
    throw new WriteError(`cannot write: ${describeFsError(err)}`);
  }
  syncDirectory(dir);
}

/** Keep uid/gid when they differ from ours (root editing someone's file); silently impossible otherwise. */
function keepOwner(fd: number, st: fs.Stats): void {
  if (typeof process.getuid !== 'function') return;
  if (st.uid === process.getuid() && st.gid === process.getgid?.()) return;
  try {
    fs.fchownSync(fd, st.uid, st.gid);
  } catch {
    // not permitted for non-root users: the file becomes ours, as with any editor's save
  }
}

/** Make the rename itself durable. Best effort: some platforms cannot fsync a directory. */
function syncDirectory(dir: string): void {
  let fd = -1;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // ignored: the data is already safe in the renamed file
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}
