//! The worked examples of `docs/semantics.md`, generated from runs.
//!
//! Each table in the document sits between two markers:
//!
//! ```text
//! <!-- table: sim/scenarios/docs/ex-1.txt -->
//! | Step | Task | ... (generated) |
//! <!-- end of table -->
//! ```
//!
//! The source is either a scenario file under `sim/scenarios/`, run under
//! asyncio's own schedule (the CPython oracle runs every such file on real
//! asyncio and compares), or a replay file under `sim/replays/` holding
//! `scenario @ schedule`, for a schedule asyncio never gives. Either way the
//! run is checked against the model at every step, and the table is what
//! the run did. A `# names: G1 G2 A` comment names the tasks.
//!
//! Between `<!-- evidence -->` and `<!-- end of evidence -->` goes the
//! evidence of every rule, from [`crate::rules`].

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use crate::executor::Action;
use crate::explore::replay::ReplayScheduler;
use crate::model::{List, Model, OpResult};
use crate::runner::{run, RunOptions, RunReport};
use crate::scenario::{Op, Scenario};
use crate::trace::{render, Replay};

const START: &str = "<!-- table: ";
const END: &str = "<!-- end of table -->";
const EVIDENCE: &str = "<!-- evidence -->";
const EVIDENCE_END: &str = "<!-- end of evidence -->";

/// A run to show, and how its tasks are called.
struct Example {
    path: String,
    report: RunReport,
    names: Vec<String>,
    /// Run under asyncio's schedule (so the oracle checks it on CPython).
    asyncio: bool,
}

