/**
 * Layout of one instruction. Each argument style gets the most a formatter
 * can do without changing what BuildKit reads (meaning() in src/syntax):
 *
 * - keyword and flags: keyword upper-cased, one space between words, flags in
 *   their order; a line break between two flags (or after the last flag) is
 *   kept, indented one level;
 * - exec form (JSON arrays): printed as `["a", "b"]`, each element with
 *   JSON.stringify (the same strings after BuildKit's JSON parse);
 * - word lists (FROM, COPY, ADD, VOLUME, EXPOSE, ARG, ENV/LABEL `k=v`): one
 *   space between words, the file's line breaks kept and re-indented;
 * - RUN shell text the tokenizer proves: one command per line when the RUN is
 *   multi-line or too long, operators leading, long commands wrapped;
 * - everything else (WORKDIR, USER, STOPSIGNAL, MAINTAINER, legacy `ENV k v`
 *   values, ONBUILD triggers, text that is not valid JSON, shell text for a
 *   non-POSIX shell): the argument bytes as written, line breaks included.
 * Returning null from a layout means "print the whole instruction as written".
 */
import type { Doc } from 'prettier';
import { builders } from 'prettier/doc';
import type { Document, Instruction } from '../syntax/index.js';
import { parseWords } from '../syntax/index.js';
import { isGoSpace } from '../syntax/words.js';
import { concat, InstructionLayout } from './layout.js';
import { outsideQuotes, tokenizeShell, type ShellChunk } from './shell.js';
import type { ShellKind } from '../syntax/shells.js';

const { align, fill, group, ifBreak, indent, line, literalline } = builders;

export interface InstructionContext {
  document: Document;
  shellOf(inst: Instruction): ShellKind;
  /** physical lines that carry a parse problem */
  problemLines: Set<number>;
  /** split `&&` chains and wrap long RUN commands (the `dockerfileRunLayout: "split"` option) */
  splitRun: boolean;
  /** columns of a tab, to measure the indentation of lines kept as written */
  tabWidth: number;
  /** Prettier's printWidth: an instruction on one line no longer than this never breaks */
  printWidth: number;
}

export interface PrintedInstruction {
  doc: Doc;
  /** the instruction (continued or heredoc left open) ran into the end of the file and was printed as written to EOF */
  toEof: boolean;
}

/** Print an instruction; `ignored` is set by a preceding `# prettier-ignore`. */
export function printInstruction(inst: Instruction, ctx: InstructionContext, ignored: boolean): PrintedInstruction {
  const text = ctx.document.text;
  if (runsIntoEof(inst)) return { doc: text.slice(firstOffset(inst, text)), toEof: true };
  if (ignored || !inst.known || inst.error || hasProblem(inst, ctx) || endsWithBareEscape(inst, ctx.document.escape)) {
    return { doc: asWritten(text, inst), toEof: false };
  }
  let body: Doc | null = null;
  try {
    const lay = new InstructionLayout(ctx.document, inst);
    body = lay.unplacedComment ? null : printKnown(inst, lay, ctx);
  } catch {
    // a printer bug must never fail the file: this instruction is kept as written
  }
  if (body === null) return { doc: asWritten(text, inst), toEof: false };
  if (inst.heredocs.length === 0) return { doc: body, toEof: false };
  // Heredoc bodies and terminators are contiguous and follow the instruction's last line, byte for byte.
  const first = inst.heredocs[0];
  const last = inst.heredocs[inst.heredocs.length - 1];
  // (a literal newline: the line before may end in blanks that count, e.g. an ONBUILD trigger's)
  return { doc: [body, literalline, text.slice(first.bodyStart, last.terminatorEnd)], toEof: false };
}

/**
 * The logical line ends with an escape character that only whitespace other
 * than spaces and tabs (a no-break space, `\v`, U+3000) kept from continuing
 * the line. Printed without that whitespace it would continue into the next
 * line, so the instruction is kept as written.
 */
function endsWithBareEscape(inst: Instruction, escape: string): boolean {
  const t = inst.logical.text;
  let e = t.length;
  while (e > 0 && isGoSpace(t.charCodeAt(e - 1))) e--;
  return e > 0 && e < t.length && t[e - 1] === escape && (e === 1 || t[e - 2] !== escape);
}

