//! Step-by-step wake tests: every poll, wake and drop is driven by hand, so
//! each test pins down exactly which task is woken, when, and how often.
//!
//! `tokio_test::task::spawn` gives a mock task per future (`is_woken` is
//! cleared by each poll); `Probe` is a counting waker for exact counts and
//! for the global order in which tasks are woken.

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{mpsc, Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use aioqueue::{GenericQueue, GetError, LifoQueue, Order, PriorityQueue, PutError, Queue};
use tokio_test::task::spawn;
use tokio_test::{assert_pending, assert_ready, assert_ready_eq};

// ---------------------------------------------------------------- helpers

/// The order in which probes of one log were woken, by name.
#[derive(Clone, Default)]
struct WakeLog(Arc<Mutex<Vec<&'static str>>>);

impl WakeLog {
    fn probe(&self, name: &'static str) -> Probe {
        Probe(Arc::new(ProbeInner {
            name,
            wakes: AtomicUsize::new(0),
            log: self.clone(),
        }))
    }

    /// The wakes recorded since the last call.
    fn take(&self) -> Vec<&'static str> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

struct ProbeInner {
    name: &'static str,
    wakes: AtomicUsize,
    log: WakeLog,
}

impl Wake for ProbeInner {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, SeqCst);
        self.log.0.lock().unwrap().push(self.name);
    }
}

/// A counting waker.
#[derive(Clone)]
struct Probe(Arc<ProbeInner>);

impl Probe {
    fn waker(&self) -> Waker {
        Waker::from(Arc::clone(&self.0))
    }

    fn wakes(&self) -> usize {
        self.0.wakes.load(SeqCst)
    }
}

/// Polls `fut` once with `probe`'s waker.
fn poll_with<F: Future + Unpin>(fut: &mut F, probe: &Probe) -> Poll<F::Output> {
    Pin::new(fut).poll(&mut Context::from_waker(&probe.waker()))
}

/// Reads one count out of the queue's `Debug` output.
fn debug_field(queue: &impl Debug, name: &str) -> usize {
    let text = format!("{queue:?}");
    let key = format!("{name}: ");
    let start = text
        .find(&key)
        .unwrap_or_else(|| panic!("no `{name}` in {text}"))
        + key.len();
    text[start..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|digits| digits.parse().ok())
        .unwrap_or_else(|| panic!("`{name}` is not a number in {text}"))
}

fn getters(queue: &impl Debug) -> usize {
    debug_field(queue, "getters")
}

fn putters(queue: &impl Debug) -> usize {
    debug_field(queue, "putters")
}

/// An item that counts its drops.
#[derive(Debug)]
struct Tracked {
    id: u32,
    drops: Arc<AtomicUsize>,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.drops.fetch_add(1, SeqCst);
    }
}

// ------------------------------------------------- one put, one getter

#[test]
fn put_wakes_only_the_first_of_three_waiting_getters() {
    // docs/semantics.md WAKE-1, WAKE-3, TRYPUT-3.
    let queue = Queue::new(0);
    let mut g1 = spawn(queue.get());
    let mut g2 = spawn(queue.get());
    let mut g3 = spawn(queue.get());
    assert_pending!(g1.poll());
    assert_pending!(g2.poll());
    assert_pending!(g3.poll());
    assert_eq!(getters(&queue), 3);

    queue.try_put(1).unwrap();
    assert!(g1.is_woken());
    assert!(!g2.is_woken());
    assert!(!g3.is_woken());
    // The notified getter left the list at once, as in CPython.
    assert_eq!(getters(&queue), 2);

    assert_ready_eq!(g1.poll(), Ok(1));
    assert!(!g2.is_woken());
    assert!(!g3.is_woken());
    assert_pending!(g2.poll());
    assert_pending!(g3.poll());
    assert_eq!(getters(&queue), 2);
    assert!(queue.is_empty());
}

#[test]
fn each_put_wakes_exactly_one_getter_exact_counts() {
    // docs/semantics.md WAKE-3, STATE-13.
    let log = WakeLog::default();
    let queue = Queue::new(0);
    let (p1, p2, p3) = (log.probe("g1"), log.probe("g2"), log.probe("g3"));
    let mut g1 = queue.get();
    let mut g2 = queue.get();
    let mut g3 = queue.get();
    assert!(poll_with(&mut g1, &p1).is_pending());
    assert!(poll_with(&mut g2, &p2).is_pending());
    assert!(poll_with(&mut g3, &p3).is_pending());

    // An async put that completes at once wakes one getter.
    let putter = log.probe("putter");
    let mut put = queue.put(10);
    assert_eq!(poll_with(&mut put, &putter), Poll::Ready(Ok(())));
    assert_eq!(log.take(), ["g1"]);

    queue.try_put(20).unwrap();
    assert_eq!(log.take(), ["g2"]);
    queue.try_put(30).unwrap();
    assert_eq!(log.take(), ["g3"]);
    // No one is waiting any more: a fourth put wakes nobody.
    queue.try_put(40).unwrap();
    assert_eq!(log.take(), Vec::<&str>::new());
    assert_eq!(
        (p1.wakes(), p2.wakes(), p3.wakes(), putter.wakes()),
        (1, 1, 1, 0)
    );

    assert_eq!(poll_with(&mut g1, &p1), Poll::Ready(Ok(10)));
    assert_eq!(poll_with(&mut g2, &p2), Poll::Ready(Ok(20)));
    assert_eq!(poll_with(&mut g3, &p3), Poll::Ready(Ok(30)));
    assert_eq!(queue.try_get(), Ok(40));
    assert!(log.take().is_empty());
}

