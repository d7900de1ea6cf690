//! `cpu-in-async`: the busy-loop trap. Ten "parse" tasks, each a CPU busy loop, started together as async
//! tasks, while the heartbeat (the service's health check) tries to run.
//!
//! `async` never awaits inside the loop, so the tasks run one after another and the event loop is blocked
//! for the whole run. `yield-micro` steps aside through the microtask queue: the tasks interleave, but
//! timers (the heartbeat) still cannot run. `yield-macro` steps aside through the task queue: the tasks
//! interleave and the heartbeat gets a turn once per round of slices (about `tasks` x `yield_every_ms`), yet
//! the total does not shrink: concurrency without speedup.

use crate::prelude::*;

variants! {
    /// Where the parses run and how they yield.
    pub enum Variant {
        /// Parsing without ever awaiting.
        Async => VariantSpec {
            id: "async",
            title: "No await in the loop",
            summary: "Each task runs its parse loop to the end without ever awaiting.",
            placement: Placement::Main,
        },
        /// Yielding to microtasks between slices.
        YieldMicro => VariantSpec {
            id: "yield-micro",
            title: "Await a finished promise",
            summary: "Browser-only: every few ms each task awaits a JavaScript promise that is already \
                          resolved (a future that is already done). Python has no await like this one; \
                          the nearest, await asyncio.sleep(0), is the next variant.",
            placement: Placement::Main,
        },
        /// Yielding to the event loop between slices.
        YieldMacro => VariantSpec {
            id: "yield-macro",
            title: "Yield to the event loop",
            summary: "Every few ms each task steps aside to the event loop and joins the back of its \
                          queue, like await asyncio.sleep(0) in Python.",
            placement: Placement::Main,
        },
        /// On the pool, waited for synchronously.
        PoolBlocking => VariantSpec {
            id: "pool-blocking",
            title: "Pool, waited for synchronously",
            summary: "The parses are handed to the worker pool, and the main thread waits for them \
                          synchronously (like calling pool.map inside an async function).",
            placement: Placement::SharedMemory,
        },
        /// On the pool, awaited.
        Offload => VariantSpec {
            id: "offload",
            title: "Offload to the pool",
            summary: "The parses are handed to the worker pool, and the main thread awaits a future for \
                          them (like loop.run_in_executor).",
            placement: Placement::Pool,
        },
    }
}

/// The `cpu-in-async` scenario's declaration.
pub const SPEC: ScenarioSpec = ScenarioSpec {
    id: "cpu-in-async",
    title: "CPU work inside async tasks",
    summary:
        "A scraper parses pages, each a CPU loop, as async tasks started together, while a health \
              check must keep answering. How long does it take, and does the health check answer?",
    variants: Variant::SPECS,
    params: &[
        ParamSpec {
            name: "tasks",
            label: "Pages (tasks)",
            default: 10,
            min: 1,
            max: 50,
            unit: "",
        },
        ParamSpec {
            name: "task_ms",
            label: "CPU per page",
            default: 100,
            min: 1,
            max: 1000,
            unit: "ms",
        },
        ParamSpec {
            name: "yield_every_ms",
            label: "Yield every",
            default: 5,
            min: 1,
            max: 1000,
            unit: "ms",
        },
    ],
    run: |ctx| typed(ctx, run),
    cost: |variant, params, threads| cost(Variant::ALL[variant], params, threads),
};

/// Every parse one after another at worst; a span per slice when yielding.
fn cost(_variant: Variant, params: &Params, _threads: u32) -> Cost {
    let (tasks, task_ms) = (f64::from(params.get("tasks")), params.ms("task_ms"));
    Cost {
        ms: tasks * task_ms,
        spans: tasks * (task_ms / params.ms("yield_every_ms")).ceil() + 2.0,
    }
}

/// What `cpu-in-async` reports beside its trace.
#[derive(Serialize)]
pub struct CpuResult {
    /// The CPU time of all the parses together.
    pub cpu_ms: f64,
    /// The pool's threads, for the pool variants.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threads: Option<u32>,
}

async fn run(ctx: &RunContext, variant: Variant) -> Result<CpuResult, JuggleError> {
    let tasks = ctx.params.get("tasks");
    let task_ms = ctx.params.ms("task_ms");
    let slice_ms = ctx.params.ms("yield_every_ms");
    let yield_to = match variant {
        Variant::Async => None,
        Variant::YieldMicro => Some(YieldTo::Microtask),
        Variant::YieldMacro => Some(YieldTo::Task),
        Variant::Offload => return on_pool(ctx, tasks, task_ms, true).await,
        Variant::PoolBlocking => return on_pool(ctx, tasks, task_ms, false).await,
    };
    join_all((1..=tasks).map(|page| async move {
        let task = ctx.task(format!("page {page}"));
        task.print(format!("start page {page}"));
        match yield_to {
            Some(to) => task.cpu_yielding("parse", task_ms, slice_ms, to).await,
            None => task.cpu("parse (no await)", task_ms),
        }
        task.print(format!("page {page} parsed"));
    }))
    .await;
    Ok(CpuResult {
        cpu_ms: f64::from(tasks) * task_ms,
        threads: None,
    })
}

