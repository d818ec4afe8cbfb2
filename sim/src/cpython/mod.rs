//! CPython itself as the oracle: each scenario runs on real asyncio
//! (`sim/python/asyncio_runner.py`) and, under the [asyncio scheduler], on
//! the model and the `aioqueue` crate; the two traces must be identical,
//! line for line: every result, every wake and its order, every comparison
//! of items, and the counts after every operation. The crate's side runs
//! on the thread-safe queue and on the `aioqueue::local` one, which must
//! give the same trace (docs/semantics.md LOCAL-1).
//!
//! [asyncio scheduler]: crate::explore::asyncio

pub mod python;
pub mod trace;

use std::path::Path;

use crate::executor::Action;
use crate::explore::asyncio::AsyncioScheduler;
use crate::model::OpResult;
use crate::runner::{run, RunOptions, RunReport};
use crate::scenario::{Op, Scenario};
use crate::subject::LockKind;

/// Scenarios per Python process: bounds the output held at once.
const BATCH: usize = 10_000;

/// The one run asyncio gives `scenario`, checked step by step against the
/// model. `Err` if the simulator could not follow the event loop.
pub fn run_asyncio(scenario: &Scenario) -> Result<RunReport, String> {
    run_asyncio_on(scenario, LockKind::Shared)
}

/// [`run_asyncio`] on the queue with `lock`.
pub fn run_asyncio_on(scenario: &Scenario, lock: LockKind) -> Result<RunReport, String> {
    let mut scheduler = AsyncioScheduler::new(scenario);
    let options = RunOptions {
        lock,
        ..AsyncioScheduler::options()
    };
    let report = run(scenario, &mut scheduler, options);
    match scheduler.problem() {
        Some(problem) => Err(format!("{problem}\n{}", crate::trace::render(&report))),
        None => Ok(report),
    }
}

/// What the comparison covered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Scenarios compared.
    pub scenarios: u64,
    /// Traces identical on both sides.
    pub identical: u64,
    /// Wakes seen (each also seen on CPython, where identical).
    pub wakes: u64,
    /// Woken getters or putters that found their item or slot gone and
    /// waited again (gh-83055).
    pub lost_races: u64,
    /// Woken tasks cancelled before they ran (bpo-23812's pass-on).
    pub cancelled_notified: u64,
    /// Cancellations of waiting tasks.
    pub cancelled_waiting: u64,
    /// `shutdown` and `shutdown_immediate` operations run.
    pub shutdowns: u64,
    /// Comparisons between items with equal keys (heapq's tie order).
    pub ties: u64,
}

/// A scenario's two traces.
#[derive(Clone, Debug)]
pub struct TracePair {
    /// The scenario.
    pub scenario: String,
    /// The Rust side's trace (model and crate).
    pub rust: Vec<String>,
    /// CPython's trace.
    pub cpython: Vec<String>,
}

impl TracePair {
    /// Whether the two traces are the same, line for line.
    pub fn is_identical(&self) -> bool {
        self.rust == self.cpython
    }

    /// Both traces side by side, the first differing line marked (`>>`,
    /// `≠`), and the command that replays the Rust side.
    pub fn render(&self) -> String {
        let first = (0..self.rust.len().max(self.cpython.len()))
            .find(|&i| self.rust.get(i) != self.cpython.get(i))
            .unwrap_or(usize::MAX);
        let width = self.rust.iter().map(String::len).max().unwrap_or(0).max(20);
        let mut out = format!(
            "scenario: {}\n  {:<width$}   CPython\n",
            self.scenario, "aioqueue (model and crate)"
        );
        for i in 0..self.rust.len().max(self.cpython.len()) {
            let mark = if i == first { ">>" } else { "  " };
            let rust = self.rust.get(i).map_or("", String::as_str);
            let cpython = self.cpython.get(i).map_or("", String::as_str);
            let sep = if rust == cpython { "|" } else { "≠" };
            out.push_str(&format!("{mark}{rust:<width$} {sep} {cpython}\n"));
        }
        out.push_str(&format!(
            "replay: cargo run --release -p aioqueue-sim -- replay --asyncio '{}'\n",
            self.scenario
        ));
        out
    }
}

/// The result of comparing a list of scenarios with CPython.
#[derive(Debug, Default)]
pub struct Comparison {
    /// The script's header: `python 3.13.0 queues stdlib`.
    pub python: String,
    /// What was covered.
    pub coverage: Coverage,
    /// Every scenario whose traces differ.
    pub differences: Vec<TracePair>,
    /// Every scenario's traces, identical or not, if asked for.
    pub pairs: Vec<TracePair>,
    /// Seconds spent in CPython (its process, start to end).
    pub python_seconds: f64,
    /// Seconds spent on the Rust side (model and crate, under the asyncio scheduler).
    pub rust_seconds: f64,
}

