//! The scenario catalogue: ids, titles, variants and parameters, as `juggle.scenarios()` returns them.
//!
//! Each scenario declares its own [`ScenarioSpec`] next to its code (`scenarios/<id>/mod.rs`); this module
//! only lists them and looks them up.

use futures::future::LocalBoxFuture;
use serde::Serialize;
use serde_json::Value;

use crate::error::{ErrorCode, JuggleError};
use crate::params::{ParamSpec, Params, HEARTBEAT_MS};
use crate::runner::RunContext;
use crate::scenarios;

/// Where a variant's work runs.
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

/// One variant of a scenario.
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

/// A scenario: one workload, run in several variants so they can be compared.
#[derive(Debug)]
pub struct ScenarioSpec {
    /// The public id (`count`, `cpu-in-async`, ...): it appears in URLs and embed snippets.
    pub id: &'static str,
    /// A short human title.
    pub title: &'static str,
    /// The situation in one or two sentences.
    pub summary: &'static str,
    /// The variants, the first one being the default.
    pub variants: &'static [VariantSpec],
    /// The scenario's own parameters (the common ones are added by [`ScenarioSpec::all_params`]).
    pub params: &'static [ParamSpec],
    /// Runs the variant named in the context, recording into it; resolves to the scenario's `result`.
    pub run: Runner,
    /// An upper estimate of what a run costs, checked against the caps before it starts.
    pub cost: fn(variant: &str, params: &Params, threads: u32) -> Cost,
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

/// Every scenario, in the order the page lists them.
pub fn all() -> &'static [&'static ScenarioSpec] {
    &[
        &scenarios::timelines::SPEC,
        &scenarios::count::SPEC,
        &scenarios::cpu_in_async::SPEC,
        &scenarios::io_bound::SPEC,
        &scenarios::scraper::SPEC,
        &scenarios::speedup::SPEC,
        &scenarios::race::SPEC,
    ]
}

/// Looks a scenario up by id, or says which ids exist.
pub fn find(id: &str) -> Result<&'static ScenarioSpec, JuggleError> {
    all()
        .iter()
        .copied()
        .find(|spec| spec.id == id)
        .ok_or_else(|| {
            let ids: Vec<&str> = all().iter().map(|spec| spec.id).collect();
            let shown: String = id.chars().take(40).flat_map(char::escape_default).collect();
            JuggleError::new(
                ErrorCode::UnknownScenario,
                format!("unknown scenario \"{shown}\"; allowed: {}", ids.join(", ")),
            )
        })
}

/// The catalogue in the shape `juggle.scenarios()` returns: each scenario with all its parameters.
#[derive(Serialize)]
pub struct CatalogEntry {
    /// The public id.
    pub id: &'static str,
    /// A short human title.
    pub title: &'static str,
    /// The situation in one or two sentences.
    pub summary: &'static str,
    /// The variants, the first one being the default.
    pub variants: &'static [VariantSpec],
    /// The scenario's parameters followed by the common ones.
    pub params: Vec<&'static ParamSpec>,
}

/// The whole catalogue as [`CatalogEntry`] values.
pub fn entries() -> Vec<CatalogEntry> {
    all()
        .iter()
        .map(|spec| CatalogEntry {
            id: spec.id,
            title: spec.title,
            summary: spec.summary,
            variants: spec.variants,
            params: spec.all_params().collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_url_safe() {
        let mut seen = std::collections::HashSet::new();
        for spec in all() {
            assert!(seen.insert(spec.id), "duplicate id {}", spec.id);
            let safe = |s: &str| s.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
            assert!(safe(spec.id), "{}", spec.id);
            for variant in spec.variants {
                assert!(safe(variant.id), "{}/{}", spec.id, variant.id);
            }
        }
    }

    #[test]
    fn every_default_lies_inside_its_range() {
        for spec in all() {
            assert!(!spec.variants.is_empty(), "{} has no variant", spec.id);
            for param in spec.all_params() {
                assert!(param.min <= param.default && param.default <= param.max);
            }
        }
    }

    #[test]
    fn unknown_ids_name_the_known_ones() {
        let error = find("nope").unwrap_err();
        assert_eq!(error.code, ErrorCode::UnknownScenario);
        assert!(error.message.contains("count"), "{}", error.message);
    }
}
