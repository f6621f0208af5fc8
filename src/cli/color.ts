/**
 * Colour: decided once per output stream, then applied with node:util's
 * `styleText`. We always pass `validateStream: false` because newer Node
 * versions would otherwise second-guess our decision (and turn colour off in
 * tests that force it, or on in pipes).
 */
import { styleText } from 'node:util';
import type { OutStream } from './io.js';

export type Style = Parameters<typeof styleText>[0];
export type Paint = (style: Style, text: string) => string;

/**
 * `--color` / `--no-color` win; then FORCE_COLOR (`0`/`false` turn it off, any
 * other value on), as Node itself gives it precedence; then NO_COLOR (any
 * non-empty value, per no-color.org); then TERM=dumb; then whether the stream
 * is a terminal.
 */
export function colorEnabled(stream: OutStream, flag: boolean | undefined, env: Record<string, string | undefined>): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export function painter(enabled: boolean): Paint {
  if (!enabled) return (_style, text) => text;
  return (style, text) => styleText(style, text, { validateStream: false });
}

/** Longer messages are cut: one quoting a 1 MB instruction would flood the terminal. */
export const MAX_MESSAGE = 500;

/**
 * Dockerfile text quoted in a message, made safe for a terminal: control
 * characters (ESC sequences could recolour, retitle or clear the screen) are
 * shown as `\xNN` escapes, and a message longer than MAX_MESSAGE characters
 * is cut (never inside a surrogate pair). Our own colours are added after this.
 */
export function printable(text: string): string {
  if (text.length > MAX_MESSAGE) {
    let cut = MAX_MESSAGE;
    if (/[\ud800-\udbff]/.test(text[cut - 1])) cut--;
    text = `${text.slice(0, cut)}… (${text.length - cut} more characters)`;
  }
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
