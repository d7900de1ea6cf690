// @ts-check
/**
 * Replay: a time cursor over the recorded runs. Moving it draws a vertical line on every timeline and says,
 * for each run, which tasks were running or waiting at that instant and what had been printed. The state at
 * an instant comes from Rust (`juggle.replayOf(trace).at(t)` or `juggle.traceAt`, both `Trace::moment`); this
 * module only shows it.
 */
import { el, formatMs, reducedMotion } from '../dom.js';
import { spokenText } from './output-lines.js';

/** @typedef {import('../pkg-st/juggle.js').Moment} Moment */
/** @typedef {import('./timeline.js').PlotSvg} PlotSvg */
/** @typedef {import('@observablehq/plot').Scale} Scale */

const SVG = 'http://www.w3.org/2000/svg';

/**
 * Adds a hidden cursor line to a timeline drawn by Observable Plot; returns a function that moves it.
 * @param {PlotSvg} plot a timeline (timeline.js), which has both scales, `y` a band scale with its range
 * @returns {(t: number) => void}
 */
function cursorOn(plot) {
  const x = /** @type {Scale} */ (plot.scale('x'));
  const [top, bottom] = /** @type {[number, number]} */ (/** @type {Scale} */ (plot.scale('y')).range);
  const line = document.createElementNS(SVG, 'line');
  line.setAttribute('class', 'replay-cursor');
  line.setAttribute('y1', String(top - 14));
  line.setAttribute('y2', String(bottom));
  line.setAttribute('visibility', 'hidden');
  plot.append(line);
  return (t) => {
    const px = x.apply(t);
    line.setAttribute('x1', String(px));
    line.setAttribute('x2', String(px));
    line.setAttribute('visibility', 'visible');
  };
}

/** @type {Partial<Record<string, string>>} */
const KIND_WORDS = { cpu: 'running', blocked: 'blocked', wait: 'awaiting', startup: 'starting up' };

/**
 * What one run was doing at `moment`, in words.
 * @param {Moment} moment
 */
function momentWords(moment) {
  // The GIL's holds are said on their own line, as who holds it (Rust's moment.gil).
  const doing = moment.active
    .filter((span) => !(moment.gil && span.lane === 'gil'))
    .map((span) => `${span.task}: ${KIND_WORDS[span.kind] ?? span.kind} (“${span.label}” on ${span.lane})`);
  const printed = moment.printed.map(spokenText);
  const gil = moment.gil
    ? [
        el('dt', {}, 'The GIL'),
        el(
          'dd',
          {},
          `${moment.gil.holder ? `held by ${moment.gil.holder}` : 'passing to the next thread'}${
            moment.gil.waiting.length ? `; waiting for it: ${moment.gil.waiting.join(', ')}` : ''
          }`,
        ),
      ]
    : [];
  return [
    ...gil,
    el('dt', {}, 'In progress'),
    el('dd', {}, doing.length ? doing.join('; ') : 'nothing'),
    el('dt', {}, 'Printed so far'),
    el(
      'dd',
      {},
      printed.length
        ? `${printed.slice(-12).join(' · ')}${printed.length > 12 ? ` (${printed.length} lines)` : ''}`
        : 'nothing yet',
    ),
    el('dt', {}, 'Health check'),
    el(
      'dd',
      {},
      moment.beats === 0
        ? `no beat yet (${formatMs(moment.since_beat_ms)} since the run started)`
        : `${moment.beats} beat${moment.beats === 1 ? '' : 's'}; the last ${formatMs(moment.since_beat_ms)} ago`,
    ),
  ];
}

/**
 * The replay control for the runs on screen.
 * @template {{ total_ms: number }} T a run's trace
 * @param {{ xMax: number, runs: { plot: PlotSvg, readout: HTMLElement, trace: T }[],
 *   momentOf: (trace: T, t: number) => Moment }} options
 * @returns {HTMLElement}
 */
export function replayControls({ xMax, runs, momentOf }) {
  const movers = runs.map((run) => ({ ...run, move: cursorOn(run.plot) }));
  const end = Math.ceil(xMax);
  const time = el('output', { class: 'replay-time', for: 'replay-cursor' }, '0 ms');
  const slider = el('input', {
    type: 'range',
    id: 'replay-cursor',
    min: 0,
    max: end,
    step: 1,
    value: 0,
    'aria-valuetext': '0 ms',
  });
  const show = (/** @type {number} */ t) => {
    time.textContent = formatMs(t);
    slider.setAttribute('aria-valuetext', formatMs(t));
    for (const run of movers) {
      run.move(Math.min(t, run.trace.total_ms));
      const moment = momentOf(run.trace, t);
      run.readout.hidden = false;
      run.readout.replaceChildren(
        el('p', { class: 'moment-title' }, `At ${formatMs(moment.t_ms)}`),
        el('dl', {}, momentWords(moment)),
      );
    }
  };
  slider.addEventListener('input', () => show(Number(slider.value)));

  // Play moves the cursor at a tenth of real time (a 1 s run replays in 10 s), so the order is readable.
  /** @type {{ frame: number } | null} */
  let playing = null;
  const stop = () => {
    if (playing) cancelAnimationFrame(playing.frame);
    playing = null;
    play.textContent = 'Play';
    play.setAttribute('aria-pressed', 'false');
  };
  const play = el(
    'button',
    {
      type: 'button',
      class: 'play',
      'aria-pressed': 'false',
      hidden: reducedMotion(),
      onclick: () => {
        if (playing) return stop();
        const from = Number(slider.value) >= end ? 0 : Number(slider.value);
        const began = performance.now();
        const step = () => {
          // Replaced by a new render (a run finished, the view changed): stop drawing into the old one.
          if (!slider.isConnected) return stop();
          const t = Math.min(end, from + (performance.now() - began) / 10);
          slider.value = String(t);
          show(t);
          if (t >= end) stop();
          else {
            // A frame runs only while playing: `stop` cancels the frame it would have run in.
            /** @type {{ frame: number }} */ (playing).frame = requestAnimationFrame(step);
          }
        };
        playing = { frame: requestAnimationFrame(step) };
        play.textContent = 'Pause';
        play.setAttribute('aria-pressed', 'true');
      },
    },
    'Play',
  );
  return el(
    'div',
    { class: 'replay' },
    el('label', { for: 'replay-cursor', class: 'replay-label' }, 'Replay: move the time cursor'),
    slider,
    time,
    play,
    el(
      'p',
      { class: 'hint' },
      reducedMotion()
        ? 'Drag the cursor, or focus it and use the arrow keys (Page Up/Down for bigger steps).'
        : 'Drag the cursor or use the arrow keys; Play replays the runs at a tenth of their speed.',
    ),
  );
}
