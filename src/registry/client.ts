/**
 * A minimal OCI distribution (registry v2 API) client: just enough to pin base
 * images to the digest a tag points to.
 *
 * Flow for one tag (see docs/safety.md, "Pinning base images"):
 *   1. `GET /v2/` – learn whether and how the registry wants authentication;
 *   2. on `401` + `Bearer realm=…,service=…`, get a token for
 *      `repository:<repo>:pull`; on `401` + `Basic`, use the Docker config's
 *      username/password;
 *   3. `HEAD /v2/<repo>/manifests/<tag>` accepting manifest lists, OCI
 *      indexes and single manifests, and read `Docker-Content-Digest`; when
 *      that header is missing, `GET` the manifest and hash the bytes.
 * The digest returned is that of whatever the tag points to – for a
 * multi-arch image the index / manifest list – so the pin keeps working on
 * every platform.
 *
 * Results are cached for the client's lifetime, failures included: one client
 * per run, so one answer per reference per run, and an unreachable registry
 * costs one timeout rather than one per FROM line.
 */
import { createHash } from 'node:crypto';
import type { CredentialStore, RegistryCredentials } from './credentials.js';
import { RegistryError, type RegistryErrorReason } from './errors.js';
import {
  type AuthChallenge,
  isAllowedUrl,
  nextLink,
  parseWwwAuthenticate,
  REDIRECT_STATUSES,
  registryBaseUrl,
} from './http.js';
import { type ImageReference, isScratch, parseReference } from './reference.js';
import { compareVersionsNewestFirst, inFamily, parseVersionTag, type VersionTag, versionFamily } from './versions.js';

/** Every manifest kind a tag may point to; an index / list is preferred by registries when accepted. */
export const MANIFEST_MEDIA_TYPES: readonly string[] = [
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
];
const MANIFEST_ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');

