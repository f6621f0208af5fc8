/**
 * `--reporter json`: one JSON document on stdout at the end of the run.
 * The shape is a public interface (documented in the README); add fields,
 * never rename or remove them without bumping `schemaVersion`.
 *
 * {
 *   "schemaVersion": 1,
 *   "tool": { "name": "dockerfix", "version": "0.1.0" },
 *   "check": false, "dryRun": false, "unsafe": false, "format": false,
 *   "exitCode": 0,
 *   "summary": { "files", "changed", "written", "formatted", "errors",
 *                "applied", "withheld", "reports", "internalErrors", "proposedWritten" },
 *   "files": [{
 *     "path": "app/Dockerfile",             // relative to the working directory when inside it
 *     "status": "unchanged" | "changed" | "error",
 *     "written": false,                     // true when the file on disk was replaced
 *     "formatted": false,                   // --format changed the layout
 *     "applied":  [Finding],                // fixes applied (or that would be, under --check/--dry-run)
 *     "withheld": [Finding],                // unsafe fixes not applied
 *     "reports":  [Finding],                // suggestions and findings without a fix
 *     "errors":   [{ "message", "line"?, "column"?, "file"? }],   // file: set when the error is in a config file
 *     "internalErrors": [{ "ruleId", "message", "line" }],
 *     "proposedFiles": [{ "ruleId", "path", "file", "content", "status" }],   // path: in the build context; file: as displayed;
 *                                        // status: "proposed" | "written" | "exists" (never overwritten) | "error"
 *     "diff": "--- a/…"                      // only with --dry-run, when the file would change
 *   }]
 * }
 * Finding: { "ruleId", "line", "column", "safety": "safe"|"unsafe"|"suggestion", "message", "reason" }
 * Lines and columns are 1-based. An applied fix's position is in the text as
 * it was when that fix was made (later fixes can move lines).
 */
import type { ReportedFinding } from '../../fix/engine.js';
import type { FileResult } from '../pipeline.js';
import { displayPath } from '../discover.js';
import type { Reporter, ReporterEnv, Summary } from './types.js';

export interface JsonFinding {
  ruleId: string;
  line: number;
  column: number;
  safety: string;
  message: string;
  reason: string;
}

export function jsonFinding(f: ReportedFinding): JsonFinding {
  return { ruleId: f.ruleId, line: f.line, column: f.column, safety: f.safety, message: f.message, reason: f.reason };
}

export function jsonReporter(env: ReporterEnv): Reporter {
  const files: unknown[] = [];
  return {
    file(r: FileResult) {
      files.push({
        path: r.display,
        status: r.status,
        written: r.written,
        formatted: r.formatted,
        applied: r.applied.map(jsonFinding),
        withheld: r.withheld.map(jsonFinding),
        reports: r.reports.map(jsonFinding),
        errors: r.errors.map((e) => ({
          message: e.message,
          ...(e.line !== undefined ? { line: e.line, column: e.column ?? 1 } : {}),
          ...(e.file ? { file: displayPath(e.file, env.cwd) } : {}),
        })),
        internalErrors: r.internalErrors.map((e) => ({ ruleId: e.ruleId, message: e.message, line: e.line })),
        proposedFiles: r.proposedFiles.map((p) => ({ ruleId: p.ruleId, path: p.path, file: displayPath(p.abs, env.cwd), content: p.content, status: p.status })),
        ...(r.diff !== undefined ? { diff: r.diff } : {}),
      });
    },
    finish(s: Summary) {
      const { exitCode, ...summary } = s;
      const o = env.options;
      const doc = {
        schemaVersion: 1,
        tool: { name: 'dockerfix', version: env.version },
        check: o.check,
        dryRun: o.dryRun,
        unsafe: o.unsafe,
        format: o.format,
        exitCode,
        summary,
        files,
      };
      env.out.write(JSON.stringify(doc, null, 2) + '\n');
    },
  };
}
