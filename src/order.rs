//! The ordering disciplines: where `put` stores an item and which item `get`
//! takes. An ordering never touches the waiting/waking logic.
//!
//! The contract that keeps the queue consistent when a user's `Ord` panics:
//! `push` and `pop` either finish, or panic with every item (including the
//! one being pushed or popped) still in the buffer. `len` is then exact.
//!
//! Comments cite, by ID in brackets, the rules of `docs/semantics.md` (the
//! `semantics` module) that a line implements.

use std::collections::VecDeque;

mod sealed {
    pub trait Sealed {}
}

/// An ordering discipline of a [`GenericQueue`](crate::GenericQueue): the
/// buffer that holds the items. Implemented by [`Fifo`], [`Lifo`] and
/// [`Priority`]; sealed, so that the queue's guarantees cannot be broken by
/// an outside implementation.
///
/// Rules: [`ORDER-4`](crate::semantics#ORDER-4), [`DIFF-11`](crate::semantics#DIFF-11).
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
///
/// No other ordering can be written outside the crate:
///
/// ```compile_fail,E0277
/// // docs/semantics.md DIFF-11: `Order` is sealed.
/// #[derive(Default)]
/// struct Mine;
/// impl<T> aioqueue::Order<T> for Mine {
///     const NAME: &'static str = "Mine";
/// }
/// ```
// [ORDER-4] an ordering stores and takes items, and never sees the waiters.
pub trait Order<T>: sealed::Sealed + Default {
    /// The queue's name in `Debug` output (`Queue`, `LifoQueue`, `PriorityQueue`).
    ///
    /// Rules: [`DEBUG-1`](crate::semantics#DEBUG-1).
    const NAME: &'static str;

    /// Whether `push` and `pop` run user code (`Ord`) that may panic. Only
    /// then does the queue pay for what a panic halfway needs (the drop
    /// guards of `put` and `get`, a batch get's catch): moving an item runs
    /// no user code, and the one panic `VecDeque`/`Vec` could raise
    /// (capacity overflow) changes nothing.
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
/// Rules: [`ORDER-1`](crate::semantics#ORDER-1).
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
/// Rules: [`ORDER-2`](crate::semantics#ORDER-2).
///
/// ```
/// let queue: aioqueue::GenericQueue<u8, aioqueue::Lifo<u8>> = aioqueue::LifoQueue::new(0);
/// queue.try_put(1).unwrap();
/// queue.try_put(2).unwrap();
/// assert_eq!(queue.try_get(), Ok(2));
/// ```
pub struct Lifo<T>(Vec<T>);

/// Smallest item first: the discipline of
/// [`PriorityQueue`](crate::PriorityQueue), CPython's `heapq` algorithm
/// step for step. It asks the same "is `a < b`?" questions, on the same
/// items, in the same order as CPython's C `_heapq`, so equal items come
/// out in the order `asyncio.PriorityQueue` gives them (which is not the
/// order they were put in, and not `BinaryHeap`'s either).
///
/// Rules: [`ORDER-3`](crate::semantics#ORDER-3), [`PANIC-3`](crate::semantics#PANIC-3),
/// [`PANIC-4`](crate::semantics#PANIC-4).
///
/// ```
/// use std::cmp::Ordering;
///
/// // Compared by priority alone, like a Python `dataclass(order=True)`
/// // whose payload is `field(compare=False)`.
/// #[derive(Debug)]
/// struct Job(u8, char);
/// impl PartialEq for Job { fn eq(&self, o: &Self) -> bool { self.0 == o.0 } }
/// impl Eq for Job {}
/// impl PartialOrd for Job { fn partial_cmp(&self, o: &Self) -> Option<Ordering> { Some(self.cmp(o)) } }
/// impl Ord for Job { fn cmp(&self, o: &Self) -> Ordering { self.0.cmp(&o.0) } }
///
/// let queue = aioqueue::PriorityQueue::new(0);
/// for job in [Job(0, 'a'), Job(1, 'b'), Job(1, 'c'), Job(2, 'd')] {
///     queue.try_put(job).unwrap();
/// }
/// let order: String = std::iter::from_fn(|| queue.try_get().ok()).map(|j| j.1).collect();
/// assert_eq!(order, "acbd"); // what CPython 3.13 gives, ties included
/// ```
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
        // [ORDER-1] a put appends at the back.
        self.0.push_back(item);
    }

    #[inline]
    fn pop(&mut self) -> Option<T> {
        // [ORDER-1] a get takes the front.
        self.0.pop_front()
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn take_all(&mut self) -> Vec<T> {
        std::mem::take(&mut self.0).into()
    }

    fn into_get_order(_: &mut Vec<T>) {
        // [SHUT-7] storage order is already get order.
    }
}

