//! Auto traits, checked at compile time (in the style of tokio's
//! `tests/async_send_sync.rs`), and `Debug`/`Display` checked at run time.
//!
//! The positive assertions fail to compile if a bound is missing; the
//! negative ones (`!Send`, `!Sync`) fail to compile if a type is `Send` or
//! `Sync` where it must not be: a `Queue<Rc<_>>` shared between threads
//! would be unsound.

#![allow(
    clippy::diverging_sub_expression,
    dead_code,
    unreachable_code,
    unused_variables
)]

use std::cell::Cell;
use std::error::Error;
use std::future::Future;
use std::marker::PhantomPinned;
use std::rc::Rc;
use std::sync::Arc;
use std::task::Context;

use aioqueue::{
    Fifo, GenericQueue, Get, GetError, GetMany, Join, Lifo, LifoQueue, Priority, PriorityQueue,
    Put, PutError, Queue, TaskDoneError, TryGetError, TryPutError,
};

// ------------------------------------------------- compile-time checks

fn require_send<T: Send>(_: &T) {}
fn require_sync<T: Sync>(_: &T) {}
fn require_unpin<T: Unpin>(_: &T) {}
fn require_static<T: 'static>(_: &T) {}
fn require_error<T: Error + Send + Sync + 'static>(_: &T) {}

// A call to `some_item` is ambiguous, and so does not compile, exactly when
// the type is `Send` (resp. `Sync`).
trait AmbiguousIfSend<A> {
    fn some_item(&self) {}
}
impl<T: ?Sized> AmbiguousIfSend<()> for T {}
impl<T: ?Sized + Send> AmbiguousIfSend<Invalid> for T {}

trait AmbiguousIfSync<A> {
    fn some_item(&self) {}
}
impl<T: ?Sized> AmbiguousIfSync<()> for T {}
impl<T: ?Sized + Sync> AmbiguousIfSync<Invalid> for T {}

struct Invalid;

macro_rules! into_todo {
    ($typ:ty) => {{
        let x: $typ = todo!();
        x
    }};
}

macro_rules! assert_value {
    ($type:ty: Send & Sync) => {
        const _: fn() = || {
            let f: $type = todo!();
            require_send(&f);
            require_sync(&f);
        };
    };
    ($type:ty: !Send & Sync) => {
        const _: fn() = || {
            let f: $type = todo!();
            AmbiguousIfSend::some_item(&f);
            require_sync(&f);
        };
    };
    ($type:ty: Send & !Sync) => {
        const _: fn() = || {
            let f: $type = todo!();
            require_send(&f);
            AmbiguousIfSync::some_item(&f);
        };
    };
    ($type:ty: !Send & !Sync) => {
        const _: fn() = || {
            let f: $type = todo!();
            AmbiguousIfSend::some_item(&f);
            AmbiguousIfSync::some_item(&f);
        };
    };
    ($type:ty: Unpin) => {
        const _: fn() = || {
            let f: $type = todo!();
            require_unpin(&f);
        };
    };
    ($type:ty: Error) => {
        const _: fn() = || {
            let f: $type = todo!();
            require_error(&f);
            require_static(&f);
        };
    };
}

/// Checks the future returned by `$method` on a `&'static $queue`.
macro_rules! async_assert_fn {
    ($queue:ty, $call:ident($($arg:expr),*): $($tok:tt)*) => {
        const _: fn() = || {
            let queue: &'static $queue = into_todo!(&'static $queue);
            let f = queue.$call($($arg),*);
            async_assert_fn!(@check f, $($tok)*);
        };
    };
    (@check $f:ident, Send & Sync) => {{
        require_send(&$f);
        require_sync(&$f);
    }};
    (@check $f:ident, Send & !Sync) => {{
        require_send(&$f);
        AmbiguousIfSync::some_item(&$f);
    }};
    (@check $f:ident, !Send & !Sync) => {{
        AmbiguousIfSend::some_item(&$f);
        AmbiguousIfSync::some_item(&$f);
    }};
}

type NotSync = Cell<u8>; // Send, !Sync
type NotSend = Rc<u8>; // !Send, !Sync

