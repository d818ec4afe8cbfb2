//! The queue: one generic core over an ordering, and the three public names.

use std::fmt;
use std::num::NonZeroUsize;

use crate::after_unlock::AfterUnlock;
use crate::error::{TaskDoneError, TryGetError, TryPutError};
use crate::future::{Get, GetMany, Join, Put};
use crate::lock::{Lock, Shared};
use crate::order::{Fifo, Lifo, Order, Priority};
use crate::queue_ref::QueueRef;
use crate::state::{Side, State};
use crate::waiters::WaiterKey;

/// A first in, first out queue: asyncio's `Queue`.
///
/// All methods are those of [`GenericQueue`].
///
/// Rules: [`ORDER-1`](crate::semantics#ORDER-1).
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let queue = aioqueue::Queue::new(0);
/// for i in [1, 3, 2] {
///     queue.put(i).await.unwrap();
/// }
/// assert_eq!(queue.get().await, Ok(1));
/// assert_eq!(queue.get().await, Ok(3));
/// assert_eq!(queue.get().await, Ok(2));
/// # });
/// ```
pub type Queue<T> = GenericQueue<T, Fifo<T>>;

/// A last in, first out queue: asyncio's `LifoQueue`.
///
/// All methods are those of [`GenericQueue`].
///
/// Rules: [`ORDER-2`](crate::semantics#ORDER-2).
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let queue = aioqueue::LifoQueue::new(0);
/// for i in [1, 3, 2] {
///     queue.put(i).await.unwrap();
/// }
/// assert_eq!(queue.get().await, Ok(2));
/// assert_eq!(queue.get().await, Ok(3));
/// assert_eq!(queue.get().await, Ok(1));
/// # });
/// ```
pub type LifoQueue<T> = GenericQueue<T, Lifo<T>>;

/// A queue that returns its smallest item first: asyncio's `PriorityQueue`.
///
/// Items must be [`Ord`]. The heap is CPython's `heapq`, comparison for
/// comparison, so equal items come out in the order `asyncio.PriorityQueue`
/// gives them, which is not the order they were put in (see [`Priority`]).
/// As in asyncio, a `(priority, data)` tuple is the usual item; put
/// `(priority, sequence, data)` for first-in-first-out among equal
/// priorities. All methods are
/// those of [`GenericQueue`].
///
/// Rules: [`ORDER-3`](crate::semantics#ORDER-3).
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let queue = aioqueue::PriorityQueue::new(0);
/// queue.put((2, "write")).await.unwrap();
/// queue.put((1, "read")).await.unwrap();
/// assert_eq!(queue.get().await, Ok((1, "read")));
/// # });
/// ```
pub type PriorityQueue<T> = GenericQueue<T, Priority<T>>;

/// The queue behind [`Queue`], [`LifoQueue`] and [`PriorityQueue`]: one
/// implementation of asyncio's algorithm, generic over the [`Order`] in which
/// `get` takes items, and over the [`Lock`] that guards it.
///
/// All methods take `&self`. With the default lock, [`Shared`], the queue is
/// `Send + Sync` when `T: Send`, so tasks on any executor and thread can
/// share it through an `Arc`. With [`Local`](crate::Local), it is a queue
/// for tasks on one thread ([`crate::local`]); the blocking face
/// (`put_blocking` and the others) is the thread-safe queue's alone.
///
/// Rules: [`ORDER-4`](crate::semantics#ORDER-4), [`WAKE-3`](crate::semantics#WAKE-3),
/// [`WAKE-4`](crate::semantics#WAKE-4), [`WAKE-6`](crate::semantics#WAKE-6),
/// [`PANIC-1`](crate::semantics#PANIC-1), [`PANIC-2`](crate::semantics#PANIC-2),
/// [`PANIC-6`](crate::semantics#PANIC-6), [`DIFF-3`](crate::semantics#DIFF-3),
/// [`DIFF-4`](crate::semantics#DIFF-4), [`LOCAL-1`](crate::semantics#LOCAL-1).
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// use std::sync::Arc;
/// use aioqueue::Queue;
///
/// let queue = Arc::new(Queue::new(2));
/// let producer = {
///     let queue = Arc::clone(&queue);
///     async move {
///         for job in 0..5 {
///             queue.put(job).await.unwrap();
///         }
///         queue.shutdown();
///     }
/// };
/// let consumer = async {
///     let mut done = Vec::new();
///     while let Ok(job) = queue.get().await {
///         done.push(job);
///         queue.task_done().unwrap();
///     }
///     done
/// };
/// let ((), done) = futures::join!(producer, consumer);
/// assert_eq!(done, vec![0, 1, 2, 3, 4]);
/// # });
/// ```
pub struct GenericQueue<T, O, L: Lock = Shared> {
    state: L::Cell<State<T, O>>,
}

