//! A trace from outside (a file, a `#trace=` link, an embed, a Lab run's download): the one validator every
//! such trace goes through before anything draws it, with the limits in one place ([`LIMITS`]).
//!
//! [`parse`] takes the JSON text and checks its size and nesting before parsing it; [`validate`] checks the
//! parsed value field by field against the trace format ([`Trace`]): every field with its type and no other,
//! sizes within [`LIMITS`], numbers finite and in order (spans start before they end, all times within the
//! run's total give or take 1% and 1 ms), span kinds and lanes ([`Lane`]) known, the scenario, its variant
//! and its parameters known to the catalogue (or the Lab's `lab`/`program`). Both then judge the run again
//! from its samples ([`crate::rejudge`]): a file's verdicts are never shown. Every refusal is an
//! `invalid-trace` error that names the field, what is allowed and what was given.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::catalog;
use crate::error::{ErrorCode, JuggleError};
use crate::lane::Lane;
use crate::params::ParamSpec;
use crate::trace::{Stream, Trace};

/// The scenario id of a Lab run (a learner's own program), and its one variant.
pub const LAB_SCENARIO: &str = "lab";
/// The variant of a Lab run.
pub const LAB_VARIANT: &str = "program";

/// The limits on a trace from outside. A real run is far inside each.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TraceLimits {
    /// Longest JSON text, in bytes of UTF-8 (a file's size is checked against it before it is read).
    pub file_bytes: usize,
    /// How deep the JSON may nest (a real trace is 5 levels deep).
    pub depth: usize,
    /// Most spans.
    pub spans: usize,
    /// Most printed lines.
    pub output: usize,
    /// Most heartbeat samples.
    pub beats: usize,
    /// Longest id, lane, task name or env string, in characters.
    pub name: usize,
    /// Longest span label, in characters.
    pub label: usize,
    /// Longest printed line (and any other text of the trace), in characters.
    pub text: usize,
    /// Most keys in `result`.
    pub result_keys: usize,
    /// Most values in `result` in all.
    pub result_items: usize,
    /// Longest traceback a Python run's `result.error.message` may hold, in characters.
    pub traceback: usize,
}

/// The limits, the same for every source. The browser's Python's records are held to the same (see
/// `python.rs`), so every run the page makes opens again.
pub const LIMITS: TraceLimits = TraceLimits {
    file_bytes: 5 * 1024 * 1024,
    depth: 32,
    spans: 50_000,
    output: 10_000,
    beats: 100_000,
    name: 200,
    label: 200,
    text: 2_000,
    result_keys: 100,
    result_items: 10_000,
    traceback: 20_000,
};

/// Latest `started_at_ms` accepted (the year 2200), so that the date shown is a real one.
const LATEST_START_MS: f64 = 7_258_118_400_000.0;
/// The longest run: a day leaves room for anything real (the core allows 60 s of work).
const LONGEST_RUN_MS: f64 = 86_400_000.0;

/// A trace's JSON text, checked for size and nesting, parsed, then [`validate`]d.
pub fn parse(text: &str) -> Result<Trace, JuggleError> {
    if text.len() > LIMITS.file_bytes {
        return Err(invalid(
            "the trace",
            &format!(
                "at most {} MB of JSON (it is {:.1} MB)",
                LIMITS.file_bytes / 1024 / 1024,
                text.len() as f64 / 1024.0 / 1024.0
            ),
            "too much text",
        ));
    }
    if json_depth(text, LIMITS.depth) > LIMITS.depth {
        return Err(JuggleError::new(
            ErrorCode::InvalidTrace,
            format!(
                "the trace nests more than {0} levels deep; a trace is at most {0} levels deep (a real one is 5)",
                LIMITS.depth
            ),
        ));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        JuggleError::new(
            ErrorCode::InvalidTrace,
            format!(
                "the trace is not valid JSON ({}); a trace is the JSON that the JSON download writes",
                cut(&e.to_string(), 120)
            ),
        )
    })?;
    validate(value)
}

