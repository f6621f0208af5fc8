/**
 * Small HTTP helpers shared by the registry client: loopback detection,
 * `WWW-Authenticate` and `Link` header parsing, bounded body reads.
 */

/** Statuses whose `Location` we follow (by hand, see `RegistryClient`). */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Strip an optional `:port` from `host[:port]` (IPv6 stays bracketed):
 * `127.0.0.1:5000` → `127.0.0.1`, `[::1]:5000` → `[::1]`.
 */
export function hostnameOf(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/**
 * True for hosts that never leave this machine: `localhost`, 127.0.0.0/8 and
 * `[::1]`. Only these may be spoken to over plain HTTP: anywhere else a
 * token or a password would cross the network in clear.
 */
export function isLoopbackHost(host: string): boolean {
  const name = hostnameOf(host).toLowerCase();
  if (name === 'localhost' || name === '[::1]' || name === '::1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name);
  return m !== null && m.slice(1).every((octet) => Number(octet) <= 255);
}

/** `http://` for loopback registries, `https://` for every other one. */
export function registryBaseUrl(host: string): URL {
  return new URL(`${isLoopbackHost(host) ? 'http' : 'https'}://${host}`);
}

/** A URL we are willing to talk to: HTTPS anywhere, HTTP on loopback only. */
export function isAllowedUrl(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isLoopbackHost(url.host);
}

export interface AuthChallenge {
  /** Lowercased scheme: `bearer`, `basic`, … */
  scheme: string;
  /** Parameter names lowercased; values unquoted. */
  params: Record<string, string>;
}

const TOKEN_CHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

/**
 * Parse a `WWW-Authenticate` header (RFC 9110 §11.6.1), which may hold several
 * challenges: `Bearer realm="https://auth.example/token",service="reg",scope="…"`.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let i = 0;
  const n = header.length;
  const skipSpaces = (): void => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && TOKEN_CHAR.test(header[i]!)) i++;
    return header.slice(start, i);
  };

  while (i < n) {
    while (i < n && (header[i] === ',' || header[i] === ' ' || header[i] === '\t')) i++;
    const scheme = readToken();
    if (scheme === '') {
      i++; // not a token character: skip it rather than loop forever
      continue;
    }
    const challenge: AuthChallenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    for (;;) {
      skipSpaces();
      const save = i;
      const name = readToken();
      skipSpaces();
      // `name=` is a parameter; a bare token is the next challenge's scheme.
      if (name === '' || header[i] !== '=') {
        i = save;
        break;
      }
      i++;
      skipSpaces();
      let value = '';
      if (header[i] === '"') {
        i++;
        while (i < n && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < n) i++;
          value += header[i++];
        }
        i++; // closing quote
      } else {
        value = readToken();
      }
      challenge.params[name.toLowerCase()] = value;
      skipSpaces();
      if (header[i] !== ',') break;
      i++;
    }
  }
  return challenges;
}

/**
 * The `rel="next"` target of a `Link` header (RFC 8288), resolved against the
 * URL of the response that carried it. The registry sends
 * `</v2/repo/tags/list?last=b&n=2>; rel="next"`.
 */
export function nextLink(header: string | null, base: URL): URL | undefined {
  if (header === null) return undefined;
  // A scan, not a RegExp: /<([^>]*)>/ retried every `<` of a header without `>` (quadratic).
  for (let at = 0; ; ) {
    const open = header.indexOf('<', at);
    const close = open < 0 ? -1 : header.indexOf('>', open + 1);
    if (close < 0) break;
    const comma = header.indexOf(',', close + 1);
    at = comma < 0 ? header.length : comma;
    const rels = header
      .slice(close + 1, at)
      .split(';')
      .map((param) => /^\s*rel\s*=\s*"?([^"]*)"?\s*$/i.exec(param)?.[1])
      .filter((value): value is string => value !== undefined)
      .flatMap((value) => value.toLowerCase().split(/\s+/));
    if (rels.includes('next')) {
      try {
        return new URL(header.slice(open + 1, close), base);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
