/**
 * The rule registry: every rule dockerfix knows, in the order they run.
 * Each rule lives in a file of its own beside this one.
 */
import type { Rule } from './types.js';
// rule imports: keep one line per rule, sorted by id
// (end of rule imports)

export const rules: readonly Rule[] = [
  // rule list: keep one entry per rule, sorted by id
  // (end of rule list)
];

export function ruleById(id: string): Rule | undefined {
  return rules.find((r) => r.meta.id === id);
}

export type { Rule, RuleMeta, Finding, Edit, Safety, RuleContext, BuildContext, ResolvedImage } from './types.js';
