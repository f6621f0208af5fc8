/**
 * BuildKit's parsing rules, one by one, on hand-written Dockerfiles
 * (moby/buildkit frontend/dockerfile/parser: parser.go, directives.go,
 * line_parsers.go, split_command.go; instructions/parse.go for the checks).
 */
import { describe, expect, it } from 'vitest';
import {
  type Comment, type Directive, type Document, type Instruction, detectDirective, extractBuilderFlags, parse, parseWords,
  splitWhitespace, unquoteWord,
} from '../../src/syntax/index.js';

const insts = (doc: Document): Instruction[] => doc.instructions;
const messages = (doc: Document): string[] => doc.problems.map((p) => p.message);
const only = (text: string, keyword: string): Instruction => {
  const found = parse(text).instructions.filter((i) => i.keyword === keyword);
  expect(found).toHaveLength(1);
  return found[0];
};
/** The file offsets the logical text maps to, as a string of the mapped characters. */
const mappedChars = (doc: Document, inst: Instruction): string =>
  Array.from(inst.logical.text, (_, k) => doc.text[inst.logical.map[k]]).join('');

describe('parser directives', () => {
  it('reads a directive after a UTF-8 BOM on line 1', () => {
    const doc = parse('\ufeff# escape=`\nFROM a\nRUN x `\n  y\n');
    expect(doc.bom).toBe(true);
    expect(doc.escape).toBe('`');
    expect(doc.directives.map((d) => [d.name, d.value, d.start])).toEqual([['escape', '`', 1]]);
    expect(only(doc.text, 'RUN').args).toBe('x   y');
  });

  it('lower-cases the key, keeps the value, allows spaces around `=`', () => {
    const doc = parse('#  ESCAPE =  ` \nFROM a\n');
    expect(doc.directives[0]).toMatchObject({ name: 'escape', rawName: 'ESCAPE', value: '`' });
    expect(doc.escape).toBe('`');
  });

  it('reads syntax, escape and check directives as one block', () => {
    const doc = parse('# syntax=docker/dockerfile:1\n# check=skip=all\n# escape=`\nFROM a\n');
    expect(doc.directives.map((d) => [d.name, d.value])).toEqual([
      ['syntax', 'docker/dockerfile:1'], ['check', 'skip=all'], ['escape', '`'],
    ]);
    expect(doc.nodes.every((n) => n.type !== 'comment')).toBe(true);
  });

  const endsBlock: Array<[string, string]> = [
    ['a blank line', '# syntax=x\n\n# escape=`\nFROM a\n'],
    ['a bare `#`', '# syntax=x\n#\n# escape=`\nFROM a\n'],
    ['an ordinary comment', '# syntax=x\n# hello\n# escape=`\nFROM a\n'],
    ['an unknown directive', '# syntax=x\n# foo=bar\n# escape=`\nFROM a\n'],
  ];
  for (const [what, text] of endsBlock) {
    it(`ends the directive block at ${what}`, () => {
      const doc = parse(text);
      expect(doc.directives.map((d) => d.name)).toEqual(['syntax']);
      expect(doc.escape).toBe('\\');
      const comments = doc.nodes.filter((n): n is Comment => n.type === 'comment').map((c) => c.text);
      expect(comments).toContain('# escape=`');
    });
  }

  it('ends the directive block at the first instruction: a directive-looking comment after it is a comment', () => {
    const doc = parse('FROM a\n# escape=`\nRUN x `\n');
    expect(doc.directives).toEqual([]);
    expect(doc.escape).toBe('\\');
    expect(doc.nodes[1]).toMatchObject({ type: 'comment', text: '# escape=`', line: 1 });
    // the backtick does not continue the line
    expect(insts(doc).map((i) => i.logical.text)).toEqual(['FROM a', 'RUN x `']);
  });

  it('trims leading whitespace before a directive (the main parser does)', () => {
    const doc = parse('   # escape=`\nFROM a\n');
    expect(doc.escape).toBe('`');
    expect(doc.directives[0].start).toBe(3);
  });

  it('reports a repeated directive as a problem, keeping the first value', () => {
    const doc = parse('# escape=`\n# Escape=\\\nFROM a\n');
    expect(messages(doc)).toEqual(['only one escape parser directive can be used']);
    expect(doc.problems[0]).toMatchObject({ line: 1, column: 0 });
    expect(doc.escape).toBe('`');
  });

  it('reports an escape value other than \\ or ` as a problem', () => {
    const doc = parse('# escape=x\nFROM a\n');
    expect(messages(doc)).toEqual(["invalid escape token 'x' does not match ` or \\"]);
    expect(doc.escape).toBe('\\');
  });
});

