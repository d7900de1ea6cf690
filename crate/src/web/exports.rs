//! The `#[wasm_bindgen]` functions the page calls on every visit (`www/pkg-st`, the `page` feature): thin,
//! each reading its JS arguments with [`super::args`] and handing over to the core.
//!
//! Exports (JS names): `scenarios(sharedMemory)`, `run(id, params, engine, cancelled, fault)`,
//! `traceAt(trace, tMs)`, the `TraceReplay` class (`new TraceReplay(trace)`, `at(tMs)`),
//! `reviewTrace(trace)` and `estimateRun(id, params, threads)`. The rest, needed now and then, are in
//! [`super::on_demand`].

use std::rc::Rc;

use futures::future::{self, FutureExt};
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::{Busy, Fault, JuggleError, Pool, RawValue, Trace};

use super::args::{raw_params, text_argument, time_argument, trace_argument};
use super::engine::{catching, to_js, to_js_error, EnginePool, JsEngine};
use super::executor;
use super::runtime::{env, HiddenWatch, WebRuntime};

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

/// `juggle.traceLimits()`: the limits on a trace from outside ([`crate::TRACE_LIMITS`]), for the guards the
/// page runs before it reads a file or parses its text (its size, its nesting).
#[wasm_bindgen(js_name = traceLimits, unchecked_return_type = "TraceLimits")]
pub fn trace_limits() -> Result<JsValue, JsValue> {
    to_js(&crate::TRACE_LIMITS)
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
