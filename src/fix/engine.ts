/**
 * The fix engine: choose edits by safety, apply them with magic-string, loop
 * to a fixpoint, and verify every pass against `meaning()`.
 *
 * Verification: after a pass the text is parsed again and the per-instruction
 * meaning of everything the applied findings did not name must be unchanged,
 * in order, and no new parse problem may appear. A finding that fails this is
 * dropped and reported as an internal error; its text is never returned.
 */
import MagicString from 'magic-string';
import { parse, positionOf } from '../syntax/parse.js';
import { instructionKey } from '../syntax/meaning.js';
import { shellKinds } from '../syntax/shells.js';
import type { Document, Instruction } from '../syntax/document.js';
import type { Edit, Finding, Rule, RuleContext } from '../rules/types.js';
import { readIgnores } from './ignores.js';

export interface FixOptions {
  rules: readonly Rule[];
  /** apply unsafe fixes of every rule */
  unsafe?: boolean;
  /** rules whose unsafe fixes are applied even without `unsafe` (config `"rule": "unsafe"`) */
  unsafeRules?: ReadonlySet<string>;
  /** the context each rule sees (options differ per rule) */
  context: (rule: Rule) => RuleContext;
  /** upper bound on passes (default 8) */
  maxPasses?: number;
}

/** A finding as reported: positions are 1-based line/column in the text it was found in. */
export interface ReportedFinding extends Finding {
  line: number;
  column: number;
}

export interface InternalError {
  ruleId: string;
  message: string;
  line: number;
}

export interface FixResult {
  output: string;
  changed: boolean;
  applied: ReportedFinding[];
  /** unsafe fixes not applied (shown with a hint for `--unsafe`) */
  withheld: ReportedFinding[];
  /** findings without an edit, or suggestions */
  reports: ReportedFinding[];
  internalErrors: InternalError[];
  /** the final document (parsed once more after the last pass) */
  document: Document;
}

export function runRules(doc: Document, options: Pick<FixOptions, 'rules' | 'context'>): Finding[] {
  const ignores = readIgnores(doc);
  if (ignores.file) return [];
  const findings: Finding[] = [];
  for (const rule of options.rules) {
    for (const f of rule.check(doc, options.context(rule))) {
      if (!ignores.ignored(rule, instructionAt(doc, f.start))) findings.push(f);
    }
  }
  return findings.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
}

export function fix(text: string, options: FixOptions): FixResult {
  const maxPasses = options.maxPasses ?? 8;
  const applied: ReportedFinding[] = [];
  const internalErrors: InternalError[] = [];
  const refused = new Set<string>();
  let doc = parse(text);
  let current = text;
  let findings: Finding[] = [];
  // A file BuildKit rejects is reported, never edited: its meaning is not defined,
  // so no edit of it can be verified (the CLI leaves such files untouched too).
  const editable = doc.problems.length === 0;
  for (let pass = 0; ; pass++) {
    findings = runRules(doc, options);
    const wanted = editable ? findings.filter((f) => applies(f, options) && !refused.has(signature(f, current))) : [];
    if (wanted.length === 0) break;
    if (pass >= maxPasses) {
      for (const f of wanted) internalErrors.push({ ruleId: f.ruleId, message: 'fix did not settle (still changing after the last pass)', line: lineOf(doc, f.start) });
      break;
    }
    const batch = nonOverlapping(wanted);
    let next = tryApply(doc, batch);
    let accepted = batch;
    if (!next) {
      // Find the culprits one at a time; the others still go in.
      accepted = [];
      for (const f of batch) {
        const one = tryApply(doc, [f]);
        if (one) accepted.push(f);
        else {
          refused.add(signature(f, current));
          internalErrors.push({ ruleId: f.ruleId, message: `fix refused: it would change the meaning of lines it does not name (${f.message})`, line: lineOf(doc, f.start) });
        }
      }
      next = accepted.length > 0 ? tryApply(doc, accepted) : null;
      if (!next) {
        // Each fix alone is sound but together they are not: keep only the first, the rest go to the next pass.
        accepted = accepted.slice(0, 1);
        next = accepted.length > 0 ? tryApply(doc, accepted) : null;
      }
    }
    if (!next) continue;
    for (const f of accepted) applied.push(report(doc, f));
    current = next.text;
    doc = next.doc;
  }
  const withheld: ReportedFinding[] = [];
  const reports: ReportedFinding[] = [];
  for (const f of findings) {
    if (editable && f.edits && f.edits.length > 0 && f.safety === 'unsafe' && !applies(f, options)) withheld.push(report(doc, f));
    else if (!editable || !applies(f, options) || refused.has(signature(f, current))) reports.push(report(doc, f));
  }
  return { output: current, changed: current !== text, applied, withheld, reports, internalErrors, document: doc };
}

