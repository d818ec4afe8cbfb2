//! PCT (probabilistic concurrency testing, Burckhardt et al., ASPLOS 2010):
//! each task gets a random priority, the highest-priority task that can
//! run is run, and at `depth - 1` random steps the running task drops to
//! the lowest priority. Bugs that need `depth` ordering constraints are
//! found with probability at least 1/(n k^(depth-1)). Cancellations and
//! spurious polls are mixed in at a fixed rate.

use super::SplitMix64;
use super::{Scheduler, View};
use crate::executor::Action;

/// The PCT scheduler for one run.
pub struct PctScheduler {
    rng: SplitMix64,
    priorities: Vec<usize>,
    change_points: Vec<usize>,
    lowest: usize,
}

/// One step in this many is a cancellation or spurious poll, if possible.
const OTHER_ACTION_ONE_IN: usize = 8;

impl PctScheduler {
    /// A run over `tasks` tasks of about `steps` steps, with `depth`.
    pub fn new(seed: u64, tasks: usize, steps: usize, depth: usize) -> Self {
        let mut rng = SplitMix64::new(seed);
        let mut priorities: Vec<usize> = (0..tasks).map(|t| t + depth).collect();
        for i in (1..priorities.len()).rev() {
            let j = rng.below(i + 1);
            priorities.swap(i, j);
        }
        let change_points = (1..depth).map(|_| rng.below(steps.max(1))).collect();
        PctScheduler {
            rng,
            priorities,
            change_points,
            lowest: depth,
        }
    }
}

impl Scheduler for PctScheduler {
    fn choose(&mut self, view: &View<'_>) -> Option<usize> {
        let others: Vec<usize> = (0..view.actions.len())
            .filter(|&i| !matches!(view.actions[i], Action::Poll(_)))
            .collect();
        let polls: Vec<usize> = (0..view.actions.len())
            .filter(|&i| matches!(view.actions[i], Action::Poll(_)))
            .collect();
        if polls.is_empty() || (!others.is_empty() && self.rng.below(OTHER_ACTION_ONE_IN) == 0) {
            return others.get(self.rng.below(others.len().max(1))).copied();
        }
        let best = |priorities: &[usize]| {
            polls
                .iter()
                .copied()
                .max_by_key(|&i| priorities[view.actions[i].task()])
        };
        if self.change_points.contains(&view.step) {
            let running = best(&self.priorities)?;
            self.lowest = self.lowest.saturating_sub(1);
            self.priorities[view.actions[running].task()] = self.lowest;
        }
        best(&self.priorities)
    }
}
