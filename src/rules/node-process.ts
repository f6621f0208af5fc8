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
 *
 * This file also holds the small shell and stage helpers the neighbouring
 * rules (non-root-user, build-context) share.
 */
import type { Document, Instruction } from '../syntax/document.js';
import { fromParts } from '../syntax/meaning.js';
import { parseWords, unquoteWord } from '../syntax/words.js';
import type { Edit, Finding, Rule, RuleContext } from './types.js';
import { NODE_CODENAMES, parseImageRef } from './data/known-images.js';

// ---------------------------------------------------------------------------
// Shell helpers (shared): a deliberately small POSIX sh tokenizer that finds
// top-level simple commands and refuses (marks `complex`) what it cannot read.
// ---------------------------------------------------------------------------

export interface ShellWord {
  /** the word as written */
  raw: string;
  /** the word after quote removal; null when it expands something (`$`, backticks) */
  value: string | null;
  /** an unquoted glob character (`*`, `?`, `[`) is in it */
  glob: boolean;
  /** offsets into the tokenized text */
  start: number;
  end: number;
}

export interface ShellCommand {
  words: ShellWord[];
  /** the operator that ended the previous command ('' for the first) */
  before: string;
  /** the operator that ends this one ('' for the last) */
  after: string;
  /** subshell, group, command substitution at command level, heredoc: not a plain simple command */
  complex: boolean;
  /** has a redirection (`> file`, `2>&1`) */
  redirect: boolean;
  start: number;
  end: number;
}

const OPERATOR_CHARS = new Set([';', '&', '|', '<', '>', '(', ')', '\n']);
const isBlank = (c: string): boolean => c === ' ' || c === '\t' || c === '\r';

/**
 * Split shell text into its top-level simple commands. Returns null when the
 * text cannot be read (an unterminated quote or substitution).
 */