/// `offload` and `pool-blocking`: the same parses as one job on the worker pool; the main thread either
/// awaits it (`pool.run`, a future) or waits for it synchronously (`pool.run_blocking`, an ordinary call).
async fn on_pool(
    ctx: &RunContext,
    tasks: u32,
    task_ms: f64,
    awaited: bool,
) -> Result<CpuResult, JuggleError> {
    let pool = ctx.pool()?;
    let job = PoolJob::Spin {
        tasks: (1..=tasks)
            .map(|page| SpinTask {
                task: format!("page {page}"),
                label: "parse".to_string(),
                ms: task_ms,
            })
            .collect(),
    };
    let caller = ctx.task("caller");
    caller.print(format!("hand {tasks} pages to the pool"));
    let report = if awaited {
        caller.wait("await the pool", pool.run(job)).await?
    } else {
        let start = ctx.rec.now();
        let pending = pool.run_blocking(job);
        caller.span(
            "wait for the pool (blocking)",
            SpanKind::Blocked,
            start,
            ctx.rec.now(),
        );
        pending.await?
    };
    ctx.rec.import_spans(report.spans);
    caller.print("all pages parsed");
    Ok(CpuResult {
        cpu_ms: f64::from(tasks) * task_ms,
        threads: Some(pool.threads()),
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::run_sim;

    #[test]
    fn without_await_the_tasks_run_one_after_another_and_the_heartbeat_starves() {
        let trace = run_sim("cpu-in-async", &[("variant", "async")]);
        let spans = trace.lane("main");
        assert!(
            spans.windows(2).all(|w| w[0].end_ms <= w[1].start_ms),
            "no overlap"
        );
        let order: Vec<&str> = spans.iter().map(|s| s.task.as_str()).collect();
        assert_eq!(order[0], "page 1");
        assert_eq!(order[9], "page 10");
        assert_eq!(trace.total_ms, 1000.0);
        assert!(trace.heartbeat.samples.is_empty());
        assert_eq!(trace.heartbeat.max_gap_ms, 1000.0);
    }

    #[test]
    fn micro_yields_interleave_the_tasks_but_the_heartbeat_never_runs() {
        let trace = run_sim("cpu-in-async", &[("variant", "yield-micro")]);
        let texts = trace.texts();
        assert!(
            texts[..10].iter().all(|t| t.starts_with("start")),
            "all start before any ends"
        );
        assert!(trace.heartbeat.samples.is_empty(), "timers never ran");
        assert_eq!(trace.total_ms, 1000.0);
    }

    #[test]
    fn macro_yields_interleave_and_let_the_heartbeat_in_once_per_round() {
        let trace = run_sim("cpu-in-async", &[("variant", "yield-macro")]);
        let texts = trace.texts();
        assert!(
            texts[..10].iter().all(|t| t.starts_with("start")),
            "all start before any ends"
        );
        // A fair task queue gives the timer one turn per round of slices: 10 tasks x 5 ms.
        let round = 10.0 * 5.0;
        assert!(
            trace.heartbeat.max_gap_ms <= round + 5.0,
            "gap {}",
            trace.heartbeat.max_gap_ms
        );
        assert!(trace.heartbeat.samples.len() >= 15, "it beat all along");
        assert_eq!(trace.total_ms, 1000.0, "no speedup");
    }

    #[test]
    fn on_a_native_rayon_pool_offload_and_pool_blocking_parse_every_page_on_worker_lanes() {
        for variant in ["offload", "pool-blocking"] {
            let trace = crate::testing::run_native_pool(
                "cpu-in-async",
                &[("variant", variant), ("tasks", "4"), ("task_ms", "20")],
            );
            let parses: Vec<_> = trace
                .spans
                .iter()
                .filter(|s| s.lane.starts_with("worker-") && s.label == "parse")
                .collect();
            assert_eq!(parses.len(), 4, "{variant}");
            assert_eq!(trace.result["threads"], 2, "{variant}");
            assert_eq!(trace.texts().last(), Some(&"all pages parsed"));
        }
    }
}
