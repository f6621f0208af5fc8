/**
 * The shared stage model: meta ARG defaults in FROM, and local parents.
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../../../src/syntax/index.js';
import { stagesOf } from '../../../src/rules/shared/stages.js';

describe('stagesOf', () => {
  it('expands global ARG defaults and links local stages', () => {
    const s = stagesOf(parse('ARG V=20\nARG FLAVOR\nFROM node:${V}-alpine AS base\nFROM base\nFROM node:${FLAVOR:-22}\nFROM $UNKNOWN\n'));
    expect(s.map((x) => x.base)).toEqual(['node:20-alpine', 'base', 'node:22', '$UNKNOWN']);
    expect(s.map((x) => x.parent?.index ?? null)).toEqual([null, 0, null, null]);
  });
});
