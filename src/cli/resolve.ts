/**
 * `--resolve`: the only place dockerfix talks to the network, and only when
 * asked. run.ts imports this module on demand, so a run without the flag
 * does not even load the registry client.
 *
 * Rules never do I/O, so the lookups happen before any rule runs: the image
 * references `pin-base-image` will look up are collected from every file of
 * the run, resolved in one batch by one client (one login, one answer per
 * image however many Dockerfiles name it), and the answers are handed to
 * every rule as `RuleContext.resolved`. A failed lookup is an `{ error }`
 * answer, which the rule reports on that image's line; it never stops a file
 * or the run. Only an unreadable Docker config stops the run (exit 2): going
 * on anonymously would give misleading "unauthorized" reports instead.
 */
import { parse } from '../syntax/parse.js';
import { DockerConfigCredentials, RegistryClient, RegistryError } from '../registry/index.js';
import { collectImageReferences, resolveReferences, type ResolveResult } from '../registry/prefetch.js';
import { ConfigError, type LoadedConfig } from './config.js';
import { displayPath } from './discover.js';
import { selectRules, type Session } from './pipeline.js';

/** The rule whose references are resolved (the only rule that reads `ctx.resolved`). */
const PIN_RULE = 'pin-base-image';

/** A Dockerfile of the run: its text and the absolute path its config is found from. */
export interface ResolveInput {
  text: string;
  abs: string;
}

export interface ResolveEnv {
  /** the environment run() was given: `DOCKER_CONFIG`, `HOME` */
  env: Record<string, string | undefined>;
  /** for messages: config files are named relative to it */
  cwd: string;
  /** HTTP for the registry client (default: the global fetch) */
  fetch?: typeof fetch;
}

/** A problem that stops the run before any file is processed (exit 2). Its message names no secret. */
export class ResolveSetupError extends Error {}

/**
 * Resolve the image references of all these files. Files whose config is
 * broken, that do not parse, or for which pin-base-image is off are skipped
 * here: processing reports them as usual. Without any reference nothing is
 * read and no client is made.
 */
export async function resolveImages(inputs: readonly ResolveInput[], session: Session, env: ResolveEnv): Promise<Map<string, ResolveResult>> {
  const refs = new Set<string>();
  const mirrors = new MirrorSet(env.cwd);
  for (const input of inputs) {
    let config: LoadedConfig;
    try {
      config = session.configs.forFile(input.abs);
    } catch (err) {
      if (err instanceof ConfigError) continue;
      throw err;
    }
    if (!selectRules(session, config).active.some((r) => r.meta.id === PIN_RULE)) continue;
    const doc = parse(input.text);
    if (doc.problems.length > 0) continue;
    const syntax = config.rules.get(PIN_RULE)?.options.syntax === true;
    const found = collectImageReferences(doc, { syntax });
    for (const ref of found) refs.add(ref);
    if (found.length > 0) mirrors.add(config);
  }
  if (refs.size === 0) return new Map();

  let credentials: DockerConfigCredentials;
  try {
    credentials = await DockerConfigCredentials.load({ env: env.env, home: env.env.HOME || undefined });
  } catch (err) {
    // RegistryError messages name the file and what is wrong with it, never its content.
    if (err instanceof RegistryError) throw new ResolveSetupError(`--resolve: ${err.message}`);
    throw err;
  }
  const client = new RegistryClient({ credentials, ...(env.fetch ? { fetch: env.fetch } : {}) });
  return resolveReferences(refs, client, { mirrors: mirrors.toRecord() });
}

/**
 * The mirrors of every config involved, merged: one batch means one mirror
 * per registry, so two configs that send the same registry to different
 * hosts are an error rather than a silent choice.
 */
class MirrorSet {
  private readonly byRegistry = new Map<string, { host: string; file: string }>();

  constructor(private readonly cwd: string) {}

  add(config: LoadedConfig): void {
    for (const [registry, host] of Object.entries(config.registryMirrors)) {
      const file = config.file!; // only a config file can set mirrors
      const seen = this.byRegistry.get(registry);
      if (!seen) this.byRegistry.set(registry, { host, file });
      else if (seen.host !== host) {
        throw new ResolveSetupError(
          `--resolve: ${displayPath(seen.file, this.cwd)} and ${displayPath(file, this.cwd)} set different registryMirrors for ${registry}; ` +
            'one run asks one mirror per registry (run them separately, or use --config)',
        );
      }
    }
  }

  toRecord(): Record<string, string> {
    return Object.fromEntries([...this.byRegistry].map(([registry, { host }]) => [registry, host]));
  }
}
