//! What an operation still owes once the queue's lock is released: the
//! wakes it decided on, and a panic from user code it caught under the lock.
//!
//! Waking after unlocking keeps woken tasks from contending on a lock their
//! waker is still holding, and keeps the executor's code out of the critical
//! section.
//!
//! A panic in `Ord` reaches the caller in one of two ways, and the queue is
//! consistent after both, so other tasks go on using it:
//! - On the single-item paths (`put`, `get` and their `try_` forms) it simply
//!   unwinds. Drop guards in `state.rs` finish the operation's bookkeeping on
//!   the way out, the lock is released (std marks it poisoned; the queue
//!   takes it regardless), and then this value's `Drop` makes the owed wakes.
//!   Catching there would cost every push and pop of a `PriorityQueue`.
//! - A batch get ([`catch`](AfterUnlock::catch)) catches it under the lock,
//!   so that the items already taken are dropped outside it, and
//!   [`finish`](AfterUnlock::finish) resumes it after the wakes.

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
        // [PANIC-1] [PANIC-2] caught under the lock; the first panic is kept
        // for `finish`.
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
    pub(crate) fn finish(mut self) {
        let first = self.first.take();
        match self.more.take() {
            None => {
                // [WAKE-4] [PANIC-7] one wake and no panic pending: a
                // panicking waker may simply unwind.
                if let Some(waker) = first {
                    waker.wake();
                }
            }
            Some(more) => finish_all(first, *more),
        }
    }
}

impl Drop for AfterUnlock {
    /// Reached with wakes still owed only when the operation unwound (a
    /// panicking `Ord` on a single-item path): the lock guard, created
    /// after this value, has already been dropped, so the wakes are still
    /// made after the unlock, before the panic reaches the caller.
    #[inline]
    fn drop(&mut self) {
        // After `finish` both are `None`, which the compiler can see.
        if self.first.is_some() || self.more.is_some() {
            wake_while_unwinding(self.first.take(), self.more.take());
        }
    }
}

#[cold]
#[inline(never)]
fn wake_while_unwinding(first: Option<Waker>, more: Option<Box<More>>) {
    // [PANIC-3] [PANIC-4] [WAKE-4] the wakes the operation decided on;
    // [PANIC-7] a waker's panic is dropped, as a second panic while
    // unwinding would abort: the caller gets the first one, `Ord`'s.
    let rest = more.map(|more| more.rest).unwrap_or_default();
    drop(wake_all(first.into_iter().chain(rest)));
}

#[cold]
#[inline(never)]
fn finish_all(first: Option<Waker>, more: More) {
    let More { rest, panic } = more;
    // [WAKE-4] [PANIC-7] every waker, in order, even if one panics; then the
    // first panic is resumed in the caller [PANIC-1].
    let waker_panic = wake_all(first.into_iter().chain(rest));
    if let Some(payload) = panic.or(waker_panic) {
        panic::resume_unwind(payload);
    }
}

/// Wakes every waker in order, even if one panics; returns the first panic.
fn wake_all(wakers: impl Iterator<Item = Waker>) -> Option<Box<dyn Any + Send>> {
    let mut first_panic = None;
    for waker in wakers {
        if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| waker.wake())) {
            first_panic.get_or_insert(payload);
        }
    }
    first_panic
}
