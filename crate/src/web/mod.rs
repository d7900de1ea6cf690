//! The browser layer: the only code that touches web-sys, as folders of glue over the plain-Rust core.
//!
//! - [`runtime`]: [`WebRuntime`] (the page's event loop as a `Runtime`: `setTimeout`, microtask and
//!   `MessageChannel` hops), the shared clock [`epoch_ms`], the hidden-tab watch and the run's `Env`.
//! - [`engine`]: [`JsEngine`] (the page's engine object, `www/engine.js`) and `EnginePool`, the `Pool` over
//!   it; which job goes where is decided by the native `Dispatch`.
//! - the build without atomics' exports, in two halves (cargo features, each a module of its own built by
//!   scripts/build-wasm.sh): [`exports`] (`page`, `www/pkg-st`), what the page's main thread calls on every
//!   visit (the catalogue, `run`, the replay); and [`on_demand`] (`on-demand`, `www/pkg-lazy`), what it
//!   needs now and then (exports, Python traces, the bench) and what the message-passing workers run. Both
//!   read their JS arguments with `args`: every read is fallible and becomes a `JuggleError` with a stable
//!   code. Issue #19: the page's first load carried the code of both.
//! - [`multithread`], the threaded build's exports alone (the engine worker's: `executePoolJob`,
//!   `cancelPoolJobs`, `initThreadPool`, its own threads): it runs pool jobs and nothing else, so it leaves
//!   out the scenarios, the traces and everything else the page calls (the linker drops what no export
//!   reaches; issue #19: most of the threaded wasm was code the engine worker never ran).
//!
//! The page's main thread loads the build without atomics (`www/pkg-st`): there wasm-bindgen-futures wakes
//! Rust tasks through the microtask queue, as the lessons need. The engine worker loads the threaded build
//! (`www/pkg`), which adds the pool: there a wake goes through `Atomics.waitAsync`, a task, which is fine
//! off the main thread.

#[cfg(not(target_feature = "atomics"))]
mod args;
pub mod engine;
#[cfg(not(target_feature = "atomics"))]
mod executor;
#[cfg(all(not(target_feature = "atomics"), feature = "page"))]
pub mod exports;
#[cfg(target_feature = "atomics")]
pub mod multithread;
#[cfg(all(not(target_feature = "atomics"), feature = "on-demand"))]
pub mod on_demand;
pub mod runtime;

pub use engine::JsEngine;
#[cfg(all(not(target_feature = "atomics"), feature = "page"))]
pub use exports::*;
#[cfg(target_feature = "atomics")]
pub use multithread::*;
#[cfg(all(not(target_feature = "atomics"), feature = "on-demand"))]
pub use on_demand::*;
pub use runtime::{epoch_ms, WebRuntime};
