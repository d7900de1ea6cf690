//! `speedup`: parallel scaling. One CPU kernel with a checkable answer (counting the primes below `limit`,
//! see [`crate::kernel`]) is timed on 1, 2, ... `max_threads` of the pool's threads, one job per thread
//! count, in interleaved rounds whose median is reported; the prime count must be identical every time.
//!
//! `scaling` cuts the range into 256 pieces: hand-outs cost nothing next to the work, and the speedup
//! follows the thread count as far as the cores go. `tiny-tasks` hands the same range out one number at a
//! time: every number then also costs an atomic operation on one counter that all threads share, which
//! shows as a slower one-thread time and a lower efficiency. The result holds time, speedup and efficiency
//! per thread count and Amdahl's
//! parallel fraction fitted to them ([`crate::stats`]).

use crate::prelude::*;

variants! {
    /// How the range is handed out.
    pub enum Variant {
        /// 256 pieces from a shared queue.
        Scaling => VariantSpec {
            id: "scaling",
            title: "Big pieces",
            summary: "The range is cut into 256 pieces that the threads take from a shared queue.",
            placement: Placement::Pool,
        },
        /// One number at a time.
        TinyTasks => VariantSpec {
            id: "tiny-tasks",
            title: "Tiny pieces",
            summary: "The same range handed out one number at a time, from one counter that all \
                      threads share.",
            placement: Placement::Pool,
        },
    }
}

/// The `speedup` scenario's declaration.
pub const SPEC: ScenarioSpec = ScenarioSpec {
    id: "speedup",
    title: "Speedup: how far do more threads go?",
    summary: "Count the primes below a limit on 1, 2, ... threads of the worker pool. The answer \
              must not change; how much faster does it get, and what stops it scaling?",
    variants: Variant::SPECS,
    params: &[
        ParamSpec {
            name: "limit",
            label: "Count primes below",
            default: 1_000_000,
            min: 1_000,
            max: 50_000_000,
            unit: "",
        },
        ParamSpec {
            name: "rounds",
            label: "Rounds (median taken)",
            default: 3,
            min: 1,
            max: 9,
            unit: "",
        },
        ParamSpec {
            name: "max_threads",
            label: "Threads up to (0: the whole pool)",
            default: 0,
            min: 0,
            max: 64,
            unit: "",
        },
    ],
    run: |ctx| typed(ctx, run),
    cost: |variant, params, threads| cost(Variant::ALL[variant], params, threads),
};

/// One thread counts the primes below 10^6 in about 270 ms here, growing as limit^1.5; a round runs
/// 1, 2, ... threads, taking about 1/k of that each (twice as long with tiny pieces, generously).
fn cost(variant: Variant, params: &Params, threads: u32) -> Cost {
    let max_threads = match params.get("max_threads") {
        0 => threads.max(1),
        wanted => wanted,
    };
    let one_thread_ms = 270.0 * (f64::from(params.get("limit")) / 1e6).powf(1.5);
    let per_piece = match variant {
        Variant::Scaling => 1.0,
        Variant::TinyTasks => 2.0,
    };
    let round: f64 = (1..=max_threads).map(|k| 1.0 / f64::from(k)).sum();
    Cost {
        ms: per_piece * one_thread_ms * (f64::from(params.get("rounds")) * round + 0.25),
        spans: f64::from(params.get("rounds") + 1) * f64::from(max_threads * (max_threads + 1) / 2),
    }
}

/// Pieces of the range in `scaling`: enough that threads finish together, few enough to cost nothing.
const SCALING_PIECES: u64 = 256;

/// One thread count's measurements in the `speedup` result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Run {
    /// Threads used.
    pub threads: u32,
    /// The median time, in ms.
    pub ms: f64,
    /// Every round's time, in ms.
    pub samples_ms: Vec<f64>,
    /// The one-thread time divided by this one.
    pub speedup: f64,
    /// Speedup per thread.
    pub efficiency: f64,
    /// How many distinct threads took a piece (in the first round).
    pub lanes_used: usize,
}

/// What `speedup` reports beside its trace.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpeedupResult {
    /// The prime count (of the first measurement).
    pub primes: Option<u64>,
    /// Whether every measurement found the same count.
    pub identical: bool,
    /// How many pieces the range was cut into.
    pub pieces: u64,
    /// The most threads measured.
    pub max_threads: u32,
    /// The best speedup measured.
    pub best_speedup: f64,
    /// Amdahl's parallel fraction P fitted to the runs; `null` with fewer than 3 distinct thread counts
    /// (see [`stats::amdahl_fit_if_constrained`]).
    pub parallel_fraction: Option<f64>,
    /// The speedup no thread count can pass if P holds: `1 / (1 - P)`; `null` when P is `null` or 1.
    pub amdahl_ceiling: Option<f64>,
    /// Per thread count, in order.
    pub runs: Vec<Run>,
    /// Amdahl's curve for P, for drawing; `null` when P is.
    pub amdahl: Option<Vec<stats::CurvePoint>>,
}

