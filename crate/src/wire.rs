//! The TypeScript declarations the serde types cannot derive, added to the `.d.ts` that wasm-bindgen emits
//! (`web::args`). The wire types themselves (`Trace`, `Span`, `Moment`, the catalogue, `TraceLimits`, a
//! queue run's result) derive theirs with `tsify` from the serde types, so that they cannot drift: this
//! file holds only the lane names (`crate::lane::Lane` is written as a string), the error codes and the
//! error's shape.

/// The TypeScript declarations of what the serde types do not declare.
pub const TYPESCRIPT: &str = r#"
/** A thread of a run (see crate/src/lane.rs). */
export type Lane =
  | "main" | "python" | "gil"
  | `worker-${number}` | `spawned-${number}` | `process-${number}` | `thread-${number}`;

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

#[cfg(test)]
mod tests {
    /// Every figure a scenario's result shows on the page (a number or a yes/no) has words in that
    /// scenario's own `crate/src/scenarios/<id>/labels.json` (the content plugin merges them for the
    /// page; those about the browser's machinery under `"browser"`), so no run shows a raw field name such
    /// as `threads_ms`.
    #[test]
    fn every_figure_a_result_shows_has_a_label_in_its_scenario_folder() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/scenarios");
        for (scenario, variant, trace) in crate::testing::run_every_variant() {
            let path = format!("{dir}/{scenario}/labels.json");
            let labels: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            for (key, value) in trace.result.as_object().into_iter().flatten() {
                if value.is_number() || value.is_boolean() {
                    // A figure about the browser's machinery is listed under "browser".
                    let words = labels.get(key).or_else(|| labels.get("browser")?.get(key));
                    assert!(
                        words
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
