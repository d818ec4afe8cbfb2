//! The reference model: asyncio's queue semantics as a pure state machine.
//!
//! No async, no wakers, no locks, no time: just lists and counters, and one
//! function per event. Each event says what the task sees and exactly which
//! tasks get woken. The rules cited in brackets (`[PUT-2]`) are those of
//! `docs/semantics.md`; the code under a citation does what the rule says,
//! in the rule's order. Nothing here is shared with the `aioqueue` crate.
//!
//! Tasks run their program one operation at a time. Two events drive a task:
//! `poll` (it runs until its operation finishes or waits) and `cancel` (its
//! current operation's future is dropped; the task moves on to its next
//! operation, as after a timeout).

use std::collections::VecDeque;

use crate::scenario::{Item, Kind, Op, Scenario};

/// A task: its index in the scenario.
pub type TaskId = usize;

/// The three lists a task can wait in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum List {
    /// Waiting in `get` for an item.
    Getters,
    /// Waiting in `put` for a free slot.
    Putters,
    /// Waiting in `join` for the unfinished count to reach zero.
    Joiners,
}

impl List {
    /// What a task waiting in the list is called: `getter`, `putter`, `joiner`.
    pub fn role(self) -> &'static str {
        match self {
            List::Getters => "getter",
            List::Putters => "putter",
            List::Joiners => "joiner",
        }
    }
}

/// Where a task is in its current operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TaskState {
    /// Between operations: its next poll starts `program[pc]`.
    Idle,
    /// Waiting in a list; nobody has notified it.
    Waiting(List),
    /// Notified (and so removed from the list), not yet run since.
    Notified(List),
    /// In `yield`: it woke itself and finishes at its next poll.
    Yielded,
    /// Its program is over.
    Done,
}

/// What an operation returns when it finishes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OpResult {
    /// `put`, `try_put`, `task_done`, `join`, `shutdown` or `yield` succeeded.
    Ok,
    /// `get` or `try_get` returned this item.
    Item(Item),
    /// `shutdown_immediate` returned these items, in get order.
    Drained(Vec<Item>),
    /// `get_many` or `try_get_many` returned these items, in get order.
    Batch(Vec<Item>),
    /// `try_put` failed: full (`QueueFull`); the item is handed back.
    Full(Item),
    /// `put`/`try_put` failed: shut down (`QueueShutDown`); the item is handed back.
    PutShutDown(Item),
    /// `try_get` failed: empty (`QueueEmpty`).
    Empty,
    /// `get`/`try_get` failed: shut down and empty (`QueueShutDown`).
    GetShutDown,
    /// `task_done` was called too many times (`ValueError`).
    TaskDoneError,
}

/// One question a priority queue asked of its items: "is `.0 < .1`?".
pub type Comparison = (Item, Item);

/// What one event did: what the task saw, and whom it woke, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// `None`: the operation is pending. `Some`: it finished with this.
    pub result: Option<OpResult>,
    /// The tasks woken by this event, in the order they were woken.
    pub woken: Vec<TaskId>,
    /// The comparisons the event made, in order (`PriorityQueue` only).
    pub comparisons: Vec<Comparison>,
    /// If the task now waits: in which list, at which place (1 = first).
    pub waits_at: Option<(List, usize)>,
}

/// The counts a user of the queue can observe.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Observation {
    /// `maxsize()`
    pub maxsize: usize,
    /// `len()`
    pub len: usize,
    /// `is_empty()`
    pub is_empty: bool,
    /// `is_full()`
    pub is_full: bool,
    /// `unfinished_tasks()`
    pub unfinished_tasks: usize,
    /// `is_shutdown()`
    pub shutdown: bool,
    /// Tasks waiting in `get` (`waiting_getters`).
    pub getters: usize,
    /// Tasks waiting in `put` (`waiting_putters`).
    pub putters: usize,
    /// Tasks waiting in `join` (`waiting_joiners`).
    pub joiners: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Task {
    program: Vec<Op>,
    pc: usize,
    state: TaskState,
}

