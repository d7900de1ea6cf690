//! Parallel work for the worker pool: a [`PoolJob`] describes it, [`execute`] runs it on rayon, and the
//! [`Pool`] trait is how main-thread scenario code hands a job over and awaits its [`PoolReport`].
//!
//! In the browser the pool lives in a dedicated Worker (the engine, `www/engine-worker.js`), which owns a wasm
//! instance and the rayon threads; the page's main thread never calls into rayon, so it never blocks on the
//! pool's locks (wasm-bindgen-rayon#36). Jobs and reports cross as plain data.

use std::sync::atomic::{AtomicU64, Ordering};

use futures::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};

use crate::error::{ErrorCode, JuggleError};
use crate::gil::{run_thread, Gil, Thread, ThreadWork, GIL_LANE};
use crate::kernel::{count_primes_in, PieceQueue};
use crate::par;
use crate::spawned::{SpawnedReport, SpawnedTask};
use crate::trace::{Span, SpanKind};

/// Bumped by [`cancel_all`]: a job that sees it change since it started stops at its next check.
// The scenario-specific parts of the pool's jobs live in their scenario's folder, compiled as children of
// this module (a job crosses to the workers as one serializable enum, so the pool names them): each file
// uses only `super::` (the pool's own items), never the rest of the crate.
#[path = "scenarios/race/pool_job.rs"]
mod race;
#[path = "scenarios/speedup/pool_job.rs"]
mod speedup;
pub use race::{IncrementJob, IncrementMethod, IncrementResult};
pub use speedup::{Deal, PrimesJob, PrimesResult};

static CANCEL_EPOCH: AtomicU64 = AtomicU64::new(0);

/// Asks every job running on this instance's pool to stop at its next check (between busy-loop ticks,
/// increments and pieces); they return what they did so far. Only one run is in progress at a time, so
/// its jobs are all there is to stop.
pub fn cancel_all() {
    CANCEL_EPOCH.fetch_add(1, Ordering::SeqCst);
}

/// Whether [`cancel_all`] was called since a job was received (at `epoch`). Taken when the job is posted
/// ([`spawn`]), not when it starts: a job queued behind busy threads and started after a cancel is
/// stopped too.
#[derive(Clone, Copy, Debug)]
pub struct Stop {
    epoch: u64,
}

impl Stop {
    /// A ticket for a job received now.
    pub fn now() -> Self {
        Stop {
            epoch: CANCEL_EPOCH.load(Ordering::SeqCst),
        }
    }

    /// Whether the job's run was cancelled since the ticket was taken.
    pub fn requested(&self) -> bool {
        CANCEL_EPOCH.load(Ordering::Relaxed) != self.epoch
    }
}

/// Posts `job` to the current rayon pool (`rayon::spawn`) and calls `done` with its report once it ran,
/// on the pool thread that ran it. The stop ticket is taken now, on receipt, and checked when the job
/// starts and at each of its checks. A panic on any of the job's threads is caught (rayon carries it to
/// the thread that joins) and becomes a `panicked` error; uncaught, it would abort the pool.
pub fn spawn(
    job: PoolJob,
    clock: impl Fn() -> f64 + Sync + Send + 'static,
    done: impl FnOnce(Result<PoolReport, JuggleError>) + Send + 'static,
) {
    let stop = Stop::now();
    par::spawn(move || {
        // The job's state is its own and dropped after a panic: unwind-safe.
        let report = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            execute_received(&job, &clock, stop)
        }))
        .map_err(|payload| crate::panic::panicked("a pool job", payload.as_ref()));
        done(report);
    });
}

/// The lane name of a pool thread: `worker-N`, N being rayon's thread index.
pub fn worker_lane(index: usize) -> String {
    crate::lane::Lane::Worker(index as u32).to_string()
}

