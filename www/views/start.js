// @ts-check
/**
 * The start view: the core ideas, the three `timelines` pictures drawn from a run made once the page has
 * loaded and they come into view (or on request),
 * the catalogue of scenarios, the "which tool when" and Python-to-browser tables, and a short quiz.
 * Its text comes from `www/content/` (start.md, quiz.json), made into HTML at build time.
 */
import { el, formatMs, trustedHtml, withCode } from '../dom.js';
import { loadPlot } from './plot.js';
import { legend, timeline } from './timeline.js';
import { froze } from './trace-facts.js';

/** @typedef {import('../pkg-st/juggle.js').CatalogEntry} CatalogEntry */
/** @typedef {import('../types/views.js').ShownTrace} ShownTrace */
/** @typedef {import('../types/views.js').StartContent} StartContent */
/** @typedef {import('../types/views.js').Quiz} Quiz */
/** @typedef {import('../types/views.js').Thrown} Thrown */

/**
 * The `timelines` variants in the order the ideas introduce them, with what each picture shows.
 * @type {[variant: string, title: string, caption: string][]}
 */
const PICTURES = [
  ['parallel', 'Parallelism: two hands', 'A and B run at the same instant, on two pool workers.'],
  ['concurrent', 'Concurrency: one hand, juggling', 'A and B take turns on the main thread.'],
  ['async', 'Asynchrony: filling the waits', 'While one task waits, the other computes.'],
];
/** Small enough to draw quickly on opening, large enough to read. */
const PICTURE_PARAMS = { work_ms: 200, slice_ms: 25, wait_ms: 200 };

/**
 * Builds the start view.
 * @param {{ start: StartContent, catalogue: CatalogEntry[], href: (id: string) => string }} options
 * @returns {{ view: HTMLElement, pictures: HTMLElement }} the view, and the element the pictures go in
 */
export function startView({ start, catalogue, href }) {
  /**
   * @param {StartContent['sections'][number]} section
   * @param {...import('../dom.js').Child} extra
   */
  const section = ({ id, title, html }, ...extra) =>
    el(
      'section',
      { class: `start-section start-${id}`, 'aria-labelledby': `start-${id}-title` },
      el('h2', { id: `start-${id}-title` }, title),
      trustedHtml('div', { class: 'prose' }, html),
      extra,
    );
  const [ideas, ...rest] = start.sections;
  const pictures = el(
    'div',
    { class: 'pictures', id: 'pictures' },
    el(
      'div',
      { class: 'pictures-waiting' },
      el(
        'p',
        { class: 'hint' },
        'These pictures are real runs, made in this browser once the page has loaded and they come into view. ',
        'They take about a second and a half, and while the second one runs this page freezes: that is what it shows.',
      ),
    ),
  );
  const view = el(
    'div',
    { class: 'start' },
    el(
      'p',
      { class: 'intro' },
      'Juggle runs small concurrent programs for real, in this browser, and draws what happened on a timeline: ',
      'which task ran on which thread, when it waited, and whether the page could still answer. ',
      'Every scenario mirrors a Python lesson (asyncio, threads, process pools) and shows its Python twin.',
    ),
    section(
      ideas,
      el('h3', { id: 'pictures-title' }, 'The three pictures, measured just now'),
      el(
        'p',
        {},
        `Two tasks, A and B, each need ${PICTURE_PARAMS.work_ms} ms of CPU time; in the third picture each also waits ${PICTURE_PARAMS.wait_ms} ms in the middle for a (simulated) network answer. Here they ran three ways (scenario `,
        el('a', { href: href('timelines'), 'data-route': '' }, 'timelines'),
        '). The health-check row under each picture is a timer on the main thread: where it has no ticks, the page was frozen.',
      ),
      legend(),
      pictures,
    ),
    el(
      'section',
      { class: 'start-section catalogue', 'aria-labelledby': 'catalogue-title' },
      el('h2', { id: 'catalogue-title' }, 'Scenarios'),
      el(
        'p',
        {},
        'Each one runs a workload in several ways side by side. Predict first, then run, then read the timeline.',
      ),
      el(
        'ul',
        { class: 'cards' },
        catalogue.map((scenario) =>
          el(
            'li',
            { class: 'card' },
            el('h3', {}, el('a', { href: href(scenario.id), 'data-route': '' }, scenario.title)),
            el('p', {}, withCode(scenario.summary)),
            el(
              'p',
              { class: 'card-variants' },
              el('span', { class: 'visually-hidden' }, 'Variants: '),
              scenario.variants.map((v) => el('span', { class: 'chip' }, v.title)),
            ),
          ),
        ),
      ),
    ),
    rest.map((s) => section(s)),
    quiz(start.quiz, catalogue, href),
  );
  return { view, pictures };
}

/**
 * Calls `draw` once the page is usable and the pictures are wanted: after the page's `load` event and a
 * moment of idle time, when `pictures` comes into view. The runs are real and one of them blocks the page's
 * thread by design, so they never run while the page loads. Stops watching when `pictures` leaves the page.
 * @param {HTMLElement} pictures the element from `startView`
 * @param {() => void} draw runs and draws the pictures (once: the watching ends when it is called)
 */
