//! The arithmetic of the checking interpreter's rarer operations (division, modulo,
//! negation, byte swaps, sign-extending moves), sign extension and jump targets,
//! each a pure function of the instruction and its operands.

use nethooks_obj::isa::*;

pub(super) fn jump(pc: usize, offset: i64) -> Option<usize> {
    usize::try_from(pc as i64 + 1 + offset).ok()
}

pub(super) fn sign_extend(value: u64, bits: usize) -> u64 {
    let shift = 64 - bits;
    (((value << shift) as i64) >> shift) as u64
}

/// The second operand: a register or the immediate, sign-extended to 64 bits.
fn operand(insn: Insn, src: u64) -> u64 {
    if insn.uses_reg() {
        src
    } else {
        insn.imm as i64 as u64
    }
}

pub(super) fn alu64(insn: Insn, dst: u64, src: u64) -> u64 {
    let s = operand(insn, src);
    let signed = insn.off == 1;
    match insn.code() {
        ALU_ADD => dst.wrapping_add(s),
        ALU_SUB => dst.wrapping_sub(s),
        ALU_MUL => dst.wrapping_mul(s),
        ALU_DIV if s == 0 => 0,
        ALU_DIV if signed => (dst as i64).wrapping_div(s as i64) as u64,
        ALU_DIV => dst / s,
        ALU_OR => dst | s,
        ALU_AND => dst & s,
        ALU_LSH => dst << (s & 63),
        ALU_RSH => dst >> (s & 63),
        ALU_NEG => dst.wrapping_neg(),
        ALU_MOD if s == 0 => dst,
        ALU_MOD if signed => (dst as i64).wrapping_rem(s as i64) as u64,
        ALU_MOD => dst % s,
        ALU_XOR => dst ^ s,
        ALU_MOV if insn.off != 0 => sign_extend(s, insn.off as usize),
        ALU_MOV => s,
        ALU_ARSH => ((dst as i64) >> (s & 63)) as u64,
        // ALU64 BPF_END: an unconditional byte swap (v4).
        _ => swap(dst, insn.imm),
    }
}

fn swap(value: u64, bits: i32) -> u64 {
    match bits {
        16 => u64::from((value as u16).swap_bytes()),
        32 => u64::from((value as u32).swap_bytes()),
        _ => value.swap_bytes(),
    }
}

/// 32-bit operations: on the low halves, the result zero-extended.
pub(super) fn alu32(insn: Insn, dst64: u64, src64: u64) -> u64 {
    let dst = dst64 as u32;
    let s = if insn.uses_reg() {
        src64 as u32
    } else {
        insn.imm as u32
    };
    let signed = insn.off == 1;
    let result = match insn.code() {
        ALU_ADD => dst.wrapping_add(s),
        ALU_SUB => dst.wrapping_sub(s),
        ALU_MUL => dst.wrapping_mul(s),
        ALU_DIV if s == 0 => 0,
        ALU_DIV if signed => (dst as i32).wrapping_div(s as i32) as u32,
        ALU_DIV => dst / s,
        ALU_OR => dst | s,
        ALU_AND => dst & s,
        ALU_LSH => dst << (s & 31),
        ALU_RSH => dst >> (s & 31),
        ALU_NEG => dst.wrapping_neg(),
        // Modulo by zero leaves the low half; the upper half is zeroed as for any ALU32.
        ALU_MOD if s == 0 => dst,
        ALU_MOD if signed => (dst as i32).wrapping_rem(s as i32) as u32,
        ALU_MOD => dst % s,
        ALU_XOR => dst ^ s,
        ALU_MOV if insn.off != 0 => sign_extend(u64::from(s), insn.off as usize) as u32,
        ALU_MOV => s,
        ALU_ARSH => ((dst as i32) >> (s & 31)) as u32,
        // BPF_END: to little-endian truncates (the host and eBPF are little-endian),
        // to big-endian swaps; both act on the 64-bit register.
        _ => {
            return match (insn.uses_reg(), insn.imm) {
                (false, 16) => u64::from(dst64 as u16),
                (false, 32) => u64::from(dst64 as u32),
                (false, _) => dst64,
                (true, bits) => swap(dst64, bits),
            };
        }
    };
    u64::from(result)
}
