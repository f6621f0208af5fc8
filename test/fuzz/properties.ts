/**
 * The fuzz properties of dockerfix, as plain functions shared by the vitest
 * suite (test/fuzz/properties.test.ts), the regression suite and
 * `npm run fuzz` (scripts/fuzz.mjs, against the built dist/).
 *
 * Each check returns the first property a text breaks, or null:
 * - format: never throws; finishes within the time bound; keeps meaning()
 *   (compared with the input as Prettier hands it to the plugin); adds no
 *   parse problem; is idempotent;
 * - fix (every rule, unsafe fixes included, offline): never throws; finishes
 *   within the time bound; reports no internal error (the engine refused a
 *   rule's edit because it changed the meaning of something the finding did
 *   not name: a rule bug); adds no parse problem; a second run changes
 *   nothing and reports no internal error either; and (checkFixEachRule)
 *   each rule alone reports no internal error and adds no parse problem.
 */
import { format, formatSync, type FormatOptions } from '../../src/format/index.js';
import { fix, type FixOptions, type FixResult } from '../../src/fix/index.js';
import { rules } from '../../src/rules/index.js';
import { meaning, parse } from '../../src/syntax/index.js';

/** The functions under test: the real ones by default, replaceable to test the checks themselves. */
export interface Api {
  formatSync: (text: string, options: FormatOptions) => string;
  format: (text: string, options: FormatOptions) => Promise<string>;
  fix: (text: string, options: FixOptions) => FixResult;
}

export const realApi: Api = { formatSync, format, fix };

/** Every rule, unsafe fixes applied, no registry answers, no build context. */
export const FIX_OPTIONS: FixOptions = { rules, unsafe: true, context: () => ({ options: {} }) };

export type PropertyName =
  | 'format-throws'
  | 'format-time'
  | 'format-meaning'
  | 'format-problems'
  | 'format-idempotent'
  | 'format-sync-agrees'
  | 'fix-throws'
  | 'fix-time'
  | 'fix-internal-error'
  | 'fix-problems'
  | 'fix-idempotent';

export interface Failure {
  property: PropertyName;
  message: string;
}

/** The hang detector's bound for one call: 200 ms + 2 ms per KB of input. Generous on purpose: not a benchmark. */
export function timeBudgetMs(text: string): number {
  return 200 + (2 * Buffer.byteLength(text, 'utf8')) / 1024;
}

/**
 * The input as the output must be compared with: what Prettier itself does
 * around the plugin. Prettier turns CRLF and lone CR into LF before parsing
 * and writes every line break of the output as `endOfLine` (`auto`: the
 * input's first line ending); it removes a BOM and writes it back, so the BOM
 * stays (and a second U+FEFF behind it stays a character of line 1).
 * format() returns a file with a lone CR unchanged (BuildKit reads that CR as
 * part of a line, Prettier as a line break), so such a file is its own view.
 */
export function prettierView(text: string, endOfLine: FormatOptions['endOfLine'] = 'lf'): string {
  if (/\r(?!\n)/.test(text)) return text;
  let eol = endOfLine;
  // Prettier's guess: the first `\r` decides, and here every `\r` is part of a CRLF
  if (eol === 'auto') eol = text.includes('\r') ? 'crlf' : 'lf';
  const lf = text.replace(/\r\n/g, '\n');
  return eol === 'crlf' ? lf.replace(/\n/g, '\r\n') : lf;
}

/** Problem messages of `after` that `before` does not have (as a multiset), or an empty list. */
export function newProblems(before: string, after: string): string[] {
  const left = new Map<string, number>();
  for (const p of parse(before).problems) left.set(p.message, (left.get(p.message) ?? 0) + 1);
  const added: string[] = [];
  for (const p of parse(after).problems) {
    const n = left.get(p.message) ?? 0;
    if (n === 0) added.push(`${p.message} (line ${p.line + 1})`);
    else left.set(p.message, n - 1);
  }
  return added;
}

