//! `PriorityQueue` against `async-priority-channel`, 100,000 items with
//! pseudo-random `u64` priorities (the same ones for both, fixed seed).
//!
//! - `fill_drain`: one thread puts every item (`try_put`/`try_send`), then
//!   takes every item (`try_get`/`try_recv`). `Mutex<BinaryHeap>` is the floor.
//! - `spsc`: a producer task and a consumer task on tokio's multi-thread
//!   runtime (2 workers), capacity 1024, `put`/`send` and `get`/`recv` awaited.
//!
//! Items are `(payload, priority)` pairs ordered by priority alone, which is
//! how async-priority-channel orders them too.
#![forbid(unsafe_code)]

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::sync::{Arc, Mutex};

use aioqueue::PriorityQueue;
use aioqueue_bench::{runtime, XorShift};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const SEED: u64 = 0x5eed_a10c;
const CAPACITY: usize = 1024;
const COUNT: usize = 100_000;

/// An item ordered by its priority alone.
#[derive(Debug)]
struct Job {
    priority: u64,
    payload: u64,
}

impl PartialEq for Job {
    fn eq(&self, other: &Self) -> bool {
        self.priority == other.priority
    }
}

impl Eq for Job {}

impl PartialOrd for Job {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Job {
    fn cmp(&self, other: &Self) -> Ordering {
        self.priority.cmp(&other.priority)
    }
}

fn fill_drain(c: &mut Criterion, priorities: &Arc<Vec<u64>>) {
    let count = priorities.len() as u64;
    let mut group = c.benchmark_group("priority-fill_drain");
    group.throughput(Throughput::Elements(count));
    group.sample_size(20);

    group.bench_function("aioqueue", |b| {
        b.iter(|| {
            let queue = PriorityQueue::new(0);
            for (payload, &priority) in priorities.iter().enumerate() {
                let payload = payload as u64;
                queue.try_put(Job { priority, payload }).unwrap();
            }
            let (mut last, mut sum) = (0, 0);
            while let Ok(job) = queue.try_get() {
                assert!(job.priority >= last, "smallest first");
                (last, sum) = (job.priority, sum + job.payload);
            }
            assert_eq!(sum, count * (count - 1) / 2);
            black_box(sum)
        })
    });

    group.bench_function("async-priority-channel", |b| {
        b.iter(|| {
            let (tx, rx) = async_priority_channel::unbounded();
            for (payload, &priority) in priorities.iter().enumerate() {
                tx.try_send(payload as u64, priority).unwrap();
            }
            let (mut last, mut sum) = (u64::MAX, 0);
            while let Ok((payload, priority)) = rx.try_recv() {
                assert!(priority <= last, "largest first");
                (last, sum) = (priority, sum + payload);
            }
            assert_eq!(sum, count * (count - 1) / 2);
            black_box(sum)
        })
    });

    group.bench_function("baseline-Mutex-BinaryHeap", |b| {
        b.iter(|| {
            let heap = Mutex::new(BinaryHeap::new());
            for (payload, &priority) in priorities.iter().enumerate() {
                let payload = payload as u64;
                heap.lock().unwrap().push(Job { priority, payload });
            }
            let (mut last, mut sum) = (u64::MAX, 0);
            while let Some(job) = heap.lock().unwrap().pop() {
                assert!(job.priority <= last, "largest first");
                (last, sum) = (job.priority, sum + job.payload);
            }
            assert_eq!(sum, count * (count - 1) / 2);
            black_box(sum)
        })
    });
    group.finish();
}

fn spsc(c: &mut Criterion, priorities: &Arc<Vec<u64>>) {
    let rt = runtime();
    let count = priorities.len() as u64;
    let mut group = c.benchmark_group("priority-spsc");
    group.throughput(Throughput::Elements(count));
    group.sample_size(20);

    group.bench_function("aioqueue", |b| {
        b.iter(|| {
            rt.block_on(async {
                let queue = Arc::new(PriorityQueue::new(CAPACITY));
                let producer = {
                    let (queue, priorities) = (Arc::clone(&queue), Arc::clone(priorities));
                    tokio::spawn(async move {
                        for (payload, &priority) in priorities.iter().enumerate() {
                            let payload = payload as u64;
                            queue.put(Job { priority, payload }).await.unwrap();
                        }
                    })
                };
                let consumer = tokio::spawn(async move {
                    let mut sum = 0;
                    for _ in 0..count {
                        sum += queue.get().await.unwrap().payload;
                    }
                    sum
                });
                producer.await.unwrap();
                assert_eq!(consumer.await.unwrap(), count * (count - 1) / 2);
            })
        })
    });

    group.bench_function("async-priority-channel", |b| {
        b.iter(|| {
            rt.block_on(async {
                let (tx, rx) = async_priority_channel::bounded(CAPACITY as u64);
                let producer = {
                    let priorities = Arc::clone(priorities);
                    tokio::spawn(async move {
                        for (payload, &priority) in priorities.iter().enumerate() {
                            tx.send(payload as u64, priority).await.unwrap();
                        }
                    })
                };
                let consumer = tokio::spawn(async move {
                    let mut sum = 0;
                    for _ in 0..count {
                        sum += rx.recv().await.unwrap().0;
                    }
                    sum
                });
                producer.await.unwrap();
                assert_eq!(consumer.await.unwrap(), count * (count - 1) / 2);
            })
        })
    });
    group.finish();
}

fn priority(c: &mut Criterion) {
    let priorities = Arc::new(XorShift::priorities(SEED, COUNT));
    fill_drain(c, &priorities);
    spsc(c, &priorities);
}

criterion_group!(benches, priority);
criterion_main!(benches);