describe('continuation lines', () => {
  it('continues with a backtick after `# escape=`` and treats `\\` as a plain character', () => {
    const doc = parse('# escape=`\nFROM a\nRUN dir c:\\ `\n  && echo hi\n');
    const run = only(doc.text, 'RUN');
    expect(run.logical.text).toBe('RUN dir c:\\   && echo hi');
    expect(run.lines.map((l) => [l.kind, l.escapeAt >= 0])).toEqual([['code', true], ['code', false]]);
    expect(doc.text[run.lines[0].escapeAt]).toBe('`');
  });

  it('continues when the escape is followed by trailing spaces and tabs', () => {
    const run = only('FROM a\nRUN a \\ \t \n  b\n', 'RUN');
    expect(run.logical.text).toBe('RUN a   b');
  });

  it('does not continue when the escape character is itself escaped (`\\\\` at the end)', () => {
    const doc = parse('FROM a\nENV C trailing\\\\\nENV D next\n');
    expect(insts(doc).map((i) => i.logical.text)).toEqual(['FROM a', 'ENV C trailing\\\\', 'ENV D next']);
  });

  it('continues on a line holding only the escape character', () => {
    const run = only('FROM a\nRUN a\\\n\\\n b\n', 'RUN');
    expect(run.logical.text).toBe('RUN a b');
  });

  it('drops comment and empty lines inside a continuation but records them', () => {
    const text = 'FROM a\nRUN a \\\n  # note \\\n\n \t\n  b\n';
    const doc = parse(text);
    const run = only(text, 'RUN');
    expect(run.logical.text).toBe('RUN a   b');
    expect(run.lines.map((l) => [l.kind, l.line])).toEqual([['code', 1], ['comment', 2], ['empty', 3], ['empty', 4], ['code', 5]]);
    expect(doc.nodes.filter((n) => n.type === 'comment')).toEqual([]);
    expect(run.startLine).toBe(1);
    expect(run.endLine).toBe(5);
  });

  it('keeps the leading whitespace of continuation lines (not of the first line)', () => {
    const run = only('FROM a\n   RUN echo \\\n\t  hello\n', 'RUN');
    expect(run.logical.text).toBe('RUN echo \t  hello');
  });

  it('ends a continuation that runs into the end of the file', () => {
    const doc = parse('FROM a\nRUN a \\\n# trailing comment\n');
    const run = insts(doc)[1];
    expect(run.logical.text).toBe('RUN a ');
    expect(run.args).toBe('a');
    expect(run.lines.map((l) => l.kind)).toEqual(['code', 'comment']);
    expect(doc.problems).toEqual([]);
  });
});

