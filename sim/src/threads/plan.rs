//! Plans: a scenario whose waiting operations may be marked to be cancelled
//! at a point, as a thread or a task on a real runtime cancels them.
//!
//! ```text
//! fifo maxsize=1 | put 1a, get!pending | get!woken | join!timeout
//! ```
//!
//! `!pending`: the future is dropped right after its first `Pending`;
//! `!woken`: it is dropped after it was woken, before it is polled again;
//! `!timeout`: it is dropped when a deadline passes, woken or not (stress
//! only: loom has no clock). Only `put`, `get` and `join` wait, so only they
//! take a mark.

use std::fmt;
use std::str::FromStr;

use crate::explore::SplitMix64;
use crate::families::{with_items, Family, Items};
use crate::scenario::{Item, Kind, Op, ParseError, Scenario};

/// When an operation's future is dropped, if it has to wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mark {
    /// Never: it is polled until it finishes.
    Run,
    /// Right after its first `Pending`.
    DropAfterPending,
    /// After it is woken, before it is polled again.
    DropWhenWoken,
    /// When a deadline passes while it waits (woken or not).
    Timeout,
}

impl Mark {
    fn suffix(self) -> &'static str {
        match self {
            Mark::Run => "",
            Mark::DropAfterPending => "!pending",
            Mark::DropWhenWoken => "!woken",
            Mark::Timeout => "!timeout",
        }
    }
}

/// A scenario and, for each operation, when its future is dropped.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Plan {
    /// The queue and the tasks' programs (no `yield`, no `cancel`).
    pub scenario: Scenario,
    /// `marks[t][i]` is the mark of `scenario.tasks[t][i]`.
    pub marks: Vec<Vec<Mark>>,
}

impl Plan {
    /// The scenario with no operation marked.
    pub fn unmarked(scenario: Scenario) -> Plan {
        let marks = scenario
            .tasks
            .iter()
            .map(|p| vec![Mark::Run; p.len()])
            .collect();
        Plan { scenario, marks }
    }

    /// The mark of task `t`'s operation `index` (`Run` past the end).
    pub fn mark(&self, task: usize, index: usize) -> Mark {
        self.marks[task].get(index).copied().unwrap_or(Mark::Run)
    }

    /// Number of operations in all.
    pub fn op_count(&self) -> usize {
        self.scenario.tasks.iter().map(Vec::len).sum()
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.scenario;
        write!(
            f,
            "{}",
            Scenario {
                tasks: Vec::new(),
                ..s.clone()
            }
        )?;
        for (t, program) in s.tasks.iter().enumerate() {
            f.write_str(" |")?;
            for (i, op) in program.iter().enumerate() {
                let sep = if i == 0 { " " } else { ", " };
                write!(f, "{sep}{op}{}", self.mark(t, i).suffix())?;
            }
        }
        Ok(())
    }
}

impl FromStr for Plan {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Plan, ParseError> {
        let mut marks: Vec<Vec<Mark>> = Vec::new();
        let mut plain = String::new();
        for (t, part) in text.split('|').enumerate() {
            if t > 0 {
                plain.push('|');
                marks.push(Vec::new());
                for (i, op) in part.split(',').enumerate() {
                    if op.trim().is_empty() {
                        continue;
                    }
                    let (op, mark) = match op.split_once('!') {
                        None => (op, Mark::Run),
                        Some((op, mark)) => (
                            op,
                            match mark.trim() {
                                "pending" => Mark::DropAfterPending,
                                "woken" => Mark::DropWhenWoken,
                                "timeout" => Mark::Timeout,
                                other => {
                                    return Err(ParseError::new(format!(
                                    "unknown mark `!{other}`: `!pending`, `!woken` or `!timeout`"
                                )))
                                }
                            },
                        ),
                    };
                    if i > 0 {
                        plain.push(',');
                    }
                    plain.push_str(op);
                    marks[t - 1].push(mark);
                }
            } else {
                plain.push_str(part);
            }
        }
        let scenario: Scenario = plain.parse()?;
        for (t, program) in scenario.tasks.iter().enumerate() {
            for (i, &op) in program.iter().enumerate() {
                if matches!(op, Op::Yield | Op::Cancel(_)) {
                    return Err(ParseError::new(format!(
                        "t{t}: `{op}` has no place in a plan (threads cancel by marks)"
                    )));
                }
                if marks[t][i] != Mark::Run && !op.can_wait() {
                    return Err(ParseError::new(format!(
                        "t{t}: `{op}` never waits, so it takes no mark"
                    )));
                }
            }
        }
        Ok(Plan { scenario, marks })
    }
}

