//! A put that waits under a deadline in `tokio::select!`, and gets its item
//! back when the deadline wins: `Put::cancel` cancels exactly as a drop
//! would (a wakeup it can no longer use passes to the next putter), but
//! hands the item back instead of dropping it.
//!
//! Run it with `cargo run --example select_timeout`.

use std::time::Duration;

use aioqueue::Queue;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let queue = Queue::new(1);
    queue.try_put(String::from("already queued")).expect("room");

    // The queue is full and nobody gets: the deadline wins.
    let mut put = queue.put(String::from("urgent report"));
    let recovered = tokio::select! {
        result = &mut put => {
            result.expect("not shut down");
            None
        }
        () = tokio::time::sleep(Duration::from_millis(50)) => put.cancel(),
    };
    assert_eq!(recovered.as_deref(), Some("urgent report"));
    assert_eq!(
        queue.waiting_putters(),
        0,
        "the cancelled put left the line"
    );
    println!("timed out; got back {recovered:?}");

    // With room, the put wins, and there is nothing to recover.
    assert_eq!(queue.try_get().as_deref(), Ok("already queued"));
    let mut put = queue.put(String::from("second try"));
    tokio::select! {
        result = &mut put => result.expect("not shut down"),
        () = tokio::time::sleep(Duration::from_secs(5)) => unreachable!("there was room"),
    }
    assert_eq!(put.cancel(), None, "a completed put hands nothing back");
    assert_eq!(queue.len(), 1);
    println!("the second put went in");
}