export function shellCommands(text: string): ShellCommand[] | null {
  const commands: ShellCommand[] = [];
  let current: ShellCommand | null = null;
  let before = '';
  const n = text.length;
  let i = 0;

  const ensure = (at: number): ShellCommand => {
    current ??= { words: [], before, after: '', complex: false, redirect: false, start: at, end: at };
    return current;
  };
  const finish = (op: string): void => {
    if (current) {
      current.after = op;
      commands.push(current);
      current = null;
    }
    before = op;
  };
  /** index just past the `)` closing a `(` at `from - 1`, quote-aware; -1 when unterminated */
  const skipParens = (from: number): number => {
    let depth = 1;
    let k = from;
    while (k < n) {
      const c = text[k];
      if (c === '\\') k += 2;
      else if (c === "'") {
        const close = text.indexOf("'", k + 1);
        if (close < 0) return -1;
        k = close + 1;
      } else if (c === '"') {
        const end = skipDouble(k + 1);
        if (end < 0) return -1;
        k = end;
      } else if (c === '(') {
        depth++;
        k++;
      } else if (c === ')') {
        depth--;
        k++;
        if (depth === 0) return k;
      } else k++;
    }
    return -1;
  };
  /** index just past the `"` closing a double-quoted string starting at `from`; -1 when unterminated */
  const skipDouble = (from: number): number => {
    let k = from;
    while (k < n) {
      const c = text[k];
      if (c === '\\') k += 2;
      else if (c === '"') return k + 1;
      else if (c === '$' && text[k + 1] === '(') {
        const end = skipParens(k + 2);
        if (end < 0) return -1;
        k = end;
      } else if (c === '`') {
        const close = skipBacktick(k + 1);
        if (close < 0) return -1;
        k = close;
      } else k++;
    }
    return -1;
  };
  const skipBacktick = (from: number): number => {
    let k = from;
    while (k < n) {
      if (text[k] === '\\') k += 2;
      else if (text[k] === '`') return k + 1;
      else k++;
    }
    return -1;
  };

  /** read one word from `i`; returns null on an unterminated construct */
  const readWord = (): ShellWord | null => {
    const start = i;
    let value = '';
    let dynamic = false;
    let glob = false;
    while (i < n) {
      const c = text[i];
      if (isBlank(c) || OPERATOR_CHARS.has(c)) break;
      if (c === '\\') {
        if (i + 1 < n && text[i + 1] !== '\n') value += text[i + 1];
        i += 2;
        continue;
      }
      if (c === "'") {
        const close = text.indexOf("'", i + 1);
        if (close < 0) return null;
        value += text.slice(i + 1, close);
        i = close + 1;
        continue;
      }
      if (c === '"') {
        const end = skipDouble(i + 1);
        if (end < 0) return null;
        const inner = text.slice(i + 1, end - 1);
        if (/[$`]/.test(inner)) dynamic = true;
        value += inner.replace(/\\([$`"\\\n])/g, '$1');
        i = end;
        continue;
      }
      if (c === '$') {
        dynamic = true;
        if (text[i + 1] === '(') {
          const end = skipParens(i + 2);
          if (end < 0) return null;
          i = end;
          continue;
        }
        if (text[i + 1] === '{') {
          const close = text.indexOf('}', i + 2);
          if (close < 0) return null;
          i = close + 1;
          continue;
        }
        i++;
        continue;
      }
      if (c === '`') {
        dynamic = true;
        const end = skipBacktick(i + 1);
        if (end < 0) return null;
        i = end;
        continue;
      }
      if (c === '*' || c === '?' || c === '[') glob = true;
      value += c;
      i++;
    }
    return { raw: text.slice(start, i), value: dynamic ? null : value, glob, start, end: i };
  };

  while (i < n) {
    const c = text[i];
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === '\n') {
      if (current) finish('\n');
      i++;
      continue;
    }
    if (c === '#' && (i === 0 || isBlank(text[i - 1]) || text[i - 1] === '\n' || text[i - 1] === ';')) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '&&' || two === '||' || two === ';;') {
      finish(two);
      i += 2;
      continue;
    }
    if (c === ';' || c === '|' || c === '&') {
      finish(c);
      i++;
      continue;
    }
    if (c === '(') {
      const cmd = ensure(i);
      cmd.complex = true;
      const end = skipParens(i + 1);
      if (end < 0) return null;
      i = end;
      cmd.end = i;
      continue;
    }
    if (c === ')') {
      ensure(i).complex = true;
      i++;
      continue;
    }
    if (c === '<' || c === '>') {
      const cmd = ensure(i);
      cmd.redirect = true;
      // an fd number written just before the operator belongs to it (`2>&1`)
      const last = cmd.words[cmd.words.length - 1];
      if (last && last.end === i && /^\d+$/.test(last.raw)) cmd.words.pop();
      let op = '';
      while (i < n && (text[i] === '<' || text[i] === '>' || text[i] === '&' || text[i] === '|') && op.length < 3) op += text[i++];
      if (op.startsWith('<<')) cmd.complex = true; // heredoc or here-string
      while (i < n && isBlank(text[i])) i++;
      const target = readWord();
      if (!target) return null;
      cmd.end = i;
      continue;
    }
    const cmd = ensure(i);
    const w = readWord();
    if (!w) return null;
    if (cmd.words.length === 0 && (w.raw === '{' || w.raw === '}' || w.raw === '!')) cmd.complex = true;
    cmd.words.push(w);
    cmd.end = i;
  }
  finish('');
  return commands;
}

/** The command's words after leading `VAR=value` assignments. */
export function commandWords(cmd: ShellCommand): ShellWord[] {
  let k = 0;
  while (k < cmd.words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(cmd.words[k].raw)) k++;
  return cmd.words.slice(k);
}

/** Literal values of the words, or null when one is not literal. */
export function literalValues(words: ShellWord[]): string[] | null {
  const out: string[] = [];
  for (const w of words) {
    if (w.value === null || w.glob) return null;
    out.push(w.value);
  }
  return out;
}

/** The shell commands of a shell-form RUN (null for exec form, heredocs, or unreadable text). */
export function runCommands(inst: Instruction): ShellCommand[] | null {
  if (inst.keyword !== 'RUN' || inst.json || inst.jsonLike || inst.heredocs.length > 0) return null;
  return shellCommands(inst.args);
}

