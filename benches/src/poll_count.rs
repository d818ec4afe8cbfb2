//! How often the SPSC workload's futures are polled, and how often they
//! return `Pending`, per item: the work the executor does for a queue, as
//! opposed to the work the queue does itself.
//!
//! At capacity 1 this is where asyncio's semantics cost speed: a `put` that
//! found the queue full waits until a `get` makes room, and only then puts
//! (CPython's `while self.full(): await putter`), so the consumer's next
//! `get` finds the queue empty and waits too: two `Pending`s per item. A
//! channel that hands a blocked sender's message straight to the receiver
//! (flume) needs one.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use crate::workloads::Peer;
use crate::Capacity;

/// Polls and `Pending`s counted by one task.
#[derive(Clone, Copy, Debug, Default)]
pub struct PollCounts {
    /// Every poll of a `put`/`send` or `get`/`recv` future.
    pub polls: u64,
    /// Polls that returned `Pending`.
    pub pending: u64,
}

impl std::ops::Add for PollCounts {
    type Output = PollCounts;
    fn add(self, other: PollCounts) -> PollCounts {
        PollCounts {
            polls: self.polls + other.polls,
            pending: self.pending + other.pending,
        }
    }
}

/// Counts into its task's own `PollCounts`: no shared counter to contend on.
struct Counted<'a, F> {
    future: F,
    counts: &'a mut PollCounts,
}

impl<F: Future + Unpin> Future for Counted<'_, F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        this.counts.polls += 1;
        let poll = Pin::new(&mut this.future).poll(cx);
        this.counts.pending += u64::from(poll.is_pending());
        poll
    }
}

async fn counted<F: Future + Unpin>(future: F, counts: &mut PollCounts) -> F::Output {
    Counted { future, counts }.await
}

/// One producer and one consumer task move `0..items` through `peer` (only
/// aioqueue, flume and kanal: the first differs from the others at
/// capacity 1). Must run inside
/// the tokio runtime. Returns the counts of both tasks together.
pub async fn spsc_poll_counts(peer: Peer, capacity: Capacity, items: u64) -> PollCounts {
    let (producer, consumer) = match peer {
        Peer::Aioqueue => {
            let queue = Arc::new(aioqueue::Queue::new(capacity.maxsize()));
            let putter = Arc::clone(&queue);
            let producer = tokio::spawn(async move {
                let mut counts = PollCounts::default();
                for item in 0..items {
                    counted(putter.put(item), &mut counts).await.expect("open");
                }
                counts
            });
            let consumer = tokio::spawn(async move {
                let mut counts = PollCounts::default();
                for _ in 0..items {
                    counted(queue.get(), &mut counts).await.expect("open");
                }
                counts
            });
            (producer, consumer)
        }
        Peer::Flume => {
            let (tx, rx) = capacity.channel(flume::bounded, flume::unbounded);
            let producer = tokio::spawn(async move {
                let mut counts = PollCounts::default();
                for item in 0..items {
                    counted(tx.send_async(item), &mut counts)
                        .await
                        .expect("open");
                }
                counts
            });
            let consumer = tokio::spawn(async move {
                let mut counts = PollCounts::default();
                for _ in 0..items {
                    counted(rx.recv_async(), &mut counts).await.expect("open");
                }
                counts
            });
            (producer, consumer)
        }
        Peer::Kanal => {
            let (tx, rx) = capacity.channel(kanal::bounded_async, kanal::unbounded_async);
            // Boxed: kanal's futures are not `Unpin`. The box changes no count.
            let producer = tokio::spawn(async move {
                let mut counts = PollCounts::default();
                for item in 0..items {
                    counted(Box::pin(tx.send(item)), &mut counts)
                        .await
                        .expect("open");
                }
                counts
            });
            let consumer = tokio::spawn(async move {
                let mut counts = PollCounts::default();
                for _ in 0..items {
                    counted(Box::pin(rx.recv()), &mut counts)
                        .await
                        .expect("open");
                }
                counts
            });
            (producer, consumer)
        }
        other => panic!("poll counts are measured for aioqueue, flume and kanal, not {other:?}"),
    };
    producer.await.expect("producer task") + consumer.await.expect("consumer task")
}