/// A piece of parallel work, as data so that it can be posted to the engine worker.
///
/// On the wire in serde's default form, `{"count-primes": {...}}`: an internally tagged one
/// (`{"kind": "count-primes", ...}`) is read through serde's buffering of the whole value, whose code took
/// a tenth of the wasm (issue #19). Only the core writes and reads jobs and their reports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PoolJob {
    /// Busy tasks, run in parallel: each keeps one pool thread busy for its `ms`.
    Spin {
        /// The tasks.
        tasks: Vec<SpinTask>,
    },
    /// `race`'s job: tasks each adding one to a shared counter, all at once on the pool's threads.
    Increment(IncrementJob),
    /// `speedup`'s job: counting primes on some of the pool's threads, from a shared queue of pieces.
    CountPrimes(PrimesJob),
    /// `threads` threads at once, each doing its share of `tasks` tasks (dealt round-robin), under a lock
    /// standing for CPython's GIL when `switch_ms` is given (see [`crate::gil`]). On the pool's threads (at
    /// most its size), except for blocking waits on more threads than the pool has: those run on threads of
    /// their own (the `own_threads` module; natively `RayonPool` starts them, in the browser the engine
    /// worker).
    Threads {
        /// How many threads.
        threads: u32,
        /// How many tasks in all.
        tasks: u32,
        /// What each task does.
        work: ThreadWork,
        /// The GIL's switch interval, or `None` for no GIL (a free-threaded build).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        switch_ms: Option<f64>,
    },
    /// Test-only (see [`crate::request::Fault::Pool`]): `job`, then a panic on a pool thread.
    Panicking {
        /// The job to run first.
        job: Box<PoolJob>,
    },
}

/// One task of [`PoolJob::Spin`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpinTask {
    /// The task's name, as shown on the timeline.
    pub task: String,
    /// What it does, in a few words.
    pub label: String,
    /// How long it keeps its thread busy.
    pub ms: f64,
}

/// What a job recorded: spans on `worker-N` lanes (on the clock given to [`execute`]) and a result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolReport {
    /// Spans, timed by the clock given to [`execute`].
    pub spans: Vec<Span>,
    /// The job's result, tagged with the job's kind.
    pub result: PoolResult,
}

/// A job's result, by the kind of job (`{"spin": {...}}` on the wire, as [`PoolJob`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PoolResult {
    /// Of [`PoolJob::Spin`].
    Spin(SpinResult),
    /// Of [`PoolJob::Increment`].
    Increment(IncrementResult),
    /// Of [`PoolJob::CountPrimes`].
    CountPrimes(PrimesResult),
    /// Of [`PoolJob::Threads`].
    Threads(ThreadsResult),
}

/// The result of [`PoolJob::Threads`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadsResult {
    /// How many threads ran at once.
    pub threads: u32,
    /// Wall-clock time of the job, from its first thread's start to its last thread's end.
    pub ms: f64,
    /// How many times a thread took the GIL (0 without one).
    pub holds: u32,
    /// The time threads spent waiting for the GIL, added up.
    pub gil_wait_ms: f64,
}

/// The result of [`PoolJob::Spin`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpinResult {
    /// How many distinct pool threads ran a task.
    pub lanes_used: usize,
}

impl PoolReport {
    fn wrong(expected: &str, got: &PoolResult) -> JuggleError {
        JuggleError::new(
            ErrorCode::PoolFailed,
            format!(
                "the worker pool answered a {expected} job with a report of another kind: {got:?}"
            ),
        )
    }

    /// The result of a [`PoolJob::Spin`], or `pool-failed` if the report is of another kind.
    pub fn spin(&self) -> Result<SpinResult, JuggleError> {
        match &self.result {
            PoolResult::Spin(result) => Ok(*result),
            other => Err(Self::wrong("spin", other)),
        }
    }

    /// The result of a [`PoolJob::Increment`], or `pool-failed` if the report is of another kind.
    pub fn increment(&self) -> Result<IncrementResult, JuggleError> {
        match &self.result {
            PoolResult::Increment(result) => Ok(*result),
            other => Err(Self::wrong("increment", other)),
        }
    }

