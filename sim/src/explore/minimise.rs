//! Shrinks a failing run to a small scenario and a short schedule, so that
//! the trace a person reads is no longer than it needs to be.

use super::dfs;
use super::replay::ReplayScheduler;
use crate::runner::{run, RunOptions, RunReport};
use crate::scenario::Scenario;

/// A smaller failing run than `failing`, or `failing` itself.
///
/// First the scenario: drop whole tasks, then single operations, keeping a
/// change whenever some schedule of the smaller scenario still fails
/// (found by DFS). Then the schedule: drop single actions while the replay
/// still fails.
pub fn minimise(failing: RunReport, options: RunOptions) -> RunReport {
    let mut best = failing;
    loop {
        let smaller = smaller_scenarios(&best.scenario)
            .into_iter()
            .find_map(|scenario| dfs::explore(&scenario, options, |_| {}).1);
        match smaller {
            Some(report) => best = report,
            None => break,
        }
    }
    let mut index = 0;
    while index < best.schedule.len() {
        let mut schedule = best.schedule.clone();
        schedule.remove(index);
        let report = run(
            &best.scenario,
            &mut ReplayScheduler::lenient(schedule),
            options,
        );
        if report.failure.is_some() && report.schedule.len() < best.schedule.len() {
            best = report;
        } else {
            index += 1;
        }
    }
    best
}

/// Every scenario with one task or one operation fewer.
fn smaller_scenarios(scenario: &Scenario) -> Vec<Scenario> {
    let mut out = Vec::new();
    for task in 0..scenario.tasks.len() {
        let mut fewer = scenario.clone();
        fewer.tasks.remove(task);
        out.push(fewer);
    }
    for task in 0..scenario.tasks.len() {
        for op in 0..scenario.tasks[task].len() {
            let mut fewer = scenario.clone();
            fewer.tasks[task].remove(op);
            out.push(fewer);
        }
    }
    out
}
