/**
 * What dockerfix knows about common base images, as data: the distribution a
 * tag is built on, the non-root user an image ships (and whether it already
 * runs as that user), and the ENTRYPOINT it sets. Rules read this table; they
 * never guess an image's contents from anything else.
 *
 * Every entry names its source. Most facts come from the images' own
 * Dockerfiles and from docker-library/repo-info (`repos/<name>/local/<tag>.md`
 * lists each official image's Entrypoint, Command and User as built).
 *
 * Lookup (`lookupImage`) merges every entry that matches a reference, in table
 * order, so a later, narrower entry (a tag pattern, a minimum version) refines
 * an earlier one. Unknown images get `undefined` fields: a rule must then say
 * "unknown", never assume.
 */

/** The family of user-management tools and package manager an image has. */
export type Distro =
  /** Alpine: BusyBox `addgroup`/`adduser`, apk */
  | 'alpine'
  /** the busybox image: BusyBox applets, no package manager */
  | 'busybox'
  /** Debian: shadow `groupadd`/`useradd` (slim images lack `adduser`), apt-get */
  | 'debian'
  /** Ubuntu: as Debian */
  | 'ubuntu'
  /** RHEL family with shadow-utils installed: `groupadd`/`useradd`, dnf/yum */
  | 'rhel'
  /** UBI minimal: microdnf, no shadow-utils until installed */
  | 'rhel-minimal'
  /** no shell and no package manager; `/etc/passwd` has `nonroot` (65532) */
  | 'distroless'
  /** nothing at all: only a numeric USER works */
  | 'scratch';

export interface ImageUser {
  /** the user name in the image's /etc/passwd; absent when only the uid is set */
  name?: string;
  uid: number;
  gid: number;
  /** meant to run applications (false: it only takes a uid that a new user would collide with) */
  forApps?: boolean;
}

export interface KnownImage {
  /**
   * Repository, normalised: Docker Hub official images without `library/`
   * (`node`), others with their registry (`gcr.io/distroless/static`). A
   * trailing `/*` matches any repository under that path.
   */
  repo: string;
  /** the entry applies only to tags matching this pattern */
  tag?: RegExp;
  /** the entry applies only when the tag's leading version is at least this (`23.04`, `8`) */
  minVersion?: string;
  distro?: Distro;
  /** a non-root user the image ships (it may or may not switch to it) */
  user?: ImageUser;
  /** the image's config already sets that non-root user (a USER in its Dockerfile) */
  runsAsNonRoot?: boolean;
  /** the image's ENTRYPOINT; `null` when it sets none; absent when unknown */
  entrypoint?: string[] | null;
  /** its entrypoint starts as root and drops to a service user itself (gosu, su-exec, setpriv) */
  dropsPrivileges?: boolean;
  /** the image needs root for what it does by default; advise this non-root variant instead of a USER */
  nonRootAlternative?: string;
  /** where the facts come from */
  source: string;
}

const REPO_INFO = 'docker-library/repo-info repos/';

