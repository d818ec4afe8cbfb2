//! Finding a CPython whose asyncio has the 3.13 queues, and running the
//! trace script (`sim/python/asyncio_runner.py`) on a batch of scenarios in
//! one interpreter.
//!
//! Which Python, in order:
//! 1. `AIOQUEUE_PYTHON`, if set (used as it is; the script says what it has);
//! 2. the newest CPython ≥ 3.13 under pyenv (`$PYENV_ROOT` or `~/.pyenv`),
//!    then `python3.13` and `python3` on the `PATH` if they are ≥ 3.13:
//!    their own `asyncio` queues;
//! 3. otherwise `python3` (3.11 or 3.12) with PyPI's
//!    `backports-asyncio-queues` (3.13's queue classes, `shutdown`
//!    included), pinned, in a virtual environment under `target/`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The pinned backport, for Pythons older than 3.13.
pub const BACKPORT: &str = "backports-asyncio-queues==0.1.2";

/// The trace script, next to this crate.
pub fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("python/asyncio_runner.py")
}

/// The interpreter to run, or why there is none.
pub fn find() -> Result<PathBuf, String> {
    if let Some(chosen) = std::env::var_os("AIOQUEUE_PYTHON") {
        return Ok(PathBuf::from(chosen));
    }
    for candidate in candidates() {
        if matches!(version(&candidate), Some((3, minor)) if minor >= 13) {
            return Ok(candidate);
        }
    }
    match version(Path::new("python3")) {
        Some((3, 11 | 12)) => backport_venv(),
        Some((major, minor)) => Err(format!(
            "python3 is {major}.{minor}: the CPython oracle needs 3.13, or 3.11/3.12 with {BACKPORT}; set AIOQUEUE_PYTHON"
        )),
        None => Err(
            "no python3 found: the CPython oracle needs CPython 3.13 (or 3.11/3.12 with the backport); set AIOQUEUE_PYTHON"
                .to_string(),
        ),
    }
}

/// Pythons that may be 3.13 or newer, the likeliest first.
fn candidates() -> Vec<PathBuf> {
    let root = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".pyenv")));
    let mut found: Vec<((u32, u32, u32), PathBuf)> = root
        .and_then(|root| std::fs::read_dir(root.join("versions")).ok())
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let mut parts = name.split('.').map(|p| p.parse::<u32>().ok());
            let number = (
                parts.next()??,
                parts.next()??,
                parts.next().flatten().unwrap_or(0),
            );
            Some((number, entry.path().join("bin/python3")))
        })
        .filter(|(_, path)| path.exists())
        .collect();
    found.sort();
    let mut out: Vec<PathBuf> = found.into_iter().rev().map(|(_, path)| path).collect();
    out.push(PathBuf::from("python3.13"));
    out.push(PathBuf::from("python3"));
    out
}

/// `(major, minor)` of a Python, or `None` if it does not run.
fn version(python: &Path) -> Option<(u32, u32)> {
    let output = Command::new(python)
        .args(["-c", "import sys; print(*sys.version_info[:2])"])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut words = text.split_whitespace().map(str::parse);
    Some((words.next()?.ok()?, words.next()?.ok()?))
}

/// A virtual environment with the backport, made once under `target/`.
fn backport_venv() -> Result<PathBuf, String> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let venv = target.join("cpython-oracle-venv");
    let python = venv.join("bin/python3");
    let ready = venv.join(".installed");
    if ready.exists() {
        return Ok(python);
    }
    run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    run(Command::new(&python).args(["-m", "pip", "install", "--quiet", BACKPORT]))?;
    std::fs::write(&ready, BACKPORT).map_err(|e| format!("{}: {e}", ready.display()))?;
    Ok(python)
}

fn run(command: &mut Command) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// What the script printed: its header line (Python version and which
/// queues), and one block of lines per scenario, in input order.
pub struct Batch {
    /// `python 3.13.0 queues stdlib`.
    pub header: String,
    /// `(scenario line, its trace lines up to and including `end`)`.
    pub traces: Vec<(String, Vec<String>)>,
}

/// Runs the script on `scenarios` (one per line) in one interpreter.
pub fn run_batch(python: &Path, scenarios: &[String]) -> Result<Batch, String> {
    let mut child = Command::new(python)
        .arg(script())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", python.display()))?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or("no stdin for the Python process")?;
    let input = scenarios.join("\n") + "\n";
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .ok_or("no stdout from the Python process")?
        .read_to_string(&mut stdout)
        .map_err(|e| format!("reading the Python output: {e}"))?;
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for Python: {e}"))?;
    let _ = writer.join();
    if !status.success() {
        return Err(format!(
            "{} {} failed ({status}):\n{stderr}",
            python.display(),
            script().display()
        ));
    }
    parse(&stdout, scenarios.len())
}

fn parse(stdout: &str, expected: usize) -> Result<Batch, String> {
    let mut lines = stdout.lines();
    let header = lines
        .next()
        .filter(|line| line.starts_with("python "))
        .ok_or("the Python script printed no header line")?
        .to_string();
    let mut traces: Vec<(String, Vec<String>)> = Vec::new();
    for line in lines {
        if let Some(scenario) = line.strip_prefix("scenario ") {
            traces.push((scenario.to_string(), Vec::new()));
        } else if let Some((_, trace)) = traces.last_mut() {
            trace.push(line.to_string());
        } else {
            return Err(format!("unexpected line before any scenario: {line}"));
        }
    }
    if traces.len() != expected {
        return Err(format!(
            "sent {expected} scenarios to Python, got {} traces back",
            traces.len()
        ));
    }
    Ok(Batch { header, traces })
}
