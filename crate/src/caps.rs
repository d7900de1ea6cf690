//! Caps on a run, checked before it starts: at most 60 s of work and what fits in the 256 MB of wasm
//! memory. Every parameter may be inside its range while their combination is not (200 requests of 5 s,
//! one at a time): such a request is refused up front with a message naming the estimate and the cap.

use crate::error::{ErrorCode, JuggleError};
use crate::request::Request;
use crate::scenario::Cost;

/// The longest a run may take, in ms.
pub const MAX_RUN_MS: f64 = 60_000.0;

/// The wasm memory every run must fit in (the linker's `--max-memory`), in bytes.
pub const MAX_MEMORY_BYTES: f64 = 256.0 * 1024.0 * 1024.0;

const MIB: f64 = 1024.0 * 1024.0;

/// What one recorded span costs in memory, generously (strings included).
const SPAN_BYTES: f64 = 256.0;

/// Refuses `request` if its scenario estimates more than [`MAX_RUN_MS`] of work or more recorded data
/// than half of [`MAX_MEMORY_BYTES`] (the rest is the program and its working memory). `threads` is the
/// worker pool's size (1 without a pool).
pub fn check(request: &Request, threads: u32) -> Result<(), JuggleError> {
    judge(
        request,
        (request.scenario.cost)(request.variant_index, &request.params, threads),
    )
}

/// How long `request` should take at most, in ms, as its scenario estimates it (the page's progress bar
/// measures against it). `threads` as for [`check`].
pub fn estimate_ms(request: &Request, threads: u32) -> f64 {
    (request.scenario.cost)(request.variant_index, &request.params, threads).ms
}

/// Refuses `request` if `cost` exceeds a cap.
fn judge(request: &Request, Cost { ms, spans }: Cost) -> Result<(), JuggleError> {
    let beats = ms / request.params.ms("heartbeat_ms");
    let bytes = (spans + beats) * SPAN_BYTES;
    let settings = || {
        request
            .params
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if ms > MAX_RUN_MS {
        return Err(JuggleError::new(
            ErrorCode::TooMuchWork,
            format!(
                "{}/{} with {} would take about {:.0} s; runs are capped at {:.0} s: lower the counts \
                 or durations",
                request.scenario.id,
                request.variant.id,
                settings(),
                ms / 1000.0,
                MAX_RUN_MS / 1000.0
            ),
        ));
    }
    if bytes > MAX_MEMORY_BYTES / 2.0 {
        return Err(JuggleError::new(
            ErrorCode::TooMuchWork,
            format!(
                "{}/{} with {} would record about {:.0} MiB; a run must fit in {:.0} MiB of memory: \
                 record less (fewer slices, a longer heartbeat period)",
                request.scenario.id,
                request.variant.id,
                settings(),
                bytes / MIB,
                MAX_MEMORY_BYTES / MIB
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::error::ErrorCode;
    use crate::testing::try_run_sim;

    #[test]
    fn defaults_are_within_the_caps_everywhere() {
        for spec in crate::catalog::all() {
            for variant in spec.variants {
                let request = crate::request::parse(
                    spec,
                    &[(
                        "variant".into(),
                        crate::params::RawValue::Text(variant.id.into()),
                    )],
                )
                .unwrap();
                super::check(&request, 64)
                    .unwrap_or_else(|e| panic!("{}/{}: {e}", spec.id, variant.id));
            }
        }
    }

    #[test]
    fn a_run_longer_than_a_minute_is_refused_before_it_starts() {
        let error = try_run_sim(
            "io-bound",
            &[
                ("variant", "sequential"),
                ("requests", "200"),
                ("latency_ms", "5000"),
            ],
        )
        .unwrap_err();
        assert_eq!(error.code, ErrorCode::TooMuchWork);
        assert!(error.message.contains("about 1000 s"), "{}", error.message);
        assert!(error.message.contains("requests=200"), "{}", error.message);
        // The same requests all at once are fine: their waits overlap.
        try_run_sim(
            "io-bound",
            &[
                ("variant", "concurrent"),
                ("requests", "200"),
                ("latency_ms", "500"),
            ],
        )
        .unwrap();
    }

    #[test]
    fn a_run_that_would_not_fit_in_memory_is_refused() {
        // No parameter range allows it today; a scenario whose estimate grows must still be stopped.
        let spec = crate::catalog::find("count").unwrap();
        let request = crate::request::parse(spec, &[]).unwrap();
        let cost = crate::scenario::Cost {
            ms: 10.0,
            spans: 1e7,
        };
        let error = super::judge(&request, cost).unwrap_err();
        assert_eq!(error.code, ErrorCode::TooMuchWork);
        assert!(error.message.contains("2441 MiB"), "{}", error.message);
        assert!(
            error.message.contains("256 MiB of memory"),
            "{}",
            error.message
        );
    }
}
