//! Runs one schedule of a scenario on the implementation and the model side
//! by side, and compares them after every step.
//!
//! Compared at each step: the result of the poll, the exact list of tasks
//! woken (and that each wake used the waker of the task's current operation
//! and newest poll), `len`, `is_empty`, `is_full`, `unfinished_tasks`,
//! `is_shutdown`, the waiting getters, putters and joiners, every waiting
//! task's place in its list, the wakers the queue holds (one clone of each
//! waiting task's current waker, nothing else), and the comparisons of
//! items a `PriorityQueue` made (the same questions as `heapq`, in the same
//! order). Whenever no task can run, the model must have no task waiting
//! while it could proceed (no lost wakeup). At the end of the run (see
//! `finish`) the items left are drained and every future still in flight
//! is dropped, their wakes compared; then no waker may be held, and every
//! item put is accounted for exactly once.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use crate::executor::{Action, Executor, WakeRecord};
use crate::explore::{Scheduler, View};
use crate::model::{Comparison, Model, Observation, OpResult, Outcome, TaskId, TaskState};
use crate::scenario::{Item, Op, Scenario};
use crate::subject::{handed_back_by, new_subject, take_comparisons, LockKind, Subject};

/// Which actions a run may take besides polling tasks that can run.
#[derive(Clone, Copy, Debug)]
pub struct RunOptions {
    /// Polls of waiting tasks nobody woke (same or fresh waker).
    pub spurious: bool,
    /// Dropping futures (cancellation).
    pub cancel: bool,
    /// Hash the results seen so far into the state key (for `outcomes`).
    pub key_with_results: bool,
    /// Longest run.
    pub max_steps: usize,
    /// Fresh wakers one wait may be given (waker A, then B, then C: 2).
    pub fresh_wakers: u8,
    /// Polls nobody asked for that the state key tells apart, per wait:
    /// after this many, a spurious poll leads to a state already seen. A
    /// queue whose spurious polls change something it hides (not its
    /// counts, places or wakers, which are compared at every step) is
    /// followed this many polls deep.
    pub quiet_polls: u8,
    /// The lock of the queue under test.
    pub lock: LockKind,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            spurious: true,
            cancel: true,
            key_with_results: false,
            max_steps: 200,
            fresh_wakers: 2,
            quiet_polls: 2,
            lock: LockKind::Shared,
        }
    }
}

/// One step, as the trace shows it.
#[derive(Clone, Debug)]
pub struct StepRecord {
    /// The action taken.
    pub action: Action,
    /// The task's operation at the time.
    pub op: Option<Op>,
    /// What the model says happened (the implementation agreed, unless this
    /// is the failing step).
    pub outcome: Outcome,
    /// Whether the task had been woken and not yet polled (for drops).
    pub was_notified: bool,
    /// How many actions were possible at this step.
    pub possible: usize,
    /// The queue's counts after the step (model and implementation agreed).
    pub after: Observation,
}

/// Where and how the implementation and the model parted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Divergence {
    /// The step (1-based) at which it showed; 0 for the end-of-run checks.
    pub step: usize,
    /// What differed.
    pub what: String,
}

/// A finished run.
#[derive(Clone, Debug)]
pub struct RunReport {
    /// The scenario run.
    pub scenario: Scenario,
    /// The actions taken, in order.
    pub schedule: Vec<Action>,
    /// One record per action.
    pub steps: Vec<StepRecord>,
    /// Each task's results, in program order (`None` for cancelled ones).
    pub results: Vec<Vec<Option<OpResult>>>,
    /// The first divergence, if any.
    pub failure: Option<Divergence>,
    /// The queue's counts at the end.
    pub final_state: Observation,
    /// The items left in the queue at the end, in get order.
    pub remaining: Vec<Item>,
    /// The scheduler ended the run early (for DFS: the state was seen before).
    pub stopped_early: bool,
}

