/**
 * exec-form: shell-form CMD/ENTRYPOINT → exec form (a JSON array).
 *
 * Shell form runs `[SHELL…, text]` (`/bin/sh -c text` by default). The exec
 * form is the same program only when the shell would have run exactly one
 * simple command of literal words and nothing around the instruction depends
 * on the shell wrapper (safety.md, "Shell form → exec form"):
 * - no SHELL in the stage or its local parents, not a Windows build;
 * - ENTRYPOINT: no CMD in the stage (exec form would append it as arguments);
 * - CMD: no ENTRYPOINT in the stage chain, and a base known to have none.
 * Otherwise the rule offers `exec ` before the last command of a `&&` chain
 * (unsafe: shell semantics kept, program becomes PID 1) or only reports. It
 * never wraps the text in `["/bin/sh","-c",…]`: that only hides the warning.
 */
import type { Document, Instruction } from '../syntax/document.js';
import type { Edit, Finding, Rule, RuleContext } from './types.js';
import { findingsOf } from './shared/findings.js';
import { isPosixShell, windowsReason } from './shared/platform.js';
import { isRedirection, lexShell, RESERVED_WORDS, type LexError, type ShellWord, type WordFeature } from './shared/shell.js';
import { chainOf, descendantsOf, rootOf, stagesOf, type Stage } from './shared/stages.js';
import { indentOf } from './shared/text.js';

const ID = 'exec-form';
const finding = findingsOf(ID);

export const execForm: Rule = {
  meta: {
    id: ID,
    title: 'Use exec form (a JSON array) for CMD and ENTRYPOINT',
    safety: 'safe',
    related: ['DL3025', 'JSONArgsRecommended'],
    docs: [
      'Shell-form CMD and ENTRYPOINT run under `/bin/sh -c`, so the program is not PID 1 and does not receive',
      'signals such as SIGTERM from `docker stop` (Dockerfile reference, "Shell and exec form", "CMD", "ENTRYPOINT":',
      'https://docs.docker.com/reference/dockerfile/#shell-and-exec-form; build check JSONArgsRecommended).',
      'The rewrite to `["program", "arg"]` is safe only when the text is one simple command of literal words',
      '(single quotes, or double quotes without `$`, backquote or backslash), there is no SHELL instruction in the',
      'stage or its local parent stages, the build is not for Windows, an ENTRYPOINT has no CMD in its stage, and a',
      'CMD has no ENTRYPOINT in its stage chain and a base known to have none (`scratch`, a local stage chain that',
      'starts at scratch, or an image listed in the `imagesWithoutEntrypoint` option). With any other base image the',
      'CMD rewrite is unsafe, because an inherited ENTRYPOINT would receive the words instead of `/bin/sh -c "…"`.',
      'An exec-form ENTRYPOINT also receives the arguments of `docker run`, which shell form drops; that is the',
      'documented purpose of ENTRYPOINT and not counted as a change of the image.',
      'A trailing `# comment` (a shell comment in shell form) moves to its own line above the instruction.',
      'A command that is itself `sh -c "…"`, or a Windows program, is only reported.',
      'When the exec form would not be equal, the rule offers `exec ` before the last command of a `&&` chain',
      '(unsafe: the shell is replaced, so nothing runs after it) or only reports.',
    ].join(' '),
    options: {
      imagesWithoutEntrypoint: 'image names (optionally with a tag) known to set no ENTRYPOINT; a CMD on such a base is converted as safe',
    },
  },
  check(doc, ctx) {
    const findings: Finding[] = [];
    const stages = stagesOf(doc);
    for (const stage of stages) {
      let facts: StageFacts | undefined;
      for (const inst of stage.instructions) {
        if (inst.keyword !== 'CMD' && inst.keyword !== 'ENTRYPOINT') continue;
        facts ??= stageFacts(doc, stages, stage);
        const f = analyze(doc, ctx, facts, stage, inst);
        if (f) findings.push(f);
      }
    }
    return findings;
  },
};

/** What analyze() asks about a stage, found once per stage (per CMD, a stage of thousands was quadratic). */
interface StageFacts {
  windows: string | null;
  shells: Instruction[];
  entrypointInChain: boolean;
  cmdInStageOrDescendants: boolean;
}

