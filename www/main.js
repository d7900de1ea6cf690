// The page: a start view with the core ideas, and a view per scenario where the learner predicts, runs the
// variants, reads the timelines (and replays them), then the explanation and the code that ran.
// Everything measured comes from the traces that `juggle.run` returns; this file only lays them out.

import { lessons, start } from 'virtual:juggle-content';
import { initializeChildListener } from '@open-iframe-resizer/core';
import { el, formatMs, trustedHtml } from './dom.js';
import { createJuggle } from './juggle.js';
import { predictionForm, predictionResults } from './predict.js';
import { replayControls } from './replay.js';
import { speedupChart } from './speedup.js';
import { drawPictures, startView } from './start.js';
import { legend, spanTable, timeline } from './timeline.js';

const RESERVED_KEYS = new Set(['scenario', 'variant', 'autorun', 'embed']);
/** `?embed=1`: one scenario, compact, without the site's chrome, for an iframe in course material. */
const EMBED = new URLSearchParams(location.search).get('embed') === '1';
const app = document.getElementById('app');
const envStatus = document.getElementById('env-status');
const state = {
  juggle: null,
  catalogue: [],
  /** The scenario shown, or null on the start view. */
  scenario: null,
  /** Its lesson text, questions and highlighted code (built from its folder). */
  content: null,
  params: {},
  traces: new Map(),
  /** Prediction answers per scenario id, kept while the page is open. */
  answers: {},
  busy: false,
  /** The timelines' time axis: `shared` by all runs shown, or `fitted` to each run. */
  axis: 'shared',
  /** Whether the explanation has been opened for the runs of this view (it opens once, by itself). */
  explained: false,
};

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
  const found = state.catalogue.find((s) => s.id === wanted) ?? null;
  const params = {};
  for (const [key, value] of query) if (!RESERVED_KEYS.has(key)) params[key] = value;
  return {
    /** The scenario asked for; null for none (the start view) or an unknown one. */
    scenario: found,
    params,
    variant: query.get('variant'),
    autorun: query.get('autorun') === '1',
    unknownScenario: wanted !== null && !found ? wanted : null,
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

/** The link to a scenario (its id alone; knobs at their defaults), or to the start view for `null`. */
const scenarioHref = (id) => (id ? `?scenario=${encodeURIComponent(id)}` : location.pathname);

/** Counts navigations, so that a view whose content arrives after a newer navigation is dropped. */
let navigation = 0;

/**
 * Shows what the URL asks for: the start view, or a scenario (always a scenario when embedded).
 * `moveFocus` (after in-page navigation) scrolls to the top and puts the focus on the view's heading.
 */
async function route({ moveFocus = false } = {}) {
  const ticket = ++navigation;
  const url = readUrl();
  const focusHeading = () => {
    if (!moveFocus) return;
    scrollTo(0, 0);
    app.querySelector('h2')?.focus();
  };
  if (!EMBED && url.scenario === null && !url.unknownScenario) {
    const pictures = showStart();
    focusHeading();
    await pictures;
    return url;
  }
  const shown = await selectScenario(url.scenario ?? state.catalogue[0], url.params, {
    write: false,
    ticket,
  });
  if (!shown) return url;
  focusHeading();
  if (url.unknownScenario) {
    const error = document.getElementById('run-error');
    const allowed = state.catalogue.map((s) => s.id).join(', ');
    error.textContent = `There is no scenario "${url.unknownScenario}" (allowed: ${allowed}); showing "${state.scenario.id}" instead, without running it.`;
    error.hidden = false;
  }
  return url;
}

/**
 * Follows a link inside the page without reloading it (the core and the pool stay loaded). Leaving a view
 * cancels what runs in it, as leaving a page would; a link to the view already shown does nothing.
 */
async function navigate(href, { push = true } = {}) {
  const target = new URL(href, location.href);
  if (push) {
    const wanted = target.searchParams.get('scenario');
    if (wanted === (state.scenario?.id ?? null) && (wanted !== null || !state.content)) return;
    history.pushState(null, '', target.href);
  }
  running?.abort();
  await activity;
  await route({ moveFocus: true });
}

document.addEventListener('click', (event) => {
  const link = event.target.closest?.('a[data-route]');
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
});
addEventListener('popstate', () => navigate(location.href, { push: false }));

/** The site navigation: the start view, then every scenario. */
function siteNav() {
  const current = state.scenario?.id ?? null;
  const link = (id, text) =>
    el(
      'a',
      {
        href: scenarioHref(id),
        'data-route': '',
        class: 'tab',
        'aria-current': id === current ? 'page' : null,
      },
      text,
    );
  return el(
    'nav',
    { class: 'scenario-nav', 'aria-label': 'Scenarios' },
    link(null, 'Start'),
    state.catalogue.map((s) => link(s.id, s.title)),
  );
}

/** Shows the start view and draws its three pictures from a run made now; resolves when they are drawn. */
function showStart() {
  state.scenario = null;
  state.content = null;
  document.title = 'Juggle: concurrency versus parallelism, run for real';
  const { view, pictures } = startView({ start, catalogue: state.catalogue, href: scenarioHref });
  app.replaceChildren(siteNav(), view);
  const width = Math.min(1000, Math.max(520, pictures.clientWidth || 900));
  return busyWith(async (signal) => {
    try {
      await drawPictures(state.juggle, pictures, { signal, width });
    } catch (failure) {
      if (failure?.code === 'cancelled') {
        // Esc on the start view; when the view was left, nobody sees this.
        pictures.replaceChildren(
          el(
            'p',
            { class: 'run-status' },
            'The pictures were cancelled. ',
            el('button', { type: 'button', onclick: () => showStart() }, 'Draw them again'),
          ),
        );
        return;
      }
      pictures.replaceChildren(
        el(
          'p',
          { class: 'error', role: 'alert' },
          `The pictures could not be drawn: ${failure?.message ?? failure}`,
        ),
      );
    } finally {
      showEnv();
    }
  });
}

/**
 * Shows a scenario once its content (lesson, questions, code) has loaded, unless a newer navigation
 * happened meanwhile. Resolves to whether it was shown.
 */
async function selectScenario(scenario, params = {}, { write = true, ticket = navigation } = {}) {
  let content;
  try {
    content = (await lessons[scenario.id]()).default;
  } catch (failure) {
    if (ticket !== navigation) return false;
    app.replaceChildren(
      ...(EMBED ? [] : [siteNav()]),
      el(
        'p',
        { class: 'error', role: 'alert' },
        `The page for "${scenario.title}" could not be loaded (${failure?.message ?? failure}). Reload the page to try again.`,
      ),
    );
    return false;
  }
  if (ticket !== navigation) return false;
  state.scenario = scenario;
  state.content = content;
  state.params = params;
  state.traces = new Map();
  state.explained = false;
  state.answers[scenario.id] ??= {};
  document.title = `${scenario.title} · Juggle`;
  render();
  if (write) writeUrl();
  return true;
}

/** One highlighted source (`{ path, html }`, built from the crate) with its caption. */
const codeFigure = (className, title, { path, html }) =>
  el(
    'figure',
    { class: className },
    el('figcaption', {}, el('strong', {}, title), ' ', el('code', {}, path)),
    trustedHtml('div', { class: 'code-block' }, html),
  );

/** A numbered step of the scenario view: predict, run, see, understand. */
const step = (n, id, title, ...children) =>
  el(
    'section',
    { class: `step step-${id}`, 'aria-labelledby': `step-${id}-title` },
    el('h3', { id: `step-${id}-title` }, el('span', { class: 'step-number' }, `${n}`), title),
    children,
  );

function render() {
  const scenario = state.scenario;
  const content = state.content;
  const knobs = el(
    'form',
    { class: 'knobs', 'aria-label': 'Settings', onsubmit: (event) => event.preventDefault() },
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
          'aria-describedby': `range-${param.name}`,
          oninput: (event) => {
            state.params[param.name] = event.target.value;
            writeUrl();
            // Runs shown side by side always share their settings: new settings clear the old runs.
            if (state.traces.size) {
              state.traces = new Map();
              renderResults();
              document.getElementById('run-status').textContent =
                'Settings changed: the earlier runs were cleared, so the runs shown always share their settings.';
            }
            // The browser's own check of min, max and step flags the box at once; the run is still
            // refused by the core's validation, with its message, if it is started anyway.
            const input = event.target;
            const range = document.getElementById(`range-${param.name}`);
            input.setAttribute('aria-invalid', String(!input.validity.valid));
            range.textContent = input.validity.valid
              ? `${param.min}–${param.max}`
              : `a whole number from ${param.min} to ${param.max}`;
          },
        }),
        el('span', { class: 'knob-range', id: `range-${param.name}` }, `${param.min}–${param.max}`),
      ),
    ),
  );
  const actions = el(
    'div',
    { class: 'actions' },
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
    scenario.variants.map((v) => [el('dt', {}, v.title, ' ', el('code', {}, v.id)), el('dd', {}, v.summary)]),
  );
  const code = el(
    'section',
    { class: 'code', 'aria-labelledby': 'code-title' },
    el('h3', { id: 'code-title' }, 'The code'),
    el(
      'div',
      { class: 'code-columns' },
      codeFigure('code-rust', 'Rust: the code that ran', content.rust),
      codeFigure('code-python', 'Python: the same workload', content.python),
    ),
  );
  app.replaceChildren(
    ...(EMBED ? [] : [siteNav()]),
    el(
      'section',
      { class: 'scenario', 'aria-labelledby': 'scenario-title', 'data-scenario': scenario.id },
      el(
        'h2',
        { id: 'scenario-title', tabindex: '-1' },
        scenario.title,
        EMBED
          ? el(
              'a',
              { class: 'open-juggle', href: standaloneUrl(), target: '_blank', rel: 'noopener' },
              'Open in Juggle ↗',
            )
          : null,
      ),
      trustedHtml('div', { class: 'prose situation' }, content.situation),
      variants,
      step(
        1,
        'predict',
        'Predict',
        el('p', { class: 'hint' }, 'Answer before you run: the runs below will check each answer.'),
        predictionForm(content.questions, scenario.variants, state.answers[scenario.id]),
      ),
      step(
        2,
        'run',
        'Run',
        knobs,
        actions,
        unavailableNote,
        el(
          'div',
          { class: 'run-line' },
          el('p', { class: 'run-status', id: 'run-status', role: 'status' }),
          el('progress', { id: 'run-progress', hidden: true, 'aria-label': 'Run progress' }),
          // Not a live region: it changes ten times a second. The status above says when runs start and end.
          el('span', { id: 'run-progress-text', class: 'progress-text' }),
          el(
            'button',
            { type: 'button', id: 'cancel', class: 'cancel', hidden: true, onclick: () => running?.abort() },
            'Cancel (Esc)',
          ),
        ),
        el('p', { class: 'error', id: 'run-error', role: 'alert', hidden: true }),
      ),
      step(
        3,
        'see',
        'See',
        el(
          'div',
          { class: 'see-options' },
          legend(),
          el(
            'fieldset',
            { class: 'axis-choice' },
            el('legend', {}, 'Time axis'),
            [
              ['shared', 'shared by all runs (compare their lengths)'],
              ['fitted', 'fitted to each run (see short runs in detail)'],
            ].map(([value, text]) =>
              el(
                'label',
                { class: 'choice' },
                el('input', {
                  type: 'radio',
                  name: 'axis',
                  value,
                  checked: state.axis === value,
                  onchange: () => {
                    state.axis = value;
                    renderResults();
                  },
                }),
                text,
              ),
            ),
          ),
        ),
        el('div', { class: 'replay-slot', id: 'replay-slot' }),
        el('div', { class: 'results', id: 'results' }),
        el('div', { id: 'prediction-slot' }),
      ),
      step(
        4,
        'understand',
        'Understand',
        el(
          'details',
          { class: 'explanation', id: 'explanation' },
          el('summary', {}, 'What happens, and why'),
          trustedHtml('div', { class: 'prose' }, content.happens),
          el('h4', {}, 'The lesson'),
          trustedHtml('div', { class: 'prose lesson' }, content.lesson),
        ),
        code,
      ),
      EMBED ? null : embedPanel(),
    ),
  );
  renderResults();
}

