//! The `spsc` and `mpmc` workloads, written once per queue or channel in the
//! same shape: producers `put`/`send` their share of `0..items` and await,
//! consumers `get`/`recv` their share and await, each in its own task: on a
//! tokio runtime, or on `futures`' one-thread `LocalPool`.
//! Every consumer takes exactly its share, so no close/shutdown signal is
//! needed and all peers do identical work; a checksum of mixed items
//! (where a lost and a duplicated item cannot cancel out) is checked.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use futures::executor::{LocalPool, LocalSpawner};
use futures::task::LocalSpawnExt;

use crate::{checksum_below, mix, Capacity};

/// A queue or channel under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Peer {
    /// `aioqueue::Queue`.
    Aioqueue,
    /// `aioqueue::local::Queue`: one thread only (the `LocalPool`, or
    /// tokio's `spawn_local` in a `LocalSet`).
    AioqueueLocal,
    /// `tokio::sync::mpsc` (single consumer only).
    TokioMpsc,
    /// `async_channel`.
    AsyncChannel,
    /// `flume`, with its async API.
    Flume,
    /// `kanal`, with its async API; its own spin lock by default, std's
    /// `Mutex` when built with the bench crate's `kanal-std-mutex` feature.
    Kanal,
}

impl Peer {
    /// The function name in the benchmark id.
    pub fn name(self) -> &'static str {
        match self {
            Peer::Aioqueue => "aioqueue",
            Peer::AioqueueLocal => "aioqueue-local",
            Peer::TokioMpsc => "tokio-mpsc",
            Peer::AsyncChannel => "async-channel",
            Peer::Flume => "flume",
            // One build links one kanal: the name says which lock it has.
            Peer::Kanal if cfg!(feature = "kanal-std-mutex") => "kanal-std-mutex",
            Peer::Kanal => "kanal",
        }
    }
}

impl Peer {
    /// Whether its tasks are not `Send` and must stay on one thread.
    pub fn is_local(self) -> bool {
        self == Peer::AioqueueLocal
    }
}

/// Shares of `0..items` for `parts` tasks: `(start, end)` ranges.
fn shares(items: u64, parts: u64) -> impl Iterator<Item = (u64, u64)> {
    (0..parts).map(move |p| (items * p / parts, items * (p + 1) / parts))
}

/// A spawned task's result, whichever executor runs it.
type Task<T> = Pin<Box<dyn Future<Output = T>>>;

thread_local! {
    /// The `LocalPool` that [`run_on_local_pool`] is running, if any: then
    /// [`spawn`] puts tasks there instead of on the tokio runtime.
    static LOCAL_POOL: RefCell<Option<LocalSpawner>> = const { RefCell::new(None) };
}

/// Spawns `task` on the `LocalPool` that [`run_on_local_pool`] is running;
/// hands it back if none is.
fn spawn_on_local_pool<F>(task: F) -> Result<Task<F::Output>, F>
where
    F: Future + 'static,
    F::Output: 'static,
{
    LOCAL_POOL.with(|pool| match &*pool.borrow() {
        Some(spawner) => Ok(Box::pin(
            spawner
                .spawn_local_with_handle(task)
                .expect("the LocalPool is running"),
        ) as Task<F::Output>),
        None => Err(task),
    })
}

/// Spawns `task` on the executor running the workload.
fn spawn<F>(task: F) -> Task<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    spawn_on_local_pool(task).unwrap_or_else(|task| {
        let handle = tokio::spawn(task);
        Box::pin(async move { handle.await.expect("task") })
    })
}

/// Spawns `task`, which need not be `Send`, on the one thread running the
/// workload: the `LocalPool`, or the tokio `LocalSet` that [`run_on_tokio`]
/// runs a local peer in.
fn spawn_here<F>(task: F) -> Task<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    spawn_on_local_pool(task).unwrap_or_else(|task| {
        let handle = tokio::task::spawn_local(task);
        Box::pin(async move { handle.await.expect("task") })
    })
}

async fn sum_of(consumers: Vec<Task<u64>>) -> u64 {
    let mut total: u64 = 0;
    for consumer in consumers {
        total = total.wrapping_add(consumer.await);
    }
    total
}

async fn join_all(producers: Vec<Task<()>>) {
    for producer in producers {
        producer.await;
    }
}

