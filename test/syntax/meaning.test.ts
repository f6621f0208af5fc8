/**
 * What meaning() calls equal and different. Equal summaries must mean BuildKit
 * builds the same image; every "different" case below is a real difference in
 * what BuildKit does (or stores in the image config).
 */
import { describe, expect, it } from 'vitest';
import { instructionMeanings, meaning, parse } from '../../src/syntax/index.js';

const same = (a: string, b: string): void => expect(meaning(a)).toEqual(meaning(b));
const differ = (a: string, b: string): void => expect(meaning(a)).not.toEqual(meaning(b));

describe('shell-form text', () => {
  it('treats runs of unquoted whitespace in RUN as equal', () => {
    same('FROM a\nRUN echo   a\tb\n', 'FROM a\nRUN echo a b\n');
    same('FROM a\nRUN a && \\\n      b\n', 'FROM a\nRUN a && \\\n  b\n');
  });

  it('keeps whitespace inside quotes exact', () => {
    differ('FROM a\nRUN echo "a  b"\n', 'FROM a\nRUN echo "a b"\n');
    differ("FROM a\nRUN echo 'a  b'\n", "FROM a\nRUN echo 'a b'\n");
  });

  it('keeps an escaped space (`\\ `) as part of its word', () => {
    differ('FROM a\nRUN echo a\\  b\n', 'FROM a\nRUN echo a\\ b\n');
    differ('FROM a\nRUN echo a\\ b\n', 'FROM a\nRUN echo a b\n');
  });

  it('keeps whitespace exact under cmd.exe (Windows base image or backtick escape), where `echo a  b` prints both spaces', () => {
    differ('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo a  b\n', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo a b\n');
    differ('# escape=`\nFROM x\nRUN echo a  b\n', '# escape=`\nFROM x\nRUN echo a b\n');
    // a POSIX SHELL brings collapsing back; PowerShell does not
    same('# escape=`\nFROM x\nSHELL ["/bin/bash", "-c"]\nRUN echo a  b\n', '# escape=`\nFROM x\nSHELL ["/bin/bash", "-c"]\nRUN echo a b\n');
    differ('FROM x\nSHELL ["pwsh", "-c"]\nRUN echo a  b\n', 'FROM x\nSHELL ["pwsh", "-c"]\nRUN echo a b\n');
  });

  it('tells JSON (exec) form from shell form', () => {
    differ('FROM a\nCMD ["echo", "hi"]\n', 'FROM a\nCMD echo hi\n');
    same('FROM a\nCMD ["echo","hi"]\n', 'FROM a\nCMD [ "echo", "hi" ]\n');
  });
});

describe('ENV, LABEL and ARG', () => {
  it('treats legacy `ENV A x` and `ENV A=x` as equal', () => {
    same('FROM a\nENV A x\n', 'FROM a\nENV A=x\n');
    same('FROM a\nLABEL k "v w"\n', 'FROM a\nLABEL k="v w"\n');
  });

  it('tells an escaped `\\$HOME` (literal) from `$HOME` (expanded)', () => {
    differ('FROM a\nENV A=\\$HOME\n', 'FROM a\nENV A=$HOME\n');
    same("FROM a\nENV A='$HOME'\n", 'FROM a\nENV A=\\$HOME\n');
  });

  it('keeps the indentation of a legacy ENV value continued over lines', () => {
    differ('FROM a\nENV A x \\\n    y\n', 'FROM a\nENV A x \\\n  y\n');
  });

  it('tells `ARG a b` (two ARGs) from `ARG a=b`', () => {
    differ('FROM a\nARG a b\n', 'FROM a\nARG a=b\n');
    same('FROM a\nARG a="b"\n', 'FROM a\nARG a=b\n');
  });
});

describe('other instructions', () => {
  it('keeps WORKDIR inner whitespace', () => {
    differ('FROM a\nWORKDIR /a  b\n', 'FROM a\nWORKDIR /a b\n');
  });

  it('keeps the whitespace BuildKit keeps after a bare `--` that ends the flags (`MAINTAINER --  x` is "  x")', () => {
    differ('FROM a\nMAINTAINER --  x\n', 'FROM a\nMAINTAINER -- x\n');
    differ('FROM a\nRUN --network=host --\techo\n', 'FROM a\nRUN --network=host -- echo\n');
    same('FROM a\nMAINTAINER --  x\n', 'FROM a\nmaintainer --  x\n');
    // not a terminator: a flag's value ending in `--`, and `--` inside the arguments
    same('FROM a\nRUN --mount=x--  echo\n', 'FROM a\nRUN --mount=x-- echo\n');
    same('FROM a\nRUN echo --  x\n', 'FROM a\nRUN echo -- x\n');
  });

  it('keeps heredoc bodies byte-exact', () => {
    differ('FROM a\nRUN <<EOF\n  echo hi\nEOF\n', 'FROM a\nRUN <<EOF\necho hi\nEOF\n');
    differ('FROM a\nCOPY <<EOF /x\n$a\nEOF\n', "FROM a\nCOPY <<'EOF' /x\n$a\nEOF\n");
  });

  it('ignores keyword case', () => {
    same('from a\nrun echo hi\ncopy x y\n', 'FROM a\nRUN echo hi\nCOPY x y\n');
  });

  it('treats `FROM x as Y` and `FROM x AS y` as equal (BuildKit lower-cases stage names)', () => {
    same('FROM x as Y\nRUN a\n', 'FROM x AS y\nRUN a\n');
    expect(meaning('FROM x as Builder\n').stages[0].name).toBe('builder');
  });

  it('ignores the order of EXPOSE ports (BuildKit sorts them)', () => {
    same('FROM a\nEXPOSE 80 443\n', 'FROM a\nEXPOSE 443 80\n');
  });

  it('keeps the ONBUILD trigger text exactly, as it is stored in the image, but for the trigger keyword case', () => {
    differ('FROM a\nONBUILD RUN a  b\n', 'FROM a\nONBUILD RUN a b\n');
    differ('FROM a\nONBUILD run X\n', 'FROM a\nONBUILD run x\n');
    same('FROM a\nONBUILD run x\n', 'FROM a\nONBUILD RUN x\n');
    same('FROM a\nonbuild RUN x\n', 'FROM a\nONBUILD RUN x\n');
  });
});

describe('layout that does not matter', () => {
  it('ignores comments and blank lines between instructions', () => {
    same('# top\n\nFROM a\n# why\nRUN x\n\n\n', 'FROM a\nRUN x\n');
  });

  it('ignores a blank or comment line inside a continuation', () => {
    same('FROM a\nRUN a \\\n\n  b\n', 'FROM a\nRUN a \\\n  b\n');
    same('FROM a\nRUN a \\\n  # note\n  b\n', 'FROM a\nRUN a \\\n  b\n');
  });

  it('ignores a BOM and CRLF line endings', () => {
    same('\ufeffFROM a\r\nRUN a \\\r\n  b\r\n', 'FROM a\nRUN a \\\n  b\n');
  });
});

describe('directives', () => {
  it('tells a directive-looking comment after the block from an activated directive', () => {
    differ('FROM a\n# syntax=docker/dockerfile:1\n', '# syntax=docker/dockerfile:1\nFROM a\n');
    differ('FROM a\n# escape=`\nRUN a `\n', '# escape=`\nFROM a\nRUN a `\n');
  });

  it('reads the syntax directive as frontend selection does (after a #! line)', () => {
    same('#!/usr/bin/env x\n# syntax=docker/dockerfile:1\nFROM a\n', '# syntax=docker/dockerfile:1\nFROM a\n');
    expect(meaning('  # syntax=docker/dockerfile:1\nFROM a\n').directives).toEqual({});
  });

  it('normalises the directive key and spacing', () => {
    same('#SYNTAX = docker/dockerfile:1\nFROM a\n', '# syntax=docker/dockerfile:1\nFROM a\n');
  });
});

describe('problems and determinism', () => {
  it('includes what BuildKit rejects', () => {
    expect(meaning('FROM a\nRUN <<EOF\nx\n').problems).toEqual(['unterminated heredoc "EOF"']);
  });

  it('is deterministic and accepts a parsed Document', () => {
    const text = 'FROM a AS b\nENV X=1\nRUN <<EOF\nx\nEOF\n';
    expect(JSON.stringify(meaning(text))).toBe(JSON.stringify(meaning(parse(text))));
    expect(instructionMeanings(parse(text)).map((m) => m.key)).toEqual(instructionMeanings(parse(text)).map((m) => m.key));
  });
});
