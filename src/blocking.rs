//! The blocking face: `put_blocking`, `get_blocking`, `join_blocking` and
//! their timeout variants, for threads that are not async.
//!
//! A blocked thread polls the very same `Put`, `Get` and `Join` futures an
//! async task would, with a waker that unparks it, and parks between polls.
//! It is therefore an ordinary waiter in the same FIFO lists, served by the
//! same rules and in the same order as async tasks. A timeout cancels the
//! future at that point, exactly as dropping it would.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use crate::error::{GetError, PutError, TryGetError, TryPutError};
use crate::order::Order;
use crate::queue::GenericQueue;
use crate::sync::thread;

impl<T, O: Order<T>> GenericQueue<T, O> {
    /// Puts an item, blocking this thread while the queue is full: the
    /// blocking face of [`put`](Self::put), with the same result.
    ///
    /// The thread waits in the same list of putters as async tasks, in
    /// arrival order, and is woken by the same rules.
    ///
    /// Do not call it from an async task: it blocks the executor's thread
    /// until the put completes, and a task on that thread that would free a
    /// slot may never run. Await [`put`](Self::put) there instead.
    ///
    /// Rules: [`BLOCK-1`](crate::semantics#BLOCK-1), [`BLOCK-2`](crate::semantics#BLOCK-2),
    /// and those of [`put`](Self::put).
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// let queue = Arc::new(aioqueue::Queue::new(1));
    /// let producer = {
    ///     let queue = Arc::clone(&queue);
    ///     std::thread::spawn(move || {
    ///         for job in 0..3 {
    ///             queue.put_blocking(job).unwrap(); // waits while full
    ///         }
    ///     })
    /// };
    /// let got: Vec<i32> = (0..3).map(|_| queue.get_blocking().unwrap()).collect();
    /// producer.join().unwrap();
    /// assert_eq!(got, vec![0, 1, 2]);
    /// ```
    pub fn put_blocking(&self, item: T) -> Result<(), PutError<T>> {
        let mut put = self.put(item);
        // [BLOCK-1] polled to completion on this thread.
        match run_until(&mut put, None) {
            Some(result) => result,
            None => unreachable!("without a deadline, `run_until` returns only the output"),
        }
    }

    /// [`put_blocking`](Self::put_blocking), giving up after `timeout`: then
    /// the put is cancelled as a dropped [`Put`](crate::Put) is, and its
    /// item comes back in [`TryPutError::Full`], since the queue stayed full
    /// for the whole wait (Python's `queue.Queue.put(item, timeout=...)`
    /// raises `Full` too). A shut-down queue fails with
    /// [`TryPutError::ShutDown`]. A zero timeout is
    /// [`try_put`](Self::try_put).
    ///
    /// Do not call it from an async task (see [`put_blocking`](Self::put_blocking)).
    ///
    /// Rules: [`BLOCK-3`](crate::semantics#BLOCK-3), [`BLOCK-1`](crate::semantics#BLOCK-1),
    /// [`CANCEL-8`](crate::semantics#CANCEL-8).
    ///
    /// ```
    /// use std::time::Duration;
    /// use aioqueue::{Queue, TryPutError};
    ///
    /// let queue = Queue::new(1);
    /// queue.try_put(1).unwrap();
    /// let timed_out = queue.put_blocking_timeout(2, Duration::from_millis(10));
    /// assert_eq!(timed_out, Err(TryPutError::Full(2)));
    /// assert_eq!(queue.waiting_putters(), 0, "the timed-out put left the list");
    /// ```
    pub fn put_blocking_timeout(&self, item: T, timeout: Duration) -> Result<(), TryPutError<T>> {
        let mut put = self.put(item);
        match run_until(&mut put, deadline(timeout)) {
            Some(result) => result.map_err(TryPutError::from),
            // [BLOCK-3] the deadline passed: cancel here [CANCEL-8].
            None => match put.cancel() {
                Some(item) => Err(TryPutError::Full(item)),
                None => unreachable!("a put whose last poll was `Pending` holds its item"),
            },
        }
    }

    /// Removes and returns an item, blocking this thread while the queue is
    /// empty: the blocking face of [`get`](Self::get), with the same result.
    ///
    /// The thread waits in the same list of getters as async tasks, in
    /// arrival order. Do not call it from an async task: it blocks the
    /// executor's thread (await [`get`](Self::get) there instead).
    ///
    /// Rules: [`BLOCK-1`](crate::semantics#BLOCK-1), [`BLOCK-2`](crate::semantics#BLOCK-2),
    /// and those of [`get`](Self::get).
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// use std::sync::Arc;
    ///
    /// let queue = Arc::new(aioqueue::Queue::new(0));
    /// let worker = {
    ///     let queue = Arc::clone(&queue);
    ///     std::thread::spawn(move || queue.get_blocking())
    /// };
    /// queue.put("from an async task").await.unwrap();
    /// assert_eq!(worker.join().unwrap(), Ok("from an async task"));
    /// # });
    /// ```
    pub fn get_blocking(&self) -> Result<T, GetError> {
        let mut get = self.get();
        match run_until(&mut get, None) {
            Some(result) => result,
            None => unreachable!("without a deadline, `run_until` returns only the output"),
        }
    }

