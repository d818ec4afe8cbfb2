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
    // the command as a user runs it, on the smallest family, on the
    // thread-safe and on `aioqueue::local`'s queues (LOCAL-1).
    for lock in ["shared", "local"] {
        let (ok, out) = sim(&[
            "explore",
            "--quick",
            "--only",
            "3 tasks x 1 op",
            "--random",
            "200",
            "--lock",
            lock,
        ]);
        assert!(ok, "{out}");
        assert!(out.contains("720 scenarios"), "{out}");
        assert!(out.contains("0 divergences"), "{out}");
        // Off a terminal (here: a pipe), no progress-bar frames in the log.
        assert!(!out.contains('\r'), "{out:?}");
    }
    let (ok, out) = sim(&["explore", "--only", "no such family"]);
    assert!(!ok);
    assert!(out.contains("no family named"), "{out}");
    let (ok, out) = sim(&["explore", "--lock", "mutex"]);
    assert!(!ok);
    assert!(out.contains("--lock needs `shared` or `local`"), "{out}");
}

#[test]
fn replay_asyncio_runs_the_event_loops_schedule() {
    let (ok, out) = sim(&["replay", "--asyncio", "scenarios/docs/ex-3.txt"]);
    assert!(ok, "{out}");
    // gh-83055: the woken putter t1 finds the slot taken and waits again.
    assert!(
        out.contains("t1  poll             put 2b -> Pending, waits as putter #2"),
        "{out}"
    );
    assert!(out.contains("t0 #9 try_get -> item 2b"), "{out}");
    let (ok, out) = sim(&[
        "outcomes",
        "fifo | get | get | put 1a, cancel 0",
        "--asyncio",
    ]);
    assert!(ok, "{out}");
    assert!(out.contains("t0: get -> cancelled"), "{out}");
    assert!(out.contains("t1: get -> 1a"), "{out}");
}

#[test]
fn cpython_shows_a_users_scenario_side_by_side() {
    let (ok, out) = sim(&[
        "cpython",
        "priority | put 1a, put 1b, put 1c, put 1d, put 1e, get, get, get, get, get",
    ]);
    assert!(ok, "{out}");
    assert!(out.contains("aioqueue (model and crate)"), "{out}");
    // heapq's order among ties, on both sides: a c e b d.
    fn items<'a>(out: &'a str) -> Vec<(&'a str, &'a str)> {
        out.lines()
            .filter_map(|line| {
                let (rust, cpython) = line.split_once(" | ")?;
                let item = |side: &'a str| side.split("-> item ").nth(1).map(str::trim);
                Some((item(rust)?, item(cpython)?))
            })
            .collect()
    }
    let got = items(&out);
    assert_eq!(
        got,
        [
            ("1a", "1a"),
            ("1c", "1c"),
            ("1e", "1e"),
            ("1b", "1b"),
            ("1d", "1d")
        ],
        "{out}"
    );
    assert!(out.contains("cpython: 1 identical, 0 different"), "{out}");
    let (ok, out) = sim(&["cpython", "fifo | get | cancel 1"]);
    assert!(!ok);
    assert!(out.contains("another task"), "{out}");
}

#[test]
fn replay_is_strict_about_impossible_actions_and_counts() {
    // p5: there is no task 5.
    let (ok, out) = sim(&["replay", "fifo | get | put 1 @ p0 p5"]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("step 2: action p5 is not possible there"),
        "{out}"
    );
    // At step 2 five actions are possible: s0, f0, d0, p1, d1.
    let (ok, out) = sim(&["replay", "fifo | get | put 1 @ p0:4 p1:9"]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("step 2: 5 actions are possible, the recording says 9"),
        "{out}"
    );
    let (ok, out) = sim(&["replay", "fifo | get | put 1 @ p0:4 p1:5 p0:2"]);
    assert!(ok, "{out}");
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    use std::process::Stdio;
    // `aioqueue-sim rules | head -0`: the reader is gone before the first
    // line is written (the command reads the whole repository first).
    let mut child = Command::new(env!("CARGO_BIN_EXE_aioqueue-sim"))
        .arg("rules")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the explorer runs");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("it ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.status.success(), "{:?} {stderr}", output.status);
}

#[test]
fn every_command_has_its_help() {
    for command in [
        "explore",
        "replay",
        "outcomes",
        "cpython",
        "rules",
        "doc-tables",
        "stress",
    ] {
        let (ok, out) = sim(&[command, "--help"]);
        assert!(ok, "{command}: {out}");
        assert!(
            out.contains(&format!("aioqueue-sim {command}")),
            "{command}: {out}"
        );
        // The grammar of scenarios and the schedule letters, every time.
        assert!(out.contains("scenarios: `fifo|lifo|priority"), "{out}");
        assert!(out.contains("d0 (drop its future"), "{out}");
    }
    let (ok, out) = sim(&[]);
    assert!(!ok, "no command is an error: {out}");
}

#[test]
fn outcomes_say_how_each_operation_ended_filtered_with_shortest_schedules() {
    let (ok, out) = sim(&[
        "outcomes",
        "fifo maxsize=0 | get | get | put 1",
        "--with-cancel",
        "--where",
        "t1: get -> 1",
    ]);
    assert!(ok, "{out}");
    assert!(out.contains("3 of them with `t1: get -> 1`"), "{out}");
    for label in [
        "t0: get -> cancelled after it was woken, before it ran",
        "t0: get -> cancelled before its first poll",
        "t0: get -> cancelled while waiting",
    ] {
        assert!(out.contains(label), "{label}:\n{out}");
    }
    // The shortest schedules: the woken t0 is dropped after t1 took the item.
    assert!(
        out.contains("shortest: fifo maxsize=0 | get | get | put 1 @ p0 p2 p1 d0"),
        "{out}"
    );
    // An operation that never began is not said to wait.
    let (ok, out) = sim(&["outcomes", "fifo maxsize=0 | get, put 1 | put 2"]);
    assert!(ok, "{out}");
    assert!(!out.contains("not started"), "every op runs here: {out}");
    let (_, out) = sim(&["outcomes", "fifo maxsize=0 | get, put 1"]);
    assert!(
        out.contains("get -> (still waiting), put 1 -> not started"),
        "{out}"
    );
}

#[test]
fn stress_checks_every_history_of_a_plan_and_reports_its_figures() {
    // A plan whose getter, dropped once woken, must pass the item on.
    let plan = "fifo maxsize=0 | get!woken | get | try_put 1, try_get";
    let (ok, out) = sim(&["stress", "--seconds", "1", "--plan", plan]);
    assert!(ok, "{out}");
    let last = out.lines().last().unwrap_or("");
    assert!(
        last.starts_with("stress: ") && last.ends_with(" histories, 0 violations"),
        "{out}"
    );
    let runs: u64 = last["stress: ".len()..]
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(runs >= 80, "40 runs per runtime at least: {out}");
    for figure in [
        "runs/s",
        "coverage:",
        "races reached",
        "check time per history",
    ] {
        assert!(out.contains(figure), "{figure}: {out}");
    }
    // Bad input is a clear error, not a panic.
    let (ok, out) = sim(&["stress", "--plan", "fifo | try_get!woken"]);
    assert!(!ok);
    assert!(out.contains("takes no mark"), "{out}");
    let (ok, out) = sim(&["stress", "--runtime", "green"]);
    assert!(!ok);
    assert!(out.contains("`threads` or `tokio`"), "{out}");
}
