//! The fuzz targets' logic, kept in a library so that the seed corpus can
//! also be run as plain tests (`cargo test` in `fuzz/`, on stable).
//!
//! - [`ops_vs_model`]: one long-lived queue (maxsize up to 8), up to three
//!   tasks with long programs; the bytes are a stream of operations, polls,
//!   re-polls with a new waker and drops, checked step by step against the
//!   reference model of `aioqueue-sim`.
//! - [`schedules`]: a small scenario (up to four tasks of up to four
//!   operations) and a schedule given as choice indices over every action
//!   the simulator's executor can take; any divergence from the model is a
//!   crash that prints the readable trace and its replay string.
//! - [`hostile`]: a `PriorityQueue` of items whose `Ord` is inconsistent or
//!   panics and whose `Drop` panics, at chosen points; the queue must stay
//!   consistent, lose and duplicate nothing, and keep working.
#![forbid(unsafe_code)]

pub mod bytes;
pub mod hostile;
pub mod ops_vs_model;
pub mod schedules;

#[cfg(test)]
mod seeds;

use aioqueue_sim::executor::Action;
use aioqueue_sim::explore::View;
use aioqueue_sim::runner::RunReport;
use aioqueue_sim::trace::render;

/// Panics with the numbered trace and the replay string if the run's queue
/// and the model parted ways: how a fuzz target reports a divergence.
pub fn assert_agrees(report: &RunReport) {
    if report.failure.is_some() {
        panic!("aioqueue diverged from the model:\n{}", render(report));
    }
}

/// What a run does once the fuzzer's choices are used up: run each task
/// that can run, and once none can, cancel the waiting ones, so that every
/// run ends with every program finished and the end-of-run checks made.
/// `None` (end the run) if neither is possible.
pub fn finish(view: &View<'_>) -> Option<usize> {
    let first = |wanted: fn(&Action) -> bool| view.actions.iter().position(wanted);
    first(|action| matches!(action, Action::Poll(_)))
        .or_else(|| first(|action| matches!(action, Action::Drop(_))))
}
