/**
 * fast-check arbitraries for fuzzing dockerfix: Dockerfiles that look valid,
 * Dockerfiles that are broken in the ways real files are broken, and random
 * byte-level mutations of both and of the shared corpus.
 *
 * How text is built: every generator produces strings in which
 * - `\n` stands for "a line break here" (the file's line-ending policy turns
 *   it into LF, CRLF, a mix, or a doubled `\r` at render time), and
 * - ESC (U+E000, a private-use character nothing else generates) stands for
 *   "the file's escape character" (`\` or `` ` ``, chosen per file with its
 *   `# escape=` directive).
 * So one structure renders consistently for both escape characters and every
 * line ending, and fast-check still shrinks the structure, not the text.
 *
 * Corpus files are read at test time from ../shared/corpus/files and never
 * copied into the project: a corpus-derived case carries the file's name and
 * the mutations applied (a recipe), so a failure can be reported without
 * writing third-party text anywhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';

/** Placeholder for the file's escape character (see the header). */
export const ESC = '\uE000';

/** Where a case came from. */
export type Origin = 'generated' | 'mutated' | 'corpus';

/** One edit of a text: `at` is a position in ten-thousandths of the text (or of its lines). */
export interface Mutation {
  op: 'insert' | 'delete' | 'replace' | 'duplicate';
  unit: 'char' | 'line';
  at: number;
  /** inserted or replacing text (insert/replace), or how many units to delete/duplicate (1–3, as a string) */
  text: string;
}

export interface FuzzCase {
  text: string;
  origin: Origin;
  /** corpus cases: the corpus file name (never its content) */
  corpusFile?: string;
  /** mutated and corpus cases: the mutations applied, in order */
  mutations?: Mutation[];
}

/** A corpus file: name and content, read at test time. */
export interface CorpusFile {
  name: string;
  text: string;
}

// ---------------------------------------------------------------------------
// small helpers

const pick = <T>(...values: T[]): fc.Arbitrary<T> => fc.constantFrom(...values);

/** `weight` copies of an arbitrary for fc.oneof. */
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>): { weight: number; arbitrary: fc.Arbitrary<T> } => ({ weight, arbitrary });

/**
 * A line continuation: blanks, the escape character, optionally blanks after
 * it (BuildKit still continues), optionally comment and empty lines (dropped
 * by BuildKit), then the next line's indentation.
 */
export const continuation: fc.Arbitrary<string> = fc
  .tuple(
    pick('', ' ', ' ', '  ', '\t'),
    fc.oneof(w(5, fc.constant('')), w(1, pick(' ', '  ', '\t', ' \t '))),
    fc.oneof(
      w(5, fc.constant<string[]>([])),
      w(2, fc.array(pick('# comment', '  # indented comment', '#', '', '   ', '\t', '# dockerfix-ignore', '#' + ESC), { minLength: 1, maxLength: 3 })),
    ),
    pick('', ' ', '  ', '    ', '    ', '\t', '\t\t', '        '),
  )
  .map(([before, after, inner, indent]) => `${before}${ESC}${after}\n${inner.map((l) => l + '\n').join('')}${indent}`);

/** What separates two words: mostly a space, sometimes odd blanks or a continuation. */
const separator: fc.Arbitrary<string> = fc.oneof(
  w(12, fc.constant(' ')),
  w(2, pick('  ', '\t', ' \t', '   ')),
  w(3, continuation),
);

/** Words joined by generated separators (no separator before the first). Built without `chain`, so it shrinks well. */
function joined(word: fc.Arbitrary<string>, length: { minLength: number; maxLength: number }): fc.Arbitrary<string> {
  return fc.array(fc.tuple(word, separator), length).map((pairs) => pairs.map(([t, sep], i) => (i === 0 ? t : sep + t)).join(''));
}

/** A keyword in its usual case, lower case, or a random mix. */
function keywordCase(keyword: string): fc.Arbitrary<string> {
  return fc.oneof(w(6, fc.constant(keyword)), w(2, fc.constant(keyword.toLowerCase())), w(1, fc.mixedCase(fc.constant(keyword))));
}

// ---------------------------------------------------------------------------
// words

const UNICODE = [
  'é', 'naïve', '日本語', '😀', 'e\u0301', '\u00a0', 'a\u0085b', '\u3000', '\u2028', '\u202e', '\u200b', '\uFEFF', '\uFFFD',
  '\u0000', '\u001b[0m', '\v', '\f', 'Ω≈ç',
];

