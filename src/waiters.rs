//! A FIFO list of waiting tasks with O(1) append, notify and removal.
//!
//! The list lives in a slab (`Vec` of slots linked by index), so a cancelled
//! waiter leaves in O(1) without `unsafe` and without the lazy removal that
//! made CPython keep cancelled getters around (bpo-31620).
//!
//! A slot belongs to one future from `push_back` until that future calls
//! `take_notified` or `remove`. Notifying a waiter unlinks it from the list
//! (as CPython pops it) but keeps its slot, marked notified, so the future
//! can learn it was woken. Keys are therefore never reused while held.

use std::task::Waker;

/// Index of a waiter's slot; held by exactly one future.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WaiterKey(usize);

const NIL: usize = usize::MAX;

/// Above this many slots, a list that empties gives its memory back.
const SHRINK_ABOVE: usize = 64;

// [STATE-8] a slot is a future's *waiting* or *notified* state; an
// *unpolled* or *done* future holds none.
enum Slot {
    /// In the list, waiting; `prev`/`next` link the list in arrival order.
    Waiting {
        waker: Waker,
        prev: usize,
        next: usize,
    },
    /// Unlinked by a notify; the future has not seen it yet.
    Notified,
    /// Unused; links the free list.
    Free { next_free: usize },
}

pub(crate) struct WaiterList {
    slots: Vec<Slot>,
    head: usize,
    tail: usize,
    free_head: usize,
    /// Number of slots in `Waiting` (the `Debug` count).
    waiting: usize,
    /// Number of slots not `Free`.
    held: usize,
}

impl Default for WaiterList {
    fn default() -> Self {
        WaiterList {
            slots: Vec::new(),
            head: NIL,
            tail: NIL,
            free_head: NIL,
            waiting: 0,
            held: 0,
        }
    }
}

impl WaiterList {
    /// How many tasks are waiting (notified ones have left the list).
    pub(crate) fn len(&self) -> usize {
        // [DEBUG-3] notified futures are not counted.
        self.waiting
    }

    /// The waiter's place in the list (1 = next to be notified), or `None`
    /// once it was notified. Walks the list: for `Debug`, not hot paths.
    pub(crate) fn place(&self, key: WaiterKey) -> Option<usize> {
        // [DEBUG-2] `None` once notified.
        let Some(Slot::Waiting { mut prev, .. }) = self.slots.get(key.0) else {
            return None;
        };
        let mut place = 1;
        while let Some(Slot::Waiting { prev: before, .. }) = self.slots.get(prev) {
            place += 1;
            prev = *before;
        }
        Some(place)
    }

    /// Appends a waiter at the back of the list.
    pub(crate) fn push_back(&mut self, waker: &Waker) -> WaiterKey {
        let slot = Slot::Waiting {
            waker: waker.clone(),
            prev: self.tail,
            next: NIL,
        };
        let index = if self.free_head == NIL {
            self.slots.push(slot);
            self.slots.len() - 1
        } else {
            let index = self.free_head;
            if let Slot::Free { next_free } = self.slots[index] {
                self.free_head = next_free;
            }
            self.slots[index] = slot;
            index
        };
        // [STATE-3] at the back: the list is in arrival order.
        self.link_back(index);
        self.held += 1;
        WaiterKey(index)
    }

    fn link_back(&mut self, index: usize) {
        match self.slots.get_mut(self.tail) {
            Some(Slot::Waiting { next, .. }) => *next = index,
            _ => self.head = index,
        }
        self.tail = index;
        self.waiting += 1;
    }

    /// If the waiter was notified, frees its slot and returns `true`.
    /// Otherwise it stays in place and its waker is replaced by `waker`
    /// when they would wake different tasks.
    pub(crate) fn take_notified(&mut self, key: WaiterKey, waker: &Waker) -> bool {
        match &mut self.slots[key.0] {
            // [POLL-3] [WAKE-5] a spurious poll keeps its place; the waker is
            // replaced only if it would wake another task.
            Slot::Waiting { waker: current, .. } => {
                if !current.will_wake(waker) {
                    current.clone_from(waker);
                }
                false
            }
            // [POLL-4] notified: the notification is consumed.
            Slot::Notified => {
                self.free(key.0);
                true
            }
            // Unreachable while each key has one owner; never free twice.
            Slot::Free { .. } => true,
        }
    }

    /// Removes a waiter whose future is gone; returns whether it had been
    /// notified (and so must pass its wakeup on if it can).
    pub(crate) fn remove(&mut self, key: WaiterKey) -> bool {
        let notified = match self.slots[key.0] {
            // [CANCEL-2] [HIST-2] a waiting future leaves at once, in O(1).
            Slot::Waiting { .. } => {
                self.unlink(key.0);
                false
            }
            // [CANCEL-3] [CANCEL-5] notified: the caller decides whether to
            // pass the wakeup on.
            Slot::Notified => true,
            // Unreachable while each key has one owner; never free twice.
            Slot::Free { .. } => return false,
        };
        self.free(key.0);
        notified
    }

