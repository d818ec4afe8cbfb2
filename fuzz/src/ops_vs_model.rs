//! `ops_vs_model`: a stream of operations, polls and drops on one
//! long-lived queue, checked step by step against the reference model.
//!
//! Input layout:
//!
//! - byte 0: the kind (`% 3`: FIFO, LIFO, priority) and maxsize
//!   (`/ 3 % 9`: 0 = unbounded, up to 8);
//! - byte 1: the number of tasks (`% 3 + 1`);
//! - then commands, one byte each (plus an item byte after a put). The low
//!   two bits name the task (modulo the number of tasks), the high six the
//!   verb: `0..=31` appends an operation to the task's program (a put, get,
//!   `try_*`, `task_done`, `join`, `yield`, or rarely a shutdown) and polls
//!   the task; `32..=47` polls the task (a spurious poll if it waits);
//!   `48..=55` polls it with a new waker; `56..=63` drops its current
//!   future (cancels it).
//!
//! Each task runs its program in order, so an operation starts once the
//! ones appended before it to the same task are done; a command that
//! cannot be taken at its turn is skipped. When the commands run out,
//! every task that can run is run and waiting ones are cancelled, so every
//! program is finished and the end-of-run checks (every item accounted for
//! exactly once, no lost wakeup) are made.

use aioqueue_sim::executor::Action;
use aioqueue_sim::explore::{Scheduler, View};
use aioqueue_sim::runner::{run, RunOptions, RunReport};
use aioqueue_sim::scenario::{Item, Kind, Op, Scenario};

use crate::bytes::Bytes;
use crate::finish;

/// Most operations over all tasks (keeps one run under a millisecond or so).
pub const MAX_OPS: usize = 256;

/// What to do with a task at one point of the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// Poll it: run its next operation or the one it was woken in; if it
    /// waits and was not woken, poll it anyway (spuriously).
    Poll(usize),
    /// Poll it with a new waker (if it waits), else as `Poll`.
    FreshWaker(usize),
    /// Drop its current future, or its next operation's before it starts.
    Drop(usize),
}

/// A decoded input: the queue, the tasks' programs, and the commands.
#[derive(Clone, Debug)]
pub struct Input {
    /// The queue and the programs.
    pub scenario: Scenario,
    /// The commands, in order.
    pub commands: Vec<Command>,
}

/// Decodes any bytes into an input.
pub fn decode(data: &[u8]) -> Input {
    let mut bytes = Bytes::new(data);
    let header = bytes.below(256);
    let kind = Kind::ALL[header % 3];
    let maxsize = header / 3 % 9;
    let tasks = 1 + bytes.below(3);
    let mut programs = vec![Vec::new(); tasks];
    let mut commands = Vec::new();
    let mut ops = 0;
    while let Some(code) = bytes.byte() {
        let task = usize::from(code & 3) % tasks;
        let command = match code >> 2 {
            verb @ 0..=31 => {
                let op = operation(verb, &mut bytes);
                if ops < MAX_OPS {
                    programs[task].push(op);
                    ops += 1;
                }
                Command::Poll(task)
            }
            32..=47 => Command::Poll(task),
            48..=55 => Command::FreshWaker(task),
            _ => Command::Drop(task),
        };
        commands.push(command);
    }
    Input {
        scenario: Scenario {
            kind,
            maxsize,
            tasks: programs,
        }
        .with_tagged_puts(),
        commands,
    }
}

/// The operation of verb `0..=31`: mostly puts and gets, shutdowns rarely
/// (they end the queue's useful life).
fn operation(verb: u8, bytes: &mut Bytes<'_>) -> Op {
    match verb {
        0..=7 => Op::Put(item(bytes)),
        8..=12 => Op::Get,
        // [MANY-1] [MANY-2] [MANY-3] batches of 0 to 3.
        13 => Op::GetMany(count(bytes)),
        14 => Op::TryGetMany(count(bytes)),
        15..=17 => Op::TryPut(item(bytes)),
        18..=20 => Op::TryGet,
        21..=24 => Op::TaskDone,
        25..=27 => Op::Join,
        28 | 29 => Op::Yield,
        30 => Op::Shutdown,
        _ => Op::ShutdownImmediate,
    }
}

/// A batch size, 0 to 3.
fn count(bytes: &mut Bytes<'_>) -> usize {
    usize::from(bytes.byte().unwrap_or(0) % 4)
}

/// The key; equal bytes make items that tie, and the decoder tags every put
/// so that ties can be told apart.
fn item(bytes: &mut Bytes<'_>) -> Item {
    Item::plain(u32::from(bytes.byte().unwrap_or(0)))
}

/// Takes the commands in order, skipping those not possible at their turn;
/// then [`finish`]es the run.
struct Commands<'c> {
    commands: &'c [Command],
    next: usize,
}

impl Scheduler for Commands<'_> {
    fn choose(&mut self, view: &View<'_>) -> Option<usize> {
        let find = |wanted: Action| view.actions.iter().position(|&action| action == wanted);
        while let Some(&command) = self.commands.get(self.next) {
            self.next += 1;
            let choice = match command {
                Command::Poll(t) => find(Action::Poll(t)).or_else(|| find(Action::Spurious(t))),
                Command::FreshWaker(t) => {
                    find(Action::FreshWaker(t)).or_else(|| find(Action::Poll(t)))
                }
                Command::Drop(t) => find(Action::Drop(t)),
            };
            if choice.is_some() {
                return choice;
            }
        }
        finish(view)
    }
}

/// Runs the input on the real queue and the model, comparing every step.
pub fn check(input: &Input) -> RunReport {
    let options = RunOptions {
        max_steps: input.commands.len() + 4 * MAX_OPS + 16,
        // The commands pick the fresh wakers; no bound from the explorer.
        fresh_wakers: u8::MAX,
        ..RunOptions::default()
    };
    let mut scheduler = Commands {
        commands: &input.commands,
        next: 0,
    };
    run(&input.scenario, &mut scheduler, options)
}

/// The fuzz target: panics with the numbered trace and the replay string if
/// the queue and the model part ways.
pub fn fuzz(data: &[u8]) {
    crate::assert_agrees(&check(&decode(data)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use aioqueue_sim::trace::render;

    #[test]
    fn decodes_header_commands_and_items() {
        // priority (2), maxsize 8 (2 + 3 * 8 = 26); 2 tasks; t0 puts 9 and
        // polls, t1 gets, t1 polls, t0 new waker, t1 drop.
        let input = decode(&[26, 1, 0, 9, 33, 129, 192, 225]);
        assert_eq!(
            input.scenario.to_string(),
            "priority maxsize=8 | put 9a | get"
        );
        assert_eq!(
            input.commands,
            [
                Command::Poll(0),
                Command::Poll(1),
                Command::Poll(1),
                Command::FreshWaker(0),
                Command::Drop(1)
            ]
        );
        let report = check(&input);
        assert!(report.failure.is_none(), "{}", render(&report));
        assert_eq!(report.final_state.len, 0, "{}", render(&report));
    }

    #[test]
    fn empty_input_is_a_valid_run() {
        fuzz(&[]);
        fuzz(&[255; 64]);
    }
}
