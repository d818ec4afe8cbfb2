//! CPython 3.13's queue algorithm on plain data (`Lib/asyncio/queues.py`).
//!
//! Every method runs under the queue's lock and only *decides*: whom to
//! wake goes into [`AfterUnlock`], which wakes them once the lock is gone.
//! A future's waiting slot is its `Option<WaiterKey>`: `Some` while it is
//! in (or was just notified out of) a waiter list.

use std::marker::PhantomData;
use std::task::{Poll, Waker};

use crate::after_unlock::AfterUnlock;
use crate::error::{GetError, PutError, TaskDoneError, TryGetError, TryPutError};
use crate::order::Order;
use crate::waiters::{WaiterKey, WaiterList};

pub(crate) struct State<T, O> {
    items: O,
    maxsize: usize,
    waiting_getters: WaiterList,
    waiting_putters: WaiterList,
    waiting_joiners: WaiterList,
    unfinished_tasks: usize,
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
        self.maxsize
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    pub(crate) fn is_full(&self) -> bool {
        self.maxsize > 0 && self.items.len() >= self.maxsize
    }

    pub(crate) fn unfinished_tasks(&self) -> usize {
        self.unfinished_tasks
    }

    pub(crate) fn is_shutdown(&self) -> bool {
        self.shutdown
    }

    pub(crate) fn counts(&self) -> Counts {
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
        if self.shutdown {
            return Err(TryPutError::ShutDown(item));
        }
        if self.is_full() {
            return Err(TryPutError::Full(item));
        }
        let len_before = self.items.len();
        let items = &mut self.items;
        if O::RUNS_USER_CODE {
            after.catch(|| items.push(item));
        } else {
            items.push(item);
        }
        // Even if `Ord` panicked, the item may be in the buffer: then it was
        // put, and is counted and announced like any other.
        if self.items.len() > len_before {
            self.unfinished_tasks += 1;
            wake_next(&mut self.waiting_getters, after);
        }
        Ok(())
    }

    /// `get_nowait`.
    #[inline]
    pub(crate) fn try_get(&mut self, after: &mut AfterUnlock) -> Result<T, TryGetError> {
        if self.items.is_empty() {
            return Err(if self.shutdown {
                TryGetError::ShutDown
            } else {
                TryGetError::Empty
            });
        }
        let items = &mut self.items;
        let popped = if O::RUNS_USER_CODE {
            after.catch(|| items.pop()).flatten()
        } else {
            items.pop()
        };
        match popped {
            Some(item) => {
                wake_next(&mut self.waiting_putters, after);
                Ok(item)
            }
            // `Ord` panicked with the item still in the buffer; `after`
            // re-raises, so this error is never seen.
            None => Err(TryGetError::Empty),
        }
    }

    /// One poll of `put`: CPython's `while full(): wait` loop, then `put_nowait`.
    pub(crate) fn poll_put(
        &mut self,
        waiter: &mut Option<WaiterKey>,
        item: &mut Option<T>,
        waker: &Waker,
        after: &mut AfterUnlock,
    ) -> Poll<Result<(), PutError<T>>> {
        if !self.resume(Side::Putters, waiter, waker) {
            return Poll::Pending;
        }
        // The future checks that it still holds its item before locking.
        let Some(value) = item.take() else {
            return Poll::Pending;
        };
        if !self.is_full() {
            return Poll::Ready(
                self.try_put(value, after)
                    .map_err(|e| PutError(e.into_inner())),
            );
        }
        if self.shutdown {
            return Poll::Ready(Err(PutError(value)));
        }
        *item = Some(value);
        *waiter = Some(self.waiting_putters.push_back(waker));
        Poll::Pending
    }

