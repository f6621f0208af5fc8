/**
 * meaning(): a canonical summary of what BuildKit builds from a Dockerfile.
 * Two files with equal summaries build the same image. The formatter is tested
 * against it, and the fix engine uses it to verify every pass.
 *
 * What is kept exact, and why, follows BuildKit's parser and instruction layer:
 * - shell-form text (RUN/CMD/ENTRYPOINT/HEALTHCHECK CMD): runs of unquoted
 *   whitespace collapse when the stage runs a POSIX shell (the shell splits
 *   words there); quoted bytes are exact. Under cmd.exe (`echo a  b` prints both
 *   spaces), PowerShell or an unknown shell the text is kept exact;
 * - ENV/LABEL/ARG values: after BuildKit's unquoting, variables left unexpanded;
 *   legacy `ENV k v` values keep their inner whitespace (BuildKit keeps it);
 * - WORKDIR/USER/STOPSIGNAL/MAINTAINER: the whole argument string, and after a
 *   bare `--` that ends the flags, the whitespace BuildKit keeps after it;
 * - ONBUILD: the trigger text exactly as BuildKit stores it in the image config,
 *   except the trigger keyword's case (the child build parses it again);
 * - EXPOSE ports sorted (BuildKit sorts them); FROM stage names lower-cased;
 * - heredoc bodies byte-exact; JSON (exec) form distinct from shell form;
 * - `syntax` and `check` directives as BuildKit's frontend selection reads them
 *   (detectDirective), the escape character as the parser uses it.
 */
import type { Document, Instruction } from './document.js';
import { detectDirective, parse } from './parse.js';
import { shellKinds, type ShellKind } from './shells.js';
import { argWords, isGoSpace, isTokenSpace, splitWhitespace, unquoteWord } from './words.js';

export interface StageMeaning {
  base: string;
  platform: string | null;
  name: string | null;
  instructions: unknown[];
}

export interface Meaning {
  directives: Record<string, string>;
  escape: string;
  globalArgs: unknown[];
  stages: StageMeaning[];
  /** reasons BuildKit would reject the file (positions left out) */
  problems: string[];
}

/** The summary of one instruction, with where it stands in the file. */
export interface InstructionMeaning {
  instruction: Instruction;
  /** canonical, comparable form */
  key: string;
}

export function meaning(input: string | Document): Meaning {
  const doc = typeof input === 'string' ? parse(input) : input;
  const directives: Record<string, string> = {};
  for (const key of ['syntax', 'check']) {
    const value = detectDirective(doc.text, key);
    if (value !== null) directives[key] = value;
  }
  const result: Meaning = { directives, escape: doc.escape, globalArgs: [], stages: [], problems: doc.problems.map((p) => p.message) };
  let stage: StageMeaning | null = null;
  for (const { instruction: inst, summary } of summaries(doc)) {
    if (inst.keyword === 'FROM') {
      const from = fromParts(inst);
      stage = { base: from.base, platform: from.platform, name: from.name, instructions: [summary] };
      result.stages.push(stage);
    } else if (stage) stage.instructions.push(summary);
    else result.globalArgs.push(summary);
  }
  return result;
}

/**
 * One instruction's summary as a string: equal keys, equal meaning. `shell` is
 * the kind shellKinds() gives it (it matters for shell-form text only).
 */
export function instructionKey(inst: Instruction, escape: string, shell: ShellKind = 'posix'): string {
  return JSON.stringify(summarize(inst, escape, shell));
}

/** Per-instruction summaries in file order, for the fix engine's verification. */
export function instructionMeanings(doc: Document): InstructionMeaning[] {
  return summaries(doc).map(({ instruction, summary }) => ({ instruction, key: JSON.stringify(summary) }));
}

export function fromParts(inst: Instruction): { base: string; platform: string | null; name: string | null } {
  const words = splitWhitespace(inst.args).map((w) => w.value);
  const platform = inst.flags.find((f) => f.name === 'platform')?.value ?? null;
  // BuildKit: `FROM image AS name` (exactly three words, `as` in any case); the name is lower-cased.
  const name = words.length === 3 && words[1].toLowerCase() === 'as' ? words[2].toLowerCase() : null;
  return { base: words[0] ?? '', platform, name };
}

