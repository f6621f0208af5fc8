/**
 * How new text should look where a rule writes it: the file's keyword case,
 * line endings and indentation.
 */
import type { Document, Instruction } from '../../syntax/document.js';

/** Keyword case that matches the file: lower case when most known instructions are written so. */
export function keywordStyle(doc: Document): (keyword: string) => string {
  let lower = 0;
  let upper = 0;
  for (const i of doc.instructions) {
    if (!i.known) continue;
    if (i.rawKeyword === i.rawKeyword.toLowerCase()) lower++;
    else upper++;
  }
  return lower > upper ? (k) => k.toLowerCase() : (k) => k.toUpperCase();
}

/**
 * `keyword` in the case of the keyword it replaces (`raw`): lower case for a
 * lower-case one, else upper case; with `titleCase`, `Add` gives `Copy`.
 */
export function keywordLike(raw: string, keyword: string, options: { titleCase?: boolean } = {}): string {
  if (raw === raw.toLowerCase()) return keyword.toLowerCase();
  if (options.titleCase && raw !== raw.toUpperCase() && raw === raw[0].toUpperCase() + raw.slice(1).toLowerCase()) {
    return keyword[0].toUpperCase() + keyword.slice(1).toLowerCase();
  }
  return keyword.toUpperCase();
}

/** The line terminator at a line, else the file's. */
export function eolAt(doc: Document, line: number): string {
  return doc.lines[line]?.eol || doc.eol;
}

/** The blanks (spaces and tabs) before the instruction's keyword; '' when anything else is there. */
export function indentOf(doc: Document, inst: Instruction): string {
  const ws = doc.text.slice(inst.lineStart, inst.start).replace(/\uFEFF/g, '');
  return /^[ \t]*$/.test(ws) ? ws : '';
}

/** A line continuation that runs into the end of the file: anything appended would join the instruction. */
export function continuesToEof(inst: Instruction): boolean {
  const code = inst.lines.filter((l) => l.kind === 'code');
  return inst.heredocs.length === 0 && code.length > 0 && code[code.length - 1].escapeAt >= 0;
}
