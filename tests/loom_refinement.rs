//! The generated loom suite: every plan of the simulator's small families,
//! run on loom threads, each execution's ending checked against every
//! ending the reference model allows.
//!
//! The plans are `aioqueue_sim::threads::plan::loom_plans()`: every
//! scenario of 2 tasks x up to 2 operations and of 3 tasks x 1 operation,
//! over the three kinds and maxsize 0 and 1, the operations drawn from
//! every queue operation and from `put`, `get` and `join` marked to be
//! dropped after their first `Pending` (`!pending`) or once woken, before
//! they run again (`!woken`). For each, the set of endings the model allows
//! (`aioqueue_sim::threads::outcome::allowed`) is computed once; then loom
//! runs the plan, one loom thread per task, through every interleaving up
//! to `LOOM_MAX_PREEMPTIONS`, and each execution's ending (every
//! operation's result, the items left, `len`, `unfinished_tasks`,
//! `is_shutdown`) must be in the set.
//!
//! A task that waits parks on a loom `Notify` that only its waker (of its
//! latest poll: wakers of earlier polls are stale) signals. When every task
//! has finished or parks unwoken, the run is quiet, since only a running
//! task can wake another: the last task to stop lets the parked ones go.
//! A task still waiting then is one no wake reached, and it must be one the
//! model lets wait: a lost wakeup is an ending the model does not allow.
//!
//! ```sh
//! LOOM_MAX_PREEMPTIONS=2 RUSTFLAGS="--cfg aioqueue_loom" CARGO_TARGET_DIR=target/loom \
//!     cargo test --release --test loom_refinement -- --nocapture --test-threads=2
//! ```
//!
//! `AIOQUEUE_LOOM_PLANS=TEXT` runs only the plans whose text contains TEXT.
//!
//! The hand-written models of `tests/loom.rs` stay: they assert more of
//! each case (which waker is woken how often, that both sides of a race
//! occurred), and several have more operations per thread than these plans.
#![cfg(aioqueue_loom)]
#![forbid(unsafe_code)]

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Instant;

use aioqueue_sim::scenario::Op;
use aioqueue_sim::subject::{cancel, handed_back_by, shared_subject, take_comparisons};
use aioqueue_sim::threads::outcome::{allowed, End, Ending};
use aioqueue_sim::threads::plan::{loom_plans, Mark, Plan};
use loom::sync::Notify;

/// The most states the model's enumeration of a plan's endings may visit.
const LIMIT: usize = 1_000_000;

/// Set when a plan fails, so that the other shard stops too.
static FAILED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

// ------------------------------------------------------------- the gates

#[derive(Default)]
struct TaskGate {
    epoch: u64,
    woken: bool,
    parked: bool,
}

#[derive(Default)]
struct Bookkeeping {
    running: usize,
    over: bool,
    tasks: Vec<TaskGate>,
}

/// Every task's gate. The bookkeeping is plain data under a std lock: loom
/// runs one thread at a time and switches only at loom operations, so it
/// is never contended, and it adds no interleavings of its own. Only the
/// blocking is loom's (a `Notify` per task), so loom sees who waits on whom.
struct Gates {
    book: std::sync::Mutex<Bookkeeping>,
    signals: Vec<Notify>,
}

impl Gates {
    fn new(tasks: usize) -> Arc<Gates> {
        Arc::new(Gates {
            book: std::sync::Mutex::new(Bookkeeping {
                running: tasks,
                over: false,
                tasks: (0..tasks).map(|_| TaskGate::default()).collect(),
            }),
            signals: (0..tasks).map(|_| Notify::new()).collect(),
        })
    }

    fn book(&self) -> std::sync::MutexGuard<'_, Bookkeeping> {
        self.book.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn fresh_waker(self: &Arc<Self>, task: usize) -> Waker {
        let mut book = self.book();
        let gate = &mut book.tasks[task];
        gate.epoch += 1;
        gate.woken = false;
        Waker::from(Arc::new(EpochWaker {
            gates: Arc::clone(self),
            task,
            epoch: gate.epoch,
        }))
    }

