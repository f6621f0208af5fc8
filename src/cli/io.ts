/**
 * The CLI's window on the outside world. `run()` takes one of these instead of
 * touching `process` directly, so tests can call it in-process and capture
 * everything it prints (the file system is still the real one).
 */
export interface OutStream {
  /** bytes are written as they are (stdin echoed back when it is not UTF-8) */
  write(chunk: string | Uint8Array): void;
  /** decides the default for colour */
  isTTY?: boolean;
}

export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
  /** all of standard input, as bytes (decoded by the caller, which checks UTF-8) */
  readStdin(): Promise<Uint8Array>;
  /** directory relative paths are resolved against and displayed relative to */
  cwd: string;
  env: Record<string, string | undefined>;
}

/** The real process. */
export function nodeIO(): CliIO {
  // `dockerfix --check . | head` closes the pipe early. The reader has gone, not the
  // job: later output is dropped, the run finishes (every file written completely or
  // not at all) and exits with its true code, so `set -o pipefail` still sees a
  // failed check. Exiting at once would report 0, "nothing to change".
  const gone = new Set<NodeJS.WritableStream>();
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') {
        gone.add(stream);
        return;
      }
      throw err;
    });
  }
  const writer = (stream: NodeJS.WriteStream) => (chunk: string | Uint8Array) => {
    if (!gone.has(stream)) stream.write(chunk);
  };
  return {
    stdout: { write: writer(process.stdout), isTTY: process.stdout.isTTY === true },
    stderr: { write: writer(process.stderr), isTTY: process.stderr.isTTY === true },
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    cwd: process.cwd(),
    env: process.env,
  };
}

/** An in-memory IO for tests and embedders: collects output in strings. */
export interface CapturedIO extends CliIO {
  out(): string;
  err(): string;
}

export function captureIO(init: { stdin?: string | Uint8Array; cwd?: string; env?: Record<string, string | undefined>; tty?: boolean } = {}): CapturedIO {
  let out = '';
  let err = '';
  const stdin = typeof init.stdin === 'string' ? Buffer.from(init.stdin, 'utf8') : init.stdin ?? new Uint8Array();
  return {
    stdout: { write: (s) => void (out += typeof s === 'string' ? s : Buffer.from(s).toString('latin1')), isTTY: init.tty ?? false },
    stderr: { write: (s) => void (err += typeof s === 'string' ? s : Buffer.from(s).toString('latin1')), isTTY: init.tty ?? false },
    readStdin: async () => stdin,
    cwd: init.cwd ?? process.cwd(),
    env: init.env ?? {},
    out: () => out,
    err: () => err,
  };
}
