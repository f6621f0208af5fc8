/**
 * compileGlob: Go's filepath.Match (COPY sources) and moby's patternmatcher
 * `**` (.dockerignore), without a RegExp, so hostile patterns cost linear time.
 */
import { describe, expect, it } from 'vitest';
import { compileGlob } from '../../../src/rules/shared/glob.js';

describe('compileGlob: filepath.Match', () => {
  it.each([
    ['*', 'abc', true],
    ['*', '', true],
    ['*', 'a/b', false],
    ['a*c', 'abbbc', true],
    ['a*c', 'abbb', false],
    ['?', 'x', true],
    ['?', '/', false],
    ['?', '', false],
    ['??', 'é€', true], // one code point each, as Go matches runes
    ['[abc]', 'b', true],
    ['[a-c]x', 'cx', true],
    ['[^a-c]', 'd', true],
    ['[^a-c]', 'b', false],
    ['[!a]', '!', true], // `!` is not negation in Go: a class of `!` and `a`
    ['[\\]]', ']', true],
    ['[a\\-z]', '-', true],
    ['[a\\-z]', 'm', false],
    ['\\*', '*', true],
    ['\\*', 'x', false],
    ['a\\', 'a\\', true], // a trailing backslash stands for itself
    ['*.tar.gz', 'x.tar.gz', true],
    ['*.tar.gz', 'xtargz', false],
    ['a**b', 'axxb', true], // without globstar, `**` is two stars
    ['a**b', 'a/b', false],
  ])('%j matches %j: %s', (pattern, text, expected) => {
    expect(compileGlob(pattern)(text)).toBe(expected);
  });

  it.each([['[abc'], ['[]a]'], ['[^]'], ['[a-]'], ['[-a]'], ['x[z']])('malformed class %j matches nothing (the builder rejects it)', (pattern) => {
    for (const text of ['', 'a', '[', pattern, 'z', ']', '-']) expect(compileGlob(pattern)(text)).toBe(false);
  });
});

describe('compileGlob: globstar (.dockerignore)', () => {
  it.each([
    ['**', 'a/b/c', true],
    ['**/x', 'x', true],
    ['**/x', 'a/b/x', true],
    ['**/x', 'ax', false], // (.*/)? then x: a folder boundary or nothing
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['a/**', 'a/x/y', true],
    ['**/*.log', 'deep/dir/app.log', true],
    ['**/*.log', 'deep/dir/app.log/x', false],
    ['*/x', 'a/b/x', false],
    ['**/**/x', 'a/x', true],
    ['***', 'a/b', true],
  ])('%j matches %j: %s', (pattern, text, expected) => {
    expect(compileGlob(pattern, { globstar: true })(text)).toBe(expected);
  });
});

/** The regex BuildKit's matchers amount to (fine on small inputs: the oracle for random ones). */
function oracle(pattern: string, globstar: boolean): RegExp | null {
  let re = '';
  const p = [...pattern];
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*' && globstar && p[i + 1] === '*') {
      i++;
      if (p[i + 1] === '/') i++;
      re += i + 1 >= p.length ? '.*' : '(?:.*/)?';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < p.length) re += '\\' + p[++i];
    else if (c === '[') return null; // classes: the table above
    else re += c.replace(/[.+^${}()|\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'u');
}

describe('compileGlob agrees with the regex it replaces', () => {
  // A seeded generator: the same cases on every run.
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const pick = (alphabet: string, max: number): string => Array.from({ length: rand(max + 1) }, () => alphabet[rand(alphabet.length)]).join('');

  it.each([false, true])('on 20,000 random small patterns and texts (globstar %s)', (globstar) => {
    const disagreements: string[] = [];
    for (let k = 0; k < 20_000; k++) {
      const pattern = pick('ab/*?\\', 7);
      const text = pick('ab/', 8);
      const re = oracle(pattern, globstar);
      if (!re) continue;
      if (compileGlob(pattern, { globstar })(text) !== re.test(text)) disagreements.push(`${JSON.stringify(pattern)} vs ${JSON.stringify(text)}`);
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
  });
});

describe('compileGlob on hostile patterns (the regex version backtracked for minutes)', () => {
  it('60 stars and an x against a long name, and `*a` repeated against a run of a', () => {
    // No timing assertion (test/bounds measures); these finished only after minutes before.
    expect(compileGlob('*'.repeat(60) + 'x')('y'.repeat(10_000))).toBe(false);
    expect(compileGlob('*a'.repeat(5_000) + 'b')('a'.repeat(10_000))).toBe(false);
    expect(compileGlob('**/'.repeat(5_000) + 'x', { globstar: true })('a/'.repeat(5_000) + 'y')).toBe(false);
    expect(compileGlob('*a'.repeat(50))('a'.repeat(10_000))).toBe(true);
  });
});