function renderResults() {
  const results = document.getElementById('results');
  const traces = state.scenario.variants.filter((v) => state.traces.has(v.id));
  const xMax = Math.max(1, ...traces.map((v) => state.traces.get(v.id).total_ms)) * 1.02;
  const width = Math.min(1100, Math.max(560, results.clientWidth || 900));
  const axisOf = (trace) => (state.axis === 'fitted' ? Math.max(1, trace.total_ms) * 1.02 : xMax);
  const figures = traces.map((variant) => {
    const trace = state.traces.get(variant.id);
    return runFigure(variant, trace, axisOf(trace), width);
  });
  results.replaceChildren(...figures.map((f) => f.figure));
  const slot = document.getElementById('replay-slot');
  slot.replaceChildren(
    figures.length
      ? replayControls({
          xMax,
          runs: figures.map(({ plot, readout, trace }) => ({ plot, readout, trace })),
          momentOf: (trace, t) => state.juggle.traceAt(trace, t),
        })
      : el('p', { class: 'hint' }, 'Nothing has run yet: the timelines of your runs appear here.'),
  );
  document
    .getElementById('prediction-slot')
    .replaceChildren(
      predictionResults(
        state.content.questions,
        state.scenario.variants.filter(canRun),
        state.answers[state.scenario.id],
        state.traces,
      ) ?? '',
    );
  // The explanation opens when the first results appear; after that the learner decides.
  if (figures.length && !state.explained) {
    state.explained = true;
    document.getElementById('explanation').open = true;
  }
}

