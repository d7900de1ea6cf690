//! How a pool job reaches the page's engine, decided in plain Rust so native tests cover it: whole to an
//! engine whose threads share memory, or split over message-passing workers ([`split`]), the parts dealt
//! from a hand that rotates job by job, and their reports merged ([`merge`]) into the one the whole job
//! would give. Also the busy flag that keeps runs from interleaving ([`Busy`]).

use std::cell::Cell;

use futures::future::{self, FutureExt, LocalBoxFuture};

use crate::error::{ErrorCode, JuggleError};
use crate::pool::{merge, on_worker_lane, split, PoolJob, PoolReport};

/// The page's engine as the dispatch sees it: a number of threads that do or do not share memory, and a
/// way to post a job to all of them or to one message-passing worker.
pub trait Engine {
    /// Threads (or message-passing workers) the engine has.
    fn threads(&self) -> u32;

    /// Whether its threads share memory (rayon over a `SharedArrayBuffer`).
    fn shared_memory(&self) -> bool;

    /// Posts a whole job to a shared-memory engine; resolves to its report.
    fn post(&self, job: PoolJob) -> LocalBoxFuture<'static, Result<PoolReport, JuggleError>>;

    /// Posts a part of a job to message-passing worker `worker`; resolves to its report.
    fn post_to(
        &self,
        worker: u32,
        part: PoolJob,
    ) -> LocalBoxFuture<'static, Result<PoolReport, JuggleError>>;
}

/// Which worker gets which part of a job: the plan [`Dispatch::plan`] makes.
#[derive(Clone, Debug, PartialEq)]
pub enum Plan {
    /// The whole job to the shared-memory engine.
    Whole(PoolJob),
    /// `(worker, part)` pairs for message-passing workers.
    Parts(Vec<(u32, PoolJob)>),
}

/// Dispatches jobs to an [`Engine`]. Message-passing only: the worker that gets the first part of the next
/// job moves on by one per job, so that one-part jobs posted one after another (a parse per downloaded
/// page) spread out.
#[derive(Debug, Default)]
pub struct Dispatch {
    next_hand: Cell<u32>,
}

impl Dispatch {
    /// A dispatch whose first job starts at worker 0.
    pub fn new() -> Self {
        Dispatch::default()
    }

    /// Plans `job` for an engine of `threads` threads that do or do not share memory.
    ///
    /// # Errors
    /// [`ErrorCode::NeedsSharedMemory`] for a job that cannot be split over message-passing workers.
    pub fn plan(
        &self,
        job: PoolJob,
        threads: u32,
        shared_memory: bool,
    ) -> Result<Plan, JuggleError> {
        if shared_memory {
            return Ok(Plan::Whole(job));
        }
        let parts = split(&job, threads)?;
        let workers = threads.max(1);
        let first = self.next_hand.replace((self.next_hand.get() + 1) % workers);
        Ok(Plan::Parts(
            parts
                .into_iter()
                .enumerate()
                .map(|(index, part)| ((first + index as u32) % workers, part))
                .collect(),
        ))
    }

    /// Runs `job` on `engine` by its [`plan`](Dispatch::plan): the whole report, or the parts' reports, each
    /// on its worker's lane, merged.
    pub fn run(
        &self,
        engine: &dyn Engine,
        job: PoolJob,
    ) -> LocalBoxFuture<'static, Result<PoolReport, JuggleError>> {
        match self.plan(job.clone(), engine.threads(), engine.shared_memory()) {
            Err(error) => future::ready(Err(error)).boxed_local(),
            Ok(Plan::Whole(job)) => engine.post(job),
            Ok(Plan::Parts(parts)) => {
                let runs: Vec<_> = parts
                    .into_iter()
                    .map(|(worker, part)| {
                        engine.post_to(worker, part).map(move |report| {
                            report.map(|report| on_worker_lane(report, worker as usize))
                        })
                    })
                    .collect();
                async move { Ok(merge(&job, future::try_join_all(runs).await?)) }.boxed_local()
            }
        }
    }
}

thread_local! {
    static RUNNING: Cell<bool> = const { Cell::new(false) };
}

/// The busy flag of this thread's runs: held for as long as a run is in progress, released when the run
/// ends, however it ends (dropped).
#[derive(Debug)]
pub struct Busy(());

