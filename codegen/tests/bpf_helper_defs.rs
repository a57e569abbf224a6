//! The generated `bpf_helper_defs.h` is a drop-in for eBPF for Windows' own: it has
//! the shape `docs/general-helpers-abi.md` §1.4 asks of it, compiles under every compiler
//! with `-Werror` through a stand-in for upstream's `bpf_helpers.h`
//! (`tests/programs/include/`), and a program built with it calls every helper by the
//! ID `docs/general-helpers-abi.md` gives, making the same object as with a reference header written
//! from that table.

mod support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::model::Model;
use support::{
    bpf_system_includes, generated_include_dir, model_of, require_tool, run, workspace_root,
};

/// `docs/general-helpers-abi.md` §2.1: (helper, ID, return type, parameters), in ID order.
const FACTS: [(&str, i64, &str, &str); 34] = [
    (
        "bpf_map_lookup_elem",
        1,
        "void*",
        "void* map, const void* key",
    ),
    (
        "bpf_map_update_elem",
        2,
        "int64_t",
        "void* map, const void* key, const void* value, uint64_t flags",
    ),
    (
        "bpf_map_delete_elem",
        3,
        "int64_t",
        "void* map, const void* key",
    ),
    (
        "bpf_map_lookup_and_delete_elem",
        4,
        "void*",
        "void* map, const void* key",
    ),
    (
        "bpf_tail_call",
        5,
        "int64_t",
        "const void* ctx, const void* prog_array_map, uint32_t index",
    ),
    ("bpf_get_prandom_u32", 6, "uint32_t", ""),
    ("bpf_ktime_get_boot_ns", 7, "uint64_t", ""),
    ("bpf_get_smp_processor_id", 8, "uint64_t", ""),
    ("bpf_ktime_get_ns", 9, "uint64_t", ""),
    (
        "bpf_csum_diff",
        10,
        "int",
        "const void* from, int from_size, const void* to, int to_size, int seed",
    ),
    (
        "bpf_ringbuf_output",
        11,
        "int",
        "void* ring_buffer, const void* data, uint64_t size, uint64_t flags",
    ),
    (
        "bpf_trace_printk2",
        12,
        "long",
        "const char* fmt, uint32_t fmt_size",
    ),
    (
        "bpf_trace_printk3",
        13,
        "long",
        "const char* fmt, uint32_t fmt_size, uint64_t arg3",
    ),
    (
        "bpf_trace_printk4",
        14,
        "long",
        "const char* fmt, uint32_t fmt_size, uint64_t arg3, uint64_t arg4",
    ),
    (
        "bpf_trace_printk5",
        15,
        "long",
        "const char* fmt, uint32_t fmt_size, uint64_t arg3, uint64_t arg4, uint64_t arg5",
    ),
    (
        "bpf_map_push_elem",
        16,
        "int64_t",
        "void* map, const void* value, uint64_t flags",
    ),
    ("bpf_map_pop_elem", 17, "int64_t", "void* map, void* value"),
    ("bpf_map_peek_elem", 18, "int64_t", "void* map, void* value"),
    ("bpf_get_current_pid_tgid", 19, "uint64_t", ""),
    (
        "bpf_get_current_logon_id",
        20,
        "uint64_t",
        "const void* ctx",
    ),
    ("bpf_is_current_admin", 21, "int32_t", "const void* ctx"),
    (
        "bpf_memcpy_s",
        22,
        "long",
        "void* destination, size_t destination_size, const void* source, size_t source_size",
    ),
    (
        "bpf_memcmp_s",
        23,
        "int",
        "const void* memory1, size_t memory1_size, const void* memory2, size_t memory2_size",
    ),
    (
        "bpf_memset",
        24,
        "long",
        "void* memory, size_t size, int value",
    ),
    (
        "bpf_memmove_s",
        25,
        "long",
        "void* destination, size_t destination_size, const void* source, size_t source_size",
    ),
    ("bpf_get_socket_cookie", 26, "int64_t", "const void* ctx"),
    (
        "bpf_strncpy_s",
        27,
        "int",
        "char* dest, size_t dest_size, const char* src, size_t count",
    ),
    (
        "bpf_strncat_s",
        28,
        "int",
        "char* dest, size_t dest_size, const char* src, size_t count",
    ),
    (
        "bpf_strnlen_s",
        29,
        "size_t",
        "const char* str, size_t str_size",
    ),
    ("bpf_ktime_get_boot_ms", 30, "uint64_t", ""),
    ("bpf_ktime_get_ms", 31, "uint64_t", ""),
    (
        "bpf_perf_event_output",
        32,
        "int",
        "const void* ctx, void* perf_event_array, uint64_t flags, const void* data, uint64_t size",
    ),
    ("bpf_get_current_process_start_key", 33, "uint64_t", ""),
    ("bpf_get_current_thread_create_time", 34, "int64_t", ""),
];

fn header() -> String {
    std::fs::read_to_string(generated_include_dir().join("bpf_helper_defs.h")).unwrap()
}

