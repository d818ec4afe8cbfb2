//! The checker's own tests: deliberately wrong queues, each the real one
//! with one thing broken, and the step at which the checker must report it.
//! A checker that let one of them pass would be blind to that kind of bug.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use aioqueue::Queue;
use aioqueue_sim::explore::replay::ReplayScheduler;
use aioqueue_sim::model::{Observation, OpResult};
use aioqueue_sim::runner::{run_on, Divergence, RunOptions};
use aioqueue_sim::scenario::{Item, Op};
use aioqueue_sim::subject::{InFlight, OpFuture, Ranked, Subject};
use aioqueue_sim::trace::{render, Replay};

/// The one thing a [`Broken`] queue gets wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    /// A woken getter's wake is swallowed.
    MissingWake,
    /// Every wake of a getter is made twice.
    ExtraWake,
    /// A getter keeps the first waker it was polled with, ignoring new ones.
    StaleWaker,
    /// A getter registers the waker of the getter polled before it.
    WrongTask,
    /// A getter polled again while waiting goes to the back of the line.
    RequeueOnSpuriousPoll,
    /// A put reports success and drops its item.
    LostItem,
    /// A get returns its item and puts a copy back.
    DuplicatedItem,
    /// `len` is one too many once an item was put.
    WrongLen,
    /// `unfinished_tasks` is one too many once an item was put.
    WrongUnfinished,
    /// `waiting_joiners` is never above zero.
    WrongJoiners,
    /// A getter dropped after it was woken does not pass its wakeup on.
    NoPassOn,
    /// `shutdown` does not wake the waiting putters.
    ShutdownForgetsPutters,
}

/// The real FIFO queue, with `fault`.
struct Broken {
    queue: Queue<Ranked>,
    fault: Fault,
    /// The waker the last getter was polled with (for `WrongTask`).
    last_getter_waker: std::sync::Mutex<Option<Waker>>,
    /// Set once `shutdown` ran (for `ShutdownForgetsPutters`).
    shut: Arc<std::sync::atomic::AtomicBool>,
    /// Items put so far (for the count faults).
    puts: std::sync::atomic::AtomicUsize,
}

impl Broken {
    fn new(maxsize: usize, fault: Fault) -> Self {
        Broken {
            queue: Queue::new(maxsize),
            fault,
            last_getter_waker: std::sync::Mutex::new(None),
            shut: Arc::default(),
            puts: std::sync::atomic::AtomicUsize::new(0),
        }
    }
}

/// A waker that stands for another: it forwards none, one or two wakes,
/// or none once `mute` is set.
struct Proxy {
    inner: Waker,
    times: usize,
    mute: Option<Arc<std::sync::atomic::AtomicBool>>,
}

impl Wake for Proxy {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let muted = self
            .mute
            .as_ref()
            .is_some_and(|mute| mute.load(std::sync::atomic::Ordering::SeqCst));
        if !muted {
            for _ in 0..self.times {
                self.inner.wake_by_ref();
            }
        }
    }
}

fn proxy(inner: &Waker, times: usize, mute: Option<Arc<std::sync::atomic::AtomicBool>>) -> Waker {
    Waker::from(Arc::new(Proxy {
        inner: inner.clone(),
        times,
        mute,
    }))
}

/// A getter or putter of a [`Broken`] queue: the real future, polled with
/// a waker the fault chooses.
struct Tampered<'q> {
    owner: &'q Broken,
    op: Op,
    inner: Option<OpFuture<'q>>,
    first_waker: Option<Waker>,
    polled: bool,
    woken: Arc<std::sync::atomic::AtomicBool>,
}

