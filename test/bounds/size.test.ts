/**
 * Big inputs through the real CLI (subprocess, real files, writing): they
 * must complete, and the peak RSS of a 10 MB Dockerfile stays under
 * 300 MiB, read with `/usr/bin/time -f %M`. Times and RSS are printed.
 *
 * The default suite runs the 10 MB file whose size is in one instruction (a
 * heredoc script). A 10 MB file of 374,000 short instructions runs with
 * DOCKERFIX_BOUNDS_FULL=1 only: memory grows with the number of instructions
 * (the parsed model is ~0.5 KiB each, and V8 lets the heap grow well past the
 * live set), so today it takes ~9 s and 650-900 MiB: over 300 MiB (README,
 * known limits). The same 10 MB as 116,000 RUN instructions stays under it
 * (~240 MiB) and runs by default.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, tempTree } from '../hostile/harness.js';

beforeAll(ensureBuilt, 180_000);

const FULL = process.env.DOCKERFIX_BOUNDS_FULL === '1';
const TIME = '/usr/bin/time';
const MIB = 1 << 20;
const RSS_LIMIT_MIB = 300;

interface Measured {
  code: number | null;
  ms: number;
  rssMiB: number;
  err: string;
}

/** Run the CLI on one file in a fresh folder under /usr/bin/time; the file is rewritten in place. */
async function measure(content: string, args: string[] = [], timeoutMs = 120_000): Promise<Measured & { dir: string }> {
  const dir = tempTree({ Dockerfile: content });
  const rssFile = path.join(dir, '.rss');
  const r = await runCli([...args, 'Dockerfile'], { cwd: dir, prefix: [TIME, '-f', '%M', '-o', rssFile], timeoutMs });
  const rssKiB = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop());
  return { code: r.code, ms: r.ms, rssMiB: rssKiB / 1024, err: r.err, dir };
}

const report = (what: string, m: Measured, bytes: number): void =>
  console.info(`size: ${what} (${(bytes / MIB).toFixed(1)} MiB): exit ${m.code}, ${(m.ms / 1000).toFixed(2)} s, peak RSS ${m.rssMiB.toFixed(0)} MiB`);

const canMeasure = fs.existsSync(TIME);

describe.skipIf(!canMeasure)(`big files through the CLI${canMeasure ? '' : ' (skipped: /usr/bin/time missing)'}`, () => {
  it(`a 10 MB Dockerfile (a 10 MB heredoc script among fixable instructions) is fixed, with peak RSS < ${RSS_LIMIT_MIB} MiB`, async () => {
    const script = 'echo hello world, this is one line of a long build script\n'.repeat(Math.ceil((10 * MIB) / 58));
    const input = `FROM alpine:3.20 as build\nMAINTAINER Jane <jane@example.com>\nRUN <<EOF\n${script}EOF\nFROM build as final\nCOPY . /app\n`;
    // Every rule reads it (--check), then the two predictable fixes are written.
    const all = await measure(input, ['--check']);
    report('10 MB heredoc Dockerfile, --check, all rules', all, input.length);
    expect(all.code, all.err).toBe(1);
    expect(all.rssMiB).toBeLessThan(RSS_LIMIT_MIB);
    const m = await measure(input, ['--select', 'from-as-casing,maintainer-to-label']);
    report('10 MB heredoc Dockerfile, fixed and written', m, input.length);
    expect(m.code, m.err).toBe(0);
    const expected = input
      .replace(' as build', ' AS build')
      .replace('MAINTAINER Jane <jane@example.com>', 'LABEL org.opencontainers.image.authors="Jane <jane@example.com>"')
      .replace(' as final', ' AS final');
    expect(fs.readFileSync(path.join(m.dir, 'Dockerfile'), 'utf8') === expected, 'the fixed 10 MB file').toBe(true);
    expect(m.rssMiB).toBeLessThan(RSS_LIMIT_MIB);
  }, 150_000);

  it(`a 10 MB Dockerfile of 116,000 RUN instructions is checked with every rule, with peak RSS < ${RSS_LIMIT_MIB} MiB`, async () => {
    let input = 'FROM debian:12\n';
    for (let k = 0; input.length < 10 * MIB; k++) input += `RUN echo step-${k} && apt-get install -y pkg-${k + 1} \\\n    && rm -rf /var/lib/apt/lists/*\n`;
    const m = await measure(input, ['--check']);
    report('10 MB of 116k RUN instructions, --check, all rules', m, input.length);
    expect(m.code, m.err).toBe(0); // (only suggestions and unsafe fixes, withheld)
    expect(m.rssMiB).toBeLessThan(RSS_LIMIT_MIB);
  }, 150_000);

  it('a 1 MB single line (RUN, runs of every syntax character) completes with every rule, fixed', async () => {
    const chars = [' ', '\t', '\\', '#', '=', '"', "'", '<', '-', '$', '{', '[', ',', '&', ':', '/', '@', '`', '(', ';', '.', '0', 'a'];
    const seg = Math.floor(MIB / chars.length);
    const line = `RUN ${chars.map((c) => c.repeat(seg) + 'x').join(' ')}\n`;
    const input = `FROM alpine:3.20 as build\n${line}`;
    const m = await measure(input);
    report('1 MB single RUN line, all rules', m, line.length);
    expect(m.code, m.err).toBe(0);
    expect(fs.readFileSync(path.join(m.dir, 'Dockerfile'), 'utf8')).toBe(`FROM alpine:3.20 AS build\n${line}`);
  }, 150_000);

  it('a 1 MB single line of 512k words (RUN echo a a a …) completes with every rule', async () => {
    const line = `RUN echo ${'a '.repeat(MIB / 2)}\n`;
    const m = await measure(`FROM alpine:3.20 as build\n${line}`);
    report('1 MB single line of 512k words, all rules', m, line.length);
    expect(m.code, m.err).toBe(0);
  }, 150_000);

  // Not under 300 MiB: see the header. Guarded at 1 GiB so that a regression still shows.
  it.runIf(FULL)('(DOCKERFIX_BOUNDS_FULL) a 10 MB Dockerfile of 374,000 short instructions completes in < 60 s with peak RSS < 1 GiB', async () => {
    const block =
      'RUN apt-get update && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*\nENV A=1 B=2\nCOPY package.json /app/\nWORKDIR /app\nLABEL x="y"\n# a comment\nEXPOSE 8080\n';
    const input = `FROM node:20 as build\n${block.repeat(Math.ceil((10 * MIB) / block.length))}CMD ["node", "server.js"]\n`;
    const m = await measure(input, ['--check'], 600_000);
    report('10 MB of ordinary instructions, --check, all rules', m, input.length);
    expect(m.code, m.err).not.toBe(2);
    expect(m.ms).toBeLessThan(60_000);
    expect(m.rssMiB).toBeLessThan(1024);
  }, 660_000);
});
