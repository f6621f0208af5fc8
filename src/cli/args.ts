/**
 * Command-line parsing (node:util `parseArgs`) into a plain options object.
 * Everything here is syntax: whether a rule id exists is checked in run.ts,
 * once the rule list is known.
 */
import { parseArgs } from 'node:util';

export const REPORTERS = ['text', 'json', 'sarif', 'github'] as const;
export type ReporterName = (typeof REPORTERS)[number];

export interface CliOptions {
  paths: string[];
  /** show diffs, write nothing */
  dryRun: boolean;
  /** write nothing; exit 1 when something would change */
  check: boolean;
  unsafe: boolean;
  /** run only these rule ids (undefined: all enabled rules) */
  select?: string[];
  ignore: string[];
  format: boolean;
  stdinFilepath?: string;
  reporter: ReporterName;
  config?: string;
  context?: string;
  /** undefined: decide from the stream and the environment */
  color?: boolean;
  listRules: boolean;
  explain?: string;
  version: boolean;
  help: boolean;
  /**
   * Look base images up in registries before the rules run (the only flag
   * that allows network access; see resolve.ts).
   */
  resolve: boolean;
  /** Create the `.dockerignore` files findings propose (never overwriting one). */
  writeDockerignore: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: dockerfix [options] [paths...]

Apply safe best-practice fixes to Dockerfiles in place and explain each one.
Paths are files or directories (searched recursively); the default is ".".
In directories dockerfix picks up Dockerfile, dockerfile, Containerfile,
*.Dockerfile, *.dockerfile, Dockerfile.* and Containerfile.* (not *.dockerignore
or backup files), skipping .git, node_modules and what .gitignore files ignore.
A file named explicitly is always processed.

Modes:
  --dry-run               print a unified diff per file with an explanation of
                          every fix; write nothing
  --check                 write nothing; exit 1 if any file would change
  --stdin-filepath NAME   read one Dockerfile from stdin and write the result to
                          stdout; NAME is used for config discovery and messages

Fixing:
  --unsafe                also apply unsafe fixes (they may change behaviour)
  --select RULE[,RULE]    run only these rules (repeatable)
  --ignore RULE[,RULE]    do not run these rules (repeatable)
  --format                also lay the result out with the Prettier plugin, as
                          prettier --write would (uses your Prettier config)
  --config FILE           use this config file for every input (no discovery)
  --context DIR           build context the rules may read (default: the
                          config's "context", else each Dockerfile's folder)
  --resolve               look up base images in registries (see README) and
                          pin them to the digest their tag has today; the only
                          network access (credentials from the Docker config,
                          config key "registryMirrors")
  --write-dockerignore    write proposed .dockerignore files (see README); an
                          existing file is never overwritten, and nothing is
                          written under --dry-run or --check

Output:
  --reporter NAME         text (default), json, sarif or github
  --color, --no-color     force colour on or off (default: on a terminal;
                          NO_COLOR and FORCE_COLOR are honoured)

Information:
  --list-rules            list the rules: id, safety, title
  --explain RULE          describe one rule: docs, safety, related ids, options
  --version               print the version
  -h, --help              print this help

Config (found upward from each file): .dockerfixrc.json, dockerfix.config.json
or the "dockerfix" key of package.json. Inline: "# dockerfix-ignore[=rule,...]"
on the line above an instruction, "# dockerfix-ignore-file" anywhere.

Exit codes: 0 nothing to change, or all applied; 1 changes needed (--check);
2 usage, config, I/O or parse error (2 wins over 1).
`;

export function parseCli(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'dry-run': { type: 'boolean' },
        check: { type: 'boolean' },
        unsafe: { type: 'boolean' },
        select: { type: 'string', multiple: true },
        ignore: { type: 'string', multiple: true },
        format: { type: 'boolean' },
        'stdin-filepath': { type: 'string' },
        reporter: { type: 'string' },
        config: { type: 'string' },
        context: { type: 'string' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        'list-rules': { type: 'boolean' },
        explain: { type: 'string' },
        version: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        resolve: { type: 'boolean' },
        'write-dockerignore': { type: 'boolean' },
      },
    });
  } catch (err) {
    // parseArgs' messages are already user-facing ("Unknown option '--x'...").
    throw new UsageError((err as Error).message);
  }
  const v = parsed.values;
  const reporter = v.reporter ?? 'text';
  if (!(REPORTERS as readonly string[]).includes(reporter)) {
    throw new UsageError(`unknown reporter "${reporter}" (expected one of: ${REPORTERS.join(', ')})`);
  }
  for (const [name, value] of [['stdin-filepath', v['stdin-filepath']], ['config', v.config], ['context', v.context], ['explain', v.explain]] as const) {
    if (value !== undefined && value.trim() === '') throw new UsageError(`--${name} needs a value`);
  }
  if (v.color && v['no-color']) throw new UsageError('--color and --no-color contradict each other');
  if (v['stdin-filepath'] !== undefined && parsed.positionals.length > 0) {
    throw new UsageError('--stdin-filepath reads standard input: do not give paths as well');
  }
  // stdout carries the Dockerfile there and nothing is written beside it: a
  // silently ignored request to create a file would be worse than an error.
  if (v['stdin-filepath'] !== undefined && v['write-dockerignore']) {
    throw new UsageError('--write-dockerignore writes beside a Dockerfile on disk: it cannot be used with --stdin-filepath');
  }
  return {
    paths: parsed.positionals,
    dryRun: v['dry-run'] ?? false,
    check: v.check ?? false,
    unsafe: v.unsafe ?? false,
    select: v.select ? splitIds(v.select) : undefined,
    ignore: v.ignore ? splitIds(v.ignore) : [],
    format: v.format ?? false,
    stdinFilepath: v['stdin-filepath'],
    reporter: reporter as ReporterName,
    config: v.config,
    context: v.context,
    color: v['no-color'] ? false : v.color ? true : undefined,
    listRules: v['list-rules'] ?? false,
    explain: v.explain,
    version: v.version ?? false,
    help: v.help ?? false,
    resolve: v.resolve ?? false,
    writeDockerignore: v['write-dockerignore'] ?? false,
  };
}

/** `--select a,b --select c` → [a, b, c]; empty items are a usage error, not silently dropped. */
function splitIds(values: string[]): string[] {
  const ids: string[] = [];
  for (const value of values) {
    for (const id of value.split(',')) {
      const t = id.trim();
      if (!t) throw new UsageError(`empty rule id in "${value}"`);
      ids.push(t);
    }
  }
  return ids;
}
