//! A deterministic model of the browser's event loop, with virtual time, for native tests.
//!
//! It follows the HTML event loop's rules that the lessons rely on: ready futures run until none is left
//! (a microtask checkpoint) before any task is taken from the task queue; timers and macrotask yields are
//! tasks, taken in the order they became ready; [`Runtime::spin`] advances the clock without letting
//! anything else run. Nothing here measures real time: it exists so that scenario logic (orders, overlaps,
//! lost updates) is checked natively and exactly. Real timings come only from the browser.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use futures::executor::LocalPool;
use futures::future::LocalBoxFuture;
use futures::task::LocalSpawnExt;

use crate::runtime::Runtime;

/// What a queued task and the future waiting on it share.
#[derive(Default)]
struct Slot {
    fired: bool,
    waker: Option<Waker>,
}

/// A queued task: it becomes ready at `ready_ms`; ties go in queueing order.
struct Queued {
    ready_ms: f64,
    seq: u64,
    slot: Rc<RefCell<Slot>>,
}

impl PartialEq for Queued {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}
impl Eq for Queued {}
impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Queued {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.ready_ms
            .total_cmp(&other.ready_ms)
            .then(self.seq.cmp(&other.seq))
    }
}

#[derive(Default)]
struct State {
    now_ms: f64,
    seq: u64,
    queue: BinaryHeap<Reverse<Queued>>,
}

/// The simulated event loop's runtime. Cheap to clone; clones share the clock and the queue.
#[derive(Clone, Default)]
pub struct SimRuntime {
    state: Rc<RefCell<State>>,
}

impl SimRuntime {
    /// A new event loop at virtual time 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `future` to completion on the simulated loop and returns its output.
    ///
    /// # Panics
    /// If the future waits on something that can never happen (the loop has nothing left to run).
    pub fn block_on<T: 'static>(&self, future: impl Future<Output = T> + 'static) -> T {
        let mut pool = LocalPool::new();
        let output = Rc::new(RefCell::new(None));
        let slot = Rc::clone(&output);
        pool.spawner()
            .spawn_local(async move {
                *slot.borrow_mut() = Some(future.await);
            })
            .expect("the local pool accepts tasks");
        loop {
            // Microtask checkpoint: run everything that is ready.
            pool.run_until_stalled();
            if let Some(value) = output.borrow_mut().take() {
                return value;
            }
            // Then take the next task: the earliest ready timer or macrotask yield.
            let next = self.state.borrow_mut().queue.pop();
            let Some(Reverse(task)) = next else {
                panic!(
                    "simulated event loop stalled: the run waits on something that never happens"
                );
            };
            {
                let mut state = self.state.borrow_mut();
                state.now_ms = state.now_ms.max(task.ready_ms);
            }
            let waker = {
                let mut slot = task.slot.borrow_mut();
                slot.fired = true;
                slot.waker.take()
            };
            if let Some(waker) = waker {
                waker.wake();
            }
        }
    }

    /// Queues a task `delay_ms` from now, at once (as `setTimeout` does when called), and returns the
    /// future that completes when the loop takes it.
    fn enqueue(&self, delay_ms: f64) -> LocalBoxFuture<'static, ()> {
        let slot = Rc::new(RefCell::new(Slot::default()));
        let mut state = self.state.borrow_mut();
        state.seq += 1;
        let queued = Queued {
            ready_ms: state.now_ms + delay_ms.max(0.0),
            seq: state.seq,
            slot: Rc::clone(&slot),
        };
        state.queue.push(Reverse(queued));
        Box::pin(Queue(slot))
    }
}

/// A future that completes when its queued task is taken by the loop.
struct Queue(Rc<RefCell<Slot>>);

impl Future for Queue {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut slot = self.0.borrow_mut();
        if slot.fired {
            Poll::Ready(())
        } else {
            slot.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

impl Runtime for SimRuntime {
    fn now_ms(&self) -> f64 {
        self.state.borrow().now_ms
    }

    fn sleep(&self, ms: f64) -> LocalBoxFuture<'static, ()> {
        self.enqueue(ms)
    }

    fn yield_macro(&self) -> LocalBoxFuture<'static, ()> {
        self.enqueue(0.0)
    }

    fn yield_macro_kind(&self) -> &'static str {
        "simulated"
    }

    fn spin(&self, ms: f64) {
        self.state.borrow_mut().now_ms += ms.max(0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timers_fire_in_due_order_and_advance_the_clock() {
        let rt = SimRuntime::new();
        let log = Rc::new(RefCell::new(Vec::new()));
        let (a, b) = (rt.clone(), rt.clone());
        let (la, lb) = (Rc::clone(&log), Rc::clone(&log));
        rt.block_on(async move {
            futures::join!(
                async move {
                    a.sleep(30.0).await;
                    la.borrow_mut().push(("a", a.now_ms()));
                },
                async move {
                    b.sleep(10.0).await;
                    lb.borrow_mut().push(("b", b.now_ms()));
                }
            );
        });
        assert_eq!(*log.borrow(), vec![("b", 10.0), ("a", 30.0)]);
    }

    #[test]
    fn spinning_delays_timers_that_are_due() {
        let rt = SimRuntime::new();
        let inner = rt.clone();
        let fired_at = rt.block_on(async move {
            let timer = inner.sleep(10.0);
            inner.spin(100.0);
            timer.await;
            inner.now_ms()
        });
        assert_eq!(fired_at, 100.0);
    }

    #[test]
    fn micro_yields_never_let_a_due_timer_run_but_macro_yields_do() {
        for (macro_yield, expect_timer_first) in [(false, false), (true, true)] {
            let rt = SimRuntime::new();
            let order = Rc::new(RefCell::new(Vec::new()));
            let (a, b) = (rt.clone(), rt.clone());
            let (oa, ob) = (Rc::clone(&order), Rc::clone(&order));
            rt.block_on(async move {
                futures::join!(
                    async move {
                        a.sleep(1.0).await;
                        oa.borrow_mut().push("timer");
                    },
                    async move {
                        for _ in 0..5 {
                            b.spin(1.0);
                            if macro_yield {
                                b.yield_macro().await;
                            } else {
                                b.yield_micro().await;
                            }
                        }
                        ob.borrow_mut().push("loop done");
                    }
                );
            });
            assert_eq!(order.borrow()[0] == "timer", expect_timer_first);
        }
    }

    #[test]
    #[should_panic(expected = "stalled")]
    fn a_future_that_never_wakes_is_reported() {
        SimRuntime::new().block_on(futures::future::pending::<()>());
    }
}
