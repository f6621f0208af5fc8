/**
 * The Prettier parser: one parse of src/syntax per format call. Prettier core
 * has already removed a BOM and turned CRLF/CR into LF (it restores the BOM
 * and applies `endOfLine` to the output itself).
 */
import type { Parser } from 'prettier';
import { parse, type Document } from '../syntax/index.js';

/** The AST handed to the printer: the whole Document under one root. */
export interface DockerfileRoot {
  type: 'dockerfile';
  document: Document;
  start: number;
  end: number;
}

export const locStart = (node: { start?: number }): number => node.start ?? 0;
export const locEnd = (node: { end?: number }): number => node.end ?? 0;

export const parser: Parser<DockerfileRoot> = {
  astFormat: 'dockerfile',
  parse: (text) => ({ type: 'dockerfile', document: parse(text), start: 0, end: text.length }),
  locStart,
  locEnd,
};
