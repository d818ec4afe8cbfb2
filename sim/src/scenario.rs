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
//!
//! An item is a priority and an optional one-letter tag that comparisons
//! ignore (`put 1a`, `put 1b`, `put 3`), so that two items can tie, as
//! Python objects whose `__lt__` looks at a priority field only.

use std::fmt;
use std::str::FromStr;

/// An item: a priority `key`, and a `tag` that comparisons ignore (so that
/// equal items can still be told apart). Written `1a`, or `1` without a tag.
///
/// `Eq`, `Ord` and `Hash` look at both fields (for sorting and maps); the
/// priority order of the queue looks at the key alone ([`Item::less`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Item {
    /// The priority: what `PriorityQueue` compares.
    pub key: u32,
    /// A lower-case letter, or `None`; never compared by the queue.
    pub tag: Option<char>,
}

impl Item {
    /// An item without a tag.
    pub const fn plain(key: u32) -> Item {
        Item { key, tag: None }
    }

    /// An item with a tag.
    pub const fn tagged(key: u32, tag: char) -> Item {
        Item {
            key,
            tag: Some(tag),
        }
    }

    /// The one question a priority queue asks: is `self < other`, by key?
    pub fn less(&self, other: &Item) -> bool {
        self.key < other.key
    }
}

impl From<u32> for Item {
    fn from(key: u32) -> Item {
        Item::plain(key)
    }
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.key)?;
        match self.tag {
            Some(tag) => write!(f, "{tag}"),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Item {
    type Err = ParseError;

    /// `1`, `12`, `1a`: digits, then at most one lower-case letter.
    fn from_str(word: &str) -> Result<Item, ParseError> {
        let digits = word.trim_end_matches(|c: char| c.is_ascii_lowercase());
        let tag = &word[digits.len()..];
        let bad = || {
            ParseError::new(format!(
                "`{word}` is not an item: a number, then at most one letter (`1`, `1a`)"
            ))
        };
        let key = digits.parse().map_err(|_| bad())?;
        let mut letters = tag.chars();
        match (letters.next(), letters.next()) {
            (None, _) => Ok(Item::plain(key)),
            (Some(tag), None) => Ok(Item::tagged(key, tag)),
            _ => Err(bad()),
        }
    }
}

/// A task's number: `t0` is the first task of a scenario.
pub type TaskIndex = usize;

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
    /// `get_many(max).await`
    GetMany(usize),
    /// `try_get_many(max)`
    TryGetMany(usize),
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
    /// `tasks[n].cancel()`: asks for task `n`'s current operation to be
    /// cancelled. Under the asyncio scheduler it is delivered as asyncio
    /// delivers `Task.cancel()`; the other schedulers explore every drop of
    /// every future anyway, so there it does nothing by itself.
    Cancel(TaskIndex),
}

impl Op {
    /// Every operation without an item or a task, and the two with an item
    /// (given `item`).
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

    /// Whether the operation is a future that can wait in a list: `put`,
    /// `get`, `get_many` and `join`.
    pub fn can_wait(self) -> bool {
        matches!(self, Op::Put(_) | Op::Get | Op::GetMany(_) | Op::Join)
    }

