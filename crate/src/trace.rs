//! The trace format: what a run recorded, exactly as `juggle.run` resolves it (see README, "Trace format").
//!
//! Times are milliseconds from the run's start. Lanes are `main` for the page's thread and `worker-N` for
//! the pool's threads. [`Recorder`] collects spans and output lines while a run is in progress; [`Task`]
//! is the handle scenario code records through.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::runtime::{Rt, YieldTo};

/// The lane of the page's main thread.
pub const MAIN_LANE: &str = "main";

/// The lane of the interpreter's thread.
pub const PYTHON_LANE: &str = "python";

/// The lane that shows who holds the GIL: one span per hold, its task the holder (`crate::gil`).
pub const GIL_LANE: &str = "gil";

/// What a thread that could go on but waits for the GIL is doing: the label of its `ready` span on its
/// lane, as the browser's Python records it (`www/python/juggle_gil.py`).
pub const GIL_WAIT_LABEL: &str = "waiting for the GIL";

/// What a lane was doing during a span.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpanKind {
    /// Executing code: the lane's CPU is busy with this task.
    Cpu,
    /// Waiting in a blocking way: the lane is held and nothing else can run on it.
    Blocked,
    /// Suspended at an `await`: the task waits and the lane is free for others.
    Wait,
    /// Setting something up, such as the worker pool.
    Startup,
    /// Ready to go on (what it awaited is done) but waiting for the event loop to get to it: the lane is
    /// busy with another task or the loop is on its way. Recorded by the browser's Python tracer.
    Ready,
}

/// One interval of one task on one lane.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// The thread: one of the lanes [`crate::lane::Lane`] names (`main`, `worker-N`, `thread-N`, ...).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Lane"))]
    pub lane: String,
    /// The task the span belongs to.
    pub task: String,
    /// What happened, in a few words.
    pub label: String,
    /// What the lane was doing.
    pub kind: SpanKind,
    /// Start, in ms from the run's start.
    pub start_ms: f64,
    /// End, in ms from the run's start.
    pub end_ms: f64,
    /// Whether this is a wait that stands for a simulated network (a download, a server's latency) rather
    /// than a real one.
    #[serde(default)]
    pub simulated: bool,
}

/// The stream a line was printed to: what `print` shows, or what goes to standard error (logging, warnings,
/// a traceback the program prints). A trace without the field is from before streams were kept: stdout.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stream {
    /// Standard output: `print`, a Rust scenario's lines.
    #[default]
    Stdout,
    /// Standard error: `logging`, `warnings`, `traceback.print_exc()`, `print(..., file=sys.stderr)`.
    Stderr,
}

impl Stream {
    /// The stream's name as the trace writes it, `stdout` or `stderr`.
    pub fn as_str(self) -> &'static str {
        match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        }
    }

    /// The stream named `name` (`stdout` or `stderr`), if it is one.
    pub fn parse(name: &str) -> Option<Stream> {
        match name {
            "stdout" => Some(Stream::Stdout),
            "stderr" => Some(Stream::Stderr),
            _ => None,
        }
    }
}

/// A line a task printed.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutputLine {
    /// When, in ms from the run's start.
    pub t_ms: f64,
    /// Which task printed it.
    pub task: String,
    /// The text.
    pub text: String,
    /// The stream it was printed to (`stdout` when a trace from before streams leaves it out).
    #[serde(default)]
    pub stream: Stream,
}