    /// One poll of `get`: CPython's `while empty(): wait` loop, then `get_nowait`.
    pub(crate) fn poll_get(
        &mut self,
        waiter: &mut Option<WaiterKey>,
        waker: &Waker,
        after: &mut AfterUnlock,
    ) -> Poll<Result<T, GetError>> {
        if !self.resume(Side::Getters, waiter, waker) {
            return Poll::Pending;
        }
        if !self.items.is_empty() {
            let result = self.try_get(after);
            if after.panicked() && !self.items.is_empty() {
                // `Ord` panicked with every item still there: this getter
                // used its wakeup for nothing, so it passes it on.
                wake_next(&mut self.waiting_getters, after);
            }
            return Poll::Ready(result.map_err(|_| GetError));
        }
        if self.shutdown {
            return Poll::Ready(Err(GetError));
        }
        *waiter = Some(self.waiting_getters.push_back(waker));
        Poll::Pending
    }

    /// A waiting or notified future was dropped. A notified `put`/`get` that
    /// can no longer use its wakeup passes it on (bpo-23812); a released
    /// joiner just leaves.
    pub(crate) fn cancel(&mut self, side: Side, waiter: WaiterKey, after: &mut AfterUnlock) {
        let could_proceed = match side {
            Side::Getters => !self.items.is_empty(),
            Side::Putters => !self.is_full(),
            // A released joiner's wakeup is not a turn: nothing to pass on.
            Side::Joiners => false,
        };
        let list = self.waiters_on(side);
        if list.remove(waiter) && could_proceed {
            wake_next(list, after);
        }
    }

    /// One poll of `join`: an asyncio `Event` wait, entered only if tasks
    /// are unfinished. Once notified it completes, whatever the count is now.
    pub(crate) fn poll_join(&mut self, waiter: &mut Option<WaiterKey>, waker: &Waker) -> Poll<()> {
        if let Some(key) = *waiter {
            if !self.waiting_joiners.take_notified(key, waker) {
                return Poll::Pending;
            }
            *waiter = None;
            return Poll::Ready(());
        }
        if self.unfinished_tasks == 0 {
            return Poll::Ready(());
        }
        *waiter = Some(self.waiting_joiners.push_back(waker));
        Poll::Pending
    }

    pub(crate) fn task_done(&mut self, after: &mut AfterUnlock) -> Result<(), TaskDoneError> {
        if self.unfinished_tasks == 0 {
            return Err(TaskDoneError);
        }
        self.unfinished_tasks -= 1;
        if self.unfinished_tasks == 0 {
            self.waiting_joiners.notify_all(|w| after.wake(w));
        }
        Ok(())
    }

    /// `shutdown(immediate)`. Returns the drained items in storage order;
    /// the caller puts them in get order once unlocked (that runs `Ord`).
    pub(crate) fn shutdown(&mut self, immediate: bool, after: &mut AfterUnlock) -> Vec<T> {
        self.shutdown = true;
        let mut drained = Vec::new();
        if immediate {
            drained = self.items.take_all();
            self.unfinished_tasks = self.unfinished_tasks.saturating_sub(drained.len());
            if self.unfinished_tasks == 0 {
                self.waiting_joiners.notify_all(|w| after.wake(w));
            }
        }
        self.waiting_getters.notify_all(|w| after.wake(w));
        self.waiting_putters.notify_all(|w| after.wake(w));
        drained
    }

    /// Whether a (re)polled `put`/`get` should run its loop body: it never
    /// waited, or it was notified. A waiter still waiting keeps its place
    /// and only refreshes its waker.
    fn resume(&mut self, side: Side, waiter: &mut Option<WaiterKey>, waker: &Waker) -> bool {
        let Some(key) = *waiter else {
            return true;
        };
        if !self.waiters_on(side).take_notified(key, waker) {
            return false;
        }
        *waiter = None;
        true
    }

    /// A waiting future's place in its list (1 = first), for `Debug`.
    pub(crate) fn place(&self, list: Side, key: WaiterKey) -> Option<usize> {
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

/// CPython's `_wakeup_next`: notify the first waiter still waiting, if any.
#[inline]
fn wake_next(list: &mut WaiterList, after: &mut AfterUnlock) {
    if let Some(waker) = list.notify_one() {
        after.wake(waker);
    }
}
