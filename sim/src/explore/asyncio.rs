//! The schedule CPython's event loop gives a scenario: one schedule, the
//! one asyncio itself would run.
//!
//! - Tasks start in creation order: at first the ready queue holds every
//!   task, `t0` first.
//! - The loop runs the task at the front of the ready queue for one *step*:
//!   it polls the task, operation after operation, until an operation waits
//!   (asyncio: the coroutine awaits a future that is not done) or the
//!   program ends.
//! - A task woken during a step goes to the back of the ready queue, in the
//!   order of the wakes (asyncio: `set_result` schedules the task's wakeup
//!   with `call_soon`). A `yield` wakes its own task, which so goes to the
//!   back too (`await asyncio.sleep(0)`).
//! - `cancel N` is `Task.cancel()`, delivered as asyncio delivers it
//!   (`DIFF-5`): a task waiting on a future that is not done has that future
//!   cancelled at once, so nothing can wake it any more, and goes to the back
//!   of the ready queue; here its future is dropped at that moment, which
//!   takes it out of its list (`CANCEL-2`). A task already in the ready
//!   queue (woken, or in `yield`) is cancelled when its turn comes: its
//!   future is dropped at the start of its next step (`CANCEL-3` applies
//!   there). A task that has not started, or has finished, or is already
//!   cancelled and not yet run, is left alone.
//!
//! Needs runs with drops allowed and no spurious polls
//! ([`AsyncioScheduler::options`]).

use std::collections::VecDeque;

use super::{Scheduler, View};
use crate::executor::Action;
use crate::model::TaskId;
use crate::runner::RunOptions;
use crate::scenario::{Op, Scenario};

/// Where a task stands, as the event loop sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Standing {
    /// Created, its first step not yet run.
    NotStarted,
    /// Its step is running now.
    Running,
    /// In the ready queue after a wake (or its own `yield`).
    Woken,
    /// In the ready queue after its waiting future was cancelled.
    Cancelled,
    /// Waiting on a future nobody has completed.
    Waiting,
    /// Its program is over.
    Finished,
}

/// Runs a scenario the way CPython's event loop does. One per run.
pub struct AsyncioScheduler {
    ready: VecDeque<TaskId>,
    standing: Vec<Standing>,
    /// Tasks whose cancellation waits for their next step.
    must_cancel: Vec<bool>,
    running: Option<TaskId>,
    /// A waiting task to drop right now (its future was cancelled).
    drop_now: Option<TaskId>,
    /// Why the schedule could not go on, if it could not.
    problem: Option<String>,
}

impl AsyncioScheduler {
    /// The loop for `scenario`, before anything runs.
    pub fn new(scenario: &Scenario) -> Self {
        let standing: Vec<Standing> = scenario
            .tasks
            .iter()
            .map(|program| {
                if program.is_empty() {
                    Standing::Finished
                } else {
                    Standing::NotStarted
                }
            })
            .collect();
        AsyncioScheduler {
            ready: (0..standing.len())
                .filter(|&t| standing[t] == Standing::NotStarted)
                .collect(),
            must_cancel: vec![false; standing.len()],
            standing,
            running: None,
            drop_now: None,
            problem: None,
        }
    }

    /// The run options this scheduler needs: drops (for `cancel`), no
    /// spurious polls (the event loop never makes one).
    pub fn options() -> RunOptions {
        RunOptions {
            spurious: false,
            cancel: true,
            ..RunOptions::default()
        }
    }

    /// Why the run ended before quiescence, if it did: an action the loop
    /// needed was not possible (a bug of the simulator, never of a queue).
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// Takes in what the last step did.
    fn learn(&mut self, view: &View<'_>) {
        let Some(last) = view.last else {
            return;
        };
        for &woken in &last.outcome.woken {
            if !self.ready.contains(&woken) {
                self.ready.push_back(woken);
            }
            self.standing[woken] = Standing::Woken;
        }
        let task = last.action.task();
        match last.action {
            Action::Poll(_) => match (&last.outcome.result, last.op) {
                // Pending: the step is over (the task waits, or yielded and
                // is already back in the ready queue).
                (None, _) => {
                    if self.standing[task] == Standing::Running {
                        self.standing[task] = Standing::Waiting;
                    }
                    self.running = None;
                }
                (Some(_), Some(Op::Cancel(target))) => self.cancel(target),
                (Some(_), _) => {}
            },
            Action::Drop(_) if self.running != Some(task) => {
                // Dropped while waiting: back in the ready queue, to go on
                // with its next operation when its turn comes.
                self.ready.push_back(task);
                self.standing[task] = Standing::Cancelled;
            }
            _ => {}
        }
    }

    /// `Task.cancel()` of `target`.
    fn cancel(&mut self, target: TaskId) {
        match self.standing.get(target) {
            Some(Standing::Waiting) => self.drop_now = Some(target),
            Some(Standing::Woken) => self.must_cancel[target] = true,
            _ => {}
        }
    }

    fn pick(&mut self, view: &View<'_>, action: Action) -> Option<usize> {
        let index = view.actions.iter().position(|a| *a == action);
        if index.is_none() {
            self.problem = Some(format!(
                "the event loop needed {action} at step {}, which was not possible",
                view.step + 1
            ));
        }
        index
    }
}

impl Scheduler for AsyncioScheduler {
    fn choose(&mut self, view: &View<'_>) -> Option<usize> {
        self.learn(view);
        if let Some(target) = self.drop_now.take() {
            return self.pick(view, Action::Drop(target));
        }
        if let Some(task) = self.running {
            // The step goes on with the task's next operation, if any.
            if view.actions.contains(&Action::Poll(task)) {
                return self.pick(view, Action::Poll(task));
            }
            self.standing[task] = Standing::Finished;
            self.running = None;
        }
        loop {
            let task = self.ready.pop_front()?;
            self.running = Some(task);
            self.standing[task] = Standing::Running;
            if std::mem::take(&mut self.must_cancel[task]) {
                return self.pick(view, Action::Drop(task));
            }
            if view.actions.contains(&Action::Poll(task)) {
                return self.pick(view, Action::Poll(task));
            }
            // Cancelled in its last operation: its step only ends it.
            self.standing[task] = Standing::Finished;
            self.running = None;
        }
    }
}
