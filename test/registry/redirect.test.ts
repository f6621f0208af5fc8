/**
 * Manifest redirects, as registries do towards blob/manifest storage.
 *
 *   client ──(Basic auth)──▶ front 127.0.0.1:A ──▶ htpasswd registry
 *                               │ 307 for manifests
 *                               ▼
 *                           storage 127.0.0.2:B ──▶ anonymous registry (same images)
 *
 * 127.0.0.2 stands for "another host": it must never see Authorization.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerConfigCredentials, RegistryClient, RegistryError } from '../../src/registry/index.js';
import {
  type Proxy,
  pushTestImages,
  type RegistryServer,
  startProxy,
  startRegistry,
  TEST_CREDENTIALS,
  type TestImages,
} from '../helpers/registry-server.js';

const REPO = 'dockerfix/app';
let privateRegistry: RegistryServer;
let storageRegistry: RegistryServer;
let images: TestImages;
let storage: Proxy;
const proxies: Proxy[] = [];

beforeAll(async () => {
  [privateRegistry, storageRegistry] = await Promise.all([startRegistry({ auth: 'htpasswd' }), startRegistry()]);
  // Deterministic bytes: both registries hold the same digests.
  [images] = await Promise.all([pushTestImages(privateRegistry, REPO), pushTestImages(storageRegistry, REPO)]);
  storage = await startProxy({ host: '127.0.0.2', target: storageRegistry.url });
  proxies.push(storage);
});

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await Promise.all([privateRegistry?.stop(), storageRegistry?.stop()]);
});

/** A front for the private registry that answers manifest requests with a 307 to `location(path)`. */
async function redirectingFront(location: (path: string) => string, rewritePath?: (path: string) => string): Promise<Proxy> {
  const front = await startProxy({
    target: privateRegistry.url,
    intercept: (_req, res, url) => {
      if (!url.pathname.startsWith(`/v2/${REPO}/manifests/`)) return false;
      res.writeHead(307, { location: location(url.pathname) }).end();
      return true;
    },
    ...(rewritePath ? { rewritePath } : {}),
  });
  proxies.push(front);
  return front;
}

function clientFor(host: string): RegistryClient {
  return new RegistryClient({
    credentials: DockerConfigCredentials.fromConfig({
      auths: { [host]: { username: TEST_CREDENTIALS.username, password: TEST_CREDENTIALS.password } },
    }),
  });
}

describe('redirects', () => {
  it('drops Authorization when a manifest redirect goes to another host (127.0.0.2)', async () => {
    const front = await redirectingFront((path) => `${storage.url}${path}`);
    const digest = await clientFor(front.host).resolveDigest(`${front.host}/${REPO}:1.2.3`);
    expect(digest).toBe(images.current.digest);
    // The registry itself got the credentials…
    const frontManifest = front.requests.find((r) => r.path.includes('/manifests/'));
    expect(frontManifest?.authorization).toMatch(/^Basic /);
    // …the other host never did.
    const storageManifest = storage.requests.filter((r) => r.path.includes('/manifests/'));
    expect(storageManifest.length).toBeGreaterThan(0);
    expect(storageManifest.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('drops Authorization on a redirect to another port of the same address (a different origin)', async () => {
    const otherPort = await startProxy({ target: storageRegistry.url });
    proxies.push(otherPort);
    const front = await redirectingFront((path) => `${otherPort.url}${path}`);
    expect(await clientFor(front.host).resolveDigest(`${front.host}/${REPO}:1`)).toBe(images.current.digest);
    expect(otherPort.requests.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('keeps Authorization on a redirect within the same origin', async () => {
    const front = await redirectingFront(
      (path) => `/mirror${path}`,
      (path) => path.replace(/^\/mirror/, ''),
    );
    // `/mirror/v2/...` is not intercepted: the front strips the prefix and forwards it to the
    // private registry, which only answers because Authorization came along.
    expect(await clientFor(front.host).resolveDigest(`${front.host}/${REPO}:1.2`)).toBe(images.current.digest);
    const mirrored = front.requests.filter((r) => r.path.startsWith('/mirror/'));
    expect(mirrored.length).toBeGreaterThan(0);
    expect(mirrored.every((r) => r.authorization?.startsWith('Basic '))).toBe(true);
  });

  it('refuses a redirect to plain HTTP on a non-loopback host, without contacting it', async () => {
    const front = await redirectingFront((path) => `http://storage.example.invalid${path}`);
    const error = await clientFor(front.host)
      .resolveDigest(`${front.host}/${REPO}:1`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).message).toBe(
      `cannot resolve ${front.host}/${REPO}:1: registry redirected manifest to a non-HTTPS location`,
    );
  });
});
