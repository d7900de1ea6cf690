//! `io-bound`: waiting for the outside world. N requests, each waiting a simulated network latency (a timer,
//! labelled as such) and then doing a little CPU work on the response.
//!
//! `sequential` awaits each request in turn: about N x latency. `concurrent` starts them all and awaits all:
//! about one latency. `limited` keeps at most `limit` in flight with a semaphore: about
//! ceil(N / limit) x latency. `workers` is the wrong tool: a Web Worker started per request (a process per
//! download), no faster than `concurrent` and each paying its worker's start-up.

use async_lock::Semaphore;
use std::cell::{Cell, RefCell};

use crate::prelude::*;

variants! {
    /// How the requests are made.
    pub enum Variant {
        /// One request at a time.
        Sequential => VariantSpec {
            id: "sequential",
            title: "One at a time",
            summary: "Await each request before starting the next.",
            placement: Placement::Main,
        },
        /// All requests at once.
        Concurrent => VariantSpec {
            id: "concurrent",
            title: "All at once",
            summary: "Start every request, then await them all (like asyncio.gather).",
            placement: Placement::Main,
        },
        /// At most `limit` in flight.
        Limited => VariantSpec {
            id: "limited",
            title: "A few at a time",
            summary: "At most `limit` requests in flight, guarded by a semaphore.",
            placement: Placement::Main,
        },
        /// A Web Worker per request.
        Workers => VariantSpec {
            id: "workers",
            title: "A worker per request",
            summary: "Each request gets a worker of its own, a new thread of the browser started for \
                          it (like a process per download).",
            placement: Placement::Workers,
        },
    }
}

/// The `io-bound` scenario's declaration.
pub const SPEC: ScenarioSpec = ScenarioSpec {
    id: "io-bound",
    title: "I/O-bound: many requests",
    summary: "Many requests, each waiting for a (simulated) server, then handling the response \
              briefly. Await them one by one, all at once, or a few at a time?",
    variants: Variant::SPECS,
    params: &[
        ParamSpec {
            name: "requests",
            label: "Requests",
            default: 20,
            min: 1,
            max: REQUESTS_MAX,
            unit: "",
        },
        ParamSpec {
            name: "latency_ms",
            label: "Latency (simulated)",
            default: 200,
            min: 0,
            max: 5000,
            unit: "ms",
        },
        ParamSpec {
            name: "jitter_ms",
            label: "Latency jitter",
            default: 0,
            min: 0,
            max: 1000,
            unit: "ms",
        },
        ParamSpec {
            name: "limit",
            label: "In flight at most",
            default: 5,
            min: 1,
            max: 10_000,
            unit: "",
        },
        ParamSpec {
            name: "work_ms",
            label: "CPU per response",
            default: 2,
            min: 0,
            max: 100,
            unit: "ms",
        },
        super::JITTER_SEED,
    ],
    run: |ctx| typed(ctx, run),
    cost: |variant, params, threads| cost(Variant::ALL[variant], params, threads),
};

/// Every wait at its longest: in turn (`sequential`), in rounds of `limit`, or all at once.
fn cost(variant: Variant, params: &Params, _threads: u32) -> Cost {
    let requests = f64::from(params.get("requests"));
    let wait_ms = params.ms("latency_ms") + params.ms("jitter_ms");
    let rounds = match variant {
        Variant::Sequential => requests,
        Variant::Limited => (requests / f64::from(params.get("limit"))).ceil(),
        Variant::Concurrent | Variant::Workers => 1.0,
    };
    let started = match variant {
        Variant::Workers => requests.min(f64::from(WORKERS_MAX)),
        _ => requests,
    };
    Cost {
        ms: rounds * wait_ms + started * params.ms("work_ms"),
        spans: 3.0 * started.min(f64::from(ROWS_MAX)),
    }
}

/// Up to this many requests, each has a row of its own on the timeline; above it, a sample of
/// [`ROWS_SAMPLED`] does (every k-th), and `in_flight` gives the whole picture.
pub const ROWS_MAX: u32 = 200;

