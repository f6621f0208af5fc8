/**
 * Regression fixtures found by fuzzing: fixtures/regressions/<name>.Dockerfile
 * (our own text, never corpus content) with a sidecar <name>.json:
 *
 *   {
 *     "property": "fix-internal-error",      the property it broke (see properties.ts)
 *     "match": "^non-root-user",              optional: a regexp the failure message matched
 *     "description": "…",                      what goes wrong, in one line
 *     "where": "src/rules/non-root-user.ts",  where the bug is
 *     "status": "fixed" | "handed over" | "new",  fixed by the fuzzing work, left for the owner of `where`,
 *                                             or just written by `npm run fuzz` and not triaged yet
 *     "formatOptions": { … }                  optional: Prettier options the format checks use
 *   }
 *
 * Failures found in mutated corpus files are kept as `<name>.corpus.json`
 * recipes (corpus file name + mutations, no corpus text) until someone writes
 * a fixture of their own for them; they replay only where the corpus is.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FormatCaseOptions, Mutation } from './arbitraries.js';
import { checkFix, checkFixEachRule, checkFormat, type Failure, type PropertyName } from './properties.js';

export interface RegressionMeta {
  property: PropertyName;
  match?: string;
  description: string;
  where: string;
  /** `new`: written by `npm run fuzz`, not triaged yet */
  status: 'fixed' | 'handed over' | 'new';
  formatOptions?: Partial<FormatCaseOptions>;
}

export interface Regression {
  name: string;
  text: string;
  meta: RegressionMeta;
}

export interface CorpusRecipe {
  name: string;
  property: PropertyName;
  corpusFile: string;
  mutations: Mutation[];
  formatOptions?: Partial<FormatCaseOptions>;
}

export function regressionsDir(root: string): string {
  return path.join(root, 'fixtures', 'regressions');
}

/** Every fixture with its sidecar, sorted by name; a fixture without a sidecar is an error. */
export function loadRegressions(dir: string): Regression[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.Dockerfile'))
    .sort()
    .map((file) => {
      const name = file.replace(/\.Dockerfile$/, '');
      const sidecar = path.join(dir, `${name}.json`);
      if (!fs.existsSync(sidecar)) throw new Error(`fixtures/regressions/${file} has no ${name}.json sidecar naming the property it broke`);
      return { name, text: fs.readFileSync(path.join(dir, file), 'utf8'), meta: JSON.parse(fs.readFileSync(sidecar, 'utf8')) as RegressionMeta };
    });
}

export function loadCorpusRecipes(dir: string): CorpusRecipe[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.corpus.json'))
    .sort()
    .map((file) => ({ name: file.replace(/\.corpus\.json$/, ''), ...(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Omit<CorpusRecipe, 'name'>) }));
}

/** Every property over one input: the format checks (with the given options), the fix checks, each rule alone. */
export function checkAll(text: string, formatOptions: Partial<FormatCaseOptions> = {}): Failure[] {
  return [checkFormat(text, formatOptions), checkFix(text), checkFixEachRule(text)].filter((f): f is Failure => f !== null);
}

/** A known bug: a failing regression fixture, and the failures it stands for. */
export interface KnownBug {
  name: string;
  property: PropertyName;
  match: RegExp | null;
}

/**
 * The bugs that regression fixtures still show (their fixtures fail today).
 * The fuzz suites tolerate further failures of the same property whose
 * message matches the fixture's `match`, so one known, handed-over bug does
 * not hide every new one; once the fixture passes, the tolerance ends by
 * itself.
 */
export function knownBugs(regressions: Regression[]): KnownBug[] {
  const out: KnownBug[] = [];
  for (const r of regressions) {
    // only the checks that can break the fixture's property (some fixtures are slow on purpose)
    const checks: Array<() => Failure | null> = r.meta.property.startsWith('format')
      ? [() => checkFormat(r.text, r.meta.formatOptions ?? {})]
      : [() => checkFix(r.text), () => checkFixEachRule(r.text)];
    const reproduces = checks.some((check) => check()?.property === r.meta.property);
    if (reproduces) {
      out.push({ name: r.name, property: r.meta.property, match: r.meta.match ? new RegExp(r.meta.match, 'u') : null });
    }
  }
  return out;
}

/** The known bug a failure is an instance of, if any (a known bug without `match` covers nothing but its own fixture). */
export function knownBugFor(failure: Failure, known: KnownBug[]): KnownBug | undefined {
  return known.find((k) => k.property === failure.property && k.match !== null && k.match.test(failure.message));
}