fn programs() -> PathBuf {
    workspace_root().join("tests/programs")
}

/// Byte offset of a helper's call-by-ID `#define`.
fn define_at(text: &str, name: &str) -> usize {
    text.find(&format!("#define {name} "))
        .unwrap_or_else(|| panic!("no #define of {name}"))
}

#[test]
fn header_has_the_shape_of_upstreams() {
    let text = header();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("//") && lines[1].starts_with("//"));
    assert_eq!(lines[2], "#pragma once");
    assert!(!text.contains('\r') && text.ends_with("#endif\n"));
    for absent in ["#include", "static inline", "(void)"] {
        assert!(!text.contains(absent), "the header has `{absent}`");
    }
    let mut previous = 0;
    for (name, _, _, _) in FACTS {
        let at = define_at(&text, name);
        assert!(at > previous, "{name} is out of ID order");
        previous = at;
        let typedef = if name == "bpf_map_peek_elem" {
            "bpf_map_pop_elem"
        } else {
            name
        };
        let id = name.strip_prefix("bpf_").unwrap();
        let define = text[at..].lines().take(2).collect::<Vec<_>>().join("\n");
        assert!(
            define.contains(&format!("(({typedef}_t)BPF_FUNC_{id})")),
            "{name}: {define}"
        );
        let before = &text[..at];
        assert!(
            before.ends_with("#ifndef __doxygen\n"),
            "{name}: no #ifndef __doxygen"
        );
        assert!(
            text[at..]
                .lines()
                .nth(1)
                .is_some_and(|l| l == "#endif" || l.starts_with("    (("))
        );
    }
    let between = |first: &str, block: &str, next: &str| {
        let at = text.find(block).unwrap_or_else(|| panic!("no {block}"));
        assert!(
            define_at(&text, first) < at && at < define_at(&text, next),
            "{block}"
        );
    };
    between(
        "bpf_trace_printk5",
        "#undef bpf_trace_printk",
        "bpf_map_push_elem",
    );
    between("bpf_strnlen_s", "#if __clang__", "bpf_ktime_get_boot_ms");
    assert!(text.contains(
        "EBPF_HELPER(\n    int,\n    bpf_perf_event_output,\n    (const void* ctx, void* perf_event_array, uint64_t flags, const void* data, uint64_t size));"
    ));
    assert!(text.contains("#define bpf_get_current_thread_create_time \\\n"));
    assert!(text.contains("EBPF_HELPER(uint64_t, bpf_get_current_pid_tgid, ());"));
}

/// The spec's helpers are those of `docs/general-helpers-abi.md` §2.1: names, IDs, C prototypes. That document
/// describes upstream's 00053ce6b, whose helpers are release 1.3.0's; 1.4.0 adds
/// `bpf_redirect_map` (ID 35, returning `intptr_t`).
#[test]
fn spec_helpers_are_the_facts_files() {
    let model = support::model_of_release("bpf_helpers.toml", "1.3.0");
    let ours = helper_rows(&model);
    let facts: Vec<(String, i64, String, String)> = FACTS
        .iter()
        .map(|(n, id, r, p)| (n.to_string(), *id, r.to_string(), p.to_string()))
        .collect();
    assert_eq!(ours, facts);
    let newest = helper_rows(&model_of("bpf_helpers.toml"));
    let redirect = (
        "bpf_redirect_map".to_owned(),
        35,
        "intptr_t".to_owned(),
        "void* map, uint64_t key, uint64_t flags".to_owned(),
    );
    assert_eq!(newest, [facts, vec![redirect]].concat());
}

/// Each helper of a model: name, ID, C return type and parameters.
fn helper_rows(model: &codegen::model::Model) -> Vec<(String, i64, String, String)> {
    model
        .helpers
        .iter()
        .map(|h| {
            let params: Vec<String> = (h.params.iter())
                .map(|p| format!("{} {}", p.ty.c_spelling(model), p.name))
                .collect();
            (
                h.name.clone(),
                h.id_value,
                h.returns.ty.c_spelling(model),
                params.join(", "),
            )
        })
        .collect()
}

/// (compiler, arguments): the four compilers a user of the upstream header has.
fn compilers() -> Vec<(&'static str, Vec<String>)> {
    let strict = ["-Wall", "-Wextra", "-Werror"].map(String::from).to_vec();
    let mut bpf: Vec<String> = ["-O2", "-target", "bpf", "-Wall", "-Werror"]
        .map(String::from)
        .to_vec();
    bpf.extend(bpf_system_includes());
    vec![
        ("gcc", [vec!["-std=gnu11".into()], strict.clone()].concat()),
        (
            "clang",
            [vec!["-std=gnu11".into()], strict.clone()].concat(),
        ),
        ("clang", bpf),
        ("g++", [vec!["-std=gnu++17".into()], strict].concat()),
    ]
}

