/**
 * An emulation of BuildKit's `Node.Dump()` (moby/buildkit
 * frontend/dockerfile/parser/parser.go) over our Document, used to compare our
 * parser with BuildKit's own parser test results. The node chain each
 * instruction gets is that of BuildKit's line parsers (line_parsers.go):
 *
 *   (keyword ["--flag=v" …] "arg" "arg" …)        one line per instruction
 *   (env "k" "v" "=" …) / (label "k" "v" "")      key, value, separator triples
 *   (onbuild (run "x"))                           a nested trigger
 *   (foo "")                                      unknown instruction (parseIgnore)
 */
import { type Document, type Instruction, parseWords, splitWhitespace } from '../../src/syntax/index.js';

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Go's strconv.Quote (for valid UTF-8). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp === 0x20 || PRINTABLE.test(ch)) out += ch;
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + '"';
}

/** The `Next` chain of an instruction node: plain values, or a nested node (ONBUILD). */
type Next = string | { child: Instruction };

function isAsciiSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** What BuildKit's line parser for this keyword hangs off the node. */
function nextChain(inst: Instruction, escape: string): Next[] {
  const args = inst.args;
  const words = (): string[] => splitWhitespace(args).map((w) => w.value);
  switch (inst.keyword) {
    case 'RUN':
    case 'CMD':
    case 'ENTRYPOINT':
    case 'SHELL': // parseMaybeJSON
      if (args === '') return [];
      return inst.json ?? [args];
    case 'ADD':
    case 'COPY':
    case 'VOLUME': // parseMaybeJSONToList
      return inst.json ?? words();
    case 'FROM':
    case 'EXPOSE': // parseStringsWhitespaceDelimited
      return words();
    case 'ENV':
    case 'LABEL': { // parseNameVal
      const ws = parseWords(args, escape).map((w) => w.value);
      if (ws.length === 0) return [];
      if (!ws[0].includes('=')) {
        const m = /^([^\t\v\f\r ]*)[\t\v\f\r ]+([\s\S]*)$/.exec(args);
        return m ? [m[1], m[2], ''] : [];
      }
      return ws.flatMap((w) => {
        const eq = w.indexOf('=');
        return [w.slice(0, eq), w.slice(eq + 1), '='];
      });
    }
    case 'ARG': // parseNameOrNameVal
      return parseWords(args, escape).map((w) => w.value);
    case 'HEALTHCHECK': { // parseHealthConfig
      let sep = 0;
      while (sep < args.length && !isAsciiSpace(args.charCodeAt(sep))) sep++;
      if (sep === 0) return [];
      let next = sep;
      while (next < args.length && isAsciiSpace(args.charCodeAt(next))) next++;
      const rest = args.slice(next);
      return [args.slice(0, sep), ...(rest === '' ? [] : inst.json ?? [rest])];
    }
    case 'ONBUILD': // parseSubCommand
      return inst.trigger ? [{ child: inst.trigger }] : [];
    case 'MAINTAINER':
    case 'STOPSIGNAL':
    case 'USER':
    case 'WORKDIR': // parseString
      return args === '' ? [] : [args];
    default: // parseIgnore
      return [''];
  }
}

/** Node.Dump for one instruction node. */
export function dumpInstruction(inst: Instruction, escape: string): string {
  let str = inst.rawKeyword.toLowerCase();
  if (inst.flags.length > 0) {
    const words = inst.flags.map((f) => goQuote('--' + f.name + (f.value === null ? '' : '=' + f.value)));
    str += ' [' + words.join(' ') + ']';
  }
  for (const n of nextChain(inst, escape)) {
    str += ' ' + (typeof n === 'string' ? goQuote(n) : '(' + dumpInstruction(n.child, escape) + ')');
  }
  return str.trim();
}

/** Node.Dump for the whole file: one `(…)` line per instruction. */
export function dump(doc: Document): string {
  return doc.instructions.map((i) => '(' + dumpInstruction(i, doc.escape) + ')').join('\n');
}