/// The whole state of a queue and its tasks.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Model {
    kind: Kind,
    maxsize: usize,
    /// The items: in the order they were put (FIFO, LIFO), or as `heapq`
    /// lays out its list (priority).
    items: Vec<Item>,
    /// The comparisons of the event under way (empty between events).
    asked: Vec<Comparison>,
    getters: VecDeque<TaskId>,
    putters: VecDeque<TaskId>,
    joiners: VecDeque<TaskId>,
    unfinished: usize,
    shutdown: bool,
    tasks: Vec<Task>,
}

impl Model {
    /// The state before anything runs: an empty queue, every task idle.
    pub fn new(scenario: &Scenario) -> Self {
        Model {
            kind: scenario.kind,
            maxsize: scenario.maxsize,
            items: Vec::new(),
            asked: Vec::new(),
            getters: VecDeque::new(),
            putters: VecDeque::new(),
            joiners: VecDeque::new(),
            unfinished: 0,
            shutdown: false,
            tasks: scenario
                .tasks
                .iter()
                .map(|program| Task {
                    program: program.clone(),
                    pc: 0,
                    state: if program.is_empty() {
                        TaskState::Done
                    } else {
                        TaskState::Idle
                    },
                })
                .collect(),
        }
    }

    // ----- What can be observed --------------------------------------------

    /// `full()` is `maxsize > 0 and len >= maxsize`. [STATE-7]
    pub fn is_full(&self) -> bool {
        self.maxsize > 0 && self.items.len() >= self.maxsize
    }

    /// `empty()` is `len == 0`. [STATE-7]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The counts the implementation must show after every step.
    pub fn observe(&self) -> Observation {
        Observation {
            maxsize: self.maxsize,
            len: self.items.len(),
            is_empty: self.is_empty(),
            is_full: self.is_full(),
            unfinished_tasks: self.unfinished,
            shutdown: self.shutdown,
            getters: self.getters.len(),
            putters: self.putters.len(),
            joiners: self.joiners.len(),
        }
    }

    /// Where a task is in its current operation.
    pub fn state(&self, task: TaskId) -> TaskState {
        self.tasks[task].state
    }

    /// The operation a task runs next (or is running), if any.
    pub fn current_op(&self, task: TaskId) -> Option<Op> {
        self.tasks[task].program.get(self.tasks[task].pc).copied()
    }

    /// The index in the task's program of its current operation (the
    /// program's length once it is over).
    pub fn position(&self, task: TaskId) -> usize {
        self.tasks[task].pc
    }

    /// Whether a poll would let the task run (not just re-check and wait).
    pub fn is_runnable(&self, task: TaskId) -> bool {
        matches!(
            self.tasks[task].state,
            TaskState::Idle | TaskState::Notified(_) | TaskState::Yielded
        )
    }

    /// Number of tasks.
    pub fn task_count(&self) -> usize {
        self.tasks.len()
    }

    /// A waiting task whose condition holds, when no task can run: a lost
    /// wakeup. `None` when every waiting task rightly waits.
    pub fn lost_wakeup(&self) -> Option<String> {
        if (0..self.tasks.len()).any(|t| self.is_runnable(t)) {
            return None;
        }
        let can_get = !self.is_empty() || self.shutdown;
        let can_put = !self.is_full() || self.shutdown;
        let can_join = self.unfinished == 0;
        let stuck = |list: &VecDeque<TaskId>, holds: bool, what: &str| {
            list.front()
                .filter(|_| holds)
                .map(|t| format!("t{t} still waits in {what} although it could proceed"))
        };
        stuck(&self.getters, can_get, "get")
            .or_else(|| stuck(&self.putters, can_put, "put"))
            .or_else(|| stuck(&self.joiners, can_join, "join"))
    }

