//! The committed seed corpus, run as plain tests: each seed decodes to the
//! case it was written for, runs clean, and provokes what it is meant to.

use aioqueue_sim::executor::Action;
use aioqueue_sim::model::OpResult;
use aioqueue_sim::scenario::Item;
use aioqueue_sim::trace::{render, replay_string};

use crate::{hostile, ops_vs_model, schedules};

fn seed(target: &str, name: &str) -> Vec<u8> {
    let path = format!("{}/corpus/{target}/seed-{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

fn items(results: &[Option<OpResult>]) -> Vec<u32> {
    results
        .iter()
        .filter_map(|result| match result {
            Some(OpResult::Item(item)) => Some(item.key),
            _ => None,
        })
        .collect()
}

#[test]
fn every_seed_file_is_known() {
    let known = [("ops_vs_model", 3), ("schedules", 3), ("hostile_items", 5)];
    for (target, count) in known {
        let dir = format!("{}/corpus/{target}", env!("CARGO_MANIFEST_DIR"));
        let seeds = std::fs::read_dir(&dir)
            .unwrap()
            .filter(|entry| {
                let name = entry.as_ref().unwrap().file_name();
                name.to_string_lossy().starts_with("seed-")
            })
            .count();
        assert_eq!(seeds, count, "seeds in {dir}: add a test for a new one");
    }
}

#[test]
fn ops_producer_consumer() {
    let input = ops_vs_model::decode(&seed("ops_vs_model", "producer-consumer"));
    assert_eq!(
        input.scenario.to_string(),
        "fifo maxsize=2 | put 10a, put 20b, put 30c, put 40d, join \
         | get, task_done, get, task_done, get, task_done, get, task_done"
    );
    let report = ops_vs_model::check(&input);
    assert!(report.failure.is_none(), "{}", render(&report));
    assert_eq!(items(&report.results[1]), [10, 20, 30, 40]);
    assert_eq!(report.final_state.unfinished_tasks, 0);
}

#[test]
fn ops_woken_get_cancelled() {
    let input = ops_vs_model::decode(&seed("ops_vs_model", "woken-get-cancelled"));
    assert_eq!(
        input.scenario.to_string(),
        "lifo maxsize=0 | get | get | put 7a"
    );
    let report = ops_vs_model::check(&input);
    assert!(report.failure.is_none(), "{}", render(&report));
    let woken_drop = report
        .steps
        .iter()
        .any(|step| matches!(step.action, Action::Drop(0)) && step.was_notified);
    assert!(
        woken_drop,
        "t0 is dropped after it was woken:\n{}",
        render(&report)
    );
    assert_eq!(items(&report.results[1]), [7], "{}", render(&report));
}

#[test]
fn ops_priority_shutdown() {
    let input = ops_vs_model::decode(&seed("ops_vs_model", "priority-shutdown"));
    assert_eq!(
        input.scenario.to_string(),
        "priority maxsize=3 | put 9a, put 4b, put 6c, put 1d, put 3e, shutdown, put 2f \
         | get, get, get | try_get, yield, shutdown_immediate"
    );
    let report = ops_vs_model::check(&input);
    assert!(report.failure.is_none(), "{}", render(&report));
    assert!(report.final_state.shutdown);
    assert!(report
        .steps
        .iter()
        .any(|s| matches!(s.action, Action::FreshWaker(_))));
}

#[test]
fn schedules_gh_83055() {
    let input = schedules::decode(&seed("schedules", "gh-83055"));
    assert_eq!(
        input.scenario.to_string(),
        "fifo maxsize=1 | try_put 1a, try_get, try_put 4b | put 2c | put 3d | get, get, get"
    );
    let report = schedules::check(&input);
    assert!(report.failure.is_none(), "{}", render(&report));
}

#[test]
fn schedules_woken_get_cancelled() {
    let input = schedules::decode(&seed("schedules", "woken-get-cancelled"));
    let report = schedules::check(&input);
    assert!(report.failure.is_none(), "{}", render(&report));
    assert_eq!(
        replay_string(&report),
        "fifo maxsize=0 | get | get | put 1a @ p0 p1 p2 d0 p1"
    );
    assert_eq!(
        report.results[1],
        [Some(OpResult::Item(Item::tagged(1, 'a')))]
    );
}

#[test]
fn schedules_four_tasks_shutdown() {
    let input = schedules::decode(&seed("schedules", "four-tasks-shutdown"));
    assert_eq!(
        input.scenario.to_string(),
        "priority maxsize=2 | put 5a, put 3b, put 8c, task_done | get, get, join \
         | yield, shutdown | try_get, shutdown_immediate"
    );
    let report = schedules::check(&input);
    assert!(report.failure.is_none(), "{}", render(&report));
    assert!(report.final_state.shutdown);
}

#[test]
fn hostile_friendly() {
    let provoked = hostile::provoke(&seed("hostile_items", "friendly"));
    assert_eq!(provoked.ord_panics + provoked.drop_panics, 0);
    assert!(provoked.waits > 0, "{provoked:?}");
}

#[test]
fn hostile_every_comparison_panics() {
    let provoked = hostile::provoke(&seed("hostile_items", "every-comparison-panics"));
    assert!(provoked.ord_panics > 8, "{provoked:?}");
    assert!(provoked.drop_panics > 0, "{provoked:?}");
}

#[test]
fn hostile_bounded_futures() {
    let provoked = hostile::provoke(&seed("hostile_items", "bounded-futures"));
    assert!(provoked.ord_panics > 0, "{provoked:?}");
    assert!(provoked.drop_panics > 0, "{provoked:?}");
    assert!(provoked.waits > 0, "{provoked:?}");
}

#[test]
fn hostile_inconsistent_order() {
    let provoked = hostile::provoke(&seed("hostile_items", "inconsistent-order"));
    assert_eq!(provoked.drop_panics, 0, "{provoked:?}");
}

#[test]
fn hostile_panicking_getter_passes_turn() {
    // Five getters wait; three puts wake three; the woken ones' pops panic,
    // and each passes its turn to a getter still waiting (PANIC-4).
    let provoked = hostile::provoke(&seed("hostile_items", "panicking-getter-passes-turn"));
    assert!(provoked.ord_panics >= 4, "{provoked:?}");
    assert!(provoked.waits >= 5, "{provoked:?}");
}