/// Where and how a run ran.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
// The core writes `None` as null (serde-wasm-bindgen's JSON-compatible serializer).
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Env {
    /// Logical cores the browser reports (`navigator.hardwareConcurrency`).
    pub cores: u32,
    /// Threads in the worker pool, 0 when there is none.
    pub threads: u32,
    /// Whether the page is cross-origin isolated (shared memory available).
    pub isolated: bool,
    /// `"shared-memory"` when the pool shares memory with rayon, `"main-only"` without a pool.
    pub mode: String,
    /// How a macrotask yield is done here: `"MessageChannel"` in the browser, `"simulated"` natively.
    pub yield_macro: String,
    /// How long starting the worker pool took, when it has started.
    pub pool_init_ms: Option<f64>,
    /// Whether the page was hidden at some moment of the run. Browsers throttle timers in hidden tabs
    /// (to about once a second), so such a run's times are not to be trusted.
    #[serde(default)]
    pub hidden: bool,
    /// The Python version, for a run of the browser's Python (`3.14.2`); null for a Rust run.
    #[serde(default)]
    pub python: Option<String>,
    /// How long loading the browser's Python took before this run (0 when it was loaded already); null
    /// for a Rust run.
    #[serde(default)]
    pub python_load_ms: Option<f64>,
}

/// One heartbeat: when it was due and when the event loop let it run.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Beat {
    /// When the beat should have run, in ms from the run's start.
    pub due_ms: f64,
    /// When it ran.
    pub ran_ms: f64,
}

/// The heartbeat lane: a timer on the main thread, the health check of the lessons. Its judgements, one
/// definition each (the page quotes these sentences):
///
/// - A **gap** is the time between two consecutive beats, the run's start and end counting as beats.
/// - The heartbeat is **frozen** during a gap of at least `frozen_threshold_ms`, which is 5 periods and
///   never less than 250 ms: `max(250, 5 x interval_ms)`.
/// - A **deadline** (each multiple of `interval_ms` up to `total_ms`) is **missed** when no beat ran from
///   it until the next deadline (in `[d, d + interval_ms)`).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
// The core writes `None` as null (serde-wasm-bindgen's JSON-compatible serializer).
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Heartbeat {
    /// The period the heartbeat was due at.
    pub interval_ms: f64,
    /// The longest time between two beats, counting the run's start and end as beats.
    pub max_gap_ms: f64,
    /// Where the longest gap starts (a beat's time, or 0 for the run's start).
    pub max_gap_from_ms: f64,
    /// The 99th percentile of lateness over the beats that ran; `null` when none ran.
    pub p99_late_ms: Option<f64>,
    /// How many deadlines were missed: no beat ran from the deadline until the next one.
    pub missed: u32,
    /// The shortest gap that counts as frozen: `max(250, 5 x interval_ms)`.
    #[serde(default)]
    pub frozen_threshold_ms: f64,
    /// Every gap of at least `frozen_threshold_ms`, in time order.
    #[serde(default)]
    pub frozen_gaps: Vec<Gap>,
    /// Whether the heartbeat froze at all (`frozen_gaps` is not empty).
    #[serde(default)]
    pub frozen: bool,
    /// Every beat that ran.
    pub samples: Vec<Beat>,
}

/// A time between two consecutive beats (or the run's start or end), in ms from the run's start.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// The beat (or start) it follows.
    pub from_ms: f64,
    /// The beat (or end) it ends at.
    pub to_ms: f64,
}

/// Why a run took as long as it did and why its health check froze or kept answering, each one sentence
/// computed from the trace (see `explain.rs`).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Why {
    /// Where the run's time went: what the event loop's thread executed or was held by, what the other
    /// threads executed, how the waits overlapped.
    pub time: String,
    /// Why the health check froze (what held its thread during the longest frozen gap) or kept answering
    /// (the longest stretch its thread executed without a break).
    pub health: String,
}

/// Everything a run recorded. This is the public trace format.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    /// The scenario id.
    pub scenario: String,
    /// The variant id.
    pub variant: String,
    /// Every parameter, defaults filled in.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, number>"))]
    pub params: std::collections::BTreeMap<String, u32>,
    /// Where it ran.
    pub env: Env,
    /// When the run started on the runtime's clock: in the browser, ms since the Unix epoch
    /// (`performance.timeOrigin + performance.now()`), so spans can be placed on any page's timeline.
    pub started_at_ms: f64,
    /// Wall-clock time from start to end of the run.
    pub total_ms: f64,
    /// Spans, in the order they ended.
    pub spans: Vec<Span>,
    /// Output lines, in the order they were printed.
    pub output: Vec<OutputLine>,
    /// The heartbeat lane.
    pub heartbeat: Heartbeat,
    /// Scenario-specific results (counts, speedups, ideal times...).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown> | null"))]
    pub result: serde_json::Value,
    /// Why the run went as it did, computed from this trace ([`crate::explain::why`]); recomputed for a
    /// recorded trace, never taken from it.
    #[serde(default)]
    pub why: Why,
}

