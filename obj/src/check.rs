//! Static checks of linked code, before any run: every instruction is one the
//! interpreter knows, registers exist, jumps and calls land on an instruction.
//! Both engines rely on this: rbpf's JIT must never see code it cannot compile.

use crate::isa::*;

/// `Err((instruction index, why))` for the first instruction that no engine can run.
pub fn check(code: &[u8]) -> Result<(), (usize, String)> {
    if code.is_empty() || !code.len().is_multiple_of(8) {
        return Err((
            0,
            format!(
                "{} bytes is not a whole number of 8-byte instructions",
                code.len()
            ),
        ));
    }
    let count = code.len() / 8;
    // Second halves of lddw, which no jump may land on.
    let mut second_half = vec![false; count];
    let mut index = 0;
    while let Some(insn) = Insn::at(code, index) {
        if insn.op == LD_DW_IMM {
            match Insn::at(code, index + 1) {
                Some(next) if next.op == 0 && next.dst == 0 && next.src == 0 && next.off == 0 => {
                    second_half[index + 1] = true;
                }
                _ => return Err((index, "an incomplete 64-bit load (lddw)".to_owned())),
            }
            index += 2;
        } else {
            index += 1;
        }
    }
    let mut index = 0;
    while let Some(insn) = Insn::at(code, index) {
        check_one(insn).map_err(|why| (index, why))?;
        if insn.dst > 10 || insn.src > 10 {
            return Err((index, "a register above r10".to_owned()));
        }
        if writes_register(insn, 10) {
            return Err((
                index,
                "a write to r10, the read-only frame pointer".to_owned(),
            ));
        }
        if let Some(target) = branch_target(insn, index) {
            let landing = usize::try_from(target).ok().filter(|&t| t < count);
            match landing {
                None => {
                    return Err((
                        index,
                        format!("a jump or call to #{target}, outside the code"),
                    ));
                }
                Some(t) if second_half[t] => {
                    return Err((
                        index,
                        format!("a jump or call into the middle of lddw #{}", t - 1),
                    ));
                }
                Some(_) => {}
            }
        }
        index += if insn.op == LD_DW_IMM { 2 } else { 1 };
    }
    Ok(())
}

/// Where a jump or BPF-to-BPF call at `index` goes (`None` for other instructions).
pub fn branch_target(insn: Insn, index: usize) -> Option<i64> {
    let next = index as i64 + 1;
    match insn.class() {
        CLASS_JMP if insn.op == CALL && insn.src == 1 => Some(next + i64::from(insn.imm)),
        CLASS_JMP if insn.op == CALL || insn.op == EXIT => None,
        CLASS_JMP => Some(next + i64::from(insn.off)),
        CLASS_JMP32 if insn.code() == JMP_JA => Some(next + i64::from(insn.imm)),
        CLASS_JMP32 => Some(next + i64::from(insn.off)),
        _ => None,
    }
}

/// Whether `insn` writes register `reg`: the destination of ALU, LDX and lddw; for
/// atomics, the destination of load-acquire, the source of a fetch or exchange (which
/// receives the old value), and r0 for compare-and-exchange.
fn writes_register(insn: Insn, reg: u8) -> bool {
    if matches!(insn.class(), CLASS_ALU | CLASS_ALU64 | CLASS_LDX) || insn.op == LD_DW_IMM {
        return insn.dst == reg;
    }
    if insn.class() != CLASS_STX || insn.mode() != MODE_ATOMIC {
        return false;
    }
    match insn.imm {
        LOAD_ACQUIRE => insn.dst == reg,
        STORE_RELEASE => false,
        ATOMIC_CMPXCHG => reg == 0,
        imm if imm & ATOMIC_FETCH != 0 => insn.src == reg,
        _ => false,
    }
}

