//! The implementation under test, seen through its public API only.
//!
//! Everything the simulator does to a queue goes through [`Subject`], which
//! is written against the API fixed for `aioqueue` (the three queue types,
//! their methods, their errors, the waiter counts, and the futures' `Debug`
//! with their place in line), so that any implementation of that API can
//! be judged.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::Arc;
use std::task::{Context, Poll};

use aioqueue::{
    GenericQueue, GetError, GetStream, LifoQueue, Local, Lock, Order, PriorityQueue, PutError,
    Queue, Shared, TryGetError, TryPutError,
};
use futures_core::stream::{FusedStream, Stream};

use crate::model::{Comparison, Observation, OpResult};
use crate::scenario::{Item, Kind, Op};

/// The future of one `Op`, and what it shows while in flight.
pub trait InFlight: Future<Output = OpResult> {
    /// Its place in its waiter list (1 = the next to be woken), or `None`
    /// if it is not waiting in one.
    fn place(&self) -> Option<usize>;

    /// Cancels it as a drop does, handing back the item of a `put` that
    /// has not completed (`Put::cancel`); other operations hand back none.
    fn cancel(self: Pin<Box<Self>>) -> Option<Item> {
        drop(self);
        None
    }
}

/// An operation in flight, on the thread that started it.
pub type OpFuture<'q> = Pin<Box<dyn InFlight + 'q>>;

/// An operation in flight that may move between threads (tokio's workers).
pub type SendOpFuture<'q> = Pin<Box<dyn InFlight + Send + 'q>>;

/// A queue of any kind, driven through the public API.
pub trait Subject {
    /// The future of `op` on this queue. Like the API's futures, it does
    /// nothing until polled.
    fn start(&self, op: Op) -> OpFuture<'_>;
    /// The future of `op` for task `task`, through the face of the API
    /// that task uses ([`face_of`]). By default, [`start`](Self::start).
    fn start_for(&self, op: Op, task: usize) -> OpFuture<'_> {
        let _ = task;
        self.start(op)
    }
    /// The counts, read through `maxsize`, `len`, `is_empty`, `is_full`,
    /// `unfinished_tasks`, `is_shutdown` and `waiting_getters`,
    /// `waiting_putters`, `waiting_joiners`.
    fn observe(&self) -> Observation;
    /// Drains what is left, for the final accounting of items.
    fn drain(&self) -> Vec<Item>;
}

/// A queue shared by threads: its operations' futures are `Send`.
pub trait ThreadSubject: Subject + Send + Sync {
    /// [`Subject::start_for`], as a future that may move between threads.
    fn start_send(&self, op: Op, task: usize) -> SendOpFuture<'_>;
}

/// Which lock the queue under test has (docs/semantics.md LOCAL-1): the
/// thread-safe queues, or the `aioqueue::local` ones. The scenarios and
/// the judge are the same for both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum LockKind {
    /// `aioqueue::{Queue, LifoQueue, PriorityQueue}`: std's `Mutex`.
    #[default]
    Shared,
    /// `aioqueue::local::{Queue, LifoQueue, PriorityQueue}`: a `RefCell`.
    Local,
}

impl LockKind {
    /// Both locks.
    pub const ALL: [LockKind; 2] = [LockKind::Shared, LockKind::Local];
}

/// Makes the queue a scenario asks for, with `lock`, in an `Arc` (an `Rc`
/// for a local queue), so that every face of the API can be driven
/// ([`face_of`]).
pub fn new_subject(lock: LockKind, kind: Kind, maxsize: usize) -> Box<dyn Subject> {
    use aioqueue::local;
    match (lock, kind) {
        (LockKind::Shared, Kind::Fifo) => Box::new(Arc::new(Queue::<Ranked>::new(maxsize))),
        (LockKind::Shared, Kind::Lifo) => Box::new(Arc::new(LifoQueue::<Ranked>::new(maxsize))),
        (LockKind::Shared, Kind::Priority) => {
            Box::new(Arc::new(PriorityQueue::<Ranked>::new(maxsize)))
        }
        (LockKind::Local, Kind::Fifo) => Box::new(Rc::new(local::Queue::<Ranked>::new(maxsize))),
        (LockKind::Local, Kind::Lifo) => {
            Box::new(Rc::new(local::LifoQueue::<Ranked>::new(maxsize)))
        }
        (LockKind::Local, Kind::Priority) => {
            Box::new(Rc::new(local::PriorityQueue::<Ranked>::new(maxsize)))
        }
    }
}