/** Words a shell command is made of, including the awkward ones. */
const shellWord: fc.Arbitrary<string> = fc.oneof(
  w(10, pick(
    'echo', 'hello', 'apt-get', 'apt', 'install', 'update', 'upgrade', '-y', 'curl', 'ca-certificates', 'npm', 'ci', 'start', 'node',
    'server.js', 'cd', '/app', 'make', '-j4', 'ls', '-la', 'rm', '-rf', '/var/lib/apt/lists/*', 'apk', 'add', '--no-cache', 'git',
    'pip', '--no-cache-dir', 'python3', '-c', 'true', 'false', 'exit', '1', 'exec', 'sudo', 'useradd', '-m', 'app', 'chown',
    '1000:1000', 'yarn', 'sh', 'bash', '-eux', 'wget', 'https://example.com/x.tar.gz', 'tar', 'xzf', 'x.tar.gz', 'FOO=bar', 'a=b',
    'set', '-o', 'pipefail', 'gosu', 'su-exec', 'npm', 'run', 'build', 'dotnet', 'app.dll', 'java', '-jar', 'app.jar',
  )),
  w(4, pick('"hello world"', "'single  quoted'", '"$HOME/x"', '"a\\"b"', "'it'\\''s'", '""', "''", '"${A:-x y}"', '"`id`"', '"$(pwd)"', '"a  b"', '"#not comment"')),
  w(3, pick('$HOME', '${VAR}', '${VAR:-x}', '${VAR:+y}', '${#VAR}', '$1', '$@', '$?', '${A/b/c}', '${x%%.*}', '$$', '${A:-${B}}')),
  w(2, pick(`${ESC}$x`, `a${ESC} b`, `${ESC}"`, `${ESC}'`, `${ESC}${ESC}`, `${ESC}n`, '\\', '`', '\\$HOME', 'C:\\path\\x')),
  w(2, pick('$(date)', '$(echo "a b")', '`date`', '$(( 1 + 2 ))', '<(ls)', '$(cd /x && ls)')),
  w(1, pick('"open', "it's", 'close"', '$(unclosed', '${bad', '`tick', "'", '"', '${', '}')),
  w(1, pick(...UNICODE)),
  w(2, pick('>', '>>', '2>&1', '>/dev/null', '<', '&>', '<<<', '*', '?', '[a-z]', '~', '!', '#', '#notacomment', 'a#b', '{a,b}', '=', ':', '[', ']', '--', '-')),
  w(1, fc.integer({ min: 60, max: 400 }).map((n) => 'x'.repeat(n))),
);

/** A simple command: one or more words. */
const simpleCommand: fc.Arbitrary<string> = joined(shellWord, { minLength: 1, maxLength: 6 });

const operator = pick(' && ', '&&', ' || ', '; ', ';', ' | ', ' & ', ' &&', '&& ', ' |& ');

/** A command, possibly grouped: `( … )`, `{ …; }`, `$( … )`. */
const command: fc.Arbitrary<string> = fc.oneof(
  w(8, simpleCommand),
  w(1, simpleCommand.map((c) => `( ${c} )`)),
  w(1, simpleCommand.map((c) => `{ ${c}; }`)),
  w(1, simpleCommand.map((c) => `echo $(${c})`)),
  w(1, fc.tuple(simpleCommand, simpleCommand).map(([a, b]) => `if ${a}; then ${b}; fi`)),
);

/** Shell-form text: a chain of commands, sometimes with a trailing comment. */
export const shellText: fc.Arbitrary<string> = fc
  .tuple(
    command,
    fc.array(fc.tuple(operator, fc.oneof(w(4, fc.constant('')), w(1, continuation)), command), { maxLength: 5 }),
    fc.oneof(w(8, fc.constant('')), w(1, pick(' # trailing comment', ' #', '  # a && b'))),
  )
  .map(([first, rest, tail]) => first + rest.map(([op, cont, c]) => (cont ? op.trimEnd() + cont + c : op + c)).join('') + tail);

/** A long chain, or (rarely) one very long line: for long logical lines. */
const longChain: fc.Arbitrary<string> = fc.oneof(
  w(8, fc.integer({ min: 20, max: 120 }).map((n) => Array.from({ length: n }, (_, i) => `echo step${i}`).join(' && '))),
  w(1, fc.integer({ min: 5_000, max: 40_000 }).map((n) => `echo ${'y'.repeat(n)}`)),
);

// ---------------------------------------------------------------------------
// JSON (exec) form

const jsonElement = pick('/bin/sh', '-c', 'echo hi', 'node', 'server.js', 'a"b', 'a\\b', 'é', '', '$HOME', 'a b', '\t', '\u0000', 'npm', 'start', '<<EOF', '😀', 'C:\\x');

