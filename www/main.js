// The page: pick a scenario, set its knobs, run variants, and see each run as a timeline.
// Everything shown comes from the traces that `juggle.run` returns; this file only lays them out.
import { initializeChildListener } from '@open-iframe-resizer/core';
import { createJuggle } from './juggle.js';
import { speedupChart } from './speedup.js';
import { legend, timeline } from './timeline.js';

const RESERVED_KEYS = new Set(['scenario', 'variant', 'autorun', 'embed']);
/** `?embed=1`: one scenario, compact, without the site's chrome, for an iframe in course material. */
const EMBED = new URLSearchParams(location.search).get('embed') === '1';
const app = document.getElementById('app');
const envStatus = document.getElementById('env-status');
const state = { juggle: null, catalogue: [], scenario: null, params: {}, traces: new Map(), busy: false };

/** Creates an element; string children become text nodes (never HTML). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  node.append(...children.flat(Number.POSITIVE_INFINITY).filter((c) => c !== null && c !== undefined));
  return node;
}

const formatMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`);

/** Resolves after the browser had a chance to paint (so "Running…" shows before a blocking run). */
const nextPaint = () =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() => setTimeout(() => resolve(clearTimeout(timer)), 0));
  });

/** Whether a variant can run here: those that need shared memory cannot on message-passing workers. */
const canRun = (variant) =>
  !(variant.placement === 'shared-memory' && state.juggle.status().mode !== 'shared-memory');

function showEnv() {
  const { mode, why, threads, state: pool, poolInitMs, poolError } = state.juggle.status();
  const cores = `${navigator.hardwareConcurrency} logical cores (hardwareConcurrency counts hyper-threads too)`;
  const workers =
    mode === 'shared-memory'
      ? `worker pool: ${threads} threads over shared memory (rayon), because ${why}`
      : `worker pool: ${threads} message-passing workers, because ${why}. Variants that need shared memory cannot run here`;
  let started = '';
  if (pool === 'failed') started = `. It failed to start: ${poolError?.message}`;
  else if (pool === 'running') started = ` (its start took ${formatMs(poolInitMs)}).`;
  else started = '; it starts with the first parallel run, whose timeline shows the start-up.';
  envStatus.replaceChildren(
    `${cores} · ${workers}${started}`,
    mode === 'shared-memory'
      ? ''
      : el(
          'a',
          { href: standaloneUrl(), target: '_blank', rel: 'noopener', class: 'new-tab' },
          'Open in a new tab for shared memory',
        ),
  );
  envStatus.dataset.mode = mode;
}

function readUrl() {
  const query = new URLSearchParams(location.search);
  const wanted = query.get('scenario');
  const scenario = state.catalogue.find((s) => s.id === wanted) ?? state.catalogue[0];
  const params = {};
  for (const [key, value] of query) if (!RESERVED_KEYS.has(key)) params[key] = value;
  return {
    scenario,
    params,
    variant: query.get('variant'),
    autorun: query.get('autorun') === '1',
    unknownScenario: wanted !== null && scenario.id !== wanted ? wanted : null,
  };
}

/** The query for the current scenario and knobs (only values that differ from their defaults). */
function currentQuery({ embed = EMBED } = {}) {
  const query = new URLSearchParams({ scenario: state.scenario.id });
  for (const param of state.scenario.params) {
    const value = state.params[param.name];
    if (value !== undefined && String(value) !== String(param.default)) query.set(param.name, value);
  }
  if (embed) query.set('embed', '1');
  return query;
}

function writeUrl() {
  history.replaceState(null, '', `?${currentQuery()}`);
}

/** This page outside any iframe: where "open in a new tab" goes. */
function standaloneUrl() {
  if (!state.scenario) {
    const url = new URL(location.href);
    url.searchParams.delete('embed');
    return url.href;
  }
  return new URL(`?${currentQuery({ embed: false })}`, location.href).href;
}

/** The HTML a teacher pastes into course material to embed the current scenario and knobs. */
function embedSnippet() {
  const src = new URL(`?${currentQuery({ embed: true })}`, location.href).href;
  const script = new URL('/embed.js', location.href).href;
  return [
    `<iframe class="juggle" src="${src}" title="Juggle: ${state.scenario.title}"`,
    '        loading="lazy" allow="cross-origin-isolated" style="width: 100%; border: 0; min-height: 40rem"></iframe>',
    `<script type="module" src="${script}"></script>`,
  ].join('\n');
}

