/**
 * Parse a Dockerfile into the Document model, following BuildKit's line rules
 * (moby/buildkit frontend/dockerfile/parser/parser.go, directives.go):
 * - a BOM is dropped from line 1; trailing `\r`s of every line are dropped
 *   (`trimNewline`); parser directives are read until the first line that is
 *   not a known directive;
 * - the escape character at the end of a line, after spaces/tabs, continues it
 *   unless it is itself escaped (`foo\\` does not continue); continuation
 *   lines keep their leading whitespace;
 * - comment lines and empty lines inside a continuation are dropped;
 * - heredoc bodies follow the logical line, for RUN/COPY/ADD (also as an
 *   ONBUILD trigger) not in JSON form.
 * Instruction-level checks (BuildKit's instructions package) are in validate.ts.
 *
 * dockerfile-ast was evaluated for this layer and not kept: it splits quoted
 * words apart, reads comments and empty continuation lines differently from
 * BuildKit and costs about 1 ms per file, three times our whole format budget.
 */
import {
  type Blank, type Comment, type Directive, type Document, type EscapeChar, type Flag, type Heredoc,
  type Instruction, type InstructionLine, type LogicalText, type Node, type ParseProblem, type PhysicalLine,
  HEREDOC_CAPABLE, JSON_CAPABLE, KNOWN_KEYWORDS,
} from './document.js';
import {
  type Word, argWords, extractBuilderFlags, isGoSpace, isTokenSpace, parseHeredocWord, parseJsonArray, shellWords, trimRange,
} from './words.js';
import { validateInstructions } from './validate.js';

/**
 * BuildKit's directive regexp `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`
 * (Go's `\s` is `[\t\n\f\r ]`, its `.` is anything but `\n`).
 */
/** A directive matcher with the shape of RegExp#exec: [line, key, value]. */
export interface DirectivePattern {
  exec(line: string): [string, string, string] | null;
}

/**
 * Go's `<prefix>\s*=\s*(.+?)\s*$` without backtracking: a regular expression
 * with a lazy value before trailing blanks is quadratic on a line of blanks
 * (`# syntax=a` + 40,000 spaces + `x` took seconds). The value is the rest of
 * the line with blanks trimmed; when the rest is all blanks, Go's lazy `.+?`
 * still takes the last one.
 */
function directivePattern(prefix: RegExp): DirectivePattern {
  const blank = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
  return {
    exec(line) {
      const m = prefix.exec(line);
      if (!m) return null;
      const rest = line.slice(m[0].length);
      if (rest.includes('\n')) return null;
      let i = 0;
      while (i < rest.length && blank(rest.charCodeAt(i))) i++;
      let j = rest.length;
      while (j > i && blank(rest.charCodeAt(j - 1))) j--;
      if (j > i) return [line, m[1], rest.slice(i, j)];
      return rest.length > 0 ? [line, m[1], rest[rest.length - 1]] : null;
    },
  };
}

/** `# key=value` (the main parser's directive syntax) */
export const DIRECTIVE = directivePattern(/^#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=/);
/** The same with a `//` comment, which BuildKit's syntax detection also accepts. */
const SLASH_DIRECTIVE = directivePattern(/^\/\/[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=/);
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);

/** The message BuildKit's parser fails with for a JSON array holding a non-string. */
export const NOT_STRING_ARRAY = 'when using JSON array syntax, arrays must be comprised of strings only';

export function splitLines(text: string): PhysicalLine[] {
  const lines: PhysicalLine[] = [];
  let start = 0;
  const n = text.length;
  while (start < n) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      lines.push({ start, contentEnd: n, end: n, eol: '' });
      break;
    }
    const cr = nl > start && text.charCodeAt(nl - 1) === 13;
    lines.push({ start, contentEnd: cr ? nl - 1 : nl, end: nl + 1, eol: cr ? '\r\n' : '\n' });
    start = nl + 1;
  }
  return lines;
}

/**
 * Index of the escape character that continues a line, or -1: BuildKit's
 * `([^E])E[ \t]*$|^E[ \t]*$` on text[from, end) — the escape after optional
 * trailing spaces/tabs, not preceded by another escape character.
 */
