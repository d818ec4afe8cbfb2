//! The command-line explorer: `explore`, `replay`, `outcomes`, `cpython`,
//! `rules`, `doc-tables`, `stress`.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use aioqueue_sim::cpython;
use aioqueue_sim::executor::Action;
use aioqueue_sim::explore::{
    dfs, minimise::minimise, pct::PctScheduler, random, replay::ReplayScheduler, SplitMix64,
};
use aioqueue_sim::families::{
    default_families, large_families, order_scenarios, test_families, tie_programs, Family,
};
use aioqueue_sim::runner::{run, RunOptions, RunReport};
use aioqueue_sim::scenario::Scenario;
use aioqueue_sim::subject::LockKind;
use aioqueue_sim::trace::{render, Replay};

const USAGE: &str = "\
usage:
  aioqueue-sim explore [--quick | --large] [--only FAMILY] [--random RUNS] [--seed SEED]
                       [--fresh-wakers N] [--quiet-polls N] [--lock shared|local]
      every schedule of the default scenario families (DFS with state
      hashing; --quick: only the smaller families `cargo test` covers;
      --large: also 3 tasks x 2 operations; --only: one family by name;
      per wait, up to N fresh wakers, and N polls nobody asked for told
      apart, instead of each family's own bounds), then RUNS random and
      RUNS PCT runs of random scenarios; on the thread-safe queues, or
      with --lock local on the `aioqueue::local` ones
  aioqueue-sim replay '<scenario> @ <schedule>' | FILE
      the numbered trace of one schedule (FILE: `#` comments, then the
      replay string, as in sim/replays/)
  aioqueue-sim replay --asyncio '<scenario>'
      the trace of the one schedule CPython's event loop gives the scenario
  aioqueue-sim outcomes FILE|'<scenario>' [--with-cancel | --asyncio] [--where TEXT]
      every distinct outcome of the scenario (polls only, unless
      --with-cancel adds cancellations and spurious polls), each with its
      shortest schedule; --where: only the outcomes whose text contains
      TEXT (e.g. 't1: get -> 1'); --asyncio: the one outcome asyncio
      gives, with its trace
  aioqueue-sim cpython [--random RUNS] [--seed SEED] [--only FAMILY] [FILE|'<scenario>'...]
      runs scenarios on real CPython asyncio and on aioqueue (asyncio
      scheduler), and compares every result, wake, comparison and count;
      without FILEs: the small exhaustive families, the tie families, every
      file in sim/scenarios/, and RUNS random scenarios (default 20000, seed
      from the date); exits 1 on any difference
  aioqueue-sim rules [--root DIR]
      every rule ID of docs/semantics.md with the tests, model lines, src/
      lines and fuzz targets that cite it, and its evidence; exits 1 if a
      rule is cited by no test, an ID cited is not defined, or an ID is
      defined twice. Last line: `rules: X of Y covered`
  aioqueue-sim stress [--seconds N] [--seed SEED] [--runtime threads|tokio]
                      [--runs-per-plan N] [--plan '<plan>']
      the real queue on real threads: random plans (up to 4 tasks x 4
      ops, marked drops: get!pending, put 1!woken, join!timeout) run many
      times on OS threads and on tokio multi_thread (both unless
      --runtime), every history checked for linearizability against the
      model; --plan: that plan only. Default 60 s, seed from the date.
      Exits 1 on a violation, with the history as a timeline (and an SVG
      in target/). Last line: `stress: R runs, H histories, V violations`
  aioqueue-sim doc-tables [--check] [--root DIR]
      generates the worked-example tables of docs/semantics.md from their
      runs (each marked `<!-- table: FILE -->`) and rewrites the document;
      --check: only compare, exit 1 if a table differs

scenarios: `fifo|lifo|priority maxsize=N | <task 0 ops> | <task 1 ops> ...`,
  ops separated by commas: put X, try_put X, get, try_get, get_many N,
  try_get_many N, task_done, join, shutdown, shutdown_immediate, yield,
  cancel N (Task.cancel() of task N).
  An item X is a key and an optional letter comparisons ignore: 1, 1a, 1b.
schedules: p0 (poll task 0), s0 (poll it again, same waker), f0 (again,
  new waker), d0 (drop its future: cancel)";

/// `println!`/`print!` that end the command quietly when stdout is closed
/// (`aioqueue-sim explore | head`) instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {
        emit(format_args!("{}\n", format_args!($($arg)*)))
    };
}

