//! The `race` scenario's pool job (`thread-race`, `atomic`, `mutex`): tasks on the pool's threads each add
//! one to a shared counter `increments` times, all started at once. Compiled as a child of the pool
//! (`crate/src/pool.rs` includes it), so it uses the pool's items through `super::` only.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::{par, worker_lane, PoolReport, PoolResult, Span, SpanKind, StartGate, Stop};

/// Tasks that each add one to a shared counter `increments` times, all at once on the pool's threads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncrementJob {
    /// The tasks' names.
    pub tasks: Vec<String>,
    /// Increments per task.
    pub increments: u32,
    /// How each increment touches the counter.
    pub method: IncrementMethod,
}

impl IncrementJob {
    /// Runs the job on the pool's threads (see [`increment`]).
    pub(super) fn execute(&self, clock: &(dyn Fn() -> f64 + Sync), stop: &Stop) -> PoolReport {
        increment(&self.tasks, self.increments, self.method, clock, stop)
    }

    /// How many increments the tasks make in all: the count if no update is lost.
    fn expected(&self) -> u64 {
        self.tasks.len() as u64 * u64::from(self.increments)
    }

    /// The result of the job cancelled before it started: nothing counted.
    pub(super) fn nothing_done(&self) -> IncrementResult {
        IncrementResult {
            expected: self.expected(),
            final_count: 0,
            lost: self.expected(),
        }
    }

    /// The result from the job's reports (never split, since it needs shared memory: one report).
    pub(super) fn merge(&self, reports: &[PoolReport]) -> IncrementResult {
        let final_count = reports
            .iter()
            .filter_map(|r| r.increment().ok())
            .map(|r| r.final_count)
            .sum();
        IncrementResult {
            expected: self.expected(),
            final_count,
            lost: self.expected().saturating_sub(final_count),
        }
    }
}

/// How an [`IncrementJob`] task adds one to the shared counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IncrementMethod {
    /// Load the value, pause, store the value plus one: two atomic operations, one after the other.
    LoadThenStore,
    /// One atomic read-modify-write (`fetch_add`): read, add and write in one step.
    FetchAdd,
    /// Lock a mutex, read, pause, write, unlock.
    Mutex,
}

/// The result of [`IncrementJob`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncrementResult {
    /// Tasks times increments: the count if no update was lost.
    pub expected: u64,
    /// The counter at the end.
    #[serde(rename = "final")]
    pub final_count: u64,
    /// `expected - final`.
    pub lost: u64,
}

/// The tasks of a [`IncrementJob`] at once on the pool's threads, from one start line: each
/// adds one to the counter `increments` times the way `method` says, and the result compares the counter with what was added.
fn increment(
    tasks: &[String],
    increments: u32,
    method: IncrementMethod,
    clock: &(dyn Fn() -> f64 + Sync),
    stop: &Stop,
) -> PoolReport {
    let counter = AtomicU64::new(0);
    let locked = Mutex::new(0_u64);
    let gate = StartGate::new(tasks.len());
    let spans: Vec<Span> = par::each(tasks.len(), |index| {
        let task = &tasks[index];
        gate.pass();
        let lane = worker_lane(par::current_thread_index().unwrap_or(0));
        let mut spans = Vec::new();
        let mut record = |label: &str, kind: SpanKind, start_ms: f64, end_ms: f64| {
            spans.push(Span {
                lane: lane.clone(),
                task: task.clone(),
                label: label.to_string(),
                kind,
                start_ms,
                end_ms,
                simulated: false,
            });
        };
        let label = match method {
            IncrementMethod::LoadThenStore => "load, pause, store",
            IncrementMethod::FetchAdd => "fetch_add",
            IncrementMethod::Mutex => "lock, read, pause, write",
        };
        // Executing from `running` on; a task that finds the mutex taken spins for it (`blocked`: its
        // thread is held and does nothing else).
        let mut running = clock();
        for _ in 0..increments {
            if stop.requested() {
                break;
            }
            match method {
                IncrementMethod::LoadThenStore => {
                    let seen = counter.load(Ordering::SeqCst);
                    pause(clock);
                    counter.store(seen + 1, Ordering::SeqCst);
                }
                IncrementMethod::FetchAdd => {
                    counter.fetch_add(1, Ordering::SeqCst);
                }
                IncrementMethod::Mutex => {
                    let mut value = match locked.try_lock() {
                        Ok(value) => value,
                        Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
                        Err(std::sync::TryLockError::WouldBlock) => {
                            let queued = clock();
                            record(label, SpanKind::Cpu, running, queued);
                            let value = locked
                                .lock()
                                .unwrap_or_else(|poisoned| poisoned.into_inner());
                            running = clock();
                            record("waiting for the mutex", SpanKind::Blocked, queued, running);
                            value
                        }
                    };
                    let seen = *value;
                    pause(clock);
                    *value = seen + 1;
                }
            }
        }
        record(label, SpanKind::Cpu, running, clock());
        spans
    })
    .into_iter()
    .flatten()
    .collect();
    let final_count = match method {
        IncrementMethod::Mutex => *locked
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()),
        _ => counter.load(Ordering::SeqCst),
    };
    let expected = tasks.len() as u64 * u64::from(increments);
    let result = PoolResult::Increment(IncrementResult {
        expected,
        final_count,
        lost: expected - final_count,
    });
    PoolReport { spans, result }
}

/// A short pause between a read and its write: the "(a pause)" of the race lesson. It busy-waits for the
/// clock to move on by a couple of microseconds (one tick of a cross-origin isolated browser clock is
/// 5 us), so a thousand increments take a few milliseconds and threads started together really overlap.
fn pause(clock: &(dyn Fn() -> f64 + Sync)) {
    let until = clock() + PAUSE_MS;
    while clock() < until {
        std::hint::spin_loop();
    }
}

/// How long [`pause`] waits at least, in ms.
const PAUSE_MS: f64 = 0.002;
