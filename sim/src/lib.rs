//! The judge of `aioqueue`: a pure reference model of asyncio's queue
//! semantics, and a deterministic simulator that runs the real
//! implementation through every interleaving of task steps, spurious polls
//! and cancellations, comparing it with the model after every step.
//!
//! - [`model`]: the executable specification (no async, no locks).
//! - [`scenario`]: tasks as programs of operations, in a text format.
//! - [`subject`]: the implementation, through its public API only.
//! - [`executor`]: owns the futures; its wakers record every wake.
//! - [`runner`]: runs one schedule, comparing the implementation with the
//!   model at every step; the invariants.
//! - [`explore`]: the schedulers (DFS with state hashing, random, PCT,
//!   replay, asyncio's own schedule); minimising.
//! - [`cpython`]: CPython itself as the oracle.
//! - [`trace`]: readable traces and one-line replay strings.
//! - [`families`]: the bounded scenario families explored exhaustively.
//! - [`doc_tables`]: the worked examples of `docs/semantics.md`, generated.
//! - [`rules`]: the rule IDs of `docs/semantics.md` and what cites each.
//! - [`threads`]: the real queue on real threads (loom, `stress`), each
//!   run's ending and history checked against the model.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cpython;
pub mod doc_tables;
pub mod executor;
pub mod explore;
pub mod families;
pub mod model;
pub mod rules;
pub mod runner;
pub mod scenario;
pub mod subject;
pub mod threads;
pub mod trace;
