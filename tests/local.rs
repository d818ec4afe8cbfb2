//! The one-thread queues of `aioqueue::local` on the executors they are
//! for, and the one rule of their own: operations do not nest
//! (docs/semantics.md LOCAL-1, LOCAL-2). Every other rule is judged on them
//! by the simulator's families and the CPython oracle, as on the
//! thread-safe queues.

use std::cell::Cell;
use std::cmp::Ordering;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use aioqueue::local;
use futures::executor::LocalPool;
use futures::task::LocalSpawnExt;

/// The message of a nested operation's panic (LOCAL-2).
const NESTED: &str = "aioqueue: a local queue was used from inside one of its own operations";

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .unwrap_or_default(),
    }
}

#[test]
fn producers_consumers_and_join_on_a_local_pool() {
    // LOCAL-1: tasks sharing an `Rc`'d local queue, spawned with
    // `spawn_local`, borrowing (producers) and owned (consumers' gets, the
    // join) futures; FIFO per producer, every item once, join released.
    let mut pool = LocalPool::new();
    let spawner = pool.spawner();
    let queue = Rc::new(local::Queue::new(2));
    let taken = Rc::new(std::cell::RefCell::new(Vec::new()));
    let producers: Vec<_> = (0..3u32)
        .map(|producer| {
            let queue = Rc::clone(&queue);
            spawner
                .spawn_local_with_handle(async move {
                    for i in 0..50 {
                        queue.put(producer * 100 + i).await.unwrap();
                    }
                })
                .unwrap()
        })
        .collect();
    for _ in 0..2 {
        let (queue, taken) = (Rc::clone(&queue), Rc::clone(&taken));
        spawner
            .spawn_local(async move {
                while let Ok(item) = Rc::clone(&queue).get_owned().await {
                    taken.borrow_mut().push(item);
                    queue.task_done().unwrap();
                }
            })
            .unwrap();
    }
    pool.run_until(async {
        for producer in producers {
            producer.await;
        }
        Rc::clone(&queue).join_owned().await;
    });
    queue.shutdown();
    pool.run();
    let taken = taken.borrow();
    assert_eq!(taken.len(), 150);
    for producer in 0..3u32 {
        let own: Vec<u32> = taken
            .iter()
            .copied()
            .filter(|i| i / 100 == producer)
            .collect();
        assert_eq!(own, (0..50).map(|i| producer * 100 + i).collect::<Vec<_>>());
    }
    assert_eq!(queue.unfinished_tasks(), 0);
    assert_eq!((queue.waiting_getters(), queue.waiting_putters()), (0, 0));
}

#[test]
fn tokio_current_thread_local_set() {
    // LOCAL-1: `tokio::task::spawn_local` takes the non-`Send` futures.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let local_set = tokio::task::LocalSet::new();
    let sum = local_set.block_on(&runtime, async {
        let queue = Rc::new(local::PriorityQueue::new(4));
        let producer = {
            let queue = Rc::clone(&queue);
            tokio::task::spawn_local(async move {
                for i in (0..20).rev() {
                    queue.put(i).await.unwrap();
                }
                queue.shutdown();
            })
        };
        let mut seen = Vec::new();
        while let Ok(item) = queue.get().await {
            seen.push(item);
            tokio::task::yield_now().await;
        }
        producer.await.unwrap();
        assert_eq!(seen.len(), 20);
        seen.iter().sum::<i32>()
    });
    assert_eq!(sum, (0..20).sum());
}

/// An item whose `Ord` reads its own queue's length while `nosy` is set.
struct Nosy {
    key: u32,
    queue: Rc<Cell<Option<std::rc::Weak<local::PriorityQueue<Nosy>>>>>,
}

impl Nosy {
    fn peek(&self) {
        if let Some(queue) = self.queue.take() {
            self.queue.set(Some(queue.clone()));
            if let Some(queue) = queue.upgrade() {
                let _ = queue.len();
            }
        }
    }
}

impl PartialEq for Nosy {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for Nosy {}
impl PartialOrd for Nosy {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Nosy {
    fn cmp(&self, other: &Self) -> Ordering {
        self.peek();
        self.key.cmp(&other.key)
    }
}

#[test]
fn an_ord_that_uses_its_own_local_queue_panics_and_the_queue_stays_usable() {
    // LOCAL-2: the nested `len()` panics with its message; the put that ran
    // the `Ord` then panics as a put with a panicking `Ord` does (PANIC-3:
    // its item is in the buffer and counted), and the queue serves on.
    let queue = Rc::new(local::PriorityQueue::new(0));
    let hook = Rc::new(Cell::new(None));
    let item = |key| Nosy {
        key,
        queue: Rc::clone(&hook),
    };
    queue.try_put(item(2)).unwrap(); // no comparison yet
    hook.set(Some(Rc::downgrade(&queue)));
    let payload = catch_unwind(AssertUnwindSafe(|| queue.try_put(item(1))))
        .expect_err("a nested operation must panic");
    assert!(
        panic_message(payload).starts_with(NESTED),
        "the panic names what happened"
    );
    hook.set(None);
    assert_eq!(queue.len(), 2);
    assert_eq!(queue.unfinished_tasks(), 2);
    // Both items are there; their order after a panicking push is
    // unspecified (PANIC-3, PANIC-4).
    let mut keys: Vec<u32> = queue.try_get_many(2).iter().map(|n| n.key).collect();
    keys.sort_unstable();
    assert_eq!(keys, vec![1, 2]);
    // A nested use outside any operation is an ordinary call.
    hook.set(Some(Rc::downgrade(&queue)));
    item(3).peek();
}

// A waker whose last drop reads the queue's length. `Wake` requires
// `Send + Sync`, so the queue is reached through a thread-local.
thread_local! {
    static WATCHED: Cell<Option<std::rc::Weak<local::Queue<u8>>>> = const { Cell::new(None) };
}

/// See `WATCHED`.
struct DropReadsQueue;

impl Wake for DropReadsQueue {
    fn wake(self: Arc<Self>) {}
}

impl Drop for DropReadsQueue {
    fn drop(&mut self) {
        if let Some(queue) = WATCHED.with(Cell::take).and_then(|weak| weak.upgrade()) {
            let _ = queue.len();
        }
    }
}

#[test]
fn a_waker_dropped_under_the_borrow_that_uses_the_queue_panics() {
    // LOCAL-2: a waiting get re-polled with another waker drops its old
    // waker inside the operation; that waker's `drop` uses the queue.
    let queue = Rc::new(local::Queue::<u8>::new(0));
    let mut get = pin!(queue.get());
    let nosy = Waker::from(Arc::new(DropReadsQueue));
    assert!(get
        .as_mut()
        .poll(&mut Context::from_waker(&nosy))
        .is_pending());
    drop(nosy); // the queue now holds the only clone
    WATCHED.with(|watched| watched.set(Some(Rc::downgrade(&queue))));
    let payload = catch_unwind(AssertUnwindSafe(|| {
        get.as_mut().poll(&mut Context::from_waker(Waker::noop()))
    }))
    .expect_err("a nested operation must panic");
    assert!(panic_message(payload).starts_with(NESTED));
    // The queue serves on: the getter still waits, and an item reaches it.
    assert_eq!(queue.waiting_getters(), 1);
    queue.try_put(7).unwrap();
    assert_eq!(
        get.as_mut().poll(&mut Context::from_waker(Waker::noop())),
        Poll::Ready(Ok(7))
    );
}
