//! `count`: three tasks each print "One", wait, and print "Two", on one thread.
//!
//! `sync` waits by holding the thread, so the tasks run one after another: One Two One Two One Two in
//! tasks x sleep. `async` awaits a timer, so every task starts its wait before any finishes: One One One
//! Two Two Two in about one sleep.

use crate::prelude::*;

variants! {
    /// How the tasks wait.
    pub enum Variant {
        /// Holding the thread while waiting.
        Sync => VariantSpec {
            id: "sync",
            title: "Blocking wait",
            summary: "Each task holds the thread while it waits (like time.sleep).",
            placement: Placement::Main,
        },
        /// Awaiting a timer.
        Async => VariantSpec {
            id: "async",
            title: "Awaited timer",
            summary: "Each task awaits a timer and steps aside (like await asyncio.sleep).",
            placement: Placement::Main,
        },
        /// `async` tasks that hold the thread while waiting.
        BlockingInAsync => VariantSpec {
            id: "blocking-in-async",
            title: "Blocking call inside async",
            summary: "Each task is async and gathered, but waits by holding the thread \
                      (like time.sleep inside async def).",
            placement: Placement::Main,
        },
    }
}

/// The `count` scenario's declaration.
pub const SPEC: ScenarioSpec = ScenarioSpec {
    id: "count",
    title: "Count: waiting on one thread",
    summary: "Three tasks each print \"One\", wait one second, then print \"Two\". \
              What is printed, and how long does it take?",
    variants: Variant::SPECS,
    params: &[
        ParamSpec {
            name: "tasks",
            label: "Tasks",
            default: 3,
            min: 1,
            max: 10,
            unit: "",
        },
        ParamSpec {
            name: "sleep_ms",
            label: "Wait per task",
            default: 1000,
            min: 0,
            max: 5000,
            unit: "ms",
        },
    ],
    run: |ctx| typed(ctx, run),
    cost: |variant, params, threads| cost(Variant::ALL[variant], params, threads),
};

/// `sync` holds the thread for every sleep in turn; `async` overlaps them.
fn cost(variant: Variant, params: &Params, _threads: u32) -> Cost {
    let (tasks, sleep_ms) = (f64::from(params.get("tasks")), params.ms("sleep_ms"));
    Cost {
        ms: match variant {
            Variant::Sync | Variant::BlockingInAsync => tasks * sleep_ms,
            Variant::Async => sleep_ms,
        },
        spans: tasks,
    }
}

/// What `count` reports beside its trace.
#[derive(Serialize)]
pub struct CountResult {
    /// The time the variant takes in theory: every wait in turn, or one wait.
    pub ideal_ms: f64,
}

async fn run(ctx: &RunContext, variant: Variant) -> Result<CountResult, JuggleError> {
    let tasks = ctx.params.get("tasks");
    let sleep_ms = ctx.params.ms("sleep_ms");
    let ideal_ms = match variant {
        Variant::Sync => {
            for i in 1..=tasks {
                let task = ctx.task(format!("task {i}"));
                task.print("One");
                task.block("blocking wait", sleep_ms);
                task.print("Two");
            }
            f64::from(tasks) * sleep_ms
        }
        Variant::Async => {
            join_all((1..=tasks).map(|i| async move {
                let task = ctx.task(format!("task {i}"));
                task.print("One");
                task.sleep("await timer", sleep_ms).await;
                task.print("Two");
            }))
            .await;
            sleep_ms
        }
        Variant::BlockingInAsync => {
            // The same gathered async tasks, but each waits with a blocking wait (`block`), not an
            // awaited timer: like `time.sleep` inside an `async def`.
            join_all((1..=tasks).map(|i| async move {
                let task = ctx.task(format!("task {i}"));
                task.print("One");
                task.block("blocking wait", sleep_ms);
                task.print("Two");
            }))
            .await;
            f64::from(tasks) * sleep_ms
        }
    };
    Ok(CountResult { ideal_ms })
}

#[cfg(test)]
mod tests {
    use crate::testing::run_sim;
    use crate::trace::SpanKind;

    #[test]
    fn sync_count_prints_one_two_pairs_and_takes_tasks_times_sleep() {
        let trace = run_sim("count", &[("variant", "sync")]);
        assert_eq!(trace.texts(), ["One", "Two", "One", "Two", "One", "Two"]);
        assert_eq!(trace.total_ms, 3000.0);
        assert!(trace.spans.iter().all(|s| s.kind == SpanKind::Blocked));
        assert_eq!(
            trace.heartbeat.max_gap_ms, 3000.0,
            "the thread was never free"
        );
    }

    #[test]
    fn async_count_prints_all_ones_before_any_two_and_takes_one_sleep() {
        let trace = run_sim("count", &[("variant", "async")]);
        assert_eq!(trace.texts(), ["One", "One", "One", "Two", "Two", "Two"]);
        assert_eq!(trace.total_ms, 1000.0);
        let waits = trace.lane("main");
        assert_eq!(waits.len(), 3);
        assert!(waits
            .iter()
            .all(|s| s.kind == SpanKind::Wait && s.start_ms == 0.0));
        assert!(trace.heartbeat.max_gap_ms <= 10.0, "the thread stayed free");
    }

    #[test]
    fn blocking_in_async_prints_pairs_takes_tasks_times_sleep_and_freezes_the_loop() {
        let trace = run_sim("count", &[("variant", "blocking-in-async")]);
        assert_eq!(trace.texts(), ["One", "Two", "One", "Two", "One", "Two"]);
        assert_eq!(trace.total_ms, 3000.0);
        let spans = trace.lane("main");
        assert_eq!(spans.len(), 3);
        assert!(spans.iter().all(|s| s.kind == SpanKind::Blocked));
        assert!(
            spans.windows(2).all(|w| w[0].end_ms <= w[1].start_ms),
            "one wait after another"
        );
        assert!(trace.heartbeat.frozen, "the loop was frozen");
        assert_eq!(trace.heartbeat.max_gap_ms, 3000.0);
    }
}
