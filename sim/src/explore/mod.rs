//! Strategies that pick schedules: exhaustive depth-first search with state
//! hashing, seeded random, PCT, replay, and the one schedule CPython's event
//! loop gives (asyncio). Each is a [`Scheduler`] (or, for
//! DFS, a driver of many runs); the engine in `check` does the rest.
//!
//! [`Scheduler`]: crate::check::Scheduler

pub mod asyncio;
pub mod dfs;
pub mod minimise;
pub mod pct;
pub mod random;
pub mod replay;
mod rng;

pub use rng::SplitMix64;
