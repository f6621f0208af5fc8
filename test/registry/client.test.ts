/**
 * RegistryClient against a real, anonymous distribution registry on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackHost, RegistryClient, RegistryError, registryBaseUrl } from '../../src/registry/index.js';
import {
  freePort,
  type Proxy,
  pushTestImages,
  type RegistryServer,
  sha256,
  startProxy,
  startRegistry,
  type TestImages,
} from '../helpers/registry-server.js';
import { rejection } from '../helpers/rejection.js';

const REPO = 'dockerfix/app';
let registry: RegistryServer;
let images: TestImages;
const proxies: Proxy[] = [];

beforeAll(async () => {
  registry = await startRegistry();
  images = await pushTestImages(registry, REPO);
});

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await registry?.stop();
});

/** A fetch that records every URL it is asked for, then really fetches it. */
function countingFetch(): { fetch: typeof fetch; calls: Array<{ method: string; url: string }> } {
  const calls: Array<{ method: string; url: string }> = [];
  const wrapped: typeof fetch = (input, init) => {
    calls.push({ method: init?.method ?? 'GET', url: String(input) });
    return fetch(input, init);
  };
  return { fetch: wrapped, calls };
}

/** A front that paginates tags/list like distribution v3 does (sorted, `n`, `last`, optional Link). */
async function paginatingFront(withLink: boolean): Promise<Proxy> {
  const proxy = await startProxy({
    target: registry.url,
    intercept: async (_req, res, url) => {
      if (!url.pathname.endsWith('/tags/list')) return false;
      const upstream = (await (await fetch(`${registry.url}${url.pathname}`)).json()) as { name: string; tags: string[] };
      const sorted = [...upstream.tags].sort();
      const n = Number(url.searchParams.get('n') ?? sorted.length);
      const last = url.searchParams.get('last');
      const from = last === null ? 0 : sorted.filter((t) => t <= last).length;
      const page = sorted.slice(from, from + n);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (withLink && from + n < sorted.length) {
        headers.link = `<${url.pathname}?last=${encodeURIComponent(page.at(-1)!)}&n=${n}>; rel="next"`;
      }
      res.writeHead(200, headers).end(JSON.stringify({ name: upstream.name, tags: page }));
      return true;
    },
  });
  proxies.push(proxy);
  return proxy;
}

