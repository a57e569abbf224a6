//! `cargo nethooks verify`: would eBPF for Windows load it? Runs every program of
//! each object through PREVAIL, the verifier eBPF for Windows uses, with its
//! options and with the platform tables generated from the spec
//! (`generated/verifier/`), through our driver `nethooks-verifier`
//! (`verifier/nethooks_verifier.cpp`, installed by `bash .ci/install-deps`).
//!
//! A refusal is reported as PREVAIL words it, with the section, the program and the
//! instruction; for a Rust program also the Rust function and, for the common
//! refusals, what the rule means in Rust's terms.

//!
//! `driver` runs the verifier and reads its verdicts, `explain` maps a
//! refusal back to the Rust function and source, `report` holds the verdicts.

mod driver;
mod explain;
mod report;

use std::path::{Path, PathBuf};

use crate::inspect::demangle;

pub use driver::{DRIVER, INSTALL_VERIFIER, TABLES, VerifyError, find_driver};
pub use report::{ObjectError, Outcome, Refusal, Report, Verdict};

/// Verifies every program of every object with `driver`.
pub fn verify(driver: &Path, objects: &[PathBuf]) -> Result<Report, VerifyError> {
    let mut report = driver::run(driver, objects)?;
    for verdict in &mut report.programs {
        if let Outcome::Refused(refusal) = &mut verdict.outcome {
            explain::explain(&verdict.object, &verdict.section, &verdict.program, refusal);
        }
    }
    // Demangled names for Rust programs (their entry points are unmangled anyway).
    for verdict in &mut report.programs {
        verdict.program = demangle(&verdict.program);
    }
    Ok(report)
}
