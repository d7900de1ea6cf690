//! The scenarios, one folder per id (`scenarios/<id>/`). Each holds the scenario's
//! [`crate::scenario::ScenarioSpec`] (`SPEC`) and Rust code in `mod.rs`, and beside it `lesson.md` (the
//! page's text) and `twin.py` (the same workload in Python, shown next to the Rust code).

pub mod count;
#[path = "cpu-in-async/mod.rs"]
pub mod cpu_in_async;
#[path = "io-bound/mod.rs"]
pub mod io_bound;
pub mod queue;
pub mod race;
pub mod scraper;
pub mod speedup;
pub mod threads;
pub mod timelines;

use crate::prelude::*;

/// The `seed` parameter of the scenarios with simulated latencies (see [`simulated_latencies`]).
pub(crate) const JITTER_SEED: ParamSpec = ParamSpec {
    name: "seed",
    label: "Jitter seed",
    default: 1,
    min: 0,
    max: 1_000_000,
    unit: "",
};

/// The simulated network latencies of `count` requests: the `latency_ms` parameter plus a jitter of up to
/// `jitter_ms`, drawn up front from the `seed` parameter so that every variant meets the same "servers".
pub(crate) fn simulated_latencies(ctx: &RunContext, count: u32) -> Vec<f64> {
    let latency_ms = ctx.params.ms("latency_ms");
    let jitter_ms = ctx.params.get("jitter_ms");
    let mut rng = fastrand::Rng::with_seed(u64::from(ctx.params.get("seed")));
    (0..count)
        .map(|_| latency_ms + f64::from(rng.u32(0..=jitter_ms)))
        .collect()
}
