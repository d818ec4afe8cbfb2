//! A small scenario and a schedule of choice indices for the simulator; any
//! divergence from the model is a crash with the readable trace (see
//! `aioqueue_fuzz::schedules`).
#![forbid(unsafe_code)]
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| aioqueue_fuzz::schedules::fuzz(data));