macro_rules! say_partial {
    ($($arg:tt)*) => {
        emit(format_args!($($arg)*))
    };
}

fn emit(text: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(error) = out.write_fmt(text).and_then(|()| out.flush()) {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("cannot write to stdout: {error}");
            std::process::exit(2);
        }
        std::process::exit(0);
    }
}

/// The usage of one command (its lines of [`USAGE`]) and the grammar of
/// scenarios and schedules; all of it for no command or an unknown one.
fn usage_of(command: Option<&str>) -> String {
    let Some(command) = command else {
        return USAGE.to_string();
    };
    let start = format!("  aioqueue-sim {command}");
    let mut lines = USAGE.lines().skip_while(|l| !l.starts_with(&start));
    let Some(first) = lines.next() else {
        return USAGE.to_string();
    };
    let own = lines.take_while(|l| !l.starts_with("  aioqueue-sim ") && !l.is_empty());
    let grammar = USAGE.lines().skip_while(|l| !l.starts_with("scenarios:"));
    let mut text = format!("usage:\n{first}\n");
    for line in own.chain([""]).chain(grammar) {
        text.push_str(line);
        text.push('\n');
    }
    text
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        let command = args.first().filter(|a| !a.starts_with('-'));
        say_partial!("{}", usage_of(command.map(String::as_str)));
        return ExitCode::SUCCESS;
    }
    let result = match args.first().map(String::as_str) {
        Some("explore") => explore(&args[1..]),
        Some("replay") => replay(&args[1..]),
        Some("outcomes") => outcomes(&args[1..]),
        Some("cpython") => cpython(&args[1..]),
        Some("rules") => rules(&args[1..]),
        Some("doc-tables") => doc_tables(&args[1..]),
        Some("stress") => stress(&args[1..]),
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
    let lock = lock_flag(args)?;
    let options = RunOptions {
        lock,
        ..RunOptions::default()
    };
    let started = Instant::now();
    let mut totals = Totals::default();
    say!("exhaustive (DFS with state hashing; polls, spurious polls, fresh wakers, drops):");
    for mut family in chosen_families(args)? {
        family.options.fresh_wakers = flag(args, "--fresh-wakers", family.options.fresh_wakers)?;
        family.options.quiet_polls = flag(args, "--quiet-polls", family.options.quiet_polls)?;
        family.options.lock = lock;
        totals.add(explore_family(&family));
    }
    totals.add(explore_polls_only(options));
    totals.add(random_and_pct(random_runs, seed, options));
    let secs = started.elapsed().as_secs_f64();
    say!(
        "summary: {} scenarios, {} schedules, {} distinct states, {} steps, {} divergences, {secs:.1} s ({:.0} schedules/s exhaustive)",
        totals.scenarios,
        totals.schedules,
        totals.states,
        totals.steps,
        totals.failures.len(),
        totals.schedules as f64 / secs.max(1e-9)
    );
    if let Some(first) = totals.failures.into_iter().next() {
        say!("\nfirst divergence, minimised:");
        say_partial!("{}", render(&minimise(first, options)));
        return Ok(false);
    }
    Ok(true)
}

/// The queue `--lock` asks for: `shared` (the default) or `local`.
fn lock_flag(args: &[String]) -> Result<LockKind, String> {
    match args.iter().position(|a| a == "--lock") {
        None => Ok(LockKind::Shared),
        Some(at) => match args.get(at + 1).map(String::as_str) {
            Some("shared") => Ok(LockKind::Shared),
            Some("local") => Ok(LockKind::Local),
            _ => Err(format!("--lock needs `shared` or `local`\n{USAGE}")),
        },
    }
}

/// The families `--quick`, `--large` and `--only` ask for.
fn chosen_families(args: &[String]) -> Result<Vec<Family>, String> {
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
    Ok(families)
}

/// Every schedule of every scenario of one family, on every core.
fn explore_family(family: &Family) -> Totals {
    let family_start = Instant::now();
    let list = family.scenarios();
    let totals = explore_in_parallel(family.name, &list, family.options);
    let secs = family_start.elapsed().as_secs_f64();
    say!(
        "  {:<28} {:>7} scenarios {:>11} schedules {:>11} states  {:>7.1} s  {:>9.0} schedules/s",
        family.name,
        list.len(),
        totals.schedules,
        totals.states,
        secs,
        totals.schedules as f64 / secs.max(1e-9)
    );
    totals
}