const DEFAULT_TIMEOUT_MS = 20_000;
const MAX_REDIRECTS = 5;
// Real manifests are a few KiB; the bounds only stop a broken or hostile
// server from making us buffer without end.
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_JSON_BYTES = 8 * 1024 * 1024;
const DEFAULT_TAG_PAGE_SIZE = 1000;
const DEFAULT_MAX_TAG_PAGES = 20;
const DEFAULT_MAX_TAGS_TO_CHECK = 10;
// The distribution spec's default when a token response has no expires_in.
const DEFAULT_TOKEN_LIFETIME_S = 60;
const DIGEST_RE = /^(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;

export interface RegistryClientOptions {
  /** HTTP implementation (default: the global `fetch`). Must honour `redirect: 'manual'`. */
  fetch?: typeof fetch;
  /** Where usernames/passwords come from (default: none, anonymous access). */
  credentials?: CredentialStore;
  /** Budget for one HTTP exchange including redirects and body, in ms (default 20 000). */
  timeoutMs?: number;
}

export interface ListTagsOptions {
  /** `n` sent to the registry (default 1000). */
  pageSize?: number;
  /** Stop after this many pages, whatever is left (default 20). */
  maxPages?: number;
}

export interface LatestVersionOptions {
  /** How many candidate version tags may be resolved, newest first (default 10). */
  maxTagsToCheck?: number;
  /** Pagination bounds for the tags list. */
  listTags?: ListTagsOptions;
}

export interface LatestVersion {
  /**
   * The most specific version tag that points at the same digest as the
   * reference's tag, or the reference's own tag (`latest`) when none of the
   * checked version tags does.
   */
  tag: string;
  /** The digest both tags point to (the index digest for multi-arch images). */
  digest: string;
  /** True when `tag` is version-like (`1.2.3`, `22-alpine`), false for `latest`, `alpine`… */
  isVersion: boolean;
}

/** An internal failure: only a detail; the public methods add which image it was about. */
class Failure extends Error {
  constructor(
    readonly detail: string,
    readonly reason: RegistryErrorReason,
    readonly status?: number,
  ) {
    super(detail);
  }
}

interface Authorization {
  /** Value for the `Authorization` header, if any. */
  header: string | undefined;
  /** Whether the user's credentials were used to get it (for a better 401 message). */
  usedCredentials: boolean;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

interface SendOptions {
  method: 'GET' | 'HEAD';
  accept: string;
  authorization: string | undefined;
  signal: AbortSignal;
  /** What is being fetched, for messages: `manifest`, `tags list`, `token request`. */
  what: string;
}

export class RegistryClient {
  readonly #fetch: typeof fetch;
  readonly #credentials: CredentialStore | undefined;
  readonly #timeoutMs: number;
  // Per-run caches. Keys never contain secrets.
  readonly #pings = new Map<string, Promise<AuthChallenge | null>>();
  readonly #tokens = new Map<string, Promise<CachedToken>>();
  readonly #digests = new Map<string, Promise<string>>();
  readonly #tags = new Map<string, Promise<string[]>>();

  constructor(options: RegistryClientOptions = {}) {
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#credentials = options.credentials;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /**
   * The digest the reference's tag (default `latest`) points to: the index /
   * manifest list digest for multi-arch images. A reference that already has
   * a digest resolves to that digest without any request.
   */
  resolveDigest(ref: string | ImageReference): Promise<string> {
    return this.#guard('cannot resolve', ref, async (parsed) => {
      if (parsed.digest !== undefined) return parsed.digest;
      return this.#digestOf(parsed, parsed.tag ?? 'latest');
    });
  }

  /**
   * All tags of the reference's repository (its tag and digest are ignored),
   * following `Link: <…>; rel="next"` pagination, or `last=` when the
   * registry sends full pages without a Link. Bounded by `maxPages`.
   */
  listTags(ref: string | ImageReference, options: ListTagsOptions = {}): Promise<string[]> {
    return this.#guard('cannot list tags of', ref, (parsed) => this.#tagsOf(parsed, options));
  }

  /**
   * Which version a floating tag currently is. For `node` / `node:latest`:
   * the digest of `latest`, and the most specific plain version tag (`1.2.3`
   * over `1.2` over `1`) with that same digest. For a variant tag such as
   * `node:alpine` or `node:22-alpine`, the same among `X.Y.Z-alpine` tags.
   *
   * Version tags are tried newest first and at most `maxTagsToCheck` of them
   * are resolved; when none matches, the reference's own tag is returned
   * with `isVersion` telling whether it is a version.
   */
  resolveLatestVersion(ref: string | ImageReference, options: LatestVersionOptions = {}): Promise<LatestVersion> {
    return this.#guard('cannot resolve', ref, async (parsed) => {
      const maxTagsToCheck = options.maxTagsToCheck ?? DEFAULT_MAX_TAGS_TO_CHECK;
      const ownTag = parsed.tag ?? 'latest';
      // A pinned reference asks "which version is this digest?"
      const digest = parsed.digest ?? (await this.#digestOf(parsed, ownTag));
      const family = versionFamily(ownTag);
      const candidates = (await this.#tagsOf(parsed, options.listTags ?? {}))
        .map(parseVersionTag)
        .filter((v): v is VersionTag => v !== undefined && v.tag !== ownTag && inFamily(v, family))
        .sort(compareVersionsNewestFirst)
        .slice(0, Math.max(0, maxTagsToCheck));
      for (const candidate of candidates) {
        let candidateDigest: string;
        try {
          candidateDigest = await this.#digestOf(parsed, candidate.tag);
        } catch (error) {
          // A tag deleted between listing and resolving is not fatal.
          if (error instanceof Failure && error.reason === 'not-found') continue;
          throw error;
        }
        // The order puts more specific aliases first, so the first hit is the most specific one.
        if (candidateDigest === digest) return { tag: candidate.tag, digest, isVersion: true };
      }
      return { tag: ownTag, digest, isVersion: parseVersionTag(ownTag) !== undefined };
    });
  }

  // ---- error boundary ----------------------------------------------------------------------

  /** Run `work`, turning every failure into a `RegistryError` that names the image. */
  async #guard<T>(verb: string, ref: string | ImageReference, work: (parsed: ImageReference) => Promise<T>): Promise<T> {
    const parsed = typeof ref === 'string' ? parseReference(ref) : ref; // throws InvalidReferenceError
    const image = parsed.original;
    try {
      if (isScratch(parsed)) {
        throw new Failure('"scratch" is not an image and is never pinned', 'unsupported');
      }
      return await work(parsed);
    } catch (error) {
      if (error instanceof RegistryError) throw error;
      if (error instanceof Failure) {
        throw new RegistryError(`${verb} ${image}: ${error.detail}`, {
          reason: error.reason,
          image,
          ...(error.status !== undefined ? { status: error.status } : {}),
        });
      }
      // A bug of ours: name its type only, its message might quote a request.
      const kind = error instanceof Error ? error.name : typeof error;
      throw new RegistryError(`${verb} ${image}: unexpected ${kind}`, { reason: 'protocol', image });
    }
  }

  // ---- manifests -----------------------------------------------------------------------------

  #digestOf(ref: ImageReference, tag: string): Promise<string> {
    return cached(this.#digests, `${ref.registry}/${ref.repository}:${tag}`, () => this.#fetchDigest(ref, tag));
  }

  async #fetchDigest(ref: ImageReference, tag: string): Promise<string> {
    const auth = await this.#authorize(ref);
    const url = new URL(`/v2/${ref.repository}/manifests/${tag}`, registryBaseUrl(ref.registry));
    const signal = AbortSignal.timeout(this.#timeoutMs);
    const request = { accept: MANIFEST_ACCEPT, authorization: auth.header, signal, what: 'manifest' };

    const head = await this.#send(url, { ...request, method: 'HEAD' });
    await discard(head);
    if (head.ok) {
      rejectSchema1(head);
      const digest = head.headers.get('docker-content-digest')?.trim();
      if (digest !== undefined && DIGEST_RE.test(digest)) return digest;
      // No (usable) header: fall through and hash the manifest ourselves.
    } else if (head.status !== 405 && head.status !== 501) {
      // 405/501: a registry without HEAD support; anything else is an answer.
      throw statusFailure(head.status, 'manifest', this.#hint(ref, auth, head.status));
    }

    const get = await this.#send(url, { ...request, method: 'GET' });
    if (!get.ok) {
      await discard(get);
      throw statusFailure(get.status, 'manifest', this.#hint(ref, auth, get.status));
    }
    rejectSchema1(get);
    // The digest is over the exact bytes served, which is what `docker pull` verifies.
    const body = await readBody(get, MAX_MANIFEST_BYTES, 'manifest', signal, ref.registry, this.#timeoutMs);
    return `sha256:${createHash('sha256').update(body).digest('hex')}`;
  }

  // ---- tags ----------------------------------------------------------------------------------

  #tagsOf(ref: ImageReference, options: ListTagsOptions): Promise<string[]> {
    const pageSize = Math.max(1, Math.floor(options.pageSize ?? DEFAULT_TAG_PAGE_SIZE));
    const maxPages = Math.max(1, Math.floor(options.maxPages ?? DEFAULT_MAX_TAG_PAGES));
    const key = `${ref.registry}/${ref.repository} n=${pageSize} pages=${maxPages}`;
    return cached(this.#tags, key, () => this.#fetchTags(ref, pageSize, maxPages));
  }

  async #fetchTags(ref: ImageReference, pageSize: number, maxPages: number): Promise<string[]> {
    const auth = await this.#authorize(ref);
    let url: URL | undefined = new URL(`/v2/${ref.repository}/tags/list`, registryBaseUrl(ref.registry));
    url.searchParams.set('n', String(pageSize));
    const origin = url.origin;
    const tags: string[] = [];
    const seenTags = new Set<string>();
    const seenPages = new Set<string>();

    for (let page = 0; url !== undefined && page < maxPages; page++) {
      seenPages.add(url.href);
      const signal = AbortSignal.timeout(this.#timeoutMs);
      const res = await this.#send(url, {
        method: 'GET',
        accept: 'application/json',
        authorization: auth.header,
        signal,
        what: 'tags list',
      });
      if (!res.ok) {
        await discard(res);
        throw statusFailure(res.status, 'tags list', this.#hint(ref, auth, res.status));
      }
      const body = parseJson(
        await readBody(res, MAX_JSON_BYTES, 'tags list', signal, ref.registry, this.#timeoutMs),
        'tags list',
      );
      const pageTags = isObject(body) && (Array.isArray(body.tags) || body.tags === null) ? (body.tags ?? []) : undefined;
      if (pageTags === undefined) throw new Failure('registry answered an invalid tags list', 'protocol');
      let added = 0;
      for (const tag of pageTags) {
        if (typeof tag === 'string' && !seenTags.has(tag)) {
          seenTags.add(tag);
          tags.push(tag);
          added++;
        }
      }

      let next = nextLink(res.headers.get('link'), url);
      const lastTag = pageTags.at(-1);
      // No Link header but exactly a full page: ask for what comes after the
      // last tag. (More than `n` tags means the registry ignores `n` – as
      // distribution 2.x does for tags – and has sent everything.)
      if (next === undefined && pageTags.length === pageSize && typeof lastTag === 'string') {
        next = new URL(url);
        next.searchParams.set('last', lastTag);
      }
      // We send our Authorization along pagination, so it must stay on the registry.
      if (next !== undefined && next.origin !== origin) {
        throw new Failure('registry paginated the tags list to another host', 'protocol');
      }
      // Stop on a page without new tags or on a loop instead of trusting the server forever.
      url = next !== undefined && added > 0 && !seenPages.has(next.href) ? next : undefined;
    }
    return tags;
  }

  // ---- authentication ------------------------------------------------------------------------

  /** The Authorization header to use for pulling from `ref`'s repository. */
  async #authorize(ref: ImageReference): Promise<Authorization> {
    const challenge = await cached(this.#pings, ref.registry, () => this.#ping(ref.registry));
    if (challenge === null) return { header: undefined, usedCredentials: false };
    const credentials = this.#credentials?.get(ref.registry);
    if (challenge.scheme === 'basic') {
      // Without credentials we go on anonymously and let the request's 401 explain.
      return credentials !== undefined
        ? { header: basicAuthorization(credentials), usedCredentials: true }
        : { header: undefined, usedCredentials: false };
    }
    const token = await this.#bearerToken(ref, challenge, credentials);
    return { header: `Bearer ${token}`, usedCredentials: credentials !== undefined };
  }

  /** `GET /v2/`: null when the registry is open, else the challenge to answer. */
  async #ping(registry: string): Promise<AuthChallenge | null> {
    const url = new URL('/v2/', registryBaseUrl(registry));
    const res = await this.#send(url, {
      method: 'GET',
      accept: 'application/json',
      authorization: undefined,
      signal: AbortSignal.timeout(this.#timeoutMs),
      what: 'API check (/v2/)',
    });
    await discard(res);
    if (res.ok) return null;
    if (res.status !== 401) throw statusFailure(res.status, 'API check (/v2/)');
    const challenges = parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    const basic = challenges.find((c) => c.scheme === 'basic');
    const chosen = bearer ?? basic;
    if (chosen === undefined) {
      throw new Failure('registry answered 401 without a Basic or Bearer challenge', 'unauthorized', 401);
    }
    return chosen;
  }

  /**
   * A pull token from the realm the registry named in its Bearer challenge.
   *
   * Where credentials go – our choice, and why:
   *  - We only ever use the credentials stored for the REGISTRY host; we
   *    never look credentials up by the realm's host, so a realm cannot
   *    collect credentials that belong to some other registry.
   *  - Those credentials are sent to the realm the registry named, even when
   *    it is another host, as Docker does: Docker Hub's realm is
   *    auth.docker.io, not registry-1.docker.io, so insisting on the same
   *    host would break every private Hub pull. This widens nothing: a
   *    registry that wanted the password could ask for it with a Basic
   *    challenge anyway, so naming a realm is within the trust already given
   *    to it.
   *  - But never in clear: a realm must be HTTPS (HTTP only on loopback),
   *    and a redirect away from the realm's origin drops the credentials
   *    (see #send).
   *  - Without stored credentials the token request is anonymous, which is
   *    how public images on Docker Hub, GHCR, Quay… are pulled.
   */
  async #bearerToken(
    ref: ImageReference,
    challenge: AuthChallenge,
    credentials: RegistryCredentials | undefined,
  ): Promise<string> {
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm ?? '');
    } catch {
      throw new Failure('registry named an invalid token realm', 'protocol');
    }
    if (!isAllowedUrl(realm)) {
      throw new Failure('registry named a token realm that is not HTTPS', 'protocol');
    }
    if (realm.username !== '' || realm.password !== '') {
      throw new Failure('registry named a token realm with embedded credentials', 'protocol');
    }
    if (challenge.params.service) realm.searchParams.set('service', challenge.params.service);
    realm.searchParams.append('scope', `repository:${ref.repository}:pull`);

    const key = `${ref.registry} ${realm.href}`;
    const existing = this.#tokens.get(key);
    if (existing !== undefined) {
      const cachedToken = await existing; // a cached failure rethrows here: one answer per run
      // Tokens live minutes; a long run may outlive one, so refresh shortly before expiry.
      if (cachedToken.expiresAt > Date.now() + 10_000) return cachedToken.token;
    }
    const fresh = this.#fetchToken(ref, realm, credentials);
    fresh.catch(() => undefined); // awaited below; keeps a later cache hit from counting as unhandled
    this.#tokens.set(key, fresh);
    return (await fresh).token;
  }

  async #fetchToken(ref: ImageReference, realm: URL, credentials: RegistryCredentials | undefined): Promise<CachedToken> {
    const signal = AbortSignal.timeout(this.#timeoutMs);
    const res = await this.#send(realm, {
      method: 'GET',
      accept: 'application/json',
      authorization: credentials !== undefined ? basicAuthorization(credentials) : undefined,
      signal,
      what: 'token request',
    });
    if (!res.ok) {
      await discard(res);
      throw statusFailure(res.status, 'token request', this.#hint(ref, { header: undefined, usedCredentials: credentials !== undefined }, res.status));
    }
    const body = parseJson(await readBody(res, MAX_JSON_BYTES, 'token response', signal, realm.host, this.#timeoutMs), 'token response');
    const token = isObject(body) ? (body.token ?? body.access_token) : undefined;
    if (typeof token !== 'string' || token === '') {
      throw new Failure('token service answered without a token', 'protocol');
    }
    const lifetime = isObject(body) && typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_LIFETIME_S;
    return { token, expiresAt: Date.now() + lifetime * 1000 };
  }

  /** Extra words for a 401: say whether credentials were missing or refused (never which ones). */
  #hint(ref: ImageReference, auth: Authorization, status: number): string {
    if (status !== 401) return '';
    return auth.usedCredentials
      ? ` (the credentials for ${ref.registry} were refused)`
      : ` (no credentials for ${ref.registry} in the Docker config)`;
  }

  // ---- transport -----------------------------------------------------------------------------

  /**
   * One request, following redirects by hand so we decide what travels with
   * them. Registries redirect blob and manifest downloads to storage (S3, a
   * CDN) with presigned URLs: those hosts must not see our token or
   * password, so Authorization is dropped as soon as a hop leaves the
   * original origin (scheme, host and port), and stays dropped even if a
   * later hop comes back. A redirect to plain HTTP off loopback is refused.
   */
  async #send(url: URL, options: SendOptions): Promise<Response> {
    const origin = url.origin;
    let current = url;
    let method = options.method;
    let authorization = options.authorization;
    for (let hops = 0; ; hops++) {
      const headers: Record<string, string> = { accept: options.accept, 'user-agent': 'dockerfix' };
      if (authorization !== undefined) headers.authorization = authorization;
      let res: Response;
      try {
        res = await this.#fetch(current.href, { method, headers, redirect: 'manual', signal: options.signal });
      } catch (error) {
        throw transportFailure(error, current.host, options.signal, this.#timeoutMs);
      }
      if (!REDIRECT_STATUSES.has(res.status)) return res;

      await discard(res);
      if (hops >= MAX_REDIRECTS) throw new Failure(`too many redirects for ${options.what}`, 'protocol', res.status);
      const location = res.headers.get('location');
      if (location === null) {
        throw new Failure(`registry answered ${res.status} without a location for ${options.what}`, 'protocol', res.status);
      }
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw new Failure(`registry redirected ${options.what} to an invalid location`, 'protocol', res.status);
      }
      if (!isAllowedUrl(next)) {
        throw new Failure(`registry redirected ${options.what} to a non-HTTPS location`, 'protocol', res.status);
      }
      if (next.username !== '' || next.password !== '') {
        throw new Failure(`registry redirected ${options.what} to a location with embedded credentials`, 'protocol', res.status);
      }
      if (next.origin !== origin) authorization = undefined;
      if (res.status === 303 && method !== 'HEAD') method = 'GET';
      current = next;
    }
  }
}

