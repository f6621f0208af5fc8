/** --version, --list-rules and --explain. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Rule } from '../rules/types.js';
import type { Paint } from './color.js';

let cachedVersion: string | undefined;

/**
 * The version in dockerfix's own package.json, found upward from this module
 * (it sits at dist/src/cli/ when built and src/cli/ under the test runner).
 */
export function version(): string {
  if (cachedVersion) return cachedVersion;
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'dockerfix' && pkg.version) return (cachedVersion = pkg.version);
    } catch {
      // not here: keep climbing
    }
    if (path.dirname(dir) === dir) return (cachedVersion = '0.0.0-unknown');
  }
}

export function listRules(rules: readonly Rule[], paint: Paint): string {
  if (rules.length === 0) return 'No rules are registered.\n';
  const idWidth = Math.max(...rules.map((r) => r.meta.id.length));
  const lines = rules.map((r) => `${paint('magenta', r.meta.id.padEnd(idWidth))}  ${safetyLabel(r.meta.safety, paint)}  ${r.meta.title}`);
  return lines.join('\n') + '\n';
}

export function listRulesJson(rules: readonly Rule[]): string {
  return JSON.stringify(rules.map((r) => ({ id: r.meta.id, safety: r.meta.safety, title: r.meta.title, related: r.meta.related })), null, 2) + '\n';
}

export function explainRule(rule: Rule, paint: Paint): string {
  const m = rule.meta;
  const out = [`${paint('bold', m.id)}: ${m.title}`, '', `safety:  ${safetyLabel(m.safety, paint).trimEnd()} (${SAFETY_MEANING[m.safety]})`];
  out.push(`related: ${m.related.length ? m.related.join(', ') : 'none'}`);
  const options = Object.entries(m.options ?? {});
  if (options.length) {
    out.push('options:');
    for (const [name, description] of options) out.push(`  ${name}: ${description}`);
  } else out.push('options: none');
  out.push('', m.docs.trim(), '');
  out.push(`Turn it off with "rules": { "${m.id}": "off" } in .dockerfixrc.json, or "# dockerfix-ignore=${m.id}" above an instruction.`);
  return out.join('\n') + '\n';
}

const SAFETY_MEANING = {
  safe: 'applied by default: the image and container behave the same',
  unsafe: 'applied only with --unsafe or "unsafe" in config: may change behaviour',
  suggestion: 'reported with advice, never edited',
} as const;

function safetyLabel(safety: Rule['meta']['safety'], paint: Paint): string {
  const style = safety === 'safe' ? 'green' : safety === 'unsafe' ? 'yellow' : 'cyan';
  return paint(style, safety.padEnd(10));
}
