//! `hostile_items`: a `PriorityQueue` whose items compare inconsistently or
//! panic in `Ord` and panic in `Drop`, at points the fuzzer chooses.
//!
//! The promises checked (`PANIC-1` to `PANIC-6`, `STATE-13`/`STATE-14`): a
//! panic reaches only the caller that ran the user code; the queue stays
//! usable; `len` counts exactly the items in it; `unfinished_tasks` counts
//! every item put, including one whose push panicked; no item is lost,
//! duplicated or dropped twice (every item's life is tracked); the waiter
//! counts in `Debug` are exactly the futures still waiting; each operation
//! wakes as many waiters as the rules say, panicking or not; no waiting task
//! misses a wakeup; and once the items behave, the queue works as before.
//!
//! Input layout:
//!
//! - byte 0: maxsize (`% 5`: 0 = unbounded, up to 4);
//! - byte 1: the length of the comparison tape (`% 17`), then the tape:
//!   comparison number `n` behaves as `tape[n % len] % 8` says: 0 to 2
//!   compare the keys, 3 reversed, 4 always `Less`, 5 always `Greater`,
//!   6 always `Equal`, 7 panics;
//! - then operations, one byte each (`% 16` the operation, `/ 16 % 8` the
//!   slot of a future), some followed by a parameter byte: a new item's key
//!   (`% 16`) and whether its `Drop` panics (`>= 0xE0`).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::future::Future;
use std::panic::{catch_unwind, panic_any, resume_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Arc, Mutex, Once, PoisonError};
use std::task::{Context, Poll, Wake, Waker};

use aioqueue::{Get, GetError, Priority, PriorityQueue, Put, PutError, TryGetError, TryPutError};

use crate::bytes::Bytes;

/// Futures in flight at once.
const SLOTS: usize = 8;

/// Most operations per input.
const MAX_OPERATIONS: usize = 512;

/// The payload of every panic the items raise on purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostilePanic {
    /// From `Ord::cmp`.
    Ord,
    /// From `Drop::drop`.
    Drop,
}

/// Decides how items compare, and records every item's life.
struct Control {
    tape: Vec<u8>,
    comparisons: Cell<usize>,
    /// Off in the final phase: items then compare by key and drop quietly.
    hostile: Cell<bool>,
    next_id: Cell<usize>,
    /// The items created and not yet dropped.
    live: RefCell<BTreeSet<usize>>,
    /// Items dropped more than once.
    dropped_twice: RefCell<Vec<usize>>,
}

impl Control {
    fn item(self: &Rc<Self>, parameter: u8) -> Hostile {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        self.live.borrow_mut().insert(id);
        Hostile {
            key: parameter % 16,
            id,
            drop_panics: parameter >= 0xE0,
            control: Rc::clone(self),
        }
    }
}

/// An item with a hostile `Ord` and `Drop`.
pub struct Hostile {
    key: u8,
    id: usize,
    drop_panics: bool,
    control: Rc<Control>,
}

impl Ord for Hostile {
    fn cmp(&self, other: &Self) -> Ordering {
        let control = &self.control;
        let n = control.comparisons.get();
        control.comparisons.set(n + 1);
        let natural = self.key.cmp(&other.key);
        if !control.hostile.get() || control.tape.is_empty() {
            return natural;
        }
        match control.tape[n % control.tape.len()] % 8 {
            0..=2 => natural,
            3 => natural.reverse(),
            4 => Ordering::Less,
            5 => Ordering::Greater,
            6 => Ordering::Equal,
            _ => panic_any(HostilePanic::Ord),
        }
    }
}

impl PartialOrd for Hostile {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Hostile {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Hostile {}

impl Drop for Hostile {
    fn drop(&mut self) {
        if !self.control.live.borrow_mut().remove(&self.id) {
            self.control.dropped_twice.borrow_mut().push(self.id);
        }
        // A panic while unwinding would abort the process, in any Rust code.
        if self.drop_panics && self.control.hostile.get() && !std::thread::panicking() {
            panic_any(HostilePanic::Drop);
        }
    }
}

/// Whether a panic payload is one the items raised on purpose. `sort`
/// may detect an inconsistent `Ord` and panic with a message of its own.
fn deliberate(payload: &(dyn Any + Send)) -> Option<HostilePanic> {
    if let Some(&panic) = payload.downcast_ref::<HostilePanic>() {
        return Some(panic);
    }
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str));
    message
        .filter(|message| message.contains("total order"))
        .map(|_| HostilePanic::Ord)
}

