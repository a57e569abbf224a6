//! Items another header defines (`defined_in`) are checked both ways: the C header
//! uses them without defining them, so it compiles after the header that does (and a
//! redefinition would not), while the Rust bindings still carry their values; and an
//! external item, like any other, cannot be used before it is declared.

mod support;

use std::process::Command;

use support::{bpf_system_includes, require_tool, run};

/// A spec whose enum, constant and struct are defined by `defs.h`, and a general
/// helper that uses them.
const SPEC: &str = r#"
[header]
file = "uses_defs.h"
rust_module = "uses_defs"
doc = "Uses what defs.h defines."

[[constant]]
name = "LIMIT"
value = "0x40"
defined_in = "defs.h"
doc = "A limit."

[[enum]]
name = "id_t"
defined_in = "defs.h"
doc = "Helper IDs."

[[enum.enumerator]]
name = "ID_READ"
value = "7"
doc = "ID of demo_read."

[[struct]]
name = "pair_t"
tag = "_pair"
defined_in = "defs.h"
doc = "Two numbers."

[[struct.member]]
name = "first"
type = "uint32_t"
doc = "The first."

[[struct.member]]
name = "second"
type = "uint32_t"
doc = "The second."

[[helper]]
name = "demo_read"
id = "ID_READ"
doc = "Reads a pair."

[helper.returns]
type = "long"
doc = "0, or a negative number."

[[helper.param]]
name = "pair"
type = "pair_t*"
direction = "out"
doc = "Where the pair is written."
"#;

/// What `defs.h` defines, as the includer of the generated header has it.
const DEFS: &str = "#include <stdint.h>\n#define LIMIT 0x40\n\
    typedef enum { ID_READ = 7 } id_t;\n\
    typedef struct _pair { uint32_t first; uint32_t second; } pair_t;\n\
    #define EBPF_HELPER(r, n, a) typedef r(*const n##_t) a\n";

fn artifact(name: &str) -> String {
    let model = codegen::load_str(SPEC, "uses_defs.toml").unwrap_or_else(|e| panic!("{e}"));
    let artifacts = codegen::emit::all(&model).unwrap_or_else(|e| panic!("{e}"));
    let found = artifacts.into_iter().find(|a| a.path.ends_with(name));
    found.unwrap_or_else(|| panic!("no {name}")).contents
}

#[test]
fn the_c_header_refers_to_external_items_without_defining_them() {
    let header = artifact("uses_defs.h");
    assert!(
        header.contains("// Defined in defs.h, which must be included first: LIMIT, id_t, pair_t.")
    );
    for definition in [
        "#define LIMIT",
        "typedef enum",
        "typedef struct",
        "ID_READ =",
    ] {
        assert!(
            !header.contains(definition),
            "the header defines `{definition}`"
        );
    }
    assert!(header.contains("EBPF_HELPER(long, demo_read, (pair_t* pair));"));
    // It compiles after defs.h, which a second definition of any item would break.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("uses_defs.h"), &header).unwrap();
    let source = dir.path().join("program.c");
    std::fs::write(
        &source,
        format!("{DEFS}#include \"uses_defs.h\"\n\nlong read(pair_t* pair)\n{{\n    return demo_read(pair) + LIMIT;\n}}\n"),
    )
    .unwrap();
    let mut args: Vec<String> = ["-O2", "-target", "bpf", "-Wall", "-Werror"]
        .map(String::from)
        .to_vec();
    args.extend(bpf_system_includes());
    run(Command::new(require_tool("clang"))
        .args(&args)
        .arg("-I")
        .arg(dir.path())
        .arg("-c")
        .arg(&source)
        .arg("-o")
        .arg(dir.path().join("program.o")));
}

#[test]
fn the_rust_bindings_get_the_values_of_external_items() {
    let rust = artifact("uses_defs.rs");
    for expected in [
        "pub const LIMIT: i32 = 0x40;",
        "pub const ID_READ: id_t = 7;",
        "pub struct pair_t",
        "pub unsafe fn demo_read(pair: *mut pair_t) -> i64",
    ] {
        assert!(rust.contains(expected), "no `{expected}`");
    }
}

#[test]
fn an_external_item_cannot_be_used_before_it_is_declared() {
    let moved = SPEC.replacen("[[struct]]\nname = \"pair_t\"", "[[struct]]\nname = \"holder_t\"\ndoc = \"Holds a pair.\"\n\n[[struct.member]]\nname = \"pair\"\ntype = \"pair_t\"\ndoc = \"The pair.\"\n\n[[struct]]\nname = \"pair_t\"", 1);
    let errors = codegen::load_str(&moved, "uses_defs.toml")
        .unwrap_err()
        .render();
    assert!(
        errors.contains("`pair_t` is used before it is defined"),
        "{errors}"
    );
}

/// The general helpers' bindings are a module of the crate: on the host, a helper
/// reaches the test double installed for it.
#[test]
fn general_helpers_call_their_test_doubles_on_the_host() {
    use ebpf_nethooks_bindings::general::{self, testing};
    testing::set_bpf_ktime_get_ns(Some(|| 1_000));
    testing::set_bpf_map_lookup_elem(Some(|_map, _key| core::ptr::null_mut()));
    assert_eq!(unsafe { general::bpf_ktime_get_ns() }, 1_000);
    let key = 1u32;
    let found =
        unsafe { general::bpf_map_lookup_elem(core::ptr::null_mut(), (&raw const key).cast()) };
    assert!(found.is_null());
    let table = general::abi::HELPERS
        .iter()
        .find(|h| h.name == "bpf_memcpy_s")
        .unwrap();
    assert_eq!((table.id, table.returns, table.hook), (22, "long", ""));
    let params: Vec<&str> = table.params.iter().map(|p| p.c_type).collect();
    assert_eq!(params, ["void*", "size_t", "const void*", "size_t"]);
}
