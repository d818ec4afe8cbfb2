//! Thread-level models of the real queue, checked exhaustively by loom.
//!
//! The simulator proves the asyncio semantics one step at a time on one
//! thread; these models prove that the thread-safe queue keeps them when its
//! operations race on different threads. Under `--cfg aioqueue_loom` the
//! queue's one lock is loom's (`src/sync.rs`), so loom explores every
//! interleaving of lock acquisitions and wakes, up to the preemption bound:
//!
//! ```sh
//! LOOM_MAX_PREEMPTIONS=3 RUSTFLAGS="--cfg aioqueue_loom" CARGO_TARGET_DIR=target/loom \
//!     cargo test --release --test loom -- --nocapture --test-threads=1
//! ```
//!
//! Every model asserts:
//! - no lost item: each item put is got, drained or still in the queue,
//!   exactly once;
//! - no lost wakeup: each waiting side completes. Waiting threads sleep on a
//!   loom `Notify` that only their waker signals, so a wakeup that never
//!   comes is a deadlock, which loom reports as a failure;
//! - the final counts: `len`, `unfinished_tasks`, `is_shutdown`, the
//!   waiting getters, putters and joiners, and the `Debug` output.
//!
//! Each model prints how many interleavings loom ran, and how long it took.
#![cfg(aioqueue_loom)]
#![forbid(unsafe_code)]

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize as StdAtomicUsize, Ordering::Relaxed};
// The queue is shared through std's `Arc`: reference counting is not under
// test, and loom's `Arc` would only add interleavings of its own counter.
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Instant;

use aioqueue::{GetError, PutError, Queue, TryGetError};
use loom::sync::atomic::AtomicUsize;
use loom::sync::atomic::Ordering::SeqCst;
use loom::sync::Notify;
use loom::thread;

// ------------------------------------------------------------------ helpers

/// A waker that counts its wakes and signals one sleeping thread.
struct Signal {
    wakes: AtomicUsize,
    notify: Notify,
}

impl Signal {
    fn new() -> Arc<Signal> {
        Arc::new(Signal {
            wakes: AtomicUsize::new(0),
            notify: Notify::new(),
        })
    }

    fn waker(self: &Arc<Self>) -> Waker {
        Waker::from(Arc::clone(self))
    }

    fn wakes(&self) -> usize {
        self.wakes.load(SeqCst)
    }
}

impl Wake for Signal {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, SeqCst);
        self.notify.notify();
    }
}

/// Owns a future, and leaks it instead of dropping it while a failed model
/// unwinds. loom reports a failure (a deadlock, a failed assertion) by
/// panicking, then unwinds every model thread after its execution is gone; a
/// queue future's `Drop` would take the queue's loom lock there, panic again,
/// and abort the whole test binary instead of failing this one test.
struct LeakOnPanic<F>(Option<F>);

impl<F> LeakOnPanic<F> {
    fn new(future: F) -> Self {
        LeakOnPanic(Some(future))
    }
}

impl<F> Drop for LeakOnPanic<F> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            std::mem::forget(self.0.take());
        }
    }
}

impl<F: Future + Unpin> Future for LeakOnPanic<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let future = self.0.as_mut().expect("polled after it was leaked");
        Pin::new(future).poll(cx)
    }
}

/// Polls once with `signal`'s waker.
fn poll_once<F: Future + Unpin>(future: &mut F, signal: &Arc<Signal>) -> Poll<F::Output> {
    let waker = signal.waker();
    Pin::new(future).poll(&mut Context::from_waker(&waker))
}

/// Polls until ready, sleeping until `signal` is woken between polls. loom's
/// `Notify` may also wake spuriously, so spurious polls are explored too.
fn drive<F: Future + Unpin>(future: &mut F, signal: &Arc<Signal>) -> F::Output {
    drive_counting(future, signal).0
}

/// `drive`, also returning whether the future ever returned `Pending`.
fn drive_counting<F: Future + Unpin>(future: &mut F, signal: &Arc<Signal>) -> (F::Output, bool) {
    let mut waited = false;
    loop {
        if let Poll::Ready(output) = poll_once(future, signal) {
            return (output, waited);
        }
        waited = true;
        signal.notify.wait();
    }
}

/// `drive` with a signal of its own.
fn block_on<F: Future + Unpin>(future: F) -> F::Output {
    block_on_counting(future).0
}

