//! Helpers for native tests: run a scenario on the simulated event loop.

use std::rc::Rc;

use futures::FutureExt;

use crate::catalog;
use crate::error::JuggleError;
use crate::params::RawValue;
use crate::pool::Pool;
use crate::rayon_pool::RayonPool;
use crate::request::{self, Fault};
use crate::runner;
use crate::runtime::Runtime;
use crate::sim::SimRuntime;
use crate::trace::{Env, Trace};

/// Runs scenario `id` with text parameters on [`SimRuntime`], without a pool.
pub fn try_run_sim(id: &str, raw: &[(&str, &str)]) -> Result<Trace, JuggleError> {
    run_sim_with(id, raw, None, None)
}

/// Like [`try_run_sim`], with a fault caused on purpose.
pub fn try_run_sim_with_fault(
    id: &str,
    raw: &[(&str, &str)],
    fault: Fault,
) -> Result<Trace, JuggleError> {
    run_sim_with(id, raw, None, Some(fault))
}

/// Like [`try_run_sim`], cancelling the run after `ms` of virtual time; returns the result and the virtual
/// time at which the run ended.
pub fn try_run_sim_cancelled_after(
    id: &str,
    raw: &[(&str, &str)],
    ms: f64,
) -> (Result<Trace, JuggleError>, f64) {
    let rt = SimRuntime::new();
    let result = run_sim_with(id, raw, Some((rt.clone(), ms)), None);
    (result, rt.now_ms())
}

fn run_sim_with(
    id: &str,
    raw: &[(&str, &str)],
    cancel: Option<(SimRuntime, f64)>,
    fault: Option<Fault>,
) -> Result<Trace, JuggleError> {
    let spec = catalog::find(id)?;
    let raw: Vec<(String, RawValue)> = raw
        .iter()
        .map(|(k, v)| (k.to_string(), RawValue::Text(v.to_string())))
        .collect();
    let mut request = request::parse(spec, &raw)?;
    request.fault = fault;
    let (rt, cancelled) = match cancel {
        Some((rt, ms)) => {
            let timer = rt.sleep(ms);
            (rt, timer)
        }
        None => (SimRuntime::new(), futures::future::pending().boxed_local()),
    };
    let env = Env {
        mode: "simulated".into(),
        ..Env::default()
    };
    let trace = rt.block_on(runner::run(
        request,
        Rc::new(rt.clone()),
        env,
        None,
        cancelled,
    ))?;
    one_thing_at_a_time(&trace);
    Ok(trace)
}

/// Every native run of every variant checks the invariant of every picture (see
/// [`Trace::one_thing_at_a_time`]).
fn one_thing_at_a_time(trace: &Trace) {
    if let Err(broken) = trace.one_thing_at_a_time() {
        panic!("one thread executes one thing at a time: {broken}");
    }
}

/// Runs scenario `id` with text parameters on [`SimRuntime`] with a native [`RayonPool`] of `threads`
/// threads as its pool.
pub fn try_run_native_pool(
    id: &str,
    raw: &[(&str, &str)],
    threads: usize,
) -> Result<Trace, JuggleError> {
    let spec = catalog::find(id)?;
    let raw: Vec<(String, RawValue)> = raw
        .iter()
        .map(|(k, v)| (k.to_string(), RawValue::Text(v.to_string())))
        .collect();
    let request = request::parse(spec, &raw)?;
    let pool = Rc::new(RayonPool::new(threads)?) as Rc<dyn Pool>;
    let rt = SimRuntime::new();
    let env = Env {
        mode: "native".into(),
        ..Env::default()
    };
    let trace = rt.block_on(runner::run(
        request,
        Rc::new(rt.clone()),
        env,
        Some(pool),
        futures::future::pending().boxed_local(),
    ))?;
    one_thing_at_a_time(&trace);
    Ok(trace)
}

/// Like [`try_run_native_pool`] on 2 threads, panicking on error.
pub fn run_native_pool(id: &str, raw: &[(&str, &str)]) -> Trace {
    try_run_native_pool(id, raw, 2).unwrap_or_else(|error| panic!("{id} failed: {error}"))
}

/// Every declared variant run natively with its defaults, as `(scenario id, variant id, trace)`: on
/// [`SimRuntime`], with a 2-thread [`RayonPool`] for the pool variants; `workers` variants (Web Workers
/// started for the run) are left out, having no native equivalent.
pub fn run_every_variant() -> Vec<(&'static str, &'static str, Trace)> {
    use crate::scenario::Placement;
    let mut runs = Vec::new();
    for spec in catalog::all() {
        for variant in spec.variants {
            let trace = match variant.placement {
                Placement::Main => run_sim(spec.id, &[("variant", variant.id)]),
                Placement::Workers => continue,
                Placement::Pool | Placement::SharedMemory => {
                    run_native_pool(spec.id, &[("variant", variant.id)])
                }
            };
            runs.push((spec.id, variant.id, trace));
        }
    }
    runs
}

/// Like [`try_run_sim`], panicking on error.
pub fn run_sim(id: &str, raw: &[(&str, &str)]) -> Trace {
    try_run_sim(id, raw).unwrap_or_else(|error| panic!("{id} failed: {error}"))
}
