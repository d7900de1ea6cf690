//! Helpers for native tests: run a scenario on the simulated event loop.

use std::rc::Rc;

use crate::catalog;
use crate::error::JuggleError;
use crate::params::{self, RawValue};
use crate::runner;
use crate::sim::SimRuntime;
use crate::trace::{Env, Trace};

/// Runs scenario `id` with text parameters on [`SimRuntime`], without a pool.
pub fn try_run_sim(id: &str, raw: &[(&str, &str)]) -> Result<Trace, JuggleError> {
    let spec = catalog::find(id)?;
    let raw: Vec<(String, RawValue)> = raw
        .iter()
        .map(|(k, v)| (k.to_string(), RawValue::Text(v.to_string())))
        .collect();
    let request = params::parse(spec, &raw)?;
    let rt = SimRuntime::new();
    let env = Env {
        mode: "simulated".into(),
        ..Env::default()
    };
    rt.block_on(runner::run(request, Rc::new(rt.clone()), env, None))
}

/// Like [`try_run_sim`], panicking on error.
pub fn run_sim(id: &str, raw: &[(&str, &str)]) -> Trace {
    try_run_sim(id, raw).unwrap_or_else(|error| panic!("{id} failed: {error}"))
}
