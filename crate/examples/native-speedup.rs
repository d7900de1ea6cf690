//! The `speedup` scenario as native Rust, for `npm run bench` to compare with the browser: the scenario's
//! own code (`scaling`: warm-up, interleaved rounds of 1..N threads, median per thread count) through
//! `juggle::run`, with a `RayonPool` of N OS threads as its pool.
//!
//! Run: `cargo run --release --example native-speedup -- [limit] [max_threads] [rounds]`; prints JSON
//! `{ limit, rounds, runs: [{ threads, ms, speedup, efficiency, ... }], parallel_fraction, cpu_ms }` (rounds
//! are kept within the scenario's range, 1 to 9). `cpu_ms` is the CPU time all the process's threads spent
//! in the run, warm-up included, to 10 ms (Linux; `null` elsewhere): unlike the wall-clock times, it does not grow
//! when other programs share the cores, so the bench compares it with the browser's.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    use std::rc::Rc;

    use juggle::{Env, Pool, RawValue, RayonPool, SimRuntime};

    let mut args = std::env::args().skip(1).map(|a| a.parse::<u64>());
    let mut next = |default: u64| args.next().and_then(Result::ok).unwrap_or(default);
    let limit = next(1_000_000);
    let max_threads = next(std::thread::available_parallelism().map_or(2, |n| n.get() as u64));
    let rounds = next(5).clamp(1, 9);

    let pool: Rc<dyn Pool> = Rc::new(RayonPool::new(max_threads as usize)?);
    let number = |n: u64| RawValue::Number(n as f64);
    let raw = [
        ("variant".to_string(), RawValue::Text("scaling".into())),
        ("limit".to_string(), number(limit)),
        ("max_threads".to_string(), number(max_threads)),
        ("rounds".to_string(), number(rounds)),
    ];
    let request = juggle::parse_request(juggle::find_scenario("speedup")?, &raw)?;
    let cpu_before = cpu_ms();
    let rt = SimRuntime::new();
    let env = Env {
        mode: "native".into(),
        ..Env::default()
    };
    let run = juggle::run(
        request,
        Rc::new(rt.clone()),
        env,
        Some(pool),
        Box::pin(futures::future::pending()),
    );
    let trace = rt.block_on(run)?;
    let cpu = cpu_before
        .zip(cpu_ms())
        .map(|(before, after)| after - before);
    let report = serde_json::json!({
        "limit": limit,
        "rounds": rounds,
        "runs": trace.result["runs"],
        "parallel_fraction": trace.result["parallel_fraction"],
        "cpu_ms": cpu,
    });
    println!("{report}");
    Ok(())
}

/// CPU time of every thread this process has had so far, ended ones included, in ms (to 10 ms). `None`
/// where there is no `/proc/self/stat`.
#[cfg(not(target_arch = "wasm32"))]
fn cpu_ms() -> Option<f64> {
    // The process's user and system time (fields 14 and 15 of /proc/self/stat, in clock ticks of 10 ms),
    // which keeps the time of threads that have ended: the pool's threads end with the run, before the
    // second reading, so summing the live threads' schedstat lost their work.
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(") ")?.1.split(' ').collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 * 10.0)
}
