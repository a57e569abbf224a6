//! Checked code decoded once into steps the interpreter dispatches on with a single
//! `match`: the frequent operations get an operation of their own, the operand is a
//! register index (an immediate is read through a scratch register), and jump
//! targets are computed ahead. Rare operations keep their instruction and go through
//! the generic arithmetic of [`super::alu`].

use nethooks_obj::isa::*;

use super::alu::jump;

/// Registers r0..r10, then the scratch register that holds the immediate operand of
/// the step being run.
pub(super) const REGS: usize = 12;
pub(super) const IMM: u8 = 11;

/// What a step does. Variants named for an operation do exactly that; the `Other*`
/// variants run the instruction through the generic arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Add64,
    Sub64,
    Mul64,
    Or64,
    And64,
    Lsh64,
    Rsh64,
    Xor64,
    Mov64,
    Arsh64,
    Other64,
    Add32,
    Sub32,
    Mul32,
    Or32,
    And32,
    Lsh32,
    Rsh32,
    Xor32,
    Mov32,
    Arsh32,
    Other32,
    Jeq,
    Jgt,
    Jge,
    Jset,
    Jne,
    Jsgt,
    Jsge,
    Jlt,
    Jle,
    Jslt,
    Jsle,
    Jeq32,
    Jgt32,
    Jge32,
    Jset32,
    Jne32,
    Jsgt32,
    Jsge32,
    Jlt32,
    Jle32,
    Jslt32,
    Jsle32,
    Ja,
    /// Loads (`LDX`) of 1, 2, 4 and 8 bytes, zero-extended.
    Load1,
    Load2,
    Load4,
    Load8,
    /// A sign-extending load (`LDX MEMSX`).
    LoadSigned,
    /// Stores of 1, 2, 4 and 8 bytes of a register or, through the scratch register,
    /// an immediate.
    Store1,
    Store2,
    Store4,
    Store8,
    Atomic,
    LoadImm64,
    CallHelper,
    CallLocal,
    Exit,
    /// The second slot of a 64-bit immediate load, which `check` lets no jump reach.
    Unreachable,
}

/// One decoded instruction slot.
#[derive(Debug, Clone, Copy)]
pub(super) struct Step {
    pub op: Op,
    pub dst: u8,
    /// The operand register: `src`, or [`IMM`] for an immediate operand.
    pub operand: u8,
    /// Access size in bytes (loads and stores).
    pub size: u8,
    /// The immediate, sign-extended to 64 bits (a 64-bit load: its whole value).
    pub imm: u64,
    /// A jump's or BPF-to-BPF call's target; `None` when it is outside `usize`.
    pub target: Option<usize>,
    /// The instruction as read, for the generic operations and fault messages.
    pub insn: Insn,
}

/// A checked program, decoded: one step per 8-byte slot, so a step's index is the
/// instruction index that messages report.
pub struct Code {
    pub(super) steps: Vec<Step>,
}

impl Code {
    /// Decodes checked `code` (see [`nethooks_obj::check::check`]).
    pub fn new(code: &[u8]) -> Code {
        let mut steps = Vec::with_capacity(code.len() / 8);
        let mut pc = 0;
        while let Some(insn) = Insn::at(code, pc) {
            steps.push(decode(insn, pc, code));
            if insn.op == LD_DW_IMM {
                pc += 1;
                if Insn::at(code, pc).is_some() {
                    steps.push(step(Op::Unreachable, insn, 0, None));
                }
            }
            pc += 1;
        }
        Code { steps }
    }
}

fn step(op: Op, insn: Insn, imm: u64, target: Option<usize>) -> Step {
    let operand = if insn.uses_reg() { insn.src } else { IMM };
    Step {
        op,
        dst: insn.dst,
        operand,
        size: insn.size() as u8,
        imm,
        target,
        insn,
    }
}

