//! The scenarios, one module per id. Each module holds the scenario's [`crate::catalog::ScenarioSpec`]
//! (`SPEC`), its Rust code, and beside it `lesson.md` (the page's text) and `twin.py` (the same workload in
//! Python, shown next to the Rust code).

pub mod count;
pub mod timelines;
