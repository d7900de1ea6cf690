//! TypeScript definitions of the wire types (what the exports return and take), added to the `.d.ts`
//! that wasm-bindgen emits (`web::exports`). Kept beside the serde types they describe: a native test
//! checks that each interface names exactly the fields serde writes.

/// The TypeScript declarations of the wire types.
pub const TYPESCRIPT: &str = r#"
/** What a lane was doing during a span. */
export type SpanKind = "cpu" | "blocked" | "wait" | "startup" | "ready";

/** A thread of a run (see crate/src/lane.rs). */
export type Lane =
  | "main" | "python" | "gil"
  | `worker-${number}` | `spawned-${number}` | `process-${number}` | `thread-${number}`;

/** One interval of one task on one lane; times in ms from the run's start. */
export interface Span {
  lane: Lane;
  task: string;
  label: string;
  kind: SpanKind;
  start_ms: number;
  end_ms: number;
  /** A wait that stands for a simulated network. */
  simulated: boolean;
}

/** A line a task printed. */
export interface OutputLine {
  t_ms: number;
  task: string;
  text: string;
}

/** Where and how a run ran. */
export interface Env {
  cores: number;
  threads: number;
  isolated: boolean;
  mode: string;
  yield_macro: string;
  pool_init_ms: number | null;
  hidden: boolean;
  /** The Python version of a run of the browser's Python; null for a Rust run. */
  python: string | null;
  /** How long loading the browser's Python took before this run; null for a Rust run. */
  python_load_ms: number | null;
}

/** One heartbeat: when it was due and when it ran. */
export interface Beat {
  due_ms: number;
  ran_ms: number;
}

/** A time between two consecutive beats (or the run's start or end). */
export interface Gap {
  from_ms: number;
  to_ms: number;
}

/**
 * The health check. A gap is the time between two consecutive beats, the run's start and end counting
 * as beats. Frozen: a gap of at least frozen_threshold_ms = max(250, 5 x interval_ms). A deadline (each
 * multiple of interval_ms up to total_ms) is missed when no beat ran in [d, d + interval_ms).
 */
export interface Heartbeat {
  interval_ms: number;
  max_gap_ms: number;
  max_gap_from_ms: number;
  p99_late_ms: number | null;
  missed: number;
  frozen_threshold_ms: number;
  frozen_gaps: Gap[];
  frozen: boolean;
  samples: Beat[];
}

/** Everything a run recorded: what `run` resolves to. */
export interface Trace {
  scenario: string;
  variant: string;
  params: Record<string, number>;
  env: Env;
  started_at_ms: number;
  total_ms: number;
  spans: Span[];
  output: OutputLine[];
  heartbeat: Heartbeat;
  result: Record<string, unknown>;
  why: Why;
}

/** Why a run went as it did, one sentence each, computed from the trace by the core. */
export interface Why {
  time: string;
  health: string;
}

/** The queue's length just after a put or a get (scenario `queue`). */
export interface QueueLength {
  t_ms: number;
  length: number;
}

/** When one item went through the queue (scenario `queue`); times in ms from the run's start. */
export interface QueueItemTimes {
  item: number;
  put_ms: number;
  got_ms: number;
  done_ms: number;
  consumer: number;
}

/** What a `queue` run reports as its trace's `result`. */
export interface QueueResult {
  high_water: number;
  /** When the queue first reached high_water. */
  high_water_at_ms: number;
  /** null for an unbounded queue. */
  maxsize: number | null;
  consumers: number;
  producer_waited_ms: number;
  consumers_waited_ms: number;
  mean_queued_ms: number;
  per_item: QueueItemTimes[];
  /** The length after every put and get, in time order, from { t_ms: 0, length: 0 }. */
  lengths: QueueLength[];
}

/** The run at one instant: what `traceAt` returns. */
/** The limits on a trace from outside (a file, a link, an embed): one set, kept by the core. */
export interface TraceLimits {
  /** Longest JSON text, in bytes. */
  file_bytes: number;
  /** How deep the JSON may nest. */
  depth: number;
  spans: number;
  output: number;
  beats: number;
  /** Longest id, lane, task name or env string. */
  name: number;
  label: number;
  /** Longest printed line. */
  text: number;
  result_keys: number;
  result_items: number;
  traceback: number;
}

export interface Moment {
  t_ms: number;
  active: Span[];
  printed: OutputLine[];
  beats: number;
  since_beat_ms: number;
}

/** Where a variant's work runs. */
export type Placement = "main" | "pool" | "shared-memory" | "workers";

/** One integer parameter: its name, meaning, default and allowed range (inclusive). */
export interface ParamSpec {
  name: string;
  label: string;
  default: number;
  min: number;
  max: number;
  unit: string;
}

/** One variant in the catalogue, with whether it can run on this page. */
export interface CatalogVariant {
  id: string;
  title: string;
  summary: string;
  placement: Placement;
  available: boolean;
  unavailable_reason: string | null;
}

/** One scenario in the catalogue: what `scenarios` returns a list of. */
export interface CatalogEntry {
  id: string;
  title: string;
  summary: string;
  variants: CatalogVariant[];
  params: ParamSpec[];
}

/** The stable codes of a rejected call. */
export type ErrorCode =
  | "unknown-scenario" | "unknown-variant" | "unknown-parameter" | "invalid-parameter"
  | "invalid-params" | "invalid-argument" | "busy" | "pool-unavailable" | "pool-failed"
  | "invalid-trace" | "needs-shared-memory" | "too-much-work" | "cancelled" | "panicked";