impl Trace {
    /// The output texts in order, for example `["One", "One", "Two", "Two"]`.
    pub fn texts(&self) -> Vec<&str> {
        self.output.iter().map(|line| line.text.as_str()).collect()
    }

    /// The spans on one lane, in start order.
    pub fn lane(&self, lane: &str) -> Vec<&Span> {
        let mut spans: Vec<&Span> = self.spans.iter().filter(|s| s.lane == lane).collect();
        spans.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
        spans
    }

    /// Checks the first lesson of every picture: one thread executes one thing at a time. On any lane, at
    /// any instant, at most one span is `cpu` or `blocked` (a task suspended at an await, or queued for a
    /// lock, is a `wait`). Spans are half-open, `[start_ms, end_ms)`, so one may end where the next
    /// starts. Returns the first two spans that break it, described.
    pub fn one_thing_at_a_time(&self) -> Result<(), String> {
        let mut executing: Vec<&Span> = self
            .spans
            .iter()
            .filter(|s| {
                matches!(s.kind, SpanKind::Cpu | SpanKind::Blocked) && s.end_ms > s.start_ms
            })
            .collect();
        executing.sort_by(|a, b| {
            a.lane
                .cmp(&b.lane)
                .then_with(|| a.start_ms.total_cmp(&b.start_ms))
        });
        for pair in executing.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if a.lane == b.lane && b.start_ms < a.end_ms {
                return Err(format!(
                    "{}/{}: on lane {}, {} ({:?} \"{}\", {:.3}-{:.3} ms) and {} ({:?} \"{}\", {:.3}-{:.3} ms) \
                     execute at the same instant",
                    self.scenario,
                    self.variant,
                    a.lane,
                    a.task,
                    a.kind,
                    a.label,
                    a.start_ms,
                    a.end_ms,
                    b.task,
                    b.kind,
                    b.label,
                    b.start_ms,
                    b.end_ms
                ));
            }
        }
        Ok(())
    }

    /// The run as it stood `t_ms` after its start, for replaying it with a time cursor: the spans in
    /// progress (started at or before `t_ms`, not yet ended) by lane and task, the lines printed so far,
    /// and how many heartbeats had run.
    pub fn moment(&self, t_ms: f64) -> Moment {
        let t_ms = t_ms.clamp(0.0, self.total_ms);
        let mut active: Vec<Span> = self
            .spans
            .iter()
            .filter(|s| s.start_ms <= t_ms && t_ms < s.end_ms)
            .cloned()
            .collect();
        active.sort_by(|a, b| a.lane.cmp(&b.lane).then_with(|| a.task.cmp(&b.task)));
        let printed = self
            .output
            .iter()
            .filter(|line| line.t_ms <= t_ms)
            .cloned()
            .collect();
        let beats = self
            .heartbeat
            .samples
            .iter()
            .filter(|beat| beat.ran_ms <= t_ms)
            .count();
        let last_beat_ms = self
            .heartbeat
            .samples
            .iter()
            .map(|beat| beat.ran_ms)
            .filter(|&ran| ran <= t_ms)
            .fold(0.0, f64::max);
        let gil = self
            .spans
            .iter()
            .any(|s| s.lane == GIL_LANE)
            .then(|| GilMoment {
                holder: active
                    .iter()
                    .find(|s| s.lane == GIL_LANE)
                    .map(|s| s.task.clone()),
                waiting: active
                    .iter()
                    .filter(|s| s.kind == SpanKind::Ready && s.label == GIL_WAIT_LABEL)
                    .map(|s| s.task.clone())
                    .collect(),
            });
        Moment {
            t_ms,
            active,
            printed,
            beats,
            since_beat_ms: t_ms - last_beat_ms,
            gil,
        }
    }
}