function continuationIndex(text: string, from: number, end: number, esc: number): number {
  let i = end - 1;
  while (i >= from) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) break;
    i--;
  }
  if (i < from || text.charCodeAt(i) !== esc) return -1;
  if (i > from && text.charCodeAt(i - 1) === esc) return -1;
  return i;
}

/**
 * Offset of the continuation escape if `content` ends with it (spaces/tabs
 * after it allowed, and not itself escaped: `a\\` does not continue), else -1.
 */
export function continuationAt(content: string, escape: string): number {
  return continuationIndex(content, 0, content.length, escape.charCodeAt(0));
}

/**
 * What an instruction's lazily computed parts (its physical lines, its
 * logical-to-file offset map) read again: the file, its lines and escape.
 * Kept instead of the parts themselves, which on a file of 400,000
 * instructions cost more memory than the rest of the model.
 */
interface Source {
  text: string;
  lines: PhysicalLine[];
  escCode: number;
  bom: boolean;
}

/** First offset of line i's content (after a BOM on line 0). */
const lineFrom = (src: Source, i: number): number => (i === 0 && src.bom ? 1 : src.lines[i].start);

/** End of line i as BuildKit sees it: every trailing `\r` dropped (`trimNewline`). */
function codeEnd(src: Source, i: number): number {
  const from = lineFrom(src, i);
  let e = src.lines[i].contentEnd;
  while (e > from && src.text.charCodeAt(e - 1) === 13) e--;
  return e;
}

/** First non-whitespace offset in [from, end) (Go's unicode.IsSpace). */
function skipSpace(text: string, from: number, end: number): number {
  while (from < end && isGoSpace(text.charCodeAt(from))) from++;
  return from;
}

/**
 * The physical lines of the instruction starting on line `first`: [from, to)
 * file ranges that make up its logical line, each line's kind, and the next
 * line to read (heredoc bodies not included). With `withLines` false the
 * per-line records are not built (the parse itself only needs the ranges).
 */
function walkInstruction(src: Source, first: number, withLines: boolean): { segments: number[]; lines: InstructionLine[]; next: number; endOffset: number } {
  const { text, lines, escCode } = src;
  const segments: number[] = [];
  const instLines: InstructionLine[] = [];
  const firstEnd = codeEnd(src, first);
  const lead = skipSpace(text, lineFrom(src, first), firstEnd);
  let esc = continuationIndex(text, lead, firstEnd, escCode);
  segments.push(lead, esc < 0 ? firstEnd : esc);
  if (withLines) instLines.push({ kind: 'code', line: first, start: lineFrom(src, first), contentEnd: lines[first].contentEnd, escapeAt: esc });
  let endOffset = lines[first].contentEnd;
  let j = first + 1;
  while (esc >= 0 && j < lines.length) {
    const start = lines[j].start;
    const end = codeEnd(src, j);
    const k = skipSpace(text, start, end);
    if (k < end && text.charCodeAt(k) === 0x23) {
      if (withLines) instLines.push({ kind: 'comment', line: j, start, contentEnd: lines[j].contentEnd, escapeAt: -1 });
    } else if (k === end) {
      if (withLines) instLines.push({ kind: 'empty', line: j, start, contentEnd: lines[j].contentEnd, escapeAt: -1 });
    } else {
      esc = continuationIndex(text, start, end, escCode);
      segments.push(start, esc < 0 ? end : esc);
      if (withLines) instLines.push({ kind: 'code', line: j, start, contentEnd: lines[j].contentEnd, escapeAt: esc });
    }
    // A continuation that runs into EOF keeps the comment/empty lines it read (BuildKit reads them too).
    endOffset = lines[j].contentEnd;
    j++;
  }
  return { segments, lines: instLines, next: j, endOffset };
}

/** The file offset of logical index k over these ranges (what `map[k]` holds, without building the map). */
function offsetIn(segments: number[], k: number, endOffset: number): number {
  for (let s = 0; s < segments.length; s += 2) {
    const length = Math.max(0, segments[s + 1] - segments[s]);
    if (k < length) return segments[s] + k;
    k -= length;
  }
  return endOffset;
}

