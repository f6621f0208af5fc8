/**
 * from-as-casing: the `AS` of `FROM image AS name` in the case of the FROM
 * keyword.
 *
 * BuildKit (instructions/parse.go, doesFromCaseMatchAsCase) warns when FROM is
 * all upper case and `as` is not, or FROM is all lower case and `AS` is not; a
 * mixed-case keyword is left to ConsistentInstructionCasing. parseBuildStageName
 * matches `as` with strings.EqualFold, so its case never changes the build.
 */
import type { Document, Instruction } from '../syntax/document.js';
import { splitWhitespace } from '../syntax/words.js';
import type { Edit, Finding, Rule } from './types.js';

const ID = 'from-as-casing';

export const fromAsCasing: Rule = {
  meta: {
    id: ID,
    title: 'Write AS in the same case as FROM',
    safety: 'safe',
    related: ['FromAsCasing'],
    docs: [
      'In `FROM image AS name` the `AS` keyword is matched case-insensitively (Dockerfile reference, FROM:',
      'https://docs.docker.com/reference/dockerfile/#from), so its case is cosmetic; BuildKit\'s FromAsCasing check',
      '(https://docs.docker.com/reference/build-checks/from-as-casing/) asks for it in the case of the FROM keyword:',
      '`FROM x AS y`, `from x as y`. A mixed-case FROM keyword is left alone (that is a keyword-casing matter).',
    ].join(' '),
  },
  check(doc: Document): Finding[] {
    const findings: Finding[] = [];
    for (const inst of doc.instructions) {
      if (inst.keyword !== 'FROM') continue;
      const kw = inst.rawKeyword;
      const upper = kw === kw.toUpperCase();
      const lower = kw === kw.toLowerCase();
      if (upper === lower) continue; // mixed case (both can't be true for "FROM")
      const words = splitWhitespace(inst.args);
      // parseBuildStageName: exactly three arguments, the middle one `as` in any case.
      if (words.length !== 3 || words[1].value.toLowerCase() !== 'as') continue;
      const as = words[1].value;
      const want = upper ? 'AS' : 'as';
      if (as === want) continue;
      const from = inst.argsIndex + words[1].start;
      const edits = replaceChars(inst, from, want);
      const base = { ruleId: ID, start: inst.start, end: inst.end };
      const message = `"${as}" should be written "${want}" to match the ${kw} keyword`;
      if (!edits) {
        findings.push({ ...base, message, safety: 'suggestion', reason: 'the word is split across lines in a way the rule does not rewrite' });
        continue;
      }
      findings.push({ ...base, message, safety: 'safe', reason: 'BuildKit matches AS case-insensitively, so only the spelling changes', edits });
    }
    return findings;
  },
};

export default fromAsCasing;

/** Replace each logical character from `from` on with the same-length `text`, in place (works across continuations). */
function replaceChars(inst: Instruction, from: number, text: string): Edit[] | null {
  const map = inst.logical.map;
  const edits: Edit[] = [];
  for (let k = 0; k < text.length; k++) {
    const at = map[from + k];
    if (at === undefined || inst.logical.text[from + k] === undefined) return null;
    if (inst.logical.text[from + k] === text[k]) continue;
    const prev = edits[edits.length - 1];
    if (prev && prev.end === at) {
      prev.end++;
      prev.text += text[k];
    } else edits.push({ start: at, end: at + 1, text: text[k] });
  }
  return edits;
}
