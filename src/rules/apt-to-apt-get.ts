/**
 * apt-to-apt-get: `apt <command>` in RUN → `apt-get <command>`.
 *
 * `apt` is the interactive front end: its CLI is not stable for scripts (it
 * warns so on stderr). Only `apt` as the command word of a simple command at
 * the top level of RUN's shell text is rewritten (at the start, or after `&&`,
 * `||`, `;`, `|`, `&`, with `VAR=value` prefixes allowed), plus exec form whose
 * first element is exactly "apt". A small tokenizer recognises quotes, escapes,
 * `$(…)`, `${…}`, backticks, subshells and comments; text it cannot prove it
 * understands (heredocs, `case`, unbalanced quotes) is not rewritten.
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
import { fromParts } from '../syntax/meaning.js';
import type { Edit, Finding, Rule } from './types.js';

const ID = 'apt-to-apt-get';

const SAFE = new Set(['update', 'remove', 'purge', 'autoremove', 'clean', 'autoclean']);
/** apt options that take the next word as their value. */
const OPTION_WITH_VALUE = new Set(['-o', '-c', '-t', '-a', '--option', '--config-file', '--target-release', '--host-architecture']);
const POSIX_SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox']);
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
    const chain = new StageChain();
    for (const inst of doc.instructions) {
      chain.visit(inst);
      // ONBUILD triggers run in a child build with a base and SHELL this file does not show: left alone.
      if (inst.keyword !== 'RUN' || inst.error) continue;
      if (inst.json) {
        const f = execForm(inst, chain);
        if (f) findings.push(f);
        continue;
      }
      if (inst.jsonLike) continue;
      if (!chain.posixShell()) {
        if (APT_WORD.test(inst.logical.text.slice(inst.argsIndex))) {
          findings.push({
            ruleId: ID, start: inst.start, end: inst.end, safety: 'suggestion',
            message: 'use apt-get instead of apt in a Dockerfile',
            reason: 'the stage\'s SHELL is not a POSIX shell, so the command text is not analysed or rewritten',
          });
        }
        continue;
      }
      findings.push(...shellForm(inst, chain));
    }
    return findings;
  },
};

export default aptToAptGet;

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

function finding(start: number, end: number, c: Classified, edits: Edit[] | null): Finding {
  return {
    ruleId: ID, start, end, safety: c.safety, reason: c.reason, message: c.message,
    ...(edits && c.safety !== 'suggestion' ? { edits } : {}),
  };
}

