//! Every schedule (polls, spurious polls, fresh wakers, drops) of every
//! scenario in the bounded test families, compared with the model, on the
//! thread-safe queues and on the `aioqueue::local` ones
//! (docs/semantics.md LOCAL-1): the same search must find the same
//! schedules and states on both.

use aioqueue_sim::executor::Action;
use aioqueue_sim::explore::dfs::{self, DfsStats};
use aioqueue_sim::explore::minimise::minimise;
use aioqueue_sim::families::{order_scenarios, test_families, tie_programs, Family};
use aioqueue_sim::runner::{RunOptions, RunReport};
use aioqueue_sim::scenario::Scenario;
use aioqueue_sim::subject::LockKind;
use aioqueue_sim::trace::render;

/// What the runs of a family did, to check that the search explored what
/// the family promises (not only that it found no divergence).
#[derive(Default, Debug)]
struct Seen {
    spurious: bool,
    fresh: bool,
    two_fresh_in_one_wait: bool,
    drop_waiting: bool,
    drop_woken: bool,
}

/// [`dfs::explore`] on a queue of each lock, `visit` seeing the runs of
/// both. The local queue must give the very search the thread-safe one
/// gives (LOCAL-1): the same schedules, states and steps. The first
/// failure found is returned.
fn explore_both_locks(
    scenario: &Scenario,
    options: RunOptions,
    mut visit: impl FnMut(&RunReport),
) -> (DfsStats, Option<RunReport>) {
    let mut searches = LockKind::ALL.map(|lock| {
        let options = RunOptions { lock, ..options };
        dfs::explore(scenario, options, &mut visit)
    });
    let [(shared, shared_failure), (local, local_failure)] = &mut searches;
    if let Some(failure) = shared_failure.take().or(local_failure.take()) {
        return (shared.clone(), Some(failure));
    }
    assert_eq!(
        shared, local,
        "{scenario}: the local queue's search differs from the thread-safe one's"
    );
    (shared.clone(), None)
}

fn explore_family(family: &Family, expected_scenarios: usize) {
    let scenarios = family.scenarios();
    assert_eq!(scenarios.len(), expected_scenarios, "{}", family.name);
    let (mut schedules, mut states) = (0u64, 0u64);
    let mut seen = Seen::default();
    for scenario in &scenarios {
        let (stats, failure) = explore_both_locks(scenario, family.options, |report| {
            let mut fresh_in_wait = vec![0; scenario.tasks.len()];
            for step in &report.steps {
                match step.action {
                    Action::Spurious(_) => seen.spurious = true,
                    Action::FreshWaker(t) => {
                        seen.fresh = true;
                        fresh_in_wait[t] += 1;
                        seen.two_fresh_in_one_wait |= fresh_in_wait[t] >= 2;
                    }
                    Action::Poll(t) => fresh_in_wait[t] = 0,
                    Action::Drop(_) if step.was_notified => seen.drop_woken = true,
                    Action::Drop(_) => seen.drop_waiting = true,
                }
            }
        });
        if let Some(report) = failure {
            panic!(
                "divergence in family `{}`:\n{}",
                family.name,
                render(&minimise(report, family.options))
            );
        }
        schedules += stats.schedules;
        states += stats.states;
    }
    println!(
        "{}: {} scenarios, {schedules} schedules, {states} distinct states; {seen:?}",
        family.name,
        scenarios.len()
    );
    assert_documented(
        family.name,
        [Some(scenarios.len() as u64), Some(schedules), Some(states)],
    );
    assert!(
        seen.spurious && seen.fresh && seen.drop_waiting && seen.drop_woken,
        "{seen:?}"
    );
    assert_eq!(
        seen.two_fresh_in_one_wait,
        family.options.fresh_wakers >= 2,
        "fresh wakers per wait: {}",
        family.options.fresh_wakers
    );
}

/// The figures docs/verification.md gives for a family (the row of its
/// "Bounds covered exhaustively" table whose first cell starts with the
/// family's name in backticks) must be the ones this run measured: the
/// document is checked, not trusted.
fn assert_documented(name: &str, measured: [Option<u64>; 3]) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/verification.md");
    let document = std::fs::read_to_string(path).expect("docs/verification.md");
    let key = format!("| `{name}`");
    let row = document
        .lines()
        .find(|l| l.starts_with(&key) && l[key.len()..].starts_with([':', ' ']))
        .unwrap_or_else(|| panic!("docs/verification.md has no row for `{name}`"));
    let number = |cell: &str| -> Option<u64> { cell.trim().replace(',', "").parse().ok() };
    let cells: Vec<&str> = row.trim_matches('|').split('|').collect();
    let documented: Vec<Option<u64>> = cells[cells.len() - 3..].iter().map(|c| number(c)).collect();
    let show = |n: &Option<u64>| n.map_or("-".to_string(), |n| n.to_string());
    assert_eq!(
        documented,
        measured,
        "docs/verification.md's figures for `{name}` (scenarios, schedules, distinct states) are not what this run measured: {}",
        measured.iter().map(show).collect::<Vec<_>>().join(", ")
    );
}

