//! `queue`: a producer and consumers on the main thread's event loop that talk through an async queue
//! (Python: `asyncio.Queue`).
//!
//! The producer makes an item every `produce_ms` and puts it in the queue; each consumer gets an item and
//! needs `consume_ms` (an awaited wait) to handle it. `unbounded` lets a fast producer run ahead of one slow
//! consumer: the queue grows. `bounded` gives the queue `maxsize` places: the producer waits at `put` for
//! room (backpressure). `consumers` drains the same bounded queue with several consumers.
//!
//! The queue is [`AsyncQueue`]: a `VecDeque` with two async-lock semaphores, one counting the items
//! (`get` waits on it) and one counting the free places (`put` waits on it when there is a bound), the
//! classic bounded buffer; `asyncio.Queue` keeps lists of waiting getters and putters to the same effect.

use async_lock::Semaphore;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use crate::prelude::*;

variants! {
    /// How the queue is bounded and drained.
    pub enum Variant {
        /// No bound, one consumer.
        Unbounded => VariantSpec {
            id: "unbounded",
            title: "Unbounded queue",
            summary: "One producer puts into a queue with no size limit; one consumer gets from it \
                      (asyncio.Queue()).",
            placement: Placement::Main,
        },
        /// `maxsize` places, one consumer.
        Bounded => VariantSpec {
            id: "bounded",
            title: "Bounded queue",
            summary: "The queue holds at most `maxsize` items; put waits while it is full; one consumer \
                      (asyncio.Queue(maxsize)).",
            placement: Placement::Main,
        },
        /// `maxsize` places, `consumers` consumers.
        Consumers => VariantSpec {
            id: "consumers",
            title: "Several consumers",
            summary: "The same bounded queue, drained by `consumers` consumers that get from it together.",
            placement: Placement::Main,
        },
    }
}

/// The `queue` scenario's declaration.
pub const SPEC: ScenarioSpec = ScenarioSpec {
    id: "queue",
    title: "Queue: producer and consumers",
    summary: "A producer makes twenty items, one every 10 ms, and puts each in a queue; a consumer takes \
              50 ms to handle one. How long is the queue at its longest, and how long does it all take?",
    variants: Variant::SPECS,
    params: &[
        ParamSpec {
            name: "items",
            label: "Items",
            default: 20,
            min: 1,
            max: 500,
            unit: "",
        },
        ParamSpec {
            name: "produce_ms",
            label: "Time to make an item",
            default: 10,
            min: 0,
            max: 1000,
            unit: "ms",
        },
        ParamSpec {
            name: "consume_ms",
            label: "Time to handle an item",
            default: 50,
            min: 0,
            max: 1000,
            unit: "ms",
        },
        ParamSpec {
            name: "maxsize",
            label: "Queue size (bounded, consumers)",
            default: 3,
            min: 1,
            max: 100,
            unit: "",
        },
        ParamSpec {
            name: "consumers",
            label: "Consumers (consumers)",
            default: 4,
            min: 1,
            max: 16,
            unit: "",
        },
    ],
    run: |ctx| typed(ctx, run),
    cost: |variant, params, threads| cost(Variant::ALL[variant], params, threads),
};

/// The slower side sets the pace: the producer's items in turn, or the consumers' share of the handling.
fn cost(variant: Variant, params: &Params, _threads: u32) -> Cost {
    let items = f64::from(params.get("items"));
    let consumers = f64::from(consumers_of(variant, params));
    let (produce, consume) = (params.ms("produce_ms"), params.ms("consume_ms"));
    Cost {
        ms: items * produce + (items / consumers).ceil() * consume + consume,
        spans: 4.0 * items + consumers,
    }
}

/// How many consumers a variant runs.
fn consumers_of(variant: Variant, params: &Params) -> u32 {
    match variant {
        Variant::Unbounded | Variant::Bounded => 1,
        Variant::Consumers => params.get("consumers"),
    }
}

