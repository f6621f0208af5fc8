/**
 * Configuration files, found upward from each Dockerfile's folder:
 * `.dockerfixrc.json`, then `dockerfix.config.json`, then the `"dockerfix"`
 * key of `package.json`; the first folder holding one wins, and the search
 * stops at the file-system root. `--config FILE` replaces discovery.
 *
 * Shape (every key optional):
 *   {
 *     "$schema": "…",                       // ignored, for editors
 *     "rules": {
 *       "<rule-id>": "off" | "on" | "unsafe"  // "unsafe": apply this rule's unsafe fixes without --unsafe
 *                  | ["on" | "unsafe", { "<option>": … }]
 *     },
 *     "pins": { "node": "22.11.0-alpine3.20" },  // image (or image:tag) → tag or tag@sha256:…
 *     "context": "relative/dir",                  // build context, relative to the config file
 *     "registryMirrors": { "docker.io": "127.0.0.1:5000" }  // --resolve asks this host instead
 *   }
 *
 * Anything not understood (a key, a rule id, a rule option, a value) is an
 * error naming the file and the position: a typo must never silently turn a
 * rule back on or a pin off.
 *
 * Loading is cached per folder and per config file, so a monorepo with
 * hundreds of Dockerfiles reads each config file once.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Rule } from '../rules/types.js';
import { didYouMean } from './suggest.js';

export type RuleMode = 'off' | 'on' | 'unsafe';

export interface RuleSetting {
  mode: RuleMode;
  options: Readonly<Record<string, unknown>>;
}

export interface LoadedConfig {
  /** absolute path of the file it came from; null when no config applies */
  file: string | null;
  rules: ReadonlyMap<string, RuleSetting>;
  pins: Readonly<Record<string, string>>;
  /** absolute build-context directory, when the config sets one */
  context?: string;
  /**
   * Registry → the `host[:port]` `--resolve` asks instead (keys of Docker Hub
   * folded to `docker.io`). Only the lookup moves; what is written keeps the
   * user's image name. Read only under `--resolve`.
   */
  registryMirrors: Readonly<Record<string, string>>;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line !== undefined ? `:${line}:${column ?? 1}` : ''}: ${detail}`);
  }
}

export const CONFIG_NAMES = ['.dockerfixrc.json', 'dockerfix.config.json'] as const;
const TOP_KEYS = new Set(['$schema', 'rules', 'pins', 'context', 'registryMirrors']);
const MODES = new Set<RuleMode>(['off', 'on', 'unsafe']);

const EMPTY: LoadedConfig = Object.freeze({ file: null, rules: new Map(), pins: Object.freeze({}), registryMirrors: Object.freeze({}) });

// A registry host as image references write it: a DNS name or [IPv6], and an
// optional port; nothing else (no scheme, path or `user:password@`). The same
// grammar src/registry/prefetch.ts accepts for a mirror.
const REGISTRY_HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
const DOCKER_HUB_KEYS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** A found config: where, and the text that holds it (`key` for package.json). */
interface Source {
  file: string;
  text: string;
  key?: 'dockerfix';
}

export class ConfigResolver {
  /** folder → the config source that applies to it (null: none) */
  private readonly byDir = new Map<string, Source | null>();
  /** config file → its validated content, or the error it gave */
  private readonly byFile = new Map<string, LoadedConfig | ConfigError>();
  private readonly ruleIndex: ReadonlyMap<string, Rule>;
  private explicitCache?: Source;

  /** `explicit`: the `--config FILE` path (absolute), used for every input */
  constructor(rules: readonly Rule[], private readonly explicit?: string) {
    this.ruleIndex = new Map(rules.map((r) => [r.meta.id, r]));
  }

  /** The config for a Dockerfile at this absolute path; throws ConfigError. */
  forFile(absFile: string): LoadedConfig {
    const source = this.explicit ? this.explicitSource() : this.findUp(path.dirname(absFile));
    if (!source) return EMPTY;
    let loaded = this.byFile.get(source.file);
    if (!loaded) {
      try {
        loaded = this.load(source);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        loaded = err;
      }
      this.byFile.set(source.file, loaded);
    }
    if (loaded instanceof ConfigError) throw loaded;
    return loaded;
  }

  private explicitSource(): Source {
    if (this.explicitCache) return this.explicitCache;
    const file = this.explicit!;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(file, `cannot read config: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
    // `--config package.json` means its "dockerfix" key.
    const source: Source = path.basename(file) === 'package.json' ? { file, text, key: 'dockerfix' } : { file, text };
    this.explicitCache = source;
    return source;
  }

  private findUp(start: string): Source | null {
    const visited: string[] = [];
    let found: Source | null = null;
    for (let dir = start; ; ) {
      const cached = this.byDir.get(dir);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      visited.push(dir);
      found = sourceIn(dir);
      if (found) break;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    for (const d of visited) this.byDir.set(d, found);
    return found;
  }

  private load(source: Source): LoadedConfig {
    const { file, text } = source;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      const at = /position (\d+)/.exec((err as Error).message);
      const pos = at ? lineColumn(text, Number(at[1])) : undefined;
      throw new ConfigError(file, `invalid JSON: ${(err as Error).message.replace(/ in JSON at position \d+.*$/, '')}`, pos?.line, pos?.column);
    }
    if (source.key) {
      json = (json as Record<string, unknown> | null)?.[source.key];
      if (json === undefined) throw new ConfigError(file, 'has no "dockerfix" key');
    }
    const fail = (detail: string, key?: string): never => {
      const pos = key !== undefined ? locateKey(text, key) : undefined;
      throw new ConfigError(file, detail, pos?.line, pos?.column);
    };
    if (!isPlainObject(json)) fail('the config must be a JSON object');
    const obj = json as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (!TOP_KEYS.has(key)) fail(`unknown key "${key}"${didYouMean(key, TOP_KEYS)}; expected rules, pins, context or registryMirrors`, key);
    }

    const rules = new Map<string, RuleSetting>();
    if (obj.rules !== undefined) {
      if (!isPlainObject(obj.rules)) fail('"rules" must be an object of rule id → setting', 'rules');
      for (const [id, value] of Object.entries(obj.rules as Record<string, unknown>)) {
        const rule = this.ruleIndex.get(id);
        if (!rule) fail(`unknown rule "${id}"${didYouMean(id, this.ruleIndex.keys())}`, id);
        rules.set(id, parseRuleSetting(rule!, value, (detail) => fail(`rule "${id}": ${detail}`, id)));
      }
    }

    const pins: Record<string, string> = {};
    if (obj.pins !== undefined) {
      if (!isPlainObject(obj.pins)) fail('"pins" must be an object of image → tag', 'pins');
      for (const [image, pin] of Object.entries(obj.pins as Record<string, unknown>)) {
        if (typeof pin !== 'string' || pin.trim() === '' || image.trim() === '') fail(`pin "${image}" must map an image name to a non-empty tag string`, image);
        pins[image] = pin as string;
      }
    }

    let context: string | undefined;
    if (obj.context !== undefined) {
      if (typeof obj.context !== 'string' || obj.context.trim() === '') fail('"context" must be a non-empty path string', 'context');
      context = path.resolve(path.dirname(file), obj.context as string);
      let isDir = false;
      try {
        isDir = fs.statSync(context).isDirectory();
      } catch {
        // reported below
      }
      if (!isDir) fail(`"context" ${JSON.stringify(obj.context)} is not a directory (resolved to ${context})`, 'context');
    }

    const registryMirrors: Record<string, string> = {};
    if (obj.registryMirrors !== undefined) {
      if (!isPlainObject(obj.registryMirrors)) fail('"registryMirrors" must be an object of registry → host[:port]', 'registryMirrors');
      for (const [registry, host] of Object.entries(obj.registryMirrors as Record<string, unknown>)) {
        if (!REGISTRY_HOST.test(registry)) fail(`registryMirrors: ${JSON.stringify(registry)} is not a registry host (expected e.g. "docker.io" or "ghcr.io")`, registry);
        // The value is not echoed: a mistyped `user:password@host` must not end up in a terminal or a CI log.
        if (typeof host !== 'string' || !REGISTRY_HOST.test(host)) fail(`registryMirrors: the mirror for ${JSON.stringify(registry)} must be host[:port], e.g. "127.0.0.1:5000" or "mirror.example.com" (no scheme, path or credentials)`, registry);
        const key = DOCKER_HUB_KEYS.has(registry.toLowerCase()) ? 'docker.io' : registry;
        if (Object.hasOwn(registryMirrors, key)) fail(`registryMirrors: ${JSON.stringify(registry)} names Docker Hub again (docker.io, index.docker.io and registry-1.docker.io are one registry)`, registry);
        registryMirrors[key] = host as string;
      }
    }
    return Object.freeze({ file, rules, pins: Object.freeze(pins), context, registryMirrors: Object.freeze(registryMirrors) });
  }
}

