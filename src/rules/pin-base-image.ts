/**
 * pin-base-image: pin every image the build pulls to a digest
 * (hadolint DL3006 "tag the version explicitly", DL3007 "do not use latest";
 * BuildKit has no such check; Renovate and frizbee write digests the same way).
 *
 * Images the build pulls, and how BuildKit finds them
 * (frontend/dockerfile/dockerfile2llb/convert.go, instructions/commands_runmount.go):
 * - `FROM [--platform=…] <image> [AS name]`: the word is expanded with the ARGs
 *   declared before the first FROM, then looked up in `statesByName` as
 *   written, whose keys are lowercased stage names: only an earlier stage whose
 *   lowercased name equals the word is a stage; `scratch` is the empty image.
 * - `COPY --from=<x>`: a number is a stage index (strconv.Atoi, so `+1` and
 *   `-1` too); otherwise findStateByName, which lowercases `x` and knows every
 *   stage of the file (it runs after all stages are registered); anything else
 *   is an image. Variables are an error there.
 * - `RUN --mount=…,from=<x>,…`: the same lookup; the flag value is one CSV
 *   record whose keys are case-insensitive; `$` is an error there too.
 * - `# syntax=<image>`: the frontend image (opt-in, option `syntax`).
 *
 * The rule never does I/O. It pins from, in order: the user's configured pins
 * (`ctx.pins`), the registry answers gathered before the rules ran
 * (`ctx.resolved`, see `src/registry/prefetch.ts`), else it reports.
 * The site-finding logic below is shared with the prefetch step so that the
 * CLI resolves exactly the references this rule will look up.
 */
import type { Directive, Document, Flag, Instruction } from '../syntax/document.js';
import { fromParts } from '../syntax/meaning.js';
import { parseWords, splitWhitespace, trimTrailing, unquoteWord } from '../syntax/words.js';
import { canonicalName, formatReference, type ImageReference, isScratch, parseReference } from '../registry/reference.js';
import type { Finding, ResolvedImage, Rule, RuleContext, Safety } from './types.js';
import { findingsOf } from './shared/findings.js';
import { mountFields } from './shared/instructions.js';
import { expandCanonical, preFromArgs, valuesOf } from './shared/stages.js';

const ID = 'pin-base-image';
const finding = findingsOf(ID);

export type ImageSiteKind = 'from' | 'copy-from' | 'mount-from' | 'syntax';

/** One place where the Dockerfile names an image that is not pinned to a digest. */
export interface ImageSite {
  kind: ImageSiteKind;
  /** The reference as written, after resolving a pre-FROM ARG default: the key of `ctx.resolved`. */
  reference: string;
  parsed: ImageReference;
  /** Where to report (file offsets). */
  start: number;
  end: number;
  /** The file range that holds exactly `reference`, to be replaced by the pinned one; absent when it cannot be edited. */
  edit?: { start: number; end: number };
  /** Instructions the edit changes without touching their text (the FROMs reading a pinned ARG, stages inheriting it). */
  touches?: number[];
  /** Set when the reference is the default of this pre-FROM ARG. */
  arg?: string;
  /** Why pinning this one would change more than the image: makes the fix unsafe. */
  caveat?: string;
  /** Why it cannot be pinned automatically (report only). */
  refusal?: string;
}

export interface ImageSiteOptions {
  /** Include the `# syntax=` directive's image (default false). */
  syntax?: boolean;
}

// A reference written plainly: the characters image names, tags and digests
// use (`[…]` for IPv6 hosts). Anything else (escapes, variables, spaces) is
// not edited in place.
const PLAIN_REFERENCE = /^[A-Za-z0-9._\-/:@[\]]+$/;
const WHOLE_VARIABLE = /^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})$/;
// strconv.Atoi accepts an optional sign.
const STAGE_INDEX = /^[+-]?[0-9]+$/;

interface GlobalArg {
  /** The default after expanding earlier ARGs; undefined when unknown (no default, or an unknown variable). */
  value: string | undefined;
  /** The default has no variable in it, so it is the text to edit. */
  literal: boolean;
  /** The instruction holding the effective default, and the file range of the default's text. */
  inst?: Instruction;
  edit?: { start: number; end: number };
}