/** The instruction as written, from its keyword (heredocs included). */
function asWritten(text: string, inst: Instruction): string {
  const last = inst.heredocs[inst.heredocs.length - 1];
  const end = last && last.terminatorEnd > inst.end ? last.terminatorEnd : inst.end;
  return text.slice(firstOffset(inst, text), end);
}

/**
 * Where printing an instruction as written starts: the first character of its
 * first line after spaces and tabs. That is the keyword, unless the first line
 * holds only an escape character (`\` continued onto the keyword's line, or
 * into the end of the file).
 */
function firstOffset(inst: Instruction, text: string): number {
  // A `//` line (an unknown instruction) keeps its indentation: moved to column 0 on the
  // first line, BuildKit's syntax detection would read `//syntax=x` as a directive.
  if (text.startsWith('//', inst.start)) return Math.min(inst.lines[0].start, inst.start);
  let i = inst.lines[0].start;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return Math.min(i, inst.start);
}

/**
 * A continuation at the end of the file (BuildKit reads to EOF, comment and
 * empty lines included) or a heredoc without terminator: printed to EOF as
 * written, final newline or not, so nothing the body holds can change.
 */
function runsIntoEof(inst: Instruction): boolean {
  const lines = inst.lines;
  const lastLine = lines[lines.length - 1];
  if (lastLine && (lastLine.kind !== 'code' || lastLine.escapeAt >= 0)) return true;
  return inst.heredocs.some((h) => h.terminatorStart < 0);
}

function hasProblem(inst: Instruction, ctx: InstructionContext): boolean {
  if (ctx.problemLines.size === 0) return false;
  for (let l = inst.startLine; l <= inst.endLine; l++) if (ctx.problemLines.has(l)) return true;
  return false;
}

type Range = [number, number];

function printKnown(inst: Instruction, lay: InstructionLayout, ctx: InstructionContext): Doc | null {
  const t = lay.text;
  // The logical text starts with blanks when the first line held only an escape character (`  \`).
  let kwStart = 0;
  while (t[kwStart] === ' ' || t[kwStart] === '\t') kwStart++;
  const kwEnd = kwStart + inst.rawKeyword.length;
  if (!t.startsWith(inst.rawKeyword, kwStart) || lay.brokenInside(kwStart, kwEnd) || lay.hasCommentsIn(0, kwStart)) return null;
  const argsStart = inst.argsIndex;
  const argsEnd = argsStart + inst.args.length;
  if (t.slice(argsStart, argsEnd) !== inst.args) return null;
  // Arguments ending in the escape character were kept from continuing only by
  // whitespace BuildKit trims but a printed line would not have (`\` + U+00A0).
  if (argsEnd > argsStart && t[argsEnd - 1] === lay.escape) return null;

  // flags as logical ranges, checked against what the parser saw
  const flags: Range[] = [];
  for (const f of inst.flags) {
    const s = lay.indexOfOffset(f.start);
    const e = lay.indexOfOffset(f.end - 1) + 1;
    if (s < 0 || e <= s || t.slice(s, e) !== f.raw) return null;
    flags.push([s, e]);
  }
  if (inst.keyword === 'ONBUILD') return inst.flags.length > 0 ? null : printOnbuild(inst, lay, kwEnd);

  const head: Doc[] = [];
  let prev = kwEnd;
  for (const [s, e] of flags) {
    // keyword to first flag: one space; between flags: the file's line breaks are kept
    const gap = lay.gap(prev, s, prev !== kwEnd);
    head.push(gap ? gap.doc : lay.physical(prev, s, true, true), lay.physical(s, e));
    prev = e;
  }
  if (argsStart < argsEnd) {
    const argsGap = lay.gap(prev, argsStart, flags.length > 0);
    const args = printArgs(inst, lay, ctx, argsStart, argsEnd);
    if (args === null) return null;
    head.push(argsGap ? argsGap.doc : lay.physical(prev, argsStart, true, true), args);
  }
  // Only a continuation (or a RUN that may wrap) needs the indentation level.
  const body = concat(head);
  return typeof body === 'string' ? inst.keyword + body : [inst.keyword, indent(body)];
}

