/**
 * What SIGINT, SIGTERM and SIGHUP do to writes in flight (write.ts).
 *
 * A write's steps (open, write, fsync, rename) run on libuv's thread pool, so
 * a signal handler cannot simply delete the temp files it knows of: an open()
 * already queued creates its file a moment later, after the handler ran and
 * just before the process dies. That left a temp file behind about once in
 * a few hundred interrupted runs. So the handler only marks the process as
 * interrupted; every write stops at its next step (`stopIfInterrupted`),
 * removes its own temp file, and when the last one has settled the signal is
 * raised again, so the process still dies of it (exit status 128 + n).
 *
 * Bounded: a write in flight settles within one file-system call. Should one
 * hang (a dead network mount), `GRACE_MS` later the known temp files are
 * removed synchronously and the signal raised anyway; a second signal does
 * the same at once (Ctrl-C twice).
 *
 * Listeners exist only while a temp file does, so an idle process (or an
 * embedder's process between runs) keeps Node's default signal handling.
 */
import fs from 'node:fs';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const GRACE_MS = 2000;

const inFlight = new Set<string>();
let listening = false;
let interrupted: NodeJS.Signals | undefined;
let graceTimer: NodeJS.Timeout | undefined;

/** Thrown by a write that stopped because a signal came. */
export class InterruptedError extends Error {}

/** Call before each step of a write: throws once a signal has come, so the write cleans up and settles. */
export function stopIfInterrupted(): void {
  if (interrupted) throw new InterruptedError(`interrupted by ${interrupted}; not written`);
}

/** A temp file now exists (or is about to): remove it if the process is interrupted. */
export function track(temp: string): void {
  inFlight.add(temp);
  if (!listening) {
    listening = true;
    for (const s of SIGNALS) process.on(s, onSignal);
  }
}

/** The write using `temp` is over (renamed, linked or removed). */
export function settled(temp: string): void {
  inFlight.delete(temp);
  if (inFlight.size > 0) return;
  if (interrupted) raiseAgain(interrupted);
  else stopListening();
}

/**
 * Remove every temp file still in flight, synchronously. Their targets keep
 * the old content; a write whose rename already happened is complete, and
 * its unlink finds nothing.
 */
export function removeTempFiles(): void {
  for (const temp of inFlight) {
    try {
      fs.unlinkSync(temp);
    } catch {
      // already renamed, or not created yet
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) {
    // The second signal: stop waiting.
    removeTempFiles();
    raiseAgain(signal);
    return;
  }
  interrupted = signal;
  graceTimer = setTimeout(() => {
    removeTempFiles();
    raiseAgain(signal);
  }, GRACE_MS);
}

/** We were only cleaning up: let the signal do what it would have done. */
function raiseAgain(signal: NodeJS.Signals): void {
  clearTimeout(graceTimer);
  graceTimer = undefined;
  interrupted = undefined;
  inFlight.clear();
  stopListening();
  // When someone else listens (an embedder), the decision is theirs, and later writes may go ahead.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function stopListening(): void {
  if (!listening) return;
  listening = false;
  for (const s of SIGNALS) process.removeListener(s, onSignal);
}