/// How deeply `text` nests JSON arrays and objects (strings skipped), stopping once past `limit`: counted
/// before parsing so that a deeply nested file is refused by a count, not by the parser's recursion.
pub fn json_depth(text: &str, limit: usize) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in text.bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
                if deepest > limit {
                    return deepest;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// A parsed trace checked strictly (see the module's doc), then judged again from its samples.
pub fn validate(value: Value) -> Result<Trace, JuggleError> {
    check(&value)?;
    let trace = serde_json::from_value(value).map_err(not_read)?;
    Ok(crate::rejudge(trace))
}

/// Checks a parsed trace strictly (see the module's doc) without reading it into a [`Trace`]: for callers
/// that read the same data into a [`Trace`] their own way (the browser reads it from the JS value, with the
/// deserializer its other exports already use), then call [`crate::rejudge`].
pub fn check(value: &Value) -> Result<(), JuggleError> {
    check_trace(value)
}

/// A trace that passed [`check`] but could not be read: unreachable, kept as a coded error, not a panic.
pub fn not_read(error: impl std::fmt::Display) -> JuggleError {
    JuggleError::new(
        ErrorCode::InvalidTrace,
        format!(
            "the trace is not a Juggle trace: {}",
            cut(&error.to_string(), 200)
        ),
    )
}

/// An `invalid-trace` error: `path` must be `allowed`, and was `given` (see [`describe`]).
fn invalid(path: &str, allowed: &str, given: &str) -> JuggleError {
    JuggleError::new(
        ErrorCode::InvalidTrace,
        format!("{} must be {allowed}; got {given}", cut(path, 120)),
    )
}

/// `text` cut to `max` characters, saying how long it was when cut.
fn cut(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count > max {
        format!(
            "{}… ({count} characters)",
            text.chars().take(max).collect::<String>()
        )
    } else {
        text.to_string()
    }
}

/// What a value is, in a few words (a string shortened and escaped), for an error message.
pub fn describe(value: Option<&Value>) -> String {
    match value {
        None => "nothing".to_string(),
        Some(Value::Null) => "null".to_string(),
        Some(Value::Bool(b)) => format!("the boolean {b}"),
        Some(Value::Number(n)) => format!("the number {n}"),
        Some(Value::String(s)) => {
            let count = s.chars().count();
            let shown: String = s.chars().take(40).collect();
            let quoted = serde_json::to_string(&shown).unwrap_or_default();
            if count > 40 {
                format!(
                    "the string {}… ({count} characters)",
                    &quoted[..quoted.len() - 1]
                ) + "\""
            } else {
                format!("the string {quoted}")
            }
        }
        Some(Value::Array(items)) => format!("an array of {} items", items.len()),
        Some(Value::Object(_)) => "an object".to_string(),
    }
}

/// The field checks, each failing with the path it was given.
struct Checker {
    /// The tolerance on every time: 1% of the total and 1 ms.
    slack: f64,
    /// The run's total, in ms.
    total: f64,
}

type Checked<T = ()> = Result<T, JuggleError>;

fn fail<T>(path: &str, given: Option<&Value>, allowed: &str) -> Checked<T> {
    Err(invalid(path, allowed, &describe(given)))
}

/// The object at `path`, holding every `required` key and no key but those and `optional`.
fn fields<'a>(
    value: Option<&'a Value>,
    path: &str,
    required: &[&str],
    optional: &[&str],
) -> Checked<&'a Map<String, Value>> {
    let Some(Value::Object(object)) = value else {
        return fail(
            path,
            value,
            &format!("an object with {}", required.join(", ")),
        );
    };
    for key in required {
        if !object.contains_key(*key) {
            return fail(&format!("{path}.{key}"), None, "present");
        }
    }
    for (key, v) in object {
        if !required.contains(&key.as_str()) && !optional.contains(&key.as_str()) {
            let all: Vec<&str> = required.iter().chain(optional).copied().collect();
            return fail(
                &format!("{path}.{}", cut(key, 40)),
                Some(v),
                &format!("absent: {path} holds only {}", all.join(", ")),
            );
        }
    }
    Ok(object)
}

fn string<'a>(value: Option<&'a Value>, path: &str, max: usize) -> Checked<&'a str> {
    match value {
        Some(Value::String(s)) if s.chars().count() <= max => Ok(s),
        _ => fail(
            path,
            value,
            &format!("a string of at most {max} characters"),
        ),
    }
}

fn number(value: Option<&Value>, path: &str, min: f64, max: f64, what: &str) -> Checked<f64> {
    match value.and_then(Value::as_f64) {
        Some(n) if n.is_finite() && n >= min && n <= max => Ok(n),
        _ => fail(path, value, what),
    }
}

fn finite_from(value: Option<&Value>, path: &str, min: f64, max: f64) -> Checked<f64> {
    number(
        value,
        path,
        min,
        max,
        &format!("a finite number from {min} to {max}"),
    )
}

fn whole(value: Option<&Value>, path: &str, max: u64) -> Checked<u64> {
    match value.and_then(Value::as_u64) {
        Some(n) if n <= max => Ok(n),
        _ => fail(path, value, &format!("a whole number from 0 to {max}")),
    }
}

fn boolean(value: Option<&Value>, path: &str) -> Checked<bool> {
    match value {
        Some(Value::Bool(b)) => Ok(*b),
        _ => fail(path, value, "true or false"),
    }
}

fn list<'a>(value: Option<&'a Value>, path: &str, max: usize) -> Checked<&'a Vec<Value>> {
    match value {
        Some(Value::Array(items)) if items.len() <= max => Ok(items),
        _ => fail(path, value, &format!("an array of at most {max} items")),
    }
}

/// Absent or null: no value.
fn given(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| !v.is_null())
}

impl Checker {
    fn time(&self, value: Option<&Value>, path: &str) -> Checked<f64> {
        number(
            value,
            path,
            -self.slack,
            self.total + self.slack,
            &format!(
                "a finite number of ms from 0 to the run's total_ms ({}), give or take {:.1} ms",
                self.total, self.slack
            ),
        )
    }
}

