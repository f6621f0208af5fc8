/**
 * Test harness: a REAL OCI registry (Debian's `docker-registry`, CNCF
 * distribution 2.8) on 127.0.0.1, plus what the registry tests need around it:
 *
 *  - `startRegistry({ auth })` – anonymous, htpasswd (Basic) or token (Bearer)
 *    auth; free port, temp storage, generated config; waits for `/v2/`;
 *    `stop()` kills the process and deletes the temp dir.
 *  - `startTokenServer()` – the Bearer token service the registry points
 *    clients to: signs RS256 JWTs with a key generated here and a
 *    self-signed certificate made by the `openssl` CLI (node cannot write
 *    X.509 certificates).
 *  - `pushTestImages()` – pushes small multi-arch OCI images over the
 *    registry's HTTP API (blob upload POST + monolithic PUT, manifest PUT).
 *  - `startProxy()` – a loopback HTTP front that forwards to a registry and
 *    lets a test observe or bend one kind of request (strip a header,
 *    redirect, paginate).
 *
 * Nothing here skips: when the registry binary is missing every helper
 * throws an error that says how to install it, on CI and locally alike.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign, X509Certificate } from 'node:crypto';
import { accessSync, constants as fsConstants } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, request as httpRequest, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const execFileAsync = promisify(execFile);

/** The registry binary; `DOCKER_REGISTRY_BIN` may point elsewhere. */
export const REGISTRY_BIN = process.env.DOCKER_REGISTRY_BIN ?? '/usr/bin/docker-registry';
const INSTALL_HINT = 'install it with `bash .ci/install-registry.sh` (Debian packages docker-registry and openssl)';

/** The one user the htpasswd and token registries know. The password doubles as a canary in error messages. */
export const TEST_CREDENTIALS = { username: 'pin-user-q3', password: 'hunter2-Zq8v-not-in-errors' } as const;
// distribution's htpasswd only accepts bcrypt entries and node has no bcrypt,
// so the entry is precomputed (cost 5 keeps each authenticated request
// fast): `htpasswd -nbB -C 5 pin-user-q3 'hunter2-Zq8v-not-in-errors'`.
const TEST_HTPASSWD = 'pin-user-q3:$2y$05$gbhx/d6H7aUr53QlXDdZTe1TfpeUQy74PGDBCv8sQRib32HbnUTBe\n';

export type RegistryAuth = 'none' | 'htpasswd' | 'token';

export interface StartRegistryOptions {
  auth?: RegistryAuth;
  /** Token mode only: whether the token service hands out anonymous pull tokens (default true). */
  anonymousPull?: boolean;
}

export interface RegistryServer {
  /** `127.0.0.1:PORT`: what an image reference uses as its domain. */
  readonly host: string;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  readonly auth: RegistryAuth;
  /** Token mode only. */
  readonly tokenServer: TokenServer | undefined;
  /** An Authorization header value allowing `actions` on `repository` (for the push helpers). */
  authorization(repository: string, actions: string[]): string | undefined;
  stop(): Promise<void>;
}

// Children still alive when the test worker exits are killed, so a crashed
// run does not leave registries behind.
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

/** Throw a clear error when the registry binary is missing (never skip silently). */
export function assertRegistryInstalled(): void {
  try {
    accessSync(REGISTRY_BIN, fsConstants.X_OK);
  } catch {
    throw new Error(
      `the registry tests need a real registry, but ${REGISTRY_BIN} is missing: ${INSTALL_HINT}` +
        (process.env.CI ? ' (CI must run it before the tests)' : ''),
    );
  }
}

