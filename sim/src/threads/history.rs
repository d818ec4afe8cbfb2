//! What a run on real threads records: each operation's invocation and
//! response on one shared clock, how it ended, and the queue's state at the
//! end; and the history drawn as a timeline (text, and SVG).

use std::fmt::Write as _;

use super::outcome::{End, Ending};
use super::plan::Plan;

/// One operation as it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpRecord {
    /// The clock just before its future was made.
    pub invoked: u64,
    /// The clock just after it returned or its future was dropped; `None`
    /// if it still waits at the end.
    pub returned: Option<u64>,
    /// How it ended (`Done`, `Cancelled` or `StillWaiting`).
    pub end: End,
    /// How many times it returned `Pending`.
    pub pendings: u32,
    /// Whether it had been woken when its future was dropped.
    pub woken_when_dropped: bool,
}

/// A run's record: per task, its operations in program order (those after
/// one that still waits are missing: they never started).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct History {
    /// `tasks[t][i]`: task `t`'s operation `i`.
    pub tasks: Vec<Vec<OpRecord>>,
    /// The queue at the end, and every operation's end.
    pub ending: Ending,
}

impl History {
    /// Number of operations that started.
    pub fn len(&self) -> usize {
        self.tasks.iter().map(Vec::len).sum()
    }

    /// Whether no operation started.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The history as a timeline, one event per line in clock order.
    pub fn timeline(&self, plan: &Plan) -> String {
        let mut events: Vec<(u64, String)> = Vec::new();
        for (t, records) in self.tasks.iter().enumerate() {
            for (i, record) in records.iter().enumerate() {
                let op = plan.scenario.tasks[t][i];
                let mark = plan.mark(t, i);
                events.push((record.invoked, format!("t{t} invokes {op} ({mark:?})")));
                if let Some(at) = record.returned {
                    events.push((
                        at,
                        format!(
                            "t{t} {op} -> {} after {} Pending(s){}",
                            record.end,
                            record.pendings,
                            match record.woken_when_dropped {
                                true => ", woken when dropped",
                                false => "",
                            }
                        ),
                    ));
                }
            }
        }
        events.sort();
        let mut out = String::new();
        for (at, text) in events {
            let _ = writeln!(out, "  {at:>4}  {text}");
        }
        let _ = write!(out, "ending:\n{}", self.ending);
        out
    }

    /// The history as an SVG: a row per task, a bar per operation from its
    /// invocation to its response (to the right edge if it still waits).
    pub fn svg(&self, plan: &Plan) -> String {
        let last = self
            .tasks
            .iter()
            .flatten()
            .map(|r| r.returned.unwrap_or(r.invoked))
            .max()
            .unwrap_or(0)
            + 2;
        let (width, row) = (1000.0, 40.0);
        let x = |at: u64| 10.0 + (at as f64) * (width - 20.0) / (last as f64);
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{}\" font-family=\"monospace\" font-size=\"11\">\n",
            row * (self.tasks.len() as f64 + 1.0)
        );
        let _ = writeln!(
            out,
            "<text x=\"10\" y=\"14\">{}</text>",
            escape(&plan.to_string())
        );
        for (t, records) in self.tasks.iter().enumerate() {
            let y = row * (t as f64 + 1.0);
            for (i, record) in records.iter().enumerate() {
                let (from, to) = (x(record.invoked), x(record.returned.unwrap_or(last)));
                let fill = match record.end {
                    End::Done(_) => "#9cd",
                    End::Cancelled => "#fc9",
                    _ => "#f99",
                };
                let label = format!("t{t} {} -> {}", plan.scenario.tasks[t][i], record.end);
                let _ = writeln!(
                    out,
                    "<rect x=\"{from:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\" stroke=\"#333\"/>\n<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                    (to - from).max(2.0),
                    row - 16.0,
                    from + 2.0,
                    y + 14.0,
                    escape(&label)
                );
            }
        }
        out.push_str("</svg>\n");
        out
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
