//! How a future or a stream holds its queue: borrowed (`put`, `get`, ...) or
//! through an `Arc`, or an `Rc` for a local queue (`put_owned`,
//! `into_stream`, ...).
//!
//! One enum rather than a second set of future types: the owned futures are
//! the same `Put`, `Get` and `Join`, with the same code, the same `Debug` and
//! the same `cancel`, and only their lifetime differs.

use std::ops::Deref;

use crate::lock::{Lock, LockImpl};
use crate::queue::GenericQueue;

pub(crate) enum QueueRef<'a, T, O, L: Lock> {
    Borrowed(&'a GenericQueue<T, O, L>),
    /// `Arc` or `Rc`, as the lock says ([`LockImpl::Owner`]).
    Owned(<L as LockImpl>::Owner<GenericQueue<T, O, L>>),
}

impl<T, O, L: Lock> Deref for QueueRef<'_, T, O, L> {
    type Target = GenericQueue<T, O, L>;

    #[inline]
    fn deref(&self) -> &GenericQueue<T, O, L> {
        match self {
            QueueRef::Borrowed(queue) => queue,
            QueueRef::Owned(queue) => queue,
        }
    }
}
