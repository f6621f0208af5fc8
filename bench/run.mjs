#!/usr/bin/env node
// Benchmarks, side by side in one run. Prints figures; asserts nothing.
//   1. format throughput over ../shared/corpus, in this process: dockerfix, @reteps/dockerfmt (WASM), dockerfile-utils
//   2. CLI wall time: `dockerfix --check` vs `tally lint` on one file and on the whole corpus
//   3. big inputs: a 10 MB Dockerfile and a 1 MB single line (time and peak RSS of the CLI)
// Usage: npm run bench [-- --rounds N]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const corpusDir = path.join(root, '..', 'shared', 'corpus', 'files');
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, only: { type: 'string' } } });
const rounds = Number(values.rounds);
/** `--only format|cli|big` runs one section. */
const wants = (section) => !values.only || values.only === section;

if (!fs.existsSync(corpusDir)) {
  console.log(`corpus not found at ${corpusDir}: nothing to benchmark`);
  process.exit(0);
}
const names = fs.readdirSync(corpusDir).filter((f) => !f.endsWith('.result')).sort();
const texts = names.map((f) => fs.readFileSync(path.join(corpusDir, f), 'utf8'));
const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const line = (label, ms, n) => `${label.padEnd(28)} ${(n / (ms / 1000)).toFixed(0).padStart(7)} files/s ${(ms / n).toFixed(3).padStart(8)} ms/file`;

// ---- 1. format throughput, in process -------------------------------------------------------
if (wants('format')) {
const { format } = await import(path.join(root, 'dist', 'src', 'index.js'));
const { formatSync } = await import(path.join(root, 'dist', 'src', 'format', 'index.js'));

/** Run with console and stdout silenced: dockerfmt's Go runtime prints panics and stack traces there. */
async function quietly(fn) {
  const saved = { log: console.log, error: console.error, warn: console.warn, write: process.stdout.write, ewrite: process.stderr.write };
  console.log = console.error = console.warn = () => {};
  process.stdout.write = process.stderr.write = () => true;
  try {
    return await fn();
  } finally {
    Object.assign(console, { log: saved.log, error: saved.error, warn: saved.warn });
    process.stdout.write = saved.write;
    process.stderr.write = saved.ewrite;
  }
}

async function timeAll(label, fn) {
  let ok = 0;
  for (const t of texts) {
    try {
      await fn(t);
      ok++;
    } catch {
      /* counted below */
    }
  }
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const t of texts) {
      try {
        await fn(t);
      } catch {
        /* a tool that throws still spent the time */
      }
    }
  }
  const ms = (performance.now() - start) / rounds;
  console.log(`${line(label, ms, texts.length)}   (${texts.length - ok} threw)`);
  return ms;
}

console.log(`# format: ${texts.length} corpus files, ${rounds} rounds, node ${process.version}, ${os.cpus().length} cpus`);
const ours = await timeAll('dockerfix format (prettier)', (t) => format(t, { filepath: 'Dockerfile' }));
await timeAll('dockerfix formatSync (core)', (t) => formatSync(t, { filepath: 'Dockerfile' }));
// Our figure is taken before the other tools are even loaded.
console.log(`peak RSS after dockerfix format ${mib(process.resourceUsage().maxRSS * 1024)} MiB`);
const { formatDockerfileContents } = await import('@reteps/dockerfmt');
const utils = await import('dockerfile-utils');
let dockerfmtFailed = 0;
const dockerfmt = await quietly(() =>
  timeAll('@reteps/dockerfmt (wasm)', async (t) => {
    const out = await formatDockerfileContents(t, { indent: 4, trailingNewline: true, spaceRedirects: false });
    if (!out) dockerfmtFailed++;
    return out;
  }),
);
console.log(line('@reteps/dockerfmt (wasm)', dockerfmt, texts.length) + `   (printed a panic or returned nothing ${Math.round(dockerfmtFailed / (rounds + 1))} times per round)`);
const dfu = await timeAll('dockerfile-utils format', (t) => utils.format(t, { insertSpaces: true, tabSize: 4 }));
console.log(`ratio dockerfmt/dockerfix       ${(dockerfmt / ours).toFixed(2)}x`);
console.log(`ratio dockerfile-utils/dockerfix ${(dfu / ours).toFixed(2)}x`);
console.log(`peak RSS with all three loaded   ${mib(process.resourceUsage().maxRSS * 1024)} MiB`);

}