impl<T, O: Order<T>, L: Lock> GenericQueue<T, O, L> {
    /// Creates a queue that holds at most `maxsize` items; `0` means
    /// unbounded (asyncio's `maxsize <= 0`).
    ///
    /// Rules: [`NEW-1`](crate::semantics#NEW-1), [`STATE-2`](crate::semantics#STATE-2),
    /// [`DIFF-1`](crate::semantics#DIFF-1).
    ///
    /// ```
    /// let bounded = aioqueue::Queue::<u32>::new(10);
    /// assert_eq!(bounded.maxsize(), 10);
    /// let unbounded = aioqueue::Queue::<u32>::new(0);
    /// assert!(!unbounded.is_full());
    /// ```
    pub fn new(maxsize: usize) -> Self {
        GenericQueue {
            state: L::new(State::new(maxsize)),
        }
    }

    /// Creates a queue that holds at most `capacity` items: `new(capacity)`.
    /// The capacity is a [`NonZeroUsize`] because `0` would not mean a
    /// queue of no room: asyncio, and [`new`](Self::new), read it as
    /// unbounded.
    ///
    /// Rules: [`NEW-3`](crate::semantics#NEW-3).
    ///
    /// ```
    /// use std::num::NonZeroUsize;
    ///
    /// let queue = aioqueue::Queue::<u32>::bounded(NonZeroUsize::new(2).unwrap());
    /// assert_eq!(queue.capacity(), Some(2));
    /// queue.try_put(1).unwrap();
    /// queue.try_put(2).unwrap();
    /// assert!(queue.is_full());
    /// ```
    pub fn bounded(capacity: NonZeroUsize) -> Self {
        Self::new(capacity.get())
    }

    /// Creates a queue with no bound: `new(0)`.
    ///
    /// Rules: [`NEW-3`](crate::semantics#NEW-3).
    ///
    /// ```
    /// let queue = aioqueue::Queue::<u32>::unbounded();
    /// assert_eq!(queue.capacity(), None);
    /// assert_eq!(queue.maxsize(), 0);
    /// ```
    pub fn unbounded() -> Self {
        Self::new(0)
    }

    /// The number of items the queue may hold; `0` for unbounded.
    ///
    /// Rules: [`SIZE-1`](crate::semantics#SIZE-1), [`SIZE-5`](crate::semantics#SIZE-5).
    ///
    /// ```
    /// assert_eq!(aioqueue::LifoQueue::<()>::new(3).maxsize(), 3);
    /// ```
    pub fn maxsize(&self) -> usize {
        self.lock().maxsize()
    }

    /// The number of items the queue may hold, or `None` if it is
    /// unbounded: [`maxsize`](Self::maxsize) with `0` spelled `None`.
    ///
    /// Rules: [`SIZE-6`](crate::semantics#SIZE-6), [`SIZE-5`](crate::semantics#SIZE-5).
    ///
    /// ```
    /// assert_eq!(aioqueue::Queue::<u8>::new(3).capacity(), Some(3));
    /// assert_eq!(aioqueue::Queue::<u8>::new(0).capacity(), None);
    /// ```
    pub fn capacity(&self) -> Option<usize> {
        NonZeroUsize::new(self.maxsize()).map(NonZeroUsize::get)
    }