function applies(f: Finding, options: FixOptions): boolean {
  if (!f.edits || f.edits.length === 0) return false;
  if (f.safety === 'safe') return true;
  if (f.safety === 'unsafe') return !!options.unsafe || !!options.unsafeRules?.has(f.ruleId);
  return false;
}

function signature(f: Finding, text: string): string {
  return `${f.ruleId}\u0000${text.length}\u0000${JSON.stringify(f.edits)}`;
}

/** Keep findings whose edits overlap none already kept; the rest wait for the next pass. */
function nonOverlapping(findings: Finding[]): Finding[] {
  // `taken` stays sorted and disjoint, so a binary search finds the few neighbours
  // that can overlap (a file with a thousand findings must not cost a million checks).
  const taken: Edit[] = [];
  const clash = (e: Edit): boolean => {
    for (let k = firstIndex(taken, (t) => t.end >= e.start); k < taken.length && taken[k].start <= e.end; k++) {
      if (overlaps(e, taken[k])) return true;
    }
    return false;
  };
  const out: Finding[] = [];
  for (const f of findings) {
    const edits = f.edits ?? [];
    if (edits.some(clash)) continue;
    for (const e of edits) taken.splice(firstIndex(taken, (t) => t.start > e.start || (t.start === e.start && t.end > e.end)), 0, e);
    out.push(f);
  }
  return out;
}

