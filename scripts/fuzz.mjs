#!/usr/bin/env node
/**
 * npm run fuzz -- --runs N [--seed S] [--batch B] [--no-corpus] [--no-write]
 *
 * Runs dockerfix's fuzz properties (test/fuzz/properties.ts) over N generated
 * cases (test/fuzz/arbitraries.ts) against the built dist/ (run
 * `npx tsc -p tsconfig.json` first). Each case goes through the format
 * properties (formatSync, the printer core) and the fix properties; one case
 * in 10 also goes through Prettier's own format() and through each rule alone.
 *
 * The run is split into batches of B cases with seeds S, S+1, …, so that a
 * failure does not end it: the failing batch's counterexample is shrunk and
 * written to fixtures/regressions/, and later occurrences of the same failure
 * (same property and message shape) no longer count as failures, so the run
 * keeps looking for new ones. Generated counterexamples are written as
 * `fuzz-<property>-<hash>.Dockerfile` with a `.json` sidecar naming the
 * property; counterexamples derived from the shared corpus are never copied:
 * a `.corpus.json` recipe (corpus file name + mutations) is written instead.
 *
 * Exit code: 0 when no failure was found, 1 otherwise, 2 on usage errors.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function usage(message) {
  if (message) console.error(`fuzz: ${message}`);
  console.error('usage: npm run fuzz -- --runs N [--seed S] [--batch B] [--no-corpus] [--no-write]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { runs: 10_000, seed: null, batch: 1000, corpus: true, write: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) usage(`${a} needs a non-negative integer`);
      return v;
    };
    if (a === '--runs') opts.runs = num();
    else if (a === '--seed') opts.seed = num();
    else if (a === '--batch') opts.batch = Math.max(1, num());
    else if (a === '--no-corpus') opts.corpus = false;
    else if (a === '--no-write') opts.write = false;
    else if (a === '--help' || a === '-h') usage();
    else usage(`unknown argument ${a}`);
  }
  if (opts.seed === null) opts.seed = crypto.randomInt(2 ** 31 - 1);
  return opts;
}

/**
 * The fuzz modules are TypeScript under test/fuzz; dist/ holds only src and
 * plugin. Transpile them into dist/test/fuzz/, where their `../../src/…js`
 * imports resolve to the built dist/src/.
 */
async function loadFuzzModules() {
  if (!fs.existsSync(path.join(root, 'dist', 'src', 'index.js'))) {
    console.error('fuzz: dist/ is missing: run `npx tsc -p tsconfig.json` first');
    process.exit(2);
  }
  warnIfStale();
  const ts = (await import('typescript')).default;
  const outDir = path.join(root, 'dist', 'test', 'fuzz');
  fs.mkdirSync(outDir, { recursive: true });
  for (const name of ['arbitraries', 'properties', 'regressions']) {
    const source = fs.readFileSync(path.join(root, 'test', 'fuzz', `${name}.ts`), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: `${name}.ts`,
    });
    fs.writeFileSync(path.join(outDir, `${name}.js`), outputText);
  }
  const arbitraries = await import(pathToFileURL(path.join(outDir, 'arbitraries.js')).href);
  const properties = await import(pathToFileURL(path.join(outDir, 'properties.js')).href);
  const regressions = await import(pathToFileURL(path.join(outDir, 'regressions.js')).href);
  return { arbitraries, properties, regressions };
}

/** Say so when a source file is newer than the build: the run would test old code. */
function warnIfStale() {
  const built = fs.statSync(path.join(root, 'dist', 'src', 'index.js')).mtimeMs;
  const stack = [path.join(root, 'src')];
  while (stack.length > 0) {
    const dir = stack.pop();
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (p.endsWith('.ts') && fs.statSync(p).mtimeMs > built) {
        console.warn(`fuzz: warning: ${path.relative(root, p)} is newer than dist/: run \`npx tsc -p tsconfig.json\` to test it`);
        return;
      }
    }
  }
}

/**
 * A failure's shape, for recognising the same bug again: the property, then
 * for internal errors the rules and whether the engine refused the fix or it
 * did not settle, for meaning changes the parts of meaning() that differ, for
 * throws the error's first line.
 */
