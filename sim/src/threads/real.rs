//! Runs a plan on real threads: one OS thread per task, or one tokio task
//! per task on a `multi_thread` runtime. Each task runs its program with
//! the jitter of the run's mode, records every operation on the run's
//! clock, and parks on its [`Gate`] while it waits. When the run has gone
//! quiet, the tasks that still wait are recorded as such and let go, and
//! the queue's state is read.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Barrier, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use crate::explore::SplitMix64;
use crate::scenario::Op;
use crate::subject::{
    cancel, handed_back_by, shared_subject, take_comparisons, SendOpFuture, ThreadSubject,
};

use super::gate::{Gate, Run, Wait};
use super::history::{History, OpRecord};
use super::outcome::{End, Ending};
use super::plan::{Mark, Plan};

/// Where the tasks run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runtime {
    /// One OS thread per task, all released together.
    Threads,
    /// One task each on tokio's `multi_thread` runtime.
    Tokio,
}

/// How a run perturbs its tasks' timing, to make narrow races meet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// No perturbation.
    Plain,
    /// A random spin of 0 to 63 hints before each operation.
    Spin,
    /// A yield to the scheduler before half the operations.
    Yield,
    /// One task, at one operation, spins long (0 to 4095 hints): a PCT-like
    /// priority change that lets the others run ahead.
    Delay,
    /// A spin as in `Spin`, and every `Pending` followed at once by a poll
    /// with a new waker that nobody asked for, as `select!` or `join!` poll
    /// a future whose sibling was woken (not for operations marked to be
    /// dropped after their first `Pending` or once woken: that poll would
    /// not be the one their mark says).
    Repoll,
    /// A long random spin (0 to 16,383 hints) before each operation, so
    /// that whole operations of different tasks come in different orders.
    Stagger,
}

impl Mode {
    /// Every mode, in the order runs cycle through them.
    pub const ALL: [Mode; 6] = [
        Mode::Plain,
        Mode::Spin,
        Mode::Yield,
        Mode::Delay,
        Mode::Repoll,
        Mode::Stagger,
    ];
}

/// A task's part of a run.
struct TaskRun {
    task: usize,
    gate: Arc<Gate>,
    records: Mutex<Vec<OpRecord>>,
    /// Before which operation, and how long, this task spins (`Delay`).
    delay: Option<(usize, u32)>,
    seed: u64,
}

impl TaskRun {
    fn push(&self, record: OpRecord) {
        self.records
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(record);
    }

