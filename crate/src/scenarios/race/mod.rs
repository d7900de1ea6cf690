//! `race`: shared state. T tasks each increment a shared counter M times by reading it, awaiting, then
//! writing what they read plus one.
//!
//! `await-race` loses updates on one thread with no parallelism at all: every task reads the same value
//! before any writes. `await-locked` holds an async lock across the read, the await and the write: exact.
//! On the worker pool, `thread-race` loads and stores a shared atomic in two steps and loses updates when
//! threads run at the same instant; `atomic` (`fetch_add`) and `mutex` are exact.

use async_lock::Mutex;
use std::cell::Cell;

use crate::prelude::*;

variants! {
    /// How the tasks add to the shared counter.
    pub enum Variant {
        /// Read, await, write on one thread.
        AwaitRace => VariantSpec {
            id: "await-race",
            title: "Read, await, write",
            summary: "Each task reads the counter, awaits, then writes what it read plus one.",
            placement: Placement::Main,
        },
        /// The same under an async lock.
        AwaitLocked => VariantSpec {
            id: "await-locked",
            title: "With an async lock",
            summary: "The same, with an async lock held across the read, the await and the write.",
            placement: Placement::Main,
        },
        /// Load then store on the pool's threads.
        ThreadRace => VariantSpec {
            id: "thread-race",
            title: "Threads: load, then store",
            summary: "Tasks on the worker pool's threads load the shared counter, pause, and store what \
                      they loaded plus one.",
            placement: Placement::SharedMemory,
        },
        /// One `fetch_add` on the pool's threads.
        Atomic => VariantSpec {
            id: "atomic",
            title: "Threads: add in one step",
            summary: "On the pool's threads, each increment reads, adds one and writes in a single \
                      indivisible step (one machine instruction).",
            placement: Placement::SharedMemory,
        },
        /// A mutex on the pool's threads.
        Mutex => VariantSpec {
            id: "mutex",
            title: "Threads: mutex",
            summary: "On the pool's threads, a mutex is held across the read, the pause and the write.",
            placement: Placement::SharedMemory,
        },
    }
}

/// The `race` scenario's declaration.
pub const SPEC: ScenarioSpec = ScenarioSpec {
    id: "race",
    title: "Race: shared state, with and without threads",
    summary: "Tasks each add one to a shared counter many times: read it, wait a moment, write it back. \
              First on one thread with an await in the middle, then on threads sharing memory. What is \
              the final count?",
    variants: Variant::SPECS,
    params: &[
        ParamSpec {
            name: "tasks",
            label: "Tasks",
            default: 4,
            min: 1,
            max: 16,
            unit: "",
        },
        ParamSpec {
            name: "increments",
            label: "Increments per task",
            default: 1000,
            min: 1,
            max: 100_000,
            unit: "",
        },
    ],
    run: |ctx| typed(ctx, run),
    cost: |variant, params, threads| cost(Variant::ALL[variant], params, threads),
};

/// Each increment costs a yield (about 5 µs, generously) on one thread, or a few-µs pause on threads. On
/// one thread every increment records an executing slice and a wait (three spans with a queued lock); with
/// a mutex on threads, a contended increment records a `blocked` wait and a slice; the others record one
/// span per task.
fn cost(variant: Variant, params: &Params, _threads: u32) -> Cost {
    let tasks = f64::from(params.get("tasks"));
    let increments = tasks * f64::from(params.get("increments"));
    let per_increment = match variant {
        Variant::AwaitRace | Variant::AwaitLocked => 3.0,
        Variant::Mutex => 2.0,
        Variant::ThreadRace | Variant::Atomic => 0.0,
    };
    Cost {
        ms: increments * 0.005,
        spans: increments * per_increment + tasks + 1.0,
    }
}

