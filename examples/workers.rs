//! The worker pool from the asyncio queue documentation, on tokio.
//!
//! Twenty random sleeps (0.05 to 1.0 s) go into an unbounded [`Queue`];
//! three workers take them, sleep, and mark each one done with `task_done`.
//! `join` waits until every sleep is done, then the workers, parked in
//! `get`, are cancelled: aborting a task drops its `Get` future, which
//! leaves the queue's list of waiting getters.
//!
//! Run it with `cargo run --example workers` (it takes 3 to 4 seconds).

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aioqueue::Queue;

/// A xorshift64 generator: plenty for picking sleep times, and it keeps the
/// example free of a `rand` dependency.
struct XorShift64(u64);

impl XorShift64 {
    /// Seeds from the clock, so each run sleeps differently.
    fn seeded_from_clock() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos() as u64);
        // One splitmix64 step spreads the clock's few changing bits over the
        // whole word; `| 1` keeps the state nonzero, which xorshift requires.
        let mut z = nanos.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        XorShift64((z ^ (z >> 31)) | 1)
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A float uniformly drawn from `low..high` (Python's `random.uniform`).
    fn uniform(&mut self, low: f64, high: f64) -> f64 {
        // The top 53 bits make a float in [0, 1) with every bit random.
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        low + (high - low) * unit
    }
}

async fn worker(name: String, queue: Arc<Queue<f64>>) {
    // `get` fails only once the queue is shut down, which this example never
    // does: the workers end by being aborted, as in asyncio.
    while let Ok(sleep_for) = queue.get().await {
        tokio::time::sleep(Duration::from_secs_f64(sleep_for)).await;
        queue
            .task_done()
            .expect("each item got is marked done exactly once");
        println!("{name} has slept for {sleep_for:.2} seconds");
    }
}

#[tokio::main]
async fn main() {
    let queue = Arc::new(Queue::new(0));

    let mut rng = XorShift64::seeded_from_clock();
    let mut total_sleep_time = 0.0;
    for _ in 0..20 {
        let sleep_for = rng.uniform(0.05, 1.0);
        total_sleep_time += sleep_for;
        queue
            .try_put(sleep_for)
            .expect("an unbounded queue is never full");
    }

    let workers: Vec<_> = (0..3)
        .map(|i| tokio::spawn(worker(format!("worker-{i}"), Arc::clone(&queue))))
        .collect();

    let started_at = Instant::now();
    queue.join().await;
    let total_slept_for = started_at.elapsed().as_secs_f64();

    for handle in &workers {
        handle.abort();
    }
    // Like `gather(..., return_exceptions=True)`: a cancelled worker is the
    // expected outcome, but a worker that panicked still reports it.
    for handle in workers {
        if let Err(err) = handle.await {
            if err.is_panic() {
                std::panic::resume_unwind(err.into_panic());
            }
        }
    }

    println!("3 workers slept in parallel for {total_slept_for:.2} seconds");
    println!("total expected sleep time: {total_sleep_time:.2} seconds");
}
