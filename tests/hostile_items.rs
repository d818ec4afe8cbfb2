//! Items whose `Ord` or `Drop` panics, and a waker that panics.
//!
//! The crate promises: a panic in user code reaches only the caller whose
//! operation ran it; the queue stays usable; `len` counts exactly the items
//! in the buffer; no item is duplicated or lost. Every test below counts live
//! items and records each drop, so a lost, leaked or twice-dropped item fails.

use std::any::Any;
use std::cmp::Ordering;
use std::panic::{catch_unwind, panic_any, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering::SeqCst};
use std::sync::{mpsc, Arc, Mutex, Once};
use std::task::{Context, Wake, Waker};
use std::time::Duration;

use aioqueue::{GetError, PriorityQueue, PutError, Queue, TryGetError, TryPutError};
use tokio_test::task::spawn;
use tokio_test::{assert_pending, assert_ready, assert_ready_eq};

// ---------------------------------------------------------------- helpers

/// The payload of every panic these tests cause on purpose.
#[derive(Debug)]
struct HostilePanic(&'static str);

/// Keeps the deliberate panics out of the test output.
fn quiet_hostile_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<HostilePanic>().is_none() {
                default(info);
            }
        }));
    });
}

/// Runs `f`; `Err(tag)` if it raised a `HostilePanic`. Any other panic
/// (a failed assertion, a crate bug) is passed on.
fn catch<R>(f: impl FnOnce() -> R) -> Result<R, &'static str> {
    catch_unwind(AssertUnwindSafe(f)).map_err(hostile_tag)
}

fn hostile_tag(payload: Box<dyn Any + Send>) -> &'static str {
    match payload.downcast::<HostilePanic>() {
        Ok(hostile) => hostile.0,
        Err(other) => std::panic::resume_unwind(other),
    }
}

/// Controls and observes the items of one test.
#[derive(Default)]
struct Control {
    comparisons: AtomicUsize,
    /// Panic at this comparison number; 0 = never. One-shot.
    panic_at: AtomicUsize,
    /// `id + 1` of the item whose drop panics; 0 = none. One-shot.
    drop_panics: AtomicUsize,
    created: AtomicUsize,
    live: AtomicIsize,
    dropped: Mutex<Vec<usize>>,
}

impl Control {
    fn new() -> Arc<Self> {
        quiet_hostile_panics();
        Arc::new(Control::default())
    }

    fn item(self: &Arc<Self>, key: u32) -> Hostile {
        self.live.fetch_add(1, SeqCst);
        Hostile {
            key,
            id: self.created.fetch_add(1, SeqCst),
            ctl: Arc::clone(self),
        }
    }

    /// The next comparison of any two items panics.
    fn panic_on_next_comparison(&self) {
        self.panic_at
            .store(self.comparisons.load(SeqCst) + 1, SeqCst);
    }

    fn panic_on_drop_of(&self, item: &Hostile) {
        self.drop_panics.store(item.id + 1, SeqCst);
    }

    fn live(&self) -> isize {
        self.live.load(SeqCst)
    }

    /// Every item created was dropped exactly once.
    fn assert_all_dropped_once(&self) {
        assert_eq!(self.live(), 0, "items leaked or dropped twice");
        let mut dropped = self.dropped.lock().unwrap().clone();
        dropped.sort_unstable();
        let created: Vec<usize> = (0..self.created.load(SeqCst)).collect();
        assert_eq!(dropped, created, "each item must be dropped exactly once");
    }
}

struct Hostile {
    key: u32,
    id: usize,
    ctl: Arc<Control>,
}

impl std::fmt::Debug for Hostile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Hostile(key {}, id {})", self.key, self.id)
    }
}

