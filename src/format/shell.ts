/**
 * A small POSIX shell tokenizer for RUN/CMD/ENTRYPOINT shell text, and the
 * quote scanner the printer uses to decide where it may change whitespace.
 *
 * The printer only ever changes runs of spaces and tabs that the shell splits
 * words on: it collapses them to one space or turns them into a line
 * continuation. So the tokenizer does not need to understand the shell; it
 * needs to *prove* that a run of blanks is a word separator at the top level
 * of the command line, and to find the top-level `&&`, `||`, `;` and `|`.
 * Everything it cannot prove (command substitution, backticks, subshells,
 * compound commands, comments, heredocs, `$'…'`, unbalanced quotes) makes it
 * refuse, and the printer then keeps the text.
 *
 * Positions are indices into the string given (the instruction's logical
 * text, see src/syntax), between `from` and `to`.
 */

/** A maximal run of non-blank shell text (a word, possibly with operators glued to it). */
export interface ShellChunk {
  start: number;
  end: number;
  /** the chunk starts with a top-level `&&`, `||` or `;` (the operator leads a new command) */
  leadOp: '&&' | '||' | ';' | null;
  /** the chunk ends a command: it ends with a top-level `;`, or with `&&`/`||` glued to a word */
  endsCommand: boolean;
  /** the chunk is only a pipe or a redirection operator (`|`, `>`, `2>`, `>>`, `<`…): it reads best glued to the next chunk */
  bindsNext: boolean;
}

const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;

/** Reserved words that open a compound command when they start a command. */
const COMPOUND_WORDS = new Set([
  'if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'while', 'until', 'do', 'done',
  'function', 'select', 'coproc', '{', '}', '[[', ']]', '((', '))',
]);

const REDIRECT_ONLY = /^[0-9]*(?:>>?|<|&>>?|>&|<&|>\|)$/;

/**
 * Split `text[from, to)` into chunks separated by blanks, or return null when
 * the text uses anything this tokenizer cannot prove it understands.
 */
export function tokenizeShell(text: string, from: number, to: number): ShellChunk[] | null {
  const chunks: ShellChunk[] = [];
  let i = from;
  // true when the next chunk starts a command (reserved words only count there)
  let commandStart = true;
  while (i < to) {
    while (i < to && isBlank(text.charCodeAt(i))) i++;
    if (i >= to) break;
    const start = i;
    let leadOp: ShellChunk['leadOp'] = null;
    let lastOp = '';
    let lastOpEnd = -1;
    let wordStart = true;
    while (i < to && !isBlank(text.charCodeAt(i))) {
      const c = text[i];
      if (c === '\\') {
        i = Math.min(i + 2, to);
        wordStart = false;
        continue;
      }
      if (c === "'") {
        const close = text.indexOf("'", i + 1);
        if (close < 0 || close >= to) return null;
        i = close + 1;
        wordStart = false;
        continue;
      }
      if (c === '"') {
        const close = skipDoubleQuoted(text, i, to);
        if (close < 0) return null;
        i = close;
        wordStart = false;
        continue;
      }
      if (c === '`') return null;
      if (c === '$') {
        const next = text[i + 1];
        if (next === '(' || next === "'" || next === '"') return null;
        if (next === '{') {
          const close = skipBraceExpansion(text, i, to);
          if (close < 0) return null;
          i = close;
        } else i++;
        wordStart = false;
        continue;
      }
      if (c === '#' && wordStart) return null; // a comment: the rest of the line is not code
      if (c === '(' || c === ')') return null; // subshells, functions, arrays, extglob
      if (c === '&') {
        if (text[i + 1] === '&') {
          if (i === start) leadOp = '&&';
          lastOp = '&&';
          i += 2;
          lastOpEnd = i;
          wordStart = true;
          continue;
        }
        const prev = text[i - 1];
        if (text[i + 1] === '>' || (i > start && (prev === '>' || prev === '<'))) {
          i++; // `&>file`, `2>&1`, `<&3`: part of a redirection
          continue;
        }
        return null; // `&` alone runs the command in the background
      }
      if (c === '|') {
        if (text[i + 1] === '|') {
          if (i === start) leadOp = '||';
          lastOp = '||';
          i += 2;
        } else if (text[i + 1] === '&') {
          return null;
        } else {
          lastOp = '|';
          i++;
        }
        lastOpEnd = i;
        wordStart = true;
        continue;
      }
      if (c === ';') {
        if (text[i + 1] === ';' || text[i + 1] === '&') return null; // case clauses
        if (i === start && i + 1 < to && !isBlank(text.charCodeAt(i + 1))) leadOp = ';';
        lastOp = ';';
        i++;
        lastOpEnd = i;
        wordStart = true;
        continue;
      }
      if (c === '<') {
        if (text[i + 1] === '<' || text[i + 1] === '(') return null; // heredocs, here-strings, process substitution
        i++;
        wordStart = true;
        continue;
      }
      if (c === '>') {
        if (text[i + 1] === '(') return null;
        i++;
        wordStart = true;
        continue;
      }
      i++;
      wordStart = false;
    }
    const end = i;
    const word = text.slice(start, end);
    if (commandStart && COMPOUND_WORDS.has(word.replace(/^(?:&&|\|\||;)/, ''))) return null;
    const pureOp = word === '&&' || word === '||' || word === '|' || word === ';';
    const endsWithOp = lastOpEnd === end && lastOp !== '|';
    chunks.push({
      start,
      end,
      leadOp,
      // a lone `&&` leads the next command rather than ending this one
      endsCommand: endsWithOp && !(pureOp && lastOp !== ';'),
      bindsNext: word === '|' || REDIRECT_ONLY.test(word),
    });
    commandStart = lastOpEnd === end || word === '!';
    if (leadOp !== null && !pureOp && COMPOUND_WORDS.has(word.slice(leadOp.length))) return null;
  }
  return chunks;
}