// The queues: Send + Sync when T: Send (the lock makes `T: Sync` needless;
// docs/semantics.md DIFF-4).
assert_value!(Queue<u8>: Send & Sync);
assert_value!(LifoQueue<String>: Send & Sync);
assert_value!(PriorityQueue<u64>: Send & Sync);
assert_value!(Queue<NotSync>: Send & Sync);
assert_value!(LifoQueue<NotSync>: Send & Sync);
assert_value!(PriorityQueue<Box<u8>>: Send & Sync);
assert_value!(Arc<Queue<NotSync>>: Send & Sync);
assert_value!(Queue<NotSend>: !Send & !Sync);
assert_value!(LifoQueue<NotSend>: !Send & !Sync);
assert_value!(PriorityQueue<NotSend>: !Send & !Sync);
// Sync but !Send items must not make the queue shareable.
assert_value!(Queue<std::sync::MutexGuard<'static, u8>>: !Send & !Sync);

// Put holds the item: Send when T: Send, Sync only when T is Sync too.
assert_value!(Put<'static, u8, Fifo<u8>>: Send & Sync);
assert_value!(Put<'static, String, Lifo<String>>: Send & Sync);
assert_value!(Put<'static, u64, Priority<u64>>: Send & Sync);
assert_value!(Put<'static, NotSync, Fifo<NotSync>>: Send & !Sync);
assert_value!(Put<'static, NotSync, Lifo<NotSync>>: Send & !Sync);
assert_value!(Put<'static, NotSend, Fifo<NotSend>>: !Send & !Sync);
// Get and Join hold only the queue reference.
assert_value!(Get<'static, u8, Fifo<u8>>: Send & Sync);
assert_value!(Get<'static, String, Lifo<String>>: Send & Sync);
assert_value!(Get<'static, u64, Priority<u64>>: Send & Sync);
assert_value!(Get<'static, NotSync, Fifo<NotSync>>: Send & Sync);
assert_value!(Get<'static, NotSend, Fifo<NotSend>>: !Send & !Sync);
assert_value!(Join<'static, u8, Fifo<u8>>: Send & Sync);
assert_value!(Join<'static, String, Lifo<String>>: Send & Sync);
assert_value!(Join<'static, u64, Priority<u64>>: Send & Sync);
assert_value!(Join<'static, NotSync, Fifo<NotSync>>: Send & Sync);
assert_value!(Join<'static, NotSend, Fifo<NotSend>>: !Send & !Sync);

assert_value!(GetMany<'static, u8, Fifo<u8>>: Send & Sync);
assert_value!(GetMany<'static, NotSync, Fifo<NotSync>>: Send & Sync);
assert_value!(GetMany<'static, NotSend, Fifo<NotSend>>: !Send & !Sync);
#[cfg(feature = "stream")]
assert_value!(aioqueue::GetStream<'static, u8, Fifo<u8>>: Send & Sync);
#[cfg(feature = "stream")]
assert_value!(aioqueue::GetStream<'static, NotSend, Fifo<NotSend>>: !Send & !Sync);

// Never pinned through, whatever the item (docs/semantics.md POLL-7).
assert_value!(GetMany<'static, PhantomPinned, Fifo<PhantomPinned>>: Unpin);
assert_value!(Put<'static, PhantomPinned, Fifo<PhantomPinned>>: Unpin);
assert_value!(Get<'static, PhantomPinned, Fifo<PhantomPinned>>: Unpin);
assert_value!(Join<'static, PhantomPinned, Fifo<PhantomPinned>>: Unpin);

// The same through the methods that make them.
async_assert_fn!(Queue<u8>, put(1): Send & Sync);
async_assert_fn!(Queue<u8>, get(): Send & Sync);
async_assert_fn!(Queue<u8>, join(): Send & Sync);
async_assert_fn!(LifoQueue<NotSync>, put(Cell::new(1)): Send & !Sync);
async_assert_fn!(PriorityQueue<u8>, get(): Send & Sync);
async_assert_fn!(Queue<NotSend>, put(Rc::new(1)): !Send & !Sync);
async_assert_fn!(Queue<NotSend>, get(): !Send & !Sync);

// The one-thread queues (docs/semantics.md LOCAL-1): Send when T: Send,
// so a queue can be moved to another thread whole, never Sync, so their
// futures, which borrow the queue or hold an `Arc` of it, are never Send.
assert_value!(aioqueue::local::Queue<u8>: Send & !Sync);
assert_value!(aioqueue::local::LifoQueue<String>: Send & !Sync);
assert_value!(aioqueue::local::PriorityQueue<u64>: Send & !Sync);
assert_value!(aioqueue::local::Queue<NotSend>: !Send & !Sync);
assert_value!(Rc<aioqueue::local::Queue<u8>>: !Send & !Sync);
assert_value!(Put<'static, u8, Fifo<u8>, aioqueue::Local>: !Send & !Sync);
assert_value!(Get<'static, u8, Lifo<u8>, aioqueue::Local>: !Send & !Sync);
assert_value!(Join<'static, u8, Priority<u8>, aioqueue::Local>: !Send & !Sync);
assert_value!(GetMany<'static, u8, Fifo<u8>, aioqueue::Local>: !Send & !Sync);
#[cfg(feature = "stream")]
assert_value!(aioqueue::GetStream<'static, u8, Fifo<u8>, aioqueue::Local>: !Send & !Sync);
assert_value!(Put<'static, PhantomPinned, Fifo<PhantomPinned>, aioqueue::Local>: Unpin);
async_assert_fn!(aioqueue::local::Queue<u8>, put(1): !Send & !Sync);
async_assert_fn!(aioqueue::local::Queue<u8>, get(): !Send & !Sync);
async_assert_fn!(aioqueue::local::PriorityQueue<u8>, join(): !Send & !Sync);
// The owned futures of a local queue hold an `Rc`: 'static, for
// `spawn_local`, and never Send.
const _: fn() = || {
    let queue: Rc<aioqueue::local::Queue<String>> = todo!();
    require_static(&Rc::clone(&queue).put_owned(String::new()));
    require_static(&Rc::clone(&queue).get_owned());
    require_static(&Rc::clone(&queue).join_owned());
    AmbiguousIfSend::some_item(&Rc::clone(&queue).get_owned());
};

// Every error: Send + Sync + 'static + std::error::Error.
assert_value!(PutError<u8>: Error);
assert_value!(PutError<String>: Error);
assert_value!(TryPutError<u8>: Error);
assert_value!(TryPutError<Vec<String>>: Error);
assert_value!(GetError: Error);
assert_value!(TryGetError: Error);
assert_value!(TaskDoneError: Error);
// Even for an item that is not Debug.
assert_value!(PutError<NotDebug>: Error);
assert_value!(TryPutError<NotDebug>: Error);
assert_value!(PutError<NotSend>: !Send & !Sync);

// The owned futures are 'static for a 'static item, and spawnable
// (docs/semantics.md OWNED-1).
const _: fn() = || {
    let queue: Arc<Queue<String>> = todo!();
    require_static(&Arc::clone(&queue).put_owned(String::new()));
    require_static(&Arc::clone(&queue).get_owned());
    require_static(&Arc::clone(&queue).join_owned());
    require_send(&Arc::clone(&queue).get_owned());
};

// An `Arc<Queue<T>>` can be moved into `tokio::spawn`, and a task that
// holds futures of all three kinds across awaits is Send.
const _: fn() = || {
    let queue: Arc<Queue<String>> = todo!();
    let task = async move {
        queue.put(String::new()).await?;
        let item = queue.get().await?;
        queue.task_done()?;
        queue.join().await;
        Ok::<_, Box<dyn Error + Send + Sync>>(item)
    };
    fn spawnable<F: Future + Send + 'static>(_: &F)
    where
        F::Output: Send + 'static,
    {
    }
    spawnable(&task);
};

// ------------------------------------------------------- run-time checks

/// Neither Debug nor Display; Ord only so that a PriorityQueue can hold it.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct NotDebug(u8);

/// `?` turns every error into a boxed `dyn Error + Send + Sync`.
fn boxed_errors() -> Vec<Box<dyn Error + Send + Sync + 'static>> {
    fn boxed<E: Error + Send + Sync + 'static>(
        result: Result<(), E>,
    ) -> Box<dyn Error + Send + Sync + 'static> {
        let run = || -> Result<(), Box<dyn Error + Send + Sync>> {
            result?;
            Ok(())
        };
        run().unwrap_err()
    }
    vec![
        boxed(Err(PutError(NotDebug(1)))),
        boxed(Err(TryPutError::Full(NotDebug(2)))),
        boxed(Err(TryPutError::ShutDown(NotDebug(3)))),
        boxed(Err(GetError)),
        boxed(Err(TryGetError::Empty)),
        boxed(Err(TryGetError::ShutDown)),
        boxed(Err(TaskDoneError)),
    ]
}

#[test]
fn errors_are_debug_without_a_debug_item() {
    // docs/semantics.md DIFF-2.
    assert_eq!(format!("{:?}", PutError(NotDebug(1))), "PutError(..)");
    assert_eq!(format!("{:?}", TryPutError::Full(NotDebug(1))), "Full(..)");
    assert_eq!(
        format!("{:?}", TryPutError::ShutDown(NotDebug(1))),
        "ShutDown(..)"
    );
    assert_eq!(format!("{GetError:?}"), "GetError");
    assert_eq!(format!("{:?}", TryGetError::Empty), "Empty");
    assert_eq!(format!("{:?}", TryGetError::ShutDown), "ShutDown");
    assert_eq!(format!("{TaskDoneError:?}"), "TaskDoneError");
    // The boxed forms forward Debug, and have no source.
    let debugs: Vec<String> = boxed_errors().iter().map(|e| format!("{e:?}")).collect();
    assert_eq!(
        debugs,
        [
            "PutError(..)",
            "Full(..)",
            "ShutDown(..)",
            "GetError",
            "Empty",
            "ShutDown",
            "TaskDoneError"
        ]
    );
    for err in boxed_errors() {
        assert!(err.source().is_none());
    }
    // The real errors from a queue of such items.
    let queue = Queue::new(1);
    queue.try_put(NotDebug(1)).unwrap();
    let full = queue.try_put(NotDebug(2)).unwrap_err();
    assert!(full.is_full());
    assert_eq!(format!("{full:?}"), "Full(..)");
    assert!(full.into_inner() == NotDebug(2));
}

#[test]
fn display_messages_are_distinct_per_failure_mode() {
    let put = PutError(NotDebug(0)).to_string();
    let full = TryPutError::Full(NotDebug(0)).to_string();
    let put_shut = TryPutError::ShutDown(NotDebug(0)).to_string();
    let get = GetError.to_string();
    let empty = TryGetError::Empty.to_string();
    let get_shut = TryGetError::ShutDown.to_string();
    let done = TaskDoneError.to_string();

    // Within each enum, each variant says something different.
    assert_ne!(full, put_shut);
    assert_ne!(empty, get_shut);
    // Distinct failure modes never share a message; a put and a get
    // failing on shutdown are told apart.
    let modes = [&full, &put_shut, &empty, &get_shut, &done];
    for (i, a) in modes.iter().enumerate() {
        // Rust's convention for error messages: lower case, no full stop.
        assert!(
            a.starts_with(char::is_lowercase) && !a.ends_with('.'),
            "{a}"
        );
        for b in &modes[i + 1..] {
            assert_ne!(a, b);
        }
    }
    // The async and the non-waiting form of one failure may agree, but
    // must name the operation.
    assert!(put.contains("put") && put_shut.contains("put"));
    assert!(get.contains("get") && get_shut.contains("get"));
    assert!(full.contains("full"));
    assert!(empty.contains("empty"));
    assert!(done.contains("task_done"));
    // Display goes through the boxed trait objects unchanged.
    let boxed: Vec<String> = boxed_errors().iter().map(|e| e.to_string()).collect();
    assert_eq!(boxed, [put, full, put_shut, get, empty, get_shut, done]);
}

fn debug_of_queue<O: aioqueue::Order<NotDebug>>(name: &str) {
    // docs/semantics.md DEBUG-1, DIFF-8.
    let queue = GenericQueue::<NotDebug, O>::new(2);
    queue.try_put(NotDebug(3)).unwrap();
    queue.try_put(NotDebug(1)).unwrap();
    assert_eq!(
        format!("{queue:?}"),
        format!(
            "{name} {{ maxsize: 2, len: 2, getters: 0, putters: 0, joiners: 0, unfinished_tasks: 2, shutdown: false }}"
        )
    );
    // The futures are Debug too.
    let put = queue.put(NotDebug(2));
    let get = queue.get();
    let join = queue.join();
    for (text, kind) in [
        (format!("{put:?}"), "Put"),
        (format!("{get:?}"), "Get"),
        (format!("{join:?}"), "Join"),
    ] {
        assert!(text.starts_with(kind), "{text}");
        assert!(text.contains("waiting: false"), "{text}");
        assert!(text.contains("done: false"), "{text}");
    }
    drop((put, get, join));
    queue.shutdown();
    assert!(format!("{queue:?}").ends_with("shutdown: true }"));
}

#[test]
fn queues_and_futures_are_debug_without_a_debug_item() {
    debug_of_queue::<Fifo<NotDebug>>("Queue");
    debug_of_queue::<Lifo<NotDebug>>("LifoQueue");
    debug_of_queue::<Priority<NotDebug>>("PriorityQueue");
}

#[test]
fn future_debug_follows_its_state() {
    // docs/semantics.md DEBUG-2, STATE-8.
    futures::executor::block_on(async {
        let queue = Queue::new(1);
        let mut put = queue.put(NotDebug(1));
        assert!(format!("{put:?}").contains("done: false"));
        (&mut put).await.unwrap();
        assert!(format!("{put:?}").contains("done: true"));

        let mut get = queue.get();
        (&mut get).await.unwrap();
        assert!(format!("{get:?}").contains("done: true"));

        // A get that is waiting says so, and stops waiting when dropped.
        let mut waiting = tokio_test::task::spawn(queue.get());
        assert!(waiting.poll().is_pending());
        assert!(format!("{:?}", *waiting).contains("waiting: true"));
        drop(waiting);
        assert!(format!("{queue:?}").contains("getters: 0"));
    });
}

#[test]
fn queue_and_futures_cross_threads() {
    // docs/semantics.md DIFF-4, POLL-7.
    // A run-time companion to the assertions: a queue of a Send but !Sync
    // item, shared by threads; a get registered as a waiter on this thread,
    // then moved to another thread that waits there until a third thread's
    // put wakes it.
    let queue = Queue::<Cell<i32>>::new(0);
    let mut get = Box::pin(queue.get());
    let registered = get
        .as_mut()
        .poll(&mut Context::from_waker(std::task::Waker::noop()));
    assert!(registered.is_pending());
    assert_eq!(queue.waiting_getters(), 1);
    let (waiting_there, told) = std::sync::mpsc::channel();
    let got = std::thread::scope(|scope| {
        let consumer = scope.spawn(move || {
            // Polls the moved future on this thread; says so once it is
            // Pending here, registered with this thread's waker.
            let mut told = false;
            futures::executor::block_on(std::future::poll_fn(|cx| {
                let poll = get.as_mut().poll(cx);
                if poll.is_pending() && !std::mem::replace(&mut told, true) {
                    waiting_there.send(()).unwrap();
                }
                poll
            }))
            .map(|item| item.get())
        });
        told.recv().unwrap();
        assert_eq!(queue.waiting_getters(), 1);
        scope
            .spawn(|| queue.try_put(Cell::new(7)))
            .join()
            .unwrap()
            .unwrap();
        consumer.join().unwrap()
    });
    assert_eq!(got, Ok(7));
    queue.task_done().unwrap();
    futures::executor::block_on(queue.join());
    assert_eq!(queue.unfinished_tasks(), 0);
}
