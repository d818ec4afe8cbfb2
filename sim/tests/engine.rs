//! The engine itself: determinism, replay, and that it catches a wrong
//! implementation.

use aioqueue::{PriorityQueue, Queue};
use aioqueue_sim::explore::dfs;
use aioqueue_sim::explore::pct::PctScheduler;
use aioqueue_sim::explore::random::{random_scenario, RandomScheduler};
use aioqueue_sim::explore::replay::ReplayScheduler;
use aioqueue_sim::explore::SplitMix64;
use aioqueue_sim::model::Observation;
use aioqueue_sim::runner::{run, run_on, RunOptions};
use aioqueue_sim::scenario::{Item, Op, Scenario};
use aioqueue_sim::subject::{OpFuture, Ranked, Subject};
use aioqueue_sim::trace::{render, replay_string, Replay};

#[test]
fn same_seed_same_run_and_replay_reproduces_it() {
    let mut rng = SplitMix64::new(42);
    for _ in 0..200 {
        let scenario = random_scenario(&mut rng, 4, 4);
        let seed = rng.next_u64();
        let first = run(
            &scenario,
            &mut RandomScheduler::new(seed),
            RunOptions::default(),
        );
        let again = run(
            &scenario,
            &mut RandomScheduler::new(seed),
            RunOptions::default(),
        );
        assert_eq!(render(&first), render(&again));
        let replay = Replay::parse(&replay_string(&first)).expect("replay strings parse");
        assert_eq!(replay.scenario, scenario);
        let replayed = run(
            &replay.scenario,
            &mut ReplayScheduler::new(replay.schedule),
            RunOptions::default(),
        );
        assert_eq!(render(&replayed), render(&first));
        assert!(first.failure.is_none(), "{}", render(&first));
    }
}

#[test]
fn pct_runs_agree_with_the_model() {
    let mut rng = SplitMix64::new(7);
    for _ in 0..300 {
        let scenario = random_scenario(&mut rng, 4, 4);
        let report = run(
            &scenario,
            &mut PctScheduler::new(rng.next_u64(), scenario.tasks.len(), 24, 3),
            RunOptions::default(),
        );
        assert!(report.failure.is_none(), "{}", render(&report));
    }
}

#[test]
fn dfs_counts_are_deterministic_and_cover_every_order() {
    // Two independent try_puts: both orders must be explored.
    let scenario: Scenario = "fifo maxsize=0 | try_put 1 | try_put 2".parse().unwrap();
    let mut drained = std::collections::BTreeSet::new();
    let options = RunOptions {
        spurious: false,
        cancel: false,
        key_with_results: true,
        ..RunOptions::default()
    };
    let (stats, failure) = dfs::explore(&scenario, options, |report| {
        drained.insert(report.schedule.clone());
    });
    assert!(failure.is_none());
    assert_eq!(stats.schedules, 2);
    assert_eq!(drained.len(), 2);
    let (again, _) = dfs::explore(&scenario, options, |_| {});
    assert_eq!(stats, again);
}

#[test]
fn catches_an_implementation_with_the_wrong_order() {
    // A FIFO queue judged as a LIFO one must be caught, with a readable trace.
    let scenario: Scenario = "lifo maxsize=0 | put 1, put 2, get".parse().unwrap();
    let mut found = None;
    let (_, failure) = dfs::explore(&scenario, RunOptions::default(), |_| {});
    assert!(failure.is_none(), "the real LIFO queue agrees");
    let schedule = Replay::parse("lifo | put 1, put 2, get @ p0 p0 p0")
        .unwrap()
        .schedule;
    let report = run_on(
        &Queue::<Ranked>::new(0),
        &scenario,
        &mut ReplayScheduler::new(schedule),
        RunOptions::default(),
    );
    if let Some(divergence) = &report.failure {
        found = Some(divergence.what.clone());
    }
    let what = found.expect("the wrong order is caught");
    assert!(
        what.contains("Item(1)") && what.contains("Item(2)"),
        "{what}"
    );
    assert!(
        render(&report).contains("DIVERGENCE at step 3"),
        "{}",
        render(&report)
    );
}

#[test]
fn catches_an_implementation_with_the_wrong_maxsize() {
    let scenario: Scenario = "fifo maxsize=1 | put 1, put 2".parse().unwrap();
    let schedule = Replay::parse("fifo | put 1, put 2 @ p0 p0")
        .unwrap()
        .schedule;
    let report = run_on(
        &Queue::<Ranked>::new(2),
        &scenario,
        &mut ReplayScheduler::new(schedule),
        RunOptions::default(),
    );
    let divergence = report
        .failure
        .expect("a queue that holds too much is caught");
    // Right after the first put, the queue shows another maxsize and is not
    // full where the model's is: both must be in what the checker reports.
    assert_eq!(divergence.step, 1, "{}", divergence.what);
    let (shown, expected) = divergence
        .what
        .split_once(", the model says ")
        .expect("the queue's counts, then the model's");
    assert!(
        shown.contains("maxsize: 2") && shown.contains("is_full: false"),
        "{shown}"
    );
    assert!(
        expected.contains("maxsize: 1") && expected.contains("is_full: true"),
        "{expected}"
    );
}

/// A priority queue that keeps equal items in put order (a stable priority
/// queue, as the model once was): the FIFO queue, when every key is equal.
#[test]
fn catches_a_stable_priority_queue_on_ties() {
    let scenario: Scenario = "priority | put 1a, put 1b, put 1c, get, get, get"
        .parse()
        .unwrap();
    let schedule = vec![aioqueue_sim::executor::Action::Poll(0); 6];
    let report = run_on(
        &Queue::<Ranked>::new(0),
        &scenario,
        &mut ReplayScheduler::new(schedule),
        RunOptions::default(),
    );
    let divergence = report
        .failure
        .expect("FIFO order among ties is not heapq's");
    // heapq compares at the second put (1b < 1a?), which FIFO never does.
    assert_eq!(divergence.step, 2, "{}", divergence.what);
    assert!(divergence.what.contains("1b<1a"), "{}", divergence.what);
}

/// The real `PriorityQueue`, plus one comparison of its own on every put:
/// every item still comes out in the right order, but not by heapq's
/// comparisons.
struct ExtraComparison(PriorityQueue<Ranked>);

impl Subject for ExtraComparison {
    fn start(&self, op: Op) -> OpFuture<'_> {
        if let Op::Put(item) | Op::TryPut(item) = op {
            let _ = Ranked(item) < Ranked(item);
        }
        self.0.start(op)
    }
    fn observe(&self) -> Observation {
        self.0.observe()
    }
    fn drain(&self) -> Vec<Item> {
        self.0.drain()
    }
}

#[test]
fn catches_the_right_order_by_the_wrong_comparisons() {
    let scenario: Scenario = "priority | try_put 2a, try_put 1b, get, get"
        .parse()
        .unwrap();
    let (_, failure) = dfs::explore(&scenario, RunOptions::default(), |_| {});
    assert!(failure.is_none(), "the real queue agrees");
    let schedule = vec![aioqueue_sim::executor::Action::Poll(0); 4];
    let report = run_on(
        &ExtraComparison(PriorityQueue::new(0)),
        &scenario,
        &mut ReplayScheduler::new(schedule),
        RunOptions::default(),
    );
    let divergence = report.failure.expect("an extra comparison is caught");
    assert_eq!(divergence.step, 1, "{}", divergence.what);
    assert!(
        divergence.what.contains("compared 2a<2a"),
        "{}",
        divergence.what
    );
}
