//! `threads`: threads and the GIL. Real threads on the worker pool share a real lock that stands for
//! CPython's global interpreter lock (a model: see `crate::gil`): a thread holds it to execute, hands it
//! over every `switch_ms` when another thread waits, and releases it while it waits in a blocking call.
//!
//! `cpu-gil` runs CPU tasks on `threads` threads under the lock; `io-gil` runs blocking waits instead;
//! `free-threaded` runs the CPU tasks with no lock (Python 3.13t/3.14t builds). `to-thread` has an async
//! loop on the main thread hand one blocking call to a pool thread and await it (`asyncio.to_thread`);
//! `inline` makes the same call on the loop itself.

use crate::prelude::*;

variants! {
    /// What the threads do, and whether a GIL is in the way.
    pub enum Variant {
        /// CPU work on threads under the GIL.
        CpuGil => VariantSpec {
            id: "cpu-gil",
            title: "CPU work on threads, with a GIL",
            summary: "The CPU tasks are shared out over `threads` threads of the pool; each thread must \
                      hold the GIL to compute, handing it over every switch interval.",
            placement: Placement::SharedMemory,
        },
        /// Blocking waits on threads under the GIL.
        IoGil => VariantSpec {
            id: "io-gil",
            title: "Blocking waits on threads, with a GIL",
            summary: "Each task is a blocking wait (simulated I/O, like time.sleep) followed by 1 ms of \
                      CPU, on `threads` threads; a thread releases the GIL while it waits.",
            placement: Placement::SharedMemory,
        },
        /// CPU work on threads with no GIL.
        FreeThreaded => VariantSpec {
            id: "free-threaded",
            title: "CPU work on threads, no GIL",
            summary: "The same CPU tasks on the same threads with no GIL, as in a free-threaded \
                      Python build (3.13t, 3.14t).",
            placement: Placement::SharedMemory,
        },
        /// One blocking call handed to a thread and awaited.
        ToThread => VariantSpec {
            id: "to-thread",
            title: "A blocking call in a thread (to_thread)",
            summary: "An async loop on the main thread hands one blocking call to a pool thread and \
                      awaits it (like await asyncio.to_thread(f)), while its health check runs.",
            placement: Placement::Pool,
        },
        /// The same call made on the loop.
        Inline => VariantSpec {
            id: "inline",
            title: "The same call inline",
            summary: "The async loop makes the same blocking call itself, inside an async task.",
            placement: Placement::Main,
        },
    }
}

/// The `threads` scenario's declaration.
pub const SPEC: ScenarioSpec = ScenarioSpec {
    id: "threads",
    title: "Threads and the GIL",
    summary: "Ten 100 ms tasks on two threads that must take turns holding a lock standing for Python's \
              GIL, then blocking waits on the same threads, then the same work with no GIL; and one \
              blocking call made from an async loop, in a thread or inline. Which of them gets faster?",
    variants: Variant::SPECS,
    params: &[
        ParamSpec {
            name: "threads",
            label: "Threads (CPU work: at most the pool's)",
            default: 2,
            min: 1,
            max: 20,
            unit: "",
        },
        ParamSpec {
            name: "tasks",
            label: "Tasks",
            default: 10,
            min: 1,
            max: 100,
            unit: "",
        },
        ParamSpec {
            name: "task_ms",
            label: "CPU per task",
            default: 100,
            min: 1,
            max: 2000,
            unit: "ms",
        },
        ParamSpec {
            name: "switch_ms",
            label: "GIL switch interval",
            default: 5,
            min: 1,
            max: 100,
            unit: "ms",
        },
        ParamSpec {
            name: "wait_ms",
            label: "Blocking wait per task (io-gil)",
            default: 200,
            min: 0,
            max: 5000,
            unit: "ms",
        },
        ParamSpec {
            name: "call_ms",
            label: "Blocking call (to-thread, inline)",
            default: 500,
            min: 0,
            max: 5000,
            unit: "ms",
        },
    ],
    run: |ctx| typed(ctx, run),
    cost: |variant, params, threads| cost(Variant::ALL[variant], params, threads),
};

/// CPU handled per `io-gil` task after its wait.
const HANDLE_MS: f64 = 1.0;

