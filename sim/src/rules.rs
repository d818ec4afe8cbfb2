//! The rule index: every rule ID `docs/semantics.md` defines, every place in
//! the repository that cites one, and what kind of evidence each place is.
//!
//! A rule is defined where the document writes `**PUT-3**` at the start of a
//! list item, or `### EX-1:` as a heading. A citation is the bare ID
//! anywhere in a source, test, scenario or fuzz file. A rule is *covered*
//! when some test cites it: the model and `src/` cite the rules they
//! implement, but only a test can show that a rule holds.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

/// The rule groups of `docs/semantics.md`, in the document's order.
pub const GROUPS: [&str; 25] = [
    "STATE", "ORDER", "WAKE", "NEW", "SIZE", "TRYPUT", "PUT", "TRYGET", "GET", "MANY", "DONE",
    "JOIN", "SHUT", "COUNT", "DEBUG", "CANCEL", "POLL", "OWNED", "BLOCK", "STREAM", "PANIC",
    "LOCAL", "HIST", "DIFF", "EX",
];

/// What kind of place cites a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// A scenario under `sim/scenarios/`, or the oracle's own tests: run on
    /// CPython 3.13 and on aioqueue, traces compared line by line.
    CPython,
    /// `tests/cpython_test_queues.rs`: a port of CPython's `test_queues.py`.
    PortedTest,
    /// The simulator's tests, families and replays: model against crate.
    Simulator,
    /// `tests/loom.rs` (and thread-level stress): real threads.
    Loom,
    /// The crate's own tests (`tests/`, unit tests under `#[cfg(test)]`).
    CrateTest,
    /// A fuzz target.
    Fuzz,
    /// The reference model, `sim/src/model.rs`: where the rule is written as code.
    Model,
    /// The implementation, `src/` outside its tests.
    Implementation,
    /// Other documents (`docs/`, the README): prose.
    Prose,
    /// The simulator's other code (schedulers, tooling).
    Tooling,
}

impl Source {
    /// Whether a citation from here is a test that can fail.
    pub fn is_test(self) -> bool {
        matches!(
            self,
            Source::CPython
                | Source::PortedTest
                | Source::Simulator
                | Source::Loom
                | Source::CrateTest
                | Source::Fuzz
        )
    }

    /// The evidence tag the report prints.
    pub fn tag(self) -> &'static str {
        match self {
            Source::CPython => "CPython 3.13",
            Source::PortedTest => "ported CPython test",
            Source::Simulator => "simulator",
            Source::Loom => "loom",
            Source::CrateTest => "crate test",
            Source::Fuzz => "fuzz",
            Source::Model => "model",
            Source::Implementation => "src",
            Source::Prose => "prose",
            Source::Tooling => "tooling",
        }
    }
}

/// One place that names a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citation {
    /// The rule ID as written.
    pub id: String,
    /// The file, relative to the repository's root.
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// What kind of place it is.
    pub source: Source,
}

/// A rule and everything that cites it.
#[derive(Clone, Debug)]
pub struct Rule {
    /// `PUT-3`.
    pub id: String,
    /// Where `docs/semantics.md` defines it (1-based line).
    pub line: usize,
    /// Everything that cites it, in path and line order.
    pub citations: Vec<Citation>,
}

impl Rule {
    /// The kinds of evidence behind the rule, strongest first, tests only;
    /// `prose only` when no test cites it.
    pub fn evidence(&self) -> Vec<&'static str> {
        let mut kinds: Vec<Source> = self
            .citations
            .iter()
            .map(|c| c.source)
            .filter(|s| s.is_test())
            .collect();
        kinds.sort();
        kinds.dedup();
        if kinds.is_empty() {
            return vec!["prose only"];
        }
        kinds.into_iter().map(Source::tag).collect()
    }

    /// Whether some test cites it.
    pub fn is_covered(&self) -> bool {
        self.citations.iter().any(|c| c.source.is_test())
    }
}

/// The whole index, and what is wrong with it.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Every rule the document defines, in the document's order.
    pub rules: Vec<Rule>,
    /// Citations of IDs the document does not define.
    pub undefined: Vec<Citation>,
    /// IDs the document defines more than once, with the lines.
    pub duplicates: Vec<(String, Vec<usize>)>,
}

impl Report {
    /// How many rules some test cites.
    pub fn covered(&self) -> usize {
        self.rules.iter().filter(|r| r.is_covered()).count()
    }