/**
 * Every image reference the build pulls that has no digest yet, with where to
 * pin it. Skips `scratch`, stages (by name or index), references that carry
 * a digest, and words that are not valid references.
 */
export function findImageSites(doc: Document, options: ImageSiteOptions = {}): ImageSite[] {
  const sites: ImageSite[] = [];
  if (options.syntax) {
    const site = syntaxSite(doc);
    if (site) sites.push(site);
  }

  const firstFrom = doc.instructions.findIndex((i) => i.keyword === 'FROM');
  if (firstFrom < 0) return sites;
  const globals = readGlobalArgs(doc);
  const stages = doc.instructions.slice(firstFrom);
  // findStateByName knows every stage, earlier or later.
  const allStageNames = new Set<string>();
  for (const inst of stages) {
    const name = inst.keyword === 'FROM' ? fromParts(inst).name : null;
    if (name) allStageNames.add(name);
  }
  const isStage = (ref: string): boolean => allStageNames.has(ref.toLowerCase());

  // FROMs reading one ARG share a single site: one edit of the ARG pins them all.
  const argSites = new Map<string, ImageSite>();
  const earlierStages = new Set<string>();
  for (const inst of stages) {
    if (inst.keyword === 'FROM') {
      const site = fromSite(doc, inst, globals, earlierStages, argSites);
      if (site) sites.push(site);
      const name = fromParts(inst).name;
      if (name) earlierStages.add(name);
    } else if (inst.keyword === 'COPY') {
      // BuildKit rejects a repeated flag, so the first one is the one.
      const flag = inst.flags.find((f) => f.name === 'from');
      if (flag?.value == null || flag.value.includes('$') || STAGE_INDEX.test(flag.value) || isStage(flag.value)) continue;
      const parsed = imageReference(flag.value);
      if (!parsed) continue;
      const span = flagValueSpan(doc, flag);
      const at = span ?? { start: flag.start, end: flag.start + flag.raw.length };
      sites.push(site('copy-from', flag.value, parsed, at, span));
    } else if (inst.keyword === 'RUN') {
      for (const flag of inst.flags) {
        if (flag.name !== 'mount' || flag.value === null) continue;
        const from = mountFrom(flag.value);
        if (from === undefined || from.value.includes('$') || STAGE_INDEX.test(from.value) || isStage(from.value)) continue;
        const parsed = imageReference(from.value);
        if (!parsed) continue;
        // flagValueSpan refuses a record with quotes: a quoted CSV field could hide commas.
        const span = flagValueSpan(doc, flag);
        const edit = span ? { start: span.start + from.offset, end: span.start + from.offset + from.value.length } : undefined;
        const at = edit ?? { start: flag.start, end: flag.start + flag.raw.length };
        sites.push(site('mount-from', from.value, parsed, at, edit));
      }
    }
  }

  // An ARG edit also reaches every other place the ARG is read.
  for (const [name, s] of argSites) {
    if (s.refusal) continue;
    const problem = otherArgUses(doc, name, globals.get(name)!, stages, s.touches ?? []);
    if (problem.refusal) s.refusal = problem.refusal;
    else if (problem.inherited.length > 0) {
      s.caveat = `ARG ${name} is also read inside a stage (line ${problem.inherited.map((i) => i.startLine + 1).join(', ')}), where its value changes`;
      s.touches = [...(s.touches ?? []), ...problem.inherited.map((i) => i.start)];
    }
  }
  return sites.sort((a, b) => a.start - b.start);
}

function site(
  kind: ImageSiteKind,
  reference: string,
  parsed: ImageReference,
  at: { start: number; end: number },
  edit: { start: number; end: number } | undefined,
  why = 'it is written with quotes or escapes dockerfix does not edit; pin it by hand',
): ImageSite {
  const s: ImageSite = { kind, reference, parsed, start: at.start, end: at.end };
  if (edit) s.edit = { start: edit.start, end: edit.end };
  else s.refusal = why;
  return s;
}

