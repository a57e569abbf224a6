//! `cargo nethooks verify`: would eBPF for Windows load it? Runs every program of
//! each object through PREVAIL, the verifier eBPF for Windows uses, with its
//! options and with the platform tables generated from the spec
//! (`generated/verifier/`), through our driver `nethooks-verifier`
//! (`verifier/nethooks_verifier.cpp`, installed by `bash .ci/install-deps`).
//!
//! A refusal is reported as PREVAIL words it, with the section, the program and the
//! instruction; for a Rust program also the Rust function and, for the common
//! refusals, what the rule means in Rust's terms.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use object::{Object, ObjectSection, ObjectSymbol, RelocationTarget, SymbolKind};
use serde::Serialize;

use crate::inspect::demangle;

/// The generated platform tables, one per spec; the driver reads them on stdin.
pub const TABLES: [&str; 2] = [
    include_str!("../../generated/verifier/bpf_helper_defs.txt"),
    include_str!("../../generated/verifier/ebpf_nethooks.txt"),
];

/// The driver's name, on PATH or in cargo's bin directory.
pub const DRIVER: &str = "nethooks-verifier";

/// How to install the driver, for the "not installed" error.
pub const INSTALL_VERIFIER: &str = "install it with `bash .ci/install-deps` in the ebpf-nethooks \
     checkout (it builds PREVAIL and nethooks-verifier once, into $CARGO_HOME/bin), or point \
     NETHOOKS_VERIFIER at a built nethooks-verifier";

#[derive(Debug)]
pub enum VerifyError {
    /// The driver is not installed: where it was looked for.
    NotInstalled { looked: Vec<PathBuf> },
    /// The driver could not run, or answered something unreadable.
    Driver(String),
}

impl VerifyError {
    pub fn exit_code(&self) -> u8 {
        match self {
            VerifyError::NotInstalled { .. } => 3,
            VerifyError::Driver(_) => 1,
        }
    }
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyError::NotInstalled { looked } => {
                let looked: Vec<String> = looked.iter().map(|p| p.display().to_string()).collect();
                write!(
                    f,
                    "the verifier `{DRIVER}` is not installed (looked for {}): {INSTALL_VERIFIER}",
                    looked.join(", ")
                )
            }
            VerifyError::Driver(why) => write!(f, "{DRIVER}: {why}"),
        }
    }
}

impl std::error::Error for VerifyError {}

/// Finds the driver: `$NETHOOKS_VERIFIER`, else `nethooks-verifier` on PATH, else in
/// `$CARGO_HOME/bin` (or `~/.cargo/bin`).
pub fn find_driver() -> Result<PathBuf, VerifyError> {
    let mut looked = Vec::new();
    if let Some(path) = std::env::var_os("NETHOOKS_VERIFIER") {
        let path = PathBuf::from(path);
        if path.is_file() {
            return Ok(path);
        }
        return Err(VerifyError::NotInstalled { looked: vec![path] });
    }
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    for dir in dirs {
        let candidate = dir.join(DRIVER);
        if candidate.is_file() {
            return Ok(candidate);
        }
        looked.push(candidate);
    }
    looked.dedup();
    Err(VerifyError::NotInstalled { looked })
}

/// The verdict on one program.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Verdict {
    pub object: PathBuf,
    pub section: String,
    /// The program's entry point symbol (for Rust, demangled).
    pub program: String,
    pub instructions: u64,
    /// How long PREVAIL took, in microseconds (for benchmarks; left out of the JSON,
    /// which stays the same from run to run).
    #[serde(skip)]
    pub micros: u64,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Outcome {
    Verified {
        /// The most loop iterations PREVAIL proved any run takes.
        loop_bound: u64,
    },
    Refused(Refusal),
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Refusal {
    /// The instruction (index into the program) PREVAIL stopped at, if any.
    pub instruction: Option<u64>,
    /// PREVAIL's message (or eBPF for Windows' own, for an unknown helper).
    pub message: String,
    /// `file:line` and the source text, when the object has line info (BTF).
    pub source: Option<String>,
    /// For a Rust object, the Rust function the program is.
    pub rust_function: Option<String>,
    /// What the rule means, in the program's language.
    pub explanation: Option<String>,
}

/// An object the driver could not read at all.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ObjectError {
    pub object: PathBuf,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub programs: Vec<Verdict>,
    pub errors: Vec<ObjectError>,
}

impl Report {
    pub fn all_verified(&self) -> bool {
        self.errors.is_empty()
            && self
                .programs
                .iter()
                .all(|v| matches!(v.outcome, Outcome::Verified { .. }))
    }

