//! What the verifier said of each program, and how it is shown to a person
//! ([`Report::human`]) or as JSON (its `Serialize`).

use std::path::PathBuf;

use serde::Serialize;

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