describe('heredocs', () => {
  it('reads a <<EOF body up to the terminator line', () => {
    const text = 'FROM a\nRUN <<EOF\necho $HOME\n  EOF\nEOF\nUSER me\n';
    const doc = parse(text);
    const run = insts(doc)[1];
    expect(run.heredocs).toHaveLength(1);
    expect(run.heredocs[0]).toMatchObject({ name: 'EOF', chomp: false, quoted: false, body: 'echo $HOME\n  EOF\n' });
    expect(text.slice(run.heredocs[0].terminatorStart, run.heredocs[0].terminatorEnd)).toBe('EOF');
    expect(run.endLine).toBe(4);
    expect(run.end).toBe(text.indexOf('EOF\nUSER') + 3);
    expect(insts(doc).map((i) => i.keyword)).toEqual(['FROM', 'RUN', 'USER']);
  });

  it('matches a <<-EOF terminator after leading tabs, and keeps the body raw', () => {
    const run = only('FROM a\nRUN <<-EOF\n\techo hi\n\t\tEOF\n', 'RUN');
    expect(run.heredocs[0]).toMatchObject({ name: 'EOF', chomp: true, body: '\techo hi\n' });
    // without `-`, a tab-indented terminator is body
    const plain = only('FROM a\nRUN <<EOF\n\tEOF\nEOF\n', 'RUN');
    expect(plain.heredocs[0].body).toBe('\tEOF\n');
  });

  it("marks <<'EOF' and <<\"EOF\" as quoted (no expansion), <<\\EOF not (BuildKit's Expand)", () => {
    const single = only("FROM a\nCOPY <<'EOF' /x\n$a\nEOF\n", 'COPY');
    const double = only('FROM a\nCOPY <<"EOF" /x\n$a\nEOF\n', 'COPY');
    const partly = only("FROM a\nCOPY <<E'O'F /x\n$a\nEOF\n", 'COPY');
    const escaped = only('FROM a\nCOPY <<\\EOF /x\n$a\nEOF\n', 'COPY');
    expect([single, double, partly, escaped].map((i) => [i.heredocs[0].name, i.heredocs[0].quoted])).toEqual([
      ['EOF', true], ['EOF', true], ['EOF', true], ['EOF', false],
    ]);
  });

  it('reads two heredocs on one line in order', () => {
    const text = 'FROM a\nCOPY <<A <<B /dst/\na1\nA\nb1\nb2\nB\nRUN x\n';
    const doc = parse(text);
    const copy = insts(doc)[1];
    expect(copy.heredocs.map((h) => [h.name, h.body])).toEqual([['A', 'a1\n'], ['B', 'b1\nb2\n']]);
    expect(copy.heredocs.map((h) => text.slice(h.markerStart, h.markerStart + 3))).toEqual(['<<A', '<<B']);
    expect(insts(doc)[2].keyword).toBe('RUN');
  });

  it('reads a heredoc of an ONBUILD RUN trigger', () => {
    const doc = parse('FROM a\nONBUILD RUN <<EOF\necho hi\nEOF\nUSER me\n');
    const onbuild = insts(doc)[1];
    expect(onbuild.trigger?.keyword).toBe('RUN');
    expect(onbuild.heredocs.map((h) => h.body)).toEqual(['echo hi\n']);
    expect(onbuild.trigger?.heredocs).toEqual(onbuild.heredocs);
    expect(insts(doc)[2].keyword).toBe('USER');
  });

  it('finds no heredoc in a JSON-form RUN', () => {
    const doc = parse('FROM a\nRUN ["cat", "<<EOF"]\nEOF\n');
    expect(insts(doc)[1].heredocs).toEqual([]);
    expect(insts(doc)[2].keyword).toBe('EOF');
  });

  it('does not take `cat<<EOF` as a heredoc (the word must start with <<)', () => {
    const doc = parse('FROM a\nRUN cat<<EOF\nEOF\n');
    expect(insts(doc)[1].heredocs).toEqual([]);
    expect(messages(doc)).toEqual(['unknown instruction: EOF']);
  });

  it('takes a file descriptor prefix, and finds no heredoc on a line BuildKit cannot lex', () => {
    expect(only('FROM a\nRUN cat 3<<EOF\nx\nEOF\n', 'RUN').heredocs.map((h) => h.name)).toEqual(['EOF']);
    const doc = parse('FROM a\nRUN cat <<EOF "unterminated\nEOF\n');
    expect(insts(doc)[1].heredocs).toEqual([]);
  });

  it('reports an unterminated heredoc, whose body swallows the rest of the file', () => {
    const text = 'FROM a\nRUN <<EOF\necho hi\nUSER me\n';
    const doc = parse(text);
    expect(insts(doc).map((i) => i.keyword)).toEqual(['FROM', 'RUN']);
    const run = insts(doc)[1];
    expect(run.heredocs[0]).toMatchObject({ body: 'echo hi\nUSER me\n', terminatorStart: -1 });
    expect(run.error).toBe('unterminated heredoc EOF');
    expect(doc.problems).toEqual([{ message: 'unterminated heredoc "EOF"', line: 1, column: 4 }]);
    expect(run.endLine).toBe(3);
  });
});