    /// One block per program (and per unreadable object), in the driver's order.
    pub fn human(&self) -> String {
        let mut out = String::new();
        for e in &self.errors {
            out.push_str(&format!("{}: error: {}\n", e.object.display(), e.message));
        }
        for v in &self.programs {
            match &v.outcome {
                Outcome::Verified { loop_bound } => out.push_str(&format!(
                    "{}: program {} (section `{}`): verified, {} instructions, loops bounded by {loop_bound}\n",
                    v.object.display(),
                    v.program,
                    v.section,
                    v.instructions
                )),
                Outcome::Refused(r) => {
                    let at = r
                        .instruction
                        .map(|i| format!(" at instruction {i}"))
                        .unwrap_or_default();
                    out.push_str(&format!(
                        "{}: program {} (section `{}`): refused{at}: {}\n",
                        v.object.display(),
                        v.program,
                        v.section,
                        r.message
                    ));
                    if let Some(function) = &r.rust_function {
                        out.push_str(&format!("  in Rust function `{function}`\n"));
                    }
                    if let Some(source) = &r.source {
                        out.push_str(&format!("  at {source}\n"));
                    }
                    if let Some(explanation) = &r.explanation {
                        out.push_str(&format!("  = {explanation}\n"));
                    }
                }
            }
        }
        out
    }
}