    /// The result of a [`PoolJob::Threads`], or `pool-failed` if the report is of another kind.
    pub fn threads(&self) -> Result<ThreadsResult, JuggleError> {
        match &self.result {
            PoolResult::Threads(result) => Ok(*result),
            other => Err(Self::wrong("threads", other)),
        }
    }

    /// The result of a [`PoolJob::CountPrimes`], or `pool-failed` if the report is of another kind.
    pub fn primes(&self) -> Result<PrimesResult, JuggleError> {
        match &self.result {
            PoolResult::CountPrimes(result) => Ok(*result),
            other => Err(Self::wrong("count-primes", other)),
        }
    }
}

/// Runs `job` on the current rayon pool and records it with `clock` (milliseconds; in the browser the
/// epoch-based clock that all workers share). Blocks the calling thread until the job is done, so call it
/// from a worker, never from the page's main thread.
pub fn execute(job: &PoolJob, clock: &(dyn Fn() -> f64 + Sync)) -> PoolReport {
    execute_received(job, clock, Stop::now())
}

/// [`execute`] for a job received when `stop` was taken: if its run was cancelled since, the job does
/// nothing (no spans, a result of nothing done).
pub fn execute_received(job: &PoolJob, clock: &(dyn Fn() -> f64 + Sync), stop: Stop) -> PoolReport {
    let stop = &stop;
    if stop.requested() {
        return nothing_done(job, clock);
    }
    match job {
        PoolJob::Spin { tasks } => {
            let spans: Vec<Span> = par::each(tasks.len(), |index| {
                let task = &tasks[index];
                let start_ms = clock();
                let end = start_ms + task.ms;
                while clock() < end && !stop.requested() {
                    std::hint::spin_loop();
                }
                Span {
                    lane: worker_lane(par::current_thread_index().unwrap_or(0)),
                    task: task.task.clone(),
                    label: task.label.clone(),
                    kind: SpanKind::Cpu,
                    start_ms,
                    end_ms: clock(),
                    simulated: false,
                }
            });
            let lanes: std::collections::BTreeSet<&str> =
                spans.iter().map(|s| s.lane.as_str()).collect();
            let result = PoolResult::Spin(SpinResult {
                lanes_used: lanes.len(),
            });
            PoolReport { spans, result }
        }
        PoolJob::Increment(job) => job.execute(clock, stop),
        PoolJob::CountPrimes(job) => job.execute(clock, stop),
        PoolJob::Threads {
            threads,
            tasks,
            work,
            switch_ms,
        } => threads_job(*threads, *tasks, *work, *switch_ms, clock, stop),
        PoolJob::Panicking { job } => {
            // The panic is the second half of a join: rayon carries it to the caller once both are done.
            let (report, ()) = par::join(
                || execute_received(job, clock, *stop),
                || {
                    let lane = worker_lane(par::current_thread_index().unwrap_or(0));
                    panic!("test fault: a panic on purpose on pool thread {lane}");
                },
            );
            report
        }
    }
}

