//! The futures of `put`, `get` and `join`.
//!
//! Each does nothing until first polled, like an asyncio coroutine. A poll
//! either completes, or leaves the future in its waiter list; a later poll
//! that was not preceded by a notify keeps its place and only refreshes the
//! waker. Dropping a future is cancelling it: `Drop` leaves the list, or
//! passes on a wakeup it can no longer use.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::error::{GetError, PutError};
use crate::lock::{Lock, Shared};
use crate::order::Order;
use crate::queue_ref::QueueRef;
use crate::state::Side;
use crate::waiters::WaiterKey;

/// The future of [`GenericQueue::put`](crate::GenericQueue::put): resolves once the item is in the
/// queue, or to a [`PutError`] holding it if the queue was shut down.
///
/// Polling it again after it completed panics. It borrows the queue
/// (`Put<'a, ..>`), or, made by [`put_owned`](crate::GenericQueue::put_owned),
/// holds an `Arc` of it and is `'static` when `T` is.
///
/// Rules: when polled, [`POLL-1`](crate::semantics#POLL-1), [`POLL-2`](crate::semantics#POLL-2),
/// [`POLL-3`](crate::semantics#POLL-3), [`POLL-4`](crate::semantics#POLL-4),
/// [`POLL-5`](crate::semantics#POLL-5), [`POLL-6`](crate::semantics#POLL-6),
/// [`POLL-7`](crate::semantics#POLL-7), [`WAKE-4`](crate::semantics#WAKE-4),
/// [`WAKE-5`](crate::semantics#WAKE-5), [`PANIC-3`](crate::semantics#PANIC-3); when dropped,
/// [`CANCEL-1`](crate::semantics#CANCEL-1), [`CANCEL-2`](crate::semantics#CANCEL-2),
/// [`CANCEL-3`](crate::semantics#CANCEL-3), [`CANCEL-4`](crate::semantics#CANCEL-4),
/// [`CANCEL-6`](crate::semantics#CANCEL-6), [`CANCEL-7`](crate::semantics#CANCEL-7).
///
/// ```
/// # futures::executor::block_on(async {
/// use aioqueue::{Put, Queue};
///
/// let queue = Queue::new(1);
/// let put: Put<'_, _, _> = queue.put("a");
/// assert!(queue.is_empty(), "nothing happens until it is polled");
/// put.await.unwrap();
/// assert_eq!(queue.len(), 1);
/// # });
/// ```
#[must_use = "futures do nothing unless polled; a dropped `Put` puts nothing"]
pub struct Put<'a, T, O: Order<T>, L: Lock = Shared> {
    queue: QueueRef<'a, T, O, L>,
    /// `None` once the put completed.
    item: Option<T>,
    waiter: Option<WaiterKey>,
}

/// The future of [`GenericQueue::get`](crate::GenericQueue::get): resolves to an item, or to a
/// [`GetError`] once the queue is shut down and empty.
///
/// Polling it again after it completed panics. It borrows the queue, or,
/// made by [`get_owned`](crate::GenericQueue::get_owned), holds an `Arc`.
///
/// Rules: when polled, [`POLL-1`](crate::semantics#POLL-1), [`POLL-2`](crate::semantics#POLL-2),
/// [`POLL-3`](crate::semantics#POLL-3), [`POLL-4`](crate::semantics#POLL-4),
/// [`POLL-5`](crate::semantics#POLL-5), [`POLL-6`](crate::semantics#POLL-6),
/// [`POLL-7`](crate::semantics#POLL-7), [`WAKE-4`](crate::semantics#WAKE-4),
/// [`WAKE-5`](crate::semantics#WAKE-5), [`PANIC-4`](crate::semantics#PANIC-4); when dropped,
/// [`CANCEL-1`](crate::semantics#CANCEL-1), [`CANCEL-2`](crate::semantics#CANCEL-2),
/// [`CANCEL-3`](crate::semantics#CANCEL-3), [`CANCEL-4`](crate::semantics#CANCEL-4),
/// [`CANCEL-6`](crate::semantics#CANCEL-6), [`CANCEL-7`](crate::semantics#CANCEL-7).
///
/// ```
/// use std::future::Future;
/// use std::pin::pin;
/// use std::task::{Context, Poll, Waker};
///
/// let queue = aioqueue::Queue::new(0);
/// let mut get = pin!(queue.get());
/// let mut cx = Context::from_waker(Waker::noop());
/// assert!(get.as_mut().poll(&mut cx).is_pending());
/// queue.try_put(7).unwrap();
/// assert_eq!(get.as_mut().poll(&mut cx), Poll::Ready(Ok(7)));
/// ```
#[must_use = "futures do nothing unless polled; a dropped `Get` takes nothing"]
pub struct Get<'a, T, O: Order<T>, L: Lock = Shared> {
    queue: QueueRef<'a, T, O, L>,
    done: bool,
    waiter: Option<WaiterKey>,
}

