//! Cooperative scenarios in real Chromium, on the page's main thread: each variant's lesson, by shape.
// The build without atomics only: the threaded one has none of the page's exports (`run_scenario`).
#![cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]

mod common;

use common::run;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CPU: [(&str, &str); 2] = [("tasks", "5"), ("task_ms", "60")];

#[wasm_bindgen_test]
async fn cpu_in_async_without_await_runs_tasks_in_order_and_freezes_the_heartbeat() {
    let trace = run("cpu-in-async", &[("variant", "async"), CPU[0], CPU[1]]).await;
    let spans = trace.lane("main");
    assert!(
        spans.windows(2).all(|w| w[0].end_ms <= w[1].start_ms),
        "no overlap"
    );
    let order: Vec<&str> = spans.iter().map(|s| s.task.as_str()).collect();
    assert_eq!(order, ["page 1", "page 2", "page 3", "page 4", "page 5"]);
    assert!(
        trace.heartbeat.max_gap_ms >= 0.9 * trace.total_ms,
        "gap {} of {}",
        trace.heartbeat.max_gap_ms,
        trace.total_ms
    );
}

#[wasm_bindgen_test]
async fn cpu_in_async_with_microtask_yields_interleaves_but_the_heartbeat_never_fires() {
    let trace = run(
        "cpu-in-async",
        &[("variant", "yield-micro"), CPU[0], CPU[1]],
    )
    .await;
    let texts = trace.texts();
    assert!(
        texts[..5].iter().all(|t| t.starts_with("start")),
        "{texts:?}"
    );
    assert!(
        trace.heartbeat.samples.is_empty(),
        "microtasks never let timers run, yet {} beats ran",
        trace.heartbeat.samples.len()
    );
    assert!(trace.heartbeat.max_gap_ms >= 0.9 * trace.total_ms);
}

#[wasm_bindgen_test]
async fn cpu_in_async_with_macrotask_yields_interleaves_and_lets_the_heartbeat_run() {
    let trace = run(
        "cpu-in-async",
        &[("variant", "yield-macro"), CPU[0], CPU[1]],
    )
    .await;
    let texts = trace.texts();
    assert!(
        texts[..5].iter().all(|t| t.starts_with("start")),
        "{texts:?}"
    );
    assert!(
        trace.total_ms >= 5.0 * 60.0,
        "no speedup: {}",
        trace.total_ms
    );
    assert!(
        trace.heartbeat.max_gap_ms < trace.total_ms / 4.0,
        "gap {} of {}",
        trace.heartbeat.max_gap_ms,
        trace.total_ms
    );
    assert!(
        trace.heartbeat.samples.len() >= 5,
        "the heartbeat ran throughout"
    );
}

#[wasm_bindgen_test]
async fn io_bound_concurrent_takes_about_one_latency() {
    let trace = run(
        "io-bound",
        &[
            ("variant", "concurrent"),
            ("requests", "10"),
            ("latency_ms", "150"),
        ],
    )
    .await;
    assert!(
        // One latency and some timer lateness; one at a time would take ten.
        trace.total_ms >= 150.0 && trace.total_ms < 3.0 * 150.0,
        "{}",
        trace.total_ms
    );
    assert_eq!(trace.output.len(), 10);
}

#[wasm_bindgen_test]
async fn io_bound_sequential_takes_at_least_requests_times_latency() {
    let trace = run(
        "io-bound",
        &[
            ("variant", "sequential"),
            ("requests", "5"),
            ("latency_ms", "60"),
        ],
    )
    .await;
    assert!(trace.total_ms >= 5.0 * 60.0, "{}", trace.total_ms);
}

#[wasm_bindgen_test]
async fn io_bound_limited_takes_about_ceil_requests_over_limit_latencies() {
    let pairs = [
        ("variant", "limited"),
        ("requests", "10"),
        ("limit", "3"),
        ("latency_ms", "100"),
    ];
    let trace = run("io-bound", &pairs).await;
    let rounds = 4.0; // ceil(10 / 3)
    assert!(
        // Rounds of timers each a little late; all at once would take one latency, one at a time ten.
        trace.total_ms >= rounds * 100.0 && trace.total_ms < (rounds + 2.0) * 100.0,
        "{}",
        trace.total_ms
    );
    assert_eq!(trace.result["in_flight_max"], 3);
}

#[wasm_bindgen_test]
async fn race_with_an_await_between_read_and_write_loses_updates() {
    for tasks in ["2", "4"] {
        let trace = run("race", &[("variant", "await-race"), ("tasks", tasks)]).await;
        assert!(
            trace.result["lost"].as_u64().unwrap() > 0,
            "{}",
            trace.result
        );
    }
}

#[wasm_bindgen_test]
async fn race_with_an_async_lock_is_exact() {
    let trace = run("race", &[("variant", "await-locked")]).await;
    assert_eq!(trace.result["lost"], 0);
    assert_eq!(trace.result["final"], trace.result["expected"]);
}

#[wasm_bindgen_test]
async fn queue_unbounded_grows_bounded_keeps_maxsize_and_makes_the_producer_wait() {
    let quick = [("items", "10"), ("produce_ms", "5"), ("consume_ms", "25")];
    let unbounded = run(
        "queue",
        &[("variant", "unbounded"), quick[0], quick[1], quick[2]],
    )
    .await;
    let high = unbounded.result["high_water"].as_u64().unwrap();
    assert!(high >= 5, "the producer ran ahead: high-water {high}");
    let bounded = run(
        "queue",
        &[("variant", "bounded"), quick[0], quick[1], quick[2]],
    )
    .await;
    assert_eq!(bounded.result["high_water"], 3);
    assert!(bounded
        .spans
        .iter()
        .any(|s| s.task == "producer" && s.label == "put: wait for room"));
    let consumers = run(
        "queue",
        &[("variant", "consumers"), quick[0], quick[1], quick[2]],
    )
    .await;
    assert!(
        consumers.total_ms < bounded.total_ms / 2.0,
        "four consumers {} ms vs one {} ms",
        consumers.total_ms,
        bounded.total_ms
    );
}

#[wasm_bindgen_test]
async fn ten_thousand_concurrent_requests_take_about_one_latency_and_report_their_heap_cost() {
    let trace = run(
        "io-bound",
        &[
            ("variant", "concurrent"),
            ("requests", "10000"),
            ("latency_ms", "200"),
            ("work_ms", "0"),
        ],
    )
    .await;
    // Every request was waiting at one instant: their waits overlapped.
    assert_eq!(trace.result["in_flight_max"], 10_000);
    // One at a time, the run would wait 10,000 latencies; overlapped, it waits about one, plus the cost
    // of making and finishing 10,000 tasks (CPython: 0.53 s in all; this debug build on a quiet machine
    // 0.6-0.7 s, about 1 s on a loaded one, 3.3 s once with a load average of 10 on 2 cores). A ratio,
    // with room for a loaded machine: a hundredth of the waits one after another is still overlap.
    let one_at_a_time_ms = trace.result["latency_sum_ms"].as_f64().unwrap();
    assert!(
        trace.total_ms * 100.0 < one_at_a_time_ms,
        "about one latency: {} ms, against {one_at_a_time_ms} ms one at a time",
        trace.total_ms
    );
    let per_task = trace.result["heap_per_task_bytes"].as_f64().unwrap();
    assert!(
        (50.0..100_000.0).contains(&per_task),
        "{per_task} B per waiting request"
    );
    assert_eq!(trace.result["rows_shown"], 20);
}
