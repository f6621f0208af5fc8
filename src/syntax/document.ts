/**
 * The Document model: one parse of a Dockerfile that every consumer (printer,
 * rules, fix engine, meaning summary) reads without re-parsing text.
 *
 * All offsets are indices into `Document.text` (JavaScript string indices, the
 * same unit magic-string uses). Line numbers are 0-based internally; anything
 * shown to a user adds 1.
 */

export type EscapeChar = '\\' | '`';

/** A physical line of the file: `content` excludes the line terminator. */
export interface PhysicalLine {
  /** offset of the first character of the line */
  start: number;
  /**
   * offset just past the content (before `\r\n` or `\n`). BuildKit also drops any
   * further trailing `\r`s of a line (`a\r\r\n` reads as `a`); the parser does
   * that itself, so such a `\r` is still inside [start, contentEnd).
   */
  contentEnd: number;
  /** offset just past the terminator (== contentEnd on a last line without newline) */
  end: number;
  /** the line terminator as written: '\n', '\r\n' or '' */
  eol: string;
}

/** A parser directive in the directive block at the top of the file (`# escape=`). */
export interface Directive {
  type: 'directive';
  /** lower-cased key: `syntax`, `escape` or `check` */
  name: string;
  /** the key as written */
  rawName: string;
  value: string;
  line: number;
  start: number;
  end: number;
}

/** A `#` comment on a line of its own, outside any instruction. */
export interface Comment {
  type: 'comment';
  /** the full line content from `#` on (leading whitespace excluded) */
  text: string;
  line: number;
  /** offset of the first character of the line */
  lineStart: number;
  /** offset of `#` */
  start: number;
  end: number;
}

/** A run of one or more blank (or whitespace-only) lines outside instructions. */
export interface Blank {
  type: 'blank';
  line: number;
  count: number;
  start: number;
  end: number;
}

/** One physical line that belongs to an instruction (before its heredoc bodies). */
export interface InstructionLine {
  /** `code` carries instruction text; `comment` and `empty` lines inside a continuation are dropped by BuildKit */
  kind: 'code' | 'comment' | 'empty';
  line: number;
  start: number;
  contentEnd: number;
  /** for `code` lines that continue: offset of the escape character that continues the line, else -1 */
  escapeAt: number;
}

export interface Flag {
  /** name without the leading `--` */
  name: string;
  /**
   * value after `=`, unquoted as BuildKit does; null when the flag has no `=`.
   * BuildKit reads flags byte by byte, so non-ASCII text comes out
   * Latin-1-decoded (`--chown=josé` gives `josÃ©`), exactly as it builds it.
   */
  value: string | null;
  /** the flag word as written */
  raw: string;
  start: number;
  end: number;
}

export interface Heredoc {
  /** the terminator word, unquoted */
  name: string;
  /** `<<-`: leading tabs are stripped from body lines and the terminator */
  chomp: boolean;
  /** the name was (partly) quoted: no variable expansion in the body */
  quoted: boolean;
  /** offset of the `<<` marker in the file */
  markerStart: number;
  /** the body bytes, byte-exact, including line terminators */
  body: string;
  bodyStart: number;
  bodyEnd: number;
  /** terminator line (content range); -1 when unterminated */
  terminatorStart: number;
  terminatorEnd: number;
}

/**
 * The instruction's text as BuildKit joins it: continuation characters and
 * comment/empty lines removed, continuation lines keeping their leading
 * whitespace. `map[i]` is the file offset of logical character i, and
 * `map[text.length]` the instruction's end. `map` is a read-only view into a
 * buffer shared by the whole Document: do not write to it.
 */
export interface LogicalText {
  text: string;
  map: Int32Array;
}

export interface Instruction {
  type: 'instruction';
  /** upper-cased keyword, e.g. `RUN`; for an unrecognised word, that word upper-cased */
  keyword: string;
  /** the keyword as written */
  rawKeyword: string;
  /** whether BuildKit knows the keyword */
  known: boolean;
  /** offset of the start of the first physical line (leading whitespace included) */
  lineStart: number;
  /** offset of the keyword */
  start: number;
  /** offset just past the last content character (last code line or heredoc terminator) */
  end: number;
  /** first and last physical line numbers (heredoc bodies included) */
  startLine: number;
  endLine: number;
  lines: InstructionLine[];
  /** the whole logical line, keyword included */
  logical: LogicalText;
  /** flags before the arguments (`--from=build`), in order */
  flags: Flag[];
  /** the argument text after flags, with surrounding whitespace trimmed, as BuildKit hands it on */
  args: string;
  /** index of `args` within `logical.text` */
  argsIndex: number;
  /**
   * exec-form array when the arguments are a valid JSON array of strings, with
   * nothing after it (RUN, CMD, ENTRYPOINT, SHELL, COPY, ADD, VOLUME; for
   * HEALTHCHECK the array after the type word)
   */
  json: string[] | null;
  /** the arguments start with `[` but are not a JSON array of strings (BuildKit falls back to shell form, or fails for non-strings) */
  jsonLike: boolean;
  heredocs: Heredoc[];
  /** the ONBUILD trigger, parsed as an instruction of its own (offsets still point into the file) */
  trigger?: Instruction;
  /**
   * why BuildKit would reject this instruction: its parser error (unterminated
   * heredoc, JSON array of non-strings, ENV without a value, …) or else the
   * first error of BuildKit's instruction checks (unknown instruction, wrong
   * argument count, a flag on an instruction that takes none, …; see validate.ts)
   */
  error?: string;
}

export type Node = Directive | Comment | Blank | Instruction;

export interface ParseProblem {
  message: string;
  line: number;
  column: number;
}

export interface Document {
  /** the text as given (a BOM, if any, is `text[0]`) */
  text: string;
  bom: boolean;
  /** the line terminator most lines use */
  eol: '\n' | '\r\n';
  escape: EscapeChar;
  lines: PhysicalLine[];
  /** every top-level item in file order */
  nodes: Node[];
  directives: Directive[];
  instructions: Instruction[];
  /**
   * problems BuildKit would reject the file for (parser errors, instruction
   * checks, a file with no instructions), in file order; the model is still complete
   */
  problems: ParseProblem[];
}

/** Keywords BuildKit's parser dispatches on. */
export const KNOWN_KEYWORDS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

/** Instructions whose arguments BuildKit tries to read as a JSON array. */
export const JSON_CAPABLE = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'COPY', 'ADD', 'VOLUME']);

/** Instructions that may carry heredocs (when not in JSON form). */
export const HEREDOC_CAPABLE = new Set(['RUN', 'COPY', 'ADD']);