function stageFacts(doc: Document, all: Stage[], stage: Stage): StageFacts {
  const chain = chainOf(stage);
  return {
    windows: windowsReason(doc, chain),
    shells: chain.flatMap((s) => s.instructions.filter((i) => i.keyword === 'SHELL')),
    entrypointInChain: has(chain, 'ENTRYPOINT'),
    cmdInStageOrDescendants: has([stage, ...descendantsOf(all, stage)], 'CMD'),
  };
}

const keywordOf = (i: Instruction): string => (i.keyword === 'ONBUILD' && i.trigger ? i.trigger.keyword : i.keyword);
const has = (stages: Stage[], keyword: string): boolean => stages.some((s) => s.instructions.some((i) => keywordOf(i) === keyword));

const WINDOWS_PROGRAM = /\.(exe|bat|cmd|ps1|com)$/i;
/** bash builtins (sh's are a subset): only a shell can run them, so none can be argv[0] of exec form. */
const BUILTINS = new Set(
  ('. : [ [[ alias bg bind break builtin caller cd command compgen complete compopt continue declare dirs disown echo enable ' +
    'eval exec exit export false fc fg getopts hash help history jobs kill let local logout mapfile popd printf pushd pwd read ' +
    'readarray readonly return set shift shopt source suspend test times trap true type typeset ulimit umask unalias unset wait').split(' '),
);

// ---------------------------------------------------------------------------
// The command line as exec form needs it: words and `&&`-style operators of
// the shared lexer, and a trailing comment. Whatever exec form cannot say
// (redirections, subshells, substitutions) is an error.

interface CommandLine {
  commands: ShellWord[][];
  ops: string[];
  /** index of a `#` that starts a comment, else -1 */
  commentAt: number;
  /** what made words non-literal, for the message */
  features: Set<string>;
}

/** How a word feature reads in a message; the ones exec form cannot express at all are refused. */
const FEATURE: Record<WordFeature, string> = {
  parameter: 'variables',
  glob: 'glob patterns',
  tilde: 'tilde expansion',
  brace: 'brace expansion',
  special: 'special characters',
  'escaped-special': 'escaped special characters',
  'backslash-in-double-quotes': 'backslashes in double quotes',
  substitution: 'command substitution',
  'nested-parameter': 'a nested parameter expansion',
  'trailing-backslash': 'a trailing backslash',
};
const REFUSED = new Set<WordFeature>(['substitution', 'nested-parameter', 'trailing-backslash']);
const LEX_ERROR: Record<LexError['what'], string> = {
  quote: 'an unterminated quote',
  substitution: 'command substitution',
  parameter: 'a nested parameter expansion',
};

/** The commands of CMD/ENTRYPOINT shell text, or the first thing in it that exec form cannot say. */
export function commandLine(text: string): CommandLine | { error: string } {
  const lexed = lexShell(text);
  const commands: ShellWord[][] = [[]];
  const ops: string[] = [];
  const features = new Set<string>();
  for (const t of lexed.tokens) {
    if (t.kind === 'comment') return { commands, ops, commentAt: t.start, features };
    if (t.kind === 'op') {
      if (isRedirection(t.op)) return { error: 'redirections or heredocs' };
      if (t.op === '(' || t.op === ')') return { error: 'a subshell' };
      ops.push(t.op);
      commands.push([]);
      continue;
    }
    const refused = t.features.find((f) => REFUSED.has(f));
    if (refused) return { error: FEATURE[refused] };
    for (const f of t.features) features.add(FEATURE[f]);
    commands[commands.length - 1].push(t);
  }
  if (lexed.error) return { error: LEX_ERROR[lexed.error.what] };
  return { commands, ops, commentAt: -1, features };
}

/** Why the first word of a command cannot become argv[0] on its own, or null. */
function commandProblem(word: ShellWord): string | null {
  if (!word.literal) return 'its command name is not a literal word';
  if (word.text === '') return 'its command name is empty';
  if (word.text.includes('=')) return 'it sets a variable for the command';
  if (RESERVED_WORDS.has(word.text)) return `\`${word.text}\` is a shell keyword`;
  if (BUILTINS.has(word.text)) return `\`${word.text}\` is a shell builtin`;
  return null;
}

