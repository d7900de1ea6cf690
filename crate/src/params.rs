//! Scenario parameters: their declarations, and the validation of what a user typed, linked or passed.
//!
//! Every parameter is a whole number inside a declared range. Input is never clamped: a value outside its
//! range, a fraction or text that is not a number is refused with a message that names the parameter and
//! the allowed range.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{ErrorCode, JuggleError};

/// The declaration of one integer parameter: its name, meaning, default and allowed range (inclusive).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
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

/// Validates raw parameters for the parameters `specs` of `owner` (a scenario id, for messages): every key
/// must be declared, with a whole-number value inside its range; undeclared ones are refused, naming
/// `extra_keys` and the declared ones as allowed. Defaults fill in the rest.
///
/// # Errors
/// [`ErrorCode::UnknownParameter`] or [`ErrorCode::InvalidParameter`], with a message naming what is allowed.
pub fn parse(
    owner: &str,
    specs: &[&'static ParamSpec],
    extra_keys: &[&str],
    raw: &[(String, RawValue)],
) -> Result<Params, JuggleError> {
    let mut values: BTreeMap<&'static str, u32> =
        specs.iter().map(|spec| (spec.name, spec.default)).collect();
    for (key, value) in raw {
        let Some(spec) = specs.iter().find(|spec| spec.name == key) else {
            let allowed: Vec<&str> = extra_keys
                .iter()
                .copied()
                .chain(specs.iter().map(|spec| spec.name))
                .collect();
            return Err(JuggleError::new(
                ErrorCode::UnknownParameter,
                format!(
                    "{owner}: unknown parameter \"{}\"; allowed: {}",
                    printable(key),
                    allowed.join(", ")
                ),
            ));
        };
        values.insert(spec.name, parse_value(owner, spec, value)?);
    }
    Ok(Params(values))
}

fn parse_value(owner: &str, spec: &ParamSpec, value: &RawValue) -> Result<u32, JuggleError> {
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
                owner,
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
pub(crate) fn describe(value: &RawValue) -> String {
    match value {
        RawValue::Number(n) => format!("{n}"),
        RawValue::Text(text) => format!("\"{}\"", printable(text)),
        RawValue::Other(kind) => kind.clone(),
    }
}

/// Shortens untrusted text to 40 characters and escapes control characters.
pub(crate) fn printable(text: &str) -> String {
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

    const TASKS: ParamSpec = ParamSpec {
        name: "tasks",
        label: "Tasks",
        default: 3,
        min: 1,
        max: 10,
        unit: "",
    };

    fn specs() -> Vec<&'static ParamSpec> {
        vec![&TASKS, &HEARTBEAT_MS]
    }

    #[test]
    fn defaults_fill_every_declared_parameter() {
        let params = parse("t", &specs(), &[], &[]).unwrap();
        assert_eq!(params.get("tasks"), 3);
        assert_eq!(params.get("heartbeat_ms"), 10);
    }

    #[test]
    fn out_of_range_values_are_refused_not_clamped() {
        let raw = [("tasks".to_string(), RawValue::Number(11.0))];
        let error = parse("t", &specs(), &[], &raw).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidParameter);
        assert!(
            error.message.starts_with("t: parameter \"tasks\""),
            "{}",
            error.message
        );
    }
}
