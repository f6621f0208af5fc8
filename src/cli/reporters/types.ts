/**
 * Reporters turn file results into output. They get results one at a time
 * (text and github print as they go, so a long run shows progress; json and
 * sarif collect and print once at the end) and a summary last.
 */
import type { CliOptions } from '../args.js';
import type { Paint } from '../color.js';
import type { OutStream } from '../io.js';
import type { FileResult } from '../pipeline.js';
import type { Rule } from '../../rules/types.js';

export interface Summary {
  /** inputs looked at (files, stdin, and paths that failed) */
  files: number;
  /** files that changed, or would change */
  changed: number;
  written: number;
  /** of the changed files, how many the layout step changed */
  formatted: number;
  /** files with an error */
  errors: number;
  applied: number;
  withheld: number;
  reports: number;
  internalErrors: number;
  /** proposed files created (`--write-dockerignore`) */
  proposedWritten: number;
  exitCode: number;
}

export interface ReporterEnv {
  options: CliOptions;
  /** where the report goes (stderr when stdout carries the fixed text) */
  out: OutStream;
  paint: Paint;
  rules: readonly Rule[];
  cwd: string;
  version: string;
}

export interface Reporter {
  file(result: FileResult): void;
  finish(summary: Summary): void;
}

/** Would fixes be applied by this run (in place or to stdout), or only shown? */
export function appliesFixes(options: CliOptions): boolean {
  return !options.check && !options.dryRun;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
