//! The engine bridge: [`JsEngine`] is the page's engine object (`www/engine.js`: the engine worker with
//! shared memory, or message-passing workers), and [`EnginePool`] the [`Pool`] over it. Which job goes
//! where (whole, or split, rotated and merged) is decided by the native [`Dispatch`].

use futures::future::{FutureExt, LocalBoxFuture};
use js_sys::{Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::{
    Dispatch, Engine, ErrorCode, JuggleError, Pool, PoolJob, PoolReport, PoolStart, SpawnedReport,
    SpawnedTask,
};

/// The engine mode whose threads share memory.
const SHARED_MEMORY: &str = "shared-memory";

#[wasm_bindgen]
extern "C" {
    /// The page's handle on the engine worker (`www/engine.js`): it owns the rayon pool.
    pub type JsEngine;

    /// Threads in the engine's pool.
    #[wasm_bindgen(method, getter)]
    pub(crate) fn threads(this: &JsEngine) -> u32;

    /// `"shared-memory"` (rayon over shared memory) or `"message-passing"` (workers that only post messages).
    #[wasm_bindgen(method, getter)]
    pub(crate) fn mode(this: &JsEngine) -> String;

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

    /// Starts a Web Worker for one task; the promise resolves to its report (spans, memory).
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
pub struct EnginePool {
    engine: JsEngine,
    dispatch: Dispatch,
}

impl EnginePool {
    /// The pool over `engine`.
    pub fn new(engine: JsEngine) -> Self {
        EnginePool {
            engine,
            dispatch: Dispatch::new(),
        }
    }
}

impl Engine for JsEngine {
    fn threads(&self) -> u32 {
        JsEngine::threads(self)
    }

    fn shared_memory(&self) -> bool {
        self.mode() == SHARED_MEMORY
    }

    fn post(&self, job: PoolJob) -> LocalBoxFuture<'static, Result<PoolReport, JuggleError>> {
        reply("failed", to_js(&job).and_then(|job| self.run(job)))
    }

    fn post_to(
        &self,
        worker: u32,
        part: PoolJob,
    ) -> LocalBoxFuture<'static, Result<PoolReport, JuggleError>> {
        reply(
            "failed",
            to_js(&part).and_then(|part| self.run_on(worker, part)),
        )
    }
}

impl Pool for EnginePool {
    fn threads(&self) -> u32 {
        self.engine.threads()
    }

    fn shared_memory(&self) -> bool {
        Engine::shared_memory(&self.engine)
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
    ) -> LocalBoxFuture<'static, Result<SpawnedReport, JuggleError>> {
        reply(
            "could not run a spawned worker",
            to_js(&task).and_then(|task| self.engine.spawn_worker(task)),
        )
    }

    fn run(&self, job: PoolJob) -> LocalBoxFuture<'static, Result<PoolReport, JuggleError>> {
        self.dispatch.run(&self.engine, job)
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
pub(crate) fn reply<T: serde::de::DeserializeOwned + 'static>(
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

pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(Into::into)
}

/// Turns a [`JuggleError`] into a JS `Error` whose `code` property holds the stable code.
pub(crate) fn to_js_error(error: JuggleError) -> JsValue {
    let js = js_sys::Error::new(&error.message);
    let _ = Reflect::set(&js, &"code".into(), &error.code.as_str().into());
    js.into()
}

/// Awaits an export's work, turning a panic inside it into a rejection with the code `panicked` that says
/// `what` panicked (see [`crate::fault`]): the export's promise settles and this instance stays usable.
/// Every async export goes through here; wasm-bindgen also needs the future it turns into a promise to be
/// unwind-safe, which this is. Asserting unwind safety is sound: after a panic the work's future is
/// dropped whole and nothing of it is used again.
pub(crate) fn catching<T>(
    what: &'static str,
    work: impl std::future::Future<Output = Result<T, JsValue>>,
) -> impl std::future::Future<Output = Result<T, JsValue>> {
    crate::install_hook();
    std::panic::AssertUnwindSafe(work)
        .catch_unwind()
        .map(move |caught| {
            caught
                .unwrap_or_else(|payload| Err(to_js_error(crate::panicked(what, payload.as_ref()))))
        })
}