/// The future of [`GenericQueue::join`](crate::GenericQueue::join): resolves once every item put has
/// been marked done.
///
/// Polling it again after it completed panics. It borrows the queue, or,
/// made by [`join_owned`](crate::GenericQueue::join_owned), holds an `Arc`.
///
/// Rules: when polled, [`POLL-1`](crate::semantics#POLL-1), [`POLL-2`](crate::semantics#POLL-2),
/// [`POLL-3`](crate::semantics#POLL-3), [`POLL-4`](crate::semantics#POLL-4),
/// [`POLL-5`](crate::semantics#POLL-5), [`POLL-6`](crate::semantics#POLL-6),
/// [`POLL-7`](crate::semantics#POLL-7), [`WAKE-5`](crate::semantics#WAKE-5),
/// [`JOIN-6`](crate::semantics#JOIN-6), [`DIFF-10`](crate::semantics#DIFF-10); when dropped,
/// [`CANCEL-1`](crate::semantics#CANCEL-1), [`CANCEL-4`](crate::semantics#CANCEL-4),
/// [`CANCEL-5`](crate::semantics#CANCEL-5).
///
/// ```
/// # futures::executor::block_on(async {
/// let queue = aioqueue::Queue::new(0);
/// queue.join().await; // nothing unfinished: ready at once
/// queue.try_put(1).unwrap();
/// queue.try_get().unwrap();
/// queue.task_done().unwrap();
/// queue.join().await;
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Join<'a, T, O: Order<T>, L: Lock = Shared> {
    queue: QueueRef<'a, T, O, L>,
    done: bool,
    waiter: Option<WaiterKey>,
}

/// The future of [`GenericQueue::get_many`](crate::GenericQueue::get_many):
/// waits for an item as [`Get`] does, then resolves to up to `max` items
/// taken under one lock, or to a [`GetError`] once the queue is shut down
/// and empty.
///
/// Polling it again after it completed panics.
///
/// Rules: [`MANY-1`](crate::semantics#MANY-1), [`MANY-3`](crate::semantics#MANY-3), and those of
/// a [`Get`].
///
/// ```
/// # futures::executor::block_on(async {
/// let queue = aioqueue::Queue::new(0);
/// for job in 1..=3 {
///     queue.try_put(job).unwrap();
/// }
/// assert_eq!(queue.get_many(2).await, Ok(vec![1, 2]));
/// assert_eq!(queue.get_many(2).await, Ok(vec![3]));
/// # });
/// ```
#[must_use = "futures do nothing unless polled; a dropped `GetMany` takes nothing"]
pub struct GetMany<'a, T, O: Order<T>, L: Lock = Shared> {
    queue: QueueRef<'a, T, O, L>,
    max: usize,
    done: bool,
    waiter: Option<WaiterKey>,
}

// [POLL-7] None of them is ever pinned through: the item is moved, not borrowed.
impl<T, O: Order<T>, L: Lock> Unpin for Put<'_, T, O, L> {}
impl<T, O: Order<T>, L: Lock> Unpin for Get<'_, T, O, L> {}
impl<T, O: Order<T>, L: Lock> Unpin for Join<'_, T, O, L> {}
impl<T, O: Order<T>, L: Lock> Unpin for GetMany<'_, T, O, L> {}

impl<'a, T, O: Order<T>, L: Lock> Put<'a, T, O, L> {
    pub(crate) fn new(queue: QueueRef<'a, T, O, L>, item: T) -> Self {
        // [POLL-1] built, not run: no lock taken, nothing registered.
        Put {
            queue,
            item: Some(item),
            waiter: None,
        }
    }
}