function signature(failure) {
  const first = failure.message.split('\n')[0];
  if (failure.property === 'fix-internal-error') {
    const kinds = [...first.matchAll(/(?:^|; )(?:on its own output: )?([a-z0-9-]+) \(line \d+\): (fix refused|fix did not settle|[^(;]{0,40})/g)]
      .map((m) => `${m[1]}:${m[2]}`);
    return `${failure.property}|${[...new Set(kinds)].sort().join(',')}`;
  }
  if (failure.property === 'format-time' || failure.property === 'fix-time') return failure.property;
  return `${failure.property}|${first.replace(/\d+/g, 'N').replace(/"[^"]*"/g, '"…"').slice(0, 160)}`;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { default: fc } = await import('fast-check');
  const { arbitraries, properties, regressions } = await loadFuzzModules();
  // Bugs that a failing fixture in fixtures/regressions/ already captures are tallied, not reported again.
  const knownBugs = regressions.knownBugs(regressions.loadRegressions(regressions.regressionsDir(root)));
  if (knownBugs.length > 0) console.log(`fuzz: known bugs (failing fixtures) tallied, not reported: ${knownBugs.map((k) => k.name).join(', ')}`);
  const tallied = new Map();
  const corpusDir = arbitraries.corpusDir(root);
  const corpus = opts.corpus ? arbitraries.loadCorpus(corpusDir) : null;
  if (opts.corpus && !corpus) console.warn(`fuzz: corpus not found at ${corpusDir}: corpus mutations skipped`);
  console.log(`fuzz: ${opts.runs} cases, seed ${opts.seed}, batches of ${opts.batch}, corpus ${corpus ? `${corpus.length} files` : 'off'}`);

  const caseArb = fc.tuple(arbitraries.fuzzCase(corpus), arbitraries.formatOptions);
  /** signature → { count, written } */
  const known = new Map();
  const found = [];
  let cases = 0;
  let slowCases = 0;
  const started = performance.now();

  /** Every property a case breaks: format and fix always, Prettier and each rule alone when asked. */
  const failuresOf = async (c, o, withSlowChecks) => {
    const failures = [properties.checkFormat(c.text, o), properties.checkFix(c.text)];
    if (withSlowChecks) {
      failures.push(await properties.checkFormatAsync(c.text, o));
      failures.push(properties.checkFixEachRule(c.text));
    }
    return failures.filter((f) => f !== null);
  };

  for (let batch = 0; cases < opts.runs; batch++) {
    const numRuns = Math.min(opts.batch, opts.runs - cases);
    const seed = (opts.seed + batch) % 2 ** 31;
    let ran = 0;
    let shrinking = false;
    const details = await fc.check(
      fc.asyncProperty(caseArb, async ([c, o]) => {
        if (!shrinking) ran++;
        // one case in ten also goes through Prettier's format() and each rule alone
        const slow = shrinking || ran % 10 === 0;
        if (slow && !shrinking) slowCases++;
        const failures = await failuresOf(c, o, slow);
        for (const f of failures) {
          const bug = regressions.knownBugFor(f, knownBugs);
          if (bug) {
            if (!shrinking) tallied.set(bug.name, (tallied.get(bug.name) ?? 0) + 1);
            continue;
          }
          const sig = signature(f);
          const k = known.get(sig);
          if (!k) {
            // fast-check only shrinks after the first failure of a batch: later calls are shrink attempts
            shrinking = true;
            throw Object.assign(new Error(`${f.property}: ${f.message}`), { failure: f, sig });
          }
          if (!shrinking) k.count++;
        }
        return true;
      }),
      { seed, numRuns },
    ).catch((e) => ({ failed: true, error: e }));
    // a failing batch stops at its counterexample: count the cases it ran
    cases += details.failed && details.numRuns > 0 ? details.numRuns : numRuns;
    if (details.failed && details.counterexample) {
      const [shrunk, o] = details.counterexample[0];
      const err = details.errorInstance;
      let failure = err?.failure ?? { property: 'format-throws', message: String(err) };
      const sig = err?.sig ?? signature(failure);
      let c = shrunk;
      if (c.origin !== 'corpus' && !failure.property.endsWith('-time')) {
        // a smaller text that fails the same way (never for corpus text: that stays a recipe)
        const checks = failure.property.startsWith('format')
          ? [(t) => properties.checkFormat(t, o)]
          : [(t) => properties.checkFix(t), (t) => properties.checkFixEachRule(t)];
        const same = (t) => {
          for (const check of checks) {
            const f = check(t);
            if (f !== null && signature(f) === sig) return f;
          }
          return null;
        };
        const text = minimize(c.text, (t) => same(t) !== null);
        if (text !== c.text) {
          c = { ...c, text, minimizedFrom: c.text.length };
          failure = same(text) ?? failure;
        }
      }
      known.set(sig, { count: 1, written: null });
      const written = opts.write ? writeCounterexample(c, o, failure, seed, details.counterexamplePath) : null;
      known.get(sig).written = written;
      found.push({ failure, sig, seed, path: details.counterexamplePath, written, origin: c.origin });
      console.log(`\nFAILURE ${found.length}: ${failure.property} (batch seed ${seed}, path ${details.counterexamplePath}, ${c.origin})`);
      console.log(`  ${failure.message.split('\n').slice(0, 4).join('\n  ').slice(0, 1500)}`);
      console.log(`  input: ${c.origin === 'corpus' ? `corpus ${c.corpusFile} + ${JSON.stringify(c.mutations)}` : JSON.stringify(c.text).slice(0, 600)}`);
      if (written) console.log(`  written: ${path.relative(root, written)}`);
    } else if (details.failed) {
      console.log(`\nbatch seed ${seed} failed without a counterexample: ${String(details.error ?? details.errorInstance)}`);
      found.push({ failure: { property: 'format-throws', message: String(details.error) }, seed });
    }
    const secs = (performance.now() - started) / 1000;
    const progress = `fuzz: ${cases}/${opts.runs} cases, ${found.length} distinct failures, ${secs.toFixed(0)} s (${(cases / secs).toFixed(0)}/s)`;
    // on a terminal one line that updates; in a log, a line every ten batches
    if (process.stdout.isTTY) process.stdout.write(`\r${progress}   `);
    else if (batch % 10 === 9 || cases >= opts.runs) console.log(progress);
  }
  const secs = (performance.now() - started) / 1000;
  console.log(`\n\nfuzz: done: ${cases} cases (${slowCases} also through Prettier's format() and each rule alone), seed ${opts.seed}, ${secs.toFixed(1)} s`);
  console.log(`fuzz: ${found.length} distinct failures`);
  if (tallied.size > 0) console.log(`fuzz: known bugs seen again: ${[...tallied].map(([n, k]) => `${n} ×${k}`).join(', ')}`);
  for (const f of found) {
    const again = known.get(f.sig)?.count ?? 0;
    console.log(`  - ${f.failure.property}: ${f.failure.message.split('\n')[0].slice(0, 200)} (seen ${again}×${f.written ? `, ${path.relative(root, f.written)}` : ''})`);
  }
  process.exit(found.length > 0 ? 1 : 0);
}

/**
 * Make a failing text smaller while it still fails the same way (same
 * signature): fast-check shrinks the structure a case was generated from,
 * which leaves mutated texts long. Classic delta debugging over lines, then
 * over characters; bounded, so a slow property cannot stall the run.
 */
function minimize(text, stillFails) {
  let best = text;
  let budget = 3000;
  const tryCut = (units, join) => {
    for (let size = Math.max(1, units.length >> 1); size >= 1; size = size === 1 ? 0 : Math.max(1, size >> 1)) {
      for (let i = 0; i + size <= units.length && budget > 0; ) {
        const candidate = [...units.slice(0, i), ...units.slice(i + size)];
        budget--;
        if (stillFails(join(candidate))) {
          units = candidate;
          best = join(units);
        } else i += size;
      }
    }
    return units;
  };
  tryCut(best.split(/(?<=\n)/), (u) => u.join(''));
  tryCut([...best], (u) => u.join(''));
  return best;
}

/**
 * Write a shrunk counterexample under fixtures/regressions/: the text itself
 * when we generated it, a recipe when it derives from the corpus.
 */
function writeCounterexample(c, o, failure, seed, counterexamplePath) {
  const dir = path.join(root, 'fixtures', 'regressions');
  fs.mkdirSync(dir, { recursive: true });
  const hash = crypto.createHash('sha256').update(c.origin === 'corpus' ? JSON.stringify([c.corpusFile, c.mutations]) : c.text).digest('hex').slice(0, 8);
  const base = path.join(dir, `fuzz-${failure.property}-${hash}`);
  const meta = {
    property: failure.property,
    description: `found by fuzzing: ${failure.message.split('\n')[0].slice(0, 300)}`,
    where: 'not triaged yet',
    status: 'new',
    origin: c.origin,
    formatOptions: failure.property.startsWith('format') ? o : undefined,
    found: `npm run fuzz -- --seed ${seed} --runs <batch size> (fast-check path ${counterexamplePath})`,
  };
  if (c.origin === 'corpus') {
    // Third-party text is never copied into the project: only its name and our mutations.
    fs.writeFileSync(`${base}.corpus.json`, JSON.stringify({ ...meta, corpusFile: c.corpusFile, mutations: c.mutations }, null, 2) + '\n');
    return `${base}.corpus.json`;
  }
  fs.writeFileSync(`${base}.Dockerfile`, c.text);
  fs.writeFileSync(`${base}.json`, JSON.stringify(meta, null, 2) + '\n');
  return `${base}.Dockerfile`;
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