/** A valid JSON array of strings, with varied spacing (and continuations inside). */
const validJson: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(jsonElement, { minLength: 1, maxLength: 4 }),
    fc.array(fc.oneof(w(6, pick(', ', ',', ' , ', ',  ')), w(1, continuation.map((c) => ',' + c))), { minLength: 4, maxLength: 4 }),
    pick(['[', ']'], ['[ ', ' ]'], ['[', ' ]'], ['[  ', ']']),
  )
  .map(([els, seps, [open, close]]) => open + els.map((e, i) => (i === 0 ? '' : seps[i - 1]) + JSON.stringify(e)).join('') + close);

/** Arrays BuildKit does not read as exec form (shell-form fallback) or rejects. */
const invalidJson = pick(
  '[foo]', "['a', 'b']", '["a",]', '[1, "a"]', '[]', '["a"] && b', '["unterminated', '[ ]', '["a" "b"]', '[null]', '{"a": 1}',
  '["a"] # comment', '[["a"]]', '["\\x"]', '[true]', '["a",', '[', '["a"]]', "['single']", '[ "a" , 2 ]',
);

const jsonForm: fc.Arbitrary<string> = fc.oneof(w(3, validJson), w(2, invalidJson));

/** Shell form or exec form (valid or not). */
const commandArgs: fc.Arbitrary<string> = fc.oneof(w(5, shellText), w(3, jsonForm), w(1, longChain));

// ---------------------------------------------------------------------------
// flags

const anyFlag = pick(
  '--from=build', '--from=Builder', '--from=BUILD', '--from=0', '--from=alpine:3.19', '--from=', '--chown=1000:1000', '--chown=app:app', '--chown=josé', '--chmod=755', '--link',
  '--mount=type=cache,target=/x', '--mount=type=cache,target=/root/.cache,sharing=locked', '--mount=type=secret,id=tok',
  '--mount=type=bind,source=.,target=/src', '--platform=linux/amd64', '--platform=$BUILDPLATFORM', '--network=none',
  '--security=insecure', '--checksum=sha256:abc', '--keep-git-dir=true', '--unpack=false', '--exclude=*.md', '--parents',
  '--interval=5s', '--timeout=3s', '--retries=3', '--start-period=1s', '--', '--bogus', '--from="build"', "--chown='a b'",
);

/** Zero or more flags, each followed by a separator. */
function flags(pool: fc.Arbitrary<string>, max = 3): fc.Arbitrary<string> {
  return fc.array(fc.tuple(pool, separator), { maxLength: max }).map((fs) => fs.map(([f, s]) => f + s).join(''));
}

/** Flags an instruction usually takes (mostly), or any flag (sometimes). */
function flagsFor(...usual: string[]): fc.Arbitrary<string> {
  return flags(fc.oneof(w(4, pick(...usual)), w(1, anyFlag)));
}

// ---------------------------------------------------------------------------
// per-instruction arguments

const image = pick(
  'alpine', 'alpine:3.19', 'node:20', 'node', 'ubuntu@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  'scratch', '${BASE}', '$IMG:latest', 'build', 'base', 'debian:bookworm-slim', 'mcr.microsoft.com/windows/servercore:ltsc2022',
  'gcr.io/distroless/static:nonroot', 'python:3.12-slim', 'golang:1.22 AS', 'Build', 'builder', 'Builder', 'localhost:5000/x',
);
const stageName = pick('build', 'Builder', 'base', '1bad', 'base-2', 'a.b_c', 'runtime', 'BUILD', 'x y');

const fromArgs: fc.Arbitrary<string> = fc
  .tuple(flagsFor('--platform=linux/amd64', '--platform=$BUILDPLATFORM', '--platform=linux/arm64'), image, fc.option(fc.tuple(pick('AS', 'as', 'As', 'aS'), stageName)), fc.option(pick('extra', 'AS')))
  .map(([f, img, as, extra]) => f + img + (as ? ` ${as[0]} ${as[1]}` : '') + (extra ? ` ${extra}` : ''));

const copySource = pick(
  'a.txt', 'src/', '*.json', 'app.tar.gz', 'archive.tgz', 'https://example.com/x.tar.gz', 'https://example.com/file.txt',
  'git@github.com:a/b.git', 'https://github.com/a/b.git', '$SRC', '"quoted file"', '.', 'x.zip', 'package*.json', 'dir with space',
  'github.com/x', 'C:\\src', 'a\u00a0b', 'é.txt',
);
const copyDest = pick('/app/', '.', '/usr/local/bin/', '/app', 'dest', '$DEST', '/', 'C:\\app\\');
const copyArgs: fc.Arbitrary<string> = fc.oneof(
  w(5, fc.tuple(flagsFor('--from=build', '--from=Builder', '--chown=1000:1000', '--chmod=755', '--link', '--exclude=*.md', '--parents', '--checksum=sha256:abc', '--unpack=false', '--keep-git-dir=true'),
    joined(copySource, { minLength: 0, maxLength: 3 }), separator, copyDest).map(([f, s, sep, d]) => f + (s === '' ? '' : s + sep) + d)),
  w(2, fc.tuple(flagsFor('--chown=1:1'), validJson).map(([f, j]) => f + j)),
  w(1, invalidJson),
);

