//! `timelines`: the three pictures, drawn from a real run. Two tasks A and B, each with `work_ms` of CPU:
//! `parallel` runs them on two pool workers at the same instant; `concurrent` interleaves them in slices on
//! one thread; `async` gives each a wait in the middle, which the other task fills with its work.

use crate::prelude::*;

variants! {
    /// How the two tasks share time.
    pub enum Variant {
        /// On two workers at once.
        Parallel => VariantSpec {
            id: "parallel",
            title: "Parallel",
            summary: "A and B run at the same instant on two pool workers (two hands).",
            placement: Placement::Pool,
        },
        /// Taking turns on one thread.
        Concurrent => VariantSpec {
            id: "concurrent",
            title: "Concurrent",
            summary: "A and B take turns in short slices on the main thread (one hand, juggling).",
            placement: Placement::Main,
        },
        /// Filling each other's waits.
        Async => VariantSpec {
            id: "async",
            title: "Async",
            summary: "A and B each wait in the middle, on one thread.",
            placement: Placement::Main,
        },
    }
}

/// The `timelines` scenario's declaration.
pub const SPEC: ScenarioSpec = ScenarioSpec {
    id: "timelines",
    title: "Timelines: parallel, concurrent, async",
    summary: "Two tasks, A and B, each need some CPU time. Three ways to run them: \
              on two workers at once, taking turns on one thread, or on one thread that fills waits.",
    variants: Variant::SPECS,
    params: &[
        ParamSpec {
            name: "work_ms",
            label: "CPU work per task",
            default: 300,
            min: 10,
            max: 5000,
            unit: "ms",
        },
        ParamSpec {
            name: "slice_ms",
            label: "Slice (concurrent)",
            default: 25,
            min: 1,
            max: 1000,
            unit: "ms",
        },
        ParamSpec {
            name: "wait_ms",
            label: "Wait (async)",
            default: 300,
            min: 0,
            max: 5000,
            unit: "ms",
        },
    ],
    run: |ctx| typed(ctx, run),
    cost: |variant, params, threads| cost(Variant::ALL[variant], params, threads),
};

/// At most both tasks' work one after the other plus the wait; one span per slice when taking turns.
fn cost(_variant: Variant, params: &Params, _threads: u32) -> Cost {
    let work_ms = params.ms("work_ms");
    Cost {
        ms: 2.0 * work_ms + params.ms("wait_ms"),
        spans: 2.0 * (work_ms / params.ms("slice_ms")).ceil() + 4.0,
    }
}

const TASKS: [&str; 2] = ["A", "B"];

/// What `timelines` reports beside its trace: the CPU time of both tasks, or for `parallel` the threads
/// the pool used.
#[derive(Serialize)]
#[serde(untagged)]
pub enum TimelinesResult {
    /// `parallel`: the pool's report.
    Pool(SpinResult),
    /// `concurrent`, `async`: the CPU time of both tasks.
    Cpu {
        /// Both tasks' CPU time.
        cpu_ms: f64,
    },
}

async fn run(ctx: &RunContext, variant: Variant) -> Result<TimelinesResult, JuggleError> {
    let work_ms = ctx.params.ms("work_ms");
    match variant {
        Variant::Parallel => {
            let pool = ctx.pool()?;
            let job = PoolJob::Spin {
                tasks: TASKS
                    .map(|name| SpinTask {
                        task: name.to_string(),
                        label: "compute".to_string(),
                        ms: work_ms,
                    })
                    .to_vec(),
            };
            let coordinator = ctx.task("caller");
            let report = coordinator.wait("await pool", pool.run(job)).await?;
            let result = report.spin()?;
            ctx.rec.import_spans(report.spans);
            Ok(TimelinesResult::Pool(result))
        }
        Variant::Concurrent => {
            let slice_ms = ctx.params.ms("slice_ms");
            let sliced = |name: &'static str| async move {
                ctx.task(name)
                    .cpu_yielding("compute", work_ms, slice_ms, YieldTo::Task)
                    .await;
            };
            join(sliced(TASKS[0]), sliced(TASKS[1])).await;
            Ok(TimelinesResult::Cpu {
                cpu_ms: 2.0 * work_ms,
            })
        }
        Variant::Async => {
            let wait_ms = ctx.params.ms("wait_ms");
            let with_wait = |task: Task| async move {
                task.cpu("compute", work_ms / 2.0);
                task.sleep_simulated("await I/O (simulated)", wait_ms).await;
                task.cpu("compute", work_ms / 2.0);
            };
            join(with_wait(ctx.task(TASKS[0])), with_wait(ctx.task(TASKS[1]))).await;
            Ok(TimelinesResult::Cpu {
                cpu_ms: 2.0 * work_ms,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::run_sim;
    use crate::trace::SpanKind;

    #[test]
    fn concurrent_tasks_take_turns_and_never_overlap() {
        let trace = run_sim("timelines", &[("variant", "concurrent")]);
        let spans = trace.lane("main");
        assert!(spans.windows(2).all(|w| w[0].end_ms <= w[1].start_ms));
        let tasks: Vec<&str> = spans.iter().take(4).map(|s| s.task.as_str()).collect();
        assert_eq!(tasks, ["A", "B", "A", "B"], "turns alternate");
        assert_eq!(trace.total_ms, 600.0, "no speedup: the CPU time adds up");
    }

    #[test]
    fn async_tasks_fill_each_others_waits() {
        let trace = run_sim("timelines", &[("variant", "async")]);
        let cpu: Vec<_> = trace
            .spans
            .iter()
            .filter(|s| s.kind == SpanKind::Cpu)
            .collect();
        let waits: Vec<_> = trace
            .spans
            .iter()
            .filter(|s| s.kind == SpanKind::Wait)
            .collect();
        let filled = cpu.iter().any(|c| {
            waits
                .iter()
                .any(|w| w.task != c.task && c.start_ms >= w.start_ms && c.end_ms <= w.end_ms)
        });
        assert!(
            filled,
            "some CPU span of one task lies inside the other's wait"
        );
        assert!(
            trace.total_ms < 2.0 * 300.0 + 2.0 * 300.0,
            "waits overlapped work"
        );
    }

    #[test]
    fn parallel_without_a_pool_is_refused_with_a_reason() {
        let error =
            crate::testing::try_run_sim("timelines", &[("variant", "parallel")]).unwrap_err();
        assert_eq!(error.code, crate::ErrorCode::PoolUnavailable);
        assert!(error.message.contains("cross-origin isolated"));
    }

    #[test]
    fn on_a_native_rayon_pool_parallel_runs_both_tasks_on_worker_lanes() {
        let trace = crate::testing::run_native_pool(
            "timelines",
            &[("variant", "parallel"), ("work_ms", "30")],
        );
        let computes: Vec<_> = trace
            .spans
            .iter()
            .filter(|s| s.label == "compute" && s.lane.starts_with("worker-"))
            .collect();
        assert_eq!(computes.len(), 2);
        // Two distinct threads unless the machine is so busy that one took both (shapes, not times).
        let lanes = trace.result["lanes_used"].as_u64().unwrap();
        assert!((1..=2).contains(&lanes), "{lanes}");
    }
}
