//! A two-stage pipeline built from queue streams (feature `stream`):
//! numbers flow through a `Queue` into a mapping stage and on into a
//! `PriorityQueue`, and each stream ends when its queue is shut down and
//! empty. `task_done` stays the consumer's job, as in asyncio.
//!
//! Run it with `cargo run --example stream_pipeline --features stream`.

use std::sync::Arc;

use aioqueue::{PriorityQueue, Queue};
use futures::StreamExt;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let raw = Arc::new(Queue::new(4));
    let squared = Arc::new(PriorityQueue::new(0));

    // Stage 2: square each number, mark it done upstream, pass it on.
    let stage = {
        let (raw, squared) = (Arc::clone(&raw), Arc::clone(&squared));
        tokio::spawn(async move {
            let mut numbers = Arc::clone(&raw).into_stream();
            while let Some(n) = numbers.next().await {
                squared.put(std::cmp::Reverse(n * n)).await.expect("open");
                raw.task_done().expect("one per item");
            }
            squared.shutdown(); // upstream ended: end downstream too
        })
    };

    for n in [3u64, 1, 4, 1, 5, 9, 2, 6] {
        raw.put(n).await.expect("open");
    }
    raw.join().await; // stage 2 has taken and finished every number
    raw.shutdown(); // its stream ends
    stage.await.expect("stage 2 ran");

    // Drain the priority queue through its stream: largest square first.
    let out: Vec<u64> = squared
        .stream()
        .map(|std::cmp::Reverse(s)| s)
        .collect()
        .await;
    assert_eq!(out, vec![81, 36, 25, 16, 9, 4, 1, 1]);
    println!("{out:?}");
}
