// @ts-check
/**
 * What the page says about a run or a variant, read from the fields the Rust core computed: one definition
 * each, in Rust (crate/src/heartbeat.rs, scenario.rs, stats.rs), so that the chart, the summary and the
 * verdict that use one can never disagree. Nothing here computes a judgement; it only reads it.
 */

/**
 * Whether the health check froze during the run: some gap between beats (the run's start and end count as
 * beats) of at least `heartbeat.frozen_threshold_ms`, max(250 ms, 5 periods). Rust's `heartbeat.frozen`.
 * @param {{ heartbeat: { frozen: boolean } }} trace
 * @returns {boolean}
 */
export const froze = (trace) => trace.heartbeat.frozen;

/**
 * The page's sentence for what "frozen" and "missed" mean, with this run's figures.
 * @param {{ interval_ms: number, frozen_threshold_ms: number }} heartbeat
 */
export const heartbeatDefinition = (heartbeat) =>
  `A deadline is missed when the health check has not run within one period (${heartbeat.interval_ms} ms) after it was due; the loop counts as frozen where the check stayed silent for ${heartbeat.frozen_threshold_ms} ms or more.`;

/**
 * Whether a variant can run on this page, and why not: the catalogue's `available` and
 * `unavailable_reason` (Rust's `scenario::availability`, the same check the runner makes).
 * @param {{ available: boolean }} variant a catalogue variant
 * @returns {boolean}
 */
export const canRun = (variant) => variant.available;

/**
 * The labels of a run's simulated waits (timers standing in for a network), each once: the spans Rust
 * marked `simulated`.
 * @param {{ spans: { label: string, simulated?: boolean }[] }} trace
 * @returns {string[]}
 */
export const simulatedLabels = (trace) => [
  ...new Set(trace.spans.filter((s) => s.simulated).map((s) => s.label)),
];

/**
 * The most speedup Amdahl's law allows for the fitted parallel fraction, 1 / (1 - P): the `speedup`
 * result's `amdahl_ceiling` (null without a fit, or when P is 1).
 * @param {{ amdahl_ceiling: number | null }} result
 * @returns {number | null}
 */
export const amdahlCeiling = (result) => result.amdahl_ceiling;