/// The operations of the generated loom suite: every queue operation, and
/// `put`, `get` and `join` also marked `!pending` and `!woken`.
fn loom_alphabet() -> Vec<(Op, Mark)> {
    let mut alphabet: Vec<(Op, Mark)> = crate::families::queue_ops()
        .into_iter()
        .map(|op| (op, Mark::Run))
        .collect();
    for op in [Op::Put(Item::plain(0)), Op::Get, Op::Join] {
        alphabet.push((op, Mark::DropAfterPending));
        alphabet.push((op, Mark::DropWhenWoken));
    }
    alphabet
}

/// The plans of the generated loom suite (`tests/loom_refinement.rs`): the
/// simulator's two small families, "2 tasks x up to 2 ops" and "3 tasks x
/// 1 op", over every kind and maxsize 0 and 1, with the marked operations
/// of [`loom_alphabet`] added to their alphabet. Tasks are interchangeable,
/// so each multiset of programs appears once.
pub fn loom_plans() -> Vec<Plan> {
    let alphabet = loom_alphabet();
    // A family over indices into the alphabet: each `TryPut(Item(i))` stands
    // for alphabet entry `i`, so the family's multisets carry the marks.
    let placeholders: Vec<Op> = (0..alphabet.len())
        .map(|i| Op::TryPut(Item::plain(i as u32)))
        .collect();
    let families = [
        Family::new("2 tasks x up to 2 ops", 2, 1..=2, placeholders.clone()),
        Family::new("3 tasks x 1 op", 3, 1..=1, placeholders),
    ];
    let mut plans = Vec::new();
    for family in families {
        for shape in family.keys_as_given().scenarios() {
            let mut plan = Plan {
                scenario: Scenario {
                    tasks: Vec::new(),
                    ..shape.clone()
                },
                marks: Vec::new(),
            };
            for program in &shape.tasks {
                let (ops, marks): (Vec<Op>, Vec<Mark>) = program
                    .iter()
                    .map(|op| match op {
                        Op::TryPut(index) => alphabet[index.key as usize],
                        _ => unreachable!("placeholders are try_puts"),
                    })
                    .unzip();
                plan.scenario.tasks.push(ops);
                plan.marks.push(marks);
            }
            plan.scenario = with_items(plan.scenario, Items::Mixed);
            plans.push(plan);
        }
    }
    plans
}

