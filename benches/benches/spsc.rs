//! One producer task and one consumer task on tokio's multi-thread runtime
//! (2 workers), moving `AIOQUEUE_BENCH_ITEMS` (default 1,000,000) `u64`s
//! through a queue of capacity 1, 64, 1024 and unbounded.
#![forbid(unsafe_code)]

use aioqueue_bench::workloads::{run, Peer};
use aioqueue_bench::{items, runtime, Capacity};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

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
    let rt = runtime();
    let items = items(1_000_000);
    let mut group = c.benchmark_group("spsc");
    group.throughput(Throughput::Elements(items));
    group.sample_size(10);
    for capacity in CAPACITIES {
        for peer in PEERS {
            group.bench_with_input(
                BenchmarkId::new(peer.name(), capacity.label()),
                &capacity,
                |b, &capacity| b.iter(|| rt.block_on(run(peer, capacity, 1, 1, items))),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, spsc);
criterion_main!(benches);