/// One-task scenarios, polls only: the orderings and the heaps of ties.
fn explore_polls_only(options: RunOptions) -> Totals {
    let polls_only = RunOptions {
        spurious: false,
        cancel: false,
        ..options
    };
    let mut totals = Totals::default();
    let parts = [
        ("orderings", order_scenarios(), "one task, 5 or 9 items"),
        (
            "ties: 1 task x up to 6 ops",
            tie_programs(6).scenarios(),
            "priority",
        ),
    ];
    for (name, scenarios, what) in parts {
        for scenario in &scenarios {
            let (stats, failure) = dfs::explore(scenario, polls_only, |_| {});
            totals.schedules += stats.schedules;
            totals.states += stats.states;
            totals.steps += stats.steps;
            totals.failures.extend(failure);
        }
        totals.scenarios += scenarios.len() as u64;
        say!(
            "  {name:<28} {:>7} scenarios ({what}, polls only)",
            scenarios.len()
        );
    }
    totals
}

/// `runs` random scenarios, each under a random and a PCT schedule.
fn random_and_pct(runs: u64, seed: u64, options: RunOptions) -> Totals {
    say!("random and PCT (seed {seed}, {runs} runs each, up to 4 tasks x 4 ops, maxsize 0..=3):");
    let sweep_start = Instant::now();
    let mut totals = Totals::default();
    let mut rng = SplitMix64::new(seed);
    for index in 0..runs {
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
        totals.steps += (random_run.steps.len() + pct_run.steps.len()) as u64;
        totals.failures.extend(
            [random_run, pct_run]
                .into_iter()
                .filter(|r| r.failure.is_some()),
        );
        if index.is_multiple_of(1000) || index + 1 == runs {
            progress("random + PCT", index as usize + 1, runs as usize);
        }
    }
    end_progress();
    say!(
        "  {} runs in {:.1} s",
        2 * runs,
        sweep_start.elapsed().as_secs_f64()
    );
    totals
}

/// What a family's exploration found.
#[derive(Default)]
struct Totals {
    scenarios: u64,
    schedules: u64,
    states: u64,
    steps: u64,
    failures: Vec<RunReport>,
}

impl Totals {
    fn add(&mut self, other: Totals) {
        self.scenarios += other.scenarios;
        self.schedules += other.schedules;
        self.states += other.states;
        self.steps += other.steps;
        self.failures.extend(other.failures);
    }
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
                totals
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .add(mine);
            });
        }
    });
    progress(name, list.len(), list.len());
    end_progress();
    let mut totals = totals.into_inner().unwrap_or_else(PoisonError::into_inner);
    totals.scenarios = list.len() as u64;
    totals
}

/// A progress bar on stderr, redrawn in place; only on a terminal, so
/// that a log gets no `\r` frames.
fn progress(name: &str, done: usize, total: usize) {
    const WIDTH: usize = 30;
    if !std::io::stderr().is_terminal() {
        return;
    }
    let filled = done * WIDTH / total.max(1);
    eprint!(
        "\r  {name:<28} [{}{}] {done}/{total}",
        "#".repeat(filled),
        " ".repeat(WIDTH - filled)
    );
    let _ = std::io::stderr().flush();
}

/// Ends a progress bar's line (on a terminal).
fn end_progress() {
    if std::io::stderr().is_terminal() {
        eprintln!();
    }
}

fn replay(args: &[String]) -> Result<bool, String> {
    if args.first().map(String::as_str) == Some("--asyncio") {
        let scenario = scenario_argument(&args[1..])?;
        return show_asyncio_run(&scenario);
    }
    let replay = match args {
        [file] if Path::new(file).is_file() => {
            let text =
                std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
            Replay::parse_file(&text).map_err(|e| format!("{file}: {e}"))?
        }
        _ => Replay::parse(&args.join(" ")).map_err(|e| format!("{e}\n{USAGE}"))?,
    };
    let mut scheduler = ReplayScheduler::strict(replay.schedule.clone(), replay.possible.clone());
    let report = run(&replay.scenario, &mut scheduler, RunOptions::default());
    say_partial!("{}", render(&report));
    if let Some(problem) = scheduler.problem() {
        say!(
            "replay stopped after {} of {} actions: {problem}",
            report.schedule.len(),
            replay.schedule.len()
        );
        return Ok(false);
    }
    Ok(report.failure.is_none())
}