// ------------------------------------------- cancelled (dropped) gets

#[test]
fn woken_then_dropped_get_passes_the_wakeup_on_bpo_23812() {
    let queue = Queue::new(0);
    let mut g1 = spawn(queue.get());
    let mut g2 = spawn(queue.get());
    let mut g3 = spawn(queue.get());
    assert_pending!(g1.poll());
    assert_pending!(g2.poll());
    assert_pending!(g3.poll());

    queue.try_put("item").unwrap();
    assert!(g1.is_woken());
    assert!(!g2.is_woken());

    // g1 is cancelled before it runs: its wakeup must not be lost.
    drop(g1);
    assert!(g2.is_woken());
    assert!(!g3.is_woken());
    assert_eq!(queue.len(), 1);
    assert_ready_eq!(g2.poll(), Ok("item"));
    assert!(!g3.is_woken());
    assert_pending!(g3.poll());
    assert_eq!(getters(&queue), 1);
    assert!(queue.is_empty());
    assert_eq!(queue.unfinished_tasks(), 1);
}

#[test]
fn woken_get_dropped_after_its_item_was_taken_wakes_nobody() {
    let queue = Queue::new(0);
    let mut g1 = spawn(queue.get());
    let mut g2 = spawn(queue.get());
    assert_pending!(g1.poll());
    assert_pending!(g2.poll());
    queue.try_put(5).unwrap();
    assert!(g1.is_woken());
    // Someone else takes the item first: g1's wakeup is now useless.
    assert_eq!(queue.try_get(), Ok(5));
    drop(g1);
    assert!(!g2.is_woken());
    assert_eq!(getters(&queue), 1);
    assert_pending!(g2.poll());
    queue.try_put(6).unwrap();
    assert!(g2.is_woken());
    assert_ready_eq!(g2.poll(), Ok(6));
}

#[test]
fn dropped_waiting_get_leaves_the_list_at_once() {
    let queue = Queue::<u8>::new(0);
    let mut g1 = spawn(queue.get());
    let mut g2 = spawn(queue.get());
    let mut g3 = spawn(queue.get());
    assert_pending!(g1.poll());
    assert_pending!(g2.poll());
    assert_pending!(g3.poll());
    assert_eq!(getters(&queue), 3);
    // The list holds a clone of the task's waker.
    assert_eq!(g2.waker_ref_count(), 2);

    drop(g2);
    assert_eq!(getters(&queue), 2);
    // Cancelling a waiting get wakes nobody.
    assert!(!g1.is_woken());
    assert!(!g3.is_woken());

    // The others keep their order.
    queue.try_put(1).unwrap();
    assert!(g1.is_woken());
    assert!(!g3.is_woken());
    queue.try_put(2).unwrap();
    assert!(g3.is_woken());
    assert_ready_eq!(g1.poll(), Ok(1));
    assert_ready_eq!(g3.poll(), Ok(2));
    assert_eq!(getters(&queue), 0);
    assert_eq!(format!("{queue:?}"), "Queue { maxsize: 0, len: 0, getters: 0, putters: 0, joiners: 0, unfinished_tasks: 2, shutdown: false }");
}

#[test]
fn dropped_waiting_put_leaves_the_list_at_once() {
    let queue = Queue::new(1);
    queue.try_put(0).unwrap();
    let mut p1 = spawn(queue.put(1));
    let mut p2 = spawn(queue.put(2));
    let mut p3 = spawn(queue.put(3));
    assert_pending!(p1.poll());
    assert_pending!(p2.poll());
    assert_pending!(p3.poll());
    assert_eq!(putters(&queue), 3);
    assert_eq!(p2.waker_ref_count(), 2);

    drop(p2);
    assert_eq!(putters(&queue), 2);
    assert!(!p1.is_woken());
    assert!(!p3.is_woken());

    assert_eq!(queue.try_get(), Ok(0));
    assert!(p1.is_woken());
    assert!(!p3.is_woken());
    assert_ready_eq!(p1.poll(), Ok(()));
    assert_eq!(queue.try_get(), Ok(1));
    assert!(p3.is_woken());
    assert_ready_eq!(p3.poll(), Ok(()));
    assert_eq!(queue.try_get(), Ok(3));
    assert_eq!(putters(&queue), 0);
    assert_eq!(queue.unfinished_tasks(), 3);
}

