/**
 * Word-level rules of BuildKit's Dockerfile parser, ported to TypeScript so the
 * Document and the meaning summary split text exactly as BuildKit does
 * (moby/buildkit frontend/dockerfile/parser/{split_command,line_parsers,parser}.go
 * and frontend/dockerfile/shell/lex.go).
 *
 * Whitespace matters here, and Go has three different notions of it:
 * - `unicode.IsSpace` (isGoSpace): TrimSpace, parseWords, the shell lexer;
 * - the regexp `[\t\v\f\r ]+` (isTokenSpace): keyword split, FROM/EXPOSE/COPY words,
 *   the legacy `ENV k v` split;
 * - byte-wise `unicode.IsSpace(rune(line[i]))`: extractBuilderFlags (see there).
 * JavaScript's `\s` is none of them (it includes U+FEFF and omits U+0085).
 */

import type { Instruction } from './document.js';

export interface Word {
  /** the word as BuildKit keeps it (quotes kept for parseWords) */
  value: string;
  /** index of the first character in the source string */
  start: number;
  /** index just past the last character */
  end: number;
}

/** Go's `unicode.IsSpace` for one UTF-16 code unit (every space is in the BMP). */
export function isGoSpace(c: number): boolean {
  if (c <= 0xff) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0;
  return c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000;
}

/** A character of BuildKit's `[\t\v\f\r ]` whitespace regexp. */
export function isTokenSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c || c === 0x0d;
}

/** Go's `strings.TrimSpace`: the [start, end) range left after trimming Go whitespace. */
export function trimRange(text: string, start: number, end: number): [number, number] {
  while (start < end && isGoSpace(text.charCodeAt(start))) start++;
  while (end > start && isGoSpace(text.charCodeAt(end - 1))) end--;
  return [start, end];
}

/**
 * `text` without its trailing run of `chars` (a character set, not a
 * suffix). A scan from the end: a RegExp like `/[ \t]+$/` retries from every
 * blank of a long run that is followed by something else, quadratic time.
 */
export function trimTrailing(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1])) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Go's `strings.TrimSpace`. */
export function goTrimSpace(text: string): string {
  const [s, e] = trimRange(text, 0, text.length);
  return s === 0 && e === text.length ? text : text.slice(s, e);
}

/**
 * BuildKit's extractBuilderFlags: leading `--flag[=value]` words, with quotes
 * and backslash escapes removed from the flag words. Returns the flags and the
 * index where the remaining arguments start (`line.length` when none). A lone
 * `--` ends the flags and is not a flag.
 *
 * BuildKit always uses `\` here, whatever the escape directive says, and it
 * walks the line byte by byte: `unicode.IsSpace(rune(b))` treats the UTF-8
 * bytes 0x85 and 0xA0 as spaces and each byte is written back as the rune
 * U+00xx. So non-ASCII text in a flag comes out Latin-1-decoded ("é" becomes
 * "Ã©") and a non-breaking space leaves a stray "Â". We reproduce that exactly
 * when the line has non-ASCII characters (rare), so that the summary never
 * calls two flag spellings equal when BuildKit sees them differently.
 */
export function extractBuilderFlags(line: string): { flags: Word[]; restIndex: number } {
  if (!/[^\x00-\x7f]/.test(line)) return scanFlags(line);
  const bytes = new TextEncoder().encode(line);
  // byte offset -> index of the UTF-16 unit that byte belongs to
  const toChar = new Int32Array(bytes.length + 1);
  let b = 0;
  for (let i = 0; i < line.length; i++) {
    const cp = line.codePointAt(i) as number;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < n; k++) toChar[b + k] = i;
    b += n;
    if (cp > 0xffff) i++;
  }
  toChar[bytes.length] = line.length;
  let latin1 = '';
  for (let i = 0; i < bytes.length; i++) latin1 += String.fromCharCode(bytes[i]);
  const r = scanFlags(latin1);
  return {
    flags: r.flags.map((w) => ({ value: w.value, start: toChar[w.start], end: toChar[w.end] })),
    restIndex: toChar[r.restIndex],
  };
}

