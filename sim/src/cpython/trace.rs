//! The trace of a run under the asyncio scheduler, in the line format that
//! `sim/python/asyncio_runner.py` prints for the same scenario on CPython,
//! so that the two can be compared line by line:
//!
//! ```text
//! cmp 1b 1a                      heapq asked "is 1b < 1a?"
//! wake t1                        a task was woken (goes to the back of the ready queue)
//! t0 #2 get -> item 1a           task 0's third operation finished (or: pending, cancelled)
//! state len=0 empty=1 full=0 unfinished=1 shutdown=0 getters=0 putters=0 joiners=0
//! end items=[2c] unfinished=1 shutdown=0 waiting=[t1]
//! ```
//!
//! Within a step: comparisons, then wakes, then the task's line and the
//! queue's counts after it. A `cancel` that hits a waiting task prints the
//! canceller's line first, then the cancelled task's; both show the counts
//! after the cancellation.

use crate::executor::Action;
use crate::model::OpResult;
use crate::runner::{RunReport, StepRecord};
use crate::scenario::Op;

/// The lines of a run's trace, `end` line included.
pub fn render(report: &RunReport) -> Vec<String> {
    let mut lines = Vec::new();
    let mut next_op = vec![0usize; report.scenario.tasks.len()];
    for (index, step) in report.steps.iter().enumerate() {
        let task = step.action.task();
        for (a, b) in &step.outcome.comparisons {
            lines.push(format!("cmp {a} {b}"));
        }
        for woken in &step.outcome.woken {
            lines.push(format!("wake t{woken}"));
        }
        let op = step.op.map(|op| op.to_string()).unwrap_or_default();
        let op_index = next_op[task];
        let result = match (step.action, &step.outcome.result) {
            (Action::Drop(_), _) => "cancelled".to_string(),
            (_, None) => "pending".to_string(),
            (_, Some(result)) => show(result),
        };
        if matches!(step.action, Action::Drop(_)) || step.outcome.result.is_some() {
            next_op[task] += 1;
        }
        lines.push(format!("t{task} #{op_index} {op} -> {result}"));
        // `Task.cancel()` of a waiting task has cancelled its future before
        // the canceller goes on: its counts already leave that waiter out.
        let after = match (step.op, report.steps.get(index + 1)) {
            (Some(Op::Cancel(target)), Some(next))
                if next.action == Action::Drop(target) && !next.was_notified =>
            {
                next
            }
            _ => step,
        };
        lines.push(state_line(after));
    }
    let waiting: Vec<String> = report
        .results
        .iter()
        .enumerate()
        .filter(|(task, results)| results.len() < report.scenario.tasks[*task].len())
        .map(|(task, _)| format!("t{task}"))
        .collect();
    let end = &report.final_state;
    lines.push(format!(
        "end items=[{}] unfinished={} shutdown={} waiting=[{}]",
        join(report.remaining.iter().map(ToString::to_string)),
        end.unfinished_tasks,
        u8::from(end.shutdown),
        waiting.join(", ")
    ));
    lines
}

/// A result as the trace shows it.
pub fn show(result: &OpResult) -> String {
    match result {
        OpResult::Ok => "ok".to_string(),
        OpResult::Item(item) => format!("item {item}"),
        OpResult::Drained(items) => {
            format!("drained [{}]", join(items.iter().map(ToString::to_string)))
        }
        OpResult::Batch(items) => {
            format!("batch [{}]", join(items.iter().map(ToString::to_string)))
        }
        OpResult::Full(_) => "Full".to_string(),
        OpResult::PutShutDown(_) => "PutShutDown".to_string(),
        OpResult::Empty => "Empty".to_string(),
        OpResult::GetShutDown => "GetShutDown".to_string(),
        OpResult::TaskDoneError => "TaskDoneError".to_string(),
    }
}

fn state_line(step: &StepRecord) -> String {
    let s = &step.after;
    format!(
        "state len={} empty={} full={} unfinished={} shutdown={} getters={} putters={} joiners={}",
        s.len,
        u8::from(s.is_empty),
        u8::from(s.is_full),
        s.unfinished_tasks,
        u8::from(s.shutdown),
        s.getters,
        s.putters,
        s.joiners
    )
}

fn join(parts: impl Iterator<Item = String>) -> String {
    parts.collect::<Vec<_>>().join(", ")
}
