//! One producer/consumer workload, run unchanged on tokio's `current_thread`
//! and `multi_thread` runtimes, on futures' `LocalPool`, and on futures'
//! `block_on` with one thread per task, for all three queue kinds.
//!
//! Puts, gets and joins are cancelled at random (tokio: `tokio::time::timeout`
//! and a poll budget; futures executors: the poll budget alone, since they
//! have no timer). Every item is
//! accounted for exactly once: the items got are exactly the items whose put
//! succeeded, and `join` returns once every one of them was marked done.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use aioqueue::{Fifo, GenericQueue, GetError, Lifo, Order, Priority, PutError, TryPutError};
use futures::executor::LocalPool;
use futures::task::SpawnExt;

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

// ---------------------------------------------------------------- plumbing

/// How the workload spawns its tasks; the only thing that differs between
/// executors besides the way of cancelling.
trait Spawner: Clone {
    fn spawn<T: Send + 'static>(
        &self,
        task: impl Future<Output = T> + Send + 'static,
    ) -> BoxFuture<T>;
}

#[derive(Clone)]
struct TokioSpawner;

impl Spawner for TokioSpawner {
    fn spawn<T: Send + 'static>(
        &self,
        task: impl Future<Output = T> + Send + 'static,
    ) -> BoxFuture<T> {
        let handle = tokio::spawn(task);
        Box::pin(async move { handle.await.expect("task panicked") })
    }
}

/// `futures::executor::block_on` on one OS thread per task (futures'
/// `ThreadPool` needs a feature this crate does not enable).
#[derive(Clone)]
struct ThreadPerTask;

impl Spawner for ThreadPerTask {
    fn spawn<T: Send + 'static>(
        &self,
        task: impl Future<Output = T> + Send + 'static,
    ) -> BoxFuture<T> {
        let (done, result) = futures::channel::oneshot::channel();
        std::thread::spawn(move || {
            let _ = done.send(futures::executor::block_on(task));
        });
        Box::pin(async move { result.await.expect("task panicked") })
    }
}

#[derive(Clone)]
struct FuturesSpawner<S>(S);

impl<S: futures::task::Spawn + Clone> Spawner for FuturesSpawner<S> {
    fn spawn<T: Send + 'static>(
        &self,
        task: impl Future<Output = T> + Send + 'static,
    ) -> BoxFuture<T> {
        Box::pin(self.0.spawn_with_handle(task).expect("spawn"))
    }
}

/// How operations are cancelled.
#[derive(Clone, Copy, Debug)]
enum Cancel {
    /// Either `tokio::time::timeout` of 0 to 2 ms or a poll budget, half
    /// and half (tokio runtimes only).
    Timer,
    /// Dropped after 1 to 3 pending polls, or at the wakeup after them
    /// (any executor).
    PollBudget,
}

/// xorshift64: a tiny seeded PRNG, one per task.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// `true` with probability 1/n.
    fn one_in(&mut self, n: u64) -> bool {
        self.next() % n == 0
    }
}

/// Cancels the inner future after it was pending `left` times: at once
/// (`lazy == false`), or at the next poll, without polling it again
/// (`lazy == true`). The next poll normally comes from the inner future's
/// own wakeup, so a lazy cancel drops a future that was just notified: the
/// case in which a get or put must pass its wakeup on (bpo-23812).
struct PollBudget<F> {
    inner: F,
    left: u32,
    lazy: bool,
}

impl<F: Future + Unpin> Future for PollBudget<F> {
    type Output = Option<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        match Pin::new(&mut self.inner).poll(cx) {
            Poll::Ready(value) => Poll::Ready(Some(value)),
            Poll::Pending => {
                self.left -= 1;
                if self.left == 0 && !self.lazy {
                    Poll::Ready(None)
                } else {
                    Poll::Pending
                }
            }
        }
    }
}

/// Yields to the executor once (futures has no `yield_now`).
struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Cancellations seen by one task, or summed over a workload.
#[derive(Clone, Copy, Default, Debug)]
struct Stats {
    cancelled: usize,
    /// Those of `cancelled` that a tokio timer fired.
    by_timer: usize,
}

