/**
 * A rewritten Dockerfile keeps its permission bits and its owner, through
 * the real CLI: root fixing someone else's file gives it back to them with
 * every mode bit (set-user-ID and set-group-ID included: chown() clears them,
 * so write.ts chowns first), and a user fixing a team's group-writable file
 * keeps the file's group when a member of it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canRunAsNobody, ensureBuilt, isRoot, NOBODY, noNobodyReason, runCli, tempLeftovers, tempTree } from '../hostile/harness.js';

beforeAll(ensureBuilt, 180_000);

const FIXABLE = 'FROM alpine:3.20 as build\nRUN echo ok\n';
const FIXED = 'FROM alpine:3.20 AS build\nRUN echo ok\n';
const ONLY = ['--select', 'from-as-casing'];
/** a group nobody is not in by default (Debian's "users") */
const USERS_GID = 100;

describe.skipIf(!isRoot)(`root rewriting other users' files${isRoot ? '' : ' (skipped: needs root to chown)'}`, () => {
  it.each([
    ['0640', 0o640],
    ['0755', 0o755],
    ['set-user-ID and set-group-ID 6755', 0o6755],
    ['sticky 1644', 0o1644],
  ])('keeps uid, gid and mode %s of a file owned by nobody:nogroup', async (_name, mode) => {
    const dir = tempTree({ 'svc/Dockerfile': FIXABLE });
    const file = path.join(dir, 'svc/Dockerfile');
    fs.chownSync(file, NOBODY.uid, NOBODY.gid);
    fs.chmodSync(file, mode);
    const before = fs.statSync(file);
    const r = await runCli([...ONLY, 'svc'], { cwd: dir, timeoutMs: 30_000 });
    expect(r.code, r.err).toBe(0);
    const after = fs.statSync(file);
    expect(fs.readFileSync(file, 'utf8')).toBe(FIXED);
    expect(after.ino).not.toBe(before.ino); // really replaced, not rewritten in place
    expect({ uid: after.uid, gid: after.gid, mode: (after.mode & 0o7777).toString(8) }).toEqual({ uid: NOBODY.uid, gid: NOBODY.gid, mode: mode.toString(8) });
    expect(tempLeftovers(dir)).toEqual([]);
  });

  it('keeps the owner and mode of a symlinked Dockerfile\'s target, and the link itself', async () => {
    const dir = tempTree({ 'real/Dockerfile.base': FIXABLE });
    const target = path.join(dir, 'real/Dockerfile.base');
    fs.chownSync(target, NOBODY.uid, USERS_GID);
    fs.chmodSync(target, 0o664);
    fs.mkdirSync(path.join(dir, 'svc'));
    fs.symlinkSync('../real/Dockerfile.base', path.join(dir, 'svc/Dockerfile'));
    const r = await runCli([...ONLY, 'svc/Dockerfile'], { cwd: dir, timeoutMs: 30_000 });
    expect(r.code, r.err).toBe(0);
    const st = fs.statSync(target);
    expect(fs.readFileSync(target, 'utf8')).toBe(FIXED);
    expect({ uid: st.uid, gid: st.gid, mode: st.mode & 0o7777 }).toEqual({ uid: NOBODY.uid, gid: USERS_GID, mode: 0o664 });
    expect(fs.readlinkSync(path.join(dir, 'svc/Dockerfile'))).toBe('../real/Dockerfile.base');
  });
});

describe.skipIf(!canRunAsNobody)(`a non-root user rewriting a shared file${canRunAsNobody ? '' : ` (skipped: ${noNobodyReason})`}`, () => {
  it("keeps the file's group when the user is a member of it (the owner becomes the user, as with any editor's save)", async () => {
    const dir = tempTree({ 'team/Dockerfile': FIXABLE }, { worldReadable: true });
    const file = path.join(dir, 'team/Dockerfile');
    fs.chmodSync(path.join(dir, 'team'), 0o777);
    fs.chownSync(file, 0, USERS_GID);
    fs.chmodSync(file, 0o664);
    const r = await runCli([...ONLY, 'team'], { cwd: dir, timeoutMs: 30_000, asNobody: { groups: [USERS_GID] } });
    expect(r.code, r.err).toBe(0);
    const st = fs.statSync(file);
    expect(fs.readFileSync(file, 'utf8')).toBe(FIXED);
    expect({ uid: st.uid, gid: st.gid, mode: st.mode & 0o7777 }).toEqual({ uid: NOBODY.uid, gid: USERS_GID, mode: 0o664 });
  });

  it('refuses a file it may not write (root\'s, 0644) in one line, untouched, no temp file', async () => {
    const dir = tempTree({ 'team/Dockerfile': FIXABLE }, { worldReadable: true });
    fs.chmodSync(path.join(dir, 'team'), 0o777);
    const r = await runCli([...ONLY, 'team'], { cwd: dir, timeoutMs: 30_000, asNobody: true });
    expect(r.code).toBe(2);
    expect(r.err.split('\n').filter((l) => l.includes('error'))).toEqual(['team/Dockerfile: error: cannot write: permission denied']);
    expect(fs.readFileSync(path.join(dir, 'team/Dockerfile'), 'utf8')).toBe(FIXABLE);
    expect(tempLeftovers(dir)).toEqual([]);
  });
});
