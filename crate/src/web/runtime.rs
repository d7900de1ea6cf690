//! The page's event loop as a [`Runtime`]: the shared clock, `setTimeout` as a future, `MessageChannel`
//! hops, the hidden-tab watch and where a run runs ([`env`]).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::task::{Poll, Waker};

use futures::future::{FutureExt, LocalBoxFuture};
use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::Runtime;
#[cfg(all(not(target_feature = "atomics"), feature = "page"))]
use {super::engine::JsEngine, crate::Env};

/// A global of this page or worker, `undefined` if it is missing or its getter throws.
pub(crate) fn global_get(name: &str) -> JsValue {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

thread_local! {
    static PERFORMANCE: web_sys::Performance = global_get("performance").unchecked_into();
}

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

/// Where this page runs: cores, isolation, and the pool if there is one.
#[cfg(all(not(target_feature = "atomics"), feature = "page"))]
pub(crate) fn env(rt: &WebRuntime, engine: Option<&JsEngine>) -> Env {
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
        python: None,
        python_load_ms: None,
    }
}

/// Watches, for as long as it lives, whether the page is hidden at any moment (a `visibilitychange` to
/// hidden, or hidden from the start). Does nothing where there is no document (a worker).
#[cfg(all(not(target_feature = "atomics"), feature = "page"))]
pub(crate) struct HiddenWatch {
    seen: Rc<Cell<bool>>,
    listening: Option<(web_sys::Document, Closure<dyn FnMut()>)>,
}

#[cfg(all(not(target_feature = "atomics"), feature = "page"))]
impl HiddenWatch {
    pub(crate) fn start() -> Self {
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

    pub(crate) fn seen_hidden(&self) -> bool {
        self.seen.get()
    }
}

#[cfg(all(not(target_feature = "atomics"), feature = "page"))]
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