impl std::ops::AddAssign for Stats {
    fn add_assign(&mut self, other: Stats) {
        self.cancelled += other.cancelled;
        self.by_timer += other.by_timer;
    }
}

/// Awaits `op`, or, one time in two, awaits it under a random
/// cancellation; `None` if it was cancelled.
async fn maybe_cancelled<F: Future + Unpin>(
    cancel: Cancel,
    rng: &mut Rng,
    stats: &mut Stats,
    op: F,
) -> Option<F::Output> {
    if rng.one_in(2) {
        return Some(op.await);
    }
    let (result, by_timer) = match cancel {
        Cancel::Timer if rng.one_in(2) => {
            let limit = Duration::from_millis(rng.next() % 3);
            (tokio::time::timeout(limit, op).await.ok(), 1)
        }
        Cancel::Timer | Cancel::PollBudget => {
            let left = 1 + (rng.next() % 3) as u32;
            let lazy = rng.one_in(2);
            (
                PollBudget {
                    inner: op,
                    left,
                    lazy,
                }
                .await,
                0,
            )
        }
    };
    if result.is_none() {
        stats.cancelled += 1;
        stats.by_timer += by_timer;
    }
    result
}

/// Now and then, stalls the task long enough for the other side's timeouts
/// to fire: a 1 ms sleep under tokio, a yield elsewhere.
async fn stall(cancel: Cancel, rng: &mut Rng) {
    if !rng.one_in(10) {
        return;
    }
    match cancel {
        Cancel::Timer => tokio::time::sleep(Duration::from_millis(1)).await,
        Cancel::PollBudget => {
            for _ in 0..3 {
                YieldNow(false).await;
            }
        }
    }
}

// ---------------------------------------------------------------- workload

type Shared<O> = Arc<GenericQueue<u64, O>>;

#[derive(Default)]
struct Produced {
    put: Vec<u64>,
    not_put: usize,
    stats: Stats,
}

async fn producer<O: Order<u64>>(
    queue: Shared<O>,
    id: u64,
    count: u64,
    cancel: Cancel,
) -> Produced {
    let mut rng = Rng::new(0x5EED ^ (id << 8));
    let mut out = Produced::default();
    for seq in 0..count {
        let item = (id << 32) | seq;
        if rng.one_in(5) {
            match queue.try_put(item) {
                Ok(()) => {
                    out.put.push(item);
                    continue;
                }
                Err(TryPutError::Full(back)) => assert_eq!(back, item),
                Err(TryPutError::ShutDown(_)) => panic!("shut down while producing"),
            }
        }
        loop {
            match maybe_cancelled(cancel, &mut rng, &mut out.stats, queue.put(item)).await {
                Some(Ok(())) => {
                    out.put.push(item);
                    break;
                }
                Some(Err(PutError(back))) => panic!("shut down while producing {back}"),
                None => {
                    // Retry, or give the item up.
                    if rng.one_in(2) {
                        out.not_put += 1;
                        break;
                    }
                }
            }
        }
        if rng.one_in(4) {
            YieldNow(false).await;
        }
        stall(cancel, &mut rng).await;
    }
    out
}

#[derive(Default)]
struct Consumed {
    got: Vec<u64>,
    stats: Stats,
}

async fn consumer<O: Order<u64>>(queue: Shared<O>, id: u64, cancel: Cancel) -> Consumed {
    let mut rng = Rng::new(0xC0FFEE ^ (id << 8));
    let mut out = Consumed::default();
    loop {
        let got = if rng.one_in(6) {
            queue.try_get().ok()
        } else {
            match maybe_cancelled(cancel, &mut rng, &mut out.stats, queue.get()).await {
                Some(Ok(item)) => Some(item),
                Some(Err(GetError)) => break,
                None => None,
            }
        };
        if let Some(item) = got {
            out.got.push(item);
            if rng.one_in(3) {
                // Hold the item unfinished across a yield: join must wait.
                YieldNow(false).await;
            }
            stall(cancel, &mut rng).await;
            queue.task_done().unwrap();
        } else if rng.one_in(2) {
            YieldNow(false).await;
        }
    }
    // After shutdown, the queue was drained and stays so.
    assert!(queue.is_shutdown());
    assert_eq!(queue.try_get(), Err(aioqueue::TryGetError::ShutDown));
    out
}