    /// The number of items in the queue (asyncio's `qsize()`).
    ///
    /// Rules: [`SIZE-2`](crate::semantics#SIZE-2), [`SIZE-5`](crate::semantics#SIZE-5).
    ///
    /// ```
    /// let queue = aioqueue::Queue::new(0);
    /// queue.try_put('a').unwrap();
    /// assert_eq!(queue.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether the queue holds no item (asyncio's `empty()`).
    ///
    /// Rules: [`SIZE-3`](crate::semantics#SIZE-3), [`SIZE-5`](crate::semantics#SIZE-5).
    ///
    /// ```
    /// let queue = aioqueue::Queue::<u8>::new(0);
    /// assert!(queue.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        // [SIZE-3]
        self.lock().len() == 0
    }

    /// Whether the queue holds `maxsize` items (asyncio's `full()`); never
    /// true for an unbounded queue.
    ///
    /// Rules: [`SIZE-4`](crate::semantics#SIZE-4), [`STATE-7`](crate::semantics#STATE-7),
    /// [`SIZE-5`](crate::semantics#SIZE-5).
    ///
    /// ```
    /// let queue = aioqueue::Queue::new(1);
    /// queue.try_put(1).unwrap();
    /// assert!(queue.is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        self.lock().is_full()
    }

    /// Puts an item into the queue, waiting while it is full
    /// (asyncio's `await put(item)`).
    ///
    /// Fails with [`PutError`](crate::PutError), which hands the item back,
    /// if the queue is shut down, or is shut down while this waits. Waiting
    /// putters are served first come, first served; a putter that is woken
    /// but finds the queue full again (another task took the free slot first)
    /// waits again at the back, exactly as in CPython 3.13.
    ///
    /// Rules: [`PUT-1`](crate::semantics#PUT-1), [`PUT-2`](crate::semantics#PUT-2),
    /// [`PUT-3`](crate::semantics#PUT-3), [`PUT-4`](crate::semantics#PUT-4),
    /// [`PUT-5`](crate::semantics#PUT-5), [`TRYPUT-3`](crate::semantics#TRYPUT-3),
    /// [`POLL-1`](crate::semantics#POLL-1), [`HIST-4`](crate::semantics#HIST-4).
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let queue = aioqueue::Queue::new(1);
    /// queue.put("first").await.unwrap();
    /// assert!(queue.is_full());
    /// # });
    /// ```
    ///
    /// # Cancel safety
    ///
    /// Cancel safe. Dropping the future before it completes puts nothing
    /// into the queue, and the item is dropped with the future. If it had
    /// been woken to take a free slot, the wakeup passes to the next waiting
    /// putter, so no slot is left unused. To keep the item, cancel with
    /// [`Put::cancel`](crate::Put::cancel) instead of dropping: it does the
    /// same and hands the item back ([`CANCEL-8`](crate::semantics#CANCEL-8)).
    ///
    /// Rules: [`CANCEL-1`](crate::semantics#CANCEL-1), [`CANCEL-2`](crate::semantics#CANCEL-2),
    /// [`CANCEL-3`](crate::semantics#CANCEL-3), [`CANCEL-4`](crate::semantics#CANCEL-4),
    /// [`CANCEL-6`](crate::semantics#CANCEL-6), [`CANCEL-7`](crate::semantics#CANCEL-7).
    pub fn put(&self, item: T) -> Put<'_, T, O, L> {
        Put::new(QueueRef::Borrowed(self), item)
    }

    /// Puts an item into the queue if it is not full, without waiting
    /// (asyncio's `put_nowait`).
    ///
    /// Wakes the first waiting getter. Fails with [`TryPutError::Full`] or
    /// [`TryPutError::ShutDown`], both of which hand the item back.
    ///
    /// Rules: [`TRYPUT-1`](crate::semantics#TRYPUT-1), [`TRYPUT-2`](crate::semantics#TRYPUT-2),
    /// [`TRYPUT-3`](crate::semantics#TRYPUT-3), [`WAKE-1`](crate::semantics#WAKE-1),
    /// [`POLL-5`](crate::semantics#POLL-5), [`PANIC-3`](crate::semantics#PANIC-3).
    ///
    /// ```
    /// use aioqueue::{Queue, TryPutError};
    ///
    /// let queue = Queue::new(1);
    /// assert_eq!(queue.try_put(1), Ok(()));
    /// assert_eq!(queue.try_put(2), Err(TryPutError::Full(2)));
    /// ```
    pub fn try_put(&self, item: T) -> Result<(), TryPutError<T>> {
        self.locked(|state, after| state.try_put(item, after))
    }

    /// Removes and returns an item, waiting while the queue is empty
    /// (asyncio's `await get()`).
    ///
    /// After [`shutdown`](Self::shutdown), items still in the queue are
    /// returned; then, or at once after
    /// [`shutdown_immediate`](Self::shutdown_immediate), it fails with
    /// [`GetError`](crate::GetError). Waiting getters are served first come,
    /// first served, but, as in CPython, a new `get` that finds an item takes
    /// it even if a woken getter has not run yet; that getter then waits
    /// again at the back.
    ///
    /// Rules: [`GET-1`](crate::semantics#GET-1), [`GET-2`](crate::semantics#GET-2),
    /// [`GET-3`](crate::semantics#GET-3), [`GET-4`](crate::semantics#GET-4),
    /// [`GET-5`](crate::semantics#GET-5), [`TRYGET-2`](crate::semantics#TRYGET-2),
    /// [`TRYGET-4`](crate::semantics#TRYGET-4), [`POLL-1`](crate::semantics#POLL-1).
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let queue = aioqueue::Queue::new(0);
    /// queue.try_put(42).unwrap();
    /// assert_eq!(queue.get().await, Ok(42));
    /// # });
    /// ```
    ///
    /// # Cancel safety
    ///
    /// Cancel safe. An item is removed from the queue only in the poll that
    /// returns it, so dropping the future never loses an item. If it had
    /// been woken for an item that is still there, the wakeup passes to the
    /// next waiting getter (the bug CPython fixed as bpo-23812).
    ///
    /// Rules: [`CANCEL-1`](crate::semantics#CANCEL-1), [`CANCEL-2`](crate::semantics#CANCEL-2),
    /// [`CANCEL-3`](crate::semantics#CANCEL-3), [`CANCEL-4`](crate::semantics#CANCEL-4),
    /// [`CANCEL-6`](crate::semantics#CANCEL-6), [`CANCEL-7`](crate::semantics#CANCEL-7),
    /// [`HIST-1`](crate::semantics#HIST-1).
    pub fn get(&self) -> Get<'_, T, O, L> {
        Get::new(QueueRef::Borrowed(self))
    }

    /// Removes and returns an item if one is there, without waiting
    /// (asyncio's `get_nowait`).
    ///
    /// Wakes the first waiting putter. Fails with [`TryGetError::Empty`], or
    /// [`TryGetError::ShutDown`] when the queue is also shut down.
    ///
    /// Rules: [`TRYGET-1`](crate::semantics#TRYGET-1), [`TRYGET-2`](crate::semantics#TRYGET-2),
    /// [`TRYGET-3`](crate::semantics#TRYGET-3), [`TRYGET-4`](crate::semantics#TRYGET-4),
    /// [`WAKE-1`](crate::semantics#WAKE-1), [`POLL-5`](crate::semantics#POLL-5),
    /// [`PANIC-4`](crate::semantics#PANIC-4).
    ///
    /// ```
    /// use aioqueue::{Queue, TryGetError};
    ///
    /// let queue = Queue::new(0);
    /// queue.try_put("job").unwrap();
    /// assert_eq!(queue.try_get(), Ok("job"));
    /// assert_eq!(queue.try_get(), Err(TryGetError::Empty));
    /// ```
    pub fn try_get(&self) -> Result<T, TryGetError> {
        self.locked(|state, after| state.try_get(after))
    }

    /// Marks one item put earlier as processed (asyncio's `task_done()`).
    ///
    /// Every successful put counts one unfinished task; when the count
    /// reaches zero, every waiting [`join`](Self::join) completes. Fails with
    /// [`TaskDoneError`] if called more times than items were put.
    ///
    /// Rules: [`DONE-1`](crate::semantics#DONE-1), [`DONE-2`](crate::semantics#DONE-2),
    /// [`DONE-3`](crate::semantics#DONE-3), [`WAKE-2`](crate::semantics#WAKE-2).
    ///
    /// ```
    /// let queue = aioqueue::Queue::new(0);
    /// queue.try_put(()).unwrap();
    /// assert_eq!(queue.unfinished_tasks(), 1);
    /// queue.task_done().unwrap();
    /// assert_eq!(queue.unfinished_tasks(), 0);
    /// assert!(queue.task_done().is_err());
    /// ```
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        self.locked(|state, after| state.task_done(after))
    }

    /// Waits until every item put has been marked done with
    /// [`task_done`](Self::task_done) (asyncio's `await join()`).
    ///
    /// The count is read at the first poll: if it is zero, the future is
    /// ready at once. Otherwise it waits like an asyncio `Event`: when the
    /// count reaches zero every waiting `join` is released, and each
    /// completes even if new items were put before it ran.
    ///
    /// Rules: [`JOIN-1`](crate::semantics#JOIN-1), [`JOIN-2`](crate::semantics#JOIN-2),
    /// [`JOIN-3`](crate::semantics#JOIN-3), [`JOIN-4`](crate::semantics#JOIN-4),
    /// [`JOIN-5`](crate::semantics#JOIN-5), [`JOIN-6`](crate::semantics#JOIN-6),
    /// [`POLL-1`](crate::semantics#POLL-1).
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let queue = aioqueue::Queue::new(0);
    /// queue.try_put("job").unwrap();
    /// let worker = async {
    ///     let _job = queue.get().await.unwrap();
    ///     queue.task_done().unwrap();
    /// };
    /// futures::join!(queue.join(), worker);
    /// assert_eq!(queue.unfinished_tasks(), 0);
    /// # });
    /// ```
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropping the future only stops waiting; the queue is
    /// unchanged.
    ///
    /// Rules: [`CANCEL-1`](crate::semantics#CANCEL-1), [`CANCEL-4`](crate::semantics#CANCEL-4),
    /// [`CANCEL-5`](crate::semantics#CANCEL-5).
    pub fn join(&self) -> Join<'_, T, O, L> {
        Join::new(QueueRef::Borrowed(self))
    }

    /// Removes and returns up to `max` items, without waiting: successive
    /// [`try_get`](Self::try_get)s under one lock, stopping when the queue
    /// is empty. Each item taken wakes one waiting putter, as `try_get`
    /// does, and the unfinished count is unchanged: call
    /// [`task_done`](Self::task_done) once per item. An empty `Vec` if the
    /// queue is empty (shut down or not) or `max` is `0`.
    ///
    /// Rules: [`MANY-2`](crate::semantics#MANY-2), [`MANY-3`](crate::semantics#MANY-3),
    /// [`MANY-4`](crate::semantics#MANY-4).
    ///
    /// ```
    /// let queue = aioqueue::LifoQueue::new(0);
    /// for job in 1..=3 {
    ///     queue.try_put(job).unwrap();
    /// }
    /// assert_eq!(queue.try_get_many(2), vec![3, 2]);
    /// assert_eq!(queue.try_get_many(8), vec![1]);
    /// assert!(queue.try_get_many(8).is_empty());
    /// assert_eq!(queue.unfinished_tasks(), 3);
    /// ```
    pub fn try_get_many(&self, max: usize) -> Vec<T> {
        self.locked(|state, after| state.take_many(max, after))
    }

    /// Waits for an item as [`get`](Self::get) does, then takes it and up
    /// to `max - 1` more at once, as [`try_get_many`](Self::try_get_many)
    /// does, under the same lock. Fails with [`GetError`](crate::GetError)
    /// once the queue is shut down and empty. `max == 0` resolves at once to
    /// an empty `Vec`, without looking at the queue (as tokio's `recv_many`).
    ///
    /// In asyncio terms: `[await q.get()]`, then `q.get_nowait()` until
    /// `QueueEmpty` or `max` items, with no `await` in between.
    ///
    /// Rules: [`MANY-1`](crate::semantics#MANY-1), [`MANY-2`](crate::semantics#MANY-2),
    /// [`MANY-3`](crate::semantics#MANY-3), [`MANY-4`](crate::semantics#MANY-4).
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let queue = aioqueue::Queue::new(0);
    /// let consumer = async { queue.get_many(10).await };
    /// let producer = async {
    ///     queue.try_put(1).unwrap();
    ///     queue.try_put(2).unwrap();
    /// };
    /// let (batch, ()) = futures::join!(consumer, producer);
    /// assert_eq!(batch, Ok(vec![1, 2]));
    /// # });
    /// ```
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`get`](Self::get): items leave the queue only in
    /// the poll that returns them, and a wakeup the future can no longer use
    /// passes to the next getter.
    pub fn get_many(&self, max: usize) -> GetMany<'_, T, O, L> {
        GetMany::new(QueueRef::Borrowed(self), max)
    }

    /// Shuts the queue down (asyncio's `shutdown()`).
    ///
    /// From now on every put fails, and gets fail once the queue is empty.
    /// Every waiting getter and putter is woken to see this: getters take the
    /// remaining items while there are any. The unfinished count is kept, so
    /// waiting joins go on waiting for [`task_done`](Self::task_done).
    /// Calling it again changes nothing.
    ///
    /// Rules: [`SHUT-1`](crate::semantics#SHUT-1), [`SHUT-2`](crate::semantics#SHUT-2),
    /// [`SHUT-3`](crate::semantics#SHUT-3), [`SHUT-4`](crate::semantics#SHUT-4),
    /// [`JOIN-5`](crate::semantics#JOIN-5), [`WAKE-2`](crate::semantics#WAKE-2),
    /// [`STATE-11`](crate::semantics#STATE-11).
    ///
    /// ```
    /// use aioqueue::{Queue, TryGetError, TryPutError};
    ///
    /// let queue = Queue::new(0);
    /// queue.try_put(1).unwrap();
    /// queue.shutdown();
    /// assert_eq!(queue.try_put(2), Err(TryPutError::ShutDown(2)));
    /// assert_eq!(queue.try_get(), Ok(1));
    /// assert_eq!(queue.try_get(), Err(TryGetError::ShutDown));
    /// ```
    pub fn shutdown(&self) {
        self.locked(|state, after| state.shutdown(after));
    }

    /// Shuts the queue down and removes every item at once (asyncio's
    /// `shutdown(immediate=True)`), returning them in the order `get` would
    /// have.
    ///
    /// The unfinished count drops by one per removed item (never below
    /// zero); if it reaches zero, every waiting `join` completes. Every
    /// waiting getter and putter is woken and fails.
    ///
    /// Rules: [`SHUT-5`](crate::semantics#SHUT-5), [`SHUT-6`](crate::semantics#SHUT-6),
    /// [`SHUT-7`](crate::semantics#SHUT-7), [`SHUT-8`](crate::semantics#SHUT-8),
    /// [`PANIC-5`](crate::semantics#PANIC-5), [`DIFF-7`](crate::semantics#DIFF-7).
    ///
    /// ```
    /// let queue = aioqueue::PriorityQueue::new(0);
    /// for i in [3, 1, 2] {
    ///     queue.try_put(i).unwrap();
    /// }
    /// assert_eq!(queue.shutdown_immediate(), vec![1, 2, 3]);
    /// assert_eq!(queue.unfinished_tasks(), 0);
    /// assert!(queue.try_get().is_err());
    /// ```
    pub fn shutdown_immediate(&self) -> Vec<T> {
        let mut drained = self.locked(|state, after| state.shutdown_immediate(after));
        // [SHUT-7] [PANIC-5] Sorting runs the items' `Ord`: do it unlocked,
        // after the wakes.
        O::into_get_order(&mut drained);
        drained
    }

    /// Whether [`shutdown`](Self::shutdown) or
    /// [`shutdown_immediate`](Self::shutdown_immediate) was called.
    ///
    /// Rules: [`SHUT-9`](crate::semantics#SHUT-9), [`STATE-6`](crate::semantics#STATE-6).
    ///
    /// ```
    /// let queue = aioqueue::Queue::<u8>::new(0);
    /// assert!(!queue.is_shutdown());
    /// queue.shutdown();
    /// assert!(queue.is_shutdown());
    /// ```
    pub fn is_shutdown(&self) -> bool {
        self.lock().is_shutdown()
    }

    /// Items put and not yet marked done with [`task_done`](Self::task_done).
    ///
    /// Rules: [`COUNT-1`](crate::semantics#COUNT-1), [`STATE-5`](crate::semantics#STATE-5).
    ///
    /// ```
    /// let queue = aioqueue::Queue::new(0);
    /// queue.try_put(1).unwrap();
    /// queue.try_get().unwrap();
    /// assert_eq!(queue.unfinished_tasks(), 1);
    /// ```
    pub fn unfinished_tasks(&self) -> usize {
        self.lock().unfinished_tasks()
    }

    /// Tasks waiting in [`get`](Self::get): futures polled, not yet woken,
    /// not dropped (asyncio: `len(q._getters)`, less cancelled futures).
    ///
    /// Rules: [`DEBUG-3`](crate::semantics#DEBUG-3), [`STATE-3`](crate::semantics#STATE-3).
    ///
    /// ```
    /// use std::future::Future;
    /// use std::pin::pin;
    /// use std::task::{Context, Waker};
    ///
    /// let queue = aioqueue::Queue::<u8>::new(0);
    /// let mut get = pin!(queue.get());
    /// let _ = get.as_mut().poll(&mut Context::from_waker(Waker::noop()));
    /// assert_eq!(queue.waiting_getters(), 1);
    /// queue.try_put(1).unwrap(); // wakes it: it leaves the list
    /// assert_eq!(queue.waiting_getters(), 0);
    /// ```
    pub fn waiting_getters(&self) -> usize {
        self.lock().counts().getters
    }

    /// Tasks waiting in [`put`](Self::put) for a free slot (asyncio:
    /// `len(q._putters)`, less cancelled futures).
    ///
    /// Rules: [`DEBUG-3`](crate::semantics#DEBUG-3), [`STATE-3`](crate::semantics#STATE-3).
    ///
    /// ```
    /// use std::future::Future;
    /// use std::pin::pin;
    /// use std::task::{Context, Waker};
    ///
    /// let queue = aioqueue::Queue::new(1);
    /// queue.try_put(1).unwrap();
    /// let mut put = pin!(queue.put(2));
    /// let _ = put.as_mut().poll(&mut Context::from_waker(Waker::noop()));
    /// assert_eq!(queue.waiting_putters(), 1);
    /// ```
    pub fn waiting_putters(&self) -> usize {
        self.lock().counts().putters
    }

    /// Tasks waiting in [`join`](Self::join) (asyncio: the waiters of
    /// `q._finished`).
    ///
    /// Rules: [`DEBUG-3`](crate::semantics#DEBUG-3), [`STATE-4`](crate::semantics#STATE-4).
    ///
    /// ```
    /// use std::future::Future;
    /// use std::pin::pin;
    /// use std::task::{Context, Waker};
    ///
    /// let queue = aioqueue::Queue::new(0);
    /// queue.try_put(1).unwrap();
    /// let mut join = pin!(queue.join());
    /// let _ = join.as_mut().poll(&mut Context::from_waker(Waker::noop()));
    /// assert_eq!(queue.waiting_joiners(), 1);
    /// queue.try_get().unwrap();
    /// queue.task_done().unwrap(); // releases it
    /// assert_eq!(queue.waiting_joiners(), 0);
    /// ```
    pub fn waiting_joiners(&self) -> usize {
        self.lock().counts().joiners
    }

    /// Takes a cancelled future out of its list, passing on a wakeup it can
    /// no longer use; nothing if it holds no place.
    pub(crate) fn leave(&self, side: Side, waiter: &mut Option<WaiterKey>) {
        // [CANCEL-1] [CANCEL-4] never polled, or done: no place, no lock.
        // [CANCEL-2] [CANCEL-3] [CANCEL-5] waiting or notified: leave the
        // list, or pass the wakeup on; woken before this returns [CANCEL-7].
        if let Some(waiter) = waiter.take() {
            self.locked(|state, after| state.cancel(side, waiter, after));
        }
    }

    /// A waiting future's place in its list, for the futures' `Debug`.
    pub(crate) fn place(&self, list: Side, waiter: Option<WaiterKey>) -> Option<usize> {
        waiter.and_then(|key| self.lock().place(list, key))
    }

    /// Runs one operation under the lock, then wakes (and re-raises a
    /// caught user panic) once the lock is released.
    #[inline]
    pub(crate) fn locked<R>(
        &self,
        operation: impl FnOnce(&mut State<T, O>, &mut AfterUnlock) -> R,
    ) -> R {
        let mut after = AfterUnlock::default();
        // [POLL-2] the lock is taken once per operation or poll, and released
        // at the end of this statement.
        let result = operation(&mut self.lock(), &mut after);
        // [WAKE-4] wake once unlocked, before returning; [PANIC-1] then
        // resume a panic caught under the lock.
        after.finish();
        result
    }

    #[inline]
    fn lock(&self) -> L::Guard<'_, State<T, O>> {
        L::lock(&self.state)
    }
}

