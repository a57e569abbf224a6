//! Real objects run as a loader would link them: BPF-to-BPF calls into `.text` and
//! within a section, global data that persists across runs, atomics, and the
//! instruction budget in both engines; load errors name what is missing.

mod support;

use nethooks_run::error::ExecError;
use nethooks_run::{Engine, Program, RunError, RunOptions};

struct Row {
    source: &'static str,
    flags: &'static [&'static str],
    ctx: &'static str,
    /// Verdicts of two runs in a row of the same loaded program.
    verdicts: [&'static str; 2],
    instruction_set: &'static str,
    /// Whether rbpf's JIT runs it too (else why it is skipped, in part).
    jit: Result<(), &'static str>,
}

const ROWS: &[Row] = &[
    Row {
        source: "bpf_to_bpf_call.c",
        flags: &[],
        ctx: "local_port=80",
        // port_weight(80) = 160, plus the caller's 7, intact after the call.
        verdicts: ["167", "167"],
        instruction_set: "v1: BPF-to-BPF calls, global data",
        // Inlined for the JIT.
        jit: Ok(()),
    },
    Row {
        source: "bpf_to_bpf_call.c",
        flags: &[],
        ctx: "local_port=2000",
        verdicts: ["2007", "2007"],
        instruction_set: "v1: BPF-to-BPF calls, global data",
        // Inlined for the JIT.
        jit: Ok(()),
    },
    Row {
        source: "two_functions.c",
        flags: &[],
        ctx: "user_ip4=10.1.2.3",
        verdicts: ["BPF_SOCK_ADDR_VERDICT_REJECT"; 2],
        instruction_set: "v1: BPF-to-BPF calls",
        // Inlined for the JIT.
        jit: Ok(()),
    },
    Row {
        source: "two_functions.c",
        flags: &[],
        ctx: "user_ip4=11.1.2.3",
        verdicts: ["BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT"; 2],
        instruction_set: "v1: BPF-to-BPF calls",
        // Inlined for the JIT.
        jit: Ok(()),
    },
    Row {
        source: "global_counter.c",
        flags: &[],
        ctx: "op=1",
        // runs += step (3): the second run sees the first's store; bonus[1] = 100.
        verdicts: ["103", "106"],
        instruction_set: "v1: global data",
        jit: Ok(()),
    },
    Row {
        source: "static_counter.c",
        flags: &[],
        ctx: "",
        verdicts: ["BIND_PERMIT_SOFT", "BIND_PERMIT_SOFT"],
        instruction_set: "v1: global data",
        jit: Ok(()),
    },
    Row {
        source: "global_variable.c",
        flags: &[],
        ctx: "op=4",
        verdicts: ["4", "4"],
        instruction_set: "v1: global data",
        jit: Ok(()),
    },
    Row {
        source: "atomic_counter.c",
        flags: &["-mcpu=v3"],
        ctx: "op=4",
        // __sync_fetch_and_add returns the old value: 0, then 5.
        verdicts: ["0", "5"],
        instruction_set: "v3: ALU32, atomics, global data",
        jit: Err("atomic instructions"),
    },
];

fn load(source: &str, flags: &[&str], dir: &std::path::Path) -> Program {
    let elf = support::compile_with_flags(source, dir, flags);
    nethooks_run::load_program(&elf, None).unwrap_or_else(|e| panic!("{source}: {e}"))
}

#[test]
fn linked_programs_run_and_keep_their_global_data() {
    let dir = tempfile::tempdir().unwrap();
    for row in ROWS {
        let what = format!("{} [{}]", row.source, row.ctx);
        let program = load(row.source, row.flags, dir.path());
        assert_eq!(
            program.features().to_string(),
            row.instruction_set,
            "{what}"
        );
        let mut context = nethooks_run::context_for(&program).unwrap();
        context.apply_assignments(row.ctx).unwrap();
        for expected in row.verdicts {
            let (outcome, engines) = nethooks_run::run_checked(&program, &context)
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(outcome.verdict.name(), expected, "{what}");
            let blocker = nethooks_run::jit_blocker(&program, &context).unwrap();
            match (row.jit, nethooks_run::JIT_AVAILABLE) {
                (Ok(()), true) => {
                    assert_eq!(engines, [Engine::Interpreter, Engine::Jit], "{what}");
                    assert_eq!(blocker, None, "{what}");
                }
                (Err(why), true) => {
                    assert_eq!(engines, [Engine::Interpreter], "{what}");
                    let blocker = blocker.unwrap_or_default();
                    assert!(blocker.contains(why), "{what}: {blocker}");
                }
                (_, false) => assert_eq!(engines, [Engine::Interpreter], "{what}"),
            }
        }
    }
}

