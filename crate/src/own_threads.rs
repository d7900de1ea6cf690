//! Model threads of their own, beyond the pool's: for `threads/io-gil`, whose threads mostly wait in
//! blocking calls, and a thread that waits needs no core. The pool has one thread per core; a
//! [`PoolJob::Threads`] job of waits asking for more threads than that runs each of its threads on a thread
//! started for the job: natively an OS thread (`std::thread::scope`), in the browser a Web Worker that
//! instantiates the same module over the same shared memory (`www/own-thread.js`, started by the engine
//! worker). They share one [`OwnThreads`]: the job, its GIL, a start gate and the spans.
//!
//! In the browser the threads find their [`OwnThreads`] by a number in a registry ([`begin`], [`run`],
//! [`end`]): the registry is a static in the shared memory, so every instance sees the same one.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::{ErrorCode, JuggleError};
use crate::gil::{run_thread, Gil, Thread, ThreadWork, GIL_LANE};
use crate::pool::{PoolJob, PoolReport, PoolResult, Stop, ThreadsResult};
use crate::trace::{Span, SpanKind};

/// The lane of own thread `me` (from 0): `thread-1`, `thread-2`, ...
pub fn own_lane(me: u32) -> String {
    crate::lane::Lane::Thread(me + 1).to_string()
}

/// What the threads of one job share.
pub struct OwnThreads {
    threads: u32,
    tasks: u32,
    work: ThreadWork,
    switch_ms: Option<f64>,
    gil: Gil,
    stop: Stop,
    arrived: AtomicU32,
    /// When the last thread arrived at the start gate, so all could start (ms, the threads' clock).
    opened_ms: Mutex<Option<f64>>,
    spans: Mutex<Vec<Span>>,
}

impl OwnThreads {
    /// The shared state of `job`, which must be a [`PoolJob::Threads`] of blocking waits; `stop` is the
    /// job's stop ticket.
    ///
    /// # Errors
    /// `invalid-argument` for any other job: CPU threads stay on the pool, one per core.
    pub fn new(job: &PoolJob, stop: Stop) -> Result<Self, JuggleError> {
        match *job {
            PoolJob::Threads {
                threads,
                tasks,
                work: work @ ThreadWork::Wait { .. },
                switch_ms,
            } => Ok(OwnThreads {
                threads: threads.max(1),
                tasks,
                work,
                switch_ms,
                gil: Gil::default(),
                stop,
                arrived: AtomicU32::new(0),
                opened_ms: Mutex::new(None),
                spans: Mutex::new(Vec::new()),
            }),
            _ => Err(JuggleError::new(
                ErrorCode::InvalidArgument,
                "only threads of blocking waits run on threads of their own",
            )),
        }
    }

    /// How many threads the job has.
    pub fn threads(&self) -> u32 {
        self.threads
    }

    /// Runs thread `me` to its end on the calling thread (blocking it): records its start-up from
    /// `created_ms` (when its thread was asked for) to its arrival at the start gate, waits there until
    /// every thread has arrived (or the run is cancelled), then does its share of the tasks.
    pub fn run(&self, me: u32, created_ms: f64, clock: &(dyn Fn() -> f64 + Sync)) {
        let lane = own_lane(me);
        let name = format!("thread {}", me + 1);
        let ready_ms = clock();
        let mut spans = vec![Span {
            lane: lane.clone(),
            task: name.clone(),
            label: "start a thread".into(),
            kind: SpanKind::Startup,
            start_ms: created_ms.min(ready_ms),
            end_ms: ready_ms,
            simulated: false,
        }];
        if self.arrived.fetch_add(1, Ordering::SeqCst) + 1 == self.threads {
            *lock(&self.opened_ms) = Some(clock());
        }
        while self.arrived.load(Ordering::SeqCst) < self.threads && !self.stop.requested() {
            std::thread::sleep(std::time::Duration::from_micros(100));
        }
        let mine: Vec<u32> = (1..=self.tasks)
            .filter(|t| (t - 1) % self.threads == me)
            .collect();
        let thread = Thread {
            me: me as usize,
            name: &name,
            lane,
            tasks: &mine,
        };
        let gil = self.switch_ms.map(|ms| (&self.gil, ms));
        spans.extend(run_thread(thread, self.work, gil, clock, &|| {
            self.stop.requested()
        }));
        lock(&self.spans).extend(spans);
    }

