/**
 * add-to-copy: archive detection by content (every format safety.md lists),
 * build-context edge cases that need files fixtures cannot hold, and the
 * finding's safety, message and reason.
 */
import { describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { parse } from '../../src/syntax/index.js';
import { fix } from '../../src/fix/index.js';
import { addToCopy, isArchive } from '../../src/rules/add-to-copy.js';
import type { BuildContext } from '../../src/rules/types.js';

/** One-file tar: a 512-byte header (optionally without the ustar magic) and the data. */
function tar(name: string, content: string, magic = true): Uint8Array {
  const header = Buffer.alloc(512, 0);
  const octal = (n: number, width: number) => n.toString(8).padStart(width - 1, '0') + '\0';
  header.write(name, 0, 100, 'latin1');
  header.write(octal(0o644, 8), 100);
  header.write(octal(0, 8), 108);
  header.write(octal(0, 8), 116);
  header.write(octal(content.length, 12), 124);
  header.write(octal(0, 12), 136);
  header.fill(0x20, 148, 156);
  header.write('0', 156);
  if (magic) header.write('ustar\u000000', 257, 'latin1');
  let sum = 0;
  for (const b of header) sum += b;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  const data = Buffer.alloc(512, 0);
  data.write(content);
  return Buffer.concat([header, data, Buffer.alloc(1024, 0)]);
}

/** An in-memory build context: files by path, directories implied by their files. */
function memoryContext(files: Record<string, Uint8Array | string | null>): BuildContext {
  const bytes = (v: Uint8Array | string) => (typeof v === 'string' ? Buffer.from(v) : v);
  const isDir = (p: string) => p === '' || Object.keys(files).some((f) => f.startsWith(p.replace(/\/$/, '') + '/'));
  return {
    root: '/ctx',
    readHead: (p, n) => (files[p] ? bytes(files[p] as Uint8Array | string).subarray(0, n) : null),
    readText: (p) => (files[p] ? Buffer.from(bytes(files[p] as Uint8Array | string)).toString('utf8') : null),
    exists: (p) => p in files || isDir(p),
    isDirectory: isDir,
    list: () => [],
    glob: (pattern) => {
      const re = new RegExp('^' + pattern.replace(/^\//, '').replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '$');
      const hits = Object.keys(files).filter((f) => re.test(f));
      if (hits.length === 0 && isDir(pattern.replace(/^\//, ''))) return [pattern.replace(/^\//, '')];
      return hits;
    },
  };
}

const check = (text: string, buildContext?: BuildContext) => addToCopy.check(parse(text), { options: {}, buildContext });

describe('isArchive', () => {
  it('detects compressed streams by magic bytes', () => {
    expect(isArchive(zlib.gzipSync('x'))).toBe(true);
    expect(isArchive(Buffer.from('BZh91AY&SY'))).toBe(true);
    expect(isArchive(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00]))).toBe(true);
    expect(isArchive(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00]))).toBe(true);
  });
  it('detects a plain tar by its ustar magic or its header checksum', () => {
    expect(isArchive(tar('a.txt', 'hello'))).toBe(true);
    expect(isArchive(tar('a.txt', 'hello', false))).toBe(true); // V7 header: checksum only
  });
  it('does not flag text, short files, zero blocks or a broken checksum', () => {
    expect(isArchive(Buffer.from('just text\n'))).toBe(false);
    expect(isArchive(Buffer.from([0x1f, 0x8b]))).toBe(false);
    expect(isArchive(Buffer.alloc(512, 0))).toBe(false);
    const broken = Buffer.from(tar('a.txt', 'hello', false));
    broken[0] = 0x62; // change the name: the stored checksum no longer matches
    expect(isArchive(broken)).toBe(false);
    expect(isArchive(Buffer.alloc(600, 0x61))).toBe(false);
  });
});

describe('add-to-copy with a build context', () => {
  it('keeps ADD for an archive under any name (bzip2, xz, zstd, V7 tar)', () => {
    const ctx = memoryContext({
      'a.bin': Buffer.from('BZh91AY&SY'),
      'b.dat': Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x01]),
      'c.txt': Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x01]),
      'd': tar('x', 'y', false),
    });
    for (const src of ['a.bin', 'b.dat', 'c.txt', 'd']) expect(check(`FROM alpine\nADD ${src} /x/\n`, ctx)).toEqual([]);
  });
  it('tests each wildcard match separately', () => {
    const ctx = memoryContext({ 'lib/a.txt': 'a', 'lib/b.txt': tar('x', 'y') });
    expect(check('FROM alpine\nADD lib/*.txt /x/\n', ctx)).toEqual([]);
  });
  it('refuses a source that is not a regular file', () => {
    const ctx: BuildContext = { ...memoryContext({}), glob: () => ['fifo'], isDirectory: () => false, readHead: () => null };
    const [f] = check('FROM alpine\nADD fifo /x/\n', ctx);
    expect(f.safety).toBe('suggestion');
    expect(f.reason).toContain('is not a regular file');
  });
  it('says the fix was proven in the build context', () => {
    const [f] = check('FROM alpine\nADD a.txt /x/\n', memoryContext({ 'a.txt': 'plain' }));
    expect(f.safety).toBe('safe');
    expect(f.reason).toContain('the build context shows no tar archive');
  });
});

describe('add-to-copy without a build context', () => {
  it('declares its meta', () => {
    expect(addToCopy.meta.related).toEqual(['DL3020']);
    expect(addToCopy.meta.docs).toContain('https://docs.docker.com/reference/dockerfile/#add');
  });
  it('marks a plain name safe by name and says so', () => {
    const [f] = check('FROM alpine\nADD app.py /app/\n');
    expect(f.safety).toBe('safe');
    expect(f.reason).toMatch(/^safe by name: /);
    expect(f.message).toBe('use COPY instead of ADD: the sources are local files or directories, not URLs or archives');
  });
  it('reports an archive-looking name as a suggestion', () => {
    const result = fix('FROM alpine\nADD site.tgz /srv/\n', { rules: [addToCopy], context: () => ({ options: {} }) });
    expect(result.output).toBe('FROM alpine\nADD site.tgz /srv/\n');
    expect(result.reports).toHaveLength(1);
    expect(result.reports[0].safety).toBe('suggestion');
    expect(result.reports[0].reason).toContain('archive extension');
  });
  it('treats every git form as needing ADD', () => {
    for (const src of ['git@github.com:a/b.git', 'ssh://git@h/r', 'git://h/r', 'https://github.com/a/b.git', 'deploy@example.com:repo']) {
      expect(check(`FROM alpine\nADD ${src} /src\n`)).toEqual([]);
    }
  });
});