/// [`PoolJob::Threads`]: one rayon task per thread, started together (see [`StartGate`]), sharing one
/// [`Gil`] when there is a switch interval.
fn threads_job(
    threads: u32,
    tasks: u32,
    work: ThreadWork,
    switch_ms: Option<f64>,
    clock: &(dyn Fn() -> f64 + Sync),
    stop: &Stop,
) -> PoolReport {
    let threads = threads.clamp(1, par::current_num_threads() as u32);
    let gil = Gil::default();
    let gate = StartGate::new(threads as usize);
    let start_ms = clock();
    let spans: Vec<Span> = par::each(threads as usize, |me| {
        let me = me as u32;
        gate.pass();
        let mine: Vec<u32> = (1..=tasks).filter(|t| (t - 1) % threads == me).collect();
        let lane = worker_lane(par::current_thread_index().unwrap_or(0));
        let name = format!("thread {}", me + 1);
        let gil = switch_ms.map(|ms| (&gil, ms));
        let thread = Thread {
            me: me as usize,
            name: &name,
            lane,
            tasks: &mine,
        };
        run_thread(thread, work, gil, clock, &|| stop.requested())
    })
    .into_iter()
    .flatten()
    .collect();
    let end_ms = clock();
    let holds = spans.iter().filter(|s| s.lane == GIL_LANE).count() as u32;
    let gil_wait_ms = spans
        .iter()
        .filter(|s| s.kind == SpanKind::Wait)
        .map(|s| s.end_ms - s.start_ms)
        .sum();
    let result = PoolResult::Threads(ThreadsResult {
        threads,
        ms: end_ms - start_ms,
        holds,
        gil_wait_ms,
    });
    PoolReport { spans, result }
}

/// Holds each arriving task until as many tasks as the pool can run at once have arrived, so that they
/// start at the same instant (a start barrier). Later tasks pass straight through.
pub(crate) struct StartGate {
    arrived: AtomicU64,
    tasks: u64,
}

impl StartGate {
    pub(crate) fn new(tasks: usize) -> Self {
        StartGate {
            arrived: AtomicU64::new(0),
            tasks: tasks as u64,
        }
    }

    /// Called on a pool thread, where `current_num_threads` is the pool's size.
    pub(crate) fn pass(&self) {
        let together = self.tasks.min(par::current_num_threads() as u64);
        self.arrived.fetch_add(1, Ordering::SeqCst);
        while self.arrived.load(Ordering::SeqCst) < together {
            std::hint::spin_loop();
        }
    }
}

/// The report of a job that was cancelled before it started: no spans, nothing counted.
fn nothing_done(job: &PoolJob, clock: &(dyn Fn() -> f64 + Sync)) -> PoolReport {
    let result = match job {
        PoolJob::Spin { .. } => PoolResult::Spin(SpinResult { lanes_used: 0 }),
        PoolJob::Increment(job) => PoolResult::Increment(job.nothing_done()),
        PoolJob::CountPrimes(job) => PoolResult::CountPrimes(job.nothing_done(clock())),
        PoolJob::Threads { threads, .. } => PoolResult::Threads(ThreadsResult {
            threads: *threads,
            ms: 0.0,
            holds: 0,
            gil_wait_ms: 0.0,
        }),
        PoolJob::Panicking { job } => return nothing_done(job, clock),
    };
    PoolReport {
        spans: Vec::new(),
        result,
    }
}

/// Splits `job` for `workers` message-passing workers (no shared memory): part `i` is for worker `i`.
/// Spin tasks are dealt round-robin; prime counting deals the pieces like cards (see [`Deal`]). Jobs
/// whose point is shared memory cannot be split and are refused.
pub fn split(job: &PoolJob, workers: u32) -> Result<Vec<PoolJob>, JuggleError> {
    let workers = workers.max(1) as usize;
    match job {
        PoolJob::Spin { tasks } => Ok((0..workers.min(tasks.len()))
            .map(|hand| PoolJob::Spin {
                tasks: tasks.iter().skip(hand).step_by(workers).cloned().collect(),
            })
            .collect()),
        PoolJob::CountPrimes(job) if job.deal.is_none() => Ok(job
            .split(workers as u64)
            .into_iter()
            .map(PoolJob::CountPrimes)
            .collect()),
        PoolJob::Panicking { job } => {
            // The last part carries the panic: one worker panics, as one pool thread would.
            let mut parts = split(job, workers as u32)?;
            if let Some(last) = parts.pop() {
                parts.push(PoolJob::Panicking {
                    job: Box::new(last),
                });
            }
            Ok(parts)
        }
        // One thread with no GIL shares nothing: a single part (the blocking call of `threads/to-thread`).
        PoolJob::Threads {
            threads: 1,
            switch_ms: None,
            ..
        } => Ok(vec![job.clone()]),
        PoolJob::CountPrimes(_) | PoolJob::Increment(_) | PoolJob::Threads { .. } => {
            Err(JuggleError::new(
                ErrorCode::NeedsSharedMemory,
                "this job needs threads that share memory; message-passing workers cannot run it",
            ))
        }
    }
}