/** The "Embed" disclosure: the snippet, a copy button, and what the two lines do. */
function embedPanel() {
  const code = el('textarea', { readonly: true, rows: 4, spellcheck: 'false', 'aria-label': 'Embed code' });
  code.value = embedSnippet();
  const copied = el('span', { class: 'copied', role: 'status' });
  return el(
    'details',
    { class: 'embed-panel', ontoggle: () => (code.value = embedSnippet()) },
    el('summary', {}, 'Embed this scenario'),
    el(
      'p',
      {},
      'Paste this into a course page (LMS, Jupyter Book, Quarto, slides). The iframe shows this scenario with these knobs; the script fits its height to its content. Inside a page that is not cross-origin isolated, parallel variants run on message-passing workers.',
    ),
    code,
    el(
      'button',
      {
        type: 'button',
        class: 'copy',
        onclick: async () => {
          code.value = embedSnippet();
          code.select();
          try {
            await navigator.clipboard.writeText(code.value);
            copied.textContent = 'Copied.';
          } catch {
            copied.textContent = 'Select the code and copy it (the clipboard is not available here).';
          }
        },
      },
      'Copy',
    ),
    copied,
  );
}

function selectScenario(scenario, params = {}) {
  state.scenario = scenario;
  state.params = params;
  state.traces = new Map();
  render();
  writeUrl();
}

function render() {
  const scenario = state.scenario;
  const nav = el(
    'nav',
    { class: 'scenario-nav', 'aria-label': 'Scenarios' },
    state.catalogue.map((s) =>
      el(
        'button',
        {
          type: 'button',
          class: 'tab',
          'aria-pressed': String(s.id === scenario.id),
          onclick: () => s.id !== scenario.id && !state.busy && selectScenario(s),
        },
        s.title,
      ),
    ),
  );
  const knobs = el(
    'form',
    { class: 'knobs', onsubmit: (event) => event.preventDefault() },
    scenario.params.map((param) =>
      el(
        'label',
        {},
        el('span', { class: 'knob-label' }, `${param.label}${param.unit ? ` (${param.unit})` : ''}`),
        el('input', {
          type: 'number',
          name: param.name,
          min: param.min,
          max: param.max,
          step: 1,
          value: state.params[param.name] ?? param.default,
          oninput: (event) => {
            state.params[param.name] = event.target.value;
            writeUrl();
          },
        }),
        el('span', { class: 'knob-range' }, `${param.min}–${param.max}`),
      ),
    ),
  );
  const actions = el(
    'div',
    { class: 'actions' },
    scenario.variants.map((variant) =>
      el(
        'button',
        {
          type: 'button',
          class: 'run',
          id: `run-${variant.id}`,
          'data-variant': variant.id,
          disabled: !canRun(variant),
          'data-unavailable': !canRun(variant),
          title: canRun(variant) ? null : 'Needs shared memory, which this page does not have',
          onclick: () => runVariants([variant.id]),
        },
        `Run ${variant.title.toLowerCase()}`,
      ),
    ),
    el(
      'button',
      {
        type: 'button',
        class: 'run run-all',
        id: 'run-all',
        onclick: () => runVariants(scenario.variants.filter(canRun).map((v) => v.id)),
      },
      scenario.variants.every(canRun) ? 'Run all variants' : 'Run all variants that can run here',
    ),
  );
  const unavailable = scenario.variants.filter((v) => !canRun(v));
  const unavailableNote = unavailable.length
    ? el(
        'p',
        { class: 'unavailable-note' },
        `${unavailable.map((v) => v.title).join(', ')}: needs threads that share memory, which this page cannot have (it is not cross-origin isolated). `,
        el('a', { href: standaloneUrl(), target: '_blank', rel: 'noopener' }, 'Open Juggle in a new tab'),
        ' to run it.',
      )
    : null;
  const variants = el(
    'dl',
    { class: 'variants' },
    scenario.variants.map((v) => [el('dt', {}, `${v.title} (${v.id})`), el('dd', {}, v.summary)]),
  );
  app.replaceChildren(
    ...(EMBED ? [] : [nav]),
    el(
      'section',
      { class: 'scenario', 'aria-labelledby': 'scenario-title', 'data-scenario': scenario.id },
      el(
        'h2',
        { id: 'scenario-title' },
        scenario.title,
        EMBED
          ? el(
              'a',
              { class: 'open-juggle', href: standaloneUrl(), target: '_blank', rel: 'noopener' },
              'Open in Juggle ↗',
            )
          : null,
      ),
      el('p', { class: 'summary' }, scenario.summary),
      variants,
      knobs,
      actions,
      unavailableNote,
      EMBED ? null : embedPanel(),
      el(
        'div',
        { class: 'run-line' },
        el('p', { class: 'run-status', id: 'run-status', role: 'status' }),
        el(
          'button',
          { type: 'button', id: 'cancel', class: 'cancel', hidden: true, onclick: () => running?.abort() },
          'Cancel (Esc)',
        ),
      ),
      el('p', { class: 'error', id: 'run-error', role: 'alert', hidden: true }),
      legend(),
      el('div', { class: 'results', id: 'results' }),
    ),
  );
  renderResults();
}

