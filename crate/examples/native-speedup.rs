//! The `speedup` kernel as native Rust with rayon, for `npm run bench` to compare with the browser:
//! the same `PoolJob::CountPrimes` through the same `juggle::pool::execute`, on a rayon pool of N OS
//! threads, at 1..N threads in interleaved rounds (median reported), as the scenario does.
//!
//! Run: `cargo run --release --example native-speedup -- [limit] [max_threads] [rounds]`; prints JSON.

use std::time::Instant;

use juggle::pool::{execute, PoolJob};
use juggle::stats;

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u64>());
    let mut next = |default: u64| args.next().and_then(Result::ok).unwrap_or(default);
    let limit = next(1_000_000);
    let max_threads =
        next(std::thread::available_parallelism().map_or(2, |n| n.get() as u64)) as u32;
    let rounds = next(5) as usize;

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(max_threads as usize)
        .build()
        .expect("a rayon pool");
    let origin = Instant::now();
    let clock = move || origin.elapsed().as_secs_f64() * 1000.0;
    let job = |limit, threads| PoolJob::CountPrimes {
        limit,
        pieces: 256,
        threads,
        label: String::new(),
        deal: None,
    };
    pool.install(|| execute(&job(limit / 4, max_threads), &clock)); // warm-up, as in the browser

    let mut samples = vec![Vec::new(); max_threads as usize];
    for _ in 0..rounds {
        for threads in 1..=max_threads {
            let report = pool.install(|| execute(&job(limit, threads), &clock));
            samples[threads as usize - 1].push(report.result["ms"].as_f64().unwrap_or(f64::NAN));
        }
    }
    let times: Vec<(u32, f64)> = (1..=max_threads)
        .zip(&samples)
        .map(|(threads, ms)| (threads, stats::median(ms)))
        .collect();
    let points = stats::scaling(&times).unwrap_or_default();
    let report = serde_json::json!({
        "limit": limit,
        "rounds": rounds,
        "runs": points,
        "parallel_fraction": stats::amdahl_fit(&points),
    });
    println!("{report}");
}
