// @ts-check
/**
 * Draws one trace as a timeline with Observable Plot: a row per task on each lane (`main`, `worker-N`),
 * the health-check (heartbeat) row under them, and the printed lines as labelled dots. It only draws the
 * trace; every number comes from Rust.
 */

import { el } from '../dom.js';
import { isStderr, spokenText } from './output-lines.js';
import { plot as loadedPlot } from './plot.js';

/** @typedef {import('../types/views.js').ShownTrace} ShownTrace */
/**
 * A chart as Observable Plot draws it: its SVG, with the `scale()` method Plot adds. Plot returns the SVG
 * itself when the chart has no caption, legend or `figure` option, as the page's charts have none.
 * @typedef {SVGSVGElement & import('@observablehq/plot').Plot} PlotSvg
 */
/** @typedef {{ lane: string, task: string }} OnLane what runs on a lane: a span, or a printed line's place */

/** Span kinds, their legend text and colours (the legend and the bar labels carry the meaning too). */
export const KINDS = [
  { kind: 'cpu', label: 'running (CPU busy)', color: '#2f6fb3' },
  { kind: 'blocked', label: 'blocked wait (thread held)', color: '#c2410c' },
  { kind: 'wait', label: 'awaiting (thread free)', color: '#8a9bb0' },
  { kind: 'ready', label: 'ready, waiting for the loop to get to it (Python runs)', color: '#a16207' },
  { kind: 'startup', label: 'pool start-up', color: '#6b7280' },
];
const HEALTH = 'health check';

/**
 * The event-loop threads: the page's `main` and the browser's Python (`python`). Their tasks take turns
 * on one thread, so each task gets a row of its own; any other lane is one thread: one row.
 */
const TASK_LANES = new Set(['main', 'python']);
export const rowOf = (/** @type {string} */ lane, /** @type {string} */ task) =>
  TASK_LANES.has(lane) ? `${lane} · ${task}` : lane;

/**
 * Lanes in display order: main, python, the pool's `worker-N` by number, then `spawned-N` by number.
 * @param {string} lane
 */
export function laneRank(lane) {
  if (lane === 'main') return -2;
  if (lane === 'python') return -1;
  const [, kind, n] = lane.match(/^(.*)-(\d+)$/) ?? [null, lane, 0];
  return (kind === 'worker' ? 0 : 10_000) + Number(n);
}

const laneOfRow = (/** @type {string} */ row) =>
  [...TASK_LANES].find((lane) => row.startsWith(`${lane} · `)) ?? row;

/**
 * Where a printed line goes: on its task's main-thread row if the task has one (main-thread code printed
 * it), otherwise on the lane its task ran on (a spawned worker's row).
 * @param {{ spans: OnLane[] }} trace
 * @returns {(line: { task: string }) => string}
 */
export function outputRow(trace) {
  const loopOf = new Map(trace.spans.filter((s) => TASK_LANES.has(s.lane)).map((s) => [s.task, s.lane]));
  const laneOf = new Map(trace.spans.map((s) => [s.task, s.lane]));
  const fallback = trace.spans.some((s) => s.lane === 'python') ? 'python' : 'main';
  return (line) => rowOf(loopOf.get(line.task) ?? laneOf.get(line.task) ?? fallback, line.task);
}

/**
 * Rows in display order: main's tasks first, then the other lanes; the health check last.
 * @param {{ spans: OnLane[], output: { task: string }[] }} trace
 */
export function rows(trace) {
  /** @type {Map<string, OnLane>} */
  const keyed = new Map();
  for (const span of trace.spans) keyed.set(rowOf(span.lane, span.task), span);
  const lineRow = outputRow(trace);
  for (const line of trace.output) {
    const lane = laneOfRow(lineRow(line));
    keyed.set(lineRow(line), { lane, task: line.task });
  }
  const ordered = [...keyed.entries()].sort(
    ([, a], [, b]) =>
      laneRank(a.lane) - laneRank(b.lane) || a.task.localeCompare(b.task, 'en', { numeric: true }),
  );
  return [...ordered.map(([row]) => row), HEALTH];
}

/** Printed lines on one row whose dots are this close (px) or closer are one group with one label. */
export const GROUP_PX = 10;
/** The vertical offsets (px) of a row's two label levels: above the dot's bar, and over the bar itself. */
export const LABEL_LEVELS = [-12, 6];