    /// No uncovered rule, no undefined citation, no duplicate.
    pub fn is_clean(&self) -> bool {
        self.covered() == self.rules.len()
            && self.undefined.is_empty()
            && self.duplicates.is_empty()
    }

    /// The rules of one group, in order.
    pub fn group<'a>(&'a self, group: &'a str) -> impl Iterator<Item = &'a Rule> + 'a {
        self.rules
            .iter()
            .filter(move |r| r.id.split('-').next() == Some(group))
    }
}

impl fmt::Display for Report {
    /// One line per rule (its evidence), then its citations indented; then
    /// what is wrong; the last line is `rules: X of Y covered`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for rule in &self.rules {
            writeln!(f, "{:<10} {}", rule.id, rule.evidence().join(", "))?;
            for c in &rule.citations {
                writeln!(
                    f,
                    "    {}:{} ({})",
                    c.path.display(),
                    c.line,
                    c.source.tag()
                )?;
            }
        }
        for rule in self.rules.iter().filter(|r| !r.is_covered()) {
            writeln!(
                f,
                "uncovered: {} (docs/semantics.md:{}) is cited by no test",
                rule.id, rule.line
            )?;
        }
        for c in &self.undefined {
            writeln!(
                f,
                "undefined: {}:{} cites {}, which docs/semantics.md does not define",
                c.path.display(),
                c.line,
                c.id
            )?;
        }
        for (id, lines) in &self.duplicates {
            let lines: Vec<String> = lines.iter().map(usize::to_string).collect();
            writeln!(
                f,
                "duplicate: {id} is defined at docs/semantics.md lines {}",
                lines.join(", ")
            )?;
        }
        write!(
            f,
            "rules: {} of {} covered",
            self.covered(),
            self.rules.len()
        )
    }
}

/// Every rule ID in `text`, with its 1-based line: `GROUP-N` where GROUP is
/// one of [`GROUPS`], standing alone (not inside a longer word).
pub fn ids_in(text: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let bytes = line.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let starts_word = at == 0 || !is_word(bytes[at - 1]);
            if starts_word && bytes[at].is_ascii_uppercase() {
                if let Some((id, end)) = id_at(line, at) {
                    found.push((id, n + 1));
                    at = end;
                    continue;
                }
            }
            at += 1;
        }
    }
    found
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The ID starting at byte `at`, and where it ends.
fn id_at(line: &str, at: usize) -> Option<(String, usize)> {
    let rest = &line[at..];
    let group = GROUPS
        .iter()
        .filter(|g| rest.starts_with(*g) && rest[g.len()..].starts_with('-'))
        .max_by_key(|g| g.len())?;
    let digits_at = at + group.len() + 1;
    let digits = line[digits_at..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    let end = digits_at + digits;
    let ends_word = line.as_bytes().get(end).is_none_or(|b| !is_word(*b));
    (digits > 0 && ends_word).then(|| (line[at..end].to_string(), end))
}

/// The rules `docs/semantics.md` defines: `- **ID**` list items and
/// `### ID:` headings, with their lines.
pub fn definitions(semantics: &str) -> Vec<(String, usize)> {
    let mut defined = Vec::new();
    for (n, line) in semantics.lines().enumerate() {
        let text = line.trim_start();
        let candidate = if let Some(item) = text.strip_prefix("- ") {
            // After an optional anchor: `- <a id="X"></a>**X**`.
            let item = match item.find("</a>") {
                Some(end) if item.starts_with("<a id=") => &item[end + 4..],
                _ => item,
            };
            item.strip_prefix("**")
                .and_then(|rest| rest.split_once("**"))
                .map(|(id, _)| id)
        } else {
            text.strip_prefix("### ")
                .and_then(|rest| rest.split_once(':'))
                .map(|(id, _)| id)
        };
        if let Some(id) = candidate {
            if ids_in(id).first().is_some_and(|(found, _)| found == id) {
                defined.push((id.to_string(), n + 1));
            }
        }
    }
    defined
}

/// What kind of place `path` (relative to the root) is, at `line`, given
/// the line at which the file's `#[cfg(test)]` part starts.
fn source_of(path: &Path, line: usize, tests_from: Option<usize>) -> Source {
    let p = path.to_string_lossy().replace('\\', "/");
    let in_tests = tests_from.is_some_and(|from| line >= from);
    if p.starts_with("sim/scenarios/") || p == "sim/tests/cpython_oracle.rs" {
        Source::CPython
    } else if p == "tests/cpython_test_queues.rs" {
        Source::PortedTest
    } else if p == "tests/loom.rs" || p.starts_with("tests/loom_") {
        Source::Loom
    } else if p.starts_with("sim/tests/")
        || p.starts_with("sim/replays/")
        || p == "sim/src/families.rs"
    {
        Source::Simulator
    } else if p == "sim/src/model.rs" {
        if in_tests {
            Source::Simulator
        } else {
            Source::Model
        }
    } else if p.starts_with("sim/") {
        Source::Tooling
    } else if p.starts_with("tests/") {
        Source::CrateTest
    } else if p.starts_with("fuzz/") {
        Source::Fuzz
    } else if p.starts_with("src/") {
        if in_tests {
            Source::CrateTest
        } else {
            Source::Implementation
        }
    } else {
        Source::Prose
    }
}

/// The files that may cite rules, relative to `root`: sources, tests,
/// scenarios, fuzz targets, and the other documents.
fn cited_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [
        "src",
        "tests",
        "sim/src",
        "sim/tests",
        "sim/scenarios",
        "sim/replays",
        "fuzz/src",
        "fuzz/fuzz_targets",
        "benches/src",
        "examples",
    ] {
        walk(root, &root.join(dir), &mut files);
    }
    for doc in ["README.md", "docs/verification.md", "docs/performance.md"] {
        if root.join(doc).is_file() {
            files.push(PathBuf::from(doc));
        }
    }
    // This module's own tests cite made-up IDs on purpose.
    files.retain(|p| p != Path::new("sim/src/rules.rs"));
    files.sort();
    files
}

