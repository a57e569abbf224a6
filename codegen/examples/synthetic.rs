//! Prints a synthetic spec of N items (`codegen::synthetic`) to stdout, for
//! measuring the `codegen` binary on specs of any size (`scripts/bench-scaling.sh`).
//!
//! Usage: `cargo run -p codegen --example synthetic -- N > spec.toml`

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(Ok(items)) = std::env::args().nth(1).map(|n| n.parse::<usize>()) else {
        eprintln!("usage: synthetic N (the number of items, a whole number)");
        return ExitCode::from(64);
    };
    let spec = codegen::synthetic::spec(items);
    // A closed pipe (`| head`) is not worth a panic.
    match std::io::stdout().lock().write_all(spec.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}