async fn run(ctx: &RunContext, variant: Variant) -> Result<IncrementResult, JuggleError> {
    let tasks = ctx.params.get("tasks");
    let increments = ctx.params.get("increments");
    let (method, locked) = match variant {
        Variant::AwaitRace => (None, false),
        Variant::AwaitLocked => (None, true),
        Variant::ThreadRace => (Some(IncrementMethod::LoadThenStore), false),
        Variant::Atomic => (Some(IncrementMethod::FetchAdd), false),
        Variant::Mutex => (Some(IncrementMethod::Mutex), false),
    };
    if let Some(method) = method {
        let pool = ctx.pool()?;
        let job = PoolJob::Increment(IncrementJob {
            tasks: (1..=tasks).map(|i| format!("task {i}")).collect(),
            increments,
            method,
        });
        let caller = ctx.task("caller");
        let report = caller.wait("await the pool", pool.run(job)).await?;
        let result = report.increment()?;
        ctx.rec.import_spans(report.spans);
        caller.print(format!(
            "final count {} of {}",
            result.final_count, result.expected
        ));
        return Ok(result);
    }
    let counter = Cell::new(0_u64);
    let lock = Mutex::new(());
    join_all((1..=tasks).map(|i| {
        let (counter, lock) = (&counter, &lock);
        async move {
            let task = ctx.task(format!("task {i}"));
            let rec = &ctx.rec;
            // The task's executing slices and its waits, as they happened: it executes from `resumed`
            // until it reaches an await (a `cpu` span of what it did), then waits while the thread runs
            // the others (a `wait` span) until it resumes.
            let mut resumed = rec.now();
            let mut did: Vec<&str> = Vec::new();
            let executed = |did: &mut Vec<&str>, from: f64, to: f64| {
                task.span(&did.join(", "), SpanKind::Cpu, from, to);
                did.clear();
            };
            for _ in 0..increments {
                // The lesson itself: a read, an await that really steps aside, a write of what was read
                // plus one.
                let _guard = if locked {
                    if let Some(guard) = lock.try_lock() {
                        did.push("locks");
                        Some(guard)
                    } else {
                        let queued = rec.now();
                        did.push("finds the lock taken");
                        executed(&mut did, resumed, queued);
                        let guard = lock.lock().await;
                        resumed = rec.now();
                        task.span("waiting for the lock", SpanKind::Wait, queued, resumed);
                        did.push("takes the lock");
                        Some(guard)
                    }
                } else {
                    None
                };
                let seen = counter.get();
                did.push("reads the counter");
                let suspended = rec.now();
                executed(&mut did, resumed, suspended);
                rec.rt().yield_micro().await;
                resumed = rec.now();
                let awaits = if locked {
                    "awaits, holding the lock"
                } else {
                    "awaits: the others run"
                };
                task.span(awaits, SpanKind::Wait, suspended, resumed);
                counter.set(seen + 1);
                did.push(if locked {
                    "writes what it read + 1, unlocks"
                } else {
                    "writes what it read + 1"
                });
            }
            executed(&mut did, resumed, rec.now());
            task.print(format!("done; counter = {}", counter.get()));
        }
    }))
    .await;
    let expected = u64::from(tasks) * u64::from(increments);
    let final_count = counter.get();
    Ok(IncrementResult {
        expected,
        final_count,
        lost: expected - final_count,
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::run_sim;

    #[test]
    fn an_await_between_read_and_write_loses_updates_on_one_thread() {
        let trace = run_sim("race", &[("variant", "await-race")]);
        assert_eq!(trace.result["expected"], 4000);
        assert_eq!(
            trace.result["final"], 1000,
            "every task read the same values"
        );
        assert_eq!(trace.result["lost"], 3000);
    }

    #[test]
    fn an_async_lock_makes_the_count_exact() {
        let trace = run_sim("race", &[("variant", "await-locked")]);
        assert_eq!(trace.result["final"], 4000);
        assert_eq!(trace.result["lost"], 0);
    }

    #[test]
    fn a_single_task_cannot_race() {
        let trace = run_sim("race", &[("variant", "await-race"), ("tasks", "1")]);
        assert_eq!(trace.result["lost"], 0);
    }

    #[test]
    fn on_a_native_rayon_pool_fetch_add_and_a_mutex_are_exact_and_load_then_store_never_gains() {
        for variant in ["thread-race", "atomic", "mutex"] {
            let trace = crate::testing::run_native_pool(
                "race",
                &[("variant", variant), ("tasks", "2"), ("increments", "2000")],
            );
            assert_eq!(trace.result["expected"], 4000, "{variant}");
            let lost = trace.result["lost"].as_u64().unwrap();
            if variant != "thread-race" {
                assert_eq!(lost, 0, "{variant}");
            }
            assert_eq!(
                trace.result["final"].as_u64().unwrap() + lost,
                4000,
                "{variant}"
            );
        }
    }
}
