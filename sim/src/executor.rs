//! A single-threaded executor that owns every task's current future and
//! records every poll, every wake (through wakers of its own) and every drop.
//!
//! It does not decide anything: the explorer tells it which [`Action`] to
//! take next, and it reports exactly what happened.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};

use crate::model::{Comparison, Observation, OpResult, TaskId};
use crate::scenario::{Item, Op, ParseError};
use crate::subject::{cancel, take_comparisons, OpFuture, Subject};

/// One step the explorer can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Poll a task that may run: its next operation, or one it was woken in.
    Poll(TaskId),
    /// Poll a waiting task nobody woke, with the waker it already gave.
    Spurious(TaskId),
    /// Poll a waiting task nobody woke, with a new waker: from now on only
    /// the new one may be woken.
    FreshWaker(TaskId),
    /// Drop the task's current future (cancel it), whether it waits, was
    /// woken and not yet polled, or was never polled.
    Drop(TaskId),
}

impl Action {
    /// The task the action is about.
    pub fn task(self) -> TaskId {
        match self {
            Action::Poll(t) | Action::Spurious(t) | Action::FreshWaker(t) | Action::Drop(t) => t,
        }
    }

    /// Parses one action of a schedule (`p0`, `s1`, `f2`, `d0`).
    pub fn parse(text: &str) -> Result<Action, ParseError> {
        let mut chars = text.chars();
        let make = match chars.next() {
            Some('p') => Action::Poll,
            Some('s') => Action::Spurious,
            Some('f') => Action::FreshWaker,
            Some('d') => Action::Drop,
            _ => {
                return Err(ParseError::new(format!(
                    "`{text}` is not an action (p, s, f or d, then a task number)"
                )))
            }
        };
        chars
            .as_str()
            .parse()
            .map(make)
            .map_err(|_| ParseError::new(format!("`{text}`: a task number must follow the letter")))
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Poll(t) => write!(f, "p{t}"),
            Action::Spurious(t) => write!(f, "s{t}"),
            Action::FreshWaker(t) => write!(f, "f{t}"),
            Action::Drop(t) => write!(f, "d{t}"),
        }
    }
}

/// A wake seen by the executor: which task, through which of its wakers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WakeRecord {
    /// The task the waker belongs to.
    pub task: TaskId,
    /// Which of the task's wakers (0 = the first it gave out).
    pub generation: u64,
}

struct RecordingWaker {
    record: WakeRecord,
    log: Arc<Mutex<Vec<WakeRecord>>>,
}

impl Wake for RecordingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(self.record);
    }
}

struct TaskRun<'q> {
    program: Vec<Op>,
    pc: usize,
    future: Option<OpFuture<'q>>,
    woken: bool,
    /// Every waker the task was given, by generation: a new one for each
    /// operation and for each fresh-waker poll. Kept to count the clones the
    /// queue still holds.
    wakers: Vec<Arc<RecordingWaker>>,
    waker: Waker,
    /// Fresh wakers given in the current wait.
    refreshed: u8,
    /// Polls since the current wait began, or since the task was last
    /// woken, that nobody asked for (spurious ones, same or fresh waker).
    quiet_polls: u8,
}

impl TaskRun<'_> {
    fn generation(&self) -> u64 {
        self.wakers.len() as u64 - 1
    }

    /// Gives the task a waker of a new generation.
    fn renew_waker(&mut self, task: TaskId, log: &Arc<Mutex<Vec<WakeRecord>>>) {
        let waker = Arc::new(RecordingWaker {
            record: WakeRecord {
                task,
                generation: self.wakers.len() as u64,
            },
            log: Arc::clone(log),
        });
        self.waker = Waker::from(Arc::clone(&waker));
        self.wakers.push(waker);
    }

    /// The operation is over (finished or dropped): on to the next one.
    fn next_op(&mut self) {
        self.future = None;
        self.woken = false;
        self.pc += 1;
        self.refreshed = 0;
        self.quiet_polls = 0;
    }
}

/// What a step did, as the executor saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepReport {
    /// `None`: pending (or dropped). `Some`: the operation finished.
    pub result: Option<OpResult>,
    /// The wakes that happened during the step, in order.
    pub wakes: Vec<WakeRecord>,
    /// The comparisons of items the queue made during the step, in order.
    pub comparisons: Vec<Comparison>,
    /// For a drop through `Put::cancel` (see `subject::cancel`): the item
    /// it handed back. `None` for every other step.
    pub handed_back: Option<Option<Item>>,
}

/// Runs the tasks of one scenario on one queue.
pub struct Executor<'q> {
    subject: &'q dyn Subject,
    tasks: Vec<TaskRun<'q>>,
    log: Arc<Mutex<Vec<WakeRecord>>>,
}

impl<'q> Executor<'q> {
    /// Tasks with these programs, none started.
    pub fn new(subject: &'q dyn Subject, programs: &[Vec<Op>]) -> Self {
        // Comparisons left on this thread by an earlier run are not ours.
        take_comparisons();
        let log = Arc::new(Mutex::new(Vec::new()));
        let tasks = programs
            .iter()
            .enumerate()
            .map(|(task, program)| {
                let mut run = TaskRun {
                    program: program.clone(),
                    pc: 0,
                    future: None,
                    woken: false,
                    wakers: Vec::new(),
                    waker: Waker::noop().clone(),
                    refreshed: 0,
                    quiet_polls: 0,
                };
                run.renew_waker(task, &log);
                run
            })
            .collect();
        Executor {
            subject,
            tasks,
            log,
        }
    }

