/**
 * The shared shell lexer's simple commands: where commands split, what a
 * word's value is, and what it refuses.
 */
import { describe, expect, it } from 'vitest';
import { commandWords, literalValues, shellCommands } from '../../../src/rules/shared/shell.js';

const words = (text: string) => shellCommands(text)?.map((c) => literalValues(commandWords(c)));

describe('shellCommands', () => {
  it('splits top-level commands on && || ; | & and newlines', () => {
    expect(words('a b && c || d; e | f & g\nh')).toEqual([['a', 'b'], ['c'], ['d'], ['e'], ['f'], ['g'], ['h']]);
    expect(shellCommands('a && b')!.map((c) => [c.before, c.after])).toEqual([['', '&&'], ['&&', '']]);
  });

  it('removes quotes and marks expansions and globs', () => {
    const [c] = shellCommands(`npm "ci" '--x y' a\\ b "$HOME" *.js`)!;
    expect(c.words.map((w) => w.value)).toEqual(['npm', 'ci', '--x y', 'a b', null, '*.js']);
    expect(c.words[5].glob).toBe(true);
  });

  it('keeps operators inside quotes and substitutions out of the split', () => {
    expect(words(`echo "a && b" 'c; d' $(e && f) \`g | h\``)).toEqual([null]);
    expect(shellCommands('echo "a && b"')).toHaveLength(1);
  });

  it('marks subshells, groups, redirects and heredocs', () => {
    expect(shellCommands('(cd x && y)')![0].complex).toBe(true);
    expect(shellCommands('{ a; }')![0].complex).toBe(true);
    const [r] = shellCommands('npm ci > /dev/null 2>&1')!;
    expect(r.redirect).toBe(true);
    expect(r.words.map((w) => w.value)).toEqual(['npm', 'ci']);
    expect(shellCommands('cat <<EOF')![0].complex).toBe(true);
  });

  it('skips comments and refuses unterminated text', () => {
    expect(words('a # b && c\nd')).toEqual([['a'], ['d']]);
    expect(words('a#b')).toEqual([['a#b']]);
    expect(shellCommands('echo "open')).toBeNull();
    expect(shellCommands("echo 'open")).toBeNull();
    expect(shellCommands('echo $(open')).toBeNull();
  });

  it('leaves leading assignments out of commandWords', () => {
    const [c] = shellCommands('A=1 B="x y" npm ci')!;
    expect(commandWords(c).map((w) => w.value)).toEqual(['npm', 'ci']);
  });
});