impl PartialEq for Hostile {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Hostile {}

impl PartialOrd for Hostile {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Hostile {
    fn cmp(&self, other: &Self) -> Ordering {
        let n = self.ctl.comparisons.fetch_add(1, SeqCst) + 1;
        if self
            .ctl
            .panic_at
            .compare_exchange(n, 0, SeqCst, SeqCst)
            .is_ok()
        {
            panic_any(HostilePanic("ord"));
        }
        self.key.cmp(&other.key)
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.ctl.live.fetch_sub(1, SeqCst);
        self.ctl.dropped.lock().unwrap().push(self.id);
        let armed = self
            .ctl
            .drop_panics
            .compare_exchange(self.id + 1, 0, SeqCst, SeqCst)
            .is_ok();
        if armed && !std::thread::panicking() {
            panic_any(HostilePanic("drop"));
        }
    }
}

/// Takes every item out with `try_get` (no comparison is armed) and returns
/// their keys sorted; checks that `len` was exact.
fn drain_keys<O: aioqueue::Order<Hostile>>(queue: &aioqueue::GenericQueue<Hostile, O>) -> Vec<u32> {
    let len = queue.len();
    let mut keys = Vec::new();
    while let Ok(item) = queue.try_get() {
        keys.push(item.key);
    }
    assert_eq!(
        keys.len(),
        len,
        "len() must count exactly the items in the buffer"
    );
    assert!(queue.is_empty());
    keys.sort_unstable();
    keys
}

fn sorted(mut keys: Vec<u32>) -> Vec<u32> {
    keys.sort_unstable();
    keys
}

// -------------------------------------------------------------- Ord panics

#[test]
fn ord_panic_in_try_put_reaches_only_the_caller_and_the_item_counts() {
    // docs/semantics.md PANIC-1, PANIC-3, DIFF-9.
    let ctl = Control::new();
    let queue = PriorityQueue::new(0);
    let mut g1 = spawn(queue.get());
    let mut g2 = spawn(queue.get());
    assert_pending!(g1.poll());
    assert_pending!(g2.poll());
    queue.try_put(ctl.item(5)).unwrap();
    assert!(g1.is_woken());
    assert!(!g2.is_woken());

    ctl.panic_on_next_comparison();
    assert_eq!(
        catch(|| queue.try_put(ctl.item(3))).map(|r| r.is_ok()),
        Err("ord")
    );
    // The item went into the buffer before its sift panicked: it was put,
    // so it is counted, and it woke the next getter.
    assert_eq!(queue.len(), 2);
    assert_eq!(queue.unfinished_tasks(), 2);
    assert!(
        g2.is_woken(),
        "the panicking put must still wake a waiting getter"
    );
    assert_eq!(queue.waiting_getters(), 0);
    assert_eq!(ctl.live(), 2);

    // Not poisoned: others go on.
    queue.try_put(ctl.item(4)).unwrap();
    assert_eq!(queue.len(), 3);
    let a = assert_ready!(g1.poll()).unwrap();
    let b = assert_ready!(g2.poll()).unwrap();
    let mut keys = drain_keys(&queue);
    keys.extend([a.key, b.key]);
    assert_eq!(sorted(keys), [3, 4, 5]);
    assert_eq!(queue.unfinished_tasks(), 3);
    drop((a, b));
    drop((g1, g2));
    drop(queue);
    ctl.assert_all_dropped_once();
}

#[test]
fn ord_panic_in_a_put_future_on_a_free_queue_still_wakes_a_getter() {
    // docs/semantics.md PANIC-3.
    let ctl = Control::new();
    let queue = PriorityQueue::new(0);
    let mut g1 = spawn(queue.get());
    let mut g2 = spawn(queue.get());
    assert_pending!(g1.poll());
    assert_pending!(g2.poll());
    queue.try_put(ctl.item(1)).unwrap();

    let mut put = spawn(queue.put(ctl.item(0)));
    ctl.panic_on_next_comparison();
    assert_eq!(catch(|| put.poll().is_ready()), Err("ord"));
    assert!(g2.is_woken());
    assert_eq!(queue.len(), 2);
    assert_eq!(queue.unfinished_tasks(), 2);
    drop(put);
    assert_eq!(
        queue.len(),
        2,
        "the item was put, dropping the future keeps it"
    );

    let a = assert_ready!(g2.poll()).unwrap();
    let b = assert_ready!(g1.poll()).unwrap();
    assert_eq!(sorted(vec![a.key, b.key]), [0, 1]);
    assert!(queue.is_empty());
    drop((a, b, g1, g2));
    drop(queue);
    ctl.assert_all_dropped_once();
}

#[test]
fn ord_panic_in_a_woken_put_future_reaches_only_that_putter() {
    // docs/semantics.md PANIC-1, PANIC-3.
    let ctl = Control::new();
    let queue = PriorityQueue::new(2);
    queue.try_put(ctl.item(1)).unwrap();
    queue.try_put(ctl.item(2)).unwrap();
    let mut p1 = spawn(queue.put(ctl.item(0)));
    let mut p2 = spawn(queue.put(ctl.item(3)));
    assert_pending!(p1.poll());
    assert_pending!(p2.poll());

    let first = queue.try_get().unwrap();
    assert_eq!(first.key, 1);
    assert!(p1.is_woken());
    assert!(!p2.is_woken());

    ctl.panic_on_next_comparison();
    assert_eq!(catch(|| p1.poll().is_ready()), Err("ord"));
    assert_eq!(queue.len(), 2);
    assert_eq!(queue.unfinished_tasks(), 3);
    assert!(queue.is_full());
    assert!(!p2.is_woken());
    assert_eq!(queue.waiting_putters(), 1);
    drop(p1);
    assert!(!p2.is_woken());
    assert_eq!(queue.waiting_putters(), 1);

    // The other putter is served as usual.
    let second = queue.try_get().unwrap();
    assert!(p2.is_woken());
    assert_ready_eq!(p2.poll().map(|r| r.is_ok()), true);
    let mut keys = drain_keys(&queue);
    keys.extend([first.key, second.key]);
    assert_eq!(sorted(keys), [0, 1, 2, 3]);
    drop((first, second, p2));
    drop(queue);
    ctl.assert_all_dropped_once();
}

#[test]
fn ord_panic_in_try_get_keeps_the_item_and_wakes_no_putter() {
    // docs/semantics.md PANIC-4, DIFF-9.
    let ctl = Control::new();
    let queue = PriorityQueue::new(4);
    for key in [4, 1, 3, 2] {
        queue.try_put(ctl.item(key)).unwrap();
    }
    let mut putter = spawn(queue.put(ctl.item(5)));
    assert_pending!(putter.poll());

    ctl.panic_on_next_comparison();
    assert_eq!(catch(|| queue.try_get().map(|item| item.key)), Err("ord"));
    assert_eq!(queue.len(), 4, "no item may leave the buffer");
    assert_eq!(queue.unfinished_tasks(), 4);
    assert_eq!(ctl.live(), 5, "nothing was dropped");
    assert!(!putter.is_woken(), "no slot was freed");
    assert_eq!(queue.waiting_putters(), 1);

    // Not poisoned: a later get works and frees the slot.
    let got = queue.try_get().unwrap();
    assert!(putter.is_woken());
    assert_ready_eq!(putter.poll().map(|r| r.is_ok()), true);
    let mut keys = drain_keys(&queue);
    keys.push(got.key);
    assert_eq!(sorted(keys), [1, 2, 3, 4, 5]);
    drop((got, putter));
    drop(queue);
    ctl.assert_all_dropped_once();
}

#[test]
fn ord_panic_in_a_get_future_reaches_only_that_getter() {
    // docs/semantics.md PANIC-1, PANIC-4.
    let ctl = Control::new();
    let queue = PriorityQueue::new(0);
    let mut g1 = spawn(queue.get());
    let mut g2 = spawn(queue.get());
    assert_pending!(g1.poll());
    assert_pending!(g2.poll());
    for key in [7, 8, 9] {
        queue.try_put(ctl.item(key)).unwrap();
    }
    assert!(g1.is_woken());
    assert!(g2.is_woken());

    ctl.panic_on_next_comparison();
    assert_eq!(catch(|| g1.poll().is_ready()), Err("ord"));
    assert_eq!(queue.len(), 3);
    drop(g1);
    assert_eq!(queue.len(), 3);

    // The other getter is not affected.
    let got = assert_ready!(g2.poll()).unwrap();
    // A fresh get from an unpolled future works too.
    let mut g3 = spawn(queue.get());
    let got3 = assert_ready!(g3.poll()).unwrap();
    let mut keys = drain_keys(&queue);
    keys.extend([got.key, got3.key]);
    assert_eq!(sorted(keys), [7, 8, 9]);
    assert_eq!(queue.unfinished_tasks(), 3);
    drop((got, got3, g2, g3));
    drop(queue);
    ctl.assert_all_dropped_once();
}

#[test]
fn ord_panic_in_a_woken_get_passes_its_turn_on() {
    // docs/semantics.md PANIC-4: a notified getter whose `Ord` panicked used
    // its wakeup for nothing; the next waiting getter must be woken while
    // items remain, or it would wait with an item in the queue. (Three
    // items, so that the pop compares; four getters, so that one waits.)
    let ctl = Control::new();
    let queue = PriorityQueue::new(0);
    let mut gets: Vec<_> = (0..4).map(|_| spawn(queue.get())).collect();
    for get in &mut gets {
        assert_pending!(get.poll());
    }
    for key in [7, 8, 9] {
        queue.try_put(ctl.item(key)).unwrap();
    }
    assert!(gets[..3].iter().all(|g| g.is_woken()));
    assert!(!gets[3].is_woken());

    ctl.panic_on_next_comparison();
    let mut first = gets.remove(0);
    assert_eq!(catch(|| first.poll().is_ready()), Err("ord"));
    assert_eq!(queue.len(), 3);
    assert!(
        gets[2].is_woken(),
        "the panicking getter passed its turn on"
    );
    drop(first);
    let mut keys = Vec::new();
    for get in &mut gets {
        keys.push(assert_ready!(get.poll()).unwrap().key);
    }
    assert_eq!(sorted(keys), [7, 8, 9]);
    assert!(queue.is_empty());
    drop(gets);
    drop(queue);
    ctl.assert_all_dropped_once();
}

#[test]
fn ord_panic_in_shutdown_immediate_still_shuts_down_and_wakes_everyone() {
    // docs/semantics.md PANIC-5.
    let ctl = Control::new();
    let queue = PriorityQueue::new(3);
    let mut gets: Vec<_> = (0..4).map(|_| spawn(queue.get())).collect();
    for get in &mut gets {
        assert_pending!(get.poll());
    }
    for key in [30, 10, 20] {
        queue.try_put(ctl.item(key)).unwrap();
    }
    // Three getters notified, the fourth still waits; the queue is full.
    assert!(gets[..3].iter().all(|g| g.is_woken()));
    assert!(!gets[3].is_woken());
    let mut join = spawn(queue.join());
    assert_pending!(join.poll());
    let mut put = spawn(queue.put(ctl.item(40)));
    assert_pending!(put.poll());
    assert_eq!(ctl.live(), 4);

    ctl.panic_on_next_comparison();
    assert_eq!(catch(|| queue.shutdown_immediate().len()), Err("ord"));
    // The drained items went down with the panicking caller, once each.
    assert_eq!(ctl.live(), 1, "only the putter's item is still alive");
    assert!(queue.is_shutdown());
    assert_eq!(queue.len(), 0);
    assert_eq!(queue.unfinished_tasks(), 0);
    // Every waiter was woken before the panic was re-raised.
    assert!(join.is_woken());
    assert!(gets[3].is_woken());
    assert!(put.is_woken());
    assert_ready!(join.poll());
    for get in &mut gets {
        assert_eq!(
            assert_ready!(get.poll()).map(|item| item.key),
            Err(GetError)
        );
    }
    let PutError(back) = assert_ready!(put.poll()).unwrap_err();
    assert_eq!(back.key, 40);
    drop(back);

    // Not poisoned.
    assert!(matches!(
        queue.try_put(ctl.item(50)),
        Err(TryPutError::ShutDown(_))
    ));
    assert!(matches!(queue.try_get(), Err(TryGetError::ShutDown)));
    assert!(queue.shutdown_immediate().is_empty());
    drop((gets, put, join));
    drop(queue);
    ctl.assert_all_dropped_once();
}

#[test]
fn a_panic_on_one_thread_leaves_the_queue_usable_on_others() {
    // docs/semantics.md PANIC-2.
    let ctl = Control::new();
    let queue = Arc::new(PriorityQueue::new(0));
    queue.try_put(ctl.item(2)).unwrap();
    ctl.panic_on_next_comparison();
    let thread = {
        let (queue, ctl) = (Arc::clone(&queue), Arc::clone(&ctl));
        std::thread::spawn(move || queue.try_put(ctl.item(1)).is_ok())
    };
    let payload = thread
        .join()
        .expect_err("the put's panic reaches its own thread");
    assert_eq!(hostile_tag(payload), "ord");

    // The other thread's lock is not poisoned and the state is exact.
    assert_eq!(queue.len(), 2);
    assert_eq!(queue.unfinished_tasks(), 2);
    queue.try_put(ctl.item(3)).unwrap();
    assert_eq!(drain_keys(&queue), [1, 2, 3]);
    for _ in 0..3 {
        queue.task_done().unwrap();
    }
    assert!(queue.task_done().is_err());
    drop(queue);
    ctl.assert_all_dropped_once();
}

// ------------------------------------------------------------- Drop panics

#[test]
fn drop_panic_of_a_cancelled_waiting_put_reaches_only_the_dropper() {
    // docs/semantics.md PANIC-6.
    let ctl = Control::new();
    let queue = Queue::new(1);
    queue.try_put(ctl.item(0)).unwrap();
    let doomed = ctl.item(1);
    ctl.panic_on_drop_of(&doomed);
    let mut p1 = spawn(queue.put(doomed));
    let mut p2 = spawn(queue.put(ctl.item(2)));
    assert_pending!(p1.poll());
    assert_pending!(p2.poll());

    assert_eq!(catch(|| drop(p1)), Err("drop"));
    assert_eq!(ctl.live(), 2, "the cancelled item was dropped, once");
    assert_eq!(queue.waiting_putters(), 1);
    assert_eq!(queue.len(), 1);
    assert_eq!(queue.unfinished_tasks(), 1);
    assert!(!p2.is_woken());

    let first = queue.try_get().unwrap();
    assert_eq!(first.key, 0);
    assert!(p2.is_woken());
    assert_ready_eq!(p2.poll().map(|r| r.is_ok()), true);
    assert_eq!(drain_keys(&queue), [2]);
    assert_eq!(queue.unfinished_tasks(), 2);
    drop((first, p2));
    drop(queue);
    ctl.assert_all_dropped_once();
}

#[test]
fn drop_panic_of_a_woken_cancelled_put_still_passes_the_wakeup_on() {
    // docs/semantics.md PANIC-6, CANCEL-7.
    let ctl = Control::new();
    let queue = Queue::new(1);
    queue.try_put(ctl.item(0)).unwrap();
    let doomed = ctl.item(1);
    ctl.panic_on_drop_of(&doomed);
    let mut p1 = spawn(queue.put(doomed));
    let mut p2 = spawn(queue.put(ctl.item(2)));
    assert_pending!(p1.poll());
    assert_pending!(p2.poll());
    let first = queue.try_get().unwrap();
    assert!(p1.is_woken());
    assert!(!p2.is_woken());

    assert_eq!(catch(|| drop(p1)), Err("drop"));
    assert!(
        p2.is_woken(),
        "the unused wakeup must pass to the next putter"
    );
    assert!(queue.is_empty());
    assert_ready_eq!(p2.poll().map(|r| r.is_ok()), true);
    assert_eq!(drain_keys(&queue), [2]);
    drop((first, p2));
    drop(queue);
    ctl.assert_all_dropped_once();
}

#[test]
fn drop_panic_of_an_item_when_the_queue_is_dropped_loses_no_other_item() {
    // docs/semantics.md PANIC-6.
    let ctl = Control::new();
    let queue = Queue::new(0);
    for key in 0..3 {
        queue.try_put(ctl.item(key)).unwrap();
    }
    let middle = queue.try_get().unwrap();
    ctl.panic_on_drop_of(&middle);
    queue.try_put(middle).unwrap();
    assert_eq!(catch(|| drop(queue)), Err("drop"));
    ctl.assert_all_dropped_once();
}

/// A waker that, when woken, reads the queue's `Debug` (which locks it) and
/// sends it: had the wake been made under the queue's lock, it would
/// deadlock, so the tests below run it on a thread with a deadline.
struct Inspect {
    queue: Arc<PriorityQueue<Hostile>>,
    seen: mpsc::Sender<String>,
}

impl Wake for Inspect {
    fn wake(self: Arc<Self>) {
        let _ = self.seen.send(format!("{:?}", self.queue));
    }
}

#[test]
fn wakes_owed_by_a_panicking_ord_are_made_after_the_lock_is_released() {
    // docs/semantics.md PANIC-1, PANIC-3, PANIC-4, WAKE-4: `Ord`'s panic
    // unwinds out of the put and the get; the getter each of them wakes is
    // woken once the lock is released, before the panic reaches the caller.
    let ctl = Control::new();
    let queue = Arc::new(PriorityQueue::new(0));
    let (tx, rx) = mpsc::channel();
    let worker = {
        let (queue, ctl) = (Arc::clone(&queue), Arc::clone(&ctl));
        std::thread::spawn(move || {
            let inspect = Waker::from(Arc::new(Inspect {
                queue: Arc::clone(&queue),
                seen: tx,
            }));
            let noop = Waker::noop();
            // A put: two waiting getters; the first is notified by a plain
            // put, the second by a put whose push panics with its item in.
            let mut g1 = queue.get();
            let mut g2 = queue.get();
            assert!(Pin::new(&mut g1).poll_ready(noop).is_pending());
            assert!(Pin::new(&mut g2).poll_ready(&inspect).is_pending());
            queue.try_put(ctl.item(1)).unwrap();
            ctl.panic_on_next_comparison();
            assert_eq!(catch(|| queue.try_put(ctl.item(0))), Err("ord"));
            let taken = [&mut g1, &mut g2].map(|get| {
                let poll = Pin::new(get).poll_ready(noop);
                let std::task::Poll::Ready(Ok(item)) = poll else {
                    panic!("a notified getter takes an item: {poll:?}");
                };
                item.key
            });
            assert_eq!(sorted(taken.to_vec()), [0, 1]);
            // A get: four waiting getters, three items; the first getter's
            // pop panics and passes its turn to the fourth.
            let mut gets: Vec<_> = (0..4).map(|_| queue.get()).collect();
            for (n, get) in gets.iter_mut().enumerate() {
                let waker = if n == 3 { &inspect } else { noop };
                assert!(Pin::new(get).poll_ready(waker).is_pending());
            }
            for key in [7, 8, 9] {
                queue.try_put(ctl.item(key)).unwrap();
            }
            ctl.panic_on_next_comparison();
            let panicked = catch(|| Pin::new(&mut gets[0]).poll_ready(noop).is_ready());
            assert_eq!(panicked, Err("ord"));
            let keys: Vec<u32> = gets
                .iter_mut()
                .skip(1)
                .map(|get| match Pin::new(get).poll_ready(noop) {
                    std::task::Poll::Ready(Ok(item)) => item.key,
                    poll => panic!("each woken getter takes an item: {poll:?}"),
                })
                .collect();
            assert_eq!(sorted(keys), [7, 8, 9]);
        })
    };
    let timeout = Duration::from_secs(10);
    // Each waker sees the state after its operation: the panicking put's
    // item is in and counted; the panicking get took nothing.
    assert_eq!(
        rx.recv_timeout(timeout)
            .expect("a panicking put woke its getter under the lock"),
        "PriorityQueue { maxsize: 0, len: 2, getters: 0, putters: 0, joiners: 0, unfinished_tasks: 2, shutdown: false }"
    );
    assert_eq!(
        rx.recv_timeout(timeout)
            .expect("a panicking get passed its turn on under the lock"),
        "PriorityQueue { maxsize: 0, len: 3, getters: 0, putters: 0, joiners: 0, unfinished_tasks: 5, shutdown: false }"
    );
    worker.join().expect("the worker's assertions hold");
    drop(queue);
    ctl.assert_all_dropped_once();
}

#[test]
fn a_panicking_waker_woken_by_a_panicking_ord_does_not_abort() {
    // docs/semantics.md PANIC-3, PANIC-7: the wake owed by a put whose
    // `Ord` panicked is made while that panic unwinds; a second panic then
    // would abort the process, so the waker's is dropped and the caller
    // gets `Ord`'s.
    struct Exploding;
    impl Wake for Exploding {
        fn wake(self: Arc<Self>) {
            panic_any(HostilePanic("waker"));
        }
    }
    let ctl = Control::new();
    let queue = PriorityQueue::new(0);
    let exploding = Waker::from(Arc::new(Exploding));
    let mut g1 = queue.get();
    let mut g2 = queue.get();
    assert!(Pin::new(&mut g1).poll_ready(Waker::noop()).is_pending());
    assert!(Pin::new(&mut g2).poll_ready(&exploding).is_pending());
    queue.try_put(ctl.item(1)).unwrap();
    ctl.panic_on_next_comparison();
    assert_eq!(catch(|| queue.try_put(ctl.item(0))), Err("ord"));
    assert_eq!((queue.len(), queue.unfinished_tasks()), (2, 2));
    assert_eq!(queue.waiting_getters(), 0, "the second getter was notified");
    drop((g1, g2));
    drop(queue);
    ctl.assert_all_dropped_once();
}

// ------------------------------------------------------- a panicking waker

#[test]
fn a_panicking_waker_does_not_stop_the_other_wakes() {
    // docs/semantics.md PANIC-7.
    struct Counting(AtomicUsize);
    impl Wake for Counting {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, SeqCst);
        }
    }
    struct Exploding;
    impl Wake for Exploding {
        fn wake(self: Arc<Self>) {
            panic_any(HostilePanic("waker"));
        }
    }
    quiet_hostile_panics();

