/**
 * Fuzzing dockerfix with generated and mutated Dockerfiles (test/fuzz/arbitraries.ts)
 * against the properties in test/fuzz/properties.ts:
 * - format (FUZZ_RUNS cases, default 10,000): through formatSync(), the
 *   printer core that format() wraps with Prettier, identical bytes (checked
 *   on a further FUZZ_PRETTIER_RUNS cases, default 300, through Prettier
 *   itself); never throws, within the time bound, meaning() kept, no new parse
 *   problem, idempotent;
 * - fix (FUZZ_RUNS cases): every rule with unsafe fixes, offline; never
 *   throws, within the time bound, no internal error, no new parse problem,
 *   a second run changes nothing; and each rule alone (FUZZ_EACH_RULE_RUNS
 *   cases, default 1,000): no internal error, no new parse problem.
 *
 * The seed is fixed (FUZZ_SEED overrides it; FUZZ_SEED=random picks one) and
 * printed, so a failure reproduces with the same seed; fast-check's report
 * also gives the counterexample and its shrink path.
 *
 * Bugs already captured by a failing fixture in fixtures/regressions/ (handed
 * over to their owner) are tolerated here, matched by property and message,
 * and listed: they fail in regressions.test.ts instead, once each, and a new
 * bug still fails this suite. The tolerance ends when the fixture passes.
 *
 * Mutated corpus files are part of the mix when ../shared/corpus is present;
 * without it that source is skipped with a message, and under CI it fails.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ESC, corpusDir, formatOptions, fuzzCase, loadCorpus, repoRoot, type FuzzCase,
} from './arbitraries.js';
import { checkFix, checkFixEachRule, checkFormat, checkFormatAsync, realApi, type Api, type Failure } from './properties.js';
import { knownBugFor, knownBugs, loadRegressions, regressionsDir, type KnownBug } from './regressions.js';
import { parse } from '../../src/syntax/index.js';

/** A non-negative integer from the environment, or the default; anything else is a usage error. */
function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}=${raw}: expected a non-negative integer`);
  return n;
}

const DEFAULT_SEED = 20_261_204;
const SEED = process.env.FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : envInt('FUZZ_SEED', DEFAULT_SEED);
const RUNS = envInt('FUZZ_RUNS', 10_000);
const PRETTIER_RUNS = envInt('FUZZ_PRETTIER_RUNS', 300);
const EACH_RULE_RUNS = envInt('FUZZ_EACH_RULE_RUNS', 1000);

const root = repoRoot(import.meta.dirname);
const CORPUS_DIR = corpusDir(root);
const corpus = loadCorpus(CORPUS_DIR);
const known = knownBugs(loadRegressions(regressionsDir(root)));

console.log(
  `[fuzz] seed ${SEED} (reproduce with FUZZ_SEED=${SEED}), ${RUNS} format + ${RUNS} fix + ${PRETTIER_RUNS} Prettier + ${EACH_RULE_RUNS} rule-alone cases, ` +
    `corpus: ${corpus ? `${corpus.length} files` : 'absent'}, known bugs tolerated: ${known.map((k) => k.name).join(', ') || 'none'}`,
);

/** Failures of known bugs seen while fuzzing, by fixture name (reported, not failed). */
const tolerated = new Map<string, number>();

/** Throw for a failure unless it is a known bug; the message names the property and the input. */
function assertNoFailure(failure: Failure | null, c: FuzzCase, bugs: KnownBug[] = known): void {
  if (!failure) return;
  const bug = knownBugFor(failure, bugs);
  if (bug) {
    tolerated.set(bug.name, (tolerated.get(bug.name) ?? 0) + 1);
    return;
  }
  const where = c.origin === 'corpus' ? `corpus file ${c.corpusFile} with mutations ${JSON.stringify(c.mutations)}` : JSON.stringify(c.text);
  throw new Error(`${failure.property}: ${failure.message}\ninput (${c.origin}): ${where}`);
}

function reportTolerated(label: string): void {
  if (tolerated.size === 0) return;
  console.warn(`[fuzz] ${label}: known bugs (fixtures/regressions, failing in regressions.test.ts) seen: ${[...tolerated].map(([n, k]) => `${n} ×${k}`).join(', ')}`);
  tolerated.clear();
}

describe('fuzz sources', () => {
  if (corpus) {
    it(`reads the shared corpus at test time (${CORPUS_DIR})`, () => {
      expect(corpus.length).toBeGreaterThan(0);
    });
  } else if (process.env.CI) {
    it('needs the shared corpus under CI', () => {
      expect.fail(`corpus not found at ${CORPUS_DIR} (CI is set, so this fails instead of skipping)`);
    });
  } else {
    console.warn(`[fuzz] corpus not found at ${CORPUS_DIR}: mutated corpus files are SKIPPED`);
    it.skip(`SKIPPED: mutated corpus files (corpus not found at ${CORPUS_DIR})`, () => {});
  }
});

describe('fuzz: format', () => {
  it(`never throws or hangs, keeps meaning(), adds no parse problem and is idempotent (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(fuzzCase(corpus), formatOptions, (c, o) => assertNoFailure(checkFormat(c.text, o), c)),
      { seed: SEED, numRuns: RUNS },
    );
    reportTolerated('format');
  });

  it(`gives the same bytes through Prettier's format() as through formatSync(), with the same properties (${PRETTIER_RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(fuzzCase(corpus), formatOptions, async (c, o) => assertNoFailure(await checkFormatAsync(c.text, o), c)),
      { seed: SEED + 1, numRuns: PRETTIER_RUNS },
    );
    reportTolerated('format through Prettier');
  });
});

describe('fuzz: fix (every rule, unsafe fixes, offline)', () => {
  it(`never throws or hangs, reports no internal error, adds no parse problem and settles in one run (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(fuzzCase(corpus), (c) => assertNoFailure(checkFix(c.text), c)),
      { seed: SEED + 2, numRuns: RUNS },
    );
    reportTolerated('fix');
  });

  it(`applies each rule's fixes soundly on their own too: no internal error, no new parse problem (${EACH_RULE_RUNS} cases)`, () => {
    fc.assert(
      fc.property(fuzzCase(corpus), (c) => assertNoFailure(checkFixEachRule(c.text), c)),
      { seed: SEED + 3, numRuns: EACH_RULE_RUNS },
    );
    reportTolerated('fix, each rule alone');
  });
});

