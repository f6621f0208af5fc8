import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DockerConfigCredentials,
  dockerConfigPath,
  loadDockerCredentials,
  RegistryError,
  registryHostForConfigKey,
} from '../../src/registry/index.js';

const SECRET = 'pa:ss-word-Kx71';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dockerfix-creds-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Docker config credentials', () => {
  it('reads base64 `auth` entries and keeps colons inside the password', () => {
    const store = DockerConfigCredentials.fromConfig({ auths: { 'ghcr.io': { auth: b64(`me:${SECRET}`) } } });
    expect(store.get('ghcr.io')).toEqual({ username: 'me', password: SECRET });
  });

  it('reads username/password entries', () => {
    const store = DockerConfigCredentials.fromConfig({ auths: { 'localhost:5000': { username: 'u', password: 'p' } } });
    expect(store.get('localhost:5000')).toEqual({ username: 'u', password: 'p' });
  });

  it('maps the Docker Hub key https://index.docker.io/v1/ to registry-1.docker.io', () => {
    const store = DockerConfigCredentials.fromConfig({ auths: { 'https://index.docker.io/v1/': { auth: b64('hub:x') } } });
    expect(store.get('registry-1.docker.io')).toEqual({ username: 'hub', password: 'x' });
    expect(registryHostForConfigKey('https://ghcr.io')).toBe('ghcr.io');
    expect(registryHostForConfigKey('http://localhost:5000/v2/')).toBe('localhost:5000');
  });

  it('looks credentials up by exact host: no other port, no subdomain, no parent domain', () => {
    const store = DockerConfigCredentials.fromConfig({ auths: { 'registry.example.com': { auth: b64('u:p') } } });
    expect(store.get('registry.example.com')).toBeDefined();
    expect(store.get('registry.example.com:8443')).toBeUndefined();
    expect(store.get('evil.registry.example.com')).toBeUndefined();
    expect(store.get('example.com')).toBeUndefined();
  });

  it('ignores credential-helper entries (credsStore is out of scope) and says so by key only', () => {
    const store = DockerConfigCredentials.fromConfig({
      credsStore: 'desktop',
      auths: { 'ghcr.io': {}, 'quay.io': { identitytoken: SECRET } },
    });
    expect(store.hosts()).toEqual([]);
    expect(store.warnings).toHaveLength(2);
    expect(store.warnings.join('\n')).not.toContain(SECRET);
  });

  it('honours DOCKER_CONFIG and an explicit path', async () => {
    await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { 'r.example': { auth: b64('a:b') } } }));
    expect(dockerConfigPath({ DOCKER_CONFIG: dir }, '/home/x')).toBe(join(dir, 'config.json'));
    expect(dockerConfigPath({}, '/home/x')).toBe('/home/x/.docker/config.json');
    const viaEnv = await loadDockerCredentials({ env: { DOCKER_CONFIG: dir } });
    expect(viaEnv.get('r.example')).toEqual({ username: 'a', password: 'b' });
    const viaPath = await loadDockerCredentials({ path: join(dir, 'config.json'), env: {} });
    expect(viaPath.source).toBe(join(dir, 'config.json'));
  });

  it('treats a missing config file as "no credentials"', async () => {
    const store = await loadDockerCredentials({ path: join(dir, 'nope', 'config.json') });
    expect(store.hosts()).toEqual([]);
  });

  it('reports a malformed config without quoting its content', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, `{"auths": {"x": {"auth": "${b64(`u:${SECRET}`)}"} ${SECRET}`);
    const error = await loadDockerCredentials({ path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).reason).toBe('config');
    expect((error as Error).message).toBe(`cannot read Docker config ${path}: not valid JSON`);
    expect((error as Error).message).not.toContain(SECRET);
  });

  it('never shows secrets when the store is printed or serialised', () => {
    const store = DockerConfigCredentials.fromConfig({ auths: { 'ghcr.io': { auth: b64(`me:${SECRET}`) } } });
    expect(inspect(store)).not.toContain(SECRET);
    expect(JSON.stringify(store)).not.toContain(SECRET);
    expect(inspect(store)).toContain('ghcr.io');
  });
});
