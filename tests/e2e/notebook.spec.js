// Juggle in a live notebook (notebook/, the juggle-notebook package): JupyterLab and Jupyter Notebook 7
// from PyPI (installed by `bash scripts/setup.sh python` in .tools/python) each run a notebook whose cells
// show a scenario (`juggle.scenario`), a cell's own program (`%%juggle`) and the anywidget; the frames load
// Juggle's build from the e2e static host (dist/ with its _headers), Run works in them, and the result
// shows; the widget's run comes back to the kernel as data (`w.trace`). Notebook 7 is its own server
// (`jupyter notebook`) and its own page (/notebooks/<file>.ipynb), built from JupyterLab's components.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from './fixtures.js';

const port = Number(process.env.E2E_PORT ?? 4173);
/**
 * The Jupyter servers' ports: the ones after the four playwright.config.js gives the static hosts (the
 * last, port + 3, is hostile.spec.js's recording server): JupyterLab on port + 4, Notebook 7 on port + 5.
 */
const jupyterPort = port + 4;
const notebookPort = port + 5;
const juggleHost = `http://127.0.0.1:${port}/`;
const venv = resolve(process.env.JUGGLE_PYTHON_VENV ?? '.tools/python');

/** A program with markup and quotes in it: it must reach the Lab as text, through the URL, intact. */
const CELL_PROGRAM = `import asyncio

async def say(word, delay):
    await asyncio.sleep(delay)
    print(word)

async def main():
    await asyncio.gather(say("second", 0.2), say("first", 0.1))
    print("</iframe><script>&amp;")

asyncio.run(main())
`;

/** A notebook cell's JSON. */
const cell = (source) => ({ cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null });

const NOTEBOOK = {
  cells: [
    cell(
      'import juggle\njuggle.configure(host=__import__("os").environ["JUGGLE_TEST_HOST"])\njuggle.scenario("count", variant="async")',
    ),
    cell('%load_ext juggle'),
    cell(`%%juggle --height 600\n${CELL_PROGRAM}`),
    // The widget, on a second host: juggle.serve, the build served by the kernel itself with its _headers.
    cell(
      'from juggle.widget import Juggle\nserved = juggle.serve(__import__("os").environ["JUGGLE_TEST_DIST"])\nw = Juggle.scenario("count", "sync", height=450)\nw',
    ),
  ],
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  nbformat: 4,
  nbformat_minor: 5,
};

/** The running servers, by name, each with its own folders under `work`. */
const servers = {};
let work;

/**
 * Starts `bin` (jupyter-lab or jupyter-notebook, from the venv) on `port`, serving a folder with the
 * notebook in it, and resolves once it answers; `name` names its folders and its errors.
 */