/// Spawns the producer and consumer tasks of an MPMC peer with `$spawn`
/// and returns the sum the consumers received. `$sender`/`$receiver` are
/// cloned into each task; `$send(sender, item)` and `$recv(receiver)` are
/// the peer's async calls.
macro_rules! run_tasks {
    ($spawn:ident; $producers:expr, $consumers:expr, $items:expr,
     $sender:expr, |$tx:ident, $item:ident| $send:expr,
     $receiver:expr, |$rx:ident| $recv:expr) => {{
        let senders = shares($items, $producers)
            .map(|(start, end)| {
                let $tx = $sender.clone();
                $spawn(async move {
                    for $item in start..end {
                        $send.await.expect("receiver alive");
                    }
                })
            })
            .collect();
        let receivers = shares($items, $consumers)
            .map(|(start, end)| {
                let $rx = $receiver.clone();
                $spawn(async move {
                    let mut sum = 0;
                    for _ in start..end {
                        sum = mix($recv.await.expect("senders alive")).wrapping_add(sum);
                    }
                    sum
                })
            })
            .collect();
        join_all(senders).await;
        sum_of(receivers).await
    }};
}

/// `producers` tasks send `0..items` between them; `consumers` tasks receive
/// `items` between them. Must run inside the tokio runtime. Panics if an item
/// was lost or duplicated.
pub async fn run(peer: Peer, capacity: Capacity, producers: u64, consumers: u64, items: u64) {
    // A lost wakeup parks every task for good: fail loudly instead of
    // hanging the benchmark (flume 0.11.1 did so once in mpmc, bounded 64).
    let limit = Duration::from_secs(120);
    tokio::time::timeout(limit, run_once(peer, capacity, producers, consumers, items))
        .await
        .unwrap_or_else(|_| {
            panic!("{peer:?} hung: no progress in {limit:?}, every task waiting (a lost wakeup)")
        });
}

/// [`run`] on `futures`' `LocalPool`: every task on the calling thread, with
/// no tokio runtime at all. No tokio timer either, so a watchdog thread ends
/// the process if the workload makes no progress for 120 s.
pub fn run_on_local_pool(peer: Peer, capacity: Capacity, tasks: u64, items: u64) {
    let (done, finished) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        let waited = finished.recv_timeout(Duration::from_secs(120));
        if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = waited {
            eprintln!("{peer:?} hung on the LocalPool: every task waiting (a lost wakeup)");
            std::process::exit(1);
        }
    });
    let mut pool = LocalPool::new();
    LOCAL_POOL.with(|slot| *slot.borrow_mut() = Some(pool.spawner()));
    pool.run_until(run_once(peer, capacity, tasks, tasks, items));
    LOCAL_POOL.with(|slot| *slot.borrow_mut() = None);
    let _ = done.send(());
    watchdog.join().expect("watchdog");
}

async fn run_once(peer: Peer, capacity: Capacity, producers: u64, consumers: u64, items: u64) {
    // An MPMC channel from its two constructors, run by `run_tasks!`.
    macro_rules! channel_run {
        ($bounded:path, $unbounded:path, |$tx:ident, $item:ident| $send:expr, |$rx:ident| $recv:expr) => {{
            let (tx, rx) = capacity.channel($bounded, $unbounded);
            run_tasks!(
                spawn;
                producers,
                consumers,
                items,
                tx,
                |$tx, $item| $send,
                rx,
                |$rx| $recv
            )
        }};
    }
    let total = match peer {
        Peer::Aioqueue => aioqueue_run(capacity, producers, consumers, items).await,
        Peer::AioqueueLocal => aioqueue_local_run(capacity, producers, consumers, items).await,
        Peer::TokioMpsc => {
            assert_eq!(consumers, 1, "tokio mpsc has a single consumer");
            tokio_mpsc_run(capacity, producers, items).await
        }
        Peer::AsyncChannel => channel_run!(
            async_channel::bounded,
            async_channel::unbounded,
            |tx, item| tx.send(item),
            |rx| rx.recv()
        ),
        Peer::Flume => channel_run!(
            flume::bounded,
            flume::unbounded,
            |tx, item| tx.send_async(item),
            |rx| rx.recv_async()
        ),
        Peer::Kanal => channel_run!(
            kanal::bounded_async,
            kanal::unbounded_async,
            |tx, item| tx.send(item),
            |rx| rx.recv()
        ),
    };
    assert_eq!(
        total,
        checksum_below(items),
        "{peer:?} lost or duplicated items"
    );
}

async fn aioqueue_run(capacity: Capacity, producers: u64, consumers: u64, items: u64) -> u64 {
    let queue = Arc::new(aioqueue::Queue::new(capacity.maxsize()));
    run_tasks!(
        spawn;
        producers,
        consumers,
        items,
        queue,
        |putter, item| putter.put(item),
        queue,
        |getter| getter.get()
    )
}

