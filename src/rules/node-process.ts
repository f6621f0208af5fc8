/**
 * node-process: run Node.js apps the way they can receive signals, and install
 * production dependencies with the flag npm keeps supporting.
 *
 * (a) `CMD npm start` / `npm run X` / `yarn start` makes npm (or yarn) PID 1.
 *     npm does not forward SIGTERM to the script it runs, so `docker stop`
 *     waits its 10 s and kills the app. When the build context's package.json
 *     says the script is a plain `node FILE [literal args]` with no pre/post
 *     script, the fix writes `CMD ["node", "FILE", …]` (unsafe: it assumes that
 *     package.json is the one copied into the image, at the WORKDIR). Otherwise
 *     it is a suggestion saying why.
 * (b) `npm ci --production`, `npm install --only=prod[uction]` → `--omit=dev`
 *     (npm 7 made the old flags deprecated aliases of `--omit=dev`). Safe when
 *     the base image is `node:<major>` with major >= 15 (npm 7 ships with
 *     Node 15+), else unsafe: npm 6 has no `--omit` and would install devDependencies.
 */
import type { Document, Instruction } from '../syntax/document.js';
import type { Edit, Finding, Rule, RuleContext } from './types.js';
import { NODE_CODENAMES, parseImageRef } from './data/known-images.js';
import { fileRange } from './shared/edits.js';
import { findingsOf } from './shared/findings.js';
import { windowsReason } from './shared/platform.js';
import { commandWords, literalValues, runCommands, shellCommands } from './shared/shell.js';
import { chainOf, rootOf, stagesOf, type Stage } from './shared/stages.js';

const ID = 'node-process';
const finding = findingsOf(ID);

const UNSAFE_CMD_REASON =
  "assumes the build context's package.json is the one copied into the image, at the WORKDIR; the app no longer gets npm_* variables or node_modules/.bin on PATH";

interface ScriptCall {
  tool: 'npm' | 'yarn';
  script: string;
  extra: string[];
  /** extra words that the tool itself may read as options */
  ambiguous: boolean;
  /** how it was written, for messages */
  shown: string;
}

/** `npm start`, `npm run X [-- args]`, `npm run-script X`, `yarn start`, `yarn run X`. */
function scriptCall(words: string[]): ScriptCall | null {
  let w = words;
  if (w[0] === 'exec') w = w.slice(1);
  const [tool, sub, name] = w;
  let script: string;
  let rest: string[];
  if (tool === 'npm' && sub === 'start') [script, rest] = ['start', w.slice(2)];
  else if (tool === 'npm' && (sub === 'run' || sub === 'run-script') && name && !name.startsWith('-')) [script, rest] = [name, w.slice(3)];
  else if (tool === 'yarn' && sub === 'start') [script, rest] = ['start', w.slice(2)];
  else if (tool === 'yarn' && sub === 'run' && name && !name.startsWith('-')) [script, rest] = [name, w.slice(3)];
  else return null;
  const shown = w.slice(0, w.length - rest.length).join(' ');
  if (rest.length === 0) return { tool, script, extra: [], ambiguous: false, shown };
  // Only `npm … -- args` passes its words to the script on every npm version; anything else may be an npm option.
  if (tool === 'npm' && rest[0] === '--') return { tool, script, extra: rest.slice(1), ambiguous: false, shown };
  return { tool, script, extra: rest, ambiguous: true, shown };
}

/** The argv of a package.json script that is exactly `node [literal words]`, else why not. */
function plainNode(script: string): string[] | string {
  const cmds = shellCommands(script);
  if (!cmds || cmds.length !== 1) return 'is not a single command';
  const c = cmds[0];
  if (c.complex || c.redirect) return 'uses shell syntax';
  if (c.words.length !== commandWords(c).length) return 'sets environment variables';
  const words = literalValues(c.words);
  if (!words) return 'expands variables or globs';
  // Exec form expands nothing: a `~` or `{a,b}` the shell would expand must refuse.
  if (c.words.some((w) => w.features.includes('tilde') || w.features.includes('brace'))) return 'uses `~` or `{…}` expansion';
  if (words[0] !== 'node' || words.length < 2) return 'does not run `node FILE`';
  return words;
}

function jsonArray(words: string[]): string {
  return '[' + words.map((w) => JSON.stringify(w)).join(', ') + ']';
}

