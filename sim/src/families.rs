//! Bounded families of scenarios, explored exhaustively: every combination
//! of short programs for a few tasks, for each kind and maxsize.
//!
//! Tasks are interchangeable (every schedule is explored), so a family holds
//! each multiset of programs once. Puts carry distinct items whose order
//! differs from the order of the puts, so that FIFO, LIFO and priority
//! orders can be told apart.

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
    /// The operations to draw from (items in them are replaced).
    pub alphabet: Vec<Op>,
    /// Kinds to cover.
    pub kinds: Vec<Kind>,
    /// Maxsizes to cover.
    pub maxsizes: Vec<usize>,
}

/// Every operation but `yield` (which adds schedules, not behaviours).
pub fn queue_ops() -> Vec<Op> {
    Op::all_with_item(0)
        .into_iter()
        .filter(|op| *op != Op::Yield)
        .collect()
}

/// The families `cargo test` explores exhaustively (kept under a few minutes).
pub fn test_families() -> Vec<Family> {
    vec![
        Family {
            name: "2 tasks x up to 2 ops",
            fixed: Vec::new(),
            tasks: 2,
            min_ops: 1,
            max_ops: 2,
            alphabet: queue_ops(),
            kinds: Kind::ALL.to_vec(),
            maxsizes: vec![0, 1],
        },
        Family {
            name: "3 tasks x 1 op",
            fixed: Vec::new(),
            tasks: 3,
            min_ops: 1,
            max_ops: 1,
            alphabet: queue_ops(),
            kinds: Kind::ALL.to_vec(),
            maxsizes: vec![0, 1],
        },
        Family {
            name: "3 getters + 1 x 1-3 ops",
            fixed: vec![vec![Op::Get]; 3],
            tasks: 1,
            min_ops: 1,
            max_ops: 3,
            alphabet: vec![Op::Put(0), Op::Get, Op::TryGet, Op::ShutdownImmediate],
            kinds: vec![Kind::Fifo],
            maxsizes: vec![0],
        },
        Family {
            name: "3 putters + 1 x 1-3 ops",
            fixed: vec![vec![Op::Put(0)]; 3],
            tasks: 1,
            min_ops: 1,
            max_ops: 3,
            alphabet: vec![Op::Put(0), Op::Get, Op::TryGet, Op::Shutdown],
            kinds: vec![Kind::Fifo],
            maxsizes: vec![1],
        },
    ]
}

/// One task that puts items and gets them back, in two patterns, for every
/// order of five distinct items, a few with repeats, and 100 shuffles of
/// nine: the orderings (`ORDER-1..3`) with more items than the families
/// hold (the interleaved pattern uses the first five). Polls only.
pub fn order_scenarios() -> Vec<Scenario> {
    let mut orders: Vec<Vec<Item>> = permutations(&[1, 2, 3, 4, 5]);
    orders.extend([
        vec![2, 1, 2, 1, 3],
        vec![3, 3, 1, 1, 2],
        vec![5, 5, 5, 4, 4],
    ]);
    // Deeper heaps: 100 shuffles of nine items (fixed seed).
    let mut rng = crate::explore::SplitMix64::new(9);
    for _ in 0..100 {
        let mut items: Vec<Item> = (1..=9).collect();
        for i in (1..items.len()).rev() {
            items.swap(i, rng.below(i + 1));
        }
        orders.push(items);
    }
    let mut out = Vec::new();
    for kind in Kind::ALL {
        for items in &orders {
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

fn permutations(items: &[Item]) -> Vec<Vec<Item>> {
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
    families[0] = Family {
        name: "2 tasks x up to 3 ops",
        max_ops: 3,
        ..families[0].clone()
    };
    families
}

/// `explore --large`: the default families, and 3 tasks of 2 operations.
pub fn large_families() -> Vec<Family> {
    let mut families = default_families();
    families.push(Family {
        name: "3 tasks x up to 2 ops",
        fixed: Vec::new(),
        tasks: 3,
        min_ops: 1,
        max_ops: 2,
        alphabet: queue_ops(),
        kinds: Kind::ALL.to_vec(),
        maxsizes: vec![0, 1],
    });
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
                    out.push(with_items(Scenario {
                        kind,
                        maxsize,
                        tasks: self.fixed.iter().chain(picked).cloned().collect(),
                    }));
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

/// Gives the puts of a scenario distinct items, not in ascending order.
fn with_items(mut scenario: Scenario) -> Scenario {
    const ITEMS: [Item; 8] = [2, 1, 3, 5, 4, 7, 6, 8];
    let mut next = 0;
    for op in scenario.tasks.iter_mut().flatten() {
        let item = ITEMS[next % ITEMS.len()] + 10 * (next / ITEMS.len()) as Item;
        match op {
            Op::Put(value) | Op::TryPut(value) => {
                *value = item;
                next += 1;
            }
            _ => {}
        }
    }
    scenario
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_multisets_once() {
        let family = Family {
            name: "t",
            fixed: Vec::new(),
            tasks: 2,
            min_ops: 1,
            max_ops: 1,
            alphabet: vec![Op::Get, Op::Put(0), Op::Join],
            kinds: vec![Kind::Fifo],
            maxsizes: vec![0],
        };
        // 3 programs, multisets of 2: 3 * 4 / 2 = 6.
        assert_eq!(family.scenarios().len(), 6);
    }

    #[test]
    fn puts_get_distinct_items() {
        let scenario = with_items("fifo | put 0, put 0 | try_put 0".parse().unwrap());
        assert_eq!(
            scenario.to_string(),
            "fifo maxsize=0 | put 2, put 1 | try_put 3"
        );
    }
}