/// The queue a scenario asks for, to share between threads.
pub fn shared_subject(kind: Kind, maxsize: usize) -> Arc<dyn ThreadSubject> {
    match kind {
        Kind::Fifo => Arc::new(Arc::new(Queue::<Ranked>::new(maxsize))),
        Kind::Lifo => Arc::new(Arc::new(LifoQueue::<Ranked>::new(maxsize))),
        Kind::Priority => Arc::new(Arc::new(PriorityQueue::<Ranked>::new(maxsize))),
    }
}

/// The faces of the API through which a task's waiting operations run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Face {
    /// `put`, `get`, `get_many`, `join`: futures that borrow the queue.
    Borrowed,
    /// `put_owned`, `get_owned`, `join_owned`: futures that hold an `Arc`.
    Owned,
    /// `get` as the next item of `stream()`; the rest borrowed.
    Stream,
}

/// The face task `task` uses: tasks 0, 3, ... borrow; 1, 4, ... own; 2,
/// 5, ... get through a stream. Every scenario of two tasks or more thus
/// judges a second face, and of three tasks all three, against the model.
pub fn face_of(task: usize) -> Face {
    match task % 3 {
        0 => Face::Borrowed,
        1 => Face::Owned,
        _ => Face::Stream,
    }
}

/// An item as the queue holds it: ordered by its key alone, the tag
/// ignored, like a Python object whose `__lt__` compares a priority field.
/// Every comparison the queue makes is logged on this thread as the
/// question it asks: `a < b`, `b > a` and `a.cmp(b)` all ask "a < b?".
#[derive(Clone, Copy, Debug)]
pub struct Ranked(pub Item);

thread_local! {
    static ASKED: RefCell<Vec<Comparison>> = const { RefCell::new(Vec::new()) };
}

/// The comparisons logged on this thread since the last call, in order.
pub fn take_comparisons() -> Vec<Comparison> {
    ASKED.with(|log| std::mem::take(&mut *log.borrow_mut()))
}

fn ask(a: &Ranked, b: &Ranked) -> bool {
    ASKED.with(|log| log.borrow_mut().push((a.0, b.0)));
    a.0.less(&b.0)
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.0.key == other.0.key
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
    fn lt(&self, other: &Self) -> bool {
        ask(self, other)
    }
    fn gt(&self, other: &Self) -> bool {
        ask(other, self)
    }
    fn le(&self, other: &Self) -> bool {
        !ask(other, self)
    }
    fn ge(&self, other: &Self) -> bool {
        !ask(self, other)
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        if ask(self, other) {
            Ordering::Less
        } else if self.0.key == other.0.key {
            Ordering::Equal
        } else {
            Ordering::Greater
        }
    }
}

/// What an error of one kind must show (docs/semantics.md DIFF-2): its
/// predicates, `Display` and `Debug` agree with its variant. A disagreement
/// is a bug of the crate that no result shows, so the run stops on it.
/// The faces never change, so each kind is checked the first time a process
/// meets it, and the search's later errors skip the formatting.
struct Faces {
    checked: AtomicBool,
    display: &'static str,
    debug: &'static str,
}

impl Faces {
    const fn new(display: &'static str, debug: &'static str) -> Faces {
        Faces {
            checked: AtomicBool::new(false),
            display,
            debug,
        }
    }

    fn check<E: fmt::Display + fmt::Debug>(
        &self,
        error: &E,
        predicates_hold: impl FnOnce() -> bool,
    ) {
        if self.checked.swap(true, AtomicOrdering::Relaxed) {
            return;
        }
        assert!(
            predicates_hold(),
            "{}: its predicates disagree with its variant",
            self.debug
        );
        assert_eq!(
            (error.to_string().as_str(), format!("{error:?}").as_str()),
            (self.display, self.debug),
            "an error's Display and Debug disagree with its variant"
        );
    }
}

static FULL: Faces = Faces::new("cannot put: the queue is full", "Full(..)");
static TRY_PUT_SHUT_DOWN: Faces = Faces::new("cannot put: the queue is shut down", "ShutDown(..)");
static PUT_SHUT_DOWN: Faces = Faces::new("cannot put: the queue is shut down", "PutError(..)");
static EMPTY: Faces = Faces::new("cannot get: the queue is empty", "Empty");
static TRY_GET_SHUT_DOWN: Faces =
    Faces::new("cannot get: the queue is shut down and empty", "ShutDown");
static GET_SHUT_DOWN: Faces =
    Faces::new("cannot get: the queue is shut down and empty", "GetError");
static TASK_DONE: Faces = Faces::new("task_done() called too many times", "TaskDoneError");

