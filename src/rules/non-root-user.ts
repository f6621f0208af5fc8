/**
 * non-root-user: the final stage should not run as root (hadolint DL3002).
 *
 * Flags the final stage when its last USER (following `FROM <earlier stage>`
 * chains) is root/0/root:*\/0:*, or when there is none and the base image is
 * not known to run as non-root. The fix inserts, after the last instruction
 * that may need root and before HEALTHCHECK/CMD/ENTRYPOINT:
 * - `USER <the image's own user>` where the table knows one (`node`);
 * - else the user the file itself creates with useradd/adduser;
 * - else a distro-aware creation step and `USER app`;
 * - `USER 65532:65532` on distroless and scratch (no shell to create users).
 * Unknown distribution → suggestion only. Always unsafe: the application may
 * write where a non-root user cannot (safety.md "Non-root USER").
 */
import type { Document, Instruction } from '../syntax/document.js';
import { splitWhitespace, trimTrailing } from '../syntax/words.js';
import { readIgnores } from '../fix/ignores.js';
import type { BuildContext, Edit, Finding, Rule } from './types.js';
import { type Distro, type ImageFacts, lookupImage } from './data/known-images.js';
import { findingsOf } from './shared/findings.js';
import { copyParts } from './shared/instructions.js';
import { windowsReason } from './shared/platform.js';
import { commandWords, literalValues, runCommands, type ShellWord } from './shared/shell.js';
import { chainOf, lastInChain, rootOf, stagesOf, type Stage } from './shared/stages.js';
import { continuesToEof, eolAt, indentOf, keywordStyle } from './shared/text.js';

const ID = 'non-root-user';
const finding = findingsOf(ID);

const UNSAFE_REASON =
  'the app may need to write where a non-root user cannot (COPY/ADD files and WORKDIRs are root-owned) or bind a port below 1024';

/** Commands in an ENTRYPOINT/CMD (or the script it runs) that drop root themselves. */
const DROPS_PRIVILEGES = /(^|[^\w-])(gosu|su-exec|setpriv|s6-setuidgid|runuser|chpst|setuidgid)([^\w-]|$)|(^|[^\w-])chroot\s+--userspec|(^|[\s;&|])su\s[^\n]*\s-c(\s|$)/;

/** Instructions the USER must come after: they run or create files as the current user. */
const AFTER = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR', 'VOLUME', 'ONBUILD', 'USER']);
/** Instructions the USER should come before. */
const BEFORE = new Set(['HEALTHCHECK', 'CMD', 'ENTRYPOINT']);

const DEFAULT_USER = 'app';
const DEFAULT_ID = 10001;
const NONROOT_ID = 65532;

interface Options {
  user?: string;
  uid?: number;
  gid?: number;
  numeric: boolean;
}

function readOptions(raw: Record<string, unknown>): Options | string {
  const o: Options = { numeric: false };
  if (raw.user !== undefined) {
    if (typeof raw.user !== 'string' || !/^[a-z_][a-z0-9_-]{0,31}$/i.test(raw.user)) return 'option `user` must be a user name';
    o.user = raw.user;
  }
  for (const k of ['uid', 'gid'] as const) {
    const v = raw[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 2147483647) return `option \`${k}\` must be a positive integer`;
    o[k] = v;
  }
  if (raw.numeric !== undefined) {
    if (typeof raw.numeric !== 'boolean') return 'option `numeric` must be true or false';
    o.numeric = raw.numeric;
  }
  return o;
}

const isRoot = (user: string): boolean => /^(root|0)(:.*)?$/.test(user);

/** An earlier literal non-root USER in the chain (before `before`), to switch back to. */
function earlierUser(chain: Stage[], before: Instruction): string | null {
  const all = chain.slice().reverse().flatMap((s) => s.instructions);
  for (let k = all.length - 1; k >= 0; k--) {
    const i = all[k];
    if (i.start >= before.start || i.keyword !== 'USER') continue;
    const v = i.args.trim();
    if (!isRoot(v) && !v.includes('$') && !/\s/.test(v)) return v;
  }
  return null;
}

function commandText(inst: Instruction): string {
  return inst.json ? inst.json.join(' ') : inst.args;
}