/// A scenario given as a file name or inline (the words joined).
fn scenario_argument(words: &[String]) -> Result<Scenario, String> {
    let words: Vec<&String> = words.iter().filter(|w| !w.starts_with("--")).collect();
    let first = words.first().ok_or_else(|| USAGE.to_string())?;
    let looks_like_a_path = first.contains('/') || first.ends_with(".txt");
    if words.len() == 1 && (looks_like_a_path || Path::new(first.as_str()).is_file()) {
        let text = std::fs::read_to_string(first.as_str())
            .map_err(|e| format!("cannot read {first}: {e}"))?;
        return text.parse().map_err(|e| format!("{first}: {e}"));
    }
    let text = words
        .iter()
        .map(|w| w.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    text.parse().map_err(|e| format!("`{text}`: {e}\n{USAGE}"))
}

/// The trace of the run asyncio gives, as the simulator shows it and in
/// the line format compared with CPython.
fn show_asyncio_run(scenario: &Scenario) -> Result<bool, String> {
    let report = cpython::run_asyncio(scenario)?;
    say_partial!("{}", render(&report));
    say!("as compared with CPython (`cpython` command):");
    for line in cpython::trace::render(&report) {
        say!("  {line}");
    }
    Ok(report.failure.is_none())
}

fn outcomes(args: &[String]) -> Result<bool, String> {
    let words: Vec<String> = positional(args, &["--where"])
        .into_iter()
        .cloned()
        .collect();
    let scenario = scenario_argument(&words)?;
    if args.iter().any(|a| a == "--asyncio") {
        say!("scenario: {scenario}");
        let report = cpython::run_asyncio(&scenario)?;
        say!(
            "the one outcome asyncio gives:\n{}",
            describe_outcome(&report)
        );
        say!("e.g. {}", aioqueue_sim::trace::replay_string(&report));
        return Ok(report.failure.is_none());
    }
    let with_cancel = args.iter().any(|a| a == "--with-cancel");
    let options = RunOptions {
        spurious: with_cancel,
        cancel: with_cancel,
        key_with_results: true,
        ..RunOptions::default()
    };
    let wanted = match args.iter().position(|a| a == "--where") {
        Some(at) => Some(
            args.get(at + 1)
                .ok_or("--where needs a text, e.g. 't1: get -> 1'")?,
        ),
        None => None,
    };
    // Each outcome with the shortest schedule seen, shortened further.
    let mut seen: BTreeMap<String, Vec<aioqueue_sim::executor::Action>> = BTreeMap::new();
    let (stats, failure) = dfs::explore(&scenario, options, |report| {
        if report.failure.is_none() && !report.stopped_early {
            let entry = seen.entry(describe_outcome(report)).or_default();
            if entry.is_empty() || report.schedule.len() < entry.len() {
                *entry = report.schedule.clone();
            }
        }
    });
    let total = seen.len();
    seen.retain(|outcome, _| wanted.is_none_or(|text| outcome.contains(text.as_str())));
    say!("scenario: {scenario}");
    say!(
        "{total} distinct outcomes over {} schedules ({} states){}:",
        stats.schedules,
        stats.states,
        wanted.map_or(String::new(), |text| format!(
            "; {} of them with `{text}`",
            seen.len()
        ))
    );
    for (index, (outcome, schedule)) in seen.iter().enumerate() {
        let example = shortest_schedule(&scenario, schedule, options, outcome);
        say!("\n#{}\n{outcome}  shortest: {example}", index + 1);
    }
    if let Some(report) = failure {
        say!("\nDIVERGENCE:\n{}", render(&report));
        return Ok(false);
    }
    Ok(true)
}

/// `cpython`: the scenarios of the chosen scope, on CPython and on aioqueue.
fn cpython(args: &[String]) -> Result<bool, String> {
    let started = Instant::now();
    let python = cpython::python::find()?;
    let files: Vec<&String> = positional(args, &["--random", "--seed", "--only"]);
    let default_runs = if files.is_empty() { 20_000 } else { 0 };
    let random_runs: usize = flag(args, "--random", default_runs)?;
    let seed: u64 = flag(args, "--seed", aioqueue_sim::explore::date_seed())?;
    let only = args
        .iter()
        .position(|a| a == "--only")
        .map(|at| {
            args.get(at + 1)
                .cloned()
                .ok_or("--only needs a family name")
        })
        .transpose()?;
    let mut parts: Vec<(String, Vec<Scenario>)> = Vec::new();
    if files.is_empty() {
        let mut families = test_families();
        families.push(tie_programs(6));
        for family in families {
            if only.as_ref().is_none_or(|name| *name == family.name) {
                parts.push((format!("family `{}`", family.name), family.scenarios()));
            }
        }
        if only.is_none() {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
            parts.push((
                format!("files in {}", dir.display()),
                cpython::scenario_files(&dir)?,
            ));
        }
    } else {
        let mut listed = Vec::new();
        for file in &files {
            listed.push(scenario_argument(std::slice::from_ref(*file))?);
        }
        parts.push(("the scenarios given".to_string(), listed));
    }
    if random_runs > 0 {
        let mut rng = SplitMix64::new(seed);
        let list = (0..random_runs)
            .map(|_| random::random_scenario(&mut rng, 4, 4))
            .collect();
        parts.push((format!("random (seed {seed}, up to 4 tasks x 4 ops)"), list));
    }
    let mut total = cpython::Coverage::default();
    let mut differences = Vec::new();
    let (mut python_seconds, mut rust_seconds) = (0.0, 0.0);
    let mut header = String::new();
    for (index, (name, scenarios)) in parts.iter().enumerate() {
        let part_start = Instant::now();
        // Scenarios the user named are shown side by side, same or not.
        let show = index == 0 && !files.is_empty();
        let compared = cpython::compare_keeping(&python, scenarios, show)?;
        for pair in &compared.pairs {
            say!("{}", pair.render());
        }
        header.clone_from(&compared.python);
        say!(
            "  {name}: {} scenarios, {} identical, {} different ({:.1} s)",
            scenarios.len(),
            compared.coverage.identical,
            compared.differences.len(),
            part_start.elapsed().as_secs_f64()
        );
        python_seconds += compared.python_seconds;
        rust_seconds += compared.rust_seconds;
        total.add(&compared.coverage);
        differences.extend(compared.differences);
    }
    say!("oracle: {header} ({})", python.display());
    say!(
        "covered: {} wakes, {} lost races (woken, then waited again), {} cancelled woken waiters, {} cancelled waiting tasks, {} shutdowns, {} comparisons of equal keys",
        total.wakes, total.lost_races, total.cancelled_notified, total.cancelled_waiting, total.shutdowns, total.ties
    );
    say!(
        "time: CPython {python_seconds:.1} s, aioqueue {rust_seconds:.1} s (thread-safe and local queues), {:.1} s in all",
        started.elapsed().as_secs_f64()
    );
    let shown_already = !files.is_empty();
    for difference in differences.iter().filter(|_| !shown_already).take(5) {
        say!("\n{}", difference.render());
    }
    if differences.len() > 5 {
        say!("({} more differences not shown)", differences.len() - 5);
    }
    say!(
        "cpython: {} identical, {} different",
        total.identical,
        differences.len()
    );
    Ok(differences.is_empty())
}

/// Arguments that are not flags nor a flag's value.
fn positional<'a>(args: &'a [String], with_value: &[&str]) -> Vec<&'a String> {
    let mut out = Vec::new();
    let mut skip = false;
    for arg in args {
        if std::mem::take(&mut skip) {
            continue;
        }
        if with_value.contains(&arg.as_str()) {
            skip = true;
        } else if !arg.starts_with("--") {
            out.push(arg);
        }
    }
    out
}