function parseRuleSetting(rule: Rule, value: unknown, fail: (detail: string) => never): RuleSetting {
  if (typeof value === 'string') {
    if (!MODES.has(value as RuleMode)) fail(`unknown setting "${value}" (expected "off", "on" or "unsafe")`);
    return { mode: value as RuleMode, options: {} };
  }
  if (Array.isArray(value)) {
    const [mode, options, ...rest] = value as unknown[];
    if (rest.length > 0 || (mode !== 'on' && mode !== 'unsafe')) fail('expected ["on" | "unsafe", { options }]');
    if (options !== undefined && !isPlainObject(options)) fail('options must be an object');
    const accepted = rule.meta.options ?? {};
    for (const name of Object.keys((options as Record<string, unknown>) ?? {})) {
      if (!Object.hasOwn(accepted, name)) {
        const list = Object.keys(accepted);
        fail(`unknown option "${name}"${didYouMean(name, list)} (${list.length ? `accepted: ${list.join(', ')}` : 'this rule takes no options'})`);
      }
    }
    return { mode: mode as RuleMode, options: Object.freeze({ ...((options as Record<string, unknown>) ?? {}) }) };
  }
  return fail('expected "off", "on", "unsafe" or ["on" | "unsafe", { options }]');
}

/** The config source in this folder, if any (package.json only when it has a "dockerfix" key). */
function sourceIn(dir: string): Source | null {
  for (const name of CONFIG_NAMES) {
    const file = path.join(dir, name);
    const text = readIfFile(file);
    if (text !== null) return { file, text };
  }
  const pkg = path.join(dir, 'package.json');
  const text = readIfFile(pkg);
  // Cheap test first: most package.json files say nothing about dockerfix.
  if (text !== null && text.includes('"dockerfix"')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown> | null;
      if (json && typeof json === 'object' && Object.hasOwn(json, 'dockerfix')) return { file: pkg, text, key: 'dockerfix' };
    } catch {
      // A package.json that names dockerfix but does not parse: report it rather than skip it.
      return { file: pkg, text, key: 'dockerfix' };
    }
  }
  return null;
}

function readIfFile(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return null;
    // Unreadable config: an error, not a silent fallback to defaults.
    throw new ConfigError(file, `cannot read config: ${(err as Error).message}`);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** 1-based position of the first `"key":` in the text (good enough to point an editor at it). */
function locateKey(text: string, key: string): { line: number; column: number } | undefined {
  const re = new RegExp(`${JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`);
  const m = re.exec(text);
  return m ? lineColumn(text, m.index) : undefined;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}