// ---- helpers -------------------------------------------------------------------------------

/** Memoise a promise under `key` (failures too: one answer per key per run). */
function cached<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let promise = map.get(key);
  if (promise === undefined) {
    promise = make();
    // Keep a rejected entry from being reported as unhandled before anyone awaits it again.
    promise.catch(() => undefined);
    map.set(key, promise);
  }
  return promise;
}

function basicAuthorization(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
}

function statusFailure(status: number, what: string, hint = ''): Failure {
  const reason: RegistryErrorReason =
    status === 404 ? 'not-found' : status === 401 ? 'unauthorized' : status === 403 ? 'denied' : 'protocol';
  return new Failure(`registry answered ${status} for ${what}${hint}`, reason, status);
}

/** A fetch failure as a clean message: host and error code only, never fetch's own text. */
function transportFailure(error: unknown, host: string, signal: AbortSignal, timeoutMs: number): Failure {
  if (error instanceof Failure) return error;
  const name = error instanceof Error ? error.name : '';
  if (signal.aborted || name === 'TimeoutError' || name === 'AbortError') {
    return new Failure(`no answer from ${host} within ${timeoutMs} ms`, 'timeout');
  }
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  const suffix = typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? ` (${code})` : '';
  return new Failure(`cannot connect to ${host}${suffix}`, 'network');
}