/**
 * Decides the labels of printed lines. On each row, lines whose dots are at most `GROUP_PX` apart are one
 * group, labelled once with all their texts in the order they were printed (`One · Two`), so that a line
 * is never drawn under another nor dropped for a neighbour. A group's label goes to the right of its
 * first dot, or to the left late in the run so it stays on the chart, on the first of two levels where it
 * fits: above the dots (where it must also end before the next dot) or over the row's bars. A group that
 * fits on neither keeps its dot (and its tooltip), and the list of printed lines under the chart has it.
 * Returns every line, the first of each group with `labelled`, its `label` and `level`. `msPerPx`
 * converts the chart's pixels to ms.
 * @template {{ row: string, t_ms: number, text: string }} L
 * @param {L[]} outputs
 * @param {number} msPerPx
 * @param {number} xMax
 */
export function labelled(outputs, msPerPx, xMax) {
  /** @type {Map<string, L[]>} */
  const rows = new Map();
  for (const line of outputs) rows.set(line.row, [...(rows.get(line.row) ?? []), line]);
  /** @type {(L & { anchor: 'start' | 'end', labelled: boolean, label: string, level: number })[]} */
  const placed = [];
  /** A group's last line (a group is never empty). */
  const lastOf = (/** @type {L[]} */ group) => /** @type {L} */ (group.at(-1));
  for (const lines of rows.values()) {
    lines.sort((a, b) => a.t_ms - b.t_ms);
    /** @type {L[][]} */
    const groups = [];
    for (const line of lines) {
      const group = groups.at(-1);
      if (group && line.t_ms - lastOf(group).t_ms <= GROUP_PX * msPerPx) group.push(line);
      else groups.push([line]);
    }
    const occupied = LABEL_LEVELS.map(() => Number.NEGATIVE_INFINITY);
    groups.forEach((group, i) => {
      const [first] = group;
      const label = group.map((line) => line.text).join(' · ');
      const width = (label.length * 7 + 10) * msPerPx;
      /** @type {'start' | 'end'} */
      const anchor = first.t_ms <= 0.7 * xMax ? 'start' : 'end';
      const [from, to] =
        anchor === 'start' ? [first.t_ms, first.t_ms + width] : [first.t_ms - width, first.t_ms];
      const previous = groups[i - 1]?.at(-1)?.t_ms ?? Number.NEGATIVE_INFINITY;
      const next = groups[i + 1]?.[0].t_ms ?? Number.POSITIVE_INFINITY;
      // Above the dots, a label must not cross a neighbouring dot; over the bars, only other labels.
      const level = LABEL_LEVELS.findIndex((_, l) =>
        l === 0
          ? anchor === 'start'
            ? from >= occupied[0] && to < next
            : from > Math.max(occupied[0], previous)
          : from >= occupied[l],
      );
      if (level >= 0) occupied[level] = to;
      group.forEach((line, k) => {
        placed.push({
          ...line,
          anchor,
          labelled: k === 0 && level >= 0,
          label: k === 0 ? label : line.text,
          level: Math.max(0, level),
        });
      });
    });
  }
  return placed;
}

/** A scenario's Rust runs and its Python runs whose lengths differ more than this many times get an axis each. */
export const APART = 10;

/**
 * Whether runs of these lengths (ms) are drawn on time axes of their own rather than one shared axis: a
 * shared axis is fair only while the shortest run keeps a tenth of it; below, a 418 ms run beside a 20 s
 * one would be a smudge of a few pixels.
 * @param {number[]} totals
 */
export function ownAxes(totals) {
  const lengths = totals.filter((t) => Number.isFinite(t)).map((t) => Math.max(1, t));
  return lengths.length > 1 && Math.max(...lengths) > APART * Math.min(...lengths);
}

/** The lane of the lock that stands for CPython's GIL (crate/src/gil.rs): one row, its spans the holds. */
export const GIL = 'gil';
/** The colours of the GIL's holders, in the order their names sort (distinct from the kinds'). */
export const HOLDER_COLOURS = ['#2f6fb3', '#9333ea', '#0891b2', '#db2777', '#4d7c0f', '#1e3a8a'];

