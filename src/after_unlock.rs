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
///
/// Kept to two words that are cheap to create and check, because every
/// operation makes one: most operations wake at most one task and catch no
/// panic, so that one waker is inline and the rare rest sits behind a box
/// that is only allocated when needed.
#[derive(Default)]
pub(crate) struct AfterUnlock {
    first: Option<Waker>,
    more: Option<Box<More>>,
}

/// What only a few operations have: more than one wake, or a caught panic.
#[derive(Default)]
struct More {
    rest: Vec<Waker>,
    panic: Option<Box<dyn Any + Send>>,
}

impl AfterUnlock {
    /// Schedules `waker` to be woken, after those already scheduled.
    #[inline]
    pub(crate) fn wake(&mut self, waker: Waker) {
        // [WAKE-4] in the order the operation notified them.
        if self.first.is_none() {
            self.first = Some(waker);
        } else {
            self.more.get_or_insert_with(Box::default).rest.push(waker);
        }
    }

    /// Runs user code under the lock; a panic is held until `finish`.
    /// Returns `None` if it panicked.
    pub(crate) fn catch<R>(&mut self, user_code: impl FnOnce() -> R) -> Option<R> {
        // [PANIC-1] [PANIC-2] caught under the lock, so it never poisons it;
        // the first panic is kept for `finish`.
        match panic::catch_unwind(AssertUnwindSafe(user_code)) {
            Ok(value) => Some(value),
            Err(payload) => {
                let more = self.more.get_or_insert_with(Box::default);
                more.panic.get_or_insert(payload);
                None
            }
        }
    }

    /// Whether user code run by [`catch`](Self::catch) panicked.
    pub(crate) fn panicked(&self) -> bool {
        self.more.as_ref().is_some_and(|more| more.panic.is_some())
    }

    /// Wakes every scheduled task in order, then re-raises a caught panic.
    /// A panicking waker does not stop the others from being woken.
    ///
    /// Inlined, with the common cases first: nothing to do (an uncontended
    /// `try_put`/`try_get`), and one wake with no panic, where a panicking
    /// waker may simply unwind, as no other wake or panic is pending.
    #[inline]
    pub(crate) fn finish(self) {
        match self.more {
            None => {
                // [WAKE-4] [PANIC-7] one wake and no panic pending: a
                // panicking waker may simply unwind.
                if let Some(waker) = self.first {
                    waker.wake();
                }
            }
            Some(more) => finish_all(self.first, *more),
        }
    }
}

#[cold]
#[inline(never)]
fn finish_all(first: Option<Waker>, more: More) {
    let More { rest, mut panic } = more;
    // [WAKE-4] [PANIC-7] every waker, in order, even if one panics; then the
    // first panic is resumed in the caller [PANIC-1].
    for waker in first.into_iter().chain(rest) {
        if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| waker.wake())) {
            panic.get_or_insert(payload);
        }
    }
    if let Some(payload) = panic {
        panic::resume_unwind(payload);
    }
}
