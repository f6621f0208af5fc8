/**
 * The Prettier parser: one parse of src/syntax per format call. Prettier core
 * has already removed a BOM and turned CRLF/CR into LF (it restores the BOM
 * and applies `endOfLine` to the output itself).
 */
import type { Parser } from 'prettier';
import { parse, type Document } from '../syntax/index.js';

/**
 * The AST handed to the printer: the whole Document under one root, or null
 * when the syntax layer failed on the text (never expected): the file is then
 * printed as it is rather than failing.
 */
export interface DockerfileRoot {
  type: 'dockerfile';
  document: Document | null;
  text: string;
  start: number;
  end: number;
}

/**
 * Parse for the printer; a failure of the syntax layer leaves the text to be
 * printed as it is. `text` is what Prettier hands over: any BOM is already
 * gone, so a U+FEFF that still starts it is the second one of the file and a
 * character of line 1 (BuildKit strips one BOM only). parse() would strip it
 * as a BOM: it gets it behind a stand-in BOM instead, which the document
 * marks (`bom`) and the printer skips, so positions stay the document's own.
 */
export function parseRoot(text: string): DockerfileRoot {
  let document: Document | null = null;
  try {
    document = parse(text.charCodeAt(0) === 0xfeff ? '\uFEFF' + text : text);
  } catch {
    // keep the bytes: formatting must never make a file fail
  }
  return { type: 'dockerfile', document, text, start: 0, end: text.length };
}

export const locStart = (node: { start?: number }): number => node.start ?? 0;
export const locEnd = (node: { end?: number }): number => node.end ?? 0;

export const parser: Parser<DockerfileRoot> = {
  astFormat: 'dockerfile',
  parse: (text) => parseRoot(text),
  locStart,
  locEnd,
};