/** `KEY=value` pairs and the legacy `KEY value` form, quoted and escaped in every way. */
const keyValueArgs: fc.Arbitrary<string> = fc.oneof(
  w(4, joined(pick(
    'K=v', 'A=1', 'PATH=/usr/local/bin:$PATH', 'K="a b"', "K='x y'", `K=a${ESC} b`, 'K=', '=v', 'K=${X:-y}', 'a.b.c="x"',
    'org.opencontainers.image.title="t"', 'K="unterminated', 'K=$OTHER', `K="a${ESC}"b"`, 'K=é', 'K="😀"', 'K=a=b', 'K==',
    `K=${ESC}$HOME`, 'K="${A}"', 'description="multi word value"',
  ), { minLength: 1, maxLength: 4 })),
  w(2, fc.tuple(pick('K', 'NODE_ENV', 'A', 'my.label', '"K"'), separator, shellText).map(([k, s, v]) => k + s + v)),
  w(1, pick('K', '', 'K v w', 'K  spaced  value', `K ${ESC}$x`, 'K "quoted value"')),
);

const argArgs = pick('V', 'V=1', 'V="x y"', 'A B', 'VERSION=1.2.3', 'BASE=alpine:3.19', 'TAG', '=x', 'V=', 'NODE_VERSION=20', "V='single'", 'A=1 B=2', 'V=${X:-y}');
const exposeArgs = joined(pick('80', '80/tcp', '443/UDP', '$PORT', '8000-8010', '53/udp', '0', 'abc', '80/TCP', '3000'), { minLength: 0, maxLength: 3 });
const workdirArgs = pick('/app', 'app', 'src/x', '$HOME/x', '"/a b"', '/app /b', '/', 'C:\\app', '${DIR}', '.', '~/x', '/usr/src/app');
const userArgs = pick('root', '0', 'node', '1000:1000', 'root:root', '0:0', 'app', '$U', 'nonroot', '65532:65532', 'ROOT', 'www-data', '1000 1000');
const volumeArgs = fc.oneof(w(2, joined(pick('/data', '/var/log', '$V', '/a b'), { minLength: 0, maxLength: 3 })), w(1, validJson), w(1, invalidJson));
const shellArgs = fc.oneof(
  w(4, pick('["/bin/bash", "-c"]', '["/bin/sh","-c"]', '["powershell", "-Command"]', '["cmd", "/S", "/C"]', '["/bin/bash", "-o", "pipefail", "-c"]', '["zsh","-c"]')),
  w(1, pick('/bin/bash -c', '[bash]', '[]', '["a", 1]')),
);
const healthcheckArgs: fc.Arbitrary<string> = fc.oneof(
  w(1, pick('NONE', 'none', 'NONE extra', '', 'BOGUS x', 'CMD', 'cmd')),
  w(4, fc.tuple(flagsFor('--interval=5s', '--timeout=3s', '--retries=3', '--start-period=1s'), pick('CMD', 'cmd', 'Cmd'), pick(' ', '  ', '\t'), commandArgs).map(([f, c, s, a]) => f + c + s + a)),
);
const maintainerArgs = pick('Jane Doe <jane@example.org>', 'a "b" $c \\ d', 'x', '', 'José <j@x.org>', `a${ESC} b`);
const stopsignalArgs = pick('SIGTERM', '9', 'SIGKILL', '$SIG', '', 'SIGTERM SIGINT');

const unknownKeyword = pick('FOO', 'COPYY', 'RUNN', 'ＲＵＮ', 'Run2', 'é', 'FROM:', 'RUN["echo"]', 'RUN\u00a0echo', '-', 'ENV=x', 'CMD;');

