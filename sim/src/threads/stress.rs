//! `aioqueue-sim stress`: random plans run many times on real threads, each
//! history checked for linearizability against the model.
//!
//! Each plan (up to 4 tasks x 4 operations, every kind, maxsize 0 to 3,
//! marked drops and deadlines) runs `--runs-per-plan` times on each runtime
//! asked for, cycling through the jitter modes. Nothing is kept of a
//! history once it is checked: the figures are counters, and the endings
//! reached (for the coverage) are kept per plan, for the plan's life only.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use crate::explore::{date_seed, SplitMix64};
use crate::model::OpResult;

use super::history::History;
use super::linearize::{check, Verdict};
use super::outcome::{allowed, End, Ending};
use super::plan::{meeting_plan, random_plan, Mark, Plan};
use super::real::{run_once, Mode, Runtime};

/// What `stress` was asked to do.
#[derive(Clone, Debug)]
pub struct Options {
    /// How long to run.
    pub duration: Duration,
    /// The seed of the plans and the jitter.
    pub seed: u64,
    /// The runtimes to run on.
    pub runtimes: Vec<Runtime>,
    /// Runs of each plan on each runtime.
    pub runs_per_plan: usize,
    /// The most states a linearizability search may visit.
    pub limit: usize,
    /// The most states the enumeration of a plan's allowed endings (for
    /// the coverage) may visit; plans with more are not counted.
    pub coverage_limit: usize,
    /// Run this plan only, instead of random ones.
    pub plan: Option<Plan>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            duration: Duration::from_secs(60),
            seed: date_seed(),
            runtimes: vec![Runtime::Threads, Runtime::Tokio],
            runs_per_plan: 40,
            limit: 200_000,
            coverage_limit: 20_000,
            plan: None,
        }
    }
}

/// The races a run reached, counted per mode.
#[derive(Clone, Copy, Debug, Default)]
struct Races {
    waited: u64,
    lost_race: u64,
    cancelled_waiting: u64,
    cancelled_woken: u64,
    timed_out: u64,
    shutdown_while_waiting: u64,
    still_waiting: u64,
}

impl Races {
    fn count(&mut self, plan: &Plan, history: &History) {
        for (t, records) in history.tasks.iter().enumerate() {
            for (i, r) in records.iter().enumerate() {
                let waited = r.pendings > 0;
                self.waited += u64::from(waited && matches!(r.end, End::Done(_)));
                self.lost_race += u64::from(r.pendings > 1);
                match r.end {
                    End::Cancelled => {
                        self.cancelled_woken += u64::from(r.woken_when_dropped);
                        self.cancelled_waiting += u64::from(!r.woken_when_dropped);
                        self.timed_out += u64::from(plan.mark(t, i) == Mark::Timeout);
                    }
                    End::Done(OpResult::GetShutDown | OpResult::PutShutDown(_)) if waited => {
                        self.shutdown_while_waiting += 1;
                    }
                    End::StillWaiting => self.still_waiting += 1,
                    _ => {}
                }
            }
        }
    }
}

/// Check times by history length (operations started).
#[derive(Clone, Copy, Debug, Default)]
struct Cost {
    histories: u64,
    total: Duration,
    worst: Duration,
    most_states: usize,
}

