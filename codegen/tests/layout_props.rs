//! Property test of the layout engine against gcc: random valid specs (members of
//! every primitive, pointer, enum and earlier-struct type, arrays, anonymous
//! structs and unions nested three deep) are generated as TOML, loaded by the real
//! loader, and their C headers emitted. One C probe includes every case's header
//! and prints `sizeof`, `_Alignof`, `offsetof` and member sizes; each number must
//! equal the layout engine's. The generated headers also assert the engine's
//! numbers themselves, so a disagreement can show up as a compile error too.
//!
//! The Rust bindings of the first [`RUST_CASES`] cases are compiled by rustc into
//! one probe that prints `size_of`, `align_of`, `offset_of!` and member sizes, held
//! to the same numbers. (Each case adds a whole bindings module for rustc to
//! compile, hence a subset.)
//!
//! Cases: `PROPTEST_CASES` (default 256), all compiled in one gcc run.

mod support;

use std::fmt::Write as _;
use std::fs;
use std::process::Command;

use codegen::model::{MemberKind, Model};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use support::{require_tool, run};

/// How many cases also go through the Rust probe; `LAYOUT_RUST_CASES` overrides.
const RUST_CASES: usize = 48;

const PRIMITIVES: [&str; 9] = [
    "uint8_t", "uint16_t", "uint32_t", "uint64_t", "int8_t", "int16_t", "int32_t", "int64_t", "int",
];

/// A member's type before names are known: indices are resolved when rendering.
#[derive(Debug, Clone)]
enum Ty {
    Primitive(usize),
    /// Pointer to `void` (0) or to a primitive (1..).
    Pointer(usize),
    Enum,
    /// An earlier struct of the same case (index modulo the number defined so far).
    Struct(usize),
}

#[derive(Debug, Clone)]
enum Member {
    Field { ty: Ty, array: Option<u32> },
    Anonymous { union: bool, members: Vec<Member> },
}

fn ty() -> impl Strategy<Value = Ty> {
    prop_oneof![
        4 => (0..PRIMITIVES.len()).prop_map(Ty::Primitive),
        1 => (0..=PRIMITIVES.len()).prop_map(Ty::Pointer),
        1 => Just(Ty::Enum),
        2 => (0usize..8).prop_map(Ty::Struct),
    ]
}

fn member() -> impl Strategy<Value = Member> {
    let field = (ty(), prop::option::weighted(0.3, 1u32..6))
        .prop_map(|(ty, array)| Member::Field { ty, array });
    field.prop_recursive(3, 24, 4, |inner| {
        (any::<bool>(), prop::collection::vec(inner, 1..5))
            .prop_map(|(union, members)| Member::Anonymous { union, members })
    })
}

/// One case: up to four structs of up to eight top-level members each.
fn case() -> impl Strategy<Value = Vec<Vec<Member>>> {
    prop::collection::vec(prop::collection::vec(member(), 1..8), 1..5)
}

/// Renders one case as a spec whose every name starts with `c{index}_`, so that
/// all cases' headers can be included in one C file.
fn spec_text(index: usize, structs: &[Vec<Member>]) -> String {
    let p = format!("c{index}");
    let mut t = format!(
        "[header]\nfile = \"case{index}.h\"\nincludes = [\"stdint.h\"]\ndoc = \"Case {index}.\"\n\n\
         [[enum]]\nname = \"{p}_e_t\"\ndoc = \"An enum.\"\n\n\
         [[enum.enumerator]]\nname = \"{}_E_A\"\ndoc = \"A value.\"\n\n",
        p.to_uppercase()
    );
    let mut counter = 0;
    for (j, members) in structs.iter().enumerate() {
        let _ = write!(
            t,
            "[[struct]]\nname = \"{p}_s{j}_t\"\ndoc = \"Struct {j}.\"\n\n"
        );
        for m in members {
            render_member(&mut t, m, "struct.member", &p, j, &mut counter);
        }
    }
    t
}

