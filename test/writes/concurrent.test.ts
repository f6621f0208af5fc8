/**
 * Two CLI processes fixing the same tree at the same time (a pre-commit hook
 * and an editor, two CI steps) must not corrupt anything: every file ends as
 * the fixed content, no temp file is left. A run that finds a file changed
 * under it since it read it refuses to write that one ("the file changed
 * while dockerfix was working on it"): an error line and exit 2, never a
 * clobbered file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, errorLines, startCli, tempLeftovers, tempTree } from '../hostile/harness.js';

beforeAll(ensureBuilt, 180_000);

const FILES = 200;
const ONLY = ['--select', 'from-as-casing'];
const oldContent = (i: number): string => `FROM alpine:3.20 as build${i}\n# file ${i}\n${`RUN echo ${i}\n`.repeat(50)}`;
const newContent = (i: number): string => oldContent(i).replace(' as ', ' AS ');
const rel = (i: number): string => `svc${String(i).padStart(3, '0')}/Dockerfile`;

describe('concurrent runs on one tree', () => {
  it.each([2, 3])('%i processes at once: every file ends as the fixed content, nothing torn, no temp file', async (n) => {
    const files: Record<string, string> = {};
    for (let i = 0; i < FILES; i++) files[rel(i)] = oldContent(i);
    const dir = tempTree(files);
    const runs = await Promise.all(Array.from({ length: n }, () => startCli(ONLY, { cwd: dir, timeoutMs: 60_000 }).done));
    for (const r of runs) {
      expect(r.signal).toBeNull();
      expect([0, 2]).toContain(r.code);
      // The only acceptable error: a file another run replaced after this one read it.
      for (const line of errorLines(r.err)) expect(line).toMatch(/^svc\d{3}\/Dockerfile: error: the file changed while dockerfix was working on it; not written$/);
      if (r.code === 2) expect(errorLines(r.err).length).toBeGreaterThan(0);
    }
    console.info(`${n} concurrent runs on ${FILES} files: exit codes ${runs.map((r) => r.code).join(', ')}; "changed while working" refusals ${runs.map((r) => errorLines(r.err).length).join(', ')}`);
    for (let i = 0; i < FILES; i++) expect(fs.readFileSync(path.join(dir, rel(i)), 'utf8'), rel(i)).toBe(newContent(i));
    expect(tempLeftovers(dir)).toEqual([]);
  }, 90_000);
});
