//! The thread level: the real queue on real threads, judged by the model.
//!
//! - [`plan`]: scenarios whose waiting operations are marked to be dropped
//!   at a point (after their first `Pending`, when woken, at a deadline).
//! - [`outcome`]: how a run ends, and every ending the model allows.
//! - [`history`]: what a run on real threads records, and its timeline.
//! - [`linearize`]: whether a history is one the model allows in real time.
//! - [`gate`]: the waker each task parks on, which knows when every task
//!   has finished or waits with nobody left to wake it.
//! - [`real`]: runs a plan on OS threads or on tokio's `multi_thread`.
//! - [`stress`]: the `stress` command.
//!
//! `tests/loom_refinement.rs` runs [`plan::loom_plans`] under loom and
//! checks each ending against [`outcome::allowed`].

pub mod gate;
pub mod history;
pub mod linearize;
pub mod outcome;
pub mod plan;
pub mod real;
pub mod stress;
