//! Bounded families of scenarios, explored exhaustively: every combination
//! of short programs for a few tasks, for each kind and maxsize.
//!
//! Tasks are interchangeable (every schedule is explored), so a family holds
//! each multiset of programs once. Puts carry items whose keys differ from
//! the order of the puts, some of them equal, each with its own tag: FIFO,
//! LIFO and priority orders can be told apart, and so can `heapq`'s order
//! among equal items.

use crate::runner::RunOptions;
use crate::scenario::{Item, Kind, Op, Scenario};

/// A family: `tasks` tasks, each with `min_ops..=max_ops` operations drawn
/// from `alphabet`, for every kind and maxsize listed.
#[derive(Clone, Debug)]
pub struct Family {
    /// A short name for reports.
    pub name: &'static str,
    /// Tasks every scenario of the family has first (e.g. a crowd of
    /// waiting getters), before the varying ones.
    pub fixed: Vec<Vec<Op>>,
    /// Number of varying tasks.
    pub tasks: usize,
    /// Fewest operations per task.
    pub min_ops: usize,
    /// Most operations per task.
    pub max_ops: usize,
    /// The operations to draw from.
    pub alphabet: Vec<Op>,
    /// Kinds to cover.
    pub kinds: Vec<Kind>,
    /// Maxsizes to cover.
    pub maxsizes: Vec<usize>,
    /// How the puts get their items.
    pub items: Items,
    /// The options every scenario is explored with (spurious polls, fresh
    /// wakers, quiet polls told apart, drops).
    pub options: RunOptions,
}

/// How the puts of a family's scenarios get their items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Items {
    /// Keys from a fixed mix (some equal, not ascending), tags `a`, `b`, ...
    /// in the order of the puts; the alphabet's items are placeholders.
    Mixed,
    /// The alphabet's keys as they are, tags `a`, `b`, ... in put order:
    /// for families built around ties.
    KeysAsGiven,
}

impl Family {
    /// A family of `tasks` varying tasks of `ops` operations each, drawn
    /// from `alphabet`, over every kind, maxsize 0 and 1, mixed items.
    pub fn new(
        name: &'static str,
        tasks: usize,
        ops: std::ops::RangeInclusive<usize>,
        alphabet: Vec<Op>,
    ) -> Family {
        Family {
            name,
            fixed: Vec::new(),
            tasks,
            min_ops: *ops.start(),
            max_ops: *ops.end(),
            alphabet,
            kinds: Kind::ALL.to_vec(),
            maxsizes: vec![0, 1],
            items: Items::Mixed,
            options: RunOptions::default(),
        }
    }

    /// The same family, explored with fresh wakers and quiet polls bounded
    /// at `fresh_wakers` and `quiet_polls` per wait (crowds of waiters
    /// multiply every per-wait choice).
    pub fn per_wait(mut self, fresh_wakers: u8, quiet_polls: u8) -> Family {
        self.options.fresh_wakers = fresh_wakers;
        self.options.quiet_polls = quiet_polls;
        self
    }

    /// The same family under another name.
    pub fn named(mut self, name: &'static str) -> Family {
        self.name = name;
        self
    }

    /// The same family, with these tasks first in every scenario.
    pub fn with_fixed(mut self, fixed: Vec<Vec<Op>>) -> Family {
        self.fixed = fixed;
        self
    }

    /// The same family, for these kinds only.
    pub fn kinds(mut self, kinds: &[Kind]) -> Family {
        self.kinds = kinds.to_vec();
        self
    }

    /// The same family, for these maxsizes only.
    pub fn maxsizes(mut self, maxsizes: &[usize]) -> Family {
        self.maxsizes = maxsizes.to_vec();
        self
    }

    /// The same family, its puts keeping the alphabet's keys.
    pub fn keys_as_given(mut self) -> Family {
        self.items = Items::KeysAsGiven;
        self
    }
}

/// A put of a placeholder item (the family gives it its item).
const PUT: Op = Op::Put(Item::plain(0));

/// Every operation but `yield` and `cancel` (which add schedules, not
/// behaviours, when every drop of every future is explored anyway).
pub fn queue_ops() -> Vec<Op> {
    Op::all_with_item(Item::plain(0))
        .into_iter()
        .filter(|op| *op != Op::Yield)
        .collect()
}

