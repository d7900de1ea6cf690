//! The browser layer: the only module that touches web-sys. It implements [`Runtime`] on the page's event
//! loop, bridges [`Pool`] to the engine worker, and exports the functions `www/` calls.
//!
//! It is built twice. The page's main thread loads the build without atomics (`www/pkg-st`): there
//! wasm-bindgen-futures wakes Rust tasks through the microtask queue, as the lessons need. The engine worker
//! loads the threaded build (`www/pkg`), which adds the pool: there a wake goes through `Atomics.waitAsync`,
//! a task, which is fine off the main thread.
//!
//! Exports (JS names): `scenarios()`, `run(id, params, engine, cancelled, fault)`, `exportTrace(trace, format)`,
//! `traceAt(trace, tMs)`, `estimateRun(id, params, threads)`, `benchCooperative(count)` and
//! `runSpawnedTask(task, createdMs)`; in the threaded build also
//! `executePoolJob(job)` (inside the engine worker) and `initThreadPool(n)` from wasm-bindgen-rayon; in the
//! single-threaded build `executePoolJobHere(job)` (inside a message-passing worker).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::task::{Poll, Waker};

use futures::future::{self, FutureExt, LocalBoxFuture};
use js_sys::{Object, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::catalog;
use crate::error::{ErrorCode, JuggleError};
use crate::fault::{self, Fault};
use crate::params::{self, RawValue};
use crate::pool::{self, Pool, PoolJob, PoolReport, PoolStart};
use crate::runner;
use crate::runtime::{Runtime, YieldNow};
use crate::spawned::{self, SpawnedTask};
use crate::trace::{Env, Span, Trace};

#[cfg(target_feature = "atomics")]
pub use wasm_bindgen_rayon::init_thread_pool;

fn global_get(name: &str) -> JsValue {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

thread_local! {
    static PERFORMANCE: web_sys::Performance = global_get("performance").unchecked_into();
    static RUNNING: Cell<bool> = const { Cell::new(false) };
}

/// The engine mode whose threads share memory.
const SHARED_MEMORY: &str = "shared-memory";

/// Milliseconds since the Unix epoch at sub-millisecond resolution: `performance.timeOrigin + now()`. Every
/// worker has its own `performance.now()` origin; this sum is the clock they all share.
pub fn epoch_ms() -> f64 {
    PERFORMANCE.with(|p| p.time_origin() + p.now())
}

/// The page's event loop as a [`Runtime`]: timers are `setTimeout`, micro yields wake the task for the
/// executor's next microtask tick, macro yields are a `MessageChannel` hop: a plain task, queued fairly
/// with timers.
///
/// Not `scheduler.yield()`: its continuation outranks timers, and measured in Chromium 156 (ten tasks
/// yielding every 5 ms for 1 s) a 10 ms timer never ran at all, where a `MessageChannel` hop let it run
/// every 100 ms or better. The lessons' health check is a timer, so the fair hop is the one that teaches.
#[derive(Default)]
pub struct WebRuntime;

impl Runtime for WebRuntime {
    fn now_ms(&self) -> f64 {
        epoch_ms()
    }

    fn sleep(&self, ms: f64) -> LocalBoxFuture<'static, ()> {
        // The timer is set here, at call time, like `setTimeout`; dropping the future clears it.
        let delay = ms.max(0.0).ceil().min(f64::from(i32::MAX)) as i32;
        Timeout::new(delay).boxed_local()
    }

    fn yield_micro(&self) -> LocalBoxFuture<'static, ()> {
        YieldNow::default().boxed_local()
    }

    fn yield_macro(&self) -> LocalBoxFuture<'static, ()> {
        HOPS.with(|hops| match hops {
            Some(hops) => hops.hop().boxed_local(),
            // No MessageChannel here: a zero-delay timer is a task too.
            None => self.sleep(0.0),
        })
    }

    fn yield_macro_kind(&self) -> &'static str {
        "MessageChannel"
    }
}

thread_local! {
    static HOPS: Option<Hops> = Hops::new();
}

/// One `MessageChannel` for every macrotask hop on this thread: a hop posts a message through it and is
/// done when the message is delivered, as a task of its own. Messages arrive in the order they were
/// posted, so each delivery completes the oldest waiting hop. (Reusing the channel halves the hop's cost
/// against a fresh channel per hop; see the benchmark.)
struct Hops {
    sender: web_sys::MessagePort,
    _receiver: web_sys::MessagePort,
    waiting: Rc<RefCell<VecDeque<Rc<HopState>>>>,
    _deliver: Closure<dyn FnMut()>,
}