function errorText(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/** Run `f`, timing it; a throw is returned, not raised. */
function timed<T>(f: () => T): { value?: T; error?: unknown; ms: number } {
  const t = performance.now();
  try {
    const value = f();
    return { value, ms: performance.now() - t };
  } catch (error) {
    return { error, ms: performance.now() - t };
  }
}

/**
 * The call's time as the hang detector sees it: when over the bound, the call
 * is measured twice more and the fastest run counts. A real hang is slow
 * every time; a garbage collection or a busy machine is not.
 */
function settledMs(firstMs: number, budget: number, again: () => void): number {
  let ms = firstMs;
  for (let k = 0; k < 2 && ms > budget; k++) {
    const t = performance.now();
    again();
    ms = Math.min(ms, performance.now() - t);
  }
  return ms;
}

/** The checks that follow one formatting of `text` into `out`. */
function checkFormatted(text: string, out: string, again: string, options: FormatOptions): Failure | null {
  const view = prettierView(text, options.endOfLine);
  const before = meaning(view);
  const after = meaning(out);
  const expected = JSON.stringify(before);
  const got = JSON.stringify(after);
  if (got !== expected) {
    // name the parts that differ first, so that one failure can be told from another
    const parts = (Object.keys(before) as Array<keyof typeof before>).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    return { property: 'format-meaning', message: `meaning() changed (${parts.join(', ')}):\n  before ${expected}\n  after  ${got}` };
  }
  const added = newProblems(view, out);
  if (added.length > 0) return { property: 'format-problems', message: `new parse problems: ${added.join('; ')}` };
  if (again !== out) return { property: 'format-idempotent', message: `format(format(x)) !== format(x):\n  once  ${JSON.stringify(out)}\n  twice ${JSON.stringify(again)}` };
  return null;
}

/** The format properties, through the synchronous printer core (formatSync, the same bytes as Prettier). */
export function checkFormat(text: string, options: FormatOptions = {}, api: Api = realApi): Failure | null {
  const first = timed(() => api.formatSync(text, options));
  if ('error' in first) return { property: 'format-throws', message: errorText(first.error) };
  const out = first.value as string;
  const budget = timeBudgetMs(text);
  const ms = settledMs(first.ms, budget, () => api.formatSync(text, options));
  if (ms > budget) return { property: 'format-time', message: `took ${ms.toFixed(0)} ms, three times (bound ${budget.toFixed(0)} ms)` };
  const second = timed(() => api.formatSync(out, options));
  if ('error' in second) return { property: 'format-throws', message: `on its own output: ${errorText(second.error)}` };
  return checkFormatted(text, out, second.value as string, options);
}

/** The format properties through Prettier itself (format()), and agreement with formatSync(). */
export async function checkFormatAsync(text: string, options: FormatOptions = {}, api: Api = realApi): Promise<Failure | null> {
  let out: string;
  const t = performance.now();
  try {
    out = await api.format(text, options);
  } catch (e) {
    return { property: 'format-throws', message: errorText(e) };
  }
  let ms = performance.now() - t;
  const budget = timeBudgetMs(text);
  for (let k = 0; k < 2 && ms > budget; k++) {
    // re-measured like settledMs(), for the asynchronous call
    const again = performance.now();
    await api.format(text, options);
    ms = Math.min(ms, performance.now() - again);
  }
  if (ms > budget) return { property: 'format-time', message: `took ${ms.toFixed(0)} ms, three times (bound ${budget.toFixed(0)} ms)` };
  let again: string;
  try {
    again = await api.format(out, options);
  } catch (e) {
    return { property: 'format-throws', message: `on its own output: ${errorText(e)}` };
  }
  const failure = checkFormatted(text, out, again, options);
  if (failure) return failure;
  const sync = timed(() => api.formatSync(text, options));
  if ('error' in sync) return { property: 'format-throws', message: `formatSync: ${errorText(sync.error)}` };
  if (sync.value !== out) return { property: 'format-sync-agrees', message: `formatSync() differs from format():\n  format     ${JSON.stringify(out)}\n  formatSync ${JSON.stringify(sync.value)}` };
  return null;
}

function describeInternalErrors(r: FixResult): string {
  return r.internalErrors.map((e) => `${e.ruleId} (line ${e.line}): ${e.message}`).join('; ');
}

/**
 * The fix properties for each rule on its own. The engine verifies a pass
 * against the instructions its edits name; when two rules' edits interact (a
 * flag removal that turns a continuation line into a comment line, plus an
 * instruction inserted after it, which the broken continuation then
 * swallows), every instruction involved is named by someone and the
 * combination passes. Alone, each fix must still be sound.
 */
export function checkFixEachRule(text: string, api: Api = realApi): Failure | null {
  for (const rule of rules) {
    const options: FixOptions = { ...FIX_OPTIONS, rules: [rule] };
    const run = timed(() => api.fix(text, options));
    if ('error' in run) return { property: 'fix-throws', message: `${errorText(run.error)} (with ${rule.meta.id} alone)` };
    const r = run.value as FixResult;
    if (r.internalErrors.length > 0) return { property: 'fix-internal-error', message: `${describeInternalErrors(r)} (with ${rule.meta.id} alone)` };
    const added = newProblems(text, r.output);
    if (added.length > 0) return { property: 'fix-problems', message: `new parse problems: ${added.join('; ')} (with ${rule.meta.id} alone)` };
  }
  return null;
}

/** The fix properties: every rule, unsafe fixes included, offline. */
export function checkFix(text: string, api: Api = realApi, options: FixOptions = FIX_OPTIONS): Failure | null {
  const first = timed(() => api.fix(text, options));
  if ('error' in first) return { property: 'fix-throws', message: errorText(first.error) };
  const r = first.value as FixResult;
  const budget = timeBudgetMs(text);
  const ms = settledMs(first.ms, budget, () => api.fix(text, options));
  if (ms > budget) return { property: 'fix-time', message: `took ${ms.toFixed(0)} ms, three times (bound ${budget.toFixed(0)} ms)` };
  if (r.internalErrors.length > 0) return { property: 'fix-internal-error', message: describeInternalErrors(r) };
  const added = newProblems(text, r.output);
  if (added.length > 0) return { property: 'fix-problems', message: `new parse problems: ${added.join('; ')}` };
  const second = timed(() => api.fix(r.output, options));
  if ('error' in second) return { property: 'fix-throws', message: `on its own output: ${errorText(second.error)}` };
  const r2 = second.value as FixResult;
  if (r2.internalErrors.length > 0) return { property: 'fix-internal-error', message: `on its own output: ${describeInternalErrors(r2)}` };
  if (r2.changed) {
    const rules = [...new Set(r2.applied.map((f) => f.ruleId))].join(', ');
    return { property: 'fix-idempotent', message: `fix(fix(x).output) changed it again (${rules}):\n  once  ${JSON.stringify(r.output)}\n  twice ${JSON.stringify(r2.output)}` };
  }
  return null;
}