#[test]
fn a_million_cancelled_gets_leave_no_getters_bpo_31620() {
    let queue = Queue::new(0);
    // One getter waits throughout and must keep its place at the front.
    let first = WakeLog::default().probe("first");
    let mut waiting = queue.get();
    assert!(poll_with(&mut waiting, &first).is_pending());

    let noop = futures::task::noop_waker();
    let mut cx = Context::from_waker(&noop);
    for _ in 0..1_000_000 {
        let mut get = queue.get();
        assert!(Pin::new(&mut get).poll(&mut cx).is_pending());
        drop(get);
    }
    assert_eq!(getters(&queue), 1);
    assert_eq!(first.wakes(), 0);

    queue.try_put(7).unwrap();
    assert_eq!(first.wakes(), 1);
    assert_eq!(getters(&queue), 0);
    assert_eq!(poll_with(&mut waiting, &first), Poll::Ready(Ok(7)));
    assert_eq!(
        format!("{queue:?}"),
        "Queue { maxsize: 0, len: 0, getters: 0, putters: 0, joiners: 0, unfinished_tasks: 1, shutdown: false }"
    );
}

// ------------------------------------------- cancelled (dropped) puts

#[test]
fn dropped_waiting_put_hands_nothing_to_the_queue() {
    // docs/semantics.md CANCEL-2, CANCEL-6.
    let drops = Arc::new(AtomicUsize::new(0));
    let item = |id| Tracked {
        id,
        drops: Arc::clone(&drops),
    };
    let queue = Queue::new(1);
    queue.try_put(item(1)).unwrap();
    let mut joiner = spawn(queue.join());
    assert_pending!(joiner.poll());

    let mut put = spawn(queue.put(item(2)));
    assert_pending!(put.poll());
    assert_eq!(drops.load(SeqCst), 0);
    drop(put);
    // The item was dropped with the future, never inserted.
    assert_eq!(drops.load(SeqCst), 1);
    assert_eq!(queue.len(), 1);
    assert_eq!(queue.unfinished_tasks(), 1);
    assert_eq!(putters(&queue), 0);
    assert!(!joiner.is_woken());

    let got = queue.try_get().unwrap();
    assert_eq!(got.id, 1);
    drop(got);
    assert_eq!(drops.load(SeqCst), 2);
    assert!(queue.try_get().is_err());
}

#[test]
fn woken_then_dropped_put_passes_the_wakeup_to_the_next_putter() {
    let drops = Arc::new(AtomicUsize::new(0));
    let item = |id| Tracked {
        id,
        drops: Arc::clone(&drops),
    };
    let queue = Queue::new(1);
    queue.try_put(item(0)).unwrap();
    let mut p1 = spawn(queue.put(item(1)));
    let mut p2 = spawn(queue.put(item(2)));
    let mut p3 = spawn(queue.put(item(3)));
    assert_pending!(p1.poll());
    assert_pending!(p2.poll());
    assert_pending!(p3.poll());

    assert_eq!(queue.try_get().unwrap().id, 0);
    assert!(p1.is_woken());
    assert!(!p2.is_woken());

    drop(p1);
    assert_eq!(drops.load(SeqCst), 2, "item 0 (got) and item 1 (cancelled)");
    assert!(p2.is_woken());
    assert!(!p3.is_woken());
    assert!(queue.is_empty());
    assert!(assert_ready!(p2.poll()).is_ok());
    assert!(!p3.is_woken());
    assert_pending!(p3.poll());
    assert_eq!(queue.try_get().unwrap().id, 2);
    assert!(p3.is_woken());
    assert!(assert_ready!(p3.poll()).is_ok());
    assert_eq!(queue.try_get().unwrap().id, 3);
    assert_eq!(drops.load(SeqCst), 4);
}

#[test]
fn woken_put_dropped_after_the_slot_was_refilled_wakes_nobody() {
    let queue = Queue::new(1);
    queue.try_put(0).unwrap();
    let mut p1 = spawn(queue.put(1));
    let mut p2 = spawn(queue.put(2));
    assert_pending!(p1.poll());
    assert_pending!(p2.poll());
    assert_eq!(queue.try_get(), Ok(0));
    assert!(p1.is_woken());
    // A new put takes the free slot before p1 runs.
    queue.try_put(9).unwrap();
    drop(p1);
    assert!(!p2.is_woken());
    assert_eq!(putters(&queue), 1);
    assert_eq!(queue.len(), 1);
    assert_eq!(queue.try_get(), Ok(9));
    assert!(p2.is_woken());
    assert_ready_eq!(p2.poll(), Ok(()));
    assert_eq!(queue.try_get(), Ok(2));
}

// ------------------------------------------------------------ join

