/** workdir-absolute: Go path semantics, meta, and the finding's safety and reason. */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/syntax/index.js';
import { goClean, goJoin, workdirAbsolute } from '../../src/rules/workdir-absolute.js';

const check = (text: string) => workdirAbsolute.check(parse(text), { options: {} });

describe('Go path.Clean / path.Join', () => {
  // Cases from Go's path package tests (src/path/path_test.go).
  const clean: Array<[string, string]> = [
    ['', '.'], ['abc', 'abc'], ['abc/def', 'abc/def'], ['a/b/c', 'a/b/c'], ['.', '.'], ['..', '..'], ['../..', '../..'],
    ['../../abc', '../../abc'], ['/abc', '/abc'], ['/', '/'], ['abc/', 'abc'], ['abc/def/', 'abc/def'], ['/abc/', '/abc'],
    ['abc//def//ghi', 'abc/def/ghi'], ['//abc', '/abc'], ['///abc', '/abc'], ['//abc//', '/abc'], ['abc//', 'abc'],
    ['abc/./def', 'abc/def'], ['/./abc/def', '/abc/def'], ['abc/.', 'abc'], ['abc/def/ghi/../jkl', 'abc/def/jkl'],
    ['abc/def/../ghi/../jkl', 'abc/jkl'], ['abc/def/..', 'abc'], ['abc/def/../..', '.'], ['/abc/def/../..', '/'],
    ['abc/def/../../..', '..'], ['/abc/def/../../..', '/'], ['abc/def/../../../ghi/jkl/../../../mno', '../../mno'],
    ['abc/./../def', 'def'], ['abc//./../def', 'def'], ['abc/../../././../def', '../../def'],
  ];
  for (const [input, want] of clean) it(`Clean(${JSON.stringify(input)}) = ${want}`, () => expect(goClean(input)).toBe(want));
  it('joins like filepath.Join("/app", rel)', () => {
    expect(goJoin('/app', 'x')).toBe('/app/x');
    expect(goJoin('/app/', './x/')).toBe('/app/x');
    expect(goJoin('/', '../..')).toBe('/');
    expect(goJoin('/a/../b/', 'c')).toBe('/b/c');
  });
});

describe('workdir-absolute', () => {
  it('has full meta', () => {
    expect(workdirAbsolute.meta.id).toBe('workdir-absolute');
    expect(workdirAbsolute.meta.safety).toBe('safe');
    expect(workdirAbsolute.meta.related).toEqual(['DL3000', 'WorkdirRelativePath']);
    expect(workdirAbsolute.meta.docs).toContain('https://docs.docker.com/reference/dockerfile/#workdir');
  });

  it('says where the known directory came from', () => {
    const [a, b] = check('FROM scratch\nWORKDIR app\nWORKDIR sub\n');
    expect(a.safety).toBe('safe');
    expect(a.message).toBe('relative WORKDIR app: write the absolute path /app');
    expect(a.reason).toBe("the previous working directory is known (/, from FROM scratch) and BuildKit joins a relative WORKDIR to it like Go's path.Join, so this is the same directory");
    expect(b.reason).toMatch(/known \(\/app, from WORKDIR on line 2\)/);
    expect(b.edits).toEqual([{ start: a.start + 'WORKDIR app\n'.length + 'WORKDIR '.length, end: a.start + 'WORKDIR app\nWORKDIR sub'.length, text: '/app/sub' }]);
  });

  it('is a suggestion when the directory is not known, and silent for absolute or possibly absolute paths', () => {
    const fs = check('FROM node\nWORKDIR app\nWORKDIR /srv\nWORKDIR $HOME\nWORKDIR "${DIR}"\n');
    expect(fs).toHaveLength(1);
    expect(fs[0].safety).toBe('suggestion');
    expect(fs[0].edits).toBeUndefined();
    expect(fs[0].reason).toMatch(/base image/);
  });

  it('follows FROM <stage> only for the exact lowercased name', () => {
    expect(check('FROM scratch AS base\nWORKDIR /w\nFROM base\nWORKDIR x\n')[0].safety).toBe('safe');
    expect(check('FROM scratch AS Base\nWORKDIR /w\nFROM base\nWORKDIR x\n')[0].safety).toBe('safe');
    expect(check('FROM scratch AS base\nWORKDIR /w\nFROM Base\nWORKDIR x\n')[0].safety).toBe('suggestion');
  });
});
