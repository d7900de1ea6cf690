//! [`RayonPool`]: the [`Pool`] trait over a native rayon `ThreadPool`, so `cargo test` and the native
//! benchmark run the pool-placed variants as the browser does, on OS threads. (It builds for wasm32 too,
//! where starting threads this way fails: the browser's pool is the engine worker's.)

use std::time::Instant;

use futures::future::{self, FutureExt, LocalBoxFuture};

use crate::error::{ErrorCode, JuggleError};
use crate::pool::{execute, Pool, PoolJob, PoolReport, PoolStart, Stop};
use crate::sim::SimRuntime;
use crate::spawned::{SpawnedReport, SpawnedTask};

/// A [`Pool`] over a rayon `ThreadPool` of OS threads, sharing memory. A job runs to its end inside
/// [`Pool::run`] (the calling thread waits, as a native caller of `install` does), so on the simulated
/// event loop it takes no virtual time; its spans are on this pool's own clock (ms since it was built).
pub struct RayonPool {
    pool: rayon::ThreadPool,
    origin: Instant,
}

impl RayonPool {
    /// A pool of `threads` OS threads.
    ///
    /// # Errors
    /// [`ErrorCode::PoolFailed`] if rayon cannot start the threads.
    pub fn new(threads: usize) -> Result<Self, JuggleError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build()
            .map_err(|error| JuggleError::new(ErrorCode::PoolFailed, error.to_string()))?;
        Ok(RayonPool {
            pool,
            origin: Instant::now(),
        })
    }

    /// Runs `job` on the pool now and returns its report. Blocking waits on more threads than the pool has
    /// run on OS threads of their own instead (`crate::own_threads`), as the browser's engine worker runs
    /// them on Web Workers of their own.
    pub fn execute(&self, job: &PoolJob) -> PoolReport {
        let origin = self.origin;
        let clock = move || origin.elapsed().as_secs_f64() * 1000.0;
        // (Not on wasm32, where starting a thread this way fails, as the pool's own threads do.)
        if cfg!(not(target_arch = "wasm32")) && crate::own_threads::wanted(job, self.threads()) > 0
        {
            if let Ok(report) = crate::own_threads::run_native(job, &clock, Stop::now()) {
                return report;
            }
        }
        self.pool.install(|| execute(job, &clock))
    }
}

impl Pool for RayonPool {
    fn threads(&self) -> u32 {
        self.pool.current_num_threads() as u32
    }

    fn cancel(&self) {
        crate::pool::cancel_all();
    }

    fn shared_memory(&self) -> bool {
        true
    }

    fn start(&self) -> LocalBoxFuture<'static, Result<Option<PoolStart>, JuggleError>> {
        future::ready(Ok(None)).boxed_local()
    }

    fn init_ms(&self) -> Option<f64> {
        None
    }

    /// Natively there are no Web Workers: the task runs at once on a simulated event loop of its own, its
    /// spans on that loop's virtual clock (start-up zero), on a thread of its own.
    fn spawn_worker(
        &self,
        task: SpawnedTask,
    ) -> LocalBoxFuture<'static, Result<SpawnedReport, JuggleError>> {
        // On a thread of its own: the caller's thread may be inside an executor already.
        let report = std::thread::spawn(move || {
            let rt = SimRuntime::new();
            rt.block_on({
                let rt = rt.clone();
                async move { crate::spawned::run(&rt, &task, 0.0).await }
            })
        })
        .join()
        .map_err(|payload| crate::panic::panicked("a spawned task", payload.as_ref()));
        future::ready(report).boxed_local()
    }

    fn run(&self, job: PoolJob) -> LocalBoxFuture<'static, Result<PoolReport, JuggleError>> {
        let report = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.execute(&job)))
            .map_err(|payload| crate::panic::panicked("a pool job", payload.as_ref()));
        future::ready(report).boxed_local()
    }

    fn run_blocking(
        &self,
        job: PoolJob,
    ) -> LocalBoxFuture<'static, Result<PoolReport, JuggleError>> {
        self.run(job)
    }
}
