/**
 * add-to-copy: ADD → COPY where ADD does nothing COPY would not.
 *
 * ADD differs from COPY in three ways (safety.md, "ADD → COPY"): it fetches
 * remote URLs and git repositories, it extracts local tar archives (detected
 * by content, not by name), and it has flags COPY rejects. The swap is safe
 * only when every source is a literal local path that is not an archive. The
 * archive question is answered by reading the build context when we have it;
 * without it, names are all we have, and the reason says so.
 */
import type { Document, Flag, Instruction } from '../syntax/document.js';
import { splitWhitespace, trimTrailing } from '../syntax/words.js';
import type { BuildContext, Edit, Finding, Rule } from './types.js';
import { findingsOf } from './shared/findings.js';
import { reparseLocally } from './shared/edits.js';
import { keywordLike } from './shared/text.js';

const ID = 'add-to-copy';
const finding = findingsOf(ID);

export const addToCopy: Rule = {
  meta: {
    id: ID,
    title: 'Use COPY instead of ADD for local files and directories',
    safety: 'safe',
    related: ['DL3020'],
    docs: [
      'ADD also downloads URLs, clones git repositories and extracts local tar archives; COPY only copies, which',
      'makes the intent plain (Dockerfile reference, "ADD" and "COPY": https://docs.docker.com/reference/dockerfile/#add,',
      'https://docs.docker.com/reference/dockerfile/#copy; hadolint DL3020). The rewrite is safe when every source',
      'is a literal local path (no `$`, no URL, no git reference such as `git@host:repo` or `https://…/x.git`), there',
      'is no `--checksum` or `--keep-git-dir`, `--unpack` is absent or false (it is dropped), and no source is a tar',
      'archive by content: the rule expands wildcards in the build context and reads the first bytes of each file',
      '(gzip, bzip2, xz, zstd, or a tar header). Directories are fine: archives inside a copied directory are not',
      'extracted. Without the build context a source with an archive extension is only reported, and other names',
      'are converted on the assumption that the name tells the content. Heredoc sources are always safe. Flags,',
      'JSON form and keyword case are kept.',
    ].join(' '),
  },
  check(doc, ctx) {
    const findings: Finding[] = [];
    for (const inst of doc.instructions) {
      if (inst.keyword !== 'ADD') continue;
      const f = analyze(doc, inst, ctx.buildContext);
      if (f) findings.push(f);
    }
    return findings;
  },
};

/** Flags COPY accepts too; anything else keeps the ADD as it is. */
const SHARED_FLAGS = new Set(['chown', 'chmod', 'link', 'exclude']);

const ARCHIVE_EXT = /\.(tar|gz|tgz|bz2|tbz|tbz2|tb2|xz|txz|zst|tzst|z|tz|lz|lzma|tlz)$/i;

type Verdict =
  /** ADD is needed (or the instruction is not ours to touch): no finding */
  | { kind: 'keep' }
  /** we cannot prove it: report */
  | { kind: 'unknown'; why: string }
  /** a plain local source; byName: proven only by its name */
  | { kind: 'plain'; byName: boolean };

