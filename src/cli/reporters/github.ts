/**
 * `--reporter github`: GitHub Actions workflow commands, which the runner
 * turns into annotations on the pull request:
 *   ::warning file=Dockerfile,line=3,col=1,title=add-to-copy::message (safe: reason)
 * Fixes that would be applied (--check, --dry-run) and withheld unsafe fixes
 * are warnings; applied fixes and suggestions are notices; errors are errors.
 */
import type { ReportedFinding } from '../../fix/engine.js';
import type { FileResult } from '../pipeline.js';
import { errorTarget } from './location.js';
import { appliesFixes, type Reporter, type ReporterEnv } from './types.js';

/** Escaping from the runner's toolkit (`toCommandValue` / `escapeProperty`). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function command(level: 'error' | 'warning' | 'notice', props: { file: string; line?: number; col?: number; title: string }, message: string): string {
  const parts = [`file=${escapeProperty(props.file.split('\\').join('/'))}`];
  if (props.line !== undefined) parts.push(`line=${props.line}`);
  if (props.col !== undefined) parts.push(`col=${props.col}`);
  parts.push(`title=${escapeProperty(props.title)}`);
  return `::${level} ${parts.join(',')}::${escapeData(message)}\n`;
}

export function githubReporter(env: ReporterEnv): Reporter {
  const { out } = env;
  const applying = appliesFixes(env.options);
  const emit = (r: FileResult, f: ReportedFinding, level: 'warning' | 'notice', what: string): void => {
    const reason = f.reason ? ` (${f.safety}: ${f.reason})` : ` (${f.safety})`;
    out.write(command(level, { file: r.display, line: f.line, col: f.column, title: f.ruleId }, `${what}${f.message}${reason}`));
  };
  return {
    file(r) {
      for (const e of r.errors) {
        const t = errorTarget(r, e, env.cwd);
        out.write(command('error', { file: t.file, line: t.line, col: t.column, title: 'dockerfix' }, e.message));
      }
      // Under --check a fixable finding is what fails the job: a warning. Once applied it is news: a notice.
      for (const f of r.applied) emit(r, f, applying ? 'notice' : 'warning', applying ? 'fixed: ' : '');
      for (const f of r.withheld) emit(r, f, 'warning', 'unsafe fix withheld: ');
      for (const f of r.reports) emit(r, f, 'notice', '');
      for (const e of r.internalErrors) out.write(command('warning', { file: r.display, line: e.line, title: `dockerfix internal error (${e.ruleId})` }, e.message));
      if (r.formatted) out.write(command('warning', { file: r.display, title: 'format' }, 'layout differs from the Prettier plugin’s'));
    },
    finish() {
      // Annotations only: the job log's exit code says the rest.
    },
  };
}
