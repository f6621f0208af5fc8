/**
 * from-as-casing: the `AS` of `FROM image AS name` in the case of the FROM
 * keyword.
 *
 * BuildKit (instructions/parse.go, doesFromCaseMatchAsCase) warns when FROM is
 * all upper case and `as` is not, or FROM is all lower case and `AS` is not; a
 * mixed-case keyword is left to ConsistentInstructionCasing. parseBuildStageName
 * matches `as` with strings.EqualFold, so its case never changes the build.
 */
import type { Document } from '../syntax/document.js';
import { splitWhitespace } from '../syntax/words.js';
import type { Finding, Rule } from './types.js';
import { replaceChars } from './shared/edits.js';
import { findingsOf } from './shared/findings.js';

const ID = 'from-as-casing';
const finding = findingsOf(ID);

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
      const message = `"${as}" should be written "${want}" to match the ${kw} keyword`;
      if (!edits) {
        findings.push(finding(inst, 'suggestion', message, 'the word is split across lines in a way the rule does not rewrite'));
        continue;
      }
      findings.push(finding(inst, 'safe', message, 'BuildKit matches AS case-insensitively, so only the spelling changes', { edits }));
    }
    return findings;
  },
};