/// Keeps deliberate panics quiet; any other panic still reaches libFuzzer's
/// hook, which reports it as a crash.
fn quiet_deliberate_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if deliberate(info.payload()).is_none() {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; `Err` with the kind of a deliberate panic. Any other panic (a
/// failed check, a bug in the queue) goes on unwinding.
fn catch<R>(f: impl FnOnce() -> R) -> Result<R, HostilePanic> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| match deliberate(&*payload) {
        Some(panic) => panic,
        None => resume_unwind(payload),
    })
}

/// A waker that records that it was called: a flag (since the future's
/// last poll), and the slot's number in the run's log of wakes, in order.
#[derive(Default)]
struct Flag {
    woken: AtomicBool,
    slot: usize,
    log: Arc<Mutex<Vec<usize>>>,
}

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, SeqCst);
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(self.slot);
    }
}

type Queue = PriorityQueue<Hostile>;

enum InFlight<'q> {
    Put {
        future: Put<'q, Hostile, Priority<Hostile>>,
        id: usize,
        drop_panics: bool,
    },
    Get(Get<'q, Hostile, Priority<Hostile>>),
}

/// A future in flight, polled with its own waker.
struct Slot<'q> {
    future: InFlight<'q>,
    flag: Arc<Flag>,
    waker: Waker,
    /// Its last poll returned `Pending`: it waits, or was notified.
    registered: bool,
    /// When it last joined the back of its list (the run's clock).
    arrival: u64,
}

impl Slot<'_> {
    fn woken(&self) -> bool {
        self.flag.woken.load(SeqCst)
    }
}

/// What a run provoked, for the seed tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Provoked {
    /// Operations during which a comparison panicked.
    pub ord_panics: usize,
    /// Drops that panicked.
    pub drop_panics: usize,
    /// Futures that waited (returned `Pending`).
    pub waits: usize,
}

impl Provoked {
    fn saw<R>(&mut self, result: Result<R, HostilePanic>) -> Result<R, HostilePanic> {
        match result {
            Err(HostilePanic::Ord) => self.ord_panics += 1,
            Err(HostilePanic::Drop) => self.drop_panics += 1,
            Ok(_) => {}
        }
        result
    }
}

/// How one operation must change the waiting lists: each `wake_*` notifies
/// the first waiter of that list, if any (WAKE-1); `delta` counts futures
/// that joined (+1) or left (-1) a list; `all` empties both (shutdown).
#[derive(Clone, Copy, Debug, Default)]
struct Expect {
    wake_getter: bool,
    /// Putters to wake, front of the line first: one per item got (a
    /// batch gets several, MANY-2).
    wake_putters: usize,
    delta: (isize, isize),
    all: bool,
}

/// What the queue must hold, and everything else the run knows.
struct Run<'q> {
    queue: &'q Queue,
    control: Rc<Control>,
    maxsize: usize,
    in_queue: BTreeSet<usize>,
    unfinished: usize,
    shutdown: bool,
    /// Items the "tasks" hold: got, drained or handed back.
    held: Vec<Hostile>,
    slots: [Option<Slot<'q>>; SLOTS],
    provoked: Provoked,
    expect: Expect,
    /// The slots woken, in order, since the last step began.
    wake_log: Arc<Mutex<Vec<usize>>>,
    /// Counts arrivals in the waiting lists (for their order).
    clock: u64,
}