/** Arguments for each keyword. */
const ARGS: Record<string, fc.Arbitrary<string>> = {
  ADD: copyArgs,
  ARG: argArgs,
  CMD: commandArgs,
  COPY: copyArgs,
  ENTRYPOINT: commandArgs,
  ENV: keyValueArgs,
  EXPOSE: exposeArgs,
  FROM: fromArgs,
  HEALTHCHECK: healthcheckArgs,
  LABEL: keyValueArgs,
  MAINTAINER: maintainerArgs,
  RUN: fc.tuple(flagsFor('--mount=type=cache,target=/x', '--mount=type=secret,id=tok', '--network=none', '--security=insecure'), commandArgs).map(([f, a]) => f + a),
  SHELL: shellArgs,
  STOPSIGNAL: stopsignalArgs,
  USER: userArgs,
  VOLUME: volumeArgs,
  WORKDIR: workdirArgs,
};

/** What separates the keyword from its arguments. */
const afterKeyword = fc.oneof(w(12, fc.constant(' ')), w(2, pick('  ', '\t')), w(2, continuation), w(1, fc.constant('')));

/** Indentation before an instruction's keyword. */
const indent = fc.oneof(w(10, fc.constant('')), w(1, pick(' ', '    ', '\t', '\u00a0')));

/** One instruction without heredocs: keyword (any case) and arguments for it, or an unknown word. */
function simpleInstruction(keyword: string): fc.Arbitrary<string> {
  return fc.tuple(indent, keywordCase(keyword), afterKeyword, ARGS[keyword]).map(([i, k, s, a]) => i + k + (a === '' ? '' : s + a));
}

const KEYWORDS = Object.keys(ARGS);

const onbuild: fc.Arbitrary<string> = fc
  .tuple(keywordCase('ONBUILD'), pick(' ', '  '), fc.constantFrom(...KEYWORDS, 'ONBUILD').chain((k) => (k === 'ONBUILD' ? fc.constant('ONBUILD RUN x') : simpleInstruction(k))))
  .map(([o, s, t]) => o + s + t.trimStart());

const unknownInstruction: fc.Arbitrary<string> = fc.tuple(unknownKeyword, fc.option(shellText)).map(([k, a]) => (a === null ? k : `${k} ${a}`));

// ---------------------------------------------------------------------------
// heredocs

const heredocBodyLine = pick(
  'echo hello', '\techo tabbed', '  indented', '', 'line with $VAR', 'line with \\ backslash', 'EOFX', ' EOF', 'EOF ', '#!/bin/sh',
  'set -e', '\t\tdouble tab', 'printf "%s\\n" x', '${A:-b}', '# comment in body', ESC, `ends with escape ${ESC}`, 'é😀', 'RUN echo not an instruction',
  'FROM alpine', '"unbalanced', 'END', '\tEND',
);

interface HeredocSpec {
  name: string;
  chomp: boolean;
  /** how the name is written: plain, quoted, partly quoted, escaped */
  quoting: '' | "'" | '"' | 'partial' | 'escaped';
  fd: string;
  body: string[];
  /** how the body ends: the exact name, tab-indented (a terminator only with `<<-`), space-indented (not one), or not at all */
  end: 'exact' | 'tabbed' | 'spaced' | 'none' | 'trailing-blank';
}

const heredocSpec: fc.Arbitrary<HeredocSpec> = fc.record({
  name: pick('EOF', 'END', 'SCRIPT', 'eof', 'E-O_F', 'PY', 'X1'),
  chomp: fc.boolean(),
  quoting: fc.oneof(w(5, fc.constant('' as const)), w(2, pick("'" as const, '"' as const)), w(1, pick('partial' as const, 'escaped' as const))),
  fd: fc.oneof(w(8, fc.constant('')), w(1, fc.constant('3'))),
  body: fc.array(heredocBodyLine, { maxLength: 4 }),
  end: fc.oneof(w(12, fc.constant('exact' as const)), w(2, fc.constant('tabbed' as const)), w(1, pick('spaced' as const, 'none' as const, 'trailing-blank' as const))),
});

function heredocMarker(h: HeredocSpec): string {
  const name =
    h.quoting === 'partial' ? `${h.name[0]}'${h.name.slice(1)}'` : h.quoting === 'escaped' ? `\\${h.name}` : h.quoting + h.name + h.quoting;
  return `${h.fd}<<${h.chomp ? '-' : ''}${name}`;
}

function heredocBody(h: HeredocSpec): string {
  const body = h.chomp ? h.body.map((l) => (l.startsWith('\t') ? l : '\t' + l)) : h.body;
  const end = { exact: h.name, tabbed: '\t' + h.name, spaced: ' ' + h.name, none: null, 'trailing-blank': h.name + ' ' }[h.end];
  return [...body, ...(end === null ? [] : [end])].map((l) => '\n' + l).join('');
}

