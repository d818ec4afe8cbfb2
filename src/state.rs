//! CPython 3.13's queue algorithm on plain data (`Lib/asyncio/queues.py`).
//!
//! Every method runs under the queue's lock and only *decides*: whom to
//! wake goes into [`AfterUnlock`], which wakes them once the lock is gone.
//! A future's waiting slot is its `Option<WaiterKey>`: `Some` while it is
//! in (or was just notified out of) a waiter list.
//!
//! Comments cite, by ID in brackets, the rules of `docs/semantics.md` (the
//! `semantics` module) that a line implements.

use std::marker::PhantomData;
use std::task::{Poll, Waker};

use crate::after_unlock::AfterUnlock;
use crate::error::{GetError, PutError, TaskDoneError, TryGetError, TryPutError};
use crate::order::Order;
use crate::waiters::{WaiterKey, WaiterList};

pub(crate) struct State<T, O> {
    // [STATE-1] the buffer, in the ordering's order.
    items: O,
    // [STATE-2] fixed at construction; 0 is unbounded.
    maxsize: usize,
    // [STATE-3] waiting getters and putters, in arrival order.
    waiting_getters: WaiterList,
    waiting_putters: WaiterList,
    // [STATE-4] waiting joiners: the waiters of asyncio's `_finished` event.
    waiting_joiners: WaiterList,
    // [STATE-5] items put and not yet marked done.
    unfinished_tasks: usize,
    // [STATE-6] once true, stays true.
    shutdown: bool,
    _items: PhantomData<T>,
}

/// A snapshot for `Debug`.
pub(crate) struct Counts {
    pub(crate) maxsize: usize,
    pub(crate) len: usize,
    pub(crate) getters: usize,
    pub(crate) putters: usize,
    pub(crate) joiners: usize,
    pub(crate) unfinished_tasks: usize,
    pub(crate) shutdown: bool,
}

impl<T, O: Order<T>> State<T, O> {
    pub(crate) fn new(maxsize: usize) -> Self {
        // [NEW-1] empty, no waiters, nothing unfinished, not shut down.
        State {
            items: O::default(),
            maxsize,
            waiting_getters: WaiterList::default(),
            waiting_putters: WaiterList::default(),
            waiting_joiners: WaiterList::default(),
            unfinished_tasks: 0,
            shutdown: false,
            _items: PhantomData,
        }
    }

    pub(crate) fn maxsize(&self) -> usize {
        // [SIZE-1]
        self.maxsize
    }

    pub(crate) fn len(&self) -> usize {
        // [SIZE-2]
        self.items.len()
    }

    pub(crate) fn is_full(&self) -> bool {
        // [STATE-7] [SIZE-4] bounded, and at or above `maxsize`.
        self.maxsize > 0 && self.items.len() >= self.maxsize
    }

    pub(crate) fn unfinished_tasks(&self) -> usize {
        // [COUNT-1]
        self.unfinished_tasks
    }

    pub(crate) fn is_shutdown(&self) -> bool {
        // [SHUT-9]
        self.shutdown
    }

    pub(crate) fn counts(&self) -> Counts {
        // [DEBUG-1] [DEBUG-3] counts only, never the items; the lists hold
        // waiting futures alone, notified ones have left them.
        Counts {
            maxsize: self.maxsize,
            len: self.items.len(),
            getters: self.waiting_getters.len(),
            putters: self.waiting_putters.len(),
            joiners: self.waiting_joiners.len(),
            unfinished_tasks: self.unfinished_tasks,
            shutdown: self.shutdown,
        }
    }

