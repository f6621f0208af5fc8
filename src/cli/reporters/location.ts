/** `file:line:col` for errors, the form editors and terminals make clickable. */
import { displayPath } from '../discover.js';
import type { FileError, FileResult } from '../pipeline.js';

export function errorLocation(result: FileResult, error: FileError, cwd: string): string {
  const file = error.file ? displayPath(error.file, cwd) : result.display;
  return error.line !== undefined ? `${file}:${error.line}:${error.column ?? 1}` : file;
}

/** The file and position an annotation should point at. */
export function errorTarget(result: FileResult, error: FileError, cwd: string): { file: string; line?: number; column?: number } {
  return { file: error.file ? displayPath(error.file, cwd) : result.display, line: error.line, column: error.column };
}