/** Words of a CMD/ENTRYPOINT when they are plain literals, else null. */
function commandLine(inst: Instruction): string[] | null {
  if (inst.json) return inst.json;
  if (inst.jsonLike) return null;
  const cmds = shellCommands(inst.args);
  if (!cmds || cmds.length !== 1 || cmds[0].complex || cmds[0].redirect) return null;
  if (cmds[0].words.length !== commandWords(cmds[0]).length) return null;
  return literalValues(cmds[0].words);
}

/** A script call inside a shell-form line that is more than one simple command (`cd /app && npm start`). */
function callInShell(inst: Instruction): ScriptCall | null {
  if (inst.json || inst.jsonLike) return null;
  for (const c of shellCommands(inst.args) ?? []) {
    const v = literalValues(commandWords(c));
    const call = v && scriptCall(v);
    if (call) return call;
  }
  return null;
}

function checkStartCommand(doc: Document, stage: Stage, inst: Instruction, ctx: RuleContext): Finding | null {
  const words = commandLine(inst);
  const call = words ? scriptCall(words) : callInShell(inst);
  if (!call) return null;
  const say = (node: string): string => `${call.tool} does not forward SIGTERM to the app \`${call.shown}\` starts; ${node}`;
  const suggest = (why: string): Finding => finding(inst, 'suggestion', say('run `node <file>` directly'), why);
  if (!words) return suggest('the command line has more shell than one simple command: rewrite it by hand (e.g. `exec node …` last)');

  if (call.ambiguous) return suggest(`${call.tool} may read the words after the script name as its own options`);
  if (windowsReason(doc, chainOf(stage))) return suggest('Windows images run CMD through cmd or PowerShell: not rewritten');
  if (inst.lines.some((l) => l.kind === 'comment')) return suggest('comment lines inside the instruction would be lost');
  if (inst.keyword === 'ENTRYPOINT' && stage.instructions.some((i) => i.keyword === 'CMD')) {
    return suggest("an exec-form ENTRYPOINT would hand the stage's CMD to node as arguments");
  }
  const bc = ctx.buildContext;
  if (!bc) return suggest(`without the build context the \`${call.script}\` script in package.json is unknown`);
  const text = bc.readText('package.json');
  if (text === null) return suggest('the build context has no package.json to read the script from');
  let pkg: { scripts?: Record<string, unknown> };
  try {
    pkg = JSON.parse(text) as typeof pkg;
  } catch {
    return suggest('package.json in the build context is not valid JSON');
  }
  const scripts = pkg && typeof pkg.scripts === 'object' && pkg.scripts ? pkg.scripts : {};
  let script = scripts[call.script];
  if (script === undefined && call.script === 'start' && call.tool === 'npm' && bc.exists('server.js')) {
    script = 'node server.js'; // npm's documented default start script
  }
  if (typeof script !== 'string') return suggest(`package.json has no \`${call.script}\` script`);
  for (const hook of ['pre' + call.script, 'post' + call.script]) {
    if (scripts[hook] !== undefined) return suggest(`package.json has a \`${hook}\` script that running node directly would skip`);
  }
  const argv = plainNode(script);
  if (typeof argv === 'string') return suggest(`the \`${call.script}\` script (\`${script}\`) ${argv}`);
  const full = [...argv, ...call.extra];
  const edits: Edit[] = [{ start: inst.logical.map[inst.argsIndex], end: inst.end, text: jsonArray(full) }];
  return finding(inst, 'unsafe', say(`run \`${full.join(' ')}\` directly`), UNSAFE_CMD_REASON, { edits });
}

const NPM_INSTALL = new Set(['ci', 'install', 'i']);
const OLD_FLAGS = new Set(['--production', '--only=production', '--only=prod']);

/** npm's major version in a stage is known to be >= 7, with the reason; else why not. */
function npmAtLeast7(stage: Stage, upTo: Instruction): { ok: boolean; why: string } {
  // A global npm install in the stage chain before this RUN replaces the bundled npm.
  for (const s of chainOf(stage)) {
    for (const i of s.instructions) {
      if (i.start >= upTo.start) break;
      for (const c of runCommands(i) ?? []) {
        const v = literalValues(commandWords(c));
        if (!v || v[0] !== 'npm' || !(v[1] === 'install' || v[1] === 'i')) continue;
        const pin = v.find((x) => /^npm@/.test(x));
        if (!pin) continue;
        const major = /^npm@\^?~?(\d+)/.exec(pin);
        if (!major || Number(major[1]) < 7) return { ok: false, why: `requires npm >= 7: the stage installs ${pin}` };
      }
    }
  }
  const image = rootOf(stage).base;
  const ref = parseImageRef(image);
  if (ref.repo !== 'node' || image.includes('$')) return { ok: false, why: `requires npm >= 7: the npm version in ${image || 'the base image'} is unknown` };
  const t = ref.tag.toLowerCase();
  let major: number | null = null;
  if (t === 'latest' || /^(lts|current)(-|$)/.test(t) || /^(alpine|slim|bookworm|bullseye|trixie|buster)/.test(t)) major = Infinity;
  else if (NODE_CODENAMES[t.split('-')[0]] !== undefined) major = NODE_CODENAMES[t.split('-')[0]];
  else {
    const m = /^(\d+)/.exec(t);
    if (m) major = Number(m[1]);
  }
  if (major === null) return { ok: false, why: `requires npm >= 7: cannot tell the Node.js version of ${image}` };
  if (major < 15) return { ok: false, why: `requires npm >= 7: ${image} ships npm 6 or older` };
  return { ok: true, why: `${image} ships npm >= 7, where the old flag is a deprecated alias of --omit=dev` };
}

