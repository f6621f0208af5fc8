/**
 * The human report, one line per finding in `file:line:col: what rule: message
 * (safety: reason)` form (clickable in terminals and editors), diffs first
 * under --dry-run, then a summary and the hint for withheld unsafe fixes.
 * Errors are printed on stderr by run.ts, not here.
 */
import type { ReportedFinding } from '../../fix/engine.js';
import { colorDiff } from '../diff.js';
import type { FileResult, ProposedFile } from '../pipeline.js';
import { displayPath } from '../discover.js';
import { isDockerignore } from '../proposed.js';
import { printable, type Style } from '../color.js';
import { appliesFixes, plural, type Reporter, type ReporterEnv, type Summary } from './types.js';

export function textReporter(env: ReporterEnv): Reporter {
  const { out, paint, options } = env;
  const applying = appliesFixes(options);

  // Where a proposal stands; the finding that proposes it (with its reason) is printed just above.
  const proposal = (r: FileResult, p: ProposedFile): void => {
    const file = paint('bold', `${r.display}:`);
    const by = paint('magenta', p.ruleId);
    if (p.status === 'written') out.write(`${file} ${paint('green', 'wrote')} ${displayPath(p.abs, env.cwd)} (proposed by ${by})\n`);
    else if (p.status === 'exists') out.write(`${file} ${by}: ${displayPath(p.abs, env.cwd)} already exists; not overwritten\n`);
    else if (p.status === 'proposed') {
      const how = !isDockerignore(p.path)
        ? 'dockerfix does not write it'
        : options.writeDockerignore
          ? 'not written under --dry-run/--check'
          : 'written with --write-dockerignore';
      out.write(`${file} ${paint('cyan', 'proposes')} ${by}: new file ${p.path} (${how})\n`);
    }
    // 'error': printed on stderr with the other errors
  };

  const finding = (r: FileResult, f: ReportedFinding, label: string, style: Style): void => {
    const where = paint('bold', `${r.display}:${f.line}:${f.column}:`);
    const why = f.reason ? ` ${paint('dim', `(${f.safety}: ${printable(f.reason)})`)}` : ` ${paint('dim', `(${f.safety})`)}`;
    out.write(`${where} ${paint(style, label)} ${paint('magenta', f.ruleId)}: ${printable(f.message)}${why}\n`);
  };

  return {
    file(r) {
      if (r.status === 'error') return;
      if (options.dryRun && r.diff) out.write(colorDiff(r.diff, paint));
      for (const f of r.applied) finding(r, f, applying ? 'fixed' : 'would fix', 'green');
      for (const f of r.withheld) finding(r, f, 'withheld', 'yellow');
      for (const f of r.reports) finding(r, f, f.safety === 'suggestion' ? 'suggestion' : 'note', 'cyan');
      if (r.formatted) out.write(`${paint('bold', `${r.display}:`)} ${paint('green', applying ? 'reformatted' : 'would reformat')}\n`);
      for (const p of r.proposedFiles) proposal(r, p);
    },
    finish(s: Summary) {
      const checked = `${plural(s.files, 'file')} checked${s.errors ? `, ${plural(s.errors, 'with an error', 'with errors')}` : ''}`;
      // Editors piping through --stdin-filepath want stderr quiet unless there is something to say.
      if (applying && options.stdinFilepath !== undefined) {
        // no summary line: the finding lines above and the text on stdout say it all
      } else if (s.changed === 0) {
        // With errors nobody knows whether changes were needed (a file that did not parse, a write that failed).
        out.write(s.errors ? `Nothing changed (${checked}).\n` : `No changes needed (${checked}).\n`);
      }
      else if (applying) {
        out.write(`${paint('green', `Fixed ${plural(s.written, 'file')}`)}: ${plural(s.applied, 'fix', 'fixes')} applied${s.formatted ? `, ${plural(s.formatted, 'file')} reformatted` : ''} (${checked}).\n`);
      } else {
        const fixes = `${plural(s.applied, 'fix', 'fixes')}${s.formatted ? `, ${plural(s.formatted, 'file')} to reformat` : ''}`;
        out.write(`${paint('yellow', `${plural(s.changed, 'file')} would change`)}: ${fixes} (${checked}); nothing written.\n`);
      }
      if (s.proposedWritten > 0) out.write(`${paint('green', `Wrote ${plural(s.proposedWritten, 'proposed file')}`)}.\n`);
      if (s.withheld > 0 && !options.unsafe) {
        out.write(`${paint('yellow', `${plural(s.withheld, 'unsafe fix', 'unsafe fixes')} withheld`)}; run with --unsafe to apply.\n`);
      }
    },
  };
}