/// The families `cargo test` explores exhaustively (kept to a few minutes
/// on 2 cores). Per wait, the small families offer two fresh wakers and
/// tell two quiet polls apart; the crowds, where every per-wait choice is
/// multiplied by the waiters, one fresh waker, and (FIFO) one quiet poll.
pub fn test_families() -> Vec<Family> {
    // Three waiting getters: who is woken (docs/semantics.md WAKE-1), who
    // waits again at the back (GET-3, TRYGET-4), who passes a wakeup on
    // (CANCEL-2, CANCEL-3, STATE-13), and shutdown_immediate's order (SHUT-6).
    let crowd_of_getters = Family::new(
        "3 getters + 1 x 1-3 ops",
        1,
        1..=3,
        vec![PUT, Op::Get, Op::TryGet, Op::ShutdownImmediate],
    )
    .with_fixed(vec![vec![Op::Get]; 3])
    .maxsizes(&[0]);
    // Three waiting putters: PUT-3, PUT-4, CANCEL-3, SHUT-3, STATE-14.
    let crowd_of_putters = Family::new(
        "3 putters + 1 x 1-3 ops",
        1,
        1..=3,
        vec![PUT, Op::Get, Op::TryGet, Op::Shutdown],
    )
    .with_fixed(vec![vec![PUT]; 3])
    .maxsizes(&[1]);
    vec![
        // Every operation against every other, with spurious polls and
        // fresh wakers in every wait (POLL-3, POLL-4, WAKE-5) and the
        // model's invariants after every step (STATE-9, STATE-10, STATE-11).
        Family::new("2 tasks x up to 2 ops", 2, 1..=2, queue_ops()).maxsizes(&[0, 1, 2]),
        Family::new("3 tasks x 1 op", 3, 1..=1, queue_ops()),
        crowd_of_getters.clone().kinds(&[Kind::Fifo]).per_wait(1, 1),
        crowd_of_getters
            .named("3 getters + 1 x 1-3 ops, LIFO and priority")
            .kinds(&[Kind::Lifo, Kind::Priority])
            .per_wait(1, 0),
        crowd_of_putters.clone().kinds(&[Kind::Fifo]).per_wait(1, 1),
        crowd_of_putters
            .named("3 putters + 1 x 1-3 ops, LIFO and priority")
            .kinds(&[Kind::Lifo, Kind::Priority])
            .per_wait(1, 0),
        // DONE-2, JOIN-1, JOIN-2, JOIN-3, CANCEL-5, STATE-12.
        Family::new(
            "3 tasks x up to 2 ops of put, get, task_done, join",
            3,
            1..=2,
            vec![PUT, Op::Get, Op::TaskDone, Op::Join],
        )
        .kinds(&[Kind::Fifo])
        .per_wait(1, 0),
        tie_family().per_wait(1, 0),
        // MANY-1, MANY-2, MANY-3: batch gets against puts, a shutdown, and
        // one another, over every kind.
        Family::new(
            "batch gets: 2 tasks x up to 3 ops",
            2,
            1..=3,
            vec![PUT, Op::GetMany(2), Op::TryGetMany(2), Op::Shutdown],
        )
        .per_wait(1, 0),
        // MANY-2: one batch wakes one waiting putter per item it takes.
        Family::new(
            "batch gets + 2 waiting putters: 1 x 1-2 ops",
            1,
            1..=2,
            vec![Op::GetMany(2), Op::TryGetMany(3), Op::Get, Op::Shutdown],
        )
        .with_fixed(vec![vec![PUT, PUT], vec![PUT], vec![PUT]])
        .maxsizes(&[2])
        .per_wait(1, 0),
    ]
}

/// `PriorityQueue` with ties: two tasks putting keys 0 and 1 (mostly equal)
/// and getting, with waiting getters woken by puts of equal items
/// (docs/semantics.md ORDER-3).
pub fn tie_family() -> Family {
    Family::new(
        "ties: 2 tasks x up to 3 ops",
        2,
        1..=3,
        vec![
            Op::Put(Item::plain(1)),
            Op::Put(Item::plain(0)),
            Op::Get,
            Op::ShutdownImmediate,
        ],
    )
    .kinds(&[Kind::Priority])
    .keys_as_given()
}

