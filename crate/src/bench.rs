//! Micro-benchmarks of cooperative scheduling, for `npm run bench`: what a gathered task, a microtask
//! yield and a macrotask yield cost on the runtime's event loop, and how nested zero-delay timers are
//! clamped. Written against [`Runtime`], so the browser measures its real event loop and the native tests
//! check the bookkeeping on the simulated one.

use futures::future::join_all;
use serde::Serialize;

use crate::runtime::Runtime;
use crate::stats::median;

/// What [`cooperative`] measured. Times in microseconds unless the name says ms.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cooperative {
    /// How many tasks, yields and hops each figure is taken over.
    pub count: u32,
    /// Gathering `count` tasks that each yield once (`join_all`, like `asyncio.gather`), per task.
    pub gather_us_per_task: f64,
    /// One task yielding `count` times to the microtask queue, per yield.
    pub micro_yield_us: f64,
    /// Median of `count` sequential macrotask yields (the runtime's `yield_macro`).
    pub macro_yield_median_us: f64,
    /// How the macrotask yield is done (for example `MessageChannel`).
    pub macro_yield_kind: String,
    /// Twenty nested zero-delay timers, each one's actual delay in ms: the HTML spec clamps them to
    /// at least 4 ms from the fifth nesting level on.
    pub nested_timeout0_ms: Vec<f64>,
}

/// Runs the cooperative micro-benchmarks on `rt`.
pub async fn cooperative(rt: &dyn Runtime, count: u32) -> Cooperative {
    let count = count.max(1);
    let start = rt.now_ms();
    join_all((0..count).map(|_| rt.yield_micro())).await;
    let gather_ms = rt.now_ms() - start;

    let start = rt.now_ms();
    for _ in 0..count {
        rt.yield_micro().await;
    }
    let micro_ms = rt.now_ms() - start;

    let mut hops = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let before = rt.now_ms();
        rt.yield_macro().await;
        hops.push((rt.now_ms() - before) * 1000.0);
    }

    let mut nested = Vec::with_capacity(20);
    for _ in 0..20 {
        let before = rt.now_ms();
        rt.sleep(0.0).await;
        nested.push(rt.now_ms() - before);
    }

    Cooperative {
        count,
        gather_us_per_task: gather_ms * 1000.0 / f64::from(count),
        micro_yield_us: micro_ms * 1000.0 / f64::from(count),
        macro_yield_median_us: median(&hops),
        macro_yield_kind: rt.yield_macro_kind().to_string(),
        nested_timeout0_ms: nested,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimRuntime;

    #[test]
    fn every_figure_is_taken_over_the_requested_count() {
        let rt = SimRuntime::new();
        let result = rt.block_on({
            let rt = rt.clone();
            async move { cooperative(&rt, 100).await }
        });
        assert_eq!(result.count, 100);
        assert_eq!(result.nested_timeout0_ms.len(), 20);
        // Virtual time does not move for yields in the simulation.
        assert_eq!(result.micro_yield_us, 0.0);
        assert_eq!(result.macro_yield_kind, "simulated");
    }
}