describe('line endings', () => {
  it('reads CRLF files: `\\r` is not part of the logical text, heredoc bodies stay byte-exact', () => {
    const text = 'FROM a\r\nRUN a \\\r\n  b\r\nRUN <<EOF\r\nx\r\nEOF\r\n';
    const doc = parse(text);
    expect(doc.eol).toBe('\r\n');
    expect(insts(doc).map((i) => i.logical.text)).toEqual(['FROM a', 'RUN a   b', 'RUN <<EOF']);
    expect(insts(doc)[2].heredocs[0].body).toBe('x\r\n');
    expect(doc.lines[0]).toEqual({ start: 0, contentEnd: 6, end: 8, eol: '\r\n' });
  });

  it('treats a lone `\\r` as an ordinary (whitespace) character, not a line break', () => {
    const doc = parse('FROM a\rRUN b\n');
    expect(insts(doc)).toHaveLength(1);
    expect(insts(doc)[0].args).toBe('a\rRUN b');
    expect(messages(doc)).toEqual(['FROM requires either one or three arguments']);
  });

  it('drops every trailing `\\r` of a line, so `\\` then `\\r\\r\\n` still continues', () => {
    const run = only('FROM a\nRUN a \\\r\r\n b\n', 'RUN');
    expect(run.logical.text).toBe('RUN a  b');
  });
});

describe('keyword, flags and arguments', () => {
  it('unquotes flags, stops at `--`, and keeps what follows as arguments', () => {
    const text = 'FROM a\nCOPY --chown="app user" --link \'--from\'=b -- --not-a-flag dst\n';
    const doc = parse(text);
    const copy = insts(doc)[1];
    expect(copy.flags.map((f) => [f.name, f.value, f.raw])).toEqual([
      ['chown', 'app user', '--chown="app user"'], ['link', null, '--link'],
    ]);
    expect(copy.args).toBe("'--from'=b -- --not-a-flag dst");
    expect(copy.flags.map((f) => text.slice(f.start, f.end))).toEqual(['--chown="app user"', '--link']);
  });

  it('ends the flags at a lone `--` and starts the arguments after it', () => {
    const copy = only('FROM a\nCOPY --from=b -- --x dst\n', 'COPY');
    expect(copy.flags.map((f) => f.name)).toEqual(['from']);
    expect(copy.args).toBe('--x dst');
  });

  it('reads flags byte by byte like BuildKit: non-ASCII text comes out Latin-1-decoded', () => {
    const copy = only('FROM a\nCOPY --chown=jos\u00e9 src dst\n', 'COPY');
    expect(copy.flags[0].value).toBe('jos\u00c3\u00a9');
    expect(copy.args).toBe('src dst');
  });

  it('keeps the keyword as written and upper-cases it for comparison', () => {
    const doc = parse('from a\nRun x\n');
    expect(insts(doc).map((i) => [i.rawKeyword, i.keyword, i.known])).toEqual([['from', 'FROM', true], ['Run', 'RUN', true]]);
  });

  it('splits the keyword only at ASCII whitespace (a no-break space is part of it)', () => {
    const doc = parse('FROM a\nRUN\u00a0echo\n');
    expect(insts(doc)[1]).toMatchObject({ rawKeyword: 'RUN\u00a0echo', known: false });
  });

  it('reports an unknown instruction', () => {
    const doc = parse('FROM a\nFOO bar\n');
    expect(insts(doc)[1]).toMatchObject({ keyword: 'FOO', known: false, args: 'bar' });
    expect(doc.problems).toEqual([{ message: 'unknown instruction: FOO', line: 1, column: 0 }]);
  });
});

