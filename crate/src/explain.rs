//! Why a run went as it did, in the run's own figures: the sentences a wrong prediction is answered with
//! ([`Why`], in the trace's `why`). They are computed from the trace alone (its spans, heartbeat and result), by one definition
//! for every scenario, for the browser's Python and for a recorded trace, so the page never states a
//! reason its chart does not show.
//!
//! The lane the event loop runs on is `main` (or `python` for the browser's Python). The other lanes that
//! execute are threads (the pool's, or a process's); the `gil` lane is who holds the lock, not a thread.

use std::collections::{BTreeMap, BTreeSet};

use crate::gil::{self, GIL_LANE};
use crate::trace::{Span, SpanKind, Trace, Why, MAIN_LANE, PYTHON_LANE};

/// What the sentences call the browser's Python's one thread.
const PYTHON_THREAD: &str = "the interpreter's thread";
/// From how many task steps a Python run is "many short steps" ([`Facts::steps_part`]) ...
const MANY_STEPS: usize = 500;
/// ... when a step takes at most this long on average, from one to the next (µs).
const SHORT_STEP_US: f64 = 200.0;

/// The sentences for `trace` (its `why` field).
pub fn why(trace: &Trace) -> Why {
    let facts = Facts::of(trace);
    Why {
        time: facts.time(trace),
        health: capitalised(&facts.health(trace)),
    }
}

/// A duration as the page writes it: seconds with two decimals from 1 s, whole ms below (one decimal
/// under 10 ms), like the page's `formatMs`.
fn ms(value: f64) -> String {
    if value >= 1000.0 {
        format!("{:.2} s", value / 1000.0)
    } else if value < 10.0 {
        format!("{value:.1} ms")
    } else {
        format!("{value:.0} ms")
    }
}

fn length(span: &Span) -> f64 {
    (span.end_ms - span.start_ms).max(0.0)
}

fn executes(span: &Span) -> bool {
    matches!(span.kind, SpanKind::Cpu | SpanKind::Blocked)
}

/// What the tasks are called, from their names: `page 3` and `page 4` are "pages"; names of no such
/// shape are "tasks".
fn noun(tasks: &BTreeSet<&str>) -> (String, String) {
    let stems: BTreeSet<&str> = tasks
        .iter()
        .filter_map(|name| {
            let (stem, number) = name.rsplit_once(' ')?;
            number.parse::<u32>().ok().map(|_| stem)
        })
        .collect();
    match (stems.len(), stems.iter().next()) {
        (1, Some(stem)) if stems.len() == 1 && tasks.len() > 1 => {
            let plural = if stem.ends_with('s') {
                format!("{stem}es")
            } else {
                format!("{stem}s")
            };
            (stem.to_string(), plural)
        }
        _ => ("task".into(), "tasks".into()),
    }
}

