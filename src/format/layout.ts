/**
 * The printer's view of one instruction: its logical text (what BuildKit
 * reads, see src/syntax/document.ts LogicalText) plus where the file broke it
 * into physical lines and which comment lines sat at those breaks.
 *
 * The printer works on the logical text. It cuts it into *chunks* (bytes it
 * keeps exactly) and *gaps* (runs of spaces/tabs that BuildKit or the shell
 * only uses to separate words). A gap is printed as one space or as a line
 * continuation (` \` + newline + indentation); BuildKit reads either back as
 * whitespace, so the logical text only changes inside gaps. A chunk is printed
 * "physically": if the file broke it across lines (a quoted string continued on
 * the next line), the break is reproduced byte for byte, because the leading
 * whitespace of that next line is part of the string.
 */
import type { Doc } from 'prettier';
import { builders } from 'prettier/doc';
import type { Document, Instruction } from '../syntax/index.js';
import { trimTrailing } from '../syntax/words.js';

const { hardline, literalline } = builders;

/** A position between logical characters `pos - 1` and `pos` where the file had a line break. */
interface BreakPoint {
  pos: number;
  /** comment lines found between the two code lines, as written (trailing blanks removed) */
  comments: string[];
}

const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;

/** True when `text[from, to)` holds only spaces and tabs (an empty range counts). */
export function onlyBlanks(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isBlank(text.charCodeAt(i))) return false;
  return true;
}

export class InstructionLayout {
  /** the logical text */
  readonly text: string;
  /** the file's escape character, printed at every line continuation */
  readonly escape: string;
  readonly breaks: BreakPoint[];
  /** a comment line could not be placed at a break (never expected): the caller keeps the instruction as written */
  readonly unplacedComment: boolean = false;

  constructor(doc: Document, readonly instruction: Instruction) {
    const { text } = instruction.logical;
    this.text = text;
    this.escape = doc.escape;
    const breaks: BreakPoint[] = [];
    this.breaks = breaks;
    // One physical line (most instructions): no break, and no need to build the offset map.
    if (instruction.startLine === instruction.endLine && instruction.heredocs.length === 0 && instruction.trigger === undefined) return;
    const map = instruction.logical.map;
    const lines = instruction.lines;
    // A first line holding only an escape character breaks before the first logical character.
    const first = lines[0];
    if (text.length > 0 && first && map[0] > first.contentEnd) breaks.push({ pos: 0, comments: [] });
    // A break is wherever two consecutive logical characters are not neighbours in the file.
    for (let k = 1; k <= text.length; k++) {
      if (map[k] !== map[k - 1] + 1) breaks.push({ pos: k, comments: [] });
    }
    if (breaks.length > 0) {
      for (const line of lines) {
        if (line.kind !== 'comment') continue;
        const at = firstAfter(map, text.length, line.start);
        const bp = breaks[lowerBound(breaks, at)];
        if (bp && bp.pos === at) bp.comments.push(trimTrailing(doc.text.slice(line.start, line.contentEnd), ' \t\r'));
        else this.unplacedComment = true;
      }
    }
  }

