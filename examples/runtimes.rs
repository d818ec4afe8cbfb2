//! One queue, one program, four executors: tokio (one thread and two),
//! smol and `futures::executor`. aioqueue binds to no event loop: its
//! futures only use the `Waker` they are polled with.
//!
//! Run it with `cargo run --example runtimes`.

use std::sync::Arc;

use aioqueue::Queue;

/// A producer and a consumer sharing a bounded queue, and `join` waiting
/// until every item was marked done. Returns the sum the consumer saw.
async fn pipeline(queue: Arc<Queue<u64>>) -> u64 {
    let producer = {
        let queue = Arc::clone(&queue);
        async move {
            for item in 1..=1_000 {
                queue.put(item).await.expect("not shut down");
            }
        }
    };
    let consumer = {
        let queue = Arc::clone(&queue);
        async move {
            let mut sum = 0;
            for _ in 0..1_000 {
                sum += queue.get().await.expect("not shut down");
                queue.task_done().expect("one task_done per item");
            }
            sum
        }
    };
    let ((), sum, ()) = futures::join!(producer, consumer, queue.join());
    sum
}

fn main() {
    let expected: u64 = (1..=1_000).sum();
    let fresh = || Arc::new(Queue::new(8));

    let tokio_one = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime")
        .block_on(pipeline(fresh()));
    println!("tokio, current_thread:  {tokio_one}");

    // Spawned tasks on two worker threads: the owned futures' use case.
    let tokio_two = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a runtime")
        .block_on(async {
            let queue = fresh();
            let consumer = tokio::spawn(pipeline(Arc::clone(&queue)));
            consumer.await.expect("the task ran")
        });
    println!("tokio, 2 workers:       {tokio_two}");

    let smol = smol::block_on(pipeline(fresh()));
    println!("smol:                   {smol}");

    let executor = futures::executor::block_on(pipeline(fresh()));
    println!("futures::executor:      {executor}");

    for sum in [tokio_one, tokio_two, smol, executor] {
        assert_eq!(sum, expected);
    }
}
