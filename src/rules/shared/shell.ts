/**
 * The one POSIX shell lexer of the rules: it reads the text that `/bin/sh -c`
 * runs (shell-form RUN, CMD and ENTRYPOINT arguments, package.json scripts).
 *
 * It knows quoting (POSIX 2.2), where `$…`, `${…}`, `$'…'`, `$(…)`, `$((…))`
 * and backquotes end, the control and redirection operators, and comments.
 * It expands nothing: each word says what quote removal makes of it and what
 * else the shell might do to it, so a rule can refuse what it cannot prove.
 * Text that does not end where the shell would (an unterminated quote or
 * substitution) comes back with an error, and the views below refuse it.
 *
 * Deliberate limits: no aliases, no `case` patterns, no heredoc bodies (a
 * heredoc operator is reported, its body is not read), and `\r`, `\v`, `\f`
 * are word characters, as they are to sh.
 */
import type { Instruction } from '../../syntax/document.js';

/** Why a word is more than its text: what the shell could do to it, in the order met. */
export type WordFeature =
  /** `$X`, `${X}`, `$'…'`, a `$` anywhere unquoted or in double quotes */
  | 'parameter'
  /** an unquoted `${…}` with quotes, `$`, a backslash or a backquote inside, or none closing it */
  | 'nested-parameter'
  /** `$(…)`, `$((…))`, a backquote */
  | 'substitution'
  /** an unquoted `*`, `?`, `[` or `]` */
  | 'glob'
  /** an unquoted `~` */
  | 'tilde'
  /** an unquoted `{` or `}` (bash expands `{a,b}`) */
  | 'brace'
  /** any other unquoted character outside `[A-Za-z0-9_\-./:,=+@%#]` */
  | 'special'
  /** an unquoted backslash before a character that is not printable ASCII */
  | 'escaped-special'
  /** a backslash inside double quotes (its meaning depends on the next character) */
  | 'backslash-in-double-quotes'
  /** a backslash that ends the text (shells disagree on it) */
  | 'trailing-backslash';

export interface ShellWord {
  kind: 'word';
  /** the word as written */
  raw: string;
  /** offsets into the lexed text */
  start: number;
  end: number;
  /** quotes removed and escapes resolved; expansions (`$X`, `${…}`, `$(…)`, backquotes) kept as written */
  text: string;
  /**
   * `text` when quote removal is all the shell does to the word's string;
   * null when it may expand something: a `$` or a backquote outside single
   * quotes (in double quotes even escaped ones: not worth proving)
   */
  value: string | null;
  /** an unquoted `*`, `?` or `[`: the shell may replace the word with file names */
  glob: boolean;
  /** no feature at all: under any POSIX shell the word is exactly `text` */
  literal: boolean;
  features: WordFeature[];
}

export interface ShellOperator {
  kind: 'op';
  /** a control operator (`&&` `||` `;` `;;` `&` `|` `|&`, or `\n`), a redirection (`>` `<<` `&>>` …), `(` or `)` */
  op: string;
  start: number;
  end: number;
}

/** `#` at the start of a token, to the end of its line. */
export interface ShellComment {
  kind: 'comment';
  start: number;
  end: number;
}

export type ShellToken = ShellWord | ShellOperator | ShellComment;

export interface LexError {
  /** what did not end: a quote (also `$'…'`), a `$(…)`/backquote substitution, or a `${…}` */
  what: 'quote' | 'substitution' | 'parameter';
  /** where it opened */
  at: number;
}

export interface Lexed {
  /** the tokens up to the error, the word it cut short included */
  tokens: ShellToken[];
  error: LexError | null;
}

// Longest first, so `&>>` wins over `&>` and `&&`.
const OPERATORS = ['&>>', '<<<', '<<-', '&&', '||', ';;', '|&', '&>', '>>', '>&', '<&', '>|', '<>', '<<', ';', '&', '|', '<', '>', '(', ')'];
const CONTROL = new Set(['&&', '||', ';', ';;', '&', '|', '|&', '\n']);
const REDIRECTIONS = new Set(['<', '>', '>>', '>&', '<&', '>|', '<>', '&>', '&>>', '<<', '<<-', '<<<']);
const OPERATOR_START = new Set([';', '&', '|', '<', '>', '(', ')']);