function analyze(doc: Document, inst: Instruction, context: BuildContext | undefined): Finding | null {
  if (inst.error) return null;
  const edits: Edit[] = [];
  // With `--unpack=false` ADD copies archives as they are, like COPY: their content no longer matters.
  let unpack = true;
  for (const f of inst.flags) {
    if (SHARED_FLAGS.has(f.name)) continue;
    if (f.name === 'unpack' && f.value !== null && f.value.toLowerCase() === 'false') {
      edits.push(dropFlag(doc, inst, f));
      unpack = false;
      continue;
    }
    // --checksum, --keep-git-dir, --unpack[=true] need ADD; unknown flags are an error BuildKit reports.
    return null;
  }

  const heredocNames = new Set(inst.heredocs.map((h) => h.name));
  let words: string[];
  if (inst.json) words = inst.json;
  else words = splitWhitespace(inst.args).map((w) => w.value);
  if (words.length < 2) return null;
  const sources = words.slice(0, -1);

  const verdicts: Verdict[] = [];
  let local = false;
  for (const src of sources) {
    if (!inst.json && isHeredocWord(src, heredocNames)) {
      verdicts.push({ kind: 'plain', byName: false });
      continue;
    }
    local = true;
    verdicts.push(classify(doc, src, context, unpack));
  }
  if (verdicts.some((v) => v.kind === 'keep')) return null;

  const unknown = verdicts.find((v): v is { kind: 'unknown'; why: string } => v.kind === 'unknown');
  if (unknown) {
    return finding(inst, 'suggestion', 'use COPY instead of ADD if the sources are plain local files (ADD also fetches URLs and extracts archives)', `not rewritten: ${unknown.why}`);
  }
  const byName = verdicts.some((v) => v.kind === 'plain' && v.byName);
  let message = 'use COPY instead of ADD: the sources are local files or directories, not URLs or archives';
  let reason: string;
  if (!unpack) {
    message = 'use COPY instead of ADD --unpack=false: the sources are local and copied as they are';
    reason = '`--unpack=false` makes ADD copy archives as they are, and every source is a literal local path: COPY copies the same files';
  } else if (byName) {
    reason = 'safe by name: no source is a URL or has an archive extension, but the build context was not read, so an archive under another name would not be noticed';
  } else if (local) {
    reason = 'every source is a literal local path, and the build context shows no tar archive among them: COPY copies the same files';
  } else {
    reason = 'every source is a heredoc, which ADD and COPY write the same way';
  }
  edits.unshift({ start: inst.start, end: inst.start + inst.rawKeyword.length, text: keywordLike(inst.rawKeyword, 'COPY', { titleCase: true }) });
  // Dropping a flag can change how the rest of the line reads (a `#` that becomes the
  // first word of a continuation line turns it into a comment): re-read the result.
  const rewritten = reparseLocally(doc, inst, edits);
  const sameWords = (i: Instruction): string => JSON.stringify(i.json ?? splitWhitespace(i.args).map((w) => w.value));
  if (!rewritten || rewritten.inst.keyword !== 'COPY' || sameWords(rewritten.inst) !== sameWords(inst) ||
      rewritten.inst.flags.length !== inst.flags.length - (unpack ? 0 : 1)) {
    return finding(inst, 'suggestion', message, 'not rewritten: without the flag the line would read differently (e.g. a `#` would start a continuation line)');
  }
  return finding(inst, 'safe', message, reason, { edits });
}

