/**
 * The contract between rules, the fix engine and the CLI.
 *
 * A rule is data (`meta`) plus a pure function (`check`). It never reads files,
 * talks to the network or prints: whatever it may read comes in `RuleContext`.
 */
import type { Document } from '../syntax/document.js';

/**
 * - safe: the image and the container behave the same for every build context
 *   and base image the file could meet; applied by default.
 * - unsafe: usually right, but may change behaviour; applied with `--unsafe`.
 * - suggestion: advice only, never edited.
 */
export type Safety = 'safe' | 'unsafe' | 'suggestion';

/** Replace `[start, end)` of the file with `text` (an insertion when start === end). */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

export interface Finding {
  ruleId: string;
  /** one line, shown to the user */
  message: string;
  /** where it is: offsets into the document text */
  start: number;
  end: number;
  safety: Safety;
  /** why this safety class (one line): shown when a fix is withheld or applied */
  reason: string;
  /** the fix; absent for a report without a fix */
  edits?: Edit[];
  /**
   * Offsets of instructions whose meaning the fix intends to change (beyond the
   * ones its edits touch), e.g. every `COPY --from` that a stage rename updates.
   */
  touches?: number[];
  /**
   * A file the finding proposes to create beside the Dockerfile (e.g. a
   * `.dockerignore`), path relative to the build context. Never written by
   * the engine: the CLI shows it in `--dry-run` and writes it only when asked
   * (`--write-dockerignore`).
   */
  proposedFile?: { path: string; content: string };
}

export interface RuleMeta {
  /** kebab-case id, e.g. `add-to-copy` */
  id: string;
  title: string;
  /** the class of its usual fix; a finding may carry another */
  safety: Safety;
  /** hadolint (DLxxxx) and BuildKit check names this rule maps to */
  related: string[];
  /** longer explanation for `--explain` and the README */
  docs: string;
  /** per-rule options this rule accepts from config, with their description */
  options?: Record<string, string>;
}

/** Read-only access to the build context (the CLI implements it over the file system). */
export interface BuildContext {
  /** the context directory (absolute) */
  root: string;
  /** the first bytes of a regular file, relative to the root; null if missing or not a regular file */
  readHead(relPath: string, bytes: number): Uint8Array | null;
  /** the whole text of a small file (e.g. package.json); null if missing */
  readText(relPath: string): string | null;
  exists(relPath: string): boolean;
  isDirectory(relPath: string): boolean;
  /** relative paths matching a Dockerfile COPY/ADD source pattern (`*`, `?`, `[…]`) */
  glob(pattern: string): string[];
  /** entries of a directory, relative to the root ('' is the root) */
  list(relDir: string): string[];
}

/** A base image resolved by the registry client before rules run. */
export interface ResolvedImage {
  /** tag to write (a version chosen for `latest`/untagged references) */
  tag: string;
  digest: string;
}

export interface RuleContext {
  /** the Dockerfile's path, when known */
  filePath?: string;
  /** options for this rule from config */
  options: Record<string, unknown>;
  /** the build context, when available (`--context`, default: the Dockerfile's directory) */
  buildContext?: BuildContext;
  /** image pins from config: name (or name:tag) → `tag` or `tag@sha256:…` */
  pins?: Record<string, string>;
  /** registry answers gathered before the rules ran (`--resolve`), keyed by the reference as written */
  resolved?: Map<string, ResolvedImage | { error: string }>;
}

export interface Rule {
  meta: RuleMeta;
  check(doc: Document, ctx: RuleContext): Finding[];
}
