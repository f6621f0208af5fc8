/**
 * `dockerfix [options] [paths…]` as a function: parse the arguments, process
 * every file, report, and return the exit code (0 nothing to change or all
 * applied; 1 changes needed under --check; 2 usage, config, I/O or parse
 * error, which wins over 1). main.ts calls it with the real process; tests
 * call it in-process with captured IO and, if they like, their own rules.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Rule } from '../rules/types.js';
import { parseCli, USAGE, UsageError, type CliOptions } from './args.js';
import { colorEnabled, painter, type Paint } from './color.js';
import { ConfigError, ConfigResolver } from './config.js';
import { discover, displayPath } from './discover.js';
import { newFileDiff, unifiedDiff } from './diff.js';
import { explainRule, listRules, listRulesJson, version } from './info.js';
import type { CliIO } from './io.js';
import { decode, errorResult, processFile, processText, type FileResult, type Session } from './pipeline.js';
import { makeReporter, type Summary } from './reporters/index.js';
import { appliesFixes } from './reporters/types.js';
import { errorLocation } from './reporters/location.js';
import { didYouMean } from './suggest.js';

/** files processed ahead of the one being reported (bounded: each holds its text in memory) */
const WRITE_WINDOW = 8;

export interface RunDeps {
  /** the rules to run (default: the registry in src/rules) */
  rules?: readonly Rule[];
}

export async function run(argv: string[], io: CliIO, deps: RunDeps = {}): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCli(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`dockerfix: ${err.message}\nRun "dockerfix --help" for usage.\n`);
    return 2;
  }
  const paintOut = painter(colorEnabled(io.stdout, options.color, io.env));
  const paintErr = painter(colorEnabled(io.stderr, options.color, io.env));
  const usageError = (message: string): number => {
    io.stderr.write(`dockerfix: ${message}\n`);
    return 2;
  };

  if (options.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (options.version) {
    io.stdout.write(`${version()}\n`);
    return 0;
  }

  const rules = deps.rules ?? (await import('../rules/index.js')).rules;
  const ids = new Set(rules.map((r) => r.meta.id));
  for (const [flag, list] of [['--select', options.select ?? []], ['--ignore', options.ignore]] as const) {
    for (const id of list) if (!ids.has(id)) return usageError(`unknown rule "${id}" in ${flag}${didYouMean(id, ids)}; see dockerfix --list-rules`);
  }

  if (options.listRules) {
    io.stdout.write(options.reporter === 'json' ? listRulesJson(rules) : listRules(rules, paintOut));
    return 0;
  }
  if (options.explain !== undefined) {
    const rule = rules.find((r) => r.meta.id === options.explain);
    if (!rule) return usageError(`unknown rule "${options.explain}"${didYouMean(options.explain, ids)}; see dockerfix --list-rules`);
    io.stdout.write(explainRule(rule, paintOut));
    return 0;
  }

  const configPath = options.config !== undefined ? path.resolve(io.cwd, options.config) : undefined;
  const configs = new ConfigResolver(rules, configPath);
  if (configPath) {
    // One config for every input: a broken one is a usage error, reported once, before any work.
    try {
      configs.forFile(configPath);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      return usageError(`${displayPath(err.file, io.cwd)}${err.line !== undefined ? `:${err.line}:${err.column ?? 1}` : ''}: config error: ${err.detail}`);
    }
  }
  let contextDir: string | undefined;
  if (options.context !== undefined) {
    contextDir = path.resolve(io.cwd, options.context);
    if (!isDirectory(contextDir)) return usageError(`--context ${options.context}: not a directory`);
  }

  const session: Session = {
    options,
    rules,
    configs,
    contextDir,
    formatter: options.format ? lazyFormatter() : undefined,
    selections: new Map(),
    buildContexts: new Map(),
  };

  // With --stdin-filepath and fixes applied, stdout carries the Dockerfile: everything else goes to stderr.
  const stdin = options.stdinFilepath !== undefined;
  const reportToStderr = stdin && appliesFixes(options);
  const out = reportToStderr ? io.stderr : io.stdout;
  const reporter = await makeReporter(options.reporter, {
    options,
    out,
    paint: reportToStderr ? paintErr : paintOut,
    rules,
    cwd: io.cwd,
    version: version(),
  });
  const summary: Summary = { files: 0, changed: 0, written: 0, formatted: 0, errors: 0, applied: 0, withheld: 0, reports: 0, internalErrors: 0, exitCode: 0 };
  const printedErrors = new Set<string>();

  const handle = async (result: FileResult): Promise<void> => {
    if (options.dryRun) await attachDiff(result, io.cwd);
    summary.files++;
    if (result.status === 'changed') summary.changed++;
    if (result.status === 'error') summary.errors++;
    if (result.written) summary.written++;
    if (result.formatted && result.status === 'changed') summary.formatted++;
    summary.applied += result.applied.length;
    summary.withheld += result.withheld.length;
    summary.reports += result.reports.length;
    summary.internalErrors += result.internalErrors.length;
    printErrors(result, io, paintErr, printedErrors);
    reporter.file(result);
  };

  if (stdin) {
    const name = options.stdinFilepath!;
    const text = decode(await io.readStdin());
    const result =
      text === null
        ? errorResult(name, { message: 'standard input is not valid UTF-8' })
        : await processText(text, path.resolve(io.cwd, name), name, session);
    await handle(result);
    // The fixed text, or the input unchanged when it could not be processed, so a pipe never loses the file.
    if (appliesFixes(options)) io.stdout.write(result.output ?? text ?? '');
  } else {
    const found = discover(options.paths.length > 0 ? options.paths : ['.'], io.cwd);
    for (const e of found.errors) await handle(errorResult(e.display, { message: e.message }));
    // A small window of files in flight: the next file is fixed (CPU) while
    // earlier ones are being written (fsync on the thread pool). Results are
    // reported in discovery order.
    const inFlight: Promise<FileResult>[] = [];
    for (const target of found.files) {
      const pending = processFile(target, session);
      // Awaited below in order; this only keeps a bug's rejection from being "unhandled" while an earlier file is awaited.
      pending.catch(() => undefined);
      inFlight.push(pending);
      if (inFlight.length >= WRITE_WINDOW) await handle(await inFlight.shift()!);
    }
    while (inFlight.length > 0) await handle(await inFlight.shift()!);
    if (found.files.length === 0 && found.errors.length === 0) io.stderr.write(`${paintErr('yellow', 'warning')}: no Dockerfiles found\n`);
  }

  summary.exitCode = summary.errors > 0 ? 2 : options.check && summary.changed > 0 ? 1 : 0;
  reporter.finish(summary);
  return summary.exitCode;
}

