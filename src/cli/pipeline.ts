/**
 * One Dockerfile, start to end: read, check it parses, fix, optionally lay
 * out, and write (atomically) when something changed and writing is wanted.
 * Every failure becomes an error on the file's result; nothing here prints.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from '../syntax/parse.js';
import { fix } from '../fix/engine.js';
import type { ReportedFinding, InternalError } from '../fix/engine.js';
import type { BuildContext, ResolvedImage, Rule, RuleContext } from '../rules/types.js';
import type { CliOptions } from './args.js';
import { ConfigError, type ConfigResolver, type LoadedConfig } from './config.js';
import { fsBuildContext } from './build-context.js';
import { describeFsError } from './fs-errors.js';
import { writeFileAtomic, WriteError } from './write.js';
import type { Target } from './discover.js';

export interface FileError {
  message: string;
  /** 1-based, when the error has a position */
  line?: number;
  column?: number;
  /** the file the position is in, when it is not the Dockerfile (a config file) */
  file?: string;
}

export interface ProposedFile {
  ruleId: string;
  /** relative to the build context */
  path: string;
  /** where it would be written */
  abs: string;
  content: string;
  /**
   * What became of it (set by run.ts, in report order): only shown, created
   * (`--write-dockerignore`), left alone because a file is already there, or
   * a write that failed (the failure is also one of the file's errors).
   */
  status: 'proposed' | 'written' | 'exists' | 'error';
}

export interface FileResult {
  /** path as shown to the user (stdin: the --stdin-filepath name) */
  display: string;
  /** 'changed': fixes or layout would change (or, when written, did change) the file */
  status: 'unchanged' | 'changed' | 'error';
  written: boolean;
  /** the layout step (--format) changed the fixed text */
  formatted: boolean;
  input?: string;
  output?: string;
  applied: ReportedFinding[];
  withheld: ReportedFinding[];
  reports: ReportedFinding[];
  internalErrors: InternalError[];
  errors: FileError[];
  proposedFiles: ProposedFile[];
  /** unified diff input → output (filled by run.ts under --dry-run) */
  diff?: string;
}

/** `format()` of src/format, plus the Prettier config lookup `prettier --write` would do. */
export type Formatter = (text: string, filepath: string) => Promise<string>;

export interface Session {
  options: CliOptions;
  rules: readonly Rule[];
  configs: ConfigResolver;
  /** `--context DIR`, absolute */
  contextDir?: string;
  /** loaded on first use, only with --format */
  formatter?: () => Promise<Formatter>;
  /** `--resolve`: the registry's answers for every file of the run, gathered before any rule ran */
  resolved?: Map<string, ResolvedImage | { error: string }>;
  /** per-run caches: rule selection per config, build context per folder */
  selections: Map<LoadedConfig, { active: Rule[]; unsafeRules: Set<string> }>;
  buildContexts: Map<string, BuildContext | undefined>;
}

export function emptyResult(display: string): FileResult {
  return { display, status: 'unchanged', written: false, formatted: false, applied: [], withheld: [], reports: [], internalErrors: [], errors: [], proposedFiles: [] };
}