function printArgs(inst: Instruction, lay: InstructionLayout, ctx: InstructionContext, from: number, to: number): Doc | null {
  const asIs = (): Doc => lay.physical(from, to);
  switch (inst.keyword) {
    case 'RUN':
    case 'CMD':
    case 'ENTRYPOINT': {
      if (inst.json) return execForm(inst.json, lay, from, to);
      if (inst.jsonLike || ctx.shellOf(inst) !== 'posix') return asIs();
      return shellText(lay, ctx, from, to, inst.keyword === 'RUN' && ctx.splitRun, inst.heredocs.length > 0);
    }
    case 'SHELL':
      return inst.json ? execForm(inst.json, lay, from, to) : asIs();
    case 'COPY':
    case 'ADD':
    case 'VOLUME':
      if (inst.json) return execForm(inst.json, lay, from, to);
      if (inst.jsonLike) return asIs();
      return joinWords(lay, wordRanges(lay.text, from, to, lay.escape));
    case 'EXPOSE':
      return joinWords(lay, wordRanges(lay.text, from, to, lay.escape));
    case 'FROM':
      return printFrom(inst, lay, from, to);
    case 'ARG':
      return joinWords(lay, parsedWordRanges(lay.text, from, to, lay.escape));
    case 'ENV':
    case 'LABEL':
      return printKeyValues(lay, from, to);
    case 'HEALTHCHECK':
      return printHealthcheck(inst, lay, ctx, from, to);
    default:
      // WORKDIR, USER, STOPSIGNAL, MAINTAINER: BuildKit keeps the whole string, inner whitespace included.
      return asIs();
  }
}

/** `["a", "b"]`; comment lines inside the array keep the array as written (they cannot be moved out safely). */
function execForm(json: string[], lay: InstructionLayout, from: number, to: number): Doc {
  if (lay.hasCommentsIn(from + 1, to)) return lay.physical(from, to);
  return '[' + json.map((s) => JSON.stringify(s)).join(', ') + ']';
}

/**
 * Words split on blanks outside quotes. Used where BuildKit splits on every
 * blank (FROM, COPY, ADD, VOLUME, EXPOSE): keeping quoted blanks inside a
 * word only keeps more bytes. The file's escape character pairs with the
 * next character; so does `\` when the line may hold a heredoc marker:
 * BuildKit finds those with a shell lexer that always uses `\`, where
 * `a\ <<EOF` is one word.
 */
function wordRanges(t: string, from: number, to: number, fileEscape: string): Range[] {
  const escape = fileEscape;
  const backslash = t.includes('<<') ? '\\' : fileEscape;
  const out: Range[] = [];
  let i = from;
  while (i < to) {
    while (i < to && (t[i] === ' ' || t[i] === '\t')) i++;
    if (i >= to) break;
    const s = i;
    while (i < to && t[i] !== ' ' && t[i] !== '\t') {
      const c = t[i];
      if (c === escape || c === backslash) i += 2;
      else if (c === "'") {
        const close = t.indexOf(c, i + 1);
        i = close < 0 || close >= to ? to : close + 1;
      } else if (c === '"') {
        i++;
        while (i < to && t[i] !== '"') i += t[i] === backslash || t[i] === escape ? 2 : 1;
        i++;
      } else i++;
    }
    out.push([s, Math.min(i, to)]);
  }
  return out;
}

/** BuildKit's own word split for ARG, ENV and LABEL (parseWords). */
function parsedWordRanges(t: string, from: number, to: number, escape: string): Range[] {
  return parseWords(t.slice(from, to), escape).map((w): Range => [from + w.start, from + w.end]);
}

/**
 * Words with one space between them, or a re-indented line continuation where
 * the file broke the line. A gap holding anything but blanks is kept as written.
 */
function joinWords(lay: InstructionLayout, words: Range[], transform?: (index: number, doc: Doc) => Doc): Doc {
  const parts: Doc[] = [];
  for (let k = 0; k < words.length; k++) {
    const [s, e] = words[k];
    if (k > 0) {
      const prevEnd = words[k - 1][1];
      const gap = lay.gap(prevEnd, s, true);
      parts.push(gap ? gap.doc : lay.physical(prevEnd, s, true, true));
    }
    const word = lay.physical(s, e);
    parts.push(transform ? transform(k, word) : word);
  }
  return parts;
}

