//! Human-readable traces of a run, and the one-line replay string that
//! reproduces it exactly.
//!
//! ```text
//!   1  t0  poll         get -> Pending, waits as getter #1
//!   2  t1  poll         put 1 -> Ok; wakes t0
//!   3  t0  drop         get (woken, not yet run) -> cancelled; wakes nobody
//! replay: fifo maxsize=0 | get | put 1 @ p0 p1 d0
//! ```

use std::fmt::Write;

use crate::executor::Action;
use crate::runner::{show_result, show_tasks, RunReport, StepRecord};
use crate::scenario::{ParseError, Scenario};

/// A scenario and a schedule: everything needed to reproduce a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replay {
    /// The scenario.
    pub scenario: Scenario,
    /// The actions, in order.
    pub schedule: Vec<Action>,
    /// For each action, how many actions were possible at that step, where
    /// the string records it (`p0:3`); a strict replay checks it.
    pub possible: Vec<Option<usize>>,
}

impl Replay {
    /// Parses `<scenario> @ <action> <action> ...`.
    pub fn parse(text: &str) -> Result<Replay, ParseError> {
        let (scenario, schedule) = text
            .split_once('@')
            .ok_or_else(|| ParseError::new("a replay string is `<scenario> @ <schedule>`, e.g. `fifo maxsize=0 | get | put 1 @ p0 p1 p0`"))?;
        let (schedule, possible) = parse_counted_schedule(schedule)?;
        Ok(Replay {
            scenario: scenario.trim().parse()?,
            schedule,
            possible,
        })
    }

    /// Parses a replay file: `#` comment lines, then the replay string (it
    /// may run over several lines).
    pub fn parse_file(text: &str) -> Result<Replay, ParseError> {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect();
        Replay::parse(&lines.join(" "))
    }
}

impl std::fmt::Display for Replay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} @ {}", self.scenario, show_schedule(&self.schedule))
    }
}

/// `p0 p1 d0`.
pub fn show_schedule(schedule: &[Action]) -> String {
    schedule
        .iter()
        .map(Action::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Parses `p0 p1 d0`.
pub fn parse_schedule(text: &str) -> Result<Vec<Action>, ParseError> {
    Ok(parse_counted_schedule(text)?.0)
}

/// Parses `p0 p1 d0` or `p0:2 p1:4 d0:3`: each action, with the number of
/// actions that were possible at its step where it is given.
pub fn parse_counted_schedule(text: &str) -> Result<(Vec<Action>, Vec<Option<usize>>), ParseError> {
    let mut actions = Vec::new();
    let mut possible = Vec::new();
    for word in text.split_whitespace() {
        let (action, count) = match word.split_once(':') {
            Some((action, count)) => (
                action,
                Some(count.parse().map_err(|_| {
                    ParseError::new(format!(
                        "`{word}`: a count of possible actions must follow `:`"
                    ))
                })?),
            ),
            None => (word, None),
        };
        actions.push(Action::parse(action)?);
        possible.push(count);
    }
    Ok((actions, possible))
}

/// The replay string with the number of possible actions at each step
/// (`p0:2 p1:4`), for a strict replay.
pub fn strict_replay_string(report: &RunReport) -> String {
    let steps: Vec<String> = report
        .steps
        .iter()
        .map(|step| format!("{}:{}", step.action, step.possible))
        .collect();
    format!("{} @ {}", report.scenario, steps.join(" "))
}

/// The replay string of a run.
pub fn replay_string(report: &RunReport) -> String {
    Replay {
        scenario: report.scenario.clone(),
        schedule: report.schedule.clone(),
        possible: Vec::new(),
    }
    .to_string()
}

/// The numbered trace of a run, its failure if any, and its replay string.
pub fn render(report: &RunReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "scenario: {}", report.scenario);
    for (index, step) in report.steps.iter().enumerate() {
        let _ = writeln!(out, "{:>3}  {}", index + 1, describe(step));
    }
    if let Some(failure) = &report.failure {
        let at = if failure.step == 0 {
            "at the end".to_string()
        } else {
            format!("at step {}", failure.step)
        };
        let _ = writeln!(out, "DIVERGENCE {at}: {}", failure.what);
    }
    let f = &report.final_state;
    let _ = writeln!(
        out,
        "end: len {}, unfinished {}, shutdown {}, waiting getters {}, putters {}",
        f.len, f.unfinished_tasks, f.shutdown, f.getters, f.putters
    );
    let _ = writeln!(out, "replay: {}", replay_string(report));
    if report.failure.is_some() {
        let _ = writeln!(out, "strict replay: {}", strict_replay_string(report));
    }
    out
}

/// One line: `t2  poll         get -> Pending, waits as getter #2`.
pub fn describe(step: &StepRecord) -> String {
    let task = step.action.task();
    let verb = match step.action {
        Action::Poll(_) => "poll",
        Action::Spurious(_) => "poll (again)",
        Action::FreshWaker(_) => "poll (new waker)",
        Action::Drop(_) => "drop",
    };
    let op = step.op.map(|op| op.to_string()).unwrap_or_default();
    let mut line = format!("t{task}  {verb:<16} {op}");
    if let Action::Drop(_) = step.action {
        line.push_str(if step.was_notified {
            " (woken, not yet run) -> cancelled"
        } else {
            " -> cancelled"
        });
    } else {
        let _ = write!(line, " -> {}", show_result(&step.outcome.result));
    }
    if let Some((list, place)) = step.outcome.waits_at {
        let role = list.role();
        let _ = write!(line, ", waits as {role} #{place}");
    }
    if !step.outcome.woken.is_empty() {
        let _ = write!(line, "; wakes {}", show_tasks(&step.outcome.woken));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_strings_round_trip() {
        let text = "lifo maxsize=1 | put 1, put 2 | get, task_done @ p0 p0 s0 f0 p1 d0 p1";
        let replay = Replay::parse(text).unwrap();
        assert_eq!(replay.schedule.len(), 7);
        assert_eq!(replay.to_string(), text);
        assert_eq!(Replay::parse(&replay.to_string()).unwrap(), replay);
    }

    #[test]
    fn bad_replay_strings_say_why() {
        assert!(Replay::parse("fifo | get")
            .unwrap_err()
            .to_string()
            .contains('@'));
        assert!(Replay::parse("fifo | get @ x0")
            .unwrap_err()
            .to_string()
            .contains("not an action"));
    }
}
