//! Linearizability against the model: is there a schedule of the model that
//! gives exactly a history's results and respects its real time?
//!
//! A schedule is a sequence of model steps (a task polled, or its current
//! operation's future dropped). Each step happens at an instant within its
//! operation's interval, from invocation to response, and instants never go
//! back: so an operation that returned before another was invoked has all
//! its steps first. A waiting operation takes several steps (it waits, is
//! woken, runs), each of them at an instant of its own, as on real threads.
//!
//! The search is Wing and Gong's, with Lowe's memoisation as Porcupine does
//! it: depth first over (model state, clock) pairs, each visited once. Each
//! step is placed at the earliest instant it can have (the later of the
//! clock and its operation's invocation), which never loses a schedule; an
//! operation whose response is already behind the clock and that has not
//! finished cuts the branch. At the end every operation must have finished
//! as recorded, each one still waiting must wait in the model, unwoken, and
//! the queue must hold what the real one held.

use std::collections::HashSet;

use crate::model::{Model, TaskState};

use super::history::History;
use super::outcome::{steps, End, Step};
use super::plan::Plan;

/// The answer, with the number of states the search visited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A schedule of the model gives this history.
    Linearizable {
        /// States visited.
        states: usize,
    },
    /// None does.
    Violation {
        /// States visited.
        states: usize,
        /// What the closest schedules could not match.
        why: String,
    },
    /// The search stopped at its bound of states.
    Unknown {
        /// States visited.
        states: usize,
    },
}

impl Verdict {
    /// States visited.
    pub fn states(&self) -> usize {
        match self {
            Verdict::Linearizable { states }
            | Verdict::Violation { states, .. }
            | Verdict::Unknown { states } => *states,
        }
    }
}

/// Searches for a schedule of the model that gives `history`, visiting at
/// most `limit` states.
pub fn check(plan: &Plan, history: &History, limit: usize) -> Verdict {
    let mut search = Search {
        plan,
        history,
        seen: HashSet::new(),
        limit,
        why: None,
    };
    let found = search.visit(Model::new(&plan.scenario), 0);
    let states = search.seen.len();
    match found {
        Some(true) => Verdict::Linearizable { states },
        Some(false) => Verdict::Violation {
            states,
            why: search.why.unwrap_or_else(|| {
                "no schedule of the model gives these results in this real-time order".into()
            }),
        },
        None => Verdict::Unknown { states },
    }
}

struct Search<'a> {
    plan: &'a Plan,
    history: &'a History,
    seen: HashSet<(Model, u64)>,
    limit: usize,
    /// The reason the last complete schedule was refused, for the report.
    why: Option<String>,
}