/** Index just past the closing quote of a double-quoted string at `at`, or -1. */
function skipDoubleQuoted(text: string, at: number, to: number): number {
  let k = at + 1;
  while (k < to) {
    const c = text[k];
    if (c === '\\') {
      k += 2;
      continue;
    }
    if (c === '"') return k + 1;
    if (c === '`') return -1;
    if (c === '$') {
      if (text[k + 1] === '(') return -1;
      if (text[k + 1] === '{') {
        const close = skipBraceExpansion(text, k, to);
        if (close < 0) return -1;
        k = close;
        continue;
      }
    }
    k++;
  }
  return -1;
}

/**
 * Index just past the `}` closing the `${` at `at`, or -1. Quotes, command
 * substitution and backticks inside make it refuse: their rules inside `${}`
 * differ between shells and between quoted and unquoted contexts.
 */
function skipBraceExpansion(text: string, at: number, to: number): number {
  let depth = 0;
  let k = at + 1;
  while (k < to) {
    const c = text[k];
    if (c === '\\') {
      k += 2;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return k + 1;
    } else if (c === "'" || c === '"' || c === '`') return -1;
    else if (c === '$' && text[k + 1] === '(') return -1;
    k++;
  }
  return -1;
}

/**
 * For each position in `points` (sorted, within [from, to]), whether it is
 * surely outside any quoted or nested construct for a POSIX shell AND in the
 * project's meaning model (normalizeShell in src/syntax/meaning.ts, which
 * keeps quoted bytes and `${…}` exact and treats `escape` + next character
 * as a pair). Changing the blanks around such a position keeps both what the
 * shell runs and `meaning()`. (Other shells' text is never rearranged: see
 * src/syntax/shells.ts.)
 */
export function outsideQuotes(text: string, from: number, to: number, points: number[], escape: string): QuoteScan {
  if (!hasQuoting(text, from, to, escape)) return { outside: points.map(() => true), complete: true };
  const a = scanSh(text, from, to, points);
  const b = scanMeaningModel(text, from, to, points, escape);
  return { outside: a.outside.map((ok, k) => ok && b.outside[k]), complete: a.complete };
}

export interface QuoteScan {
  /** per point: surely outside quotes */
  outside: boolean[];
  /** false when the shell scan gave up (a comment, `case`, quotes in `${…}`) before the last point */
  complete: boolean;
}

/** Whether `text[from, to)` holds any character that opens a quoted or nested construct in any model. */
function hasQuoting(text: string, from: number, to: number, escape: string): boolean {
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === "'" || c === '"' || c === '\\' || c === '`' || c === '$' || c === '(' || c === ')' || c === '#' || c === escape) return true;
    if (c === 'c' && text.startsWith('case', i)) return true;
  }
  return false;
}

