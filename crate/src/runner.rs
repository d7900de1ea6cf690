//! One run from start to trace: validate nothing (that is [`crate::params`]), start the heartbeat, run the
//! variant, stop the heartbeat, assemble the [`Trace`]. Free of web-sys: the browser and the native tests
//! both come through here.

use std::cell::RefCell;
use std::panic::AssertUnwindSafe;
use std::rc::Rc;

use futures::future::{self, Either, FutureExt, LocalBoxFuture};

use crate::error::{ErrorCode, JuggleError};
use crate::explain;
use crate::fault;
use crate::heartbeat;
use crate::panic;
use crate::params::Params;
use crate::pool::Pool;
use crate::request::{Fault, Request};
use crate::runtime::Rt;
use crate::scenario::{availability, RunContext};
use crate::trace::{Env, Recorder, Span, SpanKind, Trace, MAIN_LANE};

/// Converts validated params to the trace's map form.
pub fn params_map(params: &Params) -> std::collections::BTreeMap<String, u32> {
    params.iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// Runs a validated request with the heartbeat beside it and returns the trace. If `cancelled` completes
/// first, the run stops: its cooperative tasks are dropped at their current await, the pool is told to
/// stop the run's jobs, and the run fails with [`ErrorCode::Cancelled`]. A run that fails because a pool
/// job panicked or the pool failed also tells the pool to stop the run's other jobs.
///
/// A request's [`Fault`] (tests only) makes a task panic on purpose: beside the variant, or in its pool jobs.
///
/// A variant placed on the pool first starts the pool if it has not started yet: that run shows the
/// start-up as a `startup` span (the main thread only awaits it), and every later run finds it running.
pub async fn run(
    request: Request,
    rt: Rt,
    mut env: Env,
    pool: Option<Rc<dyn Pool>>,
    cancelled: LocalBoxFuture<'static, ()>,
) -> Result<Trace, JuggleError> {
    crate::caps::check(&request, pool.as_ref().map_or(1, |pool| pool.threads()))?;
    panic::install_hook();
    let rec = Recorder::start(rt);
    let interval_ms = request.params.ms("heartbeat_ms");
    let beats = Rc::new(RefCell::new(Vec::new()));
    let heartbeat = heartbeat::beat(Rc::clone(&rec), interval_ms, Rc::clone(&beats));

    let pool = match (request.fault, pool) {
        (Some(Fault::Pool), Some(pool)) => {
            Some(Rc::new(fault::PanickingPool(pool)) as Rc<dyn Pool>)
        }
        (_, pool) => pool,
    };
    let ctx = RunContext::new(
        request.scenario.variants,
        request.variant_index,
        request.params.clone(),
        Rc::clone(&rec),
        pool,
    );
    let what = format!("{}/{}", request.scenario.id, request.variant.id);
    let scenario = async {
        if request.variant.placement.needs_pool() {
            start_pool(&ctx, &what).await?;
        }
        let variant = (request.scenario.run)(&ctx);
        match request.fault {
            Some(Fault::Task) => fault::beside_a_panicking_task(&ctx, variant).await,
            _ => variant.await,
        }
    };
    // The heartbeat is polled first so its first timer is set before the scenario can block the thread. A
    // panic anywhere in the run is caught here: the run's futures are dropped (timers cleared, the busy
    // flag released) and nothing of them is used again, so asserting unwind safety is sound.
    let work =
        AssertUnwindSafe(future::select(Box::pin(heartbeat), Box::pin(scenario))).catch_unwind();
    let outcome = match future::select(work, cancelled).await {
        Either::Left((Ok(Either::Right((outcome, _heartbeat))), _)) => outcome,
        Either::Left((Ok(Either::Left(((), _))), _)) => {
            unreachable!("the heartbeat never ends by itself")
        }
        Either::Left((Err(payload), _)) => Err(panic::panicked(&what, payload.as_ref())),
        Either::Right(((), work)) => {
            drop(work);
            if let Some(pool) = ctx.pool_if_any() {
                pool.cancel();
            }
            return Err(JuggleError::new(
                ErrorCode::Cancelled,
                format!(
                    "{what} was cancelled after {:.0} ms; nothing of it is kept",
                    rec.now()
                ),
            ));
        }
    };
    let result = match outcome {
        Ok(result) => result,
        Err(error) => {
            // Jobs of this run still on the pool (posted beside the one that failed) are not wanted.
            if matches!(error.code, ErrorCode::Panicked | ErrorCode::PoolFailed) {
                if let Some(pool) = ctx.pool_if_any() {
                    pool.cancel();
                }
            }
            return Err(error);
        }
    };
    let total_ms = rec.now();
    env.pool_init_ms = ctx.pool_if_any().and_then(|pool| pool.init_ms());
    drop(ctx);
    let (spans, output) = rec.take();
    let mut trace = Trace {
        scenario: request.scenario.id.to_string(),
        variant: request.variant.id.to_string(),
        params: params_map(&request.params),
        env,
        started_at_ms: rec.origin_ms(),
        total_ms,
        spans,
        output,
        heartbeat: heartbeat::summarize(interval_ms, beats.take(), total_ms),
        result,
        why: Default::default(),
    };
    trace.why = explain::why(&trace);
    Ok(trace)
}

/// Starts the pool for a pool variant, recording the start-up on the main lane if this run started it. A
/// variant the pool cannot run ([`availability`]) is refused before anything starts.
async fn start_pool(ctx: &RunContext, what: &str) -> Result<(), JuggleError> {
    let pool = ctx.pool()?;
    availability(ctx.variant.placement, pool.shared_memory())
        .map_err(|error| JuggleError::new(error.code, format!("{what}: {}", error.message)))?;
    if let Some(start) = pool.start().await? {
        ctx.rec.import_spans([Span {
            lane: MAIN_LANE.to_string(),
            task: "worker pool".to_string(),
            label: format!("pool start-up ({} threads)", pool.threads()),
            kind: SpanKind::Startup,
            start_ms: start.start_ms,
            end_ms: start.end_ms,
            simulated: false,
        }]);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::error::ErrorCode;
    use crate::request::Fault;
    use crate::testing::{try_run_sim_cancelled_after, try_run_sim_with_fault};

    #[test]
    fn a_task_that_panics_fails_the_run_with_its_message_and_the_next_run_works() {
        for variant in ["sync", "async"] {
            let error =
                try_run_sim_with_fault("count", &[("variant", variant)], Fault::Task).unwrap_err();
            assert_eq!(error.code, ErrorCode::Panicked);
            assert!(
                error.message.starts_with(&format!("count/{variant} panicked: test fault: a cooperative task panicked on purpose (at ")),
                "{}",
                error.message
            );
        }
        let next = crate::testing::run_sim("count", &[("variant", "async")]);
        assert_eq!(next.output.len(), 6);
    }

    #[test]
    fn a_cancelled_run_stops_at_once_and_says_when() {
        // Twenty 200 ms requests one after another would take 4 s; cancelled after 500 ms.
        let (result, ended_ms) =
            try_run_sim_cancelled_after("io-bound", &[("variant", "sequential")], 500.0);
        let error = result.unwrap_err();
        assert_eq!(error.code, ErrorCode::Cancelled);
        assert!(error.message.contains("after 500 ms"), "{}", error.message);
        assert_eq!(ended_ms, 500.0, "nothing ran on after the cancel");
    }
}
