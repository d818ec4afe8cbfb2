//! The three queues for tasks that share one thread, as asyncio's tasks
//! share one event loop: the same queues, with every rule of the
//! [`semantics`](crate::semantics), guarded by a `RefCell` instead of a
//! `Mutex` ([`Local`]).
//!
//! An uncontended operation on a thread-safe queue pays for its lock with
//! two atomic read-modify-writes, which on some hosts is most of its time
//! (docs/performance.md). A local queue pays none. In exchange it is not
//! `Sync`, and its futures are not `Send`: use it on a single-threaded
//! executor (tokio's `current_thread` runtime or `LocalSet`,
//! `futures::executor::LocalPool`), and the thread-safe
//! [`crate::Queue`] anywhere else. The compiler enforces the choice.
//!
//! The one difference in behaviour: an item's `Ord` that uses its own queue
//! panics ([`LOCAL-2`](crate::semantics#LOCAL-2)), where the thread-safe
//! queue would deadlock.
//!
//! Rules: [`LOCAL-1`](crate::semantics#LOCAL-1), [`LOCAL-2`](crate::semantics#LOCAL-2).
//!
//! ```
//! use futures::executor::LocalPool;
//! use futures::task::LocalSpawnExt;
//! use std::rc::Rc;
//!
//! let mut pool = LocalPool::new();
//! let queue = Rc::new(aioqueue::local::Queue::new(2));
//! let producer = Rc::clone(&queue);
//! pool.spawner()
//!     .spawn_local(async move {
//!         for job in 0..5 {
//!             producer.put(job).await.unwrap();
//!         }
//!         producer.shutdown();
//!     })
//!     .unwrap();
//! let done = pool.run_until(async {
//!     let mut done = Vec::new();
//!     while let Ok(job) = queue.get().await {
//!         done.push(job);
//!         queue.task_done().unwrap();
//!     }
//!     done
//! });
//! assert_eq!(done, vec![0, 1, 2, 3, 4]);
//! ```

use crate::lock::Local;
use crate::order::{Fifo, Lifo, Priority};
use crate::queue::GenericQueue;

/// A first in, first out queue for one thread: [`crate::Queue`] with the
/// [`Local`] lock. All methods are those of [`GenericQueue`].
///
/// Rules: [`ORDER-1`](crate::semantics#ORDER-1), [`LOCAL-1`](crate::semantics#LOCAL-1).
///
/// ```
/// # futures::executor::block_on(async {
/// let queue = aioqueue::local::Queue::new(0);
/// for i in [1, 3, 2] {
///     queue.put(i).await.unwrap();
/// }
/// assert_eq!(queue.try_get_many(3), vec![1, 3, 2]);
/// # });
/// ```
pub type Queue<T> = GenericQueue<T, Fifo<T>, Local>;

/// A last in, first out queue for one thread: [`crate::LifoQueue`] with the
/// [`Local`] lock. All methods are those of [`GenericQueue`].
///
/// Rules: [`ORDER-2`](crate::semantics#ORDER-2), [`LOCAL-1`](crate::semantics#LOCAL-1).
///
/// ```
/// let queue = aioqueue::local::LifoQueue::new(0);
/// for i in [1, 3, 2] {
///     queue.try_put(i).unwrap();
/// }
/// assert_eq!(queue.try_get_many(3), vec![2, 3, 1]);
/// ```
pub type LifoQueue<T> = GenericQueue<T, Lifo<T>, Local>;

/// A smallest-first queue for one thread: [`crate::PriorityQueue`] with the
/// [`Local`] lock, the same heap, comparison for comparison. All methods
/// are those of [`GenericQueue`].
///
/// Rules: [`ORDER-3`](crate::semantics#ORDER-3), [`LOCAL-1`](crate::semantics#LOCAL-1).
///
/// ```
/// let queue = aioqueue::local::PriorityQueue::new(0);
/// for i in [2, 3, 1] {
///     queue.try_put(i).unwrap();
/// }
/// assert_eq!(queue.shutdown_immediate(), vec![1, 2, 3]);
/// ```
pub type PriorityQueue<T> = GenericQueue<T, Priority<T>, Local>;