/** The extractBuilderFlags state machine over one-byte characters. */
function scanFlags(line: string): { flags: Word[]; restIndex: number } {
  const flags: Word[] = [];
  const n = line.length;
  let pos = 0;
  for (;;) {
    while (pos < n && isGoSpace(line.charCodeAt(pos))) pos++;
    if (pos >= n) return { flags, restIndex: n };
    if (line.charCodeAt(pos) !== 0x2d || pos + 1 >= n || line.charCodeAt(pos + 1) !== 0x2d) {
      return { flags, restIndex: pos };
    }
    const wordStart = pos;
    let word = '';
    let blankOK = false;
    let quote = 0;
    let ended = false;
    while (pos < n) {
      const c = line.charCodeAt(pos);
      if (quote === 0) {
        if (isGoSpace(c)) {
          ended = true;
          break;
        }
        if (c === 0x27 || c === 0x22) {
          quote = c;
          blankOK = true;
          pos++;
          continue;
        }
        if (c === 0x5c) {
          if (pos + 1 === n) {
            pos++;
            continue; // a `\` at the very end is dropped
          }
          pos++;
        }
        word += line[pos];
        pos++;
        continue;
      }
      if (c === quote) {
        quote = 0;
        pos++;
        continue;
      }
      if (c === 0x5c) {
        if (pos + 1 === n) {
          quote = 0;
          pos++;
          continue;
        }
        pos++;
      }
      word += line[pos];
      pos++;
    }
    if (ended && word === '--') return { flags, restIndex: pos };
    if (word !== '--' && (blankOK || word.length > 0)) flags.push({ value: word, start: wordStart, end: pos });
    if (!ended) return { flags, restIndex: n };
  }
}

/**
 * BuildKit's parseWords: split on unquoted Go whitespace, keeping quotes and
 * escapes in the words (used for ENV, LABEL, ARG).
 */
export function parseWords(rest: string, escape: string): Word[] {
  const words: Word[] = [];
  const esc = escape.charCodeAt(0);
  const n = rest.length;
  let pos = 0;
  while (pos < n) {
    while (pos < n && isGoSpace(rest.charCodeAt(pos))) pos++;
    if (pos >= n) break;
    const start = pos;
    let word = '';
    let blankOK = false;
    let quote = 0;
    for (; pos < n; pos++) {
      const c = rest.charCodeAt(pos);
      if (quote === 0) {
        if (isGoSpace(c)) break;
        if (c === 0x27 || c === 0x22) {
          quote = c;
          blankOK = true;
        }
        if (c === esc) {
          if (pos + 1 === n) continue; // an escape at the very end is dropped
          // an escape and the next character are kept together, even a quote
          word += rest[pos];
          pos++;
        }
        word += rest[pos];
        continue;
      }
      if (c === quote) quote = 0;
      if (c === esc && quote !== 0x27) {
        // (`quote` was just cleared if `c` closed it: BuildKit checks the old quote)
        if (pos + 1 === n) {
          quote = 0;
          continue;
        }
        word += rest[pos];
        pos++;
      }
      word += rest[pos];
    }
    if (blankOK || word.length > 0) words.push({ value: word, start, end: pos });
  }
  return words;
}

const wordsCache = new WeakMap<Instruction, { args: string; escape: string; words: Word[] }>();

/**
 * parseWords of an instruction's arguments (ENV, LABEL, ARG), remembered per
 * instruction: the parser, the checks and the meaning summary all need them.
 */
export function argWords(inst: Instruction, escape: string): Word[] {
  const hit = wordsCache.get(inst);
  if (hit && hit.args === inst.args && hit.escape === escape) return hit.words;
  const words = parseWords(inst.args, escape);
  wordsCache.set(inst, { args: inst.args, escape, words });
  return words;
}

/** Split on runs of `[\t\v\f\r ]`, as BuildKit's reWhitespace.Split does on trimmed text. */
export function splitWhitespace(text: string): Word[] {
  const words: Word[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isTokenSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isTokenSpace(text.charCodeAt(i))) i++;
    words.push({ value: text.slice(start, i), start, end: i });
  }
  return words;
}

/**
 * What BuildKit's shell lexer (ProcessWord) makes of a word, without expanding
 * variables: quotes removed and escapes resolved. To keep `$HOME` (expanded)
 * apart from `\$HOME` (literal), the result is written canonically: a literal
 * `$` or `\` becomes `\$` / `\\`, and a variable reference keeps its `$`.
 * Returns null when the lexer would fail (unterminated quote).
 */