  /** The logical index of the character at file offset `offset`, or -1. */
  indexOfOffset(offset: number): number {
    const map = this.instruction.logical.map;
    let lo = 0;
    let hi = this.text.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (map[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return map[lo] === offset && lo < this.text.length ? lo : -1;
  }

  /** Whether the file broke a line anywhere in the instruction. */
  get multiline(): boolean {
    return this.breaks.length > 0;
  }

  /** Breaks at positions `from <= pos <= to` (a binary search: huge RUNs have thousands of lines). */
  breaksIn(from: number, to: number): BreakPoint[] {
    const out: BreakPoint[] = [];
    const breaks = this.breaks;
    for (let k = lowerBound(breaks, from); k < breaks.length && breaks[k].pos <= to; k++) out.push(breaks[k]);
    return out;
  }

  /** Whether any break falls strictly inside (from, to): the range spans lines in the file. */
  brokenInside(from: number, to: number): boolean {
    const next = this.breaks[lowerBound(this.breaks, from + 1)];
    return next !== undefined && next.pos < to;
  }

  /** Whether a comment line sits anywhere within `from <= pos <= to`. */
  hasCommentsIn(from: number, to: number): boolean {
    return this.breaksIn(from, to).some((b) => b.comments.length > 0);
  }

  /**
   * `text[from, to)` as the file wrote it: breaks strictly inside (and at
   * `from` / `to` when asked) are reproduced with the escape character,
   * the comment lines between, and the next line's own leading whitespace.
   * Empty continuation lines are left out (BuildKit skips them).
   */
  physical(from: number, to: number, includeStart = false, includeEnd = false): Doc {
    const t = this.text;
    let parts: Doc[] | null = null;
    let cur = from;
    const breaks = this.breaks;
    for (let k = lowerBound(breaks, includeStart ? from : from + 1); k < breaks.length; k++) {
      const b = breaks[k];
      if (b.pos > to || (b.pos === to && !includeEnd)) break;
      parts ??= [];
      parts.push(t.slice(cur, b.pos), this.escape);
      for (const c of b.comments) parts.push(literalline, c);
      parts.push(literalline);
      cur = b.pos;
    }
    if (parts === null) return t.slice(from, to);
    parts.push(t.slice(cur, to));
    return parts;
  }

  /**
   * A gap printed as a line continuation: ` \`, then the comment lines the
   * gap held (each on its own line), then a newline. Indentation comes from
   * the enclosing `indent()`.
   */
  continuation(comments: string[], spacer = false): Doc {
    const parts: Doc[] = [' ' + this.escape, hardline];
    // a line holding only the escape character: a visual paragraph break some files use inside long RUNs
    if (spacer) parts.push(this.escape, hardline);
    for (const c of comments) parts.push(c.trimStart(), hardline);
    return parts;
  }

  /**
   * The gap `text[from, to)` between two chunks. `keepBreak` keeps a line
   * break the file had there (and one spacer line, see continuation(), when
   * the file had several); comment lines always force one. Returns null
   * when the gap holds anything but spaces and tabs (the caller keeps it).
   */
  gap(from: number, to: number, keepBreak: boolean): { doc: Doc; breaks: boolean } | null {
    if (!onlyBlanks(this.text, from, to)) return null;
    const inGap = this.breaksIn(from, to);
    // Chunks that touch (no blank between) cannot be separated by a continuation: it would add a space.
    if (from === to) return inGap.length > 0 ? null : { doc: '', breaks: false };
    const comments: string[] = [];
    for (const b of inGap) comments.push(...b.comments);
    if (comments.length > 0 || (keepBreak && inGap.length > 0)) {
      return { doc: this.continuation(comments, keepBreak && inGap.length > 1), breaks: true };
    }
    return { doc: ' ', breaks: false };
  }

  /** Comment lines inside `from <= pos <= to`, in file order. */
  commentsIn(from: number, to: number): string[] {
    const out: string[] = [];
    for (const b of this.breaksIn(from, to)) out.push(...b.comments);
    return out;
  }
}

/**
 * Flatten nested arrays and merge adjacent strings: the same output, fewer
 * doc nodes for Prettier's doc printer to walk (a one-line instruction
 * becomes a single string).
 */
export function concat(parts: Doc[]): Doc {
  const out: Doc[] = [];
  let pending = '';
  const push = (d: Doc): void => {
    if (typeof d === 'string') pending += d;
    else if (Array.isArray(d)) for (const x of d) push(x);
    else {
      if (pending !== '') out.push(pending);
      pending = '';
      out.push(d);
    }
  };
  for (const p of parts) push(p);
  if (pending !== '') out.push(pending);
  return out.length === 1 ? out[0] : out;
}

/** Index of the first break at or after `pos` (`breaks.length` when none). */
function lowerBound(breaks: BreakPoint[], pos: number): number {
  let lo = 0;
  let hi = breaks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (breaks[mid].pos < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first logical index whose file offset is greater than `offset` (`length` when none). */
function firstAfter(map: Int32Array, length: number, offset: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (map[mid] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