/** A valid image reference without a digest that is not `scratch`, else undefined. */
function imageReference(text: string): ImageReference | undefined {
  let parsed: ImageReference;
  try {
    parsed = parseReference(text);
  } catch {
    // Not an image (BuildKit fails on it, other checks report it).
    return undefined;
  }
  return parsed.digest !== undefined || isScratch(parsed) ? undefined : parsed;
}

// ---- FROM ------------------------------------------------------------------------------------

function fromSite(
  doc: Document,
  inst: Instruction,
  globals: Map<string, GlobalArg>,
  earlierStages: Set<string>,
  argSites: Map<string, ImageSite>,
): ImageSite | undefined {
  const word = splitWhitespace(inst.args)[0];
  if (!word) return undefined;
  const li = inst.argsIndex + word.start;
  const start = inst.logical.map[li];
  const end = inst.logical.map[li + word.value.length - 1] + 1;
  const contiguous = doc.text.slice(start, start + word.value.length) === word.value;
  const canonical = unquoteWord(word.value, doc.escape);
  if (canonical === null) return undefined;
  const base = expandCanonical(canonical, valuesOf(globals));
  // Unknown: comes from --build-arg only, or uses `${X:-…}` forms we do not follow.
  if (base === undefined) return undefined;
  // addState looks the expanded word up as written among earlier (lowercased) stage names.
  if (base === 'scratch' || earlierStages.has(base)) return undefined;
  const parsed = imageReference(base);
  if (!parsed) return undefined;

  const whole = WHOLE_VARIABLE.exec(canonical);
  if (whole) {
    const name = whole[1] ?? whole[2];
    const existing = argSites.get(name);
    if (existing) {
      existing.touches = [...(existing.touches ?? []), inst.start];
      return undefined;
    }
    const arg = globals.get(name)!;
    const s: ImageSite = { kind: 'from', reference: base, parsed, start, end, arg: name, touches: [inst.start] };
    if (!arg.literal) s.refusal = `the default of ARG ${name} is built from other ARGs; pin it by hand`;
    else if (!arg.edit) s.refusal = `the default of ARG ${name} is written in a form dockerfix does not edit; pin it by hand`;
    else s.edit = arg.edit;
    argSites.set(name, s);
    return s;
  }
  if (hasVariable(canonical)) {
    // `node:${TAG}`: a digest appended to the word would silently win over
    // `--build-arg TAG=…`, and the ARG alone is not a reference to pin.
    return { kind: 'from', reference: base, parsed, start, end, refusal: `the reference is assembled from ARG values (${word.value}); pin it by hand` };
  }
  if (!contiguous) return site('from', base, parsed, { start, end }, undefined, 'it is split by a line continuation; pin it by hand');
  const span = literalSpan(word.value);
  return site('from', base, parsed, { start, end }, span && { start: start + span.offset, end: start + span.offset + span.value.length });
}

/** The meta ARGs (before the first FROM) with their effective defaults, and where a literal default can be edited. */
function readGlobalArgs(doc: Document): Map<string, GlobalArg> {
  const globals = new Map<string, GlobalArg>();
  for (const [name, { value, canonical, inst, word }] of preFromArgs(doc)) {
    const arg: GlobalArg = { value, literal: canonical !== null && !hasVariable(canonical), inst };
    if (inst && word) {
      const eq = word.value.indexOf('=');
      const span = literalSpan(word.value.slice(eq + 1));
      if (span && inst.args.slice(word.start, word.end) === word.value) {
        const from = inst.logical.map[inst.argsIndex + word.start + eq + 1 + span.offset];
        if (doc.text.slice(from, from + span.value.length) === span.value) arg.edit = { start: from, end: from + span.value.length };
      }
    }
    globals.set(name, arg);
  }
  return globals;
}

/**
 * Where else ARG `name` is read. Another global ARG's default or a FROM word
 * that uses it as part of a longer text would break or change with a digest
 * in it (refused); a stage that redeclares it without a value inherits the
 * pinned string (a caveat).
 */