/// How many requests get rows of their own above [`ROWS_MAX`].
pub const ROWS_SAMPLED: u32 = 20;

/// The most requests a run accepts.
pub const REQUESTS_MAX: u32 = 10_000;

/// At most this many Web Workers are started for `workers`: each is a wasm instance of its own, and
/// thousands would exhaust the page's memory.
pub const WORKERS_MAX: u32 = 50;

/// How many points `in_flight` keeps at most.
const IN_FLIGHT_POINTS: usize = 400;

/// Requests in flight at one time.
#[derive(Serialize, Clone, Copy, Debug, PartialEq)]
pub struct InFlight {
    /// When, in ms from the run's start.
    pub t_ms: f64,
    /// Requests waiting for their response then (the most in this point's stretch of time).
    pub requests: u32,
}

/// What `io-bound` reports beside its trace.
#[derive(Serialize)]
pub struct IoResult {
    /// The most requests that were in flight at once.
    pub in_flight_max: u32,
    /// The simulated latencies added up: the time one request at a time would wait.
    pub latency_sum_ms: f64,
    /// Requests made (for `workers`, at most [`WORKERS_MAX`]).
    pub requests_made: u32,
    /// Requests with rows of their own on the timeline (all up to [`ROWS_MAX`], else a sample).
    pub rows_shown: u32,
    /// Requests in flight over time, at most 400 points.
    pub in_flight: Vec<InFlight>,
    /// The size of one waiting request's Rust state (its future), in bytes.
    pub future_bytes: usize,
    /// Growth of the Rust heap in use from before the requests were made to when the most were in
    /// flight, in bytes (measured by the counting allocator, `crate::heap`).
    pub heap_growth_bytes: f64,
    /// `heap_growth_bytes / in_flight_max`: the Rust heap a waiting request held in this run (its future
    /// in the gathered list, its timer, its records). The JavaScript side of each timer is not counted.
    pub heap_per_task_bytes: f64,
    /// For `workers`: the mean start-up of a worker (its `startup` span), in ms.
    pub worker_startup_ms: Option<f64>,
    /// For `workers`: the mean size of a worker's own wasm memory, in bytes, each measured in its worker at
    /// the end of its task (`null` natively, where a task has no instance of its own). Its JavaScript heap
    /// is not counted.
    pub worker_memory_bytes: Option<f64>,
    /// For `workers`: those memories added up, in bytes.
    pub workers_memory_bytes: Option<f64>,
    /// For `workers`: what the workers cost, in words built from the figures above (also printed by
    /// `main` at the end of the run), and, when capped, why the cap is lower than asked.
    pub workers_cost: Option<String>,
}

/// The steps of requests in flight, from (time, +1 or -1) events, as at most [`IN_FLIGHT_POINTS`] points
/// (each the most in flight in its stretch of time, so that no peak is lost).
fn in_flight_series(mut events: Vec<(f64, i32)>, total_ms: f64) -> Vec<InFlight> {
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    let bucket = (total_ms / IN_FLIGHT_POINTS as f64).max(f64::MIN_POSITIVE);
    let mut points: Vec<InFlight> = Vec::new();
    let mut now = 0_i32;
    for (t_ms, step) in events {
        now += step;
        let requests = now.max(0) as u32;
        let slot = (t_ms / bucket).floor() * bucket;
        match points.last_mut() {
            Some(last) if last.t_ms == slot => last.requests = last.requests.max(requests),
            Some(last) if last.requests == requests => {}
            _ => points.push(InFlight {
                t_ms: slot,
                requests,
            }),
        }
    }
    points
}

