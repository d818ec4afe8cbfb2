//! What guards a queue's state: std's `Mutex` for a queue that threads
//! share ([`Shared`]), or a `RefCell` for a queue that stays on one thread
//! ([`Local`]), as an asyncio queue does.
//!
//! The queue's code is the same for both: every operation borrows the
//! state once, through [`Lock`], and wakes after releasing it. Only the
//! cost differs: on many hosts most of an uncontended operation is the
//! `Mutex`'s two atomic read-modify-writes, which a `RefCell` does not pay.

use std::cell::{RefCell, RefMut};
use std::rc::Rc;
use std::sync::Arc;

use crate::sync::{self, Mutex, MutexGuard};

mod sealed {
    use std::ops::{Deref, DerefMut};

    /// The lock's operations. In a private module, so that no lock can be
    /// written outside the crate and none of this is public API.
    pub trait LockImpl: 'static {
        /// The cell holding the state: `Mutex<S>` or `RefCell<S>`.
        type Cell<S>;
        /// Exclusive access to the state, released on drop (also while
        /// unwinding).
        type Guard<'a, S: 'a>: DerefMut<Target = S>;
        /// How an owned future holds its queue: `Arc<Q>` or `Rc<Q>`.
        type Owner<Q>: Deref<Target = Q>;
        fn new<S>(state: S) -> Self::Cell<S>;
        fn lock<'a, S: 'a>(cell: &'a Self::Cell<S>) -> Self::Guard<'a, S>;
    }
}

pub(crate) use sealed::LockImpl;

/// What guards a [`GenericQueue`](crate::GenericQueue)'s state: [`Shared`]
/// (the default: a thread-safe queue) or [`Local`] (a queue for one
/// thread, [`aioqueue::local`](crate::local)). Sealed: no other lock can be
/// written outside the crate.
///
/// Rules: [`LOCAL-1`](crate::semantics#LOCAL-1).
///
/// ```
/// fn is_thread_safe<T, O: aioqueue::Order<T>, L: aioqueue::Lock>(
///     _: &aioqueue::GenericQueue<T, O, L>,
/// ) -> bool {
///     L::THREAD_SAFE
/// }
/// assert!(is_thread_safe(&aioqueue::Queue::<u8>::new(0)));
/// assert!(!is_thread_safe(&aioqueue::local::Queue::<u8>::new(0)));
/// ```
pub trait Lock: sealed::LockImpl {
    /// Whether a queue with this lock can be shared between threads.
    const THREAD_SAFE: bool;
}

/// The lock of a queue that threads share: std's `Mutex`. The queue is
/// `Send + Sync` when `T: Send`, and so are its futures. This is the
/// default of [`GenericQueue`](crate::GenericQueue) and of
/// [`Queue`](crate::Queue), [`LifoQueue`](crate::LifoQueue) and
/// [`PriorityQueue`](crate::PriorityQueue).
///
/// Rules: [`DIFF-4`](crate::semantics#DIFF-4).
///
/// ```
/// fn shared<T: Send + Sync>(_: &T) {}
/// shared(&aioqueue::Queue::<u8>::new(0));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Shared;

/// The lock of a queue that stays on one thread: a `RefCell`, which costs
/// no atomic instruction. The queue is `Send` when `T: Send` (it can be
/// moved to another thread whole) but not `Sync`, so its futures, which
/// borrow it or hold an `Rc` of it, are not `Send`: they run on
/// single-threaded executors (tokio's `current_thread` runtime and
/// `LocalSet`, `futures::executor::LocalPool`), as asyncio's tasks run on
/// one event loop. See [`aioqueue::local`](crate::local).
///
/// Rules: [`LOCAL-1`](crate::semantics#LOCAL-1), [`LOCAL-2`](crate::semantics#LOCAL-2).
///
/// ```
/// let queue = aioqueue::local::Queue::new(0);
/// queue.try_put(1).unwrap();
/// assert_eq!(queue.try_get(), Ok(1));
/// ```
///
/// A local queue cannot be shared between threads:
///
/// ```compile_fail,E0277
/// // docs/semantics.md LOCAL-1: the queue is not `Sync`.
/// fn shared<T: Sync>(_: &T) {}
/// shared(&aioqueue::local::Queue::<u8>::new(0));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Local;

impl Lock for Shared {
    const THREAD_SAFE: bool = true;
}

impl Lock for Local {
    const THREAD_SAFE: bool = false;
}

impl LockImpl for Shared {
    type Cell<S> = Mutex<S>;
    type Guard<'a, S: 'a> = MutexGuard<'a, S>;
    type Owner<Q> = Arc<Q>;

    fn new<S>(state: S) -> Mutex<S> {
        Mutex::new(state)
    }

    #[inline]
    fn lock<'a, S: 'a>(cell: &'a Mutex<S>) -> MutexGuard<'a, S> {
        sync::lock(cell)
    }
}

impl LockImpl for Local {
    type Cell<S> = RefCell<S>;
    type Guard<'a, S: 'a> = RefMut<'a, S>;
    type Owner<Q> = Rc<Q>;

    fn new<S>(state: S) -> RefCell<S> {
        RefCell::new(state)
    }

    #[inline]
    fn lock<'a, S: 'a>(cell: &'a RefCell<S>) -> RefMut<'a, S> {
        match cell.try_borrow_mut() {
            Ok(state) => state,
            Err(_) => reentered(),
        }
    }
}

/// [LOCAL-2] The state is borrowed only inside one operation, and the only
/// user code run there is the items' `Ord` and the wakers' `clone` and
/// `drop`: so a second borrow means one of them used the queue. `Shared`'s
/// `Mutex` would deadlock here.
#[cold]
#[inline(never)]
fn reentered() -> ! {
    panic!(
        "aioqueue: a local queue was used from inside one of its own operations \
         (an item's `Ord`, or a waker's clone or drop, touched the queue)"
    )
}
