/**
 * The parser and meaning() over every Dockerfile of the shared corpus: no
 * crash, deterministic summaries, a consistent Document, and problems only
 * where BuildKit rejects the file.
 */
import { expect, it } from 'vitest';
import { type Document, meaning, parse } from '../../src/syntax/index.js';
import { corpusDockerfiles, describeWithCorpus, manifest, readCorpusFile } from './corpus.js';

const TESTFILES = 'moby__buildkit__frontend__dockerfile__parser__testfiles__';

/**
 * Files outside the `expected-invalid` tag that BuildKit still rejects. They
 * are BuildKit's *parser* test cases, which its parser accepts but its
 * instruction layer (instructions/parse.go) does not.
 */
const ALSO_REJECTED: Record<string, string> = {
  [`${TESTFILES}flags__Dockerfile`]: 'CMD takes no flags: unknown flag: --doit',
  [`${TESTFILES}health__Dockerfile`]: 'HEALTHCHECK without arguments, CMD without a command, type CONNECT',
  [`${TESTFILES}json__Dockerfile`]: 'CMD without any FROM: no build stage in current context',
  [`${TESTFILES}jeztah-invalid-json-json-inside-string-double__Dockerfile`]: 'CMD without FROM',
  [`${TESTFILES}jeztah-invalid-json-json-inside-string__Dockerfile`]: 'CMD without FROM',
  [`${TESTFILES}jeztah-invalid-json-single-quotes__Dockerfile`]: 'CMD without FROM',
  [`${TESTFILES}jeztah-invalid-json-unterminated-bracket__Dockerfile`]: 'CMD without FROM',
  [`${TESTFILES}jeztah-invalid-json-unterminated-string__Dockerfile`]: 'CMD without FROM',
};

/** Every physical line belongs to exactly one node (heredoc bodies to their instruction). */
function lineOwners(doc: Document): number[] {
  const owners = new Array<number>(doc.lines.length).fill(0);
  for (const node of doc.nodes) {
    if (node.type === 'blank') for (let l = node.line; l < node.line + node.count; l++) owners[l]++;
    else if (node.type === 'instruction') for (let l = node.startLine; l <= node.endLine; l++) owners[l]++;
    else owners[node.line]++;
  }
  return owners;
}

describeWithCorpus('syntax over the corpus', () => {
  const files = corpusDockerfiles();
  const expectedInvalid = new Set(manifest().filter((r) => (r.tags ?? '').split(',').includes('expected-invalid')).map((r) => r.file));

  it('has the corpus files and the expected-invalid tags', () => {
    expect(files.length).toBeGreaterThan(400);
    expect(expectedInvalid.size).toBe(4);
  });

  it('parses every file without throwing, into a consistent Document', () => {
    for (const file of files) {
      const text = readCorpusFile(file);
      const doc = parse(text);
      expect(doc.text, file).toBe(text);
      expect(lineOwners(doc).every((n) => n === 1), `${file}: every line owned once`).toBe(true);
      for (const inst of doc.instructions) {
        const mapped = Array.from(inst.logical.text, (_, k) => text[inst.logical.map[k]]).join('');
        expect(mapped, `${file}:${inst.startLine + 1} logical map`).toBe(inst.logical.text);
        expect(inst.lineStart <= inst.start && inst.start <= inst.end, `${file}:${inst.startLine + 1} ranges`).toBe(true);
        for (const f of inst.flags) {
          // a flag may be continued over lines: its range starts and ends on its first and last characters
          expect(inst.logical.text.includes(f.raw), `${file}:${inst.startLine + 1} flag raw`).toBe(true);
          expect(text[f.start] + text[f.end - 1], `${file}:${inst.startLine + 1} flag range`).toBe(f.raw[0] + f.raw[f.raw.length - 1]);
        }
      }
    }
  });

  it('computes the same meaning twice, from text or from a parsed Document', () => {
    for (const file of files) {
      const text = readCorpusFile(file);
      const first = JSON.stringify(meaning(text));
      expect(JSON.stringify(meaning(text)), file).toBe(first);
      expect(JSON.stringify(meaning(parse(text))), file).toBe(first);
    }
  });

  it('reports problems only for files BuildKit rejects', () => {
    const withProblems: string[] = [];
    for (const file of files) {
      const doc = parse(readCorpusFile(file));
      if (doc.problems.length === 0) continue;
      withProblems.push(file);
      expect(expectedInvalid.has(file) || file in ALSO_REJECTED, `${file}: ${JSON.stringify(doc.problems)}`).toBe(true);
    }
    for (const file of expectedInvalid) expect(withProblems, `${file} must report a problem`).toContain(file);
    console.log(
      `[corpus] ${withProblems.length} of ${files.length} files report problems ` +
        `(${expectedInvalid.size} tagged expected-invalid, ${Object.keys(ALSO_REJECTED).length} BuildKit parser testfiles its instruction layer rejects)`,
    );
    expect(withProblems.length).toBe(expectedInvalid.size + Object.keys(ALSO_REJECTED).length);
  });
});
