//! A model of CPython's global interpreter lock (GIL), built from a real lock, for the `threads` scenario.
//!
//! [`Gil`] is a fair lock (waiting threads are served in arrival order) that the pool's threads take to
//! "execute Python": a thread must hold it to do CPU work, hands it over every switch interval when
//! another thread is waiting (CPython: `sys.getswitchinterval()`, 5 ms), and releases it while it waits
//! in a blocking call. [`run_thread`] is one such thread's body; it records its spans on its own lane and
//! each hold of the lock on the `gil` lane. It is a model: real CPython also releases the GIL in C code
//! such as hashing or compression, which this does not show.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

use crate::trace::{Span, SpanKind};

pub use crate::trace::{GIL_LANE, GIL_WAIT_LABEL};

/// In a hold's label as the browser's Python records it, what separates the holder from why it let go:
/// `Thread-1 holds it; then: time.sleep` (`www/python/juggle_gil.py`).
pub const HOLD_CAUSE: &str = "; then: ";

/// Why a hold ended, from its label (`None` for the model's holds, which do not say).
pub fn hold_cause(label: &str) -> Option<&str> {
    label.split_once(HOLD_CAUSE).map(|(_, cause)| cause)
}

/// How the GIL changed hands in a run, counted from its `gil` lane: the one definition the page's
/// sentence and figures use.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GilSummary {
    /// The threads that held it (the main thread among them).
    pub threads: u32,
    /// How many times a thread took it.
    pub holds: u32,
    /// How many times its holder let it go while the program ran (every hold but the one the run's end
    /// closed).
    pub hand_offs: u32,
    /// Let go at the switch interval: another thread was ready (`sys.getswitchinterval()`).
    pub switch_interval: u32,
    /// Let go in a blocking call, by the call (`time.sleep`, `Lock.acquire`, `Thread.join`, ...).
    pub blocking: BTreeMap<String, u32>,
    /// Let go because the holding thread ended.
    pub thread_end: u32,
    /// Let go for Stop's KeyboardInterrupt, which goes to the main thread.
    pub interrupt: u32,
    /// Time threads spent ready but waiting for it, added up (ms).
    pub wait_ms: f64,
}

/// The run's end, as a hold's cause: not a hand-off.
const RUN_END: &str = "the run's end";

/// Counts the GIL's hand-offs in `spans` by their causes; `None` when nothing was recorded on the `gil`
/// lane.
pub fn summarize<'a>(spans: impl IntoIterator<Item = &'a Span>) -> Option<GilSummary> {
    let spans: Vec<&Span> = spans.into_iter().collect();
    let holds: Vec<&Span> = spans
        .iter()
        .copied()
        .filter(|s| s.lane == GIL_LANE)
        .collect();
    if holds.is_empty() {
        return None;
    }
    let mut summary = GilSummary {
        threads: holds
            .iter()
            .map(|s| s.task.as_str())
            .collect::<BTreeSet<_>>()
            .len() as u32,
        holds: holds.len() as u32,
        ..GilSummary::default()
    };
    for hold in &holds {
        let cause = hold_cause(&hold.label).unwrap_or("");
        match cause {
            RUN_END => continue,
            "switch interval" => summary.switch_interval += 1,
            "thread end" => summary.thread_end += 1,
            "KeyboardInterrupt" => summary.interrupt += 1,
            "" => {}
            call => *summary.blocking.entry(call.to_string()).or_default() += 1,
        }
        summary.hand_offs += 1;
    }
    summary.wait_ms = spans
        .iter()
        .filter(|s| s.lane != GIL_LANE && s.kind == SpanKind::Ready && s.label == GIL_WAIT_LABEL)
        .map(|s| (s.end_ms - s.start_ms).max(0.0))
        .sum();
    Some(summary)
}

/// What each task of a thread does (`{"cpu": {"ms": 100}}` on the wire, as [`crate::PoolJob`]).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThreadWork {
    /// `ms` of CPU work ("Python bytecode"), which needs the GIL (when there is one).
    Cpu {
        /// CPU time per task.
        ms: f64,
    },
    /// A blocking wait of `ms` (simulated I/O, such as `time.sleep` or a socket read), during which the GIL
    /// is released, then `handle_ms` of CPU under the GIL.
    Wait {
        /// The blocking wait per task.
        ms: f64,
        /// CPU after the wait, to handle its answer.
        handle_ms: f64,
    },
}

