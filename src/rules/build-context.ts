/**
 * build-context: what the builder is sent, and whether the dependency layer
 * survives a source change.
 *
 * (a) No `.dockerignore` in the build context → a suggestion carrying a
 *     proposed file (`proposedFile`); the CLI prints it in --dry-run and writes
 *     it only with --write-dockerignore. Entries come from what the context
 *     shows, and never name something the Dockerfile COPYs explicitly.
 * (b) A whole-context COPY/ADD (`.`, `./`, `*`) before a dependency install in
 *     the same stage re-runs the install on every source change → suggestion.
 *     For npm an unsafe fix copies the manifests in place of the whole-context
 *     COPY and moves that COPY after the install (a preinstall/postinstall
 *     script may need the rest of the sources).
 */
import type { Document, Instruction } from '../syntax/document.js';
import { trimTrailing } from '../syntax/words.js';
import type { BuildContext, Finding, Rule, RuleContext } from './types.js';
import { findingsOf } from './shared/findings.js';
import { compileGlob } from './shared/glob.js';
import { copyParts, type CopyParts, mountFields } from './shared/instructions.js';
import { commandWords, literalValues, runCommands, type ShellCommand } from './shared/shell.js';
import { chainOf, stagesOf, type Stage } from './shared/stages.js';
import { continuesToEof, eolAt, indentOf, keywordLike } from './shared/text.js';

const ID = 'build-context';
const finding = findingsOf(ID);

// ---------------------------------------------------------------------------
// COPY/ADD sources
// ---------------------------------------------------------------------------

const normalizeSource = (s: string): string => trimTrailing(s.replace(/^(\.\/)+/, '').replace(/^\/+/, ''), '/');
const WHOLE = new Set(['', '.', '*']);
const isWholeContext = (parts: CopyParts): boolean => parts.sources.length > 0 && parts.sources.every((s) => WHOLE.has(normalizeSource(s)));

/** Is `path` (relative to the context root) excluded by this .dockerignore text? (last matching line wins) */
function ignoredBy(dockerignore: string, path: string): boolean {
  let ignored = false;
  for (let line of dockerignore.split(/\r?\n/)) {
    line = line.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    const pat = normalizeSource(negate ? line.slice(1).trim() : line);
    if (pat === '') continue;
    const matches = compileGlob(pat, { globstar: true });
    // A pattern matching a parent directory excludes everything below it.
    const segs = path.split('/');
    const hit = segs.some((_, k) => matches(segs.slice(0, k + 1).join('/')));
    if (hit) ignored = !negate;
  }
  return ignored;
}

// ---------------------------------------------------------------------------
// (a) the proposed .dockerignore
// ---------------------------------------------------------------------------

const JS_TOOLS = new Set(['npm', 'npx', 'yarn', 'pnpm']);
const BUILD_SCRIPTS = /(^|\s)(npm run|yarn run|yarn|pnpm run|pnpm) build(\s|$)/;
/** Root entries that never belong in an image, when the context has them. */
const GIT_READS = new Set(['describe', 'rev-parse', 'log', 'show', 'status', 'diff', 'tag', 'branch', 'submodule', 'rev-list']);
const JUNK = ['.venv', '.pytest_cache', '.mypy_cache', '.ruff_cache', '.tox', '.nyc_output', 'coverage', '.idea', '.vscode', '.terraform'];

/** Does any top-level command of a shell-form RUN start with one of these programs? */
function runsProgram(inst: Instruction, programs: ReadonlySet<string>): boolean {
  return (runCommands(inst) ?? []).some((c) => {
    const w = commandWords(c)[0];
    return !!w && w.value !== null && programs.has(w.value);
  });
}

interface Candidate {
  entry: string;
  /** the root-level name the entry stands for (for the explicit-COPY check) */
  name: string;
}

