//! Plain threads and async tasks sharing one queue: two OS threads produce
//! with `put_blocking`, two tokio tasks consume with `get().await`, and the
//! main thread waits with `join_blocking`. Blocked threads wait in the same
//! FIFO lists as async tasks, so both are served in one order.
//!
//! Run it with `cargo run --example threads_and_tasks`.

use std::sync::Arc;
use std::thread;

use aioqueue::Queue;

fn main() {
    let queue = Arc::new(Queue::new(4));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a runtime");

    // Consumers: async tasks. `get_owned` futures own an `Arc`, so they can
    // be spawned; a plain `get()` inside the task works as well.
    let consumers: Vec<_> = (0..2)
        .map(|_| {
            let queue = Arc::clone(&queue);
            runtime.spawn(async move {
                let mut got = Vec::new();
                while let Ok(item) = Arc::clone(&queue).get_owned().await {
                    got.push(item);
                    queue.task_done().expect("one task_done per item");
                }
                got
            })
        })
        .collect();

    // Producers: OS threads that block while the queue is full. (Never
    // call the `_blocking` methods inside an async task: they block the
    // executor's thread.)
    let producers: Vec<_> = (0..2)
        .map(|producer| {
            let queue = Arc::clone(&queue);
            thread::spawn(move || {
                for n in 0..500 {
                    queue
                        .put_blocking(producer * 1_000 + n)
                        .expect("not shut down");
                }
            })
        })
        .collect();
    for producer in producers {
        producer.join().expect("the producer ran");
    }

    queue.join_blocking(); // every item got and marked done
    queue.shutdown(); // the consumers' next get fails: they end
    let mut all: Vec<u32> = runtime.block_on(async {
        let mut all = Vec::new();
        for consumer in consumers {
            all.extend(consumer.await.expect("the consumer ran"));
        }
        all
    });
    all.sort_unstable();
    let expected: Vec<u32> = (0..500).chain(1_000..1_500).collect();
    assert_eq!(all, expected, "every item once");
    println!("{} items from 2 threads to 2 tasks, each once", all.len());
}
