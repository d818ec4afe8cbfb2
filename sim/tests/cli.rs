//! The command-line explorer, as a user runs it.

use std::process::Command;

fn sim(args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_aioqueue-sim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the explorer runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr),
    )
}

#[test]
fn replay_prints_a_numbered_trace() {
    let (ok, out) = sim(&[
        "replay",
        "fifo maxsize=0 | get | get | put 1 @ p0 p1 p2 d0 p1",
    ]);
    assert!(ok, "{out}");
    assert!(out.contains("4  t0  drop"), "{out}");
    assert!(
        out.contains("5  t1  poll             get -> Item(1)"),
        "{out}"
    );
    assert!(
        out.contains("replay: fifo maxsize=0 | get | get | put 1 @ p0 p1 p2 d0 p1"),
        "{out}"
    );
}

#[test]
fn bad_input_is_a_clear_error_not_a_panic() {
    let (ok, out) = sim(&["replay", "fifo | get"]);
    assert!(!ok);
    assert!(out.contains("<scenario> @ <schedule>"), "{out}");
    assert!(!out.contains("panicked"), "{out}");
    let (ok, out) = sim(&["outcomes", "no/such/file"]);
    assert!(!ok);
    assert!(out.contains("cannot read"), "{out}");
}

#[test]
fn outcomes_of_a_cancelled_woken_get_never_lose_the_item() {
    let (ok, out) = sim(&[
        "outcomes",
        "scenarios/woken-get-cancelled.txt",
        "--with-cancel",
    ]);
    assert!(ok, "{out}");
    let outcomes: Vec<&str> = out.split("\n#").skip(1).collect();
    assert!(outcomes.len() > 3, "{out}");
    for outcome in outcomes {
        let put_ok = outcome.contains("put 1 -> ok");
        let accounted = outcome.contains("get -> 1") || outcome.contains("items left [1]");
        assert_eq!(put_ok, accounted, "item 1 lost or invented in:\n#{outcome}");
    }
}

#[test]
fn explore_one_family_finds_no_divergence() {
    // The families themselves are covered by tests/exhaustive.rs; this is
    // the command as a user runs it, on the smallest family.
    let (ok, out) = sim(&[
        "explore",
        "--quick",
        "--only",
        "3 tasks x 1 op",
        "--random",
        "200",
    ]);
    assert!(ok, "{out}");
    assert!(out.contains("720 scenarios"), "{out}");
    assert!(out.contains("0 divergences"), "{out}");
    let (ok, out) = sim(&["explore", "--only", "no such family"]);
    assert!(!ok);
    assert!(out.contains("no family named"), "{out}");
}