function proposeDockerignore(doc: Document, stages: Stage[], bc: BuildContext, ctx: RuleContext): Finding | null {
  if (bc.exists('.dockerignore')) return null;
  // BuildKit prefers <Dockerfile>.dockerignore beside the Dockerfile when there is one.
  if (ctx.filePath) {
    const root = trimTrailing(bc.root, '\\/');
    const fp = ctx.filePath.replace(/\\/g, '/');
    const r = root.replace(/\\/g, '/');
    if (fp.startsWith(r + '/') && bc.exists(fp.slice(r.length + 1) + '.dockerignore')) return null;
  }
  const root = bc.list('');
  const has = (name: string): boolean => root.includes(name);
  const runs = (re: RegExp): boolean => doc.instructions.some((i) => i.keyword === 'RUN' && re.test(i.args));
  const allRuns = stages.flatMap((s) => s.instructions).filter((i) => i.keyword === 'RUN');

  const cands: Candidate[] = [{ entry: '.git', name: '.git' }];
  if (has('node_modules') || allRuns.some((i) => runsProgram(i, JS_TOOLS))) cands.push({ entry: 'node_modules', name: 'node_modules' });
  for (const n of root) {
    // Secrets in .env files; the examples are meant to be shared.
    if (/^\.env(\..+)?$/.test(n) && !/\.(example|sample|template|dist|defaults)$/.test(n)) cands.push({ entry: n, name: n });
  }
  for (const n of JUNK) if (has(n)) cands.push({ entry: n, name: n });
  if (has('venv') && bc.exists('venv/pyvenv.cfg')) cands.push({ entry: 'venv', name: 'venv' });
  if (has('__pycache__')) cands.push({ entry: '**/__pycache__', name: '__pycache__' });
  if (root.some((n) => n.endsWith('.log'))) cands.push({ entry: '**/*.log', name: '*.log' });
  if (has('.DS_Store')) cands.push({ entry: '**/.DS_Store', name: '.DS_Store' });
  // Build output is stale only when the image builds it itself.
  if (has('target') && bc.isDirectory('target') && has('Cargo.toml') && runs(/(^|\s)cargo\s+(build|install)/)) cands.push({ entry: 'target', name: 'target' });
  if (has('package.json') && runs(BUILD_SCRIPTS)) {
    for (const n of ['dist', 'build']) if (has(n) && bc.isDirectory(n)) cands.push({ entry: n, name: n });
  }

  // Never ignore what the Dockerfile copies explicitly.
  const explicit: string[] = [];
  let dynamic = false;
  for (const i of doc.instructions) {
    // RUN --mount=type=bind reads from the context too (bind is the default type), unless it names another stage.
    for (const f of i.keyword === 'RUN' ? i.flags : []) {
      if (f.name !== 'mount' || f.value === null) continue;
      // (a field without `=` stands for itself)
      const kv = new Map(mountFields(f.value).map((x) => [x.key.trim(), (x.value ?? x.key).trim()]));
      const src = kv.get('source') ?? kv.get('src');
      if ((kv.get('type') ?? 'bind') === 'bind' && !kv.has('from') && src) {
        if (src.includes('$')) dynamic = true;
        if (!WHOLE.has(normalizeSource(src))) explicit.push(normalizeSource(src));
      }
    }
    const parts = copyParts(i.keyword === 'ONBUILD' && i.trigger ? i.trigger : i);
    if (!parts) continue;
    for (const s of parts.sources) {
      if (s.includes('$')) dynamic = true;
      const n = normalizeSource(s);
      if (!WHOLE.has(n)) explicit.push(n);
    }
  }
  const copied = (c: Candidate): boolean =>
    explicit.some((s) => {
      const segs = s.split('/');
      // the entry itself, something inside it, or a root-level glob that matches it
      if (s === c.name || s.startsWith(c.name + '/') || compileGlob(segs[0])(c.name)) return true;
      // `**/x` entries reach every level: any segment of the source may be such a name
      return c.entry.startsWith('**/') && segs.some((seg) => compileGlob(c.name)(seg) || compileGlob(seg)(c.name));
    });
  // Version stamping (`git describe`, `git rev-parse`) after a whole-context COPY needs .git.
  // (anywhere in the text, `$(git describe)` included: keeping .git is the safe side)
  const readsGit = allRuns.some((i) => new RegExp(`(^|[^\\w-])git\\s+(${[...GIT_READS].join('|')})(\\s|$)`).test(i.logical.text));
  const keep = (c: Candidate): boolean => (c.name === '.git' ? !readsGit && !copied(c) : !dynamic && !copied(c));
  const entries = cands.filter(keep).map((c) => c.entry);
  if (entries.length === 0) return null;
  const content = ['# Proposed by dockerfix: keep these out of the build context', ...entries, ''].join('\n');
  const first = doc.instructions[0];
  return finding(
    first ?? { start: 0, end: 0 }, 'suggestion',
    `no .dockerignore: the whole build context is sent to the builder; proposed one ignores ${entries.join(', ')}`,
    'a .dockerignore is a file beside the Dockerfile: written only on request (--write-dockerignore), after review',
    { proposedFile: { path: '.dockerignore', content } },
  );
}

