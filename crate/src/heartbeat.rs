//! The heartbeat: a timer on the main thread, due every `interval_ms`, that records when it was due and
//! when it ran. It is the lessons' health check: if the event loop is busy, the beats come late or not at all.

use std::cell::RefCell;
use std::rc::Rc;

use crate::explain;
use crate::trace::{Beat, Gap, Heartbeat, Recorder, Trace};

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

/// The shortest gap that counts as frozen for a heartbeat due every `interval_ms`: `max(250, 5 x interval)`.
pub fn frozen_threshold_ms(interval_ms: f64) -> f64 {
    (5.0 * interval_ms).max(250.0)
}

/// Summarises the beats of a run that lasted `total_ms` (see [`Heartbeat`] for the definitions): the gaps
/// (the run's start and end count as beats, so a heartbeat that never ran has one gap of `total_ms`), the
/// frozen ones, the p99 lateness and the missed deadlines.
pub fn summarize(interval_ms: f64, samples: Vec<Beat>, total_ms: f64) -> Heartbeat {
    let mut times: Vec<f64> = samples.iter().map(|b| b.ran_ms).collect();
    times.sort_by(f64::total_cmp);
    let threshold = frozen_threshold_ms(interval_ms);
    let (mut max_gap_ms, mut max_gap_from_ms) = (0.0_f64, 0.0_f64);
    let mut frozen_gaps = Vec::new();
    let mut last = 0.0_f64;
    for time in times.iter().copied().chain(std::iter::once(total_ms)) {
        let gap = time - last;
        if gap > max_gap_ms {
            (max_gap_ms, max_gap_from_ms) = (gap, last);
        }
        if gap >= threshold {
            frozen_gaps.push(Gap {
                from_ms: last,
                to_ms: time,
            });
        }
        last = time;
    }

    let mut lateness: Vec<f64> = samples.iter().map(|b| b.ran_ms - b.due_ms).collect();
    lateness.sort_by(f64::total_cmp);
    let p99_late_ms = percentile(&lateness, 0.99);

    // A deadline d is missed when no beat ran in [d, d + interval).
    let deadlines = (total_ms / interval_ms).floor() as u32;
    let missed = (1..=deadlines)
        .filter(|&k| {
            let d = f64::from(k) * interval_ms;
            let first = times.partition_point(|&t| t < d);
            times.get(first).is_none_or(|&t| t >= d + interval_ms)
        })
        .count() as u32;

    Heartbeat {
        interval_ms,
        max_gap_ms,
        max_gap_from_ms,
        p99_late_ms,
        missed,
        frozen_threshold_ms: threshold,
        frozen: !frozen_gaps.is_empty(),
        frozen_gaps,
        samples,
    }
}

/// A recorded trace (from a file or a link) judged again: its heartbeat summary (gaps, `frozen`, `missed`,
/// lateness) is recomputed from its samples by [`summarize`], and its `why` from its spans
/// ([`explain::why`]), so a recording cannot claim what its beats and spans do not show, and an older
/// recording gains the fields it lacks.
pub fn rejudge(mut trace: Trace) -> Trace {
    let heartbeat = std::mem::replace(&mut trace.heartbeat, summarize(1.0, Vec::new(), 0.0));
    trace.heartbeat = summarize(heartbeat.interval_ms, heartbeat.samples, trace.total_ms);
    trace.why = explain::why(&trace);
    trace
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
    fn a_recorded_trace_that_claims_it_never_froze_is_judged_by_its_beats() {
        let mut trace = crate::testing::run_sim("count", &[("variant", "sync")]);
        assert!(trace.heartbeat.frozen);
        trace.heartbeat.frozen = false;
        trace.heartbeat.frozen_gaps.clear();
        trace.heartbeat.missed = 0;
        let judged = rejudge(trace.clone());
        assert!(judged.heartbeat.frozen, "the beats say it froze");
        assert_eq!(judged.heartbeat.missed, 300);
        assert_eq!(judged.spans, trace.spans);
    }

    /// A question about freezing states the definition the verdict uses ([`frozen_threshold_ms`]), not
    /// one of its own.
    #[test]
    fn every_freeze_question_states_the_cores_definition() {
        let threshold = frozen_threshold_ms(f64::from(crate::params::HEARTBEAT_MS.default));
        let words =
            format!("(silent for {threshold} ms or more, or 5 of its periods if that is longer)");
        let mut asked = 0;
        for spec in crate::catalog::all() {
            let path = format!(
                "{}/src/scenarios/{}/predict.json",
                env!("CARGO_MANIFEST_DIR"),
                spec.id
            );
            let questions: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            for question in questions.as_array().unwrap() {
                if question["kind"] == "stalls" {
                    asked += 1;
                    let prompt = question["prompt"].as_str().unwrap();
                    assert!(prompt.contains(&words), "{path}: {prompt}");
                }
            }
        }
        assert!(asked >= 5, "{asked} freeze questions");
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
        // Deadlines 20 to 490 had no beat in the period after them; 500 had (the beat at 500).
        assert_eq!(summary.missed, 48);
        assert_eq!(
            summary.frozen_gaps,
            [Gap {
                from_ms: 10.0,
                to_ms: 500.0
            }]
        );
        assert!(summary.frozen);
    }

    #[test]
    fn the_frozen_threshold_is_five_periods_and_at_least_250_ms() {
        assert_eq!(frozen_threshold_ms(10.0), 250.0);
        assert_eq!(frozen_threshold_ms(50.0), 250.0);
        assert_eq!(frozen_threshold_ms(100.0), 500.0);
    }

    #[test]
    fn frozen_gaps_are_every_gap_of_at_least_the_threshold_start_and_end_included() {
        // Frozen from the start to 300, fine to 320, frozen again from 320 to the end at 570.
        let summary = summarize(10.0, vec![beat(10.0, 300.0), beat(310.0, 320.0)], 570.0);
        assert_eq!(
            summary.frozen_gaps,
            [
                Gap {
                    from_ms: 0.0,
                    to_ms: 300.0
                },
                Gap {
                    from_ms: 320.0,
                    to_ms: 570.0
                }
            ]
        );
        // A gap just under the threshold is not frozen.
        let summary = summarize(10.0, vec![beat(10.0, 249.0)], 260.0);
        assert!(summary.frozen_gaps.is_empty() && !summary.frozen);
        assert_eq!(summary.max_gap_ms, 249.0);
    }

    #[test]
    fn a_deadline_is_missed_only_when_no_beat_ran_in_its_period() {
        // Beats at 10, 25 (late for 20, but inside [20, 30)), none in [30, 40), 45 inside [40, 50).
        let samples = vec![beat(10.0, 10.0), beat(20.0, 25.0), beat(40.0, 45.0)];
        let summary = summarize(10.0, samples, 50.0);
        // Deadlines 10, 20, 30, 40, 50: 30 and 50 have no beat after them within a period.
        assert_eq!(summary.missed, 2);
        // Two beats in one period do not make up for an empty one.
        let samples = vec![beat(10.0, 10.0), beat(20.0, 12.0)];
        assert_eq!(summarize(10.0, samples, 20.0).missed, 1);
    }

    #[test]
    fn percentile_uses_nearest_rank() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&values, 0.99), Some(99.0));
        assert_eq!(percentile(&values, 0.5), Some(50.0));
        assert_eq!(percentile(&[7.0], 0.99), Some(7.0));
    }
}
