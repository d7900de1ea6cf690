//! Errors that cross the boundary to JavaScript with a stable `code` and a message for people.

use std::fmt;

/// A stable, machine-readable error kind. Its string form (see [`ErrorCode::as_str`]) is part of the public
/// JS API: `juggle.run` rejects with an `Error` whose `code` property holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// The scenario id is not in the catalogue.
    UnknownScenario,
    /// The scenario has no variant of that name.
    UnknownVariant,
    /// The scenario declares no parameter of that name.
    UnknownParameter,
    /// A parameter's value is not an integer inside its declared range.
    InvalidParameter,
    /// The params argument is not an object that can be read (an array, a number, a getter or a Proxy trap
    /// that throws).
    InvalidParams,
    /// Another argument of an export has the wrong type or size (an id that is not a string, a trace that
    /// is not a trace, an unknown export format).
    InvalidArgument,
    /// A trace from outside (a file, a link, an embed) is not a trace the core can show: a field is
    /// missing, unknown, of the wrong type or outside its limits.
    InvalidTrace,
    /// A run is already in progress; runs never interleave.
    Busy,
    /// The variant needs the worker pool, and the pool is not available on this page.
    PoolUnavailable,
    /// The worker pool failed while running a job.
    PoolFailed,
    /// The variant needs threads that share memory, and the page's workers can only pass messages.
    NeedsSharedMemory,
    /// The parameters are each in range, but together ask for more than a run may take (time, memory).
    TooMuchWork,
    /// The run was cancelled (a button, Esc, or the `AbortSignal` passed to `juggle.run`).
    Cancelled,
    /// Rust code of the run panicked (on the page's thread, on a pool thread or in a worker): a bug. The run
    /// was abandoned; the engine is usable for the next run.
    Panicked,
}

impl ErrorCode {
    /// The code's public string form, for example `"invalid-parameter"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::UnknownScenario => "unknown-scenario",
            ErrorCode::UnknownVariant => "unknown-variant",
            ErrorCode::UnknownParameter => "unknown-parameter",
            ErrorCode::InvalidParameter => "invalid-parameter",
            ErrorCode::InvalidParams => "invalid-params",
            ErrorCode::InvalidArgument => "invalid-argument",
            ErrorCode::InvalidTrace => "invalid-trace",
            ErrorCode::Busy => "busy",
            ErrorCode::PoolUnavailable => "pool-unavailable",
            ErrorCode::PoolFailed => "pool-failed",
            ErrorCode::NeedsSharedMemory => "needs-shared-memory",
            ErrorCode::TooMuchWork => "too-much-work",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::Panicked => "panicked",
        }
    }
}

/// An error with a [`ErrorCode`] and a sentence that names what was wrong and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JuggleError {
    /// What kind of error this is.
    pub code: ErrorCode,
    /// A message for people, naming the offending input and what is allowed.
    pub message: String,
}

impl JuggleError {
    /// Builds an error from a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        JuggleError {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for JuggleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code.as_str())
    }
}

impl std::error::Error for JuggleError {}