impl<'q> Run<'q> {
    /// Runs one operation, then checks that it woke exactly whom the rules
    /// say (the first waiting getter for an item put, the first waiting
    /// putter for an item got, ...), and every other invariant.
    fn step(&mut self, what: &str, operation: impl FnOnce(&mut Self)) {
        let before = self.waiting();
        let line = (self.in_line(true), self.in_line(false));
        self.expect = Expect::default();
        self.wake_log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        operation(self);
        let expect = self.expect;
        // Who was woken, how often, in which order (WAKE-1, WAKE-2, SHUT-3):
        // the first in line of each list the rules name, once each; for a
        // shutdown, every getter in line, then every putter in line.
        let woken =
            std::mem::take(&mut *self.wake_log.lock().unwrap_or_else(PoisonError::into_inner));
        if expect.all {
            let everyone: Vec<usize> = line.0.iter().chain(&line.1).copied().collect();
            assert_eq!(
                woken, everyone,
                "wakes after {what}: getters then putters, in line"
            );
        } else {
            let getters = usize::from(expect.wake_getter);
            let mut expected: Vec<usize> = (line.0.iter().take(getters))
                .chain(line.1.iter().take(expect.wake_putters))
                .copied()
                .collect();
            let mut sorted = woken.clone();
            expected.sort_unstable();
            sorted.sort_unstable();
            assert_eq!(
                sorted, expected,
                "wakes after {what} ({woken:?}), with {expect:?} and lines {line:?}"
            );
        }
        let expected = if expect.all {
            (0, 0)
        } else {
            let next = |count: usize, delta: isize, wakes: usize| {
                let count = count.checked_add_signed(delta).expect("a list below zero");
                count - wakes.min(count)
            };
            (
                next(before.0, expect.delta.0, usize::from(expect.wake_getter)),
                next(before.1, expect.delta.1, expect.wake_putters),
            )
        };
        assert_eq!(
            self.waiting(),
            expected,
            "waiting (getters, putters) after {what}, from {before:?} with {expect:?}"
        );
        self.check(what);
    }