describe('the fuzz generator', () => {
  it('covers what the fuzzing brief lists: every keyword in any case, flags, both forms, heredocs, escapes, directives, line endings, Unicode, long lines, mutations', () => {
    const cases = fc.sample(fuzzCase(corpus), { seed: SEED, numRuns: 3000 });
    const keywords = new Set<string>();
    const seen = new Set<string>();
    const mark = (feature: string, yes: boolean): void => {
      if (yes) seen.add(feature);
    };
    for (const c of cases) {
      const t = c.text;
      const doc = parse(t);
      mark(`origin ${c.origin}`, true);
      for (const i of doc.instructions) {
        keywords.add(i.keyword);
        mark('lower-case keyword', i.rawKeyword !== i.keyword && i.rawKeyword === i.keyword.toLowerCase());
        mark('mixed-case keyword', i.rawKeyword !== i.keyword && i.rawKeyword !== i.keyword.toLowerCase());
        mark('unknown instruction', !i.known);
        for (const f of i.flags) mark(`flag --${f.name}`, true);
        mark('valid JSON form', i.json !== null);
        mark('invalid JSON form', i.jsonLike);
        mark('continuation', i.lines.length > 1);
        mark('comment line in a continuation', i.lines.some((l) => l.kind === 'comment'));
        mark('empty line in a continuation', i.lines.some((l) => l.kind === 'empty'));
        for (const h of i.heredocs) {
          mark('heredoc', true);
          mark('heredoc <<-', h.chomp);
          mark('heredoc quoted', h.quoted);
          mark('heredoc unterminated', h.terminatorStart < 0);
        }
        mark('two heredocs on a line', i.heredocs.length >= 2);
        mark('ONBUILD trigger', i.trigger !== undefined);
      }
      mark('escape directive (backtick)', doc.escape === '`');
      mark('duplicated directive', doc.problems.some((p) => p.message.startsWith('only one')));
      mark('directive-looking comment after the block', doc.nodes.some((n) => n.type === 'comment' && /^#\s*(syntax|escape|check)\s*=/i.test(n.text)));
      mark('BOM', t.charCodeAt(0) === 0xfeff);
      mark('CRLF', t.includes('\r\n'));
      mark('mixed line endings', t.includes('\r\n') && /[^\r]\n/.test(t));
      mark('lone CR', /\r(?!\n)/.test(t));
      mark('tab', t.includes('\t'));
      mark('non-ASCII', /[^\x00-\x7f]/.test(t));
      mark('astral character', /[\u{10000}-\u{10ffff}]/u.test(t));
      mark('line over 1000 characters', t.split('\n').some((l) => l.length > 1000));
      mark('line over 5000 characters', t.split('\n').some((l) => l.length > 5000));
      mark('over 200 instructions', doc.instructions.length > 200);
      mark('continuation at EOF', /[\\`][ \t]*\r?\n?$/.test(t) && doc.instructions.at(-1)?.lines.at(-1)?.escapeAt !== -1);
      mark('escape followed by blanks', /[\\`][ \t]+\r?\n/.test(t));
      mark('variable', /\$\{?[A-Za-z]/.test(t));
      mark('operators', /&&|\|\||;/.test(t));
      mark('subshell or command substitution', /\$\(|\( /.test(t));
      mark('unbalanced quote', doc.instructions.some((i) => (i.args.split('"').length - 1) % 2 === 1));
      mark('parse problems', doc.problems.length > 0);
      mark('no parse problems', doc.problems.length === 0);
      mark('placeholder left in text', t.includes(ESC));
    }
    const missingKeywords = [...['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']].filter((k) => !keywords.has(k));
    expect(missingKeywords).toEqual([]);
    const wanted = [
      'origin generated', 'origin mutated', ...(corpus ? ['origin corpus'] : []), 'lower-case keyword', 'mixed-case keyword', 'unknown instruction',
      'flag --from', 'flag --chown', 'flag --mount', 'flag --platform', 'valid JSON form', 'invalid JSON form', 'continuation',
      'comment line in a continuation', 'empty line in a continuation', 'heredoc', 'heredoc <<-', 'heredoc quoted', 'heredoc unterminated',
      'two heredocs on a line', 'ONBUILD trigger', 'escape directive (backtick)', 'duplicated directive', 'directive-looking comment after the block',
      'BOM', 'CRLF', 'mixed line endings', 'lone CR', 'tab', 'non-ASCII', 'astral character', 'line over 1000 characters', 'line over 5000 characters', 'over 200 instructions', 'continuation at EOF',
      'escape followed by blanks', 'variable', 'operators', 'subshell or command substitution', 'unbalanced quote', 'parse problems', 'no parse problems',
    ];
    expect(wanted.filter((f) => !seen.has(f))).toEqual([]);
    // the escape placeholder is always rendered
    expect(seen.has('placeholder left in text')).toBe(false);
  });
});

describe('the fuzz checks themselves', () => {
  const sample: FuzzCase = { text: 'FROM alpine\nRUN echo a\nCMD ["node", "x.js"]\n', origin: 'generated' };
  const broken = (over: Partial<Api>): Api => ({ ...realApi, ...over });

  it('pass the real formatter and fixer on a plain file', () => {
    expect(checkFormat(sample.text)).toBeNull();
    expect(checkFix(sample.text)).toBeNull();
  });

  it('catch a formatter that drops an instruction (meaning)', () => {
    const api = broken({ formatSync: (t) => t.replace(/RUN echo a\n/, '') });
    expect(checkFormat(sample.text, {}, api)?.property).toBe('format-meaning');
  });

  it('catch a formatter that is not idempotent', () => {
    const api = broken({ formatSync: (t) => t + '\n' });
    expect(checkFormat(sample.text, {}, api)?.property).toBe('format-idempotent');
  });

  it('catch a formatter that throws, and one that hangs past the time bound', () => {
    expect(checkFormat(sample.text, {}, broken({ formatSync: () => { throw new Error('boom'); } }))?.property).toBe('format-throws');
    const slow = (t: string): string => {
      const end = performance.now() + 260;
      while (performance.now() < end) { /* busy: a hang */ }
      return t;
    };
    expect(checkFormat(sample.text, {}, broken({ formatSync: slow }))?.property).toBe('format-time');
  });

  it('catch a fixer that reports internal errors, adds parse problems or does not settle', () => {
    const real = realApi.fix;
    const withError = broken({ fix: (t, o) => ({ ...real(t, o), internalErrors: [{ ruleId: 'x', message: 'refused', line: 1 }] }) });
    expect(checkFix(sample.text, withError)?.property).toBe('fix-internal-error');
    const breaking = broken({ fix: (t, o) => ({ ...real(t, o), output: t + 'BOGUS x\n' }) });
    expect(checkFix(sample.text, breaking)?.property).toBe('fix-problems');
    const growing = broken({ fix: (t, o) => ({ ...real(t, o), output: t + '# more\n', changed: true }) });
    expect(checkFix(sample.text, growing)?.property).toBe('fix-idempotent');
  });
});
