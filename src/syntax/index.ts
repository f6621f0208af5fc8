export * from './document.js';
export { parse, positionOf, continuationAt, splitLines, detectDirective } from './parse.js';
export { meaning, instructionMeanings, normalizeShell, fromParts } from './meaning.js';
export type { Meaning, StageMeaning, InstructionMeaning } from './meaning.js';
export {
  parseWords, splitWhitespace, unquoteWord, parseJsonArray, extractBuilderFlags, isGoSpace, isTokenSpace, goTrimSpace,
} from './words.js';
export type { Word } from './words.js';
export { instructionError } from './validate.js';
export { shellKinds } from './shells.js';
export type { ShellKind } from './shells.js';