/** Free the connection of a response whose body we do not need. */
async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // Already consumed or aborted: nothing to free.
  }
}

/** Read a body, refusing more than `limit` bytes. */
async function readBody(
  res: Response,
  limit: number,
  what: string,
  signal: AbortSignal,
  host: string,
  timeoutMs: number,
): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await discard(res);
    throw new Failure(`${what} is larger than ${limit} bytes`, 'protocol');
  }
  if (res.body === null) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        throw new Failure(`${what} is larger than ${limit} bytes`, 'protocol');
      }
      chunks.push(value);
    }
  } catch (error) {
    throw transportFailure(error, host, signal, timeoutMs);
  }
  return Buffer.concat(chunks);
}

function parseJson(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    // Not JSON.parse's message: it quotes the input.
    throw new Failure(`registry answered an invalid ${what} (not JSON)`, 'protocol');
  }
}

/** Schema 1 manifests are signed JSON whose digest is not the body's hash: refuse rather than pin wrong. */
function rejectSchema1(res: Response): void {
  const type = res.headers.get('content-type') ?? '';
  if (/^application\/vnd\.docker\.distribution\.manifest\.v1\+(?:prettyjws|json)/i.test(type)) {
    throw new Failure('registry only offers a schema 1 manifest, which cannot be pinned', 'unsupported');
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