fn decode(insn: Insn, pc: usize, code: &[u8]) -> Step {
    let imm = insn.imm as i64 as u64;
    let plain = |op| step(op, insn, imm, None);
    match insn.class() {
        CLASS_ALU64 => plain(alu_op(insn, ALU64_OPS, Op::Other64)),
        CLASS_ALU => plain(alu_op(insn, ALU32_OPS, Op::Other32)),
        CLASS_LD => {
            let high = Insn::at(code, pc + 1).map_or(0, |i| i.imm as u32);
            let value = u64::from(insn.imm as u32) | (u64::from(high) << 32);
            step(Op::LoadImm64, insn, value, None)
        }
        CLASS_LDX if insn.mode() == MODE_MEMSX => plain(Op::LoadSigned),
        CLASS_LDX => plain(by_size(insn, [Op::Load1, Op::Load2, Op::Load4, Op::Load8])),
        CLASS_STX if insn.mode() == MODE_ATOMIC => plain(Op::Atomic),
        CLASS_ST | CLASS_STX => {
            let mut s = plain(by_size(
                insn,
                [Op::Store1, Op::Store2, Op::Store4, Op::Store8],
            ));
            // `ST` stores the immediate, whatever the source bit says.
            s.operand = if insn.class() == CLASS_ST {
                IMM
            } else {
                insn.src
            };
            s
        }
        _ => match insn.op {
            CALL if insn.src == 1 => step(Op::CallLocal, insn, imm, jump(pc, i64::from(insn.imm))),
            CALL => plain(Op::CallHelper),
            EXIT => plain(Op::Exit),
            _ if insn.class() == CLASS_JMP32 && insn.code() == JMP_JA => {
                step(Op::Ja, insn, imm, jump(pc, i64::from(insn.imm)))
            }
            _ => {
                let ops = if insn.class() == CLASS_JMP32 {
                    JMP32_OPS
                } else {
                    JMP64_OPS
                };
                let op = by_code(insn, ops).unwrap_or(Op::Ja);
                step(op, insn, imm, jump(pc, i64::from(insn.off)))
            }
        },
    }
}

/// The one of `ops` (for 1, 2, 4 and 8 bytes) that accesses `insn`'s size.
fn by_size(insn: Insn, ops: [Op; 4]) -> Op {
    match insn.size() {
        1 => ops[0],
        2 => ops[1],
        4 => ops[2],
        _ => ops[3],
    }
}

/// The operation of an ALU instruction that needs no more than its code: a plain
/// move (not a sign-extending one) and no signed division.
fn alu_op(insn: Insn, ops: &[Option<Op>; 16], other: Op) -> Op {
    if insn.code() == ALU_MOV && insn.off != 0 {
        return other;
    }
    by_code(insn, ops).unwrap_or(other)
}

/// The entry of `ops` (by the opcode's high four bits) for `insn`.
fn by_code(insn: Insn, ops: &[Option<Op>; 16]) -> Option<Op> {
    ops[usize::from(insn.code() >> 4)]
}

/// A table by the opcode's high four bits, from (code, operation) pairs.
const fn table(pairs: &[(u8, Op)]) -> [Option<Op>; 16] {
    let mut ops = [None; 16];
    let mut i = 0;
    while i < pairs.len() {
        ops[(pairs[i].0 >> 4) as usize] = Some(pairs[i].1);
        i += 1;
    }
    ops
}

const ALU64_OPS: &[Option<Op>; 16] = &table(&[
    (ALU_ADD, Op::Add64),
    (ALU_SUB, Op::Sub64),
    (ALU_MUL, Op::Mul64),
    (ALU_OR, Op::Or64),
    (ALU_AND, Op::And64),
    (ALU_LSH, Op::Lsh64),
    (ALU_RSH, Op::Rsh64),
    (ALU_XOR, Op::Xor64),
    (ALU_MOV, Op::Mov64),
    (ALU_ARSH, Op::Arsh64),
]);

const ALU32_OPS: &[Option<Op>; 16] = &table(&[
    (ALU_ADD, Op::Add32),
    (ALU_SUB, Op::Sub32),
    (ALU_MUL, Op::Mul32),
    (ALU_OR, Op::Or32),
    (ALU_AND, Op::And32),
    (ALU_LSH, Op::Lsh32),
    (ALU_RSH, Op::Rsh32),
    (ALU_XOR, Op::Xor32),
    (ALU_MOV, Op::Mov32),
    (ALU_ARSH, Op::Arsh32),
]);

const JMP64_OPS: &[Option<Op>; 16] = &table(&[
    (JMP_JA, Op::Ja),
    (JMP_JEQ, Op::Jeq),
    (JMP_JGT, Op::Jgt),
    (JMP_JGE, Op::Jge),
    (JMP_JSET, Op::Jset),
    (JMP_JNE, Op::Jne),
    (JMP_JSGT, Op::Jsgt),
    (JMP_JSGE, Op::Jsge),
    (JMP_JLT, Op::Jlt),
    (JMP_JLE, Op::Jle),
    (JMP_JSLT, Op::Jslt),
    (JMP_JSLE, Op::Jsle),
]);

const JMP32_OPS: &[Option<Op>; 16] = &table(&[
    (JMP_JEQ, Op::Jeq32),
    (JMP_JGT, Op::Jgt32),
    (JMP_JGE, Op::Jge32),
    (JMP_JSET, Op::Jset32),
    (JMP_JNE, Op::Jne32),
    (JMP_JSGT, Op::Jsgt32),
    (JMP_JSGE, Op::Jsge32),
    (JMP_JLT, Op::Jlt32),
    (JMP_JLE, Op::Jle32),
    (JMP_JSLT, Op::Jslt32),
    (JMP_JSLE, Op::Jsle32),
]);
