//! The errors of queue operations: one type per operation, one variant per
//! failure mode, and every failed put hands its item back.
//!
//! `Debug` is written by hand so that no error needs `T: Debug`
//! (the item is shown as `..`).
//!
//! The enums are deliberately not `#[non_exhaustive]`: their variants are
//! asyncio's exceptions (`QueueFull`, `QueueEmpty`, `QueueShutDown`), which
//! a caller should be able to match exhaustively, and a new failure mode
//! would be a change of semantics, so a major version, anyway.

use std::error::Error;
use std::fmt;

/// The error of [`put`](crate::GenericQueue::put): the queue was shut down.
///
/// asyncio raises `QueueShutDown`. The item that could not be put is handed
/// back in the field and by [`into_inner`](PutError::into_inner).
///
/// Rules: [`PUT-1`](crate::semantics#PUT-1), [`PUT-2`](crate::semantics#PUT-2),
/// [`DIFF-2`](crate::semantics#DIFF-2).
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// use aioqueue::{PutError, Queue};
///
/// let queue = Queue::new(0);
/// queue.shutdown();
/// let err: PutError<&str> = queue.put("job").await.unwrap_err();
/// assert_eq!(err.into_inner(), "job");
/// # });
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PutError<T>(pub T);

impl<T> PutError<T> {
    /// Returns the item that could not be put.
    ///
    /// Rules: [`DIFF-2`](crate::semantics#DIFF-2).
    ///
    /// ```
    /// let err = aioqueue::PutError(7);
    /// assert_eq!(err.into_inner(), 7);
    /// ```
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for PutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PutError(..)")
    }
}

impl<T> fmt::Display for PutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot put: the queue is shut down")
    }
}

impl<T> Error for PutError<T> {}

/// The error of [`try_put`](crate::GenericQueue::try_put).
///
/// Both variants hand the item back; [`into_inner`](TryPutError::into_inner)
/// takes it whichever the variant.
///
/// Rules: [`TRYPUT-1`](crate::semantics#TRYPUT-1), [`TRYPUT-2`](crate::semantics#TRYPUT-2),
/// [`DIFF-2`](crate::semantics#DIFF-2).
///
/// # Examples
///
/// ```
/// use aioqueue::{Queue, TryPutError};
///
/// let queue = Queue::new(1);
/// queue.try_put(1).unwrap();
/// assert_eq!(queue.try_put(2), Err(TryPutError::Full(2)));
/// queue.shutdown();
/// assert_eq!(queue.try_put(3), Err(TryPutError::ShutDown(3)));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum TryPutError<T> {
    /// The queue holds `maxsize` items (asyncio's `QueueFull`).
    ///
    /// Rules: [`TRYPUT-2`](crate::semantics#TRYPUT-2).
    Full(T),
    /// The queue was shut down (asyncio's `QueueShutDown`).
    ///
    /// Rules: [`TRYPUT-1`](crate::semantics#TRYPUT-1).
    ShutDown(T),
}

impl<T> TryPutError<T> {
    /// Returns the item that could not be put.
    ///
    /// Rules: [`DIFF-2`](crate::semantics#DIFF-2).
    ///
    /// ```
    /// let err = aioqueue::TryPutError::Full("job");
    /// assert_eq!(err.into_inner(), "job");
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            TryPutError::Full(item) | TryPutError::ShutDown(item) => item,
        }
    }

    /// Whether the put failed because the queue was full.
    ///
    /// Rules: [`TRYPUT-2`](crate::semantics#TRYPUT-2).
    ///
    /// ```
    /// assert!(aioqueue::TryPutError::Full(()).is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        matches!(self, TryPutError::Full(_))
    }

    /// Whether the put failed because the queue was shut down.
    ///
    /// Rules: [`TRYPUT-1`](crate::semantics#TRYPUT-1).
    ///
    /// ```
    /// assert!(aioqueue::TryPutError::ShutDown(()).is_shutdown());
    /// ```
    pub fn is_shutdown(&self) -> bool {
        matches!(self, TryPutError::ShutDown(_))
    }
}

impl<T> From<PutError<T>> for TryPutError<T> {
    /// A shut-down `put` is a shut-down `try_put`.
    ///
    /// Rules: [`PUT-1`](crate::semantics#PUT-1), [`PUT-2`](crate::semantics#PUT-2),
    /// [`TRYPUT-1`](crate::semantics#TRYPUT-1), [`DIFF-2`](crate::semantics#DIFF-2).
    ///
    /// ```
    /// use aioqueue::{PutError, TryPutError};
    /// assert_eq!(TryPutError::from(PutError(1)), TryPutError::ShutDown(1));
    /// ```
    fn from(err: PutError<T>) -> Self {
        TryPutError::ShutDown(err.0)
    }
}