/// Reads and runs the example at `path` (relative to `root`).
fn example(root: &Path, path: &str) -> Result<Example, String> {
    let text = fs::read_to_string(root.join(path)).map_err(|e| format!("{path}: {e}"))?;
    let names: Vec<String> = text
        .lines()
        .find_map(|l| l.strip_prefix("# names:"))
        .map(|names| names.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    let (report, asyncio) = if path.starts_with("sim/scenarios/") {
        let scenario: Scenario = text.parse().map_err(|e| format!("{path}: {e}"))?;
        (crate::cpython::run_asyncio(&scenario)?, true)
    } else if path.starts_with("sim/replays/") {
        let replay = Replay::parse_file(&text).map_err(|e| format!("{path}: {e}"))?;
        let mut scheduler = ReplayScheduler::new(replay.schedule.clone());
        let report = run(&replay.scenario, &mut scheduler, RunOptions::default());
        if report.schedule != replay.schedule {
            return Err(format!(
                "{path}: not every action was possible\n{}",
                render(&report)
            ));
        }
        (report, false)
    } else {
        return Err(format!(
            "{path}: a table's source is a file under sim/scenarios/ or sim/replays/"
        ));
    };
    if let Some(failure) = &report.failure {
        return Err(format!(
            "{path}: the crate and the model part at step {}: {}\n{}",
            failure.step,
            failure.what,
            render(&report)
        ));
    }
    let tasks = report.scenario.tasks.len();
    if !names.is_empty() && names.len() != tasks {
        return Err(format!("{path}: {} names for {tasks} tasks", names.len()));
    }
    Ok(Example {
        path: path.to_string(),
        report,
        names,
        asyncio,
    })
}

impl Example {
    fn name(&self, task: usize) -> String {
        self.names
            .get(task)
            .cloned()
            .unwrap_or_else(|| format!("t{task}"))
    }

    /// `G1 G2` in backticks, or nothing.
    fn names(&self, tasks: &[usize]) -> String {
        if tasks.is_empty() {
            return String::new();
        }
        let names: Vec<String> = tasks.iter().map(|&t| self.name(t)).collect();
        format!("`{}`", names.join(" "))
    }

    /// The table, and the line under it that says how to see it run.
    fn table(&self) -> String {
        let scenario = &self.report.scenario;
        let ops = || scenario.tasks.iter().flatten();
        let mut model = Model::new(scenario);
        let mut rows = Vec::new();
        for (step, action) in self.report.steps.iter().zip(&self.report.schedule) {
            match action {
                Action::Drop(t) => model.cancel(*t),
                other => model.poll(other.task()),
            };
            let lists = [List::Getters, List::Putters, List::Joiners].map(|l| model.waiting(l));
            rows.push((step, model.items_in_get_order(), lists));
        }
        let shown: Vec<bool> = (0..3)
            .map(|i| rows.iter().any(|(_, _, lists)| !lists[i].is_empty()))
            .collect();
        let counts = ops().any(|op| matches!(op, Op::Join | Op::TaskDone));
        let mut header = vec!["Step", "Task", "Action", "Buffer"];
        for (i, title) in ["getters", "putters", "joiners"].iter().enumerate() {
            if shown[i] {
                header.push(title);
            }
        }
        if counts {
            header.push("unfinished");
        }
        header.extend(["wakes", "Result"]);
        let mut out = format!("| {} |\n", header.join(" | "));
        let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
        for (n, (step, items, lists)) in rows.iter().enumerate() {
            let task = step.action.task();
            let items: Vec<String> = items.iter().map(ToString::to_string).collect();
            let mut cells = vec![
                (n + 1).to_string(),
                format!("`{}`", self.name(task)),
                self.action(step.action, step.op),
                format!("`[{}]`", items.join(" ")),
            ];
            for (i, list) in lists.iter().enumerate() {
                if shown[i] {
                    cells.push(self.names(list));
                }
            }
            if counts {
                cells.push(step.after.unfinished_tasks.to_string());
            }
            cells.push(self.names(&step.outcome.woken));
            cells.push(self.result(step));
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        if self.asyncio {
            let _ = write!(
                out,
                "\nasyncio's schedule; CPython 3.13 gives the same trace: \
                 `cargo run --release -p aioqueue-sim -- cpython {}`\n",
                self.path
            );
        } else {
            let _ = write!(
                out,
                "\nA schedule asyncio does not give; the model and aioqueue agree on it: \
                 `cargo run --release -p aioqueue-sim -- replay {}`\n",
                self.path
            );
        }
        out
    }

    fn action(&self, action: Action, op: Option<Op>) -> String {
        let op = match op {
            Some(Op::Cancel(t)) => format!("cancel {}", self.name(t)),
            Some(op) => op.to_string(),
            None => String::new(),
        };
        match action {
            Action::Poll(_) => format!("`{op}`"),
            Action::Drop(_) => format!("`{op}` dropped"),
            Action::Spurious(_) | Action::FreshWaker(_) => {
                format!("`{op}` polled again, not woken")
            }
        }
    }

    fn result(&self, step: &crate::runner::StepRecord) -> String {
        if let Action::Drop(_) = step.action {
            return if step.was_notified {
                "cancelled after it was woken".to_string()
            } else {
                "cancelled".to_string()
            };
        }
        let is_try = matches!(
            step.op,
            Some(Op::TryPut(_) | Op::TryGet | Op::TryGetMany(_))
        );
        match (&step.outcome.result, step.outcome.waits_at) {
            (None, Some((list, place))) => {
                let role = list.role();
                format!("`Pending`: waits as {role} #{place}")
            }
            (None, None) => "`Pending`".to_string(),
            (Some(result), _) => format!("`{}`", rust_result(result, is_try)),
        }
    }
}

/// What the Rust API returns, for a result of the model's.
fn rust_result(result: &OpResult, is_try: bool) -> String {
    match result {
        OpResult::Ok => "Ok(())".to_string(),
        OpResult::Item(item) => format!("Ok({item})"),
        OpResult::Drained(items) => {
            let items: Vec<String> = items.iter().map(ToString::to_string).collect();
            format!("[{}]", items.join(", "))
        }
        OpResult::Batch(items) => {
            let items: Vec<String> = items.iter().map(ToString::to_string).collect();
            if is_try {
                format!("[{}]", items.join(", "))
            } else {
                format!("Ok([{}])", items.join(", "))
            }
        }
        OpResult::Full(item) => format!("Err(Full({item}))"),
        OpResult::PutShutDown(item) if is_try => format!("Err(ShutDown({item}))"),
        OpResult::PutShutDown(item) => format!("Err(PutError({item}))"),
        OpResult::Empty => "Err(Empty)".to_string(),
        OpResult::GetShutDown if is_try => "Err(ShutDown)".to_string(),
        OpResult::GetShutDown => "Err(GetError)".to_string(),
        OpResult::TaskDoneError => "Err(TaskDoneError)".to_string(),
    }
}

/// The sources the document's markers name, in order.
pub fn sources(document: &str) -> Vec<String> {
    document
        .lines()
        .filter_map(|l| l.trim().strip_prefix(START))
        .filter_map(|rest| rest.strip_suffix("-->"))
        .map(|path| path.trim().to_string())
        .collect()
}

/// `document` with every marked block generated afresh: each worked
/// example from its run, and the evidence table from the rule index.
pub fn regenerate(document: &str, root: &Path) -> Result<String, String> {
    let mut out = String::with_capacity(document.len());
    let mut lines = document.split_inclusive('\n');
    while let Some(line) = lines.next() {
        out.push_str(line);
        let marker = line.trim();
        let (block, end) = if let Some(path) = marker
            .strip_prefix(START)
            .and_then(|rest| rest.strip_suffix("-->"))
        {
            (example(root, path.trim())?.table(), END)
        } else if marker == EVIDENCE {
            (
                evidence(&crate::rules::index_from(root, document)?),
                EVIDENCE_END,
            )
        } else {
            continue;
        };
        out.push_str(&block);
        loop {
            match lines.next() {
                Some(line) if line.trim() == end => {
                    out.push_str(line);
                    break;
                }
                Some(_) => {}
                None => return Err(format!("`{marker}` has no `{end}`")),
            }
        }
    }
    Ok(out)
}

/// One row per rule: its evidence, tests only.
fn evidence(report: &crate::rules::Report) -> String {
    let mut out = String::from("| Rule | Checked by |\n|---|---|\n");
    for rule in &report.rules {
        let _ = writeln!(
            out,
            "| [`{0}`](#{0}) | {1} |",
            rule.id,
            rule.evidence().join(", ")
        );
    }
    out
}
