//! A Python run as a [`Trace`]: what the browser's Python worker recorded (`www/python/juggle_trace.py` and
//! the heartbeat on the interpreter's thread) checked and assembled here, so that a Python run is judged by
//! the same definitions as a Rust one (frozen, missed deadlines) and drawn by the same code.
//!
//! The record comes from a program the learner may have written, so it is data from a stranger: every field
//! is checked (kinds, finite and ordered times inside the run, sizes, string lengths) before it becomes a
//! trace, and a bad record is an error naming what was wrong.

use serde::Deserialize;

use crate::error::{ErrorCode, JuggleError};
use crate::explain;
use crate::heartbeat;
use crate::lane::Lane;
use crate::trace::{Beat, Env, OutputLine, Span, SpanKind, Stream, Trace};

pub use crate::trace::PYTHON_LANE;
/// The lanes of a process pool's processes are `process-1`, `process-2`, ...: each a separate interpreter
/// in a Web Worker of its own (`www/python/juggle_pool.py`).
pub const PROCESS_LANE_PREFIX: &str = "process-";
/// The most processes one run may start (and so the highest `process-N`).
pub const MAX_PROCESSES: usize = crate::lane::MAX_PROCESSES as usize;
/// The most spans, printed lines and beats a Python record may hold (the tracer stops before these).
pub const MAX_SPANS: usize = 50_000;
/// See [`MAX_SPANS`].
pub const MAX_LINES: usize = 5_000;
/// See [`MAX_SPANS`]: a 60 s run at a 1 ms heartbeat.
pub const MAX_BEATS: usize = 60_001;
const MAX_TEXT: usize = crate::recorded::LIMITS.text;
const MAX_RUN_MS: f64 = 120_000.0;

/// One span as the tracer records it: on the interpreter's thread (no lane), or on one of its process
/// pool's processes (`lane` = `process-N`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpan {
    /// `process-N` for a span of the pool's N-th process; absent for the interpreter's own thread.
    #[serde(default)]
    pub lane: Option<String>,
    /// The asyncio task's row name, or `main program`.
    pub task: String,
    /// `cpu`, `blocked`, `wait` or `ready`; on a process lane `cpu`, `blocked` or `startup` (its
    /// interpreter starting).
    pub kind: String,
    /// What it was doing (`running`, `await`, `time.sleep(1)`).
    pub label: String,
    /// Start, in ms from the run's start.
    pub start_ms: f64,
    /// End, in ms from the run's start.
    pub end_ms: f64,
}

/// One printed line as the tracer records it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLine {
    /// When it was printed, in ms from the run's start.
    pub t_ms: f64,
    /// The task that printed it.
    pub task: String,
    /// The line, without its newline.
    pub text: String,
    /// `stdout` or `stderr`; absent means `stdout`.
    #[serde(default)]
    pub stream: Option<String>,
}

/// A Python program's error: its type, its traceback, the program's line it points at.
#[derive(Debug, Deserialize, serde::Serialize, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PythonError {
    /// The exception's type, for example `ZeroDivisionError`.
    pub kind: String,
    /// The traceback as Python prints it.
    pub message: String,
    /// The line of the program the traceback ends in, when it is the program's.
    pub line: Option<u32>,
}

/// One process of a pool, as the run saw it.
#[derive(Debug, Deserialize, serde::Serialize, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProcessInfo {
    /// Its lane, `process-N`.
    pub lane: String,
    /// Its interpreter's WebAssembly memory, in bytes.
    pub memory_bytes: f64,
}

/// What the Python worker sends for one run.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PythonRecord {
    /// The scenario whose twin this is, or `lab`.
    pub scenario: String,
    /// The variant (`sys.argv[1]`), or `program`.
    pub variant: String,
    /// The interpreter's version, `3.14.2`.
    pub python: String,
    /// The wall-clock time of the run's start (`performance.timeOrigin + now()` in the worker).
    pub started_at_ms: f64,
    /// How long the run took.
    pub total_ms: f64,
    /// The health check's period.
    pub interval_ms: f64,
    /// How long loading the interpreter took before this run, 0 when it was already loaded.
    pub load_ms: f64,
    /// Whether the page is cross-origin isolated (a blocking sleep then waits without burning CPU).
    pub isolated: bool,
    /// The spans.
    pub spans: Vec<RawSpan>,
    /// The printed lines.
    pub output: Vec<RawLine>,
    /// The health check's beats.
    pub beats: Vec<Beat>,
    /// Set when the tracer stopped recording at one of its limits.
    pub truncated: Option<String>,
    /// Set when the program raised.
    pub error: Option<PythonError>,
    /// The interpreter's WebAssembly memory at the run's end, in bytes.
    #[serde(default)]
    pub memory_bytes: Option<f64>,
    /// The process pool's processes this run started (none without a pool).
    #[serde(default)]
    pub processes: Vec<ProcessInfo>,
}