    /// The invariants of docs/semantics.md that must hold after every
    /// event; `Err` names the first one broken.
    pub fn invariants(&self) -> Result<(), String> {
        let lists = [
            (List::Getters, &self.getters),
            (List::Putters, &self.putters),
            (List::Joiners, &self.joiners),
        ];
        let notified = |list: List| {
            self.tasks
                .iter()
                .filter(|t| t.state == TaskState::Notified(list))
                .count()
        };
        // [STATE-9] in at most one list, and in it exactly while waiting.
        // (Run after every step of the search: no allocation.)
        for (t, task) in self.tasks.iter().enumerate() {
            let times_in = |members: &VecDeque<TaskId>| members.iter().filter(|&&m| m == t).count();
            let total: usize = lists.iter().map(|(_, members)| times_in(members)).sum();
            let right = match task.state {
                TaskState::Waiting(list) => {
                    total == 1
                        && lists
                            .iter()
                            .any(|(l, members)| *l == list && times_in(members) == 1)
                }
                _ => total == 0,
            };
            if !right {
                return Err(format!(
                    "STATE-9: t{t} is {:?} but is in the lists {total} times",
                    task.state
                ));
            }
        }
        // [STATE-10]
        if self.maxsize > 0 && self.items.len() > self.maxsize {
            return Err(format!(
                "STATE-10: len {} > maxsize {}",
                self.items.len(),
                self.maxsize
            ));
        }
        // [STATE-11]
        if self.shutdown && !(self.getters.is_empty() && self.putters.is_empty()) {
            return Err("STATE-11: shut down with getters or putters waiting".into());
        }
        // [STATE-12]
        if self.unfinished == 0 && !self.joiners.is_empty() {
            return Err("STATE-12: joiners wait with nothing unfinished".into());
        }
        // [STATE-13]
        if !self.getters.is_empty() && self.items.len() > notified(List::Getters) {
            return Err(format!(
                "STATE-13: getters wait while {} items have {} notified getters",
                self.items.len(),
                notified(List::Getters)
            ));
        }
        // [STATE-14]
        let free = self.maxsize.saturating_sub(self.items.len());
        if self.maxsize > 0 && !self.putters.is_empty() && free > notified(List::Putters) {
            return Err(format!(
                "STATE-14: putters wait while {free} slots are free for {} notified putters",
                notified(List::Putters)
            ));
        }
        Ok(())
    }

    // ----- The two events ---------------------------------------------------

    /// The task is polled: it starts or resumes its current operation.
    pub fn poll(&mut self, task: TaskId) -> Outcome {
        let mut woken = Vec::new();
        let state = self.tasks[task].state;
        let op = self.current_op(task);
        let result = match (state, op) {
            // A poll nobody asked for changes nothing. [POLL-3]
            (TaskState::Waiting(_), _) => None,
            (TaskState::Done, _) | (_, None) => None,
            (TaskState::Yielded, _) => Some(OpResult::Ok),
            // A released joiner returns, whatever the count is now. [JOIN-3]
            (TaskState::Notified(List::Joiners), _) => Some(OpResult::Ok),
            (TaskState::Idle | TaskState::Notified(_), Some(op)) => self.run(task, op, &mut woken),
        };
        if result.is_some() {
            self.finish_op(task);
        }
        let waits_at = self.place_in_list(task);
        Outcome {
            result,
            woken,
            comparisons: std::mem::take(&mut self.asked),
            waits_at,
        }
    }

    /// The task's current operation is cancelled (its future dropped).
    pub fn cancel(&mut self, task: TaskId) -> Outcome {
        let mut woken = Vec::new();
        match self.tasks[task].state {
            // Never polled, or in `yield`: the queue never knew. [CANCEL-1]
            TaskState::Idle | TaskState::Yielded | TaskState::Done => {}
            // A waiting task leaves its list; nothing else changes. [CANCEL-2]
            TaskState::Waiting(list) => self.list_mut(list).retain(|&t| t != task),
            // A notified getter that can no longer take the item it was woken
            // for passes the wakeup on. [CANCEL-3]
            TaskState::Notified(List::Getters) => {
                if !self.is_empty() {
                    self.wake_next(List::Getters, &mut woken);
                }
            }
            // Likewise a notified putter, for the free slot. [CANCEL-3]
            TaskState::Notified(List::Putters) => {
                if !self.is_full() {
                    self.wake_next(List::Putters, &mut woken);
                }
            }
            TaskState::Notified(List::Joiners) => {}
        }
        self.finish_op(task);
        Outcome {
            result: None,
            woken,
            comparisons: std::mem::take(&mut self.asked),
            waits_at: None,
        }
    }