function renderResults() {
  const results = document.getElementById('results');
  const traces = state.scenario.variants.filter((v) => state.traces.has(v.id));
  const xMax = Math.max(1, ...traces.map((v) => state.traces.get(v.id).total_ms)) * 1.02;
  const width = Math.min(1100, Math.max(560, results.clientWidth || 900));
  results.replaceChildren(
    ...traces.map((variant) => runFigure(variant, state.traces.get(variant.id), xMax, width)),
  );
}

function runFigure(variant, trace, xMax, width) {
  const { heartbeat } = trace;
  const printed = trace.output.map((line) => line.text).join(' ');
  const summary =
    `${variant.title}: ${formatMs(trace.total_ms)} in total.` +
    (printed ? ` Printed: ${printed}.` : '') +
    ` Health check: longest gap ${formatMs(heartbeat.max_gap_ms)}, ${heartbeat.missed} of its ${formatMs(heartbeat.interval_ms)} deadlines missed.`;
  return el(
    'figure',
    { class: 'run-figure', 'data-variant': variant.id, 'data-total-ms': trace.total_ms },
    el(
      'figcaption',
      {},
      el('strong', {}, `${variant.title} `),
      el('code', {}, variant.id),
      el('span', { class: 'total' }, ` total ${formatMs(trace.total_ms)}`),
    ),
    el('div', { class: 'chart', role: 'img', 'aria-label': summary }, timeline(trace, { xMax, width })),
    el('p', { class: 'run-summary' }, summary),
    trace.env.hidden
      ? el(
          'p',
          { class: 'hidden-note', role: 'note' },
          'This tab was hidden during the run. Browsers throttle timers in hidden tabs (to about once a second), so these times are not reliable: run it again with the tab in view.',
        )
      : null,
    simulatedNote(trace),
    trace.result?.runs ? speedupFigure(variant, trace.result) : null,
    resultList(trace.result),
    trace.output.length
      ? el(
          'ol',
          { class: 'output', 'aria-label': `${variant.title} output` },
          trace.output.map((line) =>
            el(
              'li',
              {},
              el('span', { class: 'time' }, formatMs(line.t_ms).padStart(8)),
              el('span', { class: 'task' }, line.task),
              el('span', { class: 'text' }, line.text),
            ),
          ),
        )
      : null,
    downloads(variant, trace),
  );
}