/// Each task's results and the queue's end state, one line per task.
/// The replay string of a shortest schedule with `outcome`: `schedule` with
/// every action taken out whose removal still ends the run with `outcome`.
fn shortest_schedule(
    scenario: &Scenario,
    schedule: &[aioqueue_sim::executor::Action],
    options: RunOptions,
    outcome: &str,
) -> String {
    let ends_so = |candidate: &[aioqueue_sim::executor::Action]| {
        let mut scheduler = ReplayScheduler::new(candidate.to_vec());
        let report = run(scenario, &mut scheduler, options);
        let whole = report.schedule.len() == candidate.len() && scheduler.problem().is_none();
        (whole
            && report.failure.is_none()
            && !report.stopped_early
            && describe_outcome(&report) == outcome)
            .then_some(report)
    };
    let mut best = schedule.to_vec();
    let mut at = best.len();
    while at > 0 {
        at -= 1;
        let mut candidate = best.clone();
        candidate.remove(at);
        if ends_so(&candidate).is_some() {
            best = candidate;
        }
    }
    match ends_so(&best) {
        Some(report) => aioqueue_sim::trace::replay_string(&report),
        None => format!("{scenario} @ {}", aioqueue_sim::trace::show_schedule(&best)),
    }
}

/// What happened to each operation that returned nothing: cancelled before
/// its first poll, while waiting, or after it was woken and before it ran;
/// still waiting at the end; or never started.
fn unfinished_labels(report: &RunReport) -> Vec<Vec<&'static str>> {
    let tasks = &report.scenario.tasks;
    let mut labels: Vec<Vec<&'static str>> =
        tasks.iter().map(|p| vec!["not started"; p.len()]).collect();
    let mut pc = vec![0; tasks.len()];
    let mut polled = vec![false; tasks.len()];
    for step in &report.steps {
        let t = step.action.task();
        let Some(label) = labels[t].get_mut(pc[t]) else {
            continue;
        };
        if let Action::Drop(_) = step.action {
            *label = if step.was_notified {
                "cancelled after it was woken, before it ran"
            } else if polled[t] {
                "cancelled while waiting"
            } else {
                "cancelled before its first poll"
            };
            pc[t] += 1;
            polled[t] = false;
        } else if step.outcome.result.is_some() {
            pc[t] += 1;
            polled[t] = false;
        } else {
            *label = "(still waiting)";
            polled[t] = true;
        }
    }
    labels
}

