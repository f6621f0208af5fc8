/**
 * parser-directives: what fixtures cannot show — each finding's safety class,
 * message and reason, and that reports never carry edits.
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/syntax/index.js';
import { fix } from '../../src/fix/index.js';
import { parserDirectives } from '../../src/rules/parser-directives.js';

const check = (text: string) => parserDirectives.check(parse(text), { options: {} });
const run = (text: string) => fix(text, { rules: [parserDirectives], context: () => ({ options: {} }) });

describe('parser-directives', () => {
  it('declares its meta', () => {
    expect(parserDirectives.meta.id).toBe('parser-directives');
    expect(parserDirectives.meta.safety).toBe('safe');
    expect(parserDirectives.meta.docs).toContain('https://docs.docker.com/reference/dockerfile/#parser-directives');
  });

  it('normalises a directive as a safe edit with a one-line reason', () => {
    const [f] = check('#  SYNTAX = docker/dockerfile:1\n\nFROM alpine\n');
    expect(f.safety).toBe('safe');
    expect(f.message).toBe('write the parser directive as `# syntax=docker/dockerfile:1`');
    expect(f.reason).not.toContain('\n');
    expect(f.edits).toEqual([{ start: 0, end: 31, text: '# syntax=docker/dockerfile:1' }]);
  });

  it('drops a BOM as a safe edit', () => {
    const [f] = check('\ufeff# syntax=docker/dockerfile:1\n\nFROM alpine\n');
    expect(f.safety).toBe('safe');
    expect(f.edits).toEqual([{ start: 0, end: 1, text: '' }]);
  });

  it('reports a duplicate directive without an edit', () => {
    const result = run('# syntax=a\n# syntax=b\n\nFROM alpine\n');
    expect(result.output).toBe('# syntax=a\n# syntax=b\n\nFROM alpine\n');
    expect(result.reports).toHaveLength(1);
    expect(result.reports[0].safety).toBe('suggestion');
    expect(result.reports[0].edits).toBeUndefined();
    expect(result.reports[0].line).toBe(2);
    expect(result.reports[0].message).toContain('only one syntax parser directive can be used');
  });

  it('reports an invalid escape value', () => {
    const [f] = check('# escape=x\n\nFROM alpine\n');
    expect(f.safety).toBe('suggestion');
    expect(f.edits).toBeUndefined();
    expect(f.message).toContain('invalid escape directive `x`');
  });

  it('reports directive-looking comments after the block, never moving them', () => {
    const result = run('FROM alpine\n# escape=`\nRUN echo hi\n');
    expect(result.output).toBe('FROM alpine\n# escape=`\nRUN echo hi\n');
    expect(result.reports).toHaveLength(1);
    expect(result.reports[0].message).toContain('BuildKit treats it as a comment');
    expect(result.reports[0].reason).toContain('would activate it');
  });

  it('ignores unknown directive-looking comments', () => {
    expect(check('FROM alpine\n# foo=bar\n')).toEqual([]);
  });

  it('leaves directives after a shebang as written and says why', () => {
    const findings = check('#!/usr/bin/env docker\n#Syntax = x\nFROM alpine\n');
    expect(findings).toHaveLength(1);
    expect(findings[0].safety).toBe('suggestion');
    expect(findings[0].message).toContain("read by BuildKit's syntax/check detector only");
  });

  it('leaves every directive line as written when one is indented', () => {
    const findings = check('#Syntax = x\n  # escape=`\n\nFROM alpine\n');
    expect(findings.filter((f) => f.edits)).toEqual([]);
    expect(findings.map((f) => f.message)).toEqual([
      "parser directive `escape` is indented: BuildKit's parser reads it but its syntax/check detector does not; left as written",
    ]);
  });

  it('keeps the meaning of every instruction (engine verification passes)', () => {
    const result = run('\ufeff#Escape = `\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n    C:\\\n');
    expect(result.internalErrors).toEqual([]);
    expect(result.output).toBe('# escape=`\n\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n    C:\\\n');
  });
});