/** `file:line:col: error: message` on stderr, whatever the reporter (machine output stays parseable). */
function printErrors(result: FileResult, io: CliIO, paint: Paint, printed: Set<string>): void {
  for (const e of result.errors) {
    const line = `${paint('bold', errorLocation(result, e, io.cwd))}: ${paint('red', 'error')}: ${e.message}`;
    // A broken config shared by many Dockerfiles is said once.
    if (e.file) {
      if (printed.has(line)) continue;
      printed.add(line);
    }
    io.stderr.write(`${line}${e.file ? ` (needed by ${result.display})` : ''}\n`);
  }
  for (const e of result.internalErrors) {
    io.stderr.write(`${paint('bold', `${result.display}:${e.line}`)}: ${paint('yellow', 'internal error')} in ${e.ruleId}: ${e.message} (the fix was not applied; please report this)\n`);
  }
}

/** --dry-run: the diff of the file, then of any file a rule proposes to create. */
async function attachDiff(result: FileResult, cwd: string): Promise<void> {
  let diff = '';
  if (result.status === 'changed' && result.input !== undefined && result.output !== undefined) {
    diff += await unifiedDiff(result.display, result.input, result.output);
  }
  for (const p of result.proposedFiles) {
    const existing = readIfExists(p.abs);
    if (existing === p.content) continue;
    const shown = displayPath(p.abs, cwd);
    diff += existing === null ? await newFileDiff(shown, p.content) : await unifiedDiff(shown, existing, p.content);
  }
  if (diff) result.diff = diff;
}

function lazyFormatter(): Session['formatter'] {
  let loading: ReturnType<NonNullable<Session['formatter']>> | undefined;
  return () => (loading ??= import('./formatter.js').then((m) => m.loadFormatter()));
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function readIfExists(p: string): string | null {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}