/// What a waiting future and the callback that completes it share (a hop and its delivery, a timer and
/// its expiry).
#[derive(Default)]
struct HopState {
    delivered: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

impl Hops {
    fn new() -> Option<Hops> {
        let channel = web_sys::MessageChannel::new().ok()?;
        let waiting: Rc<RefCell<VecDeque<Rc<HopState>>>> = Rc::default();
        // Unwind-safe: it only pops a queue and wakes a task (a panic there would leave nothing half-done).
        let deliver = Closure::<dyn FnMut()>::own_assert_unwind_safe({
            let waiting = Rc::clone(&waiting);
            move || {
                if let Some(hop) = waiting.borrow_mut().pop_front() {
                    hop.delivered.set(true);
                    if let Some(waker) = hop.waker.take() {
                        waker.wake();
                    }
                }
            }
        });
        channel
            .port1()
            .set_onmessage(Some(deliver.as_ref().unchecked_ref()));
        Some(Hops {
            sender: channel.port2(),
            _receiver: channel.port1(),
            waiting,
            _deliver: deliver,
        })
    }

    /// Posts one message and resolves when it has been delivered.
    fn hop(&self) -> impl std::future::Future<Output = ()> + 'static {
        let state = Rc::new(HopState::default());
        self.waiting.borrow_mut().push_back(Rc::clone(&state));
        if self.sender.post_message(&JsValue::NULL).is_err() {
            // Nothing will be delivered for it: do not wait.
            self.waiting.borrow_mut().pop_back();
            state.delivered.set(true);
        }
        std::future::poll_fn(move |cx| {
            if state.delivered.get() {
                Poll::Ready(())
            } else {
                *state.waker.borrow_mut() = Some(cx.waker().clone());
                Poll::Pending
            }
        })
    }
}