fn try_put_result(result: Result<(), TryPutError<Ranked>>) -> OpResult {
    match result {
        Ok(()) => OpResult::Ok,
        Err(error @ TryPutError::Full(_)) => {
            FULL.check(&error, || error.is_full() && !error.is_shutdown());
            OpResult::Full(error.into_inner().0)
        }
        Err(error @ TryPutError::ShutDown(_)) => {
            TRY_PUT_SHUT_DOWN.check(&error, || error.is_shutdown() && !error.is_full());
            OpResult::PutShutDown(error.into_inner().0)
        }
    }
}

fn try_get_result(result: Result<Ranked, TryGetError>) -> OpResult {
    match result {
        Ok(item) => OpResult::Item(item.0),
        Err(error @ TryGetError::Empty) => {
            EMPTY.check(&error, || error.is_empty() && !error.is_shutdown());
            OpResult::Empty
        }
        Err(error @ TryGetError::ShutDown) => {
            TRY_GET_SHUT_DOWN.check(&error, || error.is_shutdown() && !error.is_empty());
            OpResult::GetShutDown
        }
    }
}

/// A future of the API, its output mapped to an [`OpResult`]; its place is
/// read from its `Debug` (`place: Some(2)`); `cancel` is how it is
/// cancelled with its item handed back (a drop, for all but `Put`).
struct Mapped<F: Future> {
    future: F,
    map: fn(F::Output) -> OpResult,
    cancel: fn(F) -> Option<Item>,
}

impl<F: Future + Unpin> Future for Mapped<F> {
    type Output = OpResult;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<OpResult> {
        let map = self.map;
        Pin::new(&mut self.future).poll(cx).map(map)
    }
}

impl<F: Future + Unpin + fmt::Debug> InFlight for Mapped<F> {
    fn place(&self) -> Option<usize> {
        place_in_debug(&format!("{:?}", self.future))
    }

    fn cancel(self: Pin<Box<Self>>) -> Option<Item> {
        let this = *Pin::into_inner(self);
        (this.cancel)(this.future)
    }
}

/// Cancels task `task`'s future of `op`: the puts of odd tasks through
/// `Put::cancel`, which returns the item it handed back (`Some`), every
/// other future by a drop (`None`). Both ways are judged wherever two
/// tasks or more cancel.
pub fn cancel(future: OpFuture<'_>, op: Op, task: usize) -> Option<Option<Item>> {
    if task % 2 == 1 && matches!(op, Op::Put(_)) {
        Some(future.cancel())
    } else {
        drop(future);
        None
    }
}

/// What a cancelled operation must hand back ([`cancel`]): a put its item,
/// since a cancelled put never completed [CANCEL-8]; the rest nothing.
pub fn handed_back_by(op: Op) -> Option<Item> {
    match op {
        Op::Put(item) => Some(item),
        _ => None,
    }
}

/// How a `Get` or a `Join` is cancelled: dropped; no item to hand back.
fn dropped<F>(future: F) -> Option<Item> {
    drop(future);
    None
}

/// Reads `place: Some(N)` out of a future's `Debug` output.
pub fn place_in_debug(debug: &str) -> Option<usize> {
    let rest = &debug[debug.find("place: Some(")? + "place: Some(".len()..];
    rest.split(')').next()?.parse().ok()
}

