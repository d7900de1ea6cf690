//! The build without atomics' own exports (the page's instance and the message-passing workers').

use wasm_bindgen::prelude::*;

use super::engine::{to_js, to_js_error};
use super::runtime::epoch_ms;
use crate::PoolJob;

/// Runs a pool job (or a part of one, see [`crate::split`]) on this thread and returns its report. Called
/// inside a message-passing worker, which has no pool: rayon runs everything on the current thread there.
#[wasm_bindgen(js_name = executePoolJobHere)]
pub fn execute_pool_job_here(job: JsValue) -> Result<JsValue, JsValue> {
    crate::install_hook();
    let job: PoolJob = serde_wasm_bindgen::from_value(job)?;
    // A panic becomes a `panicked` error and this worker stays usable.
    let report = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::execute(&job, &epoch_ms)
    }))
    .map_err(|payload| to_js_error(crate::panicked("a pool job", payload.as_ref())))?;
    to_js(&report)
}