/// `block_on`, also returning whether the future ever returned `Pending`.
fn block_on_counting<F: Future + Unpin>(future: F) -> (F::Output, bool) {
    drive_counting(&mut LeakOnPanic::new(future), &Signal::new())
}

/// Asserts the queue's counts, through the accessors and through `Debug`.
/// Every model ends with every future finished or dropped: nobody waits.
#[track_caller]
fn assert_counts(queue: &Queue<u32>, len: usize, unfinished: usize, shutdown: bool) {
    assert_eq!(queue.len(), len, "len");
    assert_eq!(queue.is_empty(), len == 0, "is_empty");
    assert_eq!(queue.unfinished_tasks(), unfinished, "unfinished_tasks");
    assert_eq!(queue.is_shutdown(), shutdown, "is_shutdown");
    let waiting = (
        queue.waiting_getters(),
        queue.waiting_putters(),
        queue.waiting_joiners(),
    );
    assert_eq!(waiting, (0, 0, 0), "waiting getters, putters, joiners");
    let maxsize = queue.maxsize();
    assert_eq!(
        format!("{queue:?}"),
        format!(
            "Queue {{ maxsize: {maxsize}, len: {len}, getters: 0, putters: 0, joiners: 0, \
             unfinished_tasks: {unfinished}, shutdown: {shutdown} }}"
        ),
        "Debug"
    );
}

/// Runs `model` under loom (bounded by `LOOM_MAX_PREEMPTIONS` if set) and
/// prints the number of interleavings explored and the time taken.
fn check(name: &str, model: impl Fn() + Sync + Send + 'static) {
    let iterations = Arc::new(StdAtomicUsize::new(0));
    let counter = Arc::clone(&iterations);
    // `loom::model` runs a `Builder::new()`, which reads the same `LOOM_*`
    // variables, and also prints loom's log under `LOOM_LOG`.
    let bound = loom::model::Builder::new()
        .preemption_bound
        .map_or_else(|| "unbounded".to_string(), |bound| bound.to_string());
    let started = Instant::now();
    loom::model(move || {
        counter.fetch_add(1, Relaxed);
        model();
    });
    println!(
        "loom model {name}: {} iterations in {:.2} s (max preemptions: {bound})",
        iterations.load(Relaxed),
        started.elapsed().as_secs_f64()
    );
}

/// The outcomes the explored interleavings reached, kept outside loom: a
/// model that asserts "if this came first, then ..." also checks that loom
/// did make each side come first in some interleaving.
#[derive(Clone, Default)]
struct Seen(Arc<StdAtomicUsize>);

impl Seen {
    fn mark(&self, outcome: bool) {
        self.0.fetch_or(1 << usize::from(outcome), Relaxed);
    }

    #[track_caller]
    fn assert_both(&self, what: &str) {
        assert_eq!(self.0.load(Relaxed), 0b11, "not every interleaving: {what}");
    }
}

/// Sorts a few items, for comparing multisets.
fn sorted(mut items: Vec<u32>) -> Vec<u32> {
    items.sort_unstable();
    items
}

// ------------------------------------------------------------------- models

/// A `put` racing a `get` on an empty queue: the getter may find the item,
/// or wait and be woken for it.
/// Also a generated plan of `tests/loom_refinement.rs`: `fifo maxsize=1 |
/// put 2a | get` (this model asserts, besides, that both sides occurred).
#[test]
fn put_races_get_on_empty_queue() {
    // docs/semantics.md TRYPUT-3, GET-3, WAKE-4, DIFF-4.
    let getter_waited = Seen::default();
    let seen = getter_waited.clone();
    check("put_races_get_on_empty_queue", move || {
        let queue = Arc::new(Queue::new(1));
        let getter = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || block_on_counting(queue.get()))
        };
        assert_eq!(block_on(queue.put(7)), Ok(()));
        let (got, waited) = getter.join().unwrap();
        seen.mark(waited);
        assert_eq!(got, Ok(7));
        assert_counts(&queue, 0, 1, false);
    });
    getter_waited.assert_both("the getter waited for the put, and did not");
}

