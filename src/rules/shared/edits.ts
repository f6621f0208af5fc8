/**
 * Turning positions in an instruction's logical text (continuations removed)
 * into edits of the file, and trying edits out before offering them.
 */
import type { Document, Instruction } from '../../syntax/document.js';
import { parse } from '../../syntax/parse.js';
import type { Edit } from '../types.js';

/**
 * The file range of logical characters [from, to) when they are one run of
 * the file (a word split by a line continuation cannot be replaced cleanly).
 */
export function fileRange(inst: Instruction, from: number, to: number): { start: number; end: number } | null {
  const map = inst.logical.map;
  if (map[to - 1] - map[from] !== to - 1 - from) return null;
  return { start: map[from], end: map[to - 1] + 1 };
}

/**
 * Replace each logical character from `from` on with the same-length `text`,
 * character by character, so it works across continuations; null when the
 * instruction is shorter than that.
 */
export function replaceChars(inst: Instruction, from: number, text: string): Edit[] | null {
  const map = inst.logical.map;
  const edits: Edit[] = [];
  for (let k = 0; k < text.length; k++) {
    const at = map[from + k];
    if (at === undefined || inst.logical.text[from + k] === undefined) return null;
    if (inst.logical.text[from + k] === text[k]) continue;
    const prev = edits[edits.length - 1];
    if (prev && prev.end === at) {
      prev.end++;
      prev.text += text[k];
    } else edits.push({ start: at, end: at + 1, text: text[k] });
  }
  return edits;
}

/** The text with non-overlapping edits applied (to re-parse a rewrite before offering it). */
export function applyEdits(text: string, edits: Edit[]): string {
  // One pass over the text (slicing the whole text per edit was quadratic: a MAINTAINER with
  // 200 KB of quotes, one edit each, took seconds). Edits at one offset: the later one first,
  // as applying them one by one from the end would place them.
  const order = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || b.i - a.i);
  const parts: string[] = [];
  let at = 0;
  for (const { e } of order) {
    parts.push(text.slice(at, e.start), e.text);
    at = Math.max(at, e.end);
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/**
 * Re-parse one instruction with edits applied, on its own: the instruction's
 * text after `FROM scratch` (and the file's escape directive). Rules use it to
 * try a rewrite before offering it without re-parsing the whole file per
 * finding, which made fixing files with many findings quadratic. The engine
 * still verifies the whole file once per pass. Null when an edit reaches
 * outside the instruction or the text no longer parses as one instruction.
 */
export function reparseLocally(doc: Document, inst: Instruction, edits: Edit[]): { doc: Document; inst: Instruction } | null {
  const from = inst.lineStart;
  const to = inst.end;
  if (edits.some((e) => e.start < from || e.end > to)) return null;
  const head = (doc.escape === '`' ? '# escape=`\n' : '') + 'FROM scratch\n';
  const body = applyEdits(doc.text.slice(from, to), edits.map((e) => ({ ...e, start: e.start - from, end: e.end - from })));
  const local = parse(head + body + '\n');
  if (local.instructions.length !== 2) return null;
  return { doc: local, inst: local.instructions[1] };
}
