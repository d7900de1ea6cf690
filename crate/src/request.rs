//! A validated request: which scenario, which variant (the `variant` key, the first if absent), with which
//! parameters, and (tests only) which [`Fault`].

use crate::error::{ErrorCode, JuggleError};
use crate::params::{self, describe, printable, Params, RawValue};
use crate::scenario::{ScenarioSpec, VariantSpec};

/// A panic caused on purpose, for the tests (see [`crate::fault`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// A cooperative task on the page's thread panics after its first macrotask yield, while the variant
    /// runs beside it (the page's own instance panics).
    Task,
    /// Each of the run's pool jobs does its work, then panics on a pool thread (the engine worker's instance
    /// with shared memory; without, the message-passing worker that runs the job's last part).
    Pool,
}

impl Fault {
    /// Reads `task` or `pool`.
    ///
    /// # Errors
    /// [`ErrorCode::InvalidParameter`] for anything else.
    pub fn parse(text: &str) -> Result<Fault, JuggleError> {
        match text {
            "task" => Ok(Fault::Task),
            "pool" => Ok(Fault::Pool),
            other => Err(JuggleError::new(
                ErrorCode::InvalidParameter,
                format!(
                    "unknown fault \"{}\"; allowed: task, pool",
                    printable(other)
                ),
            )),
        }
    }
}

/// A validated request: which variant to run, and with which parameters.
#[derive(Clone, Debug)]
pub struct Request {
    /// The scenario to run.
    pub scenario: &'static ScenarioSpec,
    /// The variant, one of the scenario's.
    pub variant: &'static VariantSpec,
    /// The variant's index among the scenario's variants.
    pub variant_index: usize,
    /// Every parameter of the scenario, defaults filled in.
    pub params: Params,
    /// A panic to cause on purpose (tests only; never from parameters, see [`crate::fault`]).
    pub fault: Option<Fault>,
}

/// Validates raw input for `scenario`: the `variant` key picks the variant (the first one if absent); every
/// other key must be a declared parameter with a whole-number value inside its range.
///
/// # Errors
/// [`ErrorCode::UnknownVariant`], [`ErrorCode::UnknownParameter`] or [`ErrorCode::InvalidParameter`].
pub fn parse(
    scenario: &'static ScenarioSpec,
    raw: &[(String, RawValue)],
) -> Result<Request, JuggleError> {
    let mut variant_index = 0;
    let mut rest = Vec::with_capacity(raw.len());
    for (key, value) in raw {
        if key == "variant" {
            variant_index = select_variant(scenario, value)?;
        } else {
            rest.push((key.clone(), value.clone()));
        }
    }
    let specs: Vec<_> = scenario.all_params().collect();
    let params = params::parse(scenario.id, &specs, &["variant"], &rest)?;
    Ok(Request {
        scenario,
        variant: &scenario.variants[variant_index],
        variant_index,
        params,
        fault: None,
    })
}

/// The index of the variant `value` names.
fn select_variant(scenario: &ScenarioSpec, value: &RawValue) -> Result<usize, JuggleError> {
    let given = match value {
        RawValue::Text(text) => text.trim(),
        RawValue::Number(_) | RawValue::Other(_) => "",
    };
    scenario
        .variants
        .iter()
        .position(|variant| variant.id == given)
        .ok_or_else(|| {
            let allowed: Vec<&str> = scenario.variants.iter().map(|v| v.id).collect();
            JuggleError::new(
                ErrorCode::UnknownVariant,
                format!(
                    "{}: unknown variant {}; allowed: {}",
                    scenario.id,
                    describe(value),
                    allowed.join(", ")
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;
    use crate::scenario::ScenarioSpec;

    fn count() -> &'static ScenarioSpec {
        catalog::find("count").unwrap()
    }

    fn text(key: &str, value: &str) -> (String, RawValue) {
        (key.to_string(), RawValue::Text(value.to_string()))
    }

    #[test]
    fn defaults_fill_every_declared_parameter() {
        let request = parse(count(), &[]).unwrap();
        assert_eq!(request.variant.id, "sync");
        assert_eq!(request.params.get("tasks"), 3);
        assert_eq!(request.params.get("sleep_ms"), 1000);
        assert_eq!(request.params.get("heartbeat_ms"), 10);
    }

    #[test]
    fn url_text_and_js_numbers_are_both_accepted() {
        let raw = [
            text("variant", "async"),
            text("tasks", "5"),
            ("sleep_ms".to_string(), RawValue::Number(250.0)),
        ];
        let request = parse(count(), &raw).unwrap();
        assert_eq!(request.variant.id, "async");
        assert_eq!(request.params.get("tasks"), 5);
        assert_eq!(request.params.get("sleep_ms"), 250);
    }

    #[test]
    fn out_of_range_values_are_refused_not_clamped() {
        let error = parse(count(), &[text("tasks", "999")]).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidParameter);
        assert!(error.message.contains("\"tasks\""), "{}", error.message);
        assert!(error.message.contains("from 1 to"), "{}", error.message);
        assert!(error.message.contains("\"999\""), "{}", error.message);
    }

    #[test]
    fn fractions_nan_negatives_and_words_are_refused() {
        for value in [
            RawValue::Number(1.5),
            RawValue::Number(f64::NAN),
            RawValue::Number(-1.0),
            RawValue::Number(f64::INFINITY),
            RawValue::Text("three".into()),
            RawValue::Text("1e3".into()),
            RawValue::Text(String::new()),
            RawValue::Other("an object".into()),
        ] {
            let error = parse(count(), &[("tasks".into(), value.clone())]).unwrap_err();
            assert_eq!(error.code, ErrorCode::InvalidParameter, "{value:?}");
        }
    }

    #[test]
    fn unknown_keys_and_variants_name_what_is_allowed() {
        let error = parse(count(), &[text("speed", "1")]).unwrap_err();
        assert_eq!(error.code, ErrorCode::UnknownParameter);
        assert!(error.message.contains("sleep_ms"), "{}", error.message);

        let error = parse(count(), &[text("variant", "<script>")]).unwrap_err();
        assert_eq!(error.code, ErrorCode::UnknownVariant);
        assert!(error.message.contains("sync, async"), "{}", error.message);
    }

    #[test]
    fn faults_are_task_or_pool() {
        assert_eq!(Fault::parse("task"), Ok(Fault::Task));
        assert_eq!(Fault::parse("pool"), Ok(Fault::Pool));
        assert_eq!(
            Fault::parse("disk").unwrap_err().code,
            ErrorCode::InvalidParameter
        );
    }

    #[test]
    fn hostile_text_is_shortened_and_escaped_in_messages() {
        let long = "x".repeat(500) + "\n";
        let error = parse(count(), &[text(&long, "1")]).unwrap_err();
        assert!(error.message.len() < 200, "{}", error.message);
        assert!(!error.message.contains('\n'));
    }
}
