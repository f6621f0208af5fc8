/**
 * workdir-absolute: a relative WORKDIR → the absolute path it resolves to, when
 * the previous working directory is known.
 *
 * BuildKit (dockerfile2llb dispatchWorkdir → util/system NormalizeWorkdir →
 * NormalizePath): the path is unquoted and variable-expanded (ProcessWord);
 * an absolute path is used as written; a relative one is joined to the current
 * working directory with filepath.Join (which cleans `.`, `..` and double
 * slashes), the current one being "/" when unset. The same directory is then
 * created and recorded in the image history as `WORKDIR <result>`, so writing
 * the joined, clean absolute path builds the same thing.
 *
 * The current directory is known only from the file itself: `FROM scratch`
 * (no working directory, i.e. "/"), or an earlier literal absolute WORKDIR in
 * the stage or in the local stages it is built FROM (BuildKit's addState
 * matches `FROM <stage>` exactly against the lowercased stage names). A base
 * image's WorkingDir, a `$VAR` in a path, or an ONBUILD WORKDIR in the local
 * base stage (its triggers run at the start of the child stage) make it
 * unknown, and the rule then only reports.
 */
import type { Document, Instruction } from '../syntax/document.js';
import { positionOf } from '../syntax/parse.js';
import { unquoteWord } from '../syntax/words.js';
import type { Edit, Finding, Rule } from './types.js';
import { reparseLocally } from './shared/edits.js';
import { findingsOf } from './shared/findings.js';
import { stagesOf, type Stage } from './shared/stages.js';
import { hasFlagTerminator } from './shared/instructions.js';

const ID = 'workdir-absolute';
const finding = findingsOf(ID);

export const workdirAbsolute: Rule = {
  meta: {
    id: ID,
    title: 'Use absolute WORKDIR paths',
    safety: 'safe',
    related: ['DL3000', 'WorkdirRelativePath'],
    docs: [
      'A relative WORKDIR is resolved against the previous working directory (Dockerfile reference, WORKDIR:',
      'https://docs.docker.com/reference/dockerfile/#workdir), which may come from the base image and change',
      'with it (build check WorkdirRelativePath: https://docs.docker.com/reference/build-checks/workdir-relative-path/).',
      'When the previous directory is known from this file (`FROM scratch`, or an earlier absolute WORKDIR in the',
      'stage or the local stages it builds FROM), the fix writes the absolute path BuildKit would compute',
      '(Go path.Join: `.`, `..` and repeated slashes cleaned). Otherwise, or when the path has variables, quotes',
      'around trailing spaces or backslashes, it only reports.',
    ].join(' '),
  },
  check(doc: Document): Finding[] {
    const findings: Finding[] = [];
    // Where each stage leaves the working directory, for the stages built FROM it.
    const ends = new Map<Stage, { cwd: Cwd; onbuildWorkdir: boolean }>();
    for (const stage of stagesOf(doc)) {
      let cwd = startingCwd(stage, ends);
      let onbuildWorkdir = false;
      for (const inst of stage.instructions) {
        if (inst.keyword === 'ONBUILD') {
          if (inst.trigger?.keyword === 'WORKDIR') onbuildWorkdir = true;
          continue;
        }
        if (inst.keyword !== 'WORKDIR') continue;
        const result = resolve(doc, inst, cwd);
        cwd = result.cwd;
        if (result.finding) findings.push(result.finding);
      }
      ends.set(stage, { cwd, onbuildWorkdir });
    }
    return findings;
  },
};

/** A known working directory (absolute), with where it came from; null when unknown. */
type Cwd = { path: string; origin: string } | null;

/**
 * The working directory a stage starts in: its local parent's last one (unless
 * an ONBUILD WORKDIR there runs first), `/` on scratch, else unknown. A base
 * from an ARG is unknown: `--build-arg` may replace the default.
 */
function startingCwd(stage: Stage, ends: Map<Stage, { cwd: Cwd; onbuildWorkdir: boolean }>): Cwd {
  if (stage.written.includes('$')) return null;
  if (stage.parent) {
    const parent = ends.get(stage.parent)!;
    return parent.onbuildWorkdir ? null : parent.cwd;
  }
  return stage.written === 'scratch' ? { path: '/', origin: 'FROM scratch' } : null;
}