/** Does the container's start command drop privileges itself (directly or in a script COPY'd from the context)? */
function dropsPrivileges(chain: Stage[], facts: ImageFacts, bc: BuildContext | undefined): boolean {
  const entry = lastInChain(chain, 'ENTRYPOINT');
  const cmd = lastInChain(chain, 'CMD');
  const starts = [entry, cmd].filter((i): i is Instruction => i !== null);
  if (starts.some((i) => DROPS_PRIVILEGES.test(commandText(i)))) return true;
  // Installing gosu/su-exec has no other purpose than dropping root in the entrypoint script.
  const installsDropTool = chain.some((s) => s.instructions.some((i) => i.keyword === 'RUN' && /(^|[^\w-])(gosu|su-exec)([^\w-]|$)/.test(i.logical.text)));
  if (installsDropTool) return true;
  // The base image's own entrypoint (postgres, redis…) when the file keeps it.
  const keepsBaseEntry = !entry || (facts.entrypoint && entry.json && JSON.stringify(entry.json) === JSON.stringify(facts.entrypoint));
  if (keepsBaseEntry && facts.dropsPrivileges) return true;
  if (!bc) return false;
  // A script the file copies from the build context and starts.
  const paths = new Set<string>();
  for (const i of starts) for (const w of splitWhitespace(commandText(i))) if (/^\.?\//.test(w.value)) paths.add(w.value.replace(/^\.\//, ''));
  if (paths.size === 0) return false;
  for (const s of chain) {
    for (const i of s.instructions) {
      const parts = copyParts(i);
      if (!parts) continue;
      const dest = parts.dest;
      for (const src of parts.sources) {
        if (src.includes('$')) continue;
        const base = trimTrailing(src, '/').split('/').pop() ?? src;
        const target = dest.endsWith('/') ? dest + base : dest;
        for (const p of paths) {
          if (target.replace(/^\.\//, '') !== p && target !== '/' + p && target !== p) continue;
          const text = bc.readText(src.replace(/^\.\//, ''));
          if (text !== null && DROPS_PRIVILEGES.test(text)) return true;
        }
      }
    }
  }
  return false;
}

// --- users the file creates itself (useradd / adduser) ---

interface CreatedUser {
  name: string;
  uid?: number;
}

const USERADD_ARG = new Set('bcdefgGkKpsuZRP'.split(''));
const USERADD_LONG_ARG = new Set(['--base-dir', '--comment', '--home-dir', '--home', '--expiredate', '--inactive', '--gid', '--groups', '--skel', '--key', '--password', '--shell', '--uid', '--selinux-user', '--root', '--prefix', '--ingroup', '--gecos', '--firstuid', '--lastuid', '--firstgid', '--lastgid', '--conf', '--extrausers']);
const BUSYBOX_ADDUSER_ARG = new Set('hgsGuk'.split(''));
/** POSIX portable user names (useradd's default NAME_REGEX, upper case and dots allowed). */
const PORTABLE_USER_NAME = /^[A-Za-z_][A-Za-z0-9._-]*\$?$/;

function parseUserCreation(program: string, words: ShellWord[]): CreatedUser | 'unknown' | null {
  const shortArg = program === 'useradd' ? USERADD_ARG : BUSYBOX_ADDUSER_ARG;
  const positional: string[] = [];
  let uid: string | undefined;
  for (let k = 0; k < words.length; k++) {
    const v = words[k].value;
    if (v === null) return 'unknown';
    if (v.startsWith('--')) {
      const eq = v.indexOf('=');
      const name = eq < 0 ? v : v.slice(0, eq);
      let value: string | undefined = eq < 0 ? undefined : v.slice(eq + 1);
      if (eq < 0 && USERADD_LONG_ARG.has(name)) {
        const next = words[++k];
        if (!next || next.value === null) return 'unknown';
        value = next.value;
      }
      if (name === '--uid') uid = value;
      continue;
    }
    if (v.startsWith('-') && v.length > 1) {
      for (let c = 1; c < v.length; c++) {
        if (!shortArg.has(v[c])) continue;
        let value = v.slice(c + 1);
        if (value === '') {
          const next = words[++k];
          if (!next || next.value === null) return 'unknown';
          value = next.value;
        }
        if (v[c] === 'u') uid = value;
        break;
      }
      continue;
    }
    positional.push(v);
  }
  // `adduser USER GROUP` only adds an existing user to a group (Debian): not a creation.
  if (positional.length !== 1) return null;
  // A name useradd would refuse (or BuildKit would read as blank, such as U+3000) is not one to switch to.
  if (!PORTABLE_USER_NAME.test(positional[0])) return 'unknown';
  const n = uid !== undefined && /^\d+$/.test(uid) ? Number(uid) : undefined;
  return { name: positional[0], uid: n };
}

function createdUsers(chain: Stage[]): CreatedUser[] | 'unknown' {
  const users: CreatedUser[] = [];
  for (const s of chain.slice().reverse()) {
    for (const i of s.instructions) {
      if (i.keyword !== 'RUN') continue;
      const cmds = runCommands(i);
      if (!cmds) {
        if (/\b(useradd|adduser)\b/.test(i.logical.text + i.heredocs.map((h) => h.body).join(''))) return 'unknown';
        continue;
      }
      for (const c of cmds) {
        const words = commandWords(c);
        const program = words[0]?.value;
        if (program !== 'useradd' && program !== 'adduser') {
          if (c.words.some((w) => /\b(useradd|adduser)\b/.test(w.raw))) return 'unknown';
          continue;
        }
        if (c.complex) return 'unknown';
        const u = parseUserCreation(program, words.slice(1));
        if (u === 'unknown') return 'unknown';
        if (u) users.push(u);
      }
    }
  }
  return users;
}

// --- the distribution, from the image table or the package manager the file uses ---

const PACKAGE_MANAGERS: Record<string, Distro> = {
  apk: 'alpine', 'apt-get': 'debian', apt: 'debian', dnf: 'rhel', yum: 'rhel', microdnf: 'rhel-minimal',
};

function distroOf(chain: Stage[], facts: ImageFacts): { distro: Distro; from: string } | null {
  if (facts.distro) return { distro: facts.distro, from: 'the image name' };
  const seen = new Set<Distro>();
  for (const s of chain) {
    for (const i of s.instructions) {
      for (const c of runCommands(i) ?? []) {
        const w = literalValues(commandWords(c).slice(0, 1));
        const d = w && PACKAGE_MANAGERS[w[0]];
        if (d) seen.add(d);
      }
    }
  }
  // Two families in one stage chain (apk and apt-get) cannot both be right.
  if (seen.size !== 1) return null;
  const distro = [...seen][0];
  return { distro, from: `its use of ${Object.keys(PACKAGE_MANAGERS).find((k) => PACKAGE_MANAGERS[k] === distro)}` };
}

const DISTRO_LABEL: Record<Distro, string> = {
  alpine: 'Alpine', busybox: 'BusyBox', debian: 'Debian', ubuntu: 'Ubuntu', rhel: 'the RHEL family', 'rhel-minimal': 'UBI minimal',
  distroless: 'distroless', scratch: 'scratch',
};

function creationStep(distro: Distro, name: string, uid: number, gid: number): string | null {
  switch (distro) {
    case 'alpine':
    case 'busybox':
      return `addgroup -S -g ${gid} ${name} && adduser -S -D -H -u ${uid} -G ${name} ${name}`;
    case 'debian':
    case 'ubuntu':
      // slim images have no `adduser`; -l/--no-log-init keeps a large uid from bloating /var/log/lastlog
      return `groupadd -r -g ${gid} ${name} && useradd -r -l -u ${uid} -g ${name} --no-log-init ${name}`;
    case 'rhel':
      return `groupadd -r -g ${gid} ${name} && useradd -r -l -u ${uid} -g ${name} ${name}`;
    case 'rhel-minimal':
      return `microdnf install -y shadow-utils && microdnf clean all && groupadd -r -g ${gid} ${name} && useradd -r -l -u ${uid} -g ${name} ${name}`;
    default:
      return null;
  }
}

interface Plan {
  /** instruction lines to insert (keywords upper-case; styled later) */
  lines: Array<[string, string]>;
  user: string;
  /** what the USER is, for the message */
  note: string;
}

function plan(chain: Stage[], facts: ImageFacts, opts: Options, rootUser: Instruction | null, image: string): Plan | string {
  const noShell = facts.distro === 'distroless' || facts.distro === 'scratch';
  const explicit = opts.user !== undefined || opts.uid !== undefined || opts.gid !== undefined;
  const numericOf = (u: { uid: number; gid: number }): string => `${u.uid}:${u.gid}`;

  if (noShell) {
    // No shell, so no user can be created: a numeric USER needs no /etc/passwd entry.
    const uid = opts.uid ?? NONROOT_ID;
    const gid = opts.gid ?? opts.uid ?? NONROOT_ID;
    return { lines: [['USER', `${uid}:${gid}`]], user: `${uid}:${gid}`, note: `${image} has no shell to create a user` };
  }
  const own = facts.user && facts.user.forApps !== false ? facts.user : undefined;
  if (!explicit) {
    const earlier = rootUser ? earlierUser(chain, rootUser) : null;
    if (earlier) {
      if (!opts.numeric || /^\d+(:\d+)?$/.test(earlier)) return { lines: [['USER', earlier]], user: earlier, note: 'the user the file switched to earlier' };
      if (own && own.name === earlier) return { lines: [['USER', numericOf(own)]], user: numericOf(own), note: `${image}'s user ${own.name}` };
      return `the uid of \`${earlier}\` is unknown, and option \`numeric\` asks for one`;
    }
    const created = createdUsers(chain);
    if (created === 'unknown') return 'the file creates a user in a way dockerfix cannot read; add USER for it';
    const names = [...new Set(created.map((u) => u.name))];
    if (names.length > 1) return `the file creates several users (${names.join(', ')}); add USER for the one the app should run as`;
    if (names.length === 1) {
      const u = created[created.length - 1];
      if (!opts.numeric) return { lines: [['USER', u.name]], user: u.name, note: 'the user the file creates' };
      if (u.uid !== undefined) return { lines: [['USER', String(u.uid)]], user: String(u.uid), note: `the uid of ${u.name}, which the file creates` };
      return `the uid of \`${u.name}\` is unknown, and option \`numeric\` asks for one`;
    }
    if (own) {
      const spec = opts.numeric ? numericOf(own) : (own.name ?? String(own.uid));
      return { lines: [['USER', spec]], user: spec, note: `${image} ships ${own.name ? `user ${own.name}` : `uid ${own.uid}`}` };
    }
  } else if (facts.user && opts.user !== undefined && opts.user === facts.user.name) {
    const spec = opts.numeric ? numericOf(facts.user) : opts.user;
    return { lines: [['USER', spec]], user: spec, note: `${image} ships user ${opts.user}` };
  } else if (opts.user !== undefined) {
    // The configured user may exist already because the file creates it: creating it twice fails the build.
    const created = createdUsers(chain);
    const same = created === 'unknown' ? undefined : created.find((u) => u.name === opts.user);
    if (same && !opts.numeric) return { lines: [['USER', same.name]], user: same.name, note: 'the user the file creates' };
    if (same && same.uid !== undefined) return { lines: [['USER', String(same.uid)]], user: String(same.uid), note: `the uid of ${same.name}, which the file creates` };
    if (same) return `the uid of \`${same.name}\` is unknown, and option \`numeric\` asks for one`;
  }

  const name = opts.user ?? DEFAULT_USER;
  const uid = opts.uid ?? DEFAULT_ID;
  const gid = opts.gid ?? opts.uid ?? DEFAULT_ID;
  if (facts.user && (facts.user.uid === uid || facts.user.gid === gid)) {
    return `${image} already has ${facts.user.name ?? 'a user'} with uid/gid ${facts.user.uid}:${facts.user.gid}; choose another uid/gid`;
  }
  const d = distroOf(chain, facts);
  if (!d) return `the distribution of ${image || 'the base image'} is unknown, so no user-creation step can be written`;
  const step = creationStep(d.distro, name, uid, gid);
  if (!step) return `cannot write a user-creation step for ${d.distro}`;
  const spec = opts.numeric ? `${uid}:${gid}` : name;
  return { lines: [['RUN', step], ['USER', spec]], user: spec, note: `created first for ${DISTRO_LABEL[d.distro]}, detected from ${d.from}` };
}

/** Where the new lines go: the start of a line, never between a comment block and its instruction. */
interface Point {
  at: number;
  indent: string;
  eol: string;
  /** appending to a last line without a newline: the text starts with one */
  atEnd: boolean;
  last: Instruction;
}

function insertionPoint(doc: Document, stage: Stage): Point | string {
  const insts = stage.instructions;
  let lastRoot = -1;
  insts.forEach((i, k) => {
    if (AFTER.has(i.keyword)) lastRoot = k;
  });
  const target = insts.slice(lastRoot + 1).find((i) => BEFORE.has(i.keyword));
  const last = insts.length > 0 ? insts[insts.length - 1] : stage.from;
  if (target) {
    let at = target.lineStart;
    let line = target.startLine;
    const idx = doc.nodes.indexOf(target);
    for (let k = idx - 1; k >= 0; k--) {
      const n = doc.nodes[k];
      if (n.type !== 'comment' || n.line !== line - 1) break;
      at = n.lineStart;
      line = n.line;
    }
    return { at, indent: indentOf(doc, target), eol: eolAt(doc, target.startLine), atEnd: false, last };
  }
  if (continuesToEof(last)) return 'the last instruction continues to the end of the file, so a line appended after it would join it';
  const l = doc.lines[last.endLine];
  if (l.eol) return { at: l.end, indent: indentOf(doc, last), eol: l.eol, atEnd: false, last };
  return { at: l.contentEnd, indent: indentOf(doc, last), eol: doc.eol, atEnd: true, last };
}

export const nonRootUser: Rule = {
  meta: {
    id: ID,
    title: 'Run the final stage as a non-root user',
    safety: 'unsafe',
    related: ['DL3002'],
    docs: [
      'A container that runs as root turns any remote-code bug into root in the container, one kernel bug',
      'away from the host. This rule flags the final stage when its last USER (following FROM <stage>',
      'chains) is root, 0, root:* or 0:*, or when it has no USER and the base image is not known to run as',
      'non-root (distroless :nonroot, nginxinc/nginx-unprivileged, bitnami/* already do).',
      '',
      'The fix inserts USER after the last RUN/COPY/ADD/WORKDIR/VOLUME/USER of the final stage and before',
      'HEALTHCHECK/CMD/ENTRYPOINT (above any comment block, so ignore comments keep their instruction):',
      "the base image's own user where known (node → USER node), else the user the file creates itself,",
      'else a user created for the distribution (Alpine addgroup/adduser, Debian/Ubuntu groupadd/useradd,',
      'RHEL/UBI useradd, UBI minimal installs shadow-utils first) and USER app. distroless and scratch get',
      'USER 65532:65532. An unknown distribution gets a suggestion.',
      '',
      'Skipped when the start command drops privileges itself (gosu, su-exec, setpriv, chroot --userspec,',
      's6-setuidgid), including base images whose entrypoint does (postgres, redis, mysql, mariadb, mongo).',
      'Always unsafe: the app may need to write files that are root-owned, or bind a port below 1024.',
      '',
      'See https://docs.docker.com/reference/dockerfile/#user and https://github.com/hadolint/hadolint/wiki/DL3002',
    ].join('\n'),
    options: {
      user: 'name of the user to create and switch to (default: the base image\'s own user when it ships one, e.g. `node`, else `app`)',
      uid: 'uid of the created user (default 10001)',
      gid: 'gid of the created group (default: the uid)',
      numeric: 'write `USER uid:gid` instead of a name, so Kubernetes runAsNonRoot can verify it (default false)',
    },
  },
  check(doc, ctx) {
    const stages = stagesOf(doc);
    if (stages.length === 0) return [];
    const final = stages[stages.length - 1];
    const chain = chainOf(final);
    if (windowsReason(doc, chain)) return [];

    // An ignore comment above the final FROM, a USER or the start command of the final stage opts out.
    const ignores = readIgnores(doc);
    const self = nonRootUser;
    const anchors = [final.from, ...final.instructions.filter((i) => i.keyword === 'USER' || BEFORE.has(i.keyword))];
    if (anchors.some((i) => ignores.ignored(self, i))) return [];

    const image = rootOf(final).base;
    const facts = lookupImage(image);
    const userInst = lastInChain(chain, 'USER');
    let rootUser: Instruction | null = null;
    if (userInst) {
      const v = userInst.args.trim();
      if (v.includes('$') || !isRoot(v)) return [];
      rootUser = userInst;
    } else if (facts.runsAsNonRoot) return [];
    if (dropsPrivileges(chain, facts, ctx.buildContext)) return [];

    const where = rootUser && final.instructions.includes(rootUser) ? rootUser : final.from;
    const lead = rootUser ? `the final stage's last USER is ${rootUser.args.trim()}` : 'the final stage runs as root (no USER)';

    if (facts.nonRootAlternative) {
      return [finding(where, 'suggestion', `${lead}; ${facts.ref.repo} needs root by default: use ${facts.nonRootAlternative}`, `${facts.ref.repo} binds a privileged port and writes root-owned paths as configured`)];
    }
    const opts = readOptions(ctx.options);
    if (typeof opts === 'string') return [finding(where, 'suggestion', `${lead}; add a non-root USER`, opts)];
    const p = plan(chain, facts, opts, rootUser, image);
    if (typeof p === 'string') return [finding(where, 'suggestion', `${lead}; create a non-root user and switch to it with USER`, p)];

    const kw = keywordStyle(doc);
    const point = insertionPoint(doc, final);
    if (typeof point === 'string') return [finding(where, 'suggestion', `${lead}; add \`USER ${p.user}\` (${p.note})`, point)];
    const body = p.lines.map(([k, rest]) => point.indent + kw(k) + ' ' + rest);
    const text = point.atEnd ? point.eol + body.join(point.eol) : body.map((l) => l + point.eol).join('');
    const edits: Edit[] = [{ start: point.at, end: point.at, text }];
    return [finding(where, 'unsafe', `${lead}; add \`USER ${p.user}\` (${p.note})`, UNSAFE_REASON, {
      edits,
      // At the end of a file without a final newline the insertion touches the last instruction's line.
      touches: point.atEnd ? [point.last.start] : undefined,
    })];
  },
};