impl<T, O: Order<T>, L: Lock> Default for GenericQueue<T, O, L> {
    /// An unbounded queue.
    ///
    /// Rules: [`NEW-2`](crate::semantics#NEW-2).
    ///
    /// ```
    /// let queue: aioqueue::Queue<u8> = Default::default();
    /// assert_eq!(queue.maxsize(), 0);
    /// ```
    fn default() -> Self {
        // [NEW-2] unbounded.
        Self::new(0)
    }
}

impl<T, O: Order<T>, L: Lock> fmt::Debug for GenericQueue<T, O, L> {
    /// Shows the counts, never the items, so `T` need not be `Debug`:
    /// `Queue { maxsize: 1, len: 1, getters: 0, putters: 1, joiners: 0, unfinished_tasks: 1, shutdown: false }`.
    /// `getters`, `putters` and `joiners` count the tasks still waiting
    /// ([`waiting_getters`](Self::waiting_getters) and the others).
    ///
    /// Rules: [`DEBUG-1`](crate::semantics#DEBUG-1), [`DIFF-8`](crate::semantics#DIFF-8).
    ///
    /// ```
    /// let queue = aioqueue::LifoQueue::new(0);
    /// queue.try_put(1).unwrap();
    /// assert_eq!(
    ///     format!("{queue:?}"),
    ///     "LifoQueue { maxsize: 0, len: 1, getters: 0, putters: 0, joiners: 0, unfinished_tasks: 1, shutdown: false }",
    /// );
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // [DEBUG-1] the type's name and the counts, never the items.
        let counts = self.lock().counts();
        f.debug_struct(O::NAME)
            .field("maxsize", &counts.maxsize)
            .field("len", &counts.len)
            .field("getters", &counts.getters)
            .field("putters", &counts.putters)
            .field("joiners", &counts.joiners)
            .field("unfinished_tasks", &counts.unfinished_tasks)
            .field("shutdown", &counts.shutdown)
            .finish()
    }
}