#[wasm_bindgen]
extern "C" {
    /// The global `setTimeout` (a page's or a worker's); returns the timer's id.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> JsValue;

    /// The global `clearTimeout`.
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// `setTimeout` as a future: the timer is set when the future is made and cleared if it is dropped before
/// it fires. (Hand-written rather than gloo-timers, whose closures do not build with `panic=unwind`.)
struct Timeout {
    id: JsValue,
    state: Rc<HopState>,
    _expire: Closure<dyn FnMut()>,
}

impl Timeout {
    fn new(ms: i32) -> Self {
        let state = Rc::new(HopState::default());
        // Unwind-safe: it only sets a flag and wakes a task.
        let expire = Closure::<dyn FnMut()>::own_assert_unwind_safe({
            let state = Rc::clone(&state);
            move || {
                state.delivered.set(true);
                if let Some(waker) = state.waker.take() {
                    waker.wake();
                }
            }
        });
        let id = set_timeout(expire.as_ref().unchecked_ref(), ms);
        Timeout {
            id,
            state,
            _expire: expire,
        }
    }
}

impl std::future::Future for Timeout {
    type Output = ();

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<()> {
        if self.state.delivered.get() {
            Poll::Ready(())
        } else {
            *self.state.waker.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        if !self.state.delivered.get() {
            clear_timeout(&self.id);
        }
    }
}

#[wasm_bindgen]
extern "C" {
    /// The page's handle on the engine worker (`www/engine.js`): it owns the rayon pool.
    pub type JsEngine;

    /// Threads in the engine's pool.
    #[wasm_bindgen(method, getter)]
    fn threads(this: &JsEngine) -> u32;

    /// `"shared-memory"` (rayon over shared memory) or `"message-passing"` (workers that only post messages).
    #[wasm_bindgen(method, getter)]
    fn mode(this: &JsEngine) -> String;

    /// Message-passing engines only: runs a job on worker `index`; the promise resolves to its report.
    #[wasm_bindgen(method, catch, js_name = runOn)]
    fn run_on(this: &JsEngine, index: u32, job: JsValue) -> Result<Promise, JsValue>;

    /// How long the pool took to start, in ms (NaN until it has started).
    #[wasm_bindgen(method, getter, js_name = poolInitMs)]
    fn pool_init_ms(this: &JsEngine) -> f64;

    /// Starts the engine worker and its pool unless started; the promise resolves to `{ start_ms, end_ms }`
    /// (epoch ms) for the call that started it, and to `null` afterwards.
    #[wasm_bindgen(method, catch)]
    fn start(this: &JsEngine) -> Result<Promise, JsValue>;

    /// Stops the jobs of a cancelled run.
    #[wasm_bindgen(method)]
    fn cancel(this: &JsEngine);

    /// Starts a Web Worker for one task; the promise resolves to the spans it recorded.
    #[wasm_bindgen(method, catch, js_name = spawnWorker)]
    fn spawn_worker(this: &JsEngine, task: JsValue) -> Result<Promise, JsValue>;

    /// Posts a job to the engine; the promise resolves to its report.
    #[wasm_bindgen(method, catch)]
    fn run(this: &JsEngine, job: JsValue) -> Result<Promise, JsValue>;

    /// Posts a job and spins until the engine has finished it; the promise then resolves to its report.
    #[wasm_bindgen(method, catch, js_name = runBlocking)]
    fn run_blocking(this: &JsEngine, job: JsValue) -> Result<Promise, JsValue>;
}

/// [`Pool`] over the engine worker: jobs go out and reports come back as plain data, by `postMessage`.
struct EnginePool {
    engine: JsEngine,
    /// Message-passing only: the worker that gets the first part of the next job. It moves on by one per
    /// job, so that one-part jobs posted one after another (a parse per downloaded page) spread out.
    next_hand: Cell<u32>,
}

impl Pool for EnginePool {
    fn threads(&self) -> u32 {
        self.engine.threads()
    }

    fn shared_memory(&self) -> bool {
        self.engine.mode() == SHARED_MEMORY
    }

    fn cancel(&self) {
        self.engine.cancel();
    }

    fn start(&self) -> LocalBoxFuture<'static, Result<Option<PoolStart>, JuggleError>> {
        reply("did not start", self.engine.start())
    }

    fn init_ms(&self) -> Option<f64> {
        Some(self.engine.pool_init_ms()).filter(|ms| ms.is_finite())
    }

    fn spawn_worker(
        &self,
        task: SpawnedTask,
    ) -> LocalBoxFuture<'static, Result<Vec<Span>, JuggleError>> {
        reply(
            "could not run a spawned worker",
            to_js(&task).and_then(|task| self.engine.spawn_worker(task)),
        )
    }

    fn run(&self, job: PoolJob) -> LocalBoxFuture<'static, Result<PoolReport, JuggleError>> {
        if self.shared_memory() {
            return reply("failed", to_js(&job).and_then(|job| self.engine.run(job)));
        }
        // Message-passing workers: split the job, run one part per worker, merge the reports.
        let parts = match pool::split(&job, self.threads()) {
            Ok(parts) => parts,
            Err(error) => return future::ready(Err(error)).boxed_local(),
        };
        let workers = self.threads().max(1);
        let first = self.next_hand.replace((self.next_hand.get() + 1) % workers);
        let runs: Vec<_> = parts
            .iter()
            .enumerate()
            .map(|(part_index, part)| {
                let worker = (first + part_index as u32) % workers;
                let sent = to_js(part).and_then(|part| self.engine.run_on(worker, part));
                reply::<PoolReport>("failed", sent).map(move |report| {
                    report.map(|report| pool::on_worker_lane(report, worker as usize))
                })
            })
            .collect();
        async move { Ok(pool::merge(&job, future::try_join_all(runs).await?)) }.boxed_local()
    }

    fn run_blocking(
        &self,
        job: PoolJob,
    ) -> LocalBoxFuture<'static, Result<PoolReport, JuggleError>> {
        reply(
            "failed",
            to_js(&job).and_then(|job| self.engine.run_blocking(job)),
        )
    }
}

/// Awaits the engine's reply to a request and parses it as a `T`; a refusal, a rejection or a reply that
/// does not parse becomes a `pool-failed` error saying what the pool `failed_to` do.
fn reply<T: serde::de::DeserializeOwned + 'static>(
    failed_to: &'static str,
    sent: Result<Promise, JsValue>,
) -> LocalBoxFuture<'static, Result<T, JuggleError>> {
    let failed = move |error: JsValue| {
        let detail = error
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| error.as_string())
            .unwrap_or_else(|| format!("{error:?}"));
        // A job that panicked in a worker keeps its code (the worker caught the panic; see `catching`).
        let code = Reflect::get(&error, &"code".into()).ok();
        if code.and_then(|code| code.as_string()).as_deref() == Some(ErrorCode::Panicked.as_str()) {
            return JuggleError::new(ErrorCode::Panicked, detail);
        }
        JuggleError::new(
            ErrorCode::PoolFailed,
            format!("the worker pool {failed_to}: {detail}"),
        )
    };
    async move {
        let reply = JsFuture::from(sent.map_err(failed)?)
            .await
            .map_err(failed)?;
        serde_wasm_bindgen::from_value(reply).map_err(|e| failed(e.into()))
    }
    .boxed_local()
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(Into::into)
}

