//! The implementation under test, seen through its public API only.
//!
//! Everything the simulator does to a queue goes through [`Subject`], which
//! is written against the API fixed for `aioqueue` (the three queue types,
//! their methods, their errors, their `Debug` format), so that any
//! implementation of that API can be judged.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::future::Future;
use std::pin::Pin;

use aioqueue::{GenericQueue, LifoQueue, Order, PriorityQueue, Queue, TryGetError, TryPutError};

use crate::model::{Comparison, Observation, OpResult};
use crate::scenario::{Item, Kind, Op};

/// An operation in flight: the future of one `Op`.
pub type OpFuture<'q> = Pin<Box<dyn Future<Output = OpResult> + 'q>>;

/// A queue of any kind, driven through the public API.
pub trait Subject {
    /// The future of `op` on this queue. Like the API's futures, it does
    /// nothing until polled.
    fn start(&self, op: Op) -> OpFuture<'_>;
    /// The counts, read through `maxsize`, `len`, `is_empty`, `is_full`,
    /// `unfinished_tasks`, `is_shutdown` and the `Debug` output.
    fn observe(&self) -> Observation;
    /// Drains what is left, for the final accounting of items.
    fn drain(&self) -> Vec<Item>;
}

/// Makes the queue a scenario asks for.
pub fn new_subject(kind: Kind, maxsize: usize) -> Box<dyn Subject> {
    match kind {
        Kind::Fifo => Box::new(Queue::<Ranked>::new(maxsize)),
        Kind::Lifo => Box::new(LifoQueue::<Ranked>::new(maxsize)),
        Kind::Priority => Box::new(PriorityQueue::<Ranked>::new(maxsize)),
    }
}

/// An item as the queue holds it: ordered by its key alone, the tag
/// ignored, like a Python object whose `__lt__` compares a priority field.
/// Every comparison the queue makes is logged on this thread as the
/// question it asks: `a < b`, `b > a` and `a.cmp(b)` all ask "a < b?".
#[derive(Clone, Copy, Debug)]
pub struct Ranked(pub Item);

thread_local! {
    static ASKED: RefCell<Vec<Comparison>> = const { RefCell::new(Vec::new()) };
}

/// The comparisons logged on this thread since the last call, in order.
pub fn take_comparisons() -> Vec<Comparison> {
    ASKED.with(|log| std::mem::take(&mut *log.borrow_mut()))
}

fn ask(a: &Ranked, b: &Ranked) -> bool {
    ASKED.with(|log| log.borrow_mut().push((a.0, b.0)));
    a.0.less(&b.0)
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.0.key == other.0.key
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
    fn lt(&self, other: &Self) -> bool {
        ask(self, other)
    }
    fn gt(&self, other: &Self) -> bool {
        ask(other, self)
    }
    fn le(&self, other: &Self) -> bool {
        !ask(other, self)
    }
    fn ge(&self, other: &Self) -> bool {
        !ask(self, other)
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        if ask(self, other) {
            Ordering::Less
        } else if self.0.key == other.0.key {
            Ordering::Equal
        } else {
            Ordering::Greater
        }
    }
}

fn try_put_result(result: Result<(), TryPutError<Ranked>>) -> OpResult {
    match result {
        Ok(()) => OpResult::Ok,
        Err(TryPutError::Full(item)) => OpResult::Full(item.0),
        Err(TryPutError::ShutDown(item)) => OpResult::PutShutDown(item.0),
    }
}

fn try_get_result(result: Result<Ranked, TryGetError>) -> OpResult {
    match result {
        Ok(item) => OpResult::Item(item.0),
        Err(TryGetError::Empty) => OpResult::Empty,
        Err(TryGetError::ShutDown) => OpResult::GetShutDown,
    }
}

/// Reads a `name: N` count out of a queue's `Debug` output
/// (`usize::MAX` if it is missing, so that a comparison fails).
pub fn debug_count(debug: &str, name: &str) -> usize {
    let pattern = format!("{name}: ");
    debug
        .find(&pattern)
        .map(|at| &debug[at + pattern.len()..])
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|digits| digits.parse().ok())
        .unwrap_or(usize::MAX)
}

/// A future that returns `Pending` once, waking its own task first.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = OpResult;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<OpResult> {
        if self.0 {
            return std::task::Poll::Ready(OpResult::Ok);
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}

impl<O: Order<Ranked>> Subject for GenericQueue<Ranked, O> {
    fn start(&self, op: Op) -> OpFuture<'_> {
        match op {
            Op::Put(item) => Box::pin(async move {
                match self.put(Ranked(item)).await {
                    Ok(()) => OpResult::Ok,
                    Err(err) => OpResult::PutShutDown(err.into_inner().0),
                }
            }),
            Op::Get => Box::pin(async move {
                match self.get().await {
                    Ok(item) => OpResult::Item(item.0),
                    Err(_) => OpResult::GetShutDown,
                }
            }),
            Op::Join => Box::pin(async move {
                self.join().await;
                OpResult::Ok
            }),
            Op::TryPut(item) => Box::pin(async move { try_put_result(self.try_put(Ranked(item))) }),
            Op::TryGet => Box::pin(async move { try_get_result(self.try_get()) }),
            Op::TaskDone => Box::pin(async move {
                match self.task_done() {
                    Ok(()) => OpResult::Ok,
                    Err(_) => OpResult::TaskDoneError,
                }
            }),
            Op::Shutdown => Box::pin(async move {
                self.shutdown();
                OpResult::Ok
            }),
            Op::ShutdownImmediate => Box::pin(async move {
                OpResult::Drained(self.shutdown_immediate().into_iter().map(|i| i.0).collect())
            }),
            Op::Yield => Box::pin(YieldOnce(false)),
            // A request to the scheduler (see `Op::Cancel`): nothing to run.
            Op::Cancel(_) => Box::pin(std::future::ready(OpResult::Ok)),
        }
    }

    fn observe(&self) -> Observation {
        let debug = format!("{self:?}");
        Observation {
            maxsize: self.maxsize(),
            len: self.len(),
            is_empty: self.is_empty(),
            is_full: self.is_full(),
            unfinished_tasks: self.unfinished_tasks(),
            shutdown: self.is_shutdown(),
            getters: debug_count(&debug, "getters"),
            putters: debug_count(&debug, "putters"),
        }
    }

    fn drain(&self) -> Vec<Item> {
        std::iter::from_fn(|| self.try_get().ok().map(|i| i.0)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_counts_are_read_back() {
        let debug = "Queue { maxsize: 1, len: 1, getters: 0, putters: 12, unfinished_tasks: 1, shutdown: false }";
        assert_eq!(debug_count(debug, "getters"), 0);
        assert_eq!(debug_count(debug, "putters"), 12);
        assert_eq!(debug_count(debug, "missing"), usize::MAX);
    }
}
