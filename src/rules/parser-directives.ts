/**
 * parser-directives: normalise the directive block at the top of a Dockerfile
 * (`# syntax=`, `# escape=`, `# check=`) and report directive mistakes.
 *
 * BuildKit reads directives twice: the main parser (which trims leading
 * whitespace and sees `escape`) and the syntax/check detector (which matches
 * `^#` on raw lines and skips a `#!` first line). A rewrite is safe only where
 * both readers see the same thing before and after, so files where they
 * disagree (indented directives, a shebang) keep their directive lines as
 * written.
 */
import type { Comment, Directive, Document } from '../syntax/document.js';
import { DIRECTIVE } from '../syntax/parse.js';
import type { Edit, Finding, Rule } from './types.js';
import { findingsOf } from './shared/findings.js';
import { eolAt } from './shared/text.js';

const ID = 'parser-directives';
const finding = findingsOf(ID);

/** BuildKit's directive regexp `^#\s*(key)\s*=\s*(.+?)\s*$` (Go's `\s` is `[\t\n\f\r ]`), applied to a raw line. */
// The parser's own directive syntax (one matcher, no copy to drift).
const DIRECTIVE_LIKE = DIRECTIVE;
const KNOWN = new Set(['syntax', 'escape', 'check']);

const CANONICAL_REASON = 'directive keys are case-insensitive and spaces around `#` and `=` are ignored: BuildKit reads the same directive';

export const parserDirectives: Rule = {
  meta: {
    id: ID,
    title: 'Parser directives: canonical spelling, no BOM, mistakes reported',
    safety: 'safe',
    related: [],
    docs: [
      'Parser directives (`# syntax=`, `# escape=`, `# check=`) are only read in the block at the very top of a',
      'Dockerfile; the first blank line, ordinary comment, unknown directive or instruction ends the block',
      '(Dockerfile reference, "Parser directives": https://docs.docker.com/reference/dockerfile/#parser-directives).',
      'Fixes (safe): lowercase the key, write `# key=value`, drop a UTF-8 byte order mark, one blank line after the block.',
      'Reported without a fix: a repeated directive (a build error), an `escape` value other than `\\` or `` ` ``',
      '(a build error), and directive-looking comments after the block: BuildKit treats them as comments, and',
      'moving them up would activate them, which changes the build.',
      'Files whose first line is a `#!` shebang, or whose directive lines are indented, are left as written:',
      "BuildKit's syntax detector and its parser read such lines differently, so normalising them could switch a",
      'directive on or off.',
    ].join(' '),
  },
  check(doc) {
    const findings: Finding[] = [];
    if (doc.bom) {
      findings.push(finding({ start: 0, end: 1 }, 'safe', 'remove the UTF-8 byte order mark',
        'BuildKit discards a BOM at the start of the file, so the file means the same without it', {
          edits: [{ start: 0, end: 1, text: '' }],
          // The deletion names an instruction on line 1 in the old text but, being empty, not in the new
          // one; naming offset 0 explicitly keeps the engine's before/after lists aligned.
          touches: doc.instructions.length > 0 && doc.instructions[0].lineStart === 0 ? [0] : undefined,
        }));
    }

    const contentStart = (line: number): number => (line === 0 && doc.bom ? 1 : doc.lines[line].start);
    const rawLine = (line: number): string => doc.text.slice(contentStart(line), doc.lines[line].contentEnd);
    const shebang = doc.lines.length > 0 && rawLine(0).startsWith('#!');

    // Lines the syntax/check detector reads after a shebang: it keeps going while they match.
    const detectorLines = new Set<number>();
    if (shebang) {
      for (let l = 1; l < doc.lines.length; l++) {
        const m = DIRECTIVE_LIKE.exec(rawLine(l));
        if (!m || !KNOWN.has(m[1].toLowerCase())) break;
        detectorLines.add(l);
        findings.push(report(doc, l, `\`# ${m[1].toLowerCase()}\` after a \`#!\` line is read by BuildKit's syntax/check detector only, not by its parser; left as written`));
      }
    }

    const indented = doc.directives.filter((d) => d.start > contentStart(d.line));
    for (const d of indented) {
      findings.push(report(doc, d.line, `parser directive \`${d.name}\` is indented: BuildKit's parser reads it but its syntax/check detector does not; left as written`));
    }
    const keepAsWritten = shebang || indented.length > 0;

    const seen = new Set<string>();
    for (const d of doc.directives) {
      if (seen.has(d.name)) {
        findings.push(report(doc, d.line, `duplicate \`${d.name}\` parser directive: BuildKit fails with "only one ${d.name} parser directive can be used"; remove one by hand`));
        continue;
      }
      seen.add(d.name);
      if (d.name === 'escape' && d.value !== '\\' && d.value !== '`') {
        findings.push(report(doc, d.line, `invalid escape directive \`${d.value}\`: only \\ or \` are accepted (BuildKit fails)`));
        continue;
      }
      if (keepAsWritten) continue;
      const canonical = `# ${d.name}=${d.value}`;
      if (doc.text.slice(d.start, d.end) !== canonical) {
        findings.push(finding(d, 'safe', `write the parser directive as \`${canonical}\``, CANONICAL_REASON, { edits: [{ start: d.start, end: d.end, text: canonical }] }));
      }
    }

    if (!keepAsWritten) {
      const spacing = blankAfterBlock(doc);
      if (spacing) findings.push(spacing);
    }

    for (const n of doc.nodes) {
      if (n.type !== 'comment' || detectorLines.has(n.line)) continue;
      const m = DIRECTIVE_LIKE.exec(n.text);
      if (!m || !KNOWN.has(m[1].toLowerCase())) continue;
      findings.push(afterBlock(n, m[1].toLowerCase()));
    }
    return findings;
  },
};

function report(doc: Document, line: number, message: string): Finding {
  const l = doc.lines[line];
  return finding({ start: line === 0 && doc.bom ? 1 : l.start, end: l.contentEnd }, 'suggestion', message, 'reported only: no rewrite keeps the meaning');
}

function afterBlock(c: Comment, key: string): Finding {
  return finding(c, 'suggestion', `\`# ${key}=…\` is not in the parser-directive block at the top of the file, so BuildKit treats it as a comment`,
    'moving it into the directive block would activate it and change the build: decide by hand');
}

/** Exactly one blank line between the directive block and what follows (not at end of file). */
function blankAfterBlock(doc: Document): Finding | null {
  let lastIdx = -1;
  doc.nodes.forEach((n, i) => {
    if (n.type === 'directive') lastIdx = i;
  });
  if (lastIdx < 0) return null;
  const last = doc.nodes[lastIdx] as Directive;
  const next = doc.nodes[lastIdx + 1];
  if (!next) return null;
  const eol = eolAt(doc, last.line);
  let edits: Edit[];
  if (next.type === 'blank') {
    if (next.count === 1 || !doc.nodes[lastIdx + 2]) return null;
    // Keep the first blank line, drop the rest of the run.
    edits = [{ start: doc.lines[next.line + 1].start, end: doc.lines[next.line + next.count - 1].end, text: '' }];
  } else {
    const at = next.type === 'comment' ? next.lineStart : next.type === 'instruction' ? next.lineStart : doc.lines[next.line].start;
    edits = [{ start: at, end: at, text: eol }];
  }
  return finding(last, 'safe', 'leave exactly one blank line after the parser directives',
    'blank lines after the directive block are skipped by BuildKit, and the block already ends at the next line', { edits });
}
