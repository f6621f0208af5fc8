/**
 * Parse a Dockerfile into the Document model, following BuildKit's line rules
 * (moby/buildkit frontend/dockerfile/parser/parser.go):
 * - a BOM is dropped from line 1; parser directives are read until the first
 *   line that is not a known directive;
 * - the escape character at the end of a line (trailing spaces/tabs allowed)
 *   continues it; continuation lines keep their leading whitespace;
 * - comment lines and empty lines inside a continuation are dropped;
 * - heredoc bodies follow the logical line, for RUN/COPY/ADD not in JSON form.
 *
 * dockerfile-ast was evaluated for this layer and not kept: it splits quoted
 * words apart, reads comments and empty continuation lines differently from
 * BuildKit and costs about 1 ms per file, three times our whole format budget.
 */
import {
  type Blank, type Comment, type Directive, type Document, type EscapeChar, type Flag, type Heredoc,
  type Instruction, type InstructionLine, type LogicalText, type Node, type ParseProblem, type PhysicalLine,
  HEREDOC_CAPABLE, JSON_CAPABLE, KNOWN_KEYWORDS,
} from './document.js';
import { extractBuilderFlags, parseHeredocWord, parseJsonArray, rawShellWords } from './words.js';

const DIRECTIVE = /^#[ \t\f\r]*([a-zA-Z][a-zA-Z0-9]*)[ \t\f\r]*=[ \t\f\r]*(.+?)[ \t\f\r]*$/;
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);

export function splitLines(text: string): PhysicalLine[] {
  const lines: PhysicalLine[] = [];
  let start = 0;
  const n = text.length;
  while (start < n) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      lines.push({ start, contentEnd: n, end: n, eol: '' });
      break;
    }
    const cr = nl > start && text.charCodeAt(nl - 1) === 13;
    lines.push({ start, contentEnd: cr ? nl - 1 : nl, end: nl + 1, eol: cr ? '\r\n' : '\n' });
    start = nl + 1;
  }
  return lines;
}

const isBlankText = (s: string): boolean => /^[ \t\r\f\v]*$/.test(s);
const leadingWs = (s: string): number => {
  let i = 0;
  while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\r' || s[i] === '\f' || s[i] === '\v')) i++;
  return i;
};

/** Offset of the continuation escape if `content` ends with it (spaces/tabs after it allowed), else -1. */
export function continuationAt(content: string, escape: string): number {
  let i = content.length - 1;
  while (i >= 0 && (content[i] === ' ' || content[i] === '\t')) i--;
  return i >= 0 && content[i] === escape ? i : -1;
}

class LogicalBuilder {
  text = '';
  private offsets: number[] = [];
  add(fileText: string, from: number, to: number): void {
    this.text += fileText.slice(from, to);
    for (let k = from; k < to; k++) this.offsets.push(k);
  }
  build(endOffset: number): LogicalText {
    const map = new Int32Array(this.offsets.length + 1);
    for (let k = 0; k < this.offsets.length; k++) map[k] = this.offsets[k];
    map[this.offsets.length] = endOffset;
    return { text: this.text, map };
  }
}

