//! Input a hostile user could give `nethooks-run`: each gets a clear error with exit
//! status 1, and no output holds a host address or echoes a huge name whole.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn nethooks_run(args: &[&str]) -> Output {
    support::output(Command::new(env!("CARGO_BIN_EXE_nethooks-run")).args(args))
}

/// The error line of a run that must fail with status 1.
fn error_of(args: &[&str]) -> String {
    let out = nethooks_run(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?} printed {:?}", out.stdout);
    assert_host_address_free(&stderr);
    stderr.trim_end().to_owned()
}

/// No `0x` number of 6 or more hex digits under the kernel half: nothing that
/// could be an address of the runner's memory.
fn assert_host_address_free(text: &str) {
    for (at, _) in text.match_indices("0x") {
        let digits: String = text[at + 2..]
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .collect();
        let value = u64::from_str_radix(&digits, 16).unwrap_or(u64::MAX);
        assert!(
            digits.len() < 6 || value >= 1 << 63,
            "a host address in the output: {text}"
        );
    }
}

fn leaks_object(dir: &Path) -> PathBuf {
    let path = dir.join("pointer_leaks.o");
    std::fs::write(&path, support::compile("hostile/pointer_leaks.c", dir)).unwrap();
    path
}

#[test]
fn files_that_are_not_regular_or_too_large_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    // Sparse: takes no disk space, and reading it whole would take 8 GB of memory.
    let huge = dir.path().join("huge.o");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(8 << 30)
        .unwrap();
    let fifo = dir.path().join("fifo.toml");
    support::run(Command::new("mkfifo").arg(&fifo));
    let object = leaks_object(dir.path());
    let object = object.to_str().unwrap();
    let huge_scenario = dir.path().join("huge.toml");
    std::fs::File::create(&huge_scenario)
        .unwrap()
        .set_len(17 << 20)
        .unwrap();
    let d = dir.path().display();
    let rows: &[(&[&str], String)] = &[
        (
            &["/dev/zero"],
            "error: cannot read /dev/zero: it is a character device, not a regular file".to_owned(),
        ),
        (
            &[dir.path().to_str().unwrap()],
            format!("error: cannot read {d}: it is a directory, not a regular file"),
        ),
        (
            &[huge.to_str().unwrap()],
            format!(
                "error: cannot read {d}/huge.o: it holds 8589934592 bytes, more than the 64 MiB the runner reads"
            ),
        ),
        (
            &[object, "--scenario", fifo.to_str().unwrap()],
            format!("error: cannot read {d}/fifo.toml: it is a named pipe, not a regular file"),
        ),
        (
            &[object, "--scenario", huge_scenario.to_str().unwrap()],
            format!(
                "error: cannot read {d}/huge.toml: it holds 17825792 bytes, more than the 16 MiB the runner reads"
            ),
        ),
        (
            &[object, "--program", "policy", "--ctx-file", "/dev/zero"],
            "error: cannot read /dev/zero: it is a character device, not a regular file".to_owned(),
        ),
    ];
    for (args, expected) in rows {
        assert_eq!(&error_of(args), expected, "{args:?}");
    }
}

#[test]
fn a_pointer_left_where_the_output_shows_it_is_named_the_same_in_every_engine() {
    let dir = tempfile::tempdir().unwrap();
    let object = leaks_object(dir.path());
    let why = "a pointer is an address in the runner, which changes from run to run and between \
               the engines; store what it points to, or an offset";
    let rows = [
        ("policy", "stores a stack pointer into map `SEEN`"),
        ("returns_context", "returns a context pointer in r0"),
        (
            "stack_into_context",
            "stores a stack pointer into the context (member `app_id_start`)",
        ),
        (
            "context_into_global",
            "stores a context pointer into global data `saved_context`",
        ),
    ];
    let engines: &[&str] = if nethooks_run::JIT_AVAILABLE {
        &["both", "interpreter", "jit"]
    } else {
        &["interpreter"]
    };
    for (program, what) in rows {
        for engine in engines {
            let args = [
                object.to_str().unwrap(),
                "--program",
                program,
                "--engine",
                engine,
            ];
            assert_eq!(
                error_of(&args),
                format!("error: `{program}` {what}: {why}"),
                "{program} in {engine}"
            );
        }
    }
}

