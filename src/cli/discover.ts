/**
 * Which files to process. Explicit file paths are always taken, whatever
 * their name; directories are walked recursively for Dockerfile names,
 * skipping VCS folders, node_modules and whatever `.gitignore` files ignore.
 *
 * Name choices (documented in --help and the README):
 * - `Dockerfile`, `Containerfile`, `*.Dockerfile`, `*.dockerfile`,
 *   `Dockerfile.*`, `Containerfile.*`, case-sensitive as listed;
 * - plus lowercase `dockerfile`, because `docker build` itself falls back to
 *   that name when `Dockerfile` is absent, so such files are real Dockerfiles;
 * - never `*.dockerignore` (BuildKit's per-Dockerfile ignore file, e.g.
 *   `Dockerfile.dockerignore`) nor editor/merge leftovers (`~`, `.orig`,
 *   `.rej`, `.bak`, `.swp`, `.swo`, `.tmp`), which `Dockerfile.*` would
 *   otherwise catch.
 *
 * Symbolic links to directories are not followed inside a walk (no cycles,
 * as ripgrep and prettier do); links to files are taken, and the write goes
 * to their target. Each real file is processed once, however it was reached.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Ignore } from 'ignore';
import { describeFsError } from './fs-errors.js';

export interface Target {
  /** absolute path as reached (may be a symlink) */
  abs: string;
  /** what the user sees: relative to the working directory when inside it */
  display: string;
}

export interface DiscoveryError {
  display: string;
  message: string;
}

export interface Discovery {
  files: Target[];
  errors: DiscoveryError[];
}

const EXACT_NAMES = new Set(['Dockerfile', 'Containerfile', 'dockerfile']);
const NOT_DOCKERFILES = /(\.dockerignore|\.orig|\.rej|\.bak|\.swp|\.swo|\.tmp|~)$/;
/** folders never worth descending into */
const SKIP_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules']);

export function isDockerfileName(name: string): boolean {
  if (EXACT_NAMES.has(name)) return true;
  if (NOT_DOCKERFILES.test(name)) return false;
  const withStem = (suffix: string): boolean => name.length > suffix.length && name.endsWith(suffix);
  const withExt = (prefix: string): boolean => name.length > prefix.length && name.startsWith(prefix);
  return withStem('.Dockerfile') || withStem('.dockerfile') || withExt('Dockerfile.') || withExt('Containerfile.');
}

export function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
}

/** One `.gitignore`: its patterns apply to paths relative to its folder. */
interface Layer {
  dir: string;
  ig: Ignore;
}

// `ignore` is CommonJS and only needed when a .gitignore exists: load it on first use.
let ignoreFactory: ((options?: { ignorecase?: boolean }) => Ignore) | undefined;
function makeIgnore(): Ignore {
  ignoreFactory ??= createRequire(import.meta.url)('ignore') as (options?: { ignorecase?: boolean }) => Ignore;
  // Git matches case-sensitively unless core.ignorecase is set; be the same on every machine.
  return ignoreFactory({ ignorecase: false });
}

export class Discoverer {
  private readonly seen = new Set<string>();
  private readonly files: Target[] = [];
  private readonly errors: DiscoveryError[] = [];
  /** dir → its .gitignore layer (or null), read once */
  private readonly layerCache = new Map<string, Layer | null>();

  constructor(private readonly cwd: string) {}

  discover(paths: string[]): Discovery {
    for (const p of paths) this.add(p);
    return { files: this.files, errors: this.errors };
  }

  private add(given: string): void {
    const abs = path.resolve(this.cwd, given);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (err) {
      this.errors.push({ display: given, message: describeFsError(err) });
      return;
    }
    if (st.isDirectory()) this.walkRoot(abs);
    else if (st.isFile()) this.take(abs);
    else this.errors.push({ display: given, message: 'not a regular file or directory' });
  }

  private take(abs: string): void {
    let key = abs;
    try {
      key = fs.realpathSync(abs);
    } catch {
      // a dangling link: keep it, reading it will report the error
    }
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.files.push({ abs, display: displayPath(abs, this.cwd) });
  }

  /**
   * A directory given on the command line: .gitignore files above it count too
   * (up to the enclosing repository's root), unless they ignore the directory
   * itself, which the user named explicitly.
   */
  private walkRoot(root: string): void {
    let layers = this.ancestorLayers(root);
    if (layers.length > 0 && isIgnored(layers, root, true)) layers = [];
    this.walk(root, layers);
  }

  private ancestorLayers(root: string): Layer[] {
    if (fs.existsSync(path.join(root, '.git'))) return [];
    const chain: string[] = [];
    for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
      chain.unshift(dir);
      if (fs.existsSync(path.join(dir, '.git'))) break;
      // Outside any repository, only the .gitignore files inside the walk apply.
      if (path.dirname(dir) === dir) return [];
    }
    return chain.map((d) => this.layerFor(d)).filter((l): l is Layer => l !== null);
  }

  private layerFor(dir: string): Layer | null {
    if (this.layerCache.has(dir)) return this.layerCache.get(dir)!;
    let layer: Layer | null = null;
    try {
      const text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
      layer = { dir, ig: makeIgnore().add(text) };
    } catch {
      // no .gitignore here (or unreadable, which git also skips)
    }
    this.layerCache.set(dir, layer);
    return layer;
  }

  private walk(dir: string, parentLayers: Layer[]): void {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      this.errors.push({ display: displayPath(dir, this.cwd), message: describeFsError(err) });
      return;
    }
    const own = entries.some((e) => e.name === '.gitignore') ? this.layerFor(dir) : null;
    const layers = own ? [...parentLayers, own] : parentLayers;
    // Sorted (by code unit, not locale) so output order is the same on every machine.
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !isIgnored(layers, full, true)) this.walk(full, layers);
      } else if ((e.isFile() || e.isSymbolicLink()) && isDockerfileName(e.name)) {
        if (e.isSymbolicLink() && linksToDirectory(full)) continue;
        if (!isIgnored(layers, full, false)) this.take(full);
      }
    }
  }
}

export function discover(paths: string[], cwd: string): Discovery {
  return new Discoverer(cwd).discover(paths);
}

/**
 * Git's precedence: the deepest .gitignore that has an opinion wins, and a
 * later `!pattern` can re-include what an earlier one excluded.
 */
function isIgnored(layers: Layer[], abs: string, isDir: boolean): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const rel = path.relative(layers[i].dir, abs).split(path.sep).join('/');
    if (rel === '' || rel.startsWith('..')) continue;
    let r;
    try {
      r = layers[i].ig.test(isDir ? rel + '/' : rel);
    } catch {
      continue; // a name `ignore` cannot express as a pattern path: no .gitignore line can match it
    }
    if (r.ignored) return true;
    if (r.unignored) return false;
  }
  return false;
}

function linksToDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