/// Turns a [`JuggleError`] into a JS `Error` whose `code` property holds the stable code.
fn to_js_error(error: JuggleError) -> JsValue {
    let js = js_sys::Error::new(&error.message);
    let _ = Reflect::set(&js, &"code".into(), &error.code.as_str().into());
    js.into()
}

/// Awaits an export's work, turning a panic inside it into a rejection with the code `panicked` that says
/// `what` panicked (see [`crate::fault`]): the export's promise settles and this instance stays usable.
/// Every async export goes through here; wasm-bindgen also needs the future it turns into a promise to be
/// unwind-safe, which this is. Asserting unwind safety is sound: after a panic the work's future is
/// dropped whole and nothing of it is used again.
fn catching<T>(
    what: &'static str,
    work: impl std::future::Future<Output = Result<T, JsValue>>,
) -> impl std::future::Future<Output = Result<T, JsValue>> {
    panic::install_hook();
    std::panic::AssertUnwindSafe(work)
        .catch_unwind()
        .map(move |caught| {
            caught
                .unwrap_or_else(|payload| Err(to_js_error(panic::panicked(what, payload.as_ref()))))
        })
}

/// Reads a JS params object (`undefined` and `null` mean none) into raw key/value pairs.
fn raw_params(params: &JsValue) -> Result<Vec<(String, RawValue)>, JuggleError> {
    if params.is_undefined() || params.is_null() {
        return Ok(Vec::new());
    }
    if !params.is_object() || js_sys::Array::is_array(params) {
        return Err(JuggleError::new(
            ErrorCode::InvalidParameter,
            "params must be an object such as { variant: \"async\", tasks: 3 }",
        ));
    }
    let entries = Object::entries(params.unchecked_ref());
    Ok(entries
        .iter()
        .map(|entry| {
            let pair: js_sys::Array = entry.unchecked_into();
            let key = pair.get(0).as_string().unwrap_or_default();
            let value = pair.get(1);
            let raw = if let Some(n) = value.as_f64() {
                RawValue::Number(n)
            } else if let Some(text) = value.as_string() {
                RawValue::Text(text)
            } else {
                RawValue::Other(format!(
                    "a value of type {}",
                    value.js_typeof().as_string().unwrap_or_default()
                ))
            };
            (key, raw)
        })
        .collect())
}

