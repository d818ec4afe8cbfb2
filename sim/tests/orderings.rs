//! The three orderings differ only in which item a get takes
//! (docs/semantics.md ORDER-4): run the same scenario as a `Queue`, a
//! `LifoQueue` and a `PriorityQueue`, and every step wakes the same tasks,
//! makes the same task wait at the same place, and ends the same way, up to
//! the items.

use aioqueue_sim::cpython::run_asyncio;
use aioqueue_sim::explore::{random::random_scenario, SplitMix64};
use aioqueue_sim::model::OpResult;
use aioqueue_sim::runner::RunReport;
use aioqueue_sim::scenario::{Kind, Scenario};

/// Each step with its items left out.
fn shape(report: &RunReport) -> Vec<String> {
    report
        .steps
        .iter()
        .map(|step| {
            let result = step.outcome.result.as_ref().map(|r| match r {
                OpResult::Item(_) => "Item".to_string(),
                OpResult::Drained(items) => format!("Drained {}", items.len()),
                OpResult::Full(_) => "Full".to_string(),
                OpResult::PutShutDown(_) => "PutShutDown".to_string(),
                other => format!("{other:?}"),
            });
            format!(
                "{:?} {result:?} waits {:?} wakes {:?} after {:?}",
                step.action, step.outcome.waits_at, step.outcome.woken, step.after
            )
        })
        .collect()
}

#[test]
fn the_ordering_never_changes_who_waits_or_wakes() {
    // docs/semantics.md ORDER-4.
    let mut rng = SplitMix64::new(4);
    let mut compared = 0;
    for _ in 0..3000 {
        let scenario = random_scenario(&mut rng, 4, 4);
        let as_kind = |kind| Scenario {
            kind,
            ..scenario.clone()
        };
        let runs: Vec<RunReport> = [Kind::Fifo, Kind::Lifo, Kind::Priority]
            .into_iter()
            .map(|kind| run_asyncio(&as_kind(kind)).expect("asyncio's schedule runs"))
            .collect();
        for run in &runs {
            assert!(run.failure.is_none(), "{:?}", run.failure);
        }
        let fifo = shape(&runs[0]);
        assert_eq!(fifo, shape(&runs[1]), "LIFO differs: {scenario}");
        assert_eq!(fifo, shape(&runs[2]), "priority differs: {scenario}");
        compared += fifo.len();
    }
    assert!(compared > 3000 * 4, "{compared} steps compared");
}
