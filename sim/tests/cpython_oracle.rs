//! CPython itself as the oracle, in `cargo test`: scenarios run on real
//! asyncio (CPython 3.13, or 3.11/3.12 with the pinned backport) and on
//! aioqueue under the asyncio scheduler, and every line of the two traces
//! must agree. A missing or broken Python fails these tests; it never
//! passes them silently.

use std::path::{Path, PathBuf};

use aioqueue_sim::cpython::{self, python};
use aioqueue_sim::explore::{random::random_scenario, SplitMix64};
use aioqueue_sim::families::{test_families, tie_programs};
use aioqueue_sim::scenario::Scenario;

fn interpreter() -> PathBuf {
    python::find().unwrap_or_else(|why| panic!("the CPython oracle cannot run: {why}"))
}

fn assert_identical(what: &str, scenarios: &[Scenario]) {
    // LOCAL-1: `compare` runs the crate's side on the thread-safe and on
    // the local queue; a local trace unlike the thread-safe one's is a
    // difference from CPython.
    let compared = cpython::compare(&interpreter(), scenarios)
        .unwrap_or_else(|why| panic!("the CPython oracle failed: {why}"));
    println!(
        "{what}: {} scenarios on {}: {} identical, {} different ({:.1} s CPython, {:.1} s aioqueue); {:?}",
        scenarios.len(),
        compared.python,
        compared.coverage.identical,
        compared.differences.len(),
        compared.python_seconds,
        compared.rust_seconds,
        compared.coverage
    );
    if let Some(first) = compared.differences.first() {
        panic!(
            "{} of {} scenarios differ from CPython ({}); the first:\n{}",
            compared.differences.len(),
            scenarios.len(),
            compared.python,
            first.render()
        );
    }
    assert_eq!(compared.coverage.identical, scenarios.len() as u64);
}

#[test]
fn cpython_itself_gives_heapqs_tie_order() {
    // The oracle is live: real asyncio.PriorityQueue orders ties by heapq,
    // not by put order (the divergence that went unseen before it existed).
    let cases = [
        ("put 0a, put 1b, put 1c, put 2d", "0a 1c 1b 2d"),
        ("put 1a, put 1b, put 1c, put 1d, put 1e", "1a 1c 1e 1b 1d"),
        (
            "put 2a, put 1b, put 1c, put 1d, put 0e, put 1f",
            "0e 1c 1f 1d 1b 2a",
        ),
    ];
    let lines: Vec<String> = cases
        .iter()
        .map(|(puts, expected)| {
            let gets = vec!["get"; expected.split(' ').count()].join(", ");
            format!("priority maxsize=0 | {puts}, {gets}")
        })
        .collect();
    let batch = python::run_batch(&interpreter(), &lines).expect("the script runs");
    for ((_, trace), (_, expected)) in batch.traces.iter().zip(cases) {
        let got: Vec<&str> = trace
            .iter()
            .filter_map(|line| line.split(" -> item ").nth(1))
            .collect();
        assert_eq!(got.join(" "), expected, "{}", batch.header);
    }
}

#[test]
fn scenario_files_and_the_documents_examples() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let scenarios = cpython::scenario_files(&dir).expect("the scenario files parse");
    // Two regressions and the EX-1..6 / HIST-2, HIST-3 files of docs/.
    assert!(scenarios.len() >= 10, "{} files", scenarios.len());
    assert_identical("sim/scenarios", &scenarios);
}

#[test]
fn the_small_exhaustive_families_and_the_tie_families() {
    let mut scenarios = Vec::new();
    for family in test_families().into_iter().chain([tie_programs(6)]) {
        scenarios.extend(family.scenarios());
    }
    assert_identical("families", &scenarios);
}

#[test]
fn twenty_thousand_random_scenarios_seeded_by_the_date() {
    let seed = std::env::var("AIOQUEUE_ORACLE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(aioqueue_sim::explore::date_seed);
    println!("seed {seed} (AIOQUEUE_ORACLE_SEED={seed} repeats this run)");
    let mut rng = SplitMix64::new(seed);
    let scenarios: Vec<Scenario> = (0..20_000)
        .map(|_| random_scenario(&mut rng, 4, 4))
        .collect();
    assert_identical(&format!("random, seed {seed}"), &scenarios);
}

#[test]
fn cpythons_side_of_the_deliberate_differences() {
    // docs/semantics.md DIFF-1, DIFF-8, DIFF-9, DIFF-10: what asyncio does
    // where aioqueue deliberately differs, checked on the interpreter itself.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/diff_checks.py");
    let output = std::process::Command::new(interpreter())
        .arg(&script)
        .output()
        .expect("the interpreter runs");
    let out = String::from_utf8_lossy(&output.stdout);
    println!("{out}");
    assert!(
        output.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        out.lines().filter(|l| l.starts_with("ok  ")).count(),
        7,
        "{out}"
    );
}
