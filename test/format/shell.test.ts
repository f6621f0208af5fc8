/**
 * The shell tokenizer proves what the printer may rearrange, and refuses the
 * rest; the quote scanners tell which line breaks sit outside quotes.
 */
import { describe, expect, it } from 'vitest';
import { outsideQuotes, tokenizeShell } from '../../src/format/shell.js';

const words = (text: string): string[] | null => tokenizeShell(text, 0, text.length)?.map((c) => text.slice(c.start, c.end)) ?? null;

describe('tokenizeShell', () => {
  it('splits on blanks outside quotes and keeps quoted blanks inside a chunk', () => {
    expect(words(`echo  "a  b"\t'c  d' e\\ f`)).toEqual(['echo', '"a  b"', "'c  d'", 'e\\ f']);
  });

  it('keeps ${…} with blanks inside as one chunk', () => {
    expect(words('echo ${A:-x y} z')).toEqual(['echo', '${A:-x y}', 'z']);
  });

  it('marks leading && and || and a trailing ; as command boundaries', () => {
    const text = 'a && b || c; d';
    const chunks = tokenizeShell(text, 0, text.length)!;
    expect(chunks.map((c) => c.leadOp)).toEqual([null, '&&', null, '||', null, null]);
    expect(chunks.map((c) => c.endsCommand)).toEqual([false, false, false, false, true, false]);
  });

  it('marks pipes and bare redirection operators as binding to the next word', () => {
    const text = 'a | b > out 2>&1';
    expect(tokenizeShell(text, 0, text.length)!.map((c) => c.bindsNext)).toEqual([false, true, false, true, false, false]);
  });

  it.each([
    ['command substitution', 'echo $(date)'],
    ['backticks', 'echo `date`'],
    ['a subshell', '(cd /tmp && make)'],
    ['a brace group', '{ a; b; }'],
    ['if', 'if true; then echo; fi'],
    ['for after &&', 'a && for x in 1; do echo; done'],
    ['while after a pipe', 'a | while read x; do echo; done'],
    ['case', 'case $x in a) echo;; esac'],
    ['a comment', 'echo a # note'],
    ['a heredoc', 'cat <<EOF'],
    ['a here-string', 'cat <<< "$x"'],
    ['process substitution', 'diff <(a) <(b)'],
    ['a background job', 'server & client'],
    ['an unterminated double quote', 'echo "abc'],
    ['an unterminated single quote', "echo 'abc"],
    ["ANSI-C quoting $'…'", "echo $'a\\'b'"],
    ['quotes inside ${…}', 'echo ${A:-"x"}'],
    ['a function definition', 'f() { echo; }'],
  ])('refuses %s', (_, text) => {
    expect(tokenizeShell(text, 0, text.length)).toBeNull();
  });

  it('accepts redirections it understands', () => {
    expect(words('make >/dev/null 2>&1 &>log <in')).toEqual(['make', '>/dev/null', '2>&1', '&>log', '<in']);
  });
});

describe('outsideQuotes', () => {
  const at = (text: string, points: number[], escape = '\\'): boolean[] => outsideQuotes(text, 0, text.length, points, escape).outside;

  it('is true between words and false inside quotes', () => {
    const text = 'echo "a b" c';
    expect(at(text, [4, 8, 10])).toEqual([true, false, true]);
  });

  it('follows $(…) nested in double quotes', () => {
    const text = 'x="$(echo "a b")" y';
    expect(at(text, [text.indexOf(' '), text.lastIndexOf(' ')])).toEqual([false, true]);
  });

  it('is false on the second character of an escape pair', () => {
    const text = 'a\\ b';
    expect(at(text, [2, 3])).toEqual([false, true]);
  });

  it('gives up after a comment or a case statement, and says so', () => {
    expect(at("echo # don't x", [13])).toEqual([false]);
    expect(at('case $x in a) b;; esac; c', [24])).toEqual([false]);
    expect(outsideQuotes('a b # c d', 0, 9, [1, 7], '\\').complete).toBe(false);
    expect(outsideQuotes('a "b" c', 0, 7, [1, 5], '\\').complete).toBe(true);
  });

  it('treats the backtick escape of a Windows file as an escape pair, as meaning() does', () => {
    expect(at('echo `" a', [7], '`')).toEqual([false]); // the backtick is command substitution for sh
    expect(at('echo a b', [6], '`')).toEqual([true]);
  });
});