impl Future for Tampered<'_> {
    type Output = OpResult;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<OpResult> {
        let this = &mut *self;
        let fault = this.owner.fault;
        if fault == Fault::RequeueOnSpuriousPoll
            && this.polled
            && this.inner.as_ref().and_then(|f| f.place()).is_some()
        {
            // Start over: the old registration leaves, a new one goes last.
            this.inner = Some(this.owner.queue.start(this.op));
        }
        this.polled = true;
        let waker = match (fault, this.op) {
            (Fault::MissingWake, Op::Get) => proxy(cx.waker(), 0, None),
            (Fault::ExtraWake, Op::Get) => proxy(cx.waker(), 2, None),
            (Fault::StaleWaker, Op::Get) => this
                .first_waker
                .get_or_insert_with(|| cx.waker().clone())
                .clone(),
            (Fault::WrongTask, Op::Get) => {
                let mut last = this.owner.last_getter_waker.lock().unwrap();
                let previous = last.replace(cx.waker().clone());
                previous.unwrap_or_else(|| cx.waker().clone())
            }
            (Fault::NoPassOn, Op::Get) => {
                // Remembers that it was woken, to misbehave when dropped.
                let woken = Arc::clone(&this.woken);
                Waker::from(Arc::new(Flagging {
                    inner: cx.waker().clone(),
                    woken,
                }))
            }
            (Fault::ShutdownForgetsPutters, Op::Put(_)) => {
                proxy(cx.waker(), 1, Some(Arc::clone(&this.owner.shut)))
            }
            _ => cx.waker().clone(),
        };
        let inner = this.inner.as_mut().expect("polled after completion");
        let result = inner.as_mut().poll(&mut Context::from_waker(&waker));
        if result.is_ready() {
            this.inner = None;
        }
        result
    }
}

impl InFlight for Tampered<'_> {
    fn place(&self) -> Option<usize> {
        self.inner.as_ref().and_then(|f| f.place())
    }

    fn cancel(self: Pin<Box<Self>>) -> Option<Item> {
        let mut this = Pin::into_inner(self);
        if this.owner.fault == Fault::NoPassOn
            && this.woken.load(std::sync::atomic::Ordering::SeqCst)
        {
            // The same fault as a drop's (below): the item goes with it.
            return None;
        }
        this.inner.take().and_then(|inner| inner.cancel())
    }
}

impl Drop for Tampered<'_> {
    fn drop(&mut self) {
        if self.owner.fault == Fault::NoPassOn
            && self.woken.load(std::sync::atomic::Ordering::SeqCst)
        {
            // Never tells the queue it is gone: no pass-on.
            if let Some(inner) = self.inner.take() {
                std::mem::forget(inner);
            }
        }
    }
}

/// A waker that records that it was woken, then forwards the wake.
struct Flagging {
    inner: Waker,
    woken: Arc<std::sync::atomic::AtomicBool>,
}

impl Wake for Flagging {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, std::sync::atomic::Ordering::SeqCst);
        self.inner.wake_by_ref();
    }
}

impl Subject for Broken {
    fn start(&self, op: Op) -> OpFuture<'_> {
        match (self.fault, op) {
            (Fault::LostItem, Op::Put(_)) => {
                return Box::pin(Done(Some(OpResult::Ok)));
            }
            (Fault::DuplicatedItem, Op::TryGet) => {
                return Box::pin(Done(Some(match self.queue.try_get() {
                    Ok(item) => {
                        let _ = self.queue.try_put(item);
                        OpResult::Item(item.0)
                    }
                    Err(_) => OpResult::Empty,
                })));
            }
            (Fault::ShutdownForgetsPutters, Op::Shutdown) => {
                self.shut.store(true, std::sync::atomic::Ordering::SeqCst);
            }
            (_, Op::Put(_) | Op::TryPut(_)) => {
                self.puts.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            _ => {}
        }
        Box::pin(Tampered {
            owner: self,
            op,
            inner: Some(self.queue.start(op)),
            first_waker: None,
            polled: false,
            woken: Arc::default(),
        })
    }

    fn observe(&self) -> Observation {
        let mut seen = self.queue.observe();
        let put = usize::from(self.puts.load(std::sync::atomic::Ordering::Relaxed) > 0);
        match self.fault {
            Fault::WrongLen => seen.len += put,
            Fault::WrongUnfinished => seen.unfinished_tasks += put,
            Fault::WrongJoiners => seen.joiners = 0,
            _ => {}
        }
        seen
    }

    fn drain(&self) -> Vec<Item> {
        self.queue.drain()
    }
}

/// An operation already finished when made.
struct Done(Option<OpResult>);

impl Future for Done {
    type Output = OpResult;

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<OpResult> {
        Poll::Ready(self.0.take().unwrap_or(OpResult::Ok))
    }
}