    let queue = Queue::<u32>::new(0);
    let (c1, c3) = (
        Arc::new(Counting(AtomicUsize::new(0))),
        Arc::new(Counting(AtomicUsize::new(0))),
    );
    let wakers = [
        Waker::from(Arc::clone(&c1)),
        Waker::from(Arc::new(Exploding)),
        Waker::from(Arc::clone(&c3)),
    ];
    let mut gets: Vec<_> = (0..3).map(|_| queue.get()).collect();
    for (get, waker) in gets.iter_mut().zip(&wakers) {
        let poll = std::pin::Pin::new(get).poll_ready(waker);
        assert!(poll.is_pending());
    }

    assert_eq!(catch(|| queue.shutdown()), Err("waker"));
    assert_eq!((c1.0.load(SeqCst), c3.0.load(SeqCst)), (1, 1));
    assert!(queue.is_shutdown());
    assert_eq!(queue.waiting_getters(), 0);
    for (get, waker) in gets.iter_mut().zip(&wakers) {
        let poll = std::pin::Pin::new(get).poll_ready(waker);
        assert_eq!(poll, std::task::Poll::Ready(Err(GetError)));
    }
    assert_eq!(queue.try_put(1), Err(TryPutError::ShutDown(1)));
}

/// `Pin<&mut F>::poll` with a given waker, as a one-liner.
trait PollReady: std::future::Future {
    fn poll_ready(self: std::pin::Pin<&mut Self>, waker: &Waker) -> std::task::Poll<Self::Output> {
        self.poll(&mut Context::from_waker(waker))
    }
}

impl<F: std::future::Future + ?Sized> PollReady for F {}