    /// Takes every item left, in get order, as repeated `get_nowait`s
    /// would (the end-of-run accounting): the items, the comparisons made,
    /// and the putters woken (one per item taken, while any wait).
    pub fn drain(&mut self) -> (Vec<Item>, Vec<Comparison>, Vec<TaskId>) {
        let mut woken = Vec::new();
        let mut items = Vec::new();
        while let OpResult::Item(item) = self.get_nowait(&mut woken) {
            items.push(item);
        }
        (items, std::mem::take(&mut self.asked), woken)
    }

    /// The items in the order gets would take them (front first), without
    /// taking them.
    pub fn items_in_get_order(&self) -> Vec<Item> {
        self.clone().drain().0
    }

    /// The tasks waiting in `list`, front first.
    pub fn waiting(&self, list: List) -> Vec<TaskId> {
        match list {
            List::Getters => self.getters.iter().copied().collect(),
            List::Putters => self.putters.iter().copied().collect(),
            List::Joiners => self.joiners.iter().copied().collect(),
        }
    }

    /// Tasks waiting in `join` (asyncio: the not-done futures of
    /// `_finished._waiters`).
    pub fn joiners(&self) -> usize {
        self.joiners.len()
    }

    // ----- The operations ----------------------------------------------------

    /// Runs `op` for `task` until it finishes (`Some`) or waits (`None`).
    fn run(&mut self, task: TaskId, op: Op, woken: &mut Vec<TaskId>) -> Option<OpResult> {
        match op {
            Op::TryPut(item) => Some(self.put_nowait(item, woken)),
            Op::TryGet => Some(self.get_nowait(woken)),
            Op::Put(item) => {
                // `while full(): if shut down, fail; wait`, then `put_nowait`. [PUT-1..3]
                if !self.is_full() {
                    return Some(self.put_nowait(item, woken));
                }
                if self.shutdown {
                    return Some(OpResult::PutShutDown(item));
                }
                self.wait(task, List::Putters);
                None
            }
            // [MANY-3] a batch of none: nothing asked, nothing looked at.
            Op::GetMany(0) => Some(OpResult::Batch(Vec::new())),
            Op::Get | Op::GetMany(_) => {
                // `while empty(): if shut down, fail; wait`, then `get_nowait`
                // [GET-1..3]; a batch then takes up to `max` in all [MANY-1].
                if !self.is_empty() {
                    return Some(match op {
                        Op::GetMany(max) => self.get_nowait_many(max, woken),
                        _ => self.get_nowait(woken),
                    });
                }
                if self.shutdown {
                    return Some(OpResult::GetShutDown);
                }
                self.wait(task, List::Getters);
                None
            }
            // [MANY-2]
            Op::TryGetMany(max) => Some(self.get_nowait_many(max, woken)),
            Op::TaskDone => Some(self.task_done(woken)),
            Op::Join => {
                // Wait only while tasks are unfinished. [JOIN-1, JOIN-2]
                if self.unfinished == 0 {
                    return Some(OpResult::Ok);
                }
                self.wait(task, List::Joiners);
                None
            }
            Op::Shutdown => {
                self.shutdown(false, woken);
                Some(OpResult::Ok)
            }
            Op::ShutdownImmediate => Some(OpResult::Drained(self.shutdown(true, woken))),
            Op::Yield => {
                self.tasks[task].state = TaskState::Yielded;
                woken.push(task);
                None
            }
            // The request itself changes nothing in the queue; the drop it
            // asks for is an event of its own (`cancel`).
            Op::Cancel(_) => Some(OpResult::Ok),
        }
    }

    /// Up to `max` `get_nowait`s, stopping at `QueueEmpty`. [MANY-2]
    fn get_nowait_many(&mut self, max: usize, woken: &mut Vec<TaskId>) -> OpResult {
        let mut batch = Vec::new();
        while batch.len() < max {
            match self.get_nowait(woken) {
                OpResult::Item(item) => batch.push(item),
                _ => break,
            }
        }
        OpResult::Batch(batch)
    }

    /// `put_nowait`. [TRYPUT-1..3]
    fn put_nowait(&mut self, item: Item, woken: &mut Vec<TaskId>) -> OpResult {
        if self.shutdown {
            return OpResult::PutShutDown(item);
        }
        if self.is_full() {
            return OpResult::Full(item);
        }
        self.push_item(item);
        self.unfinished += 1;
        self.wake_next(List::Getters, woken);
        OpResult::Ok
    }

