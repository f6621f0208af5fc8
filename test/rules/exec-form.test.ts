/**
 * exec-form: the lexer's boundaries, the safety class chosen for each case,
 * and properties of every rewrite (valid one-line JSON, never `/bin/sh -c`).
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/syntax/index.js';
import { fix } from '../../src/fix/index.js';
import { commandLine, execForm } from '../../src/rules/exec-form.js';

const check = (text: string, options: Record<string, unknown> = {}) => execForm.check(parse(text), { options });
const run = (text: string, unsafe = false) => fix(text, { rules: [execForm], unsafe, context: () => ({ options: {} }) });

describe('exec-form lexer', () => {
  const words = (s: string) => {
    const l = commandLine(s);
    if ('error' in l) return l.error;
    return l.commands.map((c) => c.map((w) => (w.literal ? w.text : `~${w.text}`)));
  };
  it('reads POSIX quoting', () => {
    expect(words(`a 'b c' "d e" f\\ g h'i'"j"`)).toEqual([['a', 'b c', 'd e', 'f g', 'hij']]);
  });
  it('marks expansions, globs, tilde and braces as not literal', () => {
    expect(words('a $X "${Y}" *.c ~/x {a,b} "a\\b"')).toEqual([['a', '~$X', '~${Y}', '~*.c', '~~/x', '~{a,b}', '~a\\b']]);
  });
  it('splits on operators and finds a comment only at a word start', () => {
    const l = commandLine('a && b || c # d#e');
    expect('error' in l).toBe(false);
    if ('error' in l) return;
    expect(l.ops).toEqual(['&&', '||']);
    expect(l.commentAt).toBe(12);
    const m = commandLine('a b#c');
    if ('error' in m) throw new Error(m.error);
    expect(m.commentAt).toBe(-1);
  });
  it('refuses what it cannot prove', () => {
    expect(words('a > b')).toBe('redirections or heredocs');
    expect(words('cat <<EOF')).toBe('redirections or heredocs');
    expect(words('a $(b)')).toBe('command substitution');
    expect(words('a `b`')).toBe('command substitution');
    expect(words('(a)')).toBe('a subshell');
    expect(words("a 'b")).toBe('an unterminated quote');
  });
});

describe('exec-form rule', () => {
  it('declares its meta', () => {
    expect(execForm.meta.related).toEqual(['DL3025', 'JSONArgsRecommended']);
    expect(execForm.meta.docs).toContain('https://docs.docker.com/reference/dockerfile/#shell-and-exec-form');
    expect(execForm.meta.options).toHaveProperty('imagesWithoutEntrypoint');
  });

  it('is safe on scratch, unsafe on an image that may have an ENTRYPOINT', () => {
    expect(check('FROM scratch\nCMD /app\n')[0].safety).toBe('safe');
    const [f] = check('FROM python:3.12\nCMD python app.py\n');
    expect(f.safety).toBe('unsafe');
    expect(f.reason).toContain('may set an ENTRYPOINT');
    expect(check('FROM python:3.12\nCMD python app.py\n', { imagesWithoutEntrypoint: ['python:3.12'] })[0].safety).toBe('safe');
  });

  it('withholds unsafe fixes and reports suggestions', () => {
    const held = run('FROM node:20\nCMD node server.js\n');
    expect(held.withheld.map((f) => f.message)).toEqual(['use exec form: CMD ["node", "server.js"]']);
    const suggested = run('FROM node:20\nCMD node server.js | tee log\n', true);
    expect(suggested.applied).toEqual([]);
    expect(suggested.reports).toHaveLength(1);
    expect(suggested.reports[0].safety).toBe('suggestion');
    expect(suggested.reports[0].edits).toBeUndefined();
  });

  it('writes valid one-line JSON that BuildKit reads as exec form', () => {
    const text = "FROM scratch\nCMD /app 'tab\there' 'quote\"' 'back\\slash' 'ünïcode'\n";
    const result = run(text);
    expect(result.internalErrors).toEqual([]);
    const cmd = result.document.instructions[1];
    expect(cmd.json).toEqual(['/app', 'tab\there', 'quote"', 'back\\slash', 'ünïcode']);
    expect(result.output.split('\n')[1]).toBe('CMD ["/app", "tab\\there", "quote\\"", "back\\\\slash", "ünïcode"]');
  });

  it('never wraps the text in a shell', () => {
    const inputs = [
      'FROM alpine\nCMD a && b\n',
      'FROM alpine\nCMD a | b\n',
      'FROM alpine\nSHELL ["/bin/bash", "-c"]\nENTRYPOINT a\n',
      'FROM node:20\nCMD node "$X"\n',
    ];
    for (const text of inputs) {
      const lines = run(text, true).output.split('\n').filter((l) => /^(CMD|ENTRYPOINT)/.test(l));
      for (const l of lines) expect(l).not.toMatch(/\/bin\/(ba)?sh/);
    }
  });

  it('names the instruction in its edits so the engine accepts the change of meaning', () => {
    const [f] = check('FROM scratch\nCMD /app # c\n');
    const cmd = parse('FROM scratch\nCMD /app # c\n').instructions[1];
    expect(f.edits?.some((e) => e.start > cmd.lineStart && e.start < cmd.end && e.end > e.start)).toBe(true);
  });

  it('leaves a command that already execs alone', () => {
    expect(check('FROM node:20\nCMD cd /app && exec node x\n')).toEqual([]);
    expect(check('FROM node:20\nENTRYPOINT exec node x\nCMD ["--flag"]\n').filter((f) => f.ruleId === 'exec-form' && f.start > 20)).toEqual([]);
  });

  it('keeps ENTRYPOINT shell form semantics when a CMD exists', () => {
    const [f] = check('FROM alpine\nENTRYPOINT /app\nCMD ["x"]\n');
    expect(f.safety).toBe('unsafe');
    expect(f.edits?.[0].text).toBe('exec ');
    expect(f.reason).toContain('a CMD in this stage');
  });
});