/** RUN/COPY/ADD (or ONBUILD RUN) with one or two heredocs and their bodies. */
const heredocInstruction: fc.Arbitrary<string> = fc
  .tuple(
    pick('RUN', 'run', 'COPY', 'ADD', 'ONBUILD RUN', 'RUN --mount=type=cache,target=/x', 'ADD --chmod=755', 'COPY --chown=1:1'),
    pick('', 'cat', 'python3', 'sh -c', 'bash'),
    fc.array(heredocSpec, { minLength: 1, maxLength: 2 }),
    pick('', '> /out', '&& echo after', '| sh', '/dest/', '/app/script.sh', 'cat /dev/fd/3'),
    fc.oneof(w(6, fc.constant(' ')), w(1, continuation)),
  )
  .map(([head, cmd, docs, tail, sep]) => {
    const isCopy = /^(COPY|ADD)/.test(head);
    const line = [head, isCopy ? '' : cmd, docs.map(heredocMarker).join(sep), isCopy && tail === '' ? '/dest/' : tail].filter((s) => s !== '').join(' ');
    return line + docs.map(heredocBody).join('');
  });

// ---------------------------------------------------------------------------
// lines outside instructions

const commentLine = pick(
  '# comment', '   # indented comment', '#', '# hadolint ignore=DL3008', '# dockerfix-ignore', '# prettier-ignore', '# syntax=late',
  '# check=skip=all', '# escape=`', '#!/bin/sh', '# TODO: é 😀', `# ends with escape ${ESC}`, '#comment', '\t# tab', '# hadolint ignore=DL3020,DL3025',
  '# dockerfix-ignore=add-to-copy', '# dockerfix-ignore-file',
);
const blankLine = pick('', '', '   ', '\t', ' \t ');

/** An instruction of any kind, weighted towards the common ones. */
export const instruction: fc.Arbitrary<string> = fc.oneof(
  w(8, fc.constantFrom(...KEYWORDS).chain(simpleInstruction)),
  w(4, simpleInstruction('RUN')),
  w(2, simpleInstruction('FROM')),
  w(2, simpleInstruction('COPY')),
  w(3, heredocInstruction),
  w(1, onbuild),
  w(1, unknownInstruction),
);

const bodyNode: fc.Arbitrary<string> = fc.oneof(w(8, instruction), w(2, commentLine), w(2, blankLine));

// ---------------------------------------------------------------------------
// the file

const directiveLine = pick(
  '# syntax=docker/dockerfile:1', '#syntax=docker/dockerfile:1.7-labs', '# SYNTAX = docker/dockerfile:1', '# check=skip=all',
  '# check=skip=JSONArgsRecommended;error=true', '# escape=\\', '# escape=x', '  # syntax=indented', '#\tcheck\t=\tskip=all',
  '# foo=bar', '#!/usr/bin/env docker', '// syntax=docker/dockerfile:1', '# syntax = a b ',
);

/** How `\n` placeholders become line endings. */
type EolPolicy = { kind: 'lf' } | { kind: 'crlf' } | { kind: 'mixed'; pattern: boolean[] } | { kind: 'double-cr' } | { kind: 'lone-cr'; at: number };

const eolPolicy: fc.Arbitrary<EolPolicy> = fc.oneof(
  w(14, fc.constant({ kind: 'lf' as const })),
  w(4, fc.constant({ kind: 'crlf' as const })),
  w(3, fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }).map((pattern) => ({ kind: 'mixed' as const, pattern }))),
  w(1, fc.constant({ kind: 'double-cr' as const })),
  w(1, fc.nat(50).map((at) => ({ kind: 'lone-cr' as const, at }))),
);

export interface FileSpec {
  bom: boolean;
  escape: '\\' | '`';
  /**
   * backtick files: how the escape directive is written, or null when the file
   * forgets it (its backticks are then plain characters); backslash files name
   * `# escape=\` explicitly when this is non-null and escapeAt is 0
   */
  escapeDirective: string | null;
  directives: string[];
  /** where in the directive block the escape directive goes */
  escapeAt: number;
  blankAfterDirectives: boolean;
  firstFrom: string | null;
  nodes: string[];
  /** how many times `nodes` is written out: 1, or (rarely) enough for a big file */
  repeat: number;
  tail: string;
  eol: EolPolicy;
}