/// Runs `scenario` with the actions `scheduler` picks, checking every step.
pub fn run(scenario: &Scenario, scheduler: &mut dyn Scheduler, options: RunOptions) -> RunReport {
    let subject = new_subject(options.lock, scenario.kind, scenario.maxsize);
    run_on(subject.as_ref(), scenario, scheduler, options)
}

/// Like [`run`], on a given implementation (a fresh queue of the scenario's
/// maxsize); used to show that the checker catches a wrong one.
pub fn run_on(
    subject: &dyn Subject,
    scenario: &Scenario,
    scheduler: &mut dyn Scheduler,
    options: RunOptions,
) -> RunReport {
    let mut executor = Executor::new(subject, &scenario.tasks);
    let mut model = Model::new(scenario);
    let mut report = RunReport {
        scenario: scenario.clone(),
        schedule: Vec::new(),
        steps: Vec::new(),
        results: vec![Vec::new(); scenario.tasks.len()],
        failure: None,
        final_state: model.observe(),
        remaining: Vec::new(),
        stopped_early: false,
    };
    while report.steps.len() < options.max_steps {
        let actions: Vec<Action> = executor
            .actions()
            .into_iter()
            .filter(|action| match action {
                Action::Poll(_) => true,
                Action::Spurious(_) => options.spurious,
                Action::FreshWaker(t) => {
                    options.spurious && executor.wait_counts(*t).0 < options.fresh_wakers
                }
                Action::Drop(_) => options.cancel,
            })
            .collect();
        if actions.is_empty() {
            break;
        }
        let view = View {
            step: report.steps.len(),
            last: report.steps.last(),
            actions: &actions,
            state_key: state_key(&model, &executor, &options, &report.results),
        };
        let Some(choice) = scheduler.choose(&view) else {
            report.stopped_early = true;
            break;
        };
        // A scheduler that picks outside the list has a bug: say so, never
        // take some other action instead.
        let Some(&action) = actions.get(choice) else {
            report.failure = Some(Divergence {
                step: report.steps.len() + 1,
                what: format!(
                    "the scheduler chose action #{choice} of {} possible",
                    actions.len()
                ),
            });
            break;
        };
        if let Err(what) = step(
            &mut model,
            &mut executor,
            action,
            actions.len(),
            &mut report,
        ) {
            report.failure = Some(Divergence {
                step: report.steps.len(),
                what,
            });
            break;
        }
        if let Err(what) = model.invariants() {
            report.failure = Some(Divergence {
                step: report.steps.len(),
                what: format!("the model broke an invariant: {what}"),
            });
            break;
        }
        if !executor.any_runnable() {
            if let Some(what) = model.lost_wakeup() {
                report.failure = Some(Divergence {
                    step: report.steps.len(),
                    what: format!("lost wakeup in the model: {what}"),
                });
                break;
            }
        }
    }
    report.final_state = model.observe();
    if report.failure.is_none() {
        if let Err(what) = finish(&mut model, &mut executor, subject, &mut report) {
            report.failure = Some(Divergence { step: 0, what });
        }
    }
    drop(executor);
    report
}

