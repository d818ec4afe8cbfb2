//! Seeded random schedules: at each step, a random possible action, with
//! polls of runnable tasks weighted above spurious polls and drops so that
//! runs make progress.

use super::SplitMix64;
use crate::check::{Scheduler, View};
use crate::executor::Action;

/// Picks actions at random from a seed.
pub struct RandomScheduler {
    rng: SplitMix64,
}

impl RandomScheduler {
    /// Same seed, same schedule.
    pub fn new(seed: u64) -> Self {
        RandomScheduler {
            rng: SplitMix64::new(seed),
        }
    }
}

/// How much likelier a poll of a runnable task is than any other action.
const POLL_WEIGHT: usize = 6;

impl Scheduler for RandomScheduler {
    fn choose(&mut self, view: &View<'_>) -> Option<usize> {
        let weight = |action: &Action| {
            if matches!(action, Action::Poll(_)) {
                POLL_WEIGHT
            } else {
                1
            }
        };
        let total: usize = view.actions.iter().map(weight).sum();
        let mut pick = self.rng.below(total);
        for (index, action) in view.actions.iter().enumerate() {
            let w = weight(action);
            if pick < w {
                return Some(index);
            }
            pick -= w;
        }
        None
    }
}

/// A random scenario: a random kind, maxsize `0..=3`, `1..=max_tasks` tasks
/// of `1..=max_ops` operations, puts with distinct items.
pub fn random_scenario(
    rng: &mut SplitMix64,
    max_tasks: usize,
    max_ops: usize,
) -> crate::scenario::Scenario {
    use crate::scenario::{Kind, Op, Scenario};
    let kind = Kind::ALL[rng.below(Kind::ALL.len())];
    let maxsize = rng.below(4);
    let mut next_item = 1;
    let tasks = (0..1 + rng.below(max_tasks))
        .map(|_| {
            (0..1 + rng.below(max_ops))
                .map(|_| {
                    let ops = Op::all_with_item(next_item);
                    let op = ops[rng.below(ops.len())];
                    if op.item().is_some() {
                        next_item = (next_item * 7 + 3) % 97 + 1;
                    }
                    op
                })
                .collect()
        })
        .collect();
    Scenario {
        kind,
        maxsize,
        tasks,
    }
}