/**
 * The colour of a hold on the GIL: on the GIL's row by its holder (its task, "thread 1"), and
 * on a thread's own row, its spans that hold the GIL ("… (holds the GIL)") in the same colour, the thread
 * found by the hold that starts with its span. So a thread's turns read across its row and the GIL's.
 * `undefined` for every other span.
 * @param {{ lane: string, task: string, label: string, start_ms?: number }[]} spans
 */
export function holderColour(spans) {
  const holds = spans.filter((s) => s.lane === GIL);
  const holders = [...new Set(holds.map((s) => s.task))].sort((a, b) =>
    a.localeCompare(b, 'en', { numeric: true }),
  );
  const colourOf = (/** @type {string} */ holder) =>
    HOLDER_COLOURS[holders.indexOf(holder) % HOLDER_COLOURS.length];
  const holdAt = new Map(holds.map((s) => [s.start_ms, s.task]));
  /** @type {Map<string, string>} */
  const laneHolder = new Map();
  for (const s of spans)
    if (s.lane !== GIL && /holds the GIL/.test(s.label) && holdAt.has(s.start_ms) && !laneHolder.has(s.lane))
      laneHolder.set(s.lane, /** @type {string} */ (holdAt.get(s.start_ms)));
  return (/** @type {{ lane: string, task: string, label: string }} */ span) => {
    if (span.lane === GIL) return colourOf(span.task);
    const holder = laneHolder.get(span.lane);
    return holder !== undefined && /holds the GIL/.test(span.label) ? colourOf(holder) : undefined;
  };
}

/** Executing spans narrower than this (px) are drawn a pixel column at a time (see `oneAtATime`). */
export const THIN_PX = 1.5;

/**
 * On one thread one thing executes at a time, and the picture must say so at any zoom. Executing spans
 * (`cpu`, `blocked`) narrower than `THIN_PX` on an event loop's lane or the GIL's are replaced, one pixel
 * column at a time, by one bar for one task (or holder) of those that executed in that column: the one
 * owed most drawn time so far, so that each gets about its share of the columns (error diffusion),
 * merged with the next columns of the same task; a column a wider span of the lane covers keeps that span only. So two
 * rows of one thread never both look busy in one column, however thin their slices (a race's thousands
 * of steps). A merged bar says how many slices it stands for (`slices`). Other spans are kept as they are.
 * @param {any[]} spans
 * @param {number} msPerPx
 */
export function oneAtATime(spans, msPerPx) {
  const lanes = new Set([...TASK_LANES, GIL]);
  const executing = (/** @type {any} */ s) => s.kind === 'cpu' || s.kind === 'blocked';
  const thin = (/** @type {any} */ s) =>
    lanes.has(s.lane) && executing(s) && s.end_ms - s.start_ms < THIN_PX * msPerPx;
  const kept = spans.filter((s) => !thin(s));
  const byLane = new Map();
  for (const s of spans) if (thin(s)) byLane.set(s.lane, [...(byLane.get(s.lane) ?? []), s]);
  for (const [lane, list] of byLane) {
    const wide = kept.filter((s) => s.lane === lane && executing(s));
    /** @type {Map<number, Map<string, { ms: number, span: any, slices: number }>>} */
    const columns = new Map();
    for (const s of list) {
      const first = Math.floor(s.start_ms / msPerPx);
      const last = Math.max(first, Math.ceil(s.end_ms / msPerPx) - 1);
      for (let c = first; c <= last; c += 1) {
        const ms = Math.min(s.end_ms, (c + 1) * msPerPx) - Math.max(s.start_ms, c * msPerPx);
        const key = `${s.task}\u0000${s.label}`;
        if (!columns.has(c)) columns.set(c, new Map());
        const column = /** @type {Map<string, any>} */ (columns.get(c));
        const entry = column.get(key) ?? { ms: 0, span: s, slices: 0 };
        entry.ms += Math.max(0, ms);
        entry.slices += c === first ? 1 : 0;
        column.set(key, entry);
      }
    }
    let open = null;
    /** How much executing time each task has had that its drawn columns do not show yet (ms). */
    const owed = new Map();
    for (const c of [...columns.keys()].sort((a, b) => a - b)) {
      const [from, to] = [c * msPerPx, (c + 1) * msPerPx];
      if (wide.some((w) => w.start_ms < to && w.end_ms > from)) continue;
      const entries = [...(columns.get(c) ?? new Map()).entries()];
      for (const [key, entry] of entries) owed.set(key, (owed.get(key) ?? 0) + entry.ms);
      // The column goes to the task owed most, so tasks sharing many columns get their share of them.
      const [key, winner] = entries.reduce((a, b) => (owed.get(b[0]) > owed.get(a[0]) ? b : a));
      owed.set(key, owed.get(key) - entries.reduce((sum, [, entry]) => sum + entry.ms, 0));
      const same = open && open.task === winner.span.task && open.label === winner.span.label;
      if (same && Math.abs(open.end_ms - from) < 1e-9) {
        open.end_ms = to;
        open.slices += winner.slices;
        continue;
      }
      open = { ...winner.span, start_ms: from, end_ms: to, slices: winner.slices };
      kept.push(open);
    }
  }
  return kept;
}

