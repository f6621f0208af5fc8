/**
 * apt-to-apt-get: `apt <command>` in RUN → `apt-get <command>`.
 *
 * `apt` is the interactive front end: its CLI is not stable for scripts (it
 * warns so on stderr). Only `apt` as the command word of a simple command at
 * the top level of RUN's shell text is rewritten (at the start, or after `&&`,
 * `||`, `;`, `|`, `&`, with `VAR=value` prefixes allowed), plus exec form whose
 * first element is exactly "apt". The shared shell lexer recognises quotes,
 * escapes, `$(…)`, `${…}`, backticks, subshells and comments; text it cannot
 * prove it understands (heredocs, `case`, unbalanced quotes) is not rewritten.
 *
 * What differs between the two programs (apt's source sets these defaults for
 * the `apt` binary only, under `Binary::apt::`):
 * - `APT::Get::Upgrade-Allow-New`: `apt upgrade` installs new dependencies,
 *   `apt-get upgrade` never does → upgrade is unsafe;
 * - `APT::Keep-Downloaded-Packages "false"`: `apt` deletes the downloaded .deb
 *   files after installing, `apt-get` leaves them in /var/cache/apt/archives →
 *   install differs in the image's files unless they are removed anyway: the
 *   same RUN cleans /var/cache/apt afterwards, /var/cache/apt is a cache mount,
 *   or the base is an official debian/ubuntu image, whose docker-clean apt
 *   config deletes them after every dpkg run (and nothing touched apt's config
 *   since). Otherwise install is unsafe;
 * - `DPkg::Lock::Timeout "-1"`: apt waits for a held dpkg lock, apt-get fails
 *   at once; nothing else holds the lock inside a RUN unless the command
 *   itself starts a background dpkg;
 * - progress bars, colours, "N packages can be upgraded" and the stderr
 *   warning: output only;
 * (all visible in `apt-config dump` run as `apt`: the `Binary::apt::` block.)
 * - `list`, `search`, `show`, `full-upgrade`, `edit-sources`, `satisfy`, … are
 *   apt-only or behave differently → reported, never rewritten.
 * update, remove, purge, autoremove, clean and autoclean download nothing and
 * build the same image: safe.
 */
import type { Document, Instruction } from '../syntax/document.js';
import type { Edit, Finding, Rule } from './types.js';
import { fileRange } from './shared/edits.js';
import { findingsOf } from './shared/findings.js';
import { mountFields } from './shared/instructions.js';
import { isPosixShell } from './shared/platform.js';
import { commandWords, isRedirection, lexShell, RESERVED_WORDS, shellCommands, type ShellWord } from './shared/shell.js';
import { stagesOf, type Stage } from './shared/stages.js';

const ID = 'apt-to-apt-get';
const finding = findingsOf(ID);

const SAFE = new Set(['update', 'remove', 'purge', 'autoremove', 'clean', 'autoclean']);
/** apt options that take the next word as their value. */
const OPTION_WITH_VALUE = new Set(['-o', '-c', '-t', '-a', '--option', '--config-file', '--target-release', '--host-architecture']);
/** A rough "apt <word>" used only to decide whether to report text the rule does not analyse. */
const APT_WORD = /(^|[\s;&|(])apt\s+[a-z-]/m;
const DEBIAN_BASE = /^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/)?(?:library\/)?(?:debian|ubuntu)(?::[^@]*)?(?:@sha256:[0-9a-f]+)?$/;

