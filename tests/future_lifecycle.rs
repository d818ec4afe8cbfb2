//! What a `Put`, `Get` or `Join` future does at each point of its life
//! (docs/semantics.md STATE-8): built and never polled, polled, completed,
//! polled again, and dropped at each of those points. Rust-only rules, so
//! the CPython oracle cannot check them: each test drives the future by
//! hand and counts every wake.

use std::future::Future;
use std::pin::Pin;
use std::sync::{mpsc, Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use aioqueue::Queue;

mod common;
use common::counter;

fn poll<F: Future + Unpin>(future: &mut F, waker: &Waker) -> Poll<F::Output> {
    Pin::new(future).poll(&mut Context::from_waker(waker))
}

/// An item that logs its drop.
struct Logged(&'static str, Arc<Mutex<Vec<String>>>);

impl Drop for Logged {
    fn drop(&mut self) {
        self.1.lock().unwrap().push(format!("drop {}", self.0));
    }
}

/// The counts a user can read, in one tuple.
fn counts<T>(queue: &Queue<T>) -> (usize, usize, usize, usize, usize, bool) {
    (
        queue.len(),
        queue.waiting_getters(),
        queue.waiting_putters(),
        queue.waiting_joiners(),
        queue.unfinished_tasks(),
        queue.is_shutdown(),
    )
}

#[test]
fn a_future_does_nothing_until_polled_and_nothing_when_dropped_unpolled() {
    // docs/semantics.md POLL-1, CANCEL-1, JOIN-1.
    let log = Arc::new(Mutex::new(Vec::new()));
    let queue = Queue::new(1);
    queue.try_put(Logged("a", Arc::clone(&log))).unwrap();
    let (woken, waker) = counter();
    let mut waiting_get = queue.get();
    let other = Queue::<u8>::new(0);
    let before = counts(&queue);
    // Built, not polled: a full queue, yet the put is not a waiting putter;
    // an item in the buffer, yet the get has not taken it.
    let put = queue.put(Logged("b", Arc::clone(&log)));
    let get = queue.get();
    let join = queue.join();
    assert_eq!(counts(&queue), before);
    // Dropped unpolled: nothing happens, except that the put drops its item.
    drop(get);
    drop(join);
    drop(put);
    assert_eq!(counts(&queue), before);
    assert_eq!(*log.lock().unwrap(), ["drop b"]);
    // The count is read at the first poll, not when `join()` was called.
    let join = other.join();
    other.try_put(1).unwrap();
    let mut join = join;
    assert_eq!(poll(&mut join, &waker), Poll::Pending);
    assert_eq!(other.waiting_joiners(), 1);
    // And a get polled now takes the item.
    match poll(&mut waiting_get, &waker) {
        Poll::Ready(Ok(Logged(name, _))) => assert_eq!(name, "a"),
        _ => panic!("the get takes the item at its first poll"),
    }
    assert_eq!(woken.wakes(), 0);
}

#[test]
fn each_poll_runs_one_round_complete_or_register_at_the_back() {
    // docs/semantics.md POLL-2, POLL-4, STATE-8, GET-1, GET-3.
    let queue = Queue::new(0);
    let (w1, waker1) = counter();
    let (w2, waker2) = counter();
    let mut g1 = queue.get();
    let mut g2 = queue.get();
    assert_eq!(poll(&mut g1, &waker1), Poll::Pending);
    assert_eq!(poll(&mut g2, &waker2), Poll::Pending);
    assert_eq!(queue.waiting_getters(), 2);
    // Notified (out of the list), then its item is taken by someone else.
    queue.try_put(1).unwrap();
    assert_eq!((w1.wakes(), w2.wakes()), (1, 0));
    assert_eq!(queue.waiting_getters(), 1);
    assert_eq!(queue.try_get(), Ok(1));
    // Its next poll consumes the notification and runs the rule afresh:
    // empty, so it registers again, behind g2.
    assert_eq!(poll(&mut g1, &waker1), Poll::Pending);
    assert_eq!(queue.waiting_getters(), 2);
    queue.try_put(2).unwrap();
    assert_eq!((w1.wakes(), w2.wakes()), (1, 1));
    assert_eq!(poll(&mut g2, &waker2), Poll::Ready(Ok(2)));
    queue.try_put(3).unwrap();
    assert_eq!((w1.wakes(), w2.wakes()), (2, 1));
    assert_eq!(poll(&mut g1, &waker1), Poll::Ready(Ok(3)));
}

#[test]
#[should_panic(expected = "`Put` polled after completion")]
fn a_put_polled_after_it_returned_ready_panics() {
    // docs/semantics.md POLL-6.
    let queue = Queue::new(0);
    let mut put = queue.put(1);
    assert_eq!(poll(&mut put, Waker::noop()), Poll::Ready(Ok(())));
    let _ = poll(&mut put, Waker::noop());
}

#[test]
#[should_panic(expected = "`Get` polled after completion")]
fn a_get_polled_after_it_returned_ready_panics() {
    // docs/semantics.md POLL-6.
    let queue = Queue::new(0);
    queue.try_put(1).unwrap();
    let mut get = queue.get();
    assert_eq!(poll(&mut get, Waker::noop()), Poll::Ready(Ok(1)));
    let _ = poll(&mut get, Waker::noop());
}

#[test]
#[should_panic(expected = "`Join` polled after completion")]
fn a_join_polled_after_it_returned_ready_panics() {
    // docs/semantics.md JOIN-6, POLL-6, DIFF-10: as a `Put` and a `Get` do.
    let queue = Queue::new(0);
    let mut join = queue.join();
    assert_eq!(poll(&mut join, Waker::noop()), Poll::Ready(()));
    queue.try_put(1).unwrap();
    let _ = poll(&mut join, Waker::noop());
}

#[test]
fn a_future_dropped_after_it_completed_does_nothing() {
    // docs/semantics.md CANCEL-4: each future below waited, was notified
    // and completed; a waiter of its kind now waits where it waited. Its
    // drop wakes nobody and takes nobody out of a list.
    let (woken, waker) = counter();
    let queue = Queue::new(0);
    queue.try_put(0).unwrap();
    assert_eq!(queue.try_get(), Ok(0));
    let mut done_join = queue.join();
    assert_eq!(poll(&mut done_join, &waker), Poll::Pending);
    queue.task_done().unwrap();
    assert_eq!(poll(&mut done_join, &waker), Poll::Ready(()));
    let mut done_get = queue.get();
    assert_eq!(poll(&mut done_get, &waker), Poll::Pending);
    queue.try_put(1).unwrap();
    assert_eq!(poll(&mut done_get, &waker), Poll::Ready(Ok(1)));
    let mut waiting_join = queue.join();
    assert_eq!(poll(&mut waiting_join, &waker), Poll::Pending);
    let mut waiting_get = queue.get();
    assert_eq!(poll(&mut waiting_get, &waker), Poll::Pending);

    let full = Queue::new(1);
    full.try_put(2).unwrap();
    let mut done_put = full.put(3);
    assert_eq!(poll(&mut done_put, &waker), Poll::Pending);
    assert_eq!(full.try_get(), Ok(2));
    assert_eq!(poll(&mut done_put, &waker), Poll::Ready(Ok(())));
    let mut waiting_put = full.put(4);
    assert_eq!(poll(&mut waiting_put, &waker), Poll::Pending);

    let wakes = woken.wakes();
    let before = (counts(&queue), counts(&full));
    assert_eq!((before.0 .1, before.0 .3, before.1 .2), (1, 1, 1));
    drop(done_get);
    drop(done_join);
    drop(done_put);
    assert_eq!((counts(&queue), counts(&full)), before);
    assert_eq!(woken.wakes(), wakes);
}

#[test]
fn a_drops_wake_comes_after_the_unlock_and_before_its_item_is_dropped() {
    // docs/semantics.md CANCEL-7, CANCEL-3, PANIC-6: the dropped notified
    // put passes its wakeup to the next putter; that waker can use the
    // queue (the lock is free) and runs before `drop` returns; the dropped
    // put's item is dropped after it.
    struct Inspect {
        queue: Arc<Queue<Logged>>,
        log: Arc<Mutex<Vec<String>>>,
    }
    impl Wake for Inspect {
        fn wake(self: Arc<Self>) {
            // Debug takes the lock: a wake under it would never get here.
            let state = format!("{:?}", self.queue);
            self.log.lock().unwrap().push(format!("wake: {state}"));
        }
    }
    let log = Arc::new(Mutex::new(Vec::new()));
    let queue = Arc::new(Queue::new(1));
    let (done, finished) = mpsc::channel();
    let (thread_queue, thread_log) = (Arc::clone(&queue), Arc::clone(&log));
    std::thread::spawn(move || {
        let (queue, log) = (thread_queue, thread_log);
        let inspect = Waker::from(Arc::new(Inspect {
            queue: Arc::clone(&queue),
            log: Arc::clone(&log),
        }));
        queue.try_put(Logged("a", Arc::clone(&log))).unwrap();
        let mut p1 = queue.put(Logged("b", Arc::clone(&log)));
        let mut p2 = queue.put(Logged("c", Arc::clone(&log)));
        assert!(poll(&mut p1, Waker::noop()).is_pending());
        assert!(poll(&mut p2, &inspect).is_pending());
        // p1 is notified for the slot; then it is dropped.
        let got = queue.try_get().map(|item| item.0);
        drop(p1);
        let at_return = log.lock().unwrap().clone();
        done.send((got, at_return)).unwrap();
        drop(p2);
    });
    let (got, at_return) = finished
        .recv_timeout(Duration::from_secs(10))
        .expect("the waker ran under the lock and deadlocked");
    assert_eq!(got, Ok("a"));
    assert_eq!(
        at_return,
        [
            "drop a",
            "wake: Queue { maxsize: 1, len: 0, getters: 0, putters: 0, joiners: 0, unfinished_tasks: 1, shutdown: false }",
            "drop b",
        ]
    );
}

#[test]
fn put_cancel_hands_the_item_back_at_every_point_before_completion() {
    // docs/semantics.md CANCEL-8, with the drop's own rules at each point:
    // never polled (CANCEL-1), waiting (CANCEL-2), notified and not yet
    // run, passing the wakeup on (CANCEL-3), completed (CANCEL-4).
    let queue = Queue::new(1);

    // Never polled: nothing happened, the item comes back.
    let unpolled = queue.put("unpolled");
    assert_eq!(unpolled.cancel(), Some("unpolled"));
    assert_eq!(counts(&queue), (0, 0, 0, 0, 0, false));

    // Waiting: it leaves the putters; nobody is woken.
    queue.try_put("first").unwrap_or_else(|_| panic!("room"));
    let (woken, waker) = counter();
    let mut waiting = queue.put("waiting");
    let mut behind = queue.put("behind");
    assert_eq!(poll(&mut waiting, &waker), Poll::Pending);
    assert_eq!(poll(&mut behind, &waker), Poll::Pending);
    assert_eq!(waiting.cancel(), Some("waiting"));
    assert_eq!(counts(&queue), (1, 0, 1, 0, 1, false));
    assert_eq!(woken.wakes(), 0);

    // Notified, not yet run: the slot is still free, so the wakeup passes
    // on to the next putter; the item comes back.
    let mut next = queue.put("next");
    assert_eq!(poll(&mut next, &waker), Poll::Pending);
    assert_eq!(queue.try_get(), Ok("first"));
    assert_eq!(woken.wakes(), 1, "the get wakes `behind`");
    assert_eq!(behind.cancel(), Some("behind"));
    assert_eq!(woken.wakes(), 2, "`behind` passes its wakeup on to `next`");
    assert_eq!(poll(&mut next, &waker), Poll::Ready(Ok(())));

    // Completed: the item is in the queue; nothing comes back.
    assert_eq!(next.cancel(), None);
    assert_eq!(counts(&queue), (1, 0, 0, 0, 2, false));
    // A failed put handed its item back through its error already.
    queue.shutdown();
    let mut failed = queue.put("failed");
    let Poll::Ready(Err(error)) = poll(&mut failed, &waker) else {
        panic!("a put after shutdown fails");
    };
    assert_eq!(error.into_inner(), "failed");
    assert!(failed.cancel().is_none());
    // The completed put's item is the one in the queue.
    assert_eq!(queue.try_get(), Ok("next"));
}