/** The logical line of an instruction; `map` (logical index → file offset) is built on first use. */
class LazyLogical implements LogicalText {
  readonly text: string;
  readonly #source: Source;
  readonly #firstLine: number;
  #map: Int32Array | undefined;

  constructor(text: string, source: Source, firstLine: number) {
    this.text = text;
    this.#source = source;
    this.#firstLine = firstLine;
  }

  get map(): Int32Array {
    if (!this.#map) {
      const { segments, endOffset } = walkInstruction(this.#source, this.#firstLine, false);
      const map = new Int32Array(this.text.length + 1);
      let k = 0;
      for (let s = 0; s < segments.length; s += 2) for (let o = segments[s]; o < segments[s + 1]; o++) map[k++] = o;
      map[k] = endOffset;
      this.#map = map;
    }
    return this.#map;
  }
}

/** Interned upper-case keywords: one string for every `RUN` of a file, not one each. */
const KEYWORD_STRINGS = new Map([...KNOWN_KEYWORDS].map((k) => [k, k]));
/** Shared by every instruction without flags or heredocs (never mutated: a new array replaces it). */
const NONE: never[] = [];
Object.freeze(NONE);

/** An instruction; its physical lines are read again on demand (see Source). */
class ParsedInstruction implements Instruction {
  // Defaults on the prototype (below): most instructions never set these, and an own field costs 8 bytes each.
  declare readonly type: 'instruction';
  declare json: string[] | null;
  declare jsonLike: boolean;
  declare heredocs: Heredoc[];
  lineStart: number;
  startLine = 0;
  endLine = 0;
  declare trigger?: Instruction;
  declare error?: string;
  /** set for instructions read from the file (a trigger has no lines of its own) */
  #source: Source | undefined;

  constructor(
    readonly keyword: string,
    readonly rawKeyword: string,
    readonly known: boolean,
    public start: number,
    public end: number,
    readonly logical: LogicalText,
    readonly flags: Flag[],
    readonly args: string,
    readonly argsIndex: number,
  ) {
    this.lineStart = start;
  }

  get lines(): InstructionLine[] {
    return this.#source ? walkInstruction(this.#source, this.startLine, true).lines : [];
  }