/// A random plan for `stress`: 1 to `max_tasks` tasks of 1 to `max_ops`
/// operations (no `yield`, no `cancel`; batch gets of 2), any kind, maxsize 0 to 3; a third
/// of the waiting operations marked, the marks equally likely.
pub fn random_plan(rng: &mut SplitMix64, max_tasks: usize, max_ops: usize) -> Plan {
    let kind = Kind::ALL[rng.below(Kind::ALL.len())];
    let maxsize = rng.below(4);
    // [MANY-1] [MANY-2] batch gets race the rest on real threads too.
    let mut ops = crate::families::queue_ops();
    ops.extend([Op::GetMany(2), Op::TryGetMany(2)]);
    let marks = [Mark::DropAfterPending, Mark::DropWhenWoken, Mark::Timeout];
    let mut plan = Plan {
        scenario: Scenario {
            kind,
            maxsize,
            tasks: Vec::new(),
        },
        marks: Vec::new(),
    };
    for _ in 0..1 + rng.below(max_tasks) {
        let length = 1 + rng.below(max_ops);
        let program: Vec<Op> = (0..length)
            .map(|_| match ops[rng.below(ops.len())] {
                Op::Put(_) => Op::Put(Item::plain(rng.below(4) as u32)),
                Op::TryPut(_) => Op::TryPut(Item::plain(rng.below(4) as u32)),
                op => op,
            })
            .collect();
        let program_marks = program
            .iter()
            .map(|&op| match op.can_wait() && rng.below(3) == 0 {
                true => marks[rng.below(marks.len())],
                false => Mark::Run,
            })
            .collect();
        plan.scenario.tasks.push(program);
        plan.marks.push(program_marks);
    }
    plan.scenario = plan.scenario.with_tagged_puts();
    plan
}

/// A plan aimed at the narrow window between a getter that keeps finding
/// the queue empty and a putter that comes late: a consumer of 2 to 4
/// `get`s, a producer of as many `put`s, maxsize 0 or 1, and sometimes a
/// third task of one random operation.
pub fn meeting_plan(rng: &mut SplitMix64) -> Plan {
    let n = 2 + rng.below(3);
    let puts = (0..n).map(|_| Op::Put(Item::plain(rng.below(3) as u32)));
    let mut tasks = vec![vec![Op::Get; n], puts.collect()];
    if rng.below(2) == 0 {
        let ops = crate::families::queue_ops();
        tasks.push(vec![ops[rng.below(ops.len())]]);
    }
    Plan::unmarked(
        Scenario {
            kind: Kind::ALL[rng.below(Kind::ALL.len())],
            maxsize: rng.below(2),
            tasks,
        }
        .with_tagged_puts(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_with_marks() {
        let text = "priority maxsize=1 | put 1a!pending, get | join!woken, get!timeout | shutdown";
        let plan: Plan = text.parse().unwrap();
        assert_eq!(plan.marks[0], vec![Mark::DropAfterPending, Mark::Run]);
        assert_eq!(plan.marks[1], vec![Mark::DropWhenWoken, Mark::Timeout]);
        assert_eq!(plan.to_string(), text);
    }

    #[test]
    fn marks_only_on_waiting_operations() {
        let err = "fifo | try_get!pending".parse::<Plan>().unwrap_err();
        assert!(err.to_string().contains("takes no mark"), "{err}");
        let err = "fifo | get!later".parse::<Plan>().unwrap_err();
        assert!(err.to_string().contains("unknown mark"), "{err}");
        let err = "fifo | get | cancel 0".parse::<Plan>().unwrap_err();
        assert!(err.to_string().contains("no place"), "{err}");
    }

    #[test]
    fn loom_plans_cover_both_families_with_every_mark() {
        let plans = loom_plans();
        let alphabet = loom_alphabet().len();
        let programs = alphabet + alphabet * alphabet;
        let per_queue =
            programs * (programs + 1) / 2 + alphabet * (alphabet + 1) * (alphabet + 2) / 6;
        assert_eq!(plans.len(), per_queue * 3 * 2);
        let text: Vec<String> = plans.iter().map(Plan::to_string).collect();
        // Among them, those of two hand-written models of tests/loom.rs.
        for covered in [
            "lifo maxsize=1 | get!woken | put 2a!pending, join",
            "fifo maxsize=1 | put 2a | get",
            "fifo maxsize=0 | try_put 2a | get | get!woken",
            "fifo maxsize=0 | try_put 2a | get | get!pending",
        ] {
            assert!(text.contains(&covered.to_string()), "{covered}");
        }
        for plan in &plans {
            assert_eq!(plan.to_string().parse::<Plan>().as_ref(), Ok(plan));
        }
    }
}
