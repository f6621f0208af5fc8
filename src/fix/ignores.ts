/**
 * Inline control comments:
 * - `# dockerfix-ignore` / `# dockerfix-ignore=rule-a,rule-b` in the comment
 *   block directly above an instruction;
 * - `# dockerfix-ignore-file` anywhere: nothing in the file is reported;
 * - `# hadolint ignore=DL3020,…` above an instruction, and BuildKit's
 *   `# check=skip=JSONArgsRecommended,…` directive, for the rules whose
 *   `related` ids they name.
 */
import type { Document, Instruction } from '../syntax/document.js';
import type { Rule } from '../rules/types.js';

export interface Ignores {
  /** true when the whole file opts out */
  file: boolean;
  /** is `ruleId` switched off for the instruction starting at this offset? */
  ignored(rule: Rule, instruction: Instruction | undefined): boolean;
}

// Each has at most one run of blanks that can backtrack, so a hostile comment stays linear.
const DOCKERFIX = /^#\s*dockerfix-ignore(?:\s*=([\w,\s-]*)|\s*)$/i;
const DOCKERFIX_FILE = /^#\s*dockerfix-ignore-file\s*$/i;
const HADOLINT = /^#\s*hadolint\s+ignore\s*=([\w,\s]*)$/i;

export function readIgnores(doc: Document): Ignores {
  const file = doc.nodes.some((n) => n.type === 'comment' && DOCKERFIX_FILE.test(n.text));
  // BuildKit's check directive: `skip=A,B;error=true`
  const skipped = new Set<string>();
  for (const d of doc.directives) {
    if (d.name !== 'check') continue;
    for (const part of d.value.split(';')) {
      const [k, v] = part.split('=');
      if (k?.trim().toLowerCase() === 'skip' && v) for (const id of v.split(',')) skipped.add(id.trim().toLowerCase());
    }
  }
  // instruction start offset → ids named in the comment block right above it
  const above = new Map<number, { all: boolean; ids: Set<string> }>();
  let pending: { all: boolean; ids: Set<string> } | null = null;
  for (const n of doc.nodes) {
    if (n.type === 'comment') {
      let m = DOCKERFIX.exec(n.text);
      if (m && m[1] !== undefined && m[1].trim() === '') m = null; // `dockerfix-ignore=` names nothing
      const h = HADOLINT.exec(n.text);
      if (m || h) {
        pending ??= { all: false, ids: new Set() };
        if (m && !m[1]) pending.all = true;
        const list = m?.[1] ?? h?.[1] ?? '';
        for (const id of list.split(',')) if (id.trim()) pending.ids.add(id.trim().toLowerCase());
      }
      continue;
    }
    if (n.type === 'instruction' && pending) above.set(n.start, pending);
    pending = null;
  }
  return {
    file,
    ignored(rule, instruction) {
      if (file) return true;
      const ids = [rule.meta.id, ...rule.meta.related].map((s) => s.toLowerCase());
      if (ids.some((id) => skipped.has(id)) || (skipped.has('all') && rule.meta.related.some((id) => !/^(DL|SC)\d+$/i.test(id)))) return true;
      if (!instruction) return false;
      const a = above.get(instruction.start);
      return !!a && (a.all || ids.some((id) => a.ids.has(id)));
    },
  };
}