export function unquoteWord(word: string, escape: string): string | null {
  if (isPlainWord(word, escape.charCodeAt(0))) return word;
  let out = '';
  let i = 0;
  const n = word.length;
  const lit = (c: string): string => (c === '$' || c === '\\' ? '\\' + c : c);
  while (i < n) {
    const ch = word[i];
    if (ch === "'") {
      const close = word.indexOf("'", i + 1);
      if (close < 0) return null;
      for (let k = i + 1; k < close; k++) out += lit(word[k]);
      i = close + 1;
      continue;
    }
    if (ch === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = word[i];
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === '$') {
          const v = readVariable(word, i);
          out += v.text;
          i = v.end;
          continue;
        }
        if (c === escape) {
          const next = word[i + 1];
          if (next === undefined) {
            i++;
            continue;
          }
          if (next === '"' || next === '$' || next === escape) {
            out += lit(next);
            i += 2;
            continue;
          }
          out += lit(c);
          i++;
          continue;
        }
        out += lit(c);
        i++;
      }
      if (!closed) return null;
      continue;
    }
    if (ch === escape) {
      if (i + 1 >= n) {
        i++;
        continue;
      }
      out += lit(word[i + 1]);
      i += 2;
      continue;
    }
    if (ch === '$') {
      const v = readVariable(word, i);
      out += v.text;
      i = v.end;
      continue;
    }
    out += lit(ch);
    i++;
  }
  return out;
}

/** No quote, `$`, `\\` or escape character: lexing changes nothing. */
function isPlainWord(word: string, esc: number): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c === 0x27 || c === 0x22 || c === 0x24 || c === 0x5c || c === esc) return false;
  }
  return true;
}

