//! The `stream` feature: the queue's items as a `futures_core::Stream`.

use std::fmt;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::stream::{FusedStream, Stream};

use crate::lock::{Local, Lock, Shared};
use crate::order::Order;
use crate::queue::GenericQueue;
use crate::queue_ref::QueueRef;
use crate::state::Side;
use crate::waiters::WaiterKey;

impl<T, O: Order<T>, L: Lock> GenericQueue<T, O, L> {
    /// The queue's items as a [`Stream`]: each item is one
    /// [`get`](Self::get), and the stream ends once the queue is shut down
    /// and empty (when `get` would fail with [`GetError`](crate::GetError)).
    ///
    /// As in asyncio, [`task_done`](Self::task_done) stays the caller's job.
    ///
    /// Rules: [`STREAM-1`](crate::semantics#STREAM-1), [`STREAM-2`](crate::semantics#STREAM-2).
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// use futures::StreamExt;
    ///
    /// let queue = aioqueue::Queue::new(0);
    /// for job in 1..=3 {
    ///     queue.try_put(job).unwrap();
    /// }
    /// queue.shutdown(); // the stream ends once the items are taken
    /// let jobs: Vec<i32> = queue.stream().collect().await;
    /// assert_eq!(jobs, vec![1, 2, 3]);
    /// # });
    /// ```
    ///
    /// # Cancel safety
    ///
    /// `next()` is cancel safe, as [`get`](Self::get) is: dropping the
    /// stream, or a `next()` future, while it waits loses no item, and a
    /// wakeup it can no longer use passes to the next getter.
    #[cfg_attr(docsrs, doc(cfg(feature = "stream")))]
    pub fn stream(&self) -> GetStream<'_, T, O, L> {
        GetStream::new(QueueRef::Borrowed(self))
    }
}

impl<T, O: Order<T>> GenericQueue<T, O, Shared> {
    /// [`stream`](Self::stream) through an `Arc`: the stream holds the
    /// `Arc`, so it is `'static` when `T` is, and can be stored or spawned.
    ///
    /// Rules: [`STREAM-1`](crate::semantics#STREAM-1), [`OWNED-1`](crate::semantics#OWNED-1).
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// use std::sync::Arc;
    /// use futures::StreamExt;
    ///
    /// let queue = Arc::new(aioqueue::Queue::new(0));
    /// let mut stream = Arc::clone(&queue).into_stream();
    /// queue.try_put("a").unwrap();
    /// assert_eq!(stream.next().await, Some("a"));
    /// queue.shutdown();
    /// assert_eq!(stream.next().await, None);
    /// # });
    /// ```
    ///
    /// # Cancel safety
    ///
    /// As [`stream`](Self::stream)'s.
    #[cfg_attr(docsrs, doc(cfg(feature = "stream")))]
    pub fn into_stream<'a>(self: Arc<Self>) -> GetStream<'a, T, O>
    where
        Self: 'a,
    {
        GetStream::new(QueueRef::Owned(self))
    }
}

impl<T, O: Order<T>> GenericQueue<T, O, Local> {
    /// [`stream`](Self::stream) through an `Rc`, for a queue of one thread:
    /// the stream holds the `Rc`, so it is `'static` when `T` is.
    ///
    /// Rules: [`STREAM-1`](crate::semantics#STREAM-1), [`OWNED-1`](crate::semantics#OWNED-1),
    /// [`LOCAL-1`](crate::semantics#LOCAL-1).
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// use std::rc::Rc;
    /// use futures::StreamExt;
    ///
    /// let queue = Rc::new(aioqueue::local::Queue::new(0));
    /// let mut stream = Rc::clone(&queue).into_stream();
    /// queue.try_put("a").unwrap();
    /// assert_eq!(stream.next().await, Some("a"));
    /// queue.shutdown();
    /// assert_eq!(stream.next().await, None);
    /// # });
    /// ```
    ///
    /// # Cancel safety
    ///
    /// As [`stream`](Self::stream)'s.
    #[cfg_attr(docsrs, doc(cfg(feature = "stream")))]
    pub fn into_stream<'a>(self: Rc<Self>) -> GetStream<'a, T, O, Local>
    where
        Self: 'a,
    {
        GetStream::new(QueueRef::Owned(self))
    }
}

/// The items of a queue as a [`Stream`], made by
/// [`stream`](GenericQueue::stream) or [`into_stream`](GenericQueue::into_stream).
///
/// Each `poll_next` is a poll of a `get`: it waits in the same list of
/// getters, and takes its item under the same rules. The stream ends
/// (`None`) once the queue is shut down and empty, and stays ended.
///
/// Rules: [`STREAM-1`](crate::semantics#STREAM-1), [`STREAM-2`](crate::semantics#STREAM-2),
/// [`STREAM-3`](crate::semantics#STREAM-3).
///
/// ```
/// # futures::executor::block_on(async {
/// use futures::stream::{FusedStream, StreamExt};
///
/// let queue = aioqueue::Queue::<u8>::new(0);
/// queue.shutdown_immediate();
/// let mut stream = queue.stream();
/// assert_eq!(stream.next().await, None);
/// assert!(stream.is_terminated());
/// # });
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "stream")))]
#[must_use = "streams do nothing unless polled"]
pub struct GetStream<'a, T, O: Order<T>, L: Lock = Shared> {
    queue: QueueRef<'a, T, O, L>,
    waiter: Option<WaiterKey>,
    ended: bool,
}

impl<T, O: Order<T>, L: Lock> Unpin for GetStream<'_, T, O, L> {}

impl<'a, T, O: Order<T>, L: Lock> GetStream<'a, T, O, L> {
    fn new(queue: QueueRef<'a, T, O, L>) -> Self {
        // [POLL-1] built, not run.
        GetStream {
            queue,
            waiter: None,
            ended: false,
        }
    }
}

impl<T, O: Order<T>, L: Lock> Stream for GetStream<'_, T, O, L> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let this = self.get_mut();
        // [STREAM-3] ended: stays ended, without the lock.
        if this.ended {
            return Poll::Ready(None);
        }
        let waiter = &mut this.waiter;
        // [STREAM-1] one poll of a `get`.
        let poll = this
            .queue
            .locked(|state, after| state.poll_get(waiter, cx.waker(), after));
        // [STREAM-2] `GetError`: shut down and empty, the end.
        poll.map(|result| {
            this.ended = result.is_err();
            result.ok()
        })
    }
}

impl<T, O: Order<T>, L: Lock> FusedStream for GetStream<'_, T, O, L> {
    fn is_terminated(&self) -> bool {
        self.ended
    }
}

impl<T, O: Order<T>, L: Lock> Drop for GetStream<'_, T, O, L> {
    fn drop(&mut self) {
        // [STREAM-1] a waiting stream is cancelled as a `Get` is.
        self.queue.leave(Side::Getters, &mut self.waiter);
    }
}

impl<T, O: Order<T>, L: Lock> fmt::Debug for GetStream<'_, T, O, L> {
    /// `GetStream { waiting: true, place: Some(1), ended: false, .. }`, as
    /// for [`Get`](crate::Get).
    ///
    /// Rules: [`DEBUG-2`](crate::semantics#DEBUG-2).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetStream")
            .field("waiting", &self.waiter.is_some())
            .field("place", &self.queue.place(Side::Getters, self.waiter))
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}
