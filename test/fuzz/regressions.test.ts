/**
 * Every failure fuzzing found stays fixed: each fixture in fixtures/regressions/
 * must now pass every property (format and fix), starting with the one it
 * broke. A fixture whose bug is handed over to another area (its sidecar says
 * `"status": "handed over"` and `where`) fails here until that bug is fixed.
 */
import { describe, expect, it } from 'vitest';
import { repoRoot, corpusDir, loadCorpus, applyMutations } from './arbitraries.js';
import { checkAll, loadCorpusRecipes, loadRegressions, regressionsDir } from './regressions.js';
import { parse } from '../../src/syntax/index.js';

const root = repoRoot(import.meta.dirname);
const dir = regressionsDir(root);
const regressions = loadRegressions(dir);

describe('fuzz regressions (fixtures/regressions)', () => {
  for (const r of regressions) {
    it(`${r.name}: ${r.meta.description} [${r.meta.property}; ${r.meta.where}]`, () => {
      const failures = checkAll(r.text, r.meta.formatOptions);
      // the property the fixture was found for comes first in the report
      failures.sort((a, b) => Number(b.property === r.meta.property) - Number(a.property === r.meta.property));
      expect(failures.map((f) => `${f.property}: ${f.message}`)).toEqual([]);
    });
  }
});

describe('parser fixes found by fuzzing (src/syntax)', () => {
  it('starts a keyword-less instruction (a line holding only the escape) at its escape character, wherever its continuation ends', () => {
    // fixtures/regressions/syntax-escape-only-line-start: the start used to be the instruction's end
    for (const tail of ['', '\n', '\n\n', '\n\n\n', '\r\n\r\n']) {
      const doc = parse(`FROM alpine\n  \\${tail}`);
      const inst = doc.instructions[1];
      expect(inst.rawKeyword).toBe('');
      expect(inst.start).toBe(14);
      expect(doc.problems.find((p) => p.message.startsWith('unknown instruction'))).toMatchObject({ line: 1, column: 2 });
    }
  });
});

const recipes = loadCorpusRecipes(dir);
if (recipes.length > 0) {
  const corpus = loadCorpus(corpusDir(root));
  describe('fuzz regressions from mutated corpus files (replayed from ../shared/corpus)', () => {
    for (const r of recipes) {
      const file = corpus?.find((c) => c.name === r.corpusFile);
      if (!file) {
        if (process.env.CI) it(`${r.name}: needs corpus file ${r.corpusFile}`, () => expect.fail(`corpus file ${r.corpusFile} not found (CI is set)`));
        else it.skip(`${r.name}: SKIPPED, corpus file ${r.corpusFile} not found`, () => {});
        continue;
      }
      it(`${r.name}: ${r.corpusFile} with ${r.mutations.length} mutation(s) passes every property [${r.property}]`, () => {
        const failures = checkAll(applyMutations(file.text, r.mutations), r.formatOptions);
        expect(failures.map((f) => `${f.property}: ${f.message}`)).toEqual([]);
      });
    }
  });
}
