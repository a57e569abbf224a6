//! The synthetic specs that the benchmarks use are valid, and the header generated
//! from one compiles: the benchmark figures are for real work.

mod support;

use std::process::Command;

use support::{require_tool, run};

#[test]
fn a_100_item_synthetic_spec_generates_a_header_that_compiles() {
    let text = codegen::synthetic::spec(100);
    let model = codegen::load_str(&text, "synthetic.toml").unwrap_or_else(|e| panic!("{e}"));
    let artifacts = codegen::emit::all(&model).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap();
    codegen::output::write_all(dir.path(), &artifacts).unwrap();

    let source = dir.path().join("uses.c");
    std::fs::write(&source, format!("#include \"{}\"\n", model.header.file)).unwrap();
    run(Command::new(require_tool("gcc"))
        .args([
            "-std=c11",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-fsyntax-only",
            "-I",
        ])
        .arg(dir.path().join("include"))
        .arg(&source));
    // The header asserts every size and offset of its 40 structs itself.
    let header =
        std::fs::read_to_string(dir.path().join("include").join(&model.header.file)).unwrap();
    assert_eq!(
        header.matches("_CHECK_LAYOUT(sizeof(").count(),
        model.structs.len()
    );
    assert_eq!(model.structs.len(), 40);
}