/** A `$name`, `${…}` reference kept verbatim (its inner text is not unquoted). */
function readVariable(word: string, at: number): { text: string; end: number } {
  if (word[at + 1] === '{') {
    let depth = 0;
    for (let k = at + 1; k < word.length; k++) {
      if (word[k] === '{') depth++;
      else if (word[k] === '}') {
        depth--;
        if (depth === 0) return { text: word.slice(at, k + 1), end: k + 1 };
      }
    }
    return { text: word.slice(at), end: word.length };
  }
  const m = /^[\p{L}_][\p{L}\p{Nd}_]*|^\p{Nd}+|^[@*#?$!-]/u.exec(word.slice(at + 1, at + 200));
  if (!m) return { text: '\\$', end: at + 1 }; // a lone `$` is literal
  return { text: '$' + m[0], end: at + 1 + m[0].length };
}

/**
 * BuildKit's parseJSON: the arguments are an exec-form array only when they are
 * a JSON array of strings (nothing may follow the array). Returns the array,
 * `'not-strings'` for a JSON array with another element type (a parse error),
 * or null (not JSON: shell form, or whitespace-separated words).
 */
export function parseJsonArray(rest: string): string[] | 'not-strings' | null {
  let s = 0;
  while (s < rest.length && isGoSpace(rest.charCodeAt(s))) s++;
  if (rest.charCodeAt(s) !== 0x5b) return null;
  let value: unknown;
  try {
    value = JSON.parse(s === 0 ? rest : rest.slice(s));
  } catch {
    return null;
  }
  if (!Array.isArray(value)) return null;
  for (const v of value) if (typeof v !== 'string') return 'not-strings';
  return value as string[];
}

/** Options of BuildKit's shell lexer (shell.Lex) that the parser uses. */
interface LexOptions {
  /** keep quote characters in the words */
  rawQuotes: boolean;
  /** keep escape characters in the words */
  rawEscapes: boolean;
}

class LexError extends Error {}

/**
 * BuildKit's shell lexer `ProcessWords` with an empty environment and
 * `SkipUnsetEnv` (so `$x`, `${x}`, `${x:-y}` stay as written), escape `\`.
 * This is what the parser uses to find heredoc markers on a line and to read a
 * heredoc's name. Returns the words with the offset where each began, or null
 * when the lexer fails (unterminated quote, bad `${…}`): BuildKit then finds
 * no heredoc on the line at all.
 */
export function shellWords(src: string, opts: LexOptions): Word[] | null {
  // Without quotes, escapes or `$` the lexer only splits on whitespace.
  let special = false;
  for (let i = 0; i < src.length && !special; i++) {
    const c = src.charCodeAt(i);
    special = c === 0x27 || c === 0x22 || c === 0x24 || c === 0x5c;
  }
  if (!special) {
    const words: Word[] = [];
    const n = src.length;
    let i = 0;
    while (i < n) {
      while (i < n && isGoSpace(src.charCodeAt(i))) i++;
      if (i >= n) break;
      const start = i;
      while (i < n && !isGoSpace(src.charCodeAt(i))) i++;
      words.push({ value: src.slice(start, i), start, end: i });
    }
    return words;
  }
  try {
    return new ShellLexer(src, opts).words();
  } catch (e) {
    if (e instanceof LexError) return null;
    throw e;
  }
}

class ShellLexer {
  private pos = 0;
  private rawEscapes: boolean;
  /**
   * The word being built. BuildKit keeps one buffer for the whole lexer, and a
   * nested `${x:-…}` resets it: text of the current word before such a
   * reference is lost (`ab${x:-y}` gives the word `${x:-y}`). Kept faithfully.
   */
  private buf = '';

  constructor(private readonly src: string, private readonly opts: LexOptions) {
    this.rawEscapes = opts.rawEscapes;
  }

  words(): Word[] {
    return this.processStopOn(-1, this.rawEscapes).words;
  }

  private peek(): number {
    return this.pos < this.src.length ? this.src.charCodeAt(this.pos) : -1;
  }

  /** processStopOn: read until `stop` (or the end when stop is -1). */
  private processStopOn(stop: number, rawEscapes: boolean): { result: string; words: Word[] } {
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    let result = '';
    const words: Word[] = [];
    this.buf = '';
    let inWord = false;
    let wordStart = 0;
    const add = (s: string, at: number): void => {
      if (this.buf.length === 0) wordStart = at;
      this.buf += s;
      inWord = true;
    };
    const getWords = (at: number): Word[] => {
      if (this.buf.length > 0) words.push({ value: this.buf, start: wordStart, end: at });
      this.buf = '';
      inWord = false;
      return words;
    };
    // addChar: whitespace ends a word, anything else joins it
    const addChar = (ch: string, at: number): void => {
      if (isGoSpace(ch.charCodeAt(0))) {
        if (inWord && this.buf.length > 0) {
          words.push({ value: this.buf, start: wordStart, end: at });
          this.buf = '';
          inWord = false;
        }
      } else add(ch, at);
    };
    try {
      while (this.pos < this.src.length) {
        const at = this.pos;
        const c = this.src.charCodeAt(at);
        if (stop !== -1 && c === stop) {
          this.pos++;
          return { result, words: getWords(at) };
        }
        if (c === 0x24 /* $ */ || c === 0x27 || c === 0x22) {
          const tmp = c === 0x24 ? this.processDollar() : c === 0x27 ? this.processSingleQuote() : this.processDoubleQuote();
          result += tmp;
          if (c === 0x24) {
            for (const ch of tmp) addChar(ch, at);
          } else add(tmp, at);
          continue;
        }
        this.pos++;
        if (c === 0x5c /* the lexer's escape token is always `\` here */) {
          if (this.rawEscapes) {
            add('\\', at);
            result += '\\';
          }
          if (this.pos >= this.src.length) break;
          const next = this.src[this.pos++];
          add(next, at);
          result += next;
          continue;
        }
        addChar(this.src[at], at);
        result += this.src[at];
      }
      if (stop !== -1) throw new LexError('unexpected end of statement');
      return { result, words: getWords(this.pos) };
    } finally {
      this.rawEscapes = saved;
    }
  }

  private processSingleQuote(): string {
    let result = this.opts.rawQuotes ? "'" : '';
    this.pos++;
    for (;;) {
      if (this.pos >= this.src.length) throw new LexError('unterminated single quote');
      const ch = this.src[this.pos++];
      if (ch === "'") return this.opts.rawQuotes ? result + ch : result;
      result += ch;
    }
  }

  private processDoubleQuote(): string {
    let result = this.opts.rawQuotes ? '"' : '';
    this.pos++;
    for (;;) {
      const c = this.peek();
      if (c === -1) throw new LexError('unterminated double quote');
      if (c === 0x22) {
        this.pos++;
        return this.opts.rawQuotes ? result + '"' : result;
      }
      if (c === 0x24) {
        result += this.processDollar();
        continue;
      }
      let ch = this.src[this.pos++];
      if (ch === '\\') {
        if (this.rawEscapes) result += ch;
        const p = this.peek();
        if (p === -1) continue; // a `\` at the end is dropped
        if (p === 0x22 || p === 0x24 || p === 0x5c) ch = this.src[this.pos++];
      }
      result += ch;
    }
  }

  /** `$…` with every variable unset and SkipUnsetEnv: the reference is kept as written. */
  private processDollar(): string {
    this.pos++;
    if (this.peek() !== 0x7b /* { */) {
      const name = this.processName();
      return name === '' ? '$' : '$' + name;
    }
    this.pos++;
    const p = this.peek();
    if (p === -1) throw new LexError("missing '}'");
    if (p === 0x7b || p === 0x7d || p === 0x3a) throw new LexError('bad substitution');
    const name = this.processName();
    if (this.pos >= this.src.length) throw new LexError("missing '}'");
    let ch = this.src[this.pos++];
    let chs = ch;
    if (ch === '}') return '${' + name + '}';
    if (ch === ':') {
      ch = this.pos < this.src.length ? this.src[this.pos++] : '';
      chs += ch;
      if (ch === '#' || ch === '%') throw new LexError('unsupported modifier');
      // any other character after `:` is accepted here (BuildKit only rejects it for set variables)
      const word = this.processStopOn(0x7d, false).result;
      return '${' + name + chs + word + '}';
    }
    if (ch === '+' || ch === '-' || ch === '?' || ch === '#' || ch === '%') {
      const word = this.processStopOn(0x7d, ch === '#' || ch === '%').result;
      return '${' + name + chs + word + '}';
    }
    if (ch === '/') {
      if (this.peek() === 0x2f) this.pos++;
      const pattern = this.processStopOn(0x2f, true).result;
      const replacement = this.processStopOn(0x7d, true).result;
      return '${' + name + '/' + pattern + '/' + replacement + '}';
    }
    throw new LexError('unsupported modifier');
  }

  private processName(): string {
    const rest = this.src.slice(this.pos, this.pos + 256);
    const m = /^\p{Nd}+|^[@*#?\-$!0]|^[\p{L}\p{Nd}_]+/u.exec(rest);
    if (!m) return '';
    this.pos += m[0].length;
    return m[0];
  }
}

const HEREDOC_WORD = /^(\d*)<<(-?)([^<]*)$/;

/**
 * BuildKit's ParseHeredoc on one raw word: `<<EOF`, `<<-"EOF"`, `3<<'X'`.
 * The name is the word after `<<[-]` with quotes and escapes removed and must
 * lex to exactly one word. `quoted` is BuildKit's `!Expand`: true when quote
 * characters were consumed by the lexer (`<<"EOF"`, `<<E'O'F`); an escape alone
 * (`<<\EOF`) does not count. Returns 'error' when BuildKit's lexer fails (a
 * parse error), null when the word is not a heredoc.
 */
export function parseHeredocWord(word: string): { name: string; chomp: boolean; quoted: boolean } | null | 'error' {
  const m = HEREDOC_WORD.exec(word);
  if (!m || m[3].length === 0) return null;
  const words = shellWords(m[3], { rawQuotes: false, rawEscapes: false });
  if (words === null) return 'error';
  if (words.length !== 1) return null;
  const raw = shellWords(m[3], { rawQuotes: true, rawEscapes: false });
  if (raw === null || raw.length !== 1) return 'error';
  const quotes = (s: string): number => {
    let k = 0;
    for (let i = 0; i < s.length; i++) if (s[i] === '"' || s[i] === "'") k++;
    return k;
  };
  return { name: words[0].value, chomp: m[2] === '-', quoted: quotes(words[0].value) !== quotes(raw[0].value) };
}