function otherArgUses(
  doc: Document,
  name: string,
  arg: GlobalArg,
  stages: Instruction[],
  pinnedFroms: number[],
): { refusal?: string; inherited: Instruction[] } {
  const uses = new RegExp(`\\$(?:${name}(?![A-Za-z0-9_])|\\{${name}(?![A-Za-z0-9_]))`);
  for (const inst of doc.instructions) {
    if (inst.keyword === 'FROM') break;
    if (inst.keyword !== 'ARG' || inst === arg.inst) continue;
    if (uses.test(inst.args)) return { refusal: `ARG ${name} is also used in another ARG's default (line ${inst.startLine + 1}); pin it by hand`, inherited: [] };
  }
  if (arg.inst) {
    // Later words of the same ARG instruction read the new value too.
    for (const w of parseWords(arg.inst.args, doc.escape)) {
      const eq = w.value.indexOf('=');
      if (eq >= 0 && w.value.slice(0, eq) !== name && uses.test(w.value.slice(eq + 1))) {
        return { refusal: `ARG ${name} is also used in another ARG's default (line ${arg.inst.startLine + 1}); pin it by hand`, inherited: [] };
      }
    }
  }
  const inherited: Instruction[] = [];
  for (const inst of stages) {
    if (inst.keyword === 'FROM') {
      const word = splitWhitespace(inst.args)[0]?.value ?? '';
      const canonical = unquoteWord(word, doc.escape) ?? word;
      const platform = inst.flags.find((f) => f.name === 'platform')?.value ?? '';
      if ((uses.test(word) && !WHOLE_VARIABLE.test(canonical)) || uses.test(platform)) {
        return { refusal: `ARG ${name} is also used in FROM on line ${inst.startLine + 1} as part of other text; pin it by hand`, inherited: [] };
      }
      // `FROM ${NAME}` that names a stage there (one defined in between): a digest would turn it into an image.
      if (uses.test(word) && !pinnedFroms.includes(inst.start)) {
        return { refusal: `ARG ${name} also names a stage in FROM on line ${inst.startLine + 1}; pin it by hand`, inherited: [] };
      }
    } else if (inst.keyword === 'ARG') {
      if (parseWords(inst.args, doc.escape).some((w) => w.value === name)) inherited.push(inst);
    }
  }
  return { inherited };
}

// ---- flags and mounts ------------------------------------------------------------------------

/**
 * The file range of a flag's value when the flag is written `--name=value`
 * or `--name="value"` in one piece (no escapes, no line continuation inside).
 */