    /// `put_nowait`.
    #[inline]
    pub(crate) fn try_put(
        &mut self,
        item: T,
        after: &mut AfterUnlock,
    ) -> Result<(), TryPutError<T>> {
        // [TRYPUT-1] [SHUT-4] shut down: fail, checked before fullness; the
        // item goes back to the caller, undropped [PANIC-6].
        if self.shutdown {
            return Err(TryPutError::ShutDown(item));
        }
        // [TRYPUT-2] full: fail, so `len` never exceeds `maxsize` [STATE-10].
        if self.is_full() {
            return Err(TryPutError::Full(item));
        }
        // [TRYPUT-3] push the item, then count and announce it.
        if !O::RUNS_USER_CODE {
            // No user code runs in the push: nothing can unwind from it.
            self.items.push(item);
            self.count_put(after);
            return Ok(());
        }
        // [PANIC-1] [PANIC-3] A panicking `Ord` unwinds from the push; if the
        // item is in the buffer by then, it was put. `CountPut` counts and
        // announces it when dropped, after the push or on the way out.
        let put = CountPut {
            len_before: self.items.len(),
            state: self,
            after,
        };
        put.state.items.push(item);
        Ok(())
    }

    /// An item was put: count it and wake the front waiting getter.
    #[inline(always)]
    fn count_put(&mut self, after: &mut AfterUnlock) {
        // [TRYPUT-3] [STATE-13]
        self.unfinished_tasks += 1;
        wake_next(&mut self.waiting_getters, after);
    }

    /// `get_nowait`.
    #[inline]
    pub(crate) fn try_get(&mut self, after: &mut AfterUnlock) -> Result<T, TryGetError> {
        // [TRYGET-2] [PANIC-4] a panicking `Ord` unwinds from the pop with
        // every item still in the buffer, and wakes nobody.
        self.take_with(after, |items, _| items.pop())
    }

    /// `get_nowait` that catches a panicking `Ord` (held in `after`, as
    /// `None` here) instead of unwinding, for a batch whose items already
    /// taken must not be dropped under the lock [PANIC-6].
    fn try_get_caught(&mut self, after: &mut AfterUnlock) -> Result<T, TryGetError> {
        self.take_with(after, |items, after| {
            if O::RUNS_USER_CODE {
                after.catch(|| items.pop()).flatten()
            } else {
                items.pop()
            }
        })
    }

    /// `get_nowait`'s body, with `pop` taking the item.
    #[inline]
    fn take_with(
        &mut self,
        after: &mut AfterUnlock,
        pop: impl FnOnce(&mut O, &mut AfterUnlock) -> Option<T>,
    ) -> Result<T, TryGetError> {
        // [TRYGET-1] [SHUT-4] empty: `ShutDown` if shut down, else `Empty`.
        if self.items.is_empty() {
            return Err(if self.shutdown {
                TryGetError::ShutDown
            } else {
                TryGetError::Empty
            });
        }
        // [TRYGET-2] take an item, even one a notified getter was woken for:
        // none is reserved [TRYGET-4].
        match pop(&mut self.items, after) {
            Some(item) => {
                // [TRYGET-2] wake the front waiting putter. [TRYGET-3] The
                // unfinished count is left alone.
                wake_next(&mut self.waiting_putters, after);
                Ok(item)
            }
            // [PANIC-4] `Ord` panicked (caught) with the item still in the
            // buffer: wake nobody; `after` re-raises, so this error is never
            // seen.
            None => Err(TryGetError::Empty),
        }
    }

    /// One poll of `put`: CPython's `while full(): wait` loop, then `put_nowait`.
    ///
    /// Always inlined, as is `poll_get_with`: the thread-safe and the local
    /// queue call the same function, and with both in one binary LLVM would
    /// otherwise keep it out of line in both (about 50 more instructions per
    /// item in one-thread SPSC, callgrind; docs/performance.md).
    #[inline(always)]
    pub(crate) fn poll_put(
        &mut self,
        waiter: &mut Option<WaiterKey>,
        item: &mut Option<T>,
        waker: &Waker,
        after: &mut AfterUnlock,
    ) -> Poll<Result<(), PutError<T>>> {
        // [PUT-5] still waiting: a spurious poll, which changes nothing.
        if !self.resume(Side::Putters, waiter, waker) {
            return Poll::Pending;
        }
        let Some(value) = item.take() else {
            // Returning `Pending` here would register no waker: a silent hang.
            unreachable!("`Put::poll` checks that it holds its item before it locks the queue");
        };
        // [PUT-1] not full: complete as `try_put` does; the one place a `put`
        // inserts [CANCEL-6]. The item is gone even if `Ord` panics [PANIC-3].
        if !self.is_full() {
            return Poll::Ready(
                self.try_put(value, after)
                    .map_err(|e| PutError(e.into_inner())),
            );
        }
        // [PUT-2] [SHUT-4] [SHUT-8] full and shut down: fail, handing the item
        // back; nothing registers after shutdown [STATE-11].
        if self.shutdown {
            return Poll::Ready(Err(PutError(value)));
        }
        // [PUT-3] full and not shut down: register at the back, behind later
        // arrivals if this putter was notified and lost its slot [PUT-4]
        // [HIST-4].
        *item = Some(value);
        *waiter = Some(self.waiting_putters.push_back(waker));
        Poll::Pending
    }

