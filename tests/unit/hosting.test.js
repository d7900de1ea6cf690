// The hosting recipes say the same as public/_headers (docs/hosting.md): docs/hosting/nginx.conf sends,
// for every path, exactly the headers that Netlify's parser of _headers gives it (static-host.js applies
// them the same way in the end-to-end tests), with nginx's own rules for which location serves a path and
// which add_header lines apply there. And the GitHub Pages workflow builds with the README's command.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { headersFor, readRules } from '../e2e/static-host.js';

const root = new URL('../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');

/**
 * The parts of an nginx server block this recipe uses: its add_header lines, and its locations (exact
 * `=`, prefix, `^~` prefix) with their add_header lines and whether they return a status. Anything else
 * that would change which headers go out (regex locations, nested locations, `if`, `include`,
 * `more_set_headers`) is refused, so that the test cannot pass on a config it does not understand.
 * @param {string} text
 */
export function parseNginx(text) {
  const tokens = [];
  const source = text.replace(/#[^\n]*/g, '');
  const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|([{};])|([^\s{};"']+)/g;
  for (const match of source.matchAll(pattern)) tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4]);
  let at = 0;
  /** Reads directives until the closing brace: [{ name, args, block }]. */
  const block = () => {
    const directives = [];
    while (at < tokens.length && tokens[at] !== '}') {
      const words = [];
      while (at < tokens.length && tokens[at] !== ';' && tokens[at] !== '{') words.push(tokens[at++]);
      const [name, ...args] = words;
      if (tokens[at] === '{') {
        at++;
        directives.push({ name, args, block: block() });
        assert.equal(tokens[at++], '}', 'unbalanced braces');
      } else {
        at++;
        directives.push({ name, args, block: null });
      }
    }
    return directives;
  };
  const top = block();
  const servers = top.filter((d) => d.name === 'server');
  assert.equal(servers.length, 1, 'one server block');
  const headersOf = (directives) =>
    directives
      .filter((d) => d.name === 'add_header')
      .map((d) => {
        assert.ok(d.args.length === 2 || (d.args.length === 3 && d.args[2] === 'always'), d.args.join(' '));
        return [d.args[0], d.args[1]];
      });
  const server = servers[0].block;
  const locations = [];
  for (const d of server) {
    // Only nginx's own table of types may be included: another file could add headers.
    if (d.name === 'include')
      assert.match(d.args[0] ?? '', /(^|\/)mime\.types$/, 'include is not understood');
    assert.ok(!['if', 'more_set_headers'].includes(d.name), `${d.name} is not understood`);
    if (d.name !== 'location') continue;
    const [modifier, path] = d.args.length === 2 ? d.args : ['', d.args[0]];
    assert.ok(['', '=', '^~'].includes(modifier), `location ${d.args.join(' ')}: only =, ^~ and prefixes`);
    assert.ok(!d.block.some((inner) => ['location', 'if', 'include'].includes(inner.name)));
    locations.push({
      modifier,
      path,
      headers: headersOf(d.block),
      returns: d.block.find((inner) => inner.name === 'return')?.args[0] ?? null,
    });
  }
  return { headers: headersOf(server), locations };
}

/**
 * What nginx sends for `path` under this config: the location it picks (an exact match, else the
 * longest prefix), whose add_header lines replace the server's if it has any; or a status it returns.
 * @param {ReturnType<typeof parseNginx>} config
 * @param {string} path
 */
export function nginxHeaders(config, path) {
  const exact = config.locations.find((l) => l.modifier === '=' && l.path === path);
  const prefix = config.locations
    .filter((l) => l.modifier !== '=' && path.startsWith(l.path))
    .sort((a, b) => b.path.length - a.path.length)[0];
  const location = exact ?? prefix;
  const lines = location?.headers.length ? location.headers : config.headers;
  const headers = {};
  for (const [name, value] of lines) {
    assert.equal(headers[name.toLowerCase()], undefined, `${name} sent twice for ${path}`);
    headers[name.toLowerCase()] = value;
  }
  return { status: location?.returns ? Number(location.returns) : 200, headers };
}

const lower = (headers) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

/** Paths of the built site, one per kind of rule in _headers. */
const PATHS = [
  '/',
  '/index.html',
  '/assets/index-0a1b2c3d.js',
  '/assets/juggle_bg-0a1b2c3d.wasm',
  '/coi-serviceworker.js',
  '/embed.js',
  '/embed.json',
  '/THIRD-PARTY-NOTICES.txt',
  '/pyodide/314.0.7/pyodide.asm.wasm',
  '/pyodide/314.0.7/python_stdlib.zip',
  '/assets/workers/python-worker-0a1b2c3d.js',
];

test('nginx.conf sends for every path exactly the headers public/_headers gives it', async () => {
  const rules = await readRules(new URL('public/_headers', root).pathname);
  const config = parseNginx(read('docs/hosting/nginx.conf'));
  for (const path of PATHS) {
    const { status, headers } = nginxHeaders(config, path);
    assert.equal(status, 200, path);
    assert.deepEqual(headers, lower(headersFor(rules, path)), path);
  }
  // Hosts never serve _headers.
  assert.equal(nginxHeaders(config, '/_headers').status, 404);
});

test('no header is given twice for one path in _headers, so Netlify and Cloudflare Pages agree', async () => {
  // Netlify lets a later rule's value win; Cloudflare Pages joins both values with a comma.
  const rules = await readRules(new URL('public/_headers', root).pathname);
  for (const path of PATHS) {
    const names = rules
      .filter((rule) => rule.forRegExp.test(path))
      .flatMap((rule) => Object.keys(rule.values).map((name) => name.toLowerCase()));
    assert.equal(new Set(names).size, names.length, `${path}: ${names.join(', ')}`);
  }
});

test('the parser refuses what it does not understand, and sees nginx’s inheritance trap', () => {
  assert.throws(() => parseNginx('server { location ~ \\.js$ { add_header A b; } }'), /only =, \^~/);
  assert.throws(() => parseNginx('server { include extra.conf; }'), /include is not understood/);
  const config = parseNginx(`server {
    add_header Cross-Origin-Opener-Policy "same-origin" always;
    location = /embed.js { add_header Access-Control-Allow-Origin "*" always; }
  }`);
  // The location's own add_header drops the server's: the trap the recipe's comment names.
  assert.deepEqual(nginxHeaders(config, '/embed.js').headers, { 'access-control-allow-origin': '*' });
  assert.deepEqual(nginxHeaders(config, '/').headers, { 'cross-origin-opener-policy': 'same-origin' });
});

test('nginx.conf types .mjs as JavaScript (the browser’s Python is loaded as modules)', () => {
  const config = read('docs/hosting/nginx.conf');
  assert.match(config, /include mime\.types;\s*types \{[^}]*text\/javascript mjs;/);
});

test('the GitHub Pages workflow builds with npm run build and publishes dist/', () => {
  const workflow = read('.github/workflows/pages.yml');
  assert.match(workflow, /run: npm run build\b/);
  assert.match(workflow, /path: dist\b/);
  assert.match(workflow, /actions\/deploy-pages@/);
  // The toolchain the README asks for: nightly with the wasm32 target and the std sources.
  assert.match(workflow, /rustup toolchain install nightly[^\n]*--target wasm32-unknown-unknown/);
  assert.match(workflow, /rust-src/);
});