/** `RUN ["apt", …]`: rewrite the first element when it is written plainly as "apt". */
function execForm(inst: Instruction, chain: StageChain): Finding | null {
  const json = inst.json as string[];
  if (json[0] !== 'apt') return null;
  const t = inst.logical.text;
  const m = /^\[\s*"apt"/.exec(t.slice(inst.argsIndex));
  const sub = subcommand(json.slice(1));
  const c = classify(sub, sub === 'install' ? chain.installCleaned(inst, null) : null);
  const at = m ? inst.argsIndex + m[0].length - 4 : -1; // index of `apt` inside the quotes
  const edits = at >= 0 ? wordEdit(inst, at, at + 3) : null;
  const start = at >= 0 ? inst.logical.map[at] : inst.start;
  return finding(start, at >= 0 ? start + 3 : inst.end, edits ? c : { ...c, safety: 'suggestion', reason: 'the "apt" element is not written plainly, so it is not rewritten' }, edits);
}

function shellForm(inst: Instruction, chain: StageChain): Finding[] {
  const text = inst.logical.text.slice(inst.argsIndex);
  const commands = inst.heredocs.length > 0 ? null : simpleCommands(text);
  if (!commands) {
    // Not analysed: report a likely `apt` use without touching it.
    const bodies = inst.heredocs.map((h) => h.body).join('\n');
    if (!APT_WORD.test(text + '\n' + bodies)) return [];
    return [{
      ruleId: ID, start: inst.start, end: inst.end, safety: 'suggestion',
      message: 'use apt-get instead of apt in a Dockerfile',
      reason: inst.heredocs.length > 0 ? 'heredoc scripts are not analysed, so apt is not rewritten automatically' : 'the shell text uses syntax the rule does not analyse, so apt is not rewritten automatically',
    }];
  }
  const out: Finding[] = [];
  const handled = new Set(commands.map((c) => c.words[0].start));
  for (const start of nestedAptCommands(text)) {
    if (handled.has(start)) continue;
    const at = inst.logical.map[inst.argsIndex + start];
    out.push({
      ruleId: ID, start: at, end: at + 3, safety: 'suggestion',
      message: 'use apt-get instead of apt in a Dockerfile',
      reason: 'this apt runs inside a subshell or compound command, which the rule does not rewrite automatically',
    });
  }
  commands.forEach((cmd, idx) => {
    if (cmd.words[0].value !== 'apt') return;
    const args = cmd.words.slice(1).map((w) => (isPlain(w.value) ? w.value : '\u0000'));
    const sub = subcommand(args);
    const c = classify(sub, sub === 'install' ? chain.installCleaned(inst, commands.slice(idx + 1)) : null);
    const from = inst.argsIndex + cmd.words[0].start;
    const edits = wordEdit(inst, from, from + 3);
    const start = inst.logical.map[from];
    out.push(finding(start, start + 3, edits ? c : { ...c, safety: 'suggestion', reason: 'the word apt is split across lines, so it is not rewritten' }, edits));
  });
  return out;
}

/** A word with no quoting, escapes or expansions: its text is its value. */
const isPlain = (w: string): boolean => /^[A-Za-z0-9_@%+=:,./-]+$/.test(w);

/** Replace `apt` (logical [from, to)) with `apt-get`, when the three characters are contiguous in the file. */
function wordEdit(inst: Instruction, from: number, to: number): Edit[] | null {
  const map = inst.logical.map;
  if (map[to - 1] - map[from] !== to - 1 - from) return null;
  return [{ start: map[from], end: map[to - 1] + 1, text: 'apt-get' }];
}

// ---------------------------------------------------------------------------
// Stage context: SHELL, base image, apt configuration changes.

interface StageInfo {
  name: string | null;
  /** the image at the root of the local stage chain; null when it is a variable */
  root: string | null;
  /** the SHELL in effect (JSON array), null = the default /bin/sh -c */
  shell: string[] | null;
  /** an instruction so far touched apt's configuration (docker-clean may be gone) */
  aptConfigTouched: boolean;
}

class StageChain {
  private stages: StageInfo[] = [];
  private current: StageInfo | null = null;
  visit(inst: Instruction): void {
    if (inst.keyword === 'FROM') {
      const from = fromParts(inst);
      // BuildKit's addState: the latest earlier stage whose lowercased name equals the base as written.
      let parent: StageInfo | null = null;
      for (let k = this.stages.length - 1; k >= 0 && !parent; k--) if (this.stages[k].name === from.base) parent = this.stages[k];
      this.current = parent
        ? { name: from.name, root: parent.root, shell: parent.shell, aptConfigTouched: parent.aptConfigTouched }
        : { name: from.name, root: from.base.includes('$') ? null : from.base, shell: null, aptConfigTouched: false };
      this.stages.push(this.current);
      return;
    }
    if (!this.current) return;
    if (inst.keyword === 'SHELL') this.current.shell = inst.json ?? ['?'];
    const text = inst.logical.text + inst.heredocs.map((h) => h.body).join('\n');
    if ((inst.keyword === 'RUN' || inst.keyword === 'COPY' || inst.keyword === 'ADD' || inst.keyword === 'ONBUILD') &&
      /apt\.conf|docker-clean|Keep-Downloaded/i.test(text)) {
      this.current.aptConfigTouched = true;
    }
  }

  posixShell(): boolean {
    const sh = this.current?.shell;
    if (!sh) return true; // the default /bin/sh -c (a base image's SHELL is not known here)
    const exe = (sh[0] ?? '').split('/').pop() ?? '';
    return POSIX_SHELLS.has(exe);
  }

  /**
   * Why the .deb files apt-get keeps would be gone anyway, or null. `later`
   * are the simple commands after the install in the same RUN (null for exec form).
   */
  installCleaned(inst: Instruction, later: SimpleCommand[] | null): string | null {
    for (const c of later ?? []) {
      const w = c.words.map((x) => x.value);
      if ((w[0] === 'apt-get' || w[0] === 'apt') && subcommand(w.slice(1)) === 'clean') return `a later ${w[0]} clean in this RUN empties the package cache`;
      if (w[0] === 'rm' && w.slice(1).some((a) => /^\/var\/cache\/apt(\/(archives\/?)?(\*(\.deb)?)?)?\/?$/.test(a))) return 'a later rm in this RUN removes /var/cache/apt';
    }
    for (const f of inst.flags) {
      if (f.name !== 'mount' || f.value === null) continue;
      const fields = new Map(f.value.split(',').map((p) => { const eq = p.indexOf('='); return [p.slice(0, eq < 0 ? p.length : eq).toLowerCase(), eq < 0 ? '' : p.slice(eq + 1)]; }));
      const target = fields.get('target') ?? fields.get('dst') ?? fields.get('destination') ?? '';
      if (fields.get('type') === 'cache' && /^\/var\/cache\/apt(\/archives)?\/?$/.test(target)) return `${target} is a cache mount outside the image`;
    }
    const s = this.current;
    if (s && s.root && DEBIAN_BASE.test(s.root) && !s.aptConfigTouched) return `the official ${s.root.replace(/[:@].*$/, '').replace(/^.*\//, '')} base deletes them after each install (docker-clean)`;
    return null;
  }
}

// ---------------------------------------------------------------------------
// A small POSIX shell tokenizer: enough to find command words at the top level.

interface Token {
  kind: 'word' | 'op';
  value: string;
  start: number;
  end: number;
}

export interface SimpleCommand {
  /** the command word and its arguments (assignments and redirections left out) */
  words: Token[];
}

const META = new Set([';', '&', '|', '(', ')', '<', '>']);
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'for', 'case', 'esac', 'in', '{', '}', '!', 'function', 'select', 'time', '[[', ']]', 'coproc']);
const isBlank = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';