/// Where this page runs: cores, isolation, and the pool if there is one.
fn env(rt: &WebRuntime, engine: Option<&JsEngine>) -> Env {
    let navigator = global_get("navigator");
    let cores = Reflect::get(&navigator, &"hardwareConcurrency".into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(1.0) as u32;
    Env {
        cores,
        threads: engine.map_or(0, JsEngine::threads),
        isolated: global_get("crossOriginIsolated").as_bool().unwrap_or(false),
        mode: engine.map_or_else(|| "main-only".to_string(), JsEngine::mode),
        yield_macro: rt.yield_macro_kind().to_string(),
        // Filled in by the runner once the run has (perhaps) started the pool.
        pool_init_ms: None,
        // Filled in when the run ends.
        hidden: false,
    }
}

/// Clears the busy flag when a run ends, however it ends.
struct RunningGuard;

impl RunningGuard {
    fn acquire() -> Result<Self, JuggleError> {
        if RUNNING.with(|running| running.replace(true)) {
            return Err(JuggleError::new(
                ErrorCode::Busy,
                "a run is already in progress; wait for it to finish before starting another",
            ));
        }
        Ok(RunningGuard)
    }
}

impl Drop for RunningGuard {
    fn drop(&mut self) {
        RUNNING.with(|running| running.set(false));
    }
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

/// [`run_scenario`], with a panic caused on purpose if `fault` says so (tests only; see [`crate::fault`]).
async fn run_scenario_with_fault(
    id: &str,
    raw: &[(String, RawValue)],
    engine: Option<JsEngine>,
    cancelled: Option<Promise>,
    fault: Option<Fault>,
) -> Result<Trace, JuggleError> {
    let mut request = params::parse(catalog::find(id)?, raw)?;
    request.fault = fault;
    let _running = RunningGuard::acquire()?;
    let rt = WebRuntime;
    let env = env(&rt, engine.as_ref());
    let pool = engine.map(|engine| {
        Rc::new(EnginePool {
            engine,
            next_hand: Cell::new(0),
        }) as Rc<dyn Pool>
    });
    let watch = HiddenWatch::start();
    let cancelled = match cancelled {
        Some(promise) => JsFuture::from(promise).map(|_| ()).boxed_local(),
        None => future::pending().boxed_local(),
    };
    let mut trace = runner::run(request, Rc::new(rt), env, pool, cancelled).await?;
    trace.env.hidden = watch.seen_hidden();
    Ok(trace)
}

/// Watches, for as long as it lives, whether the page is hidden at any moment (a `visibilitychange` to
/// hidden, or hidden from the start). Does nothing where there is no document (a worker).
struct HiddenWatch {
    seen: Rc<Cell<bool>>,
    listening: Option<(web_sys::Document, Closure<dyn FnMut()>)>,
}

impl HiddenWatch {
    fn start() -> Self {
        let seen = Rc::new(Cell::new(false));
        let Some(document) = global_get("document").dyn_into::<web_sys::Document>().ok() else {
            return HiddenWatch {
                seen,
                listening: None,
            };
        };
        seen.set(document.hidden());
        // Unwind-safe: it only sets a flag.
        let on_change = Closure::<dyn FnMut()>::own_assert_unwind_safe({
            let (seen, document) = (Rc::clone(&seen), document.clone());
            move || {
                if document.hidden() {
                    seen.set(true);
                }
            }
        });
        let _ = document.add_event_listener_with_callback(
            "visibilitychange",
            on_change.as_ref().unchecked_ref(),
        );
        HiddenWatch {
            seen,
            listening: Some((document, on_change)),
        }
    }

    fn seen_hidden(&self) -> bool {
        self.seen.get()
    }
}

impl Drop for HiddenWatch {
    fn drop(&mut self) {
        if let Some((document, on_change)) = &self.listening {
            let _ = document.remove_event_listener_with_callback(
                "visibilitychange",
                on_change.as_ref().unchecked_ref(),
            );
        }
    }
}

/// `juggle.scenarios()`: every scenario with its variants and parameters (defaults and ranges).
#[wasm_bindgen]
pub fn scenarios() -> Result<JsValue, JsValue> {
    to_js(&catalog::entries())
}

/// `juggle.run(id, params)`: runs a scenario and resolves to its trace; rejects with an `Error` carrying a
/// `code` (see `ErrorCode`) for bad input, a run already in progress, a pool failure, `cancelled` when
/// the `cancelled` promise resolves first, or `panicked`. `fault` (`"task"` or `"pool"`) makes the run
/// panic on purpose: only `www/juggle.js` on a page loaded for the tests passes it (see [`crate::fault`]).
#[wasm_bindgen]
pub async fn run(
    id: String,
    params: JsValue,
    engine: Option<JsEngine>,
    cancelled: Option<Promise>,
    fault: Option<String>,
) -> Result<JsValue, JsValue> {
    catching("juggle.run", async move {
        let raw = raw_params(&params).map_err(to_js_error)?;
        let fault = fault
            .as_deref()
            .map(Fault::parse)
            .transpose()
            .map_err(to_js_error)?;
        let trace = run_scenario_with_fault(&id, &raw, engine, cancelled, fault)
            .await
            .map_err(to_js_error)?;
        to_js(&trace)
    })
    .await
}

/// Runs a pool job on this instance's rayon pool; the promise resolves to its report. Called inside the
/// engine worker: the job is spawned onto the pool and the worker's event loop stays free, so jobs posted
/// together (one per downloaded page in `scraper/hybrid`) run at the same time.
#[cfg(target_feature = "atomics")]
#[wasm_bindgen(js_name = executePoolJob)]
pub async fn execute_pool_job(job: JsValue) -> Result<JsValue, JsValue> {
    panic::install_hook();
    let job: PoolJob = serde_wasm_bindgen::from_value(job)?;
    let (done, report) = futures::channel::oneshot::channel();
    rayon::spawn(move || {
        // A panic on any of the job's threads comes back here (rayon carries it to the thread that waits
        // for the job's parts); uncaught, it would abort the pool. The job's state is its own: unwind-safe.
        let report = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool::execute(&job, &epoch_ms)
        }))
        .map_err(|payload| panic::panicked("a pool job", payload.as_ref()));
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

/// For `npm run bench`: the cooperative micro-benchmarks ([`crate::bench::cooperative`]) on this page's
/// event loop, over `count` tasks, yields and hops.
#[wasm_bindgen(js_name = benchCooperative)]
pub async fn bench_cooperative(count: u32) -> Result<JsValue, JsValue> {
    catching("the benchmark", async move {
        to_js(&crate::bench::cooperative(&WebRuntime, count).await)
    })
    .await
}

/// `juggle.exportTrace(trace, format)`: a trace as text, `format` being `"json"` (the trace format itself),
/// `"csv"` or `"chrome"` (Chrome's Trace Event Format, for Perfetto UI and `chrome://tracing`).
#[wasm_bindgen(js_name = exportTrace)]
pub fn export_trace(trace: JsValue, format: &str) -> Result<String, JsValue> {
    let trace: Trace = serde_wasm_bindgen::from_value(trace).map_err(|e| {
        to_js_error(JuggleError::new(
            ErrorCode::InvalidParameter,
            format!("not a Juggle trace: {e}"),
        ))
    })?;
    let pretty =
        |value: &serde_json::Value| serde_json::to_string_pretty(value).unwrap_or_default();
    match format {
        "json" => Ok(serde_json::to_string_pretty(&trace).unwrap_or_default()),
        "csv" => Ok(crate::export::csv(&trace)),
        "chrome" => Ok(pretty(&crate::export::chrome_trace(&trace))),
        other => Err(to_js_error(JuggleError::new(
            ErrorCode::InvalidParameter,
            format!(
                "unknown export format \"{}\"; allowed: json, csv, chrome",
                other.chars().take(20).collect::<String>()
            ),
        ))),
    }
}

/// Inside the engine worker: stops the jobs running on this instance's pool (see [`pool::cancel_all`]).
#[cfg(target_feature = "atomics")]
#[wasm_bindgen(js_name = cancelPoolJobs)]
pub fn cancel_pool_jobs() {
    pool::cancel_all();
}

/// Runs a pool job (or a part of one, see [`pool::split`]) on this thread and returns its report. Called
/// inside a message-passing worker, which has no pool: rayon runs everything on the current thread there.
#[cfg(not(target_feature = "atomics"))]
#[wasm_bindgen(js_name = executePoolJobHere)]
pub fn execute_pool_job_here(job: JsValue) -> Result<JsValue, JsValue> {
    panic::install_hook();
    let job: PoolJob = serde_wasm_bindgen::from_value(job)?;
    // As in `execute_pool_job`: a panic becomes a `panicked` error and this worker stays usable.
    let report = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pool::execute(&job, &epoch_ms)
    }))
    .map_err(|payload| to_js_error(panic::panicked("a pool job", payload.as_ref())))?;
    to_js(&report)
}