impl<T> Order<T> for Lifo<T> {
    const NAME: &'static str = "LifoQueue";
    const RUNS_USER_CODE: bool = false;

    fn push(&mut self, item: T) {
        // [ORDER-2] a put appends at the back.
        self.0.push(item);
    }

    fn pop(&mut self) -> Option<T> {
        // [ORDER-2] a get takes the back.
        self.0.pop()
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn take_all(&mut self) -> Vec<T> {
        std::mem::take(&mut self.0)
    }

    fn into_get_order(items: &mut Vec<T>) {
        // [SHUT-7] repeated gets take the last item first.
        items.reverse();
    }
}

// The heap is CPython's `heapq`, not std's `BinaryHeap`: the two break ties
// differently, and `BinaryHeap::pop` drops the popped item when `Ord` panics
// mid-sift, where this one sifts before it removes, so a panic loses nothing.
// `push` is `heappush`; `pop` is `heappop`: the last item goes to the root,
// then `_siftup`. [ORDER-3]
impl<T: Ord> Order<T> for Priority<T> {
    const NAME: &'static str = "PriorityQueue";
    const RUNS_USER_CODE: bool = true;

    fn push(&mut self, item: T) {
        // [ORDER-3] `heappush`: append, then sift up. [PANIC-3] The item is
        // in the buffer before any `Ord` runs, so a panic keeps it.
        self.0.push(item);
        let last = self.0.len() - 1;
        sift_up(&mut self.0, last);
    }