    fn records(&self) -> Vec<OpRecord> {
        self.records
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// How long a run may take before it counts as a hang.
const PATIENCE: Duration = Duration::from_secs(10);

/// Runs `plan` once on `runtime` (tokio's given as `tokio`). A run that
/// does not go quiet within the watchdog's patience is a hang: its record
/// is printed and the process exits with a failure, since stuck threads
/// cannot be joined.
pub fn run_once(
    plan: &Plan,
    runtime: Runtime,
    tokio: &tokio::runtime::Runtime,
    mode: Mode,
    seed: u64,
) -> History {
    let subject = shared_subject(plan.scenario.kind, plan.scenario.maxsize);
    let tasks = plan.scenario.tasks.len();
    let run = Run::new(tasks);
    let mut rng = SplitMix64::new(seed);
    let delayed = rng.below(tasks.max(1));
    let parts: Vec<Arc<TaskRun>> = (0..tasks)
        .map(|t| {
            Arc::new(TaskRun {
                task: t,
                gate: Gate::new(&run),
                records: Mutex::new(Vec::new()),
                delay: (mode == Mode::Delay && t == delayed).then(|| {
                    let ops = plan.scenario.tasks[t].len().max(1);
                    (rng.below(ops), rng.below(4096) as u32)
                }),
                seed: rng.next_u64(),
            })
        })
        .collect();
    match runtime {
        Runtime::Threads => std::thread::scope(|scope| {
            let start = Arc::new(Barrier::new(tasks));
            for (t, part) in parts.iter().enumerate() {
                let (subject, run, start) = (&*subject, &run, Arc::clone(&start));
                let program = &plan.scenario.tasks[t];
                let marks = &plan.marks[t];
                scope.spawn(move || {
                    start.wait();
                    block_on(run_task(subject, run, part, program, marks, mode, false));
                });
            }
            if !run.wait_quiet(PATIENCE) {
                hang_exit(plan, &parts);
            }
            parts.iter().for_each(|p| p.gate.abort());
        }),
        Runtime::Tokio => {
            let handles: Vec<_> = parts
                .iter()
                .enumerate()
                .map(|(t, part)| {
                    let (subject, run, part) =
                        (Arc::clone(&subject), Arc::clone(&run), Arc::clone(part));
                    let program = plan.scenario.tasks[t].clone();
                    let marks = plan.marks[t].clone();
                    tokio.spawn(async move {
                        run_task(&*subject, &run, &part, &program, &marks, mode, true).await;
                    })
                })
                .collect();
            if !run.wait_quiet(PATIENCE) {
                hang_exit(plan, &parts);
            }
            parts.iter().for_each(|p| p.gate.abort());
            tokio.block_on(async {
                for handle in handles {
                    if let Err(error) = handle.await {
                        std::panic::resume_unwind(error.into_panic());
                    }
                }
            });
        }
    }
    let tasks: Vec<Vec<OpRecord>> = parts.iter().map(|p| p.records()).collect();
    let seen = subject.observe();
    let items_left = subject.drain();
    take_comparisons();
    let ops = tasks
        .iter()
        .zip(&plan.scenario.tasks)
        .map(|(records, program)| {
            let mut ends: Vec<End> = records.iter().map(|r| r.end.clone()).collect();
            ends.resize(program.len(), End::NotStarted);
            ends
        })
        .collect();
    History {
        tasks,
        ending: Ending {
            ops,
            items_left,
            len: seen.len,
            unfinished_tasks: seen.unfinished_tasks,
            shutdown: seen.shutdown,
        },
    }
}

/// Prints what the stuck run recorded and exits: its threads cannot be
/// joined, so the process cannot go on.
fn hang_exit(plan: &Plan, parts: &[Arc<TaskRun>]) -> ! {
    eprintln!(
        "stress: HANG: the run did not go quiet within {PATIENCE:?}\nplan: {plan}\nrecorded so far:"
    );
    for (t, part) in parts.iter().enumerate() {
        eprintln!("  t{t}: {:?}", part.records());
    }
    eprintln!("stress: a hang is a violation");
    std::process::exit(1)
}

/// The jitter before operation `index` of a task.
fn jitter(part: &TaskRun, rng: &mut SplitMix64, mode: Mode, index: usize) -> Option<bool> {
    let spins = match mode {
        Mode::Plain => 0,
        Mode::Spin | Mode::Repoll => rng.below(64) as u32,
        Mode::Stagger => rng.below(16_384) as u32,
        Mode::Yield => return Some(rng.below(2) == 0),
        Mode::Delay => part
            .delay
            .filter(|&(at, _)| at == index)
            .map_or(0, |(_, spins)| spins),
    };
    for _ in 0..spins {
        std::hint::spin_loop();
    }
    None
}

/// The deadline of an operation marked `!timeout`: 0 to 63 microseconds.
fn deadline(mark: Mark, rng: &mut SplitMix64) -> Option<Instant> {
    (mark == Mark::Timeout).then(|| Instant::now() + Duration::from_micros(rng.below(64) as u64))
}

/// One operation's bookkeeping while it runs.
struct InProgress {
    invoked: u64,
    pendings: u32,
}

impl InProgress {
    fn finish(self, run: &Run, end: End, woken_when_dropped: bool) -> OpRecord {
        OpRecord {
            invoked: self.invoked,
            returned: (end != End::StillWaiting).then(|| run.tick()),
            end,
            pendings: self.pendings,
            woken_when_dropped,
        }
    }
}

/// What a wait means for an operation of this mark: go on polling, or end
/// (and whether it had been woken, for a drop).
fn after_wait(wait: Wait, mark: Mark, gate: &Gate) -> Option<(End, bool)> {
    match (wait, mark) {
        (Wait::Woken, Mark::DropWhenWoken) => Some((End::Cancelled, true)),
        (Wait::TimedOut, _) => Some((End::Cancelled, gate.is_woken())),
        (Wait::Woken, _) => None,
        (Wait::Aborted, _) => Some((End::StillWaiting, false)),
    }
}

/// Records the operation, then drops its future (a drop is part of a
/// cancelled operation, before its response; a task that still waits is
/// let go after the run, outside the history).
fn finish(
    run: &Run,
    part: &TaskRun,
    op: Op,
    future: SendOpFuture<'_>,
    op_run: InProgress,
    end: End,
    woken: bool,
) {
    match end {
        End::StillWaiting => {
            part.push(op_run.finish(run, end, false));
            drop(future);
        }
        End::Cancelled => {
            let task = part.task;
            let handed_back = cancel(future, op, task);
            take_comparisons();
            part.push(op_run.finish(run, end, woken));
            // [CANCEL-8] checked where it happens: a history has no room
            // for it, and a panic fails the run with this message.
            if let Some(back) = handed_back {
                assert_eq!(
                    back,
                    handed_back_by(op),
                    "t{task}: Put::cancel of `{op}` handed back {back:?}"
                );
            }
        }
        _ => {
            drop(future);
            take_comparisons();
            part.push(op_run.finish(run, end.clone(), woken));
        }
    }
}

/// Runs a task's program; on OS threads under [`block_on`], on tokio as a
/// task. `on_tokio`: in `Yield` mode it yields to tokio, not to the OS.
async fn run_task(
    subject: &dyn ThreadSubject,
    run: &Run,
    part: &TaskRun,
    program: &[Op],
    marks: &[Mark],
    mode: Mode,
    on_tokio: bool,
) {
    // A task that panics (a failed check) stops running, so that the run
    // goes quiet and the panic reaches the caller instead of the watchdog.
    struct StopOnPanic<'r>(&'r Run);
    impl Drop for StopOnPanic<'_> {
        fn drop(&mut self) {
            if std::thread::panicking() {
                self.0.stop_running();
            }
        }
    }
    let _stop_on_panic = StopOnPanic(run);
    let mut rng = SplitMix64::new(part.seed);
    for (index, (&op, &mark)) in program.iter().zip(marks).enumerate() {
        if jitter(part, &mut rng, mode, index) == Some(true) {
            match on_tokio {
                true => YieldOnce(false).await,
                false => std::thread::yield_now(),
            }
        }
        let deadline = deadline(mark, &mut rng);
        let mut op_run = InProgress {
            invoked: run.tick(),
            pendings: 0,
        };
        let mut future = subject.start_send(op, part.task);
        let mut repoll = false;
        let (end, woken) = loop {
            let waker = part.gate.fresh_waker();
            let polled = future.as_mut().poll(&mut Context::from_waker(&waker));
            take_comparisons();
            if let Poll::Ready(result) = polled {
                break (End::Done(result), false);
            }
            // A poll nobody asked for is not a wait of its own.
            op_run.pendings += u32::from(!repoll);
            if mark == Mark::DropAfterPending {
                break (End::Cancelled, part.gate.is_woken());
            }
            repoll = mode == Mode::Repoll && !repoll && !matches!(mark, Mark::DropWhenWoken);
            if repoll {
                continue;
            }
            let wait = std::future::poll_fn(|cx| part.gate.poll_wait(cx, deadline)).await;
            if let Some(ended) = after_wait(wait, mark, &part.gate) {
                break ended;
            }
        };
        let stop = end == End::StillWaiting;
        finish(run, part, op, future, op_run, end, woken);
        if stop {
            return;
        }
    }
    run.stop_running();
}

/// Runs a future on this thread, parking it while the future waits.
fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = std::task::Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}

/// Returns `Pending` once, waking itself: a yield to the runtime.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if std::mem::replace(&mut self.0, true) {
            return Poll::Ready(());
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