export const KNOWN_IMAGES: readonly KnownImage[] = [
  // --- language runtimes (Docker official images) ---
  {
    repo: 'node', distro: 'debian', entrypoint: ['docker-entrypoint.sh'],
    // The user exists (groupadd --gid 1000 node; useradd --uid 1000) but the image stays root.
    user: { name: 'node', uid: 1000, gid: 1000 },
    source: 'nodejs/docker-node Dockerfile and docs/BestPractices.md "Non-root User"; ' + REPO_INFO + 'node',
  },
  { repo: 'python', distro: 'debian', entrypoint: null, source: REPO_INFO + 'python (Command ["python3"], no Entrypoint)' },
  { repo: 'pypy', distro: 'debian', entrypoint: null, source: REPO_INFO + 'pypy' },
  { repo: 'golang', distro: 'debian', entrypoint: null, source: REPO_INFO + 'golang' },
  { repo: 'rust', distro: 'debian', entrypoint: null, source: REPO_INFO + 'rust' },
  { repo: 'ruby', distro: 'debian', entrypoint: null, source: REPO_INFO + 'ruby (Command ["irb"])' },
  { repo: 'perl', distro: 'debian', entrypoint: null, source: REPO_INFO + 'perl' },
  { repo: 'php', distro: 'debian', entrypoint: ['docker-php-entrypoint'], source: REPO_INFO + 'php' },
  { repo: 'elixir', distro: 'debian', entrypoint: null, source: REPO_INFO + 'elixir' },
  { repo: 'erlang', distro: 'debian', entrypoint: null, source: REPO_INFO + 'erlang' },
  {
    repo: 'eclipse-temurin', distro: 'ubuntu', entrypoint: ['/__cacert_entrypoint.sh'],
    source: REPO_INFO + 'eclipse-temurin (Entrypoint ["/__cacert_entrypoint.sh"], Ubuntu based)',
  },
  {
    repo: 'mcr.microsoft.com/dotnet/*', distro: 'debian', entrypoint: null,
    source: 'dotnet/dotnet-docker: Debian based unless the tag names another distro',
  },
  {
    repo: 'mcr.microsoft.com/dotnet/*', minVersion: '8', user: { name: 'app', uid: 1654, gid: 1654 },
    source: 'dotnet/dotnet-docker docs "rootless" (.NET 8+: user `app`, APP_UID=1654, not switched to)',
  },
  {
    repo: 'mcr.microsoft.com/dotnet/*', tag: /chiseled/, minVersion: '8', distro: 'distroless', runsAsNonRoot: true,
    source: 'dotnet/dotnet-docker: chiseled images have no shell and run as `app` (1654)',
  },

  // --- services whose entrypoint drops root itself ---
  {
    repo: 'postgres', distro: 'debian', entrypoint: ['docker-entrypoint.sh'], dropsPrivileges: true,
    source: 'docker-library/postgres docker-entrypoint.sh (exec gosu / su-exec postgres)',
  },
  {
    repo: 'redis', distro: 'debian', entrypoint: ['docker-entrypoint.sh'], dropsPrivileges: true,
    source: 'docker-library/redis docker-entrypoint.sh (gosu / su-exec / setpriv redis)',
  },
  {
    repo: 'mysql', entrypoint: ['docker-entrypoint.sh'], dropsPrivileges: true,
    source: 'docker-library/mysql docker-entrypoint.sh (gosu mysql); Oracle Linux based',
  },
  {
    repo: 'mariadb', distro: 'ubuntu', entrypoint: ['docker-entrypoint.sh'], dropsPrivileges: true,
    source: 'MariaDB/mariadb-docker docker-entrypoint.sh (gosu mysql); ' + REPO_INFO + 'mariadb',
  },
  {
    repo: 'mongo', distro: 'ubuntu', entrypoint: ['docker-entrypoint.sh'], dropsPrivileges: true,
    source: 'docker-library/mongo docker-entrypoint.sh (gosu mongodb)',
  },

  // --- web servers that bind port 80 as root ---
  {
    repo: 'nginx', distro: 'debian', entrypoint: ['/docker-entrypoint.sh'],
    nonRootAlternative: 'nginxinc/nginx-unprivileged',
    source: 'nginxinc/docker-nginx Dockerfile (master process root, listens on 80)',
  },
  {
    repo: 'nginxinc/nginx-unprivileged', distro: 'debian', entrypoint: ['/docker-entrypoint.sh'],
    user: { name: 'nginx', uid: 101, gid: 101 }, runsAsNonRoot: true,
    source: 'nginxinc/docker-nginx-unprivileged Dockerfile (USER $UID, UID=101, port 8080)',
  },
  {
    repo: 'httpd', distro: 'debian', entrypoint: null, nonRootAlternative: 'a configuration that listens above port 1024',
    source: REPO_INFO + 'httpd (Command ["httpd-foreground"], binds port 80 as root)',
  },

  // --- images that already run as non-root ---
  {
    // Bitnami's non-root containers run as uid 1001 in the root group (for OpenShift's arbitrary uids).
    repo: 'bitnami/*', distro: 'debian', user: { uid: 1001, gid: 0 }, runsAsNonRoot: true,
    source: 'bitnami/containers README "Why use a non-root container?" (USER 1001)',
  },
  {
    repo: 'gcr.io/distroless/*', distro: 'distroless', entrypoint: null,
    // Every distroless image lists nonroot in /etc/passwd; only the nonroot tags switch to it.
    user: { name: 'nonroot', uid: 65532, gid: 65532 },
    source: 'GoogleContainerTools/distroless base/base.bzl (NONROOT = 65532) and README "nonroot" tags',
  },
  {
    repo: 'gcr.io/distroless/*', tag: /(^|-)nonroot(-|$)/, runsAsNonRoot: true,
    source: 'GoogleContainerTools/distroless README: `:nonroot` and `:debug-nonroot` run as 65532',
  },
  { repo: 'gcr.io/distroless/nodejs*', entrypoint: ['/nodejs/bin/node'], source: 'GoogleContainerTools/distroless nodejs/BUILD' },
  { repo: 'gcr.io/distroless/java*', entrypoint: ['java', '-jar'], source: 'GoogleContainerTools/distroless java/BUILD' },
  {
    repo: 'cgr.dev/chainguard/static', distro: 'distroless', entrypoint: null,
    user: { name: 'nonroot', uid: 65532, gid: 65532 }, runsAsNonRoot: true,
    source: 'Chainguard images reference, static: "Users: nonroot 65532, runs as nonroot"',
  },

  // --- distributions ---
  { repo: 'scratch', distro: 'scratch', entrypoint: null, source: 'Dockerfile reference: scratch is the empty image' },
  { repo: 'alpine', distro: 'alpine', entrypoint: null, source: REPO_INFO + 'alpine (Command ["/bin/sh"])' },
  { repo: 'busybox', distro: 'busybox', entrypoint: null, source: REPO_INFO + 'busybox (Command ["sh"])' },
  { repo: 'debian', distro: 'debian', entrypoint: null, source: REPO_INFO + 'debian (Command ["bash"])' },
  { repo: 'ubuntu', distro: 'ubuntu', entrypoint: null, source: REPO_INFO + 'ubuntu (Command ["/bin/bash"])' },
  {
    // Since 23.04 (so every 24.04 LTS tag) the image ships `ubuntu` (1000:1000) and stays root:
    // `useradd -u 1000` fails there ("UID 1000 is not unique").
    repo: 'ubuntu', minVersion: '23.04', user: { name: 'ubuntu', uid: 1000, gid: 1000, forApps: false },
    source: 'Launchpad cloud-images bug 2005129; jupyterhub/repo2docker#1346',
  },
  { repo: 'fedora', distro: 'rhel', entrypoint: null, source: 'Fedora container base image (dnf, shadow-utils)' },
  { repo: 'rockylinux', distro: 'rhel', entrypoint: null, source: 'Rocky Linux container image (dnf, shadow-utils)' },
  { repo: 'rockylinux/rockylinux', distro: 'rhel', entrypoint: null, source: 'Rocky Linux container image (dnf, shadow-utils)' },
  { repo: 'almalinux', distro: 'rhel', entrypoint: null, source: 'AlmaLinux container image (dnf, shadow-utils)' },
  { repo: 'oraclelinux', distro: 'rhel', entrypoint: null, source: 'Oracle Linux container image (dnf/yum, shadow-utils)' },
  { repo: 'centos', distro: 'rhel', entrypoint: null, source: 'CentOS container image (yum, shadow-utils)' },
  { repo: 'registry.access.redhat.com/ubi*', distro: 'rhel', entrypoint: null, source: 'Red Hat UBI standard image (dnf, shadow-utils)' },
  { repo: 'registry.access.redhat.com/ubi*/ubi', distro: 'rhel', entrypoint: null, source: 'Red Hat UBI standard image (dnf, shadow-utils)' },
  { repo: 'registry.access.redhat.com/ubi*/ubi-init', distro: 'rhel', source: 'Red Hat UBI init image (systemd as PID 1)' },
  {
    repo: 'registry.access.redhat.com/ubi*/ubi-minimal', distro: 'rhel-minimal', entrypoint: null,
    source: 'Red Hat UBI minimal: microdnf only, `microdnf install shadow-utils` before useradd',
  },
  { repo: 'redhat/ubi*', distro: 'rhel', entrypoint: null, source: 'Red Hat UBI on Docker Hub (dnf, shadow-utils)' },
  { repo: 'redhat/ubi*-minimal', distro: 'rhel-minimal', entrypoint: null, source: 'Red Hat UBI minimal on Docker Hub (microdnf)' },
];