/// Every task in turn at most (the GIL serialises them); a hold and a wait per switch interval.
fn cost(variant: Variant, params: &Params, _threads: u32) -> Cost {
    let tasks = f64::from(params.get("tasks"));
    let (task_ms, switch_ms) = (params.ms("task_ms"), params.ms("switch_ms"));
    match variant {
        Variant::CpuGil | Variant::FreeThreaded => Cost {
            ms: tasks * task_ms,
            spans: 3.0 * (tasks * task_ms / switch_ms + tasks),
        },
        Variant::IoGil => Cost {
            ms: tasks * (params.ms("wait_ms") + HANDLE_MS),
            spans: 4.0 * tasks,
        },
        Variant::ToThread | Variant::Inline => Cost {
            ms: params.ms("call_ms"),
            spans: 3.0,
        },
    }
}

/// What `threads` reports beside its trace. The thread figures are `null` for `inline`, which uses none.
#[derive(Serialize)]
pub struct ThreadsOutcome {
    /// How many threads ran: the `threads` asked for (for CPU work at most the pool's size).
    pub threads: Option<u32>,
    /// The work the tasks did, added up: what one thread alone would take (CPU or waits).
    pub work_ms: f64,
    /// The threads' wall-clock time, first start to last end.
    pub threads_ms: Option<f64>,
    /// `threads_ms / work_ms`: about 1 when the work was serialised, 1 / threads when it all overlapped.
    pub ratio: Option<f64>,
    /// How many times a thread took the GIL (0 with no GIL).
    pub gil_holds: Option<u32>,
    /// Time threads spent waiting for the GIL, added up.
    pub gil_wait_ms: Option<f64>,
    /// The `threads` asked for (more than ran when the pool is smaller).
    pub threads_asked: Option<u32>,
    /// For `io-gil`: how many rounds of waits the threads that ran need, ceil(tasks / threads).
    pub wait_rounds: Option<u32>,
    /// For `io-gil`: what those rounds should take, `wait_rounds` x (wait + handling), in ms: the figure to
    /// hold `threads_ms` against.
    pub expected_ms: Option<f64>,
}

/// What `io-gil` should take on `threads` threads: one wait (and its handling) per round of `threads`
/// tasks. Returns the rounds and the time.
fn wait_rounds(tasks: u32, threads: u32, per_task_ms: f64) -> (u32, f64) {
    let rounds = tasks.div_ceil(threads.max(1));
    (rounds, f64::from(rounds) * per_task_ms)
}