    /// Whether the operation is a future that can wait in the getters.
    pub fn is_waiting_get(self) -> bool {
        matches!(self, Op::Get | Op::GetMany(_))
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
            Op::GetMany(max) => write!(f, "get_many {max}"),
            Op::TryGetMany(max) => write!(f, "try_get_many {max}"),
            Op::TaskDone => f.write_str("task_done"),
            Op::Join => f.write_str("join"),
            Op::Shutdown => f.write_str("shutdown"),
            Op::ShutdownImmediate => f.write_str("shutdown_immediate"),
            Op::Yield => f.write_str("yield"),
            Op::Cancel(task) => write!(f, "cancel {task}"),
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
        let argument = words.next();
        if let Some(extra) = words.next() {
            return Err(ParseError::new(format!("unexpected `{extra}` in `{text}`")));
        }
        let item = || match argument {
            Some(word) => word.parse::<Item>(),
            None => Err(ParseError::new(format!(
                "`{name}` needs an item, as in `{name} 1` or `{name} 1a`"
            ))),
        };
        let op = match name {
            "put" => return item().map(Op::Put),
            "try_put" => return item().map(Op::TryPut),
            "get_many" | "try_get_many" => {
                return match argument.map(str::parse) {
                    Some(Ok(max)) if name == "get_many" => Ok(Op::GetMany(max)),
                    Some(Ok(max)) => Ok(Op::TryGetMany(max)),
                    _ => Err(ParseError::new(format!(
                        "`{name}` needs a count, as in `{name} 2`, in `{text}`"
                    ))),
                }
            }
            "cancel" => {
                return match argument.map(str::parse) {
                    Some(Ok(task)) => Ok(Op::Cancel(task)),
                    _ => Err(ParseError::new(format!(
                        "`cancel` needs a task number, as in `cancel 1`, in `{text}`"
                    ))),
                }
            }
            "get" => Op::Get,
            "try_get" => Op::TryGet,
            "task_done" => Op::TaskDone,
            "join" => Op::Join,
            "shutdown" => Op::Shutdown,
            "shutdown_immediate" => Op::ShutdownImmediate,
            "yield" => Op::Yield,
            _ => return Err(ParseError::new(format!("unknown operation `{name}`"))),
        };
        if argument.is_some() {
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
        let scenario = Scenario {
            kind,
            maxsize,
            tasks,
        };
        scenario.check_cancels()?;
        Ok(scenario)
    }
}

impl Scenario {
    /// The same scenario, each put's item tagged `a`, `b`, ... (then `a`
    /// again after `z`) in the order the puts are written, task by task:
    /// equal keys stay equal for the queue, and traces still tell them
    /// apart.
    pub fn with_tagged_puts(mut self) -> Scenario {
        for (item, tag) in self.put_items_mut().zip(('a'..='z').cycle()) {
            item.tag = Some(tag);
        }
        self
    }

    /// The items of every `put` and `try_put`, in the order they are
    /// written, task by task.
    pub fn put_items_mut(&mut self) -> impl Iterator<Item = &mut Item> {
        self.tasks.iter_mut().flatten().filter_map(|op| match op {
            Op::Put(item) | Op::TryPut(item) => Some(item),
            _ => None,
        })
    }

    /// `cancel N` must name another task of the scenario: asyncio's
    /// `Task.cancel()` of the running task itself has no counterpart here.
    fn check_cancels(&self) -> Result<(), ParseError> {
        for (task, program) in self.tasks.iter().enumerate() {
            for op in program {
                if let Op::Cancel(target) = *op {
                    if target == task || target >= self.tasks.len() {
                        return Err(ParseError::new(format!(
                            "t{task}: `{op}` must name another task (0..{})",
                            self.tasks.len()
                        )));
                    }
                }
            }
        }
        Ok(())
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
        let err = "fifo | put 1ab".parse::<Scenario>().unwrap_err();
        assert!(err.to_string().contains("`1ab`"), "{err}");
        let err = "fifo | put a1".parse::<Scenario>().unwrap_err();
        assert!(err.to_string().contains("`a1`"), "{err}");
        let err = "fifo | get | cancel 1".parse::<Scenario>().unwrap_err();
        assert!(err.to_string().contains("another task"), "{err}");
        let err = "fifo | get | cancel x".parse::<Scenario>().unwrap_err();
        assert!(err.to_string().contains("task number"), "{err}");
    }

    #[test]
    fn items_with_tags_round_trip() {
        let text = "priority maxsize=0 | put 1a, put 1b, try_put 12 | cancel 0, get";
        let scenario: Scenario = text.parse().unwrap();
        assert_eq!(scenario.tasks[0][0], Op::Put(Item::tagged(1, 'a')));
        assert_eq!(scenario.tasks[0][2], Op::TryPut(Item::plain(12)));
        assert_eq!(scenario.tasks[1][0], Op::Cancel(0));
        assert_eq!(scenario.to_string(), text);
        assert!(Item::tagged(1, 'b').less(&Item::plain(2)));
        assert!(!Item::tagged(1, 'b').less(&Item::tagged(1, 'a')));
    }
}
