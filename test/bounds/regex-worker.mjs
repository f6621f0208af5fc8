// Worker for regex.test.ts (see watchdog.ts for the protocol): runs each
// regular expression once on adversarial inputs built from its own characters
// and reports the slowest call.
import { parentPort, workerData } from 'node:worker_threads';

const { regexes, start, confirmMs } = workerData;

/** Characters a regex source can match, one representative per escape class. */
function charsOf(src) {
  const out = new Set();
  const classes = { s: ' \t', S: 'a', d: '0', D: 'a', w: 'a_', W: ' ', n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', b: '', B: '' };
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const d = src[++i];
      if (d in classes) for (const x of classes[d]) out.add(x);
      else if (d === 'u' || d === 'x') {
        const m = /^u\{([0-9a-fA-F]+)\}|^u([0-9a-fA-F]{4})|^x([0-9a-fA-F]{2})/.exec(src.slice(i));
        if (m) {
          out.add(String.fromCodePoint(parseInt(m[1] ?? m[2] ?? m[3], 16)));
          i += m[0].length - 1;
        }
      } else if (d === 'p' || d === 'P') {
        out.add('a');
        out.add(' ');
      } else if (!/[0-9kc]/.test(d)) out.add(d);
    } else if (c === '.') out.add('a');
    else if (!'^$()|?*+{}[]'.includes(c)) out.add(c);
  }
  // Characters rarely matched, so a run is followed by a failure point.
  return [...out].filter((c) => c !== '\u0001');
}


// ---- A walk over the regex: one example per atom, to reach the backtracking parts of anchored regexes ----

const CANDIDATES = ['a', ' ', '0', 'x', '-', '/', '.', '=', '"', '\t', 'A', '_', ':', '@', '#', '\\'];
const ESCAPE_CLASS = { s: [' ', '\t'], S: ['a'], d: ['0'], D: ['a'], w: ['a', '_'], W: [' '], n: ['\n'], t: ['\t'], r: ['\r'], f: ['\f'], v: ['\v'] };

/** The characters a class body `[...]` matches (a few representatives). */
function classChars(body) {
  const negated = body.startsWith('^');
  const listed = new Set();
  let ranges = [];
  const b = negated ? body.slice(1) : body;
  for (let i = 0; i < b.length; i++) {
    let c = b[i];
    if (c === '\\') {
      const d = b[++i];
      if (d in ESCAPE_CLASS) {
        for (const x of ESCAPE_CLASS[d]) listed.add(x);
        continue;
      }
      const m = /^u([0-9a-fA-F]{4})|^x([0-9a-fA-F]{2})/.exec(b.slice(i));
      if (m) {
        c = String.fromCharCode(parseInt(m[1] ?? m[2], 16));
        i += m[0].length - 1;
      } else c = d;
    }
    if (b[i + 1] === '-' && i + 2 < b.length && b[i + 2] !== ']') {
      ranges.push([c, b[i + 2] === '\\' ? b[i + 3] : b[i + 2]]);
      i += b[i + 2] === '\\' ? 3 : 2;
      listed.add(c);
    } else listed.add(c);
  }
  const preferred = (xs) => [...xs].sort((x, y) => (CANDIDATES.indexOf(x) + 1 || 99) - (CANDIDATES.indexOf(y) + 1 || 99));
  const inClass = (ch) => listed.has(ch) || ranges.some(([lo, hi]) => ch >= lo && ch <= hi) || (listed.has(' ') && ch === '\t');
  if (!negated) return preferred(listed).slice(0, 3);
  return CANDIDATES.filter((ch) => !inClass(ch)).slice(0, 3);
}

/**
 * Atoms of a regex source, with the first alternative of each group:
 * `{ chars, min, many }` where chars are characters one repetition may be,
 * min the least repetitions, many whether it may repeat unboundedly.
 */