  /** Called by parse() for an instruction read from the file. */
  attach(source: Source): void {
    this.#source = source;
  }
}

Object.assign(ParsedInstruction.prototype, { type: 'instruction', json: null, jsonLike: false, heredocs: NONE });

export function parse(text: string): Document {
  const lines = splitLines(text);
  const nLines = lines.length;
  const bom = text.charCodeAt(0) === 0xfeff;
  const nodes: Node[] = [];
  const directives: Directive[] = [];
  const instructions: Instruction[] = [];
  const problems: ParseProblem[] = [];
  let escape: EscapeChar = '\\';
  let directivesDone = false;
  const seenDirectives = new Set<string>();
  let crlf = 0;
  for (const l of lines) if (l.eol === '\r\n') crlf++;
  // escCode changes when the escape directive is read, before any instruction.
  const src: Source = { text, lines, escCode: 0x5c, bom };

  const problem = (message: string, offset: number): void => {
    const pos = positionOf(lines, offset);
    problems.push({ message, line: pos.line, column: pos.column });
  };

  /** A directive on line i (content from `lead` to `end`), or null; ends the directive block when not one. */
  const tryDirective = (i: number, lead: number, end: number): Directive | null => {
    const m = DIRECTIVE.exec(text.slice(lead, end));
    if (!m || !KNOWN_DIRECTIVES.has(m[1].toLowerCase())) {
      directivesDone = true;
      return null;
    }
    const name = m[1].toLowerCase();
    const d: Directive = { type: 'directive', name, rawName: m[1], value: m[2], line: i, start: lead, end: lines[i].contentEnd };
    if (seenDirectives.has(name)) {
      problem(`only one ${name} parser directive can be used`, lead);
      return d;
    }
    seenDirectives.add(name);
    if (name === 'escape') {
      if (m[2] === '\\' || m[2] === '`') {
        escape = m[2];
        src.escCode = escape.charCodeAt(0);
      } else problem(`invalid escape token '${m[2]}' does not match ` + '` or \\', lead);
    }
    return d;
  };

  let i = 0;
  while (i < nLines) {
    const end = codeEnd(src, i);
    const lead = skipSpace(text, lineFrom(src, i), end);
    if (lead === end) {
      directivesDone = true;
      const last = nodes[nodes.length - 1];
      if (last && last.type === 'blank' && last.line + last.count === i) {
        last.count++;
        last.end = lines[i].contentEnd;
      } else {
        const b: Blank = { type: 'blank', line: i, count: 1, start: lines[i].start, end: lines[i].contentEnd };
        nodes.push(b);
      }
      i++;
      continue;
    }
    if (text.charCodeAt(lead) === 0x23 /* # */) {
      const d = directivesDone ? null : tryDirective(i, lead, end);
      if (d) {
        directives.push(d);
        nodes.push(d);
      } else {
        const c: Comment = {
          type: 'comment', text: text.slice(lead, lines[i].contentEnd), line: i, lineStart: lines[i].start, start: lead,
          end: lines[i].contentEnd,
        };
        nodes.push(c);
      }
      i++;
      continue;
    }
    directivesDone = true;
    i = readInstruction(i, lead);
  }

  /** Read the instruction starting on line `first` (its text from `lead`); returns the next line to read. */
  function readInstruction(first: number, lead: number): number {
    const walked = walkInstruction(src, first, false);
    let logicalText = '';
    for (let s = 0; s < walked.segments.length; s += 2) {
      const a = walked.segments[s];
      const b = walked.segments[s + 1];
      if (b > a) logicalText = logicalText.length === 0 ? text.slice(a, b) : logicalText + text.slice(a, b);
    }
    const logical = new LazyLogical(logicalText, src, first);
    // One line (the usual case) maps by a constant shift, so the map is not built here.
    const [from, to] = walked.segments;
    const offsetAt =
      walked.segments.length === 2 ? (k: number): number => (k < to - from ? from + k : walked.endOffset) : (k: number): number => offsetIn(walked.segments, k, walked.endOffset);
    const inst = instructionFromLogical(logical, 0, escape, offsetAt);
    // A line holding only the escape character (`\` then EOF or empty lines) has
    // no keyword: its instruction starts where the escape stands, not at its end.
    if (inst.rawKeyword === '') inst.start = lead;
    inst.attach(src);
    inst.lineStart = lines[first].start;
    inst.startLine = first;
    inst.end = walked.endOffset;
    if (inst.error) problem(inst.error, inst.start);
    nodes.push(inst);
    instructions.push(inst);
    let j = walked.next;
    // Heredocs: BuildKit's canContainHeredoc (RUN/COPY/ADD, or an ONBUILD trigger of those, not JSON).
    const target = inst.keyword === 'ONBUILD' ? inst.trigger : inst;
    if (target && HEREDOC_CAPABLE.has(target.keyword) && target.json === null && logical.text.includes('<<')) {
      j = readHeredocs(inst, target, j);
    }
    inst.endLine = j - 1;
    return j;
  }

  /** Read the bodies of the heredocs named on the logical line; returns the next line to read. */
  function readHeredocs(inst: Instruction, target: Instruction, from: number): number {
    let j = from;
    // BuildKit lexes the whole line (keyword included) with raw quotes and escapes;
    // when that fails (unterminated quote, bad `${…}`) it finds no heredoc at all.
    const words = shellWords(target.logical.text, { rawQuotes: true, rawEscapes: true });
    if (!words) return j;
    for (const w of words) {
      const h = parseHeredocWord(w.value);
      if (h === null) continue;
      const markerStart = target.logical.map[w.start];
      if (h === 'error') {
        const msg = `failed to process heredoc ${w.value}`;
        if (!inst.error) inst.error = msg;
        problem(msg, markerStart);
        return j;
      }
      const bodyStart = j < nLines ? lines[j].start : text.length;
      let bodyEnd = bodyStart;
      let terminatorStart = -1;
      let terminatorEnd = -1;
      while (j < nLines) {
        let a = lines[j].start;
        const b = codeEnd(src, j);
        if (h.chomp) while (a < b && text.charCodeAt(a) === 9) a++;
        if (b - a === h.name.length && text.startsWith(h.name, a)) {
          terminatorStart = lines[j].start;
          terminatorEnd = lines[j].contentEnd;
          j++;
          break;
        }
        bodyEnd = lines[j].end;
        j++;
      }
      const heredoc: Heredoc = {
        name: h.name, chomp: h.chomp, quoted: h.quoted, markerStart,
        body: text.slice(bodyStart, bodyEnd), bodyStart, bodyEnd, terminatorStart, terminatorEnd,
      };
      if (target.heredocs === NONE) target.heredocs = [];
      target.heredocs.push(heredoc);
      if (target !== inst) {
        if (inst.heredocs === NONE) inst.heredocs = [];
        inst.heredocs.push(heredoc);
      }
      if (terminatorStart < 0) {
        // BuildKit: "unterminated heredoc"; the body swallows the rest of the file.
        inst.error = `unterminated heredoc ${h.name}`;
        problem(`unterminated heredoc "${h.name}"`, markerStart);
        inst.end = nLines > 0 ? lines[nLines - 1].contentEnd : 0;
        return nLines;
      }
      inst.end = terminatorEnd;
    }
    return j;
  }

  // Placed at the start of the file: BuildKit names no line, and a position past
  // the last line (where text.length falls) would point outside the file.
  if (instructions.length === 0) problem('file with no instructions', 0);
  validateInstructions(instructions, escape, problem);
  problems.sort((a, b) => a.line - b.line || a.column - b.column);

  return {
    text, bom, eol: crlf > nLines / 2 ? '\r\n' : '\n', escape, lines, nodes, directives, instructions, problems,
  };
}

/**
 * Split a logical line (from `offset` on) into keyword, flags and arguments,
 * as BuildKit's splitCommand and the per-instruction line parsers do, and note
 * the parse errors those line parsers raise.
 */
function instructionFromLogical(logical: LogicalText, offset: number, escape: string, offsetAt: (k: number) => number): ParsedInstruction {
  const t = logical.text;
  // splitCommand: TrimSpace the line, split off the keyword at the first `[\t\v\f\r ]+`
  const [s, e] = trimRange(t, offset, t.length);
  let k = s;
  while (k < e && !isTokenSpace(t.charCodeAt(k))) k++;
  const sliced = t.slice(s, k);
  const upper = sliced.toUpperCase();
  const keyword = KEYWORD_STRINGS.get(upper) ?? upper;
  const rawKeyword = sliced === keyword ? keyword : sliced;
  const known = KNOWN_KEYWORDS.has(keyword);
  let a = k;
  while (a < e && isTokenSpace(t.charCodeAt(a))) a++;
  const afterKeyword = a === e ? '' : t.slice(a, e);
  const { flags: flagWords, restIndex } = extractBuilderFlags(afterKeyword);
  const flags: Flag[] = flagWords.length === 0 ? NONE : flagWords.map((w) => {
    const eq = w.value.indexOf('=');
    return {
      name: (eq < 0 ? w.value : w.value.slice(0, eq)).slice(2),
      value: eq < 0 ? null : w.value.slice(eq + 1),
      raw: t.slice(a + w.start, a + w.end),
      start: offsetAt(a + w.start),
      end: offsetAt(a + w.end - 1) + 1,
    };
  });
  const [as, ae] = trimRange(afterKeyword, restIndex, afterKeyword.length);
  const args = as === 0 && ae === afterKeyword.length ? afterKeyword : afterKeyword.slice(as, ae);
  const start = s < t.length ? offsetAt(s) : offsetAt(t.length);
  const inst = new ParsedInstruction(keyword, rawKeyword, known, start, offsetAt(t.length), logical, flags, args, a + as);
  if (JSON_CAPABLE.has(keyword)) {
    const parsed = parseJsonArray(args);
    if (parsed === 'not-strings') {
      inst.jsonLike = true;
      inst.error = NOT_STRING_ARRAY;
    } else if (parsed) inst.json = parsed;
    else if (args.charCodeAt(0) === 0x5b) inst.jsonLike = true;
  } else if (keyword === 'HEALTHCHECK') {
    // parseHealthConfig: the type word, then parseMaybeJSON on the rest (whatever the type).
    // BuildKit finds the separator byte by byte; only ASCII whitespace can start a valid split.
    let sep = 0;
    while (sep < args.length && !isAsciiSpace(args.charCodeAt(sep))) sep++;
    let next = sep;
    while (next < args.length && isAsciiSpace(args.charCodeAt(next))) next++;
    if (next < args.length) {
      const parsed = parseJsonArray(args.slice(next));
      if (parsed === 'not-strings') {
        inst.jsonLike = true;
        inst.error = NOT_STRING_ARRAY;
      } else if (parsed) inst.json = parsed;
      else if (args.charCodeAt(next) === 0x5b) inst.jsonLike = true;
    }
  } else if (keyword === 'ENV' || keyword === 'LABEL') {
    inst.error = nameValueError(keyword, args, argWords(inst, escape));
  } else if (keyword === 'ONBUILD' && args.length > 0) {
    const trigger = instructionFromLogical(logical, a + as, escape, offsetAt);
    inst.trigger = trigger;
    if (trigger.error) inst.error = trigger.error;
  }
  return inst;
}

const isAsciiSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/** The parse error of BuildKit's parseNameVal (ENV, LABEL), if any. */
function nameValueError(keyword: string, args: string, words: Word[]): string | undefined {
  if (words.length === 0) return undefined;
  if (!words[0].value.includes('=')) {
    // legacy `KEY value`: the value is everything after the first `[\t\v\f\r ]+`
    let k = 0;
    while (k < args.length && !isTokenSpace(args.charCodeAt(k))) k++;
    return k < args.length ? undefined : `${keyword} must have two arguments`;
  }
  for (const w of words) {
    if (!w.value.includes('=')) return `Syntax error - can't find = in ${JSON.stringify(w.value)}. Must be of the form: name=value`;
  }
  return undefined;
}

export function positionOf(lines: PhysicalLine[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  const l = lines[lo];
  return { line: lo, column: l ? offset - l.start : 0 };
}

/**
 * The value of parser directive `key` as BuildKit's frontend selection sees it
 * (parser.DetectSyntax / ParseDirective), which differs from the main parser:
 * a BOM and a first `#!` line are skipped, leading whitespace is NOT trimmed
 * (`  # syntax=x` is no directive here), and a repeated directive stops the
 * scan instead of failing. With `anyFormat` (the `syntax` key), `// key=value`
 * lines and a JSON document `{"key": "…"}` are accepted too. Returns the whole
 * value (BuildKit uses its first word as the frontend image), or null.
 */
export function detectDirective(text: string, key: string, anyFormat = key === 'syntax'): string | null {
  let dt = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (dt.startsWith('#!')) {
    const nl = dt.indexOf('\n');
    dt = nl < 0 ? '' : dt.slice(nl + 1);
  }
  const scan = (re: DirectivePattern): string | null => {
    const seen = new Set<string>();
    let pos = 0;
    while (pos < dt.length) {
      let e = dt.indexOf('\n', pos);
      const next = e < 0 ? dt.length : e + 1;
      if (e < 0) e = dt.length;
      if (e > pos && dt.charCodeAt(e - 1) === 13) e--; // bufio.ScanLines drops one `\r`
      const m = re.exec(dt.slice(pos, e));
      if (!m) return null;
      const k = m[1].toLowerCase();
      if (!KNOWN_DIRECTIVES.has(k) || seen.has(k)) return null;
      seen.add(k);
      if (k === key) return m[2];
      pos = next;
    }
    return null;
  };
  const found = scan(DIRECTIVE);
  if (found !== null || !anyFormat) return found;
  const slashes = scan(SLASH_DIRECTIVE);
  if (slashes !== null) return slashes;
  if (/^\s*\{/.test(dt)) {
    try {
      const doc: unknown = JSON.parse(dt);
      if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
        const v = (doc as Record<string, unknown>)[key];
        if (typeof v === 'string') return v;
      }
    } catch {
      // not JSON
    }
  }
  return null;
}