async fn run(ctx: &RunContext, variant: Variant) -> Result<SpeedupResult, JuggleError> {
    let pool = ctx.pool()?;
    let limit = u64::from(ctx.params.get("limit"));
    let max_threads = match ctx.params.get("max_threads") {
        0 => pool.threads(),
        wanted if wanted > pool.threads() => {
            return Err(JuggleError::new(
                ErrorCode::InvalidParameter,
                format!(
                    "parameter \"max_threads\" is {wanted}, but the worker pool has {} threads; \
                     allowed: 0 (the whole pool) to {}",
                    pool.threads(),
                    pool.threads()
                ),
            ))
        }
        wanted => wanted,
    };
    let pieces_for = |limit: u64| match variant {
        Variant::Scaling => SCALING_PIECES,
        Variant::TinyTasks => limit,
    };
    let job = |limit: u64, threads: u32, label: String| {
        PoolJob::CountPrimes(PrimesJob {
            limit,
            pieces: pieces_for(limit),
            threads,
            label,
            deal: None,
        })
    };
    let caller = ctx.task("caller");

    // Every worker compiles and optimises the wasm code on its own: one untimed pass on all the threads
    // first, so the one-thread time is not taken on colder code than the others.
    let warm_up = job(limit / 4, max_threads, "warm-up".to_string());
    let report = caller
        .wait("warm-up (not measured)", pool.run(warm_up))
        .await?;
    ctx.rec.import_spans(report.spans);

    // Rounds of 1, 2, ... threads, interleaved, so a passing disturbance (another program, the browser
    // compiling in the background) spreads over every thread count instead of skewing one; the median of
    // each thread count's rounds is the time reported.
    let rounds = ctx.params.get("rounds");
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); max_threads as usize];
    let mut counts = Vec::new();
    let mut lanes_used = vec![0_usize; max_threads as usize];
    for round in 1..=rounds {
        for threads in 1..=max_threads {
            let label = format!("{threads} thread{}", if threads == 1 { "" } else { "s" });
            let report = caller
                .wait(
                    &format!("measure on {label}"),
                    pool.run(job(limit, threads, label.clone())),
                )
                .await?;
            let result = report.primes()?;
            ctx.rec.import_spans(report.spans);
            let slot = threads as usize - 1;
            samples[slot].push(result.ms);
            counts.push(result.primes);
            if round == 1 {
                lanes_used[slot] = result.lanes_used;
            }
        }
    }
    let times: Vec<(u32, f64)> = (1..=max_threads)
        .zip(&samples)
        .map(|(threads, ms)| (threads, stats::median(ms)))
        .collect();

    let identical = counts.windows(2).all(|pair| pair[0] == pair[1]);
    let points = stats::scaling(&times).unwrap_or_default();
    let parallel_fraction = stats::amdahl_fit_if_constrained(&points);
    let runs: Vec<Run> = points
        .iter()
        .zip(lanes_used.iter().zip(&samples))
        .map(|(point, (lanes, samples_ms))| Run {
            threads: point.threads,
            ms: point.ms,
            samples_ms: samples_ms.clone(),
            speedup: point.speedup,
            efficiency: point.efficiency,
            lanes_used: *lanes,
        })
        .collect();
    let best_speedup = points.iter().map(|p| p.speedup).fold(0.0, f64::max);
    let medians: Vec<String> = points
        .iter()
        .map(|p| format!("{} thr. {:.0} ms", p.threads, p.ms))
        .collect();
    caller.print(format!("medians: {}", medians.join(", ")));
    Ok(SpeedupResult {
        primes: counts.first().copied(),
        identical,
        pieces: pieces_for(limit),
        max_threads,
        best_speedup,
        parallel_fraction,
        amdahl_ceiling: parallel_fraction.and_then(stats::amdahl_ceiling),
        runs,
        amdahl: parallel_fraction.map(|p| stats::amdahl_curve(p, max_threads)),
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::try_run_sim;
    use crate::ErrorCode;

    #[test]
    fn speedup_needs_the_pool() {
        let error = try_run_sim("speedup", &[]).unwrap_err();
        assert_eq!(error.code, ErrorCode::PoolUnavailable);
    }

    #[test]
    fn on_a_native_rayon_pool_every_variant_counts_the_same_primes() {
        for variant in ["scaling", "tiny-tasks"] {
            let trace = crate::testing::run_native_pool(
                "speedup",
                &[("variant", variant), ("limit", "20000"), ("rounds", "1")],
            );
            assert_eq!(trace.result["primes"], 2262, "{variant}");
            assert_eq!(trace.result["identical"], true);
            assert_eq!(trace.result["runs"].as_array().unwrap().len(), 2);
            // Two thread counts constrain nothing: no fit, no ceiling.
            assert!(trace.result["parallel_fraction"].is_null());
            assert!(trace.result["amdahl"].is_null());
            assert!(trace.result["amdahl_ceiling"].is_null());
        }
    }

    #[test]
    fn with_three_thread_counts_the_fit_and_its_ceiling_are_given() {
        let trace = crate::testing::try_run_native_pool(
            "speedup",
            &[("limit", "20000"), ("rounds", "1")],
            3,
        )
        .unwrap();
        let p = trace.result["parallel_fraction"].as_f64().unwrap();
        match trace.result["amdahl_ceiling"].as_f64() {
            Some(ceiling) => assert!((ceiling - 1.0 / (1.0 - p)).abs() < 1e-9),
            None => assert_eq!(p, 1.0),
        }
    }
}