/** A port that was free a moment ago on `host`. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Start a registry on 127.0.0.1 with its own storage and config. */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<RegistryServer> {
  assertRegistryInstalled();
  const auth = options.auth ?? 'none';
  const dir = await mkdtemp(join(tmpdir(), 'dockerfix-registry-'));
  let tokenServer: TokenServer | undefined;
  try {
    let authYaml = '';
    if (auth === 'htpasswd') {
      const path = join(dir, 'htpasswd');
      await writeFile(path, TEST_HTPASSWD);
      authYaml = `auth:\n  htpasswd:\n    realm: dockerfix-test\n    path: ${path}\n`;
    } else if (auth === 'token') {
      tokenServer = await startTokenServer({ dir, anonymousPull: options.anonymousPull ?? true });
      authYaml =
        `auth:\n  token:\n    realm: ${tokenServer.realm}\n    service: ${tokenServer.service}\n` +
        `    issuer: ${tokenServer.issuer}\n    rootcertbundle: ${tokenServer.certPath}\n`;
    }

    // Another process may grab the port between freePort() and the bind: retry a few times.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const configPath = join(dir, 'config.yml');
      await writeFile(
        configPath,
        [
          'version: 0.1',
          'log:',
          '  level: warn',
          '  accesslog:',
          '    disabled: true',
          'storage:',
          '  filesystem:',
          `    rootdirectory: ${join(dir, 'data')}`,
          '  maintenance:',
          '    uploadpurging:',
          '      enabled: false',
          'http:',
          `  addr: 127.0.0.1:${port}`,
          `  secret: ${randomBytes(16).toString('hex')}`,
          authYaml,
        ].join('\n'),
      );
      const child = spawn(REGISTRY_BIN, ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
      liveChildren.add(child);
      const output = captureOutput(child);
      const url = `http://127.0.0.1:${port}`;
      try {
        await waitUntilAnswering(`${url}/v2/`, child, output);
      } catch (error) {
        await killChild(child);
        if (attempt < 3 && /address already in use/i.test(output())) continue;
        throw error;
      }
      const server: RegistryServer = {
        host: `127.0.0.1:${port}`,
        url,
        port,
        auth,
        tokenServer,
        authorization(repository, actions) {
          if (auth === 'htpasswd') return basicAuthorization(TEST_CREDENTIALS.username, TEST_CREDENTIALS.password);
          if (auth === 'token') return `Bearer ${tokenServer!.mint(TEST_CREDENTIALS.username, [{ type: 'repository', name: repository, actions }])}`;
          return undefined;
        },
        async stop() {
          await killChild(child);
          await tokenServer?.stop();
          await rm(dir, { recursive: true, force: true });
        },
      };
      return server;
    }
  } catch (error) {
    await tokenServer?.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function captureOutput(child: ChildProcess): () => string {
  let text = '';
  const keep = (chunk: Buffer): void => {
    text = (text + chunk.toString('utf8')).slice(-8192);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text;
}

async function waitUntilAnswering(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`docker-registry exited during startup (${child.exitCode ?? child.signalCode}):\n${output()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`docker-registry did not answer ${url} within 10 s:\n${output()}`);
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
  liveChildren.delete(child);
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

// ---- token service -------------------------------------------------------------------------

export interface TokenAccess {
  type: string;
  name: string;
  actions: string[];
}

export interface TokenRequestRecord {
  /** The user whose Basic credentials came with the request, if any (valid or not). */
  user: string | undefined;
  scopes: string[];
  service: string | null;
  status: number;
}

export interface TokenServer {
  /** `http://127.0.0.1:PORT/token` */
  readonly realm: string;
  readonly host: string;
  readonly service: string;
  readonly issuer: string;
  readonly certPath: string;
  /** Every token request seen, oldest first. */
  readonly requests: TokenRequestRecord[];
  /** Sign a token directly (the push helpers use it). */
  mint(subject: string, access: TokenAccess[]): string;
  stop(): Promise<void>;
}

/**
 * A token service as distribution's `auth: token` expects: it answers
 * `GET /token?service=…&scope=repository:NAME:pull` with a JWT that carries
 * the certificate in `x5c`; the registry checks it against `rootcertbundle`.
 * The test user gets pull and push; anonymous callers get pull when
 * `anonymousPull` is true; bad credentials get 401.
 */
export async function startTokenServer(options: { dir: string; anonymousPull: boolean }): Promise<TokenServer> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPath = join(options.dir, 'token-key.pem');
  const certPath = join(options.dir, 'token-cert.pem');
  await writeFile(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  try {
    await execFileAsync('openssl', [
      'req', '-x509', '-new', '-key', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=dockerfix-test-token-issuer',
    ]);
  } catch {
    throw new Error(`cannot create the token certificate with the openssl CLI: ${INSTALL_HINT}`);
  }
  const certDer = new X509Certificate(await readFile(certPath)).raw.toString('base64');
  const service = 'dockerfix-test-registry';
  const issuer = 'dockerfix-test-issuer';
  const requests: TokenRequestRecord[] = [];
  const mint = (subject: string, access: TokenAccess[]): string =>
    signJwt(privateKey, certDer, { iss: issuer, sub: subject, aud: service, access });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token.invalid');
    const scopes = url.searchParams.getAll('scope');
    const credentials = parseBasic(req.headers.authorization);
    const record: TokenRequestRecord = { user: credentials?.username, scopes, service: url.searchParams.get('service'), status: 0 };
    requests.push(record);
    const reply = (status: number, body: unknown): void => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname !== '/token') return reply(404, { error: 'not found' });
    const valid =
      credentials !== undefined &&
      credentials.username === TEST_CREDENTIALS.username &&
      credentials.password === TEST_CREDENTIALS.password;
    if (credentials !== undefined && !valid) return reply(401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] });
    if (!valid && !options.anonymousPull) return reply(401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] });
    const access: TokenAccess[] = [];
    for (const scope of scopes) {
      const m = /^repository:([^:]+):(.+)$/.exec(scope);
      if (m === null) continue;
      const allowed = valid ? ['pull', 'push'] : ['pull'];
      access.push({ type: 'repository', name: m[1]!, actions: m[2]!.split(',').filter((a) => allowed.includes(a)) });
    }
    const token = mint(valid ? TEST_CREDENTIALS.username : '', access);
    reply(200, { token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() });
  });
  const port = await listen(server, '127.0.0.1');
  return {
    realm: `http://127.0.0.1:${port}/token`,
    host: `127.0.0.1:${port}`,
    service,
    issuer,
    certPath,
    requests,
    mint,
    stop: () => close(server),
  };
}

