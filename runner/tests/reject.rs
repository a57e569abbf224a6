//! The runner refuses bad input with a clear message and exit status 1 (3 for a
//! program that exceeds its instruction budget), never a panic or a crash: each row
//! runs the `nethooks-run` binary on one bad input.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

/// How a row builds its input in `dir`: the object file and the extra arguments.
type Setup = fn(&Path) -> (PathBuf, Vec<String>);

struct Reject {
    what: &'static str,
    setup: Setup,
    message: &'static str,
}

/// Exit status of every rejection but a budget overrun.
const ERROR: i32 = 1;
/// Exit status of a run stopped by --max-insns.
const BUDGET: i32 = 3;

fn program(name: &str, dir: &Path) -> PathBuf {
    let elf = support::compile(name, dir);
    let path = dir.join(format!("{}.o", name.replace('/', "_")));
    std::fs::write(&path, elf).unwrap();
    path
}

fn args(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn context_file(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const REJECTS: &[Reject] = &[
    Reject {
        what: "a section the object does not have",
        setup: |dir| {
            (
                program("bind_policy.c", dir),
                args(&["--section", "cgroup/connect4"]),
            )
        },
        message: "no section `cgroup/connect4` in the object; its program sections are: `bind`",
    },
    Reject {
        what: "a section of no hook",
        setup: |dir| (program("invalid/unknown_section.c", dir), vec![]),
        message: "the object has no section of a known hook",
    },
    Reject {
        what: "a section of no hook, named",
        setup: |dir| {
            (
                program("invalid/unknown_section.c", dir),
                args(&["--section", "xdp"]),
            )
        },
        message: "section `xdp` belongs to no hook; the hooks' sections are: `bind`, `cgroup/connect4`",
    },
    Reject {
        what: "two programs in one section, neither named",
        setup: |dir| (program("two_programs.c", dir), vec![]),
        message: "the object has several programs; choose one with --program (or --section when its section holds only one): `first_program (sockops)`, `second_program (sockops)`",
    },
    Reject {
        what: "two programs in one section, chosen by the section",
        setup: |dir| {
            (
                program("two_programs.c", dir),
                args(&["--section", "sockops"]),
            )
        },
        message: "`first_program (sockops)`, `second_program (sockops)`",
    },
    Reject {
        what: "a program name the object does not have",
        setup: |dir| {
            (
                program("two_programs.c", dir),
                args(&["--program", "third_program"]),
            )
        },
        message: "no program `third_program` in the object; its programs are: `first_program (sockops)`, `second_program (sockops)`",
    },
    Reject {
        what: "a call of a function no object defines",
        setup: |dir| (program("invalid/undefined_function.c", dir), vec![]),
        message: "cannot link `undefined_function`: instruction 1 of section `sockops` refers to `checksum`, an undefined symbol",
    },
    Reject {
        what: "a map's address read as memory (it is a handle for the map helpers)",
        setup: |dir| (program("invalid/legacy_map.c", dir), vec![]),
        message: "the program failed in the interpreter: out of bounds memory load (insn #2): 4 bytes at 0xffffa0000000000c, outside the stack and the context",
    },
    Reject {
        what: "an ELF object for the host, not for BPF",
        setup: |dir| {
            let object = dir.join("host_object.o");
            support::run(
                Command::new(support::require_tool("gcc"))
                    .arg("-c")
                    .arg(support::programs_dir().join("invalid/host_object.c"))
                    .arg("-o")
                    .arg(&object),
            );
            (object, vec![])
        },
        message: "not an eBPF object: its ELF machine is",
    },
    Reject {
        what: "a file that is not ELF",
        setup: |_| (support::workspace_root().join("Cargo.toml"), vec![]),
        message: "not an ELF object file",
    },
    Reject {
        what: "a file that does not exist",
        setup: |dir| (dir.join("missing.o"), vec![]),
        message: "cannot read",
    },
    Reject {
        what: "a call to a helper ID the spec does not define",
        setup: |dir| (program("invalid/unknown_helper.c", dir), vec![]),
        message: "calls helper ID 0x12345, which no helper of the spec and no general helper has; known helpers: `bpf_sock_addr_set_redirect_context = 0x10001`",
    },
    Reject {
        what: "a call to another hook's helper",
        setup: |dir| (program("invalid/wrong_hook_helper.c", dir), vec![]),
        message: "calls `bpf_sock_ops_get_flow_id`, which programs of `bind_hook_t` may not call",
    },
    Reject {
        what: "a helper given something other than the context",
        setup: |dir| (program("invalid/foreign_context.c", dir), vec![]),
        message: "`bpf_sock_ops_get_flow_id` got offset -64 from the top of the stack as `ctx`, which is not the program's context",
    },
    Reject {
        what: "a helper given a buffer outside the context and stack",
        setup: |dir| {
            let object = program("invalid/bad_buffer.c", dir);
            (object, args(&["--ctx", "interface_luid=0x1000"]))
        },
        message: "`bpf_sock_addr_set_redirect_context` got a `data` buffer of 8 bytes at 0x1000, outside the program's context, stack, global data, context data and map values",
    },
    Reject {
        what: "a load past the end of the context",
        setup: |dir| (program("invalid/out_of_bounds.c", dir), vec![]),
        message: "the program failed in the interpreter: out of bounds memory load (insn #0)",
    },
    Reject {
        what: "a load past the end of the context, asked of the JIT",
        setup: |dir| {
            (
                program("invalid/out_of_bounds.c", dir),
                args(&["--engine", "jit"]),
            )
        },
        message: "the program failed in the interpreter: out of bounds memory load (insn #0)",
    },
    Reject {
        what: "a store past the end of the context",
        setup: |dir| (program("invalid/out_of_bounds_store.c", dir), vec![]),
        message: "the program failed in the interpreter: out of bounds memory store (insn #1)",
    },
    Reject {
        what: "atomics asked of rbpf's JIT",
        setup: |dir| {
            let elf = support::compile_with_flags("atomic_counter.c", dir, &["-mcpu=v3"]);
            let path = dir.join("atomic_counter.o");
            std::fs::write(&path, elf).unwrap();
            (path, args(&["--engine", "jit"]))
        },
        message: "the program failed in the JIT: the program uses atomic instructions, which rbpf's JIT lacks; use --engine interpreter",
    },
    Reject {
        what: "an unknown member in a TOML context file",
        setup: |dir| {
            let file = context_file(
                dir,
                "ctx.toml",
                "process_id = 42\nprocess = 1\nsocket_adress = \"hex:02\"\n",
            );
            (program("bind_policy.c", dir), args(&["--ctx-file", &file]))
        },
        message: "unknown member `process`, `socket_adress` of `bind_md_t`; its members are: `app_id_start`",
    },
    Reject {
        what: "an unknown member in a JSON context file",
        setup: |dir| {
            let file = context_file(dir, "ctx.json", r#"{"op": 1, "flow": 2}"#);
            (program("sockops_flow.c", dir), args(&["--ctx-file", &file]))
        },
        message: "unknown member `flow` of `bpf_sock_ops_t`",
    },
    Reject {
        what: "a context file that is not TOML",
        setup: |dir| {
            let file = context_file(dir, "ctx.toml", "process_id = = 42\n");
            (program("bind_policy.c", dir), args(&["--ctx-file", &file]))
        },
        message: "ctx.toml: TOML parse error",
    },
    Reject {
        what: "an unknown member on the command line",
        setup: |dir| {
            (
                program("bind_policy.c", dir),
                args(&["--ctx", "procss_id=1"]),
            )
        },
        message: "unknown member `procss_id` of `bind_md_t`; its members are: `app_id_start`, `app_id_end`, `process_id`",
    },
    Reject {
        what: "a value too large for its member",
        setup: |dir| {
            (
                program("connect4_policy.c", dir),
                args(&["--ctx", "user_port=net:70000"]),
            )
        },
        message: "bad value for `user_port`: 70000 does not fit in 2 bytes",
    },
    Reject {
        what: "an IPv6 address in an IPv4 member",
        setup: |dir| {
            (
                program("connect4_policy.c", dir),
                args(&["--ctx", "user_ip4=::1"]),
            )
        },
        message: "bad value for `user_ip4`: an address of 16 bytes in a member of 4 bytes",
    },
    Reject {
        what: "an assignment without `=`",
        setup: |dir| {
            (
                program("connect4_policy.c", dir),
                args(&["--ctx", "user_port"]),
            )
        },
        message: "`user_port` is not `member=value`",
    },
];

#[test]
fn bad_input_is_rejected_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for reject in REJECTS {
        let (object, extra) = (reject.setup)(dir.path());
        let out = support::output(
            Command::new(env!("CARGO_BIN_EXE_nethooks-run"))
                .arg(&object)
                .args(&extra),
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        let ok = out.status.code() == Some(ERROR)
            && stderr.starts_with("error: ")
            && stderr.contains(reject.message)
            && !stderr.contains("panicked")
            && out.stdout.is_empty();
        if !ok {
            problems.push(format!(
                "{}: expected exit {ERROR} and `{}`; got {} with stderr:\n{stderr}",
                reject.what, reject.message, out.status
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_program_that_never_exits_is_stopped_by_the_budget_with_exit_status_3() {
    let dir = tempfile::tempdir().unwrap();
    let object = program("endless_loop.c", dir.path());
    let mut engines = vec![
        (vec![], "in the interpreter"),
        (vec!["--engine", "interpreter"], "in the interpreter"),
    ];
    if nethooks_run::JIT_AVAILABLE {
        engines.push((
            vec!["--engine", "jit"],
            "found by the checking interpreter run that precedes every JIT run",
        ));
    }
    for (engine, where_) in engines {
        for (budget, limit) in [(None, "1000000"), (Some("5000"), "5000")] {
            let mut extra = engine.clone();
            if let Some(n) = budget {
                extra.extend(["--max-insns", n]);
            }
            let out = support::output(
                Command::new(env!("CARGO_BIN_EXE_nethooks-run"))
                    .arg(&object)
                    .args(&extra),
            );
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(BUDGET), "{extra:?}: {stderr}");
            assert!(
                stderr.starts_with(&format!(
                    "error: the program ran more than {limit} instructions without exiting"
                )),
                "{extra:?}: {stderr}"
            );
            assert!(stderr.contains(where_), "{extra:?}: {stderr}");
            assert!(stderr.contains("--max-insns"), "{extra:?}: {stderr}");
            assert!(out.stdout.is_empty(), "{extra:?}");
        }
    }
}
