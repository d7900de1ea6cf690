//! The `#[wasm_bindgen]` functions `www/` calls: thin, each reading its JS arguments fallibly (a throwing
//! getter, a Proxy whose traps throw, a value of the wrong type or a huge string all become a
//! [`JuggleError`] with a stable code, so every promise settles) and handing over to the core.
//!
//! Exports (JS names): `scenarios(sharedMemory)`, `run(id, params, engine, cancelled, fault)`,
//! `exportTrace(trace, format)`, `traceAt(trace, tMs)`, the `TraceReplay` class (`new TraceReplay(trace)`,
//! `at(tMs)`), `estimateRun(id, params, threads)`,
//! `benchCooperative(count)` and `runSpawnedTask(task, createdMs)`; the build's own module adds the rest.

use std::rc::Rc;

use futures::future::{self, FutureExt};
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::{Busy, ErrorCode, Fault, JuggleError, Pool, RawValue, SpawnedTask, Trace};

use super::engine::{catching, to_js, to_js_error, EnginePool, JsEngine};
use super::executor;
use super::runtime::{env, HiddenWatch, WebRuntime};

#[wasm_bindgen(typescript_custom_section)]
const WIRE_TYPES: &str = crate::TYPESCRIPT;

#[wasm_bindgen]
extern "C" {
    /// `Object.entries`, which runs a Proxy's traps and an object's getters: it may throw.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    fn object_entries(value: &JsValue) -> Result<js_sys::Array, JsValue>;

    /// `Array.isArray`, which throws for a revoked Proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;
}

/// The longest text any argument may be (an id, a key, a value, a format); longer is refused unread.
const MAX_TEXT: u32 = 1000;

/// What a thrown JS value says, for an error message (never throws itself).
fn thrown(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| short_text(error).ok().flatten())
        .unwrap_or_else(|| "an exception".to_string())
}

/// A JS value as text if it is a string of at most [`MAX_TEXT`] characters (`Ok(None)`: not a string;
/// `Err(length)`: a string too long to read).
fn short_text(value: &JsValue) -> Result<Option<String>, u32> {
    match value.dyn_ref::<js_sys::JsString>() {
        None => Ok(None),
        Some(text) if text.length() > MAX_TEXT => Err(text.length()),
        Some(text) => Ok(Some(String::from(text))),
    }
}

/// Describes a JS value's type for a message, without calling into it.
fn type_of(value: &JsValue) -> String {
    if value.is_null() {
        return "null".to_string();
    }
    value
        .js_typeof()
        .as_string()
        .unwrap_or_else(|| "unknown".to_string())
}

/// An argument that must be a string (an id, a format), or an `invalid-argument` error naming it.
fn text_argument(value: &JsValue, what: &str, example: &str) -> Result<String, JuggleError> {
    match short_text(value) {
        Ok(Some(text)) => Ok(text),
        Ok(None) => Err(JuggleError::new(
            ErrorCode::InvalidArgument,
            format!(
                "{what} must be a string such as {example}, got {}",
                type_of(value)
            ),
        )),
        Err(length) => Err(JuggleError::new(
            ErrorCode::InvalidArgument,
            format!("{what} must be a string of at most {MAX_TEXT} characters, got {length}"),
        )),
    }
}

/// Reads a JS params object (`undefined` and `null` mean none) into raw key/value pairs. Every read may
/// throw (getters, Proxy traps): any exception becomes an `invalid-params` error.
fn raw_params(params: &JsValue) -> Result<Vec<(String, RawValue)>, JuggleError> {
    if params.is_undefined() || params.is_null() {
        return Ok(Vec::new());
    }
    let invalid = |detail: String| {
        JuggleError::new(
            ErrorCode::InvalidParams,
            format!(
                "params must be an object such as {{ variant: \"async\", tasks: 3 }}; {detail}"
            ),
        )
    };
    let array =
        is_array(params).map_err(|e| invalid(format!("reading it threw: {}", thrown(&e))))?;
    if !params.is_object() || array {
        return Err(invalid(format!(
            "got {}",
            if array {
                "an array".to_string()
            } else {
                type_of(params)
            }
        )));
    }
    let entries =
        object_entries(params).map_err(|e| invalid(format!("reading it threw: {}", thrown(&e))))?;
    entries
        .iter()
        .map(|entry| {
            // `Object.entries` makes plain [key, value] arrays: reading them runs no user code.
            let pair: js_sys::Array = entry.unchecked_into();
            let key = match short_text(&pair.get(0)) {
                Ok(Some(key)) => key,
                Ok(None) | Err(_) => return Err(invalid("a key is too long".to_string())),
            };
            let value = pair.get(1);
            let raw = if let Some(n) = value.as_f64() {
                RawValue::Number(n)
            } else {
                match short_text(&value) {
                    Ok(Some(text)) => RawValue::Text(text),
                    Ok(None) => RawValue::Other(format!("a value of type {}", type_of(&value))),
                    Err(length) => RawValue::Other(format!("a string of {length} characters")),
                }
            };
            Ok((key, raw))
        })
        .collect()
}

