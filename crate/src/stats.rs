//! Statistics of parallel scaling: speedup and efficiency per thread count, and Amdahl's law fitted to them.
//!
//! Amdahl's law: if a fraction `P` of a job's one-thread time can be spread over `k` threads and the rest
//! cannot, the job takes `T(k) = T(1) * ((1 - P) + P / k)`, a speedup of `1 / ((1 - P) + P / k)`.

use serde::Serialize;

/// One measured thread count.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ScalingPoint {
    /// Threads used.
    pub threads: u32,
    /// Wall-clock time of the job, in ms.
    pub ms: f64,
    /// The one-thread time divided by this time.
    pub speedup: f64,
    /// Speedup per thread (1.0 is perfect scaling).
    pub efficiency: f64,
}

/// Speedup and efficiency for each `(threads, ms)` measurement, relative to the measurement with one thread.
///
/// Returns `None` if there is no one-thread measurement or a time is not positive.
pub fn scaling(times: &[(u32, f64)]) -> Option<Vec<ScalingPoint>> {
    let (_, one_thread_ms) = *times.iter().find(|(threads, _)| *threads == 1)?;
    // NaN is not positive either.
    if !times.iter().all(|(_, ms)| ms.is_finite() && *ms > 0.0) {
        return None;
    }
    Some(
        times
            .iter()
            .map(|&(threads, ms)| {
                let speedup = one_thread_ms / ms;
                ScalingPoint {
                    threads,
                    ms,
                    speedup,
                    efficiency: speedup / f64::from(threads),
                }
            })
            .collect(),
    )
}

/// The parallel fraction `P` of Amdahl's law that best fits the measurements, by least squares on the
/// normalised times `T(k) / T(1)` (where the law is linear in `P`), kept within `0..=1`.
///
/// Returns `None` when no measurement used more than one thread: then nothing constrains `P`.
pub fn amdahl_fit(points: &[ScalingPoint]) -> Option<f64> {
    // T(k)/T(1) = 1 - P * x with x = 1 - 1/k; minimising sum (y - 1 + P x)^2 gives P = sum x(1-y) / sum x^2.
    let (mut xy, mut xx) = (0.0, 0.0);
    for point in points {
        let x = 1.0 - 1.0 / f64::from(point.threads);
        let y = 1.0 / point.speedup;
        xy += x * (1.0 - y);
        xx += x * x;
    }
    (xx > 0.0).then(|| (xy / xx).clamp(0.0, 1.0))
}

/// How many distinct thread counts a fit of Amdahl's law needs at least: with two (1 and k) the fit passes
/// through the one measured point whatever the law, so it says nothing about the law.
pub const AMDAHL_MIN_THREAD_COUNTS: usize = 3;

/// [`amdahl_fit`] when the points have at least [`AMDAHL_MIN_THREAD_COUNTS`] distinct thread counts, else
/// `None`.
pub fn amdahl_fit_if_constrained(points: &[ScalingPoint]) -> Option<f64> {
    let counts: std::collections::BTreeSet<u32> = points.iter().map(|p| p.threads).collect();
    if counts.len() < AMDAHL_MIN_THREAD_COUNTS {
        return None;
    }
    amdahl_fit(points)
}

/// The speedup that no thread count can pass under Amdahl's law with parallel fraction `p`: `1 / (1 - p)`;
/// `None` for `p >= 1` (no ceiling) or a `p` that is not a number.
pub fn amdahl_ceiling(p: f64) -> Option<f64> {
    (p.is_finite() && p < 1.0).then(|| 1.0 / (1.0 - p))
}

/// The speedup Amdahl's law predicts on `threads` threads for parallel fraction `p`.
pub fn amdahl_speedup(p: f64, threads: f64) -> f64 {
    1.0 / ((1.0 - p) + p / threads)
}

/// The median of `samples` (the mean of the middle two for an even count); NaN when there are none.
pub fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// A point of a curve to draw: speedup at a (possibly fractional) thread count.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CurvePoint {
    /// Threads (the x axis).
    pub threads: f64,
    /// Speedup (the y axis).
    pub speedup: f64,
}

/// Amdahl's curve for `p` from 1 to `max_threads` threads in steps of a quarter thread, for drawing.
pub fn amdahl_curve(p: f64, max_threads: u32) -> Vec<CurvePoint> {
    (4..=4 * max_threads.max(1))
        .map(|quarter| {
            let threads = f64::from(quarter) / 4.0;
            CurvePoint {
                threads,
                speedup: amdahl_speedup(p, threads),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn speedup_and_efficiency_are_relative_to_one_thread() {
        let points = scaling(&[(1, 1000.0), (2, 500.0), (4, 400.0)]).unwrap();
        assert!(close(points[1].speedup, 2.0) && close(points[1].efficiency, 1.0));
        assert!(close(points[2].speedup, 2.5) && close(points[2].efficiency, 0.625));
    }

    #[test]
    fn scaling_needs_a_one_thread_time_and_positive_times() {
        assert!(scaling(&[(2, 500.0)]).is_none());
        assert!(scaling(&[(1, 0.0), (2, 500.0)]).is_none());
    }

    #[test]
    fn the_fit_recovers_the_fraction_that_generated_exact_times() {
        for p in [0.0, 0.5, 0.9, 1.0] {
            let times: Vec<(u32, f64)> = (1..=8)
                .map(|k| (k, 1000.0 / amdahl_speedup(p, f64::from(k))))
                .collect();
            let fitted = amdahl_fit(&scaling(&times).unwrap()).unwrap();
            assert!(close(fitted, p), "p {p}, fitted {fitted}");
        }
    }

    #[test]
    fn the_fit_of_noisy_times_lies_between_the_extremes() {
        let points = scaling(&[(1, 1000.0), (2, 560.0), (3, 420.0), (4, 330.0)]).unwrap();
        let p = amdahl_fit(&points).unwrap();
        assert!(p > 0.85 && p < 0.97, "{p}");
    }

    #[test]
    fn slowdowns_fit_as_no_parallel_fraction() {
        let points = scaling(&[(1, 100.0), (2, 150.0)]).unwrap();
        assert_eq!(amdahl_fit(&points), Some(0.0));
    }

    #[test]
    fn one_thread_alone_constrains_nothing() {
        assert_eq!(amdahl_fit(&scaling(&[(1, 100.0)]).unwrap()), None);
    }

    #[test]
    fn the_fit_needs_three_distinct_thread_counts() {
        let two = scaling(&[(1, 100.0), (2, 60.0), (2, 61.0)]).unwrap();
        assert_eq!(amdahl_fit_if_constrained(&two), None);
        let three = scaling(&[(1, 100.0), (2, 60.0), (3, 45.0)]).unwrap();
        assert!(amdahl_fit_if_constrained(&three).is_some());
    }

    #[test]
    fn the_ceiling_is_one_over_the_serial_fraction() {
        assert!(close(amdahl_ceiling(0.9).unwrap(), 10.0));
        assert_eq!(amdahl_ceiling(0.0), Some(1.0));
        assert_eq!(amdahl_ceiling(1.0), None);
        assert_eq!(amdahl_ceiling(f64::NAN), None);
    }

    #[test]
    fn the_median_is_the_middle_sample() {
        assert_eq!(median(&[5.0, 1.0, 3.0]), 3.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn the_curve_starts_at_one_and_ends_at_the_law() {
        let curve = amdahl_curve(0.9, 4);
        assert_eq!(curve.first().unwrap().speedup, 1.0);
        let last = curve.last().unwrap();
        assert!(close(last.threads, 4.0) && close(last.speedup, amdahl_speedup(0.9, 4.0)));
    }
}