#[test]
fn join_releases_all_joiners_in_arrival_order_only_at_zero() {
    // docs/semantics.md DONE-2, WAKE-2, JOIN-2.
    let log = WakeLog::default();
    let queue = Queue::new(0);
    queue.try_put('a').unwrap();
    queue.try_put('b').unwrap();
    let probes = [log.probe("j1"), log.probe("j2"), log.probe("j3")];
    let mut joins = [queue.join(), queue.join(), queue.join()];
    for (join, probe) in joins.iter_mut().zip(&probes) {
        assert_eq!(poll_with(join, probe), Poll::Pending);
    }

    queue.try_get().unwrap();
    queue.try_get().unwrap();
    assert!(log.take().is_empty(), "gets do not release joiners");
    queue.task_done().unwrap();
    assert!(log.take().is_empty(), "count is 1, not 0");
    for (join, probe) in joins.iter_mut().zip(&probes) {
        assert_eq!(poll_with(join, probe), Poll::Pending);
    }
    queue.task_done().unwrap();
    assert_eq!(log.take(), ["j1", "j2", "j3"]);
    assert!(probes.iter().all(|p| p.wakes() == 1));

    for (join, probe) in joins.iter_mut().zip(&probes) {
        assert_eq!(poll_with(join, probe), Poll::Ready(()));
    }
    assert!(log.take().is_empty());
}

#[test]
fn released_joiner_completes_even_if_an_item_is_put_before_it_runs() {
    // docs/semantics.md JOIN-3.
    let queue = Queue::new(0);
    queue.try_put(1).unwrap();
    let mut j1 = spawn(queue.join());
    let mut j2 = spawn(queue.join());
    assert_pending!(j1.poll());
    assert_pending!(j2.poll());

    queue.try_get().unwrap();
    queue.task_done().unwrap();
    assert!(j1.is_woken());
    assert!(j2.is_woken());
    // New work arrives before the released joiners run.
    queue.try_put(2).unwrap();
    assert_eq!(queue.unfinished_tasks(), 1);
    assert_ready!(j1.poll());
    assert_ready!(j2.poll());

    // A joiner that starts now waits for the new item.
    let mut j3 = spawn(queue.join());
    assert_pending!(j3.poll());
    queue.try_get().unwrap();
    assert!(!j3.is_woken());
    queue.task_done().unwrap();
    assert!(j3.is_woken());
    assert_ready!(j3.poll());
}

#[test]
fn join_with_nothing_unfinished_is_ready_at_once() {
    // docs/semantics.md JOIN-1.
    let queue = Queue::new(0);
    let mut j = spawn(queue.join());
    assert_ready!(j.poll());
    assert!(!j.is_woken());
    // Items got but not marked done still count.
    queue.try_put(1).unwrap();
    queue.try_get().unwrap();
    let mut j = spawn(queue.join());
    assert_pending!(j.poll());
    queue.task_done().unwrap();
    assert!(j.is_woken());
    assert_ready!(j.poll());
}

#[test]
fn dropped_joiner_does_not_disturb_the_others() {
    // docs/semantics.md CANCEL-5.
    let log = WakeLog::default();
    let queue = Queue::new(0);
    queue.try_put(1).unwrap();
    let (p1, p2, p3) = (log.probe("j1"), log.probe("j2"), log.probe("j3"));
    let mut j1 = queue.join();
    let mut j2 = queue.join();
    let mut j3 = queue.join();
    assert!(poll_with(&mut j1, &p1).is_pending());
    assert!(poll_with(&mut j2, &p2).is_pending());
    assert!(poll_with(&mut j3, &p3).is_pending());
    drop(j2);
    assert!(log.take().is_empty());
    assert_eq!(queue.unfinished_tasks(), 1);
    queue.try_get().unwrap();
    queue.task_done().unwrap();
    assert_eq!(log.take(), ["j1", "j3"]);
    assert_eq!(poll_with(&mut j1, &p1), Poll::Ready(()));
    // A released joiner dropped without being polled is harmless too.
    drop(j3);
    assert_eq!(p3.wakes(), 1);
}

// -------------------------------------------------------- shutdown