/** Index just past the construct opening at `i`, or -1 when it does not close. */
function skipQuoted(s: string, i: number): number {
  const c = s[i];
  if (c === "'") {
    const close = s.indexOf("'", i + 1);
    return close < 0 ? -1 : close + 1;
  }
  if (c === '`') {
    for (let k = i + 1; k < s.length; k++) {
      if (s[k] === '\\') k++;
      else if (s[k] === '`') return k + 1;
    }
    return -1;
  }
  if (c === '"') {
    for (let k = i + 1; k < s.length;) {
      const d = s[k];
      if (d === '\\') k += 2;
      else if (d === '"') return k + 1;
      else if (d === '`' || (d === '$' && (s[k + 1] === '(' || s[k + 1] === '{'))) {
        k = d === '`' ? skipQuoted(s, k) : skipDollar(s, k);
        if (k < 0) return -1;
      } else k++;
    }
    return -1;
  }
  return -1;
}

/** `$(…)`, `$((…))`, `${…}`, `$'…'` starting at `i` (s[i] === '$'). */
function skipDollar(s: string, i: number): number {
  const open = s[i + 1];
  if (open === "'") {
    for (let k = i + 2; k < s.length; k++) {
      if (s[k] === '\\') k++;
      else if (s[k] === "'") return k + 1;
    }
    return -1;
  }
  const close = open === '(' ? ')' : '}';
  let depth = 0;
  for (let k = i + 1; k < s.length;) {
    const d = s[k];
    if (d === '\\') {
      k += 2;
      continue;
    }
    if (d === "'" && open === '(') {
      k = skipQuoted(s, k);
      if (k < 0) return -1;
      continue;
    }
    if (d === '"' || d === '`') {
      k = skipQuoted(s, k);
      if (k < 0) return -1;
      continue;
    }
    if (d === '$' && (s[k + 1] === '(' || s[k + 1] === '{') && k > i + 1) {
      k = skipDollar(s, k);
      if (k < 0) return -1;
      continue;
    }
    if (d === open) depth++;
    else if (d === close) {
      depth--;
      if (depth === 0) return k + 1;
    }
    k++;
  }
  return -1;
}

