//! The loader, linker and interpreter on damaged objects: the test programs with
//! flipped bytes, truncated files and sections, and rewritten instructions (random
//! jump offsets, `ja -1`, random opcodes and registers). Each must end with a verdict
//! or an error: no panic, no hang. The JIT is asked whether it could compile each
//! program (a trial compile, which must not panic either) but runs none of them: the
//! JIT is only as safe as the interpreter's run predicts, and damaged code may depend
//! on addresses, which differ between the engines.

mod support;

use std::sync::OnceLock;

use nethooks_run::{Engine, RunOptions};
use object::{Object, ObjectSection};
use proptest::prelude::*;

/// Objects compiled once: (name, bytes).
fn objects() -> &'static [(&'static str, Vec<u8>)] {
    static OBJECTS: OnceLock<Vec<(&'static str, Vec<u8>)>> = OnceLock::new();
    OBJECTS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let plain = [
            "bind_policy.c",
            "sockops_flow.c",
            "connect_authorization_policy.c",
            "redirect_context_policy.c",
            "bpf_to_bpf_call.c",
            "two_functions.c",
            "global_counter.c",
            "static_counter.c",
            "endless_loop.c",
            "two_programs.c",
        ];
        let mut objects: Vec<(&'static str, Vec<u8>)> = plain
            .iter()
            .map(|name| (*name, support::compile(name, dir.path())))
            .collect();
        objects.push((
            "atomic_counter.c",
            support::compile_with_flags("atomic_counter.c", dir.path(), &["-mcpu=v3"]),
        ));
        objects
    })
}

/// File ranges of the code sections (those with instructions) of `elf`.
fn code_ranges(elf: &[u8]) -> Vec<(usize, usize)> {
    let Ok(file) = object::File::parse(elf) else {
        return Vec::new();
    };
    file.sections()
        .filter(|s| s.kind() == object::SectionKind::Text)
        .filter_map(|s| s.file_range())
        .map(|(start, len)| (start as usize, len as usize))
        .filter(|&(_, len)| len >= 8)
        .collect()
}

#[derive(Debug, Clone)]
enum Damage {
    /// Xor a byte anywhere in the file.
    Flip { at: usize, mask: u8 },
    /// Cut the file.
    Truncate { keep: usize },
    /// Shrink a section's size in the section header table.
    ShrinkSection { section: usize, size: u64 },
    /// Give instruction `insn` of a code section a new jump offset.
    JumpOffset { insn: usize, off: i16 },
    /// Make instruction `insn` an endless `ja -1`.
    JumpToSelf { insn: usize },
    /// Give instruction `insn` another opcode.
    Opcode { insn: usize, opcode: u8 },
    /// Give instruction `insn` other registers and immediate.
    Operands { insn: usize, regs: u8, imm: i32 },
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), 1..=255u8).prop_map(|(at, mask)| Damage::Flip { at, mask }),
        any::<usize>().prop_map(|keep| Damage::Truncate { keep }),
        (any::<usize>(), any::<u64>())
            .prop_map(|(section, size)| Damage::ShrinkSection { section, size }),
        (any::<usize>(), any::<i16>()).prop_map(|(insn, off)| Damage::JumpOffset { insn, off }),
        any::<usize>().prop_map(|insn| Damage::JumpToSelf { insn }),
        (any::<usize>(), any::<u8>()).prop_map(|(insn, opcode)| Damage::Opcode { insn, opcode }),
        (any::<usize>(), any::<u8>(), any::<i32>())
            .prop_map(|(insn, regs, imm)| Damage::Operands { insn, regs, imm }),
    ]
}

/// Offset of instruction `insn` (modulo the code) of the first code section with code.
fn insn_offset(elf: &[u8], insn: usize) -> Option<usize> {
    let ranges = code_ranges(elf);
    let (start, len) = ranges.get(insn % ranges.len().max(1))?;
    let at = start + (insn % (len / 8)) * 8;
    (at + 8 <= elf.len()).then_some(at)
}

fn apply(elf: &mut Vec<u8>, damage: &Damage) {
    match *damage {
        Damage::Flip { at, mask } => {
            let len = elf.len();
            elf[at % len] ^= mask;
        }
        Damage::Truncate { keep } => elf.truncate(keep % elf.len()),
        Damage::ShrinkSection { section, size } => {
            // ELF64: e_shoff at 0x28, e_shnum at 0x3c; sh_size at 0x20 of a 64-byte entry.
            let shoff = u64::from_le_bytes(elf[0x28..0x30].try_into().unwrap()) as usize;
            let shnum = u16::from_le_bytes([elf[0x3c], elf[0x3d]]) as usize;
            let at = shoff + (section % shnum.max(1)) * 64 + 0x20;
            if at + 8 <= elf.len() {
                let old = u64::from_le_bytes(elf[at..at + 8].try_into().unwrap());
                let new = if old == 0 { size } else { size % old };
                elf[at..at + 8].copy_from_slice(&new.to_le_bytes());
            }
        }
        Damage::JumpOffset { insn, off } => {
            if let Some(at) = insn_offset(elf, insn) {
                elf[at] = 0x05;
                elf[at + 2..at + 4].copy_from_slice(&off.to_le_bytes());
            }
        }
        Damage::JumpToSelf { insn } => {
            if let Some(at) = insn_offset(elf, insn) {
                elf[at..at + 8].copy_from_slice(&[0x05, 0, 0xff, 0xff, 0, 0, 0, 0]);
            }
        }
        Damage::Opcode { insn, opcode } => {
            if let Some(at) = insn_offset(elf, insn) {
                elf[at] = opcode;
            }
        }
        Damage::Operands { insn, regs, imm } => {
            if let Some(at) = insn_offset(elf, insn) {
                elf[at + 1] = regs;
                elf[at + 4..at + 8].copy_from_slice(&imm.to_le_bytes());
            }
        }
    }
}

/// Loads every program of `elf` and runs each in the interpreter with a small
/// budget; asks the JIT whether it could compile it. Returns how many ran.
fn exercise(elf: &[u8]) -> usize {
    let Ok(object) = nethooks_run::BpfObject::parse(elf) else {
        return 0;
    };
    let options = RunOptions { max_insns: 5_000 };
    let mut ran = 0;
    for listed in object.listed_programs() {
        let Ok(program) = listed.program else {
            continue;
        };
        let _ = (
            program.features(),
            program.helpers_called(),
            program.instruction_count(),
        );
        let Ok(context) = nethooks_run::context_for(&program) else {
            continue;
        };
        let _ = nethooks_run::jit_blocker(&program, &context);
        for _ in 0..2 {
            if nethooks_run::run_with(&program, &context, Engine::Interpreter, &options).is_ok() {
                ran += 1;
            }
        }
    }
    let _ = object.program(None);
    ran
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn damaged_objects_end_in_a_verdict_or_an_error(
        object in 0..11usize,
        damages in proptest::collection::vec(damage(), 1..4),
    ) {
        let (_, original) = &objects()[object % objects().len()];
        let mut elf = original.clone();
        for d in &damages {
            if elf.len() < 0x40 {
                break;
            }
            apply(&mut elf, d);
        }
        exercise(&elf);
    }
}

#[test]
fn the_undamaged_objects_run() {
    for (name, elf) in objects() {
        if *name == "endless_loop.c" {
            continue;
        }
        assert!(exercise(elf) > 0, "{name} did not run");
    }
}