impl<T, O: Order<T>, L: Lock> Put<'_, T, O, L> {
    /// Cancels the put and hands its item back, unless the put completed.
    ///
    /// It cancels exactly as dropping the future does: a put never polled
    /// did nothing; a waiting one leaves the waiting putters at once; one
    /// that was woken for a free slot and has not run since passes the
    /// wakeup on to the next putter if the slot is still free. Only the
    /// item's fate differs: it comes back instead of being dropped. `None`
    /// if the put completed: its item is in the queue, or the `PutError`
    /// it returned handed the item back.
    ///
    /// Use it where a put waits under a timeout or in `select!`, to keep
    /// the item of a put that lost the race.
    ///
    /// Rules: [`CANCEL-8`](crate::semantics#CANCEL-8), and those of a
    /// drop: [`CANCEL-1`](crate::semantics#CANCEL-1),
    /// [`CANCEL-2`](crate::semantics#CANCEL-2),
    /// [`CANCEL-3`](crate::semantics#CANCEL-3),
    /// [`CANCEL-4`](crate::semantics#CANCEL-4),
    /// [`CANCEL-7`](crate::semantics#CANCEL-7).
    ///
    /// ```
    /// use std::future::Future;
    /// use std::pin::Pin;
    /// use std::task::{Context, Waker};
    ///
    /// let queue = aioqueue::Queue::new(1);
    /// queue.try_put("first").unwrap();
    /// let mut put = queue.put("second");
    /// let mut cx = Context::from_waker(Waker::noop());
    /// assert!(Pin::new(&mut put).poll(&mut cx).is_pending()); // full: it waits
    /// assert_eq!(queue.waiting_putters(), 1);
    /// assert_eq!(put.cancel(), Some("second")); // the item comes back
    /// assert_eq!(queue.waiting_putters(), 0);
    /// assert_eq!(queue.len(), 1);
    /// ```
    pub fn cancel(mut self) -> Option<T> {
        // [CANCEL-8] a drop's bookkeeping [CANCEL-2] [CANCEL-3], woken
        // after unlocking [CANCEL-7]; the item is taken before `Drop` runs.
        self.queue.leave(Side::Putters, &mut self.waiter);
        // [CANCEL-8] `None` once completed [CANCEL-4].
        self.item.take()
    }
}

impl<'a, T, O: Order<T>, L: Lock> Get<'a, T, O, L> {
    pub(crate) fn new(queue: QueueRef<'a, T, O, L>) -> Self {
        // [POLL-1] built, not run: no lock taken, nothing registered.
        Get {
            queue,
            done: false,
            waiter: None,
        }
    }
}

impl<'a, T, O: Order<T>, L: Lock> GetMany<'a, T, O, L> {
    pub(crate) fn new(queue: QueueRef<'a, T, O, L>, max: usize) -> Self {
        // [POLL-1] built, not run.
        GetMany {
            queue,
            max,
            done: false,
            waiter: None,
        }
    }
}

impl<'a, T, O: Order<T>, L: Lock> Join<'a, T, O, L> {
    pub(crate) fn new(queue: QueueRef<'a, T, O, L>) -> Self {
        // [POLL-1] built, not run: the count is read at the first poll [JOIN-1].
        Join {
            queue,
            done: false,
            waiter: None,
        }
    }
}

impl<T, O: Order<T>, L: Lock> Future for Put<'_, T, O, L> {
    type Output = Result<(), PutError<T>>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        // [POLL-6] completed (or its item lost to a panicking `Ord`,
        // [PANIC-3]): polling again panics.
        assert!(this.item.is_some(), "`Put` polled after completion");
        let (waiter, item) = (&mut this.waiter, &mut this.item);
        this.queue
            .locked(|state, after| state.poll_put(waiter, item, cx.waker(), after))
    }
}

impl<T, O: Order<T>, L: Lock> Future for Get<'_, T, O, L> {
    type Output = Result<T, GetError>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        // [POLL-6] completed: polling again panics.
        assert!(!this.done, "`Get` polled after completion");
        let waiter = &mut this.waiter;
        let poll = this
            .queue
            .locked(|state, after| state.poll_get(waiter, cx.waker(), after));
        // [PANIC-4] a panic unwinds past this: the future is unpolled again,
        // and its next poll is a fresh attempt.
        this.done = poll.is_ready();
        poll
    }
}

