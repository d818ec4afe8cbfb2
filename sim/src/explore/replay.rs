//! Replays a fixed schedule, action by action.

use super::{Scheduler, View};
use crate::executor::Action;

/// Takes the given actions in order, then stops. With `lenient`, an action
/// that is not possible is skipped (used while minimising); otherwise the
/// run stops there, and [`problem`](ReplayScheduler::problem) says why.
/// Where the number of possible actions at a step was recorded, it must be
/// the same.
pub struct ReplayScheduler {
    schedule: Vec<Action>,
    possible: Vec<Option<usize>>,
    next: usize,
    lenient: bool,
    problem: Option<String>,
}

impl ReplayScheduler {
    /// Replays exactly `schedule`.
    pub fn new(schedule: Vec<Action>) -> Self {
        ReplayScheduler {
            schedule,
            possible: Vec::new(),
            next: 0,
            lenient: false,
            problem: None,
        }
    }

    /// Replays exactly `schedule`, and checks the number of possible
    /// actions at each step where `possible` records it.
    pub fn strict(schedule: Vec<Action>, possible: Vec<Option<usize>>) -> Self {
        ReplayScheduler {
            possible,
            ..ReplayScheduler::new(schedule)
        }
    }

    /// Why a replay stopped before its end, if it did.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// Replays `schedule`, skipping actions that are not possible.
    pub fn lenient(schedule: Vec<Action>) -> Self {
        ReplayScheduler {
            lenient: true,
            ..ReplayScheduler::new(schedule)
        }
    }
}

impl Scheduler for ReplayScheduler {
    fn choose(&mut self, view: &View<'_>) -> Option<usize> {
        while let Some(action) = self.schedule.get(self.next) {
            let at = self.next;
            self.next += 1;
            if let Some(&Some(recorded)) = self.possible.get(at) {
                if recorded != view.actions.len() {
                    self.problem = Some(format!(
                        "step {}: {} actions are possible, the recording says {recorded}",
                        at + 1,
                        view.actions.len()
                    ));
                    return None;
                }
            }
            if let Some(index) = view.actions.iter().position(|a| a == action) {
                return Some(index);
            }
            if !self.lenient {
                self.problem = Some(format!(
                    "step {}: action {action} is not possible there",
                    at + 1
                ));
                return None;
            }
        }
        None
    }
}