fn render_member(t: &mut String, m: &Member, table: &str, p: &str, j: usize, n: &mut usize) {
    *n += 1;
    match m {
        Member::Field { ty, array } => {
            let ty = match ty {
                Ty::Primitive(i) => PRIMITIVES[*i].to_owned(),
                Ty::Pointer(0) => "void*".to_owned(),
                Ty::Pointer(i) => format!("{}*", PRIMITIVES[i - 1]),
                Ty::Enum => format!("{p}_e_t"),
                Ty::Struct(_) if j == 0 => "uint8_t".to_owned(),
                Ty::Struct(k) => format!("{p}_s{}_t", k % j),
            };
            let _ = write!(t, "[[{table}]]\nname = \"m{n}\"\ntype = \"{ty}\"\n");
            if let Some(len) = array {
                let _ = writeln!(t, "array = {len}");
            }
            let _ = write!(t, "doc = \"Member {n}.\"\n\n");
        }
        Member::Anonymous { union, members } => {
            let kind = if *union { "union" } else { "struct" };
            let _ = write!(
                t,
                "[[{table}]]\nanonymous = \"{kind}\"\nrust_name = \"a{n}\"\ndoc = \"Anonymous {n}.\"\n\n"
            );
            let inner = format!("{table}.member");
            for m in members {
                render_member(t, m, &inner, p, j, n);
            }
        }
    }
}

/// The probe's printf lines and the lines the engine predicts, one per number.
fn probe(model: &Model, c: &mut String, expected: &mut Vec<String>) {
    for s in &model.structs {
        let _ = writeln!(
            c,
            "    printf(\"struct {0} %zu %zu\\n\", sizeof({0}), _Alignof({0}));",
            s.name
        );
        expected.push(format!(
            "struct {} {} {}",
            s.name, s.layout.size, s.layout.align
        ));
        for (_, m) in s.leaf_fields() {
            let MemberKind::Field { name, .. } = &m.kind else {
                continue;
            };
            let _ = writeln!(
                c,
                "    printf(\"member {0}.{1} %zu %zu\\n\", offsetof({0}, {1}), sizeof((({0}*)0)->{1}));",
                s.name, name
            );
            expected.push(format!(
                "member {}.{} {} {}",
                s.name, name, m.placement.offset, m.placement.size
            ));
        }
    }
}

