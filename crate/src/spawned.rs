//! A task for a Web Worker started for it alone and ended after it: the "worker per request" of
//! `io-bound/workers`, the browser's version of starting a process for each download.
//!
//! The worker loads its own copy of the core; [`run`] then records, on the shared epoch clock, the worker's
//! start-up (from the moment the page created it), the task's wait and its CPU work, all on the task's own
//! lane. Free of web-sys: the browser layer calls it inside the spawned worker with its runtime.

use serde::{Deserialize, Serialize};

use crate::runtime::Runtime;
use crate::trace::{Span, SpanKind};

/// What a spawned worker does: wait (a timer, free to do nothing else), then work on the CPU.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpawnedTask {
    /// The lane its spans go on, for example `spawned-3`.
    pub lane: String,
    /// The task's name.
    pub task: String,
    /// What the wait stands for, for example `"network (simulated)"`.
    pub wait_label: String,
    /// How long it waits.
    pub wait_ms: f64,
    /// What the CPU work is, for example `"handle"`.
    pub work_label: String,
    /// How long it works.
    pub work_ms: f64,
}

/// What a spawned worker sends back: the spans it recorded and what its own wasm instance's memory had grown
/// to once the task was done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpawnedReport {
    /// Its spans, its start-up first.
    pub spans: Vec<Span>,
    /// The size of the worker's own wasm memory, in bytes (`memory.size` times the 64 KiB page), measured
    /// in the worker at the end of its task; `None` where the task ran natively (no instance of its own).
    /// The worker's JavaScript heap is not in it.
    pub memory_bytes: Option<f64>,
}

/// The size of this wasm instance's memory, in bytes; `None` natively.
pub fn instance_memory_bytes() -> Option<f64> {
    #[cfg(target_arch = "wasm32")]
    {
        Some((core::arch::wasm32::memory_size::<0>() * 65536) as f64)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// The lane name of the `n`th spawned worker of a run.
pub fn spawned_lane(n: usize) -> String {
    crate::lane::Lane::Spawned(n as u32).to_string()
}

/// Runs `task` on this worker's `rt` and returns its spans (times on `rt`'s clock) and its instance's
/// memory. `created_ms` is when the page created this worker, on the same clock: the time until now is the
/// worker's start-up.
pub async fn run(rt: &dyn Runtime, task: &SpawnedTask, created_ms: f64) -> SpawnedReport {
    let span = |label: &str, kind: SpanKind, start_ms, end_ms| Span {
        lane: task.lane.clone(),
        task: task.task.clone(),
        label: label.to_string(),
        kind,
        start_ms,
        end_ms,
        // The wait of a spawned task stands for its request's (simulated) network latency.
        simulated: kind == SpanKind::Wait,
    };
    let ready_ms = rt.now_ms();
    let mut spans = vec![span(
        "start a worker",
        SpanKind::Startup,
        created_ms,
        ready_ms,
    )];
    rt.sleep(task.wait_ms).await;
    let waited_ms = rt.now_ms();
    spans.push(span(&task.wait_label, SpanKind::Wait, ready_ms, waited_ms));
    rt.spin(task.work_ms);
    spans.push(span(
        &task.work_label,
        SpanKind::Cpu,
        waited_ms,
        rt.now_ms(),
    ));
    SpawnedReport {
        spans,
        memory_bytes: instance_memory_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimRuntime;

    #[test]
    fn a_spawned_task_records_start_up_then_wait_then_work() {
        let rt = SimRuntime::new();
        let task = SpawnedTask {
            lane: spawned_lane(1),
            task: "request 1".into(),
            wait_label: "network (simulated)".into(),
            wait_ms: 200.0,
            work_label: "handle".into(),
            work_ms: 2.0,
        };
        let report = rt.block_on({
            let rt = rt.clone();
            async move { run(&rt, &task, -30.0).await }
        });
        assert_eq!(report.memory_bytes, None, "natively no instance of its own");
        let spans = report.spans;
        let kinds: Vec<SpanKind> = spans.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [SpanKind::Startup, SpanKind::Wait, SpanKind::Cpu]);
        assert_eq!((spans[0].start_ms, spans[0].end_ms), (-30.0, 0.0));
        assert_eq!((spans[1].end_ms, spans[2].end_ms), (200.0, 202.0));
        assert!(spans.iter().all(|s| s.lane == "spawned-1"));
    }
}