async fn run(ctx: &RunContext, variant: Variant) -> Result<ThreadsOutcome, JuggleError> {
    let tasks = ctx.params.get("tasks");
    let switch_ms = ctx.params.ms("switch_ms");
    let call_ms = ctx.params.ms("call_ms");
    let cpu = ThreadWork::Cpu {
        ms: ctx.params.ms("task_ms"),
    };
    let (threads, tasks, work, switch) = match variant {
        Variant::CpuGil => (ctx.params.get("threads"), tasks, cpu, Some(switch_ms)),
        Variant::FreeThreaded => (ctx.params.get("threads"), tasks, cpu, None),
        Variant::IoGil => {
            let wait = ThreadWork::Wait {
                ms: ctx.params.ms("wait_ms"),
                handle_ms: HANDLE_MS,
            };
            (ctx.params.get("threads"), tasks, wait, Some(switch_ms))
        }
        Variant::ToThread => {
            let call = ThreadWork::Wait {
                ms: call_ms,
                handle_ms: 0.0,
            };
            (1, 1, call, None)
        }
        Variant::Inline => {
            let task = ctx.task("async task");
            task.print("calling the blocking function");
            task.block("blocking call (inline)", call_ms);
            task.print("it returned");
            return Ok(ThreadsOutcome {
                threads: None,
                work_ms: call_ms,
                threads_ms: None,
                ratio: None,
                gil_holds: None,
                gil_wait_ms: None,
                threads_asked: None,
                wait_rounds: None,
                expected_ms: None,
            });
        }
    };
    let pool = ctx.pool()?;
    let asked = threads;
    // Threads that wait need no core: io-gil runs every thread asked, beyond the pool's on threads of
    // their own (crate::own_threads). CPU threads stay on the pool, one per core.
    let running = if variant == Variant::IoGil {
        threads
    } else {
        threads.min(pool.threads())
    };
    let job = PoolJob::Threads {
        threads: running,
        tasks,
        work,
        switch_ms: switch,
    };
    let caller = ctx.task(if variant == Variant::ToThread {
        "async task"
    } else {
        "main"
    });
    if variant == Variant::ToThread {
        caller.print("handing the blocking function to a thread");
    } else if asked > pool.threads() {
        let cores = pool.threads();
        caller.print(if running > cores {
            format!(
                "{asked} threads asked; the pool has {cores} (one per core): the waits run on {running} \
                 threads of their own, each a Web Worker sharing the memory, started for this run (a \
                 thread that waits needs no core)"
            )
        } else {
            format!(
                "{asked} threads asked; the pool has {cores} (one per core, each a Web Worker sharing \
                 the memory): running {running}"
            )
        });
    }
    let label = if variant == Variant::ToThread {
        "await asyncio.to_thread(...)"
    } else {
        "await the threads"
    };
    let report = caller.wait(label, pool.run(job)).await?;
    let result = report.threads()?;
    ctx.rec.import_spans(report.spans);
    let per_task_ms = match work {
        ThreadWork::Cpu { ms } => ms,
        ThreadWork::Wait { ms, handle_ms } => ms + handle_ms,
    };
    let work_ms = f64::from(tasks) * per_task_ms;
    let rounds =
        (variant == Variant::IoGil).then(|| wait_rounds(tasks, result.threads, per_task_ms));
    caller.print(match (variant, rounds) {
        (Variant::ToThread, _) => "it returned".to_string(),
        (_, Some((rounds, expected))) => format!(
            "{tasks} tasks done on {} threads in {:.0} ms: {rounds} round{} of waits, about \
             {expected:.0} ms expected",
            result.threads,
            result.ms,
            if rounds == 1 { "" } else { "s" }
        ),
        _ => format!("{tasks} tasks done on {} threads", result.threads),
    });
    Ok(ThreadsOutcome {
        threads: Some(result.threads),
        work_ms,
        threads_ms: Some(result.ms),
        ratio: (work_ms > 0.0).then(|| result.ms / work_ms),
        gil_holds: Some(result.holds),
        gil_wait_ms: Some(result.gil_wait_ms),
        threads_asked: Some(asked),
        wait_rounds: rounds.map(|(rounds, _)| rounds),
        expected_ms: rounds.map(|(_, ms)| ms),
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::{run_native_pool, run_sim};
    use crate::trace::{Span, SpanKind, Trace};
    use crate::GIL_LANE;

    const SMALL: [(&str, &str); 3] = [("tasks", "6"), ("task_ms", "40"), ("wait_ms", "60")];

    fn run(variant: &str) -> Trace {
        run_native_pool(
            "threads",
            &[("variant", variant), SMALL[0], SMALL[1], SMALL[2]],
        )
    }

    fn holds(trace: &Trace) -> Vec<&Span> {
        let mut holds = trace.lane(GIL_LANE);
        holds.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
        holds
    }

    #[test]
    fn under_the_gil_cpu_threads_take_turns_and_are_no_faster_than_one_thread() {
        let trace = run("cpu-gil");
        let holds = holds(&trace);
        assert!(
            holds.windows(2).all(|w| w[0].end_ms <= w[1].start_ms),
            "one holder at a time"
        );
        let holders: std::collections::BTreeSet<&str> =
            holds.iter().map(|s| s.task.as_str()).collect();
        assert_eq!(holders.len(), 2, "both threads held it in turn");
        let ratio = trace.result["ratio"].as_f64().unwrap();
        assert!(ratio >= 0.9, "serialised: ratio {ratio}");
        assert!(trace.spans.iter().any(|s| s.label == "wait for the GIL"));
    }

    #[test]
    fn with_no_gil_the_same_cpu_work_runs_on_two_threads_at_the_same_instant() {
        // (Times are not compared here: tests run side by side on a shared machine. The browser test and
        // the e2e test compare free-threaded with cpu-gil.)
        let free = run("free-threaded");
        assert!(free.lane(GIL_LANE).is_empty());
        assert_eq!(free.result["gil_holds"], 0);
        let on = |lane: &str| {
            free.spans
                .iter()
                .filter(|s| s.lane == lane && s.kind == SpanKind::Cpu)
                .map(|s| (s.start_ms, s.end_ms))
                .collect::<Vec<_>>()
        };
        let lanes: std::collections::BTreeSet<&str> = free
            .spans
            .iter()
            .filter(|s| s.lane.starts_with("worker-"))
            .map(|s| s.lane.as_str())
            .collect();
        assert_eq!(lanes.len(), 2);
        let lanes: Vec<&str> = lanes.into_iter().collect();
        let (a, b) = (on(lanes[0]), on(lanes[1]));
        assert!(
            a.iter().any(|x| b.iter().any(|y| x.0 < y.1 && y.0 < x.1)),
            "the two threads computed at the same time"
        );
    }

    #[test]
    fn blocking_waits_release_the_gil_and_overlap_in_batches_of_threads() {
        let trace = run("io-gil");
        let ms = trace.result["threads_ms"].as_f64().unwrap();
        let waits: Vec<&Span> = trace
            .spans
            .iter()
            .filter(|s| s.kind == SpanKind::Blocked)
            .collect();
        assert_eq!(waits.len(), 6);
        assert!(waits.iter().all(|s| s.label.contains("GIL released")));
        // 6 tasks on 2 threads: about 3 waits of 60 ms, less than the 6 waits (as measured) in turn. (Not
        // compared with 180 ms: sleeps overshoot on a busy machine.)
        let in_turn: f64 = waits.iter().map(|s| s.end_ms - s.start_ms).sum();
        assert!(
            ms >= 3.0 * 60.0 && ms < 0.9 * in_turn,
            "{ms} ms, waits in turn {in_turn} ms"
        );
    }

    #[test]
    fn to_thread_leaves_the_loop_free_and_inline_freezes_it() {
        let inline = run_sim("threads", &[("variant", "inline")]);
        assert!(inline.heartbeat.frozen);
        assert_eq!(inline.total_ms, 500.0);
        assert!(inline.result["threads"].is_null(), "no thread figures");
        let handed = run_native_pool("threads", &[("variant", "to-thread"), ("call_ms", "300")]);
        assert!(handed
            .spans
            .iter()
            .any(|s| s.lane.starts_with("worker-") && s.kind == SpanKind::Blocked));
        assert_eq!(
            handed.texts(),
            ["handing the blocking function to a thread", "it returned"]
        );
    }

    #[test]
    fn io_gil_on_more_threads_than_the_pool_runs_them_all_on_threads_of_their_own() {
        let trace = run_native_pool(
            "threads",
            &[("variant", "io-gil"), ("threads", "6"), SMALL[0], SMALL[2]],
        );
        assert_eq!(trace.result["threads"], 6);
        assert_eq!(trace.result["threads_asked"], 6);
        // 6 tasks on 6 threads: one round of a 60 ms wait and 1 ms of handling.
        assert_eq!(trace.result["wait_rounds"], 1);
        assert_eq!(trace.result["expected_ms"], 61.0);
        let texts = trace.texts();
        assert!(
            texts[0].contains("6 threads asked; the pool has 2 (one per core): the waits run on 6 threads of their own"),
            "{texts:?}"
        );
        let lanes: std::collections::BTreeSet<&str> = trace
            .spans
            .iter()
            .filter(|s| s.kind == SpanKind::Blocked)
            .map(|s| s.lane.as_str())
            .collect();
        assert_eq!(lanes.len(), 6, "a lane per thread: {lanes:?}");
        // All six waits at once: well under two rounds (sleeps overshoot on a busy machine, not by 60 ms).
        let ms = trace.result["threads_ms"].as_f64().unwrap();
        assert!((60.0..2.0 * 60.0 + 40.0).contains(&ms), "{ms} ms");
        // The GIL is still one: its holds never overlap.
        let holds = holds(&trace);
        assert!(holds.windows(2).all(|w| w[0].end_ms <= w[1].start_ms));
    }

    #[test]
    fn more_threads_than_the_pool_has_are_capped_and_said() {
        let trace = run_native_pool(
            "threads",
            &[
                ("variant", "free-threaded"),
                ("threads", "16"),
                SMALL[0],
                SMALL[1],
            ],
        );
        assert_eq!(trace.result["threads"], 2);
        assert!(trace.texts()[0].contains("16 threads asked"));
    }
}
