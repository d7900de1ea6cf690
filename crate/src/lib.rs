//! Juggle's core: concurrency scenarios that run for real and record what happened.
//!
//! A *scenario* (for example [`scenarios::count`]) runs two or more *variants* of one workload. Every run
//! records a [`trace::Trace`]: spans per lane (the page's `main` thread and the pool's `worker-N` threads),
//! output lines, heartbeat samples and a result. The page only draws traces; it computes nothing.
//!
//! The modules split along one line: everything except [`web`] is plain Rust with no web-sys in it, so
//! native `cargo test` covers scheduling, tracing and statistics. Cooperative scenario code is written
//! against the [`runtime::Runtime`] trait; in the browser it runs on the page's event loop
//! ([`web::WebRuntime`]), natively on [`sim::SimRuntime`], a deterministic model of that event loop with
//! virtual time. Parallel work is a [`pool::PoolJob`], executed by rayon on Web Workers in the browser and by
//! rayon on OS threads natively.

pub mod bench;
pub mod caps;
pub mod catalog;
pub mod error;
pub mod export;
pub mod fault;
pub mod heartbeat;
pub mod kernel;
pub mod params;
pub mod pool;
pub mod runner;
pub mod runtime;
pub mod scenarios;
pub mod sim;
pub mod spawned;
pub mod stats;
pub mod trace;

#[cfg(test)]
mod testing;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use error::{ErrorCode, JuggleError};
pub use trace::Trace;
