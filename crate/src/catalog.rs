//! The scenario catalogue: ids, titles, variants and parameters, as `juggle.scenarios()` returns them.
//!
//! Each scenario declares its own [`ScenarioSpec`] next to its code (`scenarios/<id>/mod.rs`); this module
//! only lists them and looks them up.

use serde::Serialize;

use crate::error::{ErrorCode, JuggleError};
use crate::params::ParamSpec;
use crate::scenario::{availability, Placement, ScenarioSpec, VariantSpec};
use crate::scenarios;

/// Calls `$then!` with every scenario module, in the order the page lists them: the one list that
/// [`all`] and [`shapes`] are made from.
macro_rules! every_scenario {
    ($then:ident) => {
        $then![
            timelines,
            count,
            cpu_in_async,
            io_bound,
            scraper,
            speedup,
            race,
            threads,
            queue
        ]
    };
}

/// Every scenario, in the order the page lists them.
pub fn all() -> &'static [&'static ScenarioSpec] {
    macro_rules! specs {
        [$($id:ident),*] => { &[$(&scenarios::$id::SPEC),*] };
    }
    every_scenario!(specs)
}

/// What a scenario is, without its code: its id, variants and own parameters (the common ones are in
/// [`crate::params::HEARTBEAT_MS`]).
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// The public id.
    pub id: &'static str,
    /// The variants, the first being the default.
    pub variants: &'static [VariantSpec],
    /// The scenario's own parameters.
    pub params: &'static [ParamSpec],
}

impl Shape {
    /// Every parameter, the common ones included, as [`ScenarioSpec::all_params`] gives them.
    pub fn all_params(&self) -> impl Iterator<Item = &'static ParamSpec> + Clone {
        self.params
            .iter()
            .chain(std::iter::once(&crate::params::HEARTBEAT_MS))
    }
}

/// Every scenario's [`Shape`], in [`all`]'s order. Read from each `SPEC` at compile time, so a module
/// that only checks ids and parameters (the recorded-trace validator, in the core's on-demand half) does
/// not link the scenarios' code.
pub fn shapes() -> &'static [Shape] {
    macro_rules! shapes {
        [$($id:ident),*] => {
            &[$(Shape {
                id: scenarios::$id::SPEC.id,
                variants: scenarios::$id::SPEC.variants,
                params: scenarios::$id::SPEC.params,
            }),*]
        };
    }
    every_scenario!(shapes)
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
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Serialize)]
pub struct CatalogEntry {
    /// The public id.
    pub id: &'static str,
    /// A short human title.
    pub title: &'static str,
    /// The situation in one or two sentences.
    pub summary: &'static str,
    /// The variants, the first one being the default.
    pub variants: Vec<CatalogVariant>,
    /// The scenario's parameters followed by the common ones.
    pub params: Vec<&'static ParamSpec>,
}

/// One variant in the catalogue, with whether it can run on this page (see [`availability`]).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
// The core writes `None` as null (serde-wasm-bindgen's JSON-compatible serializer).
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
#[derive(Serialize)]
pub struct CatalogVariant {
    /// The variant's id.
    pub id: &'static str,
    /// A short human title.
    pub title: &'static str,
    /// One sentence on what this variant does differently.
    pub summary: &'static str,
    /// Where its work runs.
    pub placement: Placement,
    /// Whether it can run here.
    pub available: bool,
    /// Why not, when it cannot (`null` when it can).
    pub unavailable_reason: Option<String>,
}