function resolve(doc: Document, inst: Instruction, cwd: Cwd): { cwd: Cwd; finding?: Finding } {
  // After a bare `--` BuildKit keeps the whitespace that follows it in the path (so ` app` is not `app`): unknown.
  if (inst.flags.length > 0 || inst.args === '' || inst.error || hasFlagTerminator(inst)) return { cwd: null };
  const raw = inst.args;
  // `C:\app`, `C:/app`: absolute on Windows (BuildKit strips the system drive); not a relative path to fix.
  if (/^["']?[A-Za-z]:[\\/]/.test(raw)) return { cwd: null };
  const canon = unquoteWord(raw, doc.escape);
  if (canon === null) return { cwd: null };
  const line = positionOf(doc.lines, inst.start).line + 1;
  const relative = `relative WORKDIR ${raw}: use an absolute path`;
  // unquoteWord writes a literal `$`/`\` as `\$`/`\\` and keeps `$VAR`: either means the path is not a plain literal.
  if (/[$\\]/.test(canon) || raw.includes('\\') || raw.includes(doc.escape)) {
    if (canon.startsWith('/') || canon.startsWith('$')) return { cwd: null }; // absolute, or may expand to one
    return {
      cwd: null,
      finding: finding(inst, 'suggestion', relative, 'the path has variables, escapes or backslashes, so the absolute path cannot be computed from the file alone'),
    };
  }
  if (canon.startsWith('/')) return { cwd: { path: canon, origin: `WORKDIR on line ${line}` } };
  if (/^[A-Za-z]:/.test(canon)) {
    return {
      cwd: null,
      finding: finding(inst, 'suggestion', `WORKDIR ${raw} looks like a Windows drive path: use an absolute path`, 'drive-relative Windows paths resolve against a per-drive directory the file does not show'),
    };
  }
  if (!cwd) {
    return {
      cwd: null,
      finding: finding(inst, 'suggestion', relative, 'the previous working directory comes from the base image (or is otherwise unknown here), so the absolute path cannot be computed'),
    };
  }
  const abs = goJoin(cwd.path, canon);
  const next: Cwd = { path: abs, origin: `WORKDIR on line ${line}` };
  const message = `relative WORKDIR ${raw}: write the absolute path ${abs}`;
  const edits = argsEdit(inst, abs);
  // The path is written bare: it must not need quoting (quotes, `$`, escapes, leading/trailing whitespace).
  const plain = !/["'$\\`]/.test(abs) && abs === abs.trim();
  if (!edits || !plain || !verify(doc, inst, edits, abs)) {
    return { cwd: next, finding: finding(inst, 'suggestion', message, 'could not write the absolute path in place and prove it reads the same, so no automatic fix') };
  }
  return {
    cwd: next,
    finding: finding(
      inst, 'safe', message,
      `the previous working directory is known (${cwd.path}, from ${cwd.origin}) and BuildKit joins a relative WORKDIR to it like Go's path.Join, so this is the same directory`,
      { edits },
    ),
  };
}

/** Replace the argument text; null when it spans a comment line (joining would drop it). */
function argsEdit(inst: Instruction, text: string): Edit[] | null {
  const map = inst.logical.map;
  const from = map[inst.argsIndex];
  const to = map[inst.argsIndex + inst.args.length - 1] + 1;
  if (inst.lines.some((l) => l.kind === 'comment' && l.start > from && l.start < to)) return null;
  return [{ start: from, end: to, text }];
}

function verify(doc: Document, inst: Instruction, edits: Edit[], abs: string): boolean {
  const local = reparseLocally(doc, inst, edits);
  if (!local) return false;
  const { doc: after, inst: next } = local;
  return next.keyword === 'WORKDIR' &&
    next.flags.length === 0 && next.args === abs && unquoteWord(next.args, after.escape) === abs;
}

/** Go's path.Join(dir, rel) for an absolute dir: path.Clean of the two joined with a slash. */
export function goJoin(dir: string, rel: string): string {
  return goClean(dir + '/' + rel);
}

/** Go's path.Clean. */
export function goClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const r = (rooted ? '/' : '') + out.join('/');
  return r === '' ? '.' : r;
}