/// A label with its numbers written `N`, so that "handle item 3" and "handle item 4" are one kind of wait.
fn unnumbered(label: &str) -> String {
    label
        .split(' ')
        .map(|word| {
            if !word.is_empty() && word.chars().all(|c| c.is_ascii_digit()) {
                "N"
            } else {
                word
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A span in words: its task's step, with its label unless it is the browser's Python's generic
/// "running" (`page 3’s “parse”`, or `main program`).
fn step_of(span: &Span) -> String {
    if span.label == "running" {
        span.task.clone()
    } else {
        format!("{}\u{2019}s \u{201c}{}\u{201d}", span.task, span.label)
    }
}

/// The distinct labels of `spans`, in order, quoted and joined ("“a”", "“a” then “b”", "“a”, “b” then
/// “c”"), so that a sentence about several waits of one task does not give one of them all the time.
fn labels_of<'s>(spans: impl IntoIterator<Item = &'s Span>) -> String {
    let mut labels: Vec<&str> = Vec::new();
    for span in spans {
        if !labels.contains(&span.label.as_str()) {
            labels.push(&span.label);
        }
    }
    let quoted: Vec<String> = labels
        .iter()
        .map(|label| format!("\u{201c}{label}\u{201d}"))
        .collect();
    match quoted.as_slice() {
        [rest @ .., last] if !rest.is_empty() => format!("{} then {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// `count` things, singular or plural.
fn count(n: usize, (one, many): &(String, String)) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The union of intervals, as total length.
fn union_ms(mut intervals: Vec<(f64, f64)>) -> f64 {
    intervals.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut total = 0.0;
    let mut current: Option<(f64, f64)> = None;
    for (start, end) in intervals {
        match current {
            Some((s, e)) if start <= e => current = Some((s, e.max(end))),
            Some((s, e)) => {
                total += e - s;
                current = Some((start, end));
            }
            None => current = Some((start, end)),
        }
    }
    total + current.map_or(0.0, |(s, e)| e - s)
}

/// The most intervals open at one instant (half-open intervals: one ending where another starts do not
/// overlap).
fn most_at_once(intervals: &[(f64, f64)]) -> usize {
    let mut edges: Vec<(f64, i32)> = intervals
        .iter()
        .filter(|(s, e)| e > s)
        .flat_map(|&(s, e)| [(s, 1), (e, -1)])
        .collect();
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut open, mut most) = (0i32, 0i32);
    for (_, step) in edges {
        open += step;
        most = most.max(open);
    }
    most as usize
}

/// What the browser's Python calls the program's own code outside any task (`juggle_trace.py`).
const MAIN_PROGRAM: &str = "main program";
/// A wait that ends this soon (ms) after a task that began during it ends is a wait for that task.
const AWAITED_WITHIN_MS: f64 = 1.0;
/// The coroutines `asyncio.run` starts tasks of for itself once the program's main coroutine is done
/// (CPython's Runner): the machinery's, as the tracer names them (`BaseEventLoop.shutdown_asyncgens
/// (Task-9)`).
const RUNNER_TASKS: [&str; 2] = [
    "BaseEventLoop.shutdown_asyncgens",
    "BaseEventLoop.shutdown_default_executor",
];
/// How a wait label says the task waits for other tasks (`juggle_trace.py`'s `wait_label`).
const WAITS_FOR_TASKS: [&str; 3] = ["asyncio.gather", "asyncio.wait:", "waiting for a task"];

/// In a Python run, the tasks on the loop's lane that are the program's machinery rather than its work,
/// which a learner does not count among "the tasks": the `main program` (the top-level code that calls
/// `asyncio.run`), the tasks `asyncio.run` starts for itself ([`RUNNER_TASKS`]) and every task that mostly waited for other tasks (gather's parent, a task awaiting
/// tasks). A wait is for other tasks when its label says so or, in a record whose waits are all labelled
/// "await", when it ends as a task that began during it ends (the awaited task's end wakes it; a timer or
/// a queue wakes a task before its waker's step ends, not after).
fn machinery<'s>(on_loop: &[&'s Span]) -> BTreeSet<&'s str> {
    let mut life: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for span in on_loop {
        let entry = life
            .entry(span.task.as_str())
            .or_insert((span.start_ms, span.end_ms));
        entry.0 = entry.0.min(span.start_ms);
        entry.1 = entry.1.max(span.end_ms);
    }
    let mut waited: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for wait in on_loop
        .iter()
        .filter(|s| s.kind == SpanKind::Wait && length(s) > 0.0)
    {
        let for_tasks = WAITS_FOR_TASKS.iter().any(|w| wait.label.starts_with(w))
            || life.iter().any(|(task, &(start, end))| {
                *task != wait.task.as_str()
                    && *task != MAIN_PROGRAM
                    && start >= wait.start_ms
                    && end <= wait.end_ms
                    && wait.end_ms - end <= AWAITED_WITHIN_MS
            });
        let entry = waited.entry(wait.task.as_str()).or_default();
        entry.0 += length(wait);
        if for_tasks {
            entry.1 += length(wait);
        }
    }
    let mut machinery: BTreeSet<&str> = waited
        .into_iter()
        .filter(|(_, (all, for_tasks))| *for_tasks >= 0.5 * all)
        .map(|(task, _)| task)
        .collect();
    for task in life.keys() {
        if *task == MAIN_PROGRAM || RUNNER_TASKS.iter().any(|r| task.starts_with(r)) {
            machinery.insert(task);
        }
    }
    machinery
}

/// The figures the sentences are made of.
struct Facts<'a> {
    /// Whether the run is the browser's Python's (its loop on the `python` lane).
    python: bool,
    /// What to call the event loop's thread.
    thread: &'static str,
    /// Spans on the loop's lane, in start order.
    on_loop: Vec<&'a Span>,
    /// Executing spans on the other threads' lanes, by lane.
    threads: BTreeMap<&'a str, Vec<&'a Span>>,
    /// Spans on the GIL's lane.
    gil: Vec<&'a Span>,
    /// How the GIL changed hands, when anything held it.
    gil_summary: Option<gil::GilSummary>,
    /// The tasks on the loop's lane a learner does not count as the program's (see [`machinery`]).
    machinery: BTreeSet<&'a str>,
}

/// The browser's Python's threads and its GIL: who took turns, how the GIL changed hands and why
/// ([`gil::summarize`], the figures' one definition), and what that means for their CPU work.
fn python_gil_part(summary: &gil::GilSummary, work_ms: f64) -> String {
    let mut causes = Vec::new();
    if summary.switch_interval > 0 {
        causes.push(format!(
            "{} at the switch interval (another thread was ready)",
            summary.switch_interval
        ));
    }
    let blocking: u32 = summary.blocking.values().sum();
    if blocking > 0 {
        let calls: Vec<String> = summary
            .blocking
            .iter()
            .map(|(call, n)| {
                if *n == 1 {
                    call.clone()
                } else {
                    format!("{call} ×{n}")
                }
            })
            .collect();
        let calls_word = if blocking == 1 {
            "a blocking call"
        } else {
            "blocking calls"
        };
        causes.push(format!("{blocking} in {calls_word} ({})", calls.join(", ")));
    }
    if summary.thread_end > 0 {
        causes.push(format!("{} at a thread's end", summary.thread_end));
    }
    if summary.interrupt > 0 {
        causes.push(format!("{} for KeyboardInterrupt", summary.interrupt));
    }
    let hands = if summary.hand_offs == 1 {
        "once"
    } else {
        "times"
    };
    let count = if summary.hand_offs == 1 {
        String::new()
    } else {
        format!("{} ", summary.hand_offs)
    };
    format!(
        "{} threads took turns holding the GIL, which changed hands {count}{hands}: {}; a thread executes \
         Python only while it holds the GIL, so their {} of CPU work ran one at a time, and threads \
         ready to go on waited {} for it in all",
        summary.threads,
        causes.join(", "),
        ms(work_ms),
        ms(summary.wait_ms)
    )
}

impl<'a> Facts<'a> {
    fn of(trace: &'a Trace) -> Self {
        let python =
            trace.env.python.is_some() || trace.spans.iter().any(|s| s.lane == PYTHON_LANE);
        let python_threads = python && trace.spans.iter().any(|s| s.lane == GIL_LANE);
        let (loop_lane, thread) = if python_threads {
            // The program started threads: the interpreter's own thread is their main thread.
            (PYTHON_LANE, "the main thread")
        } else if python {
            (PYTHON_LANE, PYTHON_THREAD)
        } else {
            (MAIN_LANE, "the main thread")
        };
        let mut threads: BTreeMap<&str, Vec<&Span>> = BTreeMap::new();
        for span in trace.spans.iter().filter(|s| executes(s)) {
            if span.lane != loop_lane && span.lane != GIL_LANE {
                threads.entry(span.lane.as_str()).or_default().push(span);
            }
        }
        let mut on_loop: Vec<&Span> = trace.spans.iter().filter(|s| s.lane == loop_lane).collect();
        on_loop.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
        let gil = trace.spans.iter().filter(|s| s.lane == GIL_LANE).collect();
        let machinery = if python {
            machinery(&on_loop)
        } else {
            BTreeSet::new()
        };
        Facts {
            python,
            thread,
            on_loop,
            threads,
            gil,
            gil_summary: gil::summarize(&trace.spans),
            machinery,
        }
    }

    /// The tasks of `spans` a learner counts: all but the [`machinery`], unless that leaves none.
    fn counted<'s>(&self, spans: impl IntoIterator<Item = &'s Span>) -> BTreeSet<&'s str>
    where
        'a: 's,
    {
        let all: BTreeSet<&str> = spans.into_iter().map(|s| s.task.as_str()).collect();
        let program: BTreeSet<&str> = all
            .iter()
            .copied()
            .filter(|task| !self.machinery.contains(task))
            .collect();
        if program.is_empty() {
            all
        } else {
            program
        }
    }

    fn time(&self, trace: &Trace) -> String {
        let total = trace.total_ms;
        let mut parts = Vec::new();
        let sum = |kind: SpanKind| -> (f64, BTreeSet<&str>, Vec<&Span>) {
            let spans: Vec<&Span> = self
                .on_loop
                .iter()
                .copied()
                .filter(|s| s.kind == kind)
                .collect();
            let tasks = self.counted(spans.iter().copied());
            (spans.iter().map(|s| length(s)).sum(), tasks, spans)
        };
        let (blocked_ms, blocked_tasks, blocked) = sum(SpanKind::Blocked);
        if blocked_ms > 0.0 && blocked_ms >= 0.2 * total {
            if self.python && !self.gil.is_empty() {
                let by = labels_of(blocked.iter().copied());
                parts.push(format!(
                    "{} waited for {} of the {} in {by}, having released the GIL to the other threads",
                    self.thread,
                    ms(blocked_ms),
                    ms(total)
                ));
            } else if blocked_tasks.len() == 1 {
                // Every label the task's blocking waits had, in their order (a pool's start-up, then
                // its results).
                let by = labels_of(blocked.iter().copied());
                parts.push(format!(
                    "{} was held for {} of the {} by {by}, with nothing else able to run on it",
                    self.thread,
                    ms(blocked_ms),
                    ms(total)
                ));
            } else {
                let names = noun(&blocked_tasks);
                parts.push(format!(
                    "{} was held by blocking waits for {} of the {}: the {} waited one after another, \
                     since a blocking wait keeps the thread",
                    self.thread,
                    ms(blocked_ms),
                    ms(total),
                    count(blocked_tasks.len(), &names)
                ));
            }
        }
        let (cpu_ms, cpu_tasks, _) = sum(SpanKind::Cpu);
        if cpu_ms > 0.0 && cpu_ms >= 0.2 * total {
            let names = noun(&cpu_tasks);
            parts.push(if cpu_tasks.len() > 1 {
                format!(
                    "{} executed for {} of the {}: the {}' work ran on it one piece at a time, since \
                     one thread runs one thing at a time",
                    self.thread,
                    ms(cpu_ms),
                    ms(total),
                    count(cpu_tasks.len(), &names)
                )
            } else {
                format!(
                    "{} executed for {} of the {}",
                    self.thread,
                    ms(cpu_ms),
                    ms(total)
                )
            });
        }
        if let Some(part) = self.threads_part() {
            parts.push(part);
        }
        if let Some(part) = self.waits_part() {
            parts.push(part);
        }
        let ready_ms: f64 = self
            .on_loop
            .iter()
            // The main thread waiting for the GIL is counted with the threads' GIL waits, not here.
            .filter(|s| s.kind == SpanKind::Ready && s.label != gil::GIL_WAIT_LABEL)
            .map(|s| length(s))
            .sum();
        if ready_ms >= 0.1 * total && ready_ms > 0.0 {
            parts.push(format!(
                "tasks spent {} in all ready to go on but waiting for the loop to get to them",
                ms(ready_ms)
            ));
        }
        let startups: Vec<&Span> = trace
            .spans
            .iter()
            .filter(|s| s.kind == SpanKind::Startup)
            .collect();
        // Start-ups side by side (processes of a pool) count once: the time the run spent starting up.
        let startup_ms = union_ms(startups.iter().map(|s| (s.start_ms, s.end_ms)).collect());
        if startup_ms >= 0.05 * total && startup_ms > 0.0 {
            let lanes: BTreeSet<&str> = startups.iter().map(|s| s.lane.as_str()).collect();
            let at_once = most_at_once(
                &startups
                    .iter()
                    .map(|s| (s.start_ms, s.end_ms))
                    .collect::<Vec<_>>(),
            );
            parts.push(if lanes.len() > 1 && at_once > 1 {
                format!(
                    "starting up took {} of it ({} start-ups, up to {at_once} side by side)",
                    ms(startup_ms),
                    lanes.len()
                )
            } else if lanes.len() > 1 {
                format!(
                    "starting up took {} of it ({} start-ups one after another)",
                    ms(startup_ms),
                    lanes.len()
                )
            } else {
                format!("starting up took {} of it", ms(startup_ms))
            });
        }
        if let Some(part) = speedup_part(trace) {
            parts.push(part);
        }
        if let Some(part) = self.steps_part(trace) {
            parts.push(part);
        }
        if parts.is_empty() {
            return format!(
                "the run took {}; {} was mostly free.",
                ms(total),
                self.thread
            );
        }
        sentence(parts)
    }

    /// For the browser's Python, when the run was many short task steps (each `await` that yields ends
    /// one): how long a step took from one to the next. Each is a turn of CPython's own event loop
    /// (`juggle_loop.py`) run by an interpreter compiled to WebAssembly, which is slower than native
    /// CPython, while the order of the steps stays CPython's (`npm run bench` puts the two side by side).
    fn steps_part(&self, trace: &Trace) -> Option<String> {
        if !self.python {
            return None;
        }
        let steps = self
            .on_loop
            .iter()
            .filter(|s| s.kind == SpanKind::Cpu)
            .count();
        let per_step_us = trace.total_ms * 1000.0 / steps.max(1) as f64;
        if steps < MANY_STEPS || per_step_us > SHORT_STEP_US {
            return None;
        }
        Some(format!(
            "the interpreter ran {steps} task steps, one every {per_step_us:.0} \u{b5}s on average: in \
             the browser's Python each step is a turn of CPython's own event loop, run by an interpreter \
             compiled to WebAssembly, so the order of the steps is CPython's but each takes longer than \
             in CPython on this computer"
        ))
    }

    /// What the threads other than the loop's executed, and how the busiest one spent its time.
    fn threads_part(&self) -> Option<String> {
        if self.threads.is_empty() {
            return None;
        }
        let spans: Vec<&Span> = self.threads.values().flatten().copied().collect();
        let cpu: Vec<&Span> = spans
            .iter()
            .copied()
            .filter(|s| s.kind == SpanKind::Cpu)
            .collect();
        let work_ms: f64 = cpu.iter().map(|s| length(s)).sum();
        let tasks: BTreeSet<&str> = cpu.iter().map(|s| s.task.as_str()).collect();
        let lanes = self.threads.len();
        let thread_word = if lanes == 1 { "thread" } else { "threads" };
        let who = if self.threads.keys().all(|lane| lane.starts_with("worker")) {
            if lanes == 1 {
                "the pool's thread".to_string()
            } else {
                format!("the pool's {lanes} threads")
            }
        } else if self.threads.keys().all(|lane| lane.starts_with("process")) {
            format!(
                "{lanes} worker process{}",
                if lanes == 1 { "" } else { "es" }
            )
        } else {
            format!("{lanes} other {thread_word}")
        };
        if let (true, Some(summary)) = (self.python, &self.gil_summary) {
            return Some(python_gil_part(summary, work_ms));
        }
        if !self.gil.is_empty() {
            let held = union_ms(self.gil.iter().map(|s| (s.start_ms, s.end_ms)).collect());
            let blocked: Vec<(f64, f64)> = spans
                .iter()
                .filter(|s| s.kind == SpanKind::Blocked)
                .map(|s| (s.start_ms, s.end_ms))
                .collect();
            let mut part = format!(
                "{lanes} {thread_word} took turns holding the GIL, which was held for {} in all, and a \
                 thread executes Python only while holding it, so their {} of CPU work ran one at a time",
                ms(held),
                ms(work_ms)
            );
            if !blocked.is_empty() {
                part.push_str(&format!(
                    "; their blocking waits released it, and up to {} waited at once",
                    most_at_once(&blocked)
                ));
            }
            return Some(part);
        }
        let (busiest_lane, busiest) = self
            .threads
            .iter()
            .max_by(|a, b| {
                let load = |spans: &Vec<&Span>| spans.iter().map(|s| length(s)).sum::<f64>();
                load(a.1).total_cmp(&load(b.1))
            })
            .map(|(lane, spans)| (*lane, spans))?;
        let busiest_cpu: Vec<&Span> = busiest
            .iter()
            .copied()
            .filter(|s| s.kind == SpanKind::Cpu)
            .collect();
        let busiest_tasks: BTreeSet<&str> = busiest_cpu.iter().map(|s| s.task.as_str()).collect();
        let names = noun(&tasks);
        let held_ms: f64 = spans
            .iter()
            .filter(|s| s.kind == SpanKind::Blocked)
            .map(|s| length(s))
            .sum();
        if held_ms > work_ms {
            let blocked: Vec<(f64, f64)> = spans
                .iter()
                .filter(|s| s.kind == SpanKind::Blocked)
                .map(|s| (s.start_ms, s.end_ms))
                .collect();
            let at_once = most_at_once(&blocked);
            return Some(format!(
                "{who} {} held by blocking waits for {}{}, while {} stayed free",
                if lanes == 1 { "was" } else { "were" },
                ms(held_ms),
                if at_once > 1 {
                    format!(" (up to {at_once} at once)")
                } else {
                    String::new()
                },
                self.thread
            ));
        }
        let mut part = format!("{who} executed {} of work", ms(work_ms));
        if tasks.len() > 1 && lanes == 1 {
            part.push_str(&format!(
                ", {} one after another",
                count(tasks.len(), &names)
            ));
        } else if tasks.len() > lanes {
            part.push_str(&format!(
                ", {} on {lanes} {thread_word}: the busiest ({busiest_lane}) ran {} of them one after \
                 another, for {}",
                count(tasks.len(), &names),
                busiest_tasks.len(),
                ms(busiest_cpu.iter().map(|s| length(s)).sum())
            ));
        } else if tasks.len() > 1 {
            let work: Vec<(f64, f64)> = cpu.iter().map(|s| (s.start_ms, s.end_ms)).collect();
            part.push_str(&if most_at_once(&work) > 1 {
                format!(", the {} side by side", count(tasks.len(), &names))
            } else {
                format!(
                    ", the {} one after another, never two at the same moment",
                    count(tasks.len(), &names)
                )
            });
        }
        let blocked = spans.iter().filter(|s| s.kind == SpanKind::Blocked).count();
        if blocked > 0 {
            part.push_str(&format!(
                "; a thread was held waiting (blocked) {blocked} time{}, for {} in all",
                if blocked == 1 { "" } else { "s" },
                ms(held_ms)
            ));
        }
        Some(part)
    }

    /// How the loop lane's waits overlapped, for the kind of wait that took the most time.
    fn waits_part(&self) -> Option<String> {
        let mut by_label: BTreeMap<String, Vec<&Span>> = BTreeMap::new();
        let waits: Vec<&Span> = self
            .on_loop
            .iter()
            .copied()
            // A wait of no length counts too: `await asyncio.sleep(0)` gave the loop a turn, and a learner
            // counts it among the program's awaits.
            .filter(|s| s.kind == SpanKind::Wait)
            .collect();
        // Only the program's tasks' waits: gather's parent awaiting its tasks is not a wait of the lesson.
        for span in waits
            .into_iter()
            .filter(|s| !self.machinery.contains(s.task.as_str()))
        {
            by_label
                .entry(unnumbered(&span.label))
                .or_default()
                .push(span);
        }
        let intervals = |spans: &Vec<&Span>| -> Vec<(f64, f64)> {
            spans.iter().map(|s| (s.start_ms, s.end_ms)).collect()
        };
        let (label, waits) = by_label
            .iter()
            .max_by(|a, b| union_ms(intervals(a.1)).total_cmp(&union_ms(intervals(b.1))))?;
        let tasks: BTreeSet<&str> = waits.iter().map(|s| s.task.as_str()).collect();
        let names = noun(&tasks);
        let longest = waits.iter().map(|s| length(s)).fold(0.0, f64::max);
        let spread = union_ms(intervals(waits));
        let at_once = most_at_once(&intervals(waits));
        let what = format!("\u{201c}{label}\u{201d}");
        Some(if waits.len() == 1 {
            format!(
                "{} awaited {what} for {}, the thread free for others meanwhile",
                waits[0].task,
                ms(longest)
            )
        } else if at_once > 1 {
            format!(
                "up to {} were in {what} at the same moment, so their {} waits (the longest {}) \
                 overlapped into {} of the run",
                count(at_once, &names),
                waits.len(),
                ms(longest),
                ms(spread)
            )
        } else {
            format!(
                "the {} waits in {what} came one after another ({} in all, the longest {})",
                waits.len(),
                ms(spread),
                ms(longest)
            )
        })
    }

    fn health(&self, trace: &Trace) -> String {
        let heartbeat = &trace.heartbeat;
        let longest = heartbeat
            .frozen_gaps
            .iter()
            .max_by(|a, b| (a.to_ms - a.from_ms).total_cmp(&(b.to_ms - b.from_ms)));
        let Some(gap) = longest.filter(|_| heartbeat.frozen) else {
            let step = self.longest_step();
            let mut text = format!(
                "its longest gap was {}, short of the {} that count as frozen",
                ms(heartbeat.max_gap_ms),
                ms(heartbeat.frozen_threshold_ms)
            );
            if step > 0.0 {
                text.push_str(&format!(
                    ": the longest step {} executed at a time was {}, and the check's timer ran between \
                     steps ({} beats)",
                    self.thread,
                    ms(step),
                    heartbeat.samples.len()
                ));
            } else {
                text.push_str(&format!(": {} was free", self.thread));
            }
            if !self.threads.is_empty() && step < 0.2 * trace.total_ms {
                text.push_str(", as the work ran on other threads");
            }
            return format!("{text}.");
        };
        let (from, to) = (gap.from_ms, gap.to_ms);
        let inside: Vec<(&Span, f64)> = self
            .on_loop
            .iter()
            .copied()
            .filter(|s| executes(s))
            .map(|s| (s, (s.end_ms.min(to) - s.start_ms.max(from)).max(0.0)))
            .filter(|(_, overlap)| *overlap > 0.0)
            .collect();
        let covered: f64 = inside.iter().map(|(_, overlap)| overlap).sum();
        let tasks = self.counted(inside.iter().map(|(s, _)| *s));
        let names = noun(&tasks);
        let blocked_tasks = self.counted(
            inside
                .iter()
                .filter(|(s, _)| s.kind == SpanKind::Blocked)
                .map(|(s, _)| *s),
        );
        let many = if heartbeat.frozen_gaps.len() > 1 {
            format!(
                " (the longest of {} such gaps)",
                heartbeat.frozen_gaps.len()
            )
        } else {
            String::new()
        };
        let head = format!(
            "the health check got no turn for {} (from {} to {}){many}",
            ms(to - from),
            ms(from),
            ms(to)
        );
        let Some((biggest, biggest_ms)) = inside
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(s, overlap)| (*s, *overlap))
        else {
            return format!(
                "{head}, yet {} recorded nothing executing then: the browser or the machine kept it \
                 from running (every core busy with other work, or the tab hidden).",
                self.thread
            );
        };
        let blocked_ms: f64 = inside
            .iter()
            .filter(|(s, _)| s.kind == SpanKind::Blocked)
            .map(|(_, overlap)| overlap)
            .sum();
        let share = covered / (to - from).max(f64::EPSILON);
        let body = if blocked_ms >= 0.5 * covered {
            if blocked_tasks.len() > 1 {
                format!(
                    "{} was held by the blocking waits of {} one after another",
                    self.thread,
                    count(blocked_tasks.len(), &noun(&blocked_tasks))
                )
            } else {
                let waits = inside
                    .iter()
                    .filter(|(s, _)| s.kind == SpanKind::Blocked)
                    .map(|(s, _)| *s);
                if waits.clone().any(|s| s.label != biggest.label) {
                    format!(
                        "{} was held by {}\u{2019}s {}",
                        self.thread,
                        biggest.task,
                        labels_of(waits)
                    )
                } else {
                    format!("{} was held by {}", self.thread, step_of(biggest))
                }
            }
        } else if tasks.len() > 1
            && inside
                .iter()
                .filter(|(s, _)| tasks.contains(s.task.as_str()))
                .count()
                <= tasks.len()
        {
            // The browser's Python labels every step "running": then the label says nothing.
            let what = if biggest.label == "running" {
                "step".to_string()
            } else {
                format!("\u{201c}{}\u{201d}", biggest.label)
            };
            format!(
                "{} ran {}, each to the end of its {what} without an await, one after another",
                self.thread,
                count(tasks.len(), &names),
            )
        } else if biggest_ms >= 0.5 * covered {
            format!(
                "{} executed {} for {} without an await, so the loop could not run the check",
                self.thread,
                step_of(biggest),
                ms(biggest_ms)
            )
        } else {
            format!(
                "{} executed {} short slices of {} back to back, with no room between them for a \
                 timer",
                self.thread,
                inside
                    .iter()
                    .filter(|(s, _)| tasks.contains(s.task.as_str()))
                    .count(),
                count(tasks.len(), &names)
            )
        };
        let rest = if share < 0.5 {
            "; for the rest of it nothing was executing there, so the browser or the machine held it up"
        } else {
            ""
        };
        format!(
            "{head}: {body} ({:.0}% of the gap){rest}.",
            (100.0 * share).min(100.0)
        )
    }

    /// The longest single step the loop's lane executed (a span of `cpu` or `blocked`): the event loop
    /// can run a timer only between steps.
    fn longest_step(&self) -> f64 {
        self.on_loop
            .iter()
            .filter(|s| executes(s))
            .map(|s| length(s))
            .fold(0.0, f64::max)
    }
}

