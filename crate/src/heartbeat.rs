//! The heartbeat: a timer on the main thread, due every `interval_ms`, that records when it was due and
//! when it ran. It is the lessons' health check: if the event loop is busy, the beats come late or not at all.

use std::cell::RefCell;
use std::rc::Rc;

use crate::trace::{Beat, Heartbeat, Recorder};

/// Beats forever (until dropped), pushing one [`Beat`] per timer that ran. Deadlines that passed while the
/// loop was blocked are skipped, as a periodic timer would coalesce them; [`summarize`] counts them.
pub async fn beat(rec: Rc<Recorder>, interval_ms: f64, beats: Rc<RefCell<Vec<Beat>>>) {
    let mut due_ms = interval_ms;
    loop {
        let delay = (due_ms - rec.now()).max(0.0);
        rec.rt().sleep(delay).await;
        let ran_ms = rec.now();
        beats.borrow_mut().push(Beat { due_ms, ran_ms });
        due_ms += interval_ms;
        if due_ms <= ran_ms {
            // Skip the deadlines already gone: the next one after now.
            due_ms += ((ran_ms - due_ms) / interval_ms).floor() * interval_ms + interval_ms;
        }
    }
}

/// Summarises the beats of a run that lasted `total_ms`: the longest gap (the run's start and end count as
/// beats, so a heartbeat that never ran has a gap of `total_ms`), the p99 lateness and the missed deadlines.
pub fn summarize(interval_ms: f64, samples: Vec<Beat>, total_ms: f64) -> Heartbeat {
    let (mut max_gap_ms, mut max_gap_from_ms) = (0.0_f64, 0.0_f64);
    let beat_times = samples
        .iter()
        .map(|b| b.ran_ms)
        .chain(std::iter::once(total_ms));
    let mut last = 0.0_f64;
    for time in beat_times {
        if time - last > max_gap_ms {
            (max_gap_ms, max_gap_from_ms) = (time - last, last);
        }
        last = time;
    }

    let mut lateness: Vec<f64> = samples.iter().map(|b| b.ran_ms - b.due_ms).collect();
    lateness.sort_by(f64::total_cmp);
    let p99_late_ms = percentile(&lateness, 0.99);

    // Deadlines that came and went with no beat: every due time up to the end, minus the beats that ran.
    let deadlines = (total_ms / interval_ms).floor() as u32;
    let missed = deadlines.saturating_sub(samples.len() as u32);

    Heartbeat {
        interval_ms,
        max_gap_ms,
        max_gap_from_ms,
        p99_late_ms,
        missed,
        samples,
    }
}

/// The `q` quantile (0..=1) of sorted values by the nearest-rank method; `None` for no values.
pub fn percentile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beat(due_ms: f64, ran_ms: f64) -> Beat {
        Beat { due_ms, ran_ms }
    }

    #[test]
    fn a_heartbeat_that_never_ran_has_a_gap_of_the_whole_run() {
        let summary = summarize(10.0, vec![], 1000.0);
        assert_eq!(summary.max_gap_ms, 1000.0);
        assert_eq!(summary.p99_late_ms, None);
        assert_eq!(summary.missed, 100);
    }

    #[test]
    fn an_on_time_heartbeat_has_small_gaps_and_no_misses() {
        let samples: Vec<Beat> = (1..=10)
            .map(|i| beat(i as f64 * 10.0, i as f64 * 10.0 + 0.5))
            .collect();
        let summary = summarize(10.0, samples, 105.0);
        assert_eq!(summary.max_gap_ms, 10.5);
        assert_eq!(summary.p99_late_ms, Some(0.5));
        assert_eq!(summary.missed, 0);
    }

    #[test]
    fn a_late_beat_shows_in_gap_and_lateness() {
        let summary = summarize(10.0, vec![beat(10.0, 10.0), beat(20.0, 500.0)], 505.0);
        assert_eq!(summary.max_gap_ms, 490.0);
        assert_eq!(summary.max_gap_from_ms, 10.0);
        assert_eq!(summary.p99_late_ms, Some(480.0));
        assert_eq!(summary.missed, 48);
    }

    #[test]
    fn percentile_uses_nearest_rank() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&values, 0.99), Some(99.0));
        assert_eq!(percentile(&values, 0.5), Some(50.0));
        assert_eq!(percentile(&[7.0], 0.99), Some(7.0));
    }
}
