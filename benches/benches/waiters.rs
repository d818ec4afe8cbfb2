//! N tasks blocked in `get` (N = 10, 1,000 and 100,000), then items put one
//! at a time.
//!
//! Each waiting `get` is a real `aioqueue::Get` future polled by hand with a
//! waker of its own that counts its wakes and records who it woke. One
//! measured step: `try_put(item)`; exactly one waker must have fired (the
//! first in line, FIFO); poll that getter, which must complete with the item;
//! replace it by a new `get` polled once, so it waits again at the back and
//! N stays constant. Time per item must not depend on N; wakes per item must
//! be exactly 1 (asserted on every item, totals in `extras/waiters.json`).
#![forbid(unsafe_code)]

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant};

use aioqueue::Queue;
use aioqueue_bench::{counting_wakers, poll_once, write_extra};
use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};

const WAITER_COUNTS: [usize; 3] = [10, 1000, 100_000];

/// Totals over every measured item, per waiter count.
struct Totals {
    items: AtomicU64,
    wakes: AtomicU64,
}

static TOTALS: [Totals; WAITER_COUNTS.len()] = [const {
    Totals {
        items: AtomicU64::new(0),
        wakes: AtomicU64::new(0),
    }
}; WAITER_COUNTS.len()];

/// Puts `items` items into a queue with `waiters` getters waiting; returns
/// the time spent and the wakes seen.
fn put_one_at_a_time(waiters: usize, items: u64) -> (Duration, u64) {
    let queue = Queue::<u64>::new(0);
    let wakes = Arc::new(AtomicU64::new(0));
    let last_woken = Arc::new(AtomicUsize::new(usize::MAX));
    let wakers = counting_wakers(waiters, &wakes, &last_woken);
    let mut getters: Vec<_> = (0..waiters).map(|_| queue.get()).collect();
    for (getter, waker) in getters.iter_mut().zip(&wakers) {
        assert!(poll_once(getter, waker).is_pending());
    }
    assert_eq!(wakes.load(Ordering::SeqCst), 0);

    let start = Instant::now();
    for item in 0..items {
        let before = wakes.load(Ordering::SeqCst);
        queue.try_put(item).unwrap();
        assert_eq!(
            wakes.load(Ordering::SeqCst),
            before + 1,
            "one put, one wake"
        );
        let woken = last_woken.load(Ordering::SeqCst);
        let getter = &mut getters[woken];
        assert_eq!(poll_once(getter, &wakers[woken]), Poll::Ready(Ok(item)));
        *getter = queue.get();
        assert!(poll_once(getter, &wakers[woken]).is_pending());
        assert_eq!(wakes.load(Ordering::SeqCst), before + 1, "no stray wake");
    }
    let elapsed = start.elapsed();
    assert_eq!(queue.len(), 0);
    assert_eq!(
        format!("{queue:?}"),
        format!(
            "Queue {{ maxsize: 0, len: 0, getters: {waiters}, putters: 0, joiners: 0, unfinished_tasks: {items}, shutdown: false }}"
        )
    );
    (elapsed, wakes.load(Ordering::SeqCst))
}

fn waiters(c: &mut Criterion) {
    let mut group = c.benchmark_group("waiters");
    group.throughput(Throughput::Elements(1));
    for (slot, waiters) in WAITER_COUNTS.into_iter().enumerate() {
        group.bench_with_input(BenchmarkId::new("aioqueue", waiters), &waiters, |b, &n| {
            b.iter_custom(|iters| {
                let (elapsed, wakes) = put_one_at_a_time(n, iters);
                TOTALS[slot].items.fetch_add(iters, Ordering::SeqCst);
                TOTALS[slot].wakes.fetch_add(wakes, Ordering::SeqCst);
                elapsed
            })
        });
    }
    group.finish();
}

fn report_wakes() {
    let mut entries = Vec::new();
    for (slot, waiters) in WAITER_COUNTS.into_iter().enumerate() {
        let items = TOTALS[slot].items.load(Ordering::SeqCst);
        let wakes = TOTALS[slot].wakes.load(Ordering::SeqCst);
        if items == 0 {
            continue;
        }
        let per_item = wakes as f64 / items as f64;
        println!(
            "waiters/aioqueue/{waiters}: {wakes} wakes for {items} items = {per_item} per item"
        );
        entries.push(format!(
            "\"{waiters}\": {{\"items\": {items}, \"wakes\": {wakes}, \"wakes_per_item\": {per_item}}}"
        ));
    }
    if !entries.is_empty() {
        write_extra("waiters", &format!("{{{}}}\n", entries.join(", ")));
    }
}

criterion_group!(benches, waiters);

fn main() {
    benches();
    report_wakes();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
