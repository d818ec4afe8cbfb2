//! The thread-safe queue's lock ([`Shared`](crate::Shared); the local queue
//! borrows a `RefCell` instead), behind a seam so that loom can replace it
//! (`--cfg aioqueue_loom`) and check the production code itself.

#[cfg(not(aioqueue_loom))]
pub(crate) use std::sync::{Mutex, MutexGuard};

#[cfg(aioqueue_loom)]
pub(crate) use loom::sync::{Mutex, MutexGuard};

/// Parking for the blocking face (`src/blocking.rs`). loom has no timed
/// park and models no time, so under loom a timed park is a plain park.
#[cfg(not(aioqueue_loom))]
pub(crate) mod thread {
    pub(crate) use std::thread::{current, park, park_timeout, Thread};
}

#[cfg(aioqueue_loom)]
pub(crate) mod thread {
    pub(crate) use loom::thread::{current, park, Thread};

    pub(crate) fn park_timeout(_: std::time::Duration) {
        park();
    }
}

use std::sync::PoisonError;
#[cfg(not(aioqueue_loom))]
use std::sync::TryLockError;

/// How many more times [`lock`] tries `try_lock` before it blocks; the
/// pauses between tries double, 1 + 2 + ... + 4,096 spin hints in all
/// (their time is in docs/performance.md). Most contended locks are taken
/// in the first rounds; the late ones are for the rare long hold (a
/// preempted holder, a page fault while the buffer grows), where blocking
/// costs more: a worker asleep in the kernel runs no other task, and waking
/// it takes a system call from the holder.
#[cfg(not(aioqueue_loom))]
const TRY_LOCK_ROUNDS: u32 = 13;

/// From this round on, the spinner first yields its CPU (`sched_yield`),
/// so that a holder preempted onto the same CPU gets to run and release the
/// lock. Earlier pauses are too short to be worth a system call.
#[cfg(not(aioqueue_loom))]
const YIELD_FROM_ROUND: u32 = 8;

/// Locks `mutex`, spinning briefly on `try_lock` before blocking.
///
/// The queue's critical sections last tens of nanoseconds, so a producer and
/// a consumer on two cores meet on the lock constantly. Blocking in
/// `Mutex::lock` right away marks the lock contended, and from then on every
/// unlock pays a futex wake system call; retrying `try_lock` with backoff
/// gets the lock as soon as it is free and never does. Measured in
/// docs/performance.md: bounded SPSC went from 7 to 15-23 M items/s.
///
/// Under loom it blocks at once: loom explores every interleaving, and a spin
/// loop would only multiply them without reaching a new state.
///
/// The queue is never left inconsistent by a panic (a panicking `Ord`
/// unwinds through drop guards that finish the operation's bookkeeping, or
/// is caught), so a poisoned lock is simply taken.
#[inline]
pub(crate) fn lock<S>(mutex: &Mutex<S>) -> MutexGuard<'_, S> {
    #[cfg(not(aioqueue_loom))]
    if let Some(guard) = try_lock(mutex) {
        return guard;
    } else if let Some(guard) = try_lock_with_backoff(mutex) {
        return guard;
    }
    // [PANIC-2] a poisoned lock is simply taken: the state is consistent.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One `try_lock`: the guard, also of a poisoned lock, or `None` if held.
#[cfg(not(aioqueue_loom))]
#[inline]
fn try_lock<S>(mutex: &Mutex<S>) -> Option<MutexGuard<'_, S>> {
    match mutex.try_lock() {
        Ok(guard) => Some(guard),
        Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
        Err(TryLockError::WouldBlock) => None,
    }
}

/// The contended case, out of line so that the path above stays one
/// `try_lock`: `None` if the lock stayed busy through every round.
#[cfg(not(aioqueue_loom))]
#[cold]
#[inline(never)]
fn try_lock_with_backoff<S>(mutex: &Mutex<S>) -> Option<MutexGuard<'_, S>> {
    (0..TRY_LOCK_ROUNDS).find_map(|round| {
        if round >= YIELD_FROM_ROUND {
            std::thread::yield_now();
        }
        for _ in 0..1u32 << round {
            std::hint::spin_loop();
        }
        try_lock(mutex)
    })
}
