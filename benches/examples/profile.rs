//! Single workloads to run under a profiler, e.g.
//! `valgrind --tool=callgrind target/release/examples/profile pairs 1000000`
//! or `perf record target/release/examples/profile spsc 64 1000000`.
//!
//! Modes: `pairs N [queue|lifo|priority|local]` (aioqueue try_put + try_get;
//! `local` is `aioqueue::local::Queue`),
//! `pairs-baseline N`
//! (`Mutex<VecDeque>`), `pairs-kanal N`, `spsc CAPACITY N` and
//! `mpmc CAPACITY N` (2 workers; `PEER=flume`, `kanal`, ... for a peer;
//! capacity 0 = unbounded), `spsc1 CAPACITY N` (one thread, tokio; `PEER=aioqueue-local` runs
//! `aioqueue::local::Queue` in a `LocalSet`),
//! `spsc-local CAPACITY N` (one thread, `futures`' `LocalPool`),
//! `polls CAPACITY N` (SPSC polls and `Pending`s per item, `PEER=...`), `waiters WAITERS N`,
//! `waiter-bytes N` (RSS per waiting get, `PEER=...`), `item-bytes N`
//! (RSS per queued `u64`, against a `VecDeque`), `in-process CAPACITY N ROUNDS`
//! (spsc for aioqueue, flume and kanal on one runtime in one process),
//! `heap-only N` (N random `(priority, payload)` pairs put then taken:
//! `PriorityQueue`'s ordering alone, std's `BinaryHeap`, and the whole
//! `PriorityQueue`; median of 7, peers interleaved), `atomics N` (N of each
//! of the atomic steps a lock is made of, one thread, median of 7; with
//! N = 1000000 the figures in ms read as ns per step).
#![forbid(unsafe_code)]

use std::collections::VecDeque;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use aioqueue::Queue;
use aioqueue_bench::poll_count::spsc_poll_counts;
use aioqueue_bench::workloads::{run, run_on_local_pool, run_on_tokio, Peer};
use aioqueue_bench::{counting_wakers, one_thread_runtime, poll_once, runtime, Capacity};