struct Config {
    maxsize: usize,
    producers: u64,
    consumers: u64,
    per_producer: u64,
    cancel: Cancel,
}

/// The workload: producers and consumers as separate tasks, then `join`
/// (from several tasks, cancelled at random), then `shutdown` to make the
/// consumers exit; then the accounting. Returns the cancellations seen.
async fn workload<O, S>(queue: Shared<O>, spawner: S, config: Config) -> Stats
where
    O: Order<u64> + Send + 'static,
    S: Spawner,
{
    let cancel = config.cancel;
    let consumers: Vec<_> = (0..config.consumers)
        .map(|id| spawner.spawn(consumer(Arc::clone(&queue), id, cancel)))
        .collect();
    let producers: Vec<_> = (0..config.producers)
        .map(|id| {
            spawner.spawn(producer(
                Arc::clone(&queue),
                id,
                config.per_producer,
                cancel,
            ))
        })
        .collect();

    let mut put = Vec::new();
    let mut not_put = 0;
    let mut stats = Stats::default();
    for handle in producers {
        let produced = handle.await;
        put.extend(produced.put);
        not_put += produced.not_put;
        stats += produced.stats;
    }
    assert_eq!(
        put.len() + not_put,
        (config.producers * config.per_producer) as usize
    );

    // Every item put gets marked done; joiners in other tasks see it too.
    let joiners: Vec<_> = (0..3u64)
        .map(|id| {
            let queue = Arc::clone(&queue);
            spawner.spawn(async move {
                let mut rng = Rng::new(0x10_1A ^ id);
                let mut stats = Stats::default();
                while maybe_cancelled(cancel, &mut rng, &mut stats, queue.join())
                    .await
                    .is_none()
                {
                    YieldNow(false).await;
                }
                stats
            })
        })
        .collect();
    queue.join().await;
    assert_eq!(queue.unfinished_tasks(), 0);
    assert!(queue.is_empty());
    for handle in joiners {
        stats += handle.await;
    }

    queue.shutdown();
    let mut got = Vec::new();
    for handle in consumers {
        let consumed = handle.await;
        if O::NAME == "Queue" {
            // FIFO: one consumer sees each producer's items in put order.
            for producer in 0..config.producers {
                let mine: Vec<u64> = consumed
                    .got
                    .iter()
                    .copied()
                    .filter(|item| item >> 32 == producer)
                    .collect();
                assert!(mine.windows(2).all(|w| w[0] < w[1]), "FIFO order broken");
            }
        }
        got.extend(consumed.got);
        stats += consumed.stats;
    }

    put.sort_unstable();
    got.sort_unstable();
    assert!(!put.is_empty());
    assert_eq!(got.len(), put.len(), "items lost or duplicated");
    assert_eq!(got, put, "the items got are not the items put");
    assert!(stats.cancelled > 0, "the workload cancelled nothing");
    assert_eq!(
        format!("{queue:?}"),
        format!(
            "{} {{ maxsize: {}, len: 0, getters: 0, putters: 0, joiners: 0, unfinished_tasks: 0, shutdown: true }}",
            O::NAME,
            config.maxsize
        )
    );
    stats
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Fifo,
    Lifo,
    Priority,
}

const KINDS: [Kind; 3] = [Kind::Fifo, Kind::Lifo, Kind::Priority];

/// The workload on a fresh queue of kind `kind`, as one future.
fn workload_of<S: Spawner + 'static>(
    kind: Kind,
    spawner: S,
    config: Config,
) -> Pin<Box<dyn Future<Output = Stats>>> {
    fn run<O, S>(spawner: S, config: Config) -> Pin<Box<dyn Future<Output = Stats>>>
    where
        O: Order<u64> + Send + 'static,
        S: Spawner + 'static,
    {
        let queue = Arc::new(GenericQueue::<u64, O>::new(config.maxsize));
        Box::pin(workload(queue, spawner, config))
    }
    match kind {
        Kind::Fifo => run::<Fifo<u64>, S>(spawner, config),
        Kind::Lifo => run::<Lifo<u64>, S>(spawner, config),
        Kind::Priority => run::<Priority<u64>, S>(spawner, config),
    }
}