/**
 * What a bar says: its label, or on a thread's row shared by several tasks, the task's name.
 * @param {{ spans: OnLane[] }} trace
 * @returns {(span: OnLane & { label: string }) => string} for one of the trace's spans
 */
export function barText(trace) {
  /** @type {Map<string, Set<string>>} */
  const tasksOnLane = new Map();
  /** The tasks on a lane of the trace (each has its set, made just before). */
  const tasksOn = (/** @type {string} */ lane) => /** @type {Set<string>} */ (tasksOnLane.get(lane));
  for (const span of trace.spans) {
    if (!tasksOnLane.has(span.lane)) tasksOnLane.set(span.lane, new Set());
    tasksOn(span.lane).add(span.task);
  }
  return (span) => (!TASK_LANES.has(span.lane) && tasksOn(span.lane).size > 1 ? span.task : span.label);
}

/**
 * Hides a plot's inner structure from assistive technology: the element around it is an image labelled
 * with the chart's summary in words (and the data is a table below it), so Plot's per-mark labels would
 * only repeat it as noise.
 * @template {Element} E
 * @param {E} svg
 * @returns {E}
 */
export function asImage(svg) {
  svg.setAttribute('aria-hidden', 'true');
  for (const node of svg.querySelectorAll('[aria-label], [aria-description]')) {
    node.removeAttribute('aria-label');
    node.removeAttribute('aria-description');
  }
  return svg;
}

let patterns = 0;

/**
 * Adds the hatching that marks blocked spans to a plot's SVG (a pattern of its own, so that a downloaded
 * SVG keeps it), and returns its `url(#…)`.
 * @param {Element} svg
 */
function hatchingIn(svg) {
  const id = `juggle-hatch-${++patterns}`;
  const ns = 'http://www.w3.org/2000/svg';
  const defs = document.createElementNS(ns, 'defs');
  const pattern = document.createElementNS(ns, 'pattern');
  pattern.setAttribute('id', id);
  pattern.setAttribute('width', '6');
  pattern.setAttribute('height', '6');
  pattern.setAttribute('patternUnits', 'userSpaceOnUse');
  pattern.setAttribute('patternTransform', 'rotate(45)');
  const line = document.createElementNS(ns, 'line');
  line.setAttribute('x1', '0');
  line.setAttribute('y1', '0');
  line.setAttribute('x2', '0');
  line.setAttribute('y2', '6');
  line.setAttribute('stroke', 'rgba(255,255,255,0.55)');
  line.setAttribute('stroke-width', '2');
  pattern.append(line);
  defs.append(pattern);
  svg.prepend(defs);
  return `url(#${id})`;
}

/**
 * Above this many spans a timeline's bars are painted on a canvas and placed in the plot as one image: one
 * SVG element per span takes seconds to draw at 50,000 spans and makes every replay-cursor move slow. Plot
 * still draws the axes, rows, heartbeat, freezes and printed lines; the bars lose only their tooltips (the
 * span table and the downloads hold every span).
 */
