import { describe, expect, it } from 'vitest';
import { fix } from '../../src/fix/index.js';
import type { Finding, Rule, Safety } from '../../src/rules/types.js';
import type { Document } from '../../src/syntax/document.js';

/** A test rule that replaces every `needle` in instructions with `replacement`. */
function replaceRule(id: string, needle: string, replacement: string, safety: Safety = 'safe', related: string[] = []): Rule {
  return {
    meta: { id, title: id, safety, related, docs: '' },
    check(doc: Document): Finding[] {
      const out: Finding[] = [];
      for (const inst of doc.instructions) {
        const text = doc.text.slice(inst.start, inst.end);
        const at = text.indexOf(needle);
        if (at < 0) continue;
        const start = inst.start + at;
        out.push({
          ruleId: id, message: `replace ${needle}`, start, end: start + needle.length, safety, reason: 'test',
          edits: safety === 'suggestion' ? undefined : [{ start, end: start + needle.length, text: replacement }],
        });
      }
      return out;
    },
  };
}

const opts = (rules: Rule[], extra: Partial<Parameters<typeof fix>[1]> = {}) => ({ rules, context: () => ({ options: {} }), ...extra });

describe('fix engine', () => {
  it('applies a safe fix and leaves untouched lines byte-identical', () => {
    const input = 'FROM a\r\nRUN  echo   x\r\nRUN echo old\r\n';
    const r = fix(input, opts([replaceRule('t', 'old', 'new')]));
    expect(r.output).toBe('FROM a\r\nRUN  echo   x\r\nRUN echo new\r\n');
    expect(r.applied.map((f) => [f.ruleId, f.line])).toEqual([['t', 3]]);
  });

  it('refuses a fix that changes the meaning of an instruction it does not name, and never returns that text', () => {
    // The edit sits on the FROM line but deletes the newline, gluing the RUN onto it.
    const sneaky: Rule = {
      meta: { id: 'sneaky', title: '', safety: 'safe', related: [], docs: '' },
      check: (doc) => (doc.instructions.length === 2 ? [{ ruleId: 'sneaky', message: 'm', start: 5, end: 6, safety: 'safe', reason: 'r', edits: [{ start: 6, end: 7, text: ' ' }] }] : []),
    };
    const input = 'FROM a\nRUN echo hi\n';
    const r = fix(input, opts([sneaky]));
    expect(r.output).toBe(input);
    expect(r.internalErrors).toHaveLength(1);
    expect(r.internalErrors[0].ruleId).toBe('sneaky');
  });

  it('refuses a fix that makes an instruction appear out of nowhere', () => {
    const splitter: Rule = {
      meta: { id: 'split', title: '', safety: 'safe', related: [], docs: '' },
      check: (doc) => {
        const i = doc.instructions.find((x) => x.keyword === 'RUN');
        const at = i ? doc.text.indexOf('\\', i.start) : -1;
        return at < 0 ? [] : [{ ruleId: 'split', message: 'm', start: at, end: at + 1, safety: 'safe', reason: 'r', edits: [{ start: at, end: at + 1, text: '' }] }];
      },
    };
    const r = fix('FROM a\nRUN echo a \\\n  && echo b\nCMD ["x"]\n', opts([splitter]));
    expect(r.changed).toBe(false);
    expect(r.internalErrors.map((e) => e.ruleId)).toEqual(['split']);
  });

  it.each([
    // a new SHELL line (itself from the edit) makes the unchanged RUN after it run under PowerShell
    ['a SHELL that changes how a later, untouched RUN is read', 'FROM a\nUSER x\nRUN echo  hi\n', 'USER x', 'SHELL ["powershell", "-c"]\nUSER x'],
    // a heredoc marker turns the following instructions into its body: they disappear
    ['a heredoc marker that swallows the instructions after it', 'FROM a\nRUN echo hi\nUSER x\nCMD ["y"]\n', 'echo hi', 'cat <<EOF'],
    // an escape character at the end of a line continues it into the next instruction
    ['a continuation that glues the next instruction on', 'FROM a\nRUN echo hi\nUSER x\n', 'echo hi', 'echo hi \\'],
  ])('refuses %s, and the text is left as it was', (_name, input, needle, replacement) => {
    const r = fix(input, opts([replaceRule('evil', needle, replacement)]));
    expect(r.output).toBe(input);
    expect(r.internalErrors.map((e) => e.ruleId)).toEqual(['evil']);
  });

  it('verifies a fix in the middle of a long file and keeps every other instruction byte for byte', () => {
    const body = Array.from({ length: 2000 }, (_, i) => `RUN echo ${i}\n`).join('');
    const input = `FROM a\n${body}RUN echo old\n${body}`;
    const r = fix(input, opts([replaceRule('t', 'old', 'brand-new')]));
    expect(r.output).toBe(input.replace('echo old', 'echo brand-new'));
    expect(r.internalErrors).toEqual([]);
    expect(r.document.instructions).toHaveLength(4002);
  });

  it('withholds unsafe fixes unless asked, globally or per rule', () => {
    const rule = replaceRule('u', 'old', 'new', 'unsafe');
    const input = 'FROM a\nRUN echo old\n';
    const withheld = fix(input, opts([rule]));
    expect(withheld.output).toBe(input);
    expect(withheld.withheld.map((f) => f.ruleId)).toEqual(['u']);
    expect(fix(input, opts([rule], { unsafe: true })).output).toBe('FROM a\nRUN echo new\n');
    expect(fix(input, opts([rule], { unsafeRules: new Set(['u']) })).output).toBe('FROM a\nRUN echo new\n');
  });

  it('never edits suggestions and reports them', () => {
    const r = fix('FROM a\nRUN echo old\n', opts([replaceRule('s', 'old', 'new', 'suggestion')], { unsafe: true }));
    expect(r.changed).toBe(false);
    expect(r.reports.map((f) => [f.ruleId, f.line, f.column])).toEqual([['s', 2, 10]]);
  });

  it('defers overlapping edits to the next pass instead of merging them', () => {
    const a = replaceRule('a', 'abc', 'x');
    const b = replaceRule('b', 'bcd', 'y');
    const r = fix('FROM z\nRUN echo abcd\n', opts([a, b]));
    // `a` wins the first pass; `bcd` no longer exists afterwards, so `b` has nothing left to do.
    expect(r.output).toBe('FROM z\nRUN echo xd\n');
    expect(r.applied.map((f) => f.ruleId)).toEqual(['a']);
  });

  it('loops to a fixpoint when one fix enables another', () => {
    const r = fix('FROM z\nRUN echo aa\n', opts([replaceRule('a', 'aa', 'b'), replaceRule('b', 'b', 'c')]));
    expect(r.output).toBe('FROM z\nRUN echo c\n');
    expect(r.applied.map((f) => f.ruleId)).toEqual(['a', 'b']);
  });

  it('stops a fix that never settles and reports it', () => {
    const r = fix('FROM z\nRUN echo a\n', opts([replaceRule('ab', 'a', 'b'), replaceRule('ba', 'b', 'a')], { maxPasses: 3 }));
    expect(r.internalErrors.some((e) => /did not settle/.test(e.message))).toBe(true);
  });

  it('accepts a deletion at the very start of the file (a BOM before FROM)', () => {
    const bom: Rule = {
      meta: { id: 'bom', title: '', safety: 'safe', related: [], docs: '' },
      check: (doc) => (doc.bom ? [{ ruleId: 'bom', message: 'm', start: 0, end: 1, safety: 'safe', reason: 'r', edits: [{ start: 0, end: 1, text: '' }] }] : []),
    };
    const r = fix('\uFEFFFROM a\nRUN x\n', opts([bom]));
    expect(r.internalErrors).toEqual([]);
    expect(r.output).toBe('FROM a\nRUN x\n');
  });

  it('accepts inserting a whole instruction line before another', () => {
    const user: Rule = {
      meta: { id: 'user', title: '', safety: 'safe', related: [], docs: '' },
      check: (doc) => {
        if (doc.instructions.some((i) => i.keyword === 'USER')) return [];
        const cmd = doc.instructions.find((i) => i.keyword === 'CMD')!;
        return [{ ruleId: 'user', message: 'm', start: cmd.start, end: cmd.end, safety: 'safe', reason: 'r', edits: [{ start: cmd.lineStart, end: cmd.lineStart, text: 'USER app\n' }] }];
      },
    };
    const r = fix('FROM a\nRUN x\nCMD ["y"]\n', opts([user]));
    expect(r.internalErrors).toEqual([]);
    expect(r.output).toBe('FROM a\nRUN x\nUSER app\nCMD ["y"]\n');
  });

  it('never edits a file BuildKit rejects: its findings are reported instead', () => {
    const input = 'FROM a\nRUN echo old\nRUN <<EOF cat\nno terminator\n';
    const r = fix(input, opts([replaceRule('t', 'old', 'new')], { unsafe: true }));
    expect(r.output).toBe(input);
    expect(r.applied).toEqual([]);
    expect(r.reports.map((f) => f.ruleId)).toEqual(['t']);
  });

  it('refuses two fixes that are sound alone but merge into one instruction together', () => {
    // `continue` makes the COPY continue at EOF (harmless alone); `append` adds a USER line
    // at EOF (harmless alone). Together the COPY would swallow the USER line.
    const cont: Rule = {
      meta: { id: 'continue', title: '', safety: 'safe', related: [], docs: '' },
      check: (doc) => {
        const c = doc.instructions.find((i) => i.keyword === 'COPY');
        return c && !doc.text.slice(c.start, c.end).endsWith('\\') ? [{ ruleId: 'continue', message: 'm', start: c.start, end: c.end, safety: 'safe', reason: 'r', edits: [{ start: c.end, end: c.end, text: ' \\' }] }] : [];
      },
    };
    const append: Rule = {
      meta: { id: 'append', title: '', safety: 'safe', related: [], docs: '' },
      check: (doc) => (doc.instructions.some((i) => i.keyword === 'USER') ? [] : [{ ruleId: 'append', message: 'm', start: doc.text.length, end: doc.text.length, safety: 'safe', reason: 'r', edits: [{ start: doc.text.length, end: doc.text.length, text: 'USER app\n' }] }]),
    };
    const r = fix('FROM a\nCOPY x /y\n', opts([cont, append]));
    expect(r.output).not.toMatch(/\\\nUSER app/);
    expect(r.internalErrors.map((e) => e.ruleId)).toContain('append');
  });

  describe('inline control comments', () => {
    const rule = replaceRule('demo-rule', 'old', 'new', 'safe', ['DL9999', 'DemoCheck']);
    const run = (text: string) => fix(text, opts([rule])).output;
    it('# dockerfix-ignore skips every rule for the next instruction only', () => {
      expect(run('FROM a\n# dockerfix-ignore\nRUN echo old\nRUN echo old\n')).toBe('FROM a\n# dockerfix-ignore\nRUN echo old\nRUN echo new\n');
    });
    it('# dockerfix-ignore=<id> skips the named rule, not others', () => {
      expect(run('FROM a\n# dockerfix-ignore=demo-rule\nRUN echo old\n')).toBe('FROM a\n# dockerfix-ignore=demo-rule\nRUN echo old\n');
      expect(run('FROM a\n# dockerfix-ignore=other-rule\nRUN echo old\n')).toBe('FROM a\n# dockerfix-ignore=other-rule\nRUN echo new\n');
    });
    it('# hadolint ignore=DLxxxx maps to the rule', () => {
      expect(run('FROM a\n# hadolint ignore=DL3000,DL9999\nRUN echo old\n')).toBe('FROM a\n# hadolint ignore=DL3000,DL9999\nRUN echo old\n');
    });
    it("BuildKit's # check=skip=<Check> directive maps to the rule", () => {
      expect(run('# check=skip=DemoCheck\nFROM a\nRUN echo old\n')).toBe('# check=skip=DemoCheck\nFROM a\nRUN echo old\n');
      expect(run('# check=skip=OtherCheck\nFROM a\nRUN echo old\n')).toBe('# check=skip=OtherCheck\nFROM a\nRUN echo new\n');
    });
    it('# dockerfix-ignore-file turns the file off', () => {
      expect(run('# dockerfix-ignore-file\nFROM a\nRUN echo old\n')).toBe('# dockerfix-ignore-file\nFROM a\nRUN echo old\n');
    });
  });
});
