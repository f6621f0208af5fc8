/**
 * Glob patterns as BuildKit reads them, matched in time linear in the
 * pattern and the text (no RegExp: a COPY source of 60 `*` and an `x` made
 * the regex engine backtrack for minutes).
 *
 * - `*` any run of characters but `/`, `?` one such character, `[…]` a class
 *   (`^` negates, `a-z` ranges, `\` escapes), `\x` a literal x: Go's
 *   filepath.Match, which COPY/ADD sources follow.
 * - With `globstar` (.dockerignore lines, moby's patternmatcher): `**` at the
 *   end matches anything, elsewhere any number of leading folders (the
 *   regex `(.*\/)?`; a `/` right after the two stars is eaten).
 * - A `[` without its `]`, or a class Go rejects (`[]`, `[^]`), makes the
 *   pattern match nothing, as the builder's error would copy nothing.
 *
 * Matching runs the pattern as an automaton over the text, keeping the set of
 * pattern positions reachable so far: O(text × live positions), where live
 * positions stay few because runs of wildcards are merged when compiling.
 */

type Token =
  | { kind: 'char'; ch: string }
  | { kind: 'any' } // ? : one character but '/'
  | { kind: 'class'; negate: boolean; ranges: Array<[string, string]> }
  | { kind: 'star' } // [^/]*
  | { kind: 'globstar' } // .*
  | { kind: 'folders' }; // (.*/)?

export interface GlobOptions {
  /** `**` spans folders, as in .dockerignore (default: `**` is `*`, as in COPY sources) */
  globstar?: boolean;
}

export type GlobMatcher = (text: string) => boolean;

const NOTHING: GlobMatcher = () => false;

export function compileGlob(pattern: string, options: GlobOptions = {}): GlobMatcher {
  const tokens = tokenize([...pattern], options.globstar === true);
  if (!tokens) return NOTHING;
  if (tokens.every((t) => t.kind === 'char')) {
    const literal = tokens.map((t) => (t as { ch: string }).ch).join('');
    return (text) => text === literal;
  }
  // Each of these takes one character: a shorter text cannot match (and a huge pattern costs nothing per name).
  const consuming = tokens.filter((t) => !isWild(t)).length;
  return (text) => text.length >= consuming && run(tokens, text);
}

/** Tokens (over code points) with runs of wildcards merged, or null for a pattern that matches nothing. */
function tokenize(pattern: string[], globstar: boolean): Token[] | null {
  const out: Token[] = [];
  const push = (t: Token): void => {
    const prev = out[out.length - 1];
    if (prev && isWild(prev) && isWild(t)) {
      if (prev.kind === t.kind) return; // ** = *, (.*/)?(.*/)? = (.*/)?
      if (prev.kind === 'globstar' || t.kind === 'globstar') {
        out[out.length - 1] = { kind: 'globstar' }; // .* swallows its neighbour
        return;
      }
    }
    out.push(t);
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (globstar && pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++;
        push(i + 1 >= pattern.length ? { kind: 'globstar' } : { kind: 'folders' });
      } else push({ kind: 'star' });
    } else if (c === '?') push({ kind: 'any' });
    else if (c === '[') {
      const cls = readClass(pattern, i + 1);
      if (!cls) return null;
      push(cls.token);
      i = cls.end;
    } else if (c === '\\' && i + 1 < pattern.length) push({ kind: 'char', ch: pattern[++i] });
    else push({ kind: 'char', ch: c });
  }
  return out;
}

const isWild = (t: Token): boolean => t.kind === 'star' || t.kind === 'globstar' || t.kind === 'folders';

/** A class starting after its `[`: the token and the index of its `]`, or null when malformed. */
function readClass(pattern: string[], start: number): { token: Token; end: number } | null {
  let i = start;
  const negate = pattern[i] === '^';
  if (negate) i++;
  const ranges: Array<[string, string]> = [];
  const char = (): string | null => {
    if (i >= pattern.length) return null;
    let c = pattern[i];
    if (c === '\\') c = pattern[++i] ?? '';
    else if (c === '-' || c === ']') return null;
    i++;
    return c === '' ? null : c;
  };
  while (i < pattern.length && !(pattern[i] === ']' && ranges.length > 0)) {
    const lo = char();
    if (lo === null) return null;
    let hi = lo;
    if (pattern[i] === '-') {
      i++;
      const h = char();
      if (h === null) return null;
      hi = h;
    }
    ranges.push([lo, hi]);
  }
  if (i >= pattern.length) return null;
  return { token: { kind: 'class', negate, ranges }, end: i };
}

function consumes(t: Token, c: string): boolean {
  switch (t.kind) {
    case 'char':
      return t.ch === c;
    case 'any':
      return c !== '/';
    case 'class': {
      const inside = t.ranges.some(([lo, hi]) => lo <= c && c <= hi);
      return inside !== t.negate;
    }
    default:
      return false;
  }
}

/**
 * The automaton: positions 0..n (n accepts); wildcards may be skipped (an
 * ε-move to the next position). A folders wildcard that has begun has its own state,
 * n + 1 + p, which cannot skip: it must end at a `/`.
 */
function run(tokens: Token[], text: string): boolean {
  const n = tokens.length;
  const inside = (p: number): number => n + 1 + p;
  const seen = new Uint32Array(2 * n + 2);
  let stamp = 1;
  let current: number[] = [];
  const add = (into: number[], p: number): void => {
    if (p > n) {
      if (seen[p] !== stamp) (seen[p] = stamp), into.push(p);
      return;
    }
    // follow ε-moves: a wildcard may match nothing
    while (seen[p] !== stamp) {
      seen[p] = stamp;
      into.push(p);
      if (p === n || !isWild(tokens[p])) return;
      p++;
    }
  };
  add(current, 0);
  for (const c of text) {
    stamp++;
    const next: number[] = [];
    for (const q of current) {
      if (q === n) continue;
      const p = q > n ? q - n - 1 : q;
      const t = tokens[p];
      if (t.kind === 'star') {
        if (c !== '/') add(next, p);
      } else if (t.kind === 'globstar') add(next, p);
      else if (t.kind === 'folders') {
        add(next, inside(p));
        if (c === '/') add(next, p + 1);
      } else if (consumes(t, c)) add(next, p + 1);
    }
    if (next.length === 0) return false;
    current = next;
  }
  return current.includes(n);
}