/** Saves `blob` as a file through a temporary link. */
function save(blob, name) {
  const link = el('a', { href: URL.createObjectURL(blob), download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}

/** The timeline's SVG as a standalone file: its colours made explicit (it draws with `currentColor`). */
function svgFile(figure) {
  const svg = figure.querySelector('.chart svg').cloneNode(true);
  svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  svg.setAttribute('color', getComputedStyle(document.body).color);
  svg.style.background = getComputedStyle(document.body).backgroundColor;
  return new Blob([new XMLSerializer().serializeToString(svg)], { type: 'image/svg+xml' });
}

/** The timeline as a PNG at twice its size, drawn from the SVG file. */
async function pngFile(figure) {
  const svg = figure.querySelector('.chart svg');
  const { width, height } = svg.getBoundingClientRect();
  const image = new Image();
  image.src = URL.createObjectURL(svgFile(figure));
  await image.decode();
  const canvas = el('canvas', { width: Math.ceil(width * 2), height: Math.ceil(height * 2) });
  canvas.getContext('2d').drawImage(image, 0, 0, canvas.width, canvas.height);
  URL.revokeObjectURL(image.src);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}

/** Download buttons for one run: its trace (JSON, CSV, Chrome trace) and its timeline (SVG, PNG). */
function downloads(variant, trace) {
  const base = `juggle-${trace.scenario}-${trace.variant}`;
  const text = (format, type, extension) => () =>
    save(new Blob([state.juggle.exportTrace(trace, format)], { type }), `${base}${extension}`);
  const items = [
    ['JSON', 'the trace, as juggle.run returns it', text('json', 'application/json', '.json')],
    ['CSV', 'a row per span, printed line and beat', text('csv', 'text/csv', '.csv')],
    [
      'Chrome trace',
      'opens in Perfetto UI and chrome://tracing',
      text('chrome', 'application/json', '.trace.json'),
    ],
    ['SVG', 'the timeline as a vector image', (figure) => save(svgFile(figure), `${base}.svg`)],
    ['PNG', 'the timeline as a picture', async (figure) => save(await pngFile(figure), `${base}.png`)],
  ];
  return el(
    'p',
    { class: 'downloads' },
    el('span', { class: 'downloads-label' }, 'Download:'),
    items.map(([label, title, action]) =>
      el(
        'button',
        {
          type: 'button',
          class: 'download',
          title,
          'aria-label': `Download ${variant.title} as ${label} (${title})`,
          onclick: (event) => action(event.target.closest('figure')),
        },
        label,
      ),
    ),
  );
}

/** Says which waits are simulated, when the trace has any (their span labels say so). */
function simulatedNote(trace) {
  const labels = [...new Set(trace.spans.map((s) => s.label).filter((l) => l.includes('(simulated)')))];
  if (!labels.length) return null;
  return el(
    'p',
    { class: 'simulated-note' },
    `Simulated: the waits labelled ${labels.map((l) => `“${l}”`).join(', ')} are timers standing in for a network; the CPU work and all times are real.`,
  );
}

/** The `speedup` result: the chart, what it says in words, and its data as a table. */
function speedupFigure(variant, result) {
  const { runs } = result;
  const last = runs.at(-1);
  const p = result.parallel_fraction;
  let fraction = 'With one thread only, nothing can be fitted.';
  if (p !== null) {
    fraction = `Amdahl's law fitted to these points: a parallel fraction P = ${p.toFixed(2)}`;
    fraction +=
      p < 0.95
        ? `, so no number of threads could go past ${(1 / (1 - p)).toFixed(1)}×.`
        : ': nearly all of the work ran in parallel.';
  }
  const words =
    `${variant.title}: ${runs.map((r) => `${r.threads} thread${r.threads === 1 ? '' : 's'} ${formatMs(r.ms)} (${r.speedup.toFixed(2)}×)`).join(', ')}. ` +
    `Efficiency on ${last.threads} threads: ${(100 * last.efficiency).toFixed(0)}%. ${fraction} ` +
    `The prime count was ${result.identical ? 'identical at every thread count' : 'NOT identical across thread counts'}.`;
  return el(
    'div',
    { class: 'speedup' },
    el('div', { class: 'chart', role: 'img', 'aria-label': words }, speedupChart(result)),
    el(
      'div',
      {},
      el('p', { class: 'run-summary' }, words),
      el(
        'table',
        { class: 'data' },
        el('caption', {}, 'Measured in this run'),
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ['threads', 'time', 'speedup', 'efficiency', 'lanes used'].map((h) =>
              el('th', { scope: 'col' }, h),
            ),
          ),
        ),
        el(
          'tbody',
          {},
          runs.map((r) =>
            el(
              'tr',
              {},
              el('td', {}, String(r.threads)),
              el('td', {}, formatMs(r.ms)),
              el('td', {}, `${r.speedup.toFixed(2)}×`),
              el('td', {}, `${(100 * r.efficiency).toFixed(0)}%`),
              el('td', {}, String(r.lanes_used)),
            ),
          ),
        ),
      ),
    ),
  );
}

