//! Shared pieces of the benchmarks in `benches/benches/`: the runtime, the
//! workloads run the same way over every queue and channel, a waker that
//! counts its wakes, and a few measurement helpers.
//!
//! Every workload moves `u64` items and checks their sum, so a queue that
//! lost or duplicated an item would fail the benchmark instead of winning it.
#![forbid(unsafe_code)]

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

pub mod poll_count;
pub mod workloads;

/// The runtime of the `spsc`, `mpmc` and `priority` benchmarks: tokio's
/// multi-thread scheduler with 2 workers (the machine has 2 cores).
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// tokio's `current_thread` scheduler: every task on the calling thread,
/// as asyncio runs its tasks on one.
pub fn one_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// How many items a throughput benchmark moves per iteration:
/// `AIOQUEUE_BENCH_ITEMS`, or `default`.
pub fn items(default: u64) -> u64 {
    std::env::var("AIOQUEUE_BENCH_ITEMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The capacity of a queue or channel in a benchmark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capacity {
    /// At most this many items.
    Bounded(usize),
    /// No limit (aioqueue's `maxsize` 0).
    Unbounded,
}

impl Capacity {
    /// aioqueue's `maxsize` for this capacity.
    pub fn maxsize(self) -> usize {
        match self {
            Capacity::Bounded(n) => n,
            Capacity::Unbounded => 0,
        }
    }

    /// A channel of this capacity, from a peer's two constructors, e.g.
    /// `capacity.channel(flume::bounded, flume::unbounded)`.
    pub fn channel<C>(self, bounded: impl FnOnce(usize) -> C, unbounded: impl FnOnce() -> C) -> C {
        match self {
            Capacity::Bounded(n) => bounded(n),
            Capacity::Unbounded => unbounded(),
        }
    }

    /// The parameter in the benchmark's id: `64`, `unbounded`.
    pub fn label(self) -> String {
        match self {
            Capacity::Bounded(n) => n.to_string(),
            Capacity::Unbounded => "unbounded".to_string(),
        }
    }
}

/// Mixes an item (SplitMix64's finaliser) before it is added to a
/// checksum: a lost item and a duplicated one cannot cancel out, as they
/// could in a plain sum.
#[inline]
pub fn mix(item: u64) -> u64 {
    let mut z = item.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The checksum of the items `0..n`: the wrapping sum of their [`mix`]es.
pub fn checksum_below(n: u64) -> u64 {
    (0..n).fold(0, |sum, item| sum.wrapping_add(mix(item)))
}

/// A waker that counts its wakes and remembers who was woken last.
pub struct CountingWaker {
    index: usize,
    wakes: Arc<AtomicU64>,
    last_woken: Arc<AtomicUsize>,
}

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
        self.last_woken.store(self.index, Ordering::SeqCst);
    }
}

/// `count` wakers, the `i`th of which records `i` in `last_woken`, all
/// counting into `wakes`.
pub fn counting_wakers(
    count: usize,
    wakes: &Arc<AtomicU64>,
    last_woken: &Arc<AtomicUsize>,
) -> Vec<Waker> {
    (0..count)
        .map(|index| {
            Waker::from(Arc::new(CountingWaker {
                index,
                wakes: Arc::clone(wakes),
                last_woken: Arc::clone(last_woken),
            }))
        })
        .collect()
}

/// Polls an `Unpin` future once with `waker`.
pub fn poll_once<F: Future + Unpin>(future: &mut F, waker: &Waker) -> Poll<F::Output> {
    Pin::new(future).poll(&mut Context::from_waker(waker))
}

/// The resident set size of this process, from `/proc/self/statm`
/// (`None` where that file does not exist).
pub fn rss_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let resident_pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // Linux on x86-64 and aarch64 as set up here: 4 KiB pages.
    Some(resident_pages * 4096)
}

/// A small deterministic generator (xorshift64*), so that every run and
/// every peer sees the same "random" priorities.
pub struct XorShift(u64);

impl XorShift {
    /// A generator from a non-zero seed.
    pub fn new(seed: u64) -> Self {
        XorShift(seed.max(1))
    }

    /// The next pseudo-random number.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// `count` pseudo-random priorities.
    pub fn priorities(seed: u64, count: usize) -> Vec<u64> {
        let mut rng = XorShift::new(seed);
        (0..count).map(|_| rng.next_u64()).collect()
    }
}

/// Where a benchmark writes figures criterion does not record (wake counts,
/// heap bytes): `target/criterion/extras/NAME.json`, beside criterion's own
/// output, for `benches/scripts/report.py`.
pub fn write_extra(name: &str, json: &str) {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let dir = target.join("criterion").join("extras");
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(dir.join(format!("{name}.json")), json);
    }
}