/// Runs one [`SpawnedTask`] inside a Web Worker started for it; `created_ms` is when the page created that
/// worker (epoch ms). Resolves to the task's spans, its start-up first.
#[wasm_bindgen(js_name = runSpawnedTask)]
pub async fn run_spawned_task(task: JsValue, created_ms: f64) -> Result<JsValue, JsValue> {
    catching("a spawned worker's task", async move {
        let task: SpawnedTask = serde_wasm_bindgen::from_value(task)?;
        to_js(&spawned::run(&WebRuntime, &task, created_ms).await)
    })
    .await
}

/// `juggle.traceAt(trace, tMs)`: the run as it stood `tMs` after its start (spans in progress, lines printed
/// so far, heartbeats; see [`Trace::moment`]), for the page's replay cursor.
#[wasm_bindgen(js_name = traceAt)]
pub fn trace_at(trace: JsValue, t_ms: f64) -> Result<JsValue, JsValue> {
    let trace: Trace = serde_wasm_bindgen::from_value(trace).map_err(|e| {
        to_js_error(JuggleError::new(
            ErrorCode::InvalidParameter,
            format!("not a Juggle trace: {e}"),
        ))
    })?;
    to_js(&trace.moment(t_ms))
}

/// `juggle.estimate(id, params, threads)`: about how long a run with these parameters takes at most, in
/// ms (the scenario's own estimate, the one the caps check), for the page's progress bar. Rejects bad input
/// as `run` does.
#[wasm_bindgen(js_name = estimateRun)]
pub fn estimate_run(id: &str, params: JsValue, threads: u32) -> Result<f64, JsValue> {
    let raw = raw_params(&params).map_err(to_js_error)?;
    let request =
        params::parse(catalog::find(id).map_err(to_js_error)?, &raw).map_err(to_js_error)?;
    Ok(crate::caps::estimate_ms(&request, threads.max(1)))
}