export function parse(text: string): Document {
  const lines = splitLines(text);
  const bom = text.charCodeAt(0) === 0xfeff;
  const nodes: Node[] = [];
  const directives: Directive[] = [];
  const instructions: Instruction[] = [];
  const problems: ParseProblem[] = [];
  let escape: EscapeChar = '\\';
  let directivesDone = false;
  const seenDirectives = new Set<string>();
  let crlf = 0;
  for (const l of lines) if (l.eol === '\r\n') crlf++;

  const content = (i: number): string => {
    const l = lines[i];
    const s = l.start === 0 && bom ? 1 : l.start;
    return text.slice(s, l.contentEnd);
  };
  const contentStart = (i: number): number => (i === 0 && bom ? 1 : lines[i].start);

  const problem = (message: string, offset: number): void => {
    const pos = positionOf(lines, offset);
    problems.push({ message, line: pos.line, column: pos.column });
  };

  const tryDirective = (i: number): Directive | null => {
    if (directivesDone) return null;
    const raw = content(i);
    const lead = leadingWs(raw);
    const m = DIRECTIVE.exec(raw.slice(lead));
    if (!m || !KNOWN_DIRECTIVES.has(m[1].toLowerCase())) {
      directivesDone = true;
      return null;
    }
    const name = m[1].toLowerCase();
    const start = contentStart(i) + lead;
    const d: Directive = { type: 'directive', name, rawName: m[1], value: m[2], line: i, start, end: lines[i].contentEnd };
    if (seenDirectives.has(name)) problem(`only one ${name} parser directive can be used`, start);
    seenDirectives.add(name);
    if (name === 'escape') {
      if (m[2] === '\\' || m[2] === '`') escape = m[2];
      else problem(`invalid escape token '${m[2]}' does not match ` + '` or \\', start);
    }
    return d;
  };

  let i = 0;
  while (i < lines.length) {
    const raw = content(i);
    const lead = leadingWs(raw);
    const trimmed = raw.slice(lead);
    if (trimmed.startsWith('#')) {
      const d = tryDirective(i);
      if (d) {
        directives.push(d);
        nodes.push(d);
      } else {
        const c: Comment = { type: 'comment', text: trimmed, line: i, lineStart: lines[i].start, start: contentStart(i) + lead, end: lines[i].contentEnd };
        nodes.push(c);
      }
      i++;
      continue;
    }
    directivesDone = true;
    if (isBlankText(raw)) {
      const last = nodes[nodes.length - 1];
      if (last && last.type === 'blank' && last.line + last.count === i) {
        last.count++;
        last.end = lines[i].contentEnd;
      } else {
        const b: Blank = { type: 'blank', line: i, count: 1, start: lines[i].start, end: lines[i].contentEnd };
        nodes.push(b);
      }
      i++;
      continue;
    }
    const result = readInstruction(i);
    nodes.push(result.instruction);
    instructions.push(result.instruction);
    i = result.next;
  }

  function readInstruction(first: number): { instruction: Instruction; next: number } {
    const builder = new LogicalBuilder();
    const instLines: InstructionLine[] = [];
    let i = first;
    let firstCode = true;
    let ended = false;
    while (i < lines.length && !ended) {
      const raw = content(i);
      const cStart = contentStart(i);
      if (!firstCode) {
        const lead = leadingWs(raw);
        if (raw.slice(lead).startsWith('#')) {
          instLines.push({ kind: 'comment', line: i, start: cStart, contentEnd: lines[i].contentEnd, escapeAt: -1 });
          i++;
          continue;
        }
        if (isBlankText(raw)) {
          instLines.push({ kind: 'empty', line: i, start: cStart, contentEnd: lines[i].contentEnd, escapeAt: -1 });
          i++;
          continue;
        }
      }
      const from = firstCode ? cStart + leadingWs(raw) : cStart;
      const esc = continuationAt(raw, escape);
      const escAt = esc < 0 ? -1 : cStart + esc;
      builder.add(text, from, esc < 0 ? lines[i].contentEnd : escAt);
      instLines.push({ kind: 'code', line: i, start: cStart, contentEnd: lines[i].contentEnd, escapeAt: escAt });
      firstCode = false;
      ended = esc < 0;
      i++;
    }
    // A continuation that runs into EOF keeps the comment/empty lines it read (BuildKit reads them too).
    const lastLine = instLines[instLines.length - 1];
    const logical = builder.build(lastLine.contentEnd);
    const instruction = buildInstruction(logical, instLines, first);
    let next = i;
    if (instruction.known || instruction.keyword === 'ONBUILD') {
      const target = instruction.keyword === 'ONBUILD' ? instruction.trigger : instruction;
      if (target && HEREDOC_CAPABLE.has(target.keyword) && target.json === null && logical.text.includes('<<')) {
        next = readHeredocs(instruction, target, next);
      }
    }
    instruction.endLine = next - 1;
    if (instruction.heredocs.length === 0) instruction.end = lastLine.contentEnd;
    return { instruction, next };
  }

  function readHeredocs(instruction: Instruction, target: Instruction, from: number): number {
    let i = from;
    const words = rawShellWords(target.logical.text);
    for (const w of words) {
      const h = parseHeredocWord(w.value);
      if (!h) continue;
      const bodyStart = i < lines.length ? lines[i].start : text.length;
      let terminated = false;
      let terminatorStart = -1;
      let terminatorEnd = -1;
      let bodyEnd = bodyStart;
      while (i < lines.length) {
        let candidate = text.slice(lines[i].start, lines[i].contentEnd).replace(/[\r\n]+$/, '');
        if (h.chomp) candidate = candidate.replace(/^\t+/, '');
        if (candidate === h.name) {
          terminated = true;
          terminatorStart = lines[i].start;
          terminatorEnd = lines[i].contentEnd;
          i++;
          break;
        }
        bodyEnd = lines[i].end;
        i++;
      }
      const heredoc: Heredoc = {
        name: h.name, chomp: h.chomp, quoted: h.quoted, markerStart: target.logical.map[w.start],
        body: text.slice(bodyStart, bodyEnd), bodyStart, bodyEnd, terminatorStart, terminatorEnd,
      };
      target.heredocs.push(heredoc);
      if (target !== instruction) instruction.heredocs.push(heredoc);
      if (!terminated) {
        instruction.error = `unterminated heredoc ${h.name}`;
        problem(`unterminated heredoc "${h.name}"`, heredoc.markerStart);
        instruction.end = text.length > 0 && lines.length > 0 ? lines[lines.length - 1].contentEnd : 0;
        return lines.length;
      }
      instruction.end = terminatorEnd;
    }
    return i;
  }

  function buildInstruction(logical: LogicalText, instLines: InstructionLine[], first: number): Instruction {
    const inst = instructionFromLogical(logical, 0);
    inst.lines = instLines;
    inst.lineStart = lines[first].start;
    inst.startLine = first;
    inst.endLine = instLines[instLines.length - 1].line;
    if (inst.error) problem(inst.error, inst.start);
    return inst;
  }

  return {
    text, bom, eol: crlf > lines.length / 2 ? '\r\n' : '\n', escape, lines, nodes, directives, instructions, problems,
  };
}

