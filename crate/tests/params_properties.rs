//! Property tests of parameter parsing (native only): whatever a URL, a knob or `juggle.run` sends, the
//! result is either the exact value inside its declared range or an error that names the parameter and
//! the allowed range. Nothing is clamped and nothing panics.
#![cfg(not(target_arch = "wasm32"))]

use juggle::ErrorCode;
use juggle::{parse_request as parse, RawValue};
use proptest::prelude::*;

/// Any scenario and one of its declared parameters.
fn declared() -> impl Strategy<Value = (usize, usize)> {
    (0..juggle::all_scenarios().len()).prop_flat_map(|s| {
        let params = juggle::all_scenarios()[s].all_params().count();
        (Just(s), 0..params)
    })
}

fn spec_of(
    scenario: usize,
    param: usize,
) -> (&'static juggle::ScenarioSpec, &'static juggle::ParamSpec) {
    let scenario = juggle::all_scenarios()[scenario];
    (scenario, scenario.all_params().nth(param).unwrap())
}

proptest! {
    #[test]
    fn any_text_for_any_parameter_parses_exactly_or_names_the_parameter(
        (s, p) in declared(),
        text in any::<String>(),
    ) {
        let (scenario, spec) = spec_of(s, p);
        match parse(scenario, &[(spec.name.to_string(), RawValue::Text(text.clone()))]) {
            Ok(request) => {
                let value = request.params.get(spec.name);
                prop_assert!(spec.min <= value && value <= spec.max);
                prop_assert_eq!(text.trim().parse::<u64>().ok(), Some(u64::from(value)));
            }
            Err(error) => {
                prop_assert_eq!(error.code, ErrorCode::InvalidParameter);
                let named = format!("\"{}\"", spec.name);
                prop_assert!(error.message.contains(&named), "{}", error.message);
                let range = format!("from {} to {}", spec.min, spec.max);
                prop_assert!(error.message.contains(&range), "{}", error.message);
            }
        }
    }

    #[test]
    fn numbers_inside_the_range_are_kept_and_outside_it_refused(
        (s, p) in declared(),
        number in prop_oneof![any::<f64>(), (-10.0..2e6_f64), Just(f64::NAN), Just(f64::INFINITY)],
    ) {
        let (scenario, spec) = spec_of(s, p);
        let inside = number.fract() == 0.0 && number >= f64::from(spec.min) && number <= f64::from(spec.max);
        let parsed = parse(scenario, &[(spec.name.to_string(), RawValue::Number(number))]);
        match parsed {
            Ok(request) => {
                prop_assert!(inside, "{number} was accepted");
                prop_assert_eq!(f64::from(request.params.get(spec.name)), number);
            }
            Err(error) => {
                prop_assert!(!inside, "{number} was refused: {}", error.message);
                prop_assert_eq!(error.code, ErrorCode::InvalidParameter);
            }
        }
    }

    #[test]
    fn unknown_keys_are_refused_with_the_allowed_ones(
        s in 0..juggle::all_scenarios().len(),
        key in "[a-z_]{1,20}",
    ) {
        let scenario = juggle::all_scenarios()[s];
        prop_assume!(key != "variant" && scenario.all_params().all(|spec| spec.name != key));
        let error = parse(scenario, &[(key.clone(), RawValue::Text("1".into()))]).unwrap_err();
        prop_assert_eq!(error.code, ErrorCode::UnknownParameter);
        prop_assert!(error.message.contains(&key));
        prop_assert!(error.message.contains("heartbeat_ms"), "{}", error.message);
    }
}
