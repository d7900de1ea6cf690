//! `scraper`: the hybrid. Download N pages (simulated network latency, seeded jitter) and parse each (CPU).
//!
//! `all-async` parses on the main thread as each page arrives: the downloads overlap, but the parses run
//! one after another and block the event loop. `hybrid` hands each page's parse to the worker pool as soon
//! as the page arrives and awaits it: waiting and computing overlap, the parses run in parallel, and the
//! event loop stays free.

use crate::prelude::*;

variants! {
    /// Where the parses run.
    pub enum Variant {
        /// Every parse on the event loop.
        AllAsync => VariantSpec {
            id: "all-async",
            title: "All on the event loop",
            summary: "Downloads are awaited together, and each page is parsed on the main thread when it \
                          arrives.",
            placement: Placement::Main,
        },
        /// Each parse handed to the pool as its page arrives.
        Hybrid => VariantSpec {
            id: "hybrid",
            title: "Async downloads, parsing on the pool",
            summary: "Downloads are awaited on the event loop; each page's parse is handed to the worker \
                          pool as it arrives, and awaited.",
            placement: Placement::Pool,
        },
    }
}

/// The `scraper` scenario's declaration.
pub const SPEC: ScenarioSpec = ScenarioSpec {
    id: "scraper",
    title: "The scraper: download, then parse",
    summary: "A scraper downloads pages (simulated network waits) and parses each one (CPU work). \
              Downloads are waiting; parsing is computing. Which tool for which half?",
    variants: Variant::SPECS,
    params: &[
        ParamSpec {
            name: "pages",
            label: "Pages",
            default: 10,
            min: 1,
            max: 50,
            unit: "",
        },
        ParamSpec {
            name: "latency_ms",
            label: "Download latency (simulated)",
            default: 300,
            min: 0,
            max: 5000,
            unit: "ms",
        },
        ParamSpec {
            name: "jitter_ms",
            label: "Latency jitter",
            default: 200,
            min: 0,
            max: 2000,
            unit: "ms",
        },
        ParamSpec {
            name: "parse_ms",
            label: "CPU per parse",
            default: 100,
            min: 1,
            max: 1000,
            unit: "ms",
        },
        super::JITTER_SEED,
    ],
    run: |ctx| typed(ctx, run),
    cost: |variant, params, threads| cost(Variant::ALL[variant], params, threads),
};

/// The slowest download, then every parse one after another at worst.
fn cost(_variant: Variant, params: &Params, _threads: u32) -> Cost {
    let pages = f64::from(params.get("pages"));
    Cost {
        ms: params.ms("latency_ms") + params.ms("jitter_ms") + pages * params.ms("parse_ms"),
        spans: 3.0 * pages,
    }
}

/// What `scraper` reports beside its trace.
#[derive(Serialize)]
pub struct ScraperResult {
    /// The longest simulated download.
    pub slowest_download_ms: f64,
    /// The CPU time of all the parses together.
    pub parse_cpu_ms: f64,
    /// The least time any schedule on one thread needs.
    pub one_thread_floor_ms: f64,
}

async fn run(ctx: &RunContext, variant: Variant) -> Result<ScraperResult, JuggleError> {
    let pages = ctx.params.get("pages");
    let parse_ms = ctx.params.ms("parse_ms");
    let latencies = super::simulated_latencies(ctx, pages);
    let pool = match variant {
        Variant::AllAsync => None,
        Variant::Hybrid => Some(ctx.pool()?),
    };

    try_join_all(
        latencies
            .iter()
            .enumerate()
            .map(|(i, &latency)| async move {
                let name = format!("page {}", i + 1);
                let task = ctx.task(&name);
                task.sleep_simulated("download (simulated)", latency).await;
                match pool {
                    Some(pool) => {
                        let job = PoolJob::Spin {
                            tasks: vec![SpinTask {
                                task: name.clone(),
                                label: "parse".to_string(),
                                ms: parse_ms,
                            }],
                        };
                        let report = task.wait("await the parse", pool.run(job)).await?;
                        ctx.rec.import_spans(report.spans);
                    }
                    None => task.cpu("parse", parse_ms),
                }
                task.print(format!("{name} parsed"));
                Ok::<_, JuggleError>(())
            }),
    )
    .await?;

    let slowest_download_ms = latencies.iter().copied().fold(0.0, f64::max);
    Ok(ScraperResult {
        slowest_download_ms,
        parse_cpu_ms: f64::from(pages) * parse_ms,
        one_thread_floor_ms: one_thread_floor(&latencies, parse_ms),
    })
}

/// The least time any schedule on one thread needs (the floor of `all-async`): parses run one at a time,
/// each no earlier than its page arrived.
fn one_thread_floor(latencies: &[f64], parse_ms: f64) -> f64 {
    let mut arrivals = latencies.to_vec();
    arrivals.sort_by(f64::total_cmp);
    arrivals
        .iter()
        .fold(0.0_f64, |done, &arrived| done.max(arrived) + parse_ms)
}

#[cfg(test)]
mod tests {
    use super::one_thread_floor;
    use crate::testing::{run_sim, try_run_sim};
    use crate::ErrorCode;

    #[test]
    fn all_async_overlaps_downloads_but_parses_one_at_a_time() {
        let trace = run_sim("scraper", &[("variant", "all-async")]);
        assert_eq!(trace.output.len(), 10);
        let parses: Vec<_> = trace
            .lane("main")
            .into_iter()
            .filter(|s| s.label == "parse")
            .collect();
        assert!(parses.windows(2).all(|w| w[0].end_ms <= w[1].start_ms));
        let downloads: Vec<_> = trace
            .spans
            .iter()
            .filter(|s| s.label == "download (simulated)")
            .collect();
        assert!(
            downloads.iter().all(|d| d.start_ms == 0.0),
            "all start at once"
        );
        assert_eq!(trace.total_ms, trace.result["one_thread_floor_ms"]);
        // The loop was blocked for at least one parse.
        assert!(trace.heartbeat.max_gap_ms >= 100.0);
    }

    #[test]
    fn hybrid_needs_the_pool() {
        let error = try_run_sim("scraper", &[("variant", "hybrid")]).unwrap_err();
        assert_eq!(error.code, ErrorCode::PoolUnavailable);
    }

    #[test]
    fn the_lower_bound_waits_for_arrivals_and_queues_parses() {
        assert_eq!(one_thread_floor(&[300.0, 300.0], 100.0), 500.0);
        assert_eq!(one_thread_floor(&[100.0, 500.0], 100.0), 600.0);
    }

    #[test]
    fn on_a_native_rayon_pool_hybrid_parses_each_page_on_a_worker_lane() {
        let trace = crate::testing::run_native_pool(
            "scraper",
            &[("variant", "hybrid"), ("pages", "4"), ("parse_ms", "20")],
        );
        assert_eq!(trace.output.len(), 4);
        let parses = trace
            .spans
            .iter()
            .filter(|s| s.lane.starts_with("worker-") && s.label == "parse")
            .count();
        assert_eq!(parses, 4);
        let downloads: Vec<_> = trace.spans.iter().filter(|s| s.simulated).collect();
        assert_eq!(downloads.len(), 4, "every download is marked simulated");
        assert!(downloads.iter().all(|s| s.label == "download (simulated)"));
    }
}
