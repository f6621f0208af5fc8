/**
 * Layout of a whole Dockerfile: parser directives, comments, blank lines and
 * instructions, each on its own line.
 *
 * - Directives print as `# key=value` (key lower-cased) where they stand. One
 *   blank line follows the directive block.
 * - A directive-looking comment (`# syntax=…` after the block, `#!…`) keeps
 *   its line as written and where it is: moving it, or removing the blank line
 *   before it, could make BuildKit read it as a directive.
 * - At most one blank line in a row, none at the start or the end, one final
 *   newline.
 * - `# prettier-ignore` keeps the next instruction as written.
 *
 * Lines are joined with literal newlines: the printer strips trailing blanks
 * itself wherever they do not count, and keeps them where they do (an
 * ONBUILD trigger, text printed as written).
 */
import type { Doc } from 'prettier';
import { builders } from 'prettier/doc';
import type { Comment, Directive, Document } from '../syntax/index.js';
import { printInstruction, type InstructionContext } from './print-instruction.js';
import { shellKinds } from '../syntax/shells.js';
import { trimTrailing } from '../syntax/words.js';

const { literalline } = builders;

export interface PrintOptions {
  /** split `&&` chains and wrap long RUN commands (default true) */
  splitRun?: boolean;
  /** Prettier's tabWidth (default 4, the plugin's default) */
  tabWidth?: number;
  /** Prettier's printWidth (default 80) */
  printWidth?: number;
}

/** A comment BuildKit's directive readers could take for a directive in some position. */
const DIRECTIVE_LIKE = /^#[\t\n\f\r ]*[a-zA-Z][a-zA-Z0-9]*[\t\n\f\r ]*=/;
/** A `//` line BuildKit's syntax detection could take for a directive. */
const SLASH_DIRECTIVE_LIKE = /^\/\/[\t\n\f\r ]*[a-zA-Z][a-zA-Z0-9]*[\t\n\f\r ]*=/;
const PRETTIER_IGNORE = /^#\s*prettier-ignore\s*$/;

export function printDocument(document: Document, options: PrintOptions = {}): Doc {
  const shells = shellKinds(document);
  const ctx: InstructionContext = {
    document,
    shellOf: (inst) => shells.get(inst) ?? 'other',
    problemLines: new Set(document.problems.map((p) => p.line)),
    splitRun: options.splitRun ?? true,
    tabWidth: options.tabWidth ?? 4,
    printWidth: options.printWidth ?? 80,
  };
  const nodes = document.nodes;
  const out = new LineSink();
  const keepLeadingBlank = directiveLikeBeforeInstructions(document);
  const needsLeadingBreak = firstLineWouldStartWithBom(document);
  let lastDirective = -1;
  for (let i = 0; i < nodes.length; i++) if (nodes[i].type === 'directive') lastDirective = i;
  let started = false;
  let blankPending = false;
  let ignoreNext = false;
  let reachedEof = false;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (node.type === 'blank') {
      if (started || keepLeadingBlank) blankPending = true;
      continue;
    }
    let breaks = started ? 1 : 0;
    if (blankPending) breaks++;
    // a U+FEFF first in the output would become its BOM: a line break keeps it a character of the keyword
    else if (!started && needsLeadingBreak) breaks++;
    blankPending = false;
    started = true;
    if (node.type === 'directive') {
      out.line(breaks, printDirective(document, node, ctx.problemLines));
      // one blank line between the directive block and what follows
      if (i === lastDirective && i + 1 < nodes.length) blankPending = true;
    } else if (node.type === 'comment') {
      out.line(breaks, printComment(document, node));
      if (PRETTIER_IGNORE.test(node.text)) ignoreNext = true;
    } else {
      const printed = printInstruction(node, ctx, ignoreNext);
      ignoreNext = false;
      out.line(breaks, printed.doc);
      if (printed.toEof) {
        reachedEof = true;
        break;
      }
    }
  }
  if (started && !reachedEof) out.line(1, '');
  return out.finish();
}

/**
 * Collects the file's lines into as few doc nodes as possible: runs of lines
 * that are plain strings become one string with newlines in it (Prettier
 * writes those as they are, with the chosen end of line). A line whose doc
 * can break (a RUN laid out by width) gets a real literal newline before it,
 * so the doc printer knows its column.
 */
class LineSink {
  private readonly parts: Doc[] = [];
  private text = '';

  line(breaksBefore: number, doc: Doc): void {
    if (typeof doc === 'string') {
      this.text += '\n'.repeat(breaksBefore) + doc;
      return;
    }
    if (this.text !== '') this.parts.push(this.text);
    this.text = '';
    for (let k = 0; k < breaksBefore; k++) this.parts.push(literalline);
    this.parts.push(doc);
  }

  finish(): Doc {
    if (this.text !== '') this.parts.push(this.text);
    return this.parts.length === 1 ? this.parts[0] : this.parts;
  }
}

/**
 * `# key=value`, unless the line is indented (BuildKit's syntax detector does
 * not trim, the main parser does: the two would start to disagree) or
 * carries a problem (duplicate directive, bad escape): then as written (a
 * line with a problem byte for byte, trailing blanks included).
 */
function printDirective(document: Document, d: Directive, problemLines: Set<number>): string {
  const line = document.lines[d.line];
  const lineStart = d.line === 0 && document.bom ? line.start + 1 : line.start;
  const asWritten = document.text.slice(lineStart, line.contentEnd);
  // with a problem, byte for byte: `# escape= ` (value " ") is no directive once trimmed
  if (problemLines.has(d.line)) return asWritten;
  if (d.start !== lineStart) return d.value.trim() === '' ? asWritten : trimBlanks(asWritten);
  return `# ${d.name}=${d.value}`;
}

/** A comment keeps its text; directive-looking lines and `#!` lines keep their indentation too. */
function printComment(document: Document, c: Comment): string {
  const text = trimBlanks(c.text);
  if (DIRECTIVE_LIKE.test(text) || text.startsWith('#!')) {
    const line = document.lines[c.line];
    const lineStart = c.line === 0 && document.bom ? line.start + 1 : line.start;
    return trimBlanks(document.text.slice(lineStart, line.contentEnd));
  }
  return text;
}

/** Trailing spaces and tabs removed (other whitespace may be part of a directive's value). */
function trimBlanks(s: string): string {
  return trimTrailing(s, ' \t');
}

/**
 * Blank lines at the start of the file go, unless a directive-looking comment
 * comes before the first instruction, or the first instruction is a
 * directive-looking `//` line: a leading blank line is what keeps it (and a
 * `#!` line above it) from being read as a directive.
 */
function directiveLikeBeforeInstructions(document: Document): boolean {
  for (const n of document.nodes) {
    // BuildKit's syntax detection also reads `// key=value` lines (an unknown instruction to the parser)
    if (n.type === 'instruction') return SLASH_DIRECTIVE_LIKE.test(document.text.slice(n.start, document.lines[n.startLine].contentEnd));
    if (n.type === 'comment' && (DIRECTIVE_LIKE.test(n.text) || n.text.startsWith('#!'))) return true;
  }
  return false;
}

/**
 * The first instruction, when nothing but blank lines comes before it, starts
 * with U+FEFF, but not at the very start of the text: printed first, the
 * U+FEFF would become the file's BOM (BuildKit strips one from line 1 only).
 */
function firstLineWouldStartWithBom(document: Document): boolean {
  for (const n of document.nodes) {
    if (n.type === 'blank') continue;
    if (n.type !== 'instruction' || document.text.charCodeAt(n.start) !== 0xfeff) return false;
    return n.start !== (document.bom ? 1 : 0);
  }
  return false;
}