    /// `get_nowait`. [TRYGET-1, TRYGET-2]
    fn get_nowait(&mut self, woken: &mut Vec<TaskId>) -> OpResult {
        if self.is_empty() {
            return if self.shutdown {
                OpResult::GetShutDown
            } else {
                OpResult::Empty
            };
        }
        let item = self.take_next_item();
        self.wake_next(List::Putters, woken);
        OpResult::Item(item)
    }

    /// `task_done`. [DONE-1, DONE-2]
    fn task_done(&mut self, woken: &mut Vec<TaskId>) -> OpResult {
        if self.unfinished == 0 {
            return OpResult::TaskDoneError;
        }
        self.unfinished -= 1;
        if self.unfinished == 0 {
            self.wake_all(List::Joiners, woken);
        }
        OpResult::Ok
    }

    /// `shutdown(immediate)`; returns the drained items. [SHUT-1, SHUT-5]
    fn shutdown(&mut self, immediate: bool, woken: &mut Vec<TaskId>) -> Vec<Item> {
        self.shutdown = true;
        let mut drained = Vec::new();
        if immediate {
            // Drain in get order; one unfinished task less per item, never
            // below zero; joiners go when the count is zero. [SHUT-5..7]
            while !self.is_empty() {
                drained.push(self.take_next_item());
                self.unfinished = self.unfinished.saturating_sub(1);
            }
            if self.unfinished == 0 {
                self.wake_all(List::Joiners, woken);
            }
        }
        // Every getter, then every putter, re-checks and fails. [SHUT-3]
        self.wake_all(List::Getters, woken);
        self.wake_all(List::Putters, woken);
        drained
    }

    // ----- Helpers -----------------------------------------------------------

    /// Where `put` stores an item: at the back (FIFO, LIFO), or as
    /// `heapq.heappush` does. [ORDER-1..3]
    fn push_item(&mut self, item: Item) {
        self.items.push(item);
        if self.kind == Kind::Priority {
            let last = self.items.len() - 1;
            self.sift_toward_root(last);
        }
    }

    /// The item `get` takes: first put (FIFO), last put (LIFO), or
    /// `heapq.heappop`'s. [ORDER-1..3]
    fn take_next_item(&mut self) -> Item {
        match self.kind {
            Kind::Fifo => self.items.remove(0),
            Kind::Lifo => self.items.pop().unwrap_or(Item::plain(0)),
            Kind::Priority => self.heappop(),
        }
    }

    // ----- heapq, as CPython's C `_heapq` runs it -----------------------------
    //
    // Written from the algorithm's description, independently of
    // `aioqueue`'s heap: the checker compares the two comparison by
    // comparison.

    /// "Is `a < b`?", recorded.
    fn less(&mut self, a: usize, b: usize) -> bool {
        let (a, b) = (self.items[a], self.items[b]);
        self.asked.push((a, b));
        a.less(&b)
    }

    /// `heappop`: the last item replaces the root, and the root is returned
    /// after `_siftup` has put the replacement in its place.
    fn heappop(&mut self) -> Item {
        let last = self.items.pop().unwrap_or(Item::plain(0));
        if self.items.is_empty() {
            return last;
        }
        let top = std::mem::replace(&mut self.items[0], last);
        self.sift_to_leaf_then_back();
        top
    }

    /// `_siftdown(heap, 0, pos)`: while the item is less than its parent,
    /// the parent comes down.
    fn sift_toward_root(&mut self, mut pos: usize) {
        while pos > 0 {
            let parent = (pos - 1) >> 1;
            if !self.less(pos, parent) {
                break;
            }
            self.items.swap(pos, parent);
            pos = parent;
        }
    }

    /// `_siftup(heap, 0)`: the smaller child moves up, level by level, until
    /// the root's item stands at a leaf (the right child is taken unless the
    /// left is less than it), then `_siftdown` from there.
    fn sift_to_leaf_then_back(&mut self) {
        let end = self.items.len();
        let mut pos = 0;
        while pos < end >> 1 {
            let left = 2 * pos + 1;
            let right = left + 1;
            let child = if right < end && !self.less(left, right) {
                right
            } else {
                left
            };
            self.items.swap(pos, child);
            pos = child;
        }
        self.sift_toward_root(pos);
    }