describe('resolveDigest against a real registry', () => {
  it('returns the sha256 of the pushed OCI index bytes (the multi-arch digest), not a platform manifest', async () => {
    const client = new RegistryClient();
    const digest = await client.resolveDigest(`${registry.host}/${REPO}:1.2.3`);
    expect(digest).toBe(sha256(images.current.bytes));
    expect(images.current.platformManifests).not.toContain(digest);
  });

  it('resolves an untagged reference as latest', async () => {
    const client = new RegistryClient();
    expect(await client.resolveDigest(`${registry.host}/${REPO}`)).toBe(images.current.digest);
  });

  it('tells tags apart: 1.2.2 points at the older index', async () => {
    const client = new RegistryClient();
    expect(await client.resolveDigest(`${registry.host}/${REPO}:1.2.2`)).toBe(images.older.digest);
  });

  it('resolves each reference once per client (per-run cache), also for concurrent callers', async () => {
    const { fetch: f, calls } = countingFetch();
    const client = new RegistryClient({ fetch: f });
    const ref = `${registry.host}/${REPO}:1`;
    const [a, b] = await Promise.all([client.resolveDigest(ref), client.resolveDigest(ref)]);
    const c = await client.resolveDigest(ref);
    expect(new Set([a, b, c])).toEqual(new Set([images.current.digest]));
    expect(calls.filter((call) => call.url.includes('/manifests/'))).toHaveLength(1);
    expect(calls.filter((call) => call.url.endsWith('/v2/'))).toHaveLength(1);
  });

  it('returns a digest already in the reference without any request', async () => {
    const { fetch: f, calls } = countingFetch();
    const client = new RegistryClient({ fetch: f });
    const digest = `sha256:${'b'.repeat(64)}`;
    expect(await client.resolveDigest(`${registry.host}/${REPO}:1@${digest}`)).toBe(digest);
    expect(calls).toHaveLength(0);
  });

  it('reports an unknown tag as "cannot resolve <image>: registry answered 404 for manifest"', async () => {
    const error = await rejection(new RegistryClient().resolveDigest(`${registry.host}/${REPO}:9.9.9`));
    expect(error.message).toBe(`cannot resolve ${registry.host}/${REPO}:9.9.9: registry answered 404 for manifest`);
    expect(error.reason).toBe('not-found');
    expect(error.status).toBe(404);
  });

  it('reports an unreachable registry by host and error code, without fetch internals', async () => {
    const port = await freePort();
    const error = await rejection(new RegistryClient().resolveDigest(`127.0.0.1:${port}/x/y:1`));
    expect(error.message).toBe(`cannot resolve 127.0.0.1:${port}/x/y:1: cannot connect to 127.0.0.1:${port} (ECONNREFUSED)`);
    expect(error.reason).toBe('network');
    expect(error.message).not.toMatch(/fetch failed|TypeError|undici/);
    expect(error.cause).toBeUndefined();
  });

  it('gives up after timeoutMs with a clean timeout error', async () => {
    // A real server that accepts the request and never answers.
    const silent = await startProxy({ target: registry.url, intercept: () => true });
    proxies.push(silent);
    const error = await rejection(new RegistryClient({ timeoutMs: 300 }).resolveDigest(`${silent.host}/${REPO}:1`));
    expect(error.message).toBe(`cannot resolve ${silent.host}/${REPO}:1: no answer from ${silent.host} within 300 ms`);
    expect(error.reason).toBe('timeout');
  });

  it('refuses to resolve scratch, which is never pinned', async () => {
    const { fetch: f, calls } = countingFetch();
    const error = await rejection(new RegistryClient({ fetch: f }).resolveDigest('scratch'));
    expect(error.reason).toBe('unsupported');
    expect(calls).toHaveLength(0);
  });

  it('rejects an invalid reference with a RegistryError before any request', async () => {
    const error = await rejection(new RegistryClient().resolveDigest('Not/Valid:'));
    expect(error.reason).toBe('invalid-reference');
  });

  it('falls back to GET and hashes the body when Docker-Content-Digest is absent', async () => {
    // A real HTTP front that forwards to the registry but strips the header.
    const front = await startProxy({ target: registry.url, dropResponseHeaders: ['docker-content-digest'] });
    proxies.push(front);
    const digest = await new RegistryClient().resolveDigest(`${front.host}/${REPO}:latest`);
    expect(digest).toBe(images.current.digest);
    const manifestRequests = front.requests.filter((r) => r.path.includes('/manifests/')).map((r) => r.method);
    expect(manifestRequests).toEqual(['HEAD', 'GET']);
  });
});