export const SVG_SPANS = 2000;

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The narrowest a painted bar is drawn, in CSS pixels (a tenth of a pixel's colour). */
const MIN_PAINTED_PX = 0.1;

/**
 * Paints `spans` (with their `row`) into `plot` with its own scales: waits as faint bars outlined where wide
 * enough, the others solid, blocked ones hatched, as the SVG bars look. The image goes under the marks.
 * @param {any} plot Observable Plot's SVG
 * @param {{ row: string, lane: string, kind: string, start_ms: number, end_ms: number }[]} spans
 * @param {(kind: string) => boolean} waiting
 * @param {(span: any) => string | undefined} holder the colour of a hold on the GIL
 */
function paintSpans(plot, spans, waiting, holder) {
  const x = plot.scale('x');
  const y = plot.scale('y');
  const width = Number(plot.getAttribute('width'));
  const height = Number(plot.getAttribute('height'));
  const ratio = Math.min(2, Math.max(1, globalThis.devicePixelRatio || 1));
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * ratio);
  canvas.height = Math.ceil(height * ratio);
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  ctx.scale(ratio, ratio);
  const band = y.bandwidth;
  const colour = new Map(KINDS.map((k) => [k.kind, k.color]));
  const hatch = document.createElement('canvas');
  hatch.width = 6;
  hatch.height = 6;
  const h = /** @type {CanvasRenderingContext2D} */ (hatch.getContext('2d'));
  h.strokeStyle = 'rgba(255,255,255,0.55)';
  h.lineWidth = 2;
  h.beginPath();
  h.moveTo(0, 6);
  h.lineTo(6, 0);
  h.stroke();
  const hatching = /** @type {CanvasPattern} */ (ctx.createPattern(hatch, 'repeat'));
  // Each bar as wide as its time, however thin: the canvas covers a pixel in proportion, so a row of a
  // thousand turns of 20 µs reads as the share of the time the thread ran, not as a solid bar (a minimum
  // width of half a pixel made four threads taking turns look as if all four ran the whole time). The
  // floor keeps a lone short span faintly visible.
  const box = (/** @type {any} */ s) => {
    const x1 = x.apply(s.start_ms);
    return [x1, y.apply(s.row), Math.max(MIN_PAINTED_PX, x.apply(s.end_ms) - x1), band];
  };
  for (const pass of ['wait', 'solid', 'blocked']) {
    for (const s of spans) {
      const wait = waiting(s.kind);
      if ((pass === 'wait') !== wait || (pass === 'blocked' && s.kind !== 'blocked')) continue;
      const [bx, by, bw, bh] = box(s);
      if (pass === 'blocked') {
        ctx.fillStyle = hatching;
        ctx.globalAlpha = 1;
      } else {
        ctx.fillStyle = holder(s) ?? colour.get(s.kind) ?? '#888';
        ctx.globalAlpha = wait ? 0.28 : 1;
      }
      ctx.fillRect(bx, by, bw, bh);
      if (wait && bw > 3) {
        ctx.globalAlpha = 1;
        ctx.strokeStyle = colour.get(s.kind) ?? '#888';
        ctx.strokeRect(bx + 0.5, by + 0.5, bw - 1, bh - 1);
      }
    }
  }
  const image = document.createElementNS(SVG_NS, 'image');
  image.setAttribute('class', 'painted-spans');
  image.setAttribute('x', '0');
  image.setAttribute('y', '0');
  image.setAttribute('width', String(width));
  image.setAttribute('height', String(height));
  image.setAttribute('href', canvas.toDataURL('image/png'));
  plot.insertBefore(image, plot.querySelector('g'));
}

/**
 * Draws a run as a timeline. Blocked spans are hatched and waits are dashed outlines, so the kinds differ
 * in more than colour. Past `SVG_SPANS` spans the bars are painted as one image (see `SVG_SPANS`).
 * @param {ShownTrace} trace a trace from `juggle.run`
 * @param {{ xMax: number, width?: number, compact?: boolean }} options `xMax` is shared by the plots drawn
 *   side by side; `compact` draws thinner rows (the start view's pictures)
 * @returns {PlotSvg} the plot (Observable Plot's SVG, with its `scale()` method)
 */
export function timeline(trace, { xMax, width = 900, compact = false }) {
  const drawn = drawTimeline(trace, { xMax, width, compact });
  const plot = asImage(drawn.plot);
  if (drawn.painted) paintSpans(plot, drawn.spans, drawn.waiting, drawn.holder);
  const hatch = hatchingIn(plot);
  for (const rect of plot.querySelectorAll('g.blocked-overlay rect')) rect.setAttribute('fill', hatch);
  return plot;
}

