//! The compile harness: the C compilers a release's headers must satisfy, the facts
//! compiled under each, and a BPF object compiled against chosen include paths.

use std::path::Path;
use std::process::Command;

use super::facts::facts_source;
use crate::support::{self, bpf_system_includes, require_tool, run, workspace_root};

/// (compiler, arguments, source extension)
pub fn compilers() -> Vec<(&'static str, Vec<String>, &'static str)> {
    support::c_compilers()
}

/// Compiles the facts of `release` against the headers in `include` under each
/// compiler, in `dir`.
pub fn compile(release: &str, include: &Path, dir: &Path) {
    let stand_in = workspace_root().join("tests/programs/include");
    for (i, (compiler, args, extension)) in compilers().into_iter().enumerate() {
        let source = dir.join(format!("facts.{extension}"));
        std::fs::write(&source, facts_source(release)).unwrap();
        let object = dir.join(format!("{i}.o"));
        let _ = std::fs::remove_file(&object);
        run(Command::new(require_tool(compiler))
            .args(&args)
            .arg("-I")
            .arg(include)
            .arg("-I")
            .arg(&stand_in)
            .arg("-c")
            .arg(&source)
            .arg("-o")
            .arg(&object));
        assert!(object.is_file(), "{release}: {compiler} wrote no object");
    }
}

/// Compiles `source` for BPF with `includes` first on the include path; returns the
/// object's bytes.
pub fn bpf_object(source: &Path, includes: &[&Path], dir: &Path) -> Vec<u8> {
    let object = dir.join("program.o");
    let _ = std::fs::remove_file(&object);
    let mut command = Command::new(require_tool("clang"));
    command.args(["-O2", "-target", "bpf", "-Wall", "-Werror"]);
    for include in includes {
        command.arg("-I").arg(include);
    }
    command
        .args(bpf_system_includes())
        .arg("-c")
        .arg(source)
        .arg("-o")
        .arg(&object);
    run(&mut command);
    std::fs::read(&object).unwrap()
}
