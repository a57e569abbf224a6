//! Cross-language layout test: a C probe compiled with gcc against the generated
//! header prints the size and alignment of every struct, the offset and size of
//! every member (anonymous members' fields included) and the value of every constant
//! and enumerator. Rust's own numbers (the bindings' `abi` tables, computed by rustc
//! with `size_of`/`offset_of!`) and the layout engine's must agree with every one.

mod support;

use std::fmt::Write as _;
use std::process::Command;

use codegen::model::{MemberKind, Model};
use ebpf_nethooks_bindings::abi;
use support::{generated_include_dir, model, require_tool, run};

/// One line per number, in model order: `struct NAME size align`,
/// `member NAME.FIELD offset size`, `value NAME value`.
type Facts = Vec<String>;

fn probe_source(model: &Model) -> String {
    let mut c = format!(
        "#include <stddef.h>\n#include <stdio.h>\n#include \"{}\"\n\nint main(void)\n{{\n",
        model.header.file
    );
    for s in &model.structs {
        let _ = writeln!(
            c,
            "    printf(\"struct {0} %zu %zu\\n\", sizeof({0}), _Alignof({0}));",
            s.name
        );
        for (_, member) in s.leaf_fields() {
            if let MemberKind::Field { name, .. } = &member.kind {
                let _ = writeln!(
                    c,
                    "    printf(\"member {0}.{1} %zu %zu\\n\", offsetof({0}, {1}), sizeof((({0}*)0)->{1}));",
                    s.name, name
                );
            }
        }
    }
    let names = model.constants.iter().map(|c| &c.name).chain(
        model
            .enums
            .iter()
            .flat_map(|e| e.enumerators.iter().map(|v| &v.name)),
    );
    for name in names {
        let _ = writeln!(
            c,
            "    printf(\"value {name} %lld\\n\", (long long)({name}));"
        );
    }
    c.push_str("    return 0;\n}\n");
    c
}

fn c_facts(model: &Model) -> Facts {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("probe.c");
    let binary = dir.path().join("probe");
    std::fs::write(&source, probe_source(model)).unwrap();
    run(Command::new(require_tool("gcc"))
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-I"])
        .arg(generated_include_dir())
        .arg(&source)
        .arg("-o")
        .arg(&binary));
    let output = run(&mut Command::new(&binary));
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn rust_facts() -> Facts {
    let mut facts = Vec::new();
    for s in abi::STRUCTS {
        facts.push(format!("struct {} {} {}", s.name, s.size, s.align));
        for m in s.members {
            facts.push(format!(
                "member {}.{} {} {}",
                s.name, m.name, m.offset, m.size
            ));
        }
    }
    for v in abi::CONSTANTS.iter().chain(abi::ENUMERATORS) {
        facts.push(format!("value {} {}", v.name, v.value));
    }
    facts
}

fn engine_facts(model: &Model) -> Facts {
    let mut facts = Vec::new();
    for s in &model.structs {
        facts.push(format!(
            "struct {} {} {}",
            s.name, s.layout.size, s.layout.align
        ));
        for (_, m) in s.leaf_fields() {
            if let Some(name) = m.name() {
                let p = m.placement;
                facts.push(format!("member {}.{name} {} {}", s.name, p.offset, p.size));
            }
        }
    }
    for c in &model.constants {
        facts.push(format!("value {} {}", c.name, c.value));
    }
    for e in &model.enums {
        for v in &e.enumerators {
            facts.push(format!("value {} {}", v.name, v.value));
        }
    }
    facts
}

#[test]
fn c_rust_and_layout_engine_agree_on_every_number() {
    let model = model();
    let c = c_facts(&model);
    let engine = engine_facts(&model);
    let rust = rust_facts();
    let members: usize = model.structs.iter().map(|s| s.leaf_fields().len()).sum();
    let values: usize = model.constants.len()
        + model
            .enums
            .iter()
            .map(|e| e.enumerators.len())
            .sum::<usize>();
    assert_eq!(
        c.len(),
        model.structs.len() + members + values,
        "probe printed one line per number"
    );
    assert_eq!(c, engine, "C (gcc) vs the layout engine");
    assert_eq!(rust, engine, "Rust (rustc) vs the layout engine");
}
