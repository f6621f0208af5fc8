export { fix, runRules, instructionAt } from './engine.js';
export type { FixOptions, FixResult, ReportedFinding, InternalError } from './engine.js';
export { readIgnores } from './ignores.js';
