/**
 * dockerfix's formatter API. `format()` runs Prettier with the plugin, so the
 * API, the CLI (`dockerfix --format`) and `prettier --write` print the same
 * bytes. Prettier is imported on first use only: the CLI starts without it.
 */
import type { Options } from 'prettier';
import { printer as docPrinter } from 'prettier/doc';
import { parseRoot } from './parser.js';
import { printDocument } from './print-document.js';
import { plugin } from './plugin.js';
import { printOptionsFrom, type DockerfileOptions } from './options.js';

export { plugin } from './plugin.js';
export { printDocument } from './print-document.js';
export type { PrintOptions } from './print-document.js';
export type { DockerfileOptions } from './options.js';

/** Prettier's options plus the plugin's own (`dockerfileRunLayout`). */
export type FormatOptions = Options & DockerfileOptions;

/**
 * A carriage return that does not end a line: Prettier turns it into a line
 * break before any plugin sees the text, while BuildKit reads it as a
 * character of the line. Such files are returned unchanged.
 */
const LONE_CR = /\r(?!\n)/;

/**
 * Text Prettier would print as nothing though BuildKit reads an instruction
 * in it: after the BOM, only JavaScript whitespace, with a U+FEFF among it
 * (JavaScript's trim() strips U+FEFF; BuildKit strips one BOM and reads a
 * second as a character). Prettier's core returns "" for whitespace-only
 * text before any plugin runs, so such files are returned unchanged.
 */
function prettierWouldEmpty(text: string): boolean {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.includes('\uFEFF') && body.trim() === '';
}

/** Format a Dockerfile with Prettier and the dockerfix plugin. */
export async function format(text: string, options: FormatOptions = {}): Promise<string> {
  if (LONE_CR.test(text) || prettierWouldEmpty(text)) return text;
  const prettier = await import('prettier');
  return prettier.format(text, {
    parser: 'dockerfile',
    ...options,
    // This plugin prints every Dockerfile; plugins a config file names (by a
    // path that may not resolve from here, or another copy of this one) add nothing.
    plugins: [plugin],
  });
}

/**
 * The same output as `format()` without Prettier's option resolution and
 * without a Promise: the printer and Prettier's doc printer called directly,
 * with Prettier's BOM and end-of-line handling reproduced. For hot loops
 * (benchmarks, the fixer); does not read config files. Tested equal to
 * `format()` over the corpus.
 */
export function formatSync(text: string, options: FormatOptions = {}): string {
  if (LONE_CR.test(text) || prettierWouldEmpty(text)) return text;
  const bom = text.charCodeAt(0) === 0xfeff;
  let body = bom ? text.slice(1) : text;
  let endOfLine = options.endOfLine ?? 'lf';
  if (endOfLine === 'auto') {
    const cr = body.indexOf('\r');
    endOfLine = cr < 0 ? 'lf' : body[cr + 1] === '\n' ? 'crlf' : 'cr';
  }
  if (body.includes('\r')) body = body.replace(/\r\n?/g, '\n');
  let out = '';
  if (body.trim().length > 0) {
    const root = parseRoot(body);
    const doc = root.document === null ? body : printDocument(root.document, printOptionsFrom(options));
    // (the doc printer reads endOfLine, which its published type leaves out)
    out = docPrinter.printDocToString(doc, {
      printWidth: options.printWidth ?? 80,
      tabWidth: options.tabWidth ?? 4,
      useTabs: options.useTabs ?? false,
      endOfLine,
    } as Parameters<typeof docPrinter.printDocToString>[1]).formatted;
  }
  return bom ? '\uFEFF' + out : out;
}
