/**
 * Bearer token flow against a real distribution registry using `auth: token`,
 * with a token service on 127.0.0.1 that signs RS256 JWTs the registry
 * verifies against a certificate made for the run.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerConfigCredentials, RegistryClient } from '../../src/registry/index.js';
import {
  pushTestImages,
  type RegistryServer,
  startRegistry,
  TEST_CREDENTIALS,
  type TestImages,
} from '../helpers/registry-server.js';
import { rejection } from '../helpers/rejection.js';

const REPO = 'dockerfix/tokened';
/** Like Docker Hub: anyone gets a pull token. */
let publicRegistry: RegistryServer;
/** Like a private registry: the token service wants credentials. */
let privateRegistry: RegistryServer;
let images: TestImages;

beforeAll(async () => {
  [publicRegistry, privateRegistry] = await Promise.all([
    startRegistry({ auth: 'token', anonymousPull: true }),
    startRegistry({ auth: 'token', anonymousPull: false }),
  ]);
  [images] = await Promise.all([pushTestImages(publicRegistry, REPO), pushTestImages(privateRegistry, REPO)]);
});

afterAll(async () => {
  await Promise.all([publicRegistry?.stop(), privateRegistry?.stop()]);
});

function credentialsFor(host: string, password: string = TEST_CREDENTIALS.password): DockerConfigCredentials {
  return DockerConfigCredentials.fromConfig({ auths: { [host]: { username: TEST_CREDENTIALS.username, password } } });
}

describe('Bearer token registry', () => {
  it('is really enforced by the registry: no token or a forged token gets 401 with a Bearer challenge', async () => {
    const url = `${privateRegistry.url}/v2/${REPO}/manifests/1`;
    const none = await fetch(url, { method: 'HEAD' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer realm="http:\/\/127\.0\.0\.1:\d+\/token"/);
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const claims = Buffer.from(JSON.stringify({ iss: 'dockerfix-test-issuer', aud: 'dockerfix-test-registry' })).toString('base64url');
    const forged = await fetch(url, { method: 'HEAD', headers: { authorization: `Bearer ${header}.${claims}.` } });
    expect(forged.status).toBe(401);
  });

  it('gets an anonymous pull token for repository:<repo>:pull from the named realm, then the index digest', async () => {
    const tokens = publicRegistry.tokenServer!;
    const before = tokens.requests.length;
    const digest = await new RegistryClient().resolveDigest(`${publicRegistry.host}/${REPO}:1.2.3`);
    expect(digest).toBe(images.current.digest);
    const requests = tokens.requests.slice(before);
    expect(requests).toEqual([
      { user: undefined, scopes: [`repository:${REPO}:pull`], service: tokens.service, status: 200 },
    ]);
  });

  it('reuses one token for every request to the same repository in a run', async () => {
    const tokens = publicRegistry.tokenServer!;
    const before = tokens.requests.length;
    const client = new RegistryClient();
    const result = await client.resolveLatestVersion(`${publicRegistry.host}/${REPO}`);
    expect(result).toEqual({ tag: '1.2.3', digest: images.current.digest, isVersion: true });
    expect(await client.listTags(`${publicRegistry.host}/${REPO}`)).toHaveLength(5);
    expect(tokens.requests.length - before).toBe(1);
  });

  it('sends the registry host\'s credentials to the realm the registry names and pulls with the token', async () => {
    const tokens = privateRegistry.tokenServer!;
    const before = tokens.requests.length;
    const client = new RegistryClient({ credentials: credentialsFor(privateRegistry.host) });
    expect(await client.resolveDigest(`${privateRegistry.host}/${REPO}:1.2.2`)).toBe(images.older.digest);
    expect(tokens.requests.slice(before).map((r) => [r.user, r.status])).toEqual([[TEST_CREDENTIALS.username, 200]]);
  });

  it('without credentials, fails with a clean 401 from the token request', async () => {
    const error = await rejection(new RegistryClient().resolveDigest(`${privateRegistry.host}/${REPO}:1`));
    expect(error.message).toBe(
      `cannot resolve ${privateRegistry.host}/${REPO}:1: registry answered 401 for token request (no credentials for ${privateRegistry.host} in the Docker config)`,
    );
    expect(error.reason).toBe('unauthorized');
  });

  it('never sends credentials stored for the realm\'s host when the registry host has none', async () => {
    const tokens = privateRegistry.tokenServer!;
    const before = tokens.requests.length;
    // The user has credentials for the token service's host:port, not for the registry.
    const client = new RegistryClient({ credentials: credentialsFor(tokens.host) });
    const error = await rejection(client.resolveDigest(`${privateRegistry.host}/${REPO}:1`));
    expect(error.status).toBe(401);
    expect(tokens.requests.slice(before).map((r) => r.user)).toEqual([undefined]);
  });

  it('with a wrong password, says the credentials were refused and leaks none of them', async () => {
    const client = new RegistryClient({ credentials: credentialsFor(privateRegistry.host, 'Wrong-pass-55q') });
    const error = await rejection(client.resolveDigest(`${privateRegistry.host}/${REPO}:1`));
    expect(error.message).toBe(
      `cannot resolve ${privateRegistry.host}/${REPO}:1: registry answered 401 for token request (the credentials for ${privateRegistry.host} were refused)`,
    );
    for (const text of [error.message, error.stack ?? '', inspect(error)]) {
      expect(text).not.toContain('Wrong-pass-55q');
      expect(text).not.toContain(TEST_CREDENTIALS.username);
      expect(text).not.toContain('Bearer');
    }
  });
});
