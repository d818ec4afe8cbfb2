//! Seeded random schedules: at each step, a random possible action, with
//! polls of runnable tasks weighted above spurious polls and drops so that
//! runs make progress.

use super::SplitMix64;
use super::{Scheduler, View};
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
/// of `1..=max_ops` operations; puts of keys 0 to 3 (so that ties are
/// common) tagged `a`, `b`, ... in put order, and now and then a `cancel`
/// of another task.
pub fn random_scenario(
    rng: &mut SplitMix64,
    max_tasks: usize,
    max_ops: usize,
) -> crate::scenario::Scenario {
    use crate::scenario::{Item, Kind, Op, Scenario};
    let kind = Kind::ALL[rng.below(Kind::ALL.len())];
    let maxsize = rng.below(4);
    let task_count = 1 + rng.below(max_tasks);
    let tasks = (0..task_count)
        .map(|task| {
            (0..1 + rng.below(max_ops))
                .map(|_| {
                    let item = Item::plain(rng.below(4) as u32);
                    let ops = Op::all_with_item(item);
                    // One pick in ten is a cancel, if there is another task.
                    if task_count > 1 && rng.below(10) == 0 {
                        let other = (task + 1 + rng.below(task_count - 1)) % task_count;
                        return Op::Cancel(other);
                    }
                    ops[rng.below(ops.len())]
                })
                .collect()
        })
        .collect();
    Scenario {
        kind,
        maxsize,
        tasks,
    }
    .with_tagged_puts()
}