fn capacity(arg: usize) -> Capacity {
    if arg == 0 {
        Capacity::Unbounded
    } else {
        Capacity::Bounded(arg)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize| -> u64 {
        args.get(i)
            .and_then(|a| a.parse().ok())
            .expect("a number argument")
    };
    let peer = match std::env::var("PEER").as_deref() {
        Ok("tokio-mpsc") => Peer::TokioMpsc,
        Ok("async-channel") => Peer::AsyncChannel,
        Ok("flume") => Peer::Flume,
        Ok("kanal") => Peer::Kanal,
        Ok("aioqueue-local") => Peer::AioqueueLocal,
        _ => Peer::Aioqueue,
    };
    match args.first().map(String::as_str) {
        Some("pairs") => match args.get(2).map(String::as_str) {
            None | Some("queue") => pairs(Queue::new(1024), number(1)),
            Some("lifo") => pairs(aioqueue::LifoQueue::new(1024), number(1)),
            Some("priority") => pairs(aioqueue::PriorityQueue::new(1024), number(1)),
            Some("local") => pairs(aioqueue::local::Queue::new(1024), number(1)),
            Some(other) => panic!("`pairs N [queue|lifo|priority|local]`, not {other:?}"),
        },
        Some("pairs-kanal") => {
            let (tx, rx) = kanal::bounded(1024);
            for item in 0..number(1) {
                assert!(tx.try_send(black_box(item)).unwrap());
                black_box(rx.try_recv().unwrap().unwrap());
            }
        }
        Some("pairs-baseline") => {
            let deque = Mutex::new(VecDeque::with_capacity(1024));
            for item in 0..number(1) {
                deque.lock().unwrap().push_back(black_box(item));
                black_box(deque.lock().unwrap().pop_front().unwrap());
            }
        }
        Some("min-pairs") => {
            // Best of many short batches: a rough figure that survives a
            // loaded machine (a batch that was preempted is simply not best).
            let batches = number(1);
            let best = |pair: &mut dyn FnMut(u64)| {
                (0..batches)
                    .map(|_| {
                        let start = std::time::Instant::now();
                        for item in 0..10_000 {
                            pair(item);
                        }
                        start.elapsed().as_secs_f64() * 1e9 / 10_000.0
                    })
                    .fold(f64::INFINITY, f64::min)
            };
            let queue = Queue::new(1024);
            let lifo = aioqueue::LifoQueue::new(1024);
            let prio = aioqueue::PriorityQueue::new(1024);
            let deque = Mutex::new(VecDeque::with_capacity(1024));
            for _ in 0..3 {
                let q = best(&mut |item| {
                    queue.try_put(black_box(item)).unwrap();
                    black_box(queue.try_get().unwrap());
                });
                let l = best(&mut |item| {
                    lifo.try_put(black_box(item)).unwrap();
                    black_box(lifo.try_get().unwrap());
                });
                let p = best(&mut |item| {
                    prio.try_put(black_box(item)).unwrap();
                    black_box(prio.try_get().unwrap());
                });
                let d = best(&mut |item| {
                    deque.lock().unwrap().push_back(black_box(item));
                    black_box(deque.lock().unwrap().pop_front().unwrap());
                });
                println!(
                    "best ns/pair: Queue {q:.2}  LifoQueue {l:.2}  PriorityQueue {p:.2}  Mutex<VecDeque> {d:.2}  ratio {:.2}",
                    q / d
                );
            }
        }
        Some("fill-drain") => {
            let priorities = aioqueue_bench::XorShift::priorities(7, number(1) as usize);
            let queue = aioqueue::PriorityQueue::new(0);
            for &priority in &priorities {
                queue.try_put(priority).unwrap();
            }
            while let Ok(priority) = queue.try_get() {
                black_box(priority);
            }
        }
        Some("heap-only") => heap_only(number(1) as usize),
        Some("atomics") => atomics(number(1)),
        Some("fill-drain-baseline") => {
            let priorities = aioqueue_bench::XorShift::priorities(7, number(1) as usize);
            let heap = Mutex::new(std::collections::BinaryHeap::new());
            for &priority in &priorities {
                heap.lock().unwrap().push(std::cmp::Reverse(priority));
            }
            while let Some(priority) = heap.lock().unwrap().pop() {
                black_box(priority);
            }
        }
        Some("spsc") => {
            let cap = capacity(number(1) as usize);
            run_on_tokio(&runtime(), peer, cap, 1, number(2));
        }
        Some("spsc1") => {
            let cap = capacity(number(1) as usize);
            run_on_tokio(&one_thread_runtime(), peer, cap, 1, number(2));
        }
        Some("spsc-local") => {
            let cap = capacity(number(1) as usize);
            run_on_local_pool(peer, cap, 1, number(2));
        }
        Some("polls") => {
            let cap = capacity(number(1) as usize);
            let items = number(2);
            let counts = runtime().block_on(spsc_poll_counts(peer, cap, items));
            println!(
                "{} spsc capacity {}: {:.3} polls and {:.3} Pending per item",
                peer.name(),
                cap.label(),
                counts.polls as f64 / items as f64,
                counts.pending as f64 / items as f64
            );
        }
        Some("mpmc") => {
            let cap = capacity(number(1) as usize);
            runtime().block_on(run(peer, cap, 4, 4, number(2)));
        }
        Some("in-process") => {
            // spsc (2 workers) in one process on one runtime, the peers
            // interleaved round by round: the other harness shape, to see
            // whether sharing a process and a runtime moves the ratios.
            let cap = capacity(number(1) as usize);
            let (items, rounds) = (number(2), number(3) as usize);
            let rt = &runtime();
            let workloads = [Peer::Aioqueue, Peer::Flume, Peer::Kanal].map(|peer| {
                let spsc = move || rt.block_on(run(peer, cap, 1, 1, items));
                (peer.name(), Box::new(spsc) as Box<dyn FnMut()>)
            });
            print_interleaved_medians(rounds, workloads);
        }
        Some("min-waiters") => {
            // 10, 1,000 and 100,000 waiting getters, in turn, best of many
            // short batches each: the waiters benchmark with load noise
            // filtered.
            let batches = number(1);
            let mut best = [f64::INFINITY; 3];
            for _ in 0..batches {
                for (slot, waiters) in [10usize, 1000, 100_000].into_iter().enumerate() {
                    let ns = waiters_batch(waiters, 20_000);
                    best[slot] = best[slot].min(ns);
                }
            }
            println!(
                "best ns/item: 10 waiters {:.1}, 1000 waiters {:.1}, 100000 waiters {:.1}; ratios to 10: {:.2}, {:.2}",
                best[0],
                best[1],
                best[2],
                best[1] / best[0],
                best[2] / best[0]
            );
        }
        Some("waiters") => {
            let ns = waiters_batch(number(1) as usize, number(2));
            println!("{ns:.1} ns per item, exactly one wake each");
        }
        Some("waiter-bytes") => {
            let n = number(1) as usize;
            let bytes = waiter_bytes(peer, n);
            println!(
                "{}: {bytes:.1} bytes of RSS per waiting get (boxed future included)",
                peer.name()
            );
        }
        Some("item-bytes") => {
            let n = number(1);
            let (queue, deque) = item_bytes(n);
            println!(
                "{n} u64 items: Queue {queue:.2} bytes each, VecDeque {deque:.2}, ratio {:.2}",
                queue / deque
            );
        }
        _ => {
            eprintln!(
                "usage: profile pairs|pairs-baseline|pairs-kanal N | spsc|spsc1|spsc-local|mpmc|polls CAPACITY N | waiters W N | waiter-bytes N | item-bytes N | heap-only N | atomics N"
            )
        }
    }
}

/// RSS growth per waiting receive: `n` receive futures of `peer`, each boxed
/// (kanal's are not `Unpin`) and polled once on an empty queue or channel.
fn waiter_bytes(peer: Peer, n: usize) -> f64 {
    use std::future::Future;
    use std::pin::Pin;
    type Waiting<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;
    let waker = std::task::Waker::noop();
    let queue = Queue::<u64>::new(0);
    let (flume_tx, flume_rx) = flume::unbounded::<u64>();
    let (kanal_tx, kanal_rx) = kanal::unbounded_async::<u64>();
    let (channel_tx, channel_rx) = async_channel::unbounded::<u64>();
    let before = aioqueue_bench::rss_bytes().expect("/proc/self/statm");
    let mut futures: Vec<Waiting<'_>> = Vec::with_capacity(n);
    for _ in 0..n {
        let future: Waiting<'_> = match peer {
            Peer::Aioqueue => Box::pin(async {
                black_box(queue.get().await.ok());
            }),
            Peer::Flume => Box::pin(async {
                black_box(flume_rx.recv_async().await.ok());
            }),
            Peer::Kanal => Box::pin(async {
                black_box(kanal_rx.recv().await.ok());
            }),
            Peer::AsyncChannel => Box::pin(async {
                black_box(channel_rx.recv().await.ok());
            }),
            Peer::TokioMpsc => panic!("tokio mpsc has one receiver"),
            Peer::AioqueueLocal => panic!("waiter-bytes measures the thread-safe queues"),
        };
        futures.push(future);
        let last = futures.last_mut().expect("just pushed");
        assert!(last
            .as_mut()
            .poll(&mut std::task::Context::from_waker(waker))
            .is_pending());
    }
    let after = aioqueue_bench::rss_bytes().expect("/proc/self/statm");
    // The futures' Vec itself: a pointer pair per future.
    let vec_bytes = (n * std::mem::size_of::<Waiting<'_>>()) as f64;
    drop(futures);
    drop((flume_tx, kanal_tx, channel_tx));
    ((after - before) as f64 - vec_bytes) / n as f64
}

/// RSS growth per `u64` item: `n` items in a `Queue`, then in a
/// `VecDeque`, each grown one push at a time.
fn item_bytes(n: u64) -> (f64, f64) {
    let rss = || aioqueue_bench::rss_bytes().expect("/proc/self/statm") as f64;
    let before = rss();
    let queue = Queue::new(0);
    for item in 0..n {
        queue.try_put(item).unwrap();
    }
    let queue_bytes = rss() - before;
    let before = rss();
    let mut deque = VecDeque::new();
    for item in 0..n {
        deque.push_back(item);
    }
    let deque_bytes = rss() - before;
    black_box((&queue, &deque));
    (queue_bytes / n as f64, deque_bytes / n as f64)
}

/// The waiters benchmark's loop: ns per item with `waiters` getters waiting.
fn waiters_batch(waiters: usize, items: u64) -> f64 {
    let queue = Queue::<u64>::new(0);
    let wakes = Arc::new(AtomicU64::new(0));
    let last = Arc::new(AtomicUsize::new(0));
    let wakers = counting_wakers(waiters, &wakes, &last);
    let mut getters: Vec<_> = (0..waiters).map(|_| queue.get()).collect();
    for (getter, waker) in getters.iter_mut().zip(&wakers) {
        assert!(poll_once(getter, waker).is_pending());
    }
    let start = std::time::Instant::now();
    for item in 0..items {
        queue.try_put(item).unwrap();
        let woken = last.load(Ordering::SeqCst);
        assert!(poll_once(&mut getters[woken], &wakers[woken]).is_ready());
        getters[woken] = queue.get();
        assert!(poll_once(&mut getters[woken], &wakers[woken]).is_pending());
    }
    let elapsed = start.elapsed().as_secs_f64() * 1e9 / items as f64;
    assert_eq!(wakes.load(Ordering::SeqCst), items);
    elapsed
}

/// `n` uncontended `try_put` + `try_get` pairs on `queue`.
fn pairs<O: aioqueue::Order<u64>, L: aioqueue::Lock>(
    queue: aioqueue::GenericQueue<u64, O, L>,
    n: u64,
) {
    for item in 0..n {
        queue.try_put(black_box(item)).unwrap();
        black_box(queue.try_get().unwrap());
    }
}

/// Where `PriorityQueue`'s time goes: its heap alone (through the `Order`
/// methods the queue calls), std's `BinaryHeap` (whose sift moves items
/// through a hole with `unsafe`), and the queue with its lock and
/// bookkeeping.
fn heap_only(n: usize) {
    use aioqueue::Order;
    let items: Vec<(u64, u64)> = aioqueue_bench::XorShift::priorities(7, n)
        .into_iter()
        .zip(0..)
        .collect();
    let items = &items;
    let ordering_alone = move || {
        let mut heap = aioqueue::Priority::default();
        items.iter().for_each(|&item| heap.push(item));
        while let Some(item) = heap.pop() {
            black_box(item);
        }
    };
    let binary_heap = move || {
        let mut heap = std::collections::BinaryHeap::new();
        items
            .iter()
            .for_each(|&item| heap.push(std::cmp::Reverse(item)));
        while let Some(item) = heap.pop() {
            black_box(item);
        }
    };
    let priority_queue = move || {
        let queue = aioqueue::PriorityQueue::new(0);
        items.iter().for_each(|&item| queue.try_put(item).unwrap());
        while let Ok(item) = queue.try_get() {
            black_box(item);
        }
    };
    print_interleaved_medians(
        7,
        [
            (
                "aioqueue::Priority",
                Box::new(ordering_alone) as Box<dyn FnMut()>,
            ),
            ("BinaryHeap", Box::new(binary_heap)),
            ("PriorityQueue", Box::new(priority_queue)),
        ],
    );
}

/// What a lock costs on this machine when nobody contends: one thread runs
/// `n` of each step. std's `Mutex` takes with a compare-and-swap and
/// releases with a swap, both read-modify-writes; a spin lock like kanal's
/// releases with a plain `Release` store, which needs `unsafe` to guard
/// data (here it guards nothing).
fn atomics(n: u64) {
    use std::sync::atomic::{AtomicBool, AtomicU32};
    let word = &AtomicU32::new(0);
    let flag = &AtomicBool::new(false);
    let mutex = &Mutex::new(0u64);
    print_interleaved_medians(
        7,
        [
            (
                "swap",
                Box::new(move || {
                    for i in 0..n {
                        black_box(word).swap(i as u32, Ordering::AcqRel);
                    }
                }) as Box<dyn FnMut()>,
            ),
            (
                "compare_exchange",
                Box::new(move || {
                    for _ in 0..n {
                        let current = black_box(word).load(Ordering::Relaxed);
                        let swapped = word.compare_exchange(
                            current,
                            current.wrapping_add(1),
                            Ordering::Acquire,
                            Ordering::Relaxed,
                        );
                        black_box(swapped.is_ok());
                    }
                }),
            ),
            (
                "store (Release)",
                Box::new(move || {
                    for i in 0..n {
                        black_box(word).store(i as u32, Ordering::Release);
                    }
                }),
            ),
            (
                "Mutex lock+unlock",
                Box::new(move || {
                    for _ in 0..n {
                        *black_box(mutex).lock().unwrap_or_else(|e| e.into_inner()) += 1;
                    }
                }),
            ),
            (
                "CAS + store lock",
                Box::new(move || {
                    for _ in 0..n {
                        let flag = black_box(flag);
                        while flag
                            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
                            .is_err()
                        {}
                        flag.store(false, Ordering::Release);
                    }
                }),
            ),
        ],
    );
}

/// A named workload for [`print_interleaved_medians`].
type Workload<'a> = (&'a str, Box<dyn FnMut() + 'a>);

/// Runs each workload `rounds` times (at least once), interleaved round by
/// round, and prints each one's median time in ms with its spread.
fn print_interleaved_medians<const N: usize>(rounds: usize, mut workloads: [Workload<'_>; N]) {
    let rounds = rounds.max(1);
    let mut ms = vec![Vec::with_capacity(rounds); N];
    for _ in 0..rounds {
        for ((_, workload), ms) in workloads.iter_mut().zip(&mut ms) {
            let start = std::time::Instant::now();
            workload();
            ms.push(start.elapsed().as_secs_f64() * 1e3);
        }
    }
    for ((name, _), mut ms) in workloads.into_iter().zip(ms) {
        ms.sort_by(f64::total_cmp);
        println!(
            "{name:18} median {:7.2} ms (min {:7.2}, max {:7.2})",
            ms[rounds / 2],
            ms[0],
            ms[rounds - 1]
        );
    }
}