fn walk(root: &Path, dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, files);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("rs" | "txt" | "py")
        ) {
            if let Ok(relative) = path.strip_prefix(root) {
                files.push(relative.to_path_buf());
            }
        }
    }
}

/// The 1-based lines inside the code blocks of doc comments: doc tests,
/// which `cargo test` runs.
fn doc_test_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let mut inside = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_start();
        let Some(doc) = line
            .strip_prefix("///")
            .or_else(|| line.strip_prefix("//!"))
        else {
            inside = false;
            continue;
        };
        if doc.trim_start().starts_with("```") {
            inside = !inside;
        } else if inside {
            lines.push(n + 1);
        }
    }
    lines
}

/// Builds the index for the repository at `root`.
pub fn index(root: &Path) -> Result<Report, String> {
    let semantics_path = root.join("docs/semantics.md");
    let semantics = fs::read_to_string(&semantics_path)
        .map_err(|e| format!("cannot read {}: {e}", semantics_path.display()))?;
    index_from(root, &semantics)
}

/// Builds the index for the repository at `root`, with `semantics` as the
/// text of `docs/semantics.md`.
pub fn index_from(root: &Path, semantics: &str) -> Result<Report, String> {
    let mut sources = Vec::new();
    for path in cited_files(root) {
        let text = fs::read_to_string(root.join(&path))
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        sources.push((path, text));
    }
    Ok(index_of(semantics, &sources))
}

