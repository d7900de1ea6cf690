//! What a scenario author imports: `use crate::prelude::*;` (or `juggle::prelude::*`) and little else.

pub use crate::error::{ErrorCode, JuggleError};
pub use crate::gil::ThreadWork;
pub use crate::heap::in_use as heap_in_use;
pub use crate::params::{ParamSpec, Params};
pub use crate::pool::{
    IncrementJob, IncrementMethod, IncrementResult, PoolJob, PoolReport, PrimesJob, PrimesResult,
    SpinResult, SpinTask, ThreadsResult,
};
pub use crate::runtime::YieldTo;
pub use crate::scenario::{
    typed, Cost, Placement, RunContext, ScenarioSpec, VariantSpec, Variants,
};
pub use crate::spawned::{spawned_lane, SpawnedReport, SpawnedTask};
pub use crate::stats;
pub use crate::trace::{SpanKind, Task};
pub use crate::variants;
pub use futures::future::{join, join_all, try_join_all, FutureExt};
pub use serde::Serialize;