#[derive(Default)]
struct State {
    holder: Option<usize>,
    queue: VecDeque<usize>,
    /// When the last holder released it, on its clock.
    released_ms: f64,
}

/// A fair lock standing for the GIL: taken in arrival order, so that a thread handing it over goes to
/// the back of the queue.
#[derive(Default)]
pub struct Gil {
    state: Mutex<State>,
    turn: Condvar,
}

impl Gil {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Takes the GIL for thread `me`, blocking behind the threads that asked before. Returns when the
    /// previous holder released it (on that holder's clock: threads' clocks may differ by a rounding, and a
    /// hold is drawn from no earlier than that).
    pub fn acquire(&self, me: usize) -> f64 {
        let mut state = self.lock();
        if state.holder.is_none() && state.queue.is_empty() {
            state.holder = Some(me);
            return state.released_ms;
        }
        state.queue.push_back(me);
        while !(state.holder.is_none() && state.queue.front() == Some(&me)) {
            state = self
                .turn
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        state.queue.pop_front();
        state.holder = Some(me);
        state.released_ms
    }

    /// Releases the GIL at `at_ms` (the holder's clock).
    pub fn release(&self, at_ms: f64) {
        {
            let mut state = self.lock();
            state.holder = None;
            state.released_ms = at_ms;
        }
        self.turn.notify_all();
    }

    /// Whether a thread is waiting for the GIL.
    pub fn contended(&self) -> bool {
        !self.lock().queue.is_empty()
    }
}

/// Records one thread's spans: on its own lane, and its holds of the GIL on [`GIL_LANE`].
struct Recording<'a> {
    lane: String,
    thread: &'a str,
    spans: Vec<Span>,
}

impl Recording<'_> {
    fn push(&mut self, lane: &str, label: String, kind: SpanKind, start_ms: f64, end_ms: f64) {
        self.spans.push(Span {
            lane: lane.to_string(),
            task: self.thread.to_string(),
            label,
            kind,
            start_ms,
            end_ms,
            simulated: false,
        });
    }
}

/// One thread of the model: its index among the threads (`me`), its name, its pool lane and its tasks
/// (task numbers, from 1).
pub struct Thread<'a> {
    /// Its index among the threads.
    pub me: usize,
    /// Its name, for example `thread 1`.
    pub name: &'a str,
    /// The pool lane it runs on.
    pub lane: String,
    /// Its tasks' numbers.
    pub tasks: &'a [u32],
}

/// Runs `thread`: its tasks each doing `work`, under `gil` with hand-overs every `switch_ms` when there is
/// one, until `stop` says the run was cancelled. Returns its spans.
pub fn run_thread(
    thread: Thread,
    work: ThreadWork,
    gil: Option<(&Gil, f64)>,
    clock: &(dyn Fn() -> f64 + Sync),
    stop: &(dyn Fn() -> bool + Sync),
) -> Vec<Span> {
    let Thread {
        me,
        name,
        lane,
        tasks,
    } = thread;
    let mut rec = Recording {
        lane,
        thread: name,
        spans: Vec::new(),
    };
    for &task in tasks {
        if stop() {
            break;
        }
        match work {
            ThreadWork::Cpu { ms } => compute(&mut rec, me, task, ms, gil, clock, stop),
            ThreadWork::Wait { ms, handle_ms } => {
                let start = clock();
                sleep_until(start + ms, clock, stop);
                let lane = rec.lane.clone();
                let label = if gil.is_some() {
                    format!("task {task}: blocking wait (GIL released)")
                } else {
                    format!("task {task}: blocking wait")
                };
                rec.push(&lane, label, SpanKind::Blocked, start, clock());
                compute(&mut rec, me, task, handle_ms, gil, clock, stop);
            }
        }
    }
    rec.spans
}