#[test]
fn shutdown_wakes_every_getter_then_every_putter_in_arrival_order() {
    // docs/semantics.md SHUT-3, WAKE-2, WAKE-3, WAKE-4.
    let log = WakeLog::default();
    let queue = Queue::new(1);
    let pg: Vec<Probe> = ["g1", "g2", "g3"].iter().map(|n| log.probe(n)).collect();
    let mut gets: Vec<_> = (0..3).map(|_| queue.get()).collect();
    for (get, probe) in gets.iter_mut().zip(&pg) {
        assert!(poll_with(get, probe).is_pending());
    }
    // g1 is notified (not yet run) and the queue is full: g2 and g3 still
    // wait, and now putters wait too.
    queue.try_put(100).unwrap();
    assert_eq!(log.take(), ["g1"]);
    let pp: Vec<Probe> = ["p1", "p2"].iter().map(|n| log.probe(n)).collect();
    let mut puts = [queue.put(1), queue.put(2)];
    for (put, probe) in puts.iter_mut().zip(&pp) {
        assert!(poll_with(put, probe).is_pending());
    }
    assert_eq!((getters(&queue), putters(&queue)), (2, 2));

    queue.shutdown();
    assert_eq!(log.take(), ["g2", "g3", "p1", "p2"]);
    assert_eq!((getters(&queue), putters(&queue)), (0, 0));
    assert_eq!(
        pg[0].wakes(),
        1,
        "an already notified getter is not woken twice"
    );

    // Putters fail and hand their item back; the queue keeps its item.
    assert_eq!(
        poll_with(&mut puts[1], &pp[1]),
        Poll::Ready(Err(PutError(2)))
    );
    assert_eq!(
        poll_with(&mut puts[0], &pp[0]),
        Poll::Ready(Err(PutError(1)))
    );
    assert_eq!(queue.len(), 1);
    // Getters drain the remaining item, whoever runs first, then fail.
    assert_eq!(poll_with(&mut gets[1], &pg[1]), Poll::Ready(Ok(100)));
    assert_eq!(poll_with(&mut gets[2], &pg[2]), Poll::Ready(Err(GetError)));
    assert_eq!(poll_with(&mut gets[0], &pg[0]), Poll::Ready(Err(GetError)));
    assert!(log.take().is_empty());
    assert_eq!(
        queue.unfinished_tasks(),
        1,
        "plain shutdown keeps the count"
    );
}

#[test]
fn shutdown_putters_fail_with_their_item_and_getters_drain() {
    // docs/semantics.md SHUT-4, PUT-1, DIFF-2.
    let queue = Queue::new(2);
    queue.try_put(1).unwrap();
    queue.try_put(2).unwrap();
    let mut p1 = spawn(queue.put(3));
    let mut p2 = spawn(queue.put(4));
    assert_pending!(p1.poll());
    assert_pending!(p2.poll());
    let mut j = spawn(queue.join());
    assert_pending!(j.poll());

    queue.shutdown();
    assert!(p1.is_woken());
    assert!(p2.is_woken());
    assert!(!j.is_woken(), "plain shutdown does not release joiners");
    assert_ready_eq!(p1.poll(), Err(PutError(3)));
    assert_ready_eq!(p2.poll(), Err(PutError(4)));
    assert_eq!(queue.len(), 2);

    let mut g = spawn(queue.get());
    assert_ready_eq!(g.poll(), Ok(1));
    let mut g = spawn(queue.get());
    assert_ready_eq!(g.poll(), Ok(2));
    let mut g = spawn(queue.get());
    assert_ready_eq!(g.poll(), Err(GetError));
    // Waiting for task_done goes on after shutdown.
    queue.task_done().unwrap();
    assert!(!j.is_woken());
    queue.task_done().unwrap();
    assert!(j.is_woken());
    assert_ready!(j.poll());
}

fn drains_in_get_order<O: Order<i32>>(expected: [i32; 4]) {
    let queue = GenericQueue::<i32, O>::new(0);
    for item in [3, 1, 4, 2] {
        queue.try_put(item).unwrap();
    }
    let mut j = spawn(queue.join());
    assert_pending!(j.poll());
    assert_eq!(queue.shutdown_immediate(), expected);
    assert!(j.is_woken());
    assert_ready!(j.poll());
    assert_eq!(queue.unfinished_tasks(), 0);
    assert!(queue.is_empty());
    assert_eq!(queue.shutdown_immediate(), Vec::<i32>::new());
}

#[test]
fn shutdown_immediate_drains_in_get_order_for_all_three_kinds() {
    // docs/semantics.md SHUT-7, DIFF-7.
    drains_in_get_order::<aioqueue::Fifo<i32>>([3, 1, 4, 2]);
    drains_in_get_order::<aioqueue::Lifo<i32>>([2, 4, 1, 3]);
    drains_in_get_order::<aioqueue::Priority<i32>>([1, 2, 3, 4]);
    // The public names are the same types.
    let lifo = LifoQueue::new(0);
    let prio = PriorityQueue::new(0);
    for item in [2, 9, 5] {
        lifo.try_put(item).unwrap();
        prio.try_put(item).unwrap();
    }
    assert_eq!(lifo.shutdown_immediate(), [5, 9, 2]);
    assert_eq!(prio.shutdown_immediate(), [2, 5, 9]);
}