/// The whole catalogue as [`CatalogEntry`] values, for an engine whose pool threads do (`shared_memory`)
/// or do not share memory.
pub fn entries(shared_memory: bool) -> Vec<CatalogEntry> {
    all()
        .iter()
        .map(|spec| CatalogEntry {
            id: spec.id,
            title: spec.title,
            summary: spec.summary,
            variants: spec
                .variants
                .iter()
                .map(|variant| {
                    let refusal = availability(variant.placement, shared_memory).err();
                    CatalogVariant {
                        id: variant.id,
                        title: variant.title,
                        summary: variant.summary,
                        placement: variant.placement,
                        available: refusal.is_none(),
                        unavailable_reason: refusal.map(|error| error.message),
                    }
                })
                .collect(),
            params: spec.all_params().collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shapes_are_the_scenarios_ids_variants_and_parameters() {
        assert_eq!(shapes().len(), all().len());
        for (shape, spec) in shapes().iter().zip(all()) {
            assert_eq!(shape.id, spec.id);
            let ids = |v: &[VariantSpec]| v.iter().map(|v| v.id).collect::<Vec<_>>();
            assert_eq!(ids(shape.variants), ids(spec.variants));
            let names = |p: &mut dyn Iterator<Item = &'static ParamSpec>| {
                p.map(|p| p.name).collect::<Vec<_>>()
            };
            assert_eq!(
                names(&mut shape.all_params()),
                names(&mut spec.all_params())
            );
        }
    }

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
    fn shared_memory_variants_are_unavailable_without_shared_memory_and_say_why() {
        let without = entries(false);
        let race = without.iter().find(|entry| entry.id == "race").unwrap();
        let mutex = race.variants.iter().find(|v| v.id == "mutex").unwrap();
        assert!(!mutex.available);
        assert!(mutex
            .unavailable_reason
            .as_deref()
            .unwrap()
            .contains("share memory"));
        let locked = race
            .variants
            .iter()
            .find(|v| v.id == "await-locked")
            .unwrap();
        assert!(locked.available && locked.unavailable_reason.is_none());
        assert!(entries(true)
            .iter()
            .flat_map(|entry| &entry.variants)
            .all(|variant| variant.available));
        let json = serde_json::to_value(&without).unwrap();
        assert_eq!(json[6]["variants"][3]["available"], false);
    }

    #[test]
    fn unknown_ids_name_the_known_ones() {
        let error = find("nope").unwrap_err();
        assert_eq!(error.code, ErrorCode::UnknownScenario);
        assert!(error.message.contains("count"), "{}", error.message);
    }

    #[test]
    fn every_declared_variant_runs_natively_on_the_simulated_loop_or_a_rayon_pool() {
        // Small parameters where a scenario has them; every variant declared is handled (typed variants make
        // that a compile-time fact) and runs to a trace.
        let small: &[(&str, &[(&str, &str)])] = &[
            ("timelines", &[("work_ms", "20"), ("wait_ms", "20")]),
            ("count", &[("sleep_ms", "10")]),
            ("cpu-in-async", &[("tasks", "2"), ("task_ms", "10")]),
            ("io-bound", &[("requests", "3"), ("latency_ms", "10")]),
            (
                "scraper",
                &[("pages", "2"), ("parse_ms", "10"), ("latency_ms", "10")],
            ),
            ("speedup", &[("limit", "10000"), ("rounds", "1")]),
            ("race", &[("tasks", "2"), ("increments", "100")]),
            (
                "threads",
                &[
                    ("tasks", "2"),
                    ("task_ms", "10"),
                    ("wait_ms", "10"),
                    ("call_ms", "10"),
                ],
            ),
            (
                "queue",
                &[("items", "3"), ("produce_ms", "5"), ("consume_ms", "10")],
            ),
        ];
        assert_eq!(small.len(), all().len());
        for (id, params) in small {
            let spec = find(id).unwrap();
            for variant in spec.variants {
                let mut raw = vec![("variant", variant.id)];
                raw.extend_from_slice(params);
                let trace = if variant.placement == Placement::Main {
                    crate::testing::try_run_sim(id, &raw)
                } else {
                    crate::testing::try_run_native_pool(id, &raw, 2)
                }
                .unwrap_or_else(|e| panic!("{id}/{}: {e}", variant.id));
                assert_eq!(trace.variant, variant.id);
                assert!(!trace.result.is_null(), "{id}/{}", variant.id);
            }
        }
    }
}