/** The timeline's right margin (px): room for the labels of printed lines at its end. */
const MARGIN_RIGHT = 150;
/** About how wide a character of the rows' labels is (px; Plot's 10 px sans-serif, a little over). */
const LABEL_CHAR_PX = 6;

/**
 * The left margin that holds the rows' labels (130 px, more for long ones such as a Python task's
 * `python · increment_many (Task-3)`, up to 30% of the width) and the labels as drawn: one too long for
 * it keeps its start and its end (the task's number) around an ellipsis. The full name stays in the
 * table and the downloads.
 * @param {string[]} rowNames
 * @param {number} width
 */
export function rowLabels(rowNames, width) {
  const longest = Math.max(0, ...rowNames.map((name) => name.length));
  const marginLeft = Math.ceil(
    Math.min(Math.max(130, longest * LABEL_CHAR_PX + 16), Math.max(130, width * 0.3)),
  );
  const fits = Math.floor((marginLeft - 16) / LABEL_CHAR_PX);
  /** @param {string} name */
  const rowLabel = (name) => {
    if (name.length <= fits) return name;
    const head = Math.ceil((fits - 1) * 0.4);
    return `${name.slice(0, head)}…${name.slice(name.length - (fits - 1 - head))}`;
  };
  return { marginLeft, rowLabel };
}

/**
 * What a row is called on the chart: its name, but a thread of the browser's Python (`thread-N`) by its
 * `Thread.name` (its spans' task), as the program and its printed lines call it, and its GIL's row said.
 * @param {{ spans: { lane: string, task: string }[] }} trace
 */
export function rowTitle(trace) {
  const python = trace.spans.some((s) => s.lane === 'python');
  /** @type {Map<string, string>} */
  const names = new Map();
  if (python) {
    for (const s of trace.spans) if (/^thread-\d+$/.test(s.lane)) names.set(s.lane, s.task);
    names.set(GIL, 'GIL: who holds it');
  }
  return (/** @type {string} */ row) => names.get(row) ?? row;
}

/**
 * The timeline's plot and what `timeline` needs to paint its bars when there are too many for the SVG.
 * @param {ShownTrace} trace
 * @param {{ xMax: number, width: number, compact: boolean }} options
 */
