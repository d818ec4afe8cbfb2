//! Exhaustive depth-first search over every schedule of a scenario, with
//! state hashing: a state already explored is not explored again.
//!
//! Runs cannot be cloned mid-way (they hold live futures), so each schedule
//! is re-executed from the start: the search keeps the choice made at each
//! depth and, when a run ends, moves to the next untried choice at the
//! deepest depth that has one (stateless model checking, as in loom).

use std::collections::HashSet;

use super::{Scheduler, View};
use crate::runner::{run, RunOptions, RunReport};
use crate::scenario::Scenario;

/// What a search covered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DfsStats {
    /// Runs executed (each one schedule, or a prefix ending in a known state).
    pub schedules: u64,
    /// Distinct states reached.
    pub states: u64,
    /// Steps executed over all runs.
    pub steps: u64,
}

/// The choice at each depth of the current run: (taken, number possible).
struct Frames<'a> {
    frames: &'a mut Vec<(usize, usize)>,
    seen: &'a mut HashSet<u64>,
}

impl Scheduler for Frames<'_> {
    fn choose(&mut self, view: &View<'_>) -> Option<usize> {
        if let Some(&(taken, _)) = self.frames.get(view.step) {
            return Some(taken);
        }
        if !self.seen.insert(view.state_key) {
            return None;
        }
        self.frames.push((0, view.actions.len()));
        Some(0)
    }
}

/// Explores every schedule of `scenario`; calls `visit` on each run and stops
/// at the first one that fails (returning it).
pub fn explore(
    scenario: &Scenario,
    options: RunOptions,
    mut visit: impl FnMut(&RunReport),
) -> (DfsStats, Option<RunReport>) {
    let mut stats = DfsStats::default();
    let mut seen = HashSet::new();
    let mut frames: Vec<(usize, usize)> = Vec::new();
    loop {
        let report = run(
            scenario,
            &mut Frames {
                frames: &mut frames,
                seen: &mut seen,
            },
            options,
        );
        stats.schedules += 1;
        stats.steps += report.steps.len() as u64;
        visit(&report);
        if report.failure.is_some() {
            stats.states = seen.len() as u64;
            return (stats, Some(report));
        }
        // A run may end before using every frame (no action left).
        frames.truncate(report.steps.len());
        while let Some(frame) = frames.last_mut() {
            if frame.0 + 1 < frame.1 {
                frame.0 += 1;
                break;
            }
            frames.pop();
        }
        if frames.is_empty() {
            stats.states = seen.len() as u64;
            return (stats, None);
        }
    }
}
