//! Every schedule (polls, spurious polls, fresh wakers, drops) of every
//! scenario in the bounded test families, compared with the model.

use aioqueue_sim::check::RunOptions;
use aioqueue_sim::explore::dfs;
use aioqueue_sim::explore::minimise::minimise;
use aioqueue_sim::families::{test_families, Family};
use aioqueue_sim::trace::render;

fn explore_family(family: &Family) {
    let scenarios = family.scenarios();
    let (mut schedules, mut states) = (0u64, 0u64);
    for scenario in &scenarios {
        let (stats, failure) = dfs::explore(scenario, RunOptions::default(), |_| {});
        if let Some(report) = failure {
            panic!(
                "divergence in family `{}`:\n{}",
                family.name,
                render(&minimise(report, RunOptions::default()))
            );
        }
        assert!(stats.schedules >= 1 && stats.states >= 1);
        schedules += stats.schedules;
        states += stats.states;
    }
    println!(
        "{}: {} scenarios, {schedules} schedules, {states} distinct states",
        family.name,
        scenarios.len()
    );
    assert!(schedules >= scenarios.len() as u64);
}

#[test]
fn two_tasks_up_to_two_ops_every_schedule() {
    explore_family(&test_families()[0]);
}

#[test]
fn three_tasks_one_op_every_schedule() {
    explore_family(&test_families()[1]);
}