async function startJupyter(name, bin, port, args) {
  const exe = join(venv, 'bin', bin);
  if (!existsSync(exe))
    throw new Error(`${bin} is not installed in ${venv}: run \`bash scripts/setup.sh python\` first`);
  const dir = join(work, name);
  for (const sub of ['root', 'config', 'runtime', 'ipython']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'root', 'juggle.ipynb'), JSON.stringify(NOTEBOOK));
  const server = spawn(
    exe,
    [
      '--no-browser',
      '--ip=127.0.0.1',
      `--port=${port}`,
      '--ServerApp.port_retries=0',
      // CI and these machines run as root; Jupyter refuses root unless told.
      '--allow-root',
      '--IdentityProvider.token=',
      '--ServerApp.password=',
      `--ServerApp.root_dir=${join(dir, 'root')}`,
      ...args,
    ],
    {
      env: {
        ...process.env,
        // The package from this checkout (the python suite tests it built as a wheel and installed).
        PYTHONPATH: resolve('notebook/src'),
        JUGGLE_TEST_HOST: juggleHost,
        JUGGLE_TEST_DIST: resolve(process.env.JUGGLE_OUT_DIR ?? 'dist'),
        JUPYTER_CONFIG_DIR: join(dir, 'config'),
        JUPYTER_RUNTIME_DIR: join(dir, 'runtime'),
        IPYTHONDIR: join(dir, 'ipython'),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  servers[name] = server;
  let log = '';
  server.stderr.on('data', (chunk) => {
    log += chunk;
  });
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`${name} exited:\n${log.slice(-3000)}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/status`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${name} did not start in 90 s:\n${log.slice(-3000)}`);
    await new Promise((done) => setTimeout(done, 500));
  }
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  work = mkdtempSync(join(tmpdir(), 'juggle-notebook-'));
  // Both at once: the second start costs little more than the first.
  await Promise.all([
    startJupyter('JupyterLab', 'jupyter-lab', jupyterPort, [
      '--LabApp.extension_manager=readonly',
      // The page exposes its app object, so the test runs the cells with JupyterLab's own command.
      '--LabApp.expose_app_in_browser=True',
      '--LabApp.news_url=None',
      '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
    ]),
    startJupyter('Notebook 7', 'jupyter-notebook', notebookPort, [
      // Notebook 7's app is a JupyterLab application too: the same object, the same commands.
      '--JupyterNotebookApp.expose_app_in_browser=True',
    ]),
  ]);
});

test.afterAll(async () => {
  await Promise.all(
    Object.values(servers).map(async (server) => {
      if (server.exitCode !== null) return;
      const ended = new Promise((done) => server.once('exit', done));
      server.kill('SIGTERM');
      await Promise.race([ended, new Promise((done) => setTimeout(done, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }),
  );
  if (work) rmSync(work, { recursive: true, force: true });
});

test('a notebook in JupyterLab shows a scenario, a cell in the Lab and the widget; each runs', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  await runNotebook(page, context, `http://127.0.0.1:${jupyterPort}/lab/tree/juggle.ipynb`, 'JupyterLab');
});

test('the same notebook in Jupyter Notebook 7 (its own server and page) shows and runs the same', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  // Notebook 7.6.5 itself rejects a promise on every notebook page, with or without Juggle: its shortcuts
  // plugin reads the settings of a plugin not loaded yet (jupyter/notebook#7862, open). That one error,
  // and only it, is set aside here and reported below; any other still fails the test (fixtures.js).
  await page.addInitScript(() => {
    window.notebookUpstreamErrors = [];
    window.addEventListener('unhandledrejection', (event) => {
      const { reason } = event;
      if (
        reason instanceof TypeError &&
        reason.message === "Cannot read properties of undefined (reading 'schema')"
      ) {
        event.preventDefault();
        window.notebookUpstreamErrors.push(reason.message);
      }
    });
  });
  const url = `http://127.0.0.1:${notebookPort}/notebooks/juggle.ipynb`;
  await runNotebook(page, context, url, 'Notebook 7');
  // Notebook 7's own page, not JupyterLab's: its app, its logo and header, the notebook alone in the main panel.
  expect(page.url()).toBe(url);
  const [name, version] = await page.evaluate(() => [window.jupyterapp.name, window.jupyterapp.version]);
  expect(name).toBe('Jupyter Notebook');
  expect(version).toMatch(/^7\./);
  await expect(page.locator('#jp-NotebookLogo')).toBeVisible();
  await expect(page.locator('#jp-title')).toContainText('juggle');
  await expect(page.locator('#main-panel .jp-NotebookPanel')).toHaveCount(1);
  test.info().annotations.push({
    type: 'Notebook 7',
    description: `${version}; its own error set aside (jupyter/notebook#7862): ${await page.evaluate(() => window.notebookUpstreamErrors.length)} time(s)`,
  });
  // What the teacher sees: the widget's frame after its run, under the cell.
  await page.screenshot({ path: test.info().outputPath('notebook-7.png') });
});

/**
 * Opens the notebook at `url` (JupyterLab's or Notebook 7's page), runs all its cells with the app's own
 * command, and checks each output as a teacher would: the scenario's frame loads and runs, the `%%juggle`
 * cell's program arrives whole in the Lab and runs there, and the widget runs and its trace reaches the
 * kernel. `app` names the front end in the annotations.
 */
