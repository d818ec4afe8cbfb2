//! The ordering disciplines: where `put` stores an item and which item `get`
//! takes. An ordering never touches the waiting/waking logic.
//!
//! The contract that keeps the queue consistent when a user's `Ord` panics:
//! `push` and `pop` either finish, or panic with every item (including the
//! one being pushed or popped) still in the buffer. `len` is then exact.

use std::cmp::Ordering;
use std::collections::VecDeque;

mod sealed {
    pub trait Sealed {}
}

/// An ordering discipline of a [`GenericQueue`](crate::GenericQueue): the
/// buffer that holds the items. Implemented by [`Fifo`], [`Lifo`] and
/// [`Priority`]; sealed, so that the queue's guarantees cannot be broken by
/// an outside implementation.
///
/// ```
/// use aioqueue::{Fifo, Order};
///
/// fn kind_name<T, O: Order<T>>(_: &aioqueue::GenericQueue<T, O>) -> &'static str {
///     O::NAME
/// }
/// assert_eq!(kind_name(&aioqueue::LifoQueue::<u8>::new(0)), "LifoQueue");
/// assert_eq!(<Fifo<u8> as Order<u8>>::NAME, "Queue");
/// ```
pub trait Order<T>: sealed::Sealed + Default {
    /// The queue's name in `Debug` output (`Queue`, `LifoQueue`, `PriorityQueue`).
    const NAME: &'static str;

    /// Whether `push` and `pop` run user code (`Ord`) that may panic. Only
    /// then does the queue pay for catching a panic around them: moving an
    /// item runs no user code, and the one panic `VecDeque`/`Vec` could
    /// raise (capacity overflow) changes nothing, so the state stays
    /// consistent and the lock, poisoned or not, is still usable.
    #[doc(hidden)]
    const RUNS_USER_CODE: bool;

    #[doc(hidden)]
    fn push(&mut self, item: T);
    #[doc(hidden)]
    fn pop(&mut self) -> Option<T>;
    #[doc(hidden)]
    fn len(&self) -> usize;
    #[doc(hidden)]
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Takes every item out, in storage order. Runs no user code, so it is
    /// safe under the queue's lock.
    #[doc(hidden)]
    fn take_all(&mut self) -> Vec<T>;
    /// Puts items taken by `take_all` into the order `pop` would have
    /// returned them. May run user code (`Ord`), so it runs unlocked.
    #[doc(hidden)]
    fn into_get_order(items: &mut Vec<T>);
}

/// First in, first out: the discipline of [`Queue`](crate::Queue).
///
/// ```
/// let queue: aioqueue::GenericQueue<u8, aioqueue::Fifo<u8>> = aioqueue::Queue::new(0);
/// queue.try_put(1).unwrap();
/// queue.try_put(2).unwrap();
/// assert_eq!(queue.try_get(), Ok(1));
/// ```
pub struct Fifo<T>(VecDeque<T>);

/// Last in, first out: the discipline of [`LifoQueue`](crate::LifoQueue).
///
/// ```
/// let queue: aioqueue::GenericQueue<u8, aioqueue::Lifo<u8>> = aioqueue::LifoQueue::new(0);
/// queue.try_put(1).unwrap();
/// queue.try_put(2).unwrap();
/// assert_eq!(queue.try_get(), Ok(2));
/// ```
pub struct Lifo<T>(Vec<T>);

/// Smallest item first (a binary min-heap): the discipline of
/// [`PriorityQueue`](crate::PriorityQueue). The order among equal items is
/// unspecified, as in asyncio.
///
/// ```
/// let queue: aioqueue::GenericQueue<u8, aioqueue::Priority<u8>> = aioqueue::PriorityQueue::new(0);
/// queue.try_put(2).unwrap();
/// queue.try_put(1).unwrap();
/// assert_eq!(queue.try_get(), Ok(1));
/// ```
pub struct Priority<T>(Vec<T>);

impl<T> Default for Fifo<T> {
    fn default() -> Self {
        Fifo(VecDeque::new())
    }
}

impl<T> Default for Lifo<T> {
    fn default() -> Self {
        Lifo(Vec::new())
    }
}

impl<T> Default for Priority<T> {
    fn default() -> Self {
        Priority(Vec::new())
    }
}

impl<T> sealed::Sealed for Fifo<T> {}
impl<T> sealed::Sealed for Lifo<T> {}
impl<T> sealed::Sealed for Priority<T> {}

impl<T> Order<T> for Fifo<T> {
    const NAME: &'static str = "Queue";
    const RUNS_USER_CODE: bool = false;

    #[inline]
    fn push(&mut self, item: T) {
        self.0.push_back(item);
    }

    #[inline]
    fn pop(&mut self) -> Option<T> {
        self.0.pop_front()
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn take_all(&mut self) -> Vec<T> {
        std::mem::take(&mut self.0).into()
    }

    fn into_get_order(_: &mut Vec<T>) {}
}

impl<T> Order<T> for Lifo<T> {
    const NAME: &'static str = "LifoQueue";
    const RUNS_USER_CODE: bool = false;