/// One task, up to `max_ops` puts of keys 0, 1 and 2 and gets, every
/// program: heaps of ties built and popped in every order. Polls only
/// (one task has one schedule); the CPython oracle runs it too.
pub fn tie_programs(max_ops: usize) -> Family {
    Family::new(
        "ties: 1 task x up to 6 ops",
        1,
        1..=max_ops,
        vec![
            Op::Put(Item::plain(1)),
            Op::Put(Item::plain(0)),
            Op::Put(Item::plain(2)),
            Op::Get,
            Op::ShutdownImmediate,
        ],
    )
    .kinds(&[Kind::Priority])
    .maxsizes(&[0])
    .keys_as_given()
}

/// One task that puts items and gets them back, in two patterns, for every
/// order of five distinct keys, every order of five keys with ties (five
/// equal, and 1,1,1,2,2), a few more with repeats, and 100 shuffles of nine
/// keys, a third of them equal to another: the orderings (`ORDER-1..3`) with
/// more items than the families hold (the interleaved pattern uses the
/// first five), and pops that descend through several levels of ties. Each
/// put's item is tagged `a`, `b`, ... in put order. Polls only.
pub fn order_scenarios() -> Vec<Scenario> {
    let mut orders: Vec<Vec<u32>> = permutations(&[1, 2, 3, 4, 5]);
    orders.extend(distinct_orders(&[1, 1, 1, 2, 2]));
    orders.extend([
        vec![1, 1, 1, 1, 1],
        vec![2, 1, 2, 1, 3],
        vec![3, 3, 1, 1, 2],
        vec![5, 5, 5, 4, 4],
    ]);
    // Deeper heaps: 100 shuffles of nine keys, 1 to 9 or with ties (fixed seed).
    let mut rng = crate::explore::SplitMix64::new(9);
    for shuffle in 0..100 {
        let mut keys: Vec<u32> = (1..=9)
            .map(|k| if shuffle % 2 == 0 { k } else { k / 3 })
            .collect();
        for i in (1..keys.len()).rev() {
            keys.swap(i, rng.below(i + 1));
        }
        orders.push(keys);
    }
    let mut out = Vec::new();
    for kind in Kind::ALL {
        for keys in &orders {
            let items: Vec<Item> = keys
                .iter()
                .zip('a'..)
                .map(|(&key, tag)| Item::tagged(key, tag))
                .collect();
            let all_then_gets: Vec<Op> = items
                .iter()
                .map(|&i| Op::Put(i))
                .chain(std::iter::repeat_n(Op::Get, items.len()))
                .collect();
            let interleaved = vec![
                Op::Put(items[0]),
                Op::Put(items[1]),
                Op::TryGet,
                Op::Put(items[2]),
                Op::Put(items[3]),
                Op::Get,
                Op::Put(items[4]),
                Op::TryGet,
                Op::Get,
                Op::ShutdownImmediate,
            ];
            let mut programs = vec![all_then_gets, interleaved];
            if items.len() == 9 {
                // Pushes into a heap that pops have reshaped: the pattern
                // that exposes a sift-up comparing with the wrong parent.
                let mut next = items.iter().peekable();
                programs.push(
                    "PPPPGPPGPPGPGGGGG"
                        .chars()
                        .map(|step| match (step, next.next_if(|_| step == 'P')) {
                            (_, Some(&item)) => Op::Put(item),
                            _ => Op::Get,
                        })
                        .collect(),
                );
            }
            for program in programs {
                out.push(Scenario {
                    kind,
                    maxsize: 0,
                    tasks: vec![program],
                });
            }
        }
    }
    out
}

/// Every distinct order of `keys` (a multiset).
fn distinct_orders(keys: &[u32]) -> Vec<Vec<u32>> {
    let mut all = permutations(keys);
    all.sort_unstable();
    all.dedup();
    all
}

fn permutations(items: &[u32]) -> Vec<Vec<u32>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for (index, &first) in items.iter().enumerate() {
        let mut rest = items.to_vec();
        rest.remove(index);
        for mut tail in permutations(&rest) {
            tail.insert(0, first);
            out.push(tail);
        }
    }
    out
}

