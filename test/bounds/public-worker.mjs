// Worker for regex.test.ts (see watchdog.ts for the protocol): the public
// entry points, built (dist/), on one adversarial Dockerfile per job.
// Job: { keyword, shape, fn, chars? } → result { ms, error?, length }.
import { parentPort, workerData } from 'node:worker_threads';

const { jobs, start, size, distRoot } = workerData; // and contextDir
const { parse, meaning } = await import(`${distRoot}/src/syntax/index.js`);
const { fix } = await import(`${distRoot}/src/fix/index.js`);
const { rules } = await import(`${distRoot}/src/rules/index.js`);
const { formatSync } = await import(`${distRoot}/src/format/index.js`);
const { parseReference } = await import(`${distRoot}/src/registry/index.js`);

/** Runs of the characters Dockerfile and shell syntax care about, each ended by a character that breaks the run. */
const RUN_CHARS = [' ', '\t', '\\', '#', '=', '"', "'", '<', '-', '$', '{', '[', ',', '&', ':', '/', '@', '`', '(', ';', '*', '?', '.', '0', 'a'];

/** Glob characters: COPY/ADD sources are matched against the build context with them (jobs may leave them out). */
const GLOB_CHARS = ['*', '?', '['];

function adversarialBody(total, chars) {
  const seg = Math.floor(total / chars.length);
  return chars.map((c) => c.repeat(seg) + 'x').join(' ');
}

const { fsBuildContext } = await import(`${distRoot}/src/cli/build-context.js`);
/** The real file-system build context the CLI gives rules, on a folder with the names rules look at. */
const buildContext = fsBuildContext(workerData.contextDir);
const context = () => ({ filePath: `${workerData.contextDir}/Dockerfile`, options: {}, buildContext, pins: { node: '20.11.1' } });

/** A short instruction per keyword that some rule finds something in. */
const MANY = {
  FROM: 'FROM alpine as b', RUN: 'RUN apt install -y curl', CMD: 'CMD node server.js', ENTRYPOINT: 'ENTRYPOINT node server.js',
  LABEL: 'LABEL a=b', MAINTAINER: 'MAINTAINER x', EXPOSE: 'EXPOSE 80', ENV: 'ENV A 1', ADD: 'ADD x.tar.gz /app/', COPY: 'COPY . /app',
  WORKDIR: 'WORKDIR app', USER: 'USER app', VOLUME: 'VOLUME /data', ARG: 'ARG A=1', ONBUILD: 'ONBUILD RUN echo', STOPSIGNAL: 'STOPSIGNAL SIGTERM',
  HEALTHCHECK: 'HEALTHCHECK CMD true', SHELL: 'SHELL ["/bin/sh", "-c"]', '#': '# a comment \\',
};

const texts = new Map();
function textFor(keyword, shape, chars = 'all', scale = 1) {
  const key = `${keyword}/${shape}/${chars}/${scale}`;
  if (texts.has(key)) return texts.get(key);
  if (texts.size > 4) texts.clear();
  const set = chars === 'glob' ? GLOB_CHARS : chars === 'no-glob' ? RUN_CHARS.filter((c) => !GLOB_CHARS.includes(c)) : RUN_CHARS;
  const body = adversarialBody(size, set);
  let text;
  switch (shape) {
    case 'line': // one logical line of ~size characters
      text = keyword === 'FROM' ? `FROM ${body}\n` : keyword === '#' ? `FROM alpine\n# ${body}\n` : `FROM alpine\n${keyword} ${body}\n`;
      break;
    case 'continued': // the body as a comment line inside a continued instruction
      text = `FROM alpine\n${keyword} a \\\n#${body}\n  b\n`;
      break;
    case 'directive': // the body as a parser directive's value (keyword = directive name)
      text = `# ${keyword}=${body}\nFROM alpine\n`;
      break;
    case 'heredoc':
      text = `FROM alpine\n${keyword} <<EOF\n${body}\nEOF\n`;
      break;
    case 'many': {
      // One short instruction some rule finds something in, repeated: size/8 characters at scale 1, size/2 at
      // scale 4 (the test compares the two: work per instruction must stay linear).
      const count = Math.ceil((size / 8) * scale / (MANY[keyword].length + 1));
      text = `FROM alpine\n${`${MANY[keyword]}\n`.repeat(count)}RUN npm ci\n`;
      break;
    }
      break;
    case 'reference': // an image reference: a run of one character (keyword), then one no reference may hold
      text = `${keyword.repeat(size)}!`;
      break;
    default:
      throw new Error(`unknown shape ${shape}`);
  }
  texts.set(key, text);
  return text;
}

const FNS = {
  parse: (t) => parse(t),
  meaning: (t) => meaning(parse(t)),
  fix: (t) => fix(t, { rules, unsafe: true, context }),
  format: (t) => formatSync(t),
  reference: (t) => parseReference(t),
};

for (let i = start; i < jobs.length; i++) {
  const { keyword, shape, fn, chars, scale } = jobs[i];
  const text = textFor(keyword, shape, chars, scale);
  parentPort.postMessage({ begin: i });
  const t0 = performance.now();
  let error;
  try {
    FNS[fn](text);
  } catch (err) {
    // A refusal is a fine answer to hostile input; only time is judged here.
    error = String(err?.message ?? err).slice(0, 200);
  }
  parentPort.postMessage({ end: i, result: { ms: performance.now() - t0, error, length: text.length } });
}
parentPort.postMessage({ done: true });