export function errorResult(display: string, error: FileError): FileResult {
  return { ...emptyResult(display), status: 'error', errors: [error] };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Bytes → text, refusing anything that is not UTF-8: decoding would replace
 * bad bytes with U+FFFD and writing back would corrupt the file. `ignoreBOM`
 * keeps a BOM in the text so it is written back as it was.
 */
export function decode(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** A Dockerfile read from disk, with what the atomic write checks before replacing it. */
export interface SourceFile {
  target: Target;
  text: string;
  stat: fs.Stats;
}

/** Read and decode a Dockerfile; an unreadable or non-UTF-8 file becomes its error result. */
export function readSource(target: Target): SourceFile | FileResult {
  let bytes: Buffer;
  let stat: fs.Stats;
  let fd: number | undefined;
  try {
    // Stat, then read, through one descriptor: an edit after the stat shows as a newer
    // mtime when the write compares (read first, it could slip in unseen and be clobbered).
    fd = fs.openSync(target.abs, 'r');
    stat = fs.fstatSync(fd);
    bytes = fs.readFileSync(fd);
  } catch (err) {
    return errorResult(target.display, { message: `cannot read: ${describeFsError(err)}` });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  const text = decode(bytes);
  if (text === null) return errorResult(target.display, { message: 'not valid UTF-8; left untouched' });
  return { target, text, stat };
}

export function isSourceFile(x: Target | SourceFile | FileResult): x is SourceFile {
  return 'stat' in x;
}

/**
 * A file from disk: read (unless already read, as `--resolve` does before
 * the rules run), process, write if wanted.
 */
export async function processFile(input: Target | SourceFile, session: Session): Promise<FileResult> {
  const source = isSourceFile(input) ? input : readSource(input);
  if (!isSourceFile(source)) return source;
  const { target, text, stat } = source;

  const result = await processText(text, target.abs, target.display, session);
  const writes = !session.options.check && !session.options.dryRun;
  if (writes && result.status === 'changed' && result.output !== undefined) {
    try {
      // The size/mtime seen at read time: with --resolve that read may be a while ago, and a file edited since is not clobbered.
      await writeFileAtomic(target.abs, result.output, { expect: { size: stat.size, mtimeMs: stat.mtimeMs } });
      result.written = true;
    } catch (err) {
      if (!(err instanceof WriteError)) throw err;
      result.status = 'error';
      result.errors.push({ message: err.message });
    }
  }
  return result;
}

/**
 * The pure-ish part, shared by files and stdin: text in, result out. `abs`
 * locates the config and the default build context (for stdin it is the
 * --stdin-filepath name resolved against the working directory).
 */
export async function processText(text: string, abs: string, display: string, session: Session): Promise<FileResult> {
  const result = emptyResult(display);
  result.input = text;
  const fail = (error: FileError): FileResult => {
    result.status = 'error';
    result.errors.push(error);
    return result;
  };

  let config: LoadedConfig;
  try {
    config = session.configs.forFile(abs);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return fail({ message: `config error: ${err.detail}`, file: err.file, line: err.line, column: err.column });
  }

  // NUL never appears in a Dockerfile someone wrote: this is a binary file (as git and grep decide).
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const before = text.slice(0, nul);
    const line = before.split('\n').length;
    return fail({ message: 'binary file (it holds a NUL byte); left untouched', line, column: nul - before.lastIndexOf('\n') });
  }

  // A file BuildKit would reject is reported and left alone: fixes verified
  // against a broken parse would prove nothing.
  const problems = parse(text).problems;
  if (problems.length > 0) {
    const p = problems[0];
    return fail({ message: p.message, line: p.line + 1, column: p.column + 1 });
  }

  const { active, unsafeRules } = selectRules(session, config);
  const contexts = new Map<Rule, RuleContext>();
  const buildContext = buildContextFor(session, session.contextDir ?? config.context ?? path.dirname(abs));
  const contextFor = (rule: Rule): RuleContext => {
    let ctx = contexts.get(rule);
    if (!ctx) {
      ctx = {
        filePath: abs,
        options: config.rules.get(rule.meta.id)?.options ?? {},
        buildContext,
        pins: config.pins,
        // Absent without --resolve: pin-base-image then reports instead of pinning.
        ...(session.resolved ? { resolved: session.resolved } : {}),
      };
      contexts.set(rule, ctx);
    }
    return ctx;
  };

  let output: string;
  try {
    const fixed = fix(text, { rules: active, unsafe: session.options.unsafe, unsafeRules, context: contextFor });
    result.applied = fixed.applied;
    result.withheld = fixed.withheld;
    result.reports = fixed.reports;
    result.internalErrors = fixed.internalErrors;
    output = fixed.output;
  } catch (err) {
    // A rule threw: a bug on our side. The file is left untouched.
    return fail({ message: `internal error while fixing (please report it): ${(err as Error).message}` });
  }
  for (const f of [...result.applied, ...result.withheld, ...result.reports]) {
    if (f.proposedFile) {
      const root = buildContext?.root ?? path.dirname(abs);
      const where = path.resolve(root, f.proposedFile.path);
      const rel = path.relative(root, where);
      // A rule bug must not make --write-dockerignore create files elsewhere.
      if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
        result.internalErrors.push({ ruleId: f.ruleId, message: `proposed a file outside the build context (${f.proposedFile.path}); ignored`, line: f.line });
        continue;
      }
      result.proposedFiles.push({ ruleId: f.ruleId, path: f.proposedFile.path, abs: where, content: f.proposedFile.content, status: 'proposed' });
    }
  }

  if (session.options.format && session.formatter) {
    try {
      const format = await session.formatter();
      const laidOut = await format(output, abs);
      result.formatted = laidOut !== output;
      output = laidOut;
    } catch (err) {
      return fail({ message: `formatting failed (the file is left untouched): ${(err as Error).message}` });
    }
  }
  result.output = output;
  result.status = output !== text ? 'changed' : 'unchanged';
  return result;
}

/**
 * Which rules run for a file: `--select` (exact list) or every rule not
 * turned "off" in config; minus `--ignore`. CLI flags beat config. Cached per
 * config, since configs are shared by many files.
 */
export function selectRules(session: Session, config: LoadedConfig): { active: Rule[]; unsafeRules: Set<string> } {
  let sel = session.selections.get(config);
  if (!sel) {
    const { select, ignore } = session.options;
    const selected = select ? new Set(select) : null;
    const ignored = new Set(ignore);
    const active = session.rules.filter((r) => {
      const id = r.meta.id;
      if (ignored.has(id)) return false;
      return selected ? selected.has(id) : config.rules.get(id)?.mode !== 'off';
    });
    const unsafeRules = new Set([...config.rules].filter(([, s]) => s.mode === 'unsafe').map(([id]) => id));
    sel = { active, unsafeRules };
    session.selections.set(config, sel);
  }
  return sel;
}

/** One BuildContext per folder; none for a folder that does not exist (e.g. a made-up stdin name). */
function buildContextFor(session: Session, dir: string): BuildContext | undefined {
  const buildContexts = session.buildContexts;
  if (!buildContexts.has(dir)) {
    let exists = false;
    try {
      exists = fs.statSync(dir).isDirectory();
    } catch {
      // leave undefined: rules then judge by names only
    }
    buildContexts.set(dir, exists ? fsBuildContext(dir) : undefined);
  }
  return buildContexts.get(dir);
}
