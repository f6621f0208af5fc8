/**
 * The rule registry: every rule dockerfix knows, in the order they run.
 * Each rule lives in a file of its own beside this one.
 */
import type { Rule } from './types.js';
// rule imports: keep one line per rule, sorted by id
import { addToCopy } from './add-to-copy.js';
import { aptToAptGet } from './apt-to-apt-get.js';
import { buildContext } from './build-context.js';
import { execForm } from './exec-form.js';
import { fromAsCasing } from './from-as-casing.js';
import { legacyKeyValue } from './legacy-key-value.js';
import { lineContinuations } from './line-continuations.js';
import { maintainerToLabel } from './maintainer-to-label.js';
import { nodeProcess } from './node-process.js';
import { nonRootUser } from './non-root-user.js';
import { parserDirectives } from './parser-directives.js';
import { pinBaseImage } from './pin-base-image.js';
import { stageNameCasing } from './stage-name-casing.js';
import { workdirAbsolute } from './workdir-absolute.js';
// (end of rule imports)

export const rules: readonly Rule[] = [
  // rule list: keep one entry per rule, sorted by id
  addToCopy,
  aptToAptGet,
  buildContext,
  execForm,
  fromAsCasing,
  legacyKeyValue,
  lineContinuations,
  maintainerToLabel,
  nodeProcess,
  nonRootUser,
  parserDirectives,
  pinBaseImage,
  stageNameCasing,
  workdirAbsolute,
  // (end of rule list)
];

export function ruleById(id: string): Rule | undefined {
  return rules.find((r) => r.meta.id === id);
}

export type { Rule, RuleMeta, Finding, Edit, Safety, RuleContext, BuildContext, ResolvedImage } from './types.js';
