//! The other faces of the same operations: blocking threads, owned futures,
//! batch gets and the stream. Each is checked where it meets the queue's
//! rules: the same waiter lists, the same wakes, the same cancellation.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::{Duration, Instant};

use aioqueue::{GetError, PriorityQueue, PutError, Queue, TryGetError, TryPutError};

/// A waker that records that it was woken.
#[derive(Default)]
struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, SeqCst);
    }
}

impl Flag {
    fn new() -> (Arc<Flag>, Waker) {
        let flag = Arc::new(Flag::default());
        (Arc::clone(&flag), Waker::from(flag))
    }

    fn woken(&self) -> bool {
        self.0.swap(false, SeqCst)
    }
}

fn poll<F: Future + Unpin>(future: &mut F, waker: &Waker) -> Poll<F::Output> {
    Pin::new(future).poll(&mut Context::from_waker(waker))
}

/// Waits (with a generous limit, so that a bug fails instead of hanging)
/// until another thread has reached the state `reached` looks for.
fn wait_until(what: &str, reached: impl Fn() -> bool) {
    let limit = Instant::now() + Duration::from_secs(20);
    while !reached() {
        assert!(Instant::now() < limit, "never reached: {what}");
        thread::yield_now();
    }
}

// ----- The blocking face ---------------------------------------------------

#[test]
fn a_blocked_thread_waits_behind_an_async_getter_that_came_first() {
    // [BLOCK-1] [WAKE-1] one list, arrival order, across the two faces.
    let queue = Arc::new(Queue::new(0));
    let (flag, waker) = Flag::new();
    let mut get = queue.get();
    assert!(poll(&mut get, &waker).is_pending());
    let blocked = {
        let queue = Arc::clone(&queue);
        thread::spawn(move || queue.get_blocking())
    };
    wait_until("the thread waits", || queue.waiting_getters() == 2);
    queue.try_put(1).unwrap();
    assert!(flag.woken(), "the async getter came first");
    assert_eq!(queue.waiting_getters(), 1, "the thread still waits");
    assert_eq!(poll(&mut get, &waker), Poll::Ready(Ok(1)));
    queue.try_put(2).unwrap();
    assert_eq!(blocked.join().unwrap(), Ok(2));
}

#[test]
fn an_async_getter_waits_behind_a_blocked_thread_that_came_first() {
    // [BLOCK-1] [WAKE-1]
    let queue = Arc::new(Queue::new(0));
    let blocked = {
        let queue = Arc::clone(&queue);
        thread::spawn(move || queue.get_blocking())
    };
    wait_until("the thread waits", || queue.waiting_getters() == 1);
    let (flag, waker) = Flag::new();
    let mut get = queue.get();
    assert!(poll(&mut get, &waker).is_pending());
    queue.try_put(1).unwrap();
    assert_eq!(blocked.join().unwrap(), Ok(1));
    assert!(!flag.woken(), "the async getter came second");
    assert_eq!(queue.waiting_getters(), 1);
}

#[test]
fn blocked_and_async_putters_share_one_line() {
    // [BLOCK-1] [PUT-3] [TRYGET-2]: a get wakes the putter that came first.
    let queue = Arc::new(Queue::new(1));
    queue.try_put(1).unwrap();
    let blocked = {
        let queue = Arc::clone(&queue);
        thread::spawn(move || queue.put_blocking(2))
    };
    wait_until("the thread waits", || queue.waiting_putters() == 1);
    let (flag, waker) = Flag::new();
    let mut put = queue.put(3);
    assert!(poll(&mut put, &waker).is_pending());
    assert_eq!(queue.try_get(), Ok(1));
    assert_eq!(blocked.join().unwrap(), Ok(()));
    assert!(!flag.woken(), "the async putter came second");
    assert_eq!(queue.try_get(), Ok(2));
    assert!(flag.woken());
    assert_eq!(poll(&mut put, &waker), Poll::Ready(Ok(())));
}