/// Whether `lane` is a process lane, `process-N` with N from 1 to [`MAX_PROCESSES`].
fn is_process_lane(lane: &str) -> bool {
    Lane::parse(lane).is_some_and(Lane::is_process)
}

/// Under the GIL one thread executes Python at a time: when the record has threads, the executing spans of
/// the interpreter's own thread and of its `thread-N` lanes never overlap.
fn check_one_thread_executes(spans: &[Span]) -> Result<(), JuggleError> {
    let threaded =
        |s: &&Span| s.lane == PYTHON_LANE || matches!(Lane::parse(&s.lane), Some(Lane::Thread(_)));
    if !spans
        .iter()
        .any(|s| matches!(Lane::parse(&s.lane), Some(Lane::Thread(_))))
    {
        return Ok(());
    }
    let mut executing: Vec<&Span> = spans
        .iter()
        .filter(threaded)
        .filter(|s| s.kind == SpanKind::Cpu)
        .collect();
    executing.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
    for pair in executing.windows(2) {
        if pair[0].lane != pair[1].lane && pair[1].start_ms < pair[0].end_ms - 0.01 {
            return Err(bad(format_args!(
                "{} and {} execute at once (under the GIL one thread executes at a time)",
                pair[0].lane, pair[1].lane
            )));
        }
    }
    Ok(())
}

fn bad(what: impl std::fmt::Display) -> JuggleError {
    JuggleError::new(
        ErrorCode::InvalidArgument,
        format!("Python run record: {what}"),
    )
}

fn check_text(what: &str, text: &str, max: usize) -> Result<(), JuggleError> {
    if text.chars().count() > max {
        return Err(bad(format_args!("{what} is longer than {max} characters")));
    }
    Ok(())
}

fn check_time(what: &str, ms: f64, total_ms: f64) -> Result<(), JuggleError> {
    // A little slack: the worker's clock is read on both sides of the tracer's own reads.
    if !ms.is_finite() || ms < -1.0 || ms > total_ms + 1.0 {
        return Err(bad(format_args!(
            "{what} = {ms} is not a time inside the run (0 to {total_ms:.1} ms)"
        )));
    }
    Ok(())
}

fn kind(text: &str) -> Result<SpanKind, JuggleError> {
    match text {
        "cpu" => Ok(SpanKind::Cpu),
        "blocked" => Ok(SpanKind::Blocked),
        "wait" => Ok(SpanKind::Wait),
        "ready" => Ok(SpanKind::Ready),
        "startup" => Ok(SpanKind::Startup),
        other => Err(bad(format_args!(
            "span kind \"{}\" is not one of cpu, blocked, wait, ready, startup",
            other.chars().take(20).collect::<String>()
        ))),
    }
}