function flagValueSpan(doc: Document, flag: Flag): { start: number; end: number; text: string } | undefined {
  const prefix = `--${flag.name}=`;
  if (flag.value === null || !flag.raw.startsWith(prefix)) return undefined;
  if (doc.text.slice(flag.start, flag.start + flag.raw.length) !== flag.raw) return undefined;
  const rest = flag.raw.slice(prefix.length);
  if (/["'\\]/.test(flag.value)) return undefined;
  let offset: number;
  if (rest === flag.value) offset = prefix.length;
  else if (rest.length === flag.value.length + 2 && (rest[0] === '"' || rest[0] === "'") && rest.endsWith(rest[0]) && rest.slice(1, -1) === flag.value) offset = prefix.length + 1;
  else return undefined;
  return { start: flag.start + offset, end: flag.start + offset + flag.value.length, text: flag.value };
}

/**
 * The `from=` field of a `--mount` CSV record (the last one wins, as in
 * parseMount), with its offset in the record. A record with quotes is split
 * naively here; the caller never edits one (CSV quoting could hide commas).
 */
function mountFrom(record: string): { value: string; offset: number } | undefined {
  let found: { value: string; offset: number } | undefined;
  for (const { key, value, offset } of mountFields(record)) if (key === 'from' && value !== null) found = { value, offset };
  return found;
}

// ---- syntax directive ------------------------------------------------------------------------

function syntaxSite(doc: Document): ImageSite | undefined {
  const d: Directive | undefined = doc.directives.find((x) => x.name === 'syntax');
  if (!d) return undefined;
  const line = doc.lines[d.line];
  // BuildKit's syntax detector does not skip leading whitespace: such a line selects no frontend.
  if (d.start !== (d.line === 0 && doc.bom ? 1 : line.start)) return undefined;
  const parsed = imageReference(d.value);
  if (!parsed) return undefined;
  const end = d.start + trimTrailing(doc.text.slice(d.start, d.end), ' \t\f\r').length;
  const start = end - d.value.length;
  const edit = doc.text.slice(start, end) === d.value && PLAIN_REFERENCE.test(d.value) ? { start, end } : undefined;
  return site('syntax', d.value, parsed, { start, end }, edit);
}

// ---- words -----------------------------------------------------------------------------------

/** A word that is a plain reference, bare or in one pair of quotes: its value and where the value starts. */
function literalSpan(raw: string): { value: string; offset: number } | undefined {
  if (PLAIN_REFERENCE.test(raw)) return { value: raw, offset: 0 };
  const q = raw[0];
  if ((q === '"' || q === "'") && raw.length > 2 && raw.endsWith(q) && PLAIN_REFERENCE.test(raw.slice(1, -1))) {
    return { value: raw.slice(1, -1), offset: 1 };
  }
  return undefined;
}

/** Does an `unquoteWord` result still reference a variable (an unescaped `$`)? */
function hasVariable(canonical: string): boolean {
  for (let i = 0; i < canonical.length; i++) {
    if (canonical[i] === '\\') i++;
    else if (canonical[i] === '$') return true;
  }
  return false;
}

// ---- the rule --------------------------------------------------------------------------------

/** What to write for a site, or a report, or nothing (the configured tag is already in place). */
type Plan =
  | { kind: 'pin'; text: string; safety: Safety; reason: string }
  | { kind: 'report'; message: string; reason: string }
  | { kind: 'none' };

const SHA_DIGEST = /^(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;

function plan(site: ImageSite, ctx: RuleContext): Plan {
  const ref = site.parsed;
  const tag = ref.tag ?? 'latest';
  const floating = ref.tag === undefined || ref.tag === 'latest';

  const pin = ctx.pins ? lookupPin(ctx.pins, ref) : undefined;
  if (pin) {
    const m = /^([^@]*)(?:@(.*))?$/.exec(pin.value.trim())!;
    const pinTag = m[1] === '' ? tag : m[1];
    const digest = m[2];
    let text: string;
    try {
      text = formatReference(ref, { tag: pinTag, digest });
      parseReference(text);
    } catch {
      return {
        kind: 'report',
        message: `${site.reference} is not pinned: the pin ${JSON.stringify(pin.key)} → ${JSON.stringify(pin.value)} is not a tag or tag@sha256:…`,
        reason: 'an invalid pin in the configuration is never applied',
      };
    }
    if (pinTag !== tag) {
      return {
        kind: 'pin',
        text,
        safety: 'unsafe',
        reason: `picks another version: ${formatReference(ref, { tag: pinTag, digest: undefined })} instead of ${formatReference(ref, { tag, digest: undefined })} (configured pin ${JSON.stringify(pin.key)})`,
      };
    }
    if (digest !== undefined) {
      return { kind: 'pin', text, safety: 'safe', reason: `keeps tag ${tag} and adds the digest of configured pin ${JSON.stringify(pin.key)}` };
    }
    // The configured tag is already in place; a registry answer can still add its digest.
    if (!ctx.resolved?.has(site.reference)) return { kind: 'none' };
  }

  const answer = ctx.resolved?.get(site.reference);
  if (answer === undefined) {
    return {
      kind: 'report',
      message: `${site.reference} is not pinned: run with --resolve or add a pin`,
      reason: 'offline there is no truthful digest to pin to',
    };
  }
  if ('error' in answer) {
    return {
      kind: 'report',
      message: `${site.reference} is not pinned: ${oneLine(answer.error)}`,
      reason: 'the registry lookup failed, so there is no digest to pin to',
    };
  }
  const resolved: ResolvedImage = answer;
  // For a floating reference the registry may name the version that has the same digest;
  // any other tag is kept as the user wrote it.
  const writeTag = floating ? resolved.tag : tag;
  let text: string;
  try {
    if (!SHA_DIGEST.test(resolved.digest)) throw new Error('digest');
    text = formatReference(ref, { tag: writeTag, digest: resolved.digest });
    parseReference(text);
  } catch {
    return { kind: 'report', message: `${site.reference} is not pinned: the registry answer is not a valid tag and digest`, reason: 'an invalid answer is never written' };
  }
  const reason =
    writeTag !== tag
      ? `${formatReference(ref, { tag: writeTag, digest: undefined })} has the same digest as ${formatReference(ref, { tag, digest: undefined })} today: the build is the same today`
      : `the digest ${formatReference(ref, { tag, digest: undefined })} points to today: the build is the same today`;
  return { kind: 'pin', text, safety: 'safe', reason };
}

/** The configured pin for a reference: a `name:tag` key for its tag wins over a `name` key. Names compare canonically. */
function lookupPin(pins: Record<string, string>, ref: ImageReference): { key: string; value: string } | undefined {
  const tag = ref.tag ?? 'latest';
  const name = canonicalName(ref);
  let byName: { key: string; value: string } | undefined;
  for (const [key, value] of Object.entries(pins)) {
    if (typeof value !== 'string') continue;
    let k: ImageReference;
    try {
      k = parseReference(key);
    } catch {
      continue;
    }
    if (k.digest !== undefined || canonicalName(k) !== name) continue;
    if (k.tag === tag) return { key, value };
    if (k.tag === undefined) byName ??= { key, value };
  }
  return byName;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const WHAT: Record<ImageSiteKind, string> = {
  from: 'base image',
  'copy-from': 'COPY --from image',
  'mount-from': 'RUN --mount from image',
  syntax: 'syntax frontend image',
};

export const pinBaseImage: Rule = {
  meta: {
    id: ID,
    title: 'Pin base images to a digest',
    safety: 'safe',
    related: ['DL3006', 'DL3007'],
    docs: [
      'A tag moves: `node:22` or an untagged `node` (meaning `latest`) builds from whatever the tag points to on the day of the build.',
      'This rule pins every image the build pulls (FROM, `COPY --from=<image>`, `RUN --mount=from=<image>`, and with the option `syntax` the',
      '`# syntax=` frontend) to the digest of its index, written `name:tag@sha256:…` so the tag stays readable and multi-arch images keep working',
      '(Dockerfile reference, FROM: https://docs.docker.com/reference/dockerfile/#from; hadolint DL3006, DL3007).',
      'It skips `scratch`, stages (by name or index) and references that already have a digest. An image given through an ARG declared before',
      'the first FROM is pinned in the ARG\'s default, never by appending a digest to `${VAR}` (the digest would win over --build-arg).',
      'Digests come from the configured `pins` (image or image:tag → tag or tag@sha256:…) or, with `--resolve`, from the registry.',
      'Pinning to the digest a tag points to today is safe: the build is the same today; writing the version tag that has the same digest as',
      '`latest` is safe for the same reason. A configured pin with another tag picks another version: unsafe. Offline, without a pin, it reports.',
      'References assembled from ARG values (`node:${TAG}`) and ONBUILD triggers (they run in another build) are reported or left alone, never edited.',
    ].join(' '),
    options: { syntax: 'also pin the image of the `# syntax=` parser directive (boolean, default false)' },
  },
  check(doc: Document, ctx: RuleContext): Finding[] {
    const findings: Finding[] = [];
    for (const s of findImageSites(doc, { syntax: ctx.options.syntax === true })) {
      if (s.refusal) {
        findings.push(finding(s, 'suggestion', `${s.reference} is not pinned: ${s.refusal}`, s.refusal));
        continue;
      }
      const p = plan(s, ctx);
      if (p.kind === 'none') continue;
      if (p.kind === 'report') {
        findings.push(finding(s, 'suggestion', p.message, p.reason));
        continue;
      }
      const where = s.arg ? ` (in the default of ARG ${s.arg})` : '';
      findings.push(finding(
        s, s.caveat && p.safety === 'safe' ? 'unsafe' : p.safety,
        `${WHAT[s.kind]} ${s.reference} is not pinned: pin it as ${p.text}${where}`,
        s.caveat ? `${p.reason}; but ${s.caveat}` : p.reason,
        { edits: [{ start: s.edit!.start, end: s.edit!.end, text: p.text }], touches: s.touches },
      ));
    }
    return findings;
  },
};
