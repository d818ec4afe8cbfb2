//! Scenarios: a queue (kind and maxsize) and a few tasks, each a short
//! program of queue operations, in a plain-text format that round-trips.
//!
//! ```text
//! fifo maxsize=1 | put 1, get | get, task_done
//! ```
//!
//! The first part names the kind (`fifo`, `lifo`, `priority`) and the
//! maxsize; each further part is one task's program, operations separated by
//! commas. In a file, a newline may stand for `|`, and `#` starts a comment.

use std::fmt;
use std::str::FromStr;

/// An item: a small number, so that traces stay readable.
pub type Item = u32;

/// The ordering discipline under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// `Queue`: first in, first out.
    Fifo,
    /// `LifoQueue`: last in, first out.
    Lifo,
    /// `PriorityQueue`: smallest first.
    Priority,
}

impl Kind {
    /// All three kinds.
    pub const ALL: [Kind; 3] = [Kind::Fifo, Kind::Lifo, Kind::Priority];

    fn name(self) -> &'static str {
        match self {
            Kind::Fifo => "fifo",
            Kind::Lifo => "lifo",
            Kind::Priority => "priority",
        }
    }
}

/// One queue operation in a task's program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    /// `put(v).await`
    Put(Item),
    /// `try_put(v)`
    TryPut(Item),
    /// `get().await`
    Get,
    /// `try_get()`
    TryGet,
    /// `task_done()`
    TaskDone,
    /// `join().await`
    Join,
    /// `shutdown()`
    Shutdown,
    /// `shutdown_immediate()`
    ShutdownImmediate,
    /// Return `Pending` once after waking oneself: a scheduling point.
    Yield,
}

impl Op {
    /// Every operation without an item, and the two with one (given `item`).
    pub fn all_with_item(item: Item) -> [Op; 9] {
        [
            Op::Put(item),
            Op::TryPut(item),
            Op::Get,
            Op::TryGet,
            Op::TaskDone,
            Op::Join,
            Op::Shutdown,
            Op::ShutdownImmediate,
            Op::Yield,
        ]
    }

    /// Whether the operation carries an item.
    pub fn item(self) -> Option<Item> {
        match self {
            Op::Put(item) | Op::TryPut(item) => Some(item),
            _ => None,
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Op::Put(item) => write!(f, "put {item}"),
            Op::TryPut(item) => write!(f, "try_put {item}"),
            Op::Get => f.write_str("get"),
            Op::TryGet => f.write_str("try_get"),
            Op::TaskDone => f.write_str("task_done"),
            Op::Join => f.write_str("join"),
            Op::Shutdown => f.write_str("shutdown"),
            Op::ShutdownImmediate => f.write_str("shutdown_immediate"),
            Op::Yield => f.write_str("yield"),
        }
    }
}

impl FromStr for Op {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Self, ParseError> {
        let mut words = text.split_whitespace();
        let name = words
            .next()
            .ok_or_else(|| ParseError::new("empty operation"))?;
        let item = words.next().map(|word| {
            word.parse::<Item>().map_err(|_| {
                ParseError::new(format!("`{word}` is not an item (a number) in `{text}`"))
            })
        });
        if let Some(extra) = words.next() {
            return Err(ParseError::new(format!("unexpected `{extra}` in `{text}`")));
        }
        let needs_item = |make: fn(Item) -> Op| match &item {
            Some(item) => item.clone().map(make),
            None => Err(ParseError::new(format!(
                "`{name}` needs an item, as in `{name} 1`"
            ))),
        };
        let op = match name {
            "put" => return needs_item(Op::Put),
            "try_put" => return needs_item(Op::TryPut),
            "get" => Op::Get,
            "try_get" => Op::TryGet,
            "task_done" => Op::TaskDone,
            "join" => Op::Join,
            "shutdown" => Op::Shutdown,
            "shutdown_immediate" => Op::ShutdownImmediate,
            "yield" => Op::Yield,
            _ => return Err(ParseError::new(format!("unknown operation `{name}`"))),
        };
        if item.is_some() {
            return Err(ParseError::new(format!("`{name}` takes no item")));
        }
        Ok(op)
    }
}

/// A queue and the programs of the tasks that share it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Scenario {
    /// The ordering discipline.
    pub kind: Kind,
    /// The queue's maxsize (0 = unbounded).
    pub maxsize: usize,
    /// One program per task; task `t` runs `tasks[t]` in order.
    pub tasks: Vec<Vec<Op>>,
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} maxsize={}", self.kind.name(), self.maxsize)?;
        for program in &self.tasks {
            f.write_str(" |")?;
            for (index, op) in program.iter().enumerate() {
                let sep = if index == 0 { " " } else { ", " };
                write!(f, "{sep}{op}")?;
            }
        }
        Ok(())
    }
}

impl FromStr for Scenario {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Self, ParseError> {
        let lines: Vec<&str> = text
            .lines()
            .map(|line| line.split('#').next().unwrap_or("").trim())
            .filter(|line| !line.is_empty())
            .collect();
        let joined = lines.join(" | ");
        let mut parts = joined.split('|').map(str::trim);
        let header = parts.next().unwrap_or("");
        let mut words = header.split_whitespace();
        let kind = match words.next() {
            Some("fifo") => Kind::Fifo,
            Some("lifo") => Kind::Lifo,
            Some("priority") => Kind::Priority,
            other => {
                return Err(ParseError::new(format!(
                    "a scenario starts with `fifo`, `lifo` or `priority`, not `{}`",
                    other.unwrap_or("")
                )))
            }
        };
        let maxsize = match words.next() {
            Some(word) => word
                .strip_prefix("maxsize=")
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| ParseError::new(format!("expected `maxsize=N`, found `{word}`")))?,
            None => 0,
        };
        if let Some(extra) = words.next() {
            return Err(ParseError::new(format!(
                "unexpected `{extra}` after the maxsize"
            )));
        }
        let tasks = parts
            .map(|program| {
                if program.is_empty() {
                    return Ok(Vec::new());
                }
                program.split(',').map(|op| op.trim().parse()).collect()
            })
            .collect::<Result<Vec<Vec<Op>>, ParseError>>()?;
        Ok(Scenario {
            kind,
            maxsize,
            tasks,
        })
    }
}

/// A scenario or schedule that does not parse, with what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError(String);

impl ParseError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ParseError(message.into())
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let text = "priority maxsize=2 | put 3, try_put 1, get | try_get, task_done, join | shutdown, shutdown_immediate, yield";
        let scenario: Scenario = text.parse().unwrap();
        assert_eq!(scenario.tasks.len(), 3);
        assert_eq!(scenario.to_string(), text);
    }

    #[test]
    fn file_form_with_comments_and_newlines() {
        let file = "# two tasks\nlifo maxsize=1\nput 1, put 2   # producer\nget\n";
        let scenario: Scenario = file.parse().unwrap();
        assert_eq!(scenario.to_string(), "lifo maxsize=1 | put 1, put 2 | get");
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let err = "fifo maxsize=1 | put".parse::<Scenario>().unwrap_err();
        assert!(err.to_string().contains("needs an item"), "{err}");
        let err = "stack | get".parse::<Scenario>().unwrap_err();
        assert!(err.to_string().contains("fifo"), "{err}");
        let err = "fifo | get 3".parse::<Scenario>().unwrap_err();
        assert!(err.to_string().contains("takes no item"), "{err}");
    }
}
