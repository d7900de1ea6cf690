//! `count` in real Chromium, on the page's main thread (`wasm-pack test --headless --chrome`).
// The build without atomics only: the threaded one has none of the page's exports (`run_scenario`).
#![cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]

mod common;

use common::{run, text_params};
use futures::future::join;
use juggle::web::run_scenario;
use juggle::SpanKind;
use juggle::{ErrorCode, Trace};
use wasm_bindgen::JsValue;
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
async fn async_tasks_with_a_blocking_wait_inside_print_pairs_and_freeze_the_heartbeat() {
    let trace = count("blocking-in-async").await;
    assert_eq!(trace.texts(), ["One", "Two", "One", "Two", "One", "Two"]);
    assert!(
        trace.total_ms >= 3.0 * 200.0,
        "three blocking waits add up: {}",
        trace.total_ms
    );
    assert!(
        trace.heartbeat.frozen,
        "the loop was frozen: {:?}",
        trace.heartbeat.frozen_gaps
    );
    assert!(trace
        .lane("main")
        .iter()
        .all(|s| s.kind == SpanKind::Blocked));
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
        "task".into(),
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
    let trace = juggle::web::run(
        "count".into(),
        params.into(),
        None,
        None,
        JsValue::UNDEFINED,
    )
    .await;
    assert!(trace.is_ok(), "{trace:?}");
}

/// Runs `juggle.run(id, params)` through the export and returns the rejection's code, or `"resolved"`.
async fn code_of_run(id: JsValue, params: JsValue) -> String {
    match juggle::web::run(id, params, None, None, JsValue::UNDEFINED).await {
        Ok(_) => "resolved".to_string(),
        Err(error) => code_and_message(&error).0,
    }
}

#[wasm_bindgen_test]
async fn odd_arguments_reject_with_a_code_and_the_next_run_works() {
    let throwing_getter = js_sys::Function::new_no_args(
        "return Object.defineProperty({}, 'tasks', { enumerable: true, get() { throw new Error('getter'); } });",
    )
    .call0(&JsValue::NULL)
    .unwrap();
    let throwing_proxy = js_sys::Function::new_no_args(
        "const trap = () => { throw new Error('trap'); }; \
         return new Proxy({}, { ownKeys: trap, get: trap, getOwnPropertyDescriptor: trap, has: trap });",
    )
    .call0(&JsValue::NULL)
    .unwrap();
    let revoked = js_sys::Function::new_no_args(
        "const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy;",
    )
    .call0(&JsValue::NULL)
    .unwrap();
    let to_string = js_sys::Function::new_no_args("return { toString() { return 'count'; } };")
        .call0(&JsValue::NULL)
        .unwrap();
    let symbol: JsValue = js_sys::Symbol::for_("x").into();
    let big: JsValue = js_sys::BigInt::from(7_u32).into();
    let huge: JsValue = "x".repeat(100_000).into();
    let count: JsValue = "count".into();
    let cases: Vec<(JsValue, JsValue, &str)> = vec![
        (123.into(), JsValue::UNDEFINED, "invalid-argument"),
        (JsValue::NULL, JsValue::UNDEFINED, "invalid-argument"),
        (to_string, JsValue::UNDEFINED, "invalid-argument"),
        (symbol.clone(), JsValue::UNDEFINED, "invalid-argument"),
        (big.clone(), JsValue::UNDEFINED, "invalid-argument"),
        (huge.clone(), JsValue::UNDEFINED, "invalid-argument"),
        (count.clone(), throwing_getter, "invalid-params"),
        (count.clone(), throwing_proxy, "invalid-params"),
        (count.clone(), revoked, "invalid-params"),
        (count.clone(), 5.into(), "invalid-params"),
        (count.clone(), symbol, "invalid-params"),
        (count.clone(), js_sys::Array::new().into(), "invalid-params"),
    ];
    // (Not `{:?}` of the arguments: formatting a JsValue reads it, and these throw when read.)
    for (case, (id, params, expected)) in cases.into_iter().enumerate() {
        assert_eq!(code_of_run(id, params).await, expected, "case {case}");
    }
    // Odd values inside a good object are parameter errors, not crashes.
    let params = js_sys::Object::new();
    js_sys::Reflect::set(&params, &"tasks".into(), &big).unwrap();
    assert_eq!(
        code_of_run(count.clone(), params.into()).await,
        "invalid-parameter"
    );
    let params = js_sys::Object::new();
    js_sys::Reflect::set(&params, &"tasks".into(), &huge).unwrap();
    assert_eq!(
        code_of_run(count.clone(), params.into()).await,
        "invalid-parameter"
    );
    // And the next run works.
    let params = js_sys::Object::new();
    js_sys::Reflect::set(&params, &"sleep_ms".into(), &0.into()).unwrap();
    assert_eq!(code_of_run(count, params.into()).await, "resolved");
}

#[wasm_bindgen_test]
fn the_other_exports_refuse_odd_arguments_with_a_code() {
    let code = |result: Result<JsValue, JsValue>| match result {
        Ok(_) => "ok".to_string(),
        Err(error) => code_and_message(&error).0,
    };
    let symbol: JsValue = js_sys::Symbol::for_("x").into();
    assert_eq!(
        code(juggle::web::trace_at(JsValue::NULL, 1.into())),
        "invalid-argument"
    );
    assert_eq!(
        code(juggle::web::trace_at(JsValue::NULL, symbol.clone())),
        "invalid-argument"
    );
    assert_eq!(
        code(juggle::web::export_trace(JsValue::NULL, "json".into()).map(JsValue::from)),
        "invalid-argument"
    );
    assert_eq!(
        code(juggle::web::export_trace(JsValue::NULL, symbol.clone()).map(JsValue::from)),
        "invalid-argument"
    );
    assert_eq!(
        code(juggle::web::estimate_run(symbol, JsValue::UNDEFINED, 2.into()).map(JsValue::from)),
        "invalid-argument"
    );
    assert!(juggle::web::scenarios(JsValue::TRUE).is_ok());
}
