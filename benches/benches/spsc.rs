//! One producer task and one consumer task on tokio's multi-thread runtime
//! (2 workers), moving `AIOQUEUE_BENCH_ITEMS` (default 1,000,000) `u64`s
//! through a queue of capacity 1, 64, 1024 and unbounded; and the same at
//! capacity 64 and unbounded on one thread, as asyncio itself runs: tokio's
//! `current_thread` runtime (`spsc-1thread`) and `futures`' `LocalPool`
//! (`spsc-localpool`), where `aioqueue::local::Queue` runs too.
#![forbid(unsafe_code)]

use aioqueue_bench::workloads::{bench_throughput, bench_throughput_on, Executor, Peer};
use aioqueue_bench::{one_thread_runtime, Capacity};
use criterion::{criterion_group, criterion_main, Criterion};

const CAPACITIES: [Capacity; 4] = [
    Capacity::Bounded(1),
    Capacity::Bounded(64),
    Capacity::Bounded(1024),
    Capacity::Unbounded,
];

const PEERS: [Peer; 5] = [
    Peer::Aioqueue,
    Peer::TokioMpsc,
    Peer::AsyncChannel,
    Peer::Flume,
    Peer::Kanal,
];

/// On one thread, `aioqueue::local::Queue` too: on tokio in a `LocalSet`
/// (`spawn_local`), as its futures are not `Send`.
const ONE_THREAD_PEERS: [Peer; 6] = [
    Peer::Aioqueue,
    Peer::AioqueueLocal,
    Peer::TokioMpsc,
    Peer::AsyncChannel,
    Peer::Flume,
    Peer::Kanal,
];

fn spsc(c: &mut Criterion) {
    bench_throughput(c, "spsc", 1, &CAPACITIES, &PEERS);
    let one_thread = [Capacity::Bounded(64), Capacity::Unbounded];
    for (executor, group) in [
        (Executor::Tokio(one_thread_runtime()), "spsc-1thread"),
        (Executor::LocalPool, "spsc-localpool"),
    ] {
        bench_throughput_on(&executor, c, group, 1, &one_thread, &ONE_THREAD_PEERS);
    }
}

criterion_group!(benches, spsc);
criterion_main!(benches);
