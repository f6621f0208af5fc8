/**
 * Instruction-level checks: the errors BuildKit's instructions package
 * (frontend/dockerfile/instructions/parse.go, bflag.go) raises after the
 * parser succeeded. Only rules that do not depend on the Dockerfile frontend
 * version are checked:
 * - unknown instructions, and instructions other than ARG before the first FROM;
 * - argument counts (FROM one or three words with a valid stage name, COPY/ADD
 *   a destination, WORKDIR/USER/… exactly one, ENV/LABEL/ARG names not blank…);
 * - ONBUILD triggers (no ONBUILD, FROM or MAINTAINER), HEALTHCHECK types,
 *   SHELL in JSON form;
 * - flags on instructions whose flag set is stable: none at all for ENV, LABEL,
 *   MAINTAINER, WORKDIR, USER, CMD, ENTRYPOINT, SHELL, EXPOSE, VOLUME and
 *   ONBUILD; `--platform` for FROM; the interval flags of HEALTHCHECK.
 * Not checked (they vary between frontend versions or need evaluation): the
 * flags of RUN, COPY and ADD, flag values (durations, booleans), variable
 * expansion errors.
 */
import type { Instruction } from './document.js';
import { argWords, parseHeredocWord, splitWhitespace } from './words.js';

/** BuildKit's nodeArgs: the argument strings the instructions layer receives. */
function nodeArgs(inst: Instruction, escape: string): string[] {
  const args = inst.args;
  switch (inst.keyword) {
    case 'RUN':
    case 'CMD':
    case 'ENTRYPOINT':
    case 'SHELL':
      return inst.json ?? (args === '' ? [] : [args]);
    case 'ADD':
    case 'COPY':
    case 'VOLUME':
      return inst.json ?? splitWhitespace(args).map((w) => w.value);
    case 'FROM':
    case 'EXPOSE':
      return splitWhitespace(args).map((w) => w.value);
    case 'ARG':
      return argWords(inst, escape).map((w) => w.value);
    case 'HEALTHCHECK': {
      const m = /^([^\t\n\v\f\r ]+)[\t\n\v\f\r ]*([\s\S]*)$/.exec(args);
      if (!m) return [];
      return [m[1], ...(inst.json ?? (m[2] === '' ? [] : [m[2]]))];
    }
    case 'ONBUILD':
      return inst.trigger ? [inst.trigger.rawKeyword, ...nodeArgs(inst.trigger, escape)] : [];
    default:
      // MAINTAINER, STOPSIGNAL, USER, WORKDIR (parseString); ENV/LABEL are handled apart
      return args === '' ? [] : [args];
  }
}

/** BuildKit's handleJSONArgs: exec form as is, shell form as one string. */
function commandLine(args: string[], inst: Instruction): string[] {
  if (args.length === 0) return [];
  return inst.json ? args : [args.join(' ')];
}

/** BFlags.Parse for an instruction that accepts the given string flags (none when empty). */
function flagError(inst: Instruction, accepted: readonly string[]): string | undefined {
  const used = new Set<string>();
  for (const f of inst.flags) {
    if (!accepted.includes(f.name)) return `unknown flag: --${f.name}`;
    if (used.has(f.name)) return `duplicate flag specified: --${f.name}`;
    used.add(f.name);
    if (f.value === null) return `missing a value on flag: --${f.name}`;
  }
  return undefined;
}

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;
const HEALTHCHECK_FLAGS = ['interval', 'timeout', 'start-period', 'start-interval', 'retries'];

