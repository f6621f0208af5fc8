/**
 * line-continuations: tidy the lines an instruction is continued over.
 *
 * - Empty lines inside a continuation are dropped by BuildKit's parser (and
 *   warned about as `NoEmptyContinuation`): removing them is safe.
 * - Spaces and tabs after the continuation character are ignored by BuildKit
 *   (its regexp is `<escape>[ \t]*$`): removing them is safe.
 * - In a `# escape=`` file `\` is an ordinary character, so Windows paths
 *   are written with it; forward slashes read better and Windows accepts
 *   them, but BuildKit then sees a different string, so that fix is unsafe.
 */
import type { Document, Instruction } from '../syntax/document.js';
import { instructionKey } from '../syntax/meaning.js';
import { splitWhitespace } from '../syntax/words.js';
import type { Edit, Finding, Rule } from './types.js';
import { reparseLocally } from './shared/edits.js';
import { findingsOf } from './shared/findings.js';
import { isWindowsImage, isWindowsShell, targetsWindows } from './shared/platform.js';

const ID = 'line-continuations';
const finding = findingsOf(ID);

export const lineContinuations: Rule = {
  meta: {
    id: ID,
    title: 'Line continuations: no empty continuation lines, nothing after the continuation character',
    safety: 'safe',
    related: ['NoEmptyContinuation'],
    docs: [
      'An instruction continues on the next line when its line ends with the escape character (`\\`, or `` ` ``',
      'after `# escape=``), spaces and tabs after it allowed (Dockerfile reference, "escape":',
      'https://docs.docker.com/reference/dockerfile/#escape). Empty lines inside a continuation are dropped and',
      'deprecated (build check NoEmptyContinuation: https://docs.docker.com/reference/build-checks/no-empty-continuation/);',
      'this rule removes them and any trailing spaces or tabs after a continuation character (safe: BuildKit',
      'reads the same instruction). Comment lines inside a continuation are kept.',
      'In a backtick-escape file, backslashes in WORKDIR, COPY and ADD paths are literal; the rule offers forward',
      'slashes, which Windows accepts (unsafe: BuildKit receives a different string, so equality rests on how',
      'Windows resolves paths).',
    ].join(' '),
  },
  check(doc) {
    const findings: Finding[] = [];
    for (const inst of doc.instructions) {
      // Only empty lines followed by more of the instruction: those after its last code
      // line (a continuation running into the end of the file) end the file, not a gap.
      const lastCode = inst.lines.reduce((k, l, idx) => (l.kind === 'code' ? idx : k), -1);
      const empties = inst.lines.filter((l, idx) => l.kind === 'empty' && idx < lastCode);
      if (empties.length > 0) {
        findings.push(finding(inst, 'safe',
          `remove ${empties.length === 1 ? 'the empty continuation line' : `${empties.length} empty continuation lines`} in ${inst.keyword}`,
          'BuildKit drops empty lines inside a continuation, so the instruction reads the same without them',
          { edits: empties.map((l) => ({ start: doc.lines[l.line].start, end: doc.lines[l.line].end, text: '' })) }));
      }
      const trailing = inst.lines.filter((l) => l.kind === 'code' && l.escapeAt >= 0 && l.escapeAt + 1 < l.contentEnd);
      if (trailing.length > 0) {
        findings.push(finding(inst, 'safe', `remove spaces after the continuation character in ${inst.keyword}`,
          'BuildKit ignores spaces and tabs after the continuation character, so the instruction reads the same',
          { edits: trailing.map((l) => ({ start: l.escapeAt + 1, end: l.contentEnd, text: '' })) }));
      }
    }
    if (doc.escape === '`' && looksWindows(doc)) {
      for (const inst of doc.instructions) {
        const f = forwardSlashes(doc, inst);
        if (f) findings.push(f);
      }
    }
    return findings;
  },
};