    /// One poll of `get`: CPython's `while empty(): wait` loop, then `get_nowait`.
    #[inline]
    pub(crate) fn poll_get(
        &mut self,
        waiter: &mut Option<WaiterKey>,
        waker: &Waker,
        after: &mut AfterUnlock,
    ) -> Poll<Result<T, GetError>> {
        // [GET-1] an item is there: take it as `try_get` does.
        self.poll_get_with(waiter, waker, after, |state, after| {
            state.try_get(after).map_err(|_| GetError)
        })
    }

    /// One poll of `get_many(max)`: `get`'s loop, then up to `max` takes.
    pub(crate) fn poll_get_many(
        &mut self,
        waiter: &mut Option<WaiterKey>,
        max: usize,
        waker: &Waker,
        after: &mut AfterUnlock,
    ) -> Poll<Result<Vec<T>, GetError>> {
        // [MANY-1] the first item as `get` takes it, then more as `try_get`
        // does, under this same lock.
        self.poll_get_with(waiter, waker, after, |state, after| {
            Ok(state.take_many(max, after))
        })
    }

    /// `get`'s loop, with `take` for the body that runs once an item is there.
    #[inline(always)]
    fn poll_get_with<R>(
        &mut self,
        waiter: &mut Option<WaiterKey>,
        waker: &Waker,
        after: &mut AfterUnlock,
        take: impl FnOnce(&mut Self, &mut AfterUnlock) -> Result<R, GetError>,
    ) -> Poll<Result<R, GetError>> {
        // [GET-5] still waiting: a spurious poll, which changes nothing.
        if !self.resume(Side::Getters, waiter, waker) {
            return Poll::Pending;
        }
        // [GET-1] an item is there: take it. [GET-4] Only this poll removes
        // it; a notification carried none [CANCEL-6].
        if !self.items.is_empty() {
            if !O::RUNS_USER_CODE {
                // No user code runs in the take: it cannot fail halfway.
                return Poll::Ready(take(self, after));
            }
            // [PANIC-4] [MANY-4] if `Ord` panics (unwinding, or caught by a
            // batch), `PassTurn` passes this getter's turn on.
            let mut turn = PassTurn {
                state: self,
                after,
                armed: true,
            };
            let result = take(&mut *turn.state, &mut *turn.after);
            turn.armed = turn.after.panicked();
            return Poll::Ready(result);
        }
        // [GET-2] [SHUT-4] [SHUT-8] empty and shut down: fail; nothing
        // registers after shutdown [STATE-11].
        if self.shutdown {
            return Poll::Ready(Err(GetError));
        }
        // [GET-3] empty and not shut down: register at the back, behind later
        // arrivals if this getter was notified and its item taken.
        *waiter = Some(self.waiting_getters.push_back(waker));
        Poll::Pending
    }

    /// Up to `max` successive `get_nowait`s: stops when the queue is empty,
    /// or when `Ord` panicked.
    pub(crate) fn take_many(&mut self, max: usize, after: &mut AfterUnlock) -> Vec<T> {
        // [MANY-2] each take is a `try_get`: it wakes one putter and leaves
        // the unfinished count alone.
        let mut batch = Vec::with_capacity(max.min(self.items.len()));
        while batch.len() < max {
            // [MANY-4] a panicking `Ord` is caught, ending the batch: the
            // items taken so far are dropped outside the lock [PANIC-6].
            match self.try_get_caught(after) {
                Ok(item) => batch.push(item),
                Err(_) => break,
            }
        }
        batch
    }

