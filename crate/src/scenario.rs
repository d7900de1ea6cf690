//! What a scenario is: its declaration ([`ScenarioSpec`], [`VariantSpec`], [`Placement`], [`Cost`]), the
//! context its code runs in ([`RunContext`]), typed variants ([`Variants`], [`variants!`]) and where a
//! variant can run ([`availability`]).
//!
//! Each scenario declares its own [`ScenarioSpec`] next to its code (`scenarios/<id>/mod.rs`).

use std::future::Future;
use std::rc::Rc;

use futures::future::{FutureExt, LocalBoxFuture};
use serde::Serialize;
use serde_json::Value;

use crate::error::{ErrorCode, JuggleError};
use crate::params::{ParamSpec, Params, HEARTBEAT_MS};
use crate::pool::Pool;
use crate::trace::{Recorder, Task};

/// Where a variant's work runs.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Placement {
    /// Only on the page's main thread (cooperative tasks).
    Main,
    /// Partly or wholly on the worker pool; needs the pool to have started. Without shared memory the
    /// pool is message-passing workers, and these variants still run.
    Pool,
    /// On the pool's threads *sharing memory* (one counter, a flag the page spins on): needs a cross-origin
    /// isolated page, and is refused with a message on a message-passing pool.
    SharedMemory,
    /// Partly on Web Workers started for the run and ended after it (no pool involved).
    Workers,
}

impl Placement {
    /// Whether a variant placed here needs the worker pool started before it runs.
    pub fn needs_pool(self) -> bool {
        matches!(self, Placement::Pool | Placement::SharedMemory)
    }
}

/// Whether a variant placed at `placement` can run where the pool's threads do (`shared_memory`) or do
/// not share memory. The one definition: the runner refuses with it and the catalogue reports it.
///
/// # Errors
/// [`ErrorCode::NeedsSharedMemory`] for [`Placement::SharedMemory`] without shared memory.
pub fn availability(placement: Placement, shared_memory: bool) -> Result<(), JuggleError> {
    match placement {
        Placement::SharedMemory if !shared_memory => Err(JuggleError::new(
            ErrorCode::NeedsSharedMemory,
            "this variant needs threads that share memory, and this page is not cross-origin isolated, \
             so its workers can only pass messages; open Juggle in a tab of its own (or on a host that \
             sends COOP/COEP headers) to run it",
        )),
        Placement::Main | Placement::Pool | Placement::SharedMemory | Placement::Workers => Ok(()),
    }
}

/// One variant of a scenario, as the catalogue lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct VariantSpec {
    /// The variant's id, as used in URLs (`variant=async`).
    pub id: &'static str,
    /// A short human title.
    pub title: &'static str,
    /// One sentence on what this variant does differently.
    pub summary: &'static str,
    /// Where its work runs.
    pub placement: Placement,
}

/// A scenario's variants as a Rust enum: declared once with [`variants!`], which makes the enum, its
/// [`VariantSpec`]s and the id of each from one list, so a scenario's `match` on it is exhaustive and a
/// variant cannot be declared without being handled, or handled without being declared.
pub trait Variants: Copy + 'static {
    /// Every variant, in declaration order (the first is the default).
    const ALL: &'static [Self];
    /// Their declarations, in the same order.
    const SPECS: &'static [VariantSpec];

    /// The variant with this id.
    fn from_id(id: &str) -> Option<Self> {
        Self::SPECS
            .iter()
            .position(|spec| spec.id == id)
            .map(|index| Self::ALL[index])
    }
}

/// Declares a scenario's variants: an enum, and its [`Variants`] implementation with a [`VariantSpec`] per
/// variant.
///
/// # Examples
/// ```
/// use juggle::prelude::*;
///
/// variants! {
///     /// How the tasks wait.
///     pub enum Wait {
///         /// Holding the thread.
///         Blocking => VariantSpec {
///             id: "sync",
///             title: "Blocking wait",
///             summary: "Each task holds the thread while it waits.",
///             placement: Placement::Main,
///         },
///         /// Awaiting a timer.
///         Awaiting => VariantSpec {
///             id: "async",
///             title: "Awaited timer",
///             summary: "Each task awaits a timer.",
///             placement: Placement::Main,
///         },
///     }
/// }
/// assert_eq!(Wait::from_id("async"), Some(Wait::Awaiting));
/// assert_eq!(Wait::SPECS[0].id, "sync");
/// ```
#[macro_export]
macro_rules! variants {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident => VariantSpec {
                    id: $id:literal,
                    title: $title:expr,
                    summary: $summary:expr,
                    placement: $placement:expr $(,)?
                }
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $crate::Variants for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            const SPECS: &'static [$crate::VariantSpec] = &[$(
                $crate::VariantSpec {
                    id: $id,
                    title: $title,
                    summary: $summary,
                    placement: $placement,
                }
            ),+];
        }
    };
}

/// A scenario: one workload, run in several variants so they can be compared.
#[derive(Debug)]
pub struct ScenarioSpec {
    /// The public id (`count`, `cpu-in-async`, ...): it appears in URLs and embed snippets.
    pub id: &'static str,
    /// A short human title.
    pub title: &'static str,
    /// The situation in one or two sentences.
    pub summary: &'static str,
    /// The variants, the first one being the default (a [`Variants`] type's `SPECS`).
    pub variants: &'static [VariantSpec],
    /// The scenario's own parameters (the common ones are added by [`ScenarioSpec::all_params`]).
    pub params: &'static [ParamSpec],
    /// Runs the variant named in the context, recording into it; resolves to the scenario's `result`.
    pub run: Runner,
    /// An upper estimate of what a run costs, checked against the caps before it starts; the variant is
    /// given by its index in `variants`.
    pub cost: fn(variant: usize, params: &Params, threads: u32) -> Cost,
}

