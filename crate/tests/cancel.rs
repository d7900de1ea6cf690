//! Cancelling pool jobs (native): its own test binary, because `cancel_all` stops every job of the
//! process, and the library's other tests run jobs in parallel.
#![cfg(not(target_arch = "wasm32"))]

use std::time::{Duration, Instant};

use juggle::{cancel_all, execute, PoolJob, SpinTask};

/// `cancel_all` stops every job of the process: the tests of this binary take turns.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn a_cancelled_job_stops_at_its_next_check_and_the_pool_stays_usable() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let origin = Instant::now();
    let clock = move || origin.elapsed().as_secs_f64() * 1000.0;
    let spin = |ms| PoolJob::Spin {
        tasks: vec![SpinTask {
            task: "A".into(),
            label: "work".into(),
            ms,
        }],
    };
    let started = Instant::now();
    let (report, ()) = pool.install(|| {
        rayon::join(
            || execute(&spin(10_000.0), &clock),
            || {
                std::thread::sleep(Duration::from_millis(50));
                cancel_all();
            },
        )
    });
    assert!(started.elapsed() < Duration::from_secs(5), "stopped early");
    let span = &report.spans[0];
    assert!(span.end_ms - span.start_ms < 5_000.0);

    // The next job runs in full.
    let next = pool.install(|| execute(&spin(30.0), &clock));
    let span = &next.spans[0];
    assert!(span.end_ms - span.start_ms >= 30.0);
}

#[test]
fn a_job_posted_before_a_cancel_and_started_after_it_does_not_run() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // One thread: the second job waits in rayon's queue behind the first.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let origin = Instant::now();
    let clock = move || origin.elapsed().as_secs_f64() * 1000.0;
    let spin = |ms| PoolJob::Spin {
        tasks: vec![SpinTask {
            task: "A".into(),
            label: "work".into(),
            ms,
        }],
    };
    let (sent, received) = std::sync::mpsc::channel();
    pool.install(|| {
        for _ in 0..2 {
            let sent = sent.clone();
            juggle::spawn_job(spin(400.0), clock, move |report| {
                let _ = sent.send(report);
            });
        }
    });
    std::thread::sleep(Duration::from_millis(50));
    let cancelled_at = Instant::now();
    cancel_all();
    let (first, second) = (received.recv().unwrap(), received.recv().unwrap());
    assert!(
        cancelled_at.elapsed() < Duration::from_millis(300),
        "both stopped soon after the cancel"
    );
    assert_eq!(
        first.unwrap().spans.len(),
        1,
        "the running job stopped early"
    );
    let second = second.unwrap();
    assert!(
        second.spans.is_empty(),
        "the queued job did nothing: {second:?}"
    );
}