/// An async FIFO queue for tasks on one thread, optionally bounded, that can be closed.
///
/// `put` waits while a bounded queue is full; `get` waits while it is empty and returns `None` once the
/// queue is closed and drained.
pub struct AsyncQueue<T> {
    items: RefCell<VecDeque<T>>,
    /// One permit per item in the queue (plus one per consumer once closed).
    ready: Semaphore,
    /// One permit per free place; `None` when unbounded.
    room: Option<Semaphore>,
    closed: Cell<bool>,
}

impl<T> AsyncQueue<T> {
    /// A queue with at most `maxsize` items, or no bound for `None`.
    pub fn new(maxsize: Option<usize>) -> Self {
        AsyncQueue {
            items: RefCell::new(VecDeque::new()),
            ready: Semaphore::new(0),
            room: maxsize.map(Semaphore::new),
            closed: Cell::new(false),
        }
    }

    /// Items in the queue now.
    pub fn len(&self) -> usize {
        self.items.borrow().len()
    }

    /// Whether the queue is empty now.
    pub fn is_empty(&self) -> bool {
        self.items.borrow().is_empty()
    }

    /// Whether a `put` now would have to wait for room.
    pub fn is_full(&self) -> bool {
        self.room
            .as_ref()
            .is_some_and(|room| room.try_acquire().is_none())
    }

    /// Puts `item` at the back, waiting for a free place while a bounded queue is full.
    pub async fn put(&self, item: T) {
        if let Some(room) = &self.room {
            room.acquire().await.forget();
        }
        self.items.borrow_mut().push_back(item);
        self.ready.add_permits(1);
    }

    /// Takes the front item, waiting while the queue is empty; `None` once it is closed and empty.
    pub async fn get(&self) -> Option<T> {
        self.ready.acquire().await.forget();
        let item = self.items.borrow_mut().pop_front();
        match item {
            Some(item) => {
                if let Some(room) = &self.room {
                    room.add_permits(1);
                }
                Some(item)
            }
            None => {
                debug_assert!(self.closed.get());
                None
            }
        }
    }

    /// No more items will come: wakes `getters` waiting (or future) `get`s once the queue is drained.
    pub fn close(&self, getters: usize) {
        self.closed.set(true);
        self.ready.add_permits(getters);
    }
}

/// When one item went through the queue, in ms from the run's start.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Serialize, Clone, Copy, Default)]
pub struct ItemTimes {
    /// The item's number, from 1.
    pub item: u32,
    /// When it was in the queue (after any wait for room).
    pub put_ms: f64,
    /// When a consumer took it.
    pub got_ms: f64,
    /// When that consumer had handled it.
    pub done_ms: f64,
    /// Which consumer, from 1.
    pub consumer: u32,
}

/// The queue's length just after it changed.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Serialize, Clone, Copy)]
pub struct Length {
    /// When, in ms from the run's start.
    pub t_ms: f64,
    /// Items in the queue.
    pub length: usize,
}

/// What `queue` reports beside its trace.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
// The core writes `None` as null (serde-wasm-bindgen's JSON-compatible serializer).
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
#[derive(Serialize)]
pub struct QueueResult {
    /// The most items that were in the queue at once.
    pub high_water: usize,
    /// When the queue first reached `high_water`, in ms from the run's start.
    pub high_water_at_ms: f64,
    /// The bound, or `null` for an unbounded queue.
    pub maxsize: Option<u32>,
    /// How many consumers drained it.
    pub consumers: u32,
    /// How long the producer waited at `put` for room, in all.
    pub producer_waited_ms: f64,
    /// How long the consumers waited at `get` for an item, added up.
    pub consumers_waited_ms: f64,
    /// The mean time an item spent in the queue (put to got).
    pub mean_queued_ms: f64,
    /// Each item's times, in item order.
    pub per_item: Vec<ItemTimes>,
    /// The queue's length after every change, in time order.
    pub lengths: Vec<Length>,
}

