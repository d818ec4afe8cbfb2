//! The waker a task parks on, and how a run knows it has gone quiet.
//!
//! A run has gone quiet when every task has finished or parks unwoken with
//! no deadline: nothing can happen any more, because only a running task
//! can wake another. The run counts its running tasks; a task that parks
//! uncounts itself, and the wake that unparks it counts it again before the
//! waking task (itself counted) can stop. So the count reaches zero exactly
//! when the run is quiet, and a task that still waits then is one that no
//! wake reached: the linearizability check decides whether the model lets
//! it wait, or whether a wakeup was lost. No timeout is involved.
//!
//! Each poll gets a waker of its own (an epoch): a wake through a waker
//! of an earlier poll is ignored, as a stale waker would be by an executor
//! that replaced it, so a queue that keeps a stale waker leaves its task
//! unwoken, and the check sees it.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

/// What a run's tasks share: the clock and the count of running tasks.
#[derive(Debug)]
pub struct Run {
    clock: AtomicU64,
    running: AtomicUsize,
    quiet: Mutex<()>,
    quiet_changed: Condvar,
}

impl Run {
    /// A run of `tasks` tasks, all counted as running.
    pub fn new(tasks: usize) -> Arc<Run> {
        Arc::new(Run {
            clock: AtomicU64::new(0),
            running: AtomicUsize::new(tasks),
            quiet: Mutex::new(()),
            quiet_changed: Condvar::new(),
        })
    }

    /// The next instant of the shared clock.
    pub fn tick(&self) -> u64 {
        self.clock.fetch_add(1, SeqCst)
    }

    /// A task stops running (it finished, or parks).
    pub fn stop_running(&self) {
        if self.running.fetch_sub(1, SeqCst) == 1 {
            let _quiet = lock(&self.quiet);
            self.quiet_changed.notify_all();
        }
    }

    fn start_running(&self) {
        self.running.fetch_add(1, SeqCst);
    }

    /// Waits until the run is quiet; `false` if `patience` passes first (a
    /// task is stuck, or spins: a hang).
    pub fn wait_quiet(&self, patience: Duration) -> bool {
        let started = Instant::now();
        let mut guard = lock(&self.quiet);
        while self.running.load(SeqCst) != 0 {
            if started.elapsed() > patience {
                return false;
            }
            guard = self
                .quiet_changed
                .wait_timeout(guard, Duration::from_millis(20))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[derive(Debug, Default)]
struct GateState {
    /// The epoch of the current poll's waker.
    epoch: u64,
    /// Woken through the current waker since the task last looked.
    woken: bool,
    /// Parked and uncounted.
    parked: bool,
    /// The run is over: stop waiting.
    abort: bool,
    /// The async runtime's waker, while parked in a future.
    runtime_waker: Option<Waker>,
}

/// One task's gate.
#[derive(Debug)]
pub struct Gate {
    run: Arc<Run>,
    state: Mutex<GateState>,
}

/// Why a task stopped waiting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// Its current waker was woken.
    Woken,
    /// Its deadline passed.
    TimedOut,
    /// The run is over.
    Aborted,
}

struct EpochWaker {
    gate: Arc<Gate>,
    epoch: u64,
}

impl Wake for EpochWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let mut state = lock(&self.gate.state);
        if state.epoch != self.epoch {
            return;
        }
        state.woken = true;
        if std::mem::take(&mut state.parked) {
            self.gate.run.start_running();
        }
        if let Some(waker) = state.runtime_waker.take() {
            waker.wake();
        }
    }
}

impl Gate {
    /// A gate for one task of `run`.
    pub fn new(run: &Arc<Run>) -> Arc<Gate> {
        Arc::new(Gate {
            run: Arc::clone(run),
            state: Mutex::new(GateState::default()),
        })
    }

    /// A waker for the next poll; wakers of earlier polls go stale.
    pub fn fresh_waker(self: &Arc<Self>) -> Waker {
        let mut state = lock(&self.state);
        state.epoch += 1;
        state.woken = false;
        Waker::from(Arc::new(EpochWaker {
            gate: Arc::clone(self),
            epoch: state.epoch,
        }))
    }

    /// Whether the current waker was woken.
    pub fn is_woken(&self) -> bool {
        lock(&self.state).woken
    }

    /// Ends the run for this task: a parked task stops waiting.
    pub fn abort(&self) {
        let mut state = lock(&self.state);
        state.abort = true;
        if let Some(waker) = state.runtime_waker.take() {
            waker.wake();
        }
    }

    /// Waits until woken, aborted, or past `deadline`, as a future's poll:
    /// parks by returning `Pending` with the runtime's waker kept, and
    /// uncounted; with a deadline it stays counted, since it will act by
    /// itself, and yields instead.
    pub fn poll_wait(&self, cx: &mut Context<'_>, deadline: Option<Instant>) -> Poll<Wait> {
        let mut state = lock(&self.state);
        let ready = self.check(&mut state, deadline);
        if ready.is_pending() {
            match deadline {
                Some(_) => cx.waker().wake_by_ref(),
                None => state.runtime_waker = Some(cx.waker().clone()),
            }
        }
        ready
    }

    fn check(&self, state: &mut GateState, deadline: Option<Instant>) -> Poll<Wait> {
        if std::mem::take(&mut state.woken) {
            return Poll::Ready(Wait::Woken);
        }
        if state.abort {
            return Poll::Ready(Wait::Aborted);
        }
        match deadline {
            Some(deadline) if Instant::now() >= deadline => Poll::Ready(Wait::TimedOut),
            Some(_) => Poll::Pending,
            None => {
                if !state.parked {
                    state.parked = true;
                    self.run.stop_running();
                }
                Poll::Pending
            }
        }
    }
}