/// Two getters on two threads and a putter that must wait on the full queue
/// (`maxsize` 1) for its second item: every wait, in every order, ends.
#[test]
fn two_getters_race_a_waiting_putter() {
    // docs/semantics.md TRYGET-2, WAKE-1.
    check("two_getters_race_a_waiting_putter", || {
        let queue = Arc::new(Queue::new(1));
        let getters: Vec<_> = (0..2)
            .map(|_| {
                let queue = Arc::clone(&queue);
                thread::spawn(move || block_on(queue.get()).unwrap())
            })
            .collect();
        assert_eq!(block_on(queue.put(1)), Ok(()));
        assert_eq!(block_on(queue.put(2)), Ok(()));
        let got: Vec<u32> = getters.into_iter().map(|g| g.join().unwrap()).collect();
        assert_eq!(sorted(got), [1, 2], "each item got exactly once");
        assert_counts(&queue, 0, 2, false);
    });
}

/// A `get` racing a `put` on a full queue: the putter waits for the slot the
/// get frees; the second get may wait for the putter's item.
#[test]
fn get_races_put_on_full_queue() {
    // docs/semantics.md PUT-3, TRYGET-2.
    let putter_waited = Seen::default();
    let seen = putter_waited.clone();
    check("get_races_put_on_full_queue", move || {
        let queue = Arc::new(Queue::new(1));
        queue.try_put(1).unwrap();
        let putter = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || block_on_counting(queue.put(2)))
        };
        assert_eq!(block_on(queue.get()), Ok(1));
        assert_eq!(block_on(queue.get()), Ok(2));
        let (put, waited) = putter.join().unwrap();
        seen.mark(waited);
        assert_eq!(put, Ok(()));
        assert_counts(&queue, 0, 2, false);
    });
    putter_waited.assert_both("the putter waited for the get, and did not");
}

/// Two putters wait on a full queue while one thread gets three times.
#[test]
fn two_putters_race_gets_on_full_queue() {
    // docs/semantics.md PUT-3, PUT-4.
    check("two_putters_race_gets_on_full_queue", || {
        let queue = Arc::new(Queue::new(1));
        queue.try_put(1).unwrap();
        let putters: Vec<_> = [2, 3]
            .into_iter()
            .map(|item| {
                let queue = Arc::clone(&queue);
                thread::spawn(move || block_on(queue.put(item)))
            })
            .collect();
        let got: Vec<u32> = (0..3).map(|_| block_on(queue.get()).unwrap()).collect();
        for putter in putters {
            assert_eq!(putter.join().unwrap(), Ok(()));
        }
        assert_eq!(got[0], 1, "the first item put is got first");
        assert_eq!(sorted(got), [1, 2, 3], "each item got exactly once");
        assert_counts(&queue, 0, 3, false);
    });
}

/// bpo-23812: a getter is dropped on one thread while another thread puts,
/// and a second getter waits. If the dropped getter had been woken for the
/// item, its wakeup must pass to the second getter (else that one sleeps
/// forever: a deadlock); the item is never lost.
/// Also generated plans of `tests/loom_refinement.rs`: `fifo maxsize=0 |
/// try_put 2a | get | get!woken` and its `!pending` twin (this model
/// asserts, besides, that the getter was dropped both before and after
/// its wake).
#[test]
fn woken_getter_dropped_while_another_thread_puts() {
    // docs/semantics.md CANCEL-3, CANCEL-6.
    let woken_when_dropped = Seen::default();
    let seen = woken_when_dropped.clone();
    check(
        "woken_getter_dropped_while_another_thread_puts",
        move || {
            let queue = Arc::new(Queue::new(0));
            let first = Signal::new();
            let mut dropped = LeakOnPanic::new(queue.get());
            assert!(poll_once(&mut dropped, &first).is_pending());
            let getter = {
                let queue = Arc::clone(&queue);
                thread::spawn(move || block_on(queue.get()))
            };
            let putter = {
                let queue = Arc::clone(&queue);
                thread::spawn(move || queue.try_put(1))
            };
            drop(dropped);
            assert_eq!(putter.join().unwrap(), Ok(()));
            assert_eq!(getter.join().unwrap(), Ok(1), "the item reaches the getter");
            assert!(first.wakes() <= 1, "woken at most once");
            seen.mark(first.wakes() == 1);
            assert_counts(&queue, 0, 1, false);
        },
    );
    woken_when_dropped.assert_both("dropped while waiting, and after the wake");
}

