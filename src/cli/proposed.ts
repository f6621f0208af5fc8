/**
 * Files a finding proposes to create (`Finding.proposedFile`; today the
 * `.dockerignore` of build-context). They are suggestions: shown with every
 * run, diffed from /dev/null under `--dry-run`, created only with
 * `--write-dockerignore`, and they never change the exit code of `--check`.
 *
 * run.ts settles them in report order, so when two Dockerfiles of one build
 * context propose the same file the first one in discovery order is shown
 * (or written) and the second finds it taken.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CliOptions } from './args.js';
import { newFileDiff } from './diff.js';
import { displayPath } from './discover.js';
import type { FileResult } from './pipeline.js';
import { createFileAtomic, FileExistsError, WriteError } from './write.js';

/** `--write-dockerignore` creates ignore files only: `.dockerignore`, and BuildKit's per-Dockerfile `NAME.dockerignore`. */
export function isDockerignore(relPath: string): boolean {
  return path.basename(relPath).endsWith('.dockerignore');
}

export class ProposedFiles {
  /** absolute paths already shown or written in this run */
  private readonly seen = new Set<string>();

  constructor(
    private readonly options: CliOptions,
    private readonly cwd: string,
  ) {}

  /**
   * Decide each proposal's `status`: create it when `--write-dockerignore`
   * applies, else note whether something is already there. Under
   * `--dry-run` the diff of each path new to this run is appended to
   * `result.diff`. A failed write becomes one of the file's errors.
   */
  async settle(result: FileResult): Promise<void> {
    const writes = this.options.writeDockerignore && !this.options.check && !this.options.dryRun;
    let diff = '';
    for (const p of result.proposedFiles) {
      const first = !this.seen.has(p.abs);
      this.seen.add(p.abs);
      if (writes && isDockerignore(p.path)) {
        try {
          await createFileAtomic(p.abs, p.content);
          p.status = 'written';
        } catch (err) {
          if (err instanceof FileExistsError) p.status = 'exists';
          else if (err instanceof WriteError) {
            p.status = 'error';
            result.errors.push({ message: `${displayPath(p.abs, this.cwd)}: ${err.message} (proposed by ${p.ruleId})` });
          } else throw err;
        }
        continue;
      }
      if (exists(p.abs)) {
        p.status = 'exists';
        continue;
      }
      // One diff per path: a second creation of the same file would not apply.
      if (this.options.dryRun && first) diff += await newFileDiff(displayPath(p.abs, this.cwd), p.content);
    }
    if (diff) result.diff = (result.diff ?? '') + diff;
  }
}

/** Anything at the path, a dangling symlink included (creating the file would fail there too). */
function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