function signJwt(key: KeyObject, certDer: string, claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'JWT', x5c: [certDer] })}.${encode({
    ...claims,
    iat: now,
    nbf: now - 10,
    exp: now + 300,
    jti: randomBytes(8).toString('hex'),
  })}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

function parseBasic(header: string | undefined): { username: string; password: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (m === null) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

// ---- pushing images ------------------------------------------------------------------------

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

export interface PushedIndex {
  /** sha256 of `bytes`: what a pin must use. */
  digest: string;
  /** The exact index JSON that was pushed. */
  bytes: Buffer;
  /** Digests of the per-platform manifests (amd64, arm64). */
  platformManifests: string[];
}

export interface TestImages {
  repository: string;
  /** The current index: tagged `latest`, `1`, `1.2`, `1.2.3`. */
  current: PushedIndex;
  /** An older, different index: tagged `1.2.2`. */
  older: PushedIndex;
  /** Tag → digest, as pushed. */
  tags: Record<string, string>;
}

/**
 * Push the standard test images: a two-platform OCI index tagged `latest`,
 * `1`, `1.2`, `1.2.3`, and an older index tagged `1.2.2`. The bytes are
 * deterministic, so two registries given the same push hold the same digests.
 */
export async function pushTestImages(server: RegistryServer, repository: string): Promise<TestImages> {
  const current = await pushIndex(server, repository, 'v1.2.3', ['latest', '1', '1.2', '1.2.3']);
  const older = await pushIndex(server, repository, 'v1.2.2', ['1.2.2']);
  const tags: Record<string, string> = {};
  for (const tag of ['latest', '1', '1.2', '1.2.3']) tags[tag] = current.digest;
  tags['1.2.2'] = older.digest;
  return { repository, current, older, tags };
}

/** Push one multi-arch image (linux/amd64 + linux/arm64) and tag its index with every tag in `tags`. */
export async function pushIndex(server: RegistryServer, repository: string, seed: string, tags: string[]): Promise<PushedIndex> {
  const authorization = server.authorization(repository, ['pull', 'push']);
  const manifests: Array<{ mediaType: string; digest: string; size: number; platform: { architecture: string; os: string } }> = [];
  for (const architecture of ['amd64', 'arm64']) {
    const layerTar = tarWithOneFile('hello.txt', `hello from ${seed} on ${architecture}\n`);
    const layer = gzipSync(layerTar);
    const config = Buffer.from(
      JSON.stringify({
        architecture,
        os: 'linux',
        created: '2024-01-01T00:00:00Z',
        config: { Cmd: ['/bin/true'], Labels: { 'org.opencontainers.image.version': seed } },
        rootfs: { type: 'layers', diff_ids: [sha256(layerTar)] },
        history: [{ created: '2024-01-01T00:00:00Z', created_by: `dockerfix test image ${seed}` }],
      }),
    );
    await pushBlob(server, repository, layer, authorization);
    await pushBlob(server, repository, config, authorization);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: OCI_CONFIG, digest: sha256(config), size: config.length },
        layers: [{ mediaType: OCI_LAYER, digest: sha256(layer), size: layer.length }],
      }),
    );
    const digest = sha256(manifest);
    // Platform manifests are pushed by digest, as buildx does; the registry
    // checks that they exist when the index referencing them arrives.
    await putManifest(server, repository, digest, manifest, OCI_MANIFEST, authorization);
    manifests.push({ mediaType: OCI_MANIFEST, digest, size: manifest.length, platform: { architecture, os: 'linux' } });
  }
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }, null, 2));
  const digest = sha256(bytes);
  for (const tag of tags) await putManifest(server, repository, tag, bytes, OCI_INDEX, authorization);
  return { digest, bytes, platformManifests: manifests.map((m) => m.digest) };
}