/// Reads a trace argument, or an `invalid-argument` error.
fn trace_argument(trace: JsValue) -> Result<Trace, JuggleError> {
    serde_wasm_bindgen::from_value(trace).map_err(|e| {
        JuggleError::new(
            ErrorCode::InvalidArgument,
            format!("not a Juggle trace: {e}"),
        )
    })
}

/// Validates and runs scenario `id` on the page's event loop, with the engine's pool if given. The Rust
/// entry point behind `run`, also used by the browser tests.
pub async fn run_scenario(
    id: &str,
    raw: &[(String, RawValue)],
    engine: Option<JsEngine>,
    cancelled: Option<Promise>,
) -> Result<Trace, JuggleError> {
    run_scenario_with_fault(id, raw, engine, cancelled, None).await
}

/// [`run_scenario`], with a panic caused on purpose if `fault` says so (tests only; see [`Fault`]).
async fn run_scenario_with_fault(
    id: &str,
    raw: &[(String, RawValue)],
    engine: Option<JsEngine>,
    cancelled: Option<Promise>,
    fault: Option<Fault>,
) -> Result<Trace, JuggleError> {
    let mut request = crate::parse_request(crate::find_scenario(id)?, raw)?;
    request.fault = fault;
    let _busy = Busy::acquire()?;
    let rt = WebRuntime;
    let env = env(&rt, engine.as_ref());
    let pool = engine.map(|engine| Rc::new(EnginePool::new(engine)) as Rc<dyn Pool>);
    let watch = HiddenWatch::start();
    let cancelled = match cancelled {
        Some(promise) => JsFuture::from(promise).map(|_| ()).boxed_local(),
        None => future::pending().boxed_local(),
    };
    let mut trace = crate::run(request, Rc::new(rt), env, pool, cancelled).await?;
    trace.env.hidden = watch.seen_hidden();
    Ok(trace)
}

/// `juggle.scenarios(sharedMemory)`: every scenario with its variants and parameters (defaults and
/// ranges); each variant says whether it can run on an engine whose threads do (`true`) or do not share
/// memory (`available`, `unavailable_reason`). Anything but `true` counts as `false`.
#[wasm_bindgen(unchecked_return_type = "CatalogEntry[]")]
pub fn scenarios(
    #[wasm_bindgen(unchecked_param_type = "boolean")] shared_memory: JsValue,
) -> Result<JsValue, JsValue> {
    to_js(&crate::catalog(shared_memory.as_bool() == Some(true)))
}

/// `juggle.run(id, params)`: runs a scenario and resolves to its trace; rejects with an `Error` carrying a
/// `code` (see `ErrorCode`) for bad input, a run already in progress, a pool failure, `cancelled` when
/// the `cancelled` promise resolves first, or `panicked`. `fault` (`"task"` or `"pool"`) makes the run
/// panic on purpose: only `www/juggle.js` on a page loaded for the tests passes it (see [`Fault`]).
#[wasm_bindgen(unchecked_return_type = "Promise<Trace>")]
pub fn run(
    #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, unknown> | undefined")] params: JsValue,
    engine: Option<JsEngine>,
    cancelled: Option<Promise>,
    #[wasm_bindgen(unchecked_param_type = "string | undefined")] fault: JsValue,
) -> Promise {
    executor::promise(catching("juggle.run", async move {
        let id = text_argument(&id, "a scenario id", "\"count\"").map_err(to_js_error)?;
        let raw = raw_params(&params).map_err(to_js_error)?;
        let fault = if fault.is_undefined() || fault.is_null() {
            None
        } else {
            let text = text_argument(&fault, "a fault", "\"task\"").map_err(to_js_error)?;
            Some(Fault::parse(&text).map_err(to_js_error)?)
        };
        let trace = run_scenario_with_fault(&id, &raw, engine, cancelled, fault)
            .await
            .map_err(to_js_error)?;
        to_js(&trace)
    }))
}

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