/// Compiles `source` against the stand-in `bpf_helpers.h` and `include` (the
/// directory whose `bpf_helper_defs.h` it picks up); returns the object.
fn compile(compiler: &str, args: &[String], include: &Path, source: &Path, object: &Path) {
    run(Command::new(require_tool(compiler))
        .args(args)
        .arg("-I")
        .arg(programs().join("include"))
        .arg("-I")
        .arg(include)
        .arg("-c")
        .arg(source)
        .arg("-o")
        .arg(object));
    assert!(object.is_file(), "{compiler} wrote no object");
}

/// C++ names every helper's prototype type only: the cast to a `const`
/// function-pointer type draws g++'s -Wignored-qualifiers, and BPF programs are C.
fn names_every_helper(model: &Model) -> String {
    let mut cpp =
        "#include \"bpf_helpers.h\"\n\nint names_every_helper()\n{\n    int sum = 0;\n".to_owned();
    for h in &model.helpers {
        let _ = writeln!(cpp, "    {{ {}_t* typed = 0; sum += typed == 0; }}", h.name);
    }
    cpp.push_str("    return sum;\n}\n");
    cpp
}

#[test]
fn header_compiles_with_every_compiler_under_werror() {
    let model = model_of("bpf_helpers.toml");
    let dir = tempfile::tempdir().unwrap();
    let cpp = dir.path().join("names_every_helper.cpp");
    std::fs::write(&cpp, names_every_helper(&model)).unwrap();
    for (i, (compiler, args)) in compilers().into_iter().enumerate() {
        let sources = if compiler == "g++" {
            vec![cpp.clone()]
        } else {
            ["every_helper.c", "memory_macros.c"]
                .map(|f| programs().join("helpers").join(f))
                .to_vec()
        };
        for source in sources {
            let object = dir.path().join(format!(
                "{i}-{}.o",
                source.file_stem().unwrap().to_string_lossy()
            ));
            compile(compiler, &args, &generated_include_dir(), &source, &object);
        }
    }
}

/// `call N` of each helper call in a BPF object, in order.
fn helper_calls(object: &Path) -> Vec<i64> {
    let out = run(Command::new(require_tool("llvm-objdump"))
        .arg("-d")
        .arg(object));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| line.split("call ").nth(1))
        .filter_map(|id| id.trim().parse().ok())
        .collect()
}

fn bpf_object(include: &Path, program: &str, dir: &Path) -> PathBuf {
    let (_, args) = compilers().swap_remove(2);
    let object = dir.join(format!("{program}.o"));
    compile(
        "clang",
        &args,
        include,
        &programs().join("helpers").join(format!("{program}.c")),
        &object,
    );
    object
}

#[test]
fn programs_call_each_helper_by_the_facts_files_id() {
    let dir = tempfile::tempdir().unwrap();
    let every = bpf_object(&generated_include_dir(), "every_helper", dir.path());
    assert_eq!(helper_calls(&every), (1..=34).collect::<Vec<i64>>());
    let memory = bpf_object(&generated_include_dir(), "memory_macros", dir.path());
    assert_eq!(helper_calls(&memory), [22, 23, 24, 25]);
}

/// A `bpf_helper_defs.h` in upstream's pattern (`docs/general-helpers-abi.md` §1.3) from [`FACTS`], with the
/// spec's macro blocks where `docs/general-helpers-abi.md` §1.4 puts them.
fn reference_header(model: &Model) -> String {
    let mut text = "#pragma once\n".to_owned();
    for (name, _, returns, params) in FACTS {
        let id = name.strip_prefix("bpf_").unwrap();
        let typedef = if name == "bpf_map_peek_elem" {
            "bpf_map_pop_elem"
        } else {
            name
        };
        let _ = writeln!(
            text,
            "EBPF_HELPER({returns}, {name}, ({params}));\n#define {name} (({typedef}_t)BPF_FUNC_{id})"
        );
        for block in &model.macro_blocks {
            if block
                .after
                .is_some_and(|after| model.helper(after).name == name)
            {
                let _ = writeln!(text, "{}", block.text);
            }
        }
    }
    text
}

#[test]
fn programs_compile_to_the_same_object_as_with_a_reference_header() {
    let model = model_of("bpf_helpers.toml");
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference");
    std::fs::create_dir(&reference).unwrap();
    std::fs::write(
        reference.join("bpf_helper_defs.h"),
        reference_header(&model),
    )
    .unwrap();
    for program in ["every_helper", "memory_macros"] {
        let disassemble = |include: &Path, name: &str| {
            let out_dir = dir.path().join(name);
            std::fs::create_dir_all(&out_dir).unwrap();
            let object = bpf_object(include, program, &out_dir);
            let out = run(Command::new(require_tool("llvm-objdump"))
                .args(["-d", "-r"])
                .arg(&object));
            // The first lines name the object file.
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .skip(2)
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(
            disassemble(&generated_include_dir(), "ours"),
            disassemble(&reference, "reference"),
            "{program}"
        );
    }
}