async fn run(ctx: &RunContext, variant: Variant) -> Result<QueueResult, JuggleError> {
    let items = ctx.params.get("items");
    let (produce_ms, consume_ms) = (ctx.params.ms("produce_ms"), ctx.params.ms("consume_ms"));
    let consumers = consumers_of(variant, &ctx.params);
    let maxsize = match variant {
        Variant::Unbounded => None,
        Variant::Bounded | Variant::Consumers => Some(ctx.params.get("maxsize")),
    };
    let queue = AsyncQueue::new(maxsize.map(|n| n as usize));
    let times = RefCell::new(vec![ItemTimes::default(); items as usize]);
    let lengths = RefCell::new(vec![Length {
        t_ms: 0.0,
        length: 0,
    }]);
    let (producer_waited, consumers_waited) = (Cell::new(0.0), Cell::new(0.0));
    let note_length = |queue: &AsyncQueue<u32>| {
        lengths.borrow_mut().push(Length {
            t_ms: ctx.rec.now(),
            length: queue.len(),
        });
    };

    let producer = async {
        let task = ctx.task("producer");
        for item in 1..=items {
            task.sleep(&format!("make item {item}"), produce_ms).await;
            if queue.is_full() {
                let start = ctx.rec.now();
                task.wait("put: wait for room", queue.put(item)).await;
                producer_waited.set(producer_waited.get() + ctx.rec.now() - start);
            } else {
                queue.put(item).await;
            }
            times.borrow_mut()[item as usize - 1].put_ms = ctx.rec.now();
            note_length(&queue);
        }
        task.print(format!("produced {items} items"));
        queue.close(consumers as usize);
    };
    let consumer = |number: u32| {
        let (queue, times, consumers_waited) = (&queue, &times, &consumers_waited);
        async move {
            let task = ctx.task(format!("consumer {number}"));
            let mut handled = 0;
            loop {
                let item = if queue.is_empty() {
                    let start = ctx.rec.now();
                    let item = task.wait("get: wait for an item", queue.get()).await;
                    consumers_waited.set(consumers_waited.get() + ctx.rec.now() - start);
                    item
                } else {
                    queue.get().await
                };
                let Some(item) = item else { break };
                let got_ms = ctx.rec.now();
                note_length(queue);
                task.sleep(&format!("handle item {item}"), consume_ms).await;
                let mut times = times.borrow_mut();
                let entry = &mut times[item as usize - 1];
                *entry = ItemTimes {
                    item,
                    got_ms,
                    done_ms: ctx.rec.now(),
                    consumer: number,
                    ..*entry
                };
                handled += 1;
            }
            task.print(format!("handled {handled} items"));
        }
    };
    join(producer, join_all((1..=consumers).map(consumer))).await;

    let per_item = times.into_inner();
    let lengths = lengths.into_inner();
    let queued: f64 = per_item.iter().map(|t| t.got_ms - t.put_ms).sum();
    let high_water = lengths.iter().map(|l| l.length).max().unwrap_or(0);
    let high_water_at_ms = lengths
        .iter()
        .find(|l| l.length == high_water)
        .map_or(0.0, |l| l.t_ms);
    Ok(QueueResult {
        high_water,
        high_water_at_ms,
        maxsize,
        consumers,
        producer_waited_ms: producer_waited.get(),
        consumers_waited_ms: consumers_waited.get(),
        mean_queued_ms: queued / f64::from(items),
        per_item,
        lengths,
    })
}

#[cfg(test)]
mod tests {
    use super::AsyncQueue;
    use crate::testing::run_sim;
    use crate::trace::{SpanKind, Trace};
    use futures::executor::block_on;

    fn waits(trace: &Trace, task: &str, label: &str) -> usize {
        trace
            .spans
            .iter()
            .filter(|s| s.task == task && s.label == label && s.kind == SpanKind::Wait)
            .count()
    }

    #[test]
    fn the_queue_is_first_in_first_out_and_ends_when_closed_and_drained() {
        let queue = AsyncQueue::new(Some(2));
        block_on(async {
            queue.put(1).await;
            queue.put(2).await;
            assert!(queue.is_full());
            assert_eq!(queue.get().await, Some(1));
            queue.close(1);
            assert_eq!(queue.get().await, Some(2));
            assert_eq!(queue.get().await, None);
        });
    }

