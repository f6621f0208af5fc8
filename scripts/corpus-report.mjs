#!/usr/bin/env node
// The corpus check CI runs after `npm test`: format and fix every file in
// ../shared/corpus/files and print the counts. Exits 1 on any broken promise:
// a throw, a meaning change, a non-idempotent result, an unparsable output,
// or an internal error of the fix engine.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpusDir = path.join(root, '..', 'shared', 'corpus', 'files');
if (!fs.existsSync(corpusDir)) {
  console.log(`corpus not found at ${corpusDir}: skipped`);
  process.exit(process.env.CI ? 1 : 0);
}
const { format, meaning, parse, fix, rules } = await import(path.join(root, 'dist', 'src', 'index.js'));
const names = fs.readdirSync(corpusDir).filter((f) => !f.endsWith('.result')).sort();
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const failures = [];
const fail = (file, what) => failures.push(`${file}: ${what}`);

// ---- format -----------------------------------------------------------------------------------
let changed = 0;
let verbatim = 0;
for (const name of names) {
  const input = fs.readFileSync(path.join(corpusDir, name), 'utf8');
  try {
    const out = await format(input, { filepath: 'Dockerfile' });
    if (out !== input) changed++;
    if (parse(input).problems.length > 0) verbatim++;
    if (!same(meaning(out), meaning(input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')))) fail(name, 'format changed meaning');
    if ((await format(out, { filepath: 'Dockerfile' })) !== out) fail(name, 'format is not idempotent');
    if (parse(out).problems.length > parse(input).problems.length) fail(name, 'format output has new parse problems');
  } catch (e) {
    fail(name, `format threw: ${e?.message ?? e}`);
  }
}
console.log(`format: ${names.length} files, ${changed} changed, ${names.length - changed} already formatted, ${verbatim} with BuildKit errors printed as they are`);

// ---- fix (all rules, unsafe included, no network) ---------------------------------------------
const perRule = new Map();
const bump = (key, field) => {
  const row = perRule.get(key) ?? { findings: 0, applied: 0, withheld: 0, reports: 0 };
  row[field]++;
  perRule.set(key, row);
};
const refusals = new Map();
let filesChanged = 0;
let internal = 0;
for (const name of names) {
  const input = fs.readFileSync(path.join(corpusDir, name), 'utf8');
  const options = { rules, unsafe: true, context: () => ({ options: {} }) };
  try {
    const result = fix(input, options);
    if (result.changed) filesChanged++;
    for (const f of result.applied) bump(f.ruleId, 'applied');
    for (const f of result.withheld) bump(f.ruleId, 'withheld');
    for (const f of result.reports) {
      bump(f.ruleId, 'reports');
      const key = `${f.ruleId}: ${f.reason}`;
      refusals.set(key, (refusals.get(key) ?? 0) + 1);
    }
    for (const f of [...result.applied, ...result.withheld, ...result.reports]) bump(f.ruleId, 'findings');
    for (const e of result.internalErrors) {
      internal++;
      fail(name, `internal error in ${e.ruleId} at line ${e.line}: ${e.message}`);
    }
    if (parse(result.output).problems.length > parse(input).problems.length) fail(name, 'fix output has new parse problems');
    const again = fix(result.output, options);
    if (again.changed) fail(name, 'a second fix run changed the file again');
  } catch (e) {
    fail(name, `fix threw: ${e?.stack ?? e}`);
  }
}
console.log(`fix --unsafe: ${names.length} files, ${filesChanged} changed, ${internal} internal errors`);
console.log('rule'.padEnd(24), 'findings'.padStart(8), 'applied'.padStart(8), 'withheld'.padStart(9), 'reported'.padStart(9));
for (const [id, row] of [...perRule].sort()) {
  console.log(id.padEnd(24), String(row.findings).padStart(8), String(row.applied).padStart(8), String(row.withheld).padStart(9), String(row.reports).padStart(9));
}
console.log('\nreported without a fix, by reason:');
for (const [key, n] of [...refusals].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(5)}  ${key}`);

if (failures.length > 0) {
  console.log(`\n${failures.length} FAILURES:`);
  for (const f of failures) console.log(`  ${f}`);
  process.exit(1);
}
console.log('\ncorpus check: all promises kept');