#[test]
fn shutdown_immediate_wakes_joiners_then_getters_then_putters() {
    // docs/semantics.md SHUT-6, SHUT-8.
    let log = WakeLog::default();
    let queue = Queue::new(1);
    let pg: Vec<Probe> = ["g1", "g2", "g3"].iter().map(|n| log.probe(n)).collect();
    let mut gets: Vec<_> = (0..3).map(|_| queue.get()).collect();
    for (get, probe) in gets.iter_mut().zip(&pg) {
        assert!(poll_with(get, probe).is_pending());
    }
    queue.try_put(7).unwrap();
    assert_eq!(log.take(), ["g1"]);
    let pj: Vec<Probe> = ["j1", "j2"].iter().map(|n| log.probe(n)).collect();
    let mut joins = [queue.join(), queue.join()];
    for (join, probe) in joins.iter_mut().zip(&pj) {
        assert!(poll_with(join, probe).is_pending());
    }
    let pp: Vec<Probe> = ["p1", "p2"].iter().map(|n| log.probe(n)).collect();
    let mut puts = [queue.put(8), queue.put(9)];
    for (put, probe) in puts.iter_mut().zip(&pp) {
        assert!(poll_with(put, probe).is_pending());
    }

    assert_eq!(queue.shutdown_immediate(), [7]);
    assert_eq!(log.take(), ["j1", "j2", "g2", "g3", "p1", "p2"]);
    assert_eq!(queue.unfinished_tasks(), 0);

    for (get, probe) in gets.iter_mut().zip(&pg) {
        assert_eq!(poll_with(get, probe), Poll::Ready(Err(GetError)));
    }
    assert_eq!(
        poll_with(&mut puts[0], &pp[0]),
        Poll::Ready(Err(PutError(8)))
    );
    assert_eq!(
        poll_with(&mut puts[1], &pp[1]),
        Poll::Ready(Err(PutError(9)))
    );
    for (join, probe) in joins.iter_mut().zip(&pj) {
        assert_eq!(poll_with(join, probe), Poll::Ready(()));
    }
    assert!(log.take().is_empty());
    assert!(pg.iter().chain(&pj).chain(&pp).all(|p| p.wakes() == 1));
}

#[test]
fn shutdown_immediate_releases_joiners_only_when_the_count_reaches_zero() {
    // docs/semantics.md SHUT-5, SHUT-6.
    let queue = Queue::new(0);
    for item in 0..4 {
        queue.try_put(item).unwrap();
    }
    // One item is taken but not marked done: it stays unfinished.
    assert_eq!(queue.try_get(), Ok(0));
    let mut j = spawn(queue.join());
    assert_pending!(j.poll());
    assert_eq!(queue.shutdown_immediate(), [1, 2, 3]);
    assert_eq!(queue.unfinished_tasks(), 1);
    assert!(!j.is_woken());
    assert_pending!(j.poll());
    queue.task_done().unwrap();
    assert!(j.is_woken());
    assert_ready!(j.poll());
    assert!(queue.task_done().is_err());

    // More task_done calls than drained items: the count never goes below 0.
    let queue = Queue::new(0);
    queue.try_put(1).unwrap();
    queue.try_put(2).unwrap();
    queue.try_get().unwrap();
    queue.task_done().unwrap();
    let mut j = spawn(queue.join());
    assert_pending!(j.poll());
    assert_eq!(queue.shutdown_immediate(), [2]);
    assert_eq!(queue.unfinished_tasks(), 0);
    assert!(j.is_woken());
    assert_ready!(j.poll());
}

// --------------------------------------------------- spurious polls

#[test]
fn spurious_poll_keeps_the_get_in_place_and_only_the_new_waker_is_woken() {
    // docs/semantics.md POLL-3, GET-5, WAKE-5.
    let log = WakeLog::default();
    let queue = Queue::new(0);
    let (old, new, second) = (log.probe("old"), log.probe("new"), log.probe("second"));
    let mut g1 = queue.get();
    let mut g2 = queue.get();
    assert!(poll_with(&mut g1, &old).is_pending());
    assert!(poll_with(&mut g2, &second).is_pending());
    // Spurious polls, with the same and then with a new waker.
    for _ in 0..3 {
        assert!(poll_with(&mut g1, &old).is_pending());
        assert!(poll_with(&mut g2, &second).is_pending());
    }
    assert!(poll_with(&mut g1, &new).is_pending());
    assert_eq!(getters(&queue), 2);
    assert!(log.take().is_empty());

    queue.try_put(1).unwrap();
    assert_eq!(log.take(), ["new"]);
    assert_eq!((old.wakes(), new.wakes(), second.wakes()), (0, 1, 0));
    assert_eq!(poll_with(&mut g1, &new), Poll::Ready(Ok(1)));
    queue.try_put(2).unwrap();
    assert_eq!(log.take(), ["second"]);
    assert_eq!(poll_with(&mut g2, &second), Poll::Ready(Ok(2)));
}

#[test]
fn spurious_poll_keeps_the_put_in_place_and_only_the_new_waker_is_woken() {
    // docs/semantics.md POLL-3, PUT-5, WAKE-5.
    let log = WakeLog::default();
    let queue = Queue::new(1);
    queue.try_put(0).unwrap();
    let (old, new, second) = (log.probe("old"), log.probe("new"), log.probe("second"));
    let mut p1 = queue.put(1);
    let mut p2 = queue.put(2);
    assert!(poll_with(&mut p1, &old).is_pending());
    assert!(poll_with(&mut p2, &second).is_pending());
    assert!(poll_with(&mut p2, &second).is_pending());
    assert!(poll_with(&mut p1, &old).is_pending());
    assert!(poll_with(&mut p1, &new).is_pending());
    assert_eq!(putters(&queue), 2);
    assert_eq!(queue.len(), 1);

    assert_eq!(queue.try_get(), Ok(0));
    assert_eq!(log.take(), ["new"]);
    assert_eq!(poll_with(&mut p1, &new), Poll::Ready(Ok(())));
    assert_eq!(queue.try_get(), Ok(1));
    assert_eq!(log.take(), ["second"]);
    assert_eq!(poll_with(&mut p2, &second), Poll::Ready(Ok(())));
    assert_eq!(queue.try_get(), Ok(2));
    assert_eq!(old.wakes(), 0);
}