fn check_trace(value: &Value) -> Checked {
    let trace = fields(
        Some(value),
        "trace",
        &[
            "scenario",
            "variant",
            "params",
            "env",
            "started_at_ms",
            "total_ms",
            "spans",
            "output",
            "heartbeat",
            "result",
        ],
        &["why"],
    )?;
    // `why` is written by the core from the spans and beats; a file's is type-checked and then replaced.
    if let Some(why) = trace.get("why") {
        let why = fields(Some(why), "trace.why", &["time", "health"], &[])?;
        string(why.get("time"), "trace.why.time", LIMITS.text)?;
        string(why.get("health"), "trace.why.health", LIMITS.text)?;
    }

    let env = fields(
        trace.get("env"),
        "trace.env",
        &["cores", "threads", "isolated", "mode", "yield_macro"],
        &["pool_init_ms", "hidden", "python", "python_load_ms"],
    )?;
    whole(env.get("cores"), "trace.env.cores", 4096)?;
    whole(env.get("threads"), "trace.env.threads", 4096)?;
    boolean(env.get("isolated"), "trace.env.isolated")?;
    string(env.get("mode"), "trace.env.mode", LIMITS.name)?;
    string(env.get("yield_macro"), "trace.env.yield_macro", LIMITS.name)?;
    if let Some(v) = given(env.get("pool_init_ms")) {
        finite_from(Some(v), "trace.env.pool_init_ms", 0.0, 3_600_000.0)?;
    }
    if let Some(v) = env.get("hidden") {
        boolean(Some(v), "trace.env.hidden")?;
    }
    let python = match given(env.get("python")) {
        Some(v) => Some(string(Some(v), "trace.env.python", LIMITS.name)?),
        None => None,
    };
    if let Some(v) = given(env.get("python_load_ms")) {
        finite_from(Some(v), "trace.env.python_load_ms", 0.0, 3_600_000.0)?;
    }

    check_scenario(trace, python.is_some())?;

    number(
        trace.get("started_at_ms"),
        "trace.started_at_ms",
        0.0,
        LATEST_START_MS,
        "a time in ms since 1970, before 2200",
    )?;
    let total = finite_from(trace.get("total_ms"), "trace.total_ms", 0.0, LONGEST_RUN_MS)?;
    let at = Checker {
        slack: 1.0 + total * 0.01,
        total,
    };

    let spans = list(trace.get("spans"), "trace.spans", LIMITS.spans)?;
    for (i, span) in spans.iter().enumerate() {
        let path = format!("trace.spans[{i}]");
        let span = fields(
            Some(span),
            &path,
            &["lane", "task", "label", "kind", "start_ms", "end_ms"],
            &["simulated"],
        )?;
        if let Some(v) = span.get("simulated") {
            boolean(Some(v), &format!("{path}.simulated"))?;
        }
        let lane = string(span.get("lane"), &format!("{path}.lane"), LIMITS.name)?;
        if Lane::parse(lane).is_none() {
            return fail(&format!("{path}.lane"), span.get("lane"), Lane::FORMS);
        }
        string(span.get("task"), &format!("{path}.task"), LIMITS.name)?;
        string(span.get("label"), &format!("{path}.label"), LIMITS.label)?;
        let kind = span.get("kind");
        if !matches!(kind.and_then(Value::as_str), Some(k) if SPAN_KINDS.contains(&k)) {
            let kinds: Vec<String> = SPAN_KINDS.iter().map(|k| format!("\"{k}\"")).collect();
            return fail(
                &format!("{path}.kind"),
                kind,
                &format!("one of {}", kinds.join(", ")),
            );
        }
        let start = at.time(span.get("start_ms"), &format!("{path}.start_ms"))?;
        let end = at.time(span.get("end_ms"), &format!("{path}.end_ms"))?;
        if end < start {
            return fail(
                &format!("{path}.end_ms"),
                span.get("end_ms"),
                &format!("at least its start_ms ({start}): a span ends after it starts"),
            );
        }
    }

    let output = list(trace.get("output"), "trace.output", LIMITS.output)?;
    for (i, line) in output.iter().enumerate() {
        let path = format!("trace.output[{i}]");
        let line = fields(Some(line), &path, &["t_ms", "task", "text"], &["stream"])?;
        at.time(line.get("t_ms"), &format!("{path}.t_ms"))?;
        string(line.get("task"), &format!("{path}.task"), LIMITS.name)?;
        string(line.get("text"), &format!("{path}.text"), LIMITS.text)?;
        if let Some(stream) = line.get("stream") {
            if stream.as_str().and_then(Stream::parse).is_none() {
                return fail(
                    &format!("{path}.stream"),
                    Some(stream),
                    "\"stdout\" or \"stderr\"",
                );
            }
        }
    }

    // The summary's judgements (frozen, its gaps and threshold, missed) are recomputed from the samples,
    // so they are only type-checked here, and optional.
    let beat = fields(
        trace.get("heartbeat"),
        "trace.heartbeat",
        &[
            "interval_ms",
            "max_gap_ms",
            "max_gap_from_ms",
            "p99_late_ms",
            "missed",
            "samples",
        ],
        &["frozen", "frozen_gaps", "frozen_threshold_ms"],
    )?;
    finite_from(
        beat.get("interval_ms"),
        "trace.heartbeat.interval_ms",
        0.001,
        60_000.0,
    )?;
    let up_to_total = format!("a finite number of ms from 0 to the run's total_ms ({total})");
    number(
        beat.get("max_gap_ms"),
        "trace.heartbeat.max_gap_ms",
        0.0,
        total + at.slack,
        &up_to_total,
    )?;
    at.time(
        beat.get("max_gap_from_ms"),
        "trace.heartbeat.max_gap_from_ms",
    )?;
    if let Some(v) = given(beat.get("p99_late_ms")) {
        number(
            Some(v),
            "trace.heartbeat.p99_late_ms",
            0.0,
            total + at.slack,
            &format!("null or {}", &up_to_total[..]),
        )?;
    }
    whole(beat.get("missed"), "trace.heartbeat.missed", 100_000_000)?;
    if let Some(v) = beat.get("frozen") {
        boolean(Some(v), "trace.heartbeat.frozen")?;
    }
    if let Some(v) = beat.get("frozen_threshold_ms") {
        finite_from(
            Some(v),
            "trace.heartbeat.frozen_threshold_ms",
            0.0,
            LONGEST_RUN_MS,
        )?;
    }
    if let Some(v) = beat.get("frozen_gaps") {
        let gaps = list(Some(v), "trace.heartbeat.frozen_gaps", LIMITS.beats)?;
        for (i, gap) in gaps.iter().enumerate() {
            let path = format!("trace.heartbeat.frozen_gaps[{i}]");
            let gap = fields(Some(gap), &path, &["from_ms", "to_ms"], &[])?;
            at.time(gap.get("from_ms"), &format!("{path}.from_ms"))?;
            at.time(gap.get("to_ms"), &format!("{path}.to_ms"))?;
        }
    }
    let samples = list(beat.get("samples"), "trace.heartbeat.samples", LIMITS.beats)?;
    for (i, sample) in samples.iter().enumerate() {
        let path = format!("trace.heartbeat.samples[{i}]");
        let sample = fields(Some(sample), &path, &["due_ms", "ran_ms"], &[])?;
        at.time(sample.get("due_ms"), &format!("{path}.due_ms"))?;
        at.time(sample.get("ran_ms"), &format!("{path}.ran_ms"))?;
    }

    check_result(trace.get("result"))
}