impl<T, O: Order<T>, L: Lock> Future for GetMany<'_, T, O, L> {
    type Output = Result<Vec<T>, GetError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        // [POLL-6] completed: polling again panics.
        assert!(!this.done, "`GetMany` polled after completion");
        // [MANY-3] asking for none: done at once, without the lock.
        if this.max == 0 {
            this.done = true;
            return Poll::Ready(Ok(Vec::new()));
        }
        let (waiter, max) = (&mut this.waiter, this.max);
        let poll = this
            .queue
            .locked(|state, after| state.poll_get_many(waiter, max, cx.waker(), after));
        this.done = poll.is_ready();
        poll
    }
}

impl<T, O: Order<T>, L: Lock> Future for Join<'_, T, O, L> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        // [POLL-6] [JOIN-6] completed: polling again panics, as for `Put`
        // and `Get`.
        assert!(!this.done, "`Join` polled after completion");
        let waiter = &mut this.waiter;
        let poll = this
            .queue
            .locked(|state, _| state.poll_join(waiter, cx.waker()));
        this.done = poll.is_ready();
        poll
    }
}

impl<T, O: Order<T>, L: Lock> Drop for Put<'_, T, O, L> {
    fn drop(&mut self) {
        self.queue.leave(Side::Putters, &mut self.waiter);
        // [CANCEL-7] [PANIC-6] The unput item is dropped after this, with the
        // lock released.
    }
}

impl<T, O: Order<T>, L: Lock> Drop for Get<'_, T, O, L> {
    fn drop(&mut self) {
        self.queue.leave(Side::Getters, &mut self.waiter);
    }
}

impl<T, O: Order<T>, L: Lock> Drop for GetMany<'_, T, O, L> {
    fn drop(&mut self) {
        // [MANY-1] cancelled as a `Get` is [CANCEL-2] [CANCEL-3].
        self.queue.leave(Side::Getters, &mut self.waiter);
    }
}

impl<T, O: Order<T>, L: Lock> Drop for Join<'_, T, O, L> {
    fn drop(&mut self) {
        // [CANCEL-5] waiting or notified: leave the list, or forget the
        // notification; never wakes anyone.
        self.queue.leave(Side::Joiners, &mut self.waiter);
    }
}

impl<T, O: Order<T>, L: Lock> fmt::Debug for Put<'_, T, O, L> {
    /// `Put { waiting: true, place: Some(2), done: false, .. }`: `place` is
    /// the future's place in the waiting putters (1 = the next one a get
    /// wakes), `None` when it is not waiting.
    ///
    /// Rules: [`DEBUG-2`](crate::semantics#DEBUG-2).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Put")
            .field("waiting", &self.waiter.is_some())
            .field("place", &self.queue.place(Side::Putters, self.waiter))
            .field("done", &self.item.is_none())
            .finish_non_exhaustive()
    }
}

impl<T, O: Order<T>, L: Lock> fmt::Debug for Get<'_, T, O, L> {
    /// `Get { waiting: true, place: Some(1), done: false, .. }`, as for [`Put`].
    ///
    /// Rules: [`DEBUG-2`](crate::semantics#DEBUG-2).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Get")
            .field("waiting", &self.waiter.is_some())
            .field("place", &self.queue.place(Side::Getters, self.waiter))
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T, O: Order<T>, L: Lock> fmt::Debug for Join<'_, T, O, L> {
    /// `Join { waiting: true, place: Some(1), done: false, .. }`, as for [`Put`].
    ///
    /// Rules: [`DEBUG-2`](crate::semantics#DEBUG-2).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Join")
            .field("waiting", &self.waiter.is_some())
            .field("place", &self.queue.place(Side::Joiners, self.waiter))
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T, O: Order<T>, L: Lock> fmt::Debug for GetMany<'_, T, O, L> {
    /// `GetMany { max: 8, waiting: true, place: Some(1), done: false, .. }`,
    /// as for [`Put`].
    ///
    /// Rules: [`DEBUG-2`](crate::semantics#DEBUG-2).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetMany")
            .field("max", &self.max)
            .field("waiting", &self.waiter.is_some())
            .field("place", &self.queue.place(Side::Getters, self.waiter))
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