    /// Parks `task` until woken (`true`) or the run is over (`false`).
    fn wait(&self, task: usize) -> bool {
        loop {
            let to_release = {
                let mut book = self.book();
                if std::mem::take(&mut book.tasks[task].woken) {
                    return true;
                }
                if book.over {
                    return false;
                }
                match book.tasks[task].parked {
                    true => Vec::new(),
                    false => {
                        book.tasks[task].parked = true;
                        stop_running(&mut book)
                    }
                }
            };
            self.release(to_release);
            self.signals[task].wait();
        }
    }

    fn finished(&self) {
        let to_release = stop_running(&mut self.book());
        self.release(to_release);
    }

    /// Signals these tasks, with the std lock released: a loom operation
    /// may switch threads, and the next thread may want the lock.
    fn release(&self, tasks: Vec<usize>) {
        for task in tasks {
            self.signals[task].notify();
        }
    }
}

/// The last task to stop running ends the run: nothing can wake the parked
/// ones any more, so they are let go (the tasks to signal are returned).
fn stop_running(book: &mut Bookkeeping) -> Vec<usize> {
    book.running -= 1;
    if book.running > 0 {
        return Vec::new();
    }
    book.over = true;
    (0..book.tasks.len())
        .filter(|&t| book.tasks[t].parked)
        .collect()
}

struct EpochWaker {
    gates: Arc<Gates>,
    task: usize,
    epoch: u64,
}

impl Wake for EpochWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let current = {
            let mut book = self.gates.book();
            let was_parked = {
                let gate = &mut book.tasks[self.task];
                if gate.epoch != self.epoch {
                    return;
                }
                gate.woken = true;
                std::mem::take(&mut gate.parked)
            };
            if was_parked {
                book.running += 1;
            }
            was_parked
        };
        if current {
            self.gates.signals[self.task].notify();
        }
    }
}

// -------------------------------------------------------------- one run

/// What happened, in the order it happened (loom runs one thread at a
/// time, so this is the execution's interleaving at operation level).
type Log = Arc<std::sync::Mutex<Vec<String>>>;

fn note(log: &Log, line: String) {
    log.lock().unwrap_or_else(|e| e.into_inner()).push(line);
}

/// Runs task `t`'s program; its ends in order (the last one `StillWaiting`
/// if it waits when the run is over).
fn run_task(
    subject: &dyn aioqueue_sim::subject::ThreadSubject,
    gates: &Arc<Gates>,
    t: usize,
    program: &[Op],
    marks: &[Mark],
    log: &Log,
) -> Vec<End> {
    let mut ends = Vec::new();
    for (&op, &mark) in program.iter().zip(marks) {
        let mut future = subject.start_send(op, t);
        let end = loop {
            let waker = gates.fresh_waker(t);
            let polled = future.as_mut().poll(&mut Context::from_waker(&waker));
            take_comparisons();
            if let Poll::Ready(result) = polled {
                break End::Done(result);
            }
            note(log, format!("t{t} {op}: Pending"));
            if mark == Mark::DropAfterPending {
                break End::Cancelled;
            }
            if !gates.wait(t) {
                break End::StillWaiting;
            }
            note(log, format!("t{t} {op}: woken"));
            if mark == Mark::DropWhenWoken {
                break End::Cancelled;
            }
        };
        // A cancelled put of an odd task goes through `Put::cancel`, which
        // must hand its item back (docs/semantics.md CANCEL-8).
        let handed_back = match end {
            End::Cancelled => cancel(future, op, t),
            _ => {
                drop(future);
                None
            }
        };
        take_comparisons();
        if let Some(back) = handed_back {
            assert_eq!(back, handed_back_by(op), "t{t}: Put::cancel of `{op}`");
        }
        note(log, format!("t{t} {op} -> {end}"));
        let stop = end == End::StillWaiting;
        ends.push(end);
        if stop {
            return ends;
        }
    }
    gates.finished();
    ends
}