describe('JSON arrays', () => {
  it('reads a JSON array of strings as exec form', () => {
    const cmd = only('FROM a\nCMD [ "a", "b c" ]\n', 'CMD');
    expect(cmd.json).toEqual(['a', 'b c']);
    expect(cmd.jsonLike).toBe(false);
  });

  it('reports a JSON array with a non-string element as a problem', () => {
    const doc = parse('FROM a\nENTRYPOINT ["a", 1]\n');
    expect(insts(doc)[1]).toMatchObject({ json: null, jsonLike: true });
    expect(messages(doc)).toEqual(['when using JSON array syntax, arrays must be comprised of strings only']);
  });

  it('falls back to shell form for invalid JSON, single quotes, or text after the array', () => {
    for (const args of ["['a']", '["a"', '["a"] b']) {
      const doc = parse(`FROM a\nCMD ${args}\n`);
      expect(insts(doc)[1]).toMatchObject({ json: null, jsonLike: true, args });
      expect(doc.problems).toEqual([]);
    }
  });

  it('reads the JSON array after HEALTHCHECK CMD', () => {
    const hc = only('FROM a\nHEALTHCHECK --interval=5s CMD ["curl", "-f", "http://x/"]\n', 'HEALTHCHECK');
    expect(hc.json).toEqual(['curl', '-f', 'http://x/']);
    expect(hc.flags.map((f) => [f.name, f.value])).toEqual([['interval', '5s']]);
    expect(hc.args).toBe('CMD ["curl", "-f", "http://x/"]');
  });
});

describe('ONBUILD', () => {
  it('parses the trigger as an instruction of its own, with offsets into the file', () => {
    const text = 'FROM a\nONBUILD COPY --chown=u . /app\n';
    const onbuild = only(text, 'ONBUILD');
    const trigger = onbuild.trigger as Instruction;
    expect(trigger).toMatchObject({ keyword: 'COPY', args: '. /app' });
    expect(text.slice(trigger.start, trigger.start + 4)).toBe('COPY');
    expect(text.slice(trigger.flags[0].start, trigger.flags[0].end)).toBe('--chown=u');
  });

  it('refuses ONBUILD ONBUILD, FROM and MAINTAINER triggers', () => {
    expect(messages(parse('FROM a\nONBUILD ONBUILD RUN x\n'))).toEqual(['Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed']);
    expect(messages(parse('FROM a\nONBUILD FROM b\n'))).toEqual(["FROM isn't allowed as an ONBUILD trigger"]);
  });
});

describe('parse errors of ENV and LABEL, and BuildKit instruction checks', () => {
  it('reports ENV without a value and a name=value list with a bare word', () => {
    expect(messages(parse('FROM a\nENV PATH\n'))).toEqual(['ENV must have two arguments']);
    expect(messages(parse('FROM a\nLABEL a=b c\n'))).toEqual([`Syntax error - can't find = in "c". Must be of the form: name=value`]);
  });

  it('reports a file with no instructions', () => {
    expect(messages(parse(''))).toEqual(['file with no instructions']);
    expect(messages(parse('# just a comment\n\n'))).toEqual(['file with no instructions']);
  });

  it('reports instructions before the first FROM (other than ARG)', () => {
    const doc = parse('ARG v=1\nRUN x\nFROM a\n');
    expect(doc.problems).toEqual([{ message: 'no build stage in current context', line: 1, column: 0 }]);
  });

  it('reports flags on instructions that take none, and bad FROM forms', () => {
    expect(messages(parse('FROM a\nCMD --x=1 run\n'))).toEqual(['unknown flag: --x']);
    expect(messages(parse('FROM a b\n'))).toEqual(['FROM requires either one or three arguments']);
    expect(messages(parse('FROM a AS 1x\n'))).toEqual([
      'invalid name for build stage: "1x", name can\'t start with a number or contain symbols',
    ]);
    expect(messages(parse('FROM --platform=linux/amd64 a AS B\nCOPY --from=b --parents x y\n'))).toEqual([]);
  });
});

