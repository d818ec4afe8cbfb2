//! 4 producer tasks and 4 consumer tasks on tokio's multi-thread runtime
//! (2 workers), moving `AIOQUEUE_BENCH_ITEMS` (default 1,000,000) `u64`s in
//! all, bounded 64 and unbounded; against the MPMC peers.
#![forbid(unsafe_code)]

use aioqueue_bench::workloads::{bench_throughput, Peer};
use aioqueue_bench::Capacity;
use criterion::{criterion_group, criterion_main, Criterion};

const CAPACITIES: [Capacity; 2] = [Capacity::Bounded(64), Capacity::Unbounded];

// tokio's mpsc has one receiver: not a peer here.
const PEERS: [Peer; 4] = [Peer::Aioqueue, Peer::AsyncChannel, Peer::Flume, Peer::Kanal];

fn mpmc(c: &mut Criterion) {
    bench_throughput(c, "mpmc", 4, &CAPACITIES, &PEERS);
}

criterion_group!(benches, mpmc);
criterion_main!(benches);