async fn run(ctx: &RunContext, variant: Variant) -> Result<IoResult, JuggleError> {
    let asked = ctx.params.get("requests");
    let requests = match variant {
        Variant::Workers => asked.min(WORKERS_MAX),
        _ => asked,
    };
    if requests < asked {
        ctx.task("main").print(format!(
            "{asked} requests asked; a worker per request is capped at {WORKERS_MAX} here \
             (each worker holds its own copy of the page's code and memory): {requests} made"
        ));
    }
    let work_ms = ctx.params.ms("work_ms");
    let latencies = super::simulated_latencies(ctx, requests);
    let in_flight = Cell::new(0_u32);
    let in_flight_max = Cell::new(0_u32);
    // Above ROWS_MAX requests, every `stride`-th one has its own row; the rest are counted in `in_flight`.
    let stride = requests.div_ceil(ROWS_SAMPLED).max(1) as usize;
    let shown = |i: usize| requests <= ROWS_MAX || i % stride == 0;
    let events = RefCell::new(Vec::with_capacity(2 * requests as usize));
    let heap_before = heap_in_use();
    let heap_peak = Cell::new(heap_before);

    let request = |i: usize| {
        let (latencies, in_flight, in_flight_max) = (&latencies, &in_flight, &in_flight_max);
        let (events, heap_peak) = (&events, &heap_peak);
        async move {
            let task = shown(i).then(|| ctx.task(format!("request {}", i + 1)));
            in_flight.set(in_flight.get() + 1);
            if in_flight.get() > in_flight_max.get() {
                in_flight_max.set(in_flight.get());
                heap_peak.set(heap_in_use());
            }
            events.borrow_mut().push((ctx.rec.now(), 1));
            match &task {
                Some(task) => {
                    task.sleep_simulated("network (simulated)", latencies[i])
                        .await
                }
                None => ctx.rec.rt().sleep(latencies[i]).await,
            }
            in_flight.set(in_flight.get() - 1);
            events.borrow_mut().push((ctx.rec.now(), -1));
            match &task {
                Some(task) => {
                    task.cpu("handle", work_ms);
                    task.print(format!("response {}", i + 1));
                }
                None => ctx.rec.rt().spin(work_ms),
            }
        }
    };
    let future_bytes = std::mem::size_of_val(&request(0));
    let startups = RefCell::new(Vec::new());
    let memories = RefCell::new(Vec::new());
    let count = requests as usize;
    match variant {
        Variant::Sequential => {
            for i in 0..count {
                request(i).await;
            }
        }
        Variant::Concurrent => {
            join_all((0..count).map(request)).await;
        }
        Variant::Workers => {
            let pool = ctx.pool()?;
            let (latencies, in_flight, in_flight_max) = (&latencies, &in_flight, &in_flight_max);
            let (events, startups, memories) = (&events, &startups, &memories);
            try_join_all((0..count).map(|i| async move {
                let name = format!("request {}", i + 1);
                let task = SpawnedTask {
                    lane: spawned_lane(i + 1),
                    task: name.clone(),
                    wait_label: "network (simulated)".to_string(),
                    wait_ms: latencies[i],
                    work_label: "handle".to_string(),
                    work_ms,
                };
                in_flight.set(in_flight.get() + 1);
                in_flight_max.set(in_flight_max.get().max(in_flight.get()));
                events.borrow_mut().push((ctx.rec.now(), 1));
                let SpawnedReport {
                    spans,
                    memory_bytes,
                } = pool.spawn_worker(task).await?;
                memories.borrow_mut().extend(memory_bytes);
                in_flight.set(in_flight.get() - 1);
                events.borrow_mut().push((ctx.rec.now(), -1));
                startups.borrow_mut().extend(
                    spans
                        .iter()
                        .filter(|s| s.kind == SpanKind::Startup)
                        .map(|s| s.end_ms - s.start_ms),
                );
                ctx.rec.import_spans(spans);
                ctx.task(name).print(format!("response {}", i + 1));
                Ok::<_, JuggleError>(())
            }))
            .await?;
        }
        Variant::Limited => {
            let slots = Semaphore::new(ctx.params.get("limit") as usize);
            join_all((0..count).map(|i| {
                let slots = &slots;
                async move {
                    let _slot = if shown(i) {
                        let queued = ctx.task(format!("request {}", i + 1));
                        queued.wait("queued for a slot", slots.acquire()).await
                    } else {
                        slots.acquire().await
                    };
                    request(i).await;
                }
            }))
            .await;
        }
    }
    if requests > ROWS_MAX {
        ctx.task("main").print(format!(
            "{requests} responses; 1 request in {stride} has a row of its own"
        ));
    }
    let heap_growth_bytes = heap_peak.get().saturating_sub(heap_before) as f64;
    let startups = startups.into_inner();
    let mean = |values: &[f64]| {
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    };
    let worker_startup_ms = mean(&startups);
    let memories = memories.into_inner();
    let worker_memory_bytes = mean(&memories);
    let workers_memory_bytes = (!memories.is_empty()).then(|| memories.iter().sum::<f64>());
    let workers_cost = (variant == Variant::Workers)
        .then(|| workers_cost(asked, requests, worker_startup_ms, worker_memory_bytes));
    if let Some(words) = &workers_cost {
        ctx.task("main").print(words.clone());
    }
    Ok(IoResult {
        in_flight_max: in_flight_max.get(),
        latency_sum_ms: latencies.iter().sum::<f64>(),
        requests_made: requests,
        rows_shown: (0..count).filter(|&i| shown(i)).count() as u32,
        in_flight: in_flight_series(events.into_inner(), ctx.rec.now()),
        future_bytes,
        heap_growth_bytes,
        heap_per_task_bytes: heap_growth_bytes / f64::from(in_flight_max.get().max(1)),
        worker_startup_ms,
        worker_memory_bytes,
        workers_memory_bytes,
        workers_cost,
    })
}