export const aptToAptGet: Rule = {
  meta: {
    id: ID,
    title: 'Use apt-get instead of apt in RUN',
    safety: 'safe',
    related: ['DL3027'],
    docs: [
      '`apt` is meant for interactive use and warns that its command line is not stable in scripts; Dockerfiles',
      'should use `apt-get` (Dockerfile best practices, apt-get: https://docs.docker.com/build/building/best-practices/#apt-get;',
      'RUN: https://docs.docker.com/reference/dockerfile/#run). Only `apt` as the command word at the top level',
      'of RUN\'s shell text (or the first element of exec form) is rewritten. Safe for update, remove, purge,',
      'autoremove, clean, autoclean. install is safe when the downloaded .deb files would be removed either way',
      '(apt deletes them, apt-get keeps them): a later clean of /var/cache/apt in the same RUN, a cache mount on',
      '/var/cache/apt, or an official debian/ubuntu base (its docker-clean config); otherwise unsafe. upgrade is',
      'unsafe: `apt upgrade` may install new packages, `apt-get upgrade` never does (add --with-new-pkgs to keep',
      'that). list, search, show, full-upgrade, edit-sources and other apt-only commands are only reported.',
    ].join(' '),
  },
  check(doc: Document): Finding[] {
    const findings: Finding[] = [];
    const stages = new Map(stagesOf(doc).map((s) => [s.from, s]));
    const states = new Map<Stage, StageState>();
    let state: StageState | null = null;
    for (const inst of doc.instructions) {
      const stage = stages.get(inst);
      if (stage) state = enterStage(stage, states);
      else if (state) observe(state, inst);
      // ONBUILD triggers run in a child build with a base and SHELL this file does not show: left alone.
      if (inst.keyword !== 'RUN' || inst.error) continue;
      if (inst.json) {
        const f = execForm(inst, state);
        if (f) findings.push(f);
        continue;
      }
      if (inst.jsonLike) continue;
      if (state?.shell && !isPosixShell(state.shell[0] ?? '')) {
        if (APT_WORD.test(inst.logical.text.slice(inst.argsIndex))) {
          findings.push(finding(inst, 'suggestion', 'use apt-get instead of apt in a Dockerfile',
            'the stage\'s SHELL is not a POSIX shell, so the command text is not analysed or rewritten'));
        }
        continue;
      }
      findings.push(...shellForm(inst, state));
    }
    return findings;
  },
};

type Classified = { safety: Finding['safety']; reason: string; message: string };

/** The sub-command after `apt`'s options, or null when it is not a plain literal word. */
function subcommand(args: string[]): string | null {
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === '--') return args[k + 1] ?? null;
    if (a.startsWith('-')) {
      if (OPTION_WITH_VALUE.has(a)) k++;
      continue;
    }
    return /^[a-z][a-z-]*$/.test(a) ? a : null;
  }
  return null;
}

function classify(sub: string | null, installCleaned: string | null): Classified {
  const message = `use apt-get instead of apt in a Dockerfile${sub ? ` (apt ${sub})` : ''}`;
  if (sub === null) return { message, safety: 'suggestion', reason: 'the apt sub-command is not a plain word, so the rewrite cannot be checked' };
  if (SAFE.has(sub)) return { message, safety: 'safe', reason: `apt ${sub} and apt-get ${sub} do the same work; only their terminal output differs` };
  if (sub === 'install') {
    if (installCleaned) return { message, safety: 'safe', reason: `apt deletes downloaded .deb files and apt-get keeps them, but ${installCleaned}, so the image is the same` };
    return { message, safety: 'unsafe', reason: 'apt deletes the downloaded .deb files after installing but apt-get leaves them in /var/cache/apt/archives, and nothing here is known to remove them' };
  }
  if (sub === 'upgrade') {
    return { message, safety: 'unsafe', reason: 'apt upgrade may install new packages (Upgrade-Allow-New) but apt-get upgrade never does; apt-get upgrade --with-new-pkgs keeps that behaviour' };
  }
  return {
    message: `apt ${sub} is an interactive apt command: use an apt-get or apt-cache equivalent in a Dockerfile`,
    safety: 'suggestion',
    reason: `apt-get has no ${sub} that behaves the same, so it is not rewritten`,
  };
}

function classified(start: number, end: number, c: Classified, edits: Edit[] | null): Finding {
  return finding({ start, end }, c.safety, c.message, c.reason, edits && c.safety !== 'suggestion' ? { edits } : {});
}

