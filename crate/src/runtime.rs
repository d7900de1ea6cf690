//! What cooperative scenario code needs from the thread it runs on: a clock, timers, two kinds of yield and
//! a way to burn CPU.
//!
//! Scenario code is written once against [`Runtime`]. In the browser [`crate::web::WebRuntime`] implements it
//! with `performance.now()`, `setTimeout`, promise microtasks and `MessageChannel` hops; natively
//! [`crate::sim::SimRuntime`] implements it with virtual time, so the same code is tested deterministically.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::future::LocalBoxFuture;

/// The services of one event-loop thread.
pub trait Runtime {
    /// A monotonic clock in milliseconds. Only differences matter; the web runtime counts from the epoch so
    /// that clocks on different workers agree.
    fn now_ms(&self) -> f64;

    /// Completes after at least `ms` milliseconds, leaving the thread free meanwhile (a timer task).
    fn sleep(&self, ms: f64) -> LocalBoxFuture<'static, ()>;

    /// Steps aside through the microtask queue: other ready tasks run, but timers and rendering do not.
    /// The same on every runtime, a [`YieldNow`], returned as it is: a yield allocates nothing.
    fn yield_micro(&self) -> YieldNow {
        YieldNow::default()
    }

    /// Steps aside through the task (macrotask) queue: timers that are due, input and rendering may run.
    fn yield_macro(&self) -> LocalBoxFuture<'static, ()>;

    /// How [`Runtime::yield_macro`] yields here, for example `"MessageChannel"`.
    fn yield_macro_kind(&self) -> &'static str;

    /// Keeps the thread busy for `ms` milliseconds without yielding: real CPU work as far as the event loop
    /// is concerned.
    fn spin(&self, ms: f64) {
        let end = self.now_ms() + ms;
        while self.now_ms() < end {
            std::hint::spin_loop();
        }
    }
}

/// Where a cooperative task steps aside to when it yields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YieldTo {
    /// The microtask queue ([`Runtime::yield_micro`]): other ready tasks run, timers and rendering do not.
    Microtask,
    /// The task queue ([`Runtime::yield_macro`]): due timers, input and rendering may run too.
    Task,
}

/// A shared handle to the runtime of the current run.
pub type Rt = Rc<dyn Runtime>;

/// A future that is pending once, waking its task at once, then ready: it steps aside so that every other
/// task already woken runs first. On wasm-bindgen-futures' executor, which runs the tasks woken during a
/// tick on the next microtask tick, that is a yield through the microtask queue, at the cost of a wake
/// (no JS promise involved).
#[derive(Debug, Default)]
pub struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