/** One run's figure: caption, timeline, its summary in words, replay readout, results, output, data. */
function runFigure(variant, trace, xMax, width) {
  const { heartbeat } = trace;
  const texts = trace.output.map((line) => line.text);
  const printed =
    texts.length > 12 ? `${texts.slice(0, 12).join(' ')} … (${texts.length} lines in all)` : texts.join(' ');
  const summary =
    `${variant.title}: ${formatMs(trace.total_ms)} in total.` +
    (printed ? ` Printed: ${printed}.` : '') +
    ` Health check: longest gap ${formatMs(heartbeat.max_gap_ms)}, ${heartbeat.missed} of its ${formatMs(heartbeat.interval_ms)} deadlines missed.`;
  const plot = timeline(trace, { xMax, width });
  const readout = el('div', { class: 'moment', hidden: true });
  const figure = el(
    'figure',
    { class: 'run-figure', 'data-variant': variant.id, 'data-total-ms': trace.total_ms },
    el(
      'figcaption',
      {},
      el('strong', {}, `${variant.title} `),
      el('code', {}, variant.id),
      el('span', { class: 'total' }, ` total ${formatMs(trace.total_ms)}`),
    ),
    el('div', { class: 'chart', role: 'img', 'aria-label': summary }, plot),
    readout,
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
          'details',
          { class: 'output-list', open: trace.output.length <= 12 },
          el('summary', {}, `Printed lines (${trace.output.length})`),
          el(
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
          ),
        )
      : null,
    el(
      'details',
      { class: 'data-table' },
      el('summary', {}, `The timeline as a table (${trace.spans.length} spans)`),
      spanTable(trace, `${variant.title}: every span of the run`),
    ),
    downloads(variant, trace),
  );
  return { figure, plot, readout, trace };
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