/// Puts the report of a part of a split job, run on message-passing worker `worker` (where rayon has one
/// thread), on that worker's lane, `worker-<worker>`.
pub fn on_worker_lane(mut report: PoolReport, worker: usize) -> PoolReport {
    for span in &mut report.spans {
        span.lane = worker_lane(worker);
    }
    report
}

/// Merges the reports of the parts of `job` (see [`split`]) into the report the whole job would give.
pub fn merge(job: &PoolJob, reports: Vec<PoolReport>) -> PoolReport {
    if let PoolJob::Panicking { job } = job {
        return merge(job, reports);
    }
    let spans: Vec<Span> = reports.iter().flat_map(|r| r.spans.clone()).collect();
    let lanes = spans
        .iter()
        .map(|s| s.lane.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let result = match job {
        PoolJob::CountPrimes(job) => PoolResult::CountPrimes(job.merge(&reports, lanes)),
        // Never split (it needs shared memory), so one report: its own result.
        PoolJob::Increment(job) => PoolResult::Increment(job.merge(&reports)),
        PoolJob::Threads { .. } => match reports.first().map(PoolReport::threads) {
            // Never split (it needs shared memory), so one report: its own result.
            Some(Ok(result)) => PoolResult::Threads(result),
            _ => PoolResult::Spin(SpinResult { lanes_used: lanes }),
        },
        PoolJob::Spin { .. } | PoolJob::Panicking { .. } => {
            PoolResult::Spin(SpinResult { lanes_used: lanes })
        }
    };
    PoolReport { spans, result }
}

/// When the pool was started, on the runtime's clock (ms): returned by the run that started it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolStart {
    /// When starting began (the engine worker was created).
    pub start_ms: f64,
    /// When the pool's threads were all running.
    pub end_ms: f64,
}

/// The worker pool as main-thread code sees it: hand over a job, await its report.
pub trait Pool {
    /// How many threads the pool has (or will have once started).
    fn threads(&self) -> u32;

    /// Stops the jobs of a cancelled run (their results are no longer wanted); the pool stays usable.
    fn cancel(&self);

    /// Whether the pool's threads share memory with each other (rayon over a `SharedArrayBuffer`), rather
    /// than being workers that can only pass messages.
    fn shared_memory(&self) -> bool;

    /// Starts the pool if it has not started yet. Resolves to when it started if this call started it, and
    /// to `None` if it was already running.
    fn start(&self) -> LocalBoxFuture<'static, Result<Option<PoolStart>, JuggleError>>;

    /// How long the pool's own start (`initThreadPool`) took, once it has started.
    fn init_ms(&self) -> Option<f64>;

    /// Runs one task on a Web Worker started for it alone and ended after it (a worker per task, the
    /// "process per download" of the lessons); resolves to the spans it recorded (its start-up included) and
    /// its instance's memory.
    fn spawn_worker(
        &self,
        task: SpawnedTask,
    ) -> LocalBoxFuture<'static, Result<SpawnedReport, JuggleError>>;

    /// Runs a job on the pool; the returned future resolves when it is done, leaving the caller's thread
    /// free meanwhile.
    fn run(&self, job: PoolJob) -> LocalBoxFuture<'static, Result<PoolReport, JuggleError>>;

