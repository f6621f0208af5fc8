/**
 * Which shell runs the shell-form text of each instruction. Whitespace in
 * shell text may only be rearranged when a POSIX shell reads it: cmd.exe
 * keeps spaces (`echo a  b` prints both), PowerShell and unknown programs have
 * their own rules. A backtick escape or a Windows base image (also one named
 * through a global ARG's default) means cmd.exe; SHELL sets the program;
 * `FROM <stage>` inherits it. meaning() and the printer both read this one
 * function, so they can never disagree about where whitespace is free.
 */
import type { Document, Instruction } from './document.js';
import { parseWords } from './words.js';

export type ShellKind = 'posix' | 'other';

const POSIX_SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'busybox']);
const WINDOWS_IMAGE = /windows|servercore|nanoserver|dotnet\/framework|ltsc20\d\d/i;

/** The shell kind in effect for every instruction of the file. */
export function shellKinds(doc: Document): Map<Instruction, ShellKind> {
  const kinds = new Map<Instruction, ShellKind>();
  const stageShells = new Map<string, ShellKind>();
  const globalArgs = new Map<string, string>();
  const defaultShell: ShellKind = doc.escape === '`' ? 'other' : 'posix';
  let shell = defaultShell;
  let stageName: string | null = null;
  let seenFrom = false;
  for (const inst of doc.instructions) {
    if (inst.keyword === 'ARG' && !seenFrom) {
      for (const w of parseWords(inst.args, doc.escape)) {
        const eq = w.value.indexOf('=');
        if (eq > 0) globalArgs.set(w.value.slice(0, eq), w.value.slice(eq + 1).replace(/^["']|["']$/g, ''));
      }
    } else if (inst.keyword === 'FROM') {
      seenFrom = true;
      const words = inst.args.split(/[\t\v\f\r ]+/);
      const base = words[0] ?? '';
      const platform = inst.flags.find((f) => f.name === 'platform')?.value ?? '';
      const parent = stageShells.get(base);
      const resolved = base.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)[^}]*\}?/g, (_, name: string) => globalArgs.get(name) ?? '');
      if (parent) shell = parent;
      else if (WINDOWS_IMAGE.test(base) || WINDOWS_IMAGE.test(resolved) || /^windows/i.test(platform)) shell = 'other';
      else shell = defaultShell;
      stageName = words.length === 3 && words[1].toLowerCase() === 'as' ? words[2].toLowerCase() : null;
    } else if (inst.keyword === 'SHELL') {
      if (inst.json && inst.json.length > 0) {
        const exe = (inst.json[0].replace(/\\/g, '/').split('/').pop() ?? '').toLowerCase().replace(/\.exe$/, '');
        shell = POSIX_SHELLS.has(exe) ? 'posix' : 'other';
      } else shell = 'other';
    }
    if (stageName) stageShells.set(stageName, shell);
    kinds.set(inst, shell);
  }
  return kinds;
}