// ---------------------------------------------------------------------------
// (b) whole-context COPY before a dependency install
// ---------------------------------------------------------------------------

type Ecosystem = 'npm' | 'yarn' | 'pnpm' | 'pip' | 'go' | 'bundler' | 'composer';

/** The dependency install a command runs, if any. */
function installOf(cmd: ShellCommand): { eco: Ecosystem; shown: string } | null {
  const v = literalValues(commandWords(cmd));
  if (!v || v.length === 0) return null;
  const flagsOnly = (from: number): boolean => v.slice(from).every((w) => w.startsWith('-'));
  const shown = (n: number): string => v.slice(0, n).join(' ');
  if (v[0] === 'npm' && (v[1] === 'ci' || ((v[1] === 'install' || v[1] === 'i') && flagsOnly(2)))) return { eco: 'npm', shown: shown(2) };
  if (v[0] === 'yarn' && (v.length === 1 || v[1] === 'install' || (v[1].startsWith('-') && flagsOnly(1)))) return { eco: 'yarn', shown: v[1] === 'install' ? 'yarn install' : 'yarn' };
  if (v[0] === 'pnpm' && (v[1] === 'install' || v[1] === 'i') && flagsOnly(2)) return { eco: 'pnpm', shown: shown(2) };
  const pip = v[0] === 'pip' || v[0] === 'pip3' ? 1 : /^python[\d.]*$/.test(v[0]) && v[1] === '-m' && v[2] === 'pip' ? 3 : -1;
  if (pip > 0 && v[pip] === 'install' && v.slice(pip + 1).some((w) => w === '-r' || w.startsWith('--requirement') || /^-r./.test(w))) {
    return { eco: 'pip', shown: shown(pip + 1) + ' -r' };
  }
  if (v[0] === 'go' && v[1] === 'mod' && v[2] === 'download') return { eco: 'go', shown: shown(3) };
  if (v[0] === 'bundle' && v[1] === 'install') return { eco: 'bundler', shown: shown(2) };
  if (v[0] === 'composer' && v[1] === 'install') return { eco: 'composer', shown: shown(2) };
  return null;
}

const MANIFESTS: Record<Ecosystem, string> = {
  npm: 'package.json package-lock.json ./',
  yarn: 'package.json yarn.lock ./',
  pnpm: 'package.json pnpm-lock.yaml ./',
  pip: 'requirements.txt ./',
  go: 'go.mod go.sum ./',
  bundler: 'Gemfile Gemfile.lock ./',
  composer: 'composer.json composer.lock ./',
};

/** The effective WORKDIR before `inst` along the stage chain; null when unknown. */
function workdirBefore(stage: Stage, inst: Instruction): string | null {
  const chain = chainOf(stage).reverse();
  let wd: string | null = /^scratch$/i.test(chain[0].base) ? '/' : null;
  for (const s of chain) {
    for (const i of s.instructions) {
      if (i === inst) return wd;
      if (i.keyword !== 'WORKDIR') continue;
      const v = i.args.trim();
      if (v.includes('$')) wd = null;
      else if (v.startsWith('/')) wd = v;
      else wd = wd === null ? null : trimTrailing(wd, '/') + '/' + v;
    }
  }
  return wd;
}

const cleanDir = (p: string): string => (trimTrailing(p, '/').replace(/\/\.$/, '') || '/');

const POSTINSTALL_HOOKS = ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish'];