impl Search<'_> {
    /// `Some(true)`: found; `Some(false)`: none from here; `None`: bound hit.
    fn visit(&mut self, model: Model, clock: u64) -> Option<bool> {
        if self.seen.len() >= self.limit {
            return None;
        }
        if !self.seen.insert((model.clone(), clock)) {
            return Some(false);
        }
        if self.all_accounted(&model) {
            match self.same_queue(&model) {
                Ok(()) => return Some(true),
                Err(why) => self.why = Some(why),
            }
        }
        for t in 0..model.task_count() {
            let at = model.position(t);
            let Some(record) = self.history.tasks[t].get(at) else {
                continue;
            };
            let instant = clock.max(record.invoked);
            if record.returned.is_some_and(|returned| instant > returned) {
                continue;
            }
            // Every other operation under way must be able to finish later.
            let overdue = (0..model.task_count()).any(|other| {
                other != t
                    && self.history.tasks[other]
                        .get(model.position(other))
                        .and_then(|r| r.returned)
                        .is_some_and(|returned| returned < instant)
            });
            if overdue {
                continue;
            }
            for step in self.possible(&model, t, &record.end) {
                let mut next = model.clone();
                match step {
                    Step::Poll => {
                        if let Some(result) = next.poll(t).result {
                            if record.end != End::Done(result) {
                                continue;
                            }
                        }
                    }
                    Step::Drop => {
                        next.cancel(t);
                    }
                }
                match self.visit(next, instant) {
                    Some(false) => {}
                    found => return found,
                }
            }
        }
        Some(false)
    }

    /// The steps task `t` may take toward its recorded end: those its mark
    /// allows, and a drop only if its future was recorded dropped.
    fn possible(&self, model: &Model, t: usize, end: &End) -> Vec<Step> {
        steps(model, self.plan, t)
            .iter()
            .copied()
            .filter(|&s| s == Step::Poll || *end == End::Cancelled)
            .collect()
    }

    /// Every operation is where the history says: finished as recorded, or
    /// waiting unwoken if it still waits.
    fn all_accounted(&self, model: &Model) -> bool {
        self.history.tasks.iter().enumerate().all(|(t, records)| {
            let finished = records
                .iter()
                .filter(|r| r.end != End::StillWaiting)
                .count();
            let waits = records.len() > finished;
            model.position(t) == finished
                && match waits {
                    true => matches!(model.state(t), TaskState::Waiting(_)),
                    false => {
                        finished == self.plan.scenario.tasks[t].len()
                            && model.state(t) == TaskState::Done
                    }
                }
        })
    }

    fn same_queue(&self, model: &Model) -> Result<(), String> {
        let seen = model.observe();
        let real = &self.history.ending;
        let model_items = model.items_in_get_order();
        if (seen.len, seen.unfinished_tasks, seen.shutdown, &model_items)
            != (
                real.len,
                real.unfinished_tasks,
                real.shutdown,
                &real.items_left,
            )
        {
            return Err(format!(
                "the results match a schedule, but the queue does not: the model ends with items {model_items:?}, len {}, unfinished {}, shutdown {}",
                seen.len, seen.unfinished_tasks, seen.shutdown
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OpResult;
    use crate::scenario::Item;
    use crate::threads::history::OpRecord;
    use crate::threads::outcome::Ending;

    fn done(invoked: u64, returned: u64, result: OpResult) -> OpRecord {
        OpRecord {
            invoked,
            returned: Some(returned),
            end: End::Done(result),
            pendings: 0,
            woken_when_dropped: false,
        }
    }

    fn history(tasks: Vec<Vec<OpRecord>>, items_left: Vec<Item>, unfinished: usize) -> History {
        let ops = tasks
            .iter()
            .map(|r| r.iter().map(|r| r.end.clone()).collect())
            .collect();
        History {
            tasks,
            ending: Ending {
                ops,
                len: items_left.len(),
                items_left,
                unfinished_tasks: unfinished,
                shutdown: false,
            },
        }
    }

    #[test]
    fn overlapping_operations_may_go_either_way() {
        let plan: Plan = "fifo | try_put 1 | try_get".parse().unwrap();
        // The try_get overlaps the put and found the queue empty.
        let h = history(
            vec![
                vec![done(0, 3, OpResult::Ok)],
                vec![done(1, 2, OpResult::Empty)],
            ],
            vec![Item::plain(1)],
            1,
        );
        assert!(matches!(
            check(&plan, &h, 1000),
            Verdict::Linearizable { .. }
        ));
    }

    #[test]
    fn real_time_order_is_kept() {
        let plan: Plan = "fifo | try_put 1 | try_get".parse().unwrap();
        // The put returned before the try_get began: Empty is impossible.
        let h = history(
            vec![
                vec![done(0, 1, OpResult::Ok)],
                vec![done(2, 3, OpResult::Empty)],
            ],
            vec![Item::plain(1)],
            1,
        );
        assert!(matches!(check(&plan, &h, 1000), Verdict::Violation { .. }));
    }

    #[test]
    fn a_getter_left_waiting_beside_an_item_is_a_lost_wakeup() {
        let plan: Plan = "fifo | get | try_put 1".parse().unwrap();
        let waiting = OpRecord {
            invoked: 0,
            returned: None,
            end: End::StillWaiting,
            pendings: 1,
            woken_when_dropped: false,
        };
        let h = history(
            vec![vec![waiting], vec![done(1, 2, OpResult::Ok)]],
            vec![Item::plain(1)],
            1,
        );
        assert!(matches!(check(&plan, &h, 1000), Verdict::Violation { .. }));
    }

    #[test]
    fn the_end_state_is_compared() {
        let plan: Plan = "fifo | try_put 1 | try_put 2".parse().unwrap();
        let h = history(
            vec![
                vec![done(0, 1, OpResult::Ok)],
                vec![done(2, 3, OpResult::Ok)],
            ],
            vec![Item::plain(2), Item::plain(1)],
            2,
        );
        let verdict = check(&plan, &h, 1000);
        assert!(
            matches!(&verdict, Verdict::Violation { why, .. } if why.contains("queue does not")),
            "{verdict:?}"
        );
    }
}
