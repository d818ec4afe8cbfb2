//! The implementation under test, seen through its public API only.
//!
//! Everything the simulator does to a queue goes through [`Subject`], which
//! is written against the API fixed for `aioqueue` (the three queue types,
//! their methods, their errors, their `Debug` format), so that any
//! implementation of that API can be judged.

use std::future::Future;
use std::pin::Pin;

use aioqueue::{LifoQueue, PriorityQueue, Queue, TryGetError, TryPutError};

use crate::model::{Observation, OpResult};
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
        Kind::Fifo => Box::new(Queue::<Item>::new(maxsize)),
        Kind::Lifo => Box::new(LifoQueue::<Item>::new(maxsize)),
        Kind::Priority => Box::new(PriorityQueue::<Item>::new(maxsize)),
    }
}

fn try_put_result(result: Result<(), TryPutError<Item>>) -> OpResult {
    match result {
        Ok(()) => OpResult::Ok,
        Err(TryPutError::Full(item)) => OpResult::Full(item),
        Err(TryPutError::ShutDown(item)) => OpResult::PutShutDown(item),
    }
}

fn try_get_result(result: Result<Item, TryGetError>) -> OpResult {
    match result {
        Ok(item) => OpResult::Item(item),
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

macro_rules! subject_for {
    ($queue:ident) => {
        impl Subject for $queue<Item> {
            fn start(&self, op: Op) -> OpFuture<'_> {
                match op {
                    Op::Put(item) => Box::pin(async move {
                        match self.put(item).await {
                            Ok(()) => OpResult::Ok,
                            Err(err) => OpResult::PutShutDown(err.into_inner()),
                        }
                    }),
                    Op::Get => Box::pin(async move {
                        match self.get().await {
                            Ok(item) => OpResult::Item(item),
                            Err(_) => OpResult::GetShutDown,
                        }
                    }),
                    Op::Join => Box::pin(async move {
                        self.join().await;
                        OpResult::Ok
                    }),
                    Op::TryPut(item) => Box::pin(async move { try_put_result(self.try_put(item)) }),
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
                    Op::ShutdownImmediate => {
                        Box::pin(async move { OpResult::Drained(self.shutdown_immediate()) })
                    }
                    Op::Yield => Box::pin(YieldOnce(false)),
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
                std::iter::from_fn(|| self.try_get().ok()).collect()
            }
        }
    };
}

subject_for!(Queue);
subject_for!(LifoQueue);
subject_for!(PriorityQueue);

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
