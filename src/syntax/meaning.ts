/**
 * meaning(): a canonical summary of what BuildKit builds from a Dockerfile.
 * Two files with equal summaries build the same image. The formatter is tested
 * against it, and the fix engine uses it to verify every pass.
 *
 * What is kept exact, and why, follows BuildKit's parser and instruction layer:
 * - shell-form text (RUN/CMD/ENTRYPOINT/HEALTHCHECK CMD): runs of unquoted
 *   whitespace collapse (the shell splits words there); quoted bytes are exact;
 * - ENV/LABEL/ARG values: after BuildKit's unquoting, variables left unexpanded;
 *   legacy `ENV k v` values keep their inner whitespace (BuildKit keeps it);
 * - WORKDIR/USER/STOPSIGNAL/MAINTAINER: the whole argument string;
 * - heredoc bodies byte-exact; JSON (exec) form distinct from shell form.
 */
import type { Document, Instruction } from './document.js';
import { parse } from './parse.js';
import { parseWords, splitWhitespace, unquoteWord } from './words.js';

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
  for (const d of doc.directives) if (!(d.name in directives)) directives[d.name] = d.value;
  const result: Meaning = { directives, escape: doc.escape, globalArgs: [], stages: [], problems: doc.problems.map((p) => p.message) };
  let stage: StageMeaning | null = null;
  for (const inst of doc.instructions) {
    const summary = summarize(inst, doc.escape);
    if (inst.keyword === 'FROM') {
      const from = fromParts(inst);
      stage = { base: from.base, platform: from.platform, name: from.name, instructions: [summary] };
      result.stages.push(stage);
    } else if (stage) stage.instructions.push(summary);
    else result.globalArgs.push(summary);
  }
  return result;
}

/** Per-instruction summaries in file order, for the fix engine's verification. */
export function instructionMeanings(doc: Document): InstructionMeaning[] {
  return doc.instructions.map((instruction) => ({ instruction, key: JSON.stringify(summarize(instruction, doc.escape)) }));
}

export function fromParts(inst: Instruction): { base: string; platform: string | null; name: string | null } {
  const words = splitWhitespace(inst.args).map((w) => w.value);
  const platform = inst.flags.find((f) => f.name === 'platform')?.value ?? null;
  const name = words.length >= 3 && words[1].toLowerCase() === 'as' ? words[2].toLowerCase() : null;
  return { base: words[0] ?? '', platform, name };
}

function flagsOf(inst: Instruction): string[][] {
  return inst.flags.map((f) => (f.value === null ? [f.name] : [f.name, f.value]));
}

function summarize(inst: Instruction, escape: string): unknown[] {
  const out: unknown[] = [inst.keyword, flagsOf(inst)];
  if (inst.error) out.push(['error', inst.error]);
  const args = inst.args;
  switch (inst.keyword) {
    case 'RUN':
    case 'CMD':
    case 'ENTRYPOINT':
    case 'SHELL':
      out.push(inst.json ? ['json', ...inst.json] : ['shell', normalizeShell(args, escape)]);
      break;
    case 'COPY':
    case 'ADD':
    case 'VOLUME':
      out.push(inst.json ? ['json', ...inst.json] : ['words', ...splitWhitespace(args).map((w) => w.value)]);
      break;
    case 'HEALTHCHECK': {
      const m = /^(\S+)\s*([\s\S]*)$/.exec(args);
      const type = m ? m[1].toUpperCase() : '';
      out.push(type, inst.json ? ['json', ...inst.json] : ['shell', normalizeShell(m ? m[2] : '', escape)]);
      break;
    }
    case 'ENV':
    case 'LABEL':
      out.push(keyValues(args, escape));
      break;
    case 'ARG':
      out.push(
        parseWords(args, escape).map((w) => {
          const eq = w.value.indexOf('=');
          return eq < 0 ? [w.value] : [w.value.slice(0, eq), unquoteWord(w.value.slice(eq + 1), escape)];
        }),
      );
      break;
    case 'FROM': {
      const words = splitWhitespace(args).map((w) => w.value);
      if (words.length >= 3 && words[1].toLowerCase() === 'as') out.push([words[0], 'AS', words[2].toLowerCase(), ...words.slice(3)]);
      else out.push(words);
      break;
    }
    case 'EXPOSE':
      out.push(splitWhitespace(args).map((w) => w.value));
      break;
    case 'ONBUILD': {
      // The trigger is stored as text in the image and parsed again in the child build.
      const t = inst.trigger;
      out.push(t ? [t.keyword, inst.logical.text.slice(t.argsIndex).trim(), flagsOf(t)] : []);
      break;
    }
    default:
      // WORKDIR, USER, STOPSIGNAL, MAINTAINER: one string, inner whitespace kept.
      // Unknown instructions: their text exactly (BuildKit rejects them).
      out.push(inst.known ? args : inst.logical.text.trim());
  }
  if (inst.heredocs.length > 0) out.push(inst.heredocs.map((h) => [h.name, h.chomp, h.quoted, h.body]));
  return out;
}

/** BuildKit's parseNameVal: the legacy `k v` form or `k=v` words, values unquoted. */
function keyValues(args: string, escape: string): unknown[] {
  const words = parseWords(args, escape);
  if (words.length === 0) return [];
  if (!words[0].value.includes('=')) {
    const m = /^(\S+)\s+([\s\S]*)$/.exec(args);
    if (!m) return [['missing-value', args]];
    return [[unquoteWord(m[1], escape), unquoteWord(m[2], escape)]];
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
    emit(ch);
    i++;
  }
  return out;
}