/// Takes one action on both sides and compares.
fn step(
    model: &mut Model,
    executor: &mut Executor<'_>,
    action: Action,
    possible: usize,
    report: &mut RunReport,
) -> Result<(), String> {
    let task = action.task();
    let op = model.current_op(task);
    let was_notified = model.is_runnable(task) && executor.has_future(task);
    let outcome = match action {
        Action::Poll(_) | Action::Spurious(_) | Action::FreshWaker(_) => model.poll(task),
        Action::Drop(_) => model.cancel(task),
    };
    let Some(seen) = executor.step(action) else {
        return Err(format!("the executor could not take {action}"));
    };
    report.schedule.push(action);
    report.steps.push(StepRecord {
        action,
        op,
        outcome: outcome.clone(),
        was_notified,
        possible,
        after: model.observe(),
    });
    if let Some(result) = &seen.result {
        report.results[task].push(Some(result.clone()));
    } else if matches!(action, Action::Drop(_)) {
        report.results[task].push(None);
    }
    // [CANCEL-8] every dropped operation is unfinished: a put's item comes
    // back, and nothing else hands one back.
    if let Some(handed_back) = seen.handed_back {
        let expected = op.and_then(handed_back_by);
        if handed_back != expected {
            return Err(format!(
                "Put::cancel handed back {handed_back:?}, the model says {expected:?}"
            ));
        }
    }
    if seen.result != outcome.result {
        return Err(format!(
            "{op} returned {}, the model says {}",
            show_result(&seen.result),
            show_result(&outcome.result),
            op = op.map(|op| op.to_string()).unwrap_or_default()
        ));
    }
    if seen.comparisons != outcome.comparisons {
        return Err(format!(
            "compared {}, the model (heapq) says {}",
            show_comparisons(&seen.comparisons),
            show_comparisons(&outcome.comparisons)
        ));
    }
    let woken: Vec<TaskId> = seen.wakes.iter().map(|wake| wake.task).collect();
    if woken != outcome.woken {
        return Err(format!(
            "woke {}, the model says {}",
            show_tasks(&woken),
            show_tasks(&outcome.woken)
        ));
    }
    if let Some(stale) = seen
        .wakes
        .iter()
        .find(|wake| wake.generation != executor.generation(wake.task))
    {
        return Err(format!(
            "woke t{} through an old waker (#{}) although it had given a newer one (#{})",
            stale.task,
            stale.generation,
            executor.generation(stale.task)
        ));
    }
    let observed = executor.observe();
    let expected = model.observe();
    if observed != expected {
        return Err(format!(
            "the queue shows {observed:?}, the model says {expected:?}"
        ));
    }
    for t in 0..model.task_count() {
        let place = model.place_in_list(t).map(|(_, place)| place);
        let shown = executor.place(t);
        if shown != place {
            return Err(format!(
                "t{t}'s future shows place {}, the model says {}",
                show_place(shown),
                show_place(place)
            ));
        }
        // A waiting task's current waker is held once; nothing else is.
        let held = executor.wakers_held(t);
        let current = executor.generation(t) as usize;
        let waits = matches!(model.state(t), TaskState::Waiting(_));
        for (generation, &clones) in held.iter().enumerate() {
            let expected = usize::from(waits && generation == current);
            if clones != expected {
                return Err(format!(
                    "the queue holds {clones} clone(s) of t{t}'s waker #{generation}, expected {expected} (t{t} {})",
                    if waits { "waits" } else { "does not wait" }
                ));
            }
        }
    }
    Ok(())
}

fn show_place(place: Option<usize>) -> String {
    place.map_or_else(|| "none (not waiting)".to_string(), |p| format!("#{p}"))
}

/// The end of a run: what is left is drained with `try_get`s, then every
/// future still in flight is dropped, task by task. Compared: the items in
/// get order, the comparisons, the wakes of both (the drain wakes putters,
/// a dropped notified future passes its wakeup on), and that afterwards the
/// queue holds no waker at all. Then every item must be accounted for.
fn finish(
    model: &mut Model,
    executor: &mut Executor<'_>,
    subject: &dyn Subject,
    report: &mut RunReport,
) -> Result<(), String> {
    let (expected, expected_comparisons, expected_woken) = model.drain();
    report.remaining = subject.drain();
    let comparisons = take_comparisons();
    let woken = tasks_of(&executor.take_wakes());
    if report.remaining != expected {
        return Err(format!(
            "the items left come out as {:?}, the model says {expected:?}",
            report.remaining
        ));
    }
    if comparisons != expected_comparisons {
        return Err(format!(
            "draining what is left compared {}, the model says {}",
            show_comparisons(&comparisons),
            show_comparisons(&expected_comparisons)
        ));
    }
    same_wakes("draining what is left", &woken, &expected_woken)?;
    for task in 0..report.scenario.tasks.len() {
        if executor.has_future(task) {
            let expected = model.cancel(task).woken;
            let woken = tasks_of(&executor.drop_future(task));
            same_wakes(
                &format!("dropping t{task}'s future at the end"),
                &woken,
                &expected,
            )?;
        }
    }
    for task in 0..report.scenario.tasks.len() {
        if let Some(generation) = executor.wakers_held(task).iter().position(|&n| n > 0) {
            return Err(format!(
                "every future is gone, yet the queue still holds t{task}'s waker #{generation}"
            ));
        }
    }
    account_for_items(report, report.remaining.clone())
}