/// What a run will cost at most, as a scenario estimates it from its parameters (see [`crate::caps`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cost {
    /// Wall-clock time, in ms.
    pub ms: f64,
    /// Spans recorded (each one is kept in memory until the trace is returned).
    pub spans: f64,
}

/// The signature of a scenario's entry point.
pub type Runner = for<'a> fn(&'a RunContext) -> LocalBoxFuture<'a, Result<Value, JuggleError>>;

impl ScenarioSpec {
    /// The scenario's parameters followed by the parameters every scenario accepts.
    pub fn all_params(&self) -> impl Iterator<Item = &'static ParamSpec> + Clone {
        self.params.iter().chain(std::iter::once(&HEARTBEAT_MS))
    }

    /// The variant with this id.
    pub fn variant(&self, id: &str) -> Option<&'static VariantSpec> {
        self.variants.iter().find(|variant| variant.id == id)
    }
}

/// What a variant's code gets: its parameters, the recorder, and the pool if there is one.
pub struct RunContext {
    /// The variant to run.
    pub variant: &'static VariantSpec,
    /// Its index among the scenario's variants.
    variant_index: usize,
    /// Validated parameters.
    pub params: Params,
    /// Where spans and output go.
    pub rec: Rc<Recorder>,
    pool: Option<Rc<dyn Pool>>,
}

impl RunContext {
    /// The context of one run of the variant at `variant_index` of `variants`.
    pub fn new(
        variants: &'static [VariantSpec],
        variant_index: usize,
        params: Params,
        rec: Rc<Recorder>,
        pool: Option<Rc<dyn Pool>>,
    ) -> Self {
        RunContext {
            variant: &variants[variant_index],
            variant_index,
            params,
            rec,
            pool,
        }
    }

    /// A recording handle for a cooperative task on the main lane.
    pub fn task(&self, name: impl Into<String>) -> Task {
        self.rec.task(name)
    }

    /// The pool the run was given, if any (for the runner).
    pub fn pool_if_any(&self) -> Option<&Rc<dyn Pool>> {
        self.pool.as_ref()
    }

    /// The worker pool, or an error saying this variant needs it.
    pub fn pool(&self) -> Result<&Rc<dyn Pool>, JuggleError> {
        self.pool.as_ref().ok_or_else(|| {
            JuggleError::new(
                ErrorCode::PoolUnavailable,
                format!(
                    "variant \"{}\" runs on the worker pool, which is not available on this page \
                     (it needs a cross-origin isolated page for shared memory)",
                    self.variant.id
                ),
            )
        })
    }

    /// The variant as the scenario's own [`Variants`] type.
    pub fn typed_variant<V: Variants>(&self) -> Result<V, JuggleError> {
        V::ALL.get(self.variant_index).copied().ok_or_else(|| {
            JuggleError::new(
                ErrorCode::UnknownVariant,
                format!("no variant at index {}", self.variant_index),
            )
        })
    }
}

/// Runs a scenario's typed entry point `run` for the context's variant and turns its typed result into the
/// trace's `result`: what a [`ScenarioSpec::run`] is made of (`run: |ctx| typed(ctx, run)`).
pub fn typed<'a, V, R, F>(
    ctx: &'a RunContext,
    run: impl FnOnce(&'a RunContext, V) -> F + 'a,
) -> LocalBoxFuture<'a, Result<Value, JuggleError>>
where
    V: Variants,
    R: Serialize,
    F: Future<Output = Result<R, JuggleError>> + 'a,
{
    async move {
        let variant = ctx.typed_variant::<V>()?;
        let result = run(ctx, variant).await?;
        serde_json::to_value(result).map_err(|error| {
            JuggleError::new(
                ErrorCode::Panicked,
                format!("a result did not serialise: {error}"),
            )
        })
    }
    .boxed_local()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words that tell what a run will show. The page shows variant summaries before Run, so they say
    /// what each variant does, never what happens (issue #14, teaching truth).
    const OUTCOMES: &[&str] = &[
        "frozen",
        "freeze",
        "exact",
        "overwrite",
        "faster",
        "slower",
        "lost",
        "lose",
        "never run",
        "answers",
        "nothing gets",
        "no faster",
        "wrong tool",
        "cost nothing",
        "stays free",
    ];

    #[test]
    fn no_variant_summary_gives_the_outcome_away_before_the_run() {
        for spec in crate::catalog::all() {
            for variant in spec.variants {
                let summary = variant.summary.to_lowercase();
                for word in OUTCOMES {
                    assert!(
                        !summary.contains(word),
                        "{}/{}: the summary says \"{word}\": {}",
                        spec.id,
                        variant.id,
                        variant.summary
                    );
                }
            }
        }
    }

    #[test]
    fn only_shared_memory_variants_need_shared_memory() {
        for placement in [Placement::Main, Placement::Pool, Placement::Workers] {
            assert_eq!(availability(placement, false), Ok(()));
        }
        assert_eq!(availability(Placement::SharedMemory, true), Ok(()));
        assert_eq!(
            availability(Placement::SharedMemory, false)
                .unwrap_err()
                .code,
            ErrorCode::NeedsSharedMemory
        );
    }
}