/// What the workers of a `workers` run cost, in words, from the run's own figures: the mean start-up and
/// memory of a worker, and, when fewer workers were started than requests `asked`, what the asked number
/// and the most requests accepted would hold at that rate (the reason for the cap).
fn workers_cost(
    asked: u32,
    made: u32,
    startup_ms: Option<f64>,
    memory_bytes: Option<f64>,
) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    let startup = startup_ms.map_or("an unmeasured start-up".to_string(), |ms| {
        format!("{ms:.0} ms to start")
    });
    let Some(bytes) = memory_bytes else {
        return format!("{made} workers: each took {startup}; their memory was not measured here");
    };
    let mut words = format!(
        "{made} workers: each took {startup} and held {:.1} MiB of memory of its own ({:.0} MiB in all)",
        bytes / MIB,
        f64::from(made) * bytes / MIB
    );
    if asked > made {
        let most = if asked < REQUESTS_MAX {
            format!(
                ", and the most this page accepts ({REQUESTS_MAX}) about {:.0} MiB",
                f64::from(REQUESTS_MAX) * bytes / MIB
            )
        } else {
            String::new()
        };
        words.push_str(&format!(
            "; at that rate the {asked} asked would hold about {:.0} MiB{most}: so at most {made} \
             workers are started, to keep the page alive",
            f64::from(asked) * bytes / MIB,
        ));
    }
    words
}

#[cfg(test)]
mod tests {
    use crate::testing::run_sim;

    #[test]
    fn sequential_requests_add_up_their_latencies() {
        let trace = run_sim("io-bound", &[("variant", "sequential")]);
        assert_eq!(trace.output.len(), 20);
        assert_eq!(trace.total_ms, 20.0 * (200.0 + 2.0));
        assert_eq!(trace.result["in_flight_max"], 1);
    }

    #[test]
    fn concurrent_requests_overlap_their_waits() {
        let trace = run_sim("io-bound", &[("variant", "concurrent")]);
        assert_eq!(trace.total_ms, 200.0 + 20.0 * 2.0);
        assert_eq!(trace.result["in_flight_max"], 20);
    }

    #[test]
    fn a_semaphore_limits_requests_in_flight() {
        let trace = run_sim("io-bound", &[("variant", "limited"), ("limit", "5")]);
        assert_eq!(trace.result["in_flight_max"], 5);
        let rounds = 4.0;
        assert!(trace.total_ms >= rounds * 200.0 && trace.total_ms < (rounds + 1.0) * 200.0);
    }

