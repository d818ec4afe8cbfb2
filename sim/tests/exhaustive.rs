//! Every schedule (polls, spurious polls, fresh wakers, drops) of every
//! scenario in the bounded test families, compared with the model.

use aioqueue_sim::explore::dfs;
use aioqueue_sim::explore::minimise::minimise;
use aioqueue_sim::families::{order_scenarios, test_families, tie_programs, Family};
use aioqueue_sim::runner::RunOptions;
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

fn family(name: &str) -> Family {
    test_families()
        .into_iter()
        .find(|family| family.name == name)
        .expect("a test family of that name")
}

#[test]
fn two_tasks_up_to_two_ops_every_schedule() {
    explore_family(&family("2 tasks x up to 2 ops"));
}

#[test]
fn three_tasks_one_op_every_schedule() {
    explore_family(&family("3 tasks x 1 op"));
}

#[test]
fn a_crowd_of_getters_every_schedule() {
    explore_family(&family("3 getters + 1 x 1-3 ops"));
}

#[test]
fn a_crowd_of_putters_every_schedule() {
    explore_family(&family("3 putters + 1 x 1-3 ops"));
}

#[test]
fn ties_every_schedule() {
    explore_family(&family("ties: 2 tasks x up to 3 ops"));
}

#[test]
fn heaps_of_ties_built_and_popped_in_every_order() {
    let options = RunOptions {
        spurious: false,
        cancel: false,
        ..RunOptions::default()
    };
    let scenarios = tie_programs(6).scenarios();
    // Every program of 1 to 6 operations drawn from five.
    assert_eq!(
        scenarios.len(),
        (1..=6).map(|n| 5usize.pow(n)).sum::<usize>()
    );
    for scenario in &scenarios {
        let (_, failure) = dfs::explore(scenario, options, |_| {});
        assert!(failure.is_none(), "{}", render(&failure.unwrap()));
    }
}

#[test]
fn orderings_with_five_and_nine_items() {
    let options = RunOptions {
        spurious: false,
        cancel: false,
        ..RunOptions::default()
    };
    let scenarios = order_scenarios();
    for scenario in &scenarios {
        let (stats, failure) = dfs::explore(scenario, options, |_| {});
        assert!(failure.is_none(), "{}", render(&failure.unwrap()));
        assert_eq!(stats.schedules, 1, "one task, polls only: one schedule");
    }
    println!("orderings: {} scenarios", scenarios.len());
    // Per kind: two patterns for 120 orders of distinct keys, 10 of
    // 1,1,1,2,2 and 4 more with repeats; three for 100 shuffles of nine.
    assert_eq!(scenarios.len(), 3 * (2 * (120 + 10 + 4) + 3 * 100));
}
