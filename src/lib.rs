//! asyncio's three queues for async Rust, with the exact semantics of
//! CPython 3.13: [`Queue`] (FIFO), [`LifoQueue`] and [`PriorityQueue`],
//! including `task_done`/`join` and `shutdown`.
//!
//! The queues are thread-safe and runtime-agnostic (std only, no `unsafe`):
//! share one through an `Arc` between tasks on any executor. For tasks that
//! share one thread, as asyncio's do, [`local`] has the same three queues
//! without the cost of a thread-safe lock.
//!
//! | asyncio | aioqueue |
//! |---|---|
//! | `Queue(maxsize=0)`, `LifoQueue`, `PriorityQueue` | [`Queue::new`]`(maxsize)`, [`LifoQueue`], [`PriorityQueue`]; `0` = unbounded |
//! | `maxsize`, `qsize()`, `empty()`, `full()` | [`maxsize`](GenericQueue::maxsize), [`len`](GenericQueue::len), [`is_empty`](GenericQueue::is_empty), [`is_full`](GenericQueue::is_full) |
//! | `await put(item)` | [`put(item).await`](GenericQueue::put) → `Result<(), PutError<T>>` |
//! | `put_nowait(item)`: `QueueFull`, `QueueShutDown` | [`try_put`](GenericQueue::try_put) → [`TryPutError::Full`], [`TryPutError::ShutDown`] |
//! | `await get()` | [`get().await`](GenericQueue::get) → `Result<T, GetError>` |
//! | `get_nowait()`: `QueueEmpty`, `QueueShutDown` | [`try_get`](GenericQueue::try_get) → [`TryGetError::Empty`], [`TryGetError::ShutDown`] |
//! | `task_done()`: `ValueError` | [`task_done`](GenericQueue::task_done) → [`TaskDoneError`] |
//! | `await join()` | [`join().await`](GenericQueue::join) |
//! | `shutdown()`, `shutdown(immediate=True)` | [`shutdown`](GenericQueue::shutdown), [`shutdown_immediate`](GenericQueue::shutdown_immediate) (returns the drained items) |
//! | `_is_shutdown`, `_unfinished_tasks` | [`is_shutdown`](GenericQueue::is_shutdown), [`unfinished_tasks`](GenericQueue::unfinished_tasks) |
//! | `len(q._getters)`, `len(q._putters)` | [`waiting_getters`](GenericQueue::waiting_getters), [`waiting_putters`](GenericQueue::waiting_putters), [`waiting_joiners`](GenericQueue::waiting_joiners) |
//! | `repr(q)` | `Debug`: `Queue { maxsize: 1, len: 1, getters: 0, putters: 1, joiners: 0, unfinished_tasks: 1, shutdown: false }` |
//! | cancelling the task | dropping the future; [`Put::cancel`] also hands the item back |
//!
//! Beyond asyncio, the same operations driven other ways (each keeps the
//! rules above):
//!
//! | for | aioqueue |
//! |---|---|
//! | plain threads | [`put_blocking`](GenericQueue::put_blocking), [`get_blocking`](GenericQueue::get_blocking), [`join_blocking`](GenericQueue::join_blocking), and their `_timeout` variants |
//! | `'static` futures to store or spawn | [`put_owned`](GenericQueue::put_owned), [`get_owned`](GenericQueue::get_owned), [`join_owned`](GenericQueue::join_owned) on an `Arc` (an `Rc` for a [`local`] queue) |
//! | batches | [`try_get_many`](GenericQueue::try_get_many), [`get_many`](GenericQueue::get_many) |
//! | a `Stream` (feature `stream`) | `stream()`, `into_stream()`: `GetStream` |
//! | one thread, as asyncio: no atomics | [`local::Queue`], [`local::LifoQueue`], [`local::PriorityQueue`] |
//!
//! # Example
//!
//! ```
//! # futures::executor::block_on(async {
//! use aioqueue::Queue;
//!
//! let queue = Queue::new(8);
//! let producer = async {
//!     for job in 1..=3 {
//!         queue.put(job).await.unwrap();
//!     }
//! };
//! let consumer = async {
//!     let mut total = 0;
//!     for _ in 0..3 {
//!         total += queue.get().await.unwrap();
//!         queue.task_done().unwrap();
//!     }
//!     total
//! };
//! let ((), total, ()) = futures::join!(producer, consumer, queue.join());
//! assert_eq!(total, 6);
//! # });
//! ```
//!
//! # Guarantees
//!
//! - The algorithm is CPython's: FIFO lists of waiting getters and putters,
//!   a woken waiter that lost the race waits again at the back, `join` is an
//!   asyncio `Event`. The [`semantics`] module (`docs/semantics.md` in the
//!   repository) gives every rule, and each method's documentation names
//!   the rules it follows.
//! - Every future is cancel safe: dropping it never loses or duplicates an
//!   item, and a wakeup it can no longer use passes to the next waiter.
//! - Wakes are exact and happen after the lock is released.
//! - A panic in the items' `Ord` or `Drop` reaches only the caller whose
//!   operation ran it; the queue stays consistent and usable for every
//!   other task.
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

mod after_unlock;
mod blocking;
mod error;
mod future;
pub mod local;
mod lock;
mod order;
mod owned;
mod queue;
mod queue_ref;
pub mod semantics;
mod state;
#[cfg(feature = "stream")]
mod stream;
mod sync;
mod waiters;

pub use error::{GetError, PutError, TaskDoneError, TryGetError, TryPutError};
pub use future::{Get, GetMany, Join, Put};
pub use lock::{Local, Lock, Shared};
pub use order::{Fifo, Lifo, Order, Priority};
pub use queue::{GenericQueue, LifoQueue, PriorityQueue, Queue};
#[cfg(feature = "stream")]
#[cfg_attr(docsrs, doc(cfg(feature = "stream")))]
pub use stream::GetStream;
