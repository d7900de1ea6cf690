//! `io-bound`: waiting for the outside world. N requests, each waiting a simulated network latency (a timer,
//! labelled as such) and then doing a little CPU work on the response.
//!
//! `sequential` awaits each request in turn: about N x latency. `concurrent` starts them all and awaits all:
//! about one latency. `limited` keeps at most `limit` in flight with a semaphore: about
//! ceil(N / limit) x latency. `workers` is the wrong tool: a Web Worker started per request (a process per
//! download), no faster than `concurrent` and each paying its worker's start-up.

use async_lock::Semaphore;
use std::cell::Cell;

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
            summary: "Each request gets a Web Worker of its own, started for it (like a process per \
                          download).",
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
            max: 200,
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
            max: 200,
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
    Cost {
        ms: rounds * wait_ms + requests * params.ms("work_ms"),
        spans: 3.0 * requests,
    }
}

/// What `io-bound` reports beside its trace.
#[derive(Serialize)]
pub struct IoResult {
    /// The most requests that were in flight at once.
    pub in_flight_max: u32,
    /// The simulated latencies added up: the time one request at a time would wait.
    pub latency_sum_ms: f64,
}

async fn run(ctx: &RunContext, variant: Variant) -> Result<IoResult, JuggleError> {
    let requests = ctx.params.get("requests");
    let work_ms = ctx.params.ms("work_ms");
    let latencies = super::simulated_latencies(ctx, requests);
    let in_flight = Cell::new(0_u32);
    let in_flight_max = Cell::new(0_u32);

    let request = |i: usize| {
        let (latencies, in_flight, in_flight_max) = (&latencies, &in_flight, &in_flight_max);
        async move {
            let task = ctx.task(format!("request {}", i + 1));
            in_flight.set(in_flight.get() + 1);
            in_flight_max.set(in_flight_max.get().max(in_flight.get()));
            task.sleep_simulated("network (simulated)", latencies[i])
                .await;
            in_flight.set(in_flight.get() - 1);
            task.cpu("handle", work_ms);
            task.print(format!("response {}", i + 1));
        }
    };
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
                let spans = pool.spawn_worker(task).await?;
                in_flight.set(in_flight.get() - 1);
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
                    let queued = ctx.task(format!("request {}", i + 1));
                    let _slot = queued.wait("queued for a slot", slots.acquire()).await;
                    request(i).await;
                }
            }))
            .await;
        }
    }
    Ok(IoResult {
        in_flight_max: in_flight_max.get(),
        latency_sum_ms: latencies.iter().sum::<f64>(),
    })
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
    fn jitter_is_reproducible_from_the_seed() {
        let params = [
            ("variant", "concurrent"),
            ("jitter_ms", "100"),
            ("seed", "7"),
        ];
        let (a, b) = (run_sim("io-bound", &params), run_sim("io-bound", &params));
        assert_eq!(a.result, b.result);
        assert_ne!(a.result["latency_sum_ms"], 20.0 * 200.0);
    }
}
