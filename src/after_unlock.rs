//! What an operation still owes once the queue's lock is released: the
//! wakes it decided on, and a panic from user code it caught under the lock.
//!
//! Waking after unlocking keeps woken tasks from contending on a lock their
//! waker is still holding, and keeps the executor's code out of the critical
//! section. Re-raising only after unlocking is what keeps the lock from being
//! poisoned: the queue is consistent, so other tasks may go on using it.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::task::Waker;

/// Collected under the lock, settled by [`AfterUnlock::finish`] without it.
#[derive(Default)]
pub(crate) struct AfterUnlock {
    /// Most operations wake at most one task: keep that one inline.
    first: Option<Waker>,
    rest: Vec<Waker>,
    panic: Option<Box<dyn Any + Send>>,
}

impl AfterUnlock {
    /// Schedules `waker` to be woken, after those already scheduled.
    pub(crate) fn wake(&mut self, waker: Waker) {
        if self.first.is_none() {
            self.first = Some(waker);
        } else {
            self.rest.push(waker);
        }
    }

    /// Runs user code under the lock; a panic is held until `finish`.
    /// Returns `None` if it panicked.
    pub(crate) fn catch<R>(&mut self, user_code: impl FnOnce() -> R) -> Option<R> {
        match panic::catch_unwind(AssertUnwindSafe(user_code)) {
            Ok(value) => Some(value),
            Err(payload) => {
                self.panic.get_or_insert(payload);
                None
            }
        }
    }

    /// Whether user code run by [`catch`](Self::catch) panicked.
    pub(crate) fn panicked(&self) -> bool {
        self.panic.is_some()
    }

    /// Wakes every scheduled task in order, then re-raises a caught panic.
    /// A panicking waker does not stop the others from being woken.
    pub(crate) fn finish(mut self) {
        for waker in self.first.take().into_iter().chain(self.rest.drain(..)) {
            if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| waker.wake())) {
                self.panic.get_or_insert(payload);
            }
        }
        if let Some(payload) = self.panic {
            panic::resume_unwind(payload);
        }
    }
}