// ---- 2. CLI wall time ------------------------------------------------------------------------
const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');
const tally = path.join(root, 'node_modules', '@wharflab', 'tally-linux-x64', 'bin', 'tally');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-bench-'));
const one = path.join(tmp, 'one', 'Dockerfile');
fs.mkdirSync(path.dirname(one));
fs.copyFileSync(path.join(corpusDir, names.find((n) => n.includes('docker-library__python')) ?? names[0]), one);
const all = path.join(tmp, 'all');
fs.mkdirSync(all);
names.forEach((n, i) => {
  const d = path.join(all, String(i));
  fs.mkdirSync(d);
  fs.writeFileSync(path.join(d, 'Dockerfile'), texts[i]);
});

/** Wall time (best of N) and peak RSS of a command, measured by GNU time. */
function measure(cmd, args, n = rounds) {
  let best = Infinity;
  let rss = 0;
  for (let r = 0; r < n; r++) {
    const res = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const last = res.stderr.trim().split('\n').pop() ?? '';
    const [secs, kb] = last.split(' ').map(Number);
    best = Math.min(best, secs * 1000);
    rss = Math.max(rss, kb * 1024);
  }
  return { ms: best, rss };
}
const show = (label, m) => console.log(`${label.padEnd(44)} ${m.ms.toFixed(0).padStart(6)} ms  peak RSS ${mib(m.rss).padStart(6)} MiB`);
if (wants('cli')) {
console.log(`\n# CLI wall time (best of ${rounds}) and peak RSS`);
const tallyOk = fs.existsSync(tally);
show('dockerfix --check (1 file)', measure('node', [cli, '--check', one]));
if (tallyOk) {
  show('tally lint --slow-checks off (1 file)', measure(tally, ['lint', '--no-config', '--slow-checks', 'off', one]));
  show('tally lint (1 file, default slow checks)', measure(tally, ['lint', '--no-config', one], 1));
}
show(`dockerfix --check (corpus, ${names.length} files)`, measure('node', [cli, '--check', all], Math.min(rounds, 3)));
if (tallyOk) show(`tally lint --slow-checks off (corpus)`, measure(tally, ['lint', '--no-config', '--slow-checks', 'off', all], Math.min(rounds, 3)));

}

// ---- 3. big inputs -----------------------------------------------------------------------------
if (wants('big')) {
console.log('\n# big inputs: dockerfix --check and --format --check');
const big = path.join(tmp, 'big', 'Dockerfile');
fs.mkdirSync(path.dirname(big));
let body = 'FROM debian:12\n';
let k = 0;
while (body.length < 10 * 1024 * 1024) body += `RUN echo step-${k++} && apt-get install -y pkg-${k} \\\n    && rm -rf /var/lib/apt/lists/*\n`;
fs.writeFileSync(big, body);
const wide = path.join(tmp, 'wide', 'Dockerfile');
fs.mkdirSync(path.dirname(wide));
fs.writeFileSync(wide, `FROM debian:12\nRUN echo ${'x'.repeat(1024 * 1024)}\n`);
// The same 10 MB in other shapes: memory grows with the number of instructions, not bytes.
const heredoc = path.join(tmp, 'heredoc', 'Dockerfile');
fs.mkdirSync(path.dirname(heredoc));
const script = 'echo hello world, this is one line of a long build script\n'.repeat(Math.ceil((10 * 1024 * 1024) / 58));
fs.writeFileSync(heredoc, `FROM alpine:3.20 as build\nRUN <<EOF\n${script}EOF\nFROM build as final\nCOPY . /app\n`);
const short = path.join(tmp, 'short', 'Dockerfile');
fs.mkdirSync(path.dirname(short));
const block = 'RUN apt-get update && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*\nENV A=1 B=2\nCOPY package.json /app/\nWORKDIR /app\nLABEL x="y"\n# a comment\nEXPOSE 8080\n';
fs.writeFileSync(short, `FROM node:20 as build\n${block.repeat(Math.ceil((10 * 1024 * 1024) / block.length))}CMD ["node", "server.js"]\n`);
show('10 MB, 116k RUN instructions: dockerfix --check', measure('node', [cli, '--check', big], 1));
show('10 MB, 116k RUN instructions: --format --check', measure('node', [cli, '--format', '--check', big], 1));
show('10 MB, one heredoc: dockerfix --check', measure('node', [cli, '--check', heredoc], 1));
show('10 MB, 374k short instructions: --check', measure('node', [cli, '--check', short], 1));
show('1 MB line: dockerfix --check', measure('node', [cli, '--check', wide], 1));
show('1 MB line: dockerfix --format --check', measure('node', [cli, '--format', '--check', wide], 1));
}
fs.rmSync(tmp, { recursive: true, force: true });
