/**
 * Image reference parsing, following Docker's own rules
 * (github.com/distribution/reference: `ParseNormalizedNamed`).
 *
 *   node                        → docker.io / library/node, no tag
 *   node:22                     → docker.io / library/node, tag 22
 *   ghcr.io/owner/img:tag       → ghcr.io   / owner/img
 *   localhost:5000/x/y:1        → localhost:5000 / x/y
 *   127.0.0.1:5123/app          → 127.0.0.1:5123 / app   (no `library/`: only Docker Hub adds it)
 *
 * We keep the name exactly as the user spelled it (`name`) so that a pinned
 * reference can be written back as `node:22@sha256:…` instead of the noisy
 * canonical `docker.io/library/node:22@sha256:…`.
 */
import { InvalidReferenceError } from './errors.js';

/** Display domain of Docker Hub, as used in canonical names (`docker.io/library/node`). */
export const DOCKER_HUB_DOMAIN = 'docker.io';
/** Host that actually serves Docker Hub's distribution API. */
export const DOCKER_HUB_REGISTRY = 'registry-1.docker.io';
/** Older spelling of Docker Hub that Docker still accepts and folds into docker.io. */
const LEGACY_DOCKER_HUB_DOMAIN = 'index.docker.io';

/** Docker refuses names (domain + path) longer than this. */
const NAME_TOTAL_LENGTH_MAX = 255;

export interface ImageReference {
  /** The text that was parsed, unchanged. */
  readonly original: string;
  /** The name part as the user wrote it (no tag, no digest): `node`, `docker.io/library/node`, `127.0.0.1:5123/app`. */
  readonly name: string;
  /** Display domain: `docker.io` for Docker Hub, else the registry host[:port] as written. */
  readonly domain: string;
  /** Host[:port] that serves the registry API: `registry-1.docker.io` for Docker Hub. */
  readonly registry: string;
  /** Repository path inside the registry: `library/node`, `owner/img`. */
  readonly repository: string;
  /** The tag, or undefined when the reference has none (Docker then means `latest`). */
  readonly tag: string | undefined;
  /** The digest (`sha256:…`), or undefined when the reference has none. */
  readonly digest: string | undefined;
}

// ---- Grammar (distribution/reference regexp.go) -------------------------------------------

// A path component: lowercase alphanumerics, separated by `.`, `_`, `__` or runs of `-`.
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const PATH_RE = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
// A domain: DNS-ish labels or a bracketed IPv6 address, with an optional port.
const DOMAIN_LABEL = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_RE = new RegExp(`^(?:${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
// Docker refuses a bare 64-hex name: it would be mistaken for an image ID.
const IMAGE_ID_RE = /^[a-f0-9]{64}$/;

/** Hex lengths of the digest algorithms the OCI spec registers (and Docker accepts). */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/**
 * Parse an image reference the way `docker pull` does.
 * @throws InvalidReferenceError with a message that says what is wrong.
 */
export function parseReference(text: string): ImageReference {
  if (typeof text !== 'string' || text.length === 0) {
    throw new InvalidReferenceError(String(text), 'the reference is empty');
  }
  if (/\s/.test(text)) {
    throw new InvalidReferenceError(text, 'the reference contains whitespace');
  }
  if (IMAGE_ID_RE.test(text)) {
    throw new InvalidReferenceError(text, 'a 64-character hexadecimal string is an image ID, not a repository name');
  }

  // Split off `@digest` first: digests contain `:` and would confuse the tag split.
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    validateDigest(text, digest);
  }

  // A `:` after the last `/` starts the tag; an earlier one belongs to a `host:port`.
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) {
      throw new InvalidReferenceError(
        text,
        `invalid tag ${JSON.stringify(tag)} (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-')`,
      );
    }
  }

  const name = rest;
  if (name.length === 0) {
    throw new InvalidReferenceError(text, 'the repository name is empty');
  }

  // Docker's domain heuristic (splitDockerDomain): the first component is a
  // registry host only if it looks like one – it contains `.` or `:`, is
  // `localhost`, or has uppercase letters (which a repository path cannot).
  // Otherwise the whole name is a Docker Hub repository.
  let domain: string;
  let path: string;
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  if (
    slash === -1 ||
    (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)
  ) {
    domain = DOCKER_HUB_DOMAIN;
    path = name;
  } else {
    domain = first;
    path = name.slice(slash + 1);
  }
  if (domain === LEGACY_DOCKER_HUB_DOMAIN) domain = DOCKER_HUB_DOMAIN;

  if (!DOMAIN_RE.test(domain)) {
    throw new InvalidReferenceError(text, `invalid registry host ${JSON.stringify(domain)}`);
  }
  if (path.toLowerCase() !== path) {
    throw new InvalidReferenceError(text, 'the repository name must be lowercase');
  }
  if (!PATH_RE.test(path)) {
    throw new InvalidReferenceError(
      text,
      `invalid repository name ${JSON.stringify(path)} (lowercase letters, digits and separators '.', '_', '__', '-', split by '/')`,
    );
  }
  // Docker Hub's official images live under `library/`.
  if (domain === DOCKER_HUB_DOMAIN && !path.includes('/')) path = `library/${path}`;
  if (domain.length + 1 + path.length > NAME_TOTAL_LENGTH_MAX) {
    throw new InvalidReferenceError(text, `the repository name is longer than ${NAME_TOTAL_LENGTH_MAX} characters`);
  }

  return {
    original: text,
    name,
    domain,
    registry: domain === DOCKER_HUB_DOMAIN ? DOCKER_HUB_REGISTRY : domain,
    repository: path,
    tag,
    digest,
  };
}

function validateDigest(text: string, digest: string): void {
  if (!DIGEST_RE.test(digest)) {
    throw new InvalidReferenceError(text, `invalid digest ${JSON.stringify(digest)} (expected algorithm:hex)`);
  }
  const [algorithm, hex] = digest.split(':') as [string, string];
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) {
    throw new InvalidReferenceError(text, `unsupported digest algorithm ${JSON.stringify(algorithm)}`);
  }
  if (hex.length !== length || !/^[0-9a-f]+$/.test(hex)) {
    throw new InvalidReferenceError(text, `a ${algorithm} digest is ${length} lowercase hexadecimal characters`);
  }
}

export interface FormatOverrides {
  /** Replace the tag; pass `undefined` explicitly to drop it. */
  tag?: string | undefined;
  /** Replace the digest; pass `undefined` explicitly to drop it. */
  digest?: string | undefined;
}

/**
 * Render `name[:tag][@digest]` keeping the user's spelling of the name, so
 * `node` stays `node` and `docker.io/library/node` stays as written.
 * An override key that is present (even as `undefined`) replaces the
 * reference's own tag or digest.
 */
export function formatReference(ref: ImageReference, overrides: FormatOverrides = {}): string {
  const tag = 'tag' in overrides ? overrides.tag : ref.tag;
  const digest = 'digest' in overrides ? overrides.digest : ref.digest;
  return `${ref.name}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
}

/** Docker's fully qualified spelling: `docker.io/library/node:22`. Handy for cache keys and logs. */
export function canonicalName(ref: ImageReference): string {
  return `${ref.domain}/${ref.repository}`;
}

/** True for `scratch`, the empty pseudo-image that must never be pinned or pulled. */
export function isScratch(ref: ImageReference): boolean {
  return ref.domain === DOCKER_HUB_DOMAIN && ref.repository === 'library/scratch';
}