/** Does any top-level command of a shell-form RUN start with one of these programs? */
export function runsProgram(inst: Instruction, programs: ReadonlySet<string>): boolean {
  const cmds = runCommands(inst);
  if (!cmds) return false;
  return cmds.some((c) => {
    const w = commandWords(c)[0];
    return !!w && w.value !== null && programs.has(w.value);
  });
}

/**
 * File offsets of a word of `inst.args` when it lies on one physical line
 * (a word split by a line continuation cannot be replaced cleanly).
 */
export function wordRange(inst: Instruction, w: { start: number; end: number }): { start: number; end: number } | null {
  const map = inst.logical.map;
  const a = inst.argsIndex + w.start;
  const b = inst.argsIndex + w.end;
  const start = map[a];
  const last = map[b - 1];
  if (last - start !== b - 1 - a) return null;
  return { start, end: last + 1 };
}

// ---------------------------------------------------------------------------
// Stage helpers (shared)
// ---------------------------------------------------------------------------

export interface Stage {
  from: Instruction;
  /** the base as written, with global ARG defaults expanded where they are known */
  base: string;
  /** the lower-cased `AS` name */
  name: string | null;
  /** the stage's instructions after FROM */
  instructions: Instruction[];
  /** index of the local stage this one is built FROM, or null for an image */
  parent: number | null;
}

export function stagesOf(doc: Document): Stage[] {
  const stages: Stage[] = [];
  const globalArgs = new Map<string, string>();
  let cur: Stage | null = null;
  for (const inst of doc.instructions) {
    if (inst.keyword === 'FROM') {
      const parts = fromParts(inst);
      const base = expandArgs(parts.base, globalArgs);
      const parentIdx = stages.findIndex((s) => s.name !== null && (s.name === base || s.name === base.toLowerCase()));
      cur = { from: inst, base, name: parts.name, instructions: [], parent: parentIdx >= 0 ? parentIdx : null };
      stages.push(cur);
    } else if (cur) cur.instructions.push(inst);
    else if (inst.keyword === 'ARG') {
      for (const w of parseWords(inst.args, doc.escape)) {
        const eq = w.value.indexOf('=');
        if (eq < 0) continue;
        const v = unquoteWord(w.value.slice(eq + 1), doc.escape);
        if (v !== null && !/(^|[^\\])\$/.test(v)) globalArgs.set(w.value.slice(0, eq), v.replace(/\\(.)/g, '$1'));
      }
    }
  }
  return stages;
}

/** `$X`, `${X}`, `${X:-d}`, `${X-d}` from known ARG defaults; anything else stays as written. */
function expandArgs(text: string, args: Map<string, string>): string {
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (m, a, def, b) => {
    const name = a ?? b;
    const v = args.get(name);
    if (v !== undefined && v !== '') return v;
    if (def !== undefined) return def;
    return m;
  });
}

/** The stage and its local parents, nearest first; stops at a cycle. */
export function stageChain(stages: Stage[], index: number): Stage[] {
  const chain: Stage[] = [];
  const seen = new Set<number>();
  let k: number | null = index;
  while (k !== null && !seen.has(k)) {
    seen.add(k);
    chain.push(stages[k]);
    k = stages[k].parent;
  }
  return chain;
}

/** The image a stage finally builds on (following local stages). */
export function rootImage(stages: Stage[], index: number): string {
  const chain = stageChain(stages, index);
  return chain[chain.length - 1].base;
}

/** Keyword casing that matches the file: lower-case when most instructions are written so. */
export function keywordStyle(doc: Document): (keyword: string) => string {
  let lower = 0;
  let upper = 0;
  for (const i of doc.instructions) {
    if (!i.known) continue;
    if (i.rawKeyword === i.rawKeyword.toLowerCase()) lower++;
    else upper++;
  }
  return lower > upper ? (k) => k.toLowerCase() : (k) => k.toUpperCase();
}