function atomsOf(src) {
  const atoms = [];
  let i = 0;
  const group = () => {
    // skip to the matching `)`, returning its body
    let depth = 1;
    const start = i;
    while (i < src.length && depth > 0) {
      const c = src[i];
      if (c === '\\') i++;
      else if (c === '[') {
        i++;
        while (i < src.length && src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
      } else if (c === '(') depth++;
      else if (c === ')') depth--;
      i++;
    }
    return src.slice(start, i - 1);
  };
  const firstAlternative = (body) => {
    let depth = 0;
    for (let k = 0; k < body.length; k++) {
      const c = body[k];
      if (c === '\\') k++;
      else if (c === '[') {
        k++;
        while (k < body.length && body[k] !== ']') k += body[k] === '\\' ? 2 : 1;
      } else if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (c === '|' && depth === 0) return body.slice(0, k);
    }
    return body;
  };
  const top = firstAlternative(src);
  src = top;
  while (i < src.length) {
    const c = src[i++];
    let atom = null;
    if (c === '^' || c === '$') continue;
    if (c === '\\') {
      const d = src[i++];
      if (d === 'b' || d === 'B' || /[1-9k]/.test(d)) atom = { chars: [''], example: '' };
      else if (d in ESCAPE_CLASS) atom = { chars: ESCAPE_CLASS[d], example: ESCAPE_CLASS[d][0] };
      else if (d === 'u' || d === 'x') {
        const m = /^u\{([0-9a-fA-F]+)\}|^u([0-9a-fA-F]{4})|^x([0-9a-fA-F]{2})/.exec(src.slice(i - 1));
        const ch = m ? String.fromCodePoint(parseInt(m[1] ?? m[2] ?? m[3], 16)) : d;
        if (m) i += m[0].length - 1;
        atom = { chars: [ch], example: ch };
      } else if (d === 'p' || d === 'P') {
        if (src[i] === '{') i = src.indexOf('}', i) + 1;
        atom = { chars: ['a'], example: 'a' };
      } else atom = { chars: [d], example: d };
    } else if (c === '[') {
      const start = i;
      while (i < src.length && src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
      const chars = classChars(src.slice(start, i));
      i++;
      atom = { chars: chars.length ? chars : ['a'], example: chars[0] ?? 'a' };
    } else if (c === '(') {
      let body = group();
      if (/^\?(=|!|<=|<!)/.test(body)) continue; // lookaround: zero width
      body = body.replace(/^\?(:|<[A-Za-z_][A-Za-z0-9_]*>)/, '');
      const inner = atomsOf(firstAlternative(body));
      const example = inner.map((a) => a.example.repeat(a.min)).join('') || inner.map((a) => a.example).join('').slice(0, 1);
      const chars = [...new Set(inner.flatMap((a) => a.chars))].slice(0, 3);
      atom = { chars: chars.length ? chars : ['a'], example, inner };
    } else if (c === '.') atom = { chars: ['a'], example: 'a' };
    else atom = { chars: [c], example: c };
    // quantifier
    let min = 1;
    let many = false;
    const q = src[i];
    if (q === '*' || q === '+' || q === '?') {
      i++;
      min = q === '+' ? 1 : 0;
      many = q !== '?';
    } else if (q === '{' && /^\{\d+(,\d*)?\}/.test(src.slice(i))) {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      i += m[0].length;
      min = Number(m[1]);
      many = m[2] !== undefined && (m[3] === '' || Number(m[3]) > 64);
    }
    if (src[i] === '?') i++; // lazy
    // A plain or optional group is its parts, each with its own quantifier (an optional one taken).
    if (atom.inner && !many) atoms.push(...atom.inner);
    else atoms.push({ ...atom, min, many });
  }
  return atoms;
}

const BREAKERS = ['', '\u0001', '\n'];

/**
 * Inputs of about `size` characters: runs of each character the regex names
 * (then nothing, a character it rarely matches, or a line break), a character
 * then a run of the next, alternations of the two, and, for each repeating
 * atom, the text that leads up to it (so anchored regexes get there) followed
 * by a run of what it repeats. `noNewline`: the regex only ever sees text
 * without line breaks, so none is given.
 */
function inputsFor(src, size, noNewline) {
  const nl = (s) => !(noNewline && s.includes('\n'));
  const cs = charsOf(src).filter(nl).slice(0, 16);
  const breakers = BREAKERS.filter(nl);
  const inputs = [];
  for (const c of cs) for (const b of breakers) inputs.push([`${JSON.stringify(c)} x ${size}${b ? ` + ${JSON.stringify(b)}` : ''}`, () => c.repeat(size) + b]);
  for (let i = 0; i + 1 < cs.length && i < 10; i++) {
    const [a, b] = [cs[i], cs[i + 1]];
    inputs.push([`${JSON.stringify(a)} + ${JSON.stringify(b)} x ${size} + "\\u0001"`, () => a + b.repeat(size) + '\u0001']);
    inputs.push([`${JSON.stringify(a + b)} x ${size / 2} + "\\u0001"`, () => (a + b).repeat(size / 2) + '\u0001']);
  }
  let atoms = [];
  try {
    atoms = atomsOf(src);
  } catch {
    // an exotic regex: the runs above still apply
  }
  let prefix = '';
  let walked = 0;
  for (const atom of atoms) {
    if (atom.many && walked < 12) {
      walked++;
      // what the repeating atom (or, for a group, its parts) repeats
      const runs = [...new Set([...atom.chars, ...(atom.inner ?? []).filter((a) => a.many).flatMap((a) => a.chars)])].filter((c) => c && nl(c)).slice(0, 4);
      for (const c of runs) {
        for (const b of breakers) {
          const p = prefix;
          if (nl(p)) inputs.push([`${JSON.stringify(p)} + ${JSON.stringify(c)} x ${size}${b ? ` + ${JSON.stringify(b)}` : ''}`, () => p + c.repeat(size) + b]);
        }
      }
    }
    prefix += atom.example.repeat(Math.max(atom.min, atom.many ? 1 : 0));
    if (prefix.length > 200) break;
  }
  return inputs;
}

const cache = new Map();
function input(key, make) {
  let s = cache.get(key);
  if (s === undefined) {
    if (cache.size > 256) cache.delete(cache.keys().next().value);
    s = make();
    cache.set(key, s);
  }
  return s;
}

function once(re, s) {
  re.lastIndex = 0;
  const t = performance.now();
  re.exec(s);
  return performance.now() - t;
}

for (let i = start; i < regexes.length; i++) {
  parentPort.postMessage({ begin: i });
  const { source, flags, size, noNewline } = regexes[i];
  let result;
  try {
    const re = new RegExp(source, flags);
    let worstMs = 0;
    let worstInput = '';
    for (const [key, make] of inputsFor(source, size, noNewline)) {
      const s = input(key, make);
      let ms = once(re, s);
      // One retry before calling it slow: a GC pause or a busy machine is not backtracking.
      if (ms > confirmMs) ms = Math.min(ms, once(re, s));
      if (ms > worstMs) {
        worstMs = ms;
        worstInput = key;
      }
    }
    result = { worstMs, worstInput };
  } catch (err) {
    result = { error: String(err) };
  }
  parentPort.postMessage({ end: i, result });
}
parentPort.postMessage({ done: true });