#[test]
fn spurious_poll_of_a_join_keeps_it_waiting_with_the_new_waker() {
    // docs/semantics.md POLL-3, JOIN-4, WAKE-5.
    let log = WakeLog::default();
    let queue = Queue::new(0);
    queue.try_put(()).unwrap();
    let (old, new) = (log.probe("old"), log.probe("new"));
    let mut j = queue.join();
    assert!(poll_with(&mut j, &old).is_pending());
    assert!(poll_with(&mut j, &old).is_pending());
    assert!(poll_with(&mut j, &new).is_pending());
    queue.try_get().unwrap();
    queue.task_done().unwrap();
    assert_eq!(log.take(), ["new"]);
    assert_eq!(poll_with(&mut j, &new), Poll::Ready(()));
}

#[test]
fn spurious_polls_do_not_pile_up_waker_clones() {
    // docs/semantics.md POLL-3.
    let queue = Queue::<u8>::new(1);
    let mut g = spawn(queue.get());
    assert_eq!(g.waker_ref_count(), 1);
    assert_pending!(g.poll());
    assert_eq!(g.waker_ref_count(), 2);
    for _ in 0..10 {
        assert_pending!(g.poll());
        assert!(!g.is_woken());
    }
    assert_eq!(g.waker_ref_count(), 2);
    assert_eq!(getters(&queue), 1);
    drop(g);
    assert_eq!(getters(&queue), 0);

    queue.try_put(1).unwrap();
    let mut p = spawn(queue.put(2));
    assert_pending!(p.poll());
    assert_pending!(p.poll());
    assert_eq!(p.waker_ref_count(), 2);
    queue.try_get().unwrap();
    // Notified: the list gave its waker clone away when it woke the task.
    assert!(p.is_woken());
    assert_eq!(p.waker_ref_count(), 1);
    assert_ready_eq!(p.poll(), Ok(()));
    assert_eq!(p.waker_ref_count(), 1);
}

// ------------------------------------------------- no self-wakes

#[test]
fn an_operation_that_completes_at_once_never_wakes_its_own_task() {
    // docs/semantics.md POLL-5.
    let queue = Queue::new(2);
    let mut put = spawn(queue.put(1));
    assert_ready_eq!(put.poll(), Ok(()));
    assert!(!put.is_woken());
    assert_eq!(put.waker_ref_count(), 1, "no waker kept");

    let mut get = spawn(queue.get());
    assert_ready_eq!(get.poll(), Ok(1));
    assert!(!get.is_woken());
    assert_eq!(get.waker_ref_count(), 1);

    let mut join = spawn(queue.join());
    assert_pending!(join.poll());
    queue.task_done().unwrap();
    assert!(join.is_woken());
    assert_ready!(join.poll());
    assert!(!join.is_woken());

    // A woken getter that completes does not wake itself either, but does
    // wake the waiting putter it made room for.
    let queue = Queue::new(1);
    let mut g = spawn(queue.get());
    assert_pending!(g.poll());
    queue.try_put(10).unwrap();
    let mut p = spawn(queue.put(11));
    assert_pending!(p.poll());
    assert!(g.is_woken());
    assert_ready_eq!(g.poll(), Ok(10));
    assert!(!g.is_woken());
    assert!(p.is_woken());
    assert_ready_eq!(p.poll(), Ok(()));
    assert!(!p.is_woken());
    assert!(!g.is_woken());

    // Shutdown on an idle queue wakes nobody, and fails at once.
    let queue = Queue::<u8>::new(0);
    queue.shutdown();
    let mut g = spawn(queue.get());
    assert_ready_eq!(g.poll(), Err(GetError));
    assert!(!g.is_woken());
    let mut p = spawn(queue.put(1));
    assert_ready_eq!(p.poll(), Err(PutError(1)));
    assert!(!p.is_woken());
}

// ----------------------------------------------- lost races re-queue