/**
 * Split a logical line (from `offset` on) into keyword, flags and arguments,
 * as BuildKit's splitCommand and the per-instruction parsers do.
 */
function instructionFromLogical(logical: LogicalText, offset: number): Instruction {
  const t = logical.text;
  let s = offset;
  while (s < t.length && /\s/.test(t[s])) s++;
  let e = s;
  while (e < t.length && !/\s/.test(t[e])) e++;
  const rawKeyword = t.slice(s, e);
  const keyword = rawKeyword.toUpperCase();
  const known = KNOWN_KEYWORDS.has(keyword);
  let a = e;
  while (a < t.length && /\s/.test(t[a])) a++;
  const afterKeyword = t.slice(a).replace(/\s+$/, '');
  const { flags: flagWords, restIndex } = extractBuilderFlags(afterKeyword);
  const flags: Flag[] = flagWords.map((w) => {
    const eq = w.value.indexOf('=');
    return {
      name: (eq < 0 ? w.value : w.value.slice(0, eq)).replace(/^--/, ''),
      value: eq < 0 ? null : w.value.slice(eq + 1),
      raw: t.slice(a + w.start, a + w.end),
      start: logical.map[a + w.start],
      end: logical.map[a + w.end],
    };
  });
  const argsIndex = a + restIndex;
  const args = afterKeyword.slice(restIndex);
  const inst: Instruction = {
    type: 'instruction', keyword, rawKeyword, known,
    lineStart: logical.map[s] ?? 0, start: logical.map[s] ?? 0, end: logical.map[t.length],
    startLine: 0, endLine: 0, lines: [], logical, flags, args, argsIndex,
    json: null, jsonLike: false, heredocs: [],
  };
  if (JSON_CAPABLE.has(keyword)) {
    const parsed = parseJsonArray(args);
    if (parsed === 'not-strings') {
      inst.jsonLike = true;
      inst.error = `${keyword}: exec form must be a JSON array of strings`;
    } else if (parsed) inst.json = parsed;
    else if (args.startsWith('[')) inst.jsonLike = true;
  }
  if (keyword === 'HEALTHCHECK') {
    const m = /^CMD(\s+|$)/i.exec(args);
    if (m) {
      const parsed = parseJsonArray(args.slice(m[0].length));
      if (parsed && parsed !== 'not-strings') inst.json = parsed;
    }
  }
  if (keyword === 'ONBUILD' && args.length > 0) {
    const trigger = instructionFromLogical(logical, argsIndex);
    inst.trigger = trigger;
    if (trigger.error && !inst.error) inst.error = trigger.error;
  }
  return inst;
}

export function positionOf(lines: PhysicalLine[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  const l = lines[lo];
  return { line: lo, column: l ? offset - l.start : 0 };
}
