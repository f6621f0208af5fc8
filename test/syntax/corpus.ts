/**
 * Where the shared third-party corpus lives (../shared/corpus relative to the
 * repository root) and how tests behave without it: skipped with a visible
 * message locally, failed when `CI` is set. The corpus is read at test time
 * and never copied into the project (see its README).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CORPUS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');
export const CORPUS_FILES = path.join(CORPUS_DIR, 'files');
export const CORPUS_PRESENT = fs.existsSync(CORPUS_FILES) && fs.existsSync(path.join(CORPUS_DIR, 'MANIFEST.tsv'));

/** Every Dockerfile of the corpus (not the `.result` dumps), sorted by name. */
export function corpusDockerfiles(): string[] {
  return fs.readdirSync(CORPUS_FILES).filter((f) => !f.endsWith('.result')).sort();
}

export function readCorpusFile(name: string): string {
  return fs.readFileSync(path.join(CORPUS_FILES, name), 'utf8');
}

/** MANIFEST.tsv rows as objects keyed by the header. */
export function manifest(): Array<Record<string, string>> {
  const [header, ...rows] = fs.readFileSync(path.join(CORPUS_DIR, 'MANIFEST.tsv'), 'utf8').split('\n').filter((l) => l !== '');
  const cols = header.split('\t');
  return rows.map((r) => Object.fromEntries(r.split('\t').map((v, i) => [cols[i], v])));
}

/** describe() when the corpus is there; otherwise a visible skip, or a failure under CI. */
export function describeWithCorpus(name: string, body: () => void): void {
  if (CORPUS_PRESENT) {
    describe(name, body);
    return;
  }
  const message = `corpus not found at ${CORPUS_FILES}`;
  describe(name, () => {
    if (process.env.CI) {
      it('needs the shared corpus', () => {
        throw new Error(`${message} (CI is set, so this fails instead of skipping)`);
      });
    } else {
      console.warn(`[${name}] SKIPPED: ${message}`);
      it.skip(`SKIPPED: ${message}`, () => {});
    }
  });
}
