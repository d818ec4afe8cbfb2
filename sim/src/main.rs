//! The command-line explorer: `explore`, `replay <string>`, `outcomes <file>`.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use aioqueue_sim::check::{run, RunOptions, RunReport};
use aioqueue_sim::explore::{
    dfs, minimise::minimise, pct::PctScheduler, random, replay::ReplayScheduler, SplitMix64,
};
use aioqueue_sim::families::{default_families, large_families, order_scenarios, test_families};
use aioqueue_sim::model::OpResult;
use aioqueue_sim::scenario::Scenario;
use aioqueue_sim::trace::{render, Replay};

const USAGE: &str = "\
usage:
  aioqueue-sim explore [--quick | --large] [--only FAMILY] [--random RUNS] [--seed SEED]
      every schedule of the default scenario families (DFS with state
      hashing; --quick: only the smaller families `cargo test` covers;
      --large: also 3 tasks x 2 operations; --only: one family by name),
      then RUNS random and RUNS PCT runs of random scenarios
  aioqueue-sim replay '<scenario> @ <schedule>'
      the numbered trace of one schedule
  aioqueue-sim outcomes FILE [--with-cancel]
      every distinct outcome of the scenario in FILE (polls only, unless
      --with-cancel adds cancellations and spurious polls)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("explore") => explore(&args[1..]),
        Some("replay") => replay(&args[1..]),
        Some("outcomes") => outcomes(&args[1..]),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

/// The value after `--flag`, parsed, or `default`.
fn flag<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> Result<T, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(at) => args
            .get(at + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{name} needs a number\n{USAGE}")),
    }
}

fn explore(args: &[String]) -> Result<bool, String> {
    let random_runs: u64 = flag(args, "--random", 20_000)?;
    let seed: u64 = flag(args, "--seed", 1)?;
    let options = RunOptions::default();
    let started = Instant::now();
    let mut failures: Vec<RunReport> = Vec::new();
    let (mut scenarios, mut schedules, mut states, mut steps) = (0u64, 0u64, 0u64, 0u64);
    println!("exhaustive (DFS with state hashing; polls, spurious polls, fresh wakers, drops):");
    let mut families = if args.iter().any(|a| a == "--quick") {
        test_families()
    } else if args.iter().any(|a| a == "--large") {
        large_families()
    } else {
        default_families()
    };
    if let Some(at) = args.iter().position(|a| a == "--only") {
        let name = args
            .get(at + 1)
            .ok_or_else(|| format!("--only needs a family name\n{USAGE}"))?;
        families.retain(|family| family.name == name);
        if families.is_empty() {
            return Err(format!(
                "no family named `{name}`; see docs/verification.md for the list"
            ));
        }
    }
    for family in families {
        let family_start = Instant::now();
        let list = family.scenarios();
        let totals = explore_in_parallel(family.name, &list, options);
        let secs = family_start.elapsed().as_secs_f64();
        println!(
            "  {:<24} {:>7} scenarios {:>11} schedules {:>11} states  {:>7.1} s  {:>9.0} schedules/s",
            family.name,
            list.len(),
            totals.schedules,
            totals.states,
            secs,
            totals.schedules as f64 / secs.max(1e-9)
        );
        scenarios += list.len() as u64;
        schedules += totals.schedules;
        states += totals.states;
        steps += totals.steps;
        failures.extend(totals.failures);
    }
    let orderings = order_scenarios();
    let polls_only = RunOptions {
        spurious: false,
        cancel: false,
        ..options
    };
    for scenario in &orderings {
        let (stats, failure) = dfs::explore(scenario, polls_only, |_| {});
        schedules += stats.schedules;
        states += stats.states;
        steps += stats.steps;
        failures.extend(failure);
    }
    println!(
        "  {:<24} {:>7} scenarios (one task, 5 or 9 items, polls only)",
        "orderings",
        orderings.len()
    );
    scenarios += orderings.len() as u64;
    println!("random and PCT (seed {seed}, {random_runs} runs each, up to 4 tasks x 4 ops, maxsize 0..=3):");
    let sweep_start = Instant::now();
    let mut rng = SplitMix64::new(seed);
    for index in 0..random_runs {
        let scenario = random::random_scenario(&mut rng, 4, 4);
        let run_seed = rng.next_u64();
        let random_run = run(
            &scenario,
            &mut random::RandomScheduler::new(run_seed),
            options,
        );
        let pct_run = run(
            &scenario,
            &mut PctScheduler::new(run_seed, scenario.tasks.len(), 24, 3),
            options,
        );
        steps += (random_run.steps.len() + pct_run.steps.len()) as u64;
        failures.extend(
            [random_run, pct_run]
                .into_iter()
                .filter(|r| r.failure.is_some()),
        );
        if index.is_multiple_of(1000) || index + 1 == random_runs {
            progress("random + PCT", index as usize + 1, random_runs as usize);
        }
    }
    eprintln!();
    println!(
        "  {} runs in {:.1} s",
        2 * random_runs,
        sweep_start.elapsed().as_secs_f64()
    );
    let secs = started.elapsed().as_secs_f64();
    println!(
        "summary: {scenarios} scenarios, {schedules} schedules, {states} distinct states, {steps} steps, {} divergences, {secs:.1} s ({:.0} schedules/s exhaustive)",
        failures.len(),
        schedules as f64 / secs.max(1e-9)
    );
    if let Some(first) = failures.into_iter().next() {
        println!("\nfirst divergence, minimised:");
        print!("{}", render(&minimise(first, options)));
        return Ok(false);
    }
    Ok(true)
}

