//! The browser layer: the only code that touches web-sys, as folders of glue over the plain-Rust core.
//!
//! - [`runtime`]: [`WebRuntime`] (the page's event loop as a `Runtime`: `setTimeout`, microtask and
//!   `MessageChannel` hops), the shared clock [`epoch_ms`], the hidden-tab watch and the run's `Env`.
//! - [`engine`]: [`JsEngine`] (the page's engine object, `www/engine.js`) and `EnginePool`, the `Pool` over
//!   it; which job goes where is decided by the native `Dispatch`.
//! - [`exports`]: the `#[wasm_bindgen]` functions `www/` calls, thin; every read of a JS argument is
//!   fallible and becomes a `JuggleError` with a stable code. Only in the build without atomics: the
//!   threaded build is the engine worker's alone, which runs pool jobs and nothing else, so it leaves out
//!   the scenarios, the traces and everything else the page calls (the linker drops what no export reaches;
//!   issue #19: most of the threaded wasm was code the engine worker never ran).
//! - the build's own module, chosen once as js-sys picks `task::singlethread` / `task::multithread`:
//!   `multithread.rs` in the threaded build (the engine worker's: `executePoolJob`, `cancelPoolJobs`,
//!   `initThreadPool`), `singlethread.rs` in the build without atomics (the page's and the
//!   message-passing workers': `executePoolJobHere`).
//!
//! The page's main thread loads the build without atomics (`www/pkg-st`): there wasm-bindgen-futures wakes
//! Rust tasks through the microtask queue, as the lessons need. The engine worker loads the threaded build
//! (`www/pkg`), which adds the pool: there a wake goes through `Atomics.waitAsync`, a task, which is fine
//! off the main thread.

pub mod engine;
#[cfg(not(target_feature = "atomics"))]
mod executor;
#[cfg(not(target_feature = "atomics"))]
pub mod exports;
pub mod runtime;

#[cfg_attr(target_feature = "atomics", path = "multithread.rs")]
#[cfg_attr(not(target_feature = "atomics"), path = "singlethread.rs")]
pub mod build;

pub use build::*;
pub use engine::JsEngine;
#[cfg(not(target_feature = "atomics"))]
pub use exports::*;
pub use runtime::{epoch_ms, WebRuntime};
