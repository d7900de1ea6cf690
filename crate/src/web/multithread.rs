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
