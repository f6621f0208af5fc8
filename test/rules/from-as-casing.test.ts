/** from-as-casing: meta, both directions, and what BuildKit leaves alone. */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/syntax/index.js';
import { fix } from '../../src/fix/index.js';
import { fromAsCasing } from '../../src/rules/from-as-casing.js';

const check = (text: string) => fromAsCasing.check(parse(text), { options: {} });
const run = (text: string) => fix(text, { rules: [fromAsCasing], context: () => ({ options: {} }) }).output;

describe('from-as-casing', () => {
  it('has full meta', () => {
    expect(fromAsCasing.meta.id).toBe('from-as-casing');
    expect(fromAsCasing.meta.safety).toBe('safe');
    expect(fromAsCasing.meta.related).toEqual(['FromAsCasing']);
    expect(fromAsCasing.meta.docs).toContain('https://docs.docker.com/reference/dockerfile/#from');
  });

  it('matches AS to the FROM keyword in both directions', () => {
    expect(run('FROM a as b\n')).toBe('FROM a AS b\n');
    expect(run('FROM a aS b\n')).toBe('FROM a AS b\n');
    expect(run('from a AS b\n')).toBe('from a as b\n');
    expect(run('from a As b\n')).toBe('from a as b\n');
  });

  it('explains itself in one line', () => {
    const [f] = check('FROM a as b\n');
    expect(f.safety).toBe('safe');
    expect(f.message).toBe('"as" should be written "AS" to match the FROM keyword');
    expect(f.reason).toBe('BuildKit matches AS case-insensitively, so only the spelling changes');
  });

  it('leaves mixed-case FROM, matching case and non-stage FROMs alone', () => {
    expect(check('From a as b\nFROM a AS b\nfrom a as b\nFROM a\nFROM a as\nFROM a as b c\n')).toEqual([]);
  });
});