#[test]
fn a_fault_names_its_address_by_offset_never_as_a_host_address() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("wild_load.c");
    std::fs::write(
        &source,
        "#include \"ebpf_nethooks.h\"\n\
         __attribute__((section(\"bind\"), used)) int wild_load(bind_md_t* ctx)\n\
         { return *(volatile int*)((char*)ctx + 1000); }\n",
    )
    .unwrap();
    let object = dir.path().join("wild_load.o");
    support::run(&mut support::clang_bpf(
        &source,
        &support::generated_include_dir(),
        &object,
        &[],
    ));
    assert_eq!(
        error_of(&[object.to_str().unwrap()]),
        "error: the program failed in the interpreter: out of bounds memory load (insn #0): 4 bytes \
         at offset 1000 of the context (56 bytes), outside the stack and the context"
    );
}

#[test]
fn scenario_maps_are_checked_against_max_entries_and_for_repeated_keys() {
    let dir = tempfile::tempdir().unwrap();
    let object = leaks_object(dir.path());
    let rows = [
        (
            "[maps]\nSEEN = [{ key = 1, value = 0 }, { key = 2, value = 0 }, { key = 1, value = 5 }]\n\
             [[run]]\nprogram = \"context_into_global\"\n",
            "its key hex:01000000 is the key of entry 1 too; a map holds one value per key",
        ),
        (
            "[maps]\nSEEN = [{ key = 1, value = 0 }, { key = 2, value = 0 }, { key = 3, value = 0 }, \
             { key = 4, value = 0 }, { key = 5, value = 0 }]\n[[run]]\nprogram = \"context_into_global\"\n",
            "map `SEEN` holds at most 4 entries (`max_entries`), and the scenario gives 5",
        ),
    ];
    for (i, (text, expected)) in rows.into_iter().enumerate() {
        let file = dir.path().join(format!("s{i}.toml"));
        std::fs::write(&file, text).unwrap();
        let error = error_of(&[
            object.to_str().unwrap(),
            "--scenario",
            file.to_str().unwrap(),
        ]);
        assert!(error.ends_with(expected), "{error}");
    }
}

#[test]
fn long_names_are_cut_in_messages() {
    let dir = tempfile::tempdir().unwrap();
    let object = leaks_object(dir.path());
    // Through a scenario file: a command-line argument cannot be this long.
    let long = "p".repeat(10 << 20);
    let scenario = dir.path().join("long.toml");
    std::fs::write(&scenario, format!("[[run]]\nprogram = \"{long}\"\n")).unwrap();
    let out = nethooks_run(&[
        object.to_str().unwrap(),
        "--scenario",
        scenario.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let error = String::from_utf8_lossy(&out.stderr);
    assert!(
        error.len() < 1000,
        "{} bytes: {}",
        error.len(),
        &error[..300]
    );
    let cut = format!("`{}... ({} bytes)`", "p".repeat(64), 10 << 20);
    assert!(error.contains(&cut), "{error}");
}

#[test]
fn ctx_takes_only_the_members_own_enum_and_each_member_once() {
    let dir = tempfile::tempdir().unwrap();
    let object = leaks_object(dir.path());
    let object = object.to_str().unwrap();
    let base = [object, "--program", "context_into_global"];
    let rows: &[(&[&str], &str)] = &[
        (
            &["--ctx", "operation=BIND_DENY"],
            "error: bad value for `operation`: `BIND_DENY` is an enumerator of another enum; \
             `operation` takes `BIND_OPERATION_BIND`, `BIND_OPERATION_POST_BIND`, `BIND_OPERATION_UNBIND`",
        ),
        (
            &[
                "--ctx",
                "operation=BIND_OPERATION_UNBIND",
                "--ctx",
                "operation=0",
            ],
            "error: bad value for `operation`: the member is given more than once",
        ),
        (
            &["--ctx", "process_id=1,process_id=2"],
            "error: bad value for `process_id`: the member is given more than once",
        ),
    ];
    for (extra, expected) in rows {
        let args: Vec<&str> = base.iter().chain(extra.iter()).copied().collect();
        assert_eq!(&error_of(&args), expected, "{extra:?}");
    }
}