export const fileSpec: fc.Arbitrary<FileSpec> = fc.record({
  bom: fc.oneof(w(8, fc.constant(false)), w(1, fc.constant(true))),
  escape: fc.oneof(w(3, fc.constant('\\' as const)), w(1, fc.constant('`' as const))),
  escapeDirective: fc.oneof(w(4, pick('# escape=`', '#escape=`', '# ESCAPE = `', '# escape=` ', '#\tescape=`')), w(1, fc.constant(null))),
  directives: fc.oneof(w(3, fc.constant<string[]>([])), w(2, fc.array(directiveLine, { minLength: 1, maxLength: 3 }))),
  escapeAt: fc.nat(3),
  blankAfterDirectives: fc.boolean(),
  firstFrom: fc.oneof(w(8, pick('FROM alpine', 'FROM node:20 AS build', 'from ubuntu:24.04', 'FROM scratch', 'FROM --platform=linux/amd64 debian:bookworm')), w(1, fc.constant(null)), w(1, pick('ARG BASE=alpine\nFROM ${BASE}', 'ARG V'))),
  nodes: fc.array(bodyNode, { minLength: 0, maxLength: 10 }),
  repeat: fc.oneof(w(150, fc.constant(1)), w(1, fc.integer({ min: 20, max: 120 }))),
  tail: fc.oneof(w(10, fc.constant('\n')), w(3, pick('', '\n\n', '\n   ', '  ')), w(1, pick(ESC, ` ${ESC}  `, `${ESC}\n`, `${ESC}\n# comment\n`, `${ESC}\n\n`))),
  eol: eolPolicy,
});

/** Turn `\n` placeholders into the policy's line endings. */
function applyEol(text: string, eol: EolPolicy): string {
  switch (eol.kind) {
    case 'lf':
      return text;
    case 'crlf':
      return text.replace(/\n/g, '\r\n');
    case 'double-cr':
      return text.replace(/\n/g, '\r\r\n');
    case 'mixed': {
      let k = 0;
      return text.replace(/\n/g, () => (eol.pattern[k++ % eol.pattern.length] ? '\r\n' : '\n'));
    }
    case 'lone-cr': {
      let k = 0;
      const count = (text.match(/\n/g) ?? []).length;
      const target = count === 0 ? -1 : eol.at % count;
      return text.replace(/\n/g, () => (k++ === target ? '\r' : '\n'));
    }
  }
}

export function renderFile(spec: FileSpec): string {
  const directives = [...spec.directives];
  // A backtick file names its escape (or, when escapeDirective is null, forgets to: its backticks are then
  // plain characters); a backslash file sometimes names the default explicitly.
  const escDirective = spec.escape === '`' ? spec.escapeDirective : spec.escapeDirective !== null && spec.escapeAt === 0 ? '# escape=\\' : null;
  if (escDirective) directives.splice(Math.min(spec.escapeAt, directives.length), 0, escDirective);
  const lines: string[] = [...directives];
  if (directives.length > 0 && spec.blankAfterDirectives) lines.push('');
  if (spec.firstFrom) lines.push(spec.firstFrom);
  for (let k = 0; k < spec.repeat; k++) lines.push(...spec.nodes);
  let text = lines.join('\n') + spec.tail;
  text = text.replaceAll(ESC, spec.escape);
  text = applyEol(text, spec.eol);
  return spec.bom ? '\uFEFF' + text : text;
}

/** A generated Dockerfile (valid-looking or broken). */
export const generatedFile: fc.Arbitrary<string> = fileSpec.map(renderFile);

// ---------------------------------------------------------------------------
// mutations

const insertChars = pick(
  '\\', '`', '\n', '\r', '\r\n', '"', "'", '$', '${', '}', '[', ']', '#', ' ', '\t', '<<EOF', 'EOF', '<<-', '\uFEFF', '&&', '|', ';',
  '(', ')', 'é', '😀', '=', '--', '\u00a0', '\u0085', '# escape=`', '# syntax=x', 'RUN ', 'FROM scratch', '\\\n', '`\n', ' \\ ',
  '\u0000', 'ONBUILD ', 'AS ', '{', ',', ':', '\n\n', '\\\r\n',
);
const insertLines = pick(
  '', '# comment', 'RUN echo hi', 'FROM alpine', 'EOF', '\tEOF', '\\', '`', '# escape=`', '# escape=\\', '# syntax=docker/dockerfile:1',
  'COPY . .', 'ARG X=1', 'ENV A B', '  ', 'CMD ["a"]', 'ONBUILD RUN x', 'RUN <<EOF', 'HEALTHCHECK NONE', 'USER root', 'WORKDIR app',
  'RUN a \\', 'RUN a `', '\uFEFF# syntax=x', 'ADD x.tar.gz /', 'MAINTAINER me',
);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: pick('insert' as const, 'replace' as const), unit: fc.constant('char' as const), at: fc.nat(9999), text: insertChars }),
  fc.record({ op: pick('delete' as const, 'duplicate' as const), unit: pick('char' as const, 'line' as const), at: fc.nat(9999), text: pick('1', '2', '3') }),
  fc.record({ op: pick('insert' as const, 'replace' as const), unit: fc.constant('line' as const), at: fc.nat(9999), text: insertLines }),
);

