/** stage-name-casing: meta, touches, the refusal for FROM references, reasons. */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/syntax/index.js';
import { fix } from '../../src/fix/index.js';
import { stageNameCasing } from '../../src/rules/stage-name-casing.js';

const check = (text: string) => stageNameCasing.check(parse(text), { options: {} });
const run = (text: string) => fix(text, { rules: [stageNameCasing], context: () => ({ options: {} }) });

describe('stage-name-casing', () => {
  it('has full meta', () => {
    expect(stageNameCasing.meta.id).toBe('stage-name-casing');
    expect(stageNameCasing.meta.safety).toBe('safe');
    expect(stageNameCasing.meta.related).toEqual(['StageNameCasing']);
    expect(stageNameCasing.meta.docs).toContain('https://docs.docker.com/reference/dockerfile/#from');
  });

  it('names every instruction it updates in touches', () => {
    const text = 'FROM a AS Build\nFROM b\nCOPY --from=Build /x /x\nRUN --mount=from=BUILD,target=/m true\nCOPY --from=build /y /y\n';
    const doc = parse(text);
    const [f] = stageNameCasing.check(doc, { options: {} });
    expect(f.safety).toBe('safe');
    expect(f.touches).toEqual([doc.instructions[2].start, doc.instructions[3].start]);
    expect(f.message).toBe('stage name "Build" should be lowercase: "build" (and 2 --from references)');
    expect(f.reason).toMatch(/case-insensitively/);
    const res = run(text);
    expect(res.internalErrors).toEqual([]);
    expect(res.output).toBe('FROM a AS build\nFROM b\nCOPY --from=build /x /x\nRUN --mount=from=build,target=/m true\nCOPY --from=build /y /y\n');
  });

  it('refuses when a FROM spells the stage with capitals (FROM matches exactly)', () => {
    const [f] = check('FROM a AS Build\nRUN true\nFROM Build\n');
    expect(f.safety).toBe('suggestion');
    expect(f.edits).toBeUndefined();
    expect(f.message).toBe('stage name "Build" should be lowercase, but FROM on line 3 spells it with capitals: fix those by hand');
    expect(f.reason).toMatch(/exactly against the lowercased name "build"/);
  });

  it('is silent for lowercase and invalid names', () => {
    expect(check('FROM a AS build\nFROM a AS 9Lives\nFROM a AS B@d\n')).toEqual([]);
  });
});