/// A future that returns `Pending` once, waking its own task first.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = OpResult;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<OpResult> {
        if self.0 {
            return Poll::Ready(OpResult::Ok);
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

impl InFlight for YieldOnce {
    fn place(&self) -> Option<usize> {
        None
    }
}

fn put_result(result: Result<(), PutError<Ranked>>) -> OpResult {
    match result {
        Ok(()) => OpResult::Ok,
        Err(error) => {
            PUT_SHUT_DOWN.check(&error, || true);
            OpResult::PutShutDown(error.into_inner().0)
        }
    }
}

fn get_result(result: Result<Ranked, GetError>) -> OpResult {
    match result {
        Ok(item) => OpResult::Item(item.0),
        Err(error) => {
            GET_SHUT_DOWN.check(&error, || true);
            OpResult::GetShutDown
        }
    }
}

fn batch_result(result: Result<Vec<Ranked>, GetError>) -> OpResult {
    match result {
        Ok(items) => OpResult::Batch(items.into_iter().map(|i| i.0).collect()),
        Err(error) => {
            GET_SHUT_DOWN.check(&error, || true);
            OpResult::GetShutDown
        }
    }
}

fn join_result((): ()) -> OpResult {
    OpResult::Ok
}

/// The future of `op` on `$queue`, a `&GenericQueue`, through the
/// borrowing face; boxed as the calling function returns it (an
/// [`OpFuture`] or a [`SendOpFuture`]).
macro_rules! start_borrowed {
    ($queue:expr, $op:expr) => {{
        let queue = $queue;
        match $op {
            Op::Put(item) => Box::pin(Mapped {
                future: queue.put(Ranked(item)),
                map: put_result,
                cancel: |put| put.cancel().map(|item| item.0),
            }),
            Op::Get => Box::pin(Mapped {
                future: queue.get(),
                map: get_result,
                cancel: dropped,
            }),
            Op::GetMany(max) => Box::pin(Mapped {
                future: queue.get_many(max),
                map: batch_result,
                cancel: dropped,
            }),
            Op::TryGetMany(max) => Box::pin(Deferred(Some(move || {
                OpResult::Batch(queue.try_get_many(max).into_iter().map(|i| i.0).collect())
            }))),
            Op::Join => Box::pin(Mapped {
                future: queue.join(),
                map: join_result,
                cancel: dropped,
            }),
            // The rest run when first polled, like the async fns they stand for.
            Op::TryPut(item) => Box::pin(Deferred(Some(move || {
                try_put_result(queue.try_put(Ranked(item)))
            }))),
            Op::TryGet => Box::pin(Deferred(Some(move || try_get_result(queue.try_get())))),
            Op::TaskDone => Box::pin(Deferred(Some(move || match queue.task_done() {
                Ok(()) => OpResult::Ok,
                Err(error) => {
                    TASK_DONE.check(&error, || true);
                    OpResult::TaskDoneError
                }
            }))),
            Op::Shutdown => Box::pin(Deferred(Some(move || {
                queue.shutdown();
                OpResult::Ok
            }))),
            Op::ShutdownImmediate => Box::pin(Deferred(Some(move || {
                OpResult::Drained(
                    queue
                        .shutdown_immediate()
                        .into_iter()
                        .map(|i| i.0)
                        .collect(),
                )
            }))),
            Op::Yield => Box::pin(YieldOnce(false)),
            // A request to the scheduler (see `Op::Cancel`): nothing to run.
            Op::Cancel(_) => Box::pin(Deferred(Some(|| OpResult::Ok))),
        }
    }};
}

/// The future of `op` for task `task` on `$queue`, an `&Arc` of a
/// thread-safe queue or an `&Rc` of a local one, through the task's face
/// ([`face_of`]); boxed as the calling function returns it.
macro_rules! start_in_face {
    ($queue:expr, $op:expr, $task:expr) => {{
        let queue = $queue;
        // Only the owned face clones the `Arc`: one start per step.
        match (face_of($task), $op) {
            // [OWNED-1] the same futures, holding the `Arc` (or `Rc`).
            (Face::Owned, Op::Put(item)) => Box::pin(Mapped {
                future: Clone::clone(queue).put_owned(Ranked(item)),
                map: put_result,
                cancel: |put| put.cancel().map(|item| item.0),
            }),
            (Face::Owned, Op::Get) => Box::pin(Mapped {
                future: Clone::clone(queue).get_owned(),
                map: get_result,
                cancel: dropped,
            }),
            (Face::Owned, Op::Join) => Box::pin(Mapped {
                future: Clone::clone(queue).join_owned(),
                map: join_result,
                cancel: dropped,
            }),
            // [STREAM-1] [STREAM-2] a get is the stream's next item.
            (Face::Stream, Op::Get) => Box::pin(Mapped {
                future: NextItem(queue.stream()),
                map: next_result,
                cancel: dropped,
            }),
            (_, op) => start_borrowed!(&**queue, op),
        }
    }};
}

impl<O: Order<Ranked> + 'static, L: Lock> Subject for GenericQueue<Ranked, O, L> {
    fn start(&self, op: Op) -> OpFuture<'_> {
        start_borrowed!(self, op)
    }

    fn start_for(&self, op: Op, task: usize) -> OpFuture<'_> {
        match (face_of(task), op) {
            // [STREAM-1] [STREAM-2] a get is the stream's next item.
            (Face::Stream, Op::Get) => Box::pin(Mapped {
                future: NextItem(self.stream()),
                map: next_result,
                cancel: dropped,
            }),
            _ => self.start(op),
        }
    }

    fn observe(&self) -> Observation {
        Observation {
            maxsize: self.maxsize(),
            len: self.len(),
            is_empty: self.is_empty(),
            is_full: self.is_full(),
            unfinished_tasks: self.unfinished_tasks(),
            shutdown: self.is_shutdown(),
            getters: self.waiting_getters(),
            putters: self.waiting_putters(),
            joiners: self.waiting_joiners(),
        }
    }

    fn drain(&self) -> Vec<Item> {
        // Once per run (not per step, which would slow the search): the
        // queue's `Debug` says what its accessors say [DEBUG-1] [DEBUG-3].
        let o = self.observe();
        let expected = format!(
            "{} {{ maxsize: {}, len: {}, getters: {}, putters: {}, joiners: {}, unfinished_tasks: {}, shutdown: {} }}",
            O::NAME, o.maxsize, o.len, o.getters, o.putters, o.joiners, o.unfinished_tasks, o.shutdown
        );
        assert_eq!(
            format!("{self:?}"),
            expected,
            "the queue's Debug disagrees with its accessors"
        );
        // [SIZE-6]
        let capacity = (o.maxsize > 0).then_some(o.maxsize);
        assert_eq!(
            self.capacity(),
            capacity,
            "capacity() disagrees with maxsize()"
        );
        std::iter::from_fn(|| self.try_get().ok().map(|i| i.0)).collect()
    }
}