impl<T> fmt::Debug for TryPutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryPutError::Full(_) => f.write_str("Full(..)"),
            TryPutError::ShutDown(_) => f.write_str("ShutDown(..)"),
        }
    }
}

impl<T> fmt::Display for TryPutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryPutError::Full(_) => f.write_str("cannot put: the queue is full"),
            TryPutError::ShutDown(_) => f.write_str("cannot put: the queue is shut down"),
        }
    }
}

impl<T> Error for TryPutError<T> {}

/// The error of [`get`](crate::GenericQueue::get): the queue was shut down
/// and holds no item (asyncio's `QueueShutDown`).
///
/// Rules: [`GET-2`](crate::semantics#GET-2), [`DIFF-2`](crate::semantics#DIFF-2).
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// use aioqueue::{GetError, Queue};
///
/// let queue = Queue::<u8>::new(0);
/// queue.shutdown();
/// assert_eq!(queue.get().await, Err(GetError));
/// # });
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct GetError;

impl fmt::Display for GetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot get: the queue is shut down and empty")
    }
}

impl Error for GetError {}

/// The error of [`try_get`](crate::GenericQueue::try_get).
///
/// Rules: [`TRYGET-1`](crate::semantics#TRYGET-1), [`DIFF-2`](crate::semantics#DIFF-2).
///
/// # Examples
///
/// ```
/// use aioqueue::{Queue, TryGetError};
///
/// let queue = Queue::<u8>::new(0);
/// assert_eq!(queue.try_get(), Err(TryGetError::Empty));
/// queue.shutdown();
/// assert_eq!(queue.try_get(), Err(TryGetError::ShutDown));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TryGetError {
    /// The queue holds no item (asyncio's `QueueEmpty`).
    ///
    /// Rules: [`TRYGET-1`](crate::semantics#TRYGET-1).
    Empty,
    /// The queue was shut down and holds no item (asyncio's `QueueShutDown`).
    ///
    /// Rules: [`TRYGET-1`](crate::semantics#TRYGET-1).
    ShutDown,
}

impl TryGetError {
    /// Whether the queue was empty and not shut down (asyncio's `QueueEmpty`).
    ///
    /// Rules: [`TRYGET-1`](crate::semantics#TRYGET-1).
    ///
    /// ```
    /// let queue = aioqueue::Queue::<u8>::new(0);
    /// let error = queue.try_get().unwrap_err();
    /// assert!(error.is_empty() && !error.is_shutdown());
    /// ```
    pub fn is_empty(&self) -> bool {
        matches!(self, TryGetError::Empty)
    }

    /// Whether the queue was shut down and empty (asyncio's `QueueShutDown`).
    ///
    /// Rules: [`TRYGET-1`](crate::semantics#TRYGET-1).
    ///
    /// ```
    /// let queue = aioqueue::Queue::<u8>::new(0);
    /// queue.shutdown();
    /// let error = queue.try_get().unwrap_err();
    /// assert!(error.is_shutdown() && !error.is_empty());
    /// ```
    pub fn is_shutdown(&self) -> bool {
        matches!(self, TryGetError::ShutDown)
    }
}

impl fmt::Display for TryGetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryGetError::Empty => f.write_str("cannot get: the queue is empty"),
            TryGetError::ShutDown => f.write_str("cannot get: the queue is shut down and empty"),
        }
    }
}

impl Error for TryGetError {}

impl From<GetError> for TryGetError {
    /// A shut-down `get` is a shut-down `try_get`.
    ///
    /// Rules: [`GET-2`](crate::semantics#GET-2), [`TRYGET-1`](crate::semantics#TRYGET-1),
    /// [`DIFF-2`](crate::semantics#DIFF-2).
    ///
    /// ```
    /// use aioqueue::{GetError, TryGetError};
    /// assert_eq!(TryGetError::from(GetError), TryGetError::ShutDown);
    /// ```
    fn from(_: GetError) -> Self {
        TryGetError::ShutDown
    }
}

/// The error of [`task_done`](crate::GenericQueue::task_done): it was called
/// more times than items were put (asyncio raises `ValueError`).
///
/// Rules: [`DONE-1`](crate::semantics#DONE-1), [`DIFF-2`](crate::semantics#DIFF-2).
///
/// # Examples
///
/// ```
/// use aioqueue::{Queue, TaskDoneError};
///
/// let queue = Queue::<u8>::new(0);
/// assert_eq!(queue.task_done(), Err(TaskDoneError));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TaskDoneError;

impl fmt::Display for TaskDoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("task_done() called too many times")
    }
}

impl Error for TaskDoneError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn try_put_error_predicates_name_their_variant() {
        assert!(TryPutError::Full(1).is_full());
        assert!(!TryPutError::Full(1).is_shutdown());
        assert!(TryPutError::ShutDown(1).is_shutdown());
        assert!(!TryPutError::ShutDown(1).is_full());
    }
}
