//! A `PriorityQueue` of items whose `Ord` and `Drop` misbehave at chosen
//! points; the queue must stay consistent and keep working (see
//! `aioqueue_fuzz::hostile`).
#![forbid(unsafe_code)]
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| aioqueue_fuzz::hostile::fuzz(data));