/** argv when the text is one simple command of literal words, else why not. */
function simpleArgv(lexed: CommandLine): { argv: string[] } | { why: string } {
  if (lexed.ops.length > 0) return { why: `it uses ${[...new Set(lexed.ops)].map((o) => `\`${o}\``).join(', ')}` };
  let words = lexed.commands[0];
  if (words.length === 0) return { why: 'it has no command' };
  if (words.some((w) => !w.literal)) return { why: `it uses ${[...lexed.features].join(', ')}` };
  // `exec prog args` under `sh -c` is `prog args`, provided `exec` gets no options of its own.
  if (words[0].text === 'exec' && words.length > 1 && !words[1].text.startsWith('-')) words = words.slice(1);
  const problem = commandProblem(words[0]);
  if (problem) return { why: problem };
  return { argv: words.map((w) => w.text) };
}

/** Where to insert `exec ` (index into the text), 'already' when the last command starts with exec, or why not. */
function execPoint(lexed: CommandLine): number | 'already' | { why: string } {
  const other = [...new Set(lexed.ops.filter((o) => o !== '&&'))];
  if (other.length > 0) return { why: `it uses ${other.map((o) => `\`${o}\``).join(', ')}, so there is no single last command to exec` };
  if (lexed.commands.some((c) => c.length === 0)) return { why: 'it has an empty command' };
  const first = lexed.commands[lexed.commands.length - 1][0];
  if (first.literal && first.text === 'exec') return 'already';
  const problem = commandProblem(first);
  return problem ? { why: `the last command cannot take \`exec\`: ${problem}` } : first.start;
}

// ---------------------------------------------------------------------------

const IGNORE_COMMENT = /^#\s*(dockerfix-ignore|hadolint\b)/i;

const PREFER = 'uses shell form: prefer exec form (a JSON array) so the program runs as PID 1 and receives signals';

function analyze(doc: Document, ctx: RuleContext, facts: StageFacts, stage: Stage, inst: Instruction): Finding | null {
  if (inst.json || inst.error || inst.flags.length > 0 || inst.args === '') return null;
  const kw = inst.keyword;
  const suggestion = (why: string): Finding => finding(inst, 'suggestion', `${kw} ${PREFER}`, `not rewritten: ${why}`);
  if (inst.jsonLike) {
    return finding(inst, 'suggestion', `${kw} starts with \`[\` but is not a JSON array of strings, so BuildKit runs it as shell form`, 'not rewritten: fix the JSON by hand (double quotes, commas)');
  }
  if (facts.windows) return suggestion(`${facts.windows}; convert by hand`);

  const lexed = commandLine(inst.args);
  if ('error' in lexed) return suggestion(`it uses ${lexed.error}`);

  const shells = facts.shells;
  const posixShells = shells.every((i) => i.json !== null && isPosixShell(i.json[0] ?? ''));

  const execFallback = (why: string): Finding | null => {
    const at = execPoint(lexed);
    if (at === 'already') return null; // the program already replaces the shell
    if (typeof at !== 'number') return suggestion(at.why.startsWith('it uses') || at.why.endsWith(why) ? at.why : `${why}; ${at.why}`);
    if (!posixShells) return suggestion(`${why}; the SHELL is not a POSIX shell, so \`exec\` may not exist`);
    const where = inst.logical.map[inst.argsIndex + at];
    return finding(
      inst, 'unsafe', `${kw} uses shell form: prefix the last command with \`exec\` so it runs as PID 1 and receives signals`,
      `exec form would differ (${why}); \`exec\` keeps shell semantics but replaces the shell, so nothing runs after the command`,
      { edits: [{ start: where, end: where, text: 'exec ' }] },
    );
  };

  const simple = simpleArgv(lexed);
  const program = 'argv' in simple ? simple.argv[0] : lexed.commands[lexed.commands.length - 1][0]?.text ?? '';
  if (WINDOWS_PROGRAM.test(program)) return suggestion(`\`${program}\` is a Windows program, whose shell form runs under cmd; convert by hand`);
  if ('why' in simple) return execFallback(simple.why);
  // `sh -c "…"` in exec form is equal, but it is the shell wrapper again: the warning hidden, not fixed.
  if (isPosixShell(simple.argv[0]) && simple.argv.slice(1).some((a) => /^-[A-Za-z]*c[A-Za-z]*$/.test(a))) {
    return suggestion('the command is itself a shell running `-c` text; exec form would still run a shell, so exec the program inside it instead');
  }
  if (shells.length > 0) return execFallback('a SHELL instruction in the stage chain runs shell form, and exec form would bypass it');

  let safety: 'safe' | 'unsafe' = 'safe';
  let reason: string;
  const root = rootOf(stage);
  if (kw === 'ENTRYPOINT') {
    if (facts.cmdInStageOrDescendants) {
      return execFallback('a CMD in this stage or a stage built from it would be appended to an exec-form ENTRYPOINT, which shell form ignores');
    }
    if (root.base.includes('$')) {
      safety = 'unsafe';
      reason = `the base image \`${root.base}\` is not resolved: on a Windows image shell form runs cmd /S /C, which splits words differently`;
    } else {
      reason = 'one simple command of literal words, no SHELL and no CMD in the stage: /bin/sh -c runs exactly these words';
    }
  } else {
    if (facts.entrypointInChain) return execFallback('an ENTRYPOINT in the stage chain would receive the words instead of /bin/sh -c "…"');
    if (root.base === 'scratch') {
      reason = 'one simple command of literal words, no SHELL, and the stage chain starts at scratch, which has no ENTRYPOINT';
    } else if (listedWithoutEntrypoint(root.base, ctx.options.imagesWithoutEntrypoint)) {
      reason = `one simple command of literal words, no SHELL, and \`${root.base}\` is configured as having no ENTRYPOINT`;
    } else {
      safety = 'unsafe';
      reason = `the base image \`${root.base}\` may set an ENTRYPOINT (such as docker-entrypoint.sh), which would receive the words instead of /bin/sh -c "…"`;
    }
  }
  return jsonFix(doc, inst, simple.argv, lexed, safety, reason);
}