/** The first index of a sorted array where `pred` holds (pred is false…false, true…true); length if none. */
function firstIndex<T>(items: readonly T[], pred: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pred(items[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Instructions (sorted, disjoint) that the range [a, b) overlaps; a point when a === b. */
function instructionsIn(instructions: readonly Instruction[], a: number, b: number, point: (i: Instruction) => boolean): Instruction[] {
  const out: Instruction[] = [];
  for (let k = firstIndex(instructions, (i) => i.end >= a); k < instructions.length && instructions[k].lineStart <= b; k++) {
    const i = instructions[k];
    if (a === b ? point(i) : a < i.end && i.lineStart < b) out.push(i);
  }
  return out;
}

function overlaps(a: Edit, b: Edit): boolean {
  // Two insertions at the same point, or an insertion at the edge of a replacement, are ambiguous too.
  return a.start < b.end && b.start < a.end ? true : a.start === b.start || a.end === b.end || (a.start === a.end && (a.start === b.end || a.start === b.start)) || (b.start === b.end && (b.start === a.end || b.start === a.start));
}

interface Applied {
  text: string;
  doc: Document;
}

/** Apply the findings' edits and verify; null when verification fails. */
function tryApply(doc: Document, findings: Finding[]): Applied | null {
  const s = new MagicString(doc.text);
  const edits: OwnedEdit[] = findings
    .flatMap((f, owner) => (f.edits ?? []).map((e) => ({ ...e, owner })))
    .sort((a, b) => a.start - b.start);
  for (const e of edits) {
    if (e.start < 0 || e.end > doc.text.length || e.start > e.end) return null;
    if (e.start === e.end) s.appendLeft(e.start, e.text);
    else if (e.text === '') s.remove(e.start, e.end);
    else s.overwrite(e.start, e.end, e.text);
  }
  const text = s.toString();
  const next = parse(text);
  return verify(doc, next, edits, findings) ? { text, doc: next } : null;
}

/** An edit with the index of the finding it belongs to. */
type OwnedEdit = Edit & { owner: number };

/** Meaning outside the named instructions is unchanged, and no new problem appears. */
function verify(before: Document, after: Document, edits: OwnedEdit[], findings: Finding[]): boolean {
  // New coordinates of each edited region, with the finding that made it.
  const newRanges: Array<[number, number, number]> = [];
  let delta = 0;
  for (const e of edits) {
    newRanges.push([e.start + delta, e.start + delta + e.text.length, e.owner]);
    delta += e.text.length - (e.end - e.start);
  }
  // Edits are sorted and disjoint: the shift of an offset is a prefix sum found by binary search.
  const shiftAfter: number[] = [];
  let sum = 0;
  for (const e of edits) shiftAfter.push((sum += e.text.length - (e.end - e.start)));
  const mapOffset = (o: number): number => {
    const k = firstIndex(edits, (e) => e.end > o);
    return o + (k === 0 ? 0 : shiftAfter[k - 1]);
  };
  const touchesOld = findings.flatMap((f) => f.touches ?? []);
  const touchesNew = touchesOld.map(mapOffset);
  const within = (i: Instruction, o: number): boolean => o >= i.lineStart && o <= i.end;

  // Every instruction no edit names must reappear, shifted, with the same meaning…
  // An instruction whose text, escape character and shell are unchanged has the same
  // meaning without computing it: on a big file almost every instruction is such, and
  // summarizing all of both files held two summaries per instruction in memory.
  const kindsBefore = shellKinds(before);
  const kindsAfter = shellKinds(after);
  const sameEscape = before.escape === after.escape;
  // Which old instructions each finding's edits name.
  const namedBy = findings.map(() => new Set<number>());
  for (const e of edits) {
    for (const i of instructionsIn(before.instructions, e.start, e.end, (x) => editNames(x, e.start, e.end))) namedBy[e.owner].add(i.start);
  }
  const named = new Set(namedBy.flatMap((set) => [...set]));
  const matched = new Uint8Array(after.instructions.length);
  for (const i of before.instructions) {
    if (named.has(i.start) || touchesOld.some((o) => within(i, o))) continue;
    const at = mapOffset(i.start);
    const k = firstIndex(after.instructions, (n) => n.start >= at);
    const n = after.instructions[k];
    if (!n || n.start !== at) return false;
    const kind = kindsBefore.get(i) ?? 'posix';
    const unchanged = sameEscape && kind === kindsAfter.get(n) && sameText(before.text, i, after.text, n);
    if (!unchanged && instructionKey(i, before.escape, kind) !== instructionKey(n, after.escape, kindsAfter.get(n) ?? 'posix')) return false;
    matched[k] = 1;
  }
  // …and every other instruction of the new text must come from an edit (none appears out of nowhere).
  // Each finding was checked against its own intent, so one new instruction made of
  // the edits of two findings that named different instructions (an inserted line
  // swallowed by a neighbour's new continuation) is refused too.
  const ownersOf = new Map<number, Set<number>>();
  for (const [x, y, owner] of newRanges) {
    for (const i of instructionsIn(after.instructions, x, y, (n) => n.lineStart <= x && x <= n.end)) {
      const set = ownersOf.get(i.start) ?? new Set<number>();
      set.add(owner);
      ownersOf.set(i.start, set);
    }
  }
  for (const [k, i] of after.instructions.entries()) {
    if (matched[k]) continue;
    const owners = ownersOf.get(i.start) ?? new Set<number>();
    if (owners.size === 0 && !touchesNew.some((o) => within(i, o))) return false;
    if (owners.size > 1) {
      const [first, ...rest] = [...owners].map((o) => namedBy[o]);
      if (![...first].some((start) => rest.every((set) => set.has(start)))) return false;
    }
  }

  // Directives may change only where an edit touches them.
  const editedOld = (a: number, b: number): boolean => edits.some((e) => e.start <= b && a <= e.end);
  const editedNew = (a: number, b: number): boolean => newRanges.some(([x, y]) => x <= b && a <= y);
  const directiveKey = (d: Document, edited: (a: number, b: number) => boolean): string =>
    JSON.stringify(d.directives.filter((x) => !edited(x.start, x.end)).map((x) => [x.name, x.value]));
  if (directiveKey(before, editedOld) !== directiveKey(after, editedNew)) return false;
  const escapeEdited = before.directives.some((d) => d.name === 'escape' && editedOld(d.start, d.end));
  if (!escapeEdited && before.escape !== after.escape) return false;

  const oldProblems = new Map<string, number>();
  for (const p of before.problems) oldProblems.set(p.message, (oldProblems.get(p.message) ?? 0) + 1);
  for (const p of after.problems) {
    const n = oldProblems.get(p.message) ?? 0;
    if (n === 0) return false;
    oldProblems.set(p.message, n - 1);
  }
  return true;
}

/** Are the two instructions the same characters, from their line's start to their end (heredocs included)? */
function sameText(a: string, i: Instruction, b: string, n: Instruction): boolean {
  const length = i.end - i.lineStart;
  if (n.end - n.lineStart !== length) return false;
  for (let k = 0; k < length; k++) if (a.charCodeAt(i.lineStart + k) !== b.charCodeAt(n.lineStart + k)) return false;
  return true;
}

/**
 * Does the edit [a, b) of the old text name this instruction? A replacement
 * names the instructions it overlaps; an insertion names the instruction it
 * falls inside or appends to, not the one it is inserted before.
 */
function editNames(i: Instruction, a: number, b: number): boolean {
  return a === b ? i.lineStart < a && a <= i.end : a < i.end && i.lineStart < b;
}

/** The instruction whose lines hold `offset` (binary search: called once per finding). */
export function instructionAt(doc: Document, offset: number): Instruction | undefined {
  const i = doc.instructions[firstIndex(doc.instructions, (x) => x.end >= offset)];
  return i && offset >= i.lineStart ? i : undefined;
}

function lineOf(doc: Document, offset: number): number {
  return positionOf(doc.lines, offset).line + 1;
}

function report(doc: Document, f: Finding): ReportedFinding {
  const p = positionOf(doc.lines, f.start);
  return { ...f, line: p.line + 1, column: p.column + 1 };
}
