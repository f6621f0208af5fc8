/**
 * legacy-key-value: `ENV k v` / `LABEL k v` → `k=v`.
 *
 * BuildKit's parseNameVal (frontend/dockerfile/parser/line_parsers.go) takes
 * the legacy form when the first parseWords word has no `=`: the key is the
 * argument text up to the first run of `[\t\v\f\r ]`, the value is ALL the
 * rest, inner whitespace included (continuation lines keep their leading
 * whitespace), and the value then goes through the shell lexer (ProcessWord)
 * as one word. In the `k=v` form each unquoted-whitespace-separated word is one
 * pair, so the value must be written as a single word that lexes to the same
 * string. Candidates, in order of preference:
 *   1. the value has no unquoted whitespace: write it as it is;
 *   2. the value has no quotes and no escape character: wrap it in double
 *      quotes (`$VAR` expands inside double quotes exactly as outside);
 *   3. otherwise insert the escape character before each unquoted whitespace.
 * Each candidate is applied to a copy, re-parsed, and accepted only if the new
 * instruction has one word with the same key whose value unquotes to the same
 * string (unquoteWord keeps `$VAR` apart from a literal `\$`), and meaning()
 * agrees. Otherwise the rule refuses.
 *
 * ARG is never touched: `ARG foo bar` declares two ARGs.
 */
import type { Document, Instruction } from '../syntax/document.js';
import { instructionMeanings } from '../syntax/meaning.js';
import { isGoSpace, parseWords, unquoteWord } from '../syntax/words.js';
import type { Edit, Finding, Rule } from './types.js';
import { reparseLocally } from './shared/edits.js';
import { findingsOf } from './shared/findings.js';
import { hasFlagTerminator } from './shared/instructions.js';

const ID = 'legacy-key-value';
const finding = findingsOf(ID);

export const legacyKeyValue: Rule = {
  meta: {
    id: ID,
    title: 'Use the key=value form of ENV and LABEL',
    safety: 'safe',
    related: ['LegacyKeyValueFormat'],
    docs: [
      'The space-separated `ENV key value` / `LABEL key value` form is legacy and may be removed',
      '(Dockerfile reference, ENV: https://docs.docker.com/reference/dockerfile/#env; build check',
      'LegacyKeyValueFormat: https://docs.docker.com/reference/build-checks/legacy-key-value-format/).',
      'In the legacy form the value is everything after the key, whitespace included; in `key=value`',
      'unquoted whitespace separates pairs. The fix writes a value that lexes to exactly the same string:',
      'as it is when it has no unquoted whitespace, in double quotes when it has no quotes or escapes',
      '(variables still expand), else with each unquoted whitespace character escaped. Every rewrite is',
      're-parsed and compared; when equality cannot be proven the rule only reports.',
      'ARG is never rewritten: `ARG a b` declares two build arguments.',
    ].join(' '),
  },
  check(doc: Document): Finding[] {
    const findings: Finding[] = [];
    for (const inst of doc.instructions) {
      // ONBUILD triggers are parsed again in the child build (with its escape character): left alone.
      if (inst.keyword !== 'ENV' && inst.keyword !== 'LABEL') continue;
      // Flags are a build error; after a bare `--` BuildKit splits the key off text that starts with whitespace (an empty key).
      if (inst.flags.length > 0 || inst.error || hasFlagTerminator(inst)) continue;
      const words = parseWords(inst.args, doc.escape);
      if (words.length === 0 || words[0].value.includes('=')) continue;
      // BuildKit: parts := reWhitespace.Split(rest, 2)
      const sep = /[\t\v\f\r ]+/.exec(inst.args);
      if (!sep) continue; // `ENV k` alone: a build error ("must have two arguments"), nothing to rewrite
      const key = inst.args.slice(0, sep.index);
      const value = inst.args.slice(sep.index + sep[0].length);
      const keyword = inst.rawKeyword;
      const message = `${keyword} ${key} uses the legacy "key value" form: write ${key}=…`;
      if (value.startsWith('=')) {
        // `LABEL k = v`: the legacy value is "= v". Keeping it exactly gives `k==\ v`, which is
        // faithful but surely not what was meant; dropping the "=" would change the value.
        findings.push(finding(inst, 'suggestion',
          `${keyword} ${key} = … sets a value that starts with "=" (legacy form): write ${key}=… by hand`,
          'in the legacy form everything after the key is the value, "=" included; dropping it would change the value, so no automatic fix'));
        continue;
      }
      const edits = rewrite(doc, inst, key, sep.index + sep[0].length, value);
      if (!edits) {
        findings.push(finding(inst, 'suggestion', message, unquoteWord(value, doc.escape) === null
          ? 'the value has an unterminated quote, which BuildKit rejects, so there is no value to keep'
          : 'could not prove a key=value spelling that lexes to the same value, so no automatic fix'));
        continue;
      }
      findings.push(finding(inst, 'safe', message,
        'the new value lexes to exactly the legacy value (checked by re-parsing), so ' + (inst.keyword === 'ENV' ? 'the environment' : 'the label') + ' is the same',
        { edits }));
    }
    return findings;
  },
};