export function drawWhenWanted(pictures, draw) {
  let done = false;
  /** @type {IntersectionObserver | null} */
  let observer = null;
  const go = () => {
    if (done) return;
    done = true;
    observer?.disconnect();
    if (pictures.isConnected) draw();
  };
  const watch = () => {
    if (done || !pictures.isConnected) return;
    observer = new IntersectionObserver((entries) => {
      if (!pictures.isConnected) observer?.disconnect();
      else if (entries.some((entry) => entry.isIntersecting)) go();
    });
    observer.observe(pictures);
  };
  const idle = () =>
    'requestIdleCallback' in globalThis
      ? requestIdleCallback(watch, { timeout: 2000 })
      : setTimeout(watch, 200);
  if (document.readyState === 'complete') idle();
  else addEventListener('load', idle, { once: true });
}

/**
 * Runs the start view's three pictures now, under the page's run control, and draws them into `pictures`;
 * resolves when they are drawn (or cancelled, or failed, which it says there, with a button to draw them
 * again). Nothing while another run is on.
 * @param {HTMLElement} pictures
 * @param {{ juggle: import('../types/views.js').Juggle,
 *   control: ReturnType<typeof import('./run-control.js').createRunControl>, onDone: () => void }} options
 *   `onDone`: called after, whatever happened
 * @returns {Promise<void>}
 */
export function runPictures(pictures, options) {
  const { juggle, control, onDone } = options;
  const again = () => runPictures(pictures, options);
  if (control.busy || !pictures.isConnected) return Promise.resolve();
  const width = Math.min(1000, Math.max(520, pictures.clientWidth || 900));
  // Drawn again, the pictures keep their place while they run (nothing below them moves).
  if (pictures.querySelector('figure')) pictures.style.minHeight = `${pictures.offsetHeight}px`;
  return control.busyWith(async (signal) => {
    try {
      await drawPictures(juggle, pictures, { signal, width });
      pictures.append(
        el(
          'button',
          { type: 'button', class: 'run-pictures', onclick: again },
          'Run the three pictures again',
        ),
      );
    } catch (failure) {
      if (/** @type {Thrown} */ (failure)?.code === 'cancelled') {
        // Esc on the start view; when the view was left, nobody sees this.
        pictures.replaceChildren(
          el(
            'p',
            { class: 'run-status' },
            'The pictures were cancelled. ',
            el('button', { type: 'button', class: 'run-pictures', onclick: again }, 'Draw them again'),
          ),
        );
        return;
      }
      pictures.replaceChildren(
        el(
          'p',
          { class: 'error', role: 'alert' },
          `The pictures could not be drawn: ${/** @type {Thrown} */ (failure)?.message ?? failure}`,
        ),
      );
    } finally {
      onDone();
    }
  });
}

/**
 * Runs the three `timelines` variants and draws them into `pictures`, on one time axis.
 * @param {import('../types/views.js').Juggle} juggle the API
 * @param {HTMLElement} pictures
 * @param {{ signal?: AbortSignal, width: number }} options
 */
export async function drawPictures(juggle, pictures, { signal, width }) {
  pictures.replaceChildren(el('p', { class: 'run-status', role: 'status' }, 'Running the three pictures…'));
  // Observable Plot (loaded on demand, www/views/plot.js) and the pool, both before the runs: loading
  // either during one would take turns from its health check.
  await loadPlot();
  await juggle.startPool();
  /** @type {Map<string, ShownTrace>} */
  const traces = new Map();
  // A run's trace has what the format leaves optional (see ShownTrace).
  for (const [variant] of PICTURES)
    traces.set(
      variant,
      /** @type {ShownTrace} */ (await juggle.run('timelines', { ...PICTURE_PARAMS, variant }, { signal })),
    );
  const xMax = Math.max(...[...traces.values()].map((t) => t.total_ms)) * 1.02;
  pictures.replaceChildren(
    ...PICTURES.map(([variant, title, caption]) => {
      const trace = /** @type {ShownTrace} */ (traces.get(variant)); // each of PICTURES ran above
      const words = `${title}. ${caption} Measured: ${formatMs(trace.total_ms)} in total; the health check ${froze(trace) ? 'froze' : 'kept answering'} (longest gap ${formatMs(trace.heartbeat.max_gap_ms)}).`;
      return el(
        'figure',
        { class: 'picture', 'data-variant': variant, 'data-total-ms': trace.total_ms },
        el(
          'figcaption',
          {},
          el('strong', {}, title),
          ` ${caption} `,
          el('span', { class: 'total' }, formatMs(trace.total_ms)),
        ),
        el(
          'div',
          { class: 'chart', role: 'img', 'aria-label': words },
          timeline(trace, { xMax, width, compact: true }),
        ),
      );
    }),
    el('p', { class: 'hint pictures-explained' }, picturesExplained(traces)),
  );
}

