/**
 * `--reporter sarif`: SARIF 2.1.0 (the format GitHub code scanning and
 * other dashboards ingest). One run; `tool.driver.rules` lists every rule
 * with its title, docs, safety and related hadolint/BuildKit ids; each finding
 * is a result with a location; file errors (parse, config, I/O) are
 * tool-execution notifications, so they fail the run visibly without posing
 * as code-scanning alerts. Paths are relative to %SRCROOT% (the working
 * directory) when they are inside it.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReportedFinding } from '../../fix/engine.js';
import type { Safety } from '../../rules/types.js';
import type { FileResult } from '../pipeline.js';
import { errorTarget } from './location.js';
import { appliesFixes, type Reporter, type ReporterEnv, type Summary } from './types.js';

type Level = 'error' | 'warning' | 'note';

const LEVEL_BY_SAFETY: Record<Safety, Level> = { safe: 'warning', unsafe: 'warning', suggestion: 'note' };

export function sarifReporter(env: ReporterEnv): Reporter {
  const results: unknown[] = [];
  const notifications: unknown[] = [];
  const ruleIndex = new Map(env.rules.map((r, i) => [r.meta.id, i]));
  const applying = appliesFixes(env.options);

  const location = (file: string, line?: number, column?: number): unknown => {
    const artifactLocation = path.isAbsolute(file)
      ? { uri: pathToFileURL(file).href }
      : { uri: encodeURI(file.split(path.sep).join('/')), uriBaseId: '%SRCROOT%' };
    const region = line !== undefined ? { region: { startLine: line, startColumn: column ?? 1 } } : {};
    return { physicalLocation: { artifactLocation, ...region } };
  };

  const result = (r: FileResult, f: ReportedFinding, status: string): void => {
    const index = ruleIndex.get(f.ruleId);
    results.push({
      ruleId: f.ruleId,
      ...(index !== undefined ? { ruleIndex: index } : {}),
      level: LEVEL_BY_SAFETY[f.safety] ?? 'warning',
      message: { text: f.reason ? `${f.message} (${f.safety}: ${f.reason})` : f.message },
      locations: [location(r.display, f.line, f.column)],
      properties: { safety: f.safety, reason: f.reason, status },
    });
  };

  return {
    file(r) {
      for (const f of r.applied) result(r, f, applying ? 'applied' : 'fixable');
      for (const f of r.withheld) result(r, f, 'withheld');
      for (const f of r.reports) result(r, f, 'report');
      for (const e of r.errors) {
        const t = errorTarget(r, e, env.cwd);
        notifications.push({ level: 'error', message: { text: e.message }, locations: [location(t.file, t.line, t.column)] });
      }
      for (const e of r.internalErrors) {
        notifications.push({ level: 'warning', message: { text: `internal error in ${e.ruleId}: ${e.message}` }, locations: [location(r.display, e.line)] });
      }
    },
    finish(s: Summary) {
      const log = {
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        version: '2.1.0',
        runs: [
          {
            tool: {
              driver: {
                name: 'dockerfix',
                version: env.version,
                semanticVersion: env.version,
                rules: env.rules.map((r) => ({
                  id: r.meta.id,
                  shortDescription: { text: r.meta.title },
                  fullDescription: { text: r.meta.docs || r.meta.title },
                  help: { text: r.meta.docs || r.meta.title },
                  defaultConfiguration: { level: LEVEL_BY_SAFETY[r.meta.safety] ?? 'warning' },
                  properties: { safety: r.meta.safety, related: r.meta.related },
                })),
              },
            },
            originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(env.cwd.endsWith(path.sep) ? env.cwd : env.cwd + path.sep).href } },
            invocations: [{ executionSuccessful: s.errors === 0, exitCode: s.exitCode, toolExecutionNotifications: notifications }],
            results,
          },
        ],
      };
      env.out.write(JSON.stringify(log, null, 2) + '\n');
    },
  };
}
