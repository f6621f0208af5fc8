/**
 * Basic auth against a real distribution registry using `auth: htpasswd`,
 * with credentials read from a temporary Docker config.json.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerConfigCredentials, RegistryClient, RegistryError } from '../../src/registry/index.js';
import {
  pushTestImages,
  type RegistryServer,
  startRegistry,
  TEST_CREDENTIALS,
  type TestImages,
  writeDockerConfig,
} from '../helpers/registry-server.js';
import { rejection as rejectionOf } from '../helpers/rejection.js';

const REPO = 'dockerfix/private';
let registry: RegistryServer;
let images: TestImages;
let dir: string;
/** Every RegistryError any test here produced, checked for secrets at the end. */
const seenErrors: RegistryError[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dockerfix-basic-'));
  registry = await startRegistry({ auth: 'htpasswd' });
  images = await pushTestImages(registry, REPO);
});

afterAll(async () => {
  await registry?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function storeFor(auths: Record<string, { username: string; password: string }>, name: string) {
  const configDir = join(dir, name);
  await mkdir(configDir, { recursive: true });
  await writeDockerConfig(configDir, auths);
  // Through DOCKER_CONFIG, as a user would point at it.
  return DockerConfigCredentials.load({ env: { DOCKER_CONFIG: configDir } });
}

/** The RegistryError, also kept for the no-credentials-in-errors test. */
async function rejection(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await rejectionOf(promise);
  seenErrors.push(error);
  return error;
}

describe('htpasswd (Basic) registry', () => {
  it('resolves a tag with Basic credentials from the Docker config (DOCKER_CONFIG)', async () => {
    const credentials = await storeFor({ [registry.host]: TEST_CREDENTIALS }, 'good');
    const client = new RegistryClient({ credentials });
    expect(await client.resolveDigest(`${registry.host}/${REPO}:1.2.3`)).toBe(images.current.digest);
    expect(await client.resolveLatestVersion(`${registry.host}/${REPO}`)).toEqual({
      tag: '1.2.3',
      digest: images.current.digest,
      isVersion: true,
    });
  });

  it('without credentials fails with a clear 401 that names the image', async () => {
    const error = await rejection(new RegistryClient().resolveDigest(`${registry.host}/${REPO}:1`));
    expect(error.message).toBe(
      `cannot resolve ${registry.host}/${REPO}:1: registry answered 401 for manifest (no credentials for ${registry.host} in the Docker config)`,
    );
    expect(error.reason).toBe('unauthorized');
    expect(error.status).toBe(401);
  });

  it('with a wrong password fails with 401 "credentials were refused"', async () => {
    const credentials = await storeFor({ [registry.host]: { username: TEST_CREDENTIALS.username, password: 'wrong-Pw-93x' } }, 'bad');
    const error = await rejection(new RegistryClient({ credentials }).listTags(`${registry.host}/${REPO}`));
    expect(error.message).toBe(
      `cannot list tags of ${registry.host}/${REPO}: registry answered 401 for tags list (the credentials for ${registry.host} were refused)`,
    );
    expect(error.message).not.toContain('wrong-Pw-93x');
  });

  it('does not use credentials stored for the same IP on another port (exact host lookup)', async () => {
    const credentials = await storeFor({ '127.0.0.1': TEST_CREDENTIALS, '127.0.0.1:1': TEST_CREDENTIALS }, 'other-port');
    const error = await rejection(new RegistryClient({ credentials }).resolveDigest(`${registry.host}/${REPO}:1`));
    expect(error.status).toBe(401);
  });

  it('never puts credentials in an error message, stack or inspect output', async () => {
    // A few more failures with the right credentials loaded: unknown tag, unknown repo.
    const credentials = await storeFor({ [registry.host]: TEST_CREDENTIALS }, 'leak');
    const client = new RegistryClient({ credentials });
    await rejection(client.resolveDigest(`${registry.host}/${REPO}:0.0.0`));
    await rejection(client.listTags(`${registry.host}/dockerfix/none`));
    expect(seenErrors.length).toBeGreaterThanOrEqual(5);
    const secrets = [
      TEST_CREDENTIALS.password,
      TEST_CREDENTIALS.username,
      Buffer.from(`${TEST_CREDENTIALS.username}:${TEST_CREDENTIALS.password}`).toString('base64'),
      'wrong-Pw-93x',
      'Authorization',
      'Basic ',
    ];
    for (const error of seenErrors) {
      for (const text of [error.message, error.stack ?? '', inspect(error), JSON.stringify(error)]) {
        for (const secret of secrets) expect(text).not.toContain(secret);
      }
    }
  });
});