/** Tag words that name the distribution a language image is built on. */
export const TAG_DISTROS: ReadonlyArray<{ pattern: RegExp; distro: Distro | null; source: string }> = [
  { pattern: /(^|[-.])alpine/, distro: 'alpine', source: 'official images: `-alpine` / `-alpine3.NN` variants' },
  { pattern: /(^|-)(trixie|bookworm|bullseye|buster|stretch|slim)(-|$)/, distro: 'debian', source: 'official images: Debian codename and `-slim` variants' },
  { pattern: /(^|-)(focal|jammy|noble|oracular|plucky|questing)(-|$)/, distro: 'ubuntu', source: 'official images: Ubuntu codename variants' },
  { pattern: /(^|-)(ubi\d*-minimal)(-|$)/, distro: 'rhel-minimal', source: 'vendor images: `-ubi9-minimal` variants' },
  { pattern: /(^|-)(ubi\d*|oraclelinux\d*|oracle)(-|$)/, distro: 'rhel', source: 'vendor images: UBI / Oracle Linux variants' },
  // tdnf-based; whether shadow-utils is there varies: unknown.
  { pattern: /(^|-)(azurelinux[\d.]*|cbl-mariner[\d.]*|mariner)(-|$)/, distro: null, source: 'mcr.microsoft.com/dotnet Azure Linux variants' },
];