    /// The slots waiting in get (or put), first in line first.
    fn in_line(&self, getters: bool) -> Vec<usize> {
        let mut line: Vec<(u64, usize)> = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(index, slot)| slot.as_ref().map(|slot| (index, slot)))
            .filter(|(_, slot)| slot.registered && !slot.woken())
            .filter(|(_, slot)| matches!(slot.future, InFlight::Get(_)) == getters)
            .map(|(index, slot)| (slot.arrival, index))
            .collect();
        line.sort_unstable();
        line.into_iter().map(|(_, index)| index).collect()
    }

    /// Waiting getters and putters: registered, and not woken since.
    fn waiting(&self) -> (usize, usize) {
        (self.count(true, false), self.count(false, false))
    }

    fn full(&self) -> bool {
        self.maxsize > 0 && self.in_queue.len() >= self.maxsize
    }

    fn try_put(&mut self, parameter: u8) {
        let item = self.control.item(parameter);
        let id = item.id;
        let (was_full, had_items) = (self.full(), !self.in_queue.is_empty());
        match self.provoked.saw(catch(|| self.queue.try_put(item))) {
            Ok(Ok(())) => {
                assert!(!self.shutdown && !was_full, "try_put succeeded");
                self.counted_in(id);
            }
            Ok(Err(TryPutError::Full(back))) => {
                assert!(!self.shutdown && was_full, "try_put: Full");
                self.hand_back(back, id);
            }
            Ok(Err(TryPutError::ShutDown(back))) => {
                assert!(self.shutdown, "try_put: ShutDown");
                self.hand_back(back, id);
            }
            // PANIC-3: the item stays in the buffer, counted as put.
            Err(HostilePanic::Ord) => {
                assert!(had_items, "a push into an empty heap compares nothing");
                self.counted_in(id);
            }
            Err(HostilePanic::Drop) => panic!("try_put dropped an item"),
        }
    }

    fn try_get(&mut self) {
        match self.provoked.saw(catch(|| self.queue.try_get())) {
            Ok(Ok(item)) => self.got(item),
            Ok(Err(TryGetError::Empty)) => {
                assert!(self.in_queue.is_empty() && !self.shutdown, "try_get: Empty");
            }
            Ok(Err(TryGetError::ShutDown)) => {
                assert!(
                    self.in_queue.is_empty() && self.shutdown,
                    "try_get: ShutDown"
                );
            }
            // PANIC-4: every item is still there.
            Err(HostilePanic::Ord) => assert!(self.in_queue.len() > 1, "a pop compared"),
            Err(HostilePanic::Drop) => panic!("try_get dropped an item"),
        }
    }

    /// MANY-2: up to `max` takes under one lock, each waking a putter.
    /// MANY-4: an `Ord` panic ends the batch; the items it had taken were
    /// dropped while unwinding, and every other item is still there.
    fn try_get_many(&mut self, max: usize) {
        let before = self.in_queue.len();
        match self.provoked.saw(catch(|| self.queue.try_get_many(max))) {
            Ok(batch) => {
                assert_eq!(batch.len(), max.min(before), "try_get_many: min(max, len)");
                batch.into_iter().for_each(|item| self.got(item));
            }
            Err(HostilePanic::Ord) => {
                let taken: Vec<usize> = {
                    let live = self.control.live.borrow();
                    let gone = self.in_queue.iter().filter(|id| !live.contains(id));
                    gone.copied().collect()
                };
                assert!(taken.len() < max, "the batch stopped at the panic");
                for id in &taken {
                    self.in_queue.remove(id);
                }
                self.expect.wake_putters += taken.len();
                assert!(self.in_queue.len() > 1, "a pop compared");
            }
            Err(HostilePanic::Drop) => panic!("try_get_many dropped an item"),
        }
    }

    fn start_put(&mut self, slot: usize, parameter: u8) {
        if self.slots[slot].is_some() {
            return self.poll(slot);
        }
        let item = self.control.item(parameter);
        let (id, drop_panics) = (item.id, item.drop_panics);
        let future = InFlight::Put {
            future: self.queue.put(item),
            id,
            drop_panics,
        };
        self.start(slot, future);
    }

    fn start_get(&mut self, slot: usize) {
        if self.slots[slot].is_some() {
            return self.poll(slot);
        }
        let future = InFlight::Get(self.queue.get());
        self.start(slot, future);
    }

    fn start(&mut self, slot: usize, future: InFlight<'q>) {
        let flag = Arc::new(Flag {
            woken: AtomicBool::new(false),
            slot,
            log: Arc::clone(&self.wake_log),
        });
        self.slots[slot] = Some(Slot {
            future,
            waker: Waker::from(Arc::clone(&flag)),
            flag,
            registered: false,
            arrival: 0,
        });
        self.poll(slot);
    }

    fn poll(&mut self, index: usize) {
        let Some(mut slot) = self.slots[index].take() else {
            return;
        };
        // A waiting future polled again keeps its place; any other that
        // returns `Pending` joins the back of its list.
        let joins = isize::from(!slot.registered || slot.woken());
        if joins == 1 {
            // If it waits now, it is at the back of its list.
            self.clock += 1;
            slot.arrival = self.clock;
        }
        slot.flag.woken.store(false, SeqCst);
        let mut cx = Context::from_waker(&slot.waker);
        match &mut slot.future {
            InFlight::Put { future, id, .. } => {
                let id = *id;
                match self.provoked.saw(catch(|| Pin::new(future).poll(&mut cx))) {
                    Ok(Poll::Pending) => {
                        self.provoked.waits += 1;
                        assert!(!self.shutdown, "a put waits after shutdown");
                        self.expect.delta.1 += joins;
                        slot.registered = true;
                        self.slots[index] = Some(slot);
                    }
                    Ok(Poll::Ready(Ok(()))) => {
                        assert!(!self.shutdown, "a put succeeded after shutdown");
                        self.counted_in(id);
                    }
                    Ok(Poll::Ready(Err(PutError(back)))) => {
                        assert!(self.shutdown, "a put failed without shutdown");
                        self.hand_back(back, id);
                    }
                    // PANIC-3: in the buffer, counted; the future is spent
                    // and dropping it does nothing.
                    Err(HostilePanic::Ord) => {
                        self.counted_in(id);
                        assert_eq!(catch(|| drop(slot)).ok(), Some(()), "a spent put");
                    }
                    Err(HostilePanic::Drop) => panic!("a put's poll dropped an item"),
                }
            }
            InFlight::Get(future) => {
                match self.provoked.saw(catch(|| Pin::new(future).poll(&mut cx))) {
                    Ok(Poll::Pending) => {
                        self.provoked.waits += 1;
                        assert!(!self.shutdown, "a get waits after shutdown");
                        self.expect.delta.0 += joins;
                        slot.registered = true;
                        self.slots[index] = Some(slot);
                    }
                    Ok(Poll::Ready(Ok(item))) => self.got(item),
                    Ok(Poll::Ready(Err(GetError))) => {
                        assert!(self.shutdown && self.in_queue.is_empty(), "get: GetError");
                    }
                    // PANIC-4: every item still there; the future starts afresh,
                    // and passes the turn it used up to the first waiting getter.
                    Err(HostilePanic::Ord) => {
                        assert!(self.in_queue.len() > 1, "a pop compared");
                        self.expect.wake_getter = true;
                        slot.registered = false;
                        self.slots[index] = Some(slot);
                    }
                    Err(HostilePanic::Drop) => panic!("a get's poll dropped an item"),
                }
            }
        }
    }

    /// Cancels the slot's future; a put's item is dropped with it.
    fn cancel(&mut self, index: usize) {
        let Some(slot) = self.slots[index].take() else {
            return;
        };
        let panics = match slot.future {
            InFlight::Put { drop_panics, .. } => drop_panics && self.control.hostile.get(),
            InFlight::Get(_) => false,
        };
        let getter = matches!(slot.future, InFlight::Get(_));
        if slot.registered && !slot.woken() {
            // CANCEL-2: it leaves its list, and wakes nobody.
            if getter {
                self.expect.delta.0 -= 1;
            } else {
                self.expect.delta.1 -= 1;
            }
        } else if slot.registered {
            // CANCEL-3: a notified future passes its wakeup on if what it
            // was woken for is still there.
            if getter {
                self.expect.wake_getter = !self.in_queue.is_empty();
            } else {
                self.expect.wake_putters = usize::from(!self.full());
            }
        }
        match self.provoked.saw(catch(|| drop(slot))) {
            Ok(()) => assert!(!panics, "the put's item was not dropped"),
            Err(HostilePanic::Drop) => assert!(panics, "a drop panicked unasked"),
            Err(HostilePanic::Ord) => panic!("cancelling compared items"),
        }
    }

    fn task_done(&mut self) {
        match self.queue.task_done() {
            Ok(()) => {
                assert!(self.unfinished > 0, "task_done below zero");
                self.unfinished -= 1;
            }
            Err(_) => assert_eq!(self.unfinished, 0, "task_done refused"),
        }
    }

    fn shutdown(&mut self) {
        self.queue.shutdown();
        self.shutdown = true;
        self.expect.all = true;
    }

    fn shutdown_immediate(&mut self) {
        let expected = std::mem::take(&mut self.in_queue);
        self.shutdown = true;
        self.expect.all = true;
        self.unfinished = self.unfinished.saturating_sub(expected.len());
        match self.provoked.saw(catch(|| self.queue.shutdown_immediate())) {
            Ok(drained) => {
                let ids: BTreeSet<usize> = drained.iter().map(|item| item.id).collect();
                assert_eq!(ids.len(), drained.len(), "an item drained twice");
                assert_eq!(ids, expected, "drained items");
                self.held.extend(drained);
            }
            // PANIC-5: sorting panicked; the items were dropped unwinding.
            Err(HostilePanic::Ord) => assert!(expected.len() > 1, "sorting compared"),
            Err(HostilePanic::Drop) => panic!("a drop panicked while unwinding"),
        }
    }

    fn drop_held(&mut self, parameter: u8) {
        if self.held.is_empty() {
            return;
        }
        let item = self
            .held
            .swap_remove(usize::from(parameter) % self.held.len());
        let panics = item.drop_panics && self.control.hostile.get();
        match self.provoked.saw(catch(|| drop(item))) {
            Ok(()) => assert!(!panics, "a drop did not panic"),
            Err(HostilePanic::Drop) => assert!(panics, "a drop panicked unasked"),
            Err(HostilePanic::Ord) => panic!("a drop compared"),
        }
    }

    /// An item put: counted, and announced to the first waiting getter
    /// (TRYPUT-3; PANIC-3 if its push panicked).
    fn counted_in(&mut self, id: usize) {
        assert!(self.in_queue.insert(id), "item {id} put twice");
        self.unfinished += 1;
        self.expect.wake_getter = true;
    }

    /// An item got: the first waiting putter is woken (TRYGET-2).
    fn got(&mut self, item: Hostile) {
        self.expect.wake_putters += 1;
        assert!(
            self.in_queue.remove(&item.id),
            "got item {} that is not in the queue",
            item.id
        );
        self.held.push(item);
    }

    fn hand_back(&mut self, item: Hostile, id: usize) {
        assert_eq!(item.id, id, "a failed put hands back its own item");
        self.held.push(item);
    }

    /// Registered getters (or putters) that were woken since their last
    /// poll (notified), or not (waiting).
    fn count(&self, getters: bool, woken: bool) -> usize {
        self.slots
            .iter()
            .flatten()
            .filter(|slot| slot.registered && slot.woken() == woken)
            .filter(|slot| matches!(slot.future, InFlight::Get(_)) == getters)
            .count()
    }

    /// Everything the queue shows agrees with what the run knows.
    fn check(&self, after: &str) {
        let queue = self.queue;
        let len = self.in_queue.len();
        assert_eq!(queue.len(), len, "len after {after}");
        assert_eq!(queue.is_empty(), len == 0, "is_empty after {after}");
        assert_eq!(queue.is_full(), self.full(), "is_full after {after}");
        let unfinished = queue.unfinished_tasks();
        assert_eq!(
            unfinished, self.unfinished,
            "unfinished_tasks after {after}"
        );
        assert_eq!(
            queue.is_shutdown(),
            self.shutdown,
            "is_shutdown after {after}"
        );

        let mut expected_live = self.in_queue.clone();
        let slots = || self.slots.iter().flatten();
        let putting = slots().filter_map(|slot| match slot.future {
            InFlight::Put { id, .. } => Some(id),
            InFlight::Get(_) => None,
        });
        for id in self.held.iter().map(|item| item.id).chain(putting) {
            assert!(expected_live.insert(id), "item {id} in two places");
        }
        assert_eq!(
            *self.control.live.borrow(),
            expected_live,
            "live items after {after}"
        );
        let dropped_twice = self.control.dropped_twice.borrow();
        assert!(dropped_twice.is_empty(), "dropped twice: {dropped_twice:?}");

        // Waiting futures are exactly those registered and not woken since.
        let count = |get, woken| self.count(get, woken);
        let debug = format!("{queue:?}");
        assert_eq!(queue.waiting_getters(), count(true, false), "{debug}");
        assert_eq!(queue.waiting_putters(), count(false, false), "{debug}");
        // No lost wakeup: while a getter waits, each item has a woken getter
        // on its way; while a putter waits, each free slot a woken putter.
        if count(true, false) > 0 {
            assert!(len <= count(true, true), "getter left waiting: {debug}");
        }
        if count(false, false) > 0 {
            let free = self.maxsize.saturating_sub(len);
            assert!(free <= count(false, true), "putter left waiting: {debug}");
        }
    }

    /// Items behave again: woken futures run, the rest are cancelled, the
    /// queue is drained, and it still serves a new getter, `task_done` and
    /// `join` (or refuses everything, if shut down).
    fn settle(&mut self) {
        self.control.hostile.set(false);
        for _ in 0..4 * SLOTS {
            let woken: Vec<usize> = (0..SLOTS)
                .filter(|&index| self.slots[index].as_ref().is_some_and(Slot::woken))
                .collect();
            if woken.is_empty() {
                break;
            }
            for index in woken {
                self.step("a poll of a woken future", |run| run.poll(index));
            }
        }
        for index in 0..SLOTS {
            self.step("cancelling a future", |run| run.cancel(index));
        }
        loop {
            match self.queue.try_get() {
                Ok(item) => self.got(item),
                Err(error) => {
                    let expected = if self.shutdown {
                        TryGetError::ShutDown
                    } else {
                        TryGetError::Empty
                    };
                    assert_eq!(error, expected, "draining");
                    break;
                }
            }
        }
        assert!(self.in_queue.is_empty(), "items left: {:?}", self.in_queue);
        self.check("draining");

        let flag = Arc::new(Flag::default());
        let waker = Waker::from(Arc::clone(&flag));
        let mut cx = Context::from_waker(&waker);
        let mut get = self.queue.get();
        let item = self.control.item(1);
        if self.shutdown {
            assert!(matches!(
                Pin::new(&mut get).poll(&mut cx),
                Poll::Ready(Err(GetError))
            ));
            let back = self.queue.try_put(item).expect_err("shut down");
            self.held.push(back.into_inner());
        } else {
            assert!(Pin::new(&mut get).poll(&mut cx).is_pending());
            let id = item.id;
            assert!(self.queue.try_put(item).is_ok());
            assert!(flag.woken.load(SeqCst), "the put woke the waiting getter");
            let Poll::Ready(Ok(got)) = Pin::new(&mut get).poll(&mut cx) else {
                panic!("the woken getter got nothing");
            };
            assert_eq!(got.id, id);
            self.held.push(got);
            self.unfinished += 1;
            for _ in 0..self.unfinished {
                assert!(self.queue.task_done().is_ok());
            }
            self.unfinished = 0;
            assert!(self.queue.task_done().is_err());
            let mut join = self.queue.join();
            assert!(Pin::new(&mut join).poll(&mut cx).is_ready());
        }
        drop(get);
        self.check("the final round");
    }
}

