//! Random scenarios and schedules against the model, with proptest's
//! shrinking to a minimal counterexample.

use aioqueue_sim::explore::{Scheduler, View};
use aioqueue_sim::runner::{run, RunOptions};
use aioqueue_sim::scenario::{Item, Kind, Op, Scenario};
use aioqueue_sim::subject::LockKind;
use aioqueue_sim::trace::render;
use proptest::prelude::*;

/// Keys 0 to 3, so that items often tie; tags tell them apart.
fn item() -> impl Strategy<Value = Item> {
    (0u32..4, 0u8..8).prop_map(|(key, tag)| Item::tagged(key, char::from(b'a' + tag)))
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        item().prop_map(Op::Put),
        item().prop_map(Op::TryPut),
        Just(Op::Get),
        Just(Op::TryGet),
        (0usize..4).prop_map(Op::GetMany),
        (0usize..4).prop_map(Op::TryGetMany),
        Just(Op::TaskDone),
        Just(Op::Join),
        Just(Op::Shutdown),
        Just(Op::ShutdownImmediate),
        Just(Op::Yield),
    ]
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        prop_oneof![Just(Kind::Fifo), Just(Kind::Lifo), Just(Kind::Priority)],
        0usize..=3,
        prop::collection::vec(prop::collection::vec(op(), 1..=4), 1..=4),
    )
        .prop_map(|(kind, maxsize, tasks)| Scenario {
            kind,
            maxsize,
            tasks,
        })
}

/// Picks `choices[i] % actions` at step `i`; polls once the choices run out,
/// so every run ends.
struct Choices(Vec<usize>);

impl Scheduler for Choices {
    fn choose(&mut self, view: &View<'_>) -> Option<usize> {
        match self.0.get(view.step) {
            Some(choice) => Some(choice % view.actions.len()),
            None => view
                .actions
                .iter()
                .position(|a| matches!(a, aioqueue_sim::executor::Action::Poll(_))),
        }
    }
}

/// 2,000 cases from a seed fixed for the run and printed: the date
/// (`20261202`), or `AIOQUEUE_PROPTEST_SEED` to repeat a run.
fn config() -> ProptestConfig {
    let seed = std::env::var("AIOQUEUE_PROPTEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(aioqueue_sim::explore::date_seed);
    println!("proptest seed {seed} (AIOQUEUE_PROPTEST_SEED={seed} repeats this run)");
    ProptestConfig {
        cases: 2000,
        rng_seed: proptest::test_runner::RngSeed::Fixed(seed),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn implementation_agrees_with_model(
        scenario in scenario(),
        choices in prop::collection::vec(0usize..64, 0..40),
        lock in prop::sample::select(LockKind::ALL.to_vec()),
    ) {
        // LOCAL-1: the thread-safe and the local queues, judged alike.
        let options = RunOptions { lock, ..RunOptions::default() };
        let report = run(&scenario, &mut Choices(choices), options);
        prop_assert!(report.failure.is_none(), "{lock:?}: {}", render(&report));
    }
}