function drawTimeline(trace, { xMax, width, compact }) {
  const Plot = loadedPlot();
  const yDomain = rows(trace);
  const lineRow = outputRow(trace);
  const title = rowTitle(trace);
  const { marginLeft, rowLabel: shortened } = rowLabels(yDomain.map(title), width);
  const rowLabel = (/** @type {string} */ row) => shortened(title(row));
  // The plot's width minus its left and right margins is the time axis.
  const msPerPx = xMax / Math.max(1, width - marginLeft - MARGIN_RIGHT);
  // A line printed to stderr says so in its label and tooltip, and is a diamond in a colour of its own.
  const outputs = labelled(
    trace.output.map((line) => ({ ...line, text: spokenText(line), row: lineRow(line) })),
    msPerPx,
    xMax,
  );
  const textOf = barText(trace);
  const spans = oneAtATime(trace.spans, msPerPx).map((s) => ({
    ...s,
    row: rowOf(s.lane, s.task),
    text: textOf(s),
  }));
  const holder = holderColour(trace.spans);
  // Waiting spans (suspended at an await, or ready and queued for the loop) are outlines: nothing executes.
  const waiting = (/** @type {string} */ kind) => kind === 'wait' || kind === 'ready';
  const painted = spans.length > SVG_SPANS;
  const holds = painted ? [] : spans.filter((s) => !waiting(s.kind) && holder(s));
  const solid = painted ? [] : spans.filter((s) => !waiting(s.kind) && !holder(s));
  const spanTitle = (/** @type {any} */ d) =>
    `${d.task}: ${d.label} (${d.slices ? `${d.slices} short slices in ` : ''}${(d.end_ms - d.start_ms).toFixed(1)} ms on ${d.lane})`;
  const waits = painted ? [] : spans.filter((s) => waiting(s.kind));
  // A bar is labelled only where its label fits inside it (about 6.5 px a character at 11 px).
  const fits = (/** @type {{ start_ms: number, end_ms: number, text: string }} */ d) =>
    (d.end_ms - d.start_ms) / msPerPx > d.text.length * 6.5 + 10;
  const { heartbeat } = trace;
  // Every freeze Rust found (gaps of at least frozen_threshold_ms), the same ones the summary and the verdicts
  // count; a label on those wide enough to hold it.
  const gaps = heartbeat.frozen_gaps.map((g) => ({ x1: g.from_ms, x2: g.to_ms, row: HEALTH }));
  const gapText = (/** @type {{ x1: number, x2: number }} */ d) =>
    `frozen: no heartbeat for ${(d.x2 - d.x1).toFixed(0)} ms`;

  const plot = Plot.plot({
    width,
    height: 46 + yDomain.length * (compact ? 26 : 34),
    marginLeft,
    marginRight: MARGIN_RIGHT,
    x: { domain: [0, xMax], label: 'time since the run started (ms) →', grid: true },
    y: { domain: yDomain, label: null, padding: 0.22, tickFormat: rowLabel },
    color: {
      domain: KINDS.map((k) => k.kind),
      range: KINDS.map((k) => k.color),
    },
    marks: [
      ...[
        ['wait', '4,3'],
        ['ready', '1,2'],
      ].map(([kind, dashes]) =>
        Plot.barX(
          waits.filter((d) => d.kind === kind),
          {
            x1: 'start_ms',
            x2: 'end_ms',
            y: 'row',
            fill: 'kind',
            fillOpacity: 0.28,
            stroke: 'kind',
            // A thin wait gets no outline: two outline strokes would draw it as a solid bar (as busy).
            strokeOpacity: (/** @type {any} */ d) => ((d.end_ms - d.start_ms) / msPerPx > 3 ? 1 : 0),
            strokeDasharray: dashes,
            title: (d) => `${d.task}: ${d.label} (${(d.end_ms - d.start_ms).toFixed(1)} ms, not executing)`,
          },
        ),
      ),
      Plot.barX(solid, { x1: 'start_ms', x2: 'end_ms', y: 'row', fill: 'kind', title: spanTitle }),
      // The GIL's holds in the colour of the thread holding it, so that its turns show at a glance.
      ...[...new Set(holds.map(holder))].map((colour) =>
        Plot.barX(
          holds.filter((d) => holder(d) === colour),
          { x1: 'start_ms', x2: 'end_ms', y: 'row', fill: colour, title: spanTitle },
        ),
      ),
      Plot.barX(
        solid.filter((d) => d.kind === 'blocked'),
        { x1: 'start_ms', x2: 'end_ms', y: 'row', fill: 'none', className: 'blocked-overlay' },
      ),
      Plot.text(spans.filter(fits), {
        x: (d) => (d.start_ms + d.end_ms) / 2,
        y: 'row',
        text: 'text',
        fill: (d) => (waiting(d.kind) ? 'currentColor' : 'white'),
        fontSize: 11,
      }),
      Plot.barX(gaps, {
        x1: 'x1',
        x2: 'x2',
        y: 'row',
        fill: '#dc2626',
        fillOpacity: 0.18,
        stroke: '#dc2626',
        title: gapText,
      }),
      Plot.text(
        gaps.filter((d) => (d.x2 - d.x1) / msPerPx > gapText(d).length * 6.5 + 10),
        { x: (d) => (d.x1 + d.x2) / 2, y: 'row', text: gapText, fill: 'currentColor', fontSize: 11 },
      ),
      Plot.tickX(heartbeat.samples, {
        x: 'ran_ms',
        y: () => HEALTH,
        stroke: '#15803d',
        strokeWidth: 1.5,
        title: (d) => `beat due ${d.due_ms.toFixed(0)} ms, ran ${d.ran_ms.toFixed(1)} ms`,
      }),
      Plot.dot(
        outputs.filter((d) => !isStderr(d)),
        { x: 't_ms', y: 'row', fill: 'currentColor', r: 3.5, dy: -12 },
      ),
      Plot.dot(outputs.filter(isStderr), {
        x: 't_ms',
        y: 'row',
        symbol: 'diamond',
        fill: 'var(--stderr)',
        r: 4.5,
        dy: -12,
        className: 'stderr-mark',
        title: (d) => `${d.task} printed to ${d.text}`, // `stderr: …`
      }),
      // Lines printed late in the run are labelled to the left of their dot, so they stay on the chart.
      .../** @type {['start' | 'end', number, number][]} */ (
        LABEL_LEVELS.flatMap((_, level) => [
          ['start', 6, level],
          ['end', -6, level],
        ])
      ).map(([textAnchor, dx, level]) =>
        Plot.text(outputs, {
          filter: (d) => d.labelled && d.anchor === textAnchor && d.level === level,
          x: 't_ms',
          y: 'row',
          text: 'label',
          dy: LABEL_LEVELS[level],
          dx,
          textAnchor,
          fontWeight: 'bold',
          fontSize: 11,
          // A halo in the page's background keeps a label readable where it crosses a bar.
          className: 'output-label',
        }),
      ),
      Plot.ruleX([0]),
    ].filter(Boolean),
  });
  return {
    // No caption, legend or `figure` option: Plot returns the SVG itself (see `PlotSvg`).
    plot: /** @type {PlotSvg} */ (plot),
    painted,
    spans,
    waiting,
    holder,
  };
}