/// The families the command-line explorer covers by default: every pair of
/// programs of up to 3 operations, and 3 tasks of 1 operation.
pub fn default_families() -> Vec<Family> {
    let mut families = test_families();
    // Programs of three operations: one fresh waker per wait and no quiet
    // poll told apart, or the family would take hours.
    families[0] = Family::new("2 tasks x up to 3 ops", 2, 1..=3, queue_ops())
        .maxsizes(&[0, 1, 2])
        .per_wait(1, 0);
    families
}

/// `explore --large`: the default families, and 3 tasks of 2 operations.
pub fn large_families() -> Vec<Family> {
    let mut families = default_families();
    families.push(Family::new("3 tasks x up to 2 ops", 3, 1..=2, queue_ops()));
    families
}

impl Family {
    /// Every scenario of the family, in a fixed order.
    pub fn scenarios(&self) -> Vec<Scenario> {
        let programs = self.programs();
        let mut out = Vec::new();
        let mut chosen = Vec::with_capacity(self.tasks);
        for &kind in &self.kinds {
            for &maxsize in &self.maxsizes {
                multisets(&programs, self.tasks, 0, &mut chosen, &mut |picked| {
                    out.push(with_items(
                        Scenario {
                            kind,
                            maxsize,
                            tasks: self.fixed.iter().chain(picked).cloned().collect(),
                        },
                        self.items,
                    ));
                });
            }
        }
        out
    }

    /// Every program of `min_ops..=max_ops` operations.
    fn programs(&self) -> Vec<Vec<Op>> {
        let mut all = Vec::new();
        let mut layer: Vec<Vec<Op>> = vec![Vec::new()];
        for length in 1..=self.max_ops {
            layer = layer
                .iter()
                .flat_map(|prefix| {
                    self.alphabet.iter().map(move |op| {
                        let mut program = prefix.clone();
                        program.push(*op);
                        program
                    })
                })
                .collect();
            if length >= self.min_ops {
                all.extend(layer.iter().cloned());
            }
        }
        all
    }
}

/// Calls `emit` with every multiset of `size` programs (indices non-decreasing).
fn multisets(
    programs: &[Vec<Op>],
    size: usize,
    start: usize,
    chosen: &mut Vec<Vec<Op>>,
    emit: &mut dyn FnMut(&[Vec<Op>]),
) {
    if chosen.len() == size {
        emit(chosen);
        return;
    }
    for index in start..programs.len() {
        chosen.push(programs[index].clone());
        multisets(programs, size, index, chosen, emit);
        chosen.pop();
    }
}

/// Gives the puts of a scenario their items: tags `a`, `b`, ... in put
/// order, and keys from a fixed mix (not ascending, some equal) or as given.
pub fn with_items(mut scenario: Scenario, items: Items) -> Scenario {
    const KEYS: [u32; 8] = [2, 1, 1, 3, 2, 0, 1, 2];
    if items == Items::Mixed {
        for (index, item) in scenario.put_items_mut().enumerate() {
            item.key = KEYS[index % KEYS.len()] + 10 * (index / KEYS.len()) as u32;
        }
    }
    scenario.with_tagged_puts()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_multisets_once() {
        let family = Family::new("t", 2, 1..=1, vec![Op::Get, PUT, Op::Join])
            .kinds(&[Kind::Fifo])
            .maxsizes(&[0]);
        // 3 programs, multisets of 2: 3 * 4 / 2 = 6.
        assert_eq!(family.scenarios().len(), 6);
    }

    #[test]
    fn puts_get_tagged_items_some_equal() {
        let text = "fifo | put 0, put 0 | try_put 0";
        let scenario = with_items(text.parse().unwrap(), Items::Mixed);
        assert_eq!(
            scenario.to_string(),
            "fifo maxsize=0 | put 2a, put 1b | try_put 1c"
        );
        let scenario = with_items(
            "priority | put 1, put 0 | put 1".parse().unwrap(),
            Items::KeysAsGiven,
        );
        assert_eq!(
            scenario.to_string(),
            "priority maxsize=0 | put 1a, put 0b | put 1c"
        );
    }
}
