/**
 * dockerfix's public API: the same engine the CLI and the Prettier plugin use.
 */
export { parse, meaning } from './syntax/index.js';
export type { Document, Instruction, Meaning } from './syntax/index.js';
export { fix } from './fix/index.js';
export type { FixOptions, FixResult, ReportedFinding } from './fix/index.js';
export { rules, ruleById } from './rules/index.js';
export type { Rule, RuleMeta, Finding, Edit, Safety, RuleContext } from './rules/index.js';
export { format } from './format/index.js';