function checkInstallFlags(doc: Document, stage: Stage, inst: Instruction): Finding | null {
  const cmds = runCommands(inst);
  if (!cmds) return null;
  const edits: Edit[] = [];
  const seen: string[] = [];
  for (const c of cmds) {
    if (c.complex) continue;
    const words = commandWords(c);
    if (words[0]?.value !== 'npm' || !NPM_INSTALL.has(words[1]?.value ?? '')) continue;
    const hasOmit = words.some((w) => w.value === '--omit=dev');
    let replaced = false;
    for (const w of words.slice(2)) {
      if (w.value === null || w.glob || !OLD_FLAGS.has(w.value)) continue;
      const r = fileRange(inst, inst.argsIndex + w.start, inst.argsIndex + w.end);
      if (!r) continue;
      seen.push(w.value);
      if (hasOmit || replaced) {
        // `--omit=dev` is there already: drop the old flag and the blank before it.
        let s = r.start;
        while (s > 0 && (doc.text[s - 1] === ' ' || doc.text[s - 1] === '\t')) s--;
        edits.push({ start: s, end: r.end, text: '' });
      } else {
        edits.push({ start: r.start, end: r.end, text: '--omit=dev' });
        replaced = true;
      }
    }
  }
  if (edits.length === 0) return null;
  const npm = npmAtLeast7(stage, inst);
  return finding(inst, npm.ok ? 'safe' : 'unsafe', `\`${seen[0]}\` is deprecated in npm 7+; use \`--omit=dev\``, npm.why, { edits });
}

export const nodeProcess: Rule = {
  meta: {
    id: ID,
    title: 'Run Node.js directly, not through npm or yarn; install with --omit=dev',
    safety: 'unsafe',
    related: [],
    docs: [
      'npm and yarn do not forward SIGTERM/SIGINT to the script they run, so a container started with',
      '`CMD npm start` ignores `docker stop` until it is killed after the timeout, and never shuts down cleanly.',
      'hadolint has no equivalent check; BuildKit has none either.',
      '',
      'When the build context is known and its package.json defines the script as a plain',
      '`node FILE [literal args]` with no pre/post script, the CMD/ENTRYPOINT is rewritten to exec form',
      '`["node", "FILE", ...]`. This fix is unsafe: it assumes the package.json in the build context is the',
      'one the Dockerfile copies into the image and that the WORKDIR is where it lies, and the app loses the',
      'npm_* environment variables. Without the context, or when the script is anything else, the finding',
      'is a suggestion that says why.',
      '',
      '`npm ci --production`, `npm install --only=production` and `--only=prod` in RUN (top-level commands',
      'of shell-form RUN only) become `--omit=dev`. npm 7 made the old flags deprecated aliases of',
      '`--omit=dev`; npm 6 does not know `--omit` and would install devDependencies. The fix is safe when',
      'the base image is `node:<major>` with major >= 15 (npm 7 ships with Node.js 15), otherwise unsafe.',
      '',
      'See https://docs.docker.com/reference/dockerfile/#cmd and https://docs.npmjs.com/cli/commands/npm-install#omit',
    ].join('\n'),
    options: {},
  },
  check(doc, ctx) {
    const findings: Finding[] = [];
    for (const stage of stagesOf(doc)) {
      for (const inst of stage.instructions) {
        if (inst.keyword === 'CMD' || inst.keyword === 'ENTRYPOINT') {
          const f = checkStartCommand(doc, stage, inst, ctx);
          if (f) findings.push(f);
        } else if (inst.keyword === 'RUN') {
          const f = checkInstallFlags(doc, stage, inst);
          if (f) findings.push(f);
        }
      }
    }
    return findings;
  },
};