/** Words that open or continue a compound command when they come first (bash's list; sh's is a subset). */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(
  '! { } [[ ]] case coproc do done elif else esac fi for function if in select then time until while'.split(' '),
);

export const isControlOperator = (op: string): boolean => CONTROL.has(op);
export const isRedirection = (op: string): boolean => REDIRECTIONS.has(op);

const isBlank = (c: string): boolean => c === ' ' || c === '\t';
const SAFE_CHAR = /^[A-Za-z0-9_\-./:,=+@%#]$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]$/;

/** Split shell text into words, operators and comments. */
export function lexShell(text: string): Lexed {
  const tokens: ShellToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === '\n') {
      tokens.push({ kind: 'op', op: '\n', start: i, end: i + 1 });
      i++;
      continue;
    }
    if (c === '#') {
      const eol = text.indexOf('\n', i);
      const end = eol < 0 ? n : eol;
      tokens.push({ kind: 'comment', start: i, end });
      i = end;
      continue;
    }
    if (OPERATOR_START.has(c)) {
      const op = OPERATORS.find((o) => text.startsWith(o, i))!;
      tokens.push({ kind: 'op', op, start: i, end: i + op.length });
      i += op.length;
      continue;
    }
    const { word, error } = readWord(text, i);
    tokens.push(word);
    if (error) return { tokens, error };
    i = word.end;
  }
  return { tokens, error: null };
}

const NO_FEATURES: WordFeature[] = [];
Object.freeze(NO_FEATURES);

