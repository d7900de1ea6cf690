// A static file server that behaves like the static hosts Juggle is deployed to, for the end-to-end tests:
// it sends the headers of a `_headers` file exactly as Netlify does (Netlify's own parser,
// @netlify/headers-parser, and its path matching: every rule whose path matches adds its headers, later
// rules overriding earlier ones) and nothing else. No CORS unless `_headers` says so, no COOP/COEP when
// started without a `_headers` file (as GitHub Pages and most course platforms serve). A test about hosting
// that passes here passes on such a host; `vite preview` would be more permissive than any of them.
//
//   node tests/e2e/static-host.js --root dist --port 4173 [--headers dist/_headers] [--mount /reveal=dir]
//                                 [--define NAME=value]
//   node tests/e2e/static-host.js --record --host localhost --port 4176
//
// `--record` starts instead the attacker's server of tests/e2e/hostile.spec.js, another origin that a
// program in the Lab must never reach: it records every request and WebSocket upgrade that reaches it, and
// answers each as generously as it can (CORS and CORP open to all, a module script, a font's bytes), so
// that a route the browser lets through shows up. `GET /__recorded` answers the list (it is not recorded).
//
// `/` and `/dir/` serve `index.html`; the query string is ignored, as on a static host; a missing file is
// a 404; only GET and HEAD. Text, JSON and wasm files go gzip-compressed to a browser that accepts it, as
// Netlify, Cloudflare Pages and GitHub Pages compress them (Lighthouse and the load figures depend on it). `--define` (for the course pages in tests/e2e/hosts/) replaces `{{NAME}}` in
// HTML files, so they can name Juggle's origin, which depends on the test port.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { parseAllHeaders } from '@netlify/headers-parser';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.zip': 'application/zip',
  '.map': 'application/json',
};

/** The types a static host compresses on the way (images and archives are compressed already). */
const COMPRESSED = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.svg', '.txt', '.map']);

/** Compressed files, kept while unchanged: as a host compresses once, not on every request. */
const compressed = new Map();

/** `file` gzipped (from the cache while its size and time are the same). */
function gzipped(file) {
  const { mtimeMs, size } = statSync(file);
  const kept = compressed.get(file);
  if (kept && kept.mtimeMs === mtimeMs && kept.size === size) return kept.body;
  const body = gzipSync(readFileSync(file));
  compressed.set(file, { mtimeMs, size, body });
  return body;
}

/**
 * The headers `_headers` rules give a path, merged in file order as Netlify merges them.
 * @param {{ forRegExp: RegExp, values: Record<string, string> }[]} rules
 * @param {string} path the URL path, without the query
 */
export function headersFor(rules, path) {
  return Object.assign({}, ...rules.filter((rule) => rule.forRegExp.test(path)).map((rule) => rule.values));
}

/** Reads and parses a `_headers` file; a parse error stops the server, as a host would reject the deploy. */
export async function readRules(file) {
  const { headers, errors } = await parseAllHeaders({ headersFiles: [file], minimal: false });
  if (errors.length > 0) throw new Error(`${file}: ${errors.map((e) => e.message).join('; ')}`);
  return headers;
}

/** The file a URL path names under `root`, or null when it would leave it or does not exist. */
function fileFor(root, path) {
  let decoded;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  const candidate = normalize(join(root, decoded));
  if (candidate !== root && !candidate.startsWith(root + sep)) return null;
  for (const file of [candidate, join(candidate, 'index.html')]) {
    try {
      if (statSync(file).isFile()) return file;
    } catch {
      // not there: try the next candidate
    }
  }
  return null;
}

/**
 * The recording server (`--record`, see the head of this file): every request and upgrade, in order.
 * @param {string} host
 * @param {number} port
 */
export function recordingServer(host, port) {
  /** @type {{ method: string, url: string, origin: string | null, at: number }[]} */
  const recorded = [];
  const note = (req) =>
    recorded.push({
      method: String(req.method),
      url: String(req.url),
      origin: req.headers.origin ?? null,
      at: Date.now(),
    });
  const server = createServer((req, res) => {
    if (req.url === '/__recorded') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(recorded));
      return;
    }
    note(req);
    const open = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Cache-Control': 'no-store',
    };
    const path = new URL(req.url ?? '/', 'http://host').pathname;
    if (/\.m?js$/.test(path)) {
      // A module that does nothing: its request is what counts.
      res.writeHead(200, { ...open, 'Content-Type': 'text/javascript' }).end('export const ran = true;');
    } else if (/\.(woff2?|ttf)$/.test(path)) {
      res.writeHead(200, { ...open, 'Content-Type': 'font/woff2' }).end(Buffer.alloc(64));
    } else res.writeHead(200, { ...open, 'Content-Type': 'text/plain' }).end('reached');
  });
  server.on('upgrade', (req, socket) => {
    note(req);
    socket.destroy();
  });
  server.listen(port, host);
  return server;
}

async function main() {
  if (process.argv.includes('--record')) {
    const { values } = parseArgs({
      options: {
        record: { type: 'boolean' },
        port: { type: 'string' },
        host: { type: 'string', default: 'localhost' },
      },
    });
    recordingServer(values.host, Number(values.port));
    return;
  }
  const { values } = parseArgs({
    options: {
      root: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      headers: { type: 'string' },
      mount: { type: 'string', multiple: true, default: [] },
      define: { type: 'string', multiple: true, default: [] },
    },
  });
  if (!values.root || !values.port)
    throw new Error('usage: static-host.js --root DIR --port N [--headers FILE]');
  const rules = values.headers ? await readRules(values.headers) : [];
  const mounts = values.mount.map((spec) => {
    const [prefix, dir] = spec.split('=');
    return { prefix, dir: resolve(dir) };
  });
  const root = resolve(values.root);
  const defines = values.define.map((spec) => {
    const at = spec.indexOf('=');
    return [`{{${spec.slice(0, at)}}}`, spec.slice(at + 1)];
  });

  createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://host').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    // Hosts use `_headers` as configuration and never serve it.
    const hidden = path === '/_headers';
    const mount = mounts.find((m) => path.startsWith(`${m.prefix}/`));
    const file = mount ? fileFor(mount.dir, path.slice(mount.prefix.length)) : fileFor(root, path);
    if (!file || hidden) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const gzip =
      COMPRESSED.has(extname(file)) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
      ...(COMPRESSED.has(extname(file)) ? { Vary: 'Accept-Encoding' } : {}),
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
      ...headersFor(rules, path),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (defines.length > 0 && extname(file) === '.html') {
      const html = defines.reduce(
        (text, [name, value]) => text.replaceAll(name, value),
        readFileSync(file, 'utf8'),
      );
      res.end(gzip ? gzipSync(html) : html);
    } else if (gzip) res.end(gzipped(file));
    else createReadStream(file).pipe(res);
  }).listen(Number(values.port), values.host);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
