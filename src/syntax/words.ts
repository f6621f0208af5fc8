/**
 * Word-level rules of BuildKit's Dockerfile parser, ported to TypeScript so the
 * Document and the meaning summary split text exactly as BuildKit does
 * (moby/buildkit frontend/dockerfile/parser/line_parsers.go and shell/lex.go).
 */

export interface Word {
  /** the word as BuildKit keeps it (quotes kept for parseWords) */
  value: string;
  /** index of the first character in the source string */
  start: number;
  /** index just past the last character */
  end: number;
}

const isSpace = (ch: string): boolean =>
  ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\v' || ch === '\f' ||
  ch === '\u0085' || ch === '\u00a0' || (ch > '\u00ff' && /\s/.test(ch));

/**
 * BuildKit's extractBuilderFlags: leading `--flag[=value]` words, with quotes
 * and backslash escapes removed from the flag words. Returns the flags and the
 * index where the remaining arguments start (`line.length` when none).
 * Note BuildKit always uses `\` here, whatever the escape directive says.
 */
export function extractBuilderFlags(line: string): { flags: Word[]; restIndex: number } {
  const flags: Word[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let word = '';
  let wordStart = 0;
  let quote = '';
  let blankOK = false;
  for (let pos = 0; pos <= line.length; pos++) {
    const ch = pos < line.length ? line[pos] : '';
    if (phase === 'spaces') {
      if (pos === line.length) break;
      if (isSpace(ch)) continue;
      if (ch !== '-' || pos + 1 === line.length || line[pos + 1] !== '-') {
        return { flags, restIndex: pos };
      }
      phase = 'word';
      wordStart = pos;
    }
    if (pos === line.length) {
      if (word !== '--' && (blankOK || word.length > 0)) flags.push({ value: word, start: wordStart, end: pos });
      break;
    }
    if (phase === 'word') {
      if (isSpace(ch)) {
        phase = 'spaces';
        if (word === '--') return { flags, restIndex: pos };
        if (blankOK || word.length > 0) flags.push({ value: word, start: wordStart, end: pos });
        word = '';
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = 'quote';
        continue;
      }
      let c = ch;
      if (c === '\\') {
        if (pos + 1 === line.length) continue;
        pos++;
        c = line[pos];
      }
      word += c;
      continue;
    }
    // in a quote
    if (ch === quote) {
      phase = 'word';
      continue;
    }
    let c = ch;
    if (c === '\\') {
      if (pos + 1 === line.length) {
        phase = 'word';
        continue;
      }
      pos++;
      c = line[pos];
    }
    word += c;
  }
  return { flags, restIndex: line.length };
}

/**
 * BuildKit's parseWords: split on unquoted whitespace, keeping quotes and
 * escapes in the words (used for ENV, LABEL, ARG).
 */
export function parseWords(rest: string, escape: string): Word[] {
  const words: Word[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let word = '';
  let wordStart = 0;
  let quote = '';
  let blankOK = false;
  for (let pos = 0; pos <= rest.length; pos++) {
    let ch = pos < rest.length ? rest[pos] : '';
    if (phase === 'spaces') {
      if (pos === rest.length) break;
      if (isSpace(ch)) continue;
      phase = 'word';
      wordStart = pos;
    }
    if (pos === rest.length) {
      if (blankOK || word.length > 0) words.push({ value: word, start: wordStart, end: pos });
      break;
    }
    if (phase === 'word') {
      if (isSpace(ch)) {
        phase = 'spaces';
        if (blankOK || word.length > 0) words.push({ value: word, start: wordStart, end: pos });
        word = '';
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = 'quote';
      }
      if (ch === escape) {
        if (pos + 1 === rest.length) continue;
        word += ch;
        pos++;
        ch = rest[pos];
      }
      word += ch;
      continue;
    }
    if (ch === quote) phase = 'word';
    if (ch === escape && quote !== "'") {
      if (pos + 1 === rest.length) {
        phase = 'word';
        continue;
      }
      pos++;
      word += ch;
      ch = rest[pos];
    }
    word += ch;
  }
  return words;
}

/** Split on runs of whitespace the way Go's `regexp.Split(\s+)` over a trimmed string does. */
export function splitWhitespace(text: string): Word[] {
  const words: Word[] = [];
  const re = /[^\s]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) words.push({ value: m[0], start: m.index, end: m.index + m[0].length });
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
  const m = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9@*#?$!-]/.exec(word.slice(at + 1, at + 200));
  if (!m) return { text: '\\$', end: at + 1 }; // a lone `$` is literal
  return { text: '$' + m[0], end: at + 1 + m[0].length };
}

/**
 * BuildKit's parseJSON: the arguments are an exec-form array only when they are
 * a JSON array of strings. Returns the array, `'not-strings'` for a JSON array
 * with another element type (a build error), or null (shell form).
 */
export function parseJsonArray(rest: string): string[] | 'not-strings' | null {
  const trimmed = rest.replace(/^\s+/, '');
  if (!trimmed.startsWith('[')) return null;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return null;
  }
  if (!Array.isArray(value)) return null;
  for (const v of value) if (typeof v !== 'string') return 'not-strings';
  return value as string[];
}

/**
 * Shell-style words with quotes and escapes kept raw (BuildKit's lexer with
 * RawQuotes/RawEscapes), used to find heredoc markers on a line.
 */
export function rawShellWords(line: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(line[i])) {
      const ch = line[i];
      if (ch === '\\') {
        i += 2;
        continue;
      }
      if (ch === "'" || ch === '"') {
        const close = line.indexOf(ch, i + 1);
        i = close < 0 ? n : close + 1;
        continue;
      }
      i++;
    }
    words.push({ value: line.slice(start, Math.min(i, n)), start, end: Math.min(i, n) });
  }
  return words;
}

const HEREDOC_WORD = /^(\d*)<<(-?)([^<]*)$/;

/** BuildKit's ParseHeredoc on one raw word: `<<EOF`, `<<-"EOF"`, `3<<'X'`. */
export function parseHeredocWord(word: string): { name: string; chomp: boolean; quoted: boolean } | null {
  const m = HEREDOC_WORD.exec(word);
  if (!m || m[3].length === 0) return null;
  const rest = m[3];
  let name = '';
  let quoted = false;
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i];
    if (ch === "'" || ch === '"') {
      quoted = true;
      const close = rest.indexOf(ch, i + 1);
      const end = close < 0 ? rest.length : close;
      name += rest.slice(i + 1, end);
      i = end;
      continue;
    }
    if (ch === '\\' && i + 1 < rest.length) {
      quoted = true;
      name += rest[i + 1];
      i++;
      continue;
    }
    name += ch;
  }
  if (name.length === 0) return null;
  return { name, chomp: m[2] === '-', quoted };
}