/// The queue in an `Arc`, or the local queue in an `Rc` (`$owner`): task
/// `t` runs through [`face_of`]`(t)`, the owned futures included.
macro_rules! owned_subject {
    ($owner:ident, $lock:ty) => {
        impl<O: Order<Ranked> + 'static> Subject for $owner<GenericQueue<Ranked, O, $lock>> {
            fn start(&self, op: Op) -> OpFuture<'_> {
                (**self).start(op)
            }

            fn start_for(&self, op: Op, task: usize) -> OpFuture<'_> {
                start_in_face!(self, op, task)
            }

            fn observe(&self) -> Observation {
                (**self).observe()
            }

            fn drain(&self) -> Vec<Item> {
                (**self).drain()
            }
        }
    };
}

owned_subject!(Arc, Shared);
owned_subject!(Rc, Local);

/// The thread-safe queue in an `Arc`, driven from several threads.
impl<O: Order<Ranked> + Send + Sync + 'static> ThreadSubject
    for Arc<GenericQueue<Ranked, O, Shared>>
{
    fn start_send(&self, op: Op, task: usize) -> SendOpFuture<'_> {
        start_in_face!(self, op, task)
    }
}

/// The next item of a stream, as a future; `Debug` is the stream's.
struct NextItem<S>(S);

impl<T, O: Order<T>, L: Lock> Future for NextItem<GetStream<'_, T, O, L>> {
    type Output = Option<T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let next = Pin::new(&mut self.0).poll_next(cx);
        if let Poll::Ready(None) = next {
            // [STREAM-3] ended, it stays ended.
            assert!(
                self.0.is_terminated(),
                "an ended GetStream is not terminated"
            );
            assert!(
                matches!(Pin::new(&mut self.0).poll_next(cx), Poll::Ready(None)),
                "an ended GetStream yielded again"
            );
        }
        next
    }
}

impl<S: fmt::Debug> fmt::Debug for NextItem<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

fn next_result(next: Option<Ranked>) -> OpResult {
    // [STREAM-2] `None` where a get fails: shut down and empty.
    next.map_or(OpResult::GetShutDown, |item| OpResult::Item(item.0))
}

/// An operation that runs its body at its first poll, not when it is made:
/// a future that is dropped unpolled has done nothing.
struct Deferred<F>(Option<F>);

impl<F: FnOnce() -> OpResult + Unpin> Future for Deferred<F> {
    type Output = OpResult;

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<OpResult> {
        Poll::Ready(self.0.take().map_or(OpResult::Ok, |body| body()))
    }
}

impl<F: FnOnce() -> OpResult + Unpin> InFlight for Deferred<F> {
    fn place(&self) -> Option<usize> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_read_back_from_a_futures_debug() {
        assert_eq!(
            place_in_debug("Get { waiting: true, place: Some(12), done: false, .. }"),
            Some(12)
        );
        assert_eq!(
            place_in_debug("Get { waiting: false, place: None, done: true, .. }"),
            None
        );
    }

    #[test]
    fn a_waiting_futures_place_is_seen() {
        let queue = Queue::<Ranked>::new(0);
        let mut first = queue.start(Op::Get);
        let mut second = queue.start(Op::Get);
        let mut cx = Context::from_waker(std::task::Waker::noop());
        assert!(first.as_mut().poll(&mut cx).is_pending());
        assert!(second.as_mut().poll(&mut cx).is_pending());
        assert_eq!((first.place(), second.place()), (Some(1), Some(2)));
        drop(first);
        assert_eq!(second.place(), Some(1));
    }
}