/**
 * Tasks in flight over time (`trace.result.in_flight`, computed in Rust), on the same time axis as the
 * timeline: the whole run when only a sample of its tasks has rows of its own. `null` when there is none.
 * @param {any} trace
 * @param {{ xMax: number, width?: number }} options
 * @returns {SVGElement | null}
 */
export function inFlightChart(trace, { xMax, width = 900 }) {
  const Plot = loadedPlot();
  const points = trace.result?.in_flight;
  if (!Array.isArray(points) || points.length === 0) return null;
  const last = points.at(-1);
  const steps = [...points, { t_ms: Math.max(last.t_ms, trace.total_ms), requests: last.requests }];
  return asImage(
    // No caption, legend or `figure` option: Plot returns the SVG itself (see `PlotSvg`).
    /** @type {PlotSvg} */ (
      Plot.plot({
        width,
        height: 130,
        marginLeft: 130,
        marginRight: 150,
        x: { domain: [0, xMax], label: 'time since the run started (ms) →', grid: true },
        y: { label: 'in flight', grid: true, nice: true },
        marks: [
          Plot.areaY(steps, {
            x: 't_ms',
            y: 'requests',
            curve: 'step-after',
            fill: '#64748b',
            fillOpacity: 0.35,
          }),
          Plot.lineY(steps, { x: 't_ms', y: 'requests', curve: 'step-after', stroke: '#334155' }),
          Plot.ruleY([0]),
        ],
      })
    ),
  );
}

/** A legend for the span kinds, as HTML (swatch plus text, so colour is not the only signal). */
export function legend() {
  return el(
    'ul',
    { class: 'legend' },
    KINDS.map(({ label, color, kind }) =>
      el('li', {}, el('span', { class: `swatch swatch-${kind}`, style: `--swatch: ${color}` }), label),
    ),
    el('li', {}, el('span', { class: 'swatch swatch-beat' }), 'heartbeat ran (health check)'),
  );
}

/** The most rows a span table shows (a race on one thread records thousands of slices). */
const TABLE_ROWS = 500;

/**
 * A run's spans as an HTML table (lane, task, what, kind, start, end, duration): the timeline's data for
 * screen readers and for reading exact values.
 * @param {any} trace
 * @param {string} caption
 * @returns {HTMLTableElement}
 */
export function spanTable(trace, caption) {
  const words = Object.fromEntries(KINDS.map((k) => [k.kind, k.label]));
  const columns = ['lane', 'task', 'what', 'kind', 'start (ms)', 'end (ms)', 'duration (ms)'];
  const ordered = [...trace.spans].sort((a, b) => a.start_ms - b.start_ms).slice(0, TABLE_ROWS);
  if (trace.spans.length > TABLE_ROWS)
    caption = `${caption} (the first ${TABLE_ROWS} of ${trace.spans.length} spans, by start; the JSON and CSV downloads hold them all)`;
  return el(
    'table',
    { class: 'data' },
    el('caption', {}, caption),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        columns.map((h) => el('th', { scope: 'col' }, h)),
      ),
    ),
    el(
      'tbody',
      {},
      ordered.map((span) =>
        el(
          'tr',
          {},
          [
            span.lane,
            span.task,
            span.label,
            words[span.kind] ?? span.kind,
            span.start_ms.toFixed(1),
            span.end_ms.toFixed(1),
            (span.end_ms - span.start_ms).toFixed(1),
          ].map((value) => el('td', {}, value)),
        ),
      ),
    ),
  );
}
