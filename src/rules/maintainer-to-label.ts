/**
 * maintainer-to-label: `MAINTAINER x` → `LABEL org.opencontainers.image.authors="x"`.
 *
 * BuildKit reads MAINTAINER with parseString: the whole trimmed logical line
 * after the keyword, with no unquoting and no variable expansion. LABEL values
 * go through the shell lexer (quotes removed, `$VAR` expanded), so the value is
 * written in double quotes with `"`, `$` and the escape character escaped; the
 * rewrite is then re-parsed and the label value must unquote to exactly the
 * MAINTAINER string, or the rule refuses.
 *
 * The edit keeps the physical lines: the keyword is replaced and escapes are
 * inserted character by character, so a MAINTAINER spread over continuation
 * lines (with comment lines between) keeps its layout and its comments.
 */
import type { Document, Instruction } from '../syntax/document.js';
import { parseWords, splitWhitespace, unquoteWord } from '../syntax/words.js';
import type { Edit, Finding, Rule } from './types.js';
import { reparseLocally } from './shared/edits.js';
import { findingsOf } from './shared/findings.js';
import { hasFlagTerminator } from './shared/instructions.js';
import { keywordLike } from './shared/text.js';

const ID = 'maintainer-to-label';
const finding = findingsOf(ID);
const KEY = 'org.opencontainers.image.authors';

export const maintainerToLabel: Rule = {
  meta: {
    id: ID,
    title: 'Replace the deprecated MAINTAINER with an OCI authors LABEL',
    safety: 'safe',
    related: ['DL4000', 'MaintainerDeprecated'],
    docs: [
      'MAINTAINER is deprecated (Dockerfile reference, "MAINTAINER (deprecated)": https://docs.docker.com/reference/dockerfile/#maintainer-deprecated;',
      'build check MaintainerDeprecated: https://docs.docker.com/reference/build-checks/maintainer-deprecated/);',
      `the reference recommends LABEL instead, and the OCI annotation for it is \`${KEY}\`.`,
      'MAINTAINER takes its argument literally while LABEL values are unquoted and expand variables',
      '(https://docs.docker.com/reference/dockerfile/#label), so the value is written in double quotes with `"`, `$`',
      'and the escape character escaped, and the rewrite is re-parsed to prove the label holds the same string.',
      'Multi-line MAINTAINER lines keep their layout and comments.',
      'Not fixed: an empty MAINTAINER or one with flags (both build errors), one after a bare `--` (BuildKit keeps',
      'the whitespace after it), and a stage that already set the authors label earlier (the conversion would override it).',
      'Note: the image config field `author` (which only MAINTAINER sets) is no longer written; that is the point of the deprecation.',
    ].join(' '),
  },
  check(doc: Document): Finding[] {
    const findings: Finding[] = [];
    let authorsLabelInStage = false;
    for (const inst of doc.instructions) {
      if (inst.keyword === 'FROM') {
        authorsLabelInStage = false;
        continue;
      }
      if (inst.keyword === 'LABEL' && setsAuthors(inst, doc.escape)) {
        authorsLabelInStage = true;
        continue;
      }
      // ONBUILD MAINTAINER is rejected by BuildKit; a trigger is never rewritten here.
      if (inst.keyword !== 'MAINTAINER') continue;
      if (inst.flags.length > 0) {
        findings.push(finding(inst, 'suggestion', 'MAINTAINER is deprecated and this one has flags BuildKit rejects; write a LABEL by hand',
          'MAINTAINER accepts no flags, so the line is a build error and there is no meaning to keep'));
        continue;
      }
      if (hasFlagTerminator(inst)) {
        findings.push(finding(inst, 'suggestion', `MAINTAINER is deprecated: use LABEL ${KEY}="…"`,
          'after a bare "--" BuildKit keeps the whitespace that follows it in the MAINTAINER text, so the rule does not rewrite this line'));
        continue;
      }
      if (inst.args.length === 0) {
        findings.push(finding(inst, 'suggestion', 'empty MAINTAINER: remove it or write a LABEL by hand',
          'an empty MAINTAINER is a build error ("MAINTAINER requires exactly one argument"), so there is no value to move'));
        continue;
      }
      if (authorsLabelInStage) {
        findings.push(finding(inst, 'suggestion', `MAINTAINER is deprecated, but this stage already sets ${KEY}: merge them by hand`,
          `converting would override the ${KEY} label set earlier in the stage`));
        continue;
      }
      const edits = buildEdits(doc, inst);
      if (!edits || !verify(doc, inst, edits)) {
        findings.push(finding(inst, 'suggestion', `MAINTAINER is deprecated: use LABEL ${KEY}="…"`,
          'could not prove the rewritten LABEL holds exactly the MAINTAINER text, so no automatic fix'));
        continue;
      }
      findings.push(finding(inst, 'safe', `MAINTAINER is deprecated: use LABEL ${KEY}="…"`,
        'the label gets exactly the MAINTAINER text (quoted and escaped, verified by re-parsing); only the deprecated image author field is no longer set',
        { edits }));
    }
    return findings;
  },
};

