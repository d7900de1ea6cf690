//! The CPU kernel of the `speedup` scenario: counting the primes below a limit by trial division, split into
//! pieces that threads pull from a shared counter.
//!
//! The answer is checkable (the prime-counting function: 78,498 primes below 10^6) and must be the same at
//! every thread count and every piece size; only the time changes.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

/// Whether `n` is prime, by trial division with 2 and the odd numbers up to its square root.
///
/// Deliberately plain: the work per number grows with its size, so a range is real CPU work.
///
/// # Examples
/// ```
/// assert!(juggle::is_prime(97));
/// assert!(!juggle::is_prime(91));
/// ```
// Inlined into the counting loop whatever the opt-level (the release builds optimise for size).
#[inline]
pub fn is_prime(n: u64) -> bool {
    if n < 4 {
        return n >= 2;
    }
    if n % 2 == 0 {
        return false;
    }
    // Below 2^32 (every limit the scenarios allow) the divisions are 32-bit ones: native x86-64 code makes
    // that choice itself at run time (LLVM's slow-division bypass), but wasm's `i64.rem_u` is always a
    // 64-bit divide, which made the browser's kernel about 1.17 times native's in CPU time (issue #19).
    match u32::try_from(n) {
        Ok(n) => no_odd_divisor_32(n),
        Err(_) => no_odd_divisor_64(n),
    }
}

/// Whether the odd `n` (at least 5) has no odd divisor from 3 up to its square root, in 32 bits.
#[inline]
fn no_odd_divisor_32(n: u32) -> bool {
    let mut divisor: u32 = 3;
    // The square in 64 bits: for n near 2^32 the divisor passes 2^16.
    while u64::from(divisor) * u64::from(divisor) <= u64::from(n) {
        if n % divisor == 0 {
            return false;
        }
        divisor += 2;
    }
    true
}

/// [`no_odd_divisor_32`] for numbers of 2^32 and above.
fn no_odd_divisor_64(n: u64) -> bool {
    let mut divisor: u64 = 3;
    while divisor * divisor <= n {
        if n % divisor == 0 {
            return false;
        }
        divisor += 2;
    }
    true
}

/// How many primes lie in `range`.
pub fn count_primes_in(range: Range<u64>) -> u64 {
    range.filter(|&n| is_prime(n)).count() as u64
}

/// The numbers below `limit` cut into `pieces` consecutive ranges of (nearly) equal length, handed out one
/// at a time to whichever thread asks next: a shared work queue whose only state is one atomic counter.
///
/// Each hand-out is one `fetch_add` on that counter. With few big pieces that cost is nothing; with one
/// piece per number (`tiny-tasks`), every number costs an atomic operation on a cache line that all threads
/// fight over.
pub struct PieceQueue {
    limit: u64,
    pieces: u64,
    next: AtomicU64,
    step: u64,
}

impl PieceQueue {
    /// A queue over `0..limit` in `pieces` pieces (at least 1, at most `limit`).
    pub fn new(limit: u64, pieces: u64) -> Self {
        Self::dealt(limit, pieces, 0, 1)
    }

    /// The pieces `hand`, `hand + hands`, `hand + 2 * hands`, ... of the same cut: one worker's share when
    /// `hands` workers without shared memory split the range between them.
    pub fn dealt(limit: u64, pieces: u64, hand: u64, hands: u64) -> Self {
        PieceQueue {
            limit,
            pieces: pieces.clamp(1, limit.max(1)),
            next: AtomicU64::new(hand),
            step: hands.max(1),
        }
    }

    /// How many pieces the range is cut into.
    pub fn pieces(&self) -> u64 {
        self.pieces
    }

    /// Takes the next piece, or `None` when all have been handed out.
    pub fn take(&self) -> Option<Range<u64>> {
        let index = self.next.fetch_add(self.step, Ordering::Relaxed);
        (index < self.pieces).then(|| self.piece(index))
    }

    /// The range of piece `index`: piece boundaries are `index * limit / pieces`.
    fn piece(&self, index: u64) -> Range<u64> {
        let bound =
            |i: u64| (u128::from(i) * u128::from(self.limit) / u128::from(self.pieces)) as u64;
        bound(index)..bound(index + 1)
    }

    /// Pulls pieces until none is left and counts their primes: what one thread does.
    pub fn drain(&self) -> u64 {
        let mut primes = 0;
        while let Some(range) = self.take() {
            primes += count_primes_in(range);
        }
        primes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_numbers_are_classified_correctly() {
        let primes: Vec<u64> = (0..30).filter(|&n| is_prime(n)).collect();
        assert_eq!(primes, [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
    }

    #[test]
    fn numbers_at_the_32_bit_edge_are_classified_like_wider_ones() {
        // 4,294,967,291 is the largest prime below 2^32, 4,294,967,311 the smallest above it;
        // 4,294,967,297 = 641 * 6,700,417 (Euler's factor of the fifth Fermat number).
        assert!(is_prime(4_294_967_291));
        assert!(!is_prime(4_294_967_297));
        assert!(is_prime(4_294_967_311));
        assert!(!is_prime(u64::from(u32::MAX)));
        assert!(!is_prime(65_537 * 65_537));
        assert!(is_prime(65_537));
    }

    #[test]
    fn the_count_below_a_million_is_the_known_one() {
        assert_eq!(count_primes_in(0..1_000_000), 78_498);
    }

    #[test]
    fn pieces_cover_the_range_exactly_once_whatever_their_number() {
        for pieces in [1, 7, 256, 10_000] {
            let queue = PieceQueue::new(10_000, pieces);
            let mut covered = Vec::new();
            while let Some(range) = queue.take() {
                covered.extend(range);
            }
            assert_eq!(covered, (0..10_000).collect::<Vec<_>>(), "{pieces} pieces");
        }
    }

    #[test]
    fn dealt_hands_share_the_pieces_between_them() {
        let hands: Vec<u64> = (0..3)
            .map(|hand| PieceQueue::dealt(50_000, 100, hand, 3).drain())
            .collect();
        assert_eq!(hands.iter().sum::<u64>(), count_primes_in(0..50_000));
        assert!(hands.iter().all(|&primes| primes > 0));
    }

    #[test]
    fn threads_draining_one_queue_find_every_prime_once() {
        let queue = PieceQueue::new(200_000, 300);
        let total: u64 = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..3).map(|_| scope.spawn(|| queue.drain())).collect();
            workers.into_iter().map(|w| w.join().unwrap()).sum()
        });
        assert_eq!(total, count_primes_in(0..200_000));
    }

    #[test]
    fn piece_counts_are_kept_within_the_range() {
        assert_eq!(PieceQueue::new(10, 0).pieces(), 1);
        assert_eq!(PieceQueue::new(10, 1_000).pieces(), 10);
    }
}
