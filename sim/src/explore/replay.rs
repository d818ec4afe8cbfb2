//! Replays a fixed schedule, action by action.

use super::{Scheduler, View};
use crate::executor::Action;

/// Takes the given actions in order, then stops. With `lenient`, an action
/// that is not possible is skipped (used while minimising); otherwise the
/// run stops there.
pub struct ReplayScheduler {
    schedule: Vec<Action>,
    next: usize,
    lenient: bool,
}

impl ReplayScheduler {
    /// Replays exactly `schedule`.
    pub fn new(schedule: Vec<Action>) -> Self {
        ReplayScheduler {
            schedule,
            next: 0,
            lenient: false,
        }
    }

    /// Replays `schedule`, skipping actions that are not possible.
    pub fn lenient(schedule: Vec<Action>) -> Self {
        ReplayScheduler {
            schedule,
            next: 0,
            lenient: true,
        }
    }
}

impl Scheduler for ReplayScheduler {
    fn choose(&mut self, view: &View<'_>) -> Option<usize> {
        while let Some(action) = self.schedule.get(self.next) {
            self.next += 1;
            if let Some(index) = view.actions.iter().position(|a| a == action) {
                return Some(index);
            }
            if !self.lenient {
                return None;
            }
        }
        None
    }
}