/// Multisets of `k` programs out of `n`.
fn multisets(n: usize, k: usize) -> usize {
    (0..k).fold(1, |acc, i| acc * (n + i) / (i + 1))
}

fn family(name: &str) -> Family {
    test_families()
        .into_iter()
        .find(|family| family.name == name)
        .expect("a test family of that name")
}

#[test]
fn two_tasks_up_to_two_ops_every_schedule() {
    // 8 operations: 8 + 64 programs; 3 kinds, maxsize 0, 1 and 2.
    explore_family(&family("2 tasks x up to 2 ops"), multisets(72, 2) * 3 * 3);
}

#[test]
fn three_tasks_one_op_every_schedule() {
    explore_family(&family("3 tasks x 1 op"), multisets(8, 3) * 3 * 2);
}

#[test]
fn a_crowd_of_getters_every_schedule() {
    // 4 operations: 4 + 16 + 64 programs for the one varying task.
    explore_family(&family("3 getters + 1 x 1-3 ops"), 84);
    explore_family(
        &family("3 getters + 1 x 1-3 ops, LIFO and priority"),
        84 * 2,
    );
}

#[test]
fn a_crowd_of_putters_every_schedule() {
    explore_family(&family("3 putters + 1 x 1-3 ops"), 84);
    explore_family(
        &family("3 putters + 1 x 1-3 ops, LIFO and priority"),
        84 * 2,
    );
}

#[test]
fn three_tasks_with_join_and_task_done_every_schedule() {
    // 4 operations: 4 + 16 programs; FIFO, maxsize 0 and 1.
    explore_family(
        &family("3 tasks x up to 2 ops of put, get, task_done, join"),
        multisets(20, 3) * 2,
    );
}

#[test]
fn batch_gets_every_schedule() {
    // 4 operations: 4 + 16 + 64 programs; 3 kinds, maxsize 0 and 1.
    explore_family(
        &family("batch gets: 2 tasks x up to 3 ops"),
        multisets(84, 2) * 3 * 2,
    );
    // 4 operations: 4 + 16 programs for the one varying task; 3 kinds.
    explore_family(
        &family("batch gets + 2 waiting putters: 1 x 1-2 ops"),
        20 * 3,
    );
}

#[test]
fn ties_every_schedule() {
    explore_family(&family("ties: 2 tasks x up to 3 ops"), multisets(84, 2) * 2);
}

#[test]
fn orderings_with_cancellation() {
    // The five-item orderings, every future dropped at every point it can
    // be: never polled, waiting, woken. Polls and drops, no spurious polls.
    let options = RunOptions {
        spurious: false,
        ..RunOptions::default()
    };
    let scenarios: Vec<_> = order_scenarios()
        .into_iter()
        .filter(|scenario| scenario.tasks[0].len() == 10)
        .collect();
    let mut schedules = 0;
    for scenario in &scenarios {
        let (stats, failure) = explore_both_locks(scenario, options, |_| {});
        assert!(failure.is_none(), "{}", render(&failure.unwrap()));
        schedules += stats.schedules;
    }
    println!(
        "orderings with cancellation: {} scenarios, {schedules} schedules",
        scenarios.len()
    );
    // Per kind: both patterns of the 134 five-key orders, and the
    // interleaved pattern of the 100 nine-key shuffles; each has its puts
    // and gets to drop, so far more schedules than scenarios.
    assert_eq!(scenarios.len(), (2 * 134 + 100) * 3);
    assert!(schedules > 16 * scenarios.len() as u64, "{schedules}");
    assert_documented(
        "orderings with cancellation",
        [Some(scenarios.len() as u64), Some(schedules), None],
    );
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
    let mut schedules = 0;
    for scenario in &scenarios {
        let (stats, failure) = explore_both_locks(scenario, options, |_| {});
        assert!(failure.is_none(), "{}", render(&failure.unwrap()));
        schedules += stats.schedules;
    }
    assert_documented(
        "ties: 1 task x up to 6 ops",
        [Some(scenarios.len() as u64), Some(schedules), None],
    );
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
        let (stats, failure) = explore_both_locks(scenario, options, |_| {});
        assert!(failure.is_none(), "{}", render(&failure.unwrap()));
        assert_eq!(stats.schedules, 1, "one task, polls only: one schedule");
    }
    println!("orderings: {} scenarios", scenarios.len());
    // Per kind: two patterns for 120 orders of distinct keys, 10 of
    // 1,1,1,2,2 and 4 more with repeats; three for 100 shuffles of nine.
    assert_eq!(scenarios.len(), 3 * (2 * (120 + 10 + 4) + 3 * 100));
    let n = Some(scenarios.len() as u64);
    assert_documented("orderings", [n, n, None]);
}