/// The span kinds of the trace format ([`crate::trace::SpanKind`]).
pub const SPAN_KINDS: [&str; 5] = ["cpu", "blocked", "wait", "startup", "ready"];

/// The scenario and variant known to the catalogue (or a Lab run), and the parameters: a Rust run records
/// every parameter of its scenario; a run of the browser's Python records none (it runs the twin as
/// written) or some of them.
fn check_scenario(trace: &Map<String, Value>, python: bool) -> Checked {
    let id = string(trace.get("scenario"), "trace.scenario", LIMITS.name)?;
    let variant = string(trace.get("variant"), "trace.variant", LIMITS.name)?;
    let params = trace.get("params");
    if id == LAB_SCENARIO {
        if !python {
            return fail(
                "trace.env.python",
                trace.get("env").and_then(|e| e.get("python")),
                "the Python version: a Lab run is a run of the browser's Python",
            );
        }
        if variant != LAB_VARIANT {
            return fail(
                "trace.variant",
                trace.get("variant"),
                &format!("\"{LAB_VARIANT}\" for a Lab run"),
            );
        }
        fields(params, "trace.params", &[], &[])?;
        return Ok(());
    }
    let Some(spec) = catalog::shapes().iter().find(|s| s.id == id) else {
        let ids: Vec<String> = catalog::shapes()
            .iter()
            .map(|s| format!("\"{}\"", s.id))
            .chain([format!("\"{LAB_SCENARIO}\"")])
            .collect();
        return fail(
            "trace.scenario",
            trace.get("scenario"),
            &format!("one of {}", ids.join(", ")),
        );
    };
    if !spec.variants.iter().any(|v| v.id == variant) {
        let ids: Vec<String> = spec
            .variants
            .iter()
            .map(|v| format!("\"{}\"", v.id))
            .collect();
        return fail(
            "trace.variant",
            trace.get("variant"),
            &format!("a variant of {}: one of {}", spec.id, ids.join(", ")),
        );
    }
    let all: Vec<&ParamSpec> = spec.all_params().collect();
    let names: Vec<&str> = all.iter().map(|p| p.name).collect();
    let object = if python {
        fields(params, "trace.params", &[], &names)?
    } else {
        fields(params, "trace.params", &names, &[])?
    };
    for param in &all {
        if let Some(v) = object.get(param.name) {
            match v.as_u64() {
                Some(n) if n >= u64::from(param.min) && n <= u64::from(param.max) => {}
                _ => {
                    return fail(
                        &format!("trace.params.{}", param.name),
                        Some(v),
                        &format!("a whole number from {} to {}", param.min, param.max),
                    )
                }
            }
        }
    }
    Ok(())
}