/// `juggle.reviewTrace(trace)`: a recorded trace (from a file or a link, already shape-checked by the page)
/// read strictly and judged again by the core's own definitions ([`crate::rejudge`]), so that the page shows
/// what its samples say, not what the file claims.
#[wasm_bindgen(js_name = reviewTrace, unchecked_return_type = "Trace")]
pub fn review_trace(
    #[wasm_bindgen(unchecked_param_type = "Trace")] trace: JsValue,
) -> Result<JsValue, JsValue> {
    let trace = trace_argument(trace).map_err(to_js_error)?;
    to_js(&crate::rejudge(trace))
}

/// `juggle.traceAt(trace, tMs)`: the run as it stood `tMs` after its start (spans in progress, lines printed
/// so far, heartbeats; see [`Trace::moment`]), for the page's replay cursor.
#[wasm_bindgen(js_name = traceAt, unchecked_return_type = "Moment")]
pub fn trace_at(
    #[wasm_bindgen(unchecked_param_type = "Trace")] trace: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] t_ms: JsValue,
) -> Result<JsValue, JsValue> {
    let t_ms = time_argument(&t_ms)?;
    let trace = trace_argument(trace).map_err(to_js_error)?;
    to_js(&trace.moment(t_ms))
}

/// A trace read once and kept in the core, for a replay cursor that asks for many instants of one run:
/// `juggle.replayOf(trace)` makes one, `at(tMs)` answers as [`trace_at`] does without reading the whole
/// trace again (at 10,000 spans, reading it costs far more than [`Trace::moment`]). The page frees it
/// (`free()`) when its replay is redrawn.
#[wasm_bindgen(js_name = TraceReplay)]
pub struct TraceReplay {
    trace: Trace,
}

#[wasm_bindgen(js_class = TraceReplay)]
impl TraceReplay {
    /// Reads `trace` as [`trace_at`] does (an `invalid-argument` error for anything else).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Trace")] trace: JsValue,
    ) -> Result<TraceReplay, JsValue> {
        Ok(TraceReplay {
            trace: trace_argument(trace).map_err(to_js_error)?,
        })
    }

    /// The run as it stood `tMs` after its start (see [`Trace::moment`]).
    #[wasm_bindgen(unchecked_return_type = "Moment")]
    pub fn at(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] t_ms: JsValue,
    ) -> Result<JsValue, JsValue> {
        to_js(&self.trace.moment(time_argument(&t_ms)?))
    }
}

/// Reads a `tMs` argument: a number of ms (not NaN), or an `invalid-argument` error.
fn time_argument(t_ms: &JsValue) -> Result<f64, JsValue> {
    t_ms.as_f64().filter(|t| !t.is_nan()).ok_or_else(|| {
        to_js_error(JuggleError::new(
            ErrorCode::InvalidArgument,
            format!("tMs must be a number of ms, got {}", type_of(t_ms)),
        ))
    })
}

/// `juggle.estimate(id, params, threads)`: about how long a run with these parameters takes at most, in
/// ms (the scenario's own estimate, the one the caps check), for the page's progress bar. Rejects bad input
/// as `run` does.
#[wasm_bindgen(js_name = estimateRun)]
pub fn estimate_run(
    #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, unknown> | undefined")] params: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] threads: JsValue,
) -> Result<f64, JsValue> {
    let id = text_argument(&id, "a scenario id", "\"count\"").map_err(to_js_error)?;
    let raw = raw_params(&params).map_err(to_js_error)?;
    let threads = threads
        .as_f64()
        .filter(|n| n.is_finite() && *n >= 1.0)
        .map_or(1, |n| n.min(1024.0) as u32);
    let request = crate::parse_request(crate::find_scenario(&id).map_err(to_js_error)?, &raw)
        .map_err(to_js_error)?;
    Ok(crate::estimate_ms(&request, threads))
}