/// The case's Rust bindings as one inline module `c{index}`: the crate root's inner
/// attributes dropped and each `pub mod NAME;` replaced by that artifact's text, with
/// the ABI tables crate they depend on inline beside them.
fn rust_module(index: usize, model: &Model) -> String {
    let artifacts = codegen::emit::all(model).unwrap();
    let text = |path: &str| {
        artifacts
            .iter()
            .find(|a| a.path.to_str() == Some(path))
            .unwrap_or_else(|| panic!("no artifact {path}"))
            .contents
            .lines()
            .filter(|l| !l.starts_with("#![") && !l.starts_with("//!"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut out = format!("#[allow(warnings)]\nmod c{index} {{\n");
    // The ABI tables crate the bindings depend on, inline too, as `c{index}::abi_crate`.
    let abi_path = format!("crate::c{index}::abi_crate::");
    out.push_str("pub mod abi_crate {\n");
    for line in text("abi/src/lib.rs").lines() {
        match line
            .strip_prefix("pub mod ")
            .and_then(|l| l.strip_suffix(';'))
        {
            Some(name) => {
                let module =
                    text(&format!("abi/src/{name}.rs")).replace("use crate::", "use super::");
                let _ = writeln!(out, "pub mod {name} {{\n{module}\n}}");
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out.push_str("}\n");
    let text = |path: &str| text(path).replace("ebpf_nethooks_abi::", &abi_path);
    for line in text("rust/src/lib.rs").lines() {
        match line
            .strip_prefix("pub mod ")
            .and_then(|l| l.strip_suffix(';'))
        {
            Some(name) => {
                let _ = writeln!(
                    out,
                    "pub mod {name} {{\n{}\n}}",
                    text(&format!("rust/src/{name}.rs"))
                );
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out.push_str("}\n");
    out
}

/// `println!`s of the Rust probe, in the same order and format as [`probe`]'s.
fn rust_probe(index: usize, model: &Model, body: &mut String) {
    for s in &model.structs {
        let ty = format!("c{index}::{}", s.name);
        let _ = writeln!(
            body,
            "    println!(\"struct {} {{}} {{}}\", size_of::<{ty}>(), align_of::<{ty}>());",
            s.name
        );
        let _ = writeln!(body, "    let v: {ty} = unsafe {{ core::mem::zeroed() }};");
        for (path, m) in s.leaf_fields() {
            let (Some(c_name), Some(rust_name)) = (m.name(), m.rust_field_name()) else {
                continue;
            };
            let mut parts: Vec<&str> = path
                .iter()
                .filter_map(|p| match &p.kind {
                    MemberKind::Anonymous { rust_name, .. } => Some(rust_name.as_str()),
                    MemberKind::Field { .. } => None,
                })
                .collect();
            parts.push(rust_name);
            let place = parts.join(".");
            let _ = writeln!(
                body,
                "    println!(\"member {}.{c_name} {{}} {{}}\", core::mem::offset_of!({ty}, {place}), unsafe {{ size_of_val(&v.{place}) }});",
                s.name
            );
        }
    }
}

#[test]
fn layout_engine_agrees_with_gcc_on_random_specs() {
    let gcc = require_tool("gcc");
    let mut runner = TestRunner::new(Config::default());
    let count = runner.config().cases as usize;
    let strategy = case();
    let dir = tempfile::tempdir().unwrap();
    let include = dir.path().join("include");
    let mut c = String::from("#include <stddef.h>\n#include <stdio.h>\n");
    let mut body = String::new();
    let mut expected = Vec::new();
    let mut specs = Vec::new();
    let rust_cases = std::env::var("LAYOUT_RUST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(RUST_CASES)
        .min(count);
    let mut rust = String::new();
    let mut rust_body = String::new();
    let mut rust_expected = 0;
    for index in 0..count {
        let structs = strategy.new_tree(&mut runner).unwrap().current();
        let text = spec_text(index, &structs);
        let model = codegen::load_str(&text, &format!("case{index}.toml"))
            .unwrap_or_else(|e| panic!("generated spec {index} is invalid:\n{e}\n{text}"));
        let header = codegen::emit::c_header::emit(&model).unwrap();
        fs::create_dir_all(&include).unwrap();
        fs::write(include.join(&model.header.file), header).unwrap();
        let _ = writeln!(c, "#include \"{}\"", model.header.file);
        probe(&model, &mut body, &mut expected);
        if index < rust_cases {
            rust.push_str(&rust_module(index, &model));
            rust_probe(index, &model, &mut rust_body);
            rust_expected = expected.len();
        }
        specs.push(text);
    }
    let _ = write!(c, "\nint main(void)\n{{\n{body}    return 0;\n}}\n");
    let source = dir.path().join("probe.c");
    fs::write(&source, &c).unwrap();
    let exe = dir.path().join("probe");
    run(Command::new(gcc)
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-I"])
        .arg(&include)
        .arg(&source)
        .arg("-o")
        .arg(&exe));
    let output = run(&mut Command::new(&exe));
    let printed = String::from_utf8(output.stdout).unwrap();
    let printed: Vec<&str> = printed.lines().collect();
    assert_eq!(printed.len(), expected.len());
    compare("gcc", &printed, &expected, &specs);

    let _ = write!(rust, "\nfn main() {{\n{rust_body}}}\n");
    let source = dir.path().join("probe.rs");
    fs::write(&source, &rust).unwrap();
    let exe = dir.path().join("probe-rs");
    run(Command::new(require_tool("rustc"))
        .args(["--edition", "2024", "-A", "warnings", "-o"])
        .arg(&exe)
        .arg(&source));
    let output = run(&mut Command::new(&exe));
    let printed = String::from_utf8(output.stdout).unwrap();
    let printed: Vec<&str> = printed.lines().collect();
    assert_eq!(printed.len(), rust_expected);
    compare("rustc", &printed, &expected[..rust_expected], &specs);
    assert!(count >= 1 && expected.len() > count, "nothing was probed");
}

/// Fails with the first line where a compiler disagrees with the engine, and the
/// spec of that case.
fn compare(compiler: &str, printed: &[&str], expected: &[String], specs: &[String]) {
    for (got, want) in printed.iter().zip(expected) {
        if got != want {
            // The struct name `c{index}_...` leads back to the spec of the case.
            let index: usize = want
                .split_whitespace()
                .nth(1)
                .and_then(|n| n.strip_prefix('c'))
                .and_then(|n| n.split('_').next())
                .and_then(|n| n.parse().ok())
                .unwrap();
            panic!(
                "{compiler} says `{got}`, the layout engine `{want}`; the spec:\n{}",
                specs[index]
            );
        }
    }
}