/** Runs shorter than this show no progress bar (it would only flicker). */
const PROGRESS_AFTER_MS = 300;

/**
 * Once a run has gone on for PROGRESS_AFTER_MS, shows the Cancel button and a progress bar measured
 * against the scenario's estimate (`estimateMs`), updated while the main thread is free. A variant that
 * blocks the main thread freezes the bar too: the status says so, since that is the lesson.
 */
function showProgress(estimateMs, cancel) {
  const bar = document.getElementById('run-progress');
  const text = document.getElementById('run-progress-text');
  const began = performance.now();
  const tick = () => {
    const elapsed = performance.now() - began;
    if (elapsed < PROGRESS_AFTER_MS) return;
    cancel.hidden = false;
    bar.hidden = false;
    if (elapsed <= estimateMs) {
      bar.max = estimateMs;
      bar.value = elapsed;
    } else bar.removeAttribute('value');
    text.textContent = `${formatMs(elapsed)} of about ${formatMs(estimateMs)}. Esc or Cancel stops it; if the bar stops moving, this variant is blocking the main thread (that is part of the lesson).`;
  };
  const timer = setInterval(tick, 100);
  return {
    stop() {
      clearInterval(timer);
      bar.hidden = true;
      text.textContent = '';
      cancel.hidden = true;
    },
  };
}