async fn aioqueue_local_run(capacity: Capacity, producers: u64, consumers: u64, items: u64) -> u64 {
    let queue = Rc::new(aioqueue::local::Queue::new(capacity.maxsize()));
    run_tasks!(
        spawn_here;
        producers,
        consumers,
        items,
        queue,
        |putter, item| putter.put(item),
        queue,
        |getter| getter.get()
    )
}

async fn tokio_mpsc_run(capacity: Capacity, producers: u64, items: u64) -> u64 {
    let (producers, receiver) = match capacity {
        Capacity::Bounded(n) => {
            let (tx, mut rx) = tokio::sync::mpsc::channel(n);
            let producers = shares(items, producers).map(|(start, end)| {
                let tx = tx.clone();
                spawn(async move {
                    for item in start..end {
                        tx.send(item).await.expect("receiver alive");
                    }
                })
            });
            (
                producers.collect::<Vec<_>>(),
                spawn(async move {
                    let mut sum = 0;
                    for _ in 0..items {
                        sum = mix(rx.recv().await.expect("senders alive")).wrapping_add(sum);
                    }
                    sum
                }),
            )
        }
        Capacity::Unbounded => {
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
            let producers = shares(items, producers).map(|(start, end)| {
                let tx = tx.clone();
                spawn(async move {
                    for item in start..end {
                        tx.send(item).expect("receiver alive");
                    }
                })
            });
            (
                producers.collect::<Vec<_>>(),
                spawn(async move {
                    let mut sum = 0;
                    for _ in 0..items {
                        sum = mix(rx.recv().await.expect("senders alive")).wrapping_add(sum);
                    }
                    sum
                }),
            )
        }
    };
    join_all(producers).await;
    receiver.await
}

/// [`run`] on a tokio runtime, `tasks` producers and consumers; a local
/// peer's tasks (not `Send`) in a `LocalSet`, on the calling thread.
pub fn run_on_tokio(
    rt: &tokio::runtime::Runtime,
    peer: Peer,
    capacity: Capacity,
    tasks: u64,
    items: u64,
) {
    let workload = run(peer, capacity, tasks, tasks, items);
    if peer.is_local() {
        tokio::task::LocalSet::new().block_on(rt, workload);
    } else {
        rt.block_on(workload);
    }
}

/// Where a throughput workload's tasks run.
pub enum Executor {
    /// A tokio runtime: 2 workers, or `current_thread`.
    Tokio(tokio::runtime::Runtime),
    /// `futures::executor::LocalPool`: one thread, as asyncio's event loop.
    LocalPool,
}

impl Executor {
    /// Runs the workload of [`run`] to completion on this executor.
    pub fn run(&self, peer: Peer, capacity: Capacity, tasks: u64, items: u64) {
        match self {
            Executor::Tokio(rt) => run_on_tokio(rt, peer, capacity, tasks, items),
            Executor::LocalPool => run_on_local_pool(peer, capacity, tasks, items),
        }
    }
}

/// The `spsc` and `mpmc` benchmark groups: `run` with `tasks` producers and
/// `tasks` consumers for every capacity and peer, 10 samples each, in
/// million items per second (`AIOQUEUE_BENCH_ITEMS` items, default 1,000,000).
pub fn bench_throughput(
    c: &mut criterion::Criterion,
    group_name: &str,
    tasks: u64,
    capacities: &[Capacity],
    peers: &[Peer],
) {
    let executor = Executor::Tokio(crate::runtime());
    bench_throughput_on(&executor, c, group_name, tasks, capacities, peers);
}

/// [`bench_throughput`] on an executor of the caller's: tokio's
/// `current_thread` or a `LocalPool` for the one-thread rows, the setting
/// asyncio runs in.
pub fn bench_throughput_on(
    executor: &Executor,
    c: &mut criterion::Criterion,
    group_name: &str,
    tasks: u64,
    capacities: &[Capacity],
    peers: &[Peer],
) {
    let items = crate::items(1_000_000);
    let mut group = c.benchmark_group(group_name);
    group.throughput(criterion::Throughput::Elements(items));
    group.sample_size(10);
    for &capacity in capacities {
        for &peer in peers {
            group.bench_with_input(
                criterion::BenchmarkId::new(peer.name(), capacity.label()),
                &capacity,
                |b, &capacity| b.iter(|| executor.run(peer, capacity, tasks, items)),
            );
        }
    }
    group.finish();
}
