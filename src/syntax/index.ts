export * from './document.js';
export { parse, positionOf, continuationAt, splitLines } from './parse.js';
export { meaning, instructionMeanings, normalizeShell, fromParts } from './meaning.js';
export type { Meaning, StageMeaning, InstructionMeaning } from './meaning.js';
export { parseWords, splitWhitespace, unquoteWord, parseJsonArray, extractBuilderFlags } from './words.js';
export type { Word } from './words.js';
