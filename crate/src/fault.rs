//! Test-only faults: panics caused on purpose, to prove that every place where Rust meets JS catches them
//! (see [`crate::panic`]).
//!
//! [`Fault`](crate::request::Fault) is how the end-to-end tests prove it. It is not a parameter: `juggle.scenarios()` does not list
//! it, the page has no control for it, and `www/juggle.js` passes it on only on a page that was loaded with
//! the test switch `globalThis.__juggleTestFaults` set before any of its scripts ran.

use std::rc::Rc;

use futures::future::LocalBoxFuture;

use crate::error::JuggleError;
use crate::pool::{Pool, PoolJob, PoolReport, PoolStart};
use crate::scenario::RunContext;
use crate::spawned::{SpawnedReport, SpawnedTask};

/// The run's variant with [`Fault::Task`](crate::request::Fault::Task): a task that yields once to the event loop and panics runs beside
/// it, and the run waits for both, so the panic happens whatever the variant does.
pub async fn beside_a_panicking_task<T>(
    ctx: &RunContext,
    variant: impl std::future::Future<Output = T>,
) -> T {
    let faulty = async {
        let task = ctx.task("faulty task");
        task.print("about to panic (test fault)");
        ctx.rec.rt().yield_macro().await;
        panic!("test fault: a cooperative task panicked on purpose");
    };
    let (result, ()) = futures::future::join(variant, faulty).await;
    result
}

/// A [`Pool`] whose jobs carry [`Fault::Pool`](crate::request::Fault::Pool): each becomes [`PoolJob::Panicking`].
pub struct PanickingPool(pub Rc<dyn Pool>);

impl PanickingPool {
    fn faulty(job: PoolJob) -> PoolJob {
        PoolJob::Panicking { job: Box::new(job) }
    }
}

impl Pool for PanickingPool {
    fn threads(&self) -> u32 {
        self.0.threads()
    }

    fn cancel(&self) {
        self.0.cancel();
    }

    fn shared_memory(&self) -> bool {
        self.0.shared_memory()
    }

    fn start(&self) -> LocalBoxFuture<'static, Result<Option<PoolStart>, JuggleError>> {
        self.0.start()
    }

    fn init_ms(&self) -> Option<f64> {
        self.0.init_ms()
    }

    fn spawn_worker(
        &self,
        task: SpawnedTask,
    ) -> LocalBoxFuture<'static, Result<SpawnedReport, JuggleError>> {
        self.0.spawn_worker(task)
    }

    fn run(&self, job: PoolJob) -> LocalBoxFuture<'static, Result<PoolReport, JuggleError>> {
        self.0.run(Self::faulty(job))
    }

    fn run_blocking(
        &self,
        job: PoolJob,
    ) -> LocalBoxFuture<'static, Result<PoolReport, JuggleError>> {
        self.0.run_blocking(Self::faulty(job))
    }
}