/** Walks the text once, asking `step` for the state; records `isTop()` at each point. */
function recordAt(from: number, to: number, points: number[], step: (i: number) => number, isTop: () => boolean): QuoteScan {
  const out = new Array<boolean>(points.length).fill(false);
  let next = 0;
  while (next < points.length && points[next] < from) next++;
  let i = from;
  while (i <= to && next < points.length) {
    while (next < points.length && points[next] <= i) {
      // a point skipped over (inside an escape pair or a quoted run) stays false
      if (points[next] === i) out[next] = isTop();
      next++;
    }
    if (i >= to) break;
    const advance = step(i);
    if (advance < 0) return { outside: out, complete: false }; // lost: every later point stays false
    i += advance;
  }
  return { outside: out, complete: true };
}

/** POSIX sh, with `$(…)`, backticks, `${…}` and parentheses nested. */
function scanSh(text: string, from: number, to: number, points: number[]): QuoteScan {
  type Ctx = 'top' | 'paren' | 'sub' | 'sq' | 'dq' | 'bt' | 'brace';
  const stack: Ctx[] = ['top'];
  let quoted = 0; // how many of sq/dq/bt/brace are on the stack
  let wordStart = true;
  const push = (c: Ctx): void => {
    stack.push(c);
    if (c === 'sq' || c === 'dq' || c === 'bt' || c === 'brace') quoted++;
  };
  const pop = (): void => {
    const c = stack.pop();
    if (c === 'sq' || c === 'dq' || c === 'bt' || c === 'brace') quoted--;
  };
  const step = (i: number): number => {
    const ctx = stack[stack.length - 1];
    const c = text[i];
    const next = text[i + 1];
    if (ctx === 'sq') {
      if (c === "'") pop();
      return 1;
    }
    if (ctx === 'dq' || ctx === 'bt') {
      if (c === '\\') return 2;
      if (ctx === 'bt') {
        if (c === '`') pop();
        else if (c === "'" || c === '"') return -1;
        return 1;
      }
      if (c === '"') pop();
      else if (c === '`') push('bt');
      else if (c === '$' && next === '(') {
        push('sub');
        return 2;
      } else if (c === '$' && next === '{') {
        push('brace');
        return 2;
      }
      return 1;
    }
    if (ctx === 'brace') {
      if (c === '\\') return 2;
      if (c === '}') pop();
      else if (c === '$' && next === '{') {
        push('brace');
        return 2;
      } else if (c === "'" || c === '"' || c === '`' || (c === '$' && next === '(')) return -1;
      return 1;
    }
    // top, paren, sub: command context
    const atWordStart = wordStart;
    wordStart = c === ' ' || c === '\t' || c === ';' || c === '&' || c === '|' || c === '(' || c === '<' || c === '>';
    if (c === '\\') {
      wordStart = false;
      return 2;
    }
    if (c === '#' && atWordStart) return -1; // a comment: quotes in it are not quotes
    if (atWordStart && text.startsWith('case', i) && /[\s;&|()]|^$/.test(text[i + 4] ?? '')) return -1;
    if (c === "'") push('sq');
    else if (c === '"') push('dq');
    else if (c === '`') push('bt');
    else if (c === '$' && next === "'") return -1;
    else if (c === '$' && next === '(') {
      push('sub');
      wordStart = true;
      return 2;
    } else if (c === '$' && next === '{') {
      push('brace');
      return 2;
    } else if (c === '(') push('paren');
    else if (c === ')') {
      if (ctx === 'top') return -1;
      pop();
    }
    return 1;
  };
  return recordAt(from, to, points, step, () => quoted === 0 && stack[stack.length - 1] !== undefined);
}

/**
 * The quote model of normalizeShell (src/syntax/meaning.ts): `\` (and the
 * file's escape character) pairs with the next character; '…' and "…" (with
 * `\` escapes) and `${…}` up to the first `}` are kept exact.
 */
function scanMeaningModel(text: string, from: number, to: number, points: number[], escape: string): QuoteScan {
  let close = ''; // the character that ends the current exact run, '' at the top
  let inDouble = false;
  const step = (i: number): number => {
    const c = text[i];
    if (close === '') {
      if (c === '\\' || c === escape) return 2;
      if (c === "'") close = "'";
      else if (c === '"') {
        close = '"';
        inDouble = true;
      } else if (c === '$' && text[i + 1] === '{') {
        close = '}';
        return 2;
      }
      return 1;
    }
    if (inDouble && c === '\\') return 2;
    if (c === close) {
      close = '';
      inDouble = false;
    }
    return 1;
  };
  return recordAt(from, to, points, step, () => close === '');
}