    /// The job's report once every thread has run: its spans, and a [`ThreadsResult`] timed from the
    /// start gate's opening to the last span's end (start-ups not included, as on the pool).
    pub fn report(&self) -> PoolReport {
        let spans = std::mem::take(&mut *lock(&self.spans));
        let opened = lock(&self.opened_ms).unwrap_or(0.0);
        let end = spans
            .iter()
            .filter(|s| s.kind != SpanKind::Startup)
            .map(|s| s.end_ms)
            .fold(opened, f64::max);
        let holds = spans.iter().filter(|s| s.lane == GIL_LANE).count() as u32;
        let gil_wait_ms = spans
            .iter()
            .filter(|s| s.kind == SpanKind::Wait)
            .map(|s| s.end_ms - s.start_ms)
            .sum();
        let result = PoolResult::Threads(ThreadsResult {
            threads: self.threads,
            ms: end - opened,
            holds,
            gil_wait_ms,
        });
        PoolReport { spans, result }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// How many threads of their own `job` wants on a pool of `pool_threads` threads: its thread count if it
/// is a [`PoolJob::Threads`] job of blocking waits asking for more threads than the pool has, else 0 (it
/// runs on the pool). The one rule for both places that start them: `RayonPool` natively, the engine
/// worker in the browser.
pub fn wanted(job: &PoolJob, pool_threads: u32) -> u32 {
    match *job {
        PoolJob::Threads {
            threads,
            work: ThreadWork::Wait { .. },
            ..
        } if threads > pool_threads => threads,
        _ => 0,
    }
}

/// Runs `job` natively on threads of its own (OS threads), one per model thread; `stop` is its ticket.
/// (In the browser, where a wasm thread cannot start another, the engine worker starts Web Workers
/// instead: see [`begin`].)
///
/// # Errors
/// As [`OwnThreads::new`].
pub fn run_native(
    job: &PoolJob,
    clock: &(dyn Fn() -> f64 + Sync),
    stop: Stop,
) -> Result<PoolReport, JuggleError> {
    let shared = OwnThreads::new(job, stop)?;
    std::thread::scope(|scope| {
        for me in 0..shared.threads() {
            let (shared, created_ms) = (&shared, clock());
            scope.spawn(move || shared.run(me, created_ms, clock));
        }
    });
    Ok(shared.report())
}

/// The jobs whose threads are running, by number (the browser's threads find theirs here).
static REGISTRY: Mutex<Vec<(u32, Arc<OwnThreads>)>> = Mutex::new(Vec::new());
static NEXT: AtomicU32 = AtomicU32::new(1);

/// Registers `job` (taking its stop ticket now) and returns its number, for [`run`] and [`end`].
///
/// # Errors
/// As [`OwnThreads::new`].
pub fn begin(job: &PoolJob) -> Result<u32, JuggleError> {
    let shared = Arc::new(OwnThreads::new(job, Stop::now())?);
    let id = NEXT.fetch_add(1, Ordering::SeqCst);
    lock(&REGISTRY).push((id, shared));
    Ok(id)
}

fn find(id: u32) -> Result<Arc<OwnThreads>, JuggleError> {
    lock(&REGISTRY)
        .iter()
        .find(|(known, _)| *known == id)
        .map(|(_, shared)| Arc::clone(shared))
        .ok_or_else(|| JuggleError::new(ErrorCode::InvalidArgument, format!("no threads job {id}")))
}

/// Runs thread `me` of job `id` on the calling thread (see [`OwnThreads::run`]).
///
/// # Errors
/// `invalid-argument` if there is no such job or no such thread.
pub fn run(
    id: u32,
    me: u32,
    created_ms: f64,
    clock: &(dyn Fn() -> f64 + Sync),
) -> Result<(), JuggleError> {
    let shared = find(id)?;
    if me >= shared.threads() {
        return Err(JuggleError::new(
            ErrorCode::InvalidArgument,
            format!("job {id} has {} threads, not {}", shared.threads(), me + 1),
        ));
    }
    shared.run(me, created_ms, clock);
    Ok(())
}

/// Forgets job `id` and returns its report (call it once its threads are done, or gone).
///
/// # Errors
/// `invalid-argument` if there is no such job.
pub fn end(id: u32) -> Result<PoolReport, JuggleError> {
    let shared = find(id)?;
    lock(&REGISTRY).retain(|(known, _)| *known != id);
    Ok(shared.report())
}

// (Natively only: the tests start OS threads.)
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::time::Instant;

    fn waits(threads: u32, tasks: u32, ms: f64) -> PoolJob {
        PoolJob::Threads {
            threads,
            tasks,
            work: ThreadWork::Wait { ms, handle_ms: 1.0 },
            switch_ms: Some(5.0),
        }
    }

    #[test]
    fn only_waits_on_more_threads_than_the_pool_has_want_threads_of_their_own() {
        assert_eq!(wanted(&waits(8, 8, 10.0), 2), 8);
        assert_eq!(wanted(&waits(2, 8, 10.0), 2), 0, "the pool has enough");
        let cpu = PoolJob::Threads {
            threads: 8,
            tasks: 8,
            work: ThreadWork::Cpu { ms: 10.0 },
            switch_ms: None,
        };
        assert_eq!(
            wanted(&cpu, 2),
            0,
            "CPU threads stay on the pool, one per core"
        );
    }

    fn clock() -> impl Fn() -> f64 + Sync {
        let origin = Instant::now();
        move || origin.elapsed().as_secs_f64() * 1000.0
    }

    #[test]
    fn eight_waiting_threads_of_their_own_wait_at_the_same_time() {
        let report = run_native(&waits(8, 8, 80.0), &clock(), Stop::now()).unwrap();
        let waits: Vec<&Span> = report
            .spans
            .iter()
            .filter(|s| s.kind == SpanKind::Blocked)
            .collect();
        assert_eq!(waits.len(), 8);
        let lanes: std::collections::BTreeSet<&str> =
            waits.iter().map(|s| s.lane.as_str()).collect();
        assert_eq!(lanes.len(), 8, "one lane per thread");
        // Every wait overlaps every other: all eight were waiting at once (the start gate).
        let latest_start = waits.iter().map(|s| s.start_ms).fold(0.0, f64::max);
        assert!(waits.iter().all(|s| s.end_ms > latest_start), "all at once");
        let PoolResult::Threads(result) = report.result else {
            panic!("not a threads result")
        };
        assert_eq!(result.threads, 8);
        assert!(result.holds >= 8, "each handled its answer under the GIL");
        assert_eq!(
            report
                .spans
                .iter()
                .filter(|s| s.kind == SpanKind::Startup)
                .count(),
            8
        );
    }

    #[test]
    fn only_waits_run_on_threads_of_their_own_and_the_registry_forgets_a_job_once_ended() {
        let cpu = PoolJob::Threads {
            threads: 4,
            tasks: 4,
            work: ThreadWork::Cpu { ms: 1.0 },
            switch_ms: Some(5.0),
        };
        assert_eq!(
            OwnThreads::new(&cpu, Stop::now()).err().map(|e| e.code),
            Some(ErrorCode::InvalidArgument)
        );
        let id = begin(&waits(2, 2, 1.0)).unwrap();
        let clock = clock();
        assert!(run(id, 2, 0.0, &clock).is_err(), "no third thread");
        std::thread::scope(|scope| {
            for me in 0..2 {
                let clock = &clock;
                scope.spawn(move || run(id, me, 0.0, clock).unwrap());
            }
        });
        assert_eq!(
            end(id)
                .unwrap()
                .spans
                .iter()
                .filter(|s| s.kind == SpanKind::Blocked)
                .count(),
            2
        );
        assert!(end(id).is_err(), "forgotten");
    }
}