/**
 * A quiz feedback's text with each reference to a scenario's variant (`cpu-in-async → No await in the
 * loop`) made a link named in words: the scenario's title and the variant's.
 * @param {string} text
 * @param {CatalogEntry[]} catalogue
 * @param {(id: string) => string} href
 * @returns {(string | HTMLElement)[]}
 */
export function withLinks(text, catalogue, href) {
  /** @type {(string | HTMLElement)[]} */
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(/([a-z][a-z-]*) → ([A-Z][^.()]*[^.() ])/g)) {
    const scenario = catalogue.find((s) => s.id === match[1]);
    const variant = scenario?.variants.find((v) => v.title === match[2]);
    if (!scenario || !variant) continue;
    parts.push(text.slice(last, match.index));
    const url = new URL(href(scenario.id), 'https://juggle.invalid/');
    url.searchParams.set('variant', variant.id);
    const link =
      url.origin === 'https://juggle.invalid' ? `${url.pathname}${url.search}${url.hash}` : url.href;
    parts.push(
      el('a', { href: link, 'data-route': '', class: 'quiz-ref' }, `${scenario.title}: “${variant.title}”`),
    );
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

/**
 * What the pictures' health-check rows show, in this run's own figures: how often the health check beat
 * where the tasks took turns, and how long it was silent where a task computed without stepping aside.
 * @param {Map<string, ShownTrace>} traces
 */
export function picturesExplained(traces) {
  const gaps = (/** @type {ShownTrace} */ trace) => {
    const ran = trace.heartbeat.samples.map((b) => b.ran_ms);
    return ran
      .slice(1)
      .map((t, i) => t - ran[i])
      .sort((a, b) => a - b);
  };
  /** @type {string[]} */
  const sentences = [];
  const concurrent = traces.get('concurrent');
  if (concurrent) {
    const g = gaps(concurrent);
    const typical = g.length ? g[Math.floor(g.length / 2)] : null;
    if (typical !== null)
      sentences.push(
        `In “Concurrency”, the health check asks to run every ${formatMs(concurrent.heartbeat.interval_ms)} but beat about every ${formatMs(typical)}: its timer can only run between two slices of A and B (${formatMs(PICTURE_PARAMS.slice_ms)} each), when the thread is free for a moment.`,
      );
  }
  for (const [variant, title] of [
    ['async', 'Asynchrony'],
    ['parallel', 'Parallelism'],
    ['concurrent', 'Concurrency'],
  ]) {
    const trace = traces.get(variant);
    const gap = trace?.heartbeat.frozen_gaps[0];
    if (!gap) continue;
    // How much of the silence the main thread spent executing a task (a timer cannot run meanwhile).
    const busy = trace.spans
      .filter((s) => s.lane === 'main' && (s.kind === 'cpu' || s.kind === 'blocked'))
      .reduce(
        (sum, s) => sum + Math.max(0, Math.min(s.end_ms, gap.to_ms) - Math.max(s.start_ms, gap.from_ms)),
        0,
      );
    sentences.push(
      `In “${title}”, the red band marks ${formatMs(gap.to_ms - gap.from_ms)} with no heartbeat (${formatMs(gap.from_ms)} to ${formatMs(gap.to_ms)}); for ${formatMs(busy)} of it a task was computing on the main thread without reaching an await, and a timer cannot run while code runs.`,
    );
  }
  return sentences.join(' ');
}

/**
 * The quiz: one fieldset per question; picking an answer shows its feedback at once.
 * @param {Quiz} quiz
 * @param {CatalogEntry[]} catalogue
 * @param {(id: string) => string} href
 */
function quiz({ title, questions }, catalogue, href) {
  const score = el('p', { class: 'quiz-score', role: 'status' });
  /** @type {Map<string, boolean>} */
  const answered = new Map();
  const update = () => {
    const right = [...answered.values()].filter(Boolean).length;
    score.textContent = `${answered.size} of ${questions.length} answered, ${right} right.`;
  };
  return el(
    'section',
    { class: 'start-section quiz', 'aria-labelledby': 'quiz-title' },
    el('h2', { id: 'quiz-title' }, title),
    questions.map((question) => {
      const feedback = el('p', { class: 'feedback', role: 'status' });
      return el(
        'fieldset',
        { class: 'quiz-question', 'data-question': question.id },
        el('legend', {}, question.prompt),
        question.choices.map((choice, index) =>
          el(
            'label',
            { class: 'choice' },
            el('input', {
              type: 'radio',
              name: `quiz-${question.id}`,
              value: String(index),
              onchange: () => {
                answered.set(question.id, Boolean(choice.correct));
                feedback.className = `feedback ${choice.correct ? 'verdict-ok' : 'verdict-miss'}`;
                feedback.replaceChildren(
                  el('strong', {}, choice.correct ? '✓ Right. ' : '✗ Not quite. '),
                  ...withLinks(choice.feedback.replace(/^Right\. /, ''), catalogue, href),
                );
                update();
              },
            }),
            choice.text,
          ),
        ),
        feedback,
      );
    }),
    score,
  );
}
