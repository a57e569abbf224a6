//! The generated header compiles without a warning under every compiler and mode a
//! user of the upstream header has, in a translation unit that uses every item.

mod support;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use codegen::model::{MemberKind, Model};
use support::{bpf_system_includes, generated_include_dir, model, require_tool, run};

/// A translation unit that touches every item of the spec: each constant,
/// enumerator, enum, struct and member, hook typedef and helper typedef. In C it also
/// calls every helper; C++ only names their types, because the upstream convention
/// (a cast to a `const` function-pointer type) draws g++'s -Wignored-qualifiers, and
/// BPF programs are C.
fn uses_every_item(model: &Model, call_helpers: bool) -> String {
    let mut c = format!("#include \"{}\"\n\n", model.header.file);
    for s in &model.structs {
        let _ = writeln!(c, "unsigned long touch_{0}(const {0}* value)\n{{", s.name);
        c.push_str("    return 0");
        for (_, member) in s.leaf_fields() {
            if let MemberKind::Field { name, .. } = &member.kind {
                let _ = write!(c, "\n        + sizeof(value->{name})");
            }
        }
        c.push_str(";\n}\n\n");
    }
    c.push_str("long long touch_values(void)\n{\n    long long sum = 0;\n");
    for constant in &model.constants {
        let _ = writeln!(c, "    sum += {};", constant.name);
    }
    for e in &model.enums {
        for v in &e.enumerators {
            let _ = writeln!(
                c,
                "    {{ {} v = {}; sum += (long long)v; }}",
                e.name, v.name
            );
        }
    }
    for h in &model.hooks {
        let _ = writeln!(c, "    {{ {}* hook = 0; sum += hook == 0; }}", h.name);
    }
    c.push_str("    return sum;\n}\n\n");
    for h in &model.helpers {
        let params: Vec<String> = h
            .params
            .iter()
            .map(|p| format!("{} {}", p.ty.c_spelling(model), p.name))
            .collect();
        let args: Vec<&str> = h.params.iter().map(|p| p.name.as_str()).collect();
        if call_helpers {
            let _ = writeln!(
                c,
                "{ret} call_{name}({params})\n{{\n    {name}_t typed = {name};\n    return typed == 0 ? 0 : {name}({args});\n}}\n",
                ret = h.returns.ty.c_spelling(model),
                name = h.name,
                params = params.join(", "),
                args = args.join(", "),
            );
        } else {
            let _ = writeln!(
                c,
                "int name_{name}(void)\n{{\n    {name}_t* typed = 0;\n    return typed == 0;\n}}\n",
                name = h.name,
            );
        }
    }
    c
}

/// (compiler, arguments, source extension)
fn compilers() -> Vec<(&'static str, Vec<String>, &'static str)> {
    support::c_compilers()
}

fn compile(compiler: &str, args: &[String], source: &Path, dir: &Path) {
    let object = dir.join(format!("{compiler}.o"));
    run(Command::new(require_tool(compiler))
        .args(args)
        .arg("-I")
        .arg(generated_include_dir())
        .arg("-c")
        .arg(source)
        .arg("-o")
        .arg(&object));
    assert!(object.is_file(), "{compiler} wrote no object file");
}

#[test]
fn header_compiles_cleanly_with_every_compiler() {
    let model = model();
    let dir = tempfile::tempdir().unwrap();
    for (compiler, args, extension) in compilers() {
        let source = dir.path().join(format!("uses_every_item.{extension}"));
        std::fs::write(&source, uses_every_item(&model, extension == "c")).unwrap();
        compile(compiler, &args, &source, dir.path());
    }
}

/// eBPF for Windows' `bpf_helpers.h` defines `EBPF_HELPER` unconditionally; the
/// generated header must coexist with it whichever is included first.
#[test]
fn header_coexists_with_bpf_helpers_h_in_either_order() {
    let model = model();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bpf_helpers.h"),
        "#define EBPF_HELPER(return_type, name, args) typedef return_type(*const name##_t) args\n",
    )
    .unwrap();
    let ours = format!("#include \"{}\"\n", model.header.file);
    let theirs = "#include \"bpf_helpers.h\"\n";
    let body = uses_every_item(&model, true).replacen(&ours, "", 1);
    for (name, first, second) in [
        ("theirs_first", theirs, ours.as_str()),
        ("ours_first", &ours, theirs),
    ] {
        let source = dir.path().join(format!("{name}.c"));
        std::fs::write(&source, format!("{first}{second}\n{body}")).unwrap();
        let mut args: Vec<String> = ["-O2", "-target", "bpf", "-Wall", "-Werror", "-I"]
            .map(String::from)
            .to_vec();
        args.push(dir.path().display().to_string());
        args.extend(bpf_system_includes());
        compile("clang", &args, &source, dir.path());
    }
}

/// The C example in the README compiles for BPF against the generated header.
#[test]
fn readme_c_example_compiles_for_bpf() {
    let readme = std::fs::read_to_string(support::workspace_root().join("README.md")).unwrap();
    let example = readme
        .split("```c\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README has a ```c example");
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("readme_example.c");
    std::fs::write(&source, example).unwrap();
    let mut args: Vec<String> = ["-O2", "-target", "bpf", "-Wall", "-Werror"]
        .map(String::from)
        .to_vec();
    args.extend(bpf_system_includes());
    compile("clang", &args, &source, dir.path());
}
