//! Helpers shared by the browser test files.

use juggle::web::run_scenario;
use juggle::RawValue;
use juggle::Trace;

/// Raw parameters as a URL would give them: text values.
pub fn text_params(pairs: &[(&str, &str)]) -> Vec<(String, RawValue)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), RawValue::Text(v.to_string())))
        .collect()
}

/// Runs scenario `id` on the page's main thread (no pool), panicking with the error if it fails.
pub async fn run(id: &str, pairs: &[(&str, &str)]) -> Trace {
    run_scenario(id, &text_params(pairs), None, None)
        .await
        .unwrap_or_else(|e| panic!("{id} failed: {e}"))
}