/// The putter side of the same race: a putter woken for a free slot is
/// dropped while another thread gets; the second putter gets the slot.
#[test]
fn woken_putter_dropped_while_another_thread_gets() {
    // docs/semantics.md CANCEL-3.
    let woken_when_dropped = Seen::default();
    let seen = woken_when_dropped.clone();
    check(
        "woken_putter_dropped_while_another_thread_gets",
        move || {
            let queue = Arc::new(Queue::new(1));
            queue.try_put(0).unwrap();
            let first = Signal::new();
            let mut dropped = LeakOnPanic::new(queue.put(1));
            assert!(poll_once(&mut dropped, &first).is_pending());
            let putter = {
                let queue = Arc::clone(&queue);
                thread::spawn(move || block_on(queue.put(2)))
            };
            let getter = {
                let queue = Arc::clone(&queue);
                thread::spawn(move || queue.try_get())
            };
            drop(dropped);
            assert_eq!(getter.join().unwrap(), Ok(0));
            assert_eq!(
                putter.join().unwrap(),
                Ok(()),
                "the slot reaches the putter"
            );
            assert!(first.wakes() <= 1, "woken at most once");
            seen.mark(first.wakes() == 1);
            assert_counts(&queue, 1, 2, false);
            assert_eq!(queue.try_get(), Ok(2), "the dropped put inserted nothing");
        },
    );
    woken_when_dropped.assert_both("dropped while waiting, and after the wake");
}

/// `task_done` on two threads racing a `join` on a third: the joiner is
/// released exactly when the count reaches zero, whichever call gets there.
#[test]
fn task_done_races_join() {
    // docs/semantics.md DONE-2, JOIN-1, JOIN-2.
    let joiner_waited = Seen::default();
    let seen = joiner_waited.clone();
    check("task_done_races_join", move || {
        let queue = Arc::new(Queue::new(0));
        for item in [1, 2] {
            queue.try_put(item).unwrap();
        }
        assert_eq!((queue.try_get(), queue.try_get()), (Ok(1), Ok(2)));
        let joiner = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || block_on_counting(queue.join()).1)
        };
        let worker = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.task_done())
        };
        assert_eq!(queue.task_done(), Ok(()));
        assert_eq!(worker.join().unwrap(), Ok(()));
        seen.mark(joiner.join().unwrap());
        assert_counts(&queue, 0, 0, false);
        assert!(queue.task_done().is_err(), "count already zero");
    });
    joiner_waited.assert_both("the joiner waited for the count, and did not");
}

/// `shutdown` racing two waiting getters, after one item was put: exactly one
/// getter gets the item, the other fails; neither sleeps forever.
#[test]
fn shutdown_races_waiting_getters() {
    // docs/semantics.md SHUT-3, GET-2.
    check("shutdown_races_waiting_getters", || {
        let queue = Arc::new(Queue::new(0));
        let getters: Vec<_> = (0..2)
            .map(|_| {
                let queue = Arc::clone(&queue);
                thread::spawn(move || block_on(queue.get()))
            })
            .collect();
        queue.try_put(1).unwrap();
        queue.shutdown();
        let mut results: Vec<Result<u32, GetError>> =
            getters.into_iter().map(|g| g.join().unwrap()).collect();
        results.sort_by_key(Result::is_err);
        assert_eq!(results, [Ok(1), Err(GetError)]);
        assert_counts(&queue, 0, 1, true);
    });
}

/// `shutdown` racing two putters waiting on a full queue, after a get freed
/// one slot: at most one putter takes the slot before the shutdown; every
/// other put fails with its item. The get wakes one putter; the other is
/// woken by the shutdown alone.
#[test]
fn shutdown_races_waiting_putters() {
    // docs/semantics.md SHUT-3, PUT-2.
    let one_put = Seen::default();
    let seen = one_put.clone();
    check("shutdown_races_waiting_putters", move || {
        let queue = Arc::new(Queue::new(1));
        queue.try_put(0).unwrap();
        let putters: Vec<_> = [1, 2]
            .into_iter()
            .map(|item| {
                let queue = Arc::clone(&queue);
                thread::spawn(move || (item, block_on(queue.put(item))))
            })
            .collect();
        assert_eq!(queue.try_get(), Ok(0));
        queue.shutdown();
        let mut put = Vec::new();
        for putter in putters {
            match putter.join().unwrap() {
                (item, Ok(())) => put.push(item),
                (item, Err(PutError(back))) => {
                    assert_eq!(back, item, "a failed put hands its item back");
                }
            }
        }
        assert!(put.len() <= 1, "one slot was freed: {put:?}");
        seen.mark(put.len() == 1);
        assert_counts(&queue, put.len(), 1 + put.len(), true);
        let left: Vec<u32> = std::iter::from_fn(|| queue.try_get().ok()).collect();
        assert_eq!(left, put, "a put that succeeded left its item");
        assert_eq!(queue.try_get(), Err(TryGetError::ShutDown));
    });
    one_put.assert_both("a put got in before the shutdown, and none did");
}