/// `trace.result`: null or an object of the scenario's figures. The fields the page draws are typed; the
/// rest may be any small JSON (only its numbers and booleans are shown, as text).
fn check_result(result: Option<&Value>) -> Checked {
    let result = match result {
        Some(Value::Null) => return Ok(()),
        Some(Value::Object(object)) => object,
        other => {
            return fail(
                "trace.result",
                other,
                "null or an object of the scenario's figures",
            )
        }
    };
    if result.len() > LIMITS.result_keys {
        return fail(
            "trace.result",
            Some(&Value::Object(result.clone())),
            &format!("an object of at most {} figures", LIMITS.result_keys),
        );
    }
    let big = f64::MAX;
    let finite = |key: &str| -> Checked {
        if let Some(v) = result.get(key) {
            number(
                Some(v),
                &format!("trace.result.{key}"),
                -big,
                big,
                "a finite number",
            )?;
        }
        Ok(())
    };
    for key in ["expected", "final", "lost", "primes"] {
        finite(key)?;
    }
    if let Some(v) = result.get("identical") {
        boolean(Some(v), "trace.result.identical")?;
    }
    if let Some(v) = given(result.get("parallel_fraction")) {
        number(
            Some(v),
            "trace.result.parallel_fraction",
            -big,
            big,
            "null or a finite number",
        )?;
    }
    let from_zero = "a finite number from 0 up";
    if let Some(runs) = result.get("runs") {
        let runs = list(Some(runs), "trace.result.runs", 1000)?;
        if runs.is_empty() {
            return fail("trace.result.runs", result.get("runs"), "a non-empty array");
        }
        for (i, run) in runs.iter().enumerate() {
            let path = format!("trace.result.runs[{i}]");
            let Value::Object(run) = run else {
                return fail(&path, Some(run), "an object");
            };
            let threads = whole(run.get("threads"), &format!("{path}.threads"), 4096)?;
            if threads < 1 {
                return fail(
                    &format!("{path}.threads"),
                    run.get("threads"),
                    "a whole number from 1 to 4096",
                );
            }
            for key in ["ms", "speedup", "efficiency"] {
                number(run.get(key), &format!("{path}.{key}"), 0.0, big, from_zero)?;
            }
            whole(run.get("lanes_used"), &format!("{path}.lanes_used"), 4096)?;
            if let Some(samples) = run.get("samples_ms") {
                let samples = list(Some(samples), &format!("{path}.samples_ms"), 1000)?;
                for (j, s) in samples.iter().enumerate() {
                    number(
                        Some(s),
                        &format!("{path}.samples_ms[{j}]"),
                        0.0,
                        big,
                        from_zero,
                    )?;
                }
            }
        }
    }
    if let Some(amdahl) = given(result.get("amdahl")) {
        let points = list(Some(amdahl), "trace.result.amdahl", 1000)?;
        if points.is_empty() {
            return fail(
                "trace.result.amdahl",
                Some(amdahl),
                "null or a non-empty array",
            );
        }
        for (i, point) in points.iter().enumerate() {
            let path = format!("trace.result.amdahl[{i}]");
            let Value::Object(point) = point else {
                return fail(&path, Some(point), "an object");
            };
            for key in ["threads", "speedup"] {
                number(
                    point.get(key),
                    &format!("{path}.{key}"),
                    0.0,
                    big,
                    from_zero,
                )?;
            }
        }
        if !matches!(result.get("parallel_fraction"), Some(Value::Number(_))) {
            return fail(
                "trace.result.parallel_fraction",
                result.get("parallel_fraction"),
                "a finite number when amdahl is given",
            );
        }
    }
    // A queue run's result (the queue-length chart and its sentence read these).
    if let Some(lengths) = result.get("lengths") {
        let points = list(Some(lengths), "trace.result.lengths", LIMITS.result_items)?;
        for (i, point) in points.iter().enumerate() {
            let path = format!("trace.result.lengths[{i}]");
            let Value::Object(point) = point else {
                return fail(&path, Some(point), "an object");
            };
            number(
                point.get("t_ms"),
                &format!("{path}.t_ms"),
                -big,
                big,
                "a finite number",
            )?;
            whole(point.get("length"), &format!("{path}.length"), 1 << 53)?;
        }
        for key in ["high_water", "consumers"] {
            whole(result.get(key), &format!("trace.result.{key}"), 1 << 53)?;
        }
        if let Some(v) = given(result.get("maxsize")) {
            whole(Some(v), "trace.result.maxsize", 1 << 53)?;
        }
        for key in [
            "high_water_at_ms",
            "producer_waited_ms",
            "consumers_waited_ms",
        ] {
            number(
                result.get(key),
                &format!("trace.result.{key}"),
                -big,
                big,
                "a finite number",
            )?;
        }
    }
    if let Some(v) = given(result.get("workers_cost")) {
        string(Some(v), "trace.result.workers_cost", LIMITS.text)?;
    }
    // A Python run's error: its traceback is text, longer than a printed line.
    if let Some(error) = given(result.get("error")) {
        let error = fields(
            Some(error),
            "trace.result.error",
            &["kind", "message"],
            &["line"],
        )?;
        string(error.get("kind"), "trace.result.error.kind", LIMITS.name)?;
        string(
            error.get("message"),
            "trace.result.error.message",
            LIMITS.traceback,
        )?;
        if let Some(line) = given(error.get("line")) {
            whole(Some(line), "trace.result.error.line", u64::from(u32::MAX))?;
        }
    }
    // Anything else: small JSON, never drawn except numbers and booleans as text.
    let mut items = 0;
    for (key, v) in result {
        if key != "error" {
            walk(v, &format!("trace.result.{}", cut(key, 40)), &mut items)?;
        }
    }
    Ok(())
}