impl InFlight for Done {
    fn place(&self) -> Option<usize> {
        None
    }
}

/// Runs `replay` on the real queue (which must agree with the model) and on
/// the broken one (which must be caught at `step`, saying `says`).
fn caught(fault: Fault, replay: &str, step: usize, says: &str) {
    let replay = Replay::parse(replay).expect("the replay parses");
    let options = RunOptions::default();
    let honest = run_on(
        &Queue::<Ranked>::new(replay.scenario.maxsize),
        &replay.scenario,
        &mut ReplayScheduler::new(replay.schedule.clone()),
        options,
    );
    assert!(
        honest.failure.is_none(),
        "the real queue agrees:\n{}",
        render(&honest)
    );
    assert_eq!(honest.schedule, replay.schedule, "the whole schedule ran");
    let report = run_on(
        &Broken::new(replay.scenario.maxsize, fault),
        &replay.scenario,
        &mut ReplayScheduler::new(replay.schedule),
        options,
    );
    let Some(Divergence { step: at, what }) = &report.failure else {
        panic!("{fault:?} was not caught:\n{}", render(&report));
    };
    assert_eq!(
        (*at, what.contains(says)),
        (step, true),
        "{fault:?}: {}",
        render(&report)
    );
}

#[test]
fn a_missing_wake() {
    caught(
        Fault::MissingWake,
        "fifo | get | put 1 @ p0 p1 p0",
        2,
        "woke nobody, the model says t0",
    );
}

#[test]
fn an_extra_wake() {
    caught(
        Fault::ExtraWake,
        "fifo | get | put 1 @ p0 p1 p0",
        2,
        "woke t0, t0, the model says t0",
    );
}

#[test]
fn a_stale_waker_woken() {
    // To use the first waker later, the queue side keeps a clone of it: a
    // waker held that no waiting future accounts for shows at once.
    caught(
        Fault::StaleWaker,
        "fifo | get | put 1 @ p0 f0 p1 p0",
        1,
        "2 clone(s) of t0's waker #1",
    );
}

#[test]
fn a_wake_to_the_wrong_task() {
    // Keeping t0's waker for t1 to register shows at once, as above.
    caught(
        Fault::WrongTask,
        "fifo | get | get | put 1, put 2 @ p0 p1 p2 p2",
        1,
        "2 clone(s) of t0's waker #1",
    );
}

#[test]
fn a_waiter_at_the_wrong_position() {
    // A spurious poll of t0 sends it behind t1.
    caught(
        Fault::RequeueOnSpuriousPoll,
        "fifo | get | get | put 1 @ p0 p1 s0 p2 p0",
        3,
        "place #2, the model says #1",
    );
}

#[test]
fn a_lost_item() {
    caught(Fault::LostItem, "fifo | put 1 | get @ p0 p1", 1, "len: 0");
}

#[test]
fn a_duplicated_item() {
    caught(
        Fault::DuplicatedItem,
        "fifo | put 1, try_get @ p0 p0",
        2,
        "len: 1",
    );
}

#[test]
fn wrong_counts() {
    caught(Fault::WrongLen, "fifo | put 1 @ p0", 1, "len: 2");
    caught(
        Fault::WrongUnfinished,
        "fifo | put 1 @ p0",
        1,
        "unfinished_tasks: 2",
    );
    caught(
        Fault::WrongJoiners,
        "fifo | put 1, join @ p0 p0",
        2,
        "joiners: 0",
    );
}

#[test]
fn a_dropped_woken_get_that_does_not_pass_its_wakeup_on() {
    // t2's put wakes t0; t0 is dropped before it runs: t1 must be woken.
    caught(
        Fault::NoPassOn,
        "fifo | get | get | put 1 @ p0 p1 p2 d0 p1",
        4,
        "woke nobody, the model says t1",
    );
}

#[test]
fn a_shutdown_that_forgets_putters() {
    caught(
        Fault::ShutdownForgetsPutters,
        "fifo maxsize=1 | put 1, put 2 | shutdown @ p0 p0 p1 p0",
        3,
        "woke nobody, the model says t0",
    );
}