    /// Appends the task to the back of a list.
    fn wait(&mut self, task: TaskId, list: List) {
        self.list_mut(list).push_back(task);
        self.tasks[task].state = TaskState::Waiting(list);
    }

    /// `_wakeup_next`: notify the first waiter of the list, if any. [WAKE-1]
    fn wake_next(&mut self, list: List, woken: &mut Vec<TaskId>) {
        if let Some(task) = self.list_mut(list).pop_front() {
            self.tasks[task].state = TaskState::Notified(list);
            woken.push(task);
        }
    }

    /// Notify every waiter of the list, front to back. [WAKE-2]
    fn wake_all(&mut self, list: List, woken: &mut Vec<TaskId>) {
        while !self.list_mut(list).is_empty() {
            self.wake_next(list, woken);
        }
    }

    fn finish_op(&mut self, task: TaskId) {
        let task = &mut self.tasks[task];
        task.pc += 1;
        task.state = if task.pc < task.program.len() {
            TaskState::Idle
        } else {
            TaskState::Done
        };
    }

    /// Where a task waits: its list and its place (1 = first), if it waits.
    pub fn place_in_list(&self, task: TaskId) -> Option<(List, usize)> {
        let TaskState::Waiting(list) = self.tasks[task].state else {
            return None;
        };
        let members = match list {
            List::Getters => &self.getters,
            List::Putters => &self.putters,
            List::Joiners => &self.joiners,
        };
        members
            .iter()
            .position(|&t| t == task)
            .map(|i| (list, i + 1))
    }

    fn list_mut(&mut self, list: List) -> &mut VecDeque<TaskId> {
        match list {
            List::Getters => &mut self.getters,
            List::Putters => &mut self.putters,
            List::Joiners => &mut self.joiners,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A model after `polls` (task indices) of `scenario`.
    fn after(scenario: &str, polls: &[TaskId]) -> Model {
        let scenario: Scenario = scenario.parse().expect("a valid scenario");
        let mut model = Model::new(&scenario);
        for &t in polls {
            model.poll(t);
            assert_eq!(model.invariants(), Ok(()), "after polling t{t}");
        }
        model
    }

    fn broken(model: &Model) -> String {
        model.invariants().expect_err("an invariant is broken")
    }

    #[test]
    fn each_invariant_is_checked() {
        // docs/semantics.md STATE-9..STATE-14: the runner calls
        // `invariants` after every step of every run; each tampered state
        // below is reported by the rule it breaks.
        // t0 waits in get.
        let base = "fifo maxsize=1 | get | put 1a, put 2b | join";
        let model = after(base, &[0]);
        assert_eq!(model.getters.len(), 1);
        let mut twice = model.clone();
        twice.putters.push_back(0);
        assert!(broken(&twice).starts_with("STATE-9"), "{}", broken(&twice));
        let mut notified_in_list = model.clone();
        notified_in_list.tasks[0].state = TaskState::Notified(List::Getters);
        assert!(broken(&notified_in_list).starts_with("STATE-9"));
        let mut overfull = model.clone();
        overfull.items = vec![Item::plain(1), Item::plain(2)];
        overfull.getters.clear();
        overfull.tasks[0].state = TaskState::Idle;
        assert!(broken(&overfull).starts_with("STATE-10"));
        let mut shut = model.clone();
        shut.shutdown = true;
        assert!(broken(&shut).starts_with("STATE-11"));
        let mut lost_get = model.clone();
        lost_get.items = vec![Item::plain(1)];
        assert!(broken(&lost_get).starts_with("STATE-13"));
        // t2 waits in join after t1's put.
        let joined = after(base, &[1, 2]);
        assert_eq!(joined.joiners.len(), 1);
        let mut counted_out = joined.clone();
        counted_out.unfinished = 0;
        assert!(broken(&counted_out).starts_with("STATE-12"));
        // t1's second put waits on the full queue.
        let full = after(base, &[1, 1]);
        assert_eq!(full.putters.len(), 1);
        let mut lost_put = full.clone();
        lost_put.items.clear();
        lost_put.unfinished = 0;
        assert!(broken(&lost_put).starts_with("STATE-14"));
    }
}
