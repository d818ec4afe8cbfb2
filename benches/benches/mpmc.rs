//! 4 producer tasks and 4 consumer tasks on tokio's multi-thread runtime
//! (2 workers), moving `AIOQUEUE_BENCH_ITEMS` (default 1,000,000) `u64`s in
//! all, bounded 64 and unbounded; against the MPMC peers.
#![forbid(unsafe_code)]

use aioqueue_bench::workloads::{run, Peer};
use aioqueue_bench::{items, runtime, Capacity};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const CAPACITIES: [Capacity; 2] = [Capacity::Bounded(64), Capacity::Unbounded];

// tokio's mpsc has one receiver: not a peer here.
const PEERS: [Peer; 3] = [Peer::Aioqueue, Peer::AsyncChannel, Peer::Flume];

fn mpmc(c: &mut Criterion) {
    let rt = runtime();
    let items = items(1_000_000);
    let mut group = c.benchmark_group("mpmc");
    group.throughput(Throughput::Elements(items));
    group.sample_size(10);
    for capacity in CAPACITIES {
        for peer in PEERS {
            group.bench_with_input(
                BenchmarkId::new(peer.name(), capacity.label()),
                &capacity,
                |b, &capacity| b.iter(|| rt.block_on(run(peer, capacity, 4, 4, items))),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, mpmc);
criterion_main!(benches);
