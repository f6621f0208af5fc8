/**
 * The stages of a Dockerfile as BuildKit links them (dockerfile2llb):
 * - ARGs declared before the first FROM ("meta args") are the only variables a
 *   FROM can read; a default may use earlier ones, `ARG X` without a value
 *   keeps an earlier default, and the last declaration with a value wins;
 * - `FROM <base> [AS <name>]`: the name is lower-cased; after the meta args
 *   are expanded, the base is a local stage when an earlier stage has exactly
 *   that (lower-case) name (addState), else an image.
 *
 * Rules differ in whether a default counts: `--build-arg` can replace it, so
 * a rule that must know the base from the file alone reads `written` (and
 * treats a `$` in it as unknown), one that may assume the default reads `base`.
 */
import type { Document, Instruction } from '../../syntax/document.js';
import { fromParts } from '../../syntax/meaning.js';
import { parseWords, unquoteWord, type Word } from '../../syntax/words.js';

/** A meta ARG: its effective default and where that default is written. */
export interface PreFromArg {
  /** the default after expanding earlier meta args; undefined when there is none or it reads an unknown variable */
  value: string | undefined;
  /** the default after quote removal (`unquoteWord`: a literal `$`/`\` written `\$`/`\\`); null when it does not lex */
  canonical: string | null;
  /** the declaration with the effective default: the instruction, its word (`NAME=default` as parseWords keeps it) */
  inst?: Instruction;
  word?: Word;
}

/** The ARGs declared before the first FROM, by name. */
export function preFromArgs(doc: Document): Map<string, PreFromArg> {
  const args = new Map<string, PreFromArg>();
  for (const inst of doc.instructions) {
    if (inst.keyword === 'FROM') break;
    if (inst.keyword !== 'ARG') continue;
    for (const word of parseWords(inst.args, doc.escape)) {
      const eq = word.value.indexOf('=');
      if (eq < 0) {
        // `ARG X` keeps an earlier default (buildMetaArgs only replaces on a value).
        if (!args.has(word.value)) args.set(word.value, { value: undefined, canonical: null });
        continue;
      }
      const canonical = unquoteWord(word.value.slice(eq + 1), doc.escape);
      const value = canonical === null ? undefined : expandCanonical(canonical, valuesOf(args));
      args.set(word.value.slice(0, eq), { value, canonical, inst, word });
    }
  }
  return args;
}

/** Name → effective default, what `expandCanonical` reads. */
export function valuesOf(args: ReadonlyMap<string, { value: string | undefined }>): Map<string, string | undefined> {
  return new Map([...args].map(([k, v]) => [k, v.value]));
}

/**
 * Expand `$X` / `${X}` in an `unquoteWord` result with known values; undefined
 * when a variable is unknown or uses a form not evaluated here (`${X:-y}`).
 */
export function expandCanonical(canonical: string, values: ReadonlyMap<string, string | undefined>): string | undefined {
  let out = '';
  for (let i = 0; i < canonical.length; ) {
    const ch = canonical[i];
    if (ch === '\\') {
      out += canonical[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (ch === '$') {
      const m = /^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})/.exec(canonical.slice(i));
      const value = m ? values.get(m[1] ?? m[2]) : undefined;
      if (value === undefined) return undefined;
      out += value;
      i += m![0].length;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

/**
 * Best-effort substitution for a base as written: `$X`, `${X}`, `${X:-d}`,
 * `${X-d}` from known non-empty values (else the `d` given); anything else
 * stays as written, so a remaining `$` means "unknown".
 */
function substituteArgs(text: string, values: ReadonlyMap<string, string | undefined>): string {
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (m, a: string | undefined, def: string | undefined, b: string | undefined) => {
    const v = values.get((a ?? b) as string);
    if (v !== undefined && v !== '') return v;
    return def ?? m;
  });
}

export interface Stage {
  index: number;
  from: Instruction;
  /** the lower-cased `AS` name */
  name: string | null;
  /** the base word of FROM as written */
  written: string;
  /** `written` with the meta args' defaults substituted where known */
  base: string;
  /** the local stage this one is built FROM, else null (an image) */
  parent: Stage | null;
  /** the stage's instructions after its FROM */
  instructions: Instruction[];
}

export function stagesOf(doc: Document): Stage[] {
  const values = valuesOf(preFromArgs(doc));
  const stages: Stage[] = [];
  const byName = new Map<string, Stage>();
  for (const inst of doc.instructions) {
    if (inst.keyword === 'FROM') {
      const parts = fromParts(inst);
      const base = substituteArgs(parts.base, values);
      // addState: the latest earlier stage whose (lower-cased) name is the base exactly.
      const parent = byName.get(base) ?? null;
      const stage: Stage = { index: stages.length, from: inst, name: parts.name, written: parts.base, base, parent, instructions: [] };
      stages.push(stage);
      if (parts.name !== null) byName.set(parts.name, stage);
    } else if (stages.length > 0) stages[stages.length - 1].instructions.push(inst);
  }
  return stages;
}

/** The stage and its local parents, nearest first. */
export function chainOf(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | null = stage; s; s = s.parent) chain.push(s);
  return chain;
}

/** The stage at the end of the chain: its base is the image the stage finally builds on. */
export function rootOf(stage: Stage): Stage {
  let s = stage;
  while (s.parent) s = s.parent;
  return s;
}

/** Stages built (directly or not) FROM this one. */
export function descendantsOf(stages: Stage[], stage: Stage): Stage[] {
  return stages.filter((s) => s !== stage && chainOf(s).includes(stage));
}

/** The last instruction with this keyword along the chain (nearest stage first), else null. */
export function lastInChain(chain: Stage[], keyword: string): Instruction | null {
  for (const s of chain) {
    for (let k = s.instructions.length - 1; k >= 0; k--) if (s.instructions[k].keyword === keyword) return s.instructions[k];
  }
  return null;
}