/// For a trace whose result measured the same work on several thread counts (`speedup`): the fewest
/// and the most threads' times.
fn speedup_part(trace: &Trace) -> Option<String> {
    let runs = trace.result.get("runs")?.as_array()?;
    let point = |run: &serde_json::Value| -> Option<(u64, f64)> {
        Some((run.get("threads")?.as_u64()?, run.get("ms")?.as_f64()?))
    };
    let first = point(runs.first()?)?;
    let last = point(runs.last()?)?;
    if first.0 == last.0 {
        return None;
    }
    let ratio = first.1 / last.1;
    let efficiency = ratio / (last.0 as f64 / first.0 as f64);
    Some(format!(
        "the same work took {} on {} thread{} and {} on {}: {:.2}\u{00d7}, {:.0}% of what {} threads \
         could give (the rest went to splitting the work, waiting and whatever else the machine was doing)",
        ms(first.1),
        first.0,
        if first.0 == 1 { "" } else { "s" },
        ms(last.1),
        last.0,
        ratio,
        100.0 * efficiency,
        last.0
    ))
}

/// Parts joined into one sentence.
fn sentence(parts: Vec<String>) -> String {
    capitalised(&format!("{}.", parts.join("; ")))
}

/// `text` with its first letter capitalised if it is an ASCII letter (the sentences' own words are
/// English; a sentence that begins with a name, such as a Lab program's task, keeps the name as written).
/// ASCII only, too, because Unicode's case tables would add about 2 KB gzip to the page's core (issue #19).
fn capitalised(text: &str) -> String {
    let mut text = text.to_string();
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{run_native_pool, run_sim};

    /// Whether `text` says `words`, whatever the case of its first letter.
    fn says(text: &str, words: &str) -> bool {
        text.to_lowercase().contains(&words.to_lowercase())
    }

    #[test]
    fn blocking_sleeps_are_explained_as_held_one_after_another() {
        let trace = run_sim("count", &[("variant", "sync")]);
        assert!(
            says(&trace.why.time,
                "The main thread was held by blocking waits for 3.00 s of the 3.00 s: the 3 tasks waited one after another"
            ),
            "{}",
            trace.why.time
        );
        assert!(
            says(&trace.why.health, "the health check got no turn for"),
            "{}",
            trace.why.health
        );
        assert!(
            says(&trace.why.health, "blocking waits of 3 tasks"),
            "{}",
            trace.why.health
        );
    }

    #[test]
    fn every_await_counts_among_the_waits_even_one_of_no_length() {
        // `await asyncio.sleep(0)` four times, one after another: the task is ready again at once, so
        // three of its waits last no time at all; a learner still counts four awaits.
        let mut spans = Vec::new();
        for i in 0..4 {
            let t = f64::from(i) * 10.0;
            let wait_end = if i == 0 { t + 2.0 } else { t + 1.0 };
            spans.push(serde_json::json!({"task": "worker", "kind": "cpu", "label": "running", "start_ms": t, "end_ms": t + 1.0}));
            spans.push(serde_json::json!({"task": "worker", "kind": "wait", "label": "asyncio.sleep(0)", "start_ms": t + 1.0, "end_ms": wait_end}));
        }
        let record: crate::PythonRecord = serde_json::from_value(serde_json::json!({
            "scenario": "lab", "variant": "program", "python": "3.14.2", "started_at_ms": 1.0e12,
            "total_ms": 40.0, "interval_ms": 10.0, "load_ms": 0.0, "isolated": true,
            "spans": spans, "output": [], "beats": [], "error": null
        }))
        .unwrap();
        let trace = crate::python_trace(record).unwrap();
        assert!(
            says(
                &trace.why.time,
                "the 4 waits in \u{201c}asyncio.sleep(0)\u{201d}"
            ),
            "{}",
            trace.why.time
        );
    }

    #[test]
    fn awaited_sleeps_are_explained_as_overlapping() {
        let trace = run_sim("count", &[("variant", "async"), ("tasks", "5")]);
        assert!(
            says(
                &trace.why.time,
                "up to 5 tasks were in \u{201c}await timer\u{201d} at the same moment"
            ),
            "{}",
            trace.why.time
        );
        assert!(
            says(&trace.why.health, "short of the"),
            "{}",
            trace.why.health
        );
    }

    #[test]
    fn a_busy_loop_is_named_with_its_task_and_its_length() {
        let trace = run_sim("cpu-in-async", &[("variant", "async")]);
        assert!(
            says(
                &trace.why.time,
                "the 10 pages' work ran on it one piece at a time"
            ),
            "{}",
            trace.why.time
        );
        assert!(
            says(&trace.why.health, "without an await"),
            "{}",
            trace.why.health
        );
    }

    #[test]
    fn microtask_slices_are_explained_as_back_to_back_and_macrotask_ones_as_breaks() {
        let micro = run_sim("cpu-in-async", &[("variant", "yield-micro")]);
        assert!(
            says(&micro.why.health, "short slices of 10 pages back to back"),
            "{}",
            micro.why.health
        );
        let macro_ = run_sim("cpu-in-async", &[("variant", "yield-macro")]);
        assert!(
            says(&macro_.why.health, "the check's timer ran between steps"),
            "{}",
            macro_.why.health
        );
    }

    #[test]
    fn pool_work_says_how_many_threads_and_how_the_busiest_spent_its_time() {
        let trace = run_native_pool("cpu-in-async", &[("variant", "offload")]);
        // Which of the pool's threads got how many pages depends on how the machine scheduled them (on a
        // busy one, one thread may take them all): the sentence names what the trace shows.
        let lanes: BTreeSet<&str> = trace
            .spans
            .iter()
            .filter(|s| s.lane != MAIN_LANE && s.kind == SpanKind::Cpu)
            .map(|s| s.lane.as_str())
            .collect();
        if lanes.len() == 1 {
            assert!(
                says(&trace.why.time, "the pool's thread executed"),
                "{}",
                trace.why.time
            );
            assert!(
                says(&trace.why.time, "10 pages one after another"),
                "{}",
                trace.why.time
            );
            return;
        }
        assert!(
            says(&trace.why.time, "the pool's 2 threads executed"),
            "{}",
            trace.why.time
        );
        assert!(
            says(&trace.why.time, "10 pages on 2 threads: the busiest"),
            "{}",
            trace.why.time
        );
        let busiest = trace.why.time.split("the busiest (").nth(1).unwrap();
        let lane = busiest.split(')').next().unwrap();
        let ran = trace
            .spans
            .iter()
            .filter(|s| s.lane == lane && s.kind == SpanKind::Cpu)
            .count();
        assert!(
            says(
                &trace.why.time,
                &format!("ran {ran} of them one after another")
            ),
            "{}",
            trace.why.time
        );
    }

    #[test]
    fn a_concurrency_limit_shows_as_the_most_waits_at_once() {
        let trace = run_sim("io-bound", &[("variant", "limited")]);
        let limit = trace.params["limit"];
        assert!(
            says(
                &trace.why.time,
                &format!("up to {limit} requests were in \u{201c}network (simulated)\u{201d}")
            ),
            "{}",
            trace.why.time
        );
    }

    #[test]
    fn the_gil_is_named_when_threads_take_turns() {
        let trace = run_native_pool("threads", &[("variant", "cpu-gil")]);
        assert!(
            says(&trace.why.time, "took turns holding the GIL"),
            "{}",
            trace.why.time
        );
    }

    #[test]
    fn every_variant_has_both_sentences_and_no_unknown_figure() {
        for (scenario, variant, trace) in crate::testing::run_every_variant() {
            for text in [&trace.why.time, &trace.why.health] {
                assert!(!text.is_empty(), "{scenario}/{variant}");
                assert!(
                    !text.contains("NaN") && !text.contains("inf"),
                    "{scenario}/{variant}: {text}"
                );
            }
        }
    }

    #[test]
    fn a_freeze_with_nothing_executing_is_put_down_to_the_machine() {
        let mut trace = run_sim("count", &[("variant", "async")]);
        // As on a loaded machine: the beats stop for 400 ms while every task is only awaiting.
        trace
            .heartbeat
            .samples
            .retain(|beat| !(300.0..700.0).contains(&beat.ran_ms));
        let trace = crate::heartbeat::rejudge(trace);
        assert!(trace.heartbeat.frozen);
        assert!(
            says(
                &trace.why.health,
                "recorded nothing executing then: the browser or the machine"
            ),
            "{}",
            trace.why.health
        );
    }

    #[test]
    fn a_task_held_by_waits_of_several_kinds_names_each_of_them() {
        let mut trace = run_sim("count", &[("variant", "sync"), ("tasks", "2")]);
        let mut labels = [
            "waiting for the pool's processes to start",
            "waiting for the process pool",
        ]
        .into_iter();
        for span in trace
            .spans
            .iter_mut()
            .filter(|s| s.kind == SpanKind::Blocked)
        {
            span.task = "main program".into();
            span.label = labels
                .next()
                .unwrap_or("waiting for the process pool")
                .into();
        }
        let both = "\u{201c}waiting for the pool's processes to start\u{201d} then \u{201c}waiting for the process pool\u{201d}";
        let Why { time, health } = why(&trace);
        assert!(says(&time, &format!("by {both}")), "{time}");
        assert!(
            says(&health, &format!("held by main program\u{2019}s {both}")),
            "{health}"
        );
    }

    #[test]
    fn many_short_python_steps_are_put_down_to_the_browser_s_event_loop() {
        let mut trace = run_sim("race", &[("variant", "await-race")]);
        assert!(
            !says(&why(&trace).time, "task steps"),
            "not for Rust's runs"
        );
        for span in &mut trace.spans {
            if span.lane == MAIN_LANE {
                span.lane = PYTHON_LANE.to_string();
            }
        }
        trace.env.python = Some("3.14.0".into());
        let steps = trace
            .spans
            .iter()
            .filter(|s| s.lane == PYTHON_LANE && s.kind == SpanKind::Cpu)
            .count();
        assert!(steps >= MANY_STEPS, "{steps} steps");
        trace.total_ms = steps as f64 * 0.033; // 33 µs a step, as measured in Chromium
        let time = why(&trace).time;
        assert!(
            says(
                &time,
                &format!("the interpreter ran {steps} task steps, one every 33 \u{b5}s")
            ),
            "{time}"
        );
        trace.total_ms = steps as f64 * 0.5; // long steps: their own work, not the loop's cost
        assert!(!says(&why(&trace).time, "task steps"));
    }

    #[test]
    fn noun_comes_from_numbered_task_names() {
        let tasks: BTreeSet<&str> = ["page 1", "page 2"].into();
        assert_eq!(noun(&tasks).1, "pages");
        let tasks: BTreeSet<&str> = ["A", "B"].into();
        assert_eq!(noun(&tasks).1, "tasks");
        let tasks: BTreeSet<&str> = ["process 1", "process 2"].into();
        assert_eq!(noun(&tasks).1, "processes");
    }

    #[test]
    fn overlap_counts_treat_touching_intervals_as_apart() {
        assert_eq!(most_at_once(&[(0.0, 1.0), (1.0, 2.0)]), 1);
        assert_eq!(most_at_once(&[(0.0, 2.0), (1.0, 3.0), (1.5, 1.6)]), 3);
        assert_eq!(union_ms(vec![(0.0, 2.0), (1.0, 3.0), (5.0, 6.0)]), 4.0);
    }
}
