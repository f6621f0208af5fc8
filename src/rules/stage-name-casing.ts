/**
 * stage-name-casing: lowercase stage names, and the references that name them.
 *
 * Facts from BuildKit (frontend/dockerfile/instructions/parse.go and
 * dockerfile2llb/convert.go):
 * - parseBuildStageName lowercases the name at its definition
 *   (`strings.ToLower(args[2])`), so `AS Builder` defines the stage `builder`;
 * - `COPY --from=<name>` and `RUN --mount=from=<name>` go through
 *   findStateByName, which lowercases the reference: any case matches;
 * - `FROM <name>` goes through addState, which looks the base name up in
 *   statesByName *as written*: only the lowercase spelling matches a stage.
 *   `FROM Builder` never uses the stage `builder`; it is read as an image
 *   reference (and rejected, image names being lowercase).
 * So renaming the definition and lowercasing `--from` references never changes
 * what is built; lowercasing a `FROM Builder` would turn a failing image
 * reference into a stage reference, so the rule refuses when one exists.
 */
import type { Document, Instruction } from '../syntax/document.js';
import { positionOf } from '../syntax/parse.js';
import { splitWhitespace } from '../syntax/words.js';
import type { Edit, Finding, Rule } from './types.js';
import { replaceChars } from './shared/edits.js';
import { findingsOf } from './shared/findings.js';
import { mountFields } from './shared/instructions.js';

const ID = 'stage-name-casing';
const finding = findingsOf(ID);
const VALID_STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

export const stageNameCasing: Rule = {
  meta: {
    id: ID,
    title: 'Write stage names in lowercase, with every reference',
    safety: 'safe',
    related: ['StageNameCasing'],
    docs: [
      'Stage names are case-insensitive at their definition: BuildKit lowercases `FROM image AS Name`',
      '(Dockerfile reference, FROM: https://docs.docker.com/reference/dockerfile/#from; build check StageNameCasing:',
      'https://docs.docker.com/reference/build-checks/stage-name-casing/). `COPY --from=` and `RUN --mount=from=`',
      'look stages up case-insensitively, so the fix lowercases the name and those references. `FROM <stage>` is',
      'matched exactly against the lowercased name: a `FROM Name` does not use the stage today, so when one exists',
      'the rule only reports (lowercasing it would change what the stage builds from).',
      'References inside ONBUILD triggers and quoted flag values are left as written (their case does not matter).',
    ].join(' '),
  },
  check(doc: Document): Finding[] {
    const findings: Finding[] = [];
    for (const def of doc.instructions) {
      if (def.keyword !== 'FROM') continue;
      const words = splitWhitespace(def.args);
      if (words.length !== 3 || words[1].value.toLowerCase() !== 'as') continue;
      const name = words[2].value;
      const lower = name.toLowerCase();
      // (a length change cannot happen for a valid lowercased name, but the in-place edit relies on it)
      if (name === lower || !VALID_STAGE_NAME.test(lower) || name.length !== lower.length) continue;
      const broken: Instruction[] = [];
      const refEdits: Edit[] = [];
      const touches: number[] = [];
      for (const inst of doc.instructions) {
        if (inst.keyword === 'FROM') {
          const ref = splitWhitespace(inst.args)[0]?.value ?? '';
          if (ref !== lower && ref.toLowerCase() === lower) broken.push(inst);
          continue;
        }
        const edits = inst.keyword === 'COPY' ? copyFromEdits(inst, lower) : inst.keyword === 'RUN' ? mountFromEdits(inst, lower) : [];
        if (edits.length > 0) {
          refEdits.push(...edits);
          touches.push(inst.start);
        }
      }
      if (broken.length > 0) {
        const lines = broken.map((i) => positionOf(doc.lines, i.start).line + 1).join(', ');
        findings.push(finding(def, 'suggestion',
          `stage name "${name}" should be lowercase, but FROM on line ${lines} spells it with capitals: fix those by hand`,
          `BuildKit matches FROM <stage> exactly against the lowercased name "${lower}", so that FROM does not use this stage now and lowercasing it would change the build`));
        continue;
      }
      const defEdits = replaceChars(def, def.argsIndex + words[2].start, lower) ?? [];
      const count = touches.length;
      findings.push(finding(def, 'safe',
        `stage name "${name}" should be lowercase: "${lower}"` + (count > 0 ? ` (and ${count} --from reference${count > 1 ? 's' : ''})` : ''),
        'BuildKit lowercases stage names and matches --from references case-insensitively, so every reference keeps naming the same stage',
        { edits: [...defEdits, ...refEdits], touches: count > 0 ? touches : undefined }));
    }
    return findings;
  },
};

/** `COPY --from=Name` → lowercase, when the flag is written plainly (no quotes or escapes). */
function copyFromEdits(inst: Instruction, lower: string): Edit[] {
  const out: Edit[] = [];
  for (const f of inst.flags) {
    if (f.name !== 'from' || f.value === null || f.value === lower || f.value.toLowerCase() !== lower) continue;
    if (f.raw !== `--from=${f.value}`) continue;
    const at = logicalIndexOf(inst, f.start);
    if (at >= 0) out.push(...(replaceChars(inst, at + '--from='.length, lower) ?? []));
  }
  return out;
}

/** `RUN --mount=…,from=Name,…` → lowercase (the mount option keys are case-insensitive in BuildKit). */
function mountFromEdits(inst: Instruction, lower: string): Edit[] {
  const out: Edit[] = [];
  for (const f of inst.flags) {
    if (f.name !== 'mount' || f.value === null || f.raw !== `--mount=${f.value}` || /["'\\]/.test(f.value)) continue;
    const at = logicalIndexOf(inst, f.start);
    if (at < 0) continue;
    for (const { key, value, offset } of mountFields(f.value)) {
      if (key !== 'from' || value === null || value === lower || value.toLowerCase() !== lower) continue;
      out.push(...(replaceChars(inst, at + '--mount='.length + offset, lower) ?? []));
    }
  }
  return out;
}

function logicalIndexOf(inst: Instruction, fileOffset: number): number {
  return inst.logical.map.indexOf(fileOffset);
}