// ---------------------------------------------------------------- runtimes

/// Runs `test` on its own thread and fails if it has not finished in time:
/// a lost wakeup shows up as a failure instead of a hung test binary.
fn with_watchdog(test: impl FnOnce() + Send + 'static) {
    let (done, finished) = std::sync::mpsc::channel();
    let runner = std::thread::spawn(move || {
        test();
        let _ = done.send(());
    });
    match finished.recv_timeout(Duration::from_secs(60)) {
        Ok(()) => runner.join().unwrap(),
        // The runner panicked: re-raise its panic here.
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            std::panic::resume_unwind(runner.join().unwrap_err())
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("the workload hung (a lost wakeup?)")
        }
    }
}

fn tokio_runtime(workers: Option<usize>) -> tokio::runtime::Runtime {
    let mut builder = match workers {
        None => tokio::runtime::Builder::new_current_thread(),
        Some(workers) => {
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            builder.worker_threads(workers);
            builder
        }
    };
    builder.enable_time().build().unwrap()
}

/// Runs the workload on every queue kind under tokio; some of the
/// cancellations must have been fired by the timer.
fn on_tokio(workers: Option<usize>, config: fn() -> Config) {
    with_watchdog(move || {
        let mut stats = Stats::default();
        for kind in KINDS {
            let runtime = tokio_runtime(workers);
            stats += runtime.block_on(workload_of(kind, TokioSpawner, config()));
        }
        assert!(stats.by_timer > 0, "no timeout fired: {stats:?}");
    });
}

#[test]
fn tokio_current_thread() {
    on_tokio(None, || Config {
        maxsize: 4,
        producers: 4,
        consumers: 4,
        per_producer: 300,
        cancel: Cancel::Timer,
    });
}

#[test]
fn tokio_multi_thread() {
    on_tokio(Some(4), || Config {
        maxsize: 8,
        producers: 8,
        consumers: 8,
        per_producer: 500,
        cancel: Cancel::Timer,
    });
}

#[test]
fn tokio_multi_thread_unbounded() {
    on_tokio(Some(4), || Config {
        maxsize: 0,
        producers: 2,
        consumers: 8,
        per_producer: 300,
        cancel: Cancel::Timer,
    });
}

#[test]
fn futures_local_pool() {
    with_watchdog(|| {
        for kind in KINDS {
            let mut pool = LocalPool::new();
            let spawner = FuturesSpawner(pool.spawner());
            let config = Config {
                maxsize: 4,
                producers: 4,
                consumers: 4,
                per_producer: 300,
                cancel: Cancel::PollBudget,
            };
            pool.run_until(workload_of(kind, spawner, config));
        }
    });
}

#[test]
fn futures_block_on_threads() {
    with_watchdog(|| {
        for kind in KINDS {
            let config = Config {
                maxsize: 8,
                producers: 8,
                consumers: 8,
                per_producer: 300,
                cancel: Cancel::PollBudget,
            };
            futures::executor::block_on(workload_of(kind, ThreadPerTask, config));
        }
    });
}

/// One queue shared by a tokio runtime (producer) and a futures
/// `LocalPool` (consumer) on another thread.
#[test]
fn one_queue_across_two_runtimes() {
    // docs/semantics.md DIFF-3.
    with_watchdog(one_queue_across_two_runtimes_body);
}

fn one_queue_across_two_runtimes_body() {
    let queue = Arc::new(GenericQueue::<u64, Fifo<u64>>::new(2));
    let producer_rt = tokio_runtime(Some(2));
    let producer = {
        let queue = Arc::clone(&queue);
        producer_rt.spawn(async move {
            for i in 0..200 {
                queue.put(i).await.unwrap();
            }
            queue.join().await;
            queue.shutdown();
        })
    };
    let mut pool = LocalPool::new();
    let consumed = pool.run_until(async {
        let mut got = Vec::new();
        while let Ok(item) = queue.get().await {
            got.push(item);
            queue.task_done().unwrap();
        }
        got
    });
    producer_rt.block_on(producer).unwrap();
    assert_eq!(consumed, (0..200).collect::<Vec<_>>());
    assert!(queue.is_shutdown());
    assert_eq!(queue.unfinished_tasks(), 0);
}
