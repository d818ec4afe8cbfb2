//! The owned face: `put_owned`, `get_owned` and `join_owned` return the
//! same `Put`, `Get` and `Join` as `put`, `get` and `join`, holding a
//! counted reference to the queue instead of a borrow, so that they are
//! `'static` when `T` is. The thread-safe queue is held by an `Arc`; the
//! local one by an `Rc`, as nothing of it crosses threads.

use std::rc::Rc;
use std::sync::Arc;

use crate::future::{Get, Join, Put};
use crate::lock::{Local, Shared};
use crate::order::Order;
use crate::queue::GenericQueue;
use crate::queue_ref::QueueRef;

impl<T, O: Order<T>> GenericQueue<T, O, Shared> {
    /// [`put`](Self::put) through an `Arc`: the future holds the `Arc`
    /// instead of borrowing the queue, so it is `'static` when `T` is and
    /// can be stored or spawned. Everything else is `put`'s, [`Put::cancel`]
    /// included.
    ///
    /// Rules: [`OWNED-1`](crate::semantics#OWNED-1), and those of [`put`](Self::put).
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// use std::sync::Arc;
    ///
    /// let queue = Arc::new(aioqueue::Queue::new(1));
    /// let put: aioqueue::Put<'static, u32, _> = Arc::clone(&queue).put_owned(7);
    /// put.await.unwrap();
    /// assert_eq!(queue.try_get(), Ok(7));
    /// # });
    /// ```
    ///
    /// # Cancel safety
    ///
    /// As [`put`](Self::put)'s: cancel safe, and [`Put::cancel`] hands the
    /// item back.
    pub fn put_owned<'a>(self: Arc<Self>, item: T) -> Put<'a, T, O>
    where
        Self: 'a,
    {
        Put::new(QueueRef::Owned(self), item)
    }

    /// [`get`](Self::get) through an `Arc`: the future holds the `Arc`, so
    /// it is `'static` when `T` is.
    ///
    /// Rules: [`OWNED-1`](crate::semantics#OWNED-1), and those of [`get`](Self::get).
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// use std::sync::Arc;
    ///
    /// let queue = Arc::new(aioqueue::Queue::new(0));
    /// let get = Arc::clone(&queue).get_owned(); // borrows nothing
    /// queue.try_put("job").unwrap();
    /// assert_eq!(get.await, Ok("job"));
    /// # });
    /// ```
    ///
    /// # Cancel safety
    ///
    /// As [`get`](Self::get)'s: cancel safe; a wakeup it can no longer use
    /// passes to the next getter.
    pub fn get_owned<'a>(self: Arc<Self>) -> Get<'a, T, O>
    where
        Self: 'a,
    {
        Get::new(QueueRef::Owned(self))
    }

    /// [`join`](Self::join) through an `Arc`: the future holds the `Arc`, so
    /// it is `'static` when `T` is.
    ///
    /// Rules: [`OWNED-1`](crate::semantics#OWNED-1), and those of [`join`](Self::join).
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// use std::sync::Arc;
    ///
    /// let queue = Arc::new(aioqueue::Queue::new(0));
    /// queue.try_put(1).unwrap();
    /// let join = Arc::clone(&queue).join_owned();
    /// queue.try_get().unwrap();
    /// queue.task_done().unwrap();
    /// join.await;
    /// # });
    /// ```
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropping the future only stops waiting.
    pub fn join_owned<'a>(self: Arc<Self>) -> Join<'a, T, O>
    where
        Self: 'a,
    {
        Join::new(QueueRef::Owned(self))
    }
}

impl<T, O: Order<T>> GenericQueue<T, O, Local> {
    /// [`put`](Self::put) through an `Rc`, for a queue of one thread: the
    /// future holds the `Rc`, so it is `'static` when `T` is and can be
    /// spawned with `spawn_local`. Everything else is `put`'s,
    /// [`Put::cancel`] included.
    ///
    /// Rules: [`OWNED-1`](crate::semantics#OWNED-1), [`LOCAL-1`](crate::semantics#LOCAL-1),
    /// and those of [`put`](Self::put).
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// use std::rc::Rc;
    ///
    /// let queue = Rc::new(aioqueue::local::Queue::new(1));
    /// let put: aioqueue::Put<'static, u32, _, aioqueue::Local> = Rc::clone(&queue).put_owned(7);
    /// put.await.unwrap();
    /// assert_eq!(queue.try_get(), Ok(7));
    /// # });
    /// ```
    ///
    /// # Cancel safety
    ///
    /// As [`put`](Self::put)'s: cancel safe, and [`Put::cancel`] hands the
    /// item back.
    pub fn put_owned<'a>(self: Rc<Self>, item: T) -> Put<'a, T, O, Local>
    where
        Self: 'a,
    {
        Put::new(QueueRef::Owned(self), item)
    }

    /// [`get`](Self::get) through an `Rc`, for a queue of one thread.
    ///
    /// Rules: [`OWNED-1`](crate::semantics#OWNED-1), [`LOCAL-1`](crate::semantics#LOCAL-1),
    /// and those of [`get`](Self::get).
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// use std::rc::Rc;
    ///
    /// let queue = Rc::new(aioqueue::local::Queue::new(0));
    /// let get = Rc::clone(&queue).get_owned(); // borrows nothing
    /// queue.try_put("job").unwrap();
    /// assert_eq!(get.await, Ok("job"));
    /// # });
    /// ```
    ///
    /// # Cancel safety
    ///
    /// As [`get`](Self::get)'s: cancel safe; a wakeup it can no longer use
    /// passes to the next getter.
    pub fn get_owned<'a>(self: Rc<Self>) -> Get<'a, T, O, Local>
    where
        Self: 'a,
    {
        Get::new(QueueRef::Owned(self))
    }

    /// [`join`](Self::join) through an `Rc`, for a queue of one thread.
    ///
    /// Rules: [`OWNED-1`](crate::semantics#OWNED-1), [`LOCAL-1`](crate::semantics#LOCAL-1),
    /// and those of [`join`](Self::join).
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// use std::rc::Rc;
    ///
    /// let queue = Rc::new(aioqueue::local::Queue::new(0));
    /// queue.try_put(1).unwrap();
    /// let join = Rc::clone(&queue).join_owned();
    /// queue.try_get().unwrap();
    /// queue.task_done().unwrap();
    /// join.await;
    /// # });
    /// ```
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropping the future only stops waiting.
    pub fn join_owned<'a>(self: Rc<Self>) -> Join<'a, T, O, Local>
    where
        Self: 'a,
    {
        Join::new(QueueRef::Owned(self))
    }
}
