/**
 * The network half of `pin-base-image`, run by the CLI before the rules when
 * `--resolve` is given (rules never do I/O):
 *
 *   const refs = collectImageReferences(doc, { syntax });   // per file, no I/O
 *   const resolved = await resolveReferences(allRefs, client, { mirrors });
 *   // → RuleContext.resolved
 *
 * `collectImageReferences` uses the rule's own site finder, so the CLI asks
 * the registry for exactly the keys the rule will look up.
 */
import type { Document } from '../syntax/document.js';
import { findImageSites, type ImageSiteOptions } from '../rules/pin-base-image.js';
import type { ResolvedImage } from '../rules/types.js';
import type { LatestVersionOptions, RegistryClient } from './client.js';
import { RegistryError } from './errors.js';
import { DOCKER_HUB_DOMAIN, type ImageReference, parseReference } from './reference.js';

/**
 * The references `pin-base-image` needs answers for, as written (after
 * resolving pre-FROM ARG defaults), each once, in file order. References it
 * skips (scratch, stages, digests) or cannot edit are left out.
 */
export function collectImageReferences(doc: Document, options: ImageSiteOptions = {}): string[] {
  const refs = new Set<string>();
  for (const site of findImageSites(doc, options)) if (!site.refusal) refs.add(site.reference);
  return [...refs];
}

export interface ResolveReferencesOptions {
  /**
   * Registry → host that answers for it instead, e.g. `{ "docker.io": "127.0.0.1:5000" }`.
   * Only the lookup moves: the written reference keeps the user's spelling
   * (`node:1.2.3@sha256:…`) and the repository path (`library/node`). Keys may
   * be written `docker.io`, `index.docker.io` or `registry-1.docker.io` for
   * Docker Hub; values are `host[:port]` (HTTP only on loopback, as always).
   */
  mirrors?: Readonly<Record<string, string>>;
  /** How many references are looked up at once (default 8). */
  concurrency?: number;
  /** Bounds for finding the version of `latest` (passed to `resolveLatestVersion`). */
  latestVersion?: LatestVersionOptions;
}

export type ResolveResult = ResolvedImage | { error: string };

const DEFAULT_CONCURRENCY = 8;
const DOCKER_HUB_KEYS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
// Same grammar as a reference's domain: host or [IPv6], optional port, nothing else.
const MIRROR_HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;

/**
 * Resolve each reference to what `pin-base-image` writes: for an untagged or
 * `latest` reference, the most specific version tag with the same digest as
 * `latest` (or `latest` itself when none matches) and that digest; for any
 * other tag, the tag and its digest (the index digest for multi-arch images).
 *
 * Never throws: a failure is recorded as `{ error }` for that reference only,
 * with the client's message (it names the image, never credentials).
 */
export async function resolveReferences(
  refs: Iterable<string>,
  client: RegistryClient,
  options: ResolveReferencesOptions = {},
): Promise<Map<string, ResolveResult>> {
  const unique = [...new Set(refs)];
  const results = new Map<string, ResolveResult>();
  const mirrors = normalizeMirrors(options.mirrors ?? {});
  const limit = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < unique.length) {
      const ref = unique[next++];
      results.set(ref, await resolveOne(ref, client, mirrors, options.latestVersion));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, unique.length) }, worker));
  // File order, whatever order the lookups finished in.
  return new Map(unique.map((ref) => [ref, results.get(ref)!]));
}

async function resolveOne(
  text: string,
  client: RegistryClient,
  mirrors: Map<string, string | { error: string }>,
  latestVersion: LatestVersionOptions | undefined,
): Promise<ResolveResult> {
  let ref: ImageReference;
  try {
    ref = parseReference(text);
  } catch (error) {
    return { error: messageOf(error, text) };
  }
  const mirror = mirrors.get(ref.domain);
  if (typeof mirror === 'object') return mirror;
  // The lookup goes to the mirror; the name, and so the text written back, stays the user's.
  const lookup: ImageReference = mirror === undefined ? ref : { ...ref, registry: mirror };
  const via = mirror === undefined ? '' : ` (via mirror ${mirror})`;
  try {
    if (ref.digest !== undefined) return { tag: ref.tag ?? 'latest', digest: ref.digest };
    if (ref.tag !== undefined && ref.tag !== 'latest') {
      return { tag: ref.tag, digest: await client.resolveDigest(lookup) };
    }
    // Resolve `latest` first: if the tags list is forbidden or broken (some
    // registries refuse listing), the digest alone still pins it.
    const digest = await client.resolveDigest(lookup);
    try {
      const version = await client.resolveLatestVersion(lookup, latestVersion);
      // The client caches `latest`, so both calls saw the same digest; check anyway.
      if (version.digest === digest) return { tag: version.tag, digest };
    } catch {
      // No version name: pin `latest` to its digest.
    }
    return { tag: 'latest', digest };
  } catch (error) {
    return { error: messageOf(error, text) + via };
  }
}

/** Mirror keys folded to the display domain (`docker.io`); an invalid host becomes an error for its images. */
function normalizeMirrors(mirrors: Readonly<Record<string, string>>): Map<string, string | { error: string }> {
  const out = new Map<string, string | { error: string }>();
  for (const [key, host] of Object.entries(mirrors)) {
    const registry = DOCKER_HUB_KEYS.has(key.toLowerCase()) ? DOCKER_HUB_DOMAIN : key;
    // An invalid value is not echoed: a mistyped `user:password@host` must not end up in a report.
    const valid = typeof host === 'string' && MIRROR_HOST.test(host);
    out.set(registry, valid ? host : { error: `invalid mirror for ${registry}: expected host[:port]` });
  }
  return out;
}

/** A one-line message: the client's own (safe to print) or a generic one that names the image. */
function messageOf(error: unknown, image: string): string {
  const text = error instanceof RegistryError ? error.message : `cannot resolve ${image}: unexpected ${error instanceof Error ? error.name : typeof error}`;
  return text.replace(/\s+/g, ' ').trim();
}