/** The first error BuildKit's ParseInstruction raises for this instruction, if any. */
export function instructionError(inst: Instruction, escape: string): string | undefined {
  if (!inst.known) return `unknown instruction: ${inst.rawKeyword}`;
  const kw = inst.keyword;
  if (kw === 'ENV' || kw === 'LABEL') {
    const flag = flagError(inst, []);
    if (flag) return flag;
    const words = argWords(inst, escape);
    if (words.length === 0) return `${kw} requires at least one argument`;
    if (words[0].value.includes('=') && words.some((w) => w.value.startsWith('='))) return `${kw} names can not be blank`;
    return undefined;
  }
  const args = nodeArgs(inst, escape);
  switch (kw) {
    case 'FROM': {
      if (args.length === 3 && args[1].toLowerCase() === 'as') {
        if (!STAGE_NAME.test(args[2].toLowerCase())) {
          return `invalid name for build stage: ${JSON.stringify(args[2])}, name can't start with a number or contain symbols`;
        }
      } else if (args.length !== 1) return 'FROM requires either one or three arguments';
      return flagError(inst, ['platform']);
    }
    case 'COPY':
    case 'ADD': {
      if (args.length < 2) {
        return `${kw} requires at least two arguments, but only one was provided. Destination could not be determined`;
      }
      const dest = parseHeredocWord(args[args.length - 1]);
      if (dest && dest !== 'error') return `${kw} cannot accept a heredoc as a destination`;
      return undefined;
    }
    case 'ONBUILD': {
      if (args.length === 0) return 'ONBUILD requires at least one argument';
      const flag = flagError(inst, []);
      if (flag) return flag;
      const trigger = args[0].trim().toUpperCase();
      if (trigger === 'ONBUILD') return 'Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed';
      if (trigger === 'MAINTAINER' || trigger === 'FROM') return `${trigger} isn't allowed as an ONBUILD trigger`;
      return undefined;
    }
    case 'WORKDIR':
    case 'USER':
    case 'MAINTAINER':
      if (args.length !== 1) return `${kw} requires exactly one argument`;
      return flagError(inst, []);
    case 'STOPSIGNAL':
      return args.length !== 1 ? 'STOPSIGNAL requires exactly one argument' : undefined;
    case 'EXPOSE':
      if (args.length === 0) return 'EXPOSE requires at least one argument';
      return flagError(inst, []);
    case 'VOLUME': {
      if (args.length === 0) return 'VOLUME requires at least one argument';
      const flag = flagError(inst, []);
      if (flag) return flag;
      if (args.some((v) => v.trim() === '')) return 'VOLUME specified can not be an empty string';
      return undefined;
    }
    case 'ARG':
      if (args.length === 0) return 'ARG requires at least one argument';
      if (args.some((a) => a.startsWith('='))) return 'ARG names can not be blank';
      return undefined;
    case 'SHELL': {
      const flag = flagError(inst, []);
      if (flag) return flag;
      if (commandLine(args, inst).length === 0) return 'SHELL requires at least one argument';
      return inst.json ? undefined : 'SHELL requires the arguments to be in JSON form';
    }
    case 'CMD':
    case 'ENTRYPOINT':
      return flagError(inst, []);
    case 'HEALTHCHECK': {
      if (args.length === 0) return 'HEALTHCHECK requires at least one argument';
      const type = args[0].toUpperCase();
      if (type === 'NONE') return args.length !== 1 ? 'HEALTHCHECK NONE takes no arguments' : undefined;
      const flag = flagError(inst, HEALTHCHECK_FLAGS);
      if (flag) return flag;
      if (type !== 'CMD') return `Unknown type ${JSON.stringify(type)} in HEALTHCHECK (try CMD)`;
      if (commandLine(args.slice(1), inst).length === 0) return 'Missing command after HEALTHCHECK CMD';
      return undefined;
    }
    default:
      // RUN: its flags depend on the frontend version
      return undefined;
  }
}

/**
 * Report the instruction-level errors (one per instruction, as BuildKit stops
 * at the first) and set `error` on instructions that have none yet.
 */
export function validateInstructions(
  instructions: Instruction[],
  escape: string,
  report: (message: string, offset: number) => void,
): void {
  let stages = 0;
  for (const inst of instructions) {
    if (inst.error) {
      if (inst.keyword === 'FROM') stages++;
      continue; // a parser error already stops BuildKit here
    }
    let error = instructionError(inst, escape);
    if (!error && inst.keyword !== 'FROM' && inst.keyword !== 'ARG' && stages === 0) {
      error = 'no build stage in current context';
    }
    if (inst.keyword === 'FROM') stages++;
    if (error) {
      inst.error = error;
      report(error, inst.start);
    }
  }
}