fn check_one(insn: Insn) -> Result<(), String> {
    let unknown = || Err(format!("unknown opcode {:#04x}", insn.op));
    match insn.class() {
        CLASS_LD => match insn.op {
            LD_DW_IMM if insn.src == 0 => Ok(()),
            LD_DW_IMM => Err(format!(
                "a 64-bit load of pseudo source {} (a map or BTF object), which the runner does not support",
                insn.src
            )),
            0x20 | 0x28 | 0x30 | 0x38 | 0x40 | 0x48 | 0x50 | 0x58 => Err(
                "a legacy packet access (LD_ABS/LD_IND), which the runner does not support"
                    .to_owned(),
            ),
            _ => unknown(),
        },
        CLASS_LDX => match insn.mode() {
            MODE_MEM => Ok(()),
            MODE_MEMSX if insn.size() < 8 => Ok(()),
            _ => unknown(),
        },
        CLASS_ST => match insn.mode() {
            MODE_MEM => Ok(()),
            _ => unknown(),
        },
        CLASS_STX => match insn.mode() {
            MODE_MEM => Ok(()),
            MODE_ATOMIC => check_atomic(insn),
            _ => unknown(),
        },
        CLASS_ALU | CLASS_ALU64 => check_alu(insn),
        _ => check_jmp(insn),
    }
}

fn check_atomic(insn: Insn) -> Result<(), String> {
    let rmw = [ATOMIC_ADD, ATOMIC_OR, ATOMIC_AND, ATOMIC_XOR];
    let ok = match insn.imm {
        LOAD_ACQUIRE | STORE_RELEASE => true,
        imm if rmw.contains(&(imm & !ATOMIC_FETCH))
            || imm == ATOMIC_XCHG
            || imm == ATOMIC_CMPXCHG =>
        {
            insn.size() >= 4
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "an atomic operation {:#x} of {} bytes, which eBPF does not define",
            insn.imm,
            insn.size()
        ))
    }
}

fn check_alu(insn: Insn) -> Result<(), String> {
    let is64 = insn.class() == CLASS_ALU64;
    match insn.code() {
        ALU_DIV | ALU_MOD if insn.off != 0 && insn.off != 1 => Err(format!(
            "a division with offset {} (0 or 1, signed)",
            insn.off
        )),
        ALU_MOV if insn.off != 0 => {
            let widths: &[i16] = if is64 { &[8, 16, 32] } else { &[8, 16] };
            if insn.uses_reg() && widths.contains(&insn.off) {
                Ok(())
            } else {
                Err(format!(
                    "a sign-extending move (movsx) with offset {}",
                    insn.off
                ))
            }
        }
        ALU_NEG if insn.uses_reg() => Err(format!("unknown opcode {:#04x}", insn.op)),
        ALU_END => {
            if is64 && insn.uses_reg() {
                return Err(format!("unknown opcode {:#04x}", insn.op));
            }
            match insn.imm {
                16 | 32 | 64 => Ok(()),
                imm => Err(format!("a byte swap of {imm} bits (16, 32 or 64)")),
            }
        }
        0xe0 | 0xf0 => Err(format!("unknown opcode {:#04x}", insn.op)),
        _ => Ok(()),
    }
}

fn check_jmp(insn: Insn) -> Result<(), String> {
    let is32 = insn.class() == CLASS_JMP32;
    match insn.code() {
        JMP_CALL if is32 => Err(format!("unknown opcode {:#04x}", insn.op)),
        JMP_CALL if insn.uses_reg() => {
            Err("a tail call (or indirect call), which the runner does not support".to_owned())
        }
        JMP_CALL => match insn.src {
            0 | 1 => Ok(()),
            2 => Err(
                "a call of a kernel function (kfunc), which the runner does not support".to_owned(),
            ),
            src => Err(format!("a call of unknown kind {src}")),
        },
        JMP_EXIT if is32 || insn.uses_reg() => Err(format!("unknown opcode {:#04x}", insn.op)),
        JMP_JA if insn.uses_reg() => Err(format!("unknown opcode {:#04x}", insn.op)),
        0xe0 | 0xf0 => Err(format!("unknown opcode {:#04x}", insn.op)),
        _ => Ok(()),
    }
}
