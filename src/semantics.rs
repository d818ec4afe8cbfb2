//! The semantics reference: every rule the queues follow, by stable ID.
//!
//! This is `docs/semantics.md` from the repository, rendered. Each rule has
//! an anchor named by its ID, and the documentation of each method, future
//! and error links to the rules it follows. The module holds no items.
//!
#![doc = include_str!("../docs/semantics.md")]
