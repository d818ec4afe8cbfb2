//! The one lock the queue uses, behind a seam so that loom can replace it
//! (`--cfg aioqueue_loom`) and check the production code itself.

#[cfg(not(aioqueue_loom))]
pub(crate) use std::sync::{Mutex, MutexGuard};

#[cfg(aioqueue_loom)]
pub(crate) use loom::sync::{Mutex, MutexGuard};
