//! One producer task and one consumer task on tokio's multi-thread runtime
//! (2 workers), moving `AIOQUEUE_BENCH_ITEMS` (default 1,000,000) `u64`s
//! through a queue of capacity 1, 64, 1024 and unbounded.
#![forbid(unsafe_code)]

use aioqueue_bench::workloads::{bench_throughput, Peer};
use aioqueue_bench::Capacity;
use criterion::{criterion_group, criterion_main, Criterion};

const CAPACITIES: [Capacity; 4] = [
    Capacity::Bounded(1),
    Capacity::Bounded(64),
    Capacity::Bounded(1024),
    Capacity::Unbounded,
];

const PEERS: [Peer; 4] = [
    Peer::Aioqueue,
    Peer::TokioMpsc,
    Peer::AsyncChannel,
    Peer::Flume,
];

fn spsc(c: &mut Criterion) {
    bench_throughput(c, "spsc", 1, &CAPACITIES, &PEERS);
}

criterion_group!(benches, spsc);
criterion_main!(benches);
