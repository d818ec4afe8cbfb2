//! Strategies that pick schedules: exhaustive depth-first search with state
//! hashing, seeded random, PCT, replay, and the one schedule CPython's event
//! loop gives (asyncio). Each is a [`Scheduler`] (or, for DFS, a driver of
//! many runs); [`crate::runner`] runs the schedule and checks every step.

pub mod asyncio;
pub mod dfs;
pub mod minimise;
pub mod pct;
pub mod random;
pub mod replay;
mod rng;

pub use rng::{date_seed, SplitMix64};

use crate::executor::Action;
use crate::runner::StepRecord;

/// What a scheduler sees before each step.
pub struct View<'a> {
    /// Steps taken so far.
    pub step: usize,
    /// The step just taken, if any (what it did, as the model has it; the
    /// implementation agreed, or the run would have ended).
    pub last: Option<&'a StepRecord>,
    /// Every action possible now (never empty).
    pub actions: &'a [Action],
    /// A hash of the whole state (model, plus each task's waker freshness,
    /// plus the results so far if the run was asked to keep them apart).
    pub state_key: u64,
}

/// Chooses the next action of a run.
pub trait Scheduler {
    /// The index in `view.actions` to take, or `None` to end the run here.
    fn choose(&mut self, view: &View<'_>) -> Option<usize>;
}