/// A run at one instant (see [`Trace::moment`]).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Moment {
    /// The instant, in ms from the run's start (clamped to the run).
    pub t_ms: f64,
    /// The spans in progress at that instant, by lane then task.
    pub active: Vec<Span>,
    /// The lines printed up to that instant, in order.
    pub printed: Vec<OutputLine>,
    /// How many heartbeats had run.
    pub beats: usize,
    /// How long since the last heartbeat (or the run's start): large when the event loop is frozen.
    pub since_beat_ms: f64,
    /// Who held the GIL then and who waited for it, in a run that has a `gil` lane.
    pub gil: Option<GilMoment>,
}

/// The GIL at one instant (see [`Trace::moment`]).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GilMoment {
    /// The thread holding it; `None` while it passes from one thread to the next.
    pub holder: Option<String>,
    /// The threads ready to go on but waiting for it (the model's threads do not say; the browser's
    /// Python's do).
    pub waiting: Vec<String>,
}

/// Collects spans and output while a run is in progress.
pub struct Recorder {
    rt: Rt,
    origin_ms: f64,
    spans: RefCell<Vec<Span>>,
    output: RefCell<Vec<OutputLine>>,
}

impl Recorder {
    /// Starts recording; the run's time zero is now.
    pub fn start(rt: Rt) -> Rc<Recorder> {
        let origin_ms = rt.now_ms();
        Rc::new(Recorder {
            rt,
            origin_ms,
            spans: RefCell::new(Vec::new()),
            output: RefCell::new(Vec::new()),
        })
    }

    /// The runtime the run uses.
    pub fn rt(&self) -> &Rt {
        &self.rt
    }

    /// Milliseconds since the run started.
    pub fn now(&self) -> f64 {
        self.rt.now_ms() - self.origin_ms
    }

    /// When the run started, on the runtime's clock.
    pub fn origin_ms(&self) -> f64 {
        self.origin_ms
    }

    /// Converts a time on the runtime's clock to ms since the run started.
    pub fn since_start(&self, clock_ms: f64) -> f64 {
        clock_ms - self.origin_ms
    }

    /// Records a span.
    pub fn push_span(&self, span: Span) {
        self.spans.borrow_mut().push(span);
    }

    /// Records spans measured on the runtime's clock (for example by pool workers), shifting them to run time.
    pub fn import_spans(&self, spans: impl IntoIterator<Item = Span>) {
        let mut mine = self.spans.borrow_mut();
        for mut span in spans {
            span.start_ms = self.since_start(span.start_ms);
            span.end_ms = self.since_start(span.end_ms);
            mine.push(span);
        }
    }

    /// A handle for recording one task's activity on the main lane.
    pub fn task(self: &Rc<Self>, name: impl Into<String>) -> Task {
        Task {
            rec: Rc::clone(self),
            name: name.into(),
        }
    }

    /// Takes the recorded spans and output, leaving the recorder empty.
    pub fn take(&self) -> (Vec<Span>, Vec<OutputLine>) {
        (self.spans.take(), self.output.take())
    }
}

/// One cooperative task's handle: what it prints and does is recorded on the `main` lane.
pub struct Task {
    rec: Rc<Recorder>,
    name: String,
}

impl Task {
    /// The task's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Prints a line of output.
    pub fn print(&self, text: impl Into<String>) {
        let t_ms = self.rec.now();
        self.rec.output.borrow_mut().push(OutputLine {
            t_ms,
            task: self.name.clone(),
            text: text.into(),
            stream: Stream::Stdout,
        });
    }

    /// Records a span of this task on the main lane.
    pub fn span(&self, label: &str, kind: SpanKind, start_ms: f64, end_ms: f64) {
        self.push(label, kind, start_ms, end_ms, false);
    }