/** Does a LABEL instruction set the authors key (in either form)? */
function setsAuthors(inst: Instruction, escape: string): boolean {
  const words = parseWords(inst.args, escape);
  if (words.length === 0) return false;
  if (!words[0].value.includes('=')) return unquoteWord(splitWhitespace(inst.args)[0]?.value ?? '', escape) === KEY;
  return words.some((w) => {
    const eq = w.value.indexOf('=');
    return eq > 0 && unquoteWord(w.value.slice(0, eq), escape) === KEY;
  });
}

/**
 * Edits that turn the instruction into the LABEL: the keyword replaced, the
 * opening `KEY="` inserted before the first argument character, an escape
 * inserted before each `"`, `$` and escape character, the closing `"` after the
 * last one. Null when the keyword is not one contiguous run of the file.
 */
function buildEdits(doc: Document, inst: Instruction): Edit[] | null {
  const map = inst.logical.map;
  const kwLogical = inst.logical.text.indexOf(inst.rawKeyword);
  if (kwLogical < 0) return null;
  for (let k = kwLogical; k < kwLogical + inst.rawKeyword.length - 1; k++) if (map[k + 1] !== map[k] + 1) return null;
  const label = keywordLike(inst.rawKeyword, 'LABEL');
  const edits: Edit[] = [{ start: map[kwLogical], end: map[kwLogical] + inst.rawKeyword.length, text: label }];
  const esc = doc.escape;
  const first = inst.argsIndex;
  const last = inst.argsIndex + inst.args.length - 1;
  for (let i = first; i <= last; i++) {
    const ch = inst.logical.text[i];
    let text = i === first ? `${KEY}="` : '';
    if (ch === '"' || ch === '$' || ch === esc) text += esc;
    if (text) edits.push({ start: map[i], end: map[i], text });
  }
  edits.push({ start: map[last] + 1, end: map[last] + 1, text: '"' });
  return edits;
}

/** Apply the edits to a copy of the text, re-parse, and check the LABEL holds exactly the MAINTAINER string. */
function verify(doc: Document, inst: Instruction, edits: Edit[]): boolean {
  const before = reparseLocally(doc, inst, []);
  const local = reparseLocally(doc, inst, edits);
  if (!before || !local) return false;
  const { doc: after, inst: label } = local;
  if (label.keyword !== 'LABEL' || label.flags.length > 0 || label.error) return false;
  if (after.problems.length !== before.doc.problems.length) return false;
  const words = parseWords(label.args, after.escape);
  if (words.length !== 1) return false;
  const eq = words[0].value.indexOf('=');
  if (eq < 0 || words[0].value.slice(0, eq) !== KEY) return false;
  // unquoteWord writes literal `$` and `\` as `\$` and `\\`: MAINTAINER's text is all literal.
  const expected = inst.args.replace(/[$\\]/g, (c) => '\\' + c);
  return unquoteWord(words[0].value.slice(eq + 1), after.escape) === expected;
}