/** What runs now (the start view's pictures or a scenario's variants) stops through this controller. */
let running = null;
/** Settles when what runs now has ended (navigation waits for it). */
let activity = Promise.resolve();

/**
 * Marks the page busy while `work(signal)` runs; the Cancel button, Esc and leaving the view abort
 * `signal`. Returns `work`'s promise.
 */
function busyWith(work) {
  state.busy = true;
  const controller = new AbortController();
  running = controller;
  const done = (async () => {
    try {
      return await work(controller.signal);
    } finally {
      if (running === controller) running = null;
      state.busy = false;
    }
  })();
  activity = done.catch(() => {});
  return done;
}

function runVariants(variantIds) {
  if (state.busy) return Promise.resolve();
  return busyWith((signal) => runBatch(variantIds, signal));
}

async function runBatch(variantIds, signal) {
  const status = document.getElementById('run-status');
  const error = document.getElementById('run-error');
  const cancel = document.getElementById('cancel');
  const buttons = [...document.querySelectorAll('button.run')];
  for (const button of buttons) button.disabled = true;
  // A replay playing now would take main-thread time from the run: its controls go until the run ends.
  document
    .getElementById('replay-slot')
    .replaceChildren(el('p', { class: 'hint' }, 'Replay comes back when the run ends.'));
  // The variants of one batch run with the same settings.
  const knobs = [...document.querySelectorAll('.knobs input')];
  for (const input of knobs) input.disabled = true;
  error.hidden = true;
  let ran = 0;
  let progress = null;
  try {
    for (const id of variantIds) {
      const title = state.scenario.variants.find((v) => v.id === id)?.title ?? id;
      const params = { ...state.params, variant: id };
      status.textContent = `Running ${title.toLowerCase()}…`;
      progress = showProgress(state.juggle.estimate(state.scenario.id, params), cancel);
      await nextPaint();
      const trace = await state.juggle.run(state.scenario.id, params, { signal });
      progress.stop();
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
      if (failure?.code === 'panicked')
        error.textContent +=
          ' This is a bug in Juggle, not part of the lesson: the next run works, and a report with the steps that led here helps.';
      error.hidden = false;
    }
  } finally {
    progress?.stop();
    cancel.hidden = true;
    showEnv();
    for (const button of buttons) button.disabled = button.dataset.unavailable !== undefined;
    for (const input of knobs) input.disabled = false;
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
  const shown = route();
  // When a learner could first run something (npm run bench reads it).
  performance.mark('juggle-ready');
  const url = await shown;
  // `ready`: the page is idle and takes input (the start view has drawn its pictures by then).
  document.body.dataset.ready = 'true';
  // A link to a scenario that does not exist runs nothing: the learner did not ask for the one shown.
  if (url?.autorun && !url.unknownScenario) {
    const ids = url.variant ? [url.variant] : url.scenario.variants.filter(canRun).map((v) => v.id);
    await runVariants(ids);
  }
}

boot();