function listedWithoutEntrypoint(ref: string, option: unknown): boolean {
  if (!Array.isArray(option) || ref.includes('$')) return false;
  const norm = (r: string): string => r.replace(/^(docker\.io|index\.docker\.io)\//, '').replace(/^library\//, '');
  const full = norm(ref);
  const repo = full.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
  return option.some((o) => typeof o === 'string' && (norm(o) === full || norm(o) === repo));
}

function jsonFix(doc: Document, inst: Instruction, argv: string[], lexed: CommandLine, safety: 'safe' | 'unsafe', reason: string): Finding | null {
  const map = inst.logical.map;
  const argsStart = map[inst.argsIndex];
  const replaceEnd = inst.end;
  // Lines BuildKit drops (comments inside the continuation) and the trailing shell
  // comment must not be lost: they move, in order, to lines of their own above.
  const moved: Array<{ at: number; text: string }> = [];
  for (const l of inst.lines) {
    if (l.kind === 'comment' && l.start >= argsStart && l.start < replaceEnd) {
      moved.push({ at: l.start, text: doc.text.slice(l.start, l.contentEnd).trim() });
    }
  }
  if (lexed.commentAt >= 0) {
    moved.push({ at: map[inst.argsIndex + lexed.commentAt], text: inst.args.slice(lexed.commentAt).trim() });
  }
  moved.sort((a, b) => a.at - b.at);
  // A moved `# hadolint ignore=…` or `# dockerfix-ignore` would start binding to the instruction.
  if (moved.some((m) => IGNORE_COMMENT.test(m.text))) {
    return finding(inst, 'suggestion', `${inst.keyword} ${PREFER}`, 'not rewritten: its comment would become an ignore comment above the instruction');
  }
  const json = `[${argv.map((a) => JSON.stringify(a)).join(', ')}]`;
  const edits: Edit[] = [{ start: argsStart, end: replaceEnd, text: json }];
  if (moved.length > 0) {
    const indent = indentOf(doc, inst);
    const eol = doc.eol;
    const at = insertionPoint(doc, inst);
    edits.push({ start: at, end: at, text: moved.map((m) => `${indent}${m.text}${eol}`).join('') });
  }
  return finding(inst, safety, `use exec form: ${inst.rawKeyword} ${json}${moved.length > 0 ? ' (its comment moves to the line above)' : ''}`, reason, { edits });
}

/**
 * The start of the instruction's line, or, when ignore comments sit directly
 * above it, the start of the first of them: nothing may come between an ignore
 * comment and its instruction.
 */
function insertionPoint(doc: Document, inst: Instruction): number {
  const idx = doc.nodes.indexOf(inst);
  let at = inst.lineStart;
  for (let k = idx - 1; k >= 0; k--) {
    const n = doc.nodes[k];
    if (n.type !== 'comment') break;
    if (IGNORE_COMMENT.test(n.text)) at = n.lineStart;
  }
  return at;
}
