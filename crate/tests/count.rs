//! `count` in real Chromium, on the page's main thread (`wasm-pack test --headless --chrome`).
#![cfg(target_arch = "wasm32")]

mod common;

use common::{run, text_params};
use futures::future::join;
use juggle::trace::SpanKind;
use juggle::web::run_scenario;
use juggle::{ErrorCode, Trace};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn count(variant: &str) -> Trace {
    run("count", &[("variant", variant), ("sleep_ms", "200")]).await
}

#[wasm_bindgen_test]
async fn async_count_prints_all_ones_before_any_two() {
    let trace = count("async").await;
    assert_eq!(trace.texts(), ["One", "One", "One", "Two", "Two", "Two"]);
    let waits = trace.lane("main");
    assert!(waits.iter().all(|s| s.kind == SpanKind::Wait));
    let last_start = waits.iter().map(|s| s.start_ms).fold(0.0, f64::max);
    let first_end = waits.iter().map(|s| s.end_ms).fold(f64::INFINITY, f64::min);
    assert!(last_start < first_end, "all three waits overlap");
}

#[wasm_bindgen_test]
async fn sync_count_prints_pairs_and_freezes_the_heartbeat() {
    let trace = count("sync").await;
    assert_eq!(trace.texts(), ["One", "Two", "One", "Two", "One", "Two"]);
    assert!(
        trace.total_ms >= 3.0 * 200.0,
        "three blocking waits add up: {}",
        trace.total_ms
    );
    assert!(
        trace.heartbeat.max_gap_ms >= 0.9 * trace.total_ms,
        "the heartbeat could not run: gap {} of {}",
        trace.heartbeat.max_gap_ms,
        trace.total_ms
    );
}

#[wasm_bindgen_test]
async fn async_count_takes_less_than_half_the_time_of_sync_count() {
    let sync = count("sync").await;
    let asynchronous = count("async").await;
    assert!(
        asynchronous.total_ms < sync.total_ms / 2.0,
        "async {} ms vs sync {} ms",
        asynchronous.total_ms,
        sync.total_ms
    );
    assert!(asynchronous.heartbeat.max_gap_ms < sync.heartbeat.max_gap_ms / 4.0);
}

#[wasm_bindgen_test]
async fn a_run_started_while_another_runs_is_refused() {
    let (short, defaults) = (
        text_params(&[("variant", "async"), ("sleep_ms", "50")]),
        text_params(&[]),
    );
    let first = run_scenario("count", &short, None, None);
    let second = run_scenario("count", &defaults, None, None);
    let (first, second) = join(first, second).await;
    assert!(first.is_ok());
    assert_eq!(second.unwrap_err().code, ErrorCode::Busy);
}

#[wasm_bindgen_test]
async fn bad_parameters_are_refused_before_running() {
    let error = run_scenario("count", &text_params(&[("tasks", "0")]), None, None)
        .await
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidParameter);
    assert!(error.message.contains("from 1 to 10"), "{}", error.message);
}

/// The `code` and `message` of an error that `juggle.run` rejected with.
fn code_and_message(error: &wasm_bindgen::JsValue) -> (String, String) {
    let field = |name: &str| {
        js_sys::Reflect::get(error, &name.into())
            .ok()
            .and_then(|value| value.as_string())
            .unwrap_or_default()
    };
    (field("code"), field("message"))
}

#[wasm_bindgen_test]
async fn a_task_that_panics_rejects_the_run_and_the_next_run_works() {
    let params = js_sys::Object::new();
    js_sys::Reflect::set(&params, &"sleep_ms".into(), &20.into()).unwrap();
    let error = juggle::web::run(
        "count".into(),
        params.clone().into(),
        None,
        None,
        Some("task".into()),
    )
    .await
    .unwrap_err();
    let (code, message) = code_and_message(&error);
    assert_eq!(code, "panicked");
    assert!(
        message.contains("count/sync panicked: test fault: a cooperative task panicked"),
        "{message}"
    );
    // The busy flag was released and the instance is usable.
    let trace = juggle::web::run("count".into(), params.into(), None, None, None).await;
    assert!(trace.is_ok(), "{trace:?}");
}
