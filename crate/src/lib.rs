//! Juggle's core: concurrency scenarios that run for real and record what happened.
//!
//! A *scenario* (for example `count`) runs two or more *variants* of one workload. Every run records a
//! [`Trace`]: spans per lane (the page's `main` thread and the pool's `worker-N` threads), output lines,
//! heartbeat samples and a result. The page only draws traces; the judgements (frozen or not, where a
//! variant can run, the Amdahl ceiling) are made here, once each.
//!
//! The modules are private and form no cycle (a native test checks it); this file is the facade that
//! says what is public, as rayon-core's does. Everything except the `web` module is plain Rust with no
//! web-sys in it, so native `cargo test` covers scheduling, tracing and statistics. Cooperative scenario
//! code is written against the [`Runtime`] trait; in the browser it runs on the page's event loop
//! (`web::WebRuntime`), natively on [`SimRuntime`], a deterministic model of that event loop with virtual
//! time. Parallel work is a [`PoolJob`], executed by rayon on Web Workers in the browser and by rayon on OS
//! threads natively ([`RayonPool`]). A scenario author imports [`prelude`] alone.

mod bench;
mod caps;
mod catalog;
mod dispatch;
mod error;
mod explain;
mod export;
mod fault;
mod gil;
mod heap;
mod heartbeat;
#[path = "scenarios/speedup/kernel.rs"]
mod kernel;
mod lane;
mod own_threads;
mod panic;
mod par;
mod params;
mod pool;
pub mod prelude;
mod python;
mod rayon_pool;
mod recorded;
mod request;
mod runner;
mod runtime;
mod scenario;
mod scenarios;
mod sim;
mod spawned;
pub mod stats;
mod trace;
mod wire;

#[cfg(test)]
mod testing;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use bench::{cooperative as bench_cooperative, Cooperative};
pub use caps::{estimate_ms, MAX_MEMORY_BYTES, MAX_RUN_MS};
pub use catalog::{all as all_scenarios, entries as catalog, find as find_scenario};
pub use catalog::{CatalogEntry, CatalogVariant};
pub use dispatch::{Busy, Dispatch, Engine};
pub use error::{ErrorCode, JuggleError};
pub use export::{chrome_trace, csv};
pub use gil::{ThreadWork, GIL_LANE};
pub use heartbeat::{frozen_threshold_ms, rejudge};
pub use kernel::{count_primes_in, is_prime, PieceQueue};
pub use lane::{Lane, MAX_LANE_NUMBER};
pub use own_threads::{
    begin as own_threads_begin, end as own_threads_end, run as own_thread_run,
    wanted as own_threads_wanted,
};
pub use panic::{install_hook, panicked};
pub use params::{ParamSpec, Params, RawValue, HEARTBEAT_MS};
pub use pool::{
    cancel_all, execute, execute_received, merge, on_worker_lane, spawn as spawn_job, split,
    worker_lane, Deal, IncrementJob, IncrementMethod, IncrementResult, Pool, PoolJob, PoolReport,
    PoolResult, PoolStart, PrimesJob, PrimesResult, SpinResult, SpinTask, Stop, ThreadsResult,
};
pub use python::{
    trace as python_trace, ProcessInfo, PythonError, PythonRecord, PROCESS_LANE_PREFIX, PYTHON_LANE,
};
pub use rayon_pool::RayonPool;
pub use recorded::{
    check as check_recorded_trace, not_read as unreadable_trace, parse as parse_recorded_trace,
    validate as validate_recorded_trace, TraceLimits, LAB_SCENARIO, LAB_VARIANT,
    LIMITS as TRACE_LIMITS,
};
pub use request::{parse as parse_request, Fault, Request};
pub use runner::run;
pub use runtime::{Rt, Runtime, YieldNow, YieldTo};
pub use scenario::{availability, Cost, Placement, ScenarioSpec, VariantSpec, Variants};
pub use scenarios::speedup::SpeedupResult;
pub use sim::SimRuntime;
pub use spawned::{run as run_spawned, spawned_lane, SpawnedReport, SpawnedTask};
pub use stats::{amdahl_ceiling, amdahl_fit, CurvePoint, ScalingPoint};
pub use trace::{
    Beat, Env, Gap, Heartbeat, Moment, OutputLine, Span, SpanKind, Stream, Trace, MAIN_LANE,
};
pub use wire::TYPESCRIPT;