    /// A waiting or notified future was dropped. A notified `put`/`get` that
    /// can no longer use its wakeup passes it on (bpo-23812); a released
    /// joiner just leaves.
    pub(crate) fn cancel(&mut self, side: Side, waiter: WaiterKey, after: &mut AfterUnlock) {
        // [CANCEL-3] whether what a notified putter or getter was woken for
        // still holds: an item for a getter, a free slot for a putter.
        let could_proceed = match side {
            Side::Getters => !self.items.is_empty(),
            Side::Putters => !self.is_full(),
            // [CANCEL-5] A released joiner's wakeup is not a turn: nothing to pass on.
            Side::Joiners => false,
        };
        let list = self.waiters_on(side);
        // [CANCEL-2] a waiting future leaves its list and wakes nobody;
        // [CANCEL-3] [HIST-1] a notified one passes the wakeup on if it still
        // holds, so none is lost [STATE-13] [STATE-14].
        if list.remove(waiter) && could_proceed {
            wake_next(list, after);
        }
    }

    /// One poll of `join`: an asyncio `Event` wait, entered only if tasks
    /// are unfinished. Once notified it completes, whatever the count is now.
    pub(crate) fn poll_join(&mut self, waiter: &mut Option<WaiterKey>, waker: &Waker) -> Poll<()> {
        if let Some(key) = *waiter {
            // [JOIN-4] still waiting: a spurious poll, which changes nothing.
            if !self.waiting_joiners.take_notified(key, waker) {
                return Poll::Pending;
            }
            // [JOIN-3] notified: complete, whatever the count is now.
            *waiter = None;
            return Poll::Ready(());
        }
        // [JOIN-1] the count is read at the first poll: zero is ready at
        // once, without registering [STATE-12].
        if self.unfinished_tasks == 0 {
            return Poll::Ready(());
        }
        // [JOIN-2] tasks unfinished: register at the back of the joiners.
        *waiter = Some(self.waiting_joiners.push_back(waker));
        Poll::Pending
    }

    pub(crate) fn task_done(&mut self, after: &mut AfterUnlock) -> Result<(), TaskDoneError> {
        // [DONE-3] it counts, nothing more: neither gets nor shutdown are checked.
        // [DONE-1] nothing unfinished: fail, changing nothing.
        if self.unfinished_tasks == 0 {
            return Err(TaskDoneError);
        }
        // [DONE-2] one less; at zero, notify every joiner in arrival order
        // [WAKE-2], which leaves no joiner waiting [STATE-12].
        self.unfinished_tasks -= 1;
        if self.unfinished_tasks == 0 {
            self.waiting_joiners.notify_all(|w| after.wake(w));
        }
        Ok(())
    }

    /// `shutdown()`: set the flag and release the getters and putters.
    pub(crate) fn shutdown(&mut self, after: &mut AfterUnlock) {
        // [SHUT-1] set the flag; called again, it finds the lists already
        // empty. [SHUT-2] [JOIN-5] The items, the count and the joiners
        // are left alone.
        self.shutdown = true;
        self.release_getters_and_putters(after);
    }

    /// `shutdown(immediate=True)`. Returns the drained items in storage
    /// order; the caller puts them in get order once unlocked (that runs
    /// `Ord`).
    pub(crate) fn shutdown_immediate(&mut self, after: &mut AfterUnlock) -> Vec<T> {
        // [SHUT-5] set the flag and remove every item, moving them only: no
        // `Ord` runs under the lock [SHUT-7] and none is dropped here
        // [PANIC-6].
        self.shutdown = true;
        let drained = self.items.take_all();
        // [SHUT-5] one unfinished task less per item, never below zero.
        self.unfinished_tasks = self.unfinished_tasks.saturating_sub(drained.len());
        // [SHUT-6] joiners first, if the count reached zero [STATE-12].
        if self.unfinished_tasks == 0 {
            self.waiting_joiners.notify_all(|w| after.wake(w));
        }
        self.release_getters_and_putters(after);
        drained
    }

