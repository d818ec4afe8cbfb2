//! `schedules`: a small scenario and a schedule for the simulator, given as
//! choice indices over every action its executor can take at each step.
//!
//! Input layout:
//!
//! - byte 0: the kind (`% 3`) and maxsize (`/ 3 % 4`: 0 to 3);
//! - byte 1: the number of tasks (`% 4 + 1`); bit `0x10` set turns off
//!   spurious polls and re-polls with a new waker, bit `0x20` set turns off
//!   cancellations (so that zeros leave both on), bit `0x40` set runs the
//!   `aioqueue::local` queue instead of the thread-safe one;
//! - per task: a length byte (`% 4 + 1` operations), then one byte per
//!   operation: `% 9` picks the operation (put, try_put, get, try_get,
//!   task_done, join, shutdown, shutdown_immediate, yield), `/ 9 % 8 + 1`
//!   its item;
//! - every further byte is a choice: index `byte % n` among the `n` actions
//!   possible at that step (polls, spurious polls, fresh wakers, drops, in
//!   the executor's fixed order).
//!
//! When the choices run out, the run is [`finish`]ed.

use aioqueue_sim::explore::{Scheduler, View};
use aioqueue_sim::runner::{run, RunOptions, RunReport};
use aioqueue_sim::scenario::{Item, Kind, Op, Scenario};
use aioqueue_sim::subject::LockKind;

use crate::bytes::Bytes;
use crate::finish;

/// A decoded input.
#[derive(Clone, Debug)]
pub struct Input {
    /// The queue and the programs.
    pub scenario: Scenario,
    /// Which actions a run may take.
    pub options: RunOptions,
    /// One choice per step, while they last.
    pub choices: Vec<u8>,
}

/// Decodes any bytes into an input.
pub fn decode(data: &[u8]) -> Input {
    let mut bytes = Bytes::new(data);
    let header = bytes.below(256);
    let kind = Kind::ALL[header % 3];
    let maxsize = header / 3 % 4;
    let shape = bytes.below(256);
    let tasks = 1 + shape % 4;
    let options = RunOptions {
        spurious: shape & 0x10 == 0,
        cancel: shape & 0x20 == 0,
        // LOCAL-1: the local queue is judged as the thread-safe one is.
        lock: if shape & 0x40 == 0 {
            LockKind::Shared
        } else {
            LockKind::Local
        },
        ..RunOptions::default()
    };
    let programs = (0..tasks)
        .map(|_| {
            let len = 1 + bytes.below(4);
            (0..len)
                .map(|_| {
                    let code = bytes.below(256);
                    // Eight keys: items often tie (tagged below).
                    let item = Item::plain((code / 9 % 8 + 1) as u32);
                    Op::all_with_item(item)[code % 9]
                })
                .collect()
        })
        .collect();
    Input {
        scenario: Scenario {
            kind,
            maxsize,
            tasks: programs,
        }
        .with_tagged_puts(),
        options,
        choices: bytes.rest().to_vec(),
    }
}

/// Takes `choice % n` at each step while choices last, then [`finish`]es.
struct Choices<'c> {
    choices: std::slice::Iter<'c, u8>,
}

impl Scheduler for Choices<'_> {
    fn choose(&mut self, view: &View<'_>) -> Option<usize> {
        match self.choices.next() {
            Some(&choice) => Some(usize::from(choice) % view.actions.len()),
            None => finish(view),
        }
    }
}

/// Runs the input on the real queue and the model, comparing every step.
pub fn check(input: &Input) -> RunReport {
    let mut scheduler = Choices {
        choices: input.choices.iter(),
    };
    run(&input.scenario, &mut scheduler, input.options)
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
    fn decodes_scenario_options_and_choices() {
        // fifo maxsize 1 (3); 2 tasks, cancellations off (0x21); t0: get
        // (2); t1: put 2 (9 = put, item 9 / 9 % 8 + 1 = 2); choices 1, 0.
        let input = decode(&[3, 0x21, 0, 2, 0, 9, 1, 0]);
        assert_eq!(input.scenario.to_string(), "fifo maxsize=1 | get | put 2a");
        assert!(input.options.spurious);
        assert!(!input.options.cancel);
        assert_eq!(input.options.lock, LockKind::Shared);
        assert_eq!(input.choices, [1, 0]);
        // The same with bit 0x40: the local queue, with the same results.
        let local = decode(&[3, 0x61, 0, 2, 0, 9, 1, 0]);
        assert_eq!(local.options.lock, LockKind::Local);
        assert_eq!(check(&local).results, check(&input).results);
        let report = check(&input);
        assert!(report.failure.is_none(), "{}", render(&report));
        assert_eq!(
            report.results[0],
            [Some(aioqueue_sim::model::OpResult::Item(Item::tagged(
                2, 'a'
            )))]
        );
    }

    #[test]
    fn any_bytes_decode_to_a_run() {
        fuzz(&[]);
        fuzz(&[255; 40]);
        fuzz(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    }
}
