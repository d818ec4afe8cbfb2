//! `try_put` + `try_get` pairs on one thread, nobody waiting: the cost of the
//! lock and the bookkeeping alone. Every queue and channel has capacity 1024
//! and is empty between pairs. `Mutex<VecDeque>` (lock, push, unlock; lock,
//! pop, unlock) is the practical floor; `Mutex<BinaryHeap>` is the same floor
//! for the priority queue. `aioqueue-local-Queue` is `aioqueue::local::Queue`,
//! whose `RefCell` costs no atomic instruction.
#![forbid(unsafe_code)]

use std::collections::{BinaryHeap, VecDeque};
use std::hint::black_box;
use std::sync::Mutex;

use aioqueue::{GenericQueue, LifoQueue, Lock, Order, PriorityQueue, Queue};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const CAPACITY: usize = 1024;

fn aioqueue_pairs<O: Order<u64>, L: Lock>(
    c: &mut Criterion,
    name: &str,
    queue: GenericQueue<u64, O, L>,
) {
    let mut group = c.benchmark_group("uncontended");
    group.throughput(Throughput::Elements(1));
    group.bench_function(name, |b| {
        let mut item = 0u64;
        b.iter(|| {
            item = item.wrapping_add(1);
            queue.try_put(black_box(item)).unwrap();
            black_box(queue.try_get().unwrap())
        })
    });
    group.finish();
}

fn uncontended(c: &mut Criterion) {
    aioqueue_pairs(c, "aioqueue-Queue", Queue::new(CAPACITY));
    aioqueue_pairs(c, "aioqueue-LifoQueue", LifoQueue::new(CAPACITY));
    aioqueue_pairs(c, "aioqueue-PriorityQueue", PriorityQueue::new(CAPACITY));
    aioqueue_pairs(
        c,
        "aioqueue-local-Queue",
        aioqueue::local::Queue::new(CAPACITY),
    );

    let mut group = c.benchmark_group("uncontended");
    group.throughput(Throughput::Elements(1));

    group.bench_function("baseline-Mutex-VecDeque", |b| {
        let deque = Mutex::new(VecDeque::with_capacity(CAPACITY));
        let mut item = 0u64;
        b.iter(|| {
            item = item.wrapping_add(1);
            {
                let mut deque = deque.lock().unwrap();
                if deque.len() < CAPACITY {
                    deque.push_back(black_box(item));
                }
            }
            black_box(deque.lock().unwrap().pop_front().unwrap())
        })
    });

    group.bench_function("baseline-Mutex-BinaryHeap", |b| {
        let heap = Mutex::new(BinaryHeap::with_capacity(CAPACITY));
        let mut item = 0u64;
        b.iter(|| {
            item = item.wrapping_add(1);
            {
                let mut heap = heap.lock().unwrap();
                if heap.len() < CAPACITY {
                    heap.push(black_box(item));
                }
            }
            black_box(heap.lock().unwrap().pop().unwrap())
        })
    });

    group.bench_function("tokio-mpsc", |b| {
        let (tx, mut rx) = tokio::sync::mpsc::channel(CAPACITY);
        let mut item = 0u64;
        b.iter(|| {
            item = item.wrapping_add(1);
            tx.try_send(black_box(item)).unwrap();
            black_box(rx.try_recv().unwrap())
        })
    });

    group.bench_function("async-channel", |b| {
        let (tx, rx) = async_channel::bounded(CAPACITY);
        let mut item = 0u64;
        b.iter(|| {
            item = item.wrapping_add(1);
            tx.try_send(black_box(item)).unwrap();
            black_box(rx.try_recv().unwrap())
        })
    });

    group.bench_function("flume", |b| {
        let (tx, rx) = flume::bounded(CAPACITY);
        let mut item = 0u64;
        b.iter(|| {
            item = item.wrapping_add(1);
            tx.try_send(black_box(item)).unwrap();
            black_box(rx.try_recv().unwrap())
        })
    });

    group.bench_function(aioqueue_bench::workloads::Peer::Kanal.name(), |b| {
        let (tx, rx) = kanal::bounded(CAPACITY);
        let mut item = 0u64;
        b.iter(|| {
            item = item.wrapping_add(1);
            assert!(tx.try_send(black_box(item)).unwrap(), "room");
            black_box(rx.try_recv().unwrap().unwrap())
        })
    });

    group.finish();
}

criterion_group!(benches, uncontended);
criterion_main!(benches);
