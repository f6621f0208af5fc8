/**
 * Reporter lookup. Each reporter is imported only when chosen: startup time
 * is paid per module loaded, and most runs use one reporter.
 */
import type { ReporterName } from '../args.js';
import type { Reporter, ReporterEnv } from './types.js';

export async function makeReporter(name: ReporterName, env: ReporterEnv): Promise<Reporter> {
  switch (name) {
    case 'json':
      return (await import('./json.js')).jsonReporter(env);
    case 'sarif':
      return (await import('./sarif.js')).sarifReporter(env);
    case 'github':
      return (await import('./github.js')).githubReporter(env);
    default:
      return (await import('./text.js')).textReporter(env);
  }
}

export type { Reporter, ReporterEnv, Summary } from './types.js';
