/**
 * legacy-key-value: meta, messages and reasons, ARG never touched, and a
 * property test: for arbitrary legacy values the fix (when it applies) keeps
 * meaning() of the instruction and the unquoted value, in both escape modes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { meaning, parse, unquoteWord } from '../../src/syntax/index.js';
import { fix } from '../../src/fix/index.js';
import { legacyKeyValue } from '../../src/rules/legacy-key-value.js';

const check = (text: string) => legacyKeyValue.check(parse(text), { options: {} });
const run = (text: string) => fix(text, { rules: [legacyKeyValue], context: () => ({ options: {} }) });

describe('legacy-key-value meta', () => {
  it('names its check and cites the reference', () => {
    const m = legacyKeyValue.meta;
    expect(m.id).toBe('legacy-key-value');
    expect(m.safety).toBe('safe');
    expect(m.related).toEqual(['LegacyKeyValueFormat']);
    expect(m.docs).toContain('https://docs.docker.com/reference/dockerfile/#env');
  });
});

describe('legacy-key-value findings', () => {
  it('reports ENV and LABEL with one-line messages', () => {
    const fs = check('FROM a\nENV K v w\nlabel l x\n');
    expect(fs.map((f) => f.message)).toEqual([
      'ENV K uses the legacy "key value" form: write K=…',
      'label l uses the legacy "key value" form: write l=…',
    ]);
    expect(fs.map((f) => f.safety)).toEqual(['safe', 'safe']);
    expect(fs[0].reason).toMatch(/environment is the same/);
    expect(fs[1].reason).toMatch(/label is the same/);
  });

  it('never touches ARG, the key=value form, or a key without a value', () => {
    expect(check('ARG a b\nFROM x\nARG c d\nENV e=f g=h\nENV lone\n')).toEqual([]);
  });

  it('explains an unterminated quote and an unprovable value', () => {
    const [q] = check('FROM a\nENV K "x y\n');
    expect(q.safety).toBe('suggestion');
    expect(q.reason).toMatch(/unterminated quote/);
    const [u] = check('FROM a\nENV K ${A:-x y} "z"\n');
    expect(u.safety).toBe('suggestion');
    expect(u.reason).toMatch(/could not prove/);
  });

  it('prefers the smallest rewrite', () => {
    expect(run('FROM a\nENV P /bin:$PATH\n').output).toBe('FROM a\nENV P=/bin:$PATH\n');
    expect(run('FROM a\nENV P a $B\n').output).toBe('FROM a\nENV P="a $B"\n');
    expect(run("FROM a\nENV P 'a' b\n").output).toBe("FROM a\nENV P='a'\\ b\n");
  });
});

describe('legacy-key-value keeps the value', () => {
  const alphabet = fc.constantFrom('a', 'b', ' ', '  ', '\t', '"', "'", '$', '$X', '${Y:-q r}', '\\', '`', '=', '#', '\u00a0');
  for (const esc of ['\\', '`']) {
    it(`for arbitrary legacy values (escape ${esc})`, () => {
      fc.assert(
        fc.property(fc.array(alphabet, { minLength: 1, maxLength: 12 }), fc.boolean(), (parts, label) => {
          const value = parts.join('').replace(/^[\s\u00a0]+|[\s\u00a0]+$/g, '');
          if (value === '' || value.endsWith(esc)) return; // a trailing escape would continue the line
          const head = esc === '`' ? '# escape=`\n' : '';
          const kw = label ? 'LABEL' : 'ENV';
          const input = `${head}FROM a\n${kw} KEY ${value}\n`;
          const res = run(input);
          expect(res.internalErrors).toEqual([]);
          if (res.applied.length === 0) return;
          expect(meaning(res.output)).toEqual(meaning(input));
          const line = res.output.split('\n').find((l) => l.startsWith(kw))!;
          expect(line.startsWith(`${kw} KEY=`)).toBe(true);
          expect(unquoteWord(line.slice(kw.length + 5), esc)).toBe(unquoteWord(value, esc));
        }),
        { numRuns: 400 },
      );
    });
  }
});
