//! Scenario parameters: their declarations, and the validation of what a user typed, linked or passed.
//!
//! Every parameter is a whole number inside a declared range. Input is never clamped: a value outside its
//! range, a fraction or text that is not a number is refused with a message that names the parameter and
//! the allowed range.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::ScenarioSpec;
use crate::error::{ErrorCode, JuggleError};

/// The declaration of one integer parameter: its name, meaning, default and allowed range (inclusive).
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ParamSpec {
    /// The key used in `juggle.run` params and in URLs, for example `sleep_ms`.
    pub name: &'static str,
    /// A short label for the page's knobs.
    pub label: &'static str,
    /// The value used when the parameter is not given.
    pub default: u32,
    /// The smallest allowed value.
    pub min: u32,
    /// The largest allowed value.
    pub max: u32,
    /// The unit shown beside the value (`"ms"`, `""` for a count).
    pub unit: &'static str,
}

/// The heartbeat period, a parameter every scenario accepts.
pub const HEARTBEAT_MS: ParamSpec = ParamSpec {
    name: "heartbeat_ms",
    label: "Heartbeat period",
    default: 10,
    min: 1,
    max: 1000,
    unit: "ms",
};

/// A raw parameter value as it arrived, before validation.
#[derive(Clone, Debug, PartialEq)]
pub enum RawValue {
    /// A JS number.
    Number(f64),
    /// A string, for example from a URL query.
    Text(String),
    /// Anything else (an object, a boolean...), described for the error message.
    Other(String),
}

/// Validated parameters: every declared parameter of the scenario, with defaults filled in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Params(BTreeMap<&'static str, u32>);

impl Params {
    /// The value of a declared parameter.
    ///
    /// # Panics
    /// If the scenario did not declare `name`: that is a bug in the scenario, not bad input.
    pub fn get(&self, name: &str) -> u32 {
        match self.0.get(name) {
            Some(value) => *value,
            None => panic!("parameter {name:?} is not declared by this scenario"),
        }
    }

    /// The value of a declared parameter in milliseconds, as the `f64` the clocks use.
    pub fn ms(&self, name: &str) -> f64 {
        f64::from(self.get(name))
    }

    /// Iterates over `(name, value)` pairs in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, u32)> + '_ {
        self.0.iter().map(|(name, value)| (*name, *value))
    }
}

/// A validated request: which variant to run, and with which parameters.
#[derive(Clone, Debug)]
pub struct Request {
    /// The scenario to run.
    pub scenario: &'static ScenarioSpec,
    /// The variant id, one of the scenario's.
    pub variant: &'static str,
    /// Every parameter of the scenario, defaults filled in.
    pub params: Params,
    /// A panic to cause on purpose (tests only; never from parameters, see [`crate::fault`]).
    pub fault: Option<crate::fault::Fault>,
}

/// Validates raw input for `scenario`: the `variant` key picks the variant (the first one if absent); every
/// other key must be a declared parameter with a whole-number value inside its range.
pub fn parse(
    scenario: &'static ScenarioSpec,
    raw: &[(String, RawValue)],
) -> Result<Request, JuggleError> {
    let mut variant = scenario.variants[0].id;
    let mut values: BTreeMap<&'static str, u32> = scenario
        .all_params()
        .map(|spec| (spec.name, spec.default))
        .collect();
    for (key, value) in raw {
        if key == "variant" {
            variant = parse_variant(scenario, value)?;
            continue;
        }
        let Some(spec) = scenario.all_params().find(|spec| spec.name == key) else {
            let allowed: Vec<&str> = std::iter::once("variant")
                .chain(scenario.all_params().map(|spec| spec.name))
                .collect();
            return Err(JuggleError::new(
                ErrorCode::UnknownParameter,
                format!(
                    "{}: unknown parameter \"{}\"; allowed: {}",
                    scenario.id,
                    printable(key),
                    allowed.join(", ")
                ),
            ));
        };
        values.insert(spec.name, parse_value(scenario, spec, value)?);
    }
    Ok(Request {
        scenario,
        variant,
        params: Params(values),
        fault: None,
    })
}

fn parse_variant(
    scenario: &'static ScenarioSpec,
    value: &RawValue,
) -> Result<&'static str, JuggleError> {
    let given = match value {
        RawValue::Text(text) => text.trim(),
        RawValue::Number(_) | RawValue::Other(_) => "",
    };
    scenario
        .variants
        .iter()
        .find(|variant| variant.id == given)
        .map(|variant| variant.id)
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

fn parse_value(
    scenario: &ScenarioSpec,
    spec: &ParamSpec,
    value: &RawValue,
) -> Result<u32, JuggleError> {
    let number = match value {
        RawValue::Number(number) => Some(*number),
        RawValue::Text(text) => {
            let text = text.trim();
            if !text.is_empty() && text.len() <= 12 && text.bytes().all(|b| b.is_ascii_digit()) {
                text.parse::<f64>().ok()
            } else {
                None
            }
        }
        RawValue::Other(_) => None,
    };
    match number {
        Some(n) if n.fract() == 0.0 && n >= f64::from(spec.min) && n <= f64::from(spec.max) => {
            Ok(n as u32)
        }
        _ => Err(JuggleError::new(
            ErrorCode::InvalidParameter,
            format!(
                "{}: parameter \"{}\" must be a whole number from {} to {}{}, got {}",
                scenario.id,
                spec.name,
                spec.min,
                spec.max,
                if spec.unit.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", spec.unit)
                },
                describe(value)
            ),
        )),
    }
}

/// Describes a raw value for an error message, quoting text and shortening anything long.
fn describe(value: &RawValue) -> String {
    match value {
        RawValue::Number(n) => format!("{n}"),
        RawValue::Text(text) => format!("\"{}\"", printable(text)),
        RawValue::Other(kind) => kind.clone(),
    }
}

/// Shortens untrusted text to 40 characters and escapes control characters.
fn printable(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(40)
        .flat_map(char::escape_default)
        .collect();
    if text.chars().count() > 40 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;

    fn count() -> &'static ScenarioSpec {
        catalog::find("count").unwrap()
    }

    fn text(key: &str, value: &str) -> (String, RawValue) {
        (key.to_string(), RawValue::Text(value.to_string()))
    }

    #[test]
    fn defaults_fill_every_declared_parameter() {
        let request = parse(count(), &[]).unwrap();
        assert_eq!(request.variant, "sync");
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
        assert_eq!(request.variant, "async");
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
    fn hostile_text_is_shortened_and_escaped_in_messages() {
        let long = "x".repeat(500) + "\n";
        let error = parse(count(), &[text(&long, "1")]).unwrap_err();
        assert!(error.message.len() < 200, "{}", error.message);
        assert!(!error.message.contains('\n'));
    }
}
