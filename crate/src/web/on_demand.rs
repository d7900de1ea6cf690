//! The exports of the build without atomics that the page needs only now and then, built as a module of
//! their own (`www/pkg-lazy`, the `on-demand` feature) so that the page's first load carries none of them:
//! `exportTrace(trace, format)` (a download or a shared link), `reviewTrace(trace)` (a trace opened from a
//! file, a link or an embed), `pythonTrace(record)` (after a run of the browser's Python), `benchCooperative(count)` (`npm run bench`), and what the message-passing workers
//! run: `executePoolJobHere(job)` (a pool job's part, where workers share no memory) and
//! `runSpawnedTask(task, createdMs)` (a worker started for one task). Each reads its arguments with
//! [`super::args`], as the page's own exports do.

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::{ErrorCode, JuggleError, PoolJob, SpawnedTask, Trace};

use super::args::{text_argument, trace_argument};
use super::engine::{catching, to_js, to_js_error};
use super::executor;
use super::runtime::{epoch_ms, WebRuntime};

/// For `npm run bench`: the cooperative micro-benchmarks on this page's event loop, over `count` tasks,
/// yields and hops.
#[wasm_bindgen(js_name = benchCooperative, unchecked_return_type = "Promise<any>")]
pub fn bench_cooperative(count: u32) -> Promise {
    executor::promise(catching("the benchmark", async move {
        to_js(&crate::bench_cooperative(&WebRuntime, count).await)
    }))
}

/// `juggle.exportTrace(trace, format)`: a trace as text, `format` being `"json"` (the trace format itself),
/// `"csv"` or `"chrome"` (Chrome's Trace Event Format, for Perfetto UI and `chrome://tracing`).
#[wasm_bindgen(js_name = exportTrace)]
pub fn export_trace(
    #[wasm_bindgen(unchecked_param_type = "Trace")] trace: JsValue,
    #[wasm_bindgen(unchecked_param_type = "'json' | 'csv' | 'chrome'")] format: JsValue,
) -> Result<String, JsValue> {
    let format = text_argument(&format, "an export format", "\"json\"").map_err(to_js_error)?;
    let trace = trace_argument(trace).map_err(to_js_error)?;
    let pretty =
        |value: &serde_json::Value| serde_json::to_string_pretty(value).unwrap_or_default();
    match format.as_str() {
        "json" => Ok(serde_json::to_string_pretty(&trace).unwrap_or_default()),
        "csv" => Ok(crate::csv(&trace)),
        "chrome" => Ok(pretty(&crate::chrome_trace(&trace))),
        other => Err(to_js_error(JuggleError::new(
            ErrorCode::InvalidArgument,
            format!(
                "unknown export format \"{}\"; allowed: json, csv, chrome",
                other.chars().take(20).collect::<String>()
            ),
        ))),
    }
}

/// `juggle.reviewTrace(trace)`: a trace from outside (a file, a link, an embed, a Lab run's download: the
/// value `JSON.parse` made of its text) checked field by field by the core's one validator
/// ([`crate::validate_recorded_trace`]) and judged again by the core's own definitions, so that the page
/// shows what its samples say, not what the file claims. Refuses with the code `invalid-trace`, naming the
/// field, what is allowed and what was given.
#[wasm_bindgen(js_name = reviewTrace, unchecked_return_type = "Trace")]
pub fn review_trace(
    #[wasm_bindgen(unchecked_param_type = "unknown")] trace: JsValue,
) -> Result<JsValue, JsValue> {
    let value: serde_json::Value = serde_wasm_bindgen::from_value(trace.clone()).map_err(|e| {
        to_js_error(JuggleError::new(
            ErrorCode::InvalidTrace,
            format!("the trace is not plain JSON data: {e}"),
        ))
    })?;
    crate::check_recorded_trace(&value).map_err(to_js_error)?;
    // Read again from the JS value, by the deserializer `exportTrace` uses (smaller than serde_json's
    // reading of `value`, which would be a second one in this module).
    let trace: Trace = serde_wasm_bindgen::from_value(trace)
        .map_err(|e| to_js_error(crate::unreadable_trace(e)))?;
    to_js(&crate::rejudge(trace))
}

/// Runs one [`SpawnedTask`] inside a Web Worker started for it; `created_ms` is when the page created that
/// worker (epoch ms). Resolves to the task's report: its spans (its start-up first) and this instance's
/// memory.
#[wasm_bindgen(js_name = runSpawnedTask, unchecked_return_type = "Promise<any>")]
pub fn run_spawned_task(task: JsValue, created_ms: f64) -> Promise {
    executor::promise(catching("a spawned worker's task", async move {
        let task: SpawnedTask = serde_wasm_bindgen::from_value(task)?;
        to_js(&crate::run_spawned(&WebRuntime, &task, created_ms).await)
    }))
}

/// `juggle.runPython`'s last step: what the browser's Python worker recorded for one run (spans, printed
/// lines, beats, the error if the program raised) checked strictly and assembled into a [`Trace`] on the
/// `python` lane, its heartbeat judged by the same definitions as a Rust run's.
#[wasm_bindgen(js_name = pythonTrace, unchecked_return_type = "Trace")]
pub fn python_trace(
    #[wasm_bindgen(unchecked_param_type = "object")] record: JsValue,
) -> Result<JsValue, JsValue> {
    let record: crate::PythonRecord = serde_wasm_bindgen::from_value(record).map_err(|error| {
        to_js_error(JuggleError::new(
            ErrorCode::InvalidArgument,
            format!("Python run record: {error}"),
        ))
    })?;
    to_js(&crate::python_trace(record).map_err(to_js_error)?)
}

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
