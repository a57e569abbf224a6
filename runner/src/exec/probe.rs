//! The stack probe the runner puts in front of every program it gives rbpf's JIT:
//! JIT helpers get no r10, so the probe tells the run where the VM stack is (for the
//! doubles' buffer checks) and zeroes what the interpreter starts zeroed.

use crate::helpers::session;
use nethooks_obj::isa;

/// Helper ID of the stack probe.
pub const STACK_PROBE_ID: i64 = 0x7FFF_FFF0;

/// Put in front of every program: `r2 = r10; call STACK_PROBE; r1 = r0` tells the
/// runner where the stack is (helpers get no r10) and restores r1, the context, which
/// the probe returns; then the stack and r0, r2..r9 are zeroed, as the interpreter
/// starts them, so that code reading them before writing takes the same path in
/// both engines. Jumps and calls are relative, so the program after it needs no change.
const STACK_PROBE: [[u8; 8]; 17] = {
    use isa::encode as insn;
    const MOV64_REG: u8 = isa::CLASS_ALU64 | isa::ALU_MOV | isa::SOURCE_REG;
    const MOV64_IMM: u8 = isa::CLASS_ALU64 | isa::ALU_MOV | isa::SOURCE_IMM;
    /// `*(u64 *)(dst + off) = imm`.
    const ST_DW: u8 = isa::CLASS_ST | isa::MODE_MEM | isa::SIZE_DW;
    const JNE_REG: u8 = isa::CLASS_JMP | isa::JMP_JNE | isa::SOURCE_REG;
    const fn mov0(reg: u8) -> [u8; 8] {
        insn(MOV64_IMM, reg, 0, 0, 0)
    }
    [
        insn(MOV64_REG, 2, 10, 0, 0),
        insn(isa::CALL, 0, 0, 0, STACK_PROBE_ID as i32),
        insn(MOV64_REG, 1, 0, 0, 0),
        // r2 = r10 - 512; do { *(u64 *)r2 = 0; r2 += 8 } while (r2 != r10)
        insn(MOV64_REG, 2, 10, 0, 0),
        insn(isa::ADD64_IMM, 2, 0, 0, -512),
        insn(ST_DW, 2, 0, 0, 0),
        insn(isa::ADD64_IMM, 2, 0, 0, 8),
        insn(JNE_REG, 2, 10, -3, 0),
        mov0(0),
        mov0(2),
        mov0(3),
        mov0(4),
        mov0(5),
        mov0(6),
        mov0(7),
        mov0(8),
        mov0(9),
    ]
};

/// `code` with the probe in front.
pub fn with_probe(code: &[u8]) -> Vec<u8> {
    STACK_PROBE.iter().flatten().chain(code).copied().collect()
}

/// The probe's helper: r1 is the context, r2 the top of the stack. Sets the run's
/// stack and returns the context for the probe to put back into r1.
pub fn reached(regs: [u64; 5]) -> u64 {
    let top = regs[1] as usize;
    session::set_stack(top.saturating_sub(rbpf::ebpf::STACK_SIZE)..top);
    regs[0]
}

/// rbpf's message with instruction numbers of the program as compiled (without the
/// probe). rbpf numbers a bad memory access by the instruction after it; fix that too.
pub fn without_probe(message: &str) -> String {
    let shift = STACK_PROBE.len() + usize::from(message.contains("out of bounds memory"));
    let mut out = String::new();
    let mut rest = message;
    while let Some(at) = rest.find("insn #") {
        let (before, after) = rest.split_at(at + "insn #".len());
        out.push_str(before);
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        match after[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&n.saturating_sub(shift).to_string()),
            Err(_) => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The probe built from opcode names is byte for byte the one written out by hand.
    #[test]
    fn the_probe_is_the_bytes_it_always_was() {
        let id = (STACK_PROBE_ID as i32).to_le_bytes();
        let minus_512 = (-512i32).to_le_bytes();
        let mov0 = |reg: u8| [0xb7, reg, 0, 0, 0, 0, 0, 0];
        let expected: [[u8; 8]; 17] = [
            [0xbf, 0xa2, 0, 0, 0, 0, 0, 0],
            [0x85, 0, 0, 0, id[0], id[1], id[2], id[3]],
            [0xbf, 0x01, 0, 0, 0, 0, 0, 0],
            [0xbf, 0xa2, 0, 0, 0, 0, 0, 0],
            [
                0x07,
                0x02,
                0,
                0,
                minus_512[0],
                minus_512[1],
                minus_512[2],
                minus_512[3],
            ],
            [0x7a, 0x02, 0, 0, 0, 0, 0, 0],
            [0x07, 0x02, 0, 0, 8, 0, 0, 0],
            [0x5d, 0xa2, 0xfd, 0xff, 0, 0, 0, 0],
            mov0(0),
            mov0(2),
            mov0(3),
            mov0(4),
            mov0(5),
            mov0(6),
            mov0(7),
            mov0(8),
            mov0(9),
        ];
        assert_eq!(STACK_PROBE, expected);
    }
}
