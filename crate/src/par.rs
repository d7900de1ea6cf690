//! The parallel primitives that pool jobs use: rayon's, or, in the build without atomics (the page's and
//! its message-passing workers', one thread each), sequential stand-ins with the same results in the same
//! order. There rayon could only run every job on the calling thread anyway, and its machinery was a
//! twentieth of that build's wasm (issue #19).

#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
mod imp {
    use rayon::prelude::*;
    pub use rayon::{current_num_threads, current_thread_index, join, spawn};

    /// `f(0)`, `f(1)`, ..., `f(n - 1)` as one rayon task each (so each can have a thread of its own), their
    /// results in that order.
    pub fn each<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
        (0..n).into_par_iter().with_max_len(1).map(f).collect()
    }
}

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod imp {
    /// The threads a job can use: this one.
    pub fn current_num_threads() -> usize {
        1
    }

    /// Which pool thread this is: none (as rayon says outside a pool).
    pub fn current_thread_index() -> Option<usize> {
        None
    }

    /// `a`, then `b`, as rayon's `join` does on one thread (a panic in `a` means `b` never runs).
    pub fn join<RA, RB>(a: impl FnOnce() -> RA, b: impl FnOnce() -> RB) -> (RA, RB) {
        let a = a();
        (a, b())
    }

    /// Runs `f` now: there is no pool to post it to.
    pub fn spawn(f: impl FnOnce() + Send + 'static) {
        f();
    }

    /// `f(0)`, `f(1)`, ..., `f(n - 1)`, one after the other.
    pub fn each<T>(n: usize, f: impl Fn(usize) -> T) -> Vec<T> {
        (0..n).map(f).collect()
    }
}

pub(crate) use imp::*;