/** Summaries of every instruction, each with the shell of its stage in mind. */
function summaries(doc: Document): Array<{ instruction: Instruction; summary: unknown[] }> {
  const kinds = shellKinds(doc);
  const out: Array<{ instruction: Instruction; summary: unknown[] }> = [];
  for (const inst of doc.instructions) out.push({ instruction: inst, summary: summarize(inst, doc.escape, kinds.get(inst) ?? 'posix') });
  return out;
}

/**
 * After a bare `--` ends the flags, BuildKit's extractBuilderFlags returns the
 * rest of the line from the whitespace that follows it, and MAINTAINER (and
 * shell-form text) keep it: `MAINTAINER --  x` is "  x", not "x". `args` has it
 * trimmed, so it is part of the summary here; null when there is no `--`.
 */
function whitespaceAfterTerminator(inst: Instruction): string | null {
  const t = inst.logical.text;
  let k = inst.argsIndex;
  while (k > 0 && isGoSpace(t.charCodeAt(k - 1))) k--;
  if (k === inst.argsIndex || k < 2 || t.charCodeAt(k - 1) !== 0x2d || t.charCodeAt(k - 2) !== 0x2d) return null;
  // a word of its own: `--` after whitespace (the keyword always comes before it)
  return k >= 3 && isGoSpace(t.charCodeAt(k - 3)) ? t.slice(k, inst.argsIndex) : null;
}

function flagsOf(inst: Instruction): string[][] {
  return inst.flags.map((f) => (f.value === null ? [f.name] : [f.name, f.value]));
}

function summarize(inst: Instruction, escape: string, shell: ShellKind): unknown[] {
  const out: unknown[] = [inst.keyword, flagsOf(inst)];
  if (inst.error) out.push(['error', inst.error]);
  const kept = whitespaceAfterTerminator(inst);
  if (kept !== null) out.push(['after --', kept]);
  const args = inst.args;
  const shellText = (text: string): unknown[] =>
    shell === 'posix' ? ['shell', normalizeShell(text, escape)] : ['shell-exact', text];
  switch (inst.keyword) {
    case 'RUN':
    case 'CMD':
    case 'ENTRYPOINT':
      out.push(inst.json ? ['json', ...inst.json] : shellText(args));
      break;
    case 'SHELL':
      out.push(inst.json ? ['json', ...inst.json] : ['shell-exact', args]);
      break;
    case 'COPY':
    case 'ADD':
    case 'VOLUME':
      out.push(inst.json ? ['json', ...inst.json] : ['words', ...splitWhitespace(args).map((w) => w.value)]);
      break;
    case 'HEALTHCHECK': {
      const m = /^([^\t\n\v\f\r ]*)[\t\n\v\f\r ]*([\s\S]*)$/.exec(args) as RegExpExecArray;
      out.push(m[1].toUpperCase(), inst.json ? ['json', ...inst.json] : shellText(m[2]));
      break;
    }
    case 'ENV':
    case 'LABEL':
      out.push(keyValues(inst, escape));
      break;
    case 'ARG':
      out.push(
        argWords(inst, escape).map((w) => {
          const eq = w.value.indexOf('=');
          return eq < 0 ? [w.value] : [w.value.slice(0, eq), unquoteWord(w.value.slice(eq + 1), escape)];
        }),
      );
      break;
    case 'FROM': {
      const from = fromParts(inst);
      const words = splitWhitespace(args).map((w) => w.value);
      out.push(from.name !== null ? [from.base, 'AS', from.name] : words);
      break;
    }
    case 'EXPOSE':
      // BuildKit sorts the ports; they end up in a set in the image config.
      out.push(splitWhitespace(args).map((w) => w.value).sort());
      break;
    case 'ONBUILD':
      // The trigger is stored as text in the image config and parsed again in
      // the child build: `(?i)^\s*ONBUILD\s*` removed, heredocs appended.
      out.push(onbuildExpression(inst));
      break;
    default:
      // WORKDIR, USER, STOPSIGNAL, MAINTAINER: one string, inner whitespace kept.
      // Unknown instructions: their text exactly (BuildKit rejects them).
      out.push(inst.known ? args : inst.logical.text.trim());
  }
  if (inst.heredocs.length > 0 && inst.keyword !== 'ONBUILD') {
    out.push(inst.heredocs.map((h) => [h.name, h.chomp, h.quoted, h.body]));
  }
  return out;
}