/// What a family's exploration found.
#[derive(Default)]
struct Totals {
    schedules: u64,
    states: u64,
    steps: u64,
    failures: Vec<RunReport>,
}

/// Explores every scenario of `list` on every core, with a progress bar.
fn explore_in_parallel(name: &str, list: &[Scenario], options: RunOptions) -> Totals {
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let totals = Mutex::new(Totals::default());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut mine = Totals::default();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(scenario) = list.get(index) else {
                        break;
                    };
                    let (stats, failure) = dfs::explore(scenario, options, |_| {});
                    mine.schedules += stats.schedules;
                    mine.states += stats.states;
                    mine.steps += stats.steps;
                    mine.failures.extend(failure);
                    if index.is_multiple_of(512) {
                        progress(name, index, list.len());
                    }
                }
                let mut totals = totals.lock().unwrap_or_else(PoisonError::into_inner);
                totals.schedules += mine.schedules;
                totals.states += mine.states;
                totals.steps += mine.steps;
                totals.failures.extend(mine.failures);
            });
        }
    });
    progress(name, list.len(), list.len());
    eprintln!();
    totals.into_inner().unwrap_or_else(PoisonError::into_inner)
}

fn progress(name: &str, done: usize, total: usize) {
    const WIDTH: usize = 30;
    let filled = done * WIDTH / total.max(1);
    eprint!(
        "\r  {name:<24} [{}{}] {done}/{total}",
        "#".repeat(filled),
        " ".repeat(WIDTH - filled)
    );
    let _ = std::io::stderr().flush();
}

fn replay(args: &[String]) -> Result<bool, String> {
    let text = args.join(" ");
    let replay = Replay::parse(&text).map_err(|e| format!("{e}\n{USAGE}"))?;
    let report = run(
        &replay.scenario,
        &mut ReplayScheduler::new(replay.schedule.clone()),
        RunOptions::default(),
    );
    print!("{}", render(&report));
    if report.schedule.len() < replay.schedule.len() && report.failure.is_none() {
        println!(
            "note: stopped after {} of {} actions: action {} was not possible there",
            report.schedule.len(),
            replay.schedule.len(),
            replay.schedule[report.schedule.len()]
        );
    }
    Ok(report.failure.is_none())
}

fn outcomes(args: &[String]) -> Result<bool, String> {
    let path = args.first().ok_or_else(|| USAGE.to_string())?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let scenario: Scenario = text.parse().map_err(|e| format!("{path}: {e}"))?;
    let with_cancel = args.iter().any(|a| a == "--with-cancel");
    let options = RunOptions {
        spurious: with_cancel,
        cancel: with_cancel,
        key_with_results: true,
        ..RunOptions::default()
    };
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let (stats, failure) = dfs::explore(&scenario, options, |report| {
        if report.failure.is_none() && !report.stopped_early {
            seen.entry(describe_outcome(report))
                .or_insert_with(|| aioqueue_sim::trace::replay_string(report));
        }
    });
    println!("scenario: {scenario}");
    println!(
        "{} distinct outcomes over {} schedules ({} states):",
        seen.len(),
        stats.schedules,
        stats.states
    );
    for (index, (outcome, example)) in seen.iter().enumerate() {
        println!("\n#{}\n{outcome}  e.g. {example}", index + 1);
    }
    if let Some(report) = failure {
        println!("\nDIVERGENCE:\n{}", render(&report));
        return Ok(false);
    }
    Ok(true)
}

/// Each task's results and the queue's end state, one line per task.
fn describe_outcome(report: &RunReport) -> String {
    let mut out = String::new();
    for (task, results) in report.results.iter().enumerate() {
        let shown: Vec<String> = report.scenario.tasks[task]
            .iter()
            .enumerate()
            .map(|(i, op)| match results.get(i) {
                Some(Some(result)) => format!("{op} -> {}", show(result)),
                Some(None) => format!("{op} -> cancelled"),
                None => format!("{op} -> (still waiting)"),
            })
            .collect();
        out.push_str(&format!("  t{task}: {}\n", shown.join(", ")));
    }
    let f = &report.final_state;
    out.push_str(&format!(
        "  end: items left {:?}, unfinished {}, shutdown {}\n",
        report.remaining, f.unfinished_tasks, f.shutdown
    ));
    out
}

fn show(result: &OpResult) -> String {
    match result {
        OpResult::Ok => "ok".into(),
        OpResult::Item(item) => item.to_string(),
        OpResult::Drained(items) => format!("drained {items:?}"),
        OpResult::Full(_) => "Full".into(),
        OpResult::PutShutDown(_) | OpResult::GetShutDown => "ShutDown".into(),
        OpResult::Empty => "Empty".into(),
        OpResult::TaskDoneError => "TaskDoneError".into(),
    }
}