/** `RUN ["apt", …]`: rewrite the first element when it is written plainly as "apt". */
function execForm(inst: Instruction, state: StageState | null): Finding | null {
  const json = inst.json as string[];
  if (json[0] !== 'apt') return null;
  const t = inst.logical.text;
  const m = /^\[\s*"apt"/.exec(t.slice(inst.argsIndex));
  const sub = subcommand(json.slice(1));
  const c = classify(sub, sub === 'install' ? installCleaned(inst, null, state) : null);
  const at = m ? inst.argsIndex + m[0].length - 4 : -1; // index of `apt` inside the quotes
  const edits = at >= 0 ? aptGetEdit(inst, at) : null;
  const start = at >= 0 ? inst.logical.map[at] : inst.start;
  return classified(start, at >= 0 ? start + 3 : inst.end, edits ? c : { ...c, safety: 'suggestion', reason: 'the "apt" element is not written plainly, so it is not rewritten' }, edits);
}

function shellForm(inst: Instruction, state: StageState | null): Finding[] {
  const text = inst.logical.text.slice(inst.argsIndex);
  const commands = inst.heredocs.length > 0 ? null : aptCommands(text);
  if (!commands) {
    // Not analysed: report a likely `apt` use without touching it.
    const bodies = inst.heredocs.map((h) => h.body).join('\n');
    if (!APT_WORD.test(text + '\n' + bodies)) return [];
    return [finding(inst, 'suggestion', 'use apt-get instead of apt in a Dockerfile',
      inst.heredocs.length > 0 ? 'heredoc scripts are not analysed, so apt is not rewritten automatically' : 'the shell text uses syntax the rule does not analyse, so apt is not rewritten automatically')];
  }
  const out: Finding[] = [];
  const handled = new Set(commands.map((words) => words[0].start));
  for (const start of nestedAptCommands(text)) {
    if (handled.has(start)) continue;
    const at = inst.logical.map[inst.argsIndex + start];
    out.push(finding({ start: at, end: at + 3 }, 'suggestion', 'use apt-get instead of apt in a Dockerfile',
      'this apt runs inside a subshell or compound command, which the rule does not rewrite automatically'));
  }
  commands.forEach((words, idx) => {
    if (words[0].raw !== 'apt') return;
    const args = words.slice(1).map((w) => (isPlain(w.raw) ? w.raw : '\u0000'));
    const sub = subcommand(args);
    const c = classify(sub, sub === 'install' ? installCleaned(inst, commands.slice(idx + 1), state) : null);
    const from = inst.argsIndex + words[0].start;
    const edits = aptGetEdit(inst, from);
    const start = inst.logical.map[from];
    out.push(classified(start, start + 3, edits ? c : { ...c, safety: 'suggestion', reason: 'the word apt is split across lines, so it is not rewritten' }, edits));
  });
  return out;
}

/** A word with no quoting, escapes or expansions: its text is its value. */
const isPlain = (w: string): boolean => /^[A-Za-z0-9_@%+=:,./-]+$/.test(w);

/** Replace `apt` (logical index `from`) with `apt-get`, when the three characters are contiguous in the file. */
function aptGetEdit(inst: Instruction, from: number): Edit[] | null {
  const r = fileRange(inst, from, from + 3);
  return r && [{ ...r, text: 'apt-get' }];
}

// ---------------------------------------------------------------------------
// Stage context: SHELL, base image, apt configuration changes.

interface StageState {
  /** the image at the root of the local stage chain; null when it comes from an ARG */
  root: string | null;
  /** the SHELL in effect (JSON array), null = the default /bin/sh -c (a base image's SHELL is not known here) */
  shell: string[] | null;
  /** an instruction so far touched apt's configuration (docker-clean may be gone) */
  aptConfigTouched: boolean;
}

/**
 * A stage starts with the state its local parent ended with. Only the base as
 * written counts: `--build-arg` may replace an ARG default.
 */
function enterStage(stage: Stage, states: Map<Stage, StageState>): StageState {
  const fromArg = stage.written.includes('$');
  const parent = !fromArg && stage.parent ? states.get(stage.parent)! : null;
  const state = parent ? { ...parent } : { root: fromArg ? null : stage.written, shell: null, aptConfigTouched: false };
  states.set(stage, state);
  return state;
}

function observe(state: StageState, inst: Instruction): void {
  if (inst.keyword === 'SHELL') state.shell = inst.json ?? ['?'];
  const text = inst.logical.text + inst.heredocs.map((h) => h.body).join('\n');
  if ((inst.keyword === 'RUN' || inst.keyword === 'COPY' || inst.keyword === 'ADD' || inst.keyword === 'ONBUILD') &&
    /apt\.conf|docker-clean|Keep-Downloaded/i.test(text)) {
    state.aptConfigTouched = true;
  }
}

/**
 * Why the .deb files apt-get keeps would be gone anyway, or null. `later`
 * are the simple commands after the install in the same RUN (null for exec form).
 */
function installCleaned(inst: Instruction, later: ShellWord[][] | null, state: StageState | null): string | null {
  for (const words of later ?? []) {
    const w = words.map((x) => x.raw);
    if ((w[0] === 'apt-get' || w[0] === 'apt') && subcommand(w.slice(1)) === 'clean') return `a later ${w[0]} clean in this RUN empties the package cache`;
    if (w[0] === 'rm' && w.slice(1).some((a) => /^\/var\/cache\/apt(\/(archives\/?)?(\*(\.deb)?)?)?\/?$/.test(a))) return 'a later rm in this RUN removes /var/cache/apt';
  }
  for (const f of inst.flags) {
    if (f.name !== 'mount' || f.value === null) continue;
    const fields = new Map(mountFields(f.value).map((x) => [x.key, x.value ?? '']));
    const target = fields.get('target') ?? fields.get('dst') ?? fields.get('destination') ?? '';
    if (fields.get('type') === 'cache' && /^\/var\/cache\/apt(\/archives)?\/?$/.test(target)) return `${target} is a cache mount outside the image`;
  }
  if (state && state.root && DEBIAN_BASE.test(state.root) && !state.aptConfigTouched) return `the official ${state.root.replace(/[:@].*$/, '').replace(/^.*\//, '')} base deletes them after each install (docker-clean)`;
  return null;
}

// ---------------------------------------------------------------------------
// Which commands are apt's to rewrite.

/**
 * The simple commands at the top level, in order, each from its command word
 * on (assignments and redirections left out). What follows a subshell up to
 * the next operator is no command word; a command whose first word is a
 * reserved word (`if`, `{`, `!`, …) is kept with that word first, so `apt`
 * after it is never taken for a command word. Null when the text has a
 * heredoc, `case` arms (`;;`), unbalanced parentheses or does not lex.
 */
export function aptCommands(text: string): ShellWord[][] | null {
  const lexed = lexShell(text);
  let depth = 0;
  for (const t of lexed.tokens) {
    if (t.kind !== 'op') continue;
    if (t.op === '<<' || t.op === '<<-' || t.op === ';;') return null;
    if (t.op === '(') depth++;
    else if (t.op === ')' && --depth < 0) return null;
  }
  const commands = shellCommands(lexed);
  if (!commands) return null;
  return commands
    .map((c) => commandWords(c).filter((w) => c.subshellAt < 0 || w.start < c.subshellAt))
    .filter((words) => words.length > 0);
}

/**
 * Offsets of `apt` words in a command position at any depth: first, or right
 * after an operator, `(` or a reserved word. A superset of the top-level
 * command words, used only to report what is not rewritten.
 */
function nestedAptCommands(text: string): number[] {
  const tokens = lexShell(text).tokens.filter((t) => t.kind !== 'comment');
  const out: number[] = [];
  tokens.forEach((t, k) => {
    if (t.kind !== 'word' || t.raw !== 'apt') return;
    const prev = tokens[k - 1];
    if (!prev || (prev.kind === 'op' && !isRedirection(prev.op)) || (prev.kind === 'word' && RESERVED_WORDS.has(prev.raw))) out.push(t.start);
  });
  return out;
}