async function runNotebook(page, context, url, app) {
  // The notebook server and Juggle are two origins on this machine's loopback: Chromium asks the
  // local-network permission that a public Juggle host would not need.
  await context.grantPermissions(['local-network-access']);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(url);
  await page.waitForFunction(
    () => window.jupyterapp?.shell?.currentWidget?.context?.sessionContext?.session?.kernel,
    null,
    {
      timeout: 60_000,
    },
  );
  await page.evaluate(async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    await panel.context.sessionContext.ready;
    await window.jupyterapp.commands.execute('notebook:run-all-cells');
  });

  const frames = page.locator('.jp-OutputArea-output iframe.juggle');
  await expect(frames).toHaveCount(3, { timeout: 60_000 });
  await expect(
    page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'),
  ).toHaveCount(0);

  // 1. juggle.scenario("count", variant="async"): the compact embed of the example address.
  const scenario = frames.nth(0);
  await expect(scenario).toHaveAttribute('src', `${juggleHost}?scenario=count&variant=async&embed=1`);
  await scenario.scrollIntoViewIfNeeded();
  const first = scenario.contentFrame();
  await expect(first.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  // Inside the notebook's page (not isolated itself) either mode is right; the page says which it used.
  const mode = await first.locator('#env-status').getAttribute('data-mode');
  expect(['shared-memory', 'message-passing']).toContain(mode);
  test.info().annotations.push({ type: `mode in ${app}`, description: mode });
  await first.locator('button[data-variant="async"]').click();
  await expect(first.locator('figure[data-variant="async"] ol.output li')).toHaveCount(6, {
    timeout: 30_000,
  });
  await expect(first.locator('figure[data-variant="async"] ol.output li .text')).toHaveText([
    'One',
    'One',
    'One',
    'Two',
    'Two',
    'Two',
  ]);

  // 2. %%juggle: the cell's own program in the Lab, run there (not by the kernel), its output in order.
  const labFrame = frames.nth(1);
  await labFrame.scrollIntoViewIfNeeded();
  const lab = labFrame.contentFrame();
  await expect(lab.locator('#lab-run')).toBeVisible({ timeout: 60_000 });
  // The program arrived whole, markup and all, through the link's #code= fragment.
  expect(await lab.locator('#lab-editor').evaluate((editor) => editor.labEditor.text())).toBe(CELL_PROGRAM);
  await lab.locator('#lab-run').click();
  await expect(lab.locator('ol.output li .text')).toHaveText(['first', 'second', '</iframe><script>&amp;'], {
    timeout: 90_000,
  });
  await expect(lab.locator('#lab-status')).toContainText('ended after');

  // 3. The anywidget: the same embed through the widget's own front end (widget.mjs), from the build
  //    that `juggle.serve` serves out of the kernel (another port than the static host's).
  const widget = frames.nth(2);
  const src = await widget.getAttribute('src');
  expect(src).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?scenario=count&variant=sync&embed=1$/);
  expect(src.startsWith(juggleHost)).toBe(false);
  // What juggle.serve sends: the build's _headers, as the hosts apply them.
  const served = await fetch(new URL('/', src));
  expect(served.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
  expect(served.headers.get('document-isolation-policy')).toBe('isolate-and-require-corp');
  expect((await fetch(new URL('/embed.js', src))).headers.get('access-control-allow-origin')).toBe('*');
  await widget.scrollIntoViewIfNeeded();
  const third = widget.contentFrame();
  await expect(third.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  // Before its Run, the kernel has no trace: the two embeds above ran and posted theirs to this page,
  // but the widget takes a message from its own frame only.
  expect(await inKernel(page, 'print(w.trace is None)')).toBe('True\n');
  await third.locator('button[data-variant="sync"]').click();
  await expect(third.locator('figure[data-variant="sync"] ol.output li .text')).toHaveText(
    ['One', 'Two', 'One', 'Two', 'One', 'Two'],
    { timeout: 30_000 },
  );

  // 4. The widget's run, back in the kernel as a dict: what a cell after it prints.
  const CHECK =
    'print(w.trace["total_ms"] > 0, w.trace["scenario"], w.trace["variant"])\nprint(*[line["text"] for line in w.trace["output"]])';
  await expect.poll(() => inKernel(page, `print(w.trace is not None)`), { timeout: 30_000 }).toBe('True\n');
  expect(await inKernel(page, CHECK)).toBe('True count sync\nOne Two One Two One Two\n');
  test.info().annotations.push({
    type: `the trace in the kernel (${app})`,
    description: await inKernel(
      page,
      'print(round(w.trace["total_ms"]), "ms,", len(w.trace["spans"]), "spans")',
    ),
  });
}

/**
 * Runs `code` in the notebook's kernel (as a cell would, without adding one) and resolves to what it
 * printed, with an exception's name and value.
 */
function inKernel(page, code) {
  return page.evaluate(async (code) => {
    const kernel = window.jupyterapp.shell.currentWidget.context.sessionContext.session.kernel;
    const future = kernel.requestExecute({ code, store_history: false });
    let printed = '';
    future.onIOPub = (message) => {
      if (message.header.msg_type === 'stream') printed += message.content.text;
      if (message.header.msg_type === 'error')
        printed += `${message.content.ename}: ${message.content.evalue}`;
    };
    await future.done;
    return printed;
  }, code);
}