#[test]
fn woken_getter_that_lost_the_race_waits_again_at_the_back() {
    // docs/semantics.md POLL-4, GET-3, TRYGET-4.
    let queue = Queue::new(0);
    let mut g1 = spawn(queue.get());
    let mut g2 = spawn(queue.get());
    let mut g3 = spawn(queue.get());
    assert_pending!(g1.poll());
    assert_pending!(g2.poll());
    assert_pending!(g3.poll());

    queue.try_put(1).unwrap();
    assert!(g1.is_woken());
    // A new get finds the item and takes it before g1 runs.
    let mut thief = spawn(queue.get());
    assert_ready_eq!(thief.poll(), Ok(1));
    assert_eq!(getters(&queue), 2);
    assert_pending!(g1.poll());
    assert_eq!(getters(&queue), 3);

    // g1 is now behind g2 and g3.
    queue.try_put(2).unwrap();
    assert!(g2.is_woken());
    assert!(!g1.is_woken());
    assert!(!g3.is_woken());
    assert_ready_eq!(g2.poll(), Ok(2));
    queue.try_put(3).unwrap();
    assert!(g3.is_woken());
    assert!(!g1.is_woken());
    assert_ready_eq!(g3.poll(), Ok(3));
    queue.try_put(4).unwrap();
    assert!(g1.is_woken());
    assert_ready_eq!(g1.poll(), Ok(4));
    assert_eq!(getters(&queue), 0);
}

#[test]
fn woken_putter_that_finds_the_queue_full_again_waits_at_the_back_gh_83055() {
    // docs/semantics.md POLL-4, PUT-4.
    let queue = Queue::new(1);
    queue.try_put(0).unwrap();
    let mut p1 = spawn(queue.put(1));
    let mut p2 = spawn(queue.put(2));
    let mut p3 = spawn(queue.put(3));
    assert_pending!(p1.poll());
    assert_pending!(p2.poll());
    assert_pending!(p3.poll());

    assert_eq!(queue.try_get(), Ok(0));
    assert!(p1.is_woken());
    // A new put takes the free slot before p1 runs.
    let mut thief = spawn(queue.put(99));
    assert_ready_eq!(thief.poll(), Ok(()));
    assert_eq!(putters(&queue), 2);
    assert_pending!(p1.poll());
    assert_eq!(putters(&queue), 3);

    assert_eq!(queue.try_get(), Ok(99));
    assert!(p2.is_woken());
    assert!(!p1.is_woken());
    assert!(!p3.is_woken());
    assert_ready_eq!(p2.poll(), Ok(()));
    assert_eq!(queue.try_get(), Ok(2));
    assert!(p3.is_woken());
    assert!(!p1.is_woken());
    assert_ready_eq!(p3.poll(), Ok(()));
    assert_eq!(queue.try_get(), Ok(3));
    assert!(p1.is_woken());
    assert_ready_eq!(p1.poll(), Ok(()));
    assert_eq!(queue.try_get(), Ok(1));
    assert_eq!(putters(&queue), 0);
}

// ------------------------------------------------ wakes are unlocked

/// A waker that, when woken, reads the queue's `Debug` (which locks it).
/// If the queue woke it while holding its own lock, this would deadlock
/// (or panic); the test runs it on a thread and gives it a deadline.
#[test]
fn wakes_happen_after_the_lock_is_released() {
    // docs/semantics.md WAKE-4.
    struct Inspect {
        queue: Arc<Queue<u32>>,
        seen: mpsc::Sender<String>,
    }
    impl Wake for Inspect {
        fn wake(self: Arc<Self>) {
            let _ = self.seen.send(format!("{:?}", self.queue));
        }
    }

    let (tx, rx) = mpsc::channel();
    let queue = Arc::new(Queue::<u32>::new(0));
    let worker_queue = Arc::clone(&queue);
    std::thread::spawn(move || {
        let waker = Waker::from(Arc::new(Inspect {
            queue: Arc::clone(&worker_queue),
            seen: tx,
        }));
        let mut cx = Context::from_waker(&waker);
        let mut get = worker_queue.get();
        assert!(Pin::new(&mut get).poll(&mut cx).is_pending());
        worker_queue.try_put(1).unwrap();
        assert_eq!(Pin::new(&mut get).poll(&mut cx), Poll::Ready(Ok(1)));
        let mut join = worker_queue.join();
        assert!(Pin::new(&mut join).poll(&mut cx).is_pending());
        worker_queue.task_done().unwrap();
        let mut get = worker_queue.get();
        assert!(Pin::new(&mut get).poll(&mut cx).is_pending());
        worker_queue.shutdown();
        drop(get);
    });
    let timeout = Duration::from_secs(10);
    // The waker sees the state after the operation: the item is in, and
    // the notified getter has left the list.
    assert_eq!(
        rx.recv_timeout(timeout).expect("put woke its getter under the lock"),
        "Queue { maxsize: 0, len: 1, getters: 0, putters: 0, joiners: 0, unfinished_tasks: 1, shutdown: false }"
    );
    assert_eq!(
        rx.recv_timeout(timeout).expect("task_done woke its joiner under the lock"),
        "Queue { maxsize: 0, len: 0, getters: 0, putters: 0, joiners: 0, unfinished_tasks: 0, shutdown: false }"
    );
    assert_eq!(
        rx.recv_timeout(timeout)
            .expect("shutdown woke its getter under the lock"),
        "Queue { maxsize: 0, len: 0, getters: 0, putters: 0, joiners: 0, unfinished_tasks: 0, shutdown: true }"
    );
}
