//! One run from start to trace: validate nothing (that is [`crate::params`]), start the heartbeat, run the
//! variant, stop the heartbeat, assemble the [`Trace`]. Free of web-sys: the browser and the native tests
//! both come through here.

use std::cell::RefCell;
use std::rc::Rc;

use futures::future::{self, Either};

use crate::error::{ErrorCode, JuggleError};
use crate::heartbeat;
use crate::params::{Params, Request};
use crate::pool::Pool;
use crate::runtime::Rt;
use crate::trace::{params_map, Env, Recorder, Task, Trace};

/// What a variant's code gets: its parameters, the recorder, and the pool if there is one.
pub struct RunContext {
    /// The variant to run.
    pub variant: &'static str,
    /// Validated parameters.
    pub params: Params,
    /// Where spans and output go.
    pub rec: Rc<Recorder>,
    pool: Option<Rc<dyn Pool>>,
}

impl RunContext {
    /// A recording handle for a cooperative task on the main lane.
    pub fn task(&self, name: impl Into<String>) -> Task {
        self.rec.task(name)
    }

    /// The worker pool, or an error saying this variant needs it.
    pub fn pool(&self) -> Result<&Rc<dyn Pool>, JuggleError> {
        self.pool.as_ref().ok_or_else(|| {
            JuggleError::new(
                ErrorCode::PoolUnavailable,
                format!(
                    "variant \"{}\" runs on the worker pool, which is not available on this page \
                     (it needs a cross-origin isolated page for shared memory)",
                    self.variant
                ),
            )
        })
    }
}

/// Runs a validated request with the heartbeat beside it and returns the trace.
pub async fn run(
    request: Request,
    rt: Rt,
    env: Env,
    pool: Option<Rc<dyn Pool>>,
) -> Result<Trace, JuggleError> {
    let rec = Recorder::start(rt);
    let interval_ms = request.params.ms("heartbeat_ms");
    let beats = Rc::new(RefCell::new(Vec::new()));
    let heartbeat = heartbeat::beat(Rc::clone(&rec), interval_ms, Rc::clone(&beats));

    let ctx = RunContext {
        variant: request.variant,
        params: request.params.clone(),
        rec: Rc::clone(&rec),
        pool,
    };
    let scenario = (request.scenario.run)(&ctx);
    // The heartbeat is polled first so its first timer is set before the scenario can block the thread.
    let result = match future::select(Box::pin(heartbeat), scenario).await {
        Either::Right((result, _heartbeat)) => result?,
        Either::Left(((), _)) => unreachable!("the heartbeat never ends by itself"),
    };
    let total_ms = rec.now();
    drop(ctx);
    let (spans, output) = rec.take();
    Ok(Trace {
        scenario: request.scenario.id.to_string(),
        variant: request.variant.to_string(),
        params: params_map(&request.params),
        env,
        total_ms,
        spans,
        output,
        heartbeat: heartbeat::summarize(interval_ms, beats.take(), total_ms),
        result,
    })
}
