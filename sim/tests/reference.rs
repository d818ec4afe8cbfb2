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
    // The figure docs/verification.md gives is this one.
    let n = report.rules.len();
    let verification = std::fs::read_to_string(root().join("docs/verification.md")).unwrap();
    let figure = format!("rules: {n} of {n} covered");
    assert!(
        verification.contains(&figure),
        "docs/verification.md should say `{figure}`"
    );
}

/// The words of a shell command line: bare, '...' or "..." quoted.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            if c == '\'' || c == '"' {
                word.extend(chars.by_ref().take_while(|&q| q != c));
            } else {
                word.push(c);
            }
        }
        words.push(word);
    }
    words
}

#[test]
fn every_command_the_reference_shows_runs() {
    // Each `cargo run --release -p aioqueue-sim -- <command> <arguments>`
    // that docs/semantics.md shows on one line, run from the repository's
    // root as a reader would; a `cpython` one must find no difference.
    const PREFIX: &str = "cargo run --release -p aioqueue-sim -- ";
    let document = std::fs::read_to_string(root().join("docs/semantics.md")).unwrap();
    let mut ran = 0;
    for line in document.lines() {
        let Some(at) = line.find(PREFIX) else {
            continue;
        };
        let rest = &line[at + PREFIX.len()..];
        let command = rest.split('`').next().unwrap_or(rest);
        let args = shell_words(command);
        if args.len() < 2 {
            continue;
        }
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_aioqueue-sim"))
            .args(&args)
            .current_dir(root())
            .output()
            .expect("the explorer runs");
        let out = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "`{command}` failed:\n{out}");
        if args[0] == "cpython" {
            assert!(
                out.contains(" identical, 0 different"),
                "`{command}`:\n{out}"
            );
        }
        ran += 1;
    }
    assert!(ran >= 20, "{ran} commands");
}
