//! The `speedup` scenario's pool job: threads counting primes from one shared queue of pieces (the
//! kernel itself, trial division, is `kernel.rs` beside this file). Compiled as a child of the pool
//! (`crate/src/pool.rs` includes it), so it uses the pool's items through `super::` only.

use serde::{Deserialize, Serialize};

use super::{
    count_primes_in, par, worker_lane, PieceQueue, PoolReport, PoolResult, Span, SpanKind, Stop,
};

/// Counts the primes below `limit` on exactly `threads` of the pool's threads, which pull the range in
/// `pieces` pieces from a shared queue ([`PieceQueue`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrimesJob {
    /// Count the primes below this.
    pub limit: u64,
    /// How many pieces the range is cut into.
    pub pieces: u64,
    /// How many of the pool's threads take part.
    pub threads: u32,
    /// The spans' label, for example `"2 threads"`.
    pub label: String,
    /// Without shared memory there is no common queue: each worker is dealt every `hands`-th piece
    /// from piece `hand` on, like cards. `None`: the threads share one queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal: Option<Deal>,
}

/// Which pieces of a [`PrimesJob`] one message-passing worker takes: `hand`, `hand + hands`, ...
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deal {
    /// This worker's first piece (and its index among the workers).
    pub hand: u64,
    /// How many workers share the pieces.
    pub hands: u64,
}

/// The result of a [`PrimesJob`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrimesResult {
    /// Primes found below the limit (in the pieces taken).
    pub primes: u64,
    /// Wall-clock time of the job, `end_ms - start_ms`.
    pub ms: f64,
    /// When the job started, on its clock.
    pub start_ms: f64,
    /// When it ended, on its clock.
    pub end_ms: f64,
    /// How many pieces the range was cut into.
    pub pieces: u64,
    /// How many distinct pool threads took a piece.
    pub lanes_used: usize,
}

impl PrimesJob {
    /// Runs the job on the pool's threads (see [`count_primes`]).
    pub(super) fn execute(&self, clock: &(dyn Fn() -> f64 + Sync), stop: &Stop) -> PoolReport {
        let queue = match self.deal {
            Some(deal) => PieceQueue::dealt(self.limit, self.pieces, deal.hand, deal.hands),
            None => PieceQueue::new(self.limit, self.pieces),
        };
        count_primes(&queue, self.threads, &self.label, clock, stop)
    }

    /// The result of the job cancelled before it started, at `now`: nothing counted.
    pub(super) fn nothing_done(&self, now: f64) -> PrimesResult {
        PrimesResult {
            primes: 0,
            ms: 0.0,
            start_ms: now,
            end_ms: now,
            pieces: PieceQueue::new(self.limit, self.pieces).pieces(),
            lanes_used: 0,
        }
    }

    /// The job for `workers` message-passing workers: the pieces dealt like cards, one part per worker
    /// (at most one per thread asked for).
    pub(super) fn split(&self, workers: u64) -> Vec<PrimesJob> {
        let hands = u64::from(self.threads).min(workers);
        (0..hands)
            .map(|hand| PrimesJob {
                threads: 1,
                deal: Some(Deal { hand, hands }),
                ..self.clone()
            })
            .collect()
    }

    /// The result of the whole job from its parts' `reports`, which ran on `lanes` lanes.
    pub(super) fn merge(&self, reports: &[PoolReport], lanes: usize) -> PrimesResult {
        let parts: Vec<PrimesResult> = reports.iter().filter_map(|r| r.primes().ok()).collect();
        let start_ms = parts
            .iter()
            .map(|p| p.start_ms)
            .fold(f64::INFINITY, f64::min);
        let end_ms = parts
            .iter()
            .map(|p| p.end_ms)
            .fold(f64::NEG_INFINITY, f64::max);
        PrimesResult {
            primes: parts.iter().map(|p| p.primes).sum(),
            ms: end_ms - start_ms,
            start_ms,
            end_ms,
            pieces: PieceQueue::new(self.limit, self.pieces).pieces(),
            lanes_used: lanes,
        }
    }
}

/// `threads` tasks, one per pool thread, each draining one shared [`PieceQueue`]. The result holds the
/// prime count, the job's wall-clock `ms` from `start_ms` to `end_ms` and how many lanes took a piece.
fn count_primes(
    queue: &PieceQueue,
    threads: u32,
    label: &str,
    clock: &(dyn Fn() -> f64 + Sync),
    stop: &Stop,
) -> PoolReport {
    let start_ms = clock();
    let lanes: Vec<(Span, u64, u64)> = par::each(threads.max(1) as usize, |_| {
        let start_ms = clock();
        let (mut taken, mut primes) = (0_u64, 0_u64);
        while let Some(range) = queue.take() {
            if stop.requested() {
                break;
            }
            taken += 1;
            primes += count_primes_in(range);
        }
        let span = Span {
            lane: worker_lane(par::current_thread_index().unwrap_or(0)),
            task: "count primes".to_string(),
            label: label.to_string(),
            kind: SpanKind::Cpu,
            start_ms,
            end_ms: clock(),
            simulated: false,
        };
        (span, taken, primes)
    });
    let end_ms = clock();
    let primes: u64 = lanes.iter().map(|(_, _, primes)| primes).sum();
    let lanes_used: std::collections::BTreeSet<&str> = lanes
        .iter()
        .filter(|(_, taken, _)| *taken > 0)
        .map(|(span, _, _)| span.lane.as_str())
        .collect();
    let result = PoolResult::CountPrimes(PrimesResult {
        primes,
        ms: end_ms - start_ms,
        start_ms,
        end_ms,
        pieces: queue.pieces(),
        lanes_used: lanes_used.len(),
    });
    // A task that found the queue already empty did no work: it has no span to draw.
    let spans = lanes
        .into_iter()
        .filter(|(_, taken, _)| *taken > 0)
        .map(|(span, _, _)| span)
        .collect();
    PoolReport { spans, result }
}
