/**
 * Which platform and shell a stage runs: a rule that rewrites shell text or
 * exec form must know whether `/bin/sh -c` is what runs it.
 */
import type { Document, Flag } from '../../syntax/document.js';
import type { Stage } from './stages.js';

/** Windows-only images: a Windows word in the reference, or the .NET Framework/IIS images, whose names do not say so. */
const WINDOWS_IMAGE =
  /(^|[/:_.-])(windows|nanoserver|windowsservercore|servercore|ltsc\d{4})([/:_.-]|$)|(^|\/)dotnet\/framework\/|(^|\/)microsoft\/(dotnet-framework|aspnet|iis|wcf)([:@]|$)/i;
const WINDOWS_SHELL = /(^|[\\/])(powershell|pwsh|cmd)(\.exe)?$/i;
const POSIX_SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'busybox']);

/** Does this text (an image reference, or a FROM's arguments) name a Windows-only image? */
export const isWindowsImage = (text: string): boolean => WINDOWS_IMAGE.test(text);

/** Is this program (SHELL's first element) cmd or PowerShell? */
export const isWindowsShell = (program: string): boolean => WINDOWS_SHELL.test(program);

/** Is this program (a path or a name) a POSIX shell? */
export const isPosixShell = (program: string): boolean => POSIX_SHELLS.has(program.split('/').pop() ?? '');

/** Does a FROM's `--platform` name Windows? */
export const targetsWindows = (flags: Flag[]): boolean => flags.some((f) => f.name === 'platform' && /windows/i.test(f.value ?? ''));

/**
 * Why a stage builds for Windows (shell form then runs `cmd /S /C`, and paths
 * and quoting differ), or null: a backtick escape, a Windows `--platform` or
 * a cmd/PowerShell SHELL in the stage chain, or a Windows base image at its root.
 */
export function windowsReason(doc: Document, chain: Stage[]): string | null {
  if (doc.escape === '`') return 'the file uses `# escape=``';
  for (const s of chain) {
    if (targetsWindows(s.from.flags)) return 'the stage targets a Windows platform';
    for (const i of s.instructions) if (i.keyword === 'SHELL' && i.json && isWindowsShell(i.json[0] ?? '')) return 'SHELL runs PowerShell or cmd';
  }
  const root = chain[chain.length - 1];
  if (isWindowsImage(root.base)) return `the base image \`${root.base}\` is a Windows image`;
  return null;
}