/** What an export throws or rejects with: an Error with a stable code. */
export interface JuggleError extends Error {
  code: ErrorCode;
}
"#;

/// The field names of each `export interface` in [`TYPESCRIPT`], by interface name.
pub fn interfaces() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut found = Vec::new();
    let mut lines = TYPESCRIPT.lines();
    while let Some(line) = lines.next() {
        let Some(rest) = line.strip_prefix("export interface ") else {
            continue;
        };
        let name = rest.split([' ', '{']).next().unwrap_or_default();
        let mut fields = Vec::new();
        for line in lines.by_ref() {
            let line = line.trim();
            if line == "}" {
                break;
            }
            if let Some((field, _)) = line.split_once(':') {
                if !field.starts_with("/*") && !field.starts_with('*') {
                    fields.push(field.trim());
                }
            }
        }
        found.push((name, fields));
    }
    found
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::interfaces;
    use crate::testing::run_sim;

    /// The keys serde writes for `value` (an object).
    fn keys(value: &serde_json::Value) -> BTreeSet<String> {
        value
            .as_object()
            .unwrap_or_else(|| panic!("not an object: {value}"))
            .keys()
            .cloned()
            .collect()
    }

    #[test]
    fn every_interface_names_exactly_the_fields_serde_writes() {
        let trace = run_sim("scraper", &[("pages", "2")]);
        let json = serde_json::to_value(&trace).unwrap();
        let catalogue = serde_json::to_value(crate::catalog::entries(false)).unwrap();
        let moment = serde_json::to_value(trace.moment(50.0)).unwrap();
        let queue = serde_json::to_value(run_sim("queue", &[("items", "2")])).unwrap();
        let samples: Vec<(&str, serde_json::Value)> = vec![
            ("Trace", json.clone()),
            ("Span", json["spans"][0].clone()),
            ("OutputLine", json["output"][0].clone()),
            ("Env", json["env"].clone()),
            ("Heartbeat", json["heartbeat"].clone()),
            ("Why", json["why"].clone()),
            ("Beat", json["heartbeat"]["samples"][0].clone()),
            (
                "Gap",
                serde_json::to_value(crate::trace::Gap {
                    from_ms: 0.0,
                    to_ms: 1.0,
                })
                .unwrap(),
            ),
            ("Moment", moment),
            ("QueueResult", queue["result"].clone()),
            ("QueueLength", queue["result"]["lengths"][0].clone()),
            ("QueueItemTimes", queue["result"]["per_item"][0].clone()),
            ("CatalogEntry", catalogue[0].clone()),
            ("CatalogVariant", catalogue[0]["variants"][0].clone()),
            ("ParamSpec", catalogue[0]["params"][0].clone()),
            (
                "TraceLimits",
                serde_json::to_value(crate::TRACE_LIMITS).unwrap(),
            ),
        ];
        let declared = interfaces();
        for (name, sample) in &samples {
            let (_, fields) = declared
                .iter()
                .find(|(declared, _)| declared == name)
                .unwrap_or_else(|| panic!("no interface {name}"));
            let fields: BTreeSet<String> = fields.iter().map(|f| f.to_string()).collect();
            assert_eq!(fields, keys(sample), "interface {name}");
        }
        // Every interface but the error's is checked against serde.
        assert_eq!(declared.len(), samples.len() + 1);
    }

    /// Every figure a result shows on the page (a number or a yes/no) has words in
    /// `www/views/result-labels.json`, so no run shows a raw field name such as `threads_ms`.
    #[test]
    fn every_figure_a_result_shows_has_a_label_on_the_page() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../www/views/result-labels.json"
        );
        let labels: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for (scenario, variant, trace) in crate::testing::run_every_variant() {
            for (key, value) in trace.result.as_object().into_iter().flatten() {
                if value.is_number() || value.is_boolean() {
                    assert!(
                        labels
                            .get(key)
                            .and_then(|l| l.as_str())
                            .is_some_and(|l| !l.is_empty()),
                        "{scenario}/{variant}: result field `{key}` has no label in {path}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_error_codes_are_the_ones_the_core_uses() {
        let codes = [
            crate::ErrorCode::UnknownScenario,
            crate::ErrorCode::UnknownVariant,
            crate::ErrorCode::UnknownParameter,
            crate::ErrorCode::InvalidParameter,
            crate::ErrorCode::InvalidParams,
            crate::ErrorCode::InvalidArgument,
            crate::ErrorCode::InvalidTrace,
            crate::ErrorCode::Busy,
            crate::ErrorCode::PoolUnavailable,
            crate::ErrorCode::PoolFailed,
            crate::ErrorCode::NeedsSharedMemory,
            crate::ErrorCode::TooMuchWork,
            crate::ErrorCode::Cancelled,
            crate::ErrorCode::Panicked,
        ];
        let union = super::TYPESCRIPT
            .split("export type ErrorCode =")
            .nth(1)
            .and_then(|rest| rest.split(';').next())
            .unwrap();
        let listed = union.matches('"').count() / 2;
        assert_eq!(listed, codes.len());
        for code in codes {
            assert!(
                union.contains(&format!("\"{}\"", code.as_str())),
                "{code:?}"
            );
        }
    }
}
