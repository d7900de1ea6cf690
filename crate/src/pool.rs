//! Parallel work for the worker pool: a [`PoolJob`] describes it, [`execute`] runs it on rayon, and the
//! [`Pool`] trait is how main-thread scenario code hands a job over and awaits its [`PoolReport`].
//!
//! In the browser the pool lives in a dedicated Worker (the engine, `www/engine-worker.js`), which owns a wasm
//! instance and the rayon threads; the page's main thread never calls into rayon, so it never blocks on the
//! pool's locks (wasm-bindgen-rayon#36). Jobs and reports cross as plain data.

use futures::future::LocalBoxFuture;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::JuggleError;
use crate::trace::{Span, SpanKind};

/// The lane name of a pool thread: `worker-N`, N being rayon's thread index.
pub fn worker_lane(index: usize) -> String {
    format!("worker-{index}")
}

/// A piece of parallel work, as data so that it can be posted to the engine worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PoolJob {
    /// Busy tasks, run in parallel: each keeps one pool thread busy for its `ms`.
    Spin {
        /// The tasks.
        tasks: Vec<SpinTask>,
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
    /// Job-specific result.
    pub result: serde_json::Value,
}

/// Runs `job` on the current rayon pool and records it with `clock` (milliseconds; in the browser the
/// epoch-based clock that all workers share). Blocks the calling thread until the job is done, so call it
/// from a worker, never from the page's main thread.
pub fn execute(job: &PoolJob, clock: &(dyn Fn() -> f64 + Sync)) -> PoolReport {
    match job {
        PoolJob::Spin { tasks } => {
            let spans: Vec<Span> = tasks
                .par_iter()
                .with_max_len(1)
                .map(|task| {
                    let start_ms = clock();
                    let end = start_ms + task.ms;
                    while clock() < end {
                        std::hint::spin_loop();
                    }
                    Span {
                        lane: worker_lane(rayon::current_thread_index().unwrap_or(0)),
                        task: task.task.clone(),
                        label: task.label.clone(),
                        kind: SpanKind::Cpu,
                        start_ms,
                        end_ms: clock(),
                    }
                })
                .collect();
            let lanes: std::collections::BTreeSet<&str> =
                spans.iter().map(|s| s.lane.as_str()).collect();
            let result = serde_json::json!({ "lanes_used": lanes.len() });
            PoolReport { spans, result }
        }
    }
}

/// The worker pool as main-thread code sees it: hand over a job, await its report.
pub trait Pool {
    /// How many threads the pool has.
    fn threads(&self) -> u32;

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

    #[test]
    fn spin_tasks_run_at_the_same_time_on_distinct_threads() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let origin = Instant::now();
        let clock = move || origin.elapsed().as_secs_f64() * 1000.0;
        let job = PoolJob::Spin {
            tasks: ["A", "B"]
                .map(|name| SpinTask {
                    task: name.into(),
                    label: "work".into(),
                    ms: 200.0,
                })
                .to_vec(),
        };
        let report = pool.install(|| execute(&job, &clock));
        let (a, b) = (&report.spans[0], &report.spans[1]);
        assert_ne!(a.lane, b.lane);
        assert!(
            a.start_ms < b.end_ms && b.start_ms < a.end_ms,
            "spans overlap"
        );
        assert_eq!(report.result["lanes_used"], 2);
    }

    #[test]
    fn jobs_round_trip_as_tagged_data() {
        let job = PoolJob::Spin { tasks: vec![] };
        let text = serde_json::to_string(&job).unwrap();
        assert_eq!(text, r#"{"kind":"spin","tasks":[]}"#);
        assert_eq!(serde_json::from_str::<PoolJob>(&text).unwrap(), job);
    }
}