/// One execution of `plan`: its ending.
fn run_plan(plan: &Plan, log: &Log) -> Ending {
    let subject = shared_subject(plan.scenario.kind, plan.scenario.maxsize);
    let tasks = plan.scenario.tasks.len();
    let gates = Gates::new(tasks);
    // The main thread runs task 0 itself: one loom thread fewer.
    let threads: Vec<_> = (1..tasks)
        .map(|t| {
            let (subject, gates, log) = (Arc::clone(&subject), Arc::clone(&gates), Arc::clone(log));
            let program = plan.scenario.tasks[t].clone();
            let marks = plan.marks[t].clone();
            loom::thread::spawn(move || run_task(&*subject, &gates, t, &program, &marks, &log))
        })
        .collect();
    let first = run_task(
        &*subject,
        &gates,
        0,
        &plan.scenario.tasks[0],
        &plan.marks[0],
        log,
    );
    let mut ops: Vec<Vec<End>> = std::iter::once(first)
        .chain(threads.into_iter().map(|h| h.join().unwrap()))
        .collect();
    for (ends, program) in ops.iter_mut().zip(&plan.scenario.tasks) {
        ends.resize(program.len(), End::NotStarted);
    }
    let seen = subject.observe();
    let items_left = subject.drain();
    take_comparisons();
    Ending {
        ops,
        items_left,
        len: seen.len,
        unfinished_tasks: seen.unfinished_tasks,
        shutdown: seen.shutdown,
    }
}

// ----------------------------------------------------------- the suite

/// Checks every plan of shard `shard` of `shards` under loom.
fn check_shard(shard: usize, shards: usize) {
    let only = std::env::var("AIOQUEUE_LOOM_PLANS").ok();
    let plans: Vec<Plan> = loom_plans()
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % shards == shard)
        .map(|(_, plan)| plan)
        .filter(|plan| {
            only.as_ref()
                .map_or(true, |text| plan.to_string().contains(text))
        })
        .collect();
    let bound = loom::model::Builder::new()
        .preemption_bound
        .map_or_else(|| "unbounded".to_string(), |bound| bound.to_string());
    let started = Instant::now();
    let (mut executions, mut most) = (0usize, (0usize, String::new()));
    let (mut endings_total, mut reached_total) = (0, 0);
    for plan in &plans {
        if FAILED.load(Relaxed) {
            return;
        }
        let endings = allowed(plan, LIMIT)
            .unwrap_or_else(|| panic!("{plan}: more than {LIMIT} model states"));
        endings_total += endings.len();
        let reached = Arc::new(std::sync::Mutex::new(BTreeSet::new()));
        let count = Arc::new(AtomicUsize::new(0));
        {
            let (plan, endings) = (plan.clone(), endings.clone());
            let (reached, count) = (Arc::clone(&reached), Arc::clone(&count));
            let model = move || {
                count.fetch_add(1, Relaxed);
                let log: Log = Arc::default();
                let ending = run_plan(&plan, &log);
                if !endings.contains(&ending) {
                    let shown: Vec<String> = endings.iter().map(|e| e.to_string()).collect();
                    panic!(
                        "an ending the model does not allow\nplan: {plan}\nthis execution (loom's interleaving, by operation; LOOM_LOG=trace LOOM_LOCATION=1 for every step):\n  {}\nits ending:\n{ending}\nthe {} endings the model allows:\n{}",
                        log.lock().unwrap_or_else(|e| e.into_inner()).join("\n  "),
                        shown.len(),
                        shown.join("\n\n")
                    );
                }
                reached
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(ending);
            };
            let run = std::panic::AssertUnwindSafe(|| loom::model(model));
            if let Err(panic) = std::panic::catch_unwind(run) {
                FAILED.store(true, Relaxed);
                std::panic::resume_unwind(panic);
            }
        }
        let runs = count.load(Relaxed);
        executions += runs;
        if runs > most.0 {
            most = (runs, plan.to_string());
        }
        let reached = reached.lock().unwrap_or_else(|e| e.into_inner()).len();
        assert!(reached > 0, "{plan}: no execution");
        reached_total += reached;
    }
    println!(
        "loom_refinement shard {shard}/{shards}: {} plans, {reached_total} of the {endings_total} endings the model allows reached, {executions} executions in {:.1} s (max preemptions: {bound}); most executions: {} for `{}`",
        plans.len(),
        started.elapsed().as_secs_f64(),
        most.0,
        most.1
    );
}

#[test]
fn generated_plans_shard_0_of_2() {
    check_shard(0, 2);
}

#[test]
fn generated_plans_shard_1_of_2() {
    check_shard(1, 2);
}