    #[test]
    fn ten_thousand_concurrent_requests_take_about_one_latency_with_a_sample_of_rows() {
        let trace = run_sim(
            "io-bound",
            &[
                ("variant", "concurrent"),
                ("requests", "10000"),
                ("work_ms", "0"),
            ],
        );
        assert_eq!(trace.total_ms, 200.0);
        assert_eq!(trace.result["in_flight_max"], 10_000);
        let rows = trace.result["rows_shown"].as_u64().unwrap();
        assert_eq!(rows, 20);
        let tasks: std::collections::BTreeSet<&str> =
            trace.spans.iter().map(|s| s.task.as_str()).collect();
        assert_eq!(tasks.len() as u64, rows, "one row per request shown");
        let series = trace.result["in_flight"].as_array().unwrap();
        assert!(series.len() <= 400);
        assert_eq!(
            series.iter().map(|p| p["requests"].as_u64().unwrap()).max(),
            Some(10_000)
        );
        assert!(trace.result["future_bytes"].as_u64().unwrap() > 0);
        // The heap count is process-wide and other tests allocate and free beside this one, so its figure
        // is only checked in the browser (tests/cooperative.rs), where nothing else runs.
        assert!(trace.result["heap_per_task_bytes"].as_f64().is_some());
        assert!(trace.texts().last().unwrap().contains("10000 responses"));
    }

    #[test]
    fn a_worker_per_request_is_capped_and_says_so() {
        let trace = crate::testing::run_native_pool(
            "io-bound",
            &[
                ("variant", "workers"),
                ("requests", "300"),
                ("latency_ms", "5"),
            ],
        );
        assert_eq!(trace.result["requests_made"], 50);
        assert!(
            trace.texts()[0].contains("capped at 50"),
            "{:?}",
            trace.texts()
        );
        // Natively a task has no wasm instance of its own: no memory figure, and the closing line says so.
        assert!(trace.result["worker_memory_bytes"].is_null());
        assert!(trace.texts().last().unwrap().contains("not measured"));
        assert_eq!(
            trace.result["workers_cost"].as_str(),
            trace.texts().last().copied()
        );
    }

    #[test]
    fn the_workers_cost_line_is_computed_from_the_measured_figures() {
        let mib = 1024.0 * 1024.0;
        let capped = super::workers_cost(80, 50, Some(31.6), Some(2.0 * mib));
        assert_eq!(
            capped,
            "50 workers: each took 32 ms to start and held 2.0 MiB of memory of its own (100 MiB \
             in all); at that rate the 80 asked would hold about 160 MiB, and the most this page accepts \
             (10000) about 20000 MiB: so at most 50 workers are started, to keep the page alive"
        );
        let most = super::workers_cost(10_000, 50, Some(31.6), Some(2.0 * mib));
        assert!(
            most.ends_with(
                "the 10000 asked would hold about 20000 MiB: so at most 50 workers are \
                 started, to keep the page alive"
            ),
            "{most}"
        );
        let uncapped = super::workers_cost(20, 20, Some(10.0), Some(mib));
        assert!(!uncapped.contains("at most"), "{uncapped}");
        assert!(uncapped.contains("20 MiB in all"), "{uncapped}");
    }

    #[test]
    fn jitter_is_reproducible_from_the_seed() {
        let params = [
            ("variant", "concurrent"),
            ("jitter_ms", "100"),
            ("seed", "7"),
        ];
        let (a, b) = (run_sim("io-bound", &params), run_sim("io-bound", &params));
        // (Not the heap figures: the allocator's count is process-wide, shared with the other tests.)
        for field in ["latency_sum_ms", "in_flight", "in_flight_max"] {
            assert_eq!(a.result[field], b.result[field], "{field}");
        }
        assert_eq!(a.spans, b.spans);
        assert_ne!(a.result["latency_sum_ms"], 20.0 * 200.0);
    }
}
