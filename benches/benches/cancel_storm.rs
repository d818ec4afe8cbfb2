//! A million `get` futures on an empty queue, each polled once (so each
//! waits in the getters' list), then all dropped (cancelled): the time of
//! that, and the memory left behind, which must be none.
//!
//! Dropped in arrival order (`in_order`: each leaves from the front),
//! in reverse (each leaves from the back), and shuffled (each leaves from
//! the middle of the list).
//!
//! Memory: this binary's global allocator is `stats_alloc`'s counting
//! wrapper around `std::alloc::System` (its `unsafe impl GlobalAlloc` lives in
//! that crate; this one stays `forbid(unsafe_code)`). Live heap bytes are
//! read before the storm (queue created, the `Vec` that holds the futures
//! allocated) and after the futures are dropped, and must be equal: nothing
//! else allocates in this single-threaded binary meanwhile, so the queue
//! itself gave back everything the storm made it allocate. The peak
//! (bytes per waiting getter) and the process RSS from `/proc/self/statm`
//! are recorded too, in `extras/cancel_storm.json`.
#![forbid(unsafe_code)]

use std::alloc::System;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aioqueue::Queue;
use aioqueue_bench::{poll_once, rss_bytes, write_extra, XorShift};
use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};
use futures::task::noop_waker;
use stats_alloc::{StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const GETTERS: usize = 1_000_000;

#[derive(Clone, Copy, Debug)]
enum DropOrder {
    InOrder,
    Reverse,
    Shuffled,
}

impl DropOrder {
    fn name(self) -> &'static str {
        match self {
            DropOrder::InOrder => "in_order",
            DropOrder::Reverse => "reverse",
            DropOrder::Shuffled => "shuffled",
        }
    }
}

fn live_heap_bytes() -> i64 {
    let stats = GLOBAL.stats();
    stats.bytes_allocated as i64 - stats.bytes_deallocated as i64
}

static STORMS: AtomicU64 = AtomicU64::new(0);
/// The largest |live bytes after - live bytes before| over every storm.
static WORST_LEFT_BEHIND: AtomicI64 = AtomicI64::new(0);
/// Live bytes with every getter waiting, minus before (last storm).
static PEAK_GROWTH: AtomicI64 = AtomicI64::new(0);
/// Process RSS after the first storm and after the latest one: the
/// allocator may keep freed pages, but a leak would grow it storm by storm.
static RSS_AFTER_FIRST: AtomicU64 = AtomicU64::new(0);
static RSS_AFTER_LAST: AtomicU64 = AtomicU64::new(0);

/// One storm; returns the time of polling and dropping the futures.
fn storm(order: DropOrder, shuffle_seed: &mut XorShift) -> Duration {
    let queue = Queue::<u64>::new(0);
    let waker = noop_waker();
    let mut getters = Vec::with_capacity(GETTERS);
    let before = live_heap_bytes();

    let start = Instant::now();
    for _ in 0..GETTERS {
        let mut getter = queue.get();
        assert!(poll_once(&mut getter, &waker).is_pending());
        getters.push(getter);
    }
    let mut elapsed = start.elapsed();

    let peak = live_heap_bytes();
    if let DropOrder::Shuffled = order {
        for i in (1..getters.len()).rev() {
            let j = (shuffle_seed.next_u64() % (i as u64 + 1)) as usize;
            getters.swap(i, j);
        }
    }

    let start = Instant::now();
    match order {
        DropOrder::InOrder | DropOrder::Shuffled => getters.clear(),
        DropOrder::Reverse => while getters.pop().is_some() {},
    }
    elapsed += start.elapsed();

    let after = live_heap_bytes();
    assert_eq!(queue.len(), 0);
    let left_behind = after - before;
    WORST_LEFT_BEHIND.fetch_max(left_behind.abs(), Ordering::SeqCst);
    PEAK_GROWTH.store(peak - before, Ordering::SeqCst);
    let rss = rss_bytes().unwrap_or(0);
    if STORMS.fetch_add(1, Ordering::SeqCst) == 0 {
        RSS_AFTER_FIRST.store(rss, Ordering::SeqCst);
    }
    RSS_AFTER_LAST.store(rss, Ordering::SeqCst);
    assert_eq!(
        left_behind, 0,
        "the queue kept {left_behind} bytes after the storm"
    );
    elapsed
}

fn cancel_storm(c: &mut Criterion) {
    let mut group = c.benchmark_group("cancel_storm");
    group.throughput(Throughput::Elements(GETTERS as u64));
    group.sample_size(10);
    let mut shuffle_seed = XorShift::new(0xc0ffee);
    for order in [DropOrder::InOrder, DropOrder::Reverse, DropOrder::Shuffled] {
        group.bench_with_input(
            BenchmarkId::new("aioqueue", order.name()),
            &order,
            |b, &order| {
                b.iter_custom(|iters| (0..iters).map(|_| storm(order, &mut shuffle_seed)).sum())
            },
        );
    }
    group.finish();
}

criterion_group!(benches, cancel_storm);

fn main() {
    benches();
    let storms = STORMS.load(Ordering::SeqCst);
    if storms > 0 {
        let worst = WORST_LEFT_BEHIND.load(Ordering::SeqCst);
        let peak = PEAK_GROWTH.load(Ordering::SeqCst);
        let per_getter = peak as f64 / GETTERS as f64;
        let rss_first = RSS_AFTER_FIRST.load(Ordering::SeqCst);
        let rss_last = RSS_AFTER_LAST.load(Ordering::SeqCst);
        println!(
            "cancel_storm: {storms} storms of {GETTERS} getters; worst heap bytes left behind \
             by the queue: {worst}; peak heap growth {peak} B ({per_getter:.1} B per waiting \
             getter); RSS after the first storm {rss_first} B, after the last {rss_last} B"
        );
        write_extra(
            "cancel_storm",
            &format!(
                "{{\"storms\": {storms}, \"getters\": {GETTERS}, \"worst_bytes_left_behind\": {worst}, \
                 \"peak_growth_bytes\": {peak}, \"rss_after_first\": {rss_first}, \
                 \"rss_after_last\": {rss_last}}}\n"
            ),
        );
    }
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