/** A line continuation that runs into the end of the file: anything appended would join the instruction. */
export function continuesToEof(inst: Instruction): boolean {
  const code = inst.lines.filter((l) => l.kind === 'code');
  return inst.heredocs.length === 0 && code.length > 0 && code[code.length - 1].escapeAt >= 0;
}

/** The line terminator at a line, else the file's. */
export function eolAt(doc: Document, line: number): string {
  return doc.lines[line]?.eol || doc.eol;
}

/** Is this a Windows file (backtick escape, or a cmd/PowerShell SHELL in the stage chain)? */
export function windowsStage(doc: Document, chain: Stage[]): boolean {
  if (doc.escape === '`') return true;
  for (const s of chain) {
    if (/(^|[/\\])(windows|nanoserver|servercore)|mcr\.microsoft\.com\/windows/i.test(s.base)) return true;
    for (const i of s.instructions) {
      if (i.keyword === 'SHELL' && i.json && /(cmd|powershell|pwsh)(\.exe)?$/i.test(i.json[0] ?? '')) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------
// The rule
// ---------------------------------------------------------------------------

const ID = 'node-process';

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

function checkStartCommand(doc: Document, stages: Stage[], si: number, inst: Instruction, ctx: RuleContext): Finding | null {
  const words = commandLine(inst);
  const call = words ? scriptCall(words) : callInShell(inst);
  if (!call) return null;
  const base: Omit<Finding, 'message' | 'safety' | 'reason'> = { ruleId: ID, start: inst.start, end: inst.end };
  const say = (node: string): string => `${call.tool} does not forward SIGTERM to the app \`${call.shown}\` starts; ${node}`;
  const suggest = (why: string): Finding => ({ ...base, message: say('run `node <file>` directly'), safety: 'suggestion', reason: why });
  if (!words) return suggest('the command line has more shell than one simple command: rewrite it by hand (e.g. `exec node …` last)');

  if (call.ambiguous) return suggest(`${call.tool} may read the words after the script name as its own options`);
  const chain = stageChain(stages, si);
  if (windowsStage(doc, chain)) return suggest('Windows images run CMD through cmd or PowerShell: not rewritten');
  if (inst.lines.some((l) => l.kind === 'comment')) return suggest('comment lines inside the instruction would be lost');
  if (inst.keyword === 'ENTRYPOINT' && stages[si].instructions.some((i) => i.keyword === 'CMD')) {
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
  return { ...base, message: say(`run \`${full.join(' ')}\` directly`), safety: 'unsafe', reason: UNSAFE_CMD_REASON, edits };
}

const NPM_INSTALL = new Set(['ci', 'install', 'i']);
const OLD_FLAGS = new Set(['--production', '--only=production', '--only=prod']);

/** npm's major version in a stage is known to be >= 7, with the reason; else why not. */
function npmAtLeast7(stages: Stage[], si: number, upTo: Instruction): { ok: boolean; why: string } {
  const chain = stageChain(stages, si);
  // A global npm install in the stage chain before this RUN replaces the bundled npm.
  for (const s of chain) {
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
  const image = rootImage(stages, si);
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

function checkInstallFlags(doc: Document, stages: Stage[], si: number, inst: Instruction): Finding | null {
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
      const r = wordRange(inst, w);
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
  const npm = npmAtLeast7(stages, si, inst);
  return {
    ruleId: ID, start: inst.start, end: inst.end,
    message: `\`${seen[0]}\` is deprecated in npm 7+; use \`--omit=dev\``,
    safety: npm.ok ? 'safe' : 'unsafe',
    reason: npm.why,
    edits,
  };
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
    const stages = stagesOf(doc);
    stages.forEach((stage, si) => {
      for (const inst of stage.instructions) {
        if (inst.keyword === 'CMD' || inst.keyword === 'ENTRYPOINT') {
          const f = checkStartCommand(doc, stages, si, inst, ctx);
          if (f) findings.push(f);
        } else if (inst.keyword === 'RUN') {
          const f = checkInstallFlags(doc, stages, si, inst);
          if (f) findings.push(f);
        }
      }
    });
    return findings;
  },
};

export default nodeProcess;