#[test]
fn an_unpark_that_is_not_a_wake_keeps_the_threads_place() {
    // [BLOCK-2] [POLL-3] spurious unparks are spurious polls.
    let queue = Arc::new(Queue::new(0));
    let blocked = {
        let queue = Arc::clone(&queue);
        thread::spawn(move || queue.get_blocking())
    };
    wait_until("the thread waits", || queue.waiting_getters() == 1);
    for _ in 0..5 {
        blocked.thread().unpark();
        thread::sleep(Duration::from_millis(1));
    }
    let (flag, waker) = Flag::new();
    let mut get = queue.get();
    assert!(poll(&mut get, &waker).is_pending());
    assert_eq!(queue.waiting_getters(), 2);
    queue.try_put("first").unwrap();
    assert_eq!(blocked.join().unwrap(), Ok("first"));
    assert!(!flag.woken());
}

#[test]
fn shutdown_releases_blocked_threads_with_the_futures_results() {
    // [BLOCK-1] [SHUT-3] [SHUT-4] [PUT-2] [GET-2] [JOIN-5]
    let full = Arc::new(Queue::new(1));
    full.try_put(1).unwrap();
    let empty = Arc::new(Queue::<u8>::new(0));
    let putter = {
        let full = Arc::clone(&full);
        thread::spawn(move || full.put_blocking(2))
    };
    let getter = {
        let empty = Arc::clone(&empty);
        thread::spawn(move || empty.get_blocking())
    };
    let joiner = {
        let full = Arc::clone(&full);
        thread::spawn(move || full.join_blocking())
    };
    wait_until("all three wait", || {
        full.waiting_putters() == 1 && empty.waiting_getters() == 1 && full.waiting_joiners() == 1
    });
    full.shutdown();
    empty.shutdown();
    assert_eq!(putter.join().unwrap(), Err(PutError(2)));
    assert_eq!(getter.join().unwrap(), Err(GetError));
    assert_eq!(full.waiting_joiners(), 1, "shutdown does not release joins");
    assert_eq!(full.try_get(), Ok(1));
    full.task_done().unwrap();
    joiner.join().unwrap();
}

#[test]
fn a_timeout_cancels_as_a_drop_does_and_hands_the_item_back() {
    // [BLOCK-3] [CANCEL-2] [CANCEL-8]
    let queue = Queue::new(1);
    queue.try_put(1).unwrap();
    let wait = Duration::from_millis(20);
    assert_eq!(
        queue.put_blocking_timeout(2, wait),
        Err(TryPutError::Full(2))
    );
    assert_eq!(queue.waiting_putters(), 0);
    assert_eq!((queue.len(), queue.unfinished_tasks()), (1, 1));
    assert!(!queue.join_blocking_timeout(wait));
    assert_eq!(queue.waiting_joiners(), 0);
    assert_eq!(queue.try_get(), Ok(1));
    assert_eq!(queue.get_blocking_timeout(wait), Err(TryGetError::Empty));
    assert_eq!(queue.waiting_getters(), 0);
    queue.task_done().unwrap();
    assert!(queue.join_blocking_timeout(wait));
}

#[test]
fn a_zero_timeout_is_a_try() {
    // [BLOCK-3] a zero timeout is `try_put`, `try_get`, and a join that
    // answers whether nothing is unfinished.
    let queue = Queue::new(1);
    assert_eq!(queue.put_blocking_timeout(1, Duration::ZERO), Ok(()));
    assert_eq!(
        queue.put_blocking_timeout(2, Duration::ZERO),
        Err(TryPutError::Full(2))
    );
    assert!(!queue.join_blocking_timeout(Duration::ZERO));
    assert_eq!(queue.get_blocking_timeout(Duration::ZERO), Ok(1));
    assert_eq!(
        queue.get_blocking_timeout(Duration::ZERO),
        Err(TryGetError::Empty)
    );
    queue.shutdown();
    assert_eq!(
        queue.put_blocking_timeout(3, Duration::ZERO),
        Err(TryPutError::ShutDown(3))
    );
    assert_eq!(
        queue.get_blocking_timeout(Duration::ZERO),
        Err(TryGetError::ShutDown)
    );
    // A timeout too long for an `Instant` waits without a deadline.
    assert_eq!(
        queue.get_blocking_timeout(Duration::MAX),
        Err(TryGetError::ShutDown)
    );
}