    fn push(&self, label: &str, kind: SpanKind, start_ms: f64, end_ms: f64, simulated: bool) {
        self.rec.push_span(Span {
            lane: MAIN_LANE.to_string(),
            task: self.name.clone(),
            label: label.to_string(),
            kind,
            start_ms,
            end_ms,
            simulated,
        });
    }

    /// Burns `ms` of CPU on the main thread without yielding, recorded as a `cpu` span.
    pub fn cpu(&self, label: &str, ms: f64) {
        self.hold(label, SpanKind::Cpu, ms);
    }

    /// Waits `ms` by holding the thread (a busy wait: the main thread may not sleep), recorded as `blocked`.
    pub fn block(&self, label: &str, ms: f64) {
        self.hold(label, SpanKind::Blocked, ms);
    }

    /// Burns `ms` of CPU in slices of at most `slice_ms`, yielding to `to` after each slice so that other
    /// tasks (and, for [`YieldTo::Task`], timers and rendering) get a turn in between. Each slice is a `cpu`
    /// span.
    pub async fn cpu_yielding(&self, label: &str, ms: f64, slice_ms: f64, to: YieldTo) {
        let mut left = ms;
        while left > 0.0 {
            let slice = left.min(slice_ms);
            self.cpu(label, slice);
            left -= slice;
            let rt = self.rec.rt();
            match to {
                YieldTo::Microtask => rt.yield_micro().await,
                YieldTo::Task => rt.yield_macro().await,
            }
        }
    }

    fn hold(&self, label: &str, kind: SpanKind, ms: f64) {
        let start = self.rec.now();
        self.rec.rt().spin(ms);
        self.span(label, kind, start, self.rec.now());
    }

    /// Awaits `future`, recording the time suspended as a `wait` span.
    pub async fn wait<F: Future>(&self, label: &str, future: F) -> F::Output {
        let start = self.rec.now();
        let output = future.await;
        self.span(label, SpanKind::Wait, start, self.rec.now());
        output
    }

    /// Sleeps `ms` on a timer, recorded as a `wait` span.
    pub async fn sleep(&self, label: &str, ms: f64) {
        let timer = self.rec.rt().sleep(ms);
        self.wait(label, timer).await;
    }

    /// Sleeps `ms` on a timer standing for a simulated network wait, recorded as a `wait` span marked
    /// `simulated`.
    pub async fn sleep_simulated(&self, label: &str, ms: f64) {
        let start = self.rec.now();
        self.rec.rt().sleep(ms).await;
        self.push(label, SpanKind::Wait, start, self.rec.now(), true);
    }
}

#[cfg(test)]
mod tests {
    use super::{OutputLine, SpanKind, Stream};
    use crate::testing::run_sim;