/** FROM: words, and `as` upper-cased when BuildKit reads a stage name (exactly three words). */
function printFrom(inst: Instruction, lay: InstructionLayout, from: number, to: number): Doc {
  const words = wordRanges(lay.text, from, to, lay.escape);
  const plain = inst.args.split(/[\t\v\f\r ]+/);
  const named = words.length === 3 && plain.length === 3 && plain[1].toLowerCase() === 'as' &&
    lay.text.slice(words[1][0], words[1][1]).toLowerCase() === 'as' && !lay.brokenInside(words[1][0], words[1][1]);
  return joinWords(lay, words, (k, doc) => (named && k === 1 ? 'AS' : doc));
}

/**
 * ENV/LABEL: `k=v` pairs are words; the legacy `ENV k v` form keeps its value
 * as written (BuildKit keeps the value's inner whitespace, continuation-line
 * indentation included), only the blanks between key and value collapse.
 */
function printKeyValues(lay: InstructionLayout, from: number, to: number): Doc {
  const t = lay.text;
  const words = parseWords(t.slice(from, to), lay.escape);
  if (words.length === 0) return lay.physical(from, to);
  if (words[0].value.includes('=')) return joinWords(lay, words.map((w): Range => [from + w.start, from + w.end]));
  // legacy form: BuildKit splits once at the first run of [\t\v\f\r ]
  let k = from;
  while (k < to && !/[\t\v\f\r ]/.test(t[k])) k++;
  let v = k;
  while (v < to && /[\t\v\f\r ]/.test(t[v])) v++;
  // a key ending in the escape character pairs with the blank after it in parseWords: keep that blank run as it is
  if (v >= to || t[k - 1] === lay.escape) return lay.physical(from, to);
  const gap = lay.gap(k, v, false);
  if (!gap) return lay.physical(from, to);
  return [lay.physical(from, k), gap.doc, lay.physical(v, to)];
}

/** HEALTHCHECK [flags] NONE | CMD <exec form or shell text>. */
function printHealthcheck(inst: Instruction, lay: InstructionLayout, ctx: InstructionContext, from: number, to: number): Doc {
  const t = lay.text;
  let sep = from;
  while (sep < to && !/[\t\n\v\f\r ]/.test(t[sep])) sep++;
  let next = sep;
  while (next < to && /[\t\n\v\f\r ]/.test(t[next])) next++;
  const type = t.slice(from, sep);
  const upper = type.toUpperCase();
  if (lay.brokenInside(from, sep) || (upper !== 'CMD' && upper !== 'NONE')) return lay.physical(from, to);
  if (next >= to) return upper;
  const gap = lay.gap(sep, next, false);
  if (!gap) return lay.physical(from, to);
  let rest: Doc;
  if (inst.json) rest = execForm(inst.json, lay, next, to);
  else if (inst.jsonLike || ctx.shellOf(inst) !== 'posix') rest = lay.physical(next, to);
  else rest = shellText(lay, ctx, next, to, false, false);
  return [upper, gap.doc, rest];
}

/**
 * ONBUILD: BuildKit stores the trigger text (everything after `ONBUILD` and
 * the blanks that follow it, trailing blanks included) in the image config,
 * so only the keyword and that first gap are touched.
 */
function printOnbuild(inst: Instruction, lay: InstructionLayout, kwEnd: number): Doc | null {
  const start = inst.argsIndex;
  if (start >= lay.text.length) return 'ONBUILD';
  const gap = lay.gap(kwEnd, start, false);
  if (!gap) return null;
  // The trigger keyword is upper-cased like any keyword (meaning() ignores its
  // case: the child build parses the trigger again); the rest is kept byte for byte.
  const trigger = inst.trigger;
  const kwEnd2 = start + (trigger?.rawKeyword.length ?? 0);
  // Contiguous: no line break inside the keyword. A break right after it (`run\`)
  // does not count, and is printed (as a continuation) after the keyword, so
  // the second format reads the same keyword the first one printed.
  const map = inst.logical.map;
  const contiguous = trigger !== undefined && trigger.known && kwEnd2 > start && map[kwEnd2 - 1] - map[start] === kwEnd2 - 1 - start;
  const keyword: Doc = contiguous ? trigger.keyword : lay.physical(start, kwEnd2);
  const body = concat([gap.doc, keyword, lay.physical(kwEnd2, lay.text.length, kwEnd2 > start)]);
  return typeof body === 'string' ? 'ONBUILD' + body : ['ONBUILD', indent(body)];
}