    /// [`get_blocking`](Self::get_blocking), giving up after `timeout`:
    /// then the get is cancelled as a dropped [`Get`](crate::Get) is (a
    /// wakeup it can no longer use passes to the next getter) and it fails
    /// with [`TryGetError::Empty`] (Python's `queue.Queue.get(timeout=...)`
    /// raises `Empty`). Once the queue is shut down and empty it fails with
    /// [`TryGetError::ShutDown`].
    ///
    /// Do not call it from an async task (see [`get_blocking`](Self::get_blocking)).
    ///
    /// Rules: [`BLOCK-3`](crate::semantics#BLOCK-3), [`BLOCK-1`](crate::semantics#BLOCK-1).
    ///
    /// ```
    /// use std::time::Duration;
    /// use aioqueue::{Queue, TryGetError};
    ///
    /// let queue = Queue::<u8>::new(0);
    /// let timed_out = queue.get_blocking_timeout(Duration::from_millis(10));
    /// assert_eq!(timed_out, Err(TryGetError::Empty));
    /// assert_eq!(queue.waiting_getters(), 0);
    /// ```
    pub fn get_blocking_timeout(&self, timeout: Duration) -> Result<T, TryGetError> {
        let mut get = self.get();
        // [BLOCK-3] past the deadline, `get` is dropped here: a cancel.
        match run_until(&mut get, deadline(timeout)) {
            Some(result) => result.map_err(TryGetError::from),
            None => Err(TryGetError::Empty),
        }
    }

    /// Blocks this thread until every item put has been marked done: the
    /// blocking face of [`join`](Self::join).
    ///
    /// Do not call it from an async task: it blocks the executor's thread,
    /// and the tasks that would call `task_done` may never run.
    ///
    /// Rules: [`BLOCK-1`](crate::semantics#BLOCK-1), and those of [`join`](Self::join).
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// let queue = Arc::new(aioqueue::Queue::new(0));
    /// queue.try_put("job").unwrap();
    /// let worker = {
    ///     let queue = Arc::clone(&queue);
    ///     std::thread::spawn(move || {
    ///         let _job = queue.get_blocking().unwrap();
    ///         queue.task_done().unwrap();
    ///     })
    /// };
    /// queue.join_blocking();
    /// assert_eq!(queue.unfinished_tasks(), 0);
    /// worker.join().unwrap();
    /// ```
    pub fn join_blocking(&self) {
        let mut join = self.join();
        // Without a deadline `run_until` returns only once `join` is done.
        let _done = run_until(&mut join, None);
    }

    /// [`join_blocking`](Self::join_blocking), giving up after `timeout`:
    /// `true` if every item was marked done, `false` if the time ran out
    /// first (then the join is cancelled, as a dropped [`Join`](crate::Join)
    /// is). The answer of Python's `threading.Event.wait(timeout)`.
    ///
    /// Rules: [`BLOCK-3`](crate::semantics#BLOCK-3), [`BLOCK-1`](crate::semantics#BLOCK-1).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let queue = aioqueue::Queue::new(0);
    /// assert!(queue.join_blocking_timeout(Duration::ZERO), "nothing unfinished");
    /// queue.try_put(1).unwrap();
    /// assert!(!queue.join_blocking_timeout(Duration::from_millis(10)));
    /// assert_eq!(queue.waiting_joiners(), 0);
    /// ```
    #[must_use = "`false` means the wait timed out with tasks unfinished"]
    pub fn join_blocking_timeout(&self, timeout: Duration) -> bool {
        let mut join = self.join();
        run_until(&mut join, deadline(timeout)).is_some()
    }
}

/// When a wait of `timeout` from now ends; `None` (never) if that instant
/// cannot be represented.
fn deadline(timeout: Duration) -> Option<Instant> {
    Instant::now().checked_add(timeout)
}

/// Polls `future` on this thread, parking between polls, until it
/// completes (`Some(output)`) or `deadline` passes with its last poll
/// `Pending` (`None`; the caller then cancels it). The first poll always
/// happens, so a zero timeout is one non-blocking try.
fn run_until<F: Future + Unpin>(future: &mut F, deadline: Option<Instant>) -> Option<F::Output> {
    let waker = thread_waker();
    let mut cx = Context::from_waker(&waker);
    loop {
        // [BLOCK-2] an unpark that is not a wake (spurious, or a stale
        // wake of an earlier wait) only makes a spurious poll [POLL-3].
        if let Poll::Ready(output) = Pin::new(&mut *future).poll(&mut cx) {
            return Some(output);
        }
        match deadline {
            None => thread::park(),
            Some(deadline) => {
                let now = Instant::now();
                if now >= deadline {
                    return None;
                }
                thread::park_timeout(deadline - now);
            }
        }
    }
}

/// Wakes a thread parked in [`run_until`].
struct Unparker(thread::Thread);

impl Wake for Unparker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// This thread's waker: made once per thread, so that a blocking call
/// allocates nothing, and one waker stays `will_wake` across polls.
#[cfg(not(aioqueue_loom))]
fn thread_waker() -> Waker {
    std::thread_local! {
        static WAKER: Waker = Waker::from(Arc::new(Unparker(thread::current())));
    }
    // During thread teardown the thread-local may be gone: make one.
    WAKER
        .try_with(Waker::clone)
        .unwrap_or_else(|_| Waker::from(Arc::new(Unparker(thread::current()))))
}

/// Under loom, one waker per call: loom's threads are not the OS's.
#[cfg(aioqueue_loom)]
fn thread_waker() -> Waker {
    Waker::from(Arc::new(Unparker(thread::current())))
}