/// `ms` of CPU for `task`: in holds of the GIL of at most `switch_ms` while another thread waits, or in one
/// go without a GIL.
fn compute(
    rec: &mut Recording,
    me: usize,
    task: u32,
    ms: f64,
    gil: Option<(&Gil, f64)>,
    clock: &(dyn Fn() -> f64 + Sync),
    stop: &(dyn Fn() -> bool + Sync),
) {
    let lane = rec.lane.clone();
    let Some((gil, switch_ms)) = gil else {
        let start = clock();
        spin_until(start + ms, clock, stop);
        rec.push(&lane, format!("task {task}"), SpanKind::Cpu, start, clock());
        return;
    };
    let mut left = ms;
    while left > 0.0 && !stop() {
        let asked = clock();
        let released = gil.acquire(me);
        let start = clock().max(released);
        if start - asked > 0.001 {
            rec.push(
                &lane,
                "wait for the GIL".into(),
                SpanKind::Wait,
                asked,
                start,
            );
        }
        // Hold it until the task is done, or for a switch interval if another thread is waiting then.
        loop {
            let now = clock();
            if now >= start + left || stop() {
                break;
            }
            if now - start >= switch_ms && gil.contended() {
                break;
            }
            std::hint::spin_loop();
        }
        let end = clock().max(start);
        gil.release(end);
        left -= end - start;
        let label = format!("task {task} (holds the GIL)");
        rec.push(&lane, label, SpanKind::Cpu, start, end);
        let thread = rec.thread.to_string();
        rec.push(
            GIL_LANE,
            format!("{thread} holds it"),
            SpanKind::Cpu,
            start,
            end,
        );
    }
}

/// Sleeps (the thread blocks, using no CPU, as in a blocking read) until `end`, checking `stop` at least
/// every 20 ms. A build of WebAssembly without atomics (a message-passing worker) cannot sleep: there it
/// spins, which holds its worker just the same.
fn sleep_until(end: f64, clock: &(dyn Fn() -> f64 + Sync), stop: &(dyn Fn() -> bool + Sync)) {
    if cfg!(all(target_arch = "wasm32", not(target_feature = "atomics"))) {
        return spin_until(end, clock, stop);
    }
    loop {
        let left = end - clock();
        if left <= 0.0 || stop() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_secs_f64(left.min(20.0) / 1000.0));
    }
}

fn spin_until(end: f64, clock: &(dyn Fn() -> f64 + Sync), stop: &(dyn Fn() -> bool + Sync)) {
    while clock() < end && !stop() {
        std::hint::spin_loop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn clock() -> impl Fn() -> f64 + Sync {
        let origin = Instant::now();
        move || origin.elapsed().as_secs_f64() * 1000.0
    }

    #[test]
    fn two_threads_under_the_gil_take_turns_and_never_hold_it_at_once() {
        let (gil, clock) = (Gil::default(), clock());
        let stop = || false;
        let work = ThreadWork::Cpu { ms: 40.0 };
        let start = std::sync::Barrier::new(2);
        let (a, b) = std::thread::scope(|scope| {
            let a = scope.spawn(|| {
                start.wait();
                let thread = Thread {
                    me: 0,
                    name: "thread 1",
                    lane: "worker-0".into(),
                    tasks: &[1],
                };
                run_thread(thread, work, Some((&gil, 5.0)), &clock, &stop)
            });
            let b = scope.spawn(|| {
                start.wait();
                let thread = Thread {
                    me: 1,
                    name: "thread 2",
                    lane: "worker-1".into(),
                    tasks: &[2],
                };
                run_thread(thread, work, Some((&gil, 5.0)), &clock, &stop)
            });
            (a.join().unwrap(), b.join().unwrap())
        });
        let mut holds: Vec<&Span> = a.iter().chain(&b).filter(|s| s.lane == GIL_LANE).collect();
        holds.sort_by(|x, y| x.start_ms.total_cmp(&y.start_ms));
        assert!(
            holds.windows(2).all(|w| w[0].end_ms <= w[1].start_ms),
            "one holder at a time"
        );
        // (On a busy machine one thread may be descheduled for a while: at least one hand-over.)
        assert!(
            holds.len() >= 2,
            "they handed it over: {} holds",
            holds.len()
        );
        let held: f64 = holds.iter().map(|s| s.end_ms - s.start_ms).sum();
        assert!(
            held >= 79.0,
            "all the CPU work was done under the GIL: {held}"
        );
    }
}
