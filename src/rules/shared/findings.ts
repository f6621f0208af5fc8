/**
 * Building findings: every finding of a rule carries the rule's id and the
 * range it is about, so a rule binds its id once.
 */
import type { Finding, Safety } from '../types.js';

/** What a finding may carry besides its message: the fix and what it touches. */
export type Fix = Pick<Finding, 'edits' | 'touches' | 'proposedFile'>;

export type FindingMaker = (at: { start: number; end: number }, safety: Safety, message: string, reason: string, fix?: Fix) => Finding;

/** A finding constructor for one rule; `fix` fields left undefined are not set. */
export function findingsOf(ruleId: string): FindingMaker {
  return (at, safety, message, reason, fix = {}) => {
    const f: Finding = { ruleId, start: at.start, end: at.end, message, safety, reason };
    if (fix.edits !== undefined) f.edits = fix.edits;
    if (fix.touches !== undefined) f.touches = fix.touches;
    if (fix.proposedFile !== undefined) f.proposedFile = fix.proposedFile;
    return f;
  };
}