#[test]
fn a_timed_wait_ends_as_soon_as_it_is_served() {
    // [BLOCK-3] [BLOCK-1] served before the deadline: the future's result.
    let queue = Arc::new(Queue::new(0));
    let blocked = {
        let queue = Arc::clone(&queue);
        thread::spawn(move || queue.get_blocking_timeout(Duration::from_secs(60)))
    };
    wait_until("the thread waits", || queue.waiting_getters() == 1);
    queue.try_put('x').unwrap();
    assert_eq!(blocked.join().unwrap(), Ok('x'));
}

// ----- Owned futures -------------------------------------------------------

#[test]
fn owned_futures_are_static_and_can_be_spawned() {
    // [OWNED-1] [POLL-7]
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    runtime.block_on(async {
        let queue = Arc::new(Queue::new(1));
        let getter = tokio::spawn(Arc::clone(&queue).get_owned());
        let joiner = tokio::spawn(Arc::clone(&queue).join_owned());
        tokio::spawn(Arc::clone(&queue).put_owned(5))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(getter.await.unwrap(), Ok(5));
        queue.task_done().unwrap();
        joiner.await.unwrap();
    });
}

#[test]
fn an_owned_put_cancels_and_hands_its_item_back() {
    // [OWNED-1] [CANCEL-8] [CANCEL-3]: cancelled after it was woken, it
    // passes the free slot on to the next putter.
    let queue = Arc::new(Queue::new(1));
    queue.try_put(0).unwrap();
    let (_, waker) = Flag::new();
    let (next, next_waker) = Flag::new();
    let mut first = Arc::clone(&queue).put_owned(1);
    let mut second = Arc::clone(&queue).put_owned(2);
    assert!(poll(&mut first, &waker).is_pending());
    assert!(poll(&mut second, &next_waker).is_pending());
    assert_eq!(queue.try_get(), Ok(0)); // notifies `first`
    assert!(!next.woken());
    assert_eq!(first.cancel(), Some(1));
    assert!(next.woken(), "the wakeup passed on");
    assert_eq!(poll(&mut second, &next_waker), Poll::Ready(Ok(())));
    assert_eq!(second.cancel(), None, "a completed put hands nothing back");
}

// ----- Batch gets ----------------------------------------------------------

#[test]
fn get_many_waits_like_a_get_then_takes_up_to_max_in_one_poll() {
    // [MANY-1] [GET-3]
    let queue = Queue::new(0);
    let (flag, waker) = Flag::new();
    let mut batch = queue.get_many(3);
    assert!(poll(&mut batch, &waker).is_pending());
    assert_eq!(queue.waiting_getters(), 1);
    assert!(format!("{batch:?}").contains("place: Some(1)"), "{batch:?}");
    for item in 1..=4 {
        queue.try_put(item).unwrap();
    }
    assert!(flag.woken());
    assert_eq!(poll(&mut batch, &waker), Poll::Ready(Ok(vec![1, 2, 3])));
    assert_eq!(queue.len(), 1);
    assert_eq!(queue.unfinished_tasks(), 4, "gets leave the count alone");
}

#[test]
fn a_batch_wakes_one_waiting_putter_per_item() {
    // [MANY-2] [TRYGET-2] [TRYGET-3]
    let queue = Queue::new(2);
    queue.try_put(1).unwrap();
    queue.try_put(2).unwrap();
    let flags: Vec<_> = (0..3).map(|_| Flag::new()).collect();
    let mut puts: Vec<_> = (3..6).map(|item| queue.put(item)).collect();
    for (put, (_, waker)) in puts.iter_mut().zip(&flags) {
        assert!(poll(put, waker).is_pending());
    }
    assert_eq!(queue.try_get_many(2), vec![1, 2]);
    let woken: Vec<bool> = flags.iter().map(|(flag, _)| flag.woken()).collect();
    assert_eq!(woken, vec![true, true, false], "the first two putters");
    assert_eq!(queue.waiting_putters(), 1);
    assert_eq!(queue.unfinished_tasks(), 2);
}

