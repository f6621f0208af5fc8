/**
 * Registry credentials from Docker's client config (`~/.docker/config.json`).
 *
 * Only inline `auths` entries are read:
 *   { "auths": { "ghcr.io": { "auth": "<base64 user:password>" } } }
 *   { "auths": { "localhost:5000": { "username": "u", "password": "p" } } }
 *
 * Out of scope, on purpose: credential helpers (`credsStore`, `credHelpers`)
 * would mean running an external program (`docker-credential-*`) with the
 * user's keychain access; and `identitytoken` entries need Docker's OAuth
 * refresh-token flow. Both are ignored: such registries are used anonymously.
 *
 * Lookup is by EXACT registry host[:port] – no suffix or wildcard matching, so
 * credentials for `registry.example.com` are never offered to
 * `evil.registry.example.com` or `registry.example.com:8443`. The one alias is
 * Docker Hub, whose entry Docker writes as `https://index.docker.io/v1/` while
 * its API lives at `registry-1.docker.io`.
 *
 * Secrets never appear in errors, warnings or `util.inspect` output.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { RegistryError } from './errors.js';
import { DOCKER_HUB_REGISTRY } from './reference.js';

export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

/** Anything that can answer "which credentials do I use for this registry host?". */
export interface CredentialStore {
  /** `host` is the API host[:port] (`registry-1.docker.io`, `127.0.0.1:5000`). */
  get(host: string): RegistryCredentials | undefined;
}

/** Keys Docker uses for Docker Hub in `auths`, after scheme/path stripping. */
const DOCKER_HUB_ALIASES = new Set(['index.docker.io', 'docker.io', 'registry-1.docker.io']);

/**
 * Turn an `auths` key into the registry host it stands for, as Docker's
 * `ConvertToHostname` does: drop `http(s)://` and any path
 * (`https://index.docker.io/v1/` → `index.docker.io`), then fold Docker Hub
 * aliases into `registry-1.docker.io`.
 */
export function registryHostForConfigKey(key: string): string {
  let host = key.trim();
  host = host.replace(/^https?:\/\//i, '');
  const slash = host.indexOf('/');
  if (slash !== -1) host = host.slice(0, slash);
  return DOCKER_HUB_ALIASES.has(host.toLowerCase()) ? DOCKER_HUB_REGISTRY : host;
}

/**
 * Where Docker keeps its config: `$DOCKER_CONFIG/config.json`, else
 * `~/.docker/config.json`.
 */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const dir = env.DOCKER_CONFIG;
  return dir !== undefined && dir !== '' ? join(dir, 'config.json') : join(home, '.docker', 'config.json');
}

export interface LoadDockerCredentialsOptions {
  /** Explicit path of a config.json; wins over `DOCKER_CONFIG` and the home directory. */
  path?: string;
  /** Environment to read `DOCKER_CONFIG` from (default: `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Home directory (default: `os.homedir()`). */
  home?: string;
}

/** Credentials read from a Docker config file. */
export class DockerConfigCredentials implements CredentialStore {
  // A private field: not enumerable, not shown by console.log / util.inspect / JSON.stringify.
  readonly #byHost: Map<string, RegistryCredentials>;
  /** The file that was read, or undefined when built from an object or when the file does not exist. */
  readonly source: string | undefined;
  /** Entries that were skipped, named by key only (never their content). */
  readonly warnings: readonly string[];

  private constructor(byHost: Map<string, RegistryCredentials>, source: string | undefined, warnings: string[]) {
    this.#byHost = byHost;
    this.source = source;
    this.warnings = warnings;
  }

  /** An empty store: every registry is used anonymously. */
  static empty(): DockerConfigCredentials {
    return new DockerConfigCredentials(new Map(), undefined, []);
  }

  /**
   * Read the Docker config. A missing file is not an error (anonymous access);
   * an unreadable or malformed one is, with a message that names the file only.
   */
  static async load(options: LoadDockerCredentialsOptions = {}): Promise<DockerConfigCredentials> {
    const path = options.path ?? dockerConfigPath(options.env ?? process.env, options.home ?? homedir());
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DockerConfigCredentials.empty();
      throw new RegistryError(`cannot read Docker config ${path}: ${(error as NodeJS.ErrnoException).code ?? 'read error'}`, {
        reason: 'config',
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // Deliberately not JSON.parse's message: V8 quotes a slice of the input
      // in it, and that slice may be a password.
      throw new RegistryError(`cannot read Docker config ${path}: not valid JSON`, { reason: 'config' });
    }
    return DockerConfigCredentials.fromConfig(json, path);
  }

  /** Build a store from an already parsed config object (`{ auths: {…} }`). */
  static fromConfig(config: unknown, source?: string): DockerConfigCredentials {
    const byHost = new Map<string, RegistryCredentials>();
    const warnings: string[] = [];
    const auths = isObject(config) ? config.auths : undefined;
    if (auths !== undefined && !isObject(auths)) {
      throw new RegistryError(`cannot read Docker config${source ? ` ${source}` : ''}: "auths" is not an object`, {
        reason: 'config',
      });
    }
    for (const [key, entry] of Object.entries(auths ?? {})) {
      const credentials = isObject(entry) ? credentialsFromEntry(entry) : undefined;
      if (credentials === undefined) {
        // Typical for entries that only exist because of a credsStore, or
        // that hold an identitytoken: not an error, just not usable here.
        warnings.push(`no usable username/password for ${JSON.stringify(key)}; it is used anonymously`);
        continue;
      }
      const host = registryHostForConfigKey(key);
      // Several keys can name the same host (`docker.io`, `https://index.docker.io/v1/`):
      // the first one in the file wins, so the result does not depend on later noise.
      if (!byHost.has(host)) byHost.set(host, credentials);
    }
    return new DockerConfigCredentials(byHost, source, warnings);
  }

  get(host: string): RegistryCredentials | undefined {
    return this.#byHost.get(host);
  }

  /** Registry hosts that have credentials (no secrets). */
  hosts(): string[] {
    return [...this.#byHost.keys()];
  }

  /** Printing the store shows which hosts have credentials, never the credentials. */
  [inspect.custom](): string {
    return `DockerConfigCredentials { hosts: ${JSON.stringify(this.hosts())} }`;
  }

  toJSON(): { hosts: string[] } {
    return { hosts: this.hosts() };
  }
}

/** Convenience wrapper around `DockerConfigCredentials.load`. */
export function loadDockerCredentials(options: LoadDockerCredentialsOptions = {}): Promise<DockerConfigCredentials> {
  return DockerConfigCredentials.load(options);
}

function credentialsFromEntry(entry: Record<string, unknown>): RegistryCredentials | undefined {
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    // `user:password`; the password may itself contain `:`.
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    return undefined;
  }
  if (typeof entry.username === 'string' && entry.username !== '' && typeof entry.password === 'string') {
    return { username: entry.username, password: entry.password };
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
