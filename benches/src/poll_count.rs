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
    // One producer task sending `0..items` through `$tx` and one consumer
    // task receiving `items` from `$rx`, each future counted. Boxed: kanal's
    // futures are not `Unpin`; the box changes no count.
    macro_rules! counted_tasks {
        ($tx:ident, $rx:ident, |$item:ident| $send:expr, $recv:expr) => {{
            let producer = tokio::spawn(async move {
                let mut counts = PollCounts::default();
                for $item in 0..items {
                    counted(Box::pin($send), &mut counts).await.expect("open");
                }
                counts
            });
            let consumer = tokio::spawn(async move {
                let mut counts = PollCounts::default();
                for _ in 0..items {
                    counted(Box::pin($recv), &mut counts).await.expect("open");
                }
                counts
            });
            (producer, consumer)
        }};
    }
    let (producer, consumer) = match peer {
        Peer::Aioqueue => {
            let rx = Arc::new(aioqueue::Queue::new(capacity.maxsize()));
            let tx = Arc::clone(&rx);
            counted_tasks!(tx, rx, |item| tx.put(item), rx.get())
        }
        Peer::Flume => {
            let (tx, rx) = capacity.channel(flume::bounded, flume::unbounded);
            counted_tasks!(tx, rx, |item| tx.send_async(item), rx.recv_async())
        }
        Peer::Kanal => {
            let (tx, rx) = capacity.channel(kanal::bounded_async, kanal::unbounded_async);
            counted_tasks!(tx, rx, |item| tx.send(item), rx.recv())
        }
        other => panic!("poll counts are measured for aioqueue, flume and kanal, not {other:?}"),
    };
    producer.await.expect("producer task") + consumer.await.expect("consumer task")
}