#[test]
fn a_batch_of_zero_takes_nothing() {
    // [MANY-3]
    let queue = Queue::new(0);
    queue.try_put(1).unwrap();
    assert!(queue.try_get_many(0).is_empty());
    let (_, waker) = Flag::new();
    assert_eq!(
        poll(&mut queue.get_many(0), &waker),
        Poll::Ready(Ok(vec![]))
    );
    queue.shutdown_immediate();
    assert_eq!(
        poll(&mut queue.get_many(0), &waker),
        Poll::Ready(Ok(vec![]))
    );
    assert_eq!(
        poll(&mut queue.get_many(1), &waker),
        Poll::Ready(Err(GetError))
    );
    assert!(queue.try_get_many(1).is_empty(), "no error, only no items");
}

#[test]
fn a_woken_get_many_that_is_dropped_passes_its_turn_on() {
    // [MANY-1] [CANCEL-3]
    let queue = Queue::new(0);
    let (_, waker) = Flag::new();
    let (next, next_waker) = Flag::new();
    let mut batch = queue.get_many(2);
    let mut get = queue.get();
    assert!(poll(&mut batch, &waker).is_pending());
    assert!(poll(&mut get, &next_waker).is_pending());
    queue.try_put(7).unwrap();
    assert!(!next.woken());
    drop(batch);
    assert!(next.woken());
    assert_eq!(poll(&mut get, &next_waker), Poll::Ready(Ok(7)));
}

/// An item whose `Ord` panics at a chosen comparison, and that counts its
/// drops.
struct Fragile {
    key: u32,
    panic_at: Arc<AtomicUsize>,
    drops: Arc<AtomicUsize>,
}

impl Fragile {
    fn compare(&self, other: &Self) -> std::cmp::Ordering {
        if self.panic_at.fetch_sub(1, SeqCst) == 1 {
            panic!("Fragile::cmp");
        }
        self.key.cmp(&other.key)
    }
}

impl PartialEq for Fragile {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for Fragile {}
impl PartialOrd for Fragile {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Fragile {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.compare(other)
    }
}
impl Drop for Fragile {
    fn drop(&mut self) {
        self.drops.fetch_add(1, SeqCst);
    }
}

/// A `PriorityQueue` of five `Fragile` items sharing `panic_at` and `drops`.
fn five_fragile(panic_at: &Arc<AtomicUsize>, drops: &Arc<AtomicUsize>) -> PriorityQueue<Fragile> {
    let queue = PriorityQueue::new(0);
    for key in [4, 1, 3, 2, 5] {
        let item = Fragile {
            key,
            panic_at: Arc::clone(panic_at),
            drops: Arc::clone(drops),
        };
        assert!(queue.try_put(item).is_ok());
    }
    queue
}

#[test]
fn a_panicking_ord_ends_a_batch_and_drops_only_what_it_took() {
    // [MANY-4] [PANIC-1] [PANIC-2]
    let never = Arc::new(AtomicUsize::new(usize::MAX));
    let drops = Arc::new(AtomicUsize::new(0));
    // How many comparisons the first pop of these five items makes.
    let first_pop = {
        let queue = five_fragile(&never, &drops);
        let taken = queue.try_get_many(1);
        assert_eq!(taken.len(), 1);
        usize::MAX - never.load(SeqCst)
    };
    assert!(first_pop > 0, "a pop compares");
    // The same queue again, where the comparison after the first pop panics.
    let panic_at = Arc::new(AtomicUsize::new(first_pop + 1));
    let drops = Arc::new(AtomicUsize::new(0));
    let queue = five_fragile(&panic_at, &drops);
    let batch = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| queue.try_get_many(5)));
    assert!(batch.is_err(), "the panic reaches the caller");
    panic_at.store(usize::MAX, SeqCst);
    assert_eq!(
        drops.load(SeqCst),
        1,
        "the one item taken was dropped unwinding"
    );
    assert_eq!(queue.len(), 4, "every other item is still there");
    let mut keys: Vec<u32> = queue.try_get_many(8).iter().map(|f| f.key).collect();
    keys.sort_unstable();
    assert_eq!(keys, vec![2, 3, 4, 5], "the smallest was the one taken");
    assert_eq!(queue.unfinished_tasks(), 5, "gets never change the count");
}

