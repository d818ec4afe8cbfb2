//! docs/semantics.md is held to the code: its worked examples are what the
//! runs give, and every rule it defines is cited by a test.

use std::path::{Path, PathBuf};

use aioqueue_sim::{doc_tables, rules};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn the_worked_examples_are_what_the_runs_give() {
    let document = std::fs::read_to_string(root().join("docs/semantics.md")).unwrap();
    let sources = doc_tables::sources(&document);
    assert!(
        sources.len() >= 7,
        "EX-1..EX-6 and EX-5's other schedule: {sources:?}"
    );
    let generated = doc_tables::regenerate(&document, &root()).unwrap_or_else(|e| panic!("{e}"));
    if let Some((line, (doc, run))) = document
        .lines()
        .zip(generated.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b)
    {
        panic!(
            "docs/semantics.md line {} differs from its run (regenerate with \
             `cargo run -p aioqueue-sim -- doc-tables`):\n  doc: {doc}\n  run: {run}",
            line + 1
        );
    }
    assert_eq!(document, generated);
}

#[test]
fn every_rule_is_cited_by_a_test() {
    let report = rules::index(&root()).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.rules.len() >= 113, "{} rules", report.rules.len());
    let text = report.to_string();
    let problems: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.starts_with("uncovered:")
                || l.starts_with("undefined:")
                || l.starts_with("duplicate:")
        })
        .collect();
    assert!(report.is_clean(), "{}", problems.join("\n"));
}