/// Checks a record and assembles its trace: the spans on the [`PYTHON_LANE`], the heartbeat summarised by
/// [`heartbeat::summarize`] (the page's one definition of frozen and missed), the error and truncation in
/// `result`.
pub fn trace(record: PythonRecord) -> Result<Trace, JuggleError> {
    let total_ms = record.total_ms;
    if !total_ms.is_finite() || !(0.0..=MAX_RUN_MS).contains(&total_ms) {
        return Err(bad(format_args!(
            "total_ms = {total_ms} is not from 0 to {MAX_RUN_MS} ms"
        )));
    }
    if !record.interval_ms.is_finite() || !(1.0..=1000.0).contains(&record.interval_ms) {
        return Err(bad("interval_ms is not from 1 to 1000"));
    }
    if !record.started_at_ms.is_finite() || !record.load_ms.is_finite() || record.load_ms < 0.0 {
        return Err(bad("started_at_ms and load_ms must be finite"));
    }
    if record.spans.len() > MAX_SPANS
        || record.output.len() > MAX_LINES
        || record.beats.len() > MAX_BEATS
    {
        return Err(bad(format_args!(
            "at most {MAX_SPANS} spans, {MAX_LINES} lines and {MAX_BEATS} beats are allowed"
        )));
    }
    for (what, text) in [
        ("scenario", &record.scenario),
        ("variant", &record.variant),
        ("python", &record.python),
    ] {
        check_text(what, text, 64)?;
    }
    let mut spans = Vec::with_capacity(record.spans.len());
    for span in record.spans {
        check_text("a span's task", &span.task, 200)?;
        check_text("a span's label", &span.label, 200)?;
        check_time("a span's start_ms", span.start_ms, total_ms)?;
        check_time("a span's end_ms", span.end_ms, total_ms)?;
        if span.end_ms < span.start_ms {
            return Err(bad("a span ends before it starts"));
        }
        let kind = kind(&span.kind)?;
        let lane = match span.lane {
            None => {
                if kind == SpanKind::Startup {
                    return Err(bad("a startup span belongs on a process lane"));
                }
                PYTHON_LANE.to_string()
            }
            Some(lane) => {
                match Lane::parse(&lane) {
                    Some(Lane::Process(_)) if is_process_lane(&lane) => {
                        if matches!(kind, SpanKind::Wait | SpanKind::Ready) {
                            return Err(bad(
                                "a process lane holds cpu, blocked and startup spans only (it runs one call at a time)",
                            ));
                        }
                    }
                    Some(Lane::Thread(_)) => {
                        if kind == SpanKind::Startup {
                            return Err(bad("a startup span belongs on a process lane"));
                        }
                    }
                    Some(Lane::Gil) => {
                        if kind != SpanKind::Cpu {
                            return Err(bad("the gil lane holds cpu spans only (its holds)"));
                        }
                    }
                    _ => {
                        return Err(bad(format_args!(
                        "lane \"{}\" is not process-1 to process-{MAX_PROCESSES}, thread-N or gil",
                        lane.chars().take(20).collect::<String>()
                    )))
                    }
                }
                lane
            }
        };
        spans.push(Span {
            lane,
            task: span.task,
            label: span.label,
            kind,
            start_ms: span.start_ms.max(0.0),
            end_ms: span.end_ms.min(total_ms),
            simulated: false,
        });
    }
    // A process, a thread, the GIL: on its lane, one span at a time (a process's start-up, then one
    // call after another; a thread running, ready or blocked; one hold after another).
    let mut on_lanes: Vec<&Span> = spans.iter().filter(|s| s.lane != PYTHON_LANE).collect();
    on_lanes.sort_by(|a, b| a.lane.cmp(&b.lane).then(a.start_ms.total_cmp(&b.start_ms)));
    for pair in on_lanes.windows(2) {
        if pair[0].lane == pair[1].lane && pair[1].start_ms < pair[0].end_ms - 0.01 {
            return Err(bad(format_args!(
                "on {}, two spans overlap (it does one thing at a time)",
                pair[0].lane
            )));
        }
    }
    check_one_thread_executes(&spans)?;
    if record.processes.len() > MAX_PROCESSES {
        return Err(bad(format_args!(
            "at most {MAX_PROCESSES} processes are allowed"
        )));
    }
    for process in &record.processes {
        if !is_process_lane(&process.lane) {
            return Err(bad("a process's lane is not process-N"));
        }
        if !process.memory_bytes.is_finite() || process.memory_bytes < 0.0 {
            return Err(bad(
                "a process's memory_bytes must be a finite number from 0 up",
            ));
        }
    }
    if let Some(memory) = record.memory_bytes {
        if !memory.is_finite() || memory < 0.0 {
            return Err(bad("memory_bytes must be a finite number from 0 up"));
        }
    }
    let mut output = Vec::with_capacity(record.output.len());
    for line in record.output {
        check_text("a printed line", &line.text, MAX_TEXT)?;
        check_text("a printed line's task", &line.task, 200)?;
        check_time("a printed line's t_ms", line.t_ms, total_ms)?;
        let stream = match line.stream.as_deref() {
            None => Stream::Stdout,
            Some(name) => Stream::parse(name).ok_or_else(|| {
                bad(format_args!(
                    "a printed line's stream \"{}\" is not stdout or stderr",
                    name.chars().take(20).collect::<String>()
                ))
            })?,
        };
        output.push(OutputLine {
            t_ms: line.t_ms.max(0.0),
            task: line.task,
            text: line.text,
            stream,
        });
    }
    for beat in &record.beats {
        check_time("a beat's ran_ms", beat.ran_ms, total_ms)?;
        if !beat.due_ms.is_finite() || beat.due_ms > beat.ran_ms + 1.0 {
            return Err(bad("a beat ran before it was due"));
        }
    }
    if let Some(error) = &record.error {
        check_text("the error's kind", &error.kind, 100)?;
        check_text("the traceback", &error.message, 20_000)?;
    }
    if let Some(truncated) = &record.truncated {
        check_text("truncated", truncated, 200)?;
    }
    let gil = crate::gil::summarize(&spans);
    let mut trace = Trace {
        scenario: record.scenario,
        variant: record.variant,
        params: Default::default(),
        env: Env {
            cores: 1,
            threads: 0,
            isolated: record.isolated,
            mode: "python".to_string(),
            yield_macro: "asyncio (CPython's event loop)".to_string(),
            pool_init_ms: None,
            hidden: false,
            python: Some(record.python),
            python_load_ms: Some(record.load_ms),
        },
        started_at_ms: record.started_at_ms,
        total_ms,
        spans,
        output,
        heartbeat: heartbeat::summarize(record.interval_ms, record.beats, total_ms),
        result: serde_json::json!({
            "gil": gil,
            "error": record.error,
            "truncated": record.truncated,
            "memory_bytes": record.memory_bytes,
            "processes": record.processes,
        }),
        why: Default::default(),
    };
    trace.why = explain::why(&trace);
    Ok(trace)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> PythonRecord {
        serde_json::from_value(serde_json::json!({
            "scenario": "lab", "variant": "program", "python": "3.14.2", "started_at_ms": 1.0e12,
            "total_ms": 1000.0, "interval_ms": 10.0, "load_ms": 0.0, "isolated": true,
            "spans": [
                { "task": "main program", "kind": "cpu", "label": "running", "start_ms": 0.0, "end_ms": 5.0 },
                { "task": "main program", "kind": "blocked", "label": "time.sleep(1)", "start_ms": 5.0, "end_ms": 999.0 }
            ],
            "output": [{ "t_ms": 4.0, "task": "main program", "text": "One" }],
            "beats": [], "truncated": null, "error": null
        }))
        .unwrap()
    }

    #[test]
    fn a_record_becomes_a_trace_on_the_python_lane_judged_by_the_one_definition() {
        let trace = trace(record()).unwrap();
        assert!(trace.spans.iter().all(|s| s.lane == PYTHON_LANE));
        assert_eq!(trace.spans[1].kind, SpanKind::Blocked);
        assert!(
            trace.heartbeat.frozen,
            "no beat in a whole second is a freeze"
        );
        assert_eq!(trace.env.python.as_deref(), Some("3.14.2"));
    }

    fn pooled() -> PythonRecord {
        serde_json::from_value(serde_json::json!({
            "scenario": "lab", "variant": "program", "python": "3.14.2", "started_at_ms": 1.0e12,
            "total_ms": 1000.0, "interval_ms": 10.0, "load_ms": 0.0, "isolated": true,
            "spans": [
                { "task": "main program", "kind": "blocked", "label": "waiting for the process pool", "start_ms": 1.0, "end_ms": 990.0 },
                { "lane": "process-1", "task": "start-up", "kind": "startup", "label": "interpreter start-up", "start_ms": 1.0, "end_ms": 700.0 },
                { "lane": "process-1", "task": "burn", "kind": "cpu", "label": "burn(…)", "start_ms": 700.0, "end_ms": 800.0 },
                { "lane": "process-2", "task": "start-up", "kind": "startup", "label": "interpreter start-up", "start_ms": 2.0, "end_ms": 750.0 },
                { "lane": "process-2", "task": "burn", "kind": "cpu", "label": "burn(…)", "start_ms": 750.0, "end_ms": 850.0 }
            ],
            "output": [], "beats": [], "truncated": null, "error": null,
            "memory_bytes": 3.0e7,
            "processes": [{ "lane": "process-1", "memory_bytes": 3.1e7 }, { "lane": "process-2", "memory_bytes": 3.1e7 }]
        }))
        .unwrap()
    }

    #[test]
    fn a_printed_lines_stream_is_kept_and_an_unknown_one_refused() {
        let mut logged = record();
        logged.output.push(RawLine {
            t_ms: 5.0,
            task: "main program".into(),
            text: "WARNING:root:Watch out!".into(),
            stream: Some("stderr".into()),
        });
        let streams: Vec<Stream> = trace(logged)
            .unwrap()
            .output
            .iter()
            .map(|l| l.stream)
            .collect();
        assert_eq!(streams, [Stream::Stdout, Stream::Stderr]);
        let mut bad_stream = record();
        bad_stream.output[0].stream = Some("stdlog".into());
        let error = trace(bad_stream).unwrap_err();
        assert!(
            error.message.contains("not stdout or stderr"),
            "{}",
            error.message
        );
    }

    #[test]
    fn a_pools_processes_get_lanes_of_their_own_with_their_start_up() {
        let trace = trace(pooled()).unwrap();
        let lanes: std::collections::BTreeSet<_> =
            trace.spans.iter().map(|s| s.lane.as_str()).collect();
        assert_eq!(
            lanes.into_iter().collect::<Vec<_>>(),
            ["process-1", "process-2", "python"]
        );
        assert_eq!(trace.lane("process-1")[0].kind, SpanKind::Startup);
        assert_eq!(trace.result["processes"][1]["lane"], "process-2");
        assert_eq!(trace.result["memory_bytes"], 3.0e7);
    }

    #[test]
    fn process_lanes_are_checked_strictly() {
        let mut lane = pooled();
        lane.spans[1].lane = Some("process-0".into());
        assert!(trace(lane).unwrap_err().message.contains("not process-1"));
        let mut other = pooled();
        other.spans[1].lane = Some("worker-1".into());
        assert!(trace(other).is_err());
        let mut waiting = pooled();
        waiting.spans[2].kind = "wait".into();
        assert!(trace(waiting)
            .unwrap_err()
            .message
            .contains("cpu, blocked and startup"));
        let mut overlap = pooled();
        overlap.spans[2].start_ms = 600.0;
        assert!(trace(overlap).unwrap_err().message.contains("overlap"));
        let mut startup_on_python = pooled();
        startup_on_python.spans[1].lane = None;
        assert!(trace(startup_on_python)
            .unwrap_err()
            .message
            .contains("process lane"));
        let mut memory = pooled();
        memory.processes[0].memory_bytes = f64::NAN;
        assert!(trace(memory).is_err());
    }

    #[test]
    fn bad_records_are_refused_with_what_was_wrong() {
        let mut unknown = record();
        unknown.spans[0].kind = "<script>".into();
        assert!(trace(unknown)
            .unwrap_err()
            .message
            .contains("not one of cpu"));
        let mut outside = record();
        outside.spans[0].end_ms = 1.0e9;
        assert!(trace(outside)
            .unwrap_err()
            .message
            .contains("inside the run"));
        let mut backwards = record();
        backwards.spans[0].start_ms = 4.0;
        backwards.spans[0].end_ms = 1.0;
        assert!(trace(backwards).is_err());
        let mut nan = record();
        nan.total_ms = f64::NAN;
        assert!(trace(nan).is_err());
        let mut long = record();
        long.output[0].text = "x".repeat(MAX_TEXT + 1);
        assert!(trace(long).unwrap_err().message.contains("longer than"));
    }

    /// A span of a record: `(lane, task, kind, label, start, end)`; lane `""` is the interpreter's thread.
    type S<'a> = (&'a str, &'a str, &'a str, &'a str, f64, f64);

    /// A record as the tracer writes it, with the beats due every 10 ms that ran (none inside `frozen`).
    fn recorded(total_ms: f64, spans: &[S], frozen: &[(f64, f64)]) -> PythonRecord {
        let spans: Vec<_> = spans
            .iter()
            .map(|&(lane, task, kind, label, start, end)| {
                let mut span = serde_json::json!({ "task": task, "kind": kind, "label": label,
                    "start_ms": start, "end_ms": end });
                if !lane.is_empty() {
                    span["lane"] = lane.into();
                }
                span
            })
            .collect();
        let beats: Vec<_> = (1..)
            .map(|n| f64::from(n) * 10.0)
            .take_while(|t| *t < total_ms)
            .filter(|t| !frozen.iter().any(|(from, to)| t > from && t < to))
            .map(|t| serde_json::json!({ "due_ms": t, "ran_ms": t + 0.2 }))
            .collect();
        serde_json::from_value(serde_json::json!({
            "scenario": "lab", "variant": "program", "python": "3.14.2", "started_at_ms": 1.0e12,
            "total_ms": total_ms, "interval_ms": 10.0, "load_ms": 0.0, "isolated": true,
            "spans": spans, "output": [], "beats": beats, "truncated": null, "error": null
        }))
        .unwrap()
    }

    /// Two threads counting under the GIL, as juggle_gil records them: the main thread starts them and
    /// joins; they take turns at the switch interval; each ends.
    fn two_cpu_threads() -> PythonRecord {
        let m = "main program";
        let spans: Vec<S> = vec![
            ("", m, "cpu", "running", 0.0, 1.0),
            (
                "",
                m,
                "blocked",
                "Thread.join: waiting for the thread to end",
                1.0,
                21.0,
            ),
            ("", m, "cpu", "running", 21.0, 22.0),
            (
                "gil",
                "MainThread",
                "cpu",
                "MainThread holds it; then: Thread.join",
                0.0,
                1.0,
            ),
            (
                "gil",
                "Thread-1",
                "cpu",
                "Thread-1 holds it; then: switch interval",
                1.0,
                6.0,
            ),
            (
                "gil",
                "Thread-2",
                "cpu",
                "Thread-2 holds it; then: switch interval",
                6.0,
                11.0,
            ),
            (
                "gil",
                "Thread-1",
                "cpu",
                "Thread-1 holds it; then: thread end",
                11.0,
                16.0,
            ),
            (
                "gil",
                "Thread-2",
                "cpu",
                "Thread-2 holds it; then: thread end",
                16.0,
                21.0,
            ),
            (
                "gil",
                "MainThread",
                "cpu",
                "MainThread holds it; then: the run's end",
                21.0,
                22.0,
            ),
            (
                "thread-1",
                "Thread-1",
                "cpu",
                "running (holds the GIL)",
                1.0,
                6.0,
            ),
            (
                "thread-1",
                "Thread-1",
                "ready",
                "waiting for the GIL",
                6.0,
                11.0,
            ),
            (
                "thread-1",
                "Thread-1",
                "cpu",
                "running (holds the GIL)",
                11.0,
                16.0,
            ),
            (
                "thread-2",
                "Thread-2",
                "ready",
                "waiting for the GIL",
                0.5,
                6.0,
            ),
            (
                "thread-2",
                "Thread-2",
                "cpu",
                "running (holds the GIL)",
                6.0,
                11.0,
            ),
            (
                "thread-2",
                "Thread-2",
                "ready",
                "waiting for the GIL",
                11.0,
                16.0,
            ),
            (
                "thread-2",
                "Thread-2",
                "cpu",
                "running (holds the GIL)",
                16.0,
                21.0,
            ),
        ];
        recorded(22.0, &spans, &[])
    }

    #[test]
    fn threads_get_lanes_and_the_gils_hand_offs_are_counted_by_cause() {
        let trace = trace(two_cpu_threads()).unwrap();
        let lanes: std::collections::BTreeSet<_> =
            trace.spans.iter().map(|s| s.lane.as_str()).collect();
        assert_eq!(
            lanes.into_iter().collect::<Vec<_>>(),
            ["gil", "python", "thread-1", "thread-2"]
        );
        let gil = &trace.result["gil"];
        assert_eq!(gil["threads"], 3);
        assert_eq!(gil["holds"], 6);
        assert_eq!(gil["hand_offs"], 5);
        assert_eq!(gil["switch_interval"], 2);
        assert_eq!(gil["thread_end"], 2);
        assert_eq!(gil["blocking"]["Thread.join"], 1);
        assert_eq!(gil["wait_ms"], 15.5);
        assert!(
            trace
                .why
                .time
                .contains("changed hands 5 times: 2 at the switch interval"),
            "{}",
            trace.why.time
        );
        assert!(trace.why.time.starts_with("The main thread waited"));
        // The replay says who holds the GIL and who waits for it.
        let gil = trace.moment(8.0).gil.unwrap();
        assert_eq!(gil.holder.as_deref(), Some("Thread-2"));
        assert_eq!(gil.waiting, ["Thread-1"]);
        assert!(trace_of_count_blocking().moment(1.0).gil.is_none());
        // A run without threads has no GIL figures.
        assert!(trace_of_count_blocking().result["gil"].is_null());
    }

    #[test]
    fn two_threads_executing_at_once_or_a_gil_span_that_is_not_a_hold_are_refused() {
        let mut at_once = two_cpu_threads();
        at_once.spans[12].kind = "cpu".into(); // thread-2 "running" while thread-1 holds the GIL
        assert!(trace(at_once)
            .unwrap_err()
            .message
            .contains("execute at once"));
        let mut not_a_hold = two_cpu_threads();
        not_a_hold.spans[3].kind = "blocked".into();
        assert!(trace(not_a_hold).unwrap_err().message.contains("gil lane"));
        let mut same_lane = two_cpu_threads();
        same_lane.spans[4].end_ms = 7.0;
        assert!(trace(same_lane).unwrap_err().message.contains("overlap"));
        let mut startup = two_cpu_threads();
        startup.spans[9].kind = "startup".into();
        assert!(trace(startup).is_err());
    }

    fn trace_of_count_blocking() -> Trace {
        trace(count_blocking()).unwrap()
    }

    /// The count twin's `blocking-in-async`, as recorded: `asyncio.run(run_blocking_in_async())`, whose
    /// gather runs three tasks that print, `time.sleep(1.0)` and print.
    fn count_blocking() -> PythonRecord {
        let mut spans: Vec<S> = vec![
            ("", "main program", "cpu", "running", 0.0, 2.0),
            (
                "",
                "run_blocking_in_async (Task-1)",
                "cpu",
                "running",
                2.0,
                2.5,
            ),
            (
                "",
                "run_blocking_in_async (Task-1)",
                "wait",
                "await",
                2.5,
                3004.0,
            ),
        ];
        let names = ["count (Task-2)", "count (Task-3)", "count (Task-4)"];
        for (n, name) in names.iter().enumerate() {
            let at = 3.0 + 1000.3 * n as f64;
            spans.push(("", name, "ready", "ready, waiting for the loop", 2.5, at));
            spans.push(("", name, "cpu", "running", at, at + 0.1));
            spans.push((
                "",
                name,
                "blocked",
                "time.sleep(1.0)",
                at + 0.1,
                at + 1000.1,
            ));
            spans.push(("", name, "cpu", "running", at + 1000.1, at + 1000.3));
        }
        spans.push((
            "",
            "run_blocking_in_async (Task-1)",
            "ready",
            "ready, waiting for the loop",
            3004.0,
            3004.1,
        ));
        spans.push((
            "",
            "run_blocking_in_async (Task-1)",
            "cpu",
            "running",
            3004.1,
            3004.3,
        ));
        spans.push(("", "main program", "cpu", "running", 3004.3, 3005.0));
        recorded(3006.0, &spans, &[(3.0, 3004.0)])
    }

    #[test]
    fn the_count_twins_blocking_run_counts_its_three_tasks_not_the_machinery() {
        let why = trace(count_blocking()).unwrap().why;
        assert!(
            why.health
                .contains("blocking waits of 3 tasks one after another"),
            "{}",
            why.health
        );
        assert!(
            why.time.contains("the 3 tasks waited one after another"),
            "{}",
            why.time
        );
        assert!(!why.time.contains("run_blocking_in_async"), "{}", why.time);
    }

    #[test]
    fn the_threads_twins_inline_run_names_its_one_blocking_call() {
        // `loop_with_call(False)`: a health-check task, then `time.sleep(0.5)` inline in the main task.
        let mut spans: Vec<S> = vec![
            ("", "main program", "cpu", "running", 0.0, 1.0),
            ("", "loop_with_call (Task-1)", "cpu", "running", 1.0, 1.2),
            ("", "loop_with_call (Task-1)", "wait", "await", 1.2, 1.3),
            ("", "health_check (Task-2)", "cpu", "running", 1.3, 1.4),
            ("", "loop_with_call (Task-1)", "cpu", "running", 1.5, 1.6),
            (
                "",
                "loop_with_call (Task-1)",
                "blocked",
                "time.sleep(0.5)",
                1.6,
                501.6,
            ),
            ("", "health_check (Task-2)", "wait", "await", 1.4, 501.7),
            (
                "",
                "loop_with_call (Task-1)",
                "cpu",
                "running",
                501.7,
                501.8,
            ),
        ];
        spans.push(("", "health_check (Task-2)", "cpu", "running", 501.8, 501.9));
        spans.push(("", "main program", "cpu", "running", 522.0, 523.0));
        let why = trace(recorded(524.0, &spans, &[(1.5, 501.7)])).unwrap().why;
        assert!(
            why.health.contains(
                "held by loop_with_call (Task-1)\u{2019}s \u{201c}time.sleep(0.5)\u{201d}"
            ),
            "{}",
            why.health
        );
        assert!(!why.health.contains("tasks"), "{}", why.health);
    }

    #[test]
    fn the_labs_busy_loop_counts_its_five_parses() {
        // `asyncio.run(main())`, whose gather runs five 100 ms busy loops with no await.
        let mut spans: Vec<S> = vec![
            ("", "main program", "cpu", "running", 0.0, 1.0),
            ("", "main (Task-1)", "cpu", "running", 1.0, 1.5),
            ("", "main (Task-1)", "wait", "await", 1.5, 502.0),
        ];
        let names: Vec<String> = (2..7).map(|n| format!("parse (Task-{n})")).collect();
        for (n, name) in names.iter().enumerate() {
            let at = 1.6 + 100.0 * n as f64;
            spans.push(("", name, "cpu", "running", at, at + 100.0));
        }
        spans.push(("", "main (Task-1)", "cpu", "running", 502.1, 502.3));
        spans.push((
            "",
            "BaseEventLoop.shutdown_asyncgens (Task-7)",
            "cpu",
            "running",
            502.3,
            502.4,
        ));
        spans.push(("", "main program", "cpu", "running", 502.4, 503.0));
        let why = trace(recorded(504.0, &spans, &[(1.0, 502.0)])).unwrap().why;
        assert!(
            why.health.contains("ran 5 tasks, each to the end"),
            "{}",
            why.health
        );
        assert!(
            why.time.contains("the 5 tasks' work ran on it"),
            "{}",
            why.time
        );
    }

    #[test]
    fn awaits_at_once_count_the_programs_tasks_not_gathers_parent() {
        // A 3-task program: `main` gathers three tasks that each `await asyncio.sleep(1)`.
        let mut spans: Vec<S> = vec![
            ("", "main program", "cpu", "running", 0.0, 1.0),
            ("", "main (Task-1)", "cpu", "running", 1.0, 1.5),
            ("", "main (Task-1)", "wait", "await", 1.5, 1003.0),
        ];
        for n in 0..3 {
            let name = ["say (Task-2)", "say (Task-3)", "say (Task-4)"][n];
            let at = 1.6 + 0.2 * n as f64;
            spans.push(("", name, "cpu", "running", at, at + 0.1));
            spans.push(("", name, "wait", "await", at + 0.1, 1001.0 + n as f64 * 0.2));
            spans.push((
                "",
                name,
                "cpu",
                "running",
                1002.0 + n as f64 * 0.3,
                1002.2 + n as f64 * 0.3,
            ));
        }
        spans.push(("", "main (Task-1)", "cpu", "running", 1003.1, 1003.3));
        let why = trace(recorded(1004.0, &spans, &[])).unwrap().why;
        assert!(
            why.time
                .to_lowercase()
                .contains("up to 3 tasks were in \u{201c}await\u{201d}"),
            "{}",
            why.time
        );
        assert!(!why.time.contains("4 tasks"), "{}", why.time);
    }

    #[test]
    fn processes_that_never_overlapped_are_not_side_by_side() {
        // multiprocessing: two Process objects started and joined one after the other.
        let spans: Vec<S> = vec![
            ("", "main program", "cpu", "running", 0.0, 1.0),
            (
                "",
                "main program",
                "blocked",
                "Process-1.join(): waiting for the process to end",
                1.0,
                900.0,
            ),
            (
                "process-1",
                "start-up",
                "startup",
                "interpreter start-up",
                1.0,
                700.0,
            ),
            ("process-1", "Process-1", "cpu", "count(…)", 700.0, 890.0),
            (
                "",
                "main program",
                "blocked",
                "Process-2.join(): waiting for the process to end",
                900.0,
                1800.0,
            ),
            (
                "process-2",
                "start-up",
                "startup",
                "interpreter start-up",
                901.0,
                1600.0,
            ),
            ("process-2", "Process-2", "cpu", "count(…)", 1600.0, 1790.0),
        ];
        let why = trace(recorded(1801.0, &spans, &[])).unwrap().why;
        assert!(!why.time.contains("side by side"), "{}", why.time);
        assert!(
            why.time.contains("never two at the same moment"),
            "{}",
            why.time
        );
        assert!(
            why.time.contains("2 start-ups one after another"),
            "{}",
            why.time
        );
        let mut both = spans.clone();
        both[5].4 = 760.0;
        both[5].5 = 850.0;
        both[6].4 = 850.0;
        both[6].5 = 1040.0;
        both[3].5 = 880.0;
        let why = trace(recorded(1801.0, &both, &[])).unwrap().why;
        assert!(why.time.contains("side by side"), "{}", why.time);
    }
}
