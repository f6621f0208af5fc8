/** nextLink: the `rel="next"` target of a registry's Link header (RFC 8288). */
import { describe, expect, it } from 'vitest';
import { nextLink } from '../../src/registry/http.js';

const base = new URL('http://127.0.0.1:5000/v2/lib/tags/list?n=2');
const next = (header: string | null): string | undefined => nextLink(header, base)?.href;

describe('nextLink', () => {
  it.each([
    ['</v2/lib/tags/list?last=b&n=2>; rel="next"', 'http://127.0.0.1:5000/v2/lib/tags/list?last=b&n=2'],
    ['</a>; rel="prev", </b>; rel="next"', 'http://127.0.0.1:5000/b'],
    ['</a>; rel="prev next"', 'http://127.0.0.1:5000/a'],
    ['</a>;REL=Next', 'http://127.0.0.1:5000/a'],
    ['<https://other.example/x>; rel=next', 'https://other.example/x'],
    ['</a>; title="next"', undefined],
    ['</a>; rel="prev"', undefined],
    ['</a; rel="next"', undefined],
    ['', undefined],
  ])('%j → %s', (header, expected) => {
    expect(next(header)).toBe(expected);
  });

  it('no header, no next page', () => {
    expect(next(null)).toBeUndefined();
  });

  it('a hostile header of `<` without `>` is read once (the RegExp it replaces retried every `<`)', () => {
    expect(next('<'.repeat(1 << 20))).toBeUndefined();
    expect(next('<a>' + ', <'.repeat(1 << 18))).toBeUndefined();
  });
});