/// Builds the index from the document's text and `(path, text)` of every
/// citing file.
pub fn index_of(semantics: &str, sources: &[(PathBuf, String)]) -> Report {
    let mut report = Report::default();
    let mut lines_of: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (id, line) in definitions(semantics) {
        let lines = lines_of.entry(id.clone()).or_default();
        if lines.is_empty() {
            report.rules.push(Rule {
                id,
                line,
                citations: Vec::new(),
            });
        }
        lines.push(line);
    }
    report.duplicates = lines_of
        .iter()
        .filter(|(_, lines)| lines.len() > 1)
        .map(|(id, lines)| (id.clone(), lines.clone()))
        .collect();
    let at: BTreeMap<String, usize> = report
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect();
    let in_document = ids_in(semantics)
        .into_iter()
        .map(|(id, line)| (PathBuf::from("docs/semantics.md"), id, line, Source::Prose));
    let mut citations: Vec<(PathBuf, String, usize, Source)> = in_document.collect();
    for (path, text) in sources {
        let tests_from = text
            .lines()
            .position(|l| l.trim() == "#[cfg(test)]")
            .map(|i| i + 1);
        let doc_tests = doc_test_lines(text);
        for (id, line) in ids_in(text) {
            let mut source = source_of(path, line, tests_from);
            if source == Source::Implementation && doc_tests.contains(&line) {
                source = Source::CrateTest;
            }
            citations.push((path.clone(), id, line, source));
        }
    }
    for (path, id, line, source) in citations {
        let citation = Citation {
            id: id.clone(),
            path: path.clone(),
            line,
            source,
        };
        match at.get(&id) {
            Some(&i) => {
                if path != Path::new("docs/semantics.md") {
                    report.rules[i].citations.push(citation);
                }
            }
            None => report.undefined.push(citation),
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
- <a id=\"PUT-1\"></a>**PUT-1** a put. See `GET-1`.
- **GET-1** a get.
- **GET-1** again.

<a id=\"EX-1\"></a>

### EX-1: an example (`PUT-1`)
";

    fn file(path: &str, text: &str) -> (PathBuf, String) {
        (PathBuf::from(path), text.to_string())
    }

    #[test]
    fn ids_stand_alone_and_name_a_known_group() {
        let found: Vec<String> = ids_in("PUT-3, TRYPUT-1; bpo-23812 XPUT-2 PUT-2a GET-12 FOO-1")
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(found, ["PUT-3", "TRYPUT-1", "GET-12"]);
    }

    #[test]
    fn definitions_are_list_items_and_headings() {
        let defined: Vec<String> = definitions(DOC).into_iter().map(|(id, _)| id).collect();
        assert_eq!(defined, ["PUT-1", "GET-1", "GET-1", "EX-1"]);
    }

    #[test]
    fn a_rule_only_the_model_cites_is_uncovered() {
        let report = index_of(
            DOC,
            &[
                file("sim/src/model.rs", "// [PUT-1]\n// [GET-1]"),
                file("tests/wake_steps.rs", "// PUT-1"),
                file("sim/scenarios/docs/ex-1.txt", "# EX-1"),
            ],
        );
        let covered: Vec<(&str, bool)> = report
            .rules
            .iter()
            .map(|r| (r.id.as_str(), r.is_covered()))
            .collect();
        assert_eq!(covered, [("PUT-1", true), ("GET-1", false), ("EX-1", true)]);
        assert_eq!(report.rules[0].evidence(), ["crate test"]);
        assert_eq!(report.rules[1].evidence(), ["prose only"]);
        assert_eq!(report.rules[2].evidence(), ["CPython 3.13"]);
        assert!(!report.is_clean());
        assert!(report.to_string().ends_with("rules: 2 of 3 covered"));
    }

    #[test]
    fn undefined_ids_and_duplicates_are_reported() {
        let report = index_of(DOC, &[file("tests/a.rs", "PUT-1 GET-1 EX-1 PUT-9")]);
        assert_eq!(report.undefined.len(), 1);
        assert_eq!(report.undefined[0].id, "PUT-9");
        assert_eq!(report.duplicates, [("GET-1".to_string(), vec![2, 3])]);
        assert!(!report.is_clean());
        let text = report.to_string();
        assert!(
            text.contains("undefined: tests/a.rs:1 cites PUT-9"),
            "{text}"
        );
        assert!(
            text.contains("duplicate: GET-1 is defined at docs/semantics.md lines 2, 3"),
            "{text}"
        );
    }

    #[test]
    fn unit_tests_in_src_are_tests_and_the_code_above_them_is_not() {
        let report = index_of(
            DOC,
            &[file(
                "src/state.rs",
                "// [PUT-1] here\nfn f() {}\n#[cfg(test)]\nmod tests { // GET-1\n}",
            )],
        );
        let sources: Vec<Source> = report.rules[..2]
            .iter()
            .map(|r| r.citations[0].source)
            .collect();
        assert_eq!(sources, [Source::Implementation, Source::CrateTest]);
    }

    #[test]
    fn doc_tests_are_tests_and_doc_prose_is_not() {
        let report = index_of(
            DOC,
            &[file(
                "src/lib.rs",
                "/// Follows PUT-1.\n/// ```compile_fail\n/// // GET-1\n/// ```\nfn f() {}",
            )],
        );
        assert_eq!(report.rules[0].citations[0].source, Source::Implementation);
        assert_eq!(report.rules[1].citations[0].source, Source::CrateTest);
    }
}