impl Busy {
    /// Takes the flag.
    ///
    /// # Errors
    /// [`ErrorCode::Busy`] if a run on this thread holds it.
    pub fn acquire() -> Result<Busy, JuggleError> {
        if RUNNING.with(|running| running.replace(true)) {
            return Err(JuggleError::new(
                ErrorCode::Busy,
                "a run is already in progress; wait for it to finish before starting another",
            ));
        }
        Ok(Busy(()))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        RUNNING.with(|running| running.set(false));
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;
    use crate::pool::PoolResult;
    use crate::pool::{SpinResult, SpinTask};
    use crate::trace::{Span, SpanKind};

    /// A fake engine that records what was posted where and answers each spin part with one span per task.
    struct Fake {
        threads: u32,
        shared: bool,
        posted: RefCell<Vec<(Option<u32>, PoolJob)>>,
    }

    impl Fake {
        fn new(threads: u32, shared: bool) -> Self {
            Fake {
                threads,
                shared,
                posted: RefCell::default(),
            }
        }

        fn answer(job: &PoolJob) -> PoolReport {
            let PoolJob::Spin { tasks } = job else {
                unreachable!()
            };
            PoolReport {
                spans: tasks
                    .iter()
                    .map(|t| Span {
                        lane: "worker-0".into(),
                        task: t.task.clone(),
                        label: t.label.clone(),
                        kind: SpanKind::Cpu,
                        start_ms: 0.0,
                        end_ms: t.ms,
                        simulated: false,
                    })
                    .collect(),
                result: PoolResult::Spin(SpinResult { lanes_used: 1 }),
            }
        }
    }

    impl Engine for Fake {
        fn threads(&self) -> u32 {
            self.threads
        }
        fn shared_memory(&self) -> bool {
            self.shared
        }
        fn post(&self, job: PoolJob) -> LocalBoxFuture<'static, Result<PoolReport, JuggleError>> {
            let report = Fake::answer(&job);
            self.posted.borrow_mut().push((None, job));
            future::ready(Ok(report)).boxed_local()
        }
        fn post_to(
            &self,
            worker: u32,
            part: PoolJob,
        ) -> LocalBoxFuture<'static, Result<PoolReport, JuggleError>> {
            let report = Fake::answer(&part);
            self.posted.borrow_mut().push((Some(worker), part));
            future::ready(Ok(report)).boxed_local()
        }
    }

    fn spin(names: &[&str]) -> PoolJob {
        PoolJob::Spin {
            tasks: names
                .iter()
                .map(|name| SpinTask {
                    task: (*name).into(),
                    label: "work".into(),
                    ms: 1.0,
                })
                .collect(),
        }
    }

    #[test]
    fn a_shared_memory_engine_gets_the_job_whole() {
        let engine = Fake::new(4, true);
        let report =
            futures::executor::block_on(Dispatch::new().run(&engine, spin(&["A", "B"]))).unwrap();
        assert_eq!(engine.posted.borrow().len(), 1);
        assert_eq!(engine.posted.borrow()[0].0, None);
        assert_eq!(report.spans.len(), 2);
    }

    #[test]
    fn message_passing_splits_puts_each_part_on_its_workers_lane_and_merges() {
        let engine = Fake::new(2, false);
        let report =
            futures::executor::block_on(Dispatch::new().run(&engine, spin(&["A", "B", "C"])))
                .unwrap();
        let posted = engine.posted.borrow();
        assert_eq!(posted.len(), 2);
        assert_eq!((posted[0].0, posted[1].0), (Some(0), Some(1)));
        let lanes: Vec<(&str, &str)> = report
            .spans
            .iter()
            .map(|s| (s.task.as_str(), s.lane.as_str()))
            .collect();
        assert_eq!(
            lanes,
            [("A", "worker-0"), ("C", "worker-0"), ("B", "worker-1")]
        );
        assert_eq!(report.spin().unwrap().lanes_used, 2);
    }

    #[test]
    fn one_part_jobs_rotate_over_the_workers() {
        let dispatch = Dispatch::new();
        let workers: Vec<u32> = (0..5)
            .map(|_| match dispatch.plan(spin(&["A"]), 3, false).unwrap() {
                Plan::Parts(parts) => parts[0].0,
                Plan::Whole(_) => unreachable!(),
            })
            .collect();
        assert_eq!(workers, [0, 1, 2, 0, 1]);
    }

    #[test]
    fn jobs_that_need_shared_memory_are_refused_without_it() {
        let job = PoolJob::Increment(crate::pool::IncrementJob {
            tasks: vec!["a".into()],
            increments: 1,
            method: crate::pool::IncrementMethod::FetchAdd,
        });
        let error = Dispatch::new().plan(job, 2, false).unwrap_err();
        assert_eq!(error.code, ErrorCode::NeedsSharedMemory);
    }

    #[test]
    fn the_busy_flag_refuses_a_second_run_until_the_first_ends() {
        let first = Busy::acquire().unwrap();
        assert_eq!(Busy::acquire().unwrap_err().code, ErrorCode::Busy);
        drop(first);
        let _again = Busy::acquire().unwrap();
    }
}