/// `shutdown_immediate` racing a waiting putter and a getter: every item put
/// is got, drained or left, exactly once, and the count drops by the drained.
#[test]
fn shutdown_immediate_races_waiting_putter_and_getter() {
    // docs/semantics.md SHUT-5, SHUT-8.
    let (put_in, got) = (Seen::default(), Seen::default());
    let (seen_put, seen_got) = (put_in.clone(), got.clone());
    check(
        "shutdown_immediate_races_waiting_putter_and_getter",
        move || {
            let queue = Arc::new(Queue::new(1));
            queue.try_put(0).unwrap();
            let putter = {
                let queue = Arc::clone(&queue);
                thread::spawn(move || block_on(queue.put(1)))
            };
            let getter = {
                let queue = Arc::clone(&queue);
                thread::spawn(move || block_on(queue.get()))
            };
            let drained = queue.shutdown_immediate();
            let put_ok = match putter.join().unwrap() {
                Ok(()) => true,
                Err(PutError(item)) => {
                    assert_eq!(item, 1);
                    false
                }
            };
            let got = getter.join().unwrap();
            seen_put.mark(put_ok);
            seen_got.mark(got.is_ok());
            let left = queue.len();
            let mut out = drained.clone();
            out.extend(got.ok());
            assert_eq!(queue.try_get(), Err(TryGetError::ShutDown), "drained");
            assert_eq!(left, 0, "nothing is left after shutdown_immediate");
            let put: Vec<u32> = if put_ok { vec![0, 1] } else { vec![0] };
            assert_eq!(sorted(out), put, "each item got or drained exactly once");
            assert_counts(&queue, 0, put.len() - drained.len(), true);
        },
    );
    put_in.assert_both("the put got in before the shutdown, and did not");
    got.assert_both("the get got an item, and failed");
}

/// `shutdown_immediate` releases a waiting `join` when the items it drains
/// bring the count to zero, while a getter races it for an item (and marks
/// what it got as done).
#[test]
fn shutdown_immediate_races_join_and_getter() {
    // docs/semantics.md SHUT-6.
    let got_one = Seen::default();
    let seen = got_one.clone();
    check("shutdown_immediate_races_join_and_getter", move || {
        let queue = Arc::new(Queue::new(0));
        for item in [1, 2] {
            queue.try_put(item).unwrap();
        }
        let joiner = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || block_on(queue.join()))
        };
        let getter = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || {
                let got = block_on(queue.get());
                if got.is_ok() {
                    queue.task_done().unwrap();
                }
                got
            })
        };
        let drained = queue.shutdown_immediate();
        let got = getter.join().unwrap();
        seen.mark(got.is_ok());
        joiner.join().unwrap();
        let mut out = drained;
        out.extend(got.ok());
        assert_eq!(sorted(out), [1, 2], "each item got or drained exactly once");
        assert_counts(&queue, 0, 0, true);
    });
    got_one.assert_both("the get got an item, and failed");
}