describe('listTags', () => {
  const allTags = ['1', '1.2', '1.2.2', '1.2.3', 'latest'];

  it('returns every tag in one request when the registry ignores n (distribution 2.x does)', async () => {
    const { fetch: f, calls } = countingFetch();
    const tags = await new RegistryClient({ fetch: f }).listTags(`${registry.host}/${REPO}`, { pageSize: 2 });
    expect([...tags].sort()).toEqual(allTags);
    expect(calls.filter((c) => c.url.includes('/tags/list'))).toHaveLength(1);
  });

  it('follows Link rel="next" pagination with n=2', async () => {
    const front = await paginatingFront(true);
    const tags = await new RegistryClient().listTags(`${front.host}/${REPO}`, { pageSize: 2 });
    expect(tags).toEqual(allTags);
    expect(front.requests.map((r) => r.path)).toEqual([
      '/v2/',
      `/v2/${REPO}/tags/list?n=2`,
      `/v2/${REPO}/tags/list?last=1.2&n=2`,
      `/v2/${REPO}/tags/list?last=1.2.3&n=2`,
    ]);
  });

  it('asks with last= when full pages come without a Link header', async () => {
    const front = await paginatingFront(false);
    const tags = await new RegistryClient().listTags(`${front.host}/${REPO}`, { pageSize: 2 });
    expect(tags).toEqual(allTags);
    // Three full-or-partial pages; the third (one tag) is short, so it stops there.
    expect(front.requests.filter((r) => r.path.includes('/tags/list'))).toHaveLength(3);
  });

  it('stops after maxPages pages', async () => {
    const front = await paginatingFront(true);
    const tags = await new RegistryClient().listTags(`${front.host}/${REPO}`, { pageSize: 2, maxPages: 2 });
    expect(tags).toEqual(['1', '1.2', '1.2.2', '1.2.3']);
  });

  it('reports an unknown repository as a 404 for the tags list', async () => {
    const error = await rejection(new RegistryClient().listTags(`${registry.host}/dockerfix/nothing`));
    expect(error.message).toBe(`cannot list tags of ${registry.host}/dockerfix/nothing: registry answered 404 for tags list`);
  });
});

describe('resolveLatestVersion', () => {
  it('returns the most specific version tag sharing latest\'s digest (1.2.3, not 1.2 or 1) and the index digest', async () => {
    const result = await new RegistryClient().resolveLatestVersion(`${registry.host}/${REPO}`);
    expect(result).toEqual({ tag: '1.2.3', digest: images.current.digest, isVersion: true });
  });

  it('treats an explicit :latest like no tag and checks the newest candidate first', async () => {
    const { fetch: f, calls } = countingFetch();
    const result = await new RegistryClient({ fetch: f }).resolveLatestVersion(`${registry.host}/${REPO}:latest`);
    expect(result.tag).toBe('1.2.3');
    // latest, then 1.2.3 matched at once: no other tag was resolved.
    expect(calls.filter((c) => c.url.includes('/manifests/')).map((c) => c.url.split('/').pop())).toEqual(['latest', '1.2.3']);
  });

  it('finds the most specific version below a version tag (1 → 1.2.3)', async () => {
    const result = await new RegistryClient().resolveLatestVersion(`${registry.host}/${REPO}:1`);
    expect(result).toEqual({ tag: '1.2.3', digest: images.current.digest, isVersion: true });
  });

  it('falls back to the floating tag when no checked version matches (maxTagsToCheck bounds the work)', async () => {
    const { fetch: f, calls } = countingFetch();
    const result = await new RegistryClient({ fetch: f }).resolveLatestVersion(`${registry.host}/${REPO}`, {
      maxTagsToCheck: 0,
    });
    expect(result).toEqual({ tag: 'latest', digest: images.current.digest, isVersion: false });
    expect(calls.filter((c) => c.url.includes('/manifests/'))).toHaveLength(1);
  });
});

describe('transport rules', () => {
  it('uses plain HTTP only for loopback hosts', () => {
    expect(registryBaseUrl('127.0.0.1:5000').protocol).toBe('http:');
    expect(registryBaseUrl('127.3.2.1').protocol).toBe('http:');
    expect(registryBaseUrl('localhost:5000').protocol).toBe('http:');
    expect(registryBaseUrl('[::1]:5000').protocol).toBe('http:');
    expect(registryBaseUrl('ghcr.io').protocol).toBe('https:');
    expect(registryBaseUrl('registry-1.docker.io').protocol).toBe('https:');
    // Names that merely look local are not.
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
    expect(isLoopbackHost('127.0.0.1.nip.io')).toBe(false);
    expect(isLoopbackHost('127.0.0.300')).toBe(false);
    expect(isLoopbackHost('10.0.0.1:5000')).toBe(false);
  });
});
