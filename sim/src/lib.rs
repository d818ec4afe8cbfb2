//! The judge of `aioqueue`: a pure reference model of asyncio's queue
//! semantics, and a deterministic simulator that runs the real
//! implementation through every interleaving of task steps, spurious polls
//! and cancellations, comparing it with the model after every step.
//!
//! - [`model`]: the executable specification (no async, no locks).
//! - [`scenario`]: tasks as programs of operations, in a text format.
//! - [`subject`]: the implementation, through its public API only.
//! - [`executor`]: owns the futures; its wakers record every wake.
//! - [`check`]: one run, compared step by step; the invariants.
//! - [`explore`]: DFS with state hashing, random, PCT, replay; minimising.
//! - [`trace`]: readable traces and one-line replay strings.
//! - [`families`]: the bounded scenario families explored exhaustively.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod check;
pub mod cpython;
pub mod executor;
pub mod explore;
pub mod families;
pub mod model;
pub mod scenario;
pub mod subject;
pub mod trace;
