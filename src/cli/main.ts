#!/usr/bin/env node
// The dockerfix command. Kept tiny: all behaviour is in run.ts, which tests call in-process.
import { nodeIO } from './io.js';
import { run } from './run.js';

try {
  process.exitCode = await run(process.argv.slice(2), nodeIO());
} catch (err) {
  // A bug of ours: say so, and exit 2 rather than Node's 1 (which would read as "changes needed").
  process.stderr.write(`dockerfix: internal error (please report it): ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 2;
}
