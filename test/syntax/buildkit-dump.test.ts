/**
 * Conformance with BuildKit's own parser tests: for each
 * frontend/dockerfile/parser/testfiles/<name>/Dockerfile in the corpus, our
 * Document, printed the way BuildKit's Node.Dump() prints its AST, must equal
 * BuildKit's expected `result` file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { parse } from '../../src/syntax/index.js';
import { CORPUS_FILES, describeWithCorpus } from './corpus.js';
import { dump, goQuote } from './dump.js';

describeWithCorpus('BuildKit parser testfiles: Node.Dump() conformance', () => {
  const results = fs.readdirSync(CORPUS_FILES).filter((f) => f.endsWith('.result')).sort();

  it('finds the 33 BuildKit result files', () => {
    expect(results.length).toBe(33);
  });

  for (const result of results) {
    const dockerfile = result.replace(/\.result$/, '');
    const name = dockerfile.replace(/^moby__buildkit__frontend__dockerfile__parser__testfiles__/, '').replace(/__Dockerfile$/, '');
    it(`${name}: our parse dumps exactly as BuildKit's`, () => {
      const text = fs.readFileSync(path.join(CORPUS_FILES, dockerfile), 'utf8');
      const expected = fs.readFileSync(path.join(CORPUS_FILES, result), 'utf8').replace(/\r\n/g, '\n').replace(/\n+$/, '');
      const doc = parse(text);
      // BuildKit parsed these files without error; so must we (at the parser level).
      expect(dump(doc)).toBe(expected);
    });
  }
});

it('goQuote quotes like Go strconv.Quote', () => {
  expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
  expect(goQuote('\t\n\r\x00\x7f')).toBe('"\\t\\n\\r\\x00\\x7f"');
  expect(goQuote('♥ ☃')).toBe('"♥ ☃"');
  expect(goQuote('\u00a0\u00ad')).toBe('"\\u00a0\\u00ad"');
});
