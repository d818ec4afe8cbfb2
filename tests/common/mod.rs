//! Helpers shared by the crate's integration tests.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use std::task::{Wake, Waker};

/// A waker that counts its wakes.
#[derive(Default)]
pub struct Count(AtomicUsize);

impl Count {
    /// The wakes so far.
    pub fn wakes(&self) -> usize {
        self.0.load(SeqCst)
    }
}

impl Wake for Count {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, SeqCst);
    }
}

/// A counting waker, and the count to read.
pub fn counter() -> (Arc<Count>, Waker) {
    let count = Arc::new(Count::default());
    (Arc::clone(&count), Waker::from(Arc::clone(&count)))
}
