//! A stream of operations, polls and drops on one long-lived queue, checked
//! step by step against the reference model (see `aioqueue_fuzz::ops_vs_model`).
#![forbid(unsafe_code)]
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| aioqueue_fuzz::ops_vs_model::fuzz(data));
