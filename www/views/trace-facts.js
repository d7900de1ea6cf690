// @ts-check
/**
 * The judgements the page still makes itself about a run or a variant, one function each, so that the
 * chart, the summary and the verdict that use one read the same definition. Each is to be read from Rust
 * instead (issue #13): the core is gaining `heartbeat.frozen`, `heartbeat.frozen_gaps`,
 * `heartbeat.frozen_threshold_ms`, `span.simulated`, `result.amdahl_ceiling` and, per variant in the
 * catalogue, `available` / `unavailable_reason`. Until then these are the page's definitions, unchanged.
 */

/**
 * Whether the health check froze during a run: no beat for 100 ms or more (the usual threshold of visible
 * lag) and for at least a quarter of the run. Interleaved tasks that yield to the event loop leave gaps of a
 * few tens of ms; a loop that never yields leaves one gap as long as the run.
 * TODO(#13): read from Rust (`heartbeat.frozen`).
 * @param {{ total_ms: number, heartbeat: { max_gap_ms: number } }} trace
 * @returns {boolean}
 */
export const froze = (trace) => trace.heartbeat.max_gap_ms >= Math.max(100, trace.total_ms / 4);

/**
 * Whether the timeline marks the longest heartbeat gap: when a person would notice it (100 ms, the usual
 * threshold of visible lag) and it is at least three beats long.
 * TODO(#13): read from Rust (`heartbeat.frozen_gaps`, `heartbeat.frozen_threshold_ms`).
 * @param {{ max_gap_ms: number, interval_ms: number }} heartbeat
 * @returns {boolean}
 */
export const gapStandsOut = (heartbeat) => heartbeat.max_gap_ms >= Math.max(100, 3 * heartbeat.interval_ms);

/**
 * Whether a variant can run on this page: those that need shared memory cannot on message-passing workers.
 * TODO(#13): read from Rust (the catalogue's per-variant `available` / `unavailable_reason`).
 * @param {{ placement?: string }} variant a catalogue variant
 * @param {string} mode `juggle.status().mode`
 * @returns {boolean}
 */
export const canRun = (variant, mode) => !(variant.placement === 'shared-memory' && mode !== 'shared-memory');

/**
 * The labels of a run's simulated waits (timers standing in for a network): those whose label says
 * "(simulated)", each once.
 * TODO(#13): read from Rust (`span.simulated`).
 * @param {{ spans: { label: string }[] }} trace
 * @returns {string[]}
 */
export const simulatedLabels = (trace) => [
  ...new Set(trace.spans.map((s) => s.label).filter((l) => l.includes('(simulated)'))),
];

/**
 * The most speedup Amdahl's law allows for a parallel fraction `p` on any number of threads, 1 / (1 - p);
 * null when `p` is 0.95 or more (the page then says nearly all of the work ran in parallel).
 * TODO(#13): read from Rust (`result.amdahl_ceiling`).
 * @param {number} p the fitted parallel fraction
 * @returns {number | null}
 */
export const amdahlCeiling = (p) => (p < 0.95 ? 1 / (1 - p) : null);