// ----- The stream ----------------------------------------------------------

#[cfg(feature = "stream")]
mod stream {
    use super::*;
    use futures::stream::{FusedStream, Stream, StreamExt};

    fn poll_next<S: Stream + Unpin>(stream: &mut S, waker: &Waker) -> Poll<Option<S::Item>> {
        Pin::new(stream).poll_next(&mut Context::from_waker(waker))
    }

    #[test]
    fn the_stream_yields_until_shut_down_and_empty_then_stays_ended() {
        // [STREAM-2] [STREAM-3] [SHUT-2]
        let queue = Queue::new(0);
        let (_, waker) = Flag::new();
        let mut stream = queue.stream();
        queue.try_put(1).unwrap();
        queue.try_put(2).unwrap();
        queue.shutdown();
        assert_eq!(poll_next(&mut stream, &waker), Poll::Ready(Some(1)));
        assert_eq!(poll_next(&mut stream, &waker), Poll::Ready(Some(2)));
        assert!(!stream.is_terminated());
        assert_eq!(poll_next(&mut stream, &waker), Poll::Ready(None));
        assert!(stream.is_terminated());
        assert_eq!(poll_next(&mut stream, &waker), Poll::Ready(None));
        assert_eq!(queue.unfinished_tasks(), 2, "task_done is the caller's");
    }

    #[test]
    fn a_waiting_stream_is_a_getter_in_line() {
        // [STREAM-1] [GET-3] [WAKE-1]
        let queue = Queue::new(0);
        let (flag, waker) = Flag::new();
        let mut get = queue.get();
        let mut stream = queue.stream();
        assert!(poll(&mut get, &waker).is_pending());
        assert!(poll_next(&mut stream, &waker).is_pending());
        assert_eq!(queue.waiting_getters(), 2);
        assert!(
            format!("{stream:?}").contains("place: Some(2)"),
            "{stream:?}"
        );
        assert_eq!(poll(&mut get, &waker), Poll::Pending);
        queue.try_put(1).unwrap();
        assert!(flag.woken());
        assert_eq!(
            poll_next(&mut stream, &waker),
            Poll::Pending,
            "not its turn"
        );
        assert_eq!(poll(&mut get, &waker), Poll::Ready(Ok(1)));
        queue.try_put(2).unwrap();
        assert_eq!(poll_next(&mut stream, &waker), Poll::Ready(Some(2)));
        assert_eq!(
            queue.waiting_getters(),
            0,
            "between items it holds no place"
        );
    }

    #[test]
    fn a_woken_stream_that_is_dropped_passes_its_turn_on() {
        // [STREAM-1] [CANCEL-3]
        let queue = Queue::new(0);
        let (_, waker) = Flag::new();
        let (next, next_waker) = Flag::new();
        let mut stream = queue.stream();
        let mut get = queue.get();
        assert!(poll_next(&mut stream, &waker).is_pending());
        assert!(poll(&mut get, &next_waker).is_pending());
        queue.try_put(3).unwrap();
        drop(stream);
        assert!(next.woken());
        assert_eq!(poll(&mut get, &next_waker), Poll::Ready(Ok(3)));
    }

    #[test]
    fn into_stream_is_static_and_ends_at_shutdown() {
        // [OWNED-1] [STREAM-2]
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(async {
            let queue = Arc::new(Queue::new(2));
            let consumer = tokio::spawn(Arc::clone(&queue).into_stream().collect::<Vec<u32>>());
            for item in 0..5 {
                queue.put(item).await.unwrap();
            }
            queue.shutdown();
            assert_eq!(consumer.await.unwrap(), vec![0, 1, 2, 3, 4]);
        });
    }
}