    fn push(&mut self, item: T) {
        self.0.push(item);
    }

    fn pop(&mut self) -> Option<T> {
        self.0.pop()
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn take_all(&mut self) -> Vec<T> {
        std::mem::take(&mut self.0)
    }

    fn into_get_order(items: &mut Vec<T>) {
        items.reverse();
    }
}

// The heap is written here rather than taken from `BinaryHeap` because
// `BinaryHeap::pop` drops the popped item when `Ord` panics mid-sift; this
// one sifts before it removes, so a panic loses nothing.
impl<T: Ord> Order<T> for Priority<T> {
    const NAME: &'static str = "PriorityQueue";
    const RUNS_USER_CODE: bool = true;

    fn push(&mut self, item: T) {
        self.0.push(item);
        let last = self.0.len() - 1;
        sift_up(&mut self.0, last);
    }

    fn pop(&mut self) -> Option<T> {
        let last = self.0.len().checked_sub(1)?;
        self.0.swap(0, last);
        sift_down_to_bottom(&mut self.0[..last]);
        self.0.pop()
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn take_all(&mut self) -> Vec<T> {
        std::mem::take(&mut self.0)
    }

    fn into_get_order(items: &mut Vec<T>) {
        items.sort_unstable();
    }
}

/// Moves `heap[child]` up to its place in a min-heap.
fn sift_up<T: Ord>(heap: &mut [T], mut child: usize) {
    while child > 0 {
        let parent = (child - 1) / 2;
        if heap[child].cmp(&heap[parent]) != Ordering::Less {
            break;
        }
        heap.swap(child, parent);
        child = parent;
    }
}

/// Moves `heap[0]` to its place in a min-heap the way CPython's `heapq` and
/// std's `BinaryHeap` pop do: down to a leaf along the smaller children (one
/// comparison per level instead of two), then up again, which is short
/// because the element came from the bottom. Swaps only, so a panicking
/// `Ord` leaves every item in the slice.
fn sift_down_to_bottom<T: Ord>(heap: &mut [T]) {
    let end = heap.len();
    let (mut position, mut child) = (0, 1);
    while child + 1 < end {
        // Branch-free: which child is smaller is a coin toss for random keys.
        child += usize::from(heap[child + 1] < heap[child]);
        heap.swap(position, child);
        position = child;
        child = 2 * position + 1;
    }
    if child + 1 == end {
        heap.swap(position, child);
        position = child;
    }
    sift_up(heap, position);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain<T, O: Order<T>>(order: &mut O) -> Vec<T> {
        std::iter::from_fn(|| order.pop()).collect()
    }

    #[test]
    fn priority_pops_in_ascending_order() {
        let mut heap = Priority::default();
        let input = [5, 1, 9, 3, 3, 7, 0, 8, 2, 6, 4];
        for item in input {
            heap.push(item);
        }
        let mut sorted = input.to_vec();
        sorted.sort();
        assert_eq!(drain(&mut heap), sorted);
    }

    #[test]
    fn priority_matches_a_sorted_model_under_mixed_pushes_and_pops() {
        // Every heap size from empty to a few levels deep, with duplicates,
        // and pops interleaved with pushes: each pop is the current minimum.
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % 50
        };
        for round in 0..200 {
            let mut heap = Priority::default();
            let mut model: Vec<u64> = Vec::new();
            for _ in 0..round {
                match next() % 3 {
                    0 => {
                        model.sort_unstable_by(|a, b| b.cmp(a));
                        assert_eq!(heap.pop(), model.pop());
                    }
                    _ => {
                        let item = next();
                        heap.push(item);
                        model.push(item);
                    }
                }
            }
            model.sort_unstable();
            assert_eq!(drain(&mut heap), model);
        }
    }

    #[test]
    fn take_all_then_get_order_matches_pop_order() {
        let input = [4, 2, 8, 6, 1];
        let mut fifo = Fifo::default();
        let mut lifo = Lifo::default();
        let mut prio = Priority::default();
        for item in input {
            fifo.push(item);
            lifo.push(item);
            prio.push(item);
        }
        let mut fifo_all = fifo.take_all();
        Fifo::into_get_order(&mut fifo_all);
        let mut lifo_all = lifo.take_all();
        Lifo::into_get_order(&mut lifo_all);
        let mut prio_all = prio.take_all();
        Priority::into_get_order(&mut prio_all);
        assert_eq!(fifo_all, vec![4, 2, 8, 6, 1]);
        assert_eq!(lifo_all, vec![1, 6, 8, 2, 4]);
        assert_eq!(prio_all, vec![1, 2, 4, 6, 8]);
        assert_eq!((fifo.len(), lifo.len(), prio.len()), (0, 0, 0));
    }
}