/// Runs `stress`; `Ok(true)` if no history was a violation.
pub fn stress(options: &Options, say: &mut dyn FnMut(&str)) -> Result<bool, String> {
    let tokio = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .map_err(|e| format!("cannot start tokio: {e}"))?;
    let started = Instant::now();
    let mut rng = SplitMix64::new(options.seed);
    let (mut runs, mut histories, mut unknown, mut plans) = (0u64, 0u64, 0u64, 0u64);
    let mut per_runtime: BTreeMap<&str, u64> = BTreeMap::new();
    let mut races: BTreeMap<Mode, Races> = BTreeMap::new();
    let mut costs: BTreeMap<usize, Cost> = BTreeMap::new();
    let (mut reached_total, mut allowed_total, mut uncounted_plans) = (0usize, 0usize, 0u64);
    let mut longest = 0;
    say(&format!(
        "stress: seed {}, {} s, runtimes {:?}, {} runs per plan and runtime",
        options.seed,
        options.duration.as_secs(),
        options.runtimes,
        options.runs_per_plan
    ));
    while started.elapsed() < options.duration {
        let plan = match (&options.plan, rng.below(4)) {
            (Some(plan), _) => plan.clone(),
            (None, 0) => meeting_plan(&mut rng),
            (None, _) => random_plan(&mut rng, 4, 4),
        };
        plans += 1;
        let endings = allowed(&plan, options.coverage_limit);
        let mut reached: BTreeSet<Ending> = BTreeSet::new();
        for round in 0..options.runs_per_plan {
            for &runtime in &options.runtimes {
                let mode = Mode::ALL[round % Mode::ALL.len()];
                let seed = rng.next_u64();
                let history = run_once(&plan, runtime, &tokio, mode, seed);
                runs += 1;
                *per_runtime.entry(runtime_name(runtime)).or_default() += 1;
                let checking = Instant::now();
                let verdict = check(&plan, &history, options.limit);
                let took = checking.elapsed();
                let cost = costs.entry(history.len()).or_default();
                cost.histories += 1;
                cost.total += took;
                cost.worst = cost.worst.max(took);
                cost.most_states = cost.most_states.max(verdict.states());
                longest = longest.max(history.len());
                histories += 1;
                races.entry(mode).or_default().count(&plan, &history);
                match verdict {
                    Verdict::Linearizable { .. } => {}
                    Verdict::Unknown { .. } => unknown += 1,
                    Verdict::Violation { why, .. } => {
                        report_violation(&plan, runtime, mode, seed, &history, &why, say);
                        say(&format!(
                            "stress: {runs} runs, {histories} histories, 1 violations"
                        ));
                        return Ok(false);
                    }
                }
                reached.insert(history.ending);
            }
        }
        match &endings {
            Some(endings) => {
                allowed_total += endings.len();
                reached_total += reached.intersection(endings).count();
            }
            None => uncounted_plans += 1,
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    say(&format!(
        "plans: {plans}; runs: {runs} in {seconds:.1} s ({:.0} runs/s; {})",
        runs as f64 / seconds,
        per_runtime
            .iter()
            .map(|(name, n)| format!("{name} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    say(&format!(
        "coverage: real threads reached {reached_total} of the {allowed_total} endings the model allows ({:.1} %){}",
        100.0 * reached_total as f64 / allowed_total.max(1) as f64,
        match uncounted_plans {
            0 => String::new(),
            n => format!(
                "; {n} plans not counted: their endings take more than {} model states to list",
                options.coverage_limit
            ),
        }
    ));
    say("races reached, per mode (operations):");
    say("  mode    waited  lost race  dropped waiting  dropped woken  timed out  shut down while waiting  still waiting");
    for (mode, r) in &races {
        say(&format!(
            "  {:<7} {:>6}  {:>9}  {:>15}  {:>13}  {:>9}  {:>23}  {:>13}",
            format!("{mode:?}"),
            r.waited,
            r.lost_race,
            r.cancelled_waiting,
            r.cancelled_woken,
            r.timed_out,
            r.shutdown_while_waiting,
            r.still_waiting
        ));
    }
    say(&format!(
        "check time per history, by operations started (longest history: {longest} operations; search bound {} states, reached {unknown} times):",
        options.limit
    ));
    say("  ops  histories  mean µs  worst µs  most states");
    for (ops, c) in &costs {
        say(&format!(
            "  {ops:>3}  {:>9}  {:>7.1}  {:>8.1}  {:>11}",
            c.histories,
            c.total.as_secs_f64() * 1e6 / c.histories as f64,
            c.worst.as_secs_f64() * 1e6,
            c.most_states
        ));
    }
    say(&format!(
        "stress: {runs} runs, {histories} histories, 0 violations"
    ));
    Ok(true)
}

fn runtime_name(runtime: Runtime) -> &'static str {
    match runtime {
        Runtime::Threads => "threads",
        Runtime::Tokio => "tokio",
    }
}

fn report_violation(
    plan: &Plan,
    runtime: Runtime,
    mode: Mode,
    seed: u64,
    history: &History,
    why: &str,
    say: &mut dyn FnMut(&str),
) {
    say(&format!(
        "\nVIOLATION on {} ({mode:?} jitter, run seed {seed}): {why}",
        runtime_name(runtime)
    ));
    if history
        .tasks
        .iter()
        .flatten()
        .any(|r| r.end == End::StillWaiting)
    {
        say("(a task still waits: if no schedule of the model leaves it waiting, a wakeup was lost)");
    }
    say(&format!("plan: {plan}"));
    say(&format!("history:\n{}", history.timeline(plan)));
    if let Some(endings) = allowed(plan, 200_000) {
        say(&format!("the {} endings the model allows:", endings.len()));
        for ending in endings.iter().take(20) {
            say(&format!("{ending}\n"));
        }
    }
    let dir = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || std::path::PathBuf::from("target"),
        std::path::PathBuf::from,
    );
    let path = dir.join("stress-violation.svg");
    match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, history.svg(plan))) {
        Ok(()) => say(&format!("timeline drawn in {}", path.display())),
        Err(e) => say(&format!("could not write {}: {e}", path.display())),
    }
}
