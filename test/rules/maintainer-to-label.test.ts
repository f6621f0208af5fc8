/**
 * maintainer-to-label: meta, the finding's safety/message/reason for each
 * case, and a property test that the LABEL holds exactly the MAINTAINER text
 * for arbitrary values in both escape modes (decoded here by an independent
 * reading of BuildKit's double-quote rules).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from '../../src/syntax/index.js';
import { fix } from '../../src/fix/index.js';
import { maintainerToLabel } from '../../src/rules/maintainer-to-label.js';

const check = (text: string) => maintainerToLabel.check(parse(text), { options: {} });
const run = (text: string) => fix(text, { rules: [maintainerToLabel], context: () => ({ options: {} }) });

/** BuildKit's processDoubleQuote without `$` expansion: esc before `"`, `$` or esc drops the esc. */
function decodeDoubleQuoted(word: string, esc: string): string | null {
  if (!word.startsWith('"') || !word.endsWith('"') || word.length < 2) return null;
  const body = word.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === esc && i + 1 < body.length && (body[i + 1] === '"' || body[i + 1] === '$' || body[i + 1] === esc)) {
      out += body[++i];
      continue;
    }
    if (c === '"') return null; // an unescaped quote would end the word early
    if (c === '$') return null; // would expand
    out += c;
  }
  return out;
}

describe('maintainer-to-label meta', () => {
  it('names its ids and cites the reference', () => {
    const m = maintainerToLabel.meta;
    expect(m.id).toBe('maintainer-to-label');
    expect(m.safety).toBe('safe');
    expect(m.related).toEqual(['DL4000', 'MaintainerDeprecated']);
    expect(m.docs).toContain('https://docs.docker.com/reference/dockerfile/#maintainer-deprecated');
  });
});

describe('maintainer-to-label findings', () => {
  it('is safe with a one-line message and reason', () => {
    const [f] = check('FROM a\nMAINTAINER Jane <j@x>\n');
    expect(f.safety).toBe('safe');
    expect(f.message).toBe('MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors="…"');
    expect(f.reason).toMatch(/exactly the MAINTAINER text/);
    for (const s of [f.message, f.reason]) expect(s).not.toMatch(/\n/);
  });

  it('refuses an empty MAINTAINER, flags, and an authors label set earlier in the stage', () => {
    const [empty] = check('FROM a\nMAINTAINER\n');
    expect(empty.safety).toBe('suggestion');
    expect(empty.edits).toBeUndefined();
    expect(empty.reason).toMatch(/requires exactly one argument/);
    const [flags] = check('FROM a\nMAINTAINER --x=1 y\n');
    expect(flags.safety).toBe('suggestion');
    expect(flags.reason).toMatch(/no flags/);
    const [label] = check('FROM a\nLABEL org.opencontainers.image.authors jane\nMAINTAINER y\n');
    expect(label.safety).toBe('suggestion');
    expect(label.reason).toMatch(/override/);
  });

  it('does not let a label in an earlier stage block the fix', () => {
    const [f] = check('FROM a\nLABEL org.opencontainers.image.authors=x\nFROM b\nMAINTAINER y\n');
    expect(f.safety).toBe('safe');
  });

  it('uses the keyword case of the MAINTAINER it replaces', () => {
    expect(run('from a\nmaintainer x\n').output).toBe('from a\nlabel org.opencontainers.image.authors="x"\n');
    expect(run('FROM a\nMaintainer x\n').output).toBe('FROM a\nLABEL org.opencontainers.image.authors="x"\n');
  });
});

describe('maintainer-to-label keeps the exact text', () => {
  const alphabet = fc.constantFrom('a', 'Z', ' ', '\t', '"', "'", '$', '\\', '`', '{', '}', '<', '>', '@', '#', '=', 'é');
  for (const esc of ['\\', '`']) {
    it(`for arbitrary values (escape ${esc})`, () => {
      fc.assert(
        fc.property(fc.array(alphabet, { minLength: 1, maxLength: 24 }), (chars) => {
          const value = chars.join('').trim();
          // A value ending in the escape character would continue the line: not a one-line MAINTAINER.
          if (value === '' || value.startsWith('--') || value.endsWith(esc)) return;
          const head = esc === '`' ? '# escape=`\n' : '';
          const res = run(`${head}FROM a\nMAINTAINER ${value}\n`);
          expect(res.internalErrors).toEqual([]);
          if (res.applied.length === 0) return; // a refusal is allowed, a wrong fix is not
          const line = res.output.split('\n').find((l) => l.startsWith('LABEL '))!;
          const word = line.slice('LABEL org.opencontainers.image.authors='.length);
          expect(decodeDoubleQuoted(word, esc)).toBe(value);
        }),
        { numRuns: 300 },
      );
    });
  }
});