/// The fuzz target.
pub fn fuzz(data: &[u8]) {
    provoke(data);
}

/// Runs one input; returns what it provoked.
pub fn provoke(data: &[u8]) -> Provoked {
    quiet_deliberate_panics();
    let mut bytes = Bytes::new(data);
    let maxsize = bytes.below(5);
    let tape_len = bytes.below(17);
    let tape = (0..tape_len).map(|_| bytes.below(256) as u8).collect();
    let control = Rc::new(Control {
        tape,
        comparisons: Cell::new(0),
        hostile: Cell::new(true),
        next_id: Cell::new(0),
        live: RefCell::new(BTreeSet::new()),
        dropped_twice: RefCell::new(Vec::new()),
    });
    let queue = Queue::new(maxsize);
    let mut run = Run {
        queue: &queue,
        control: Rc::clone(&control),
        maxsize,
        in_queue: BTreeSet::new(),
        unfinished: 0,
        shutdown: false,
        held: Vec::new(),
        slots: Default::default(),
        provoked: Provoked::default(),
        expect: Expect::default(),
        wake_log: Arc::default(),
        clock: 0,
    };
    for _ in 0..MAX_OPERATIONS {
        let Some(code) = bytes.byte() else {
            break;
        };
        let slot = usize::from(code / 16) % SLOTS;
        run.step("an operation", |run| match code % 16 {
            0..=2 => run.try_put(bytes.below(256) as u8),
            3 | 4 => run.try_get(),
            5 | 6 => run.start_put(slot, bytes.below(256) as u8),
            7 | 8 => run.start_get(slot),
            9 | 10 => run.poll(slot),
            11 => run.cancel(slot),
            12 => run.task_done(),
            13 => run.drop_held(bytes.below(256) as u8),
            // Shutdowns are rare: they end the queue's useful life.
            14 if code == 14 => run.shutdown(),
            15 if code == 15 => run.shutdown_immediate(),
            14 => run.try_put(bytes.below(256) as u8),
            _ => run.try_get_many(bytes.below(4)),
        });
    }
    run.settle();
    let provoked = run.provoked;
    let held = std::mem::take(&mut run.held);
    drop(run);
    drop(held);
    drop(queue);
    assert!(control.live.borrow().is_empty(), "items leaked");
    assert!(
        control.dropped_twice.borrow().is_empty(),
        "items dropped twice"
    );
    provoked
}
