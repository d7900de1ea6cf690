//! The executor of the page's async exports (`run`, `benchCooperative`, `runSpawnedTask`): Rust tasks on
//! this thread's microtask queue, woken by promise reactions.
//!
//! wasm-bindgen-futures' executor (the one `#[wasm_bindgen] async fn` uses) schedules each tick with
//! `queueMicrotask`, which in Chromium is a call into the browser costing about 0.8 µs, as much as the rest
//! of a microtask yield together (issue #19). A reaction to an already resolved promise is queued by the JS
//! engine itself, in the same microtask queue, for a few tens of nanoseconds. Everything else is as there:
//! each tick runs the tasks woken before it started, and a task woken while the tick runs (a task that
//! yields) runs on the next one, after the other microtasks queued meanwhile: a yield yields.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::mem::ManuallyDrop;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, RawWaker, RawWakerVTable, Waker};

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// A promise that is already resolved.
    type Resolved;

    /// `resolved.then(callback)`, the promise it returns left in JS (nothing waits on it).
    #[wasm_bindgen(method, js_name = then)]
    fn then_call(this: &Resolved, callback: &Closure<dyn FnMut(JsValue)>);
}

/// A spawned future, whether it is queued to run, and how to reject its promise should it panic.
struct Task {
    future: RefCell<Option<Pin<Box<dyn Future<Output = ()>>>>>,
    queued: Cell<bool>,
    reject: RefCell<Option<Function>>,
}

/// The tasks waiting for the next tick, and the means of asking for one.
struct Queue {
    tasks: RefCell<VecDeque<Rc<Task>>>,
    /// Whether a tick is already on its way.
    scheduled: Cell<bool>,
    /// Each `then` on it queues a microtask.
    resolved: Resolved,
    tick: Closure<dyn FnMut(JsValue)>,
}

thread_local! {
    static QUEUE: Queue = Queue {
        tasks: RefCell::default(),
        scheduled: Cell::new(false),
        resolved: Promise::resolve(&JsValue::UNDEFINED).unchecked_into(),
        tick: Closure::new(|_| QUEUE.with(Queue::run_tick)),
    };
}

impl Queue {
    fn push(&self, task: Rc<Task>) {
        self.tasks.borrow_mut().push_back(task);
        if !self.scheduled.replace(true) {
            self.resolved.then_call(&self.tick);
        }
    }

    /// Runs the tasks queued before this tick; those woken meanwhile wait for the next.
    fn run_tick(&self) {
        self.scheduled.set(false);
        let due = self.tasks.borrow().len();
        for _ in 0..due {
            let Some(task) = self.tasks.borrow_mut().pop_front() else {
                break;
            };
            task.run();
        }
    }
}

impl Task {
    fn wake(self: Rc<Self>) {
        if !self.queued.replace(true) {
            QUEUE.with(|queue| queue.push(self));
        }
    }

    fn run(self: &Rc<Self>) {
        let mut slot = self.future.borrow_mut();
        let Some(future) = slot.as_mut() else {
            return;
        };
        self.queued.set(false);
        let waker = waker(Rc::clone(self));
        let mut cx = Context::from_waker(&waker);
        // The exports' futures turn their own panics into rejections (`catching`); one that escapes anyway
        // ends its task here, rather than unwinding into JS, and rejects its promise: a promise always
        // settles.
        match std::panic::catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(&mut cx))) {
            Ok(std::task::Poll::Pending) => {}
            Ok(std::task::Poll::Ready(())) => *slot = None,
            Err(payload) => {
                *slot = None;
                if let Some(reject) = self.reject.borrow_mut().take() {
                    let error = crate::panicked("an async export", payload.as_ref());
                    let _ = reject.call1(&JsValue::UNDEFINED, &super::engine::to_js_error(error));
                }
            }
        }
    }
}

/// A waker over the task's `Rc`: this build has no threads (no atomics), so the `Rc` is never shared
/// across one, whatever `Waker`'s `Send` says (wasm-bindgen-futures makes the same choice).
fn waker(task: Rc<Task>) -> Waker {
    unsafe fn clone(ptr: *const ()) -> RawWaker {
        // SAFETY: `ptr` came from `Rc::into_raw` and is still owned by the waker being cloned.
        let task = ManuallyDrop::new(unsafe { Rc::from_raw(ptr.cast::<Task>()) });
        raw(Rc::clone(&task))
    }
    unsafe fn wake(ptr: *const ()) {
        // SAFETY: as in `clone`; this waker's reference is consumed.
        unsafe { Rc::from_raw(ptr.cast::<Task>()) }.wake();
    }
    unsafe fn wake_by_ref(ptr: *const ()) {
        // SAFETY: as in `clone`; the waker keeps its reference.
        let task = ManuallyDrop::new(unsafe { Rc::from_raw(ptr.cast::<Task>()) });
        Rc::clone(&task).wake();
    }
    unsafe fn drop(ptr: *const ()) {
        // SAFETY: as in `clone`; this waker's reference is released.
        std::mem::drop(unsafe { Rc::from_raw(ptr.cast::<Task>()) });
    }
    static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake_by_ref, drop);
    fn raw(task: Rc<Task>) -> RawWaker {
        RawWaker::new(Rc::into_raw(task).cast::<()>(), &VTABLE)
    }
    // SAFETY: the vtable's functions keep the `Rc` counts right, and the task stays on this thread.
    unsafe { Waker::from_raw(raw(task)) }
}

/// Runs `work` as a task from the next microtask on, and returns a promise of its outcome, as an
/// `async fn` export would.
pub(crate) fn promise(work: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    let mut settle: Option<(Function, Function)> = None;
    let mut slot = AssertUnwindSafe(&mut settle);
    let promise = Promise::new(&mut move |resolve, reject| **slot = Some((resolve, reject)));
    let Some((resolve, reject)) = settle else {
        // The `Promise` constructor calls its executor at once.
        return promise;
    };
    let on_panic = reject.clone();
    let task = Rc::new(Task {
        reject: RefCell::new(Some(on_panic)),
        future: RefCell::new(Some(Box::pin(async move {
            let (settle, value) = match work.await {
                Ok(value) => (resolve, value),
                Err(error) => (reject, error),
            };
            let _ = settle.call1(&JsValue::UNDEFINED, &value);
        }))),
        queued: Cell::new(false),
    });
    task.wake();
    promise
}