    #[test]
    fn unbounded_the_fast_producer_runs_ahead_and_the_queue_grows() {
        let trace = run_sim("queue", &[("variant", "unbounded")]);
        assert_eq!(trace.result["high_water"], 16, "20 made by 200 ms, 4 taken");
        assert_eq!(
            trace.result["high_water_at_ms"], 200.0,
            "when the last item was put"
        );
        assert_eq!(trace.result["producer_waited_ms"], 0.0);
        assert_eq!(waits(&trace, "producer", "put: wait for room"), 0);
        // The consumer sets the pace: 20 x 50 ms after the first item at 10 ms.
        assert_eq!(trace.total_ms, 10.0 + 20.0 * 50.0);
        let items = trace.result["per_item"].as_array().unwrap();
        assert_eq!(items.len(), 20);
        assert_eq!(items[19]["put_ms"], 200.0);
        assert_eq!(items[19]["done_ms"], 1010.0);
    }

    #[test]
    fn bounded_the_producer_waits_at_put_and_the_queue_never_exceeds_maxsize() {
        let trace = run_sim("queue", &[("variant", "bounded")]);
        assert_eq!(trace.result["high_water"], 3);
        assert!(trace.result["producer_waited_ms"].as_f64().unwrap() > 500.0);
        assert!(waits(&trace, "producer", "put: wait for room") > 10);
        assert_eq!(
            trace.total_ms,
            10.0 + 20.0 * 50.0,
            "no slower: the consumer sets the pace"
        );
        let lengths = trace.result["lengths"].as_array().unwrap();
        assert!(lengths.iter().all(|l| l["length"].as_u64().unwrap() <= 3));
    }

    #[test]
    fn several_consumers_drain_it_together_and_wait_for_items() {
        let trace = run_sim("queue", &[("variant", "consumers")]);
        assert!(trace.total_ms < 320.0, "{}", trace.total_ms);
        let handled: Vec<&str> = trace
            .texts()
            .into_iter()
            .filter(|t| t.starts_with("handled"))
            .collect();
        assert_eq!(handled.len(), 4);
        assert!(waits(&trace, "consumer 4", "get: wait for an item") >= 1);
        let items = trace.result["per_item"].as_array().unwrap();
        let mut by = [0; 4];
        for item in items {
            by[item["consumer"].as_u64().unwrap() as usize - 1] += 1;
        }
        assert_eq!(by.iter().sum::<i32>(), 20);
        assert!(by.iter().all(|&n| n >= 3), "{by:?}");
    }

    #[test]
    fn the_length_is_recorded_at_every_put_and_get_and_steps_by_one() {
        for variant in ["unbounded", "bounded", "consumers"] {
            let trace = run_sim("queue", &[("variant", variant)]);
            let lengths = trace.result["lengths"].as_array().unwrap();
            // The starting point, then one per put and one per get of an item.
            assert_eq!(lengths.len(), 1 + 2 * 20, "{variant}");
            let series: Vec<(f64, i64)> = lengths
                .iter()
                .map(|l| (l["t_ms"].as_f64().unwrap(), l["length"].as_i64().unwrap()))
                .collect();
            assert!(
                series
                    .windows(2)
                    .all(|w| w[0].0 <= w[1].0 && (w[1].1 - w[0].1).abs() == 1),
                "{variant}: in time order, one item at a time"
            );
            assert_eq!(series.last().unwrap().1, 0, "{variant}: drained");
            let high = trace.result["high_water"].as_i64().unwrap();
            let at = trace.result["high_water_at_ms"].as_f64().unwrap();
            let first = series.iter().find(|p| p.1 == high).unwrap();
            assert_eq!(
                first.0, at,
                "{variant}: the first time at the high-water mark"
            );
        }
    }

    #[test]
    fn the_heartbeat_stays_free_in_every_variant() {
        for variant in ["unbounded", "bounded", "consumers"] {
            let trace = run_sim("queue", &[("variant", variant)]);
            assert!(!trace.heartbeat.frozen, "{variant}");
        }
    }
}
