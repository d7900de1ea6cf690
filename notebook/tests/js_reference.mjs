// The page's own link builders, for notebook/tests/test_links.py: reads JSON cases on stdin, writes what
// www/views/lab-link.js, embed-panel.js's programTitle and the WHATWG URL parser make of them on stdout (run by node from the repository).
import { programTitle } from '../../www/views/embed-panel.js';
import { codeLink, decodeCode } from '../../www/views/lab-link.js';
import { RESERVED_KEYS } from '../../www/views/url-state.js';

const cases = JSON.parse(
  await new Promise((done) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => {
      text += chunk;
    });
    process.stdin.on('end', () => done(text));
  }),
);
const out = [];
for (const c of cases) {
  if (c.kind === 'lab') {
    out.push(await codeLink(c.host, c.source, { argv: c.argv, readonly: c.readonly, embed: c.embed }));
  } else if (c.kind === 'decode') {
    out.push(await decodeCode(c.payload).catch((error) => ({ code: error.code })));
  } else if (c.kind === 'title') {
    out.push(programTitle(c.source, 'a Python program'));
  } else if (c.kind === 'reserved') {
    out.push([...RESERVED_KEYS]);
  } else {
    // How the page reads a scenario address: URLSearchParams over location.search.
    const url = new URL(c.url);
    out.push({ origin: url.origin, pathname: url.pathname, entries: [...url.searchParams] });
  }
}
process.stdout.write(JSON.stringify(out));
