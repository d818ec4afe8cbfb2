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

    fn push(&mut self, item: T) {
        self.0.push_back(item);
    }

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

    fn push(&mut self, item: T) {
        self.0.push(item);
        sift_up(&mut self.0);
    }

    fn pop(&mut self) -> Option<T> {
        let last = self.0.len().checked_sub(1)?;
        self.0.swap(0, last);
        sift_down(&mut self.0[..last], 0);
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

/// Moves the last element up to its place in a min-heap.
fn sift_up<T: Ord>(heap: &mut [T]) {
    let Some(mut child) = heap.len().checked_sub(1) else {
        return;
    };
    while child > 0 {
        let parent = (child - 1) / 2;
        if heap[child].cmp(&heap[parent]) != Ordering::Less {
            break;
        }
        heap.swap(child, parent);
        child = parent;
    }
}

/// Moves `heap[parent]` down to its place in a min-heap.
fn sift_down<T: Ord>(heap: &mut [T], mut parent: usize) {
    loop {
        let left = 2 * parent + 1;
        if left >= heap.len() {
            return;
        }
        let right = left + 1;
        let smaller = if right < heap.len() && heap[right] < heap[left] {
            right
        } else {
            left
        };
        if heap[smaller] >= heap[parent] {
            return;
        }
        heap.swap(parent, smaller);
        parent = smaller;
    }
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