// ---- shell text ---------------------------------------------------------------------------------

/**
 * Shell-form text under a POSIX shell. When the tokenizer proves the text, the
 * blanks between chunks are free: RUN gets the command-per-line layout, CMD
 * and ENTRYPOINT one space per gap. Otherwise only the line breaks outside
 * quotes are re-indented.
 */
function shellText(lay: InstructionLayout, ctx: InstructionContext, from: number, to: number, runLayout: boolean, hasHeredocs: boolean): Doc {
  const chunks = hasHeredocs ? null : tokenizeShell(lay.text, from, to);
  if (chunks && gapsOutsideQuotes(lay, chunks, from, to)) {
    // one line that fits: the layout below would print every gap as one space anyway
    if (!runLayout || (!lay.multiline && lay.text.length <= ctx.printWidth)) {
      return joinWords(lay, chunks.map((c): Range => [c.start, c.end]));
    }
    return runCommands(lay, chunks);
  }
  return reindentOnly(lay, from, to, ctx.tabWidth);
}

/** Belt and braces: every gap must also be unquoted text in the meaning model. */
function gapsOutsideQuotes(lay: InstructionLayout, chunks: ShellChunk[], from: number, to: number): boolean {
  if (chunks.length < 2) return true;
  const points = chunks.slice(0, -1).map((c) => c.end);
  return outsideQuotes(lay.text, from, to, points, lay.escape).outside.every(Boolean);
}

/**
 * Shell text the tokenizer refused: keep it, but where the file broke a line
 * at a blank that is outside every quote (by both the shell's and the
 * meaning model's reading), print the break as a standard continuation
 * (all or nothing: when the quote scan gives up, the text stays as written).
 * Those lines keep their indentation relative to each other (the structure
 * of an `if` or `case` stays visible): the least indented one moves to one
 * indentation level, the others keep their extra columns.
 */
function reindentOnly(lay: InstructionLayout, from: number, to: number, tabWidth: number): Doc {
  const t = lay.text;
  const candidates: Range[] = [];
  for (const b of lay.breaks) {
    if (b.pos <= from || b.pos >= to) continue;
    let s = b.pos;
    while (s > from && (t[s - 1] === ' ' || t[s - 1] === '\t')) s--;
    let e = b.pos;
    while (e < to && (t[e] === ' ' || t[e] === '\t')) e++;
    if (s === e) continue; // a word continued on the next line: no blank to work with
    const lastCandidate = candidates[candidates.length - 1];
    if (lastCandidate && lastCandidate[1] >= s) continue; // same blank run
    candidates.push([s, e]);
  }
  if (candidates.length === 0) return lay.physical(from, to);
  const points = [...new Set(candidates.flatMap(([s, e]) => [s, e]))].sort((a, b) => a - b);
  const scan = outsideQuotes(t, from, to, points, lay.escape);
  // Re-indenting only the lines before the point where the scan gave up would leave one
  // instruction half in the new indentation, half in the old: keep all of it instead.
  if (!scan.complete) return lay.physical(from, to);
  const safe = new Set(points.filter((_, k) => scan.outside[k]));
  const chosen = candidates.filter(([s, e]) => safe.has(s) && safe.has(e));
  // the indentation the file gave each line that starts after a chosen gap
  const widths = chosen.map(([s, e]) => {
    const lastBreak = lay.breaksIn(s, e).pop()!.pos;
    return indentWidth(t, lastBreak, e, tabWidth);
  });
  const base = Math.min(...widths);
  const parts: Doc[] = [];
  let cur = from;
  chosen.forEach(([s, e], k) => {
    const gap = lay.gap(s, e, true);
    if (!gap) return;
    const extra = widths[k] - base;
    parts.push(lay.physical(cur, s), extra > 0 ? align(extra, gap.doc) : gap.doc);
    cur = e;
  });
  parts.push(lay.physical(cur, to));
  return parts;
}

/** Columns taken by the blanks `text[from, to)` at the start of a line. */
function indentWidth(text: string, from: number, to: number, tabWidth: number): number {
  let col = 0;
  for (let i = from; i < to; i++) col = text[i] === '\t' ? (Math.floor(col / tabWidth) + 1) * tabWidth : col + 1;
  return col;
}

