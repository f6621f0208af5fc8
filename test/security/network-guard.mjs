// Preloaded into the CLI under test (`node --import <this file> main.js …`):
// every way a Node program reaches the network is patched to append a line
// to $DOCKERFIX_NET_LOG and, with DOCKERFIX_NET_MODE=deny (the default), to
// throw. With DOCKERFIX_NET_MODE=record the call goes through (the --resolve
// sanity check). Plain JS so that node can preload it without a build.
import dns from 'node:dns';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

const LOG = process.env.DOCKERFIX_NET_LOG;
const DENY = (process.env.DOCKERFIX_NET_MODE ?? 'deny') === 'deny';
if (!LOG) throw new Error('network-guard: DOCKERFIX_NET_LOG is not set');
fs.writeFileSync(LOG, '', { flag: 'a' });

function attempt(kind, detail) {
  fs.appendFileSync(LOG, `${JSON.stringify({ kind, detail: String(detail).slice(0, 200) })}\n`);
  if (DENY) throw new Error(`network-guard: ${kind} ${detail} refused`);
}

const describe = (args) => {
  const a = args[0];
  if (Array.isArray(a)) return describe(a);
  if (a && typeof a === 'object') return a.path ?? `${a.host ?? a.hostname ?? 'localhost'}:${a.port}`;
  return args.filter((x) => typeof x !== 'function').join(':');
};

function wrap(owner, name, kind, detail = describe) {
  const original = owner[name];
  if (typeof original !== 'function') return;
  owner[name] = function guarded(...args) {
    attempt(kind, detail(args));
    return original.apply(this, args);
  };
}

wrap(net.Socket.prototype, 'connect', 'net.Socket.connect');
wrap(net, 'connect', 'net.connect');
wrap(net, 'createConnection', 'net.createConnection');
wrap(tls, 'connect', 'tls.connect');
for (const name of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveSrv', 'resolveTxt']) {
  wrap(dns, name, `dns.${name}`, (args) => args[0]);
  wrap(dns.promises, name, `dns.promises.${name}`, (args) => args[0]);
}
for (const [mod, label] of [
  [http, 'http'],
  [https, 'https'],
]) {
  wrap(mod, 'request', `${label}.request`, (args) => (args[0] instanceof URL ? args[0].href : typeof args[0] === 'string' ? args[0] : describe(args)));
  wrap(mod, 'get', `${label}.get`, (args) => (args[0] instanceof URL ? args[0].href : typeof args[0] === 'string' ? args[0] : describe(args)));
}
if (typeof globalThis.fetch === 'function') {
  const original = globalThis.fetch;
  globalThis.fetch = function guardedFetch(input, init) {
    attempt('fetch', input instanceof Request ? input.url : input);
    return original.call(this, input, init);
  };
}
