//! Construction and the read-only accessors (docs/semantics.md NEW-*,
//! SIZE-*, COUNT-1, SHUT-9): what they return, and that reading changes
//! nothing and wakes nobody.

use std::future::Future;
use std::task::Context;

use aioqueue::{GenericQueue, LifoQueue, Order, PriorityQueue, Queue};

mod common;
use common::counter;

/// Everything the accessors say, in one string.
fn read<T, O: Order<T>>(queue: &GenericQueue<T, O>) -> String {
    format!(
        "maxsize {} len {} empty {} full {} unfinished {} shutdown {} waiting {}/{}/{}",
        queue.maxsize(),
        queue.len(),
        queue.is_empty(),
        queue.is_full(),
        queue.unfinished_tasks(),
        queue.is_shutdown(),
        queue.waiting_getters(),
        queue.waiting_putters(),
        queue.waiting_joiners()
    )
}

fn new_queues_start_empty<O: Order<u32>>() {
    // docs/semantics.md NEW-1, NEW-2, SIZE-1..4, COUNT-1, SHUT-9.
    let fresh = "unfinished 0 shutdown false waiting 0/0/0";
    for (queue, maxsize) in [
        (GenericQueue::<u32, O>::new(3), 3),
        (GenericQueue::new(0), 0),
    ] {
        assert_eq!(
            read(&queue),
            format!("maxsize {maxsize} len 0 empty true full false {fresh}")
        );
    }
    assert_eq!(
        read(&GenericQueue::<u32, O>::default()),
        format!("maxsize 0 len 0 empty true full false {fresh}")
    );
}

#[test]
fn new_and_default_make_an_empty_queue_of_each_kind() {
    new_queues_start_empty::<aioqueue::Fifo<u32>>();
    new_queues_start_empty::<aioqueue::Lifo<u32>>();
    new_queues_start_empty::<aioqueue::Priority<u32>>();
    // The aliases are the same queues.
    assert_eq!(read(&Queue::<u32>::new(2)), read(&LifoQueue::<u32>::new(2)));
    assert_eq!(
        read(&Queue::<u32>::new(2)),
        read(&PriorityQueue::<u32>::new(2))
    );
}

#[test]
fn full_at_maxsize_and_never_full_when_unbounded() {
    // docs/semantics.md SIZE-2, SIZE-3, SIZE-4, STATE-7, DIFF-1: maxsize is
    // a usize, 0 is unbounded, and is_full() is `len >= maxsize > 0`.
    let bounded = Queue::new(2);
    let unbounded = Queue::new(0);
    let huge = Queue::new(usize::MAX);
    for i in 0..3 {
        let _ = bounded.try_put(i);
        unbounded.try_put(i).unwrap();
        huge.try_put(i).unwrap();
    }
    assert_eq!(
        (bounded.len(), bounded.is_full(), bounded.is_empty()),
        (2, true, false)
    );
    assert_eq!((unbounded.len(), unbounded.is_full()), (3, false));
    assert_eq!(
        (huge.maxsize(), huge.len(), huge.is_full()),
        (usize::MAX, 3, false)
    );
    for _ in 0..1000 {
        unbounded.try_put(7).unwrap();
    }
    assert!(!unbounded.is_full());
}

#[test]
fn reading_changes_nothing_and_wakes_nobody() {
    // docs/semantics.md SIZE-5, DEBUG-3: with a getter, a putter and a
    // joiner waiting (on two queues), every accessor and Debug, read
    // twice, give the same answers and wake nobody.
    let (count, waker) = counter();
    let mut cx = Context::from_waker(&waker);
    let empty = Queue::<u32>::new(1);
    let full = Queue::<u32>::new(1);
    full.try_put(1).unwrap();
    let mut get = Box::pin(empty.get());
    let mut put = Box::pin(full.put(2));
    let mut join = Box::pin(full.join());
    assert!(get.as_mut().poll(&mut cx).is_pending());
    assert!(put.as_mut().poll(&mut cx).is_pending());
    assert!(join.as_mut().poll(&mut cx).is_pending());
    let first = (read(&empty), read(&full), format!("{empty:?} {full:?}"));
    let second = (read(&empty), read(&full), format!("{empty:?} {full:?}"));
    assert_eq!(first, second);
    assert_eq!(
        first.1,
        "maxsize 1 len 1 empty false full true unfinished 1 shutdown false waiting 0/1/1"
    );
    assert_eq!(empty.waiting_getters(), 1);
    assert_eq!(count.wakes(), 0);
}

#[test]
fn bounded_unbounded_and_capacity() {
    // docs/semantics.md NEW-3, SIZE-6.
    use std::num::NonZeroUsize;
    let two = NonZeroUsize::new(2).expect("2 is not 0");
    let bounded = Queue::<u32>::bounded(two);
    assert_eq!(read(&bounded), read(&Queue::<u32>::new(2)));
    assert_eq!((bounded.capacity(), bounded.maxsize()), (Some(2), 2));
    let unbounded = PriorityQueue::<u32>::unbounded();
    assert_eq!(read(&unbounded), read(&PriorityQueue::<u32>::new(0)));
    assert_eq!(unbounded.capacity(), None);
    assert_eq!(
        LifoQueue::<u32>::new(usize::MAX).capacity(),
        Some(usize::MAX)
    );
    bounded.try_put(1).unwrap();
    bounded.try_put(2).unwrap();
    assert!(bounded.is_full());
    assert_eq!(bounded.capacity(), Some(2));
}
