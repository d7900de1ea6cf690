//! The rayon pool on Web Workers over shared memory, in real Chromium. Runs in a dedicated worker, as the
//! page's engine worker does: only a worker may block while the pool works.
#![cfg(all(target_arch = "wasm32", target_feature = "atomics"))]

use std::collections::BTreeSet;

use juggle::web::{epoch_ms, execute_pool_job, init_thread_pool};
use juggle::{
    execute, IncrementJob, IncrementMethod, IncrementResult, PoolJob, PrimesJob, SpinTask,
    ThreadWork, GIL_LANE,
};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

thread_local! {
    static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Starts the global pool once per test binary.
async fn pool() {
    if !STARTED.with(|started| started.replace(true)) {
        JsFuture::from(init_thread_pool(2))
            .await
            .expect("the pool starts");
    }
}

fn increments(method: IncrementMethod) -> IncrementResult {
    let job = PoolJob::Increment(IncrementJob {
        tasks: vec!["a".into(), "b".into()],
        // About 50 ms per thread: the threads surely overlap, even on a busy machine.
        increments: 10_000,
        method,
    });
    execute(&job, &epoch_ms).increment().unwrap()
}

#[wasm_bindgen_test]
async fn threads_that_load_then_store_lose_updates() {
    pool().await;
    let result = increments(IncrementMethod::LoadThenStore);
    assert!(result.lost > 0, "{result:?}");
}

#[wasm_bindgen_test]
async fn fetch_add_and_a_mutex_are_exact_on_threads() {
    pool().await;
    for method in [IncrementMethod::FetchAdd, IncrementMethod::Mutex] {
        let result = increments(method);
        assert_eq!(result.lost, 0, "{method:?}: {result:?}");
        assert_eq!(result.final_count, 20_000);
    }
}

#[wasm_bindgen_test]
async fn the_pool_runs_tasks_at_the_same_time_on_two_worker_threads() {
    pool().await;
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

#[wasm_bindgen_test]
async fn counting_primes_gives_the_same_answer_at_every_thread_count_and_piece_size() {
    pool().await;
    let limit = 200_000;
    let mut answers = Vec::new();
    for pieces in [256, limit] {
        for threads in [1, 2] {
            let job = PoolJob::CountPrimes(PrimesJob {
                limit,
                pieces,
                threads,
                label: format!("{threads} threads"),
                deal: None,
            });
            let report = execute(&job, &epoch_ms);
            let result = report.primes().unwrap();
            assert_eq!(result.lanes_used, threads as usize, "{result:?}");
            answers.push(result.primes);
        }
    }
    assert_eq!(answers, [17_984; 4], "pi(200000) every time");
}

#[wasm_bindgen_test]
async fn a_job_that_panics_on_a_pool_thread_is_refused_and_the_pool_keeps_working() {
    pool().await;
    let spin = PoolJob::Spin {
        tasks: ["A", "B", "C", "D"]
            .map(|name| SpinTask {
                task: name.into(),
                label: "compute".into(),
                ms: 60.0,
            })
            .to_vec(),
    };
    let panicking = PoolJob::Panicking {
        job: Box::new(spin.clone()),
    };
    let to_js = |job: &PoolJob| serde_wasm_bindgen::to_value(job).unwrap();
    let error = execute_pool_job(to_js(&panicking)).await.unwrap_err();
    let field = |name: &str| {
        js_sys::Reflect::get(&error, &name.into())
            .unwrap()
            .as_string()
    };
    assert_eq!(field("code").as_deref(), Some("panicked"));
    let message = field("message").unwrap();
    assert!(
        message
            .contains("a pool job panicked: test fault: a panic on purpose on pool thread worker-"),
        "{message}"
    );
    // Both threads still take jobs.
    let report = execute_pool_job(to_js(&spin))
        .await
        .expect("the next job runs");
    let report: juggle::PoolReport = serde_wasm_bindgen::from_value(report).unwrap();
    assert_eq!(report.spin().unwrap().lanes_used, 2);
}

/// Eight 30 ms CPU tasks on two threads, under a GIL (switch every 5 ms) or with none.
fn cpu_on_two_threads(switch_ms: Option<f64>) -> juggle::PoolReport {
    let job = PoolJob::Threads {
        threads: 2,
        tasks: 8,
        work: ThreadWork::Cpu { ms: 30.0 },
        switch_ms,
    };
    execute(&job, &epoch_ms)
}

#[wasm_bindgen_test]
async fn threads_under_the_gil_take_turns_and_without_it_they_compute_at_once() {
    pool().await;
    let gil = cpu_on_two_threads(Some(5.0));
    let mut holds: Vec<_> = gil.spans.iter().filter(|s| s.lane == GIL_LANE).collect();
    holds.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
    assert!(
        holds.windows(2).all(|w| w[0].end_ms <= w[1].start_ms),
        "one holder at a time"
    );
    let holders: BTreeSet<&str> = holds.iter().map(|s| s.task.as_str()).collect();
    assert_eq!(holders.len(), 2, "both threads held it in turn");
    let with_gil = gil.threads().unwrap();
    assert!(with_gil.ms >= 0.9 * 8.0 * 30.0, "serialised: {with_gil:?}");
    let free = cpu_on_two_threads(None).threads().unwrap();
    assert_eq!(free.holds, 0);
    assert!(free.ms < with_gil.ms, "no GIL {free:?} vs GIL {with_gil:?}");
}