/// Runs every scenario on CPython (`python`) and on the Rust side, and
/// compares the traces.
pub fn compare(python: &Path, scenarios: &[Scenario]) -> Result<Comparison, String> {
    compare_keeping(python, scenarios, false)
}

/// Like [`compare`], keeping every scenario's pair of traces in `pairs`
/// (for showing them side by side).
pub fn compare_keeping(
    python: &Path,
    scenarios: &[Scenario],
    keep_all: bool,
) -> Result<Comparison, String> {
    let mut result = Comparison::default();
    for chunk in scenarios.chunks(BATCH) {
        let lines: Vec<String> = chunk.iter().map(ToString::to_string).collect();
        // CPython on one core while the Rust side runs on the other.
        let (batch, rust) = std::thread::scope(|scope| {
            let cpython = scope.spawn(|| {
                let started = std::time::Instant::now();
                (
                    python::run_batch(python, &lines),
                    started.elapsed().as_secs_f64(),
                )
            });
            let started = std::time::Instant::now();
            let rust: Result<Vec<(Vec<String>, Coverage)>, String> = chunk
                .iter()
                .map(|scenario| {
                    let report = run_asyncio(scenario)?;
                    let mut trace = rust_trace(&report);
                    // LOCAL-1: the local queue's trace is the thread-safe
                    // one's, so one comparison with CPython judges both.
                    let local = rust_trace(&run_asyncio_on(scenario, LockKind::Local)?);
                    if let Some(line) =
                        (0..trace.len().max(local.len())).find(|&i| trace.get(i) != local.get(i))
                    {
                        trace.push(format!(
                            "aioqueue::local differs at line {}: {}",
                            line + 1,
                            local.get(line).map_or("(no line)", String::as_str)
                        ));
                    }
                    Ok((trace, coverage(&report)))
                })
                .collect();
            result.rust_seconds += started.elapsed().as_secs_f64();
            let (batch, seconds) = cpython
                .join()
                .unwrap_or_else(|_| (Err("the Python runner thread panicked".to_string()), 0.0));
            result.python_seconds += seconds;
            (batch, rust)
        });
        let batch = batch?;
        result.python = batch.header;
        for ((scenario, cpython), (rust, covered)) in batch.traces.into_iter().zip(rust?) {
            result.coverage.add(&covered);
            let pair = TracePair {
                scenario,
                rust,
                cpython,
            };
            if keep_all {
                result.pairs.push(pair.clone());
            }
            if pair.is_identical() {
                result.coverage.identical += 1;
            } else {
                result.differences.push(pair);
            }
        }
    }
    Ok(result)
}

/// The Rust side's trace of a run: the model's and crate's steps, and the
/// crate's first disagreement with the model, if any.
fn rust_trace(report: &RunReport) -> Vec<String> {
    let mut trace = trace::render(report);
    if let Some(failure) = &report.failure {
        // The crate and the model disagree: show it in the trace.
        trace.push(format!("aioqueue differs from the model: {}", failure.what));
    }
    trace
}

impl Coverage {
    /// Adds `other`'s counts to these.
    pub fn add(&mut self, other: &Coverage) {
        self.scenarios += other.scenarios;
        self.identical += other.identical;
        self.wakes += other.wakes;
        self.lost_races += other.lost_races;
        self.cancelled_notified += other.cancelled_notified;
        self.cancelled_waiting += other.cancelled_waiting;
        self.shutdowns += other.shutdowns;
        self.ties += other.ties;
    }
}

/// What one run exercised.
fn coverage(report: &RunReport) -> Coverage {
    let mut covered = Coverage {
        scenarios: 1,
        ..Coverage::default()
    };
    for step in &report.steps {
        covered.wakes += step.outcome.woken.len() as u64;
        covered.ties += step
            .outcome
            .comparisons
            .iter()
            .filter(|(a, b)| a.key == b.key)
            .count() as u64;
        match (step.action, step.op, &step.outcome.result) {
            (Action::Drop(_), Some(op), _) if op.can_wait() && step.was_notified => {
                covered.cancelled_notified += 1
            }
            (Action::Drop(_), _, _) => covered.cancelled_waiting += 1,
            (Action::Poll(_), Some(Op::Get | Op::GetMany(_) | Op::Put(_)), None)
                if step.was_notified =>
            {
                covered.lost_races += 1
            }
            (
                Action::Poll(_),
                Some(Op::Shutdown | Op::ShutdownImmediate),
                Some(OpResult::Ok | OpResult::Drained(_)),
            ) => covered.shutdowns += 1,
            _ => {}
        }
    }
    covered
}

/// Every `*.txt` scenario under `dir` (and its folders), in name order.
pub fn scenario_files(dir: &Path) -> Result<Vec<Scenario>, String> {
    let mut paths = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries =
            std::fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            text.parse().map_err(|e| format!("{}: {e}", path.display()))
        })
        .collect()
}
