//! The threaded build's own exports (the engine worker's instance, with the rayon pool over shared memory).

use wasm_bindgen::prelude::*;

pub use wasm_bindgen_rayon::init_thread_pool;

use super::engine::{catching, to_js, to_js_error};
use super::runtime::epoch_ms;
use crate::PoolJob;

/// Runs a pool job on this instance's rayon pool; the promise resolves to its report. Called inside the
/// engine worker: the job is posted to the pool ([`crate::spawn_job`], which takes its stop ticket now, on
/// receipt) and the worker's event loop stays free, so jobs posted together (one per downloaded page in
/// `scraper/hybrid`) run at the same time.
#[wasm_bindgen(js_name = executePoolJob)]
pub async fn execute_pool_job(job: JsValue) -> Result<JsValue, JsValue> {
    crate::install_hook();
    let job: PoolJob = serde_wasm_bindgen::from_value(job)?;
    let (done, report) = futures::channel::oneshot::channel();
    crate::spawn_job(job, epoch_ms, move |report| {
        // The receiver only goes away if the engine worker is gone; nobody is left to tell.
        let _ = done.send(report);
    });
    catching("a pool job", async move {
        let report = report
            .await
            .map_err(|_| js_sys::Error::new("a pool thread stopped before finishing the job"))?;
        to_js(&report.map_err(to_js_error)?)
    })
    .await
}

/// Inside the engine worker: stops the jobs posted to this instance's pool (see [`crate::cancel_all`]).
#[wasm_bindgen(js_name = cancelPoolJobs)]
pub fn cancel_pool_jobs() {
    crate::cancel_all();
}

/// Inside the engine worker: how many threads of their own `job` wants on this pool of `pool_threads`
/// threads (0: it runs on the pool; see `crate::own_threads::wanted`). The engine worker asks before every
/// job, so that the rule stays in Rust.
#[wasm_bindgen(js_name = ownThreadsWanted)]
pub fn own_threads_wanted(job: JsValue, pool_threads: u32) -> Result<u32, JsValue> {
    let job: PoolJob = serde_wasm_bindgen::from_value(job)?;
    Ok(crate::own_threads_wanted(&job, pool_threads))
}

/// Inside the engine worker: registers a `threads` job of blocking waits that asks for more threads than
/// the pool has, to run on threads of their own (see `crate::own_threads`); returns its number. The engine
/// worker then starts one Web Worker per thread (`www/own-thread.js`) and calls [`own_threads_end`].
#[wasm_bindgen(js_name = ownThreadsBegin)]
pub fn own_threads_begin(job: JsValue) -> Result<u32, JsValue> {
    crate::install_hook();
    let job: PoolJob = serde_wasm_bindgen::from_value(job)?;
    crate::own_threads_begin(&job).map_err(to_js_error)
}

/// Inside a thread's own Web Worker, on an instance over the engine's shared memory: runs thread `me` of
/// job `id` to its end, blocking this worker (`created_ms`: when the engine asked for the thread, epoch ms).
#[wasm_bindgen(js_name = ownThreadRun)]
pub fn own_thread_run(id: u32, me: u32, created_ms: f64) -> Result<(), JsValue> {
    crate::install_hook();
    std::panic::catch_unwind(|| crate::own_thread_run(id, me, created_ms, &epoch_ms))
        .map_err(|payload| to_js_error(crate::panicked("a thread of its own", payload.as_ref())))?
        .map_err(to_js_error)
}

/// Inside the engine worker: forgets job `id` and returns its report, once its threads are done.
#[wasm_bindgen(js_name = ownThreadsEnd)]
pub fn own_threads_end(id: u32) -> Result<JsValue, JsValue> {
    to_js(&crate::own_threads_end(id).map_err(to_js_error)?)
}

/// This instance's compiled module, for a thread of its own to instantiate over the same shared memory.
#[wasm_bindgen(js_name = coreModule)]
pub fn core_module() -> JsValue {
    wasm_bindgen::module()
}