function checkCacheOrder(doc: Document, stage: Stage, bc: BuildContext | undefined): Finding[] {
  const findings: Finding[] = [];
  const insts = stage.instructions;
  // Each RUN is lexed once: its first install, the next install at or after each index, and
  // where each ecosystem first installs (per whole-context COPY, rescanning the stage was quadratic).
  const installs: Array<ReturnType<typeof installOf>> = [];
  const firstIndexOf = new Map<Ecosystem, number>();
  insts.forEach((inst, k) => {
    const hits = (runCommands(inst) ?? []).map(installOf).filter((h) => h !== null);
    installs.push(hits[0] ?? null);
    for (const h of hits) if (!firstIndexOf.has(h.eco)) firstIndexOf.set(h.eco, k);
  });
  const nextInstall: number[] = new Array(insts.length + 1).fill(-1);
  for (let k = insts.length - 1; k >= 0; k--) nextInstall[k] = installs[k] ? k : nextInstall[k + 1];
  insts.forEach((c, ci) => {
    const parts = copyParts(c);
    if (!parts || !isWholeContext(parts)) return;
    // The first install after the whole-context COPY, unless the stage already installed that way before it.
    const index = nextInstall[ci + 1];
    if (index < 0) return;
    const install = { inst: insts[index], ...installs[index]!, index };
    const eco = install.eco;
    if ((firstIndexOf.get(eco) ?? Infinity) < ci) return;
    const copyShown = `${c.rawKeyword} ${c.json ? c.args : parts.sources.join(' ') + ' ' + parts.dest}`;
    const message = `\`${copyShown}\` comes before \`${install.shown}\`: any source change re-runs the install; copy ${MANIFESTS[eco].replace(/ \.\/$/, '')} first and install before copying the rest`;
    if (eco !== 'npm') {
      findings.push(finding(c, 'suggestion', message, `no automatic rewrite for ${eco}: the files its install needs are project-specific`));
      return;
    }
    // What lies between, up to the first instruction that rules the rewrite out (a slice of
    // the whole stretch per COPY was quadratic on a stage of thousands of COPYs).
    const between: Instruction[] = [];
    for (let k = ci + 1; k < install.index; k++) {
      between.push(insts[k]);
      if (!MAY_LIE_BETWEEN.has(insts[k].keyword)) break;
    }
    const fix = npmRewrite(doc, stage, c, parts, install.inst, between, bc);
    findings.push(typeof fix === 'string' ? finding(c, 'suggestion', message, fix) : finding(c, 'unsafe', message, fix.reason, fix));
  });
  return findings;
}

/** Instructions that may lie between the whole-context COPY and the install it is moved after. */
const MAY_LIE_BETWEEN = new Set(['ENV', 'ARG', 'WORKDIR']);

/** The unsafe rewrite (the reason, and the edits and what they touch), or why there is none. */
function npmRewrite(
  doc: Document, stage: Stage, c: Instruction, parts: CopyParts, run: Instruction, between: Instruction[],
  bc: BuildContext | undefined,
): Pick<Finding, 'reason' | 'edits' | 'touches'> | string {
  // The RUN moves relative to the whole-context COPY only if it needs nothing else from the sources.
  const cmds = runCommands(run);
  if (!cmds) return 'the install RUN is not a plain shell command';
  for (const cmd of cmds) {
    if (cmd.complex || cmd.redirect) return 'the install RUN uses shell syntax dockerfix does not move';
    if (cmd.before !== '' && cmd.before !== '&&') return 'the install RUN chains commands with something other than &&';
    const v = literalValues(commandWords(cmd));
    const isCacheClean = !!v && v[0] === 'npm' && v[1] === 'cache' && v[2] === 'clean';
    if (!installOf(cmd) && !isCacheClean) return 'the install RUN does more than install (it may need the rest of the sources)';
  }
  if (run.flags.some((f) => f.name === 'mount' && /type=bind/.test(f.value ?? ''))) return 'the install RUN bind-mounts files of its own';
  const other = between.find((i) => !MAY_LIE_BETWEEN.has(i.keyword));
  if (other) return `${other.rawKeyword} lies between the COPY and the install`;
  if (c.logical.text.includes('$')) return 'the COPY uses variables, which ENV/ARG between it and the install could change';
  const badFlag = c.flags.find((f) => !['chown', 'chmod', 'link'].includes(f.name));
  if (badFlag) return `the COPY has --${badFlag.name}, which a manifest COPY cannot mirror`;

  // The manifests must land where the install runs.
  const dest = parts.dest;
  const relative = !dest.startsWith('/');
  const workdirsBetween = between.some((i) => i.keyword === 'WORKDIR');
  if (relative && !['.', './'].includes(dest)) return `the COPY destination ${dest} is not the working directory`;
  if (relative && workdirsBetween) return 'a WORKDIR between the COPY and the install would change where a relative destination points';
  if (!relative) {
    const at = workdirsBetween ? workdirBefore(stage, run) : workdirBefore(stage, c);
    if (at === null || cleanDir(at) !== cleanDir(dest)) return `the install does not run in the COPY destination ${dest}`;
  }
  const manifestDest = relative ? './' : cleanDir(dest) + '/';

  // Which files the install reads before the rest of the sources arrive.
  let files: string[];
  let reason = 'a preinstall/postinstall script may need files from the rest of the build context';
  if (bc) {
    const text = bc.readText('package.json');
    if (text === null) return 'the build context has no package.json at its root';
    let pkg: { scripts?: Record<string, unknown>; workspaces?: unknown; dependencies?: Record<string, unknown>; devDependencies?: Record<string, unknown>; optionalDependencies?: Record<string, unknown> };
    try {
      pkg = JSON.parse(text) as typeof pkg;
    } catch {
      return 'package.json in the build context is not valid JSON';
    }
    const hook = POSTINSTALL_HOOKS.find((h) => pkg.scripts && typeof pkg.scripts === 'object' && pkg.scripts[h] !== undefined);
    if (hook) return `package.json has a \`${hook}\` script, which may need the rest of the sources`;
    if (pkg.workspaces !== undefined) return 'package.json declares workspaces, whose package.json files the install needs too';
    const deps = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies };
    if (Object.values(deps).some((v) => typeof v === 'string' && /^(file|link):/.test(v))) return 'a dependency is a local file: or link: path from the sources';
    const ignore = bc.readText('.dockerignore') ?? '';
    files = ['package.json', 'package-lock.json', 'npm-shrinkwrap.json', '.npmrc'].filter((f) => bc.exists(f) && !ignoredBy(ignore, f));
    if (!files.includes('package.json')) return 'package.json is excluded by .dockerignore';
  } else {
    files = ['package*.json'];
    reason = 'without the build context, assumes package*.json is all the install reads; a postinstall script may need the rest of the sources';
  }

  const flags = c.flags.map((f) => f.raw + ' ').join('');
  const manifestCopy = `${keywordLike(c.rawKeyword, 'COPY')} ${flags}${files.join(' ')} ${manifestDest}`;
  const moved = indentOf(doc, c) + doc.text.slice(c.start, c.end);
  if (continuesToEof(run)) return 'the install RUN continues to the end of the file, so a line appended after it would join it';
  const after = doc.lines[run.endLine];
  const insert = after.eol
    ? { start: after.end, end: after.end, text: moved + after.eol }
    : { start: after.contentEnd, end: after.contentEnd, text: eolAt(doc, c.startLine) + moved };
  return {
    reason,
    edits: [{ start: c.start, end: c.end, text: manifestCopy }, insert],
    // The install RUN keeps its text but now runs before the sources arrive.
    touches: [run.start],
  };
}

