/**
 * Properties over generated Dockerfiles built from the fragments that make
 * formatting risky: quotes, escapes, `${…}`, `$(…)`, operators, JSON-looking
 * arguments, continuations with odd indentation, comment and empty lines
 * inside continuations, heredocs, directives. For every input the formatter
 * must not throw, must keep meaning(), must be idempotent, and its output must
 * parse with no new problems.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { format, formatSync } from '../../src/format/index.js';
import { meaning, parse } from '../../src/syntax/index.js';

const blanks = fc.constantFrom(' ', '  ', '\t', ' \t ', '    ', '');
const word = fc.constantFrom(
  'apk', 'add', 'curl', '-y', '--no-cache', 'a=b', 'K=v', '/app', '.', 'x.tar.gz', '$HOME', '${A}', '${A:-x y}',
  '"q  s"', "'s  q'", '"a\\"b"', 'e\\ f', '\\$x', '$(date)', '`id`', '&&', '||', ';', '|', '>', '2>&1', '>/dev/null',
  '#', '#x', 'a#b', '[', '["a",', '"b"]', '[x]', '<<EOF', '<<-X', 'if', 'then', 'fi', '(', ')', '{', '}', '!',
  'as', 'AS', 'CMD', 'NONE', '--mount=type=cache,target=/x', '--from=build', '--chown=1:1', 'é', '\u00a0', '\\', '`',
  '"open', 'close"', "'op", "cl'", '=', 'k=', '=v', '\f', '\v',
);
const keyword = fc.constantFrom(
  'RUN', 'run', 'CMD', 'ENTRYPOINT', 'ENV', 'LABEL', 'ARG', 'COPY', 'ADD', 'FROM', 'WORKDIR', 'USER', 'EXPOSE',
  'VOLUME', 'SHELL', 'HEALTHCHECK', 'ONBUILD RUN', 'onbuild copy', 'STOPSIGNAL', 'MAINTAINER', 'FOO',
);
/** Where a continuation may break a line: blanks before the escape, optional comment/empty lines, indentation. */
const continuation = fc
  .tuple(
    fc.constantFrom('', ' ', '  '),
    fc.constantFrom('', '  '),
    fc.array(fc.constantFrom('# note', '  # indented note', '', '   '), { maxLength: 2 }),
    fc.constantFrom('', ' ', '    ', '\t'),
  )
  .map(([before, after, inner, indent]) => ({ before, after, inner, indent }));

const args = fc.array(fc.tuple(word, fc.oneof(blanks, continuation)), { minLength: 0, maxLength: 8 });

function renderInstruction(kw: string, parts: Array<[string, string | { before: string; after: string; inner: string[]; indent: string }]>, escape: string): string {
  let out = kw;
  for (const [w, sep] of parts) {
    if (typeof sep === 'string') out += sep + w;
    else out += `${sep.before}${escape}${sep.after}\n${sep.inner.map((l) => l + '\n').join('')}${sep.indent}${w}`;
  }
  return out;
}

const instruction = fc.tuple(keyword, fc.constantFrom(' ', '  ', '\t'), args);
const heredocBody = fc.constantFrom('', 'line one\n', '  indented   \n\ttab\n');
const node = fc.oneof(
  { weight: 6, arbitrary: instruction.map((i) => ({ kind: 'instruction' as const, i })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '# comment', '   # indented', '# syntax=x', '# prettier-ignore', '', '#!/bin/sh', 'SHELL ["pwsh", "-c"]',
        'SHELL ["/bin/bash", "-o", "pipefail", "-c"]', 'FROM mcr.microsoft.com/windows/servercore AS win', 'FROM alpine AS base',
      )
      .map((t) => ({ kind: 'line' as const, t })),
  },
  { weight: 1, arbitrary: heredocBody.map((b) => ({ kind: 'heredoc' as const, b })) },
);
const file = fc
  .tuple(
    fc.constantFrom('', '# escape=`\n', '#syntax=docker/dockerfile:1\n', '\n# escape=`\n', '#!/bin/sh\n# syntax=x\n', '\n\n#!x\n# check=skip=all\n'),
    fc.array(node, { minLength: 1, maxLength: 8 }),
    fc.constantFrom('', '\n', '\n\n'),
  )
  .map(([head, nodes, tail]) => {
    const escape = head.includes('escape=`') && !head.startsWith('\n') ? '`' : '\\';
    const lines = nodes.map((n) => {
      if (n.kind === 'line') return n.t;
      if (n.kind === 'heredoc') return `RUN cat <<EOF\n${n.b}EOF`;
      const [kw, gap, parts] = n.i;
      return renderInstruction(kw, parts.length > 0 ? [[parts[0][0], gap], ...parts.slice(1)] : [], escape);
    });
    return head + 'FROM alpine\n' + lines.join('\n') + tail;
  });

/**
 * A fixed seed keeps CI deterministic; fuzz harder with e.g.
 * `FC_RUNS=30000 FC_SEED=$RANDOM npx vitest run test/format/properties.test.ts`.
 */
const seed = Number(process.env.FC_SEED ?? 20260601);
const numRuns = Number(process.env.FC_RUNS ?? 1500);

/** Every comment line, top-level or inside a continuation, trimmed and sorted. */
function commentLines(text: string): string[] {
  const doc = parse(text);
  const out: string[] = [];
  for (const n of doc.nodes) {
    if (n.type === 'comment') out.push(n.text.trim());
    if (n.type === 'instruction') {
      for (const l of n.lines) if (l.kind === 'comment') out.push(text.slice(l.start, l.contentEnd).trim());
    }
  }
  return out.sort();
}

describe('format properties over generated Dockerfiles', () => {
  it('never throws, keeps meaning() and every comment, is idempotent and adds no parse problems', () => {
    // narrow widths make RUN chains split and long commands wrap
    const options = fc.record({ printWidth: fc.constantFrom(80, 30, 12), useTabs: fc.boolean() });
    fc.assert(
      fc.property(file, options, (text, opts) => {
        const out = formatSync(text, opts);
        expect(meaning(out)).toEqual(meaning(text));
        expect(commentLines(out)).toEqual(commentLines(text));
        expect(formatSync(out, opts)).toBe(out);
        expect(parse(out).problems.length).toBeLessThanOrEqual(parse(text).problems.length);
      }),
      { numRuns, seed },
    );
  });

  it('formatSync() agrees with format() through Prettier', async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.constantFrom(80, 30), async (text, printWidth) => {
        expect(await format(text, { printWidth })).toBe(formatSync(text, { printWidth }));
      }),
      { numRuns: Math.ceil(numRuns / 10), seed },
    );
  });
});