    /// Both shutdowns end here.
    fn release_getters_and_putters(&mut self, after: &mut AfterUnlock) {
        // [SHUT-3] [SHUT-6] every getter, then every putter, each in arrival
        // order [WAKE-2]; the lists stay empty from now on [STATE-11].
        self.waiting_getters.notify_all(|w| after.wake(w));
        self.waiting_putters.notify_all(|w| after.wake(w));
    }

    /// Whether a (re)polled `put`/`get` should run its loop body: it never
    /// waited, or it was notified. A waiter still waiting keeps its place
    /// and only refreshes its waker.
    fn resume(&mut self, side: Side, waiter: &mut Option<WaiterKey>, waker: &Waker) -> bool {
        let Some(key) = *waiter else {
            return true;
        };
        // [POLL-3] still waiting: keep the place; only the waker is refreshed.
        if !self.waiters_on(side).take_notified(key, waker) {
            return false;
        }
        // [POLL-4] notified: consume the notification and run the rule afresh.
        *waiter = None;
        true
    }

    /// A waiting future's place in its list (1 = first), for `Debug`.
    pub(crate) fn place(&self, list: Side, key: WaiterKey) -> Option<usize> {
        // [DEBUG-2]
        match list {
            Side::Getters => self.waiting_getters.place(key),
            Side::Putters => self.waiting_putters.place(key),
            Side::Joiners => self.waiting_joiners.place(key),
        }
    }

    fn waiters_on(&mut self, side: Side) -> &mut WaiterList {
        match side {
            Side::Getters => &mut self.waiting_getters,
            Side::Putters => &mut self.waiting_putters,
            Side::Joiners => &mut self.waiting_joiners,
        }
    }
}

/// Which waiter list a future waits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    Getters,
    Putters,
    Joiners,
}

/// Counts a pushed item and wakes the front waiting getter when dropped, if
/// the item is in the buffer: after the push, or while a panicking `Ord`
/// unwinds from it with the item kept. One path for both, so a panicking
/// put is announced exactly as any other. (Not disarmed by moving it into
/// `mem::forget`: that move copied the guard through the stack in a way
/// that stalled the CPU's store forwarding, doubling the time of a
/// `PriorityQueue` pair in a benchmark.)
struct CountPut<'a, T, O: Order<T>> {
    state: &'a mut State<T, O>,
    after: &'a mut AfterUnlock,
    len_before: usize,
}

impl<T, O: Order<T>> Drop for CountPut<'_, T, O> {
    #[inline]
    fn drop(&mut self) {
        // [TRYPUT-3] [PANIC-3]
        if self.state.items.len() > self.len_before {
            self.state.count_put(self.after);
        }
    }
}

/// Armed while a woken (or just arrived) getter takes: if `Ord` panics,
/// the getter has used its turn on nothing it keeps, so dropping this
/// passes the turn on while items remain. Disarmed in place, not by
/// `mem::forget` (see `CountPut`), once the take returned without a caught
/// panic.
struct PassTurn<'a, T, O: Order<T>> {
    state: &'a mut State<T, O>,
    after: &'a mut AfterUnlock,
    armed: bool,
}

impl<T, O: Order<T>> Drop for PassTurn<'_, T, O> {
    fn drop(&mut self) {
        // [PANIC-4] [MANY-4] [STATE-13] as a dropped notified `get` does
        // [CANCEL-3].
        if self.armed && !self.state.items.is_empty() {
            wake_next(&mut self.state.waiting_getters, self.after);
        }
    }
}

/// CPython's `_wakeup_next`: notify the first waiter still waiting, if any.
#[inline]
fn wake_next(list: &mut WaiterList, after: &mut AfterUnlock) {
    // [WAKE-1] the front waiter or nobody; woken after the unlock [WAKE-4].
    if let Some(waker) = list.notify_one() {
        after.wake(waker);
    }
}