    /// Runs a job on the pool and blocks the calling thread until the pool has finished it (as calling
    /// `pool.map` inside an async function does); the returned future then yields the report at once.
    fn run_blocking(
        &self,
        job: PoolJob,
    ) -> LocalBoxFuture<'static, Result<PoolReport, JuggleError>>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// A spin job of three tasks, A, B and C, each `ms` long.
    fn spin_abc(ms: f64) -> PoolJob {
        PoolJob::Spin {
            tasks: ["A", "B", "C"]
                .map(|name| SpinTask {
                    task: name.into(),
                    label: "work".into(),
                    ms,
                })
                .to_vec(),
        }
    }

    /// A rayon pool of `threads` threads and a millisecond clock for the jobs it runs.
    fn pool_and_clock(threads: usize) -> (rayon::ThreadPool, impl Fn() -> f64 + Sync) {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let origin = Instant::now();
        (pool, move || origin.elapsed().as_secs_f64() * 1000.0)
    }

    #[test]
    fn spin_tasks_run_at_the_same_time_on_distinct_threads() {
        let (pool, clock) = pool_and_clock(2);
        let job = PoolJob::Spin {
            tasks: ["A", "B"]
                .map(|name| SpinTask {
                    task: name.into(),
                    label: "work".into(),
                    ms: 200.0,
                })
                .to_vec(),
        };
        // On a loaded machine one thread may finish A and take B before the other wakes: overlap is what
        // the pool makes possible, so it must be seen at least once in a few tries, not on every try.
        let overlapped = within_tries(|| {
            let report = pool.install(|| execute(&job, &clock));
            let (a, b) = (&report.spans[0], &report.spans[1]);
            a.lane != b.lane
                && a.start_ms < b.end_ms
                && b.start_ms < a.end_ms
                && report.spin().unwrap().lanes_used == 2
        });
        assert!(
            overlapped,
            "A and B never ran at the same time on two threads"
        );
    }

    /// Whether `attempt` holds on one of a few tries: for what two threads make possible but a busy
    /// machine (other programs on both cores) may not show every time.
    fn within_tries(mut attempt: impl FnMut() -> bool) -> bool {
        (0..5).any(|_| attempt())
    }

