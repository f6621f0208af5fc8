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
import { colorEnabled, painter, printable, type Paint } from './color.js';
import { ConfigError, ConfigResolver } from './config.js';
import { discover, displayPath, type Target } from './discover.js';
import { unifiedDiff } from './diff.js';
import { explainRule, listRules, listRulesJson, version } from './info.js';
import type { CliIO } from './io.js';
import { decode, errorResult, isSourceFile, processFile, processText, readSource, type FileResult, type Session, type SourceFile } from './pipeline.js';
import { ProposedFiles } from './proposed.js';
import { makeReporter, type Summary } from './reporters/index.js';
import { appliesFixes } from './reporters/types.js';
import { errorLocation } from './reporters/location.js';
import { didYouMean } from './suggest.js';

/** files processed ahead of the one being reported (bounded: each holds its text in memory) */
const WRITE_WINDOW = 8;

export interface RunDeps {
  /** the rules to run (default: the registry in src/rules) */
  rules?: readonly Rule[];
  /** HTTP for `--resolve` (default: the global fetch); tests pass one that refuses every host but 127.0.0.1 */
  fetch?: typeof fetch;
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

  const stdin = options.stdinFilepath !== undefined;
  const stdinAbs = stdin ? path.resolve(io.cwd, options.stdinFilepath!) : '';
  const stdinBytes = stdin ? await io.readStdin() : null;
  const stdinText = stdinBytes ? decode(stdinBytes) : null;
  // What a pipe gets back when nothing could be done: the input, byte for byte.
  const echo = (): void => io.stdout.write(stdinText ?? stdinBytes ?? '');
  const found = stdin ? undefined : discover(options.paths.length > 0 ? options.paths : ['.'], io.cwd);
  // Without --resolve each file is read when its turn comes; with it, every
  // file is read first (the lookups need all of them) and kept for the fix.
  let sources: Array<Target | SourceFile | FileResult> = found?.files ?? [];

  if (options.resolve) {
    if (found) sources = found.files.map(readSource);
    const inputs = stdin
      ? stdinText === null ? [] : [{ text: stdinText, abs: stdinAbs }]
      : sources.filter(isSourceFile).map((s) => ({ text: s.text, abs: s.target.abs }));
    const { resolveImages, ResolveSetupError } = await import('./resolve.js');
    try {
      session.resolved = await resolveImages(inputs, session, { env: io.env, cwd: io.cwd, fetch: deps.fetch });
    } catch (err) {
      if (!(err instanceof ResolveSetupError)) throw err;
      // Nothing was processed; a pipe still gets its file back unchanged.
      if (stdin && appliesFixes(options)) echo();
      return usageError(err.message);
    }
  }

  // With --stdin-filepath and fixes applied, stdout carries the Dockerfile: everything else goes to stderr.
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
  const summary: Summary = { files: 0, changed: 0, written: 0, formatted: 0, errors: 0, applied: 0, withheld: 0, reports: 0, internalErrors: 0, proposedWritten: 0, exitCode: 0 };
  const printedErrors = new Set<string>();
  const proposed = new ProposedFiles(options, io.cwd);

  // Called in discovery order, so proposed files are settled in a stable order too.
  const handle = async (result: FileResult): Promise<void> => {
    if (options.dryRun) await attachDiff(result);
    await proposed.settle(result);
    summary.files++;
    if (result.status === 'changed') summary.changed++;
    // A failed .dockerignore write leaves the Dockerfile's own status (it may have been fixed) but is an error all the same.
    if (result.status === 'error' || result.errors.length > 0) summary.errors++;
    if (result.written) summary.written++;
    summary.proposedWritten += result.proposedFiles.filter((p) => p.status === 'written').length;
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
    const result =
      stdinText === null
        ? errorResult(name, { message: 'standard input is not valid UTF-8' })
        : await processText(stdinText, stdinAbs, name, session);
    await handle(result);
    // The fixed text, or the input unchanged when it could not be processed, so a pipe never loses the file.
    if (appliesFixes(options)) {
      if (result.output !== undefined) io.stdout.write(result.output);
      else echo();
    }
  } else if (found) {
    for (const e of found.errors) await handle(errorResult(e.display, { message: e.message }));
    // A small window of files in flight: the next file is fixed (CPU) while
    // earlier ones are being written (fsync on the thread pool). Results are
    // reported in discovery order.
    const inFlight: Promise<FileResult>[] = [];
    for (const source of sources) {
      // (a FileResult here is a file --resolve could not read)
      const pending = 'status' in source ? Promise.resolve(source) : processFile(source, session);
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
    const line = `${paint('bold', errorLocation(result, e, io.cwd))}: ${paint('red', 'error')}: ${printable(e.message)}`;
    // A broken config shared by many Dockerfiles is said once.
    if (e.file) {
      if (printed.has(line)) continue;
      printed.add(line);
    }
    io.stderr.write(`${line}${e.file ? ` (needed by ${result.display})` : ''}\n`);
  }
  for (const e of result.internalErrors) {
    io.stderr.write(`${paint('bold', `${result.display}:${e.line}`)}: ${paint('yellow', 'internal error')} in ${e.ruleId}: ${printable(e.message)} (the fix was not applied; please report this)\n`);
  }
}

/** --dry-run: the diff of the file (the files it proposes follow, from ProposedFiles). */
async function attachDiff(result: FileResult): Promise<void> {
  if (result.status === 'changed' && result.input !== undefined && result.output !== undefined) {
    result.diff = await unifiedDiff(result.display, result.input, result.output);
  }
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