    #[test]
    fn a_printed_line_keeps_its_stream_through_json_and_an_old_line_is_stdout() {
        let line = OutputLine {
            t_ms: 1.5,
            task: "main program".into(),
            text: "WARNING:root:Watch out!".into(),
            stream: Stream::Stderr,
        };
        let json = serde_json::to_value(&line).unwrap();
        assert_eq!(json["stream"], "stderr");
        let back: OutputLine = serde_json::from_value(json).unwrap();
        assert_eq!(back, line);
        let old: OutputLine =
            serde_json::from_str(r#"{"t_ms": 0, "task": "main", "text": "One"}"#).unwrap();
        assert_eq!(old.stream, Stream::Stdout);
        assert!(serde_json::from_str::<OutputLine>(
            r#"{"t_ms": 0, "task": "main", "text": "One", "stream": "stdlog"}"#
        )
        .is_err());
        assert_eq!(Stream::parse("stderr"), Some(Stream::Stderr));
        assert_eq!(Stream::parse(Stream::Stdout.as_str()), Some(Stream::Stdout));
        assert_eq!(Stream::parse("STDERR"), None);
    }

    #[test]
    fn two_tasks_executing_at_once_on_one_lane_break_the_invariant_and_touching_ones_do_not() {
        let mut trace = run_sim("count", &[("variant", "sync"), ("sleep_ms", "10")]);
        assert_eq!(trace.one_thing_at_a_time(), Ok(()));
        let mut span = trace.lane("main")[0].clone();
        span.task = "intruder".into();
        span.kind = SpanKind::Cpu;
        span.start_ms += 1.0;
        trace.spans.push(span.clone());
        let error = trace.one_thing_at_a_time().unwrap_err();
        assert!(error.contains("intruder"), "{error}");
        span.lane = "worker-0".into();
        *trace.spans.last_mut().unwrap() = span;
        assert_eq!(trace.one_thing_at_a_time(), Ok(()), "another lane may");
    }

    #[test]
    fn every_variant_on_one_thread_executes_one_thing_at_a_time_with_its_defaults() {
        for spec in crate::catalog::all() {
            for variant in spec.variants {
                if variant.placement != crate::scenario::Placement::Main {
                    continue;
                }
                // run_sim checks the invariant itself; this says which variant was run with defaults.
                let trace = run_sim(spec.id, &[("variant", variant.id)]);
                assert_eq!(trace.one_thing_at_a_time(), Ok(()));
            }
        }
    }

    #[test]
    fn in_race_on_one_thread_each_task_executes_in_slices_between_its_awaits() {
        for variant in ["await-race", "await-locked"] {
            let trace = run_sim("race", &[("variant", variant), ("increments", "5")]);
            for task in ["task 1", "task 2", "task 3", "task 4"] {
                let spans: Vec<_> = trace
                    .lane("main")
                    .into_iter()
                    .filter(|s| s.task == task)
                    .collect();
                let cpu = spans.iter().filter(|s| s.kind == SpanKind::Cpu).count();
                let waits = spans.iter().filter(|s| s.kind == SpanKind::Wait).count();
                assert!(
                    cpu >= 6 && waits >= 5,
                    "{variant} {task}: {cpu} slices, {waits} waits"
                );
                assert!(spans
                    .iter()
                    .any(|s| s.kind == SpanKind::Wait && s.label.contains("await")));
            }
            let queued = trace
                .spans
                .iter()
                .filter(|s| s.label == "waiting for the lock")
                .count();
            if variant == "await-locked" {
                assert!(
                    queued > 0,
                    "tasks queued for the lock wait for it, labelled so"
                );
            } else {
                assert_eq!(queued, 0);
            }
        }
    }

    #[test]
    fn moment_halfway_through_async_count_has_every_task_waiting_and_only_ones_printed() {
        let trace = run_sim("count", &[("variant", "async")]);
        let moment = trace.moment(500.0);
        assert_eq!(moment.active.len(), 3);
        assert!(moment.active.iter().all(|s| s.kind == SpanKind::Wait));
        let printed: Vec<&str> = moment.printed.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(printed, ["One", "One", "One"]);
        assert!(moment.beats > 0, "the event loop was free to beat");
        assert!(moment.since_beat_ms <= trace.heartbeat.interval_ms);
    }

    #[test]
    fn moment_during_sync_count_has_one_blocked_task_and_a_growing_gap_since_the_last_beat() {
        let trace = run_sim("count", &[("variant", "sync")]);
        let moment = trace.moment(1500.0);
        assert_eq!(moment.active.len(), 1);
        assert_eq!(moment.active[0].task, "task 2");
        assert_eq!(moment.active[0].kind, SpanKind::Blocked);
        let printed: Vec<&str> = moment.printed.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(printed, ["One", "Two", "One"]);
        assert_eq!(moment.beats, 0);
        assert_eq!(moment.since_beat_ms, 1500.0);
    }

    #[test]
    fn moment_is_clamped_to_the_run_and_has_everything_printed_at_the_end() {
        let trace = run_sim("count", &[("variant", "async")]);
        assert_eq!(trace.moment(-5.0).t_ms, 0.0);
        let end = trace.moment(1e9);
        assert_eq!(end.t_ms, trace.total_ms);
        assert_eq!(end.printed.len(), trace.output.len());
        assert!(
            end.active.is_empty(),
            "every span has ended when the run ends"
        );
    }
}
