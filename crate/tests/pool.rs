//! The rayon pool on Web Workers over shared memory, in real Chromium. Runs in a dedicated worker, as the
//! page's engine worker does: only a worker may block while the pool works.
#![cfg(all(target_arch = "wasm32", target_feature = "atomics"))]

use std::collections::BTreeSet;

use juggle::pool::{execute, PoolJob, SpinTask};
use juggle::web::{epoch_ms, init_thread_pool};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[wasm_bindgen_test]
async fn the_pool_runs_tasks_at_the_same_time_on_two_worker_threads() {
    JsFuture::from(init_thread_pool(2))
        .await
        .expect("the pool starts");
    let tasks = ["A", "B", "C", "D"]
        .map(|name| SpinTask {
            task: name.into(),
            label: "compute".into(),
            ms: 150.0,
        })
        .to_vec();
    let report = execute(&PoolJob::Spin { tasks }, &epoch_ms);

    let lanes: BTreeSet<&str> = report.spans.iter().map(|s| s.lane.as_str()).collect();
    assert!(lanes.len() >= 2, "work ran on {lanes:?}");
    assert!(lanes.iter().all(|lane| lane.starts_with("worker-")));
    let overlapping = report.spans.iter().any(|a| {
        report
            .spans
            .iter()
            .any(|b| a.lane != b.lane && a.start_ms < b.end_ms && b.start_ms < a.end_ms)
    });
    assert!(overlapping, "spans on different workers overlap in time");
}