    fn pop(&mut self) -> Option<T> {
        // [ORDER-3] `heappop`: the last item goes to the root and sifts.
        // [PANIC-4] The popped item leaves only after the sift, so a
        // panicking `Ord` leaves every item in the buffer.
        let last = self.0.len().checked_sub(1)?;
        self.0.swap(0, last);
        sift_down_to_bottom(&mut self.0[..last]);
        self.0.pop()
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn take_all(&mut self) -> Vec<T> {
        // [SHUT-7] [PANIC-5] moves only: no `Ord` runs under the lock.
        std::mem::take(&mut self.0)
    }

    /// Repeated pops, as CPython's `shutdown(immediate=True)` does: the
    /// same comparisons, so the same order among equal items. [SHUT-7]
    fn into_get_order(items: &mut Vec<T>) {
        let mut heap = Priority(std::mem::take(items));
        items.reserve_exact(heap.0.len());
        while let Some(item) = heap.pop() {
            items.push(item);
        }
    }
}

/// `heapq._siftdown(heap, 0, child)`: moves `heap[child]` up while it is
/// less than its parent, asking "child < parent?" once per level.
fn sift_up<T: Ord>(heap: &mut [T], mut child: usize) {
    while child > 0 {
        let parent = (child - 1) / 2;
        if !less(&heap[child], &heap[parent]) {
            break;
        }
        heap.swap(child, parent);
        child = parent;
    }
}

/// `heapq._siftup(heap, 0)`: moves the smaller child up until `heap[0]`'s
/// item reaches a leaf, asking "left < right?" once per level and taking the
/// right child unless the left one is less (so ties go right), then sifts
/// that item back up. Swaps only, so a panicking `Ord` leaves every item in
/// the slice.
fn sift_down_to_bottom<T: Ord>(heap: &mut [T]) {
    let mut position = 0;
    let mut left = 1;
    // Both children exist: one question ("left < right?"), then the smaller
    // child moves up: the right one unless the left is less. No branch:
    // which child is smaller is a coin toss for random keys.
    while let Some(children) = heap.get(left..left + 2) {
        // [ORDER-3] ties go right: the right child unless the left is less.
        let child = left + 1 - usize::from(less(&children[0], &children[1]));
        heap.swap(position, child);
        position = child;
        left = 2 * position + 1;
    }
    // A lone left child moves up without a question, as in `_siftup`.
    if left + 1 == heap.len() {
        heap.swap(position, left);
        position = left;
    }
    sift_up(heap, position);
}

/// The one question `heapq` asks of items: `a < b`. Every comparison of the
/// heap goes through here, so its sequence is CPython's.
#[inline]
fn less<T: Ord>(a: &T, b: &T) -> bool {
    a < b
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

    /// An item compared by its key alone, that logs every "a < b?" asked.
    #[derive(Debug, Clone, Copy)]
    struct Tagged(u8, char);

    thread_local! {
        static ASKED: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    impl PartialEq for Tagged {
        fn eq(&self, other: &Self) -> bool {
            self.0 == other.0
        }
    }
    impl Eq for Tagged {}
    impl PartialOrd for Tagged {
        fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Tagged {
        fn cmp(&self, other: &Self) -> std::cmp::Ordering {
            ASKED.with(|log| {
                log.borrow_mut()
                    .push(format!("{}{}<{}{}", self.0, self.1, other.0, other.1))
            });
            self.0.cmp(&other.0)
        }
    }

    fn asked() -> Vec<String> {
        ASKED.with(|log| std::mem::take(&mut *log.borrow_mut()))
    }

    fn tags(items: &[(u8, char)]) -> String {
        let mut heap = Priority::default();
        for &(key, tag) in items {
            heap.push(Tagged(key, tag));
        }
        std::iter::from_fn(|| heap.pop())
            .map(|item| item.1)
            .collect()
    }

    #[test]
    fn equal_items_come_out_in_cpythons_order() {
        // asyncio.PriorityQueue on CPython 3.13, puts then one get per item.
        assert_eq!(tags(&[(0, 'a'), (1, 'b'), (1, 'c'), (2, 'd')]), "acbd");
        let five: Vec<(u8, char)> = "abcde".chars().map(|tag| (1, tag)).collect();
        assert_eq!(tags(&five), "acebd");
        let mixed = [(2, 'a'), (1, 'b'), (1, 'c'), (1, 'd'), (0, 'e'), (1, 'f')];
        assert_eq!(tags(&mixed), "ecfdba");
    }

    #[test]
    fn asks_heapqs_questions_in_heapqs_order() {
        // Recorded from CPython 3.13's C `_heapq` (heappush x6, heappop x6)
        // with an item whose `__lt__` logs `self<other`.
        let mut heap = Priority::default();
        let items = [(2, 'a'), (1, 'b'), (1, 'c'), (1, 'd'), (0, 'e'), (1, 'f')];
        asked();
        for (key, tag) in items {
            heap.push(Tagged(key, tag));
        }
        assert_eq!(
            asked(),
            ["1b<2a", "1c<1b", "1d<2a", "1d<1b", "0e<1d", "0e<1b", "1f<1c"]
        );
        let popped: String = std::iter::from_fn(|| heap.pop()).map(|i| i.1).collect();
        assert_eq!(popped, "ecfdba");
        assert_eq!(
            asked(),
            ["1b<1c", "1f<1c", "1b<1f", "1d<1f", "1b<1d", "2a<1d", "2a<1b"]
        );
    }

    #[test]
    fn drained_items_are_in_pop_order_with_the_same_comparisons() {
        let items = [(2, 'a'), (1, 'b'), (1, 'c'), (1, 'd'), (0, 'e'), (1, 'f')];
        let mut by_pops = Priority::default();
        let mut by_drain = Priority::default();
        for (key, tag) in items {
            by_pops.push(Tagged(key, tag));
            by_drain.push(Tagged(key, tag));
        }
        asked();
        let popped: String = std::iter::from_fn(|| by_pops.pop()).map(|i| i.1).collect();
        let pop_questions = asked();
        let mut drained = by_drain.take_all();
        Priority::into_get_order(&mut drained);
        let drained: String = drained.iter().map(|i| i.1).collect();
        assert_eq!(drained, popped);
        assert_eq!(asked(), pop_questions);
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
