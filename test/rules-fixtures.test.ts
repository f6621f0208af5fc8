/**
 * Table-driven rule fixtures: fixtures/<rule-id>/<case>.in.Dockerfile is fixed
 * with that rule alone and must give <case>.out.Dockerfile byte for byte (a
 * refusal case has an .out equal to its .in). An optional <case>.json sets:
 *   { "unsafe": true, "options": {…}, "pins": {…}, "context": "<dir under the rule's fixture folder>",
 *     "expect": { "applied": 1, "withheld": 0, "reports": 0 } }
 * Every case also checks that a second run changes nothing.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fix } from '../src/fix/index.js';
import { rules } from '../src/rules/index.js';
import { fsBuildContext } from '../src/cli/build-context.js';

const root = path.join(import.meta.dirname, '..', 'fixtures');

interface CaseConfig {
  unsafe?: boolean;
  options?: Record<string, unknown>;
  pins?: Record<string, string>;
  context?: string;
  expect?: { applied?: number; withheld?: number; reports?: number; internalErrors?: number };
}

for (const rule of rules) {
  const dir = path.join(root, rule.meta.id);
  describe(`rule ${rule.meta.id}`, () => {
    it('has fixtures', () => {
      expect(fs.existsSync(dir), `fixtures/${rule.meta.id}/ is missing`).toBe(true);
    });
    if (!fs.existsSync(dir)) return;
    const cases = fs.readdirSync(dir).filter((f) => f.endsWith('.in.Dockerfile')).sort();
    for (const file of cases) {
      const name = file.replace(/\.in\.Dockerfile$/, '');
      it(name.replace(/-/g, ' '), () => {
        const input = fs.readFileSync(path.join(dir, file), 'utf8');
        const expected = fs.readFileSync(path.join(dir, `${name}.out.Dockerfile`), 'utf8');
        const cfgPath = path.join(dir, `${name}.json`);
        const cfg: CaseConfig = fs.existsSync(cfgPath) ? JSON.parse(fs.readFileSync(cfgPath, 'utf8')) : {};
        const buildContext = cfg.context ? fsBuildContext(path.join(dir, cfg.context)) : undefined;
        const options = {
          rules: [rule],
          unsafe: cfg.unsafe ?? false,
          context: () => ({ options: cfg.options ?? {}, pins: cfg.pins, buildContext, filePath: path.join(dir, file) }),
        };
        const result = fix(input, options);
        expect(result.internalErrors).toEqual([]);
        expect(result.output).toBe(expected);
        if (cfg.expect?.applied !== undefined) expect(result.applied.length).toBe(cfg.expect.applied);
        if (cfg.expect?.withheld !== undefined) expect(result.withheld.length).toBe(cfg.expect.withheld);
        if (cfg.expect?.reports !== undefined) expect(result.reports.length).toBe(cfg.expect.reports);
        const again = fix(result.output, options);
        expect(again.output).toBe(result.output);
      });
    }
  });
}