describe('offsets', () => {
  it('gives start, end, lineStart and a logical map for a single-line instruction', () => {
    const text = 'FROM a\n  COPY --from=b x y  \n';
    const doc = parse(text);
    const copy = insts(doc)[1];
    expect(copy.lineStart).toBe(7);
    expect(copy.start).toBe(9);
    expect(copy.end).toBe(text.indexOf('\n', 7));
    expect(copy.flags[0]).toMatchObject({ start: 14, end: 22 });
    expect(text.slice(copy.logical.map[copy.argsIndex], copy.end)).toBe('x y  ');
    expect(mappedChars(doc, copy)).toBe(copy.logical.text);
    expect(copy.logical.map[copy.logical.text.length]).toBe(copy.end);
  });

  it('maps each logical character of a continued instruction back to its file offset', () => {
    const text = 'FROM a\nRUN a \\\n  # c\n   b\n';
    const doc = parse(text);
    const run = insts(doc)[1];
    expect(run.logical.text).toBe('RUN a    b');
    expect(mappedChars(doc, run)).toBe(run.logical.text);
    expect(Array.from(run.logical.map)).toEqual([7, 8, 9, 10, 11, 12, 21, 22, 23, 24, 25]);
    expect(run.lines.map((l) => [l.start, l.contentEnd, l.escapeAt])).toEqual([[7, 14, 13], [15, 20, -1], [21, 25, -1]]);
    expect(run.end).toBe(25);
  });

  it('places directives and comments', () => {
    const doc = parse('# syntax=x\n  # note\nFROM a\n');
    expect(doc.nodes[0]).toMatchObject<Partial<Directive>>({ type: 'directive', line: 0, start: 0, end: 10 });
    expect(doc.nodes[1]).toMatchObject<Partial<Comment>>({ type: 'comment', line: 1, lineStart: 11, start: 13, end: 19 });
  });
});

describe('detectDirective (frontend selection)', () => {
  it('skips a #! line, which the main parser does not', () => {
    const text = '#!/usr/bin/env buildctl\n# syntax=docker/dockerfile:1\nFROM a\n';
    expect(detectDirective(text, 'syntax')).toBe('docker/dockerfile:1');
    expect(parse(text).directives).toEqual([]);
  });

  it('does not trim leading whitespace, which the main parser does', () => {
    const text = '  # syntax=docker/dockerfile:1\nFROM a\n';
    expect(detectDirective(text, 'syntax')).toBeNull();
    expect(parse(text).directives.map((d) => d.name)).toEqual(['syntax']);
  });

  it('accepts `// syntax=` for the syntax key only', () => {
    expect(detectDirective('// syntax=x\n', 'syntax')).toBe('x');
    expect(detectDirective('// check=skip=all\n', 'check')).toBeNull();
  });
});

describe('word rules (Go has three kinds of whitespace)', () => {
  const values = (ws: Array<{ value: string }>): string[] => ws.map((w) => w.value);

  it('parseWords splits at unicode.IsSpace, keeping quotes and escapes', () => {
    expect(values(parseWords('a\u00a0b "c d"\\ e \'f\\\' g\'', '\\'))).toEqual(['a', 'b', '"c d"\\ e', "'f\\'", "g'"]);
    expect(values(parseWords('a\ufeffb', '\\'))).toEqual(['a\ufeffb']); // U+FEFF is not Go whitespace
  });

  it('splitWhitespace splits only at [\\t\\v\\f\\r ] (FROM, EXPOSE, COPY words)', () => {
    expect(values(splitWhitespace('a\u00a0b \tc\vd'))).toEqual(['a\u00a0b', 'c', 'd']);
  });

  it('ENV legacy form needs `[\\t\\v\\f\\r ]` between key and value', () => {
    expect(messages(parse('FROM a\nENV A\u00a0b\n'))).toEqual(['ENV must have two arguments']);
  });

  it('extractBuilderFlags returns where the arguments start', () => {
    expect(extractBuilderFlags('--a=1 --b "--c" x')).toEqual({
      flags: [{ value: '--a=1', start: 0, end: 5 }, { value: '--b', start: 6, end: 9 }],
      restIndex: 10,
    });
    expect(extractBuilderFlags('--a=1 -- --b')).toMatchObject({ restIndex: 8 });
  });

  it('unquoteWord writes literal `$` and `\\` canonically and keeps variables', () => {
    expect(unquoteWord('"a $b"\\$c\'$d\'', '\\')).toBe('a $b\\$c\\$d');
    expect(unquoteWord('"unterminated', '\\')).toBeNull();
  });
});