/// Verifies every program of every object with `driver`.
pub fn verify(driver: &Path, objects: &[PathBuf]) -> Result<Report, VerifyError> {
    let mut child = Command::new(driver)
        .arg("--tables")
        .arg("-")
        .args(objects)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| VerifyError::Driver(format!("cannot run {}: {e}", driver.display())))?;
    if let Some(mut stdin) = child.stdin.take() {
        for table in TABLES {
            stdin
                .write_all(table.as_bytes())
                .map_err(|e| VerifyError::Driver(format!("cannot send the tables: {e}")))?;
        }
    }
    let output = child
        .wait_with_output()
        .map_err(|e| VerifyError::Driver(e.to_string()))?;
    // 0: all verified, 1: some refused; anything else is the driver's own failure.
    if !matches!(output.status.code(), Some(0 | 1)) {
        return Err(VerifyError::Driver(format!(
            "exited with {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let mut report = Report::default();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        parse_record(line, &mut report)?;
    }
    for verdict in &mut report.programs {
        if let Outcome::Refused(refusal) = &mut verdict.outcome {
            explain(&verdict.object, &verdict.section, &verdict.program, refusal);
        }
    }
    // Demangled names for Rust programs (their entry points are unmangled anyway).
    for verdict in &mut report.programs {
        verdict.program = demangle(&verdict.program);
    }
    Ok(report)
}

fn parse_record(line: &str, report: &mut Report) -> Result<(), VerifyError> {
    let fields: Vec<&str> = line.split('\t').collect();
    let bad = || VerifyError::Driver(format!("unexpected output line: {line:?}"));
    let number = |s: &str| s.parse::<u64>().map_err(|_| bad());
    match fields.as_slice() {
        ["error", object, message] => report.errors.push(ObjectError {
            object: PathBuf::from(object),
            message: (*message).to_owned(),
        }),
        [
            "pass",
            object,
            section,
            program,
            instructions,
            micros,
            loop_bound,
        ] => report.programs.push(Verdict {
            object: PathBuf::from(object),
            section: (*section).to_owned(),
            program: (*program).to_owned(),
            instructions: number(instructions)?,
            micros: number(micros)?,
            outcome: Outcome::Verified {
                loop_bound: number(loop_bound)?,
            },
        }),
        [
            "fail",
            object,
            section,
            program,
            instructions,
            micros,
            pc,
            message,
            file,
            line,
            text,
        ] => {
            let source = (!file.is_empty() && *line != "0").then(|| {
                let mut shown = format!("{file}:{line}");
                if !text.trim().is_empty() {
                    shown.push_str(&format!(": {}", text.trim()));
                }
                shown
            });
            report.programs.push(Verdict {
                object: PathBuf::from(object),
                section: (*section).to_owned(),
                program: (*program).to_owned(),
                instructions: number(instructions)?,
                micros: number(micros)?,
                outcome: Outcome::Refused(Refusal {
                    instruction: pc.parse::<u64>().ok(),
                    message: (*message).to_owned(),
                    source,
                    rust_function: None,
                    explanation: None,
                }),
            })
        }
        _ => return Err(bad()),
    }
    Ok(())
}

/// What the object tells of a program: whether it is Rust, and the map whose
/// lookup last precedes instruction `pc` (for a null-check refusal).
struct ProgramFacts {
    rust: bool,
    /// The function holding the entry point, demangled.
    function: String,
    /// The map statics used by the last lookup before `pc`, as the source names it.
    looked_up_map: Option<String>,
    /// Each helper call of the program: (instruction index, helper ID).
    helper_calls: Vec<(u64, i64)>,
}

/// The helper IDs whose result may be NULL: map lookups.
const LOOKUP_HELPERS: [i32; 2] = [1, 4];

fn program_facts(
    object: &Path,
    section: &str,
    program: &str,
    pc: Option<u64>,
) -> Option<ProgramFacts> {
    let data = std::fs::read(object).ok()?;
    let file = object::File::parse(&*data).ok()?;
    // rustc names its object file after the crate's codegen unit (`crate.HASH-cgu.0`);
    // the bpf-linker route keeps mangled names.
    let rust = file.symbols().any(|s| {
        s.name().is_ok_and(|n| {
            (s.kind() == SymbolKind::File && n.contains("-cgu."))
                || n.starts_with("_ZN")
                || n.starts_with("_R")
        })
    });
    let code = file.section_by_name(section)?;
    let entry = file.symbols().find(|s| {
        s.section_index() == Some(code.index())
            && s.kind() == SymbolKind::Text
            && s.name() == Ok(program)
    })?;
    let bytes = code.data().ok()?;
    let start = entry.address();
    let end = pc.map_or(start + entry.size(), |pc| start + pc * 8);
    let mut maps_at: Vec<(u64, String)> = Vec::new();
    for (offset, relocation) in code.relocations() {
        if let RelocationTarget::Symbol(index) = relocation.target()
            && let Ok(symbol) = file.symbol_by_index(index)
            && symbol.kind() == SymbolKind::Data
            && let Ok(name) = symbol.name()
        {
            maps_at.push((offset, source_name(&demangle(name))));
        }
    }
    let mut looked_up_map = None;
    let helper_calls = (start..(start + entry.size()).min(bytes.len() as u64))
        .step_by(8)
        .filter_map(|at| {
            let insn = &bytes[at as usize..at as usize + 8];
            let imm = i32::from_le_bytes([insn[4], insn[5], insn[6], insn[7]]);
            (insn[0] == 0x85 && insn[1] >> 4 == 0).then_some(((at - start) / 8, i64::from(imm)))
        })
        .collect();
    let mut offset = start;
    while offset + 8 <= end.min(bytes.len() as u64) {
        let insn = &bytes[offset as usize..offset as usize + 8];
        let imm = i32::from_le_bytes([insn[4], insn[5], insn[6], insn[7]]);
        if insn[0] == 0x85 && insn[1] >> 4 == 0 && LOOKUP_HELPERS.contains(&imm) {
            looked_up_map = maps_at
                .iter()
                .filter(|(at, _)| *at >= start && *at < offset)
                .max_by_key(|(at, _)| *at)
                .map(|(_, name)| name.clone());
        }
        offset += 8;
    }
    Some(ProgramFacts {
        rust,
        function: demangle(program),
        looked_up_map,
        helper_calls,
    })
}

/// The Rust function an entry point comes from: a hook attribute with several attach
/// types makes `audit_connect4` of `fn audit`; with one, the names are the same.
fn rust_function(entry: &str, section: &str) -> String {
    let hooks = ebpf_nethooks_bindings::abi::HOOKS.iter();
    hooks
        .filter(|hook| hook.attach_types.len() > 1)
        .flat_map(|hook| hook.attach_types.iter())
        .filter(|attach| attach.section == section)
        .find_map(|attach| entry.strip_suffix(&format!("_{}", attach.name)))
        .unwrap_or(entry)
        .to_owned()
}

/// `map_policy::POLICY` -> `POLICY`.
fn source_name(path: &str) -> String {
    path.rsplit("::").next().unwrap_or(path).to_owned()
}

/// Adds the Rust function and an explanation of the common refusals.
fn explain(object: &Path, section: &str, program: &str, refusal: &mut Refusal) {
    let facts = program_facts(object, section, program, refusal.instruction);
    let rust = facts.as_ref().is_some_and(|f| f.rust);
    if rust {
        refusal.rust_function = facts.as_ref().map(|f| rust_function(&f.function, section));
    }
    // eBPF for Windows stops at an unknown helper before analysis, with no
    // instruction: the program's first call to it is the one.
    if refusal.instruction.is_none()
        && let Some(id) = refusal.message.strip_prefix("helper prototype not found: ")
        && let Ok(id) = id.parse::<i64>()
    {
        refusal.instruction = facts
            .as_ref()
            .and_then(|f| f.helper_calls.iter().find(|(_, called)| *called == id))
            .map(|(pc, _)| *pc);
    }
    let message = refusal.message.as_str();
    let explanation = if message.contains("Possible null access") {
        let map = facts.as_ref().and_then(|f| f.looked_up_map.clone());
        Some(match (rust, map) {
            (true, Some(map)) => format!(
                "the value from `{map}.get_ptr` (or `get_ptr_mut`) is used without checking it for null: \
                 match its `Option` (`if let Some(ptr) = {map}.get_ptr(..)`) rather than unwrapping it \
                 unchecked, or use `{map}.get(..)`"
            ),
            (true, None) => {
                "a map value is used without checking it for null: match the `Option` of \
                 `get_ptr`/`get_ptr_mut` rather than unwrapping it unchecked, or use `get`"
                    .to_owned()
            }
            (false, Some(map)) => format!(
                "the value from `bpf_map_lookup_elem(&{map}, ..)` is used without checking it for NULL"
            ),
            (false, None) => {
                "a pointer that may be NULL (a map lookup's result) is used without a NULL check"
                    .to_owned()
            }
        })
    } else if message.contains("Loop counter is too large") || message.contains("termination") {
        Some(if rust {
            "this loop has no bound the verifier can see: bound it by a constant \
             (`for i in 0..N` with a `const N`, or `.take(N)`), not by a count read from the context or a map"
                .to_owned()
        } else {
            "this loop has no bound the verifier can see: loop at most a constant number of times"
                .to_owned()
        })
    } else if message.contains("must be at most packet_size") {
        Some(
            "the application ID (packet data) is read without first checking the read against its end: \
             compare `app_id_start + n <= app_id_end` before reading n bytes"
                .to_owned(),
        )
    } else if let Some(limit) = message
        .split("Upper bound must be at most ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .filter(|n| n.parse::<u64>().is_ok())
    {
        Some(format!(
            "this reads or writes past the end of the context ({limit} bytes) or of a buffer of that size"
        ))
    } else if let Some(id) = message.strip_prefix("helper prototype not found: ") {
        Some(format!(
            "helper {id} is not available to programs of this section's type{}",
            known_helper(id)
                .map(|(name, program_type)| format!(
                    ": `{name}` is a helper of `{program_type}` programs"
                ))
                .unwrap_or_else(|| ": no helper has this ID".to_owned())
        ))
    } else if message.contains("Invalid type (r") && message.contains("== number") {
        Some("a number is passed or used where a pointer is needed (such as a helper's memory or map argument)".to_owned())
    } else if message.contains("type == map_fd") || message.contains("map_fd") {
        Some("this argument must be a map (its `lddw` map reference), and of a type the helper takes".to_owned())
    } else if message.contains("Stack content is not numeric")
        || message.contains("not initialized")
        || message.contains("Uninitialized")
    {
        Some("stack memory is read before it was written: initialise the whole variable (and struct padding) first".to_owned())
    } else if message.contains("Illegal map update with a non-numerical value") {
        Some(
            "the key or value handed to the map holds a pointer, or stack bytes never written: \
              maps hold plain, initialised data only"
                .to_owned(),
        )
    } else if message.contains("call target") {
        Some("a call goes to no function of this program: a BPF-to-BPF call must target a function of the same object".to_owned())
    } else if message.contains("Unspecified program type") {
        Some("the section names no program type: use a hook's section (`bind`, `cgroup/connect4`, `sockops`...)".to_owned())
    } else if message.contains("fallthrough in last instruction") || message.contains("exit") {
        Some("the program must end with an exit (return) on every path".to_owned())
    } else {
        None
    };
    refusal.explanation = explanation;
}

/// The helper with `id` and the program type whose helper it is, from the tables.
fn known_helper(id: &str) -> Option<(String, String)> {
    TABLES.iter().flat_map(|t| t.lines()).find_map(|line| {
        let mut words = line.split_whitespace();
        (words.next() == Some("helper")).then_some(())?;
        let program_type = words.next()?;
        (words.next() == Some(id)).then(|| {
            (
                words.next().unwrap_or("?").to_owned(),
                program_type.to_owned(),
            )
        })
    })
}