fn same_wakes(what: &str, woken: &[TaskId], expected: &[TaskId]) -> Result<(), String> {
    if woken == expected {
        return Ok(());
    }
    Err(format!(
        "{what} woke {}, the model says {}",
        show_tasks(woken),
        show_tasks(expected)
    ))
}

fn tasks_of(wakes: &[WakeRecord]) -> Vec<TaskId> {
    wakes.iter().map(|wake| wake.task).collect()
}

/// Every item put is still in the queue, or was returned by exactly one get
/// or drain; failed puts handed theirs back (checked step by step).
fn account_for_items(report: &RunReport, remaining: Vec<Item>) -> Result<(), String> {
    let mut put = Vec::new();
    let mut out = remaining;
    for (task, results) in report.results.iter().enumerate() {
        for (op, result) in report.scenario.tasks[task].iter().zip(results) {
            match (op, result) {
                (Op::Put(item) | Op::TryPut(item), Some(OpResult::Ok)) => put.push(*item),
                (_, Some(OpResult::Item(item))) => out.push(*item),
                (_, Some(OpResult::Drained(items) | OpResult::Batch(items))) => out.extend(items),
                _ => {}
            }
        }
    }
    put.sort_unstable();
    out.sort_unstable();
    // Tags count: an item is its key and its tag.
    if put != out {
        return Err(format!(
            "items do not add up: put {put:?}, but got, drained or left {out:?}"
        ));
    }
    Ok(())
}

/// The hash the explorer uses to recognise a state it has seen: the model,
/// and per task the fresh wakers of its wait and its quiet polls (bounded
/// by the options), and the results so far if asked.
fn state_key(
    model: &Model,
    executor: &Executor<'_>,
    options: &RunOptions,
    results: &[Vec<Option<OpResult>>],
) -> u64 {
    let mut hasher = DefaultHasher::new();
    model.hash(&mut hasher);
    for task in 0..model.task_count() {
        let (fresh, quiet) = executor.wait_counts(task);
        (fresh, quiet.min(options.quiet_polls)).hash(&mut hasher);
    }
    if options.key_with_results {
        results.hash(&mut hasher);
    }
    hasher.finish()
}

/// `Pending` or the result, for messages and traces.
pub fn show_result(result: &Option<OpResult>) -> String {
    match result {
        None => "Pending".to_string(),
        Some(result) => format!("{result:?}"),
    }
}

/// A result as a user reads it: `ok`, `1a`, `drained [1a, 2b]`, `Full`,
/// `ShutDown`, `Empty`, `TaskDoneError`.
pub fn describe(result: &OpResult) -> String {
    match result {
        OpResult::Ok => "ok".into(),
        OpResult::Item(item) => item.to_string(),
        OpResult::Drained(items) => format!("drained {items:?}"),
        OpResult::Batch(items) => format!("{items:?}"),
        OpResult::Full(_) => "Full".into(),
        OpResult::PutShutDown(_) | OpResult::GetShutDown => "ShutDown".into(),
        OpResult::Empty => "Empty".into(),
        OpResult::TaskDoneError => "TaskDoneError".into(),
    }
}

/// `1a<1b, 2<1a` or `nothing`.
pub fn show_comparisons(comparisons: &[Comparison]) -> String {
    if comparisons.is_empty() {
        return "nothing".to_string();
    }
    comparisons
        .iter()
        .map(|(a, b)| format!("{a}<{b}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `t0, t2` or `nobody`.
pub fn show_tasks(tasks: &[TaskId]) -> String {
    if tasks.is_empty() {
        return "nobody".to_string();
    }
    tasks
        .iter()
        .map(|t| format!("t{t}"))
        .collect::<Vec<_>>()
        .join(", ")
}