/** The first candidate spelling that verifies, as edits; null when none does. */
function rewrite(doc: Document, inst: Instruction, key: string, sepTo: number, value: string): Edit[] | null {
  const a = inst.argsIndex;
  const sepEdits = separatorEdits(inst, a + key.length, a + sepTo);
  if (!sepEdits) return null;
  const valueStart = a + sepTo;
  const valueEnd = a + inst.args.length;
  const map = inst.logical.map;
  const esc = doc.escape;
  const unquoted = unquotedWhitespace(value, esc);
  const candidates: Edit[][] = [];
  if (unquoted && unquoted.length === 0) candidates.push([]);
  if (!/["']/.test(value) && !value.includes(esc)) {
    candidates.push([
      { start: map[valueStart], end: map[valueStart], text: '"' },
      { start: map[valueEnd - 1] + 1, end: map[valueEnd - 1] + 1, text: '"' },
    ]);
  }
  if (unquoted && unquoted.length > 0) {
    candidates.push(unquoted.map((i) => ({ start: map[valueStart + i], end: map[valueStart + i], text: esc })));
  }
  for (const c of candidates) {
    const edits = mergeInsertions([...sepEdits, ...c]);
    if (verify(doc, inst, edits, key, value)) return edits;
  }
  return null;
}

/**
 * Replace the whitespace between key and value with `=`, written right after
 * the key. When that whitespace spans continuation lines with no comment line
 * between, the lines are joined; with comment lines between, the `=` is
 * inserted after the key and each piece of whitespace is deleted in place, so
 * the comments stay where they are.
 */
function separatorEdits(inst: Instruction, from: number, to: number): Edit[] | null {
  const map = inst.logical.map;
  const keyEnd = map[from - 1] + 1;
  const fileTo = map[to];
  const hasComment = inst.lines.some((l) => l.kind === 'comment' && l.start >= keyEnd && l.start < fileTo);
  if (!hasComment) return [{ start: keyEnd, end: fileTo, text: '=' }];
  const edits: Edit[] = [{ start: keyEnd, end: keyEnd, text: '=' }];
  let runStart = from;
  for (let k = from; k < to; k++) {
    if (k + 1 === to || map[k + 1] !== map[k] + 1) {
      edits.push({ start: map[runStart], end: map[k] + 1, text: '' });
      runStart = k + 1;
    }
  }
  return edits;
}

/**
 * Fold each insertion into the edit that ends where it is (appended) or starts
 * where it is (prepended), so no two edits share an offset and the order of
 * their texts is explicit, whoever applies them.
 */
function mergeInsertions(edits: Edit[]): Edit[] {
  const sorted = [...edits].sort((x, y) => x.start - y.start || x.end - y.end).map((e) => ({ ...e }));
  const out: Edit[] = [];
  for (let k = 0; k < sorted.length; k++) {
    const e = sorted[k];
    const prev = out[out.length - 1];
    const next = sorted[k + 1];
    if (e.start === e.end && prev && prev.end === e.start) prev.text += e.text;
    else if (e.start === e.end && next && next.start === e.start) next.text = e.text + next.text;
    else out.push(e);
  }
  return out;
}

/**
 * Indices of whitespace characters in `value` that the `k=v` form would split
 * on (outside quotes and not escaped), following the shell lexer's quoting.
 * Null when the quoting is unbalanced (BuildKit would fail to lex it).
 */
function unquotedWhitespace(value: string, esc: string): number[] | null {
  const out: number[] = [];
  let i = 0;
  const n = value.length;
  while (i < n) {
    const ch = value[i];
    if (ch === esc) {
      i += 2;
      continue;
    }
    if (ch === "'") {
      const close = value.indexOf("'", i + 1);
      if (close < 0) return null;
      i = close + 1;
      continue;
    }
    if (ch === '"') {
      i++;
      while (i < n && value[i] !== '"') i += value[i] === esc ? 2 : 1;
      if (i >= n) return null;
      i++;
      continue;
    }
    // Go's unicode.IsSpace, what BuildKit's parseWords splits on (JavaScript's `\s` differs: U+FEFF, U+0085).
    if (isGoSpace(ch.charCodeAt(0))) out.push(i);
    i++;
  }
  return out;
}

/** Apply to a copy, re-parse: one `key=value` word whose value unquotes to the legacy value's string. */
function verify(doc: Document, inst: Instruction, edits: Edit[], key: string, value: string): boolean {
  const before = reparseLocally(doc, inst, []);
  const local = reparseLocally(doc, inst, edits);
  if (!before || !local) return false;
  const { doc: after, inst: next } = local;
  if (next.keyword !== inst.keyword || next.flags.length > 0 || next.error || after.problems.length !== before.doc.problems.length) return false;
  const words = parseWords(next.args, after.escape);
  if (words.length !== 1) return false;
  const w = words[0].value;
  const eq = w.indexOf('=');
  if (eq < 0 || w.slice(0, eq) !== key) return false;
  const want = unquoteWord(value, doc.escape);
  if (want === null || unquoteWord(w.slice(eq + 1), after.escape) !== want) return false;
  // The project's own model must agree too (the engine checks everything else).
  return summary(before.doc, before.inst) === summary(after, next);
}

/** meaning() of one instruction, without summarising the whole file. */
function summary(doc: Document, inst: Instruction): string {
  return instructionMeanings({ ...doc, instructions: [inst] })[0].key;
}