const DRIVE_PATH = /(^|[\s"'[,])[A-Za-z]:\\/;

/**
 * A backtick escape alone does not make a file Windows-only; `\` is a legal
 * file-name character on Linux. Ask for one more sign before offering `/`.
 */
function looksWindows(doc: Document): boolean {
  for (const inst of doc.instructions) {
    if (inst.keyword === 'FROM' && (isWindowsImage(inst.args) || targetsWindows(inst.flags))) return true;
    if (inst.keyword === 'SHELL' && inst.json && isWindowsShell(inst.json[0] ?? '')) return true;
    if ((inst.keyword === 'WORKDIR' || inst.keyword === 'COPY' || inst.keyword === 'ADD') && DRIVE_PATH.test(inst.args)) return true;
  }
  return false;
}

/** Logical indices of the backslashes to turn into `/` ([index, length] of the text to replace). */
function backslashSpans(inst: Instruction): Array<[number, number]> {
  const t = inst.logical.text;
  const spans: Array<[number, number]> = [];
  const base = inst.argsIndex;
  const skipWord = (w: string): boolean => /^\d*<</.test(w) || w.includes('://') || w.startsWith('\\\\') || /^[a-zA-Z0-9_-]+@[a-zA-Z0-9.-]+:/.test(w);
  if (inst.keyword === 'WORKDIR') {
    if (skipWord(inst.args)) return [];
    for (let i = 0; i < inst.args.length; i++) if (inst.args[i] === '\\') spans.push([base + i, 1]);
    return spans;
  }
  if (inst.json) {
    // Walk the raw JSON strings: `\\` is one backslash; other escapes stay as written.
    const a = inst.args;
    let i = a.indexOf('[');
    while (i < a.length) {
      if (a[i] !== '"') {
        i++;
        continue;
      }
      let k = i + 1;
      const pairs: number[] = [];
      while (k < a.length && a[k] !== '"') {
        if (a[k] === '\\') {
          if (a[k + 1] === '\\') pairs.push(k);
          k += 2;
        } else k++;
      }
      const value = JSON.parse(a.slice(i, k + 1)) as string;
      if (!skipWord(value)) for (const p of pairs) spans.push([base + p, 2]);
      i = k + 1;
    }
    return spans;
  }
  for (const w of splitWhitespace(inst.args)) {
    if (skipWord(w.value)) continue;
    for (let i = w.start; i < w.end; i++) if (t[base + i] === '\\') spans.push([base + i, 1]);
  }
  return spans;
}

function forwardSlashes(doc: Document, inst: Instruction): Finding | null {
  if (inst.keyword !== 'WORKDIR' && inst.keyword !== 'COPY' && inst.keyword !== 'ADD') return null;
  if (inst.error) return null;
  const spans = backslashSpans(inst);
  if (spans.length === 0) return null;
  const map = inst.logical.map;
  const edits: Edit[] = [];
  for (const [i, len] of spans) {
    edits.push({ start: map[i], end: map[i] + 1, text: '/' });
    for (let k = 1; k < len; k++) edits.push({ start: map[i + k], end: map[i + k] + 1, text: '' });
  }
  // Prove by re-parsing that the only change is `\` → `/` inside this instruction's words
  // (WORKDIR, COPY and ADD hold no shell text, so the stage's shell does not matter).
  const after = reparseLocally(doc, inst, edits);
  if (!after) return null;
  const before = instructionKey(inst, doc.escape);
  const now = instructionKey(after.inst, doc.escape);
  const slashes = (key: string): string => JSON.stringify(JSON.parse(key, (_k, v: unknown) => (typeof v === 'string' ? v.replace(/\\/g, '/') : v)));
  if (now === before || slashes(now) !== slashes(before)) return null;
  return finding(inst, 'unsafe',
    `use forward slashes in ${inst.keyword} paths: with \`# escape=\`\` a backslash is a literal character and Windows accepts /`,
    'BuildKit receives a different path string (C:/app instead of C:\\app); Windows resolves both alike, which the Dockerfile alone cannot prove',
    { edits });
}