    /// Every action possible now, in a fixed order (tasks in order; for each:
    /// poll, spurious, fresh waker, drop).
    pub fn actions(&self) -> Vec<Action> {
        let mut actions = Vec::new();
        for task in 0..self.tasks.len() {
            actions.extend(self.task_actions(task));
        }
        actions
    }

    /// The actions possible now for one task, in the order of [`actions`](Self::actions).
    fn task_actions(&self, t: TaskId) -> impl Iterator<Item = Action> {
        let task = &self.tasks[t];
        let op = task.program.get(task.pc).copied();
        let started = task.future.is_some();
        let waiting = started && !task.woken;
        [
            (!started || task.woken).then_some(Action::Poll(t)),
            waiting.then_some(Action::Spurious(t)),
            waiting.then_some(Action::FreshWaker(t)),
            (started || op.is_some_and(Op::can_wait)).then_some(Action::Drop(t)),
        ]
        .into_iter()
        .flatten()
        .filter(move |_| op.is_some())
    }

    /// Whether `action` is possible now (without building every task's list).
    pub fn is_possible(&self, action: Action) -> bool {
        action.task() < self.tasks.len() && self.task_actions(action.task()).any(|a| a == action)
    }

    /// Whether some task can run (as opposed to only being re-polled or dropped).
    pub fn any_runnable(&self) -> bool {
        self.tasks
            .iter()
            .any(|task| task.pc < task.program.len() && (task.future.is_none() || task.woken))
    }

    /// Fresh wakers given in the task's current wait, and polls nobody
    /// asked for since it began or since the task was last woken.
    pub fn wait_counts(&self, task: TaskId) -> (u8, u8) {
        let task = &self.tasks[task];
        (task.refreshed, task.quiet_polls)
    }

    /// Takes one action. `None` if it is not possible now.
    pub fn step(&mut self, action: Action) -> Option<StepReport> {
        if !self.is_possible(action) {
            return None;
        }
        let subject = self.subject;
        let t = action.task();
        let log = &self.log;
        let task = &mut self.tasks[t];
        let op = task.program[task.pc];
        let mut result = None;
        let mut handed_back = None;
        match action {
            Action::Poll(_) | Action::Spurious(_) | Action::FreshWaker(_) => {
                if task.future.is_none() {
                    // Each operation gets wakers of its own: a wake through
                    // an earlier operation's waker is a stale registration.
                    task.renew_waker(t, log);
                    task.future = Some(subject.start_for(op, t));
                }
                if let Action::FreshWaker(_) = action {
                    task.renew_waker(t, log);
                    task.refreshed = task.refreshed.saturating_add(1);
                }
                if !matches!(action, Action::Poll(_)) {
                    task.quiet_polls = task.quiet_polls.saturating_add(1);
                }
                task.woken = false;
                let mut cx = Context::from_waker(&task.waker);
                if let Some(Poll::Ready(output)) = task
                    .future
                    .as_mut()
                    .map(|future| future.as_mut().poll(&mut cx))
                {
                    result = Some(output);
                    task.next_op();
                }
            }
            Action::Drop(_) => {
                // A never-polled future is made and cancelled at once.
                let future = task
                    .future
                    .take()
                    .unwrap_or_else(|| subject.start_for(op, t));
                handed_back = cancel(future, op, t);
                task.next_op();
            }
        }
        let wakes = self.take_wakes();
        Some(StepReport {
            result,
            wakes,
            comparisons: take_comparisons(),
            handed_back,
        })
    }

    /// The wakes recorded since the last call; marks the tasks woken.
    pub fn take_wakes(&mut self) -> Vec<WakeRecord> {
        let wakes: Vec<WakeRecord> =
            std::mem::take(&mut *self.log.lock().unwrap_or_else(PoisonError::into_inner));
        for wake in &wakes {
            let woken = &mut self.tasks[wake.task];
            if wake.generation == woken.generation() && woken.future.is_some() {
                woken.woken = true;
                woken.quiet_polls = 0;
            }
        }
        wakes
    }

    /// Drops the task's future, if it has one (the end of a run).
    pub fn drop_future(&mut self, task: TaskId) -> Vec<WakeRecord> {
        if let Some(future) = self.tasks[task].future.take() {
            drop(future);
            self.tasks[task].next_op();
        }
        self.take_wakes()
    }

    /// The generation of the task's current waker.
    pub fn generation(&self, task: TaskId) -> u64 {
        self.tasks[task].generation()
    }

    /// How many clones of each of the task's wakers the queue holds, by
    /// generation (the executor's own references left out).
    pub fn wakers_held(&self, task: TaskId) -> Vec<usize> {
        let run = &self.tasks[task];
        let current = run.generation() as usize;
        run.wakers
            .iter()
            .enumerate()
            .map(|(generation, waker)| {
                let ours = 1 + usize::from(generation == current);
                Arc::strong_count(waker).saturating_sub(ours)
            })
            .collect()
    }

    /// The place in its list the task's future shows, if it waits.
    pub fn place(&self, task: TaskId) -> Option<usize> {
        self.tasks[task].future.as_ref().and_then(|f| f.place())
    }

    /// The queue's counts, as its public API shows them.
    pub fn observe(&self) -> Observation {
        self.subject.observe()
    }

    /// Whether the task has a future in flight.
    pub fn has_future(&self, task: TaskId) -> bool {
        self.tasks[task].future.is_some()
    }
}