export const buildContext: Rule = {
  meta: {
    id: ID,
    title: 'Keep the build context small and the dependency layer cached',
    safety: 'suggestion',
    related: [],
    docs: [
      'Without a .dockerignore the builder receives the whole context directory: .git, node_modules, .env',
      'files with secrets, local build output. When the build context is known and has no .dockerignore',
      '(nor <Dockerfile>.dockerignore), the finding proposes one (`proposedFile`), built from what the',
      'context holds and never naming a path the Dockerfile COPYs or bind-mounts explicitly (.git stays in',
      'when the build runs git describe/rev-parse/log…). dockerfix writes it only with --write-dockerignore.',
      '',
      'A whole-context COPY/ADD (`.`, `./`, `*`) before a dependency install (npm ci/install, yarn install,',
      'pnpm install, pip install -r, go mod download, bundle install, composer install) in the same stage',
      'invalidates the install layer on every source change. Copy the manifests first, install, then copy',
      'the rest. For npm an unsafe fix does that: the whole-context COPY is replaced by a COPY of',
      'package.json, the lock file and .npmrc (those the context has; package*.json without a context) and',
      'moved after the install. It is refused when anything but ENV/ARG/WORKDIR lies between them, when the',
      'install RUN does more than install, or when package.json has install hooks, workspaces or file:',
      'dependencies. Unsafe because a postinstall script may need files from the rest of the sources.',
      'hadolint and BuildKit have no equivalent checks.',
      '',
      'See https://docs.docker.com/build/concepts/context/#dockerignore-files and',
      'https://docs.docker.com/build/cache/optimize/#order-your-layers',
    ].join('\n'),
    options: {},
  },
  check(doc, ctx) {
    const stages = stagesOf(doc);
    const findings: Finding[] = [];
    if (ctx.buildContext) {
      const f = proposeDockerignore(doc, stages, ctx.buildContext, ctx);
      if (f) findings.push(f);
    }
    for (const stage of stages) findings.push(...checkCacheOrder(doc, stage, ctx.buildContext));
    return findings;
  },
};