fn describe_outcome(report: &RunReport) -> String {
    let mut out = String::new();
    let labels = unfinished_labels(report);
    for (task, results) in report.results.iter().enumerate() {
        let shown: Vec<String> = report.scenario.tasks[task]
            .iter()
            .enumerate()
            .map(|(i, op)| match results.get(i) {
                Some(Some(result)) => format!("{op} -> {}", aioqueue_sim::runner::describe(result)),
                _ => format!("{op} -> {}", labels[task][i]),
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

/// `--root DIR`, or this checkout.
fn root(args: &[String]) -> Result<std::path::PathBuf, String> {
    match args.iter().position(|a| a == "--root") {
        Some(at) => Ok(args
            .get(at + 1)
            .map(Path::new)
            .ok_or("--root needs a directory")?
            .to_path_buf()),
        None => Ok(Path::new(env!("CARGO_MANIFEST_DIR")).join("..")),
    }
}

/// `doc-tables`: regenerate (or `--check`) the worked examples.
fn doc_tables(args: &[String]) -> Result<bool, String> {
    let root = root(args)?;
    let path = root.join("docs/semantics.md");
    let document =
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let generated = aioqueue_sim::doc_tables::regenerate(&document, &root)?;
    let tables = aioqueue_sim::doc_tables::sources(&document).len();
    if generated == document {
        say!("doc-tables: {tables} tables, all as generated");
        return Ok(true);
    }
    if args.iter().any(|a| a == "--check") {
        say!("doc-tables: docs/semantics.md differs from its runs; run `cargo run -p aioqueue-sim -- doc-tables`");
        return Ok(false);
    }
    std::fs::write(&path, generated).map_err(|e| format!("{}: {e}", path.display()))?;
    say!("doc-tables: {tables} tables regenerated in docs/semantics.md");
    Ok(true)
}

/// `rules`: the rule index of the repository (this checkout by default).
fn rules(args: &[String]) -> Result<bool, String> {
    let report = aioqueue_sim::rules::index(&root(args)?)?;
    say!("{report}");
    Ok(report.is_clean())
}

/// `stress`: the real queue on real threads, histories checked against the
/// model (`aioqueue_sim::threads::stress`).
fn stress(args: &[String]) -> Result<bool, String> {
    use aioqueue_sim::threads::{real::Runtime, stress};
    let defaults = stress::Options::default();
    let runtimes = match args.iter().position(|a| a == "--runtime") {
        None => defaults.runtimes.clone(),
        Some(at) => match args.get(at + 1).map(String::as_str) {
            Some("threads") => vec![Runtime::Threads],
            Some("tokio") => vec![Runtime::Tokio],
            _ => {
                return Err(format!(
                    "--runtime takes `threads` or `tokio`\n{}",
                    usage_of(Some("stress"))
                ))
            }
        },
    };
    let plan = match args.iter().position(|a| a == "--plan") {
        None => None,
        Some(at) => Some(
            args.get(at + 1)
                .ok_or("--plan needs a plan, e.g. 'fifo maxsize=1 | put 1 | get!pending'")?
                .parse()
                .map_err(|e| format!("--plan: {e}"))?,
        ),
    };
    let options = stress::Options {
        duration: std::time::Duration::from_secs(flag(args, "--seconds", 60)?),
        seed: flag(args, "--seed", defaults.seed)?,
        runtimes,
        runs_per_plan: flag(args, "--runs-per-plan", defaults.runs_per_plan)?,
        plan,
        ..defaults
    };
    stress::stress(&options, &mut |line| say!("{line}"))
}
