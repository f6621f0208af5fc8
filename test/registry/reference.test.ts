import { describe, expect, it } from 'vitest';
import {
  canonicalName,
  formatReference,
  InvalidReferenceError,
  isScratch,
  parseReference,
  RegistryError,
} from '../../src/registry/index.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseReference follows Docker normalisation', () => {
  it.each([
    // text, domain, registry, repository, tag, digest
    ['node', 'docker.io', 'registry-1.docker.io', 'library/node', undefined, undefined],
    ['node:22', 'docker.io', 'registry-1.docker.io', 'library/node', '22', undefined],
    ['library/node:22-alpine', 'docker.io', 'registry-1.docker.io', 'library/node', '22-alpine', undefined],
    [`library/node:22-alpine@${DIGEST}`, 'docker.io', 'registry-1.docker.io', 'library/node', '22-alpine', DIGEST],
    [`node@${DIGEST}`, 'docker.io', 'registry-1.docker.io', 'library/node', undefined, DIGEST],
    ['docker.io/node', 'docker.io', 'registry-1.docker.io', 'library/node', undefined, undefined],
    ['index.docker.io/library/node:1', 'docker.io', 'registry-1.docker.io', 'library/node', '1', undefined],
    ['bitnami/redis:7.2', 'docker.io', 'registry-1.docker.io', 'bitnami/redis', '7.2', undefined],
    ['ghcr.io/owner/img:tag', 'ghcr.io', 'ghcr.io', 'owner/img', 'tag', undefined],
    ['localhost:5000/x/y:1', 'localhost:5000', 'localhost:5000', 'x/y', '1', undefined],
    ['localhost/app', 'localhost', 'localhost', 'app', undefined, undefined],
    ['127.0.0.1:5123/app', '127.0.0.1:5123', '127.0.0.1:5123', 'app', undefined, undefined],
    ['[::1]:5000/app:v2', '[::1]:5000', '[::1]:5000', 'app', 'v2', undefined],
    ['registry.example.com/a/b/c:1.0', 'registry.example.com', 'registry.example.com', 'a/b/c', '1.0', undefined],
    ['my-org/my__img.x-y', 'docker.io', 'registry-1.docker.io', 'my-org/my__img.x-y', undefined, undefined],
    // An uppercase first component can only be a host (paths are lowercase).
    ['Registry/app', 'Registry', 'Registry', 'app', undefined, undefined],
  ])('%s', (text, domain, registry, repository, tag, digest) => {
    const ref = parseReference(text);
    expect(ref).toEqual({ original: text, name: ref.name, domain, registry, repository, tag, digest });
  });

  it('keeps the name exactly as written, without tag or digest', () => {
    expect(parseReference('node:22').name).toBe('node');
    expect(parseReference(`docker.io/library/node:22@${DIGEST}`).name).toBe('docker.io/library/node');
    expect(parseReference('127.0.0.1:5123/app').name).toBe('127.0.0.1:5123/app');
  });

  it.each([
    ['', 'empty'],
    ['Node:22', 'must be lowercase'],
    ['node:', 'invalid tag'],
    ['node:-x', 'invalid tag'],
    [`node:${'x'.repeat(129)}`, 'invalid tag'],
    ['node@sha256:abc', 'invalid digest'],
    [`node@sha256:${'A'.repeat(64)}`, 'lowercase hexadecimal'],
    [`node@md5:${'a'.repeat(32)}`, 'unsupported digest algorithm'],
    ['node with space', 'whitespace'],
    ['-node', 'invalid repository name'],
    ['node//x', 'invalid repository name'],
    ['ghcr.io/', 'invalid repository name'],
    ['bad_host.io:port/x', 'invalid registry host'],
    ['a'.repeat(64), 'image ID'],
    [`docker.io/${'a'.repeat(250)}`, 'longer than 255'],
  ])('rejects %j (%s)', (text, why) => {
    let error: unknown;
    try {
      parseReference(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidReferenceError);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toContain('invalid image reference');
    expect((error as Error).message).toContain(why);
  });
});

describe('formatReference writes pins in the user spelling', () => {
  it('keeps a short Docker Hub name short when adding a digest', () => {
    expect(formatReference(parseReference('node:22'), { digest: DIGEST })).toBe(`node:22@${DIGEST}`);
  });

  it('keeps a fully qualified name fully qualified', () => {
    expect(formatReference(parseReference('docker.io/library/node:22'), { digest: DIGEST })).toBe(
      `docker.io/library/node:22@${DIGEST}`,
    );
  });

  it('can replace or drop the tag and round-trips the original', () => {
    const ref = parseReference('localhost:5000/x/y');
    expect(formatReference(ref)).toBe('localhost:5000/x/y');
    expect(formatReference(ref, { tag: '1.2.3', digest: DIGEST })).toBe(`localhost:5000/x/y:1.2.3@${DIGEST}`);
    expect(formatReference(parseReference('node:22'), { tag: undefined })).toBe('node');
  });

  it('gives a canonical name for keys and recognises scratch', () => {
    expect(canonicalName(parseReference('node'))).toBe('docker.io/library/node');
    expect(isScratch(parseReference('scratch'))).toBe(true);
    expect(isScratch(parseReference('ghcr.io/x/scratch'))).toBe(false);
  });
});