/** The scenario's own figures (`trace.result`), for example expected, final and lost counts. */
function resultList(result) {
  const entries = Object.entries(result ?? {}).filter(([, value]) =>
    ['number', 'boolean'].includes(typeof value),
  );
  if (!entries.length) return null;
  const name = (key) => key.replace(/_ms$/, ' (ms)').replaceAll('_', ' ');
  const value = (v) =>
    typeof v === 'boolean' ? (v ? 'yes' : 'no') : Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1);
  return el(
    'dl',
    { class: 'result' },
    entries.map(([key, number]) => el('div', {}, el('dt', {}, name(key)), el('dd', {}, value(number)))),
  );
}

/** The run in progress can be cancelled through this controller (the Cancel button, Esc). */
let running = null;

async function runVariants(variantIds) {
  if (state.busy) return;
  state.busy = true;
  running = new AbortController();
  const status = document.getElementById('run-status');
  const error = document.getElementById('run-error');
  const cancel = document.getElementById('cancel');
  const buttons = [...document.querySelectorAll('button.run, button.tab')];
  for (const button of buttons) button.disabled = true;
  cancel.hidden = false;
  error.hidden = true;
  let ran = 0;
  try {
    for (const id of variantIds) {
      const title = state.scenario.variants.find((v) => v.id === id)?.title ?? id;
      status.textContent = `Running ${title.toLowerCase()}… (Esc cancels; a variant that blocks the main thread freezes this page until it ends: that is part of the lesson)`;
      await nextPaint();
      const trace = await state.juggle.run(
        state.scenario.id,
        { ...state.params, variant: id },
        { signal: running.signal },
      );
      state.traces.set(id, trace);
      ran += 1;
      renderResults();
    }
    status.textContent = `Done: ${variantIds.length === 1 ? 'one variant' : `${variantIds.length} variants`} ran.`;
  } catch (failure) {
    if (failure?.code === 'cancelled') {
      status.textContent = `Cancelled${ran ? ` after ${ran} of ${variantIds.length} variants` : ''}.`;
    } else {
      status.textContent = 'The run did not complete.';
      error.textContent = failure?.message ?? String(failure);
      error.hidden = false;
    }
  } finally {
    running = null;
    cancel.hidden = true;
    showEnv();
    for (const button of buttons) button.disabled = button.dataset.unavailable !== undefined;
    state.busy = false;
    document.body.dataset.runs = String(Number(document.body.dataset.runs ?? 0) + 1);
  }
}

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && running) running.abort();
});

async function boot() {
  if (EMBED) {
    document.body.classList.add('embed');
    // Tell the host page our height (its embed.js listens), and keep telling it as results appear.
    if (window.parent !== window) initializeChildListener();
  }
  try {
    state.juggle = await createJuggle();
  } catch (failure) {
    envStatus.textContent = `Juggle could not load its Rust core: ${failure?.message ?? failure}`;
    throw failure;
  }
  window.juggle = state.juggle;
  state.catalogue = state.juggle.scenarios();
  showEnv();
  const url = readUrl();
  selectScenario(url.scenario, url.params);
  if (url.unknownScenario) {
    const error = document.getElementById('run-error');
    const allowed = state.catalogue.map((s) => s.id).join(', ');
    error.textContent = `There is no scenario "${url.unknownScenario}" (allowed: ${allowed}); showing "${url.scenario.id}" instead, without running it.`;
    error.hidden = false;
  }
  document.body.dataset.ready = 'true';
  // When a learner could first run something (npm run bench reads it).
  performance.mark('juggle-ready');
  // A link to a scenario that does not exist runs nothing: the learner did not ask for the one shown.
  if (url.autorun && !url.unknownScenario) {
    const ids = url.variant ? [url.variant] : url.scenario.variants.filter(canRun).map((v) => v.id);
    await runVariants(ids);
  }
}

boot();
