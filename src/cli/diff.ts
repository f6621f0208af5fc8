/**
 * Unified diffs for --dry-run, git-style `a/` and `b/` names so the output
 * can be applied with `git apply -p1` or `patch -p1`. The `diff` package is
 * imported only when a diff is actually needed.
 */
import path from 'node:path';
import type { Paint } from './color.js';

export async function unifiedDiff(display: string, before: string, after: string): Promise<string> {
  const { createTwoFilesPatch, FILE_HEADERS_ONLY } = await import('diff');
  const name = display.split(path.sep).join('/').replace(/^\/+/, '');
  return createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY });
}

/** A diff creating a file that does not exist yet (a proposed .dockerignore). */
export async function newFileDiff(display: string, content: string): Promise<string> {
  const { createTwoFilesPatch, FILE_HEADERS_ONLY } = await import('diff');
  const name = display.split(path.sep).join('/').replace(/^\/+/, '');
  return createTwoFilesPatch('/dev/null', `b/${name}`, '', content, undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY });
}

/** Colour a unified diff line by line, as `git diff` does. */
export function colorDiff(patch: string, paint: Paint): string {
  return patch
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return paint('bold', line);
      if (line.startsWith('@@')) return paint('cyan', line);
      if (line.startsWith('+')) return paint('green', line);
      if (line.startsWith('-')) return paint('red', line);
      if (line.startsWith('\\')) return paint('dim', line);
      return line;
    })
    .join('\n');
}
