//! The one lock the queue uses, behind a seam so that loom can replace it
//! (`--cfg aioqueue_loom`) and check the production code itself.

#[cfg(not(aioqueue_loom))]
pub(crate) use std::sync::{Mutex, MutexGuard};

#[cfg(aioqueue_loom)]
pub(crate) use loom::sync::{Mutex, MutexGuard};

use std::sync::PoisonError;
#[cfg(not(aioqueue_loom))]
use std::sync::TryLockError;

/// How many more times [`lock`] tries `try_lock` before it blocks; the
/// pauses between tries double, 1 + 2 + ... + 64 spin hints in all (a few
/// microseconds at most).
#[cfg(not(aioqueue_loom))]
const TRY_LOCK_ROUNDS: u32 = 7;

/// Locks `mutex`, spinning briefly on `try_lock` before blocking.
///
/// The queue's critical sections last tens of nanoseconds, so a producer and
/// a consumer on two cores meet on the lock constantly. Blocking in
/// `Mutex::lock` right away marks the lock contended, and from then on every
/// unlock pays a futex wake system call; retrying `try_lock` with backoff
/// gets the lock as soon as it is free and never does. Measured in
/// docs/performance.md: bounded SPSC went from 7 to 17 M items/s.
///
/// The queue is never left inconsistent by a panic (user code is caught
/// under the lock), so a poisoned lock is simply taken.
#[cfg(not(aioqueue_loom))]
#[inline]
pub(crate) fn lock<S>(mutex: &Mutex<S>) -> MutexGuard<'_, S> {
    match mutex.try_lock() {
        Ok(guard) => guard,
        Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
        Err(TryLockError::WouldBlock) => lock_contended(mutex),
    }
}

/// Out of line, so that the uncontended path above stays one `try_lock`.
#[cfg(not(aioqueue_loom))]
#[cold]
#[inline(never)]
fn lock_contended<S>(mutex: &Mutex<S>) -> MutexGuard<'_, S> {
    for round in 0..TRY_LOCK_ROUNDS {
        for _ in 0..1u32 << round {
            std::hint::spin_loop();
        }
        match mutex.try_lock() {
            Ok(guard) => return guard,
            Err(TryLockError::Poisoned(poisoned)) => return poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => {}
        }
    }
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Under loom: a plain lock, as a spin loop would only multiply the
/// interleavings loom explores without checking anything new.
#[cfg(aioqueue_loom)]
pub(crate) fn lock<S>(mutex: &Mutex<S>) -> MutexGuard<'_, S> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