/**
 * Whether a line may start with `text` (after the indentation): BuildKit
 * drops a continuation line that is blank or starts with `#` once Go's
 * whitespace is trimmed, so `\v#x` (one word for the shell) must not start one.
 */
function mayStartLine(text: string): boolean {
  const rest = text.replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/, '');
  return rest.length > 0 && rest[0] !== '#';
}

/** The separator fill() and group() may break: a space, or ` \` + newline. */
function softContinuation(escape: string): Doc {
  return [ifBreak(' ' + escape, ''), line];
}

/**
 * RUN with proven shell text. Commands are split at top-level `&&`, `||` and
 * `;`. With two or more commands, a RUN that the file already wrote on
 * several lines, or that does not fit in printWidth, gets one command per
 * line, `&&`/`||` leading and `;` trailing; each command's words fill the
 * line and wrap one level deeper. A single command just fills.
 */
function runCommands(lay: InstructionLayout, chunks: ShellChunk[]): Doc {
  const commands: ShellChunk[][] = [];
  let current: ShellChunk[] = [];
  for (const c of chunks) {
    if (current.length > 0 && c.leadOp !== null) {
      commands.push(current);
      current = [];
    }
    current.push(c);
    if (c.endsCommand) {
      commands.push(current);
      current = [];
    }
  }
  if (current.length > 0) commands.push(current);
  if (commands.length < 2) return fill(commandParts(lay, chunks, null, false));

  const parts: Doc[] = [];
  for (let k = 0; k < commands.length; k++) {
    const cmd = commands[k];
    // comments between a leading operator and its command move up, before the operator's line
    const moved: string[] = [];
    const words = commandParts(lay, cmd, moved, true);
    if (k > 0) {
      const prevEnd = commands[k - 1][commands[k - 1].length - 1].end;
      const comments = [...lay.commentsIn(prevEnd, cmd[0].start), ...moved];
      const spacer = lay.breaksIn(prevEnd, cmd[0].start).length > 1;
      if (comments.length > 0 || spacer) parts.push(lay.continuation(comments, spacer));
      else parts.push(mayStartLine(lay.text.slice(cmd[0].start, cmd[0].end)) ? softContinuation(lay.escape) : ' ');
    } else if (moved.length > 0) {
      // the text starts with an operator (`RUN && x`): nowhere above to move its comments to
      return fill(commandParts(lay, chunks, null, false));
    }
    parts.push(indent(fill(words)));
  }
  return group(parts, { shouldBreak: lay.multiline });
}

/**
 * One command's fill() parts: contents alternating with separators. A pipe
 * or redirection operator stays with the word after it, and so does a
 * leading `&&`/`||` (its gap's comments go to `moved`). Gaps where the file
 * broke the line stay broken. In a split RUN (`nested`), a lone `;` the file
 * put on its own line closes the command at the command's own level
 * (`apt-get install \` / `    pkg \` / `; \`), as official images write it.
 */
function commandParts(lay: InstructionLayout, chunks: ShellChunk[], moved: string[] | null, nested: boolean): Doc[] {
  const parts: Doc[] = [];
  let content: Doc[] = [lay.physical(chunks[0].start, chunks[0].end)];
  for (let k = 1; k < chunks.length; k++) {
    const prev = chunks[k - 1];
    const c = chunks[k];
    const leadingOperator = moved !== null && k === 1 && prev.leadOp !== null && prev.end - prev.start === prev.leadOp.length;
    const comments = lay.commentsIn(prev.end, c.start);
    const breaks = lay.breaksIn(prev.end, c.start).length;
    const broke = breaks > 0;
    const word = lay.physical(c.start, c.end);
    if (leadingOperator) {
      moved!.push(...comments);
      content.push(' ', word);
      continue;
    }
    const loneSemicolon = c.end - c.start === 1 && lay.text[c.start] === ';';
    if (!broke && (prev.bindsNext || loneSemicolon || !mayStartLine(lay.text.slice(c.start, c.end)))) {
      content.push(' ', word);
      continue;
    }
    parts.push(content);
    if (!broke) parts.push(softContinuation(lay.escape));
    else {
      const cont = lay.continuation(comments, breaks > 1);
      parts.push(nested && loneSemicolon && k === chunks.length - 1 ? align(-1, cont) : cont);
    }
    content = [word];
  }
  parts.push(content);
  return parts;
}

