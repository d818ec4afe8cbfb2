//! The historical asyncio.Queue bugs, each as a named scenario and schedule
//! with the trace it must produce (see docs/semantics.md, HIST-1..4).

use aioqueue_sim::explore::replay::ReplayScheduler;
use aioqueue_sim::runner::{run, RunOptions};
use aioqueue_sim::trace::{render, Replay};

/// Replays `replay` and checks the trace, step for step.
fn assert_trace(replay: &str, expected_steps: &[&str]) {
    let replay = Replay::parse(replay).expect("the replay string parses");
    let report = run(
        &replay.scenario,
        &mut ReplayScheduler::new(replay.schedule.clone()),
        RunOptions::default(),
    );
    let trace = render(&report);
    assert!(report.failure.is_none(), "divergence:\n{trace}");
    assert_eq!(
        report.schedule, replay.schedule,
        "not every action was possible:\n{trace}"
    );
    let steps: Vec<String> = trace
        .lines()
        .skip(1)
        .take(expected_steps.len())
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let expected: Vec<String> = expected_steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            format!(
                "{} {}",
                i + 1,
                step.split_whitespace().collect::<Vec<_>>().join(" ")
            )
        })
        .collect();
    assert_eq!(steps, expected, "full trace:\n{trace}");
}

/// bpo-23812: a getter woken by a put and cancelled before it ran used to
/// lose the item. Now it passes the wakeup to the next getter, which gets it.
#[test]
fn bpo_23812_woken_get_cancelled_passes_item_on() {
    assert_trace(
        "fifo maxsize=0 | get | get | put 1 @ p0 p1 p2 d0 p1",
        &[
            "t0 poll get -> Pending, waits as getter #1",
            "t1 poll get -> Pending, waits as getter #2",
            "t2 poll put 1 -> Ok; wakes t0",
            "t0 drop get (woken, not yet run) -> cancelled; wakes t1",
            "t1 poll get -> Item(1)",
        ],
    );
}

/// bpo-31620: cancelled getters stayed in the list. Now a dropped waiting get
/// leaves at once: the next getter is first in line, and the checker
/// compares the `Debug` count (`getters: 0`) after the drop.
#[test]
fn bpo_31620_cancelled_getters_leave_the_list() {
    assert_trace(
        "fifo maxsize=0 | get | get | put 1 @ p0 d0 p1 p2 p1",
        &[
            "t0 poll get -> Pending, waits as getter #1",
            "t0 drop get -> cancelled",
            "t1 poll get -> Pending, waits as getter #1",
            "t2 poll put 1 -> Ok; wakes t1",
            "t1 poll get -> Item(1)",
        ],
    );
}

/// python/asyncio#265: two get_nowait calls with two woken putters that have
/// not run yet. The second get must not assume listed putters mean a full
/// queue; both putters then complete.
#[test]
fn asyncio_265_get_nowait_with_woken_putters() {
    assert_trace(
        "fifo maxsize=2 | put 1, put 2 | put 3 | put 4 | try_get, try_get @ p0 p0 p1 p2 p3 p3 p1 p2",
        &[
            "t0 poll put 1 -> Ok",
            "t0 poll put 2 -> Ok",
            "t1 poll put 3 -> Pending, waits as putter #1",
            "t2 poll put 4 -> Pending, waits as putter #2",
            "t3 poll try_get -> Item(1); wakes t1",
            "t3 poll try_get -> Item(2); wakes t2",
            "t1 poll put 3 -> Ok",
            "t2 poll put 4 -> Ok",
        ],
    );
}

/// python/asyncio#268: one producer and one consumer, maxsize 1; a get that
/// finds a woken (not yet run) putter and waiting getters must neither
/// assert nor hang.
#[test]
fn asyncio_268_producer_consumer_maxsize_1() {
    assert_trace(
        "fifo maxsize=1 | put 1, put 2, put 3 | get, get, get @ p1 p0 p0 p1 p0 p1 p0 p1",
        &[
            "t1 poll get -> Pending, waits as getter #1",
            "t0 poll put 1 -> Ok; wakes t1",
            "t0 poll put 2 -> Pending, waits as putter #1",
            "t1 poll get -> Item(1); wakes t0",
            "t0 poll put 2 -> Ok",
            "t1 poll get -> Item(2)",
            "t0 poll put 3 -> Ok",
            "t1 poll get -> Item(3)",
        ],
    );
}

/// gh-83055: a notified putter loses its slot to a put that runs first and
/// waits again at the back: items come out d, c, b although put(b) started
/// before put(c). CPython 3.13 does this; so must we (docs EX-3).
#[test]
fn gh_83055_puts_reordered_when_full() {
    assert_trace(
        "fifo maxsize=1 | try_put 1, try_get, try_put 4, try_get, try_get | put 2 | put 3 @ p0 p1 p2 p0 p0 p1 p0 p2 p0 p1",
        &[
            "t0 poll try_put 1 -> Ok",
            "t1 poll put 2 -> Pending, waits as putter #1",
            "t2 poll put 3 -> Pending, waits as putter #2",
            "t0 poll try_get -> Item(1); wakes t1",
            "t0 poll try_put 4 -> Ok",
            "t1 poll put 2 -> Pending, waits as putter #2",
            "t0 poll try_get -> Item(4); wakes t2",
            "t2 poll put 3 -> Ok",
            "t0 poll try_get -> Item(3); wakes t1",
            "t1 poll put 2 -> Ok",
        ],
    );
}

/// The getter side of gh-83055: a new get overtakes a notified getter, which
/// then waits again at the back (docs EX-1).
#[test]
fn notified_getter_overtaken_requeues_at_back() {
    assert_trace(
        "fifo maxsize=0 | get | get | put 1, try_get @ p0 p1 p2 p2 p0",
        &[
            "t0 poll get -> Pending, waits as getter #1",
            "t1 poll get -> Pending, waits as getter #2",
            "t2 poll put 1 -> Ok; wakes t0",
            "t2 poll try_get -> Item(1)",
            "t0 poll get -> Pending, waits as getter #2",
        ],
    );
}

/// Shutdown wakes every waiter: joiners first (immediate), then getters,
/// then putters, each in arrival order.
#[test]
fn shutdown_immediate_wakes_joiners_then_getters_then_putters() {
    assert_trace(
        "fifo maxsize=1 | get | get | put 1 | put 2 | join | shutdown_immediate @ p0 p1 p2 p3 p4 p5 p0 p1 p3 p4",
        &[
            "t0 poll get -> Pending, waits as getter #1",
            "t1 poll get -> Pending, waits as getter #2",
            "t2 poll put 1 -> Ok; wakes t0",
            "t3 poll put 2 -> Pending, waits as putter #1",
            "t4 poll join -> Pending, waits as joiner #1",
            "t5 poll shutdown_immediate -> Drained([1]); wakes t4, t1, t3",
            "t0 poll get -> GetShutDown",
            "t1 poll get -> GetShutDown",
            "t3 poll put 2 -> PutShutDown(2)",
            "t4 poll join -> Ok",
        ],
    );
}
