//! Reading the JS arguments of the exports (both halves of the build without atomics, `exports` and
//! `on_demand`): every read is fallible (a throwing getter, a Proxy whose traps throw, a value of the wrong
//! type or a huge string all become a [`JuggleError`] with a stable code, so every promise settles).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[cfg(feature = "page")]
use super::engine::to_js_error;
#[cfg(feature = "page")]
use crate::RawValue;
use crate::{ErrorCode, JuggleError, Trace};

#[wasm_bindgen(typescript_custom_section)]
const WIRE_TYPES: &str = crate::TYPESCRIPT;

#[wasm_bindgen]
extern "C" {
    /// `Object.entries`, which runs a Proxy's traps and an object's getters: it may throw.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    fn object_entries(value: &JsValue) -> Result<js_sys::Array, JsValue>;

    /// `Array.isArray`, which throws for a revoked Proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;
}

/// The longest text any argument may be (an id, a key, a value, a format); longer is refused unread.
const MAX_TEXT: u32 = 1000;

/// What a thrown JS value says, for an error message (never throws itself).
#[cfg(feature = "page")]
fn thrown(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| short_text(error).ok().flatten())
        .unwrap_or_else(|| "an exception".to_string())
}

/// A JS value as text if it is a string of at most [`MAX_TEXT`] characters (`Ok(None)`: not a string;
/// `Err(length)`: a string too long to read).
fn short_text(value: &JsValue) -> Result<Option<String>, u32> {
    match value.dyn_ref::<js_sys::JsString>() {
        None => Ok(None),
        Some(text) if text.length() > MAX_TEXT => Err(text.length()),
        Some(text) => Ok(Some(String::from(text))),
    }
}

/// Describes a JS value's type for a message, without calling into it.
fn type_of(value: &JsValue) -> String {
    if value.is_null() {
        return "null".to_string();
    }
    value
        .js_typeof()
        .as_string()
        .unwrap_or_else(|| "unknown".to_string())
}

/// An argument that must be a string (an id, a format), or an `invalid-argument` error naming it.
pub(crate) fn text_argument(
    value: &JsValue,
    what: &str,
    example: &str,
) -> Result<String, JuggleError> {
    match short_text(value) {
        Ok(Some(text)) => Ok(text),
        Ok(None) => Err(JuggleError::new(
            ErrorCode::InvalidArgument,
            format!(
                "{what} must be a string such as {example}, got {}",
                type_of(value)
            ),
        )),
        Err(length) => Err(JuggleError::new(
            ErrorCode::InvalidArgument,
            format!("{what} must be a string of at most {MAX_TEXT} characters, got {length}"),
        )),
    }
}

/// Reads a JS params object (`undefined` and `null` mean none) into raw key/value pairs. Every read may
/// throw (getters, Proxy traps): any exception becomes an `invalid-params` error.
#[cfg(feature = "page")]
pub(crate) fn raw_params(params: &JsValue) -> Result<Vec<(String, RawValue)>, JuggleError> {
    if params.is_undefined() || params.is_null() {
        return Ok(Vec::new());
    }
    let invalid = |detail: String| {
        JuggleError::new(
            ErrorCode::InvalidParams,
            format!(
                "params must be an object such as {{ variant: \"async\", tasks: 3 }}; {detail}"
            ),
        )
    };
    let array =
        is_array(params).map_err(|e| invalid(format!("reading it threw: {}", thrown(&e))))?;
    if !params.is_object() || array {
        return Err(invalid(format!(
            "got {}",
            if array {
                "an array".to_string()
            } else {
                type_of(params)
            }
        )));
    }
    let entries =
        object_entries(params).map_err(|e| invalid(format!("reading it threw: {}", thrown(&e))))?;
    entries
        .iter()
        .map(|entry| {
            // `Object.entries` makes plain [key, value] arrays: reading them runs no user code.
            let pair: js_sys::Array = entry.unchecked_into();
            let key = match short_text(&pair.get(0)) {
                Ok(Some(key)) => key,
                Ok(None) | Err(_) => return Err(invalid("a key is too long".to_string())),
            };
            let value = pair.get(1);
            let raw = if let Some(n) = value.as_f64() {
                RawValue::Number(n)
            } else {
                match short_text(&value) {
                    Ok(Some(text)) => RawValue::Text(text),
                    Ok(None) => RawValue::Other(format!("a value of type {}", type_of(&value))),
                    Err(length) => RawValue::Other(format!("a string of {length} characters")),
                }
            };
            Ok((key, raw))
        })
        .collect()
}

/// Reads a trace argument, or an `invalid-argument` error.
pub(crate) fn trace_argument(trace: JsValue) -> Result<Trace, JuggleError> {
    serde_wasm_bindgen::from_value(trace).map_err(|e| {
        JuggleError::new(
            ErrorCode::InvalidArgument,
            format!("not a Juggle trace: {e}"),
        )
    })
}

/// Reads a `tMs` argument: a number of ms (not NaN), or an `invalid-argument` error.
#[cfg(feature = "page")]
pub(crate) fn time_argument(t_ms: &JsValue) -> Result<f64, JsValue> {
    t_ms.as_f64().filter(|t| !t.is_nan()).ok_or_else(|| {
        to_js_error(JuggleError::new(
            ErrorCode::InvalidArgument,
            format!("tMs must be a number of ms, got {}", type_of(t_ms)),
        ))
    })
}