    /// Notifies the waiter at the front, if any, and returns its waker.
    #[inline]
    pub(crate) fn notify_one(&mut self) -> Option<Waker> {
        if self.head == NIL {
            return None;
        }
        // [WAKE-1] [HIST-3] the front waiter: lists hold waiting futures only.
        let index = self.head;
        self.unlink(index)
    }

    /// Notifies every waiter, front to back, handing their wakers to `wake`.
    pub(crate) fn notify_all(&mut self, mut wake: impl FnMut(Waker)) {
        // [WAKE-2] front to back, leaving the list empty.
        while let Some(waker) = self.notify_one() {
            wake(waker);
        }
    }

    /// Unlinks a waiting slot, marks it notified, and returns its waker.
    fn unlink(&mut self, index: usize) -> Option<Waker> {
        // [STATE-9] [WAKE-3] notified means out of the list: in no list, and
        // never notified twice.
        let Slot::Waiting { waker, prev, next } =
            std::mem::replace(&mut self.slots[index], Slot::Notified)
        else {
            return None;
        };
        match self.slots.get_mut(prev) {
            Some(Slot::Waiting { next: after, .. }) => *after = next,
            _ => self.head = next,
        }
        match self.slots.get_mut(next) {
            Some(Slot::Waiting { prev: before, .. }) => *before = prev,
            _ => self.tail = prev,
        }
        self.waiting -= 1;
        Some(waker)
    }

    fn free(&mut self, index: usize) {
        self.slots[index] = Slot::Free {
            next_free: self.free_head,
        };
        self.free_head = index;
        self.held -= 1;
        if self.held == 0 && self.slots.len() > SHRINK_ABOVE {
            // [HIST-2] A storm of cancelled waiters must not leave its memory
            // behind.
            *self = WaiterList::default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::task::Wake;

    struct Tagged(usize, Arc<AtomicUsize>);
    impl Wake for Tagged {
        fn wake(self: Arc<Self>) {
            self.1.store(self.0, Ordering::SeqCst);
        }
    }

    fn waker(tag: usize, last: &Arc<AtomicUsize>) -> Waker {
        Waker::from(Arc::new(Tagged(tag, last.clone())))
    }

    #[test]
    fn notifies_in_arrival_order_and_skips_removed() {
        let last = Arc::new(AtomicUsize::new(0));
        let mut list = WaiterList::default();
        let keys: Vec<_> = (1..=4).map(|t| list.push_back(&waker(t, &last))).collect();
        assert!(!list.remove(keys[1]));
        assert_eq!(list.len(), 3);
        let mut order = Vec::new();
        list.notify_all(|w| {
            w.wake();
            order.push(last.load(Ordering::SeqCst));
        });
        assert_eq!(order, vec![1, 3, 4]);
        assert_eq!(list.len(), 0);
        for key in [keys[0], keys[2], keys[3]] {
            assert!(list.take_notified(key, &waker(0, &last)));
        }
        assert_eq!(list.held, 0);
    }

    #[test]
    fn spurious_check_keeps_place_and_newest_waker() {
        let last = Arc::new(AtomicUsize::new(0));
        let mut list = WaiterList::default();
        let first = list.push_back(&waker(1, &last));
        let _second = list.push_back(&waker(2, &last));
        assert!(!list.take_notified(first, &waker(9, &last)));
        if let Some(w) = list.notify_one() {
            w.wake();
        }
        assert_eq!(last.load(Ordering::SeqCst), 9);
        assert!(list.remove(first));
    }

    #[test]
    fn memory_returns_after_a_cancel_storm() {
        let last = Arc::new(AtomicUsize::new(0));
        let w = waker(1, &last);
        let mut list = WaiterList::default();
        let keys: Vec<_> = (0..10_000).map(|_| list.push_back(&w)).collect();
        for key in keys {
            list.remove(key);
        }
        assert_eq!(list.slots.capacity(), 0);
        assert_eq!(list.len(), 0);
    }

    #[test]
    fn a_big_list_keeps_its_waiters_while_some_leave() {
        let last = Arc::new(AtomicUsize::new(0));
        let mut list = WaiterList::default();
        let keys: Vec<_> = (0..100).map(|t| list.push_back(&waker(t, &last))).collect();
        for key in &keys[..99] {
            assert!(!list.remove(*key));
        }
        assert_eq!(list.len(), 1);
        assert_eq!(list.held, 1);
        let Some(front) = list.notify_one() else {
            panic!("the last waiter is still in the list");
        };
        front.wake();
        assert_eq!(last.load(Ordering::SeqCst), 99);
        assert!(list.take_notified(keys[99], &waker(0, &last)));
        assert_eq!((list.len(), list.held, list.slots.capacity()), (0, 0, 0));
    }
}
