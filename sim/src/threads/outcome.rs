//! What a run of a plan ends with, and every ending the model allows.
//!
//! An ending is what a test on real threads can see once every task has
//! finished or waits with nobody left to wake it: each operation's result,
//! the items left in get order, `len`, `unfinished_tasks` and `is_shutdown`.
//! [`allowed`] computes the set of endings over every schedule of the
//! reference model, with each marked operation dropped where its mark says.

use std::collections::{BTreeSet, HashSet};
use std::fmt;

use crate::model::{Model, OpResult, TaskState};
use crate::runner::describe;
use crate::scenario::Item;

use super::plan::{Mark, Plan};

/// How one operation ended.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum End {
    /// It finished with this result.
    Done(OpResult),
    /// Its future was dropped while it waited (woken or not).
    Cancelled,
    /// It still waits, and nobody is left to wake it.
    StillWaiting,
    /// An earlier operation of its task still waits.
    NotStarted,
}

impl fmt::Display for End {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            End::Done(result) => f.write_str(&describe(result)),
            End::Cancelled => f.write_str("cancelled"),
            End::StillWaiting => f.write_str("still waiting"),
            End::NotStarted => f.write_str("not started"),
        }
    }
}

/// The ending of a run: every operation's end and the queue's state.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ending {
    /// `ops[t][i]`: how task `t`'s operation `i` ended.
    pub ops: Vec<Vec<End>>,
    /// The items left, in the order gets would take them.
    pub items_left: Vec<Item>,
    /// `len()`
    pub len: usize,
    /// `unfinished_tasks()`
    pub unfinished_tasks: usize,
    /// `is_shutdown()`
    pub shutdown: bool,
}

impl Ending {
    /// The ending the model is in, given the ends recorded so far (the
    /// operation a task waits in is still waiting; those after it never
    /// started).
    fn of(model: &Model, plan: &Plan, done: &[Vec<End>]) -> Ending {
        let ops = plan
            .scenario
            .tasks
            .iter()
            .enumerate()
            .map(|(t, program)| {
                let mut ends = done[t].clone();
                while ends.len() < program.len() {
                    ends.push(match ends.len() == model.position(t) {
                        true => End::StillWaiting,
                        false => End::NotStarted,
                    });
                }
                ends
            })
            .collect();
        let seen = model.observe();
        Ending {
            ops,
            items_left: model.items_in_get_order(),
            len: seen.len,
            unfinished_tasks: seen.unfinished_tasks,
            shutdown: seen.shutdown,
        }
    }
}

impl fmt::Display for Ending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (t, ends) in self.ops.iter().enumerate() {
            let shown: Vec<String> = ends.iter().map(End::to_string).collect();
            writeln!(f, "  t{t}: {}", shown.join(", "))?;
        }
        write!(
            f,
            "  end: items left {:?}, len {}, unfinished {}, shutdown {}",
            self.items_left, self.len, self.unfinished_tasks, self.shutdown
        )
    }
}

/// A step of the model that a task's mark allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Poll the task.
    Poll,
    /// Drop its current operation's future.
    Drop,
}

/// The steps task `t` may take next, as its current operation's mark
/// allows. A waiting task that nobody woke takes none (a poll would change
/// nothing, [POLL-3]), unless a deadline can drop it.
pub fn steps(model: &Model, plan: &Plan, t: usize) -> &'static [Step] {
    let mark = plan.mark(t, model.position(t));
    match (model.state(t), mark) {
        (TaskState::Done, _) => &[],
        (TaskState::Idle | TaskState::Yielded, _) => &[Step::Poll],
        (TaskState::Waiting(_), Mark::Run | Mark::DropWhenWoken) => &[],
        (TaskState::Waiting(_), Mark::DropAfterPending | Mark::Timeout) => &[Step::Drop],
        (TaskState::Notified(_), Mark::Run) => &[Step::Poll],
        (TaskState::Notified(_), Mark::DropAfterPending | Mark::DropWhenWoken) => &[Step::Drop],
        (TaskState::Notified(_), Mark::Timeout) => &[Step::Poll, Step::Drop],
    }
}

/// Every ending of `plan` over every schedule of the model, or `None` if
/// the search would visit more than `limit` states.
pub fn allowed(plan: &Plan, limit: usize) -> Option<BTreeSet<Ending>> {
    let mut search = Search {
        plan,
        seen: HashSet::new(),
        endings: BTreeSet::new(),
        limit,
    };
    let done = vec![Vec::new(); plan.scenario.tasks.len()];
    search
        .visit(Model::new(&plan.scenario), done)
        .then_some(search.endings)
}

struct Search<'p> {
    plan: &'p Plan,
    seen: HashSet<(Model, Vec<Vec<End>>)>,
    endings: BTreeSet<Ending>,
    limit: usize,
}

impl Search<'_> {
    /// Explores from this state; `false` once over the limit.
    fn visit(&mut self, model: Model, done: Vec<Vec<End>>) -> bool {
        if self.seen.len() > self.limit {
            return false;
        }
        if !self.seen.insert((model.clone(), done.clone())) {
            return true;
        }
        let mut moved = false;
        for t in 0..model.task_count() {
            for &step in steps(&model, self.plan, t) {
                moved = true;
                let mut next = model.clone();
                let mut next_done = done.clone();
                match step {
                    Step::Poll => {
                        if let Some(result) = next.poll(t).result {
                            next_done[t].push(End::Done(result));
                        }
                    }
                    Step::Drop => {
                        next.cancel(t);
                        next_done[t].push(End::Cancelled);
                    }
                }
                if !self.visit(next, next_done) {
                    return false;
                }
            }
        }
        if !moved {
            self.endings.insert(Ending::of(&model, self.plan, &done));
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endings(text: &str) -> Vec<String> {
        let plan: Plan = text.parse().unwrap();
        allowed(&plan, 100_000)
            .unwrap()
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn a_getter_with_nothing_to_get_still_waits() {
        let all = endings("fifo | get | try_get");
        assert_eq!(all.len(), 1, "{all:#?}");
        assert!(all[0].contains("t0: still waiting"), "{all:#?}");
        assert!(all[0].contains("t1: Empty"), "{all:#?}");
    }

    #[test]
    fn a_put_racing_a_get_ends_one_way() {
        let all = endings("fifo maxsize=1 | put 1a | get");
        assert_eq!(all.len(), 1, "{all:#?}");
        assert!(all[0].contains("t1: 1a"), "{all:#?}");
    }

    #[test]
    fn a_getter_dropped_when_woken_passes_the_item_on() {
        // The item stays (the woken getter never took it), or the first
        // getter was not yet waiting when the put came and took it itself.
        let all = endings("fifo | get!woken | try_put 1 | get!pending");
        assert!(
            all.iter()
                .any(|e| e.contains("t0: cancelled") && e.contains("items left [1]")),
            "{all:#?}"
        );
        assert!(all.iter().any(|e| e.contains("t0: 1\n")), "{all:#?}");
        // Never lost: got by one of the getters, or left.
        assert!(
            all.iter().all(|e| e.contains(": 1\n") || e.contains("[1]")),
            "{all:#?}"
        );
    }

    #[test]
    fn the_limit_is_kept() {
        let plan: Plan = "fifo | put 1, get, put 2 | get, get, put 3 | get, put 4"
            .parse()
            .unwrap();
        assert_eq!(allowed(&plan, 3), None);
    }
}