/** Blob upload: POST to open a session, then one monolithic PUT with the digest. */
export async function pushBlob(server: RegistryServer, repository: string, blob: Buffer, authorization: string | undefined): Promise<string> {
  const digest = sha256(blob);
  const headers: Record<string, string> = authorization ? { authorization } : {};
  const start = await fetch(`${server.url}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers });
  await start.body?.cancel();
  const location = start.headers.get('location');
  if (start.status !== 202 || location === null) throw new Error(`blob upload start answered ${start.status}`);
  const upload = new URL(location, server.url);
  upload.searchParams.set('digest', digest);
  const put = await fetch(upload, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(blob), // a copy typed as BodyInit (Buffer is not, under TS 5.9 lib types)
  });
  await put.body?.cancel();
  if (put.status !== 201) throw new Error(`blob upload answered ${put.status}`);
  return digest;
}

export async function putManifest(
  server: RegistryServer,
  repository: string,
  reference: string,
  bytes: Buffer,
  mediaType: string,
  authorization: string | undefined,
): Promise<string> {
  const res = await fetch(`${server.url}/v2/${repository}/manifests/${reference}`, {
    method: 'PUT',
    headers: { ...(authorization ? { authorization } : {}), 'content-type': mediaType },
    body: new Uint8Array(bytes),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`manifest PUT ${reference} answered ${res.status}: ${text}`);
  return res.headers.get('docker-content-digest') ?? sha256(bytes);
}

export function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** A ustar archive holding one regular file: enough for a real, tiny layer. */
function tarWithOneFile(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string): void => {
    header.write(value, offset, length, 'ascii');
  };
  const octal = (value: number, length: number): string => `${value.toString(8).padStart(length - 1, '0')}\0`;
  field(0, 100, name);
  field(100, 8, octal(0o644, 8));
  field(108, 8, octal(0, 8));
  field(116, 8, octal(0, 8));
  field(124, 12, octal(data.length, 12));
  field(136, 12, octal(1_704_067_200, 12)); // 2024-01-01: fixed so digests are stable
  field(148, 8, '        '); // checksum is computed with this field as spaces
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let checksum = 0;
  for (const byte of header) checksum += byte;
  field(148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, padding, Buffer.alloc(1024)]);
}

// ---- a loopback front for a registry -------------------------------------------------------

export interface ProxyRequestRecord {
  method: string;
  path: string;
  /** The Authorization header as received (tests assert on its presence, never print it). */
  authorization: string | undefined;
}

export interface ProxyOptions {
  /** Address to listen on (default 127.0.0.1; 127.0.0.2 counts as "another host"). */
  host?: string;
  /** Base URL requests are forwarded to, e.g. a RegistryServer's url. */
  target: string;
  /**
   * Answer a request yourself: return true when it is handled. Called with
   * the request's URL (path + query) after the request is recorded.
   */
  intercept?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;
  /** Response headers to drop when forwarding (lowercase names). */
  dropResponseHeaders?: string[];
  /** Rewrite the forwarded request's path + query (e.g. strip a prefix). */
  rewritePath?: (path: string) => string;
}

export interface Proxy {
  readonly url: string;
  /** `HOST:PORT` */
  readonly host: string;
  readonly requests: ProxyRequestRecord[];
  close(): Promise<void>;
}

/** A real HTTP server on loopback that forwards to `target`, recording what it saw. */
export async function startProxy(options: ProxyOptions): Promise<Proxy> {
  const target = new URL(options.target);
  const requests: ProxyRequestRecord[] = [];
  const drop = new Set((options.dropResponseHeaders ?? []).map((h) => h.toLowerCase()));
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy.invalid');
    requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, authorization: req.headers.authorization });
    try {
      if (options.intercept && (await options.intercept(req, res, url))) return;
      const path = options.rewritePath ? options.rewritePath(url.pathname + url.search) : url.pathname + url.search;
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path, headers: { ...req.headers, host: target.host } },
        (upstreamRes) => {
          const headers = { ...upstreamRes.headers };
          for (const name of drop) delete headers[name];
          res.writeHead(upstreamRes.statusCode ?? 502, headers);
          upstreamRes.pipe(res);
        },
      );
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, host);
  return { url: `http://${host}:${port}`, host: `${host}:${port}`, requests, close: () => close(server) };
}

async function listen(server: Server, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  return (server.address() as AddressInfo).port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections from fetch would otherwise hold close() open.
    server.closeAllConnections();
  });
}

// ---- Docker config for tests ---------------------------------------------------------------

/** Write a Docker `config.json` with `auths` for the given hosts; returns its path. */
export async function writeDockerConfig(
  dir: string,
  auths: Record<string, { username: string; password: string }>,
): Promise<string> {
  const path = join(dir, 'config.json');
  const entries = Object.fromEntries(
    Object.entries(auths).map(([host, c]) => [host, { auth: Buffer.from(`${c.username}:${c.password}`).toString('base64') }]),
  );
  await writeFile(path, JSON.stringify({ auths: entries }, null, 2), { mode: 0o600 });
  return path;
}