export const mutations: fc.Arbitrary<Mutation[]> = fc.array(mutation, { minLength: 1, maxLength: 4 });

/** Apply one mutation. Positions are fractions of the current text, so they stay meaningful while shrinking. */
export function applyMutation(text: string, m: Mutation): string {
  const count = Number(m.text) || 1;
  if (m.unit === 'char') {
    const at = Math.floor((m.at / 10000) * (text.length + 1));
    switch (m.op) {
      case 'insert':
        return text.slice(0, at) + m.text + text.slice(at);
      case 'replace':
        return text.slice(0, at) + m.text + text.slice(at + 1);
      case 'delete':
        return text.slice(0, at) + text.slice(at + count);
      case 'duplicate':
        return text.slice(0, at + count) + text.slice(at, at + count) + text.slice(at + count);
    }
  }
  // lines keep their own terminators
  const lines = text.split(/(?<=\n)/);
  const k = Math.floor((m.at / 10000) * lines.length);
  const eol = /\r?\n$/.exec(lines[k] ?? '')?.[0] ?? (text.includes('\r\n') ? '\r\n' : '\n');
  switch (m.op) {
    case 'insert':
      lines.splice(k, 0, m.text + eol);
      break;
    case 'replace':
      lines.splice(k, 1, m.text + eol);
      break;
    case 'delete':
      lines.splice(k, count);
      break;
    case 'duplicate':
      lines.splice(k, 0, ...lines.slice(k, k + count));
      break;
  }
  return lines.join('');
}

export function applyMutations(text: string, ms: readonly Mutation[]): string {
  return ms.reduce(applyMutation, text);
}

// ---------------------------------------------------------------------------
// the corpus (read at test time, never copied)

/** The repository root: the nearest folder upwards holding package.json. */
export function repoRoot(from: string): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** Where the shared corpus's Dockerfiles are (DOCKERFIX_CORPUS overrides). */
export function corpusDir(root: string): string {
  return process.env.DOCKERFIX_CORPUS ?? path.join(root, '..', 'shared', 'corpus', 'files');
}

/** The corpus's Dockerfiles (not BuildKit's `.result` dumps), sorted; null when the corpus is absent. */
export function loadCorpus(dir: string): CorpusFile[] | null {
  if (!fs.existsSync(dir)) return null;
  return fs
    .readdirSync(dir)
    .filter((f) => !f.endsWith('.result'))
    .sort()
    .map((name) => ({ name, text: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

// ---------------------------------------------------------------------------
// the case arbitrary

/**
 * Fuzz cases: generated files (most), mutated generated files, and mutated
 * corpus files when a corpus is given.
 */
export function fuzzCase(corpus: readonly CorpusFile[] | null): fc.Arbitrary<FuzzCase> {
  const generated = generatedFile.map((text): FuzzCase => ({ text, origin: 'generated' }));
  const mutated = fc.tuple(generatedFile, mutations).map(([text, ms]): FuzzCase => ({ text: applyMutations(text, ms), origin: 'mutated', mutations: ms }));
  const sources = [w(6, generated), w(3, mutated)];
  if (corpus && corpus.length > 0) {
    sources.push(
      w(2, fc.tuple(fc.nat(corpus.length - 1), mutations).map(([i, ms]): FuzzCase => ({
        text: applyMutations(corpus[i].text, ms), origin: 'corpus', corpusFile: corpus[i].name, mutations: ms,
      }))),
    );
  }
  return fc.oneof(...sources);
}

/** Prettier options the format property varies (endOfLine `cr` is left out: it changes what BuildKit reads by design). */
// (a type alias, not an interface: Prettier's Options has an index signature)
export type FormatCaseOptions = {
  printWidth: number;
  tabWidth: number;
  useTabs: boolean;
  endOfLine: 'lf' | 'crlf' | 'auto';
  dockerfileRunLayout: 'split' | 'keep';
};

export const formatOptions: fc.Arbitrary<FormatCaseOptions> = fc.record({
  printWidth: fc.oneof(w(4, fc.constant(80)), w(1, pick(40, 20, 120))),
  tabWidth: fc.oneof(w(4, fc.constant(4)), w(1, fc.constant(2))),
  useTabs: fc.oneof(w(5, fc.constant(false)), w(1, fc.constant(true))),
  endOfLine: fc.oneof(w(4, fc.constant('lf' as const)), w(1, pick('crlf' as const, 'auto' as const))),
  dockerfileRunLayout: fc.oneof(w(5, fc.constant('split' as const)), w(1, fc.constant('keep' as const))),
});