function isHeredocWord(word: string, names: Set<string>): boolean {
  const m = /^\d*<<-?(.*)$/.exec(word);
  return !!m && names.has(m[1].replace(/["'\\]/g, ''));
}

/** BuildKit's source classification (after variable expansion, which we refuse). */
function classify(doc: Document, src: string, context: BuildContext | undefined, unpack: boolean): Verdict {
  // A literal URL or git prefix decides, whatever variables or quotes follow (the lexer only removes quotes).
  const unquoted = src.replace(/["']/g, '');
  if (/^(git|ssh):\/\//i.test(unquoted) || /^[a-zA-Z0-9_-]+@[a-zA-Z0-9.-]+:/.test(unquoted)) return { kind: 'keep' };
  if (/^https?:\/\//i.test(unquoted)) return { kind: 'keep' };
  if (src.includes('$')) return { kind: 'unknown', why: `\`${src}\` uses a variable, which could name a URL or an archive` };
  if (/['"]/.test(src) || src.includes(doc.escape)) return { kind: 'unknown', why: `\`${src}\` is quoted or escaped, so its path is not read literally here` };
  if (context) return inContext(src, context, unpack);
  if (!unpack) return { kind: 'plain', byName: false };
  if (/[*?[]/.test(src)) {
    // What a pattern can match: the literal text after its last wildcard must end in a non-archive extension.
    const tail = src.slice(Math.max(src.lastIndexOf('*'), src.lastIndexOf('?'), src.lastIndexOf(']')) + 1);
    if (!tail.includes('.') || ARCHIVE_EXT.test(tail)) {
      return { kind: 'unknown', why: `\`${src}\` may match archives, and the build context is not available to check` };
    }
    return { kind: 'plain', byName: true };
  }
  if (ARCHIVE_EXT.test(trimTrailing(src, '/'))) {
    return { kind: 'unknown', why: `\`${src}\` has an archive extension and the build context is not available to check its content` };
  }
  return { kind: 'plain', byName: true };
}

function inContext(src: string, context: BuildContext, unpack: boolean): Verdict {
  const matches = context.glob(src);
  if (matches.length === 0) return { kind: 'unknown', why: `\`${src}\` matches nothing in the build context, so the build would fail either way` };
  if (!unpack) return { kind: 'plain', byName: false };
  for (const m of matches) {
    if (context.isDirectory(m)) continue; // ADD copies a directory's contents without extracting
    const head = context.readHead(m, 512);
    if (head === null) return { kind: 'unknown', why: `\`${m}\` is not a regular file` };
    if (isArchive(head)) return { kind: 'keep' };
  }
  return { kind: 'plain', byName: false };
}

/**
 * Would BuildKit extract a file starting with these bytes? A compressed
 * stream (gzip, bzip2, xz, zstd) is treated as an archive without
 * decompressing it; an uncompressed one needs a tar header (the `ustar` magic,
 * or a header block whose checksum is right, as Go's archive/tar checks).
 */
export function isArchive(head: Uint8Array): boolean {
  const starts = (...bytes: number[]): boolean => bytes.every((b, k) => head[k] === b);
  if (starts(0x1f, 0x8b, 0x08)) return true;
  if (starts(0x42, 0x5a, 0x68)) return true;
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return true;
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return true;
  if (head.length < 512) return false;
  if (String.fromCharCode(...head.subarray(257, 262)) === 'ustar') return true;
  return tarChecksumOk(head);
}

function tarChecksumOk(block: Uint8Array): boolean {
  const field = String.fromCharCode(...block.subarray(148, 156)).replace(/^[ \0]+|[ \0]+$/g, '');
  if (!/^[0-7]+$/.test(field)) return false;
  const want = parseInt(field, 8);
  let unsigned = 0;
  let signed = 0;
  for (let k = 0; k < 512; k++) {
    const b = k >= 148 && k < 156 ? 0x20 : block[k];
    unsigned += b;
    signed += b < 128 ? b : b - 256;
  }
  return want === unsigned || want === signed;
}

/**
 * Remove a flag word and the blank that separates it from its neighbour,
 * without touching continuation characters or comment lines.
 */
function dropFlag(doc: Document, inst: Instruction, flag: Flag): Edit {
  const t = inst.logical.text;
  const map = inst.logical.map;
  let ls = 0;
  while (ls < t.length && map[ls] !== flag.start) ls++;
  let le = ls;
  while (le < t.length && map[le] < flag.end) le++;
  if (ls >= t.length || le === ls) return { start: flag.start, end: flag.end, text: '' };
  // `flag.end` is the offset of the next logical character, which may sit on the next line.
  const flagEnd = map[le - 1] + 1;
  const contiguous = (a: number, b: number): boolean => map[b] - map[a] === b - a;
  let after = le;
  while (after < t.length && (t[after] === ' ' || t[after] === '\t')) after++;
  if (after < t.length && after > le && contiguous(ls, after)) return { start: map[ls], end: map[after], text: '' };
  let before = ls;
  while (before > 0 && (t[before - 1] === ' ' || t[before - 1] === '\t')) before--;
  if (before < ls && contiguous(before, le - 1)) {
    // Keep one blank when the flag touches the continuation character: `COPY\` would glue the keyword to it.
    const touchesEscape = doc.text[flagEnd] === doc.escape;
    return { start: map[before] + (touchesEscape ? 1 : 0), end: flagEnd, text: '' };
  }
  // Alone on a continuation line: remove that whole physical line.
  const line = inst.lines.find((l) => l.kind === 'code' && l.start <= flag.start && flag.start < l.contentEnd);
  if (line && line.escapeAt >= 0 && line.line !== inst.startLine && /^[ \t]*$/.test(doc.text.slice(line.start, flag.start)) && /^[ \t]*$/.test(doc.text.slice(flagEnd, line.escapeAt))) {
    return { start: doc.lines[line.line].start, end: doc.lines[line.line].end, text: '' };
  }
  return { start: flag.start, end: flagEnd, text: '' };
}