/// Checks that `value` holds at most [`TraceLimits::result_items`] values in all (with `items` already counted)
/// and no string longer than [`TraceLimits::text`].
fn walk(value: &Value, path: &str, items: &mut usize) -> Checked {
    match value {
        Value::String(s) if s.chars().count() > LIMITS.text => fail(
            path,
            Some(value),
            &format!("a string of at most {} characters", LIMITS.text),
        ),
        Value::Array(values) => {
            *items += values.len();
            if *items > LIMITS.result_items {
                return fail(
                    path,
                    Some(value),
                    &format!(
                        "part of a result of at most {} values in all",
                        LIMITS.result_items
                    ),
                );
            }
            values
                .iter()
                .enumerate()
                .try_for_each(|(i, v)| walk(v, &format!("{path}[{i}]"), items))
        }
        Value::Object(object) => {
            *items += object.len();
            if *items > LIMITS.result_items {
                return fail(
                    path,
                    Some(value),
                    &format!(
                        "part of a result of at most {} values in all",
                        LIMITS.result_items
                    ),
                );
            }
            object
                .iter()
                .try_for_each(|(k, v)| walk(v, &format!("{path}.{}", cut(k, 40)), items))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::testing::{run_every_variant, run_native_pool, run_sim};

    /// A trace as the JSON download writes it.
    fn text_of(trace: &Trace) -> String {
        serde_json::to_string(trace).unwrap()
    }

    /// `trace` as JSON, changed by `change`.
    fn changed(trace: &Trace, change: impl FnOnce(&mut Value)) -> Value {
        let mut value = serde_json::to_value(trace).unwrap();
        change(&mut value);
        value
    }

    /// The refusal of `value`: its code is `invalid-trace` and its message contains `says`.
    fn refused(value: Value, says: &str) {
        let error = validate(value).expect_err(says);
        assert_eq!(error.code, ErrorCode::InvalidTrace);
        assert!(
            error.message.contains(says),
            "{:?} does not say {says:?}",
            error.message
        );
    }

    fn count() -> Trace {
        run_sim("count", &[("variant", "async")])
    }

    #[test]
    fn every_variant_on_the_simulated_loop_opens_again_as_the_same_trace() {
        // Natively, a pool's spans are timed on the OS clock while the simulated loop's run takes virtual
        // time, so only the variants with no pool are whole traces here; the browser test
        // (tests/e2e/share.spec.js) opens every variant's download again.
        for (id, variant, trace) in run_every_variant() {
            if trace.spans.iter().any(|s| s.lane != "main") {
                continue;
            }
            let again = parse(&text_of(&trace)).unwrap_or_else(|e| panic!("{id}/{variant}: {e}"));
            assert_eq!(again, crate::rejudge(trace), "{id}/{variant}");
        }
    }

    #[test]
    fn every_lane_the_core_names_is_a_lane_a_trace_may_hold() {
        // A download of `threads/io-gil` with 20 threads was refused for its `thread-9` lane.
        let names = [
            crate::own_threads::own_lane(0),
            crate::own_threads::own_lane(19),
            crate::pool::worker_lane(0),
            crate::pool::worker_lane(63),
            crate::spawned::spawned_lane(999),
            crate::trace::MAIN_LANE.to_string(),
            crate::trace::PYTHON_LANE.to_string(),
            crate::gil::GIL_LANE.to_string(),
        ];
        for name in names {
            assert!(Lane::parse(&name).is_some(), "{name}");
        }
        let trace = run_native_pool("threads", &[("variant", "io-gil"), ("threads", "20")]);
        let lanes: std::collections::BTreeSet<&str> =
            trace.spans.iter().map(|s| s.lane.as_str()).collect();
        assert!(lanes.iter().all(|l| Lane::parse(l).is_some()), "{lanes:?}");
        assert!(lanes.contains("thread-20"), "{lanes:?}");
    }

    #[test]
    fn a_python_run_and_a_lab_run_open_again() {
        let record: crate::PythonRecord = serde_json::from_value(json!({
            "scenario": "lab", "variant": "program", "python": "3.14.2", "started_at_ms": 1.0e12,
            "total_ms": 120.0, "interval_ms": 10.0, "load_ms": 0.0, "isolated": true,
            "spans": [
                {"task": "main", "kind": "cpu", "label": "run", "start_ms": 0.0, "end_ms": 5.0},
                {"lane": "process-1", "task": "work", "kind": "startup", "label": "start", "start_ms": 1.0, "end_ms": 50.0}
            ],
            "output": [{"t_ms": 3.0, "task": "main", "text": "<b>hi</b>"}],
            "beats": [{"due_ms": 10.0, "ran_ms": 10.5}],
            "error": {"kind": "ValueError", "message": "Traceback ...", "line": 3},
            "processes": [{"lane": "process-1", "memory_bytes": 1000.0}]
        }))
        .unwrap();
        let lab = crate::python_trace(record).unwrap();
        assert_eq!(parse(&text_of(&lab)).unwrap(), crate::rejudge(lab.clone()));
        // A twin's run: the scenario's id, none of its parameters.
        let mut twin = serde_json::to_value(&lab).unwrap();
        twin["scenario"] = json!("count");
        twin["variant"] = json!("sync");
        assert!(validate(twin).is_ok());
    }

    #[test]
    fn a_lab_run_with_threads_and_the_gil_opens_again() {
        let span = |lane: &str, task: &str, kind: &str, label: &str, start: f64, end: f64| {
            let mut span = json!({"task": task, "kind": kind, "label": label, "start_ms": start, "end_ms": end});
            if !lane.is_empty() {
                span["lane"] = json!(lane);
            }
            span
        };
        let record: crate::PythonRecord = serde_json::from_value(json!({
            "scenario": "lab", "variant": "program", "python": "3.14.2", "started_at_ms": 1.0e12,
            "total_ms": 30.0, "interval_ms": 10.0, "load_ms": 0.0, "isolated": true,
            "spans": [
                span("", "main program", "cpu", "running", 0.0, 1.0),
                span("", "main program", "blocked", "Thread.join: waiting for the thread to end", 1.0, 20.0),
                span("gil", "MainThread", "cpu", "MainThread holds it; then: Thread.join", 0.0, 1.0),
                span("gil", "Thread-1 (work)", "cpu", "Thread-1 (work) holds it; then: time.sleep", 1.0, 2.0),
                span("thread-1", "Thread-1 (work)", "cpu", "running (holds the GIL)", 1.0, 2.0),
                span("thread-1", "Thread-1 (work)", "blocked", "time.sleep (GIL released)", 2.0, 19.0),
                span("thread-1", "Thread-1 (work)", "ready", "waiting for the GIL", 19.0, 19.5),
            ],
            "output": [], "beats": [], "error": null
        }))
        .unwrap();
        let lab = crate::python_trace(record).unwrap();
        assert_eq!(lab.result["gil"]["blocking"]["time.sleep"], 1);
        assert_eq!(parse(&text_of(&lab)).unwrap(), crate::rejudge(lab.clone()));
    }

    #[test]
    fn the_size_and_the_nesting_are_refused_before_parsing() {
        let big = " ".repeat(LIMITS.file_bytes + 1);
        assert!(parse(&big).unwrap_err().message.contains("at most 5 MB"));
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        assert!(parse(&deep)
            .unwrap_err()
            .message
            .contains("more than 32 levels"));
        assert_eq!(
            json_depth(r#"{"a": "[[[[\"[["}"#, 10),
            1,
            "brackets in strings"
        );
        assert!(parse("{\"scenario\": ")
            .unwrap_err()
            .message
            .contains("not valid JSON"));
    }

    #[test]
    fn a_missing_or_unknown_field_is_named() {
        refused(
            changed(&count(), |v| drop(v.as_object_mut().unwrap().remove("env"))),
            "trace.env must be present",
        );
        refused(
            changed(&count(), |v| v["extra"] = json!(1)),
            "trace.extra must be absent",
        );
        refused(
            changed(&count(), |v| v["spans"][0]["colour"] = json!("red")),
            "trace.spans[0].colour must be absent",
        );
    }

    #[test]
    fn wrong_types_are_refused_field_by_field() {
        type Change = fn(&mut Value);
        let cases: [(Change, &str); 10] = [
            (
                |v| v["output"][0]["stream"] = json!("stdlog"),
                "trace.output[0].stream must be \"stdout\" or \"stderr\"",
            ),
            (
                |v| v["output"][0]["stream"] = json!(2),
                "trace.output[0].stream must be \"stdout\" or \"stderr\"",
            ),
            (
                |v| v["total_ms"] = json!("1000"),
                "trace.total_ms must be a finite number",
            ),
            (
                |v| v["env"]["isolated"] = json!(1),
                "trace.env.isolated must be true or false",
            ),
            (
                |v| v["spans"][0]["kind"] = json!("run"),
                "trace.spans[0].kind must be one of",
            ),
            (
                |v| v["spans"][0]["lane"] = json!("worker-01"),
                "\"thread-N\"",
            ),
            (
                |v| v["output"][0]["text"] = json!(7),
                "trace.output[0].text must be a string",
            ),
            (
                |v| v["heartbeat"]["missed"] = json!(-1),
                "trace.heartbeat.missed must be a whole number",
            ),
            (|v| v["started_at_ms"] = json!(8.0e12), "before 2200"),
            (
                |v| v["result"] = json!([1]),
                "trace.result must be null or an object",
            ),
        ];
        for (change, says) in cases {
            refused(changed(&count(), change), says);
        }
    }

    #[test]
    fn a_printed_lines_stream_opens_again_and_a_line_without_one_is_stdout() {
        let mut trace = count();
        trace.output[0].stream = crate::trace::Stream::Stderr;
        let text = serde_json::to_string(&trace).unwrap();
        let opened = parse(&text).unwrap();
        assert_eq!(opened.output[0].stream, crate::trace::Stream::Stderr);
        assert_eq!(opened.output[1].stream, crate::trace::Stream::Stdout);
        let old = changed(&count(), |v| {
            drop(v["output"][0].as_object_mut().unwrap().remove("stream"))
        });
        assert_eq!(
            parse(&old.to_string()).unwrap().output[0].stream,
            crate::trace::Stream::Stdout
        );
    }

    #[test]
    fn times_must_lie_within_the_run_and_spans_end_after_they_start() {
        refused(
            changed(&count(), |v| v["spans"][0]["end_ms"] = json!(-5.0)),
            "trace.spans[0].end_ms must be",
        );
        refused(
            changed(&count(), |v| {
                let total = v["total_ms"].as_f64().unwrap();
                v["output"][0]["t_ms"] = json!(total * 1.5 + 10.0)
            }),
            "trace.output[0].t_ms must be a finite number of ms from 0 to the run's total_ms",
        );
        refused(
            changed(&count(), |v| {
                v["spans"][0]["start_ms"] = json!(5.0);
                v["spans"][0]["end_ms"] = json!(4.0)
            }),
            "a span ends after it starts",
        );
    }

    #[test]
    fn the_scenario_variant_and_parameters_are_the_catalogues() {
        refused(
            changed(&count(), |v| v["scenario"] = json!("<b>x</b>")),
            "one of \"timelines\"",
        );
        refused(
            changed(&count(), |v| v["variant"] = json!("fast")),
            "a variant of count",
        );
        refused(
            changed(&count(), |v| v["params"]["tasks"] = json!(100_000)),
            "trace.params.tasks must be a whole number from",
        );
        refused(
            changed(&count(), |v| {
                drop(v["params"].as_object_mut().unwrap().remove("tasks"))
            }),
            "trace.params.tasks must be present",
        );
        // A Lab run is the browser's Python's, with no parameters.
        refused(
            changed(&count(), |v| v["scenario"] = json!("lab")),
            "a Lab run is a run of the browser's Python",
        );
    }

    #[test]
    fn sizes_are_limited() {
        let span = serde_json::to_value(&count().spans[0]).unwrap();
        refused(
            changed(&count(), |v| {
                v["spans"] = Value::Array(vec![span; LIMITS.spans + 1])
            }),
            "trace.spans must be an array of at most 50000 items",
        );
        refused(
            changed(&count(), |v| {
                v["output"][0]["text"] = json!("x".repeat(LIMITS.text + 1))
            }),
            "a string of at most 2000 characters",
        );
        refused(
            changed(&count(), |v| {
                v["result"] = json!({ "many": vec![0; LIMITS.result_items + 1] })
            }),
            "part of a result of at most 10000 values",
        );
    }

    #[test]
    fn a_files_verdicts_are_replaced_by_the_cores() {
        let trace = run_sim("count", &[("variant", "sync")]);
        let claimed = changed(&trace, |v| {
            v["heartbeat"]["frozen"] = json!(false);
            v["heartbeat"]["frozen_gaps"] = json!([]);
            v["why"]["health"] = json!("It never froze.");
        });
        let opened = validate(claimed).unwrap();
        assert!(opened.heartbeat.frozen);
        assert_eq!(opened.why, trace.why);
    }

    #[test]
    fn markup_is_data_and_errors_show_it_escaped() {
        let trap = "<img src=x onerror=alert(1)>";
        let opened = validate(changed(&count(), |v| v["output"][0]["text"] = json!(trap))).unwrap();
        assert_eq!(opened.output[0].text, trap);
        let error = validate(changed(&count(), |v| v["variant"] = json!("\"\n<b>"))).unwrap_err();
        assert!(
            error.message.contains(r#"the string "\"\n<b>""#),
            "{}",
            error.message
        );
    }
}
