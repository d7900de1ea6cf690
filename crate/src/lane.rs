//! Lanes: the threads a trace's spans run on, every one the core or the browser's Python can write, named
//! once here. A span's `lane` is one of these names; [`Lane::parse`] is how a trace from outside (a file, a
//! link, an embed, the browser's Python) is read, and [`Lane`]'s `Display` is how the core writes one.

use std::fmt;

/// The most numbered lanes of one kind a trace may have (`worker-9999`, `thread-9999`, ...).
pub const MAX_LANE_NUMBER: u32 = 9_999;

/// The most processes the browser's Python may start in one run (`process-1` to `process-256`).
pub const MAX_PROCESSES: u32 = 256;

/// One thread of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lane {
    /// The page's main thread (`main`): the event loop of the Rust scenarios.
    Main,
    /// The browser's Python interpreter's thread (`python`): its event loop.
    Python,
    /// The model GIL of the `threads` scenario (`gil`): who holds it.
    Gil,
    /// A thread of the worker pool (`worker-N`, N from 0: rayon's thread index).
    Worker(u32),
    /// A worker started for one task (`spawned-N`, N from 0).
    Spawned(u32),
    /// A process of the browser's Python (`process-N`, N from 1 to [`MAX_PROCESSES`]).
    Process(u32),
    /// A thread of its own (`thread-N`, N from 1), as `threads/io-gil` starts one per blocking call.
    Thread(u32),
}

impl Lane {
    /// Every lane form, as the error of [`Lane::parse`] lists them.
    pub const FORMS: &'static str =
        "\"main\", \"python\", \"gil\", \"worker-N\", \"spawned-N\", \"process-N\" or \"thread-N\"";

    /// Reads a lane's name, or says why it is none: numbers are written without leading zeros, from
    /// 0 (`worker-`, `spawned-`) or 1 (`process-`, `thread-`) up to [`MAX_LANE_NUMBER`]
    /// ([`MAX_PROCESSES`] for processes).
    pub fn parse(name: &str) -> Option<Lane> {
        match name {
            "main" => return Some(Lane::Main),
            "python" => return Some(Lane::Python),
            "gil" => return Some(Lane::Gil),
            _ => {}
        }
        let (prefix, digits) = name.split_once('-')?;
        if digits.is_empty()
            || digits.len() > 4
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || (digits.len() > 1 && digits.starts_with('0'))
        {
            return None;
        }
        let n: u32 = digits.parse().ok()?;
        match prefix {
            "worker" => Some(Lane::Worker(n)),
            "spawned" => Some(Lane::Spawned(n)),
            "process" if (1..=MAX_PROCESSES).contains(&n) => Some(Lane::Process(n)),
            "thread" if n >= 1 => Some(Lane::Thread(n)),
            _ => None,
        }
    }

    /// Whether this lane is one process of the browser's Python.
    pub fn is_process(self) -> bool {
        matches!(self, Lane::Process(_))
    }
}

impl fmt::Display for Lane {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Lane::Main => f.write_str("main"),
            Lane::Python => f.write_str("python"),
            Lane::Gil => f.write_str("gil"),
            Lane::Worker(n) => write!(f, "worker-{n}"),
            Lane::Spawned(n) => write!(f, "spawned-{n}"),
            Lane::Process(n) => write!(f, "process-{n}"),
            Lane::Thread(n) => write!(f, "thread-{n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lane_the_core_writes_reads_back_as_itself() {
        let lanes = [
            Lane::Main,
            Lane::Python,
            Lane::Gil,
            Lane::Worker(0),
            Lane::Worker(63),
            Lane::Spawned(12),
            Lane::Process(1),
            Lane::Process(MAX_PROCESSES),
            Lane::Thread(1),
            Lane::Thread(20),
        ];
        for lane in lanes {
            assert_eq!(Lane::parse(&lane.to_string()), Some(lane), "{lane}");
        }
    }

    #[test]
    fn names_that_are_no_lane_are_refused() {
        for name in [
            "",
            "Main",
            "worker",
            "worker-",
            "worker-01",
            "worker-x",
            "worker-10000",
            "worker--1",
            "process-0",
            "process-257",
            "thread-0",
            "thread-9 ",
            "<b>main</b>",
            "gil-1",
        ] {
            assert_eq!(Lane::parse(name), None, "{name:?}");
        }
    }
}
