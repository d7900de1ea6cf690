//! The scenarios, one folder per id (`scenarios/<id>/`). Each holds the scenario's
//! [`crate::catalog::ScenarioSpec`] (`SPEC`) and Rust code in `mod.rs`, and beside it `lesson.md` (the
//! page's text) and `twin.py` (the same workload in Python, shown next to the Rust code).

pub mod count;
#[path = "cpu-in-async/mod.rs"]
pub mod cpu_in_async;
#[path = "io-bound/mod.rs"]
pub mod io_bound;
pub mod race;
pub mod scraper;
pub mod speedup;
pub mod timelines;