#[test]
fn global_writes_are_reported_by_symbol_and_start_from_the_same_data_in_each_engine() {
    let dir = tempfile::tempdir().unwrap();
    let program = load("global_counter.c", &[], dir.path());
    let context = nethooks_run::context_for(&program).unwrap();
    let mut engines = vec![Engine::Interpreter];
    if nethooks_run::JIT_AVAILABLE {
        engines.push(Engine::Jit);
    }
    for engine in engines {
        program.reset_globals();
        for (before, after) in [(0u64, 3u64), (3, 6)] {
            let outcome = nethooks_run::run(&program, &context, engine).unwrap();
            assert_eq!(outcome.global_writes.len(), 1, "{engine:?}");
            let write = &outcome.global_writes[0];
            assert_eq!(write.name, "runs");
            assert_eq!(write.section, ".bss");
            assert_eq!(write.before, before.to_le_bytes(), "{engine:?}");
            assert_eq!(write.after, after.to_le_bytes(), "{engine:?}");
        }
        // The JIT's checking interpreter run did not count twice.
        assert_eq!(
            program.global_data(".bss").unwrap(),
            6u64.to_le_bytes(),
            "{engine:?}"
        );
    }
    // A clone owns a copy of the data as it was.
    let copy = program.clone();
    nethooks_run::run(&copy, &context, Engine::Interpreter).unwrap();
    assert_eq!(copy.global_data(".bss").unwrap(), 9u64.to_le_bytes());
    assert_eq!(program.global_data(".bss").unwrap(), 6u64.to_le_bytes());
    assert_eq!(
        program.global_data(".data").unwrap(),
        3u64.to_le_bytes(),
        "the initial bytes of `step`"
    );
}

#[test]
fn the_budget_stops_an_endless_loop_in_both_engines() {
    let dir = tempfile::tempdir().unwrap();
    let program = load("endless_loop.c", &[], dir.path());
    let context = nethooks_run::context_for(&program).unwrap();
    let options = RunOptions { max_insns: 10_000 };
    let mut rows = vec![(Engine::Interpreter, false)];
    if nethooks_run::JIT_AVAILABLE {
        rows.push((Engine::Jit, true));
    }
    for (engine, before_jit) in rows {
        let error = nethooks_run::run_with(&program, &context, engine, &options).unwrap_err();
        assert_eq!(
            error,
            RunError::Exec(ExecError::Budget {
                max_insns: 10_000,
                before_jit
            }),
            "{engine:?}"
        );
        let message = error.to_string();
        assert!(
            message.starts_with("the program ran more than 10000 instructions")
                && message.contains("--max-insns"),
            "{message}"
        );
    }
    let error = nethooks_run::run_checked(&program, &context).unwrap_err();
    assert!(
        error.to_string().contains("more than 1000000 instructions"),
        "{error}"
    );
}

#[test]
fn a_section_with_two_programs_needs_the_function_name() {
    let dir = tempfile::tempdir().unwrap();
    let elf = support::compile("two_programs.c", dir.path());
    let object = nethooks_run::BpfObject::parse(&elf).unwrap();
    let listed: Vec<(String, String)> = object
        .listed_programs()
        .into_iter()
        .map(|p| (p.section, p.name))
        .collect();
    assert_eq!(
        listed,
        [
            ("sockops".to_owned(), "first_program".to_owned()),
            ("sockops".to_owned(), "second_program".to_owned())
        ]
    );
    let error = object.program(Some("sockops")).unwrap_err().to_string();
    assert!(
        error.contains("`first_program (sockops)`, `second_program (sockops)`"),
        "{error}"
    );
    let second = nethooks_run::load_program(&elf, Some("second_program")).unwrap();
    assert_eq!(
        (second.section.as_str(), second.name.as_str()),
        ("sockops", "second_program")
    );
    assert_eq!(second.instruction_count(), 2);
    assert!(second.helpers_called().is_empty());
}

#[test]
fn helpers_called_lists_each_helper_once_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let program = load("sockops_flow.c", &[], dir.path());
    let names: Vec<&str> = program.helpers_called().iter().map(|h| h.name).collect();
    assert_eq!(names, ["bpf_sock_ops_get_flow_id"]);
    assert_eq!(program.hook.name, "sock_ops_hook_t");
    assert_eq!(program.attach.name, "sockops");
}

/// The object's bytes with the opcode of instruction `insn` of section `section` replaced.
fn with_opcode(elf: &[u8], section: &str, insn: usize, opcode: u8) -> Vec<u8> {
    use object::{Object, ObjectSection};
    let file = object::File::parse(elf).unwrap();
    let (offset, _) = file.section_by_name(section).unwrap().file_range().unwrap();
    let mut bytes = elf.to_vec();
    bytes[offset as usize + insn * 8] = opcode;
    bytes
}

#[test]
fn load_errors_name_the_section_or_symbol_that_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let compile = |name: &str| support::compile(name, dir.path());
    let rows: Vec<(Vec<u8>, &str)> = vec![
        (
            compile("invalid/undefined_function.c"),
            "instruction 1 of section `sockops` refers to `checksum`, an undefined symbol",
        ),
        // The call into `.text` (instruction 9), its opcode made a move: the
        // relocation against the `.text` section symbol is named by its section.
        (
            with_opcode(&compile("bpf_to_bpf_call.c"), "sockops", 9, 0xb7),
            "instruction 9 of section `sockops` has a relocation of type 10 against section `.text` on opcode 0xb7",
        ),
        // The same for the load of the `.bss` section symbol's address.
        (
            with_opcode(&compile("static_counter.c"), "bind", 0, 0xb7),
            "instruction 0 of section `bind` has a relocation of type 1 against section `.bss` on opcode 0xb7",
        ),
    ];
    for (elf, expected) in rows {
        let error = nethooks_run::load_program(&elf, None)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(expected),
            "expected `{expected}` in: {error}"
        );
        assert!(!error.contains("``"), "an empty name in: {error}");
    }
}
