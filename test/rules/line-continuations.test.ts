/**
 * line-continuations: safety classes, reasons and the withheld Windows-path fix.
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/syntax/index.js';
import { fix } from '../../src/fix/index.js';
import { lineContinuations } from '../../src/rules/line-continuations.js';

const check = (text: string) => lineContinuations.check(parse(text), { options: {} });
const run = (text: string, unsafe = false) => fix(text, { rules: [lineContinuations], unsafe, context: () => ({ options: {} }) });

describe('line-continuations', () => {
  it('declares its meta', () => {
    expect(lineContinuations.meta.related).toContain('NoEmptyContinuation');
    expect(lineContinuations.meta.safety).toBe('safe');
    expect(lineContinuations.meta.docs).toContain('https://docs.docker.com/reference/dockerfile/#escape');
  });

  it('removes empty continuation lines as one safe finding per instruction', () => {
    const findings = check('FROM debian\nRUN a \\\n\n\n    b\n');
    expect(findings).toHaveLength(1);
    expect(findings[0].safety).toBe('safe');
    expect(findings[0].message).toBe('remove 2 empty continuation lines in RUN');
    expect(findings[0].reason).toContain('BuildKit drops empty lines');
  });

  it('withholds the backslash-path fix unless unsafe fixes are asked for', () => {
    const text = '# escape=`\n\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\app\n';
    const held = run(text);
    expect(held.output).toBe(text);
    expect(held.withheld).toHaveLength(1);
    expect(held.withheld[0].safety).toBe('unsafe');
    expect(held.withheld[0].reason).toContain('BuildKit receives a different path string');
    const applied = run(text, true);
    expect(applied.internalErrors).toEqual([]);
    expect(applied.output).toBe('# escape=`\n\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:/app\n');
  });

  it('does not offer forward slashes in a file that uses the default escape', () => {
    expect(check('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\\\app\n')).toEqual([]);
  });

  it('does not touch RUN text or URLs in a backtick-escape file', () => {
    const findings = check('# escape=`\n\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN copy a\\b c\\d\nADD https://example.com/a\\b C:\\x\\\n');
    expect(findings).toHaveLength(1);
    const edits = findings[0].edits ?? [];
    expect(edits).toHaveLength(2); // only the two backslashes of the destination
  });
});