/** Tokens of shell text, or null when it has something not handled here. */
export function tokenize(s: string): Token[] | null {
  const out: Token[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s[i];
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === '#') break; // a comment runs to the end of the (joined) text
    if (META.has(c)) {
      const two = s.slice(i, i + 2);
      const three = s.slice(i, i + 3);
      if (two === '<<' && three !== '<<<') return null; // heredoc
      const op = ['&&', '||', ';;', '|&', '>>', '>&', '<&', '>|', '<>', '&>'].includes(two) ? two : c;
      if (op === ';;') return null; // case arms
      if (op === '&>' && s[i + 2] === '>') {
        out.push({ kind: 'op', value: '&>>', start: i, end: i + 3 });
        i += 3;
        continue;
      }
      if (three === '<<<') {
        out.push({ kind: 'op', value: '<<<', start: i, end: i + 3 });
        i += 3;
        continue;
      }
      out.push({ kind: 'op', value: op, start: i, end: i + op.length });
      i += op.length;
      continue;
    }
    const start = i;
    while (i < n && !isBlank(s[i]) && !META.has(s[i])) {
      const d = s[i];
      if (d === '\\') {
        i += 2;
        continue;
      }
      if (d === "'" || d === '"' || d === '`') {
        i = skipQuoted(s, i);
        if (i < 0) return null;
        continue;
      }
      if (d === '$' && (s[i + 1] === '(' || s[i + 1] === '{' || s[i + 1] === "'")) {
        i = skipDollar(s, i);
        if (i < 0) return null;
        continue;
      }
      i++;
    }
    out.push({ kind: 'word', value: s.slice(start, Math.min(i, n)), start, end: Math.min(i, n) });
  }
  return out;
}

const SEPARATORS = new Set(['&&', '||', ';', '|', '&', '|&']);
const REDIRECTS = new Set(['<', '>', '>>', '>&', '<&', '>|', '<>', '&>', '&>>', '<<<']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

/**
 * Offsets of `apt` words in a command position at any depth: first, or right
 * after an operator, `(` or a reserved word. A superset of the top-level
 * command words, used only to report what is not rewritten.
 */
function nestedAptCommands(text: string): number[] {
  const tokens = tokenize(text) ?? [];
  const out: number[] = [];
  tokens.forEach((t, k) => {
    if (t.kind !== 'word' || t.value !== 'apt') return;
    const prev = tokens[k - 1];
    if (!prev || (prev.kind === 'op' && !REDIRECTS.has(prev.value)) || (prev.kind === 'word' && RESERVED.has(prev.value))) out.push(t.start);
  });
  return out;
}

/**
 * The simple commands at the top level (outside subshells), in order. A
 * command whose first word is a reserved word (`if`, `{`, `!`, …) is kept with
 * that word first, so `apt` after it is never taken for a command word.
 */
export function simpleCommands(text: string): SimpleCommand[] | null {
  const tokens = tokenize(text);
  if (!tokens) return null;
  const out: SimpleCommand[] = [];
  let depth = 0;
  let current: SimpleCommand | null = null;
  let expectCommand = true;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === 'op') {
      if (t.value === '(') {
        depth++;
        current = null;
        expectCommand = false;
        continue;
      }
      if (t.value === ')') {
        depth--;
        if (depth < 0) return null;
        current = null;
        continue;
      }
      if (REDIRECTS.has(t.value)) {
        k++; // the redirection target
        continue;
      }
      if (SEPARATORS.has(t.value)) {
        current = null;
        expectCommand = depth === 0;
        continue;
      }
      return null;
    }
    if (depth > 0) continue;
    // `2>file`: a number right before a redirection is its file descriptor, not a word.
    const next = tokens[k + 1];
    if (/^\d+$/.test(t.value) && next && next.kind === 'op' && REDIRECTS.has(next.value) && next.start === t.end) continue;
    if (current) {
      current.words.push(t);
      continue;
    }
    if (!expectCommand) continue;
    if (ASSIGNMENT.test(t.value)) continue;
    current = { words: [t] };
    out.push(current);
    if (RESERVED.has(t.value)) {
      // Compound commands are not analysed: nothing up to the next separator is a command word.
      expectCommand = false;
    }
  }
  return depth === 0 ? out : null;
}
