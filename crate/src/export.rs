//! A run's trace in other formats: Chrome's Trace Event Format (opens in Perfetto UI and
//! `chrome://tracing`) and CSV (spreadsheets, pandas). The page's JSON download is the trace itself.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::trace::{Trace, MAIN_LANE};

/// The trace as Chrome Trace Event Format JSON: one complete event (`"ph": "X"`) per span on a thread per
/// lane, an instant event per printed line and per heartbeat, and thread names. Times are microseconds
/// from the run's start.
pub fn chrome_trace(trace: &Trace) -> Value {
    let thread_ids = lane_thread_ids(trace);
    let tid = |lane: &str| thread_ids.get(lane).copied().unwrap_or(0);
    let us = |ms: f64| (ms * 1000.0 * 1000.0).round() / 1000.0;
    let mut events: Vec<Value> = thread_ids
        .iter()
        .map(|(lane, id)| {
            json!({ "ph": "M", "name": "thread_name", "pid": 1, "tid": id, "args": { "name": lane } })
        })
        .collect();
    events.push(json!({
        "ph": "M", "name": "process_name", "pid": 1,
        "args": { "name": format!("juggle {}/{}", trace.scenario, trace.variant) },
    }));
    for span in &trace.spans {
        events.push(json!({
            "ph": "X",
            "name": span.label,
            "cat": format!("{:?}", span.kind).to_lowercase(),
            "pid": 1,
            "tid": tid(&span.lane),
            "ts": us(span.start_ms),
            "dur": us(span.end_ms - span.start_ms),
            "args": { "task": span.task },
        }));
    }
    for line in &trace.output {
        events.push(json!({
            "ph": "i", "s": "t", "name": line.text, "cat": "output", "pid": 1,
            "tid": tid(MAIN_LANE), "ts": us(line.t_ms),
            "args": { "task": line.task, "stream": line.stream.as_str() },
        }));
    }
    for beat in &trace.heartbeat.samples {
        events.push(json!({
            "ph": "i", "s": "t", "name": "heartbeat", "cat": "heartbeat", "pid": 1,
            "tid": tid(MAIN_LANE), "ts": us(beat.ran_ms),
            "args": { "due_ms": beat.due_ms, "late_ms": beat.ran_ms - beat.due_ms },
        }));
    }
    json!({
        "traceEvents": events,
        "displayTimeUnit": "ms",
        "otherData": { "scenario": trace.scenario, "variant": trace.variant, "total_ms": trace.total_ms },
    })
}

/// Thread ids for the lanes: `main` is 1, then the other lanes in name order.
fn lane_thread_ids(trace: &Trace) -> BTreeMap<String, u32> {
    let mut lanes: Vec<&str> = trace.spans.iter().map(|s| s.lane.as_str()).collect();
    lanes.push(MAIN_LANE);
    lanes.sort_by_key(|lane| (*lane != MAIN_LANE, lane.len(), *lane));
    lanes.dedup();
    lanes
        .into_iter()
        .zip(1..)
        .map(|(lane, id)| (lane.to_string(), id))
        .collect()
}

/// The trace as CSV, one row per record: `record` is `span`, `output` or `beat`; `kind` is a span's kind or
/// a printed line's stream (`stdout`, `stderr`); `start_ms` and `end_ms` are equal for the instants (a
/// printed line, a beat). Text fields are quoted as RFC 4180 says.
pub fn csv(trace: &Trace) -> String {
    let mut out = String::from("record,lane,task,kind,label,start_ms,end_ms\n");
    let mut row = |fields: [&str; 5], start: f64, end: f64| {
        let quoted: Vec<String> = fields.iter().map(|f| quote(f)).collect();
        let _ = writeln!(out, "{},{start:.3},{end:.3}", quoted.join(","));
    };
    for span in &trace.spans {
        let kind = format!("{:?}", span.kind).to_lowercase();
        row(
            ["span", &span.lane, &span.task, &kind, &span.label],
            span.start_ms,
            span.end_ms,
        );
    }
    for line in &trace.output {
        row(
            [
                "output",
                MAIN_LANE,
                &line.task,
                line.stream.as_str(),
                &line.text,
            ],
            line.t_ms,
            line.t_ms,
        );
    }
    for beat in &trace.heartbeat.samples {
        row(
            ["beat", MAIN_LANE, "health check", "", "heartbeat"],
            beat.ran_ms,
            beat.ran_ms,
        );
    }
    out
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::run_sim;

    #[test]
    fn the_chrome_trace_has_one_complete_event_per_span_on_named_threads() {
        let trace = run_sim("count", &[("variant", "async"), ("sleep_ms", "100")]);
        let exported = chrome_trace(&trace);
        let events = exported["traceEvents"].as_array().unwrap();
        let complete = events.iter().filter(|e| e["ph"] == "X").count();
        assert_eq!(complete, trace.spans.len());
        let printed = events.iter().filter(|e| e["cat"] == "output").count();
        assert_eq!(printed, trace.output.len());
        assert!(events
            .iter()
            .any(|e| e["ph"] == "M" && e["args"]["name"] == "main" && e["tid"] == 1));
        let wait = events.iter().find(|e| e["ph"] == "X").unwrap();
        assert_eq!(wait["dur"], 100_000.0, "microseconds");
    }

    #[test]
    fn csv_has_a_row_per_span_line_and_beat_and_quotes_text() {
        let mut trace = run_sim("count", &[("variant", "sync"), ("tasks", "1")]);
        trace.output[0].text = "say \"hi\", then wait".into();
        trace.output[0].stream = crate::trace::Stream::Stderr;
        let text = csv(&trace);
        let rows = text.lines().count() - 1;
        assert_eq!(
            rows,
            trace.spans.len() + trace.output.len() + trace.heartbeat.samples.len()
        );
        assert!(
            text.contains(r#",stderr,"say ""hi"", then wait""#),
            "{text}"
        );
        assert!(text.contains(",stdout,"), "the other lines: {text}");
        assert!(text.starts_with("record,lane,task,kind,label,start_ms,end_ms\nspan,main,"));
    }
}