function readWord(s: string, from: number): { word: ShellWord; error: LexError | null } {
  const n = s.length;
  let i = from;
  let text = '';
  let expands = false;
  let glob = false;
  let error: LexError | null = null;
  // Most words have no feature: they share NO_FEATURES (a 1 MB line of 500,000 words made as many empty arrays).
  let features: WordFeature[] = NO_FEATURES;
  const mark = (f: WordFeature): void => {
    if (features === NO_FEATURES) features = [f];
    else if (!features.includes(f)) features.push(f);
  };
  /** Copy a `$…`/backquote construct as written; false (and the error set) when it does not end. */
  const copyConstruct = (end: number, what: LexError['what']): boolean => {
    if (end < 0) {
      error = { what, at: i };
      i = n;
      return false;
    }
    text += s.slice(i, end);
    i = end;
    return true;
  };
  /** `$` at i, unquoted or in double quotes. */
  const dollar = (quoted: boolean): boolean => {
    expands = true;
    const next = s[i + 1];
    if (next === '(') {
      mark('substitution');
      return copyConstruct(skipDollar(s, i), 'substitution');
    }
    if (next === '{') {
      mark('parameter');
      // A `${…}` holding quotes or other expansions is where shells part ways.
      const close = s.indexOf('}', i + 2);
      if (!quoted && (close < 0 || /['"`$\\]/.test(s.slice(i + 2, close)))) mark('nested-parameter');
      return copyConstruct(skipDollar(s, i), 'parameter');
    }
    mark('parameter');
    if (next === "'" && !quoted) return copyConstruct(skipDollar(s, i), 'quote');
    text += '$';
    i++;
    return true;
  };
  const backquote = (): boolean => {
    mark('substitution');
    expands = true;
    return copyConstruct(skipQuoted(s, i), 'substitution');
  };

  scan: while (i < n) {
    const c = s[i];
    if (isBlank(c) || c === '\n' || OPERATOR_START.has(c)) break;
    switch (c) {
      case '\\': {
        if (i + 1 >= n) {
          mark('trailing-backslash');
          i++;
          continue;
        }
        const e = s[i + 1];
        i += 2;
        if (e === '\n') continue; // a line continuation
        if (!PRINTABLE_ASCII.test(e)) mark('escaped-special');
        text += e;
        continue;
      }
      case "'": {
        const close = s.indexOf("'", i + 1);
        if (close < 0) {
          error = { what: 'quote', at: i };
          i = n;
          break scan;
        }
        text += s.slice(i + 1, close);
        i = close + 1;
        continue;
      }
      case '"': {
        const open = i++;
        let closed = false;
        while (i < n && !closed) {
          const d = s[i];
          if (d === '"') {
            closed = true;
            i++;
          } else if (d === '\\') {
            mark('backslash-in-double-quotes');
            const e = s[i + 1];
            if (e === undefined) {
              i++;
              continue;
            }
            i += 2;
            if (e === '$' || e === '`') expands = true;
            if (e === '$' || e === '`' || e === '"' || e === '\\') text += e;
            else if (e !== '\n') text += '\\' + e;
          } else if (d === '$') {
            if (!dollar(true)) break scan;
          } else if (d === '`') {
            if (!backquote()) break scan;
          } else {
            text += d;
            i++;
          }
        }
        if (!closed) {
          error = { what: 'quote', at: open };
          break scan;
        }
        continue;
      }
      case '`':
        if (!backquote()) break scan;
        continue;
      case '$':
        if (!dollar(false)) break scan;
        continue;
      default:
        if (c === '*' || c === '?' || c === '[') glob = true;
        if (!SAFE_CHAR.test(c)) mark('*?[]'.includes(c) ? 'glob' : c === '~' ? 'tilde' : c === '{' || c === '}' ? 'brace' : 'special');
        text += c;
        i++;
    }
  }
  const raw = s.slice(from, i);
  // (text equal to raw: keep one string, not two)
  if (text === raw) text = raw;
  const word: ShellWord = {
    kind: 'word', raw, start: from, end: i, text, value: expands ? null : text, glob, literal: features.length === 0, features,
  };
  return { word, error };
}

/** Index just past the quote or backquote opening at `i`; -1 when it does not close. */
function skipQuoted(s: string, i: number): number {
  const c = s[i];
  if (c === "'") {
    const close = s.indexOf("'", i + 1);
    return close < 0 ? -1 : close + 1;
  }
  if (c === '`') {
    for (let k = i + 1; k < s.length; k++) {
      if (s[k] === '\\') k++;
      else if (s[k] === '`') return k + 1;
    }
    return -1;
  }
  // a double quote
  for (let k = i + 1; k < s.length; ) {
    const d = s[k];
    if (d === '\\') k += 2;
    else if (d === '"') return k + 1;
    else if (d === '`' || (d === '$' && (s[k + 1] === '(' || s[k + 1] === '{'))) {
      k = d === '`' ? skipQuoted(s, k) : skipDollar(s, k);
      if (k < 0) return -1;
    } else k++;
  }
  return -1;
}

/** Index just past `$(…)`, `$((…))`, `${…}` or `$'…'` starting at `i` (s[i] === '$'); -1 when it does not close. */
function skipDollar(s: string, i: number): number {
  const open = s[i + 1];
  if (open === "'") {
    for (let k = i + 2; k < s.length; k++) {
      if (s[k] === '\\') k++;
      else if (s[k] === "'") return k + 1;
    }
    return -1;
  }
  const close = open === '(' ? ')' : '}';
  let depth = 0;
  for (let k = i + 1; k < s.length; ) {
    const d = s[k];
    if (d === '\\') {
      k += 2;
      continue;
    }
    // Single quotes quote inside `$(…)`; inside `${…}` they are ordinary characters to the brace count.
    if ((d === "'" && open === '(') || d === '"' || d === '`') {
      k = skipQuoted(s, k);
      if (k < 0) return -1;
      continue;
    }
    if (d === '$' && (s[k + 1] === '(' || s[k + 1] === '{') && k > i + 1) {
      k = skipDollar(s, k);
      if (k < 0) return -1;
      continue;
    }
    if (d === open) depth++;
    else if (d === close) {
      depth--;
      if (depth === 0) return k + 1;
    }
    k++;
  }
  return -1;
}

// ---------------------------------------------------------------------------
// Simple commands

export interface ShellCommand {
  /** the words, leading assignments included; redirections (operator, target, fd number) left out */
  words: ShellWord[];
  /** the control operator that ended the previous command ('' for the first) */
  before: string;
  /** the control operator that ends this one ('' for the last) */
  after: string;
  /** not a plain simple command: a `( … )` subshell or a stray `)` in it, a heredoc or here-string, or `{`, `}`, `!` first */
  complex: boolean;
  /** offset of its first `(` or stray `)`, else -1 (what follows a subshell is not a simple command either) */
  subshellAt: number;
  /** has a redirection (`> file`, `2>&1`, `<<EOF`) */
  redirect: boolean;
  start: number;
  end: number;
}

/**
 * The commands between control operators, in order, with what is inside a
 * `( … )` subshell left out. Null when the text cannot be read to the end
 * (an unterminated quote, substitution or subshell).
 */
export function shellCommands(input: string | Lexed): ShellCommand[] | null {
  const lexed = typeof input === 'string' ? lexShell(input) : input;
  if (lexed.error) return null;
  const tokens = lexed.tokens;
  const commands: ShellCommand[] = [];
  let current: ShellCommand | null = null;
  let before = '';
  const ensure = (at: number): ShellCommand => {
    current ??= { words: [], before, after: '', complex: false, subshellAt: -1, redirect: false, start: at, end: at };
    return current;
  };
  const finish = (op: string): void => {
    if (current) {
      current.after = op;
      commands.push(current);
      current = null;
    }
    before = op;
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === 'comment') continue;
    if (t.kind === 'word') {
      const cmd = ensure(t.start);
      if (cmd.words.length === 0 && (t.raw === '{' || t.raw === '}' || t.raw === '!')) cmd.complex = true;
      cmd.words.push(t);
      cmd.end = t.end;
      continue;
    }
    // A newline ends a command, but only a command that has begun names its successor's `before`.
    if (t.op === '\n') {
      if (current) finish('\n');
      continue;
    }
    if (isControlOperator(t.op)) {
      finish(t.op);
      continue;
    }
    if (t.op === '(' || t.op === ')') {
      const cmd = ensure(t.start);
      cmd.complex = true;
      if (cmd.subshellAt < 0) cmd.subshellAt = t.start;
      if (t.op === ')') continue;
      let depth = 1;
      while (depth > 0 && ++k < tokens.length) {
        const u = tokens[k];
        if (u.kind === 'op' && u.op === '(') depth++;
        else if (u.kind === 'op' && u.op === ')') depth--;
      }
      if (depth > 0) return null;
      cmd.end = tokens[k].end;
      continue;
    }
    // A redirection: a number written right before it is its file descriptor, the next word its target.
    const cmd = ensure(t.start);
    cmd.redirect = true;
    if (t.op.startsWith('<<')) cmd.complex = true;
    const last = cmd.words[cmd.words.length - 1];
    if (last && last.end === t.start && /^\d+$/.test(last.raw)) cmd.words.pop();
    const target = tokens[k + 1];
    if (target?.kind === 'word') k++;
    cmd.end = target?.kind === 'word' ? target.end : t.end;
  }
  finish('');
  return commands;
}

/** `NAME=…`, and bash's `NAME+=…` and `NAME[i]=…`, as written. */
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

/** The command's words from its command word on (leading `VAR=value` assignments left out). */
export function commandWords(cmd: ShellCommand): ShellWord[] {
  let k = 0;
  while (k < cmd.words.length && ASSIGNMENT.test(cmd.words[k].raw)) k++;
  return cmd.words.slice(k);
}

/** The values of the words, or null when one may expand (a variable, a substitution, a glob). */
export function literalValues(words: ShellWord[]): string[] | null {
  const out: string[] = [];
  for (const w of words) {
    if (w.value === null || w.glob) return null;
    out.push(w.value);
  }
  return out;
}

/** The commands of a shell-form RUN; null for exec form, heredocs (their scripts are not read), or text that does not lex. */
export function runCommands(inst: Instruction): ShellCommand[] | null {
  if (inst.keyword !== 'RUN' || inst.json || inst.jsonLike || inst.heredocs.length > 0) return null;
  return shellCommands(inst.args);
}
