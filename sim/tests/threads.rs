//! The thread-level checkers held to the simulator: the endings the
//! generated loom suite and `stress` allow (`threads::outcome::allowed`,
//! over the model alone) are exactly the outcomes the `outcomes` command
//! lists (a DFS over every schedule of the real queue and the model
//! together), for unmarked plans, where the two speak of the same runs.

use std::collections::BTreeSet;

use aioqueue_sim::explore::dfs;
use aioqueue_sim::families::{queue_ops, Family};
use aioqueue_sim::runner::{RunOptions, RunReport};
use aioqueue_sim::scenario::Scenario;
use aioqueue_sim::threads::outcome::{allowed, End, Ending};
use aioqueue_sim::threads::plan::Plan;

/// A run of `outcomes`, as an ending: finished operations, then the one
/// still waiting (the run ends when no task can run), then those never
/// started.
fn ending_of(report: &RunReport) -> Ending {
    let ops = report
        .scenario
        .tasks
        .iter()
        .zip(&report.results)
        .map(|(program, results)| {
            let mut ends: Vec<End> = results
                .iter()
                .map(|r| End::Done(r.clone().expect("no drops without --with-cancel")))
                .collect();
            if ends.len() < program.len() {
                ends.push(End::StillWaiting);
            }
            ends.resize(program.len(), End::NotStarted);
            ends
        })
        .collect();
    Ending {
        ops,
        items_left: report.remaining.clone(),
        len: report.final_state.len,
        unfinished_tasks: report.final_state.unfinished_tasks,
        shutdown: report.final_state.shutdown,
    }
}

/// The outcomes `aioqueue-sim outcomes` lists for `scenario` (polls only).
fn outcomes(scenario: &Scenario) -> BTreeSet<Ending> {
    let options = RunOptions {
        spurious: false,
        cancel: false,
        key_with_results: true,
        ..RunOptions::default()
    };
    let mut seen = BTreeSet::new();
    let (_, failure) = dfs::explore(scenario, options, |report| {
        if report.failure.is_none() && !report.stopped_early {
            seen.insert(ending_of(report));
        }
    });
    assert!(failure.is_none(), "{scenario}: a divergence");
    seen
}

#[test]
fn allowed_endings_are_the_outcomes_command_lists() {
    let families = [
        Family::new("3 tasks x 1 op", 3, 1..=1, queue_ops()),
        Family::new("2 tasks x up to 2 ops", 2, 1..=2, queue_ops()),
    ];
    let (mut plans, mut endings) = (0, 0);
    for family in families {
        for scenario in family.scenarios() {
            let plan = Plan::unmarked(scenario.clone());
            let from_model = allowed(&plan, 100_000).expect("small plans");
            let from_outcomes = outcomes(&scenario);
            assert_eq!(
                from_model, from_outcomes,
                "{scenario}: the model's endings and the outcomes command's differ"
            );
            plans += 1;
            endings += from_model.len();
        }
    }
    // Every unmarked plan of the loom suite's two families.
    assert_eq!(plans, (2_628 + 120) * 6, "{plans} plans");
    assert!(endings > plans, "{plans} plans, {endings} endings");
}
