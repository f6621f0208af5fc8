/**
 * Version-like tags: `1`, `1.2`, `1.2.3`, `22.11.0-alpine3.20`.
 *
 * Used to find which version a floating tag (`latest`, `alpine`, `22`)
 * currently is, so a pin can read `node:22.11.0@sha256:…` instead of
 * `node:latest@sha256:…`.
 */

export interface VersionTag {
  readonly tag: string;
  /** Numeric components: `1.2.3` → [1, 2, 3]. */
  readonly parts: readonly number[];
  /** Variant suffix including its dash (`-alpine3.20`), or '' for plain versions. */
  readonly suffix: string;
}

// Up to four numeric components of at most six digits each: long numbers are
// dates or build numbers (`20240101`), not versions, and would otherwise sort
// above every real version and eat the check budget.
const VERSION_TAG_RE = /^(\d{1,6}(?:\.\d{1,6}){0,3})(-[0-9A-Za-z][0-9A-Za-z._-]*)?$/;

/** Parse a version-like tag, or undefined for anything else (`latest`, `alpine`, `v1.2`). */
export function parseVersionTag(tag: string): VersionTag | undefined {
  const m = VERSION_TAG_RE.exec(tag);
  if (m === null) return undefined;
  return { tag, parts: m[1]!.split('.').map(Number), suffix: m[2] ?? '' };
}

/**
 * The set of version tags a floating tag belongs to:
 *  - `latest` (or no tag): plain versions (`1.2.3`), no prefix;
 *  - a word such as `alpine` or `bookworm-slim`: `X.Y.Z-alpine`;
 *  - a version such as `22` or `22-alpine`: more specific versions below it
 *    (`22.11.0`, `22.11.0-alpine`).
 */
export interface VersionFamily {
  readonly suffix: string;
  readonly prefix: readonly number[];
}

export function versionFamily(tag: string): VersionFamily {
  if (tag === 'latest') return { suffix: '', prefix: [] };
  const version = parseVersionTag(tag);
  if (version !== undefined) return { suffix: version.suffix, prefix: version.parts };
  return { suffix: `-${tag}`, prefix: [] };
}

/** True when `version` is in `family` and strictly more specific than the family's own tag. */
export function inFamily(version: VersionTag, family: VersionFamily): boolean {
  return (
    version.suffix === family.suffix &&
    version.parts.length > family.prefix.length &&
    family.prefix.every((part, i) => version.parts[i] === part)
  );
}

/**
 * Newest first; for equal leading parts the more specific tag first
 * (`1.2.3`, `1.2`, `1`), because a missing component counts as lower than 0.
 *
 * With this order, walking down and stopping at the first tag whose digest
 * equals the floating tag's digest yields the most specific such tag: any
 * more specific alias (`1.2.3` for `1.2`) sorts before the less specific one.
 */
export function compareVersionsNewestFirst(a: VersionTag, b: VersionTag): number {
  const length = Math.max(a.parts.length, b.parts.length);
  for (let i = 0; i < length; i++) {
    const x = a.parts[i] ?? -1;
    const y = b.parts[i] ?? -1;
    if (x !== y) return y - x;
  }
  return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0;
}