/** Ubuntu codenames to versions, for `ubuntu:noble` and friends. */
const UBUNTU_CODENAMES: Record<string, string> = {
  bionic: '18.04', focal: '20.04', jammy: '22.04', kinetic: '22.10', lunar: '23.04', mantic: '23.10',
  noble: '24.04', oracular: '24.10', plucky: '25.04', questing: '25.10',
};

/** Node.js LTS codenames to major versions (`node:iron`). */
export const NODE_CODENAMES: Record<string, number> = {
  argon: 4, boron: 6, carbon: 8, dubnium: 10, erbium: 12, fermium: 14, gallium: 16, hydrogen: 18, iron: 20, jod: 22, krypton: 24,
};

/** Tags that always name the newest release (no version to compare). */
const ROLLING = new Set(['latest', 'current', 'lts', 'rolling', 'devel', 'stable', 'mainline']);

export interface ImageRef {
  /** normalised repository (see KnownImage.repo) */
  repo: string;
  /** the tag as written; `latest` when none and no digest */
  tag: string;
  digest: string | null;
}

/** Split `[registry/]repo[:tag][@digest]` and normalise Docker Hub names. */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag = '';
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let repo = rest.toLowerCase();
  repo = repo.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
  repo = repo.replace(/^library\//, '');
  return { repo, tag: tag || (digest ? '' : 'latest'), digest };
}

function repoMatches(pattern: string, repo: string): boolean {
  if (!pattern.includes('*')) return pattern === repo;
  const re = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('[^/]*') + (pattern.endsWith('/*') ? '(/.*)?' : '') + '$');
  return re.test(repo);
}

/** The leading version of a tag (`20.11-alpine` → [20, 11]); rolling tags are +Infinity; null when none. */
export function tagVersion(repo: string, tag: string): number[] | null {
  const t = tag.toLowerCase();
  if (ROLLING.has(t) || t === '') return [Infinity];
  if (repo === 'ubuntu') {
    const code = UBUNTU_CODENAMES[t.split('-')[0]];
    if (code) return code.split('.').map(Number);
  }
  if (repo === 'node') {
    const major = NODE_CODENAMES[t.split('-')[0]];
    if (major !== undefined) return [major];
    if (/^(lts|current)(-|$)/.test(t)) return [Infinity];
  }
  const m = /^v?(\d+)(?:\.(\d+))?/.exec(t);
  if (!m) return null;
  return m[2] === undefined ? [Number(m[1])] : [Number(m[1]), Number(m[2])];
}

function versionAtLeast(v: number[], min: string): boolean {
  const want = min.split('.').map(Number);
  for (let i = 0; i < want.length; i++) {
    const have = v[i] ?? 0;
    if (have !== want[i]) return have > want[i];
  }
  return true;
}

export interface ImageFacts {
  ref: ImageRef;
  /** at least one table entry matched */
  known: boolean;
  distro?: Distro;
  user?: ImageUser;
  runsAsNonRoot: boolean;
  /** undefined: unknown; null: none */
  entrypoint?: string[] | null;
  dropsPrivileges: boolean;
  nonRootAlternative?: string;
  sources: string[];
}

/** Everything the table says about an image reference (variables must be expanded first). */
export function lookupImage(reference: string): ImageFacts {
  const ref = parseImageRef(reference);
  const facts: ImageFacts = { ref, known: false, runsAsNonRoot: false, dropsPrivileges: false, sources: [] };
  if (reference.includes('$')) return facts;
  const version = tagVersion(ref.repo, ref.tag);
  for (const e of KNOWN_IMAGES) {
    if (!repoMatches(e.repo, ref.repo)) continue;
    if (e.tag && !e.tag.test(ref.tag)) continue;
    if (e.minVersion && !(version && versionAtLeast(version, e.minVersion))) continue;
    facts.known = true;
    facts.sources.push(e.source);
    if (e.distro !== undefined) facts.distro = e.distro;
    if (e.user) facts.user = e.user;
    if (e.runsAsNonRoot !== undefined) facts.runsAsNonRoot = e.runsAsNonRoot;
    if (e.entrypoint !== undefined) facts.entrypoint = e.entrypoint;
    if (e.dropsPrivileges !== undefined) facts.dropsPrivileges = e.dropsPrivileges;
    if (e.nonRootAlternative !== undefined) facts.nonRootAlternative = e.nonRootAlternative;
  }
  // A variant tag names the distribution of a language image (`node:20-alpine`).
  if (facts.known && facts.distro !== 'distroless' && facts.distro !== 'scratch') {
    for (const t of TAG_DISTROS) {
      if (t.pattern.test(ref.tag.toLowerCase())) {
        facts.distro = t.distro ?? undefined;
        break;
      }
    }
  }
  return facts;
}
