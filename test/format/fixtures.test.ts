/**
 * Table-driven formatter fixtures: fixtures/format/<case>.in.Dockerfile must
 * format to <case>.out.Dockerfile byte for byte (with the Prettier options
 * in <case>.options.json, if any). Every case also checks that formatting is
 * idempotent, that meaning() is unchanged, and that formatSync() agrees.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { format, formatSync, type FormatOptions } from '../../src/format/index.js';
import { meaning } from '../../src/syntax/index.js';

const dir = path.join(import.meta.dirname, '..', '..', 'fixtures', 'format');

/** What each fixture guards: the test names. */
const behaviours: Record<string, string> = {
  'keywords-uppercase': 'upper-cases keywords, AS and HEALTHCHECK CMD, and keeps the ONBUILD trigger text as written',
  'from-as': 'upper-cases FROM … AS only when BuildKit reads a stage name (exactly three words)',
  directives: 'prints parser directives as `# key=value` with a lower-case key and a blank line after the block',
  'directive-like-comments': 'keeps directive-looking comments after the block where they are, with the blank line before them',
  'directive-after-comment': 'keeps an indented directive-looking comment as written',
  'word-spacing': 'puts one space between words and flags, never inside quotes',
  'whole-string-args': 'keeps the inner whitespace of WORKDIR, USER, MAINTAINER and legacy ENV/LABEL values',
  'exec-form': 'prints exec-form arrays as ["a", "b"], joined onto one line',
  'not-json': 'keeps text that only looks like a JSON array byte for byte',
  continuations: 'indents continuation lines one level, keeps their comments, drops empty ones, keeps quoted line breaks',
  'run-chains': 'splits multi-line or too long RUN chains one command per line with the operator leading, and wraps long commands',
  'shell-kept': 'keeps shell text it cannot prove (substitutions, compound commands, subshells, heredocs) except its indentation',
  'windows-backtick': 'formats backtick-escape files with ` continuations and keeps PowerShell text as written',
  'kept-verbatim': 'keeps prettier-ignore, unknown and invalid instructions, heredoc bodies and a continuation into EOF as written',
  'blank-lines': 'keeps at most one blank line, none at the start or end, and strips trailing blanks and comment indentation',
  'final-newline': 'ends the file with exactly one newline',
  'crlf-bom-auto': 'keeps CRLF line endings and the BOM with endOfLine "auto"',
  'crlf-bom-lf': 'turns CRLF into LF by default and keeps the BOM',
  'use-tabs': 'indents continuation lines with a tab when useTabs is set',
  'tab-width-2': 'indents continuation lines by tabWidth',
  'run-layout-keep': 'keeps the line breaks of RUN commands with dockerfileRunLayout "keep"',
  'print-width': 'splits a RUN chain that does not fit in printWidth',
  'bom-after-leading-blank': 'keeps the leading blank line before a U+FEFF that would otherwise become the BOM',
  'double-bom': 'keeps a second U+FEFF as part of the first keyword, not as a BOM',
  'directive-blank-value': 'keeps a directive line with a problem byte for byte, trailing blanks included',
  'onbuild-trigger-keyword-before-continuation': 'upper-cases an ONBUILD trigger keyword followed by a continuation and keeps the continuation',
  'slash-syntax-after-leading-blank': 'keeps the leading blank line before a directive-looking `//` line',
};

const cases = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.in.Dockerfile'))
  .map((f) => f.replace(/\.in\.Dockerfile$/, ''))
  .sort();

describe('format fixtures', () => {
  it('every fixture names the behaviour it guards', () => {
    expect(cases.filter((c) => !(c in behaviours))).toEqual([]);
    expect(Object.keys(behaviours).filter((c) => !cases.includes(c))).toEqual([]);
  });

  for (const name of cases) {
    it(behaviours[name] ?? name, async () => {
      const input = fs.readFileSync(path.join(dir, `${name}.in.Dockerfile`), 'utf8');
      const expected = fs.readFileSync(path.join(dir, `${name}.out.Dockerfile`), 'utf8');
      const optionsFile = path.join(dir, `${name}.options.json`);
      const options: FormatOptions = fs.existsSync(optionsFile) ? JSON.parse(fs.readFileSync(optionsFile, 'utf8')) : {};

      const output = await format(input, options);
      expect(output).toBe(expected);
      expect(await format(output, options)).toBe(output);
      expect(meaning(output)).toEqual(meaning(input));
      expect(formatSync(input, options)).toBe(output);
    });
  }
});