/// A waiting `get` is moved to another thread and polled there with a new
/// waker while a third party puts. A put before the re-poll wakes the old
/// waker and the re-poll completes; a put after it must wake the new waker
/// only (else the new thread sleeps forever).
#[test]
fn waker_replaced_on_repoll_from_another_thread() {
    // docs/semantics.md POLL-3, WAKE-5.
    let ready = Seen::default();
    let seen = ready.clone();
    check("waker_replaced_on_repoll_from_another_thread", move || {
        let queue = Arc::new(Queue::new(0));
        let old = Signal::new();
        let mut get = {
            let queue = Arc::clone(&queue);
            LeakOnPanic::new(Box::pin(async move { queue.get().await }))
        };
        assert!(poll_once(&mut get, &old).is_pending());
        let new = Signal::new();
        let mover = {
            let new = Arc::clone(&new);
            thread::spawn(move || {
                let repoll = poll_once(&mut get, &new);
                let ready_at_repoll = repoll.is_ready();
                let got = match repoll {
                    Poll::Ready(got) => got,
                    Poll::Pending => drive(&mut get, &new),
                };
                (ready_at_repoll, got)
            })
        };
        assert_eq!(queue.try_put(5), Ok(()));
        let (ready_at_repoll, got) = mover.join().unwrap();
        seen.mark(ready_at_repoll);
        assert_eq!(got, Ok(5));
        if ready_at_repoll {
            assert_eq!(old.wakes(), 1, "the put came first: the old waker");
            assert_eq!(new.wakes(), 0, "nobody wakes a finished future");
        } else {
            assert_eq!(old.wakes(), 0, "the old waker was replaced");
            assert_eq!(new.wakes(), 1, "the put wakes the new waker once");
        }
        assert_counts(&queue, 0, 1, false);
    });
    ready.assert_both("the put came before the re-poll, and after");
}

/// The same for a `join`, released by a `task_done` on the first thread.
#[test]
fn join_waker_replaced_on_repoll_from_another_thread() {
    // docs/semantics.md JOIN-4, WAKE-5.
    let ready = Seen::default();
    let seen = ready.clone();
    check(
        "join_waker_replaced_on_repoll_from_another_thread",
        move || {
            let queue = Arc::new(Queue::new(0));
            queue.try_put(1).unwrap();
            let old = Signal::new();
            let mut join = {
                let queue = Arc::clone(&queue);
                LeakOnPanic::new(Box::pin(async move { queue.join().await }))
            };
            assert!(poll_once(&mut join, &old).is_pending());
            let new = Signal::new();
            let mover = {
                let new = Arc::clone(&new);
                thread::spawn(move || {
                    let ready_at_repoll = poll_once(&mut join, &new).is_ready();
                    if !ready_at_repoll {
                        drive(&mut join, &new);
                    }
                    ready_at_repoll
                })
            };
            assert_eq!(queue.task_done(), Ok(()));
            let ready_at_repoll = mover.join().unwrap();
            seen.mark(ready_at_repoll);
            if ready_at_repoll {
                assert_eq!((old.wakes(), new.wakes()), (1, 0));
            } else {
                assert_eq!((old.wakes(), new.wakes()), (0, 1));
            }
            assert_counts(&queue, 1, 0, false);
        },
    );
    ready.assert_both("the task_done came before the re-poll, and after");
}

#[test]
fn blocked_thread_and_async_getter_race_two_puts() {
    // docs/semantics.md BLOCK-1, BLOCK-2: a thread in `get_blocking` parks
    // with loom's own park (src/sync.rs), in the same list as an async
    // getter; whatever the interleaving, each gets one item, nobody is
    // woken twice, and no wakeup is lost (loom reports a deadlock).
    check("blocked_thread_and_async_getter_race_two_puts", || {
        let queue = Arc::new(Queue::new(0));
        let blocked = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.get_blocking())
        };
        let asynchronous = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || block_on(queue.get()))
        };
        queue.try_put(1).unwrap();
        queue.try_put(2).unwrap();
        let got = vec![
            blocked.join().unwrap().unwrap(),
            asynchronous.join().unwrap().unwrap(),
        ];
        assert_eq!(sorted(got), vec![1, 2]);
        assert_counts(&queue, 0, 2, false);
    });
}

#[test]
fn blocked_putter_races_a_get_and_shutdown() {
    // docs/semantics.md BLOCK-1, PUT-2, SHUT-3: a thread blocked in
    // `put_blocking` on a full queue either gets the slot a get frees or
    // fails with its item back, never both and never lost.
    check("blocked_putter_races_a_get_and_shutdown", || {
        let queue = Arc::new(Queue::new(1));
        queue.try_put(1).unwrap();
        let blocked = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.put_blocking(2))
        };
        let getter = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.try_get())
        };
        queue.shutdown();
        let put = blocked.join().unwrap();
        let got = getter.join().unwrap();
        assert_eq!(got, Ok(1), "the item was there before the shutdown");
        let mut items = vec![1];
        match put {
            Ok(()) => items.extend(queue.try_get().ok()),
            Err(PutError(back)) => items.push(back),
        }
        assert_eq!(sorted(items), vec![1, 2], "no item lost or duplicated");
        assert!(queue.is_shutdown());
    });
}
