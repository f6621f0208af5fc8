/**
 * What some instructions say, read the way BuildKit reads them.
 */
import type { Instruction } from '../../syntax/document.js';
import { splitWhitespace } from '../../syntax/words.js';

/**
 * A bare `--` among the flags: BuildKit's extractBuilderFlags then returns the
 * rest of the line *with* the whitespace after it, which `args` (trimmed)
 * does not show, so the argument text is not what it seems.
 */
export function hasFlagTerminator(inst: Instruction): boolean {
  const t = inst.logical.text;
  return /(^|\s)--(\s|$)/.test(t.slice(t.indexOf(inst.rawKeyword) + inst.rawKeyword.length, inst.argsIndex));
}

export interface CopyParts {
  sources: string[];
  dest: string;
}

/** Sources and destination of a COPY/ADD from the build context; null for `--from`, heredocs or too few words. */
export function copyParts(inst: Instruction): CopyParts | null {
  if ((inst.keyword !== 'COPY' && inst.keyword !== 'ADD') || inst.heredocs.length > 0) return null;
  if (inst.flags.some((f) => f.name === 'from')) return null;
  const words = inst.json ?? splitWhitespace(inst.args).map((w) => w.value);
  if (words.length < 2) return null;
  return { sources: words.slice(0, -1), dest: words[words.length - 1] };
}

export interface MountField {
  /** the key, lower-cased (BuildKit's parseMount matches keys case-insensitively) */
  key: string;
  /** the text after the first `=`; null when there is none */
  value: string | null;
  /** offset of the value (or of the field, without `=`) in the record */
  offset: number;
}

/**
 * The fields of a `--mount` value, split on commas. A quoted CSV field could
 * hide a comma: callers that edit the record refuse quotes first.
 */
export function mountFields(record: string): MountField[] {
  const fields: MountField[] = [];
  let offset = 0;
  for (const field of record.split(',')) {
    const eq = field.indexOf('=');
    fields.push(eq < 0 ? { key: field.toLowerCase(), value: null, offset } : { key: field.slice(0, eq).toLowerCase(), value: field.slice(eq + 1), offset: offset + eq + 1 });
    offset += field.length + 1;
  }
  return fields;
}