    #[test]
    fn a_panic_on_a_pool_thread_reaches_the_caller_and_the_pool_keeps_working() {
        let (pool, clock) = pool_and_clock(2);
        let spin = spin_abc(20.0);
        let panicking = PoolJob::Panicking {
            job: Box::new(spin.clone()),
        };
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool.install(|| execute(&panicking, &clock))
        }));
        let payload = caught.unwrap_err();
        let error = crate::panic::panicked("the job", payload.as_ref());
        assert!(
            error.message.starts_with(
                "the job panicked: test fault: a panic on purpose on pool thread worker-"
            ),
            "{}",
            error.message
        );
        // Both threads are still there and take jobs.
        let report = pool.install(|| execute(&spin, &clock));
        assert_eq!(report.spans.len(), 3);
        assert_eq!(report.spin().unwrap().lanes_used, 2);
    }

    #[test]
    fn a_panicking_job_splits_into_parts_of_which_the_last_panics() {
        let spin = spin_abc(1.0);
        let parts = split(
            &PoolJob::Panicking {
                job: Box::new(spin.clone()),
            },
            2,
        )
        .unwrap();
        let plain = split(&spin, 2).unwrap();
        assert_eq!(parts[0], plain[0]);
        assert_eq!(
            parts[1],
            PoolJob::Panicking {
                job: Box::new(plain[1].clone())
            }
        );
        let text = serde_json::to_string(&parts[1]).unwrap();
        assert!(
            text.starts_with(r#"{"panicking":{"job":{"spin":"#),
            "{text}"
        );
    }

    #[test]
    fn fetch_add_and_mutex_are_exact_and_load_then_store_never_gains() {
        let (pool, clock) = pool_and_clock(2);
        for method in [
            IncrementMethod::FetchAdd,
            IncrementMethod::Mutex,
            IncrementMethod::LoadThenStore,
        ] {
            let job = PoolJob::Increment(IncrementJob {
                tasks: vec!["a".into(), "b".into()],
                increments: 2_000,
                method,
            });
            let report = pool.install(|| execute(&job, &clock));
            let result = report.increment().unwrap();
            assert_eq!(result.expected, 4_000);
            let lost = result.lost;
            if method != IncrementMethod::LoadThenStore {
                assert_eq!(lost, 0, "{method:?}");
            }
            assert!(result.final_count <= 4_000);
        }
    }

    #[test]
    fn counting_primes_gives_the_same_answer_on_one_and_on_two_threads() {
        let (pool, clock) = pool_and_clock(2);
        let job = |threads, pieces| {
            PoolJob::CountPrimes(PrimesJob {
                limit: 300_000,
                pieces,
                threads,
                label: format!("{threads} threads"),
                deal: None,
            })
        };
        let one = pool.install(|| execute(&job(1, 64), &clock));
        let two = pool.install(|| execute(&job(2, 64), &clock));
        let tiny = pool.install(|| execute(&job(2, 300_000), &clock));
        assert_eq!(one.primes().unwrap().primes, 25_997);
        assert_eq!(two.primes().unwrap().primes, 25_997);
        assert_eq!(tiny.primes().unwrap().primes, 25_997);
        assert_eq!(tiny.primes().unwrap().pieces, 300_000);
        assert_eq!(one.primes().unwrap().lanes_used, 1);
        assert!(two.spans.len() <= 2, "at most one span a thread");
        assert!(two.primes().unwrap().ms > 0.0);
        // Both threads take pieces (on a busy machine one may take them all on a given try).
        assert!(within_tries(|| {
            pool.install(|| execute(&job(2, 64), &clock)).spans.len() == 2
        }));
    }

    #[test]
    fn split_jobs_give_the_same_answer_as_the_whole_job() {
        let (pool, clock) = pool_and_clock(1);
        let whole = PoolJob::CountPrimes(PrimesJob {
            limit: 100_000,
            pieces: 256,
            threads: 3,
            label: "3 threads".into(),
            deal: None,
        });
        let parts = split(&whole, 4).unwrap();
        assert_eq!(parts.len(), 3, "one part per thread asked for");
        let reports = parts
            .iter()
            .enumerate()
            .map(|(hand, part)| on_worker_lane(pool.install(|| execute(part, &clock)), hand))
            .collect();
        let merged = merge(&whole, reports);
        assert_eq!(merged.primes().unwrap().primes, 9_592);
        assert_eq!(merged.primes().unwrap().lanes_used, 3);
        assert_eq!(merged.primes().unwrap().pieces, 256);

        let spin = spin_abc(1.0);
        let parts = split(&spin, 2).unwrap();
        let names = |job: &PoolJob| match job {
            PoolJob::Spin { tasks } => tasks.iter().map(|t| t.task.clone()).collect::<Vec<_>>(),
            _ => unreachable!(),
        };
        assert_eq!(names(&parts[0]), ["A", "C"]);
        assert_eq!(names(&parts[1]), ["B"]);
    }

    #[test]
    fn shared_memory_jobs_cannot_be_split() {
        let job = PoolJob::Increment(IncrementJob {
            tasks: vec!["a".into()],
            increments: 1,
            method: IncrementMethod::FetchAdd,
        });
        assert_eq!(
            split(&job, 2).unwrap_err().code,
            ErrorCode::NeedsSharedMemory
        );
    }

    #[test]
    fn jobs_round_trip_as_tagged_data() {
        let job = PoolJob::Spin { tasks: vec![] };
        let text = serde_json::to_string(&job).unwrap();
        assert_eq!(text, r#"{"spin":{"tasks":[]}}"#);
        assert_eq!(serde_json::from_str::<PoolJob>(&text).unwrap(), job);
    }
}