/**
 * The ONBUILD trigger text BuildKit stores (OnbuildCommand.Expression), with
 * the trigger's keyword upper-cased: the child build parses the text again,
 * where keyword case means nothing, so `onbuild run x` and `ONBUILD RUN x`
 * behave the same (only the keyword's case differs in the image metadata).
 */
function onbuildExpression(inst: Instruction): string {
  let expr = inst.logical.text.replace(/^[\t\n\f\r ]*ONBUILD[\t\n\f\r ]*/i, '');
  expr = expr.replace(/^[A-Za-z]+/, (kw) => kw.toUpperCase());
  for (const h of inst.heredocs) expr += '\n' + h.body + h.name;
  return expr;
}

/** BuildKit's parseNameVal: the legacy `k v` form or `k=v` words, values unquoted. */
function keyValues(inst: Instruction, escape: string): unknown[] {
  const args = inst.args;
  const words = argWords(inst, escape);
  if (words.length === 0) return [];
  if (!words[0].value.includes('=')) {
    // legacy form: split once at the first run of `[\t\v\f\r ]`
    let k = 0;
    while (k < args.length && !isTokenSpace(args.charCodeAt(k))) k++;
    let v = k;
    while (v < args.length && isTokenSpace(args.charCodeAt(v))) v++;
    if (k === args.length) return [['missing-value', args]];
    return [[unquoteWord(args.slice(0, k), escape), unquoteWord(args.slice(v), escape)]];
  }
  return words.map((w) => {
    const eq = w.value.indexOf('=');
    if (eq < 0) return ['missing-equals', w.value];
    return [unquoteWord(w.value.slice(0, eq), escape), unquoteWord(w.value.slice(eq + 1), escape)];
  });
}

/**
 * Shell text with runs of unquoted whitespace collapsed to one space and the
 * ends trimmed. Bytes inside quotes, after an escape, and inside `${…}` stay
 * exact. In a backtick-escape file the backtick also protects the next byte
 * (PowerShell's escape), which only ever keeps more bytes exact.
 */
export function normalizeShell(text: string, escape: string): string {
  let out = '';
  let i = 0;
  const n = text.length;
  let pendingSpace = false;
  const emit = (s: string): void => {
    if (pendingSpace && out.length > 0) out += ' ';
    pendingSpace = false;
    out += s;
  };
  while (i < n) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v') {
      pendingSpace = true;
      i++;
      continue;
    }
    if (ch === '\\' || (escape === '`' && ch === '`')) {
      emit(text.slice(i, i + 2));
      i += 2;
      continue;
    }
    if (ch === "'") {
      const close = text.indexOf("'", i + 1);
      const end = close < 0 ? n : close + 1;
      emit(text.slice(i, end));
      i = end;
      continue;
    }
    if (ch === '"') {
      let k = i + 1;
      while (k < n && text[k] !== '"') k += text[k] === '\\' ? 2 : 1;
      const end = Math.min(k + 1, n);
      emit(text.slice(i, end));
      i = end;
      continue;
    }
    if (ch === '$' && text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      const end = close < 0 ? n : close + 1;
      emit(text.slice(i, end));
      i = end;
      continue;
    }
    // a run of characters with no special meaning here
    let k = i + 1;
    while (k < n && isPlain(text.charCodeAt(k))) k++;
    emit(text.slice(i, k));
    i = k;
  }
  return out;
}

/** Not whitespace, an escape, a quote or `$`. */
function isPlain(c: number): boolean {
  return !(c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x5c || c === 0x27 || c === 0x22 || c === 0x60 || c === 0x24);
}
