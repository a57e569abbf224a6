//! The eBPF instruction encoding (the one place its opcodes are declared), and the instruction-set report: which
//! features a linked program uses and the oldest `-mcpu` (v1..v4) that has them all.

use std::fmt;

/// One decoded 8-byte instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Insn {
    pub op: u8,
    pub dst: u8,
    pub src: u8,
    pub off: i16,
    pub imm: i32,
}

/// The 8 bytes of one instruction from its fields: the one encoder that the probe,
/// the inliner and the tests' hand-assembled programs share.
pub const fn encode(op: u8, dst: u8, src: u8, off: i16, imm: i32) -> [u8; 8] {
    let off = off.to_le_bytes();
    let imm = imm.to_le_bytes();
    [
        op,
        (src << 4) | (dst & 0x0f),
        off[0],
        off[1],
        imm[0],
        imm[1],
        imm[2],
        imm[3],
    ]
}

impl Insn {
    /// Instruction `index` of `code`, if `code` has it.
    pub fn at(code: &[u8], index: usize) -> Option<Insn> {
        let start = index.checked_mul(8)?;
        let b = code.get(start..start.checked_add(8)?)?;
        Some(Insn {
            op: b[0],
            dst: b[1] & 0x0f,
            src: b[1] >> 4,
            off: i16::from_le_bytes([b[2], b[3]]),
            imm: i32::from_le_bytes([b[4], b[5], b[6], b[7]]),
        })
    }

    pub fn class(self) -> u8 {
        self.op & 0x07
    }

    /// The operation bits of an ALU or JMP instruction.
    pub fn code(self) -> u8 {
        self.op & 0xf0
    }

    /// The 8 bytes of the instruction, as [`Insn::at`] reads them.
    pub const fn to_bytes(self) -> [u8; 8] {
        encode(self.op, self.dst, self.src, self.off, self.imm)
    }

    /// Whether the source operand is a register (BPF_X) rather than `imm`.
    pub fn uses_reg(self) -> bool {
        self.op & SOURCE_REG != 0
    }

    /// Memory mode bits of a load or store.
    pub fn mode(self) -> u8 {
        self.op & 0xe0
    }

    /// Access size in bytes of a load or store.
    pub fn size(self) -> usize {
        match self.op & 0x18 {
            0x00 => 4,
            0x08 => 2,
            0x10 => 1,
            _ => 8,
        }
    }
}

pub const CLASS_LD: u8 = 0x00;
pub const CLASS_LDX: u8 = 0x01;
pub const CLASS_ST: u8 = 0x02;
pub const CLASS_STX: u8 = 0x03;
pub const CLASS_ALU: u8 = 0x04;
pub const CLASS_JMP: u8 = 0x05;
pub const CLASS_JMP32: u8 = 0x06;
pub const CLASS_ALU64: u8 = 0x07;

pub const LD_DW_IMM: u8 = 0x18;
pub const CALL: u8 = CLASS_JMP | JMP_CALL | SOURCE_IMM;
pub const EXIT: u8 = CLASS_JMP | JMP_EXIT;
/// The source bit of an ALU or jump opcode: the immediate (0) or `src_reg` (0x08).
pub const SOURCE_IMM: u8 = 0x00;
pub const SOURCE_REG: u8 = 0x08;
pub const MODE_MEM: u8 = 0x60;
pub const MODE_MEMSX: u8 = 0x80;
pub const MODE_ATOMIC: u8 = 0xc0;

/// Sizes of a load or store (the opcode's size bits).
pub const SIZE_DW: u8 = 0x18;
/// `*(u64 *)(dst + off) = src` and `dst = *(u64 *)(src + off)`.
pub const STX_DW: u8 = CLASS_STX | MODE_MEM | SIZE_DW;
pub const LDX_DW: u8 = CLASS_LDX | MODE_MEM | SIZE_DW;
/// `dst += imm` (64-bit) and `goto +off`.
pub const ADD64_IMM: u8 = CLASS_ALU64 | ALU_ADD;
pub const JA: u8 = CLASS_JMP | JMP_JA;

/// ALU operations (the opcode's high four bits, [`Insn::code`]).
pub const ALU_ADD: u8 = 0x00;
pub const ALU_SUB: u8 = 0x10;
pub const ALU_MUL: u8 = 0x20;
pub const ALU_DIV: u8 = 0x30;
pub const ALU_OR: u8 = 0x40;
pub const ALU_AND: u8 = 0x50;
pub const ALU_LSH: u8 = 0x60;
pub const ALU_RSH: u8 = 0x70;
pub const ALU_NEG: u8 = 0x80;
pub const ALU_MOD: u8 = 0x90;
pub const ALU_XOR: u8 = 0xa0;
pub const ALU_MOV: u8 = 0xb0;
pub const ALU_ARSH: u8 = 0xc0;
pub const ALU_END: u8 = 0xd0;

/// Jump operations (the opcode's high four bits, [`Insn::code`]); 0xe0 and 0xf0
/// are undefined.
pub const JMP_JA: u8 = 0x00;
pub const JMP_JEQ: u8 = 0x10;
pub const JMP_JGT: u8 = 0x20;
pub const JMP_JGE: u8 = 0x30;
pub const JMP_JSET: u8 = 0x40;
pub const JMP_JNE: u8 = 0x50;
pub const JMP_JSGT: u8 = 0x60;
pub const JMP_JSGE: u8 = 0x70;
pub const JMP_CALL: u8 = 0x80;
pub const JMP_EXIT: u8 = 0x90;
pub const JMP_JLT: u8 = 0xa0;
pub const JMP_JLE: u8 = 0xb0;
pub const JMP_JSLT: u8 = 0xc0;
pub const JMP_JSLE: u8 = 0xd0;

/// Atomic operations (the `imm` of a BPF_ATOMIC store); `FETCH` may be or-ed into
/// the first four.
pub const ATOMIC_ADD: i32 = 0x00;
pub const ATOMIC_OR: i32 = 0x40;
pub const ATOMIC_AND: i32 = 0x50;
pub const ATOMIC_XOR: i32 = 0xa0;
pub const ATOMIC_FETCH: i32 = 0x01;
pub const ATOMIC_XCHG: i32 = 0xe0 | ATOMIC_FETCH;
pub const ATOMIC_CMPXCHG: i32 = 0xf0 | ATOMIC_FETCH;
pub const LOAD_ACQUIRE: i32 = 0x100;
pub const STORE_RELEASE: i32 = 0x110;

/// ELF relocation types of eBPF code: none, a 64-bit address in an `lddw`, a call's
/// target.
pub const R_BPF_NONE: u32 = 0;
pub const R_BPF_64_64: u32 = 1;
pub const R_BPF_64_32: u32 = 10;

/// Whether `insn` is a BPF-to-BPF call (`call` with src_reg 1).
pub fn is_local_call(insn: Insn) -> bool {
    insn.op == CALL && insn.src == 1
}

/// Every helper call in `code`: the instruction's index and the helper ID it names.
pub fn helper_calls(code: &[u8]) -> impl Iterator<Item = (usize, u32)> + '_ {
    let mut index = 0;
    std::iter::from_fn(move || {
        while let Some(insn) = Insn::at(code, index) {
            let at = index;
            // A 64-bit immediate load takes two slots.
            index += if insn.op == LD_DW_IMM { 2 } else { 1 };
            if insn.op == CALL && insn.src == 0 {
                return Some((at, insn.imm as u32));
            }
        }
        None
    })
}

/// An eBPF cpu version, as in `clang -mcpu=v3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Cpu {
    V1,
    V2,
    V3,
    V4,
}

impl fmt::Display for Cpu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Cpu::V1 => "v1",
            Cpu::V2 => "v2",
            Cpu::V3 => "v3",
            Cpu::V4 => "v4",
        })
    }
}

/// A feature of the instruction set a program may use, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Feature {
    /// JLT, JLE, JSLT, JSLE in the 64-bit jump class.
    JumpLessThan,
    Alu32,
    Jmp32,
    Atomics,
    SignedDivMod,
    MovSx,
    LoadSx,
    ByteSwap,
    GotoLong,
    AcquireRelease,
    BpfToBpfCalls,
    GlobalData,
    /// Loads of a map's address (a loader feature, like global data).
    Maps,
}

impl Feature {
    /// The oldest cpu that has it (calls and global data need no particular cpu).
    pub fn cpu(self) -> Cpu {
        use Feature::*;
        match self {
            JumpLessThan => Cpu::V2,
            Alu32 | Jmp32 | Atomics => Cpu::V3,
            SignedDivMod | MovSx | LoadSx | ByteSwap | GotoLong | AcquireRelease => Cpu::V4,
            BpfToBpfCalls | GlobalData | Maps => Cpu::V1,
        }
    }

    pub fn name(self) -> &'static str {
        use Feature::*;
        match self {
            JumpLessThan => "JLT/JLE/JSLT/JSLE",
            Alu32 => "ALU32",
            Jmp32 => "JMP32",
            Atomics => "atomics",
            SignedDivMod => "sdiv/smod",
            MovSx => "movsx",
            LoadSx => "ldsx",
            ByteSwap => "bswap",
            GotoLong => "gotol",
            AcquireRelease => "load-acquire/store-release",
            BpfToBpfCalls => "BPF-to-BPF calls",
            GlobalData => "global data",
            Maps => "maps",
        }
    }
}

/// What a linked program uses of the instruction set.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IsaReport {
    /// The oldest cpu that runs it.
    pub cpu: Cpu,
    /// Its features, each once, in report order.
    pub features: Vec<Feature>,
}

impl fmt::Display for IsaReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.features.iter().map(|f| f.name()).collect();
        if names.is_empty() {
            write!(f, "{}: base", self.cpu)
        } else {
            write!(f, "{}: {}", self.cpu, names.join(", "))
        }
    }
}

/// The feature instruction `insn` needs beyond v1, if any.
pub fn feature_of(insn: Insn) -> Option<Feature> {
    let alu_special = || match insn.code() {
        ALU_DIV | ALU_MOD if insn.off != 0 => Some(Feature::SignedDivMod),
        ALU_MOV if insn.off != 0 => Some(Feature::MovSx),
        _ => None,
    };
    match insn.class() {
        CLASS_ALU64 if insn.code() == ALU_END => Some(Feature::ByteSwap),
        CLASS_ALU64 => alu_special(),
        // Byte-order conversion (BPF_END) is in the 32-bit class but is v1.
        CLASS_ALU if insn.code() == ALU_END => None,
        CLASS_ALU => alu_special().or(Some(Feature::Alu32)),
        CLASS_JMP32 if insn.code() == 0x00 => Some(Feature::GotoLong),
        CLASS_JMP32 => Some(Feature::Jmp32),
        CLASS_JMP if matches!(insn.code(), 0xa0 | 0xb0 | 0xc0 | 0xd0) => {
            Some(Feature::JumpLessThan)
        }
        CLASS_LDX if insn.mode() == MODE_MEMSX => Some(Feature::LoadSx),
        CLASS_STX if insn.mode() == MODE_ATOMIC => match insn.imm {
            LOAD_ACQUIRE | STORE_RELEASE => Some(Feature::AcquireRelease),
            _ => Some(Feature::Atomics),
        },
        _ => None,
    }
}

/// The report for linked `code`; `global_data` and `maps` say whether it refers to
/// global data and to maps.
pub fn report(code: &[u8], global_data: bool, maps: bool) -> IsaReport {
    let mut features = Vec::new();
    let mut index = 0;
    while let Some(insn) = Insn::at(code, index) {
        features.extend(feature_of(insn));
        if is_local_call(insn) {
            features.push(Feature::BpfToBpfCalls);
        }
        index += if insn.op == LD_DW_IMM { 2 } else { 1 };
    }
    if global_data {
        features.push(Feature::GlobalData);
    }
    if maps {
        features.push(Feature::Maps);
    }
    features.sort();
    features.dedup();
    let cpu = features.iter().map(|f| f.cpu()).max().unwrap_or(Cpu::V1);
    IsaReport { cpu, features }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insn(op: u8, src: u8, off: i16, imm: i32) -> [u8; 8] {
        encode(op, 0, src, off, imm)
    }

    #[test]
    fn each_feature_sets_its_cpu() {
        let table: &[([u8; 8], &str)] = &[
            (insn(0xb7, 0, 0, 1), "v1: base"),
            (insn(0xdc, 0, 0, 32), "v1: base"),
            (insn(0xad, 0, 1, 0), "v2: JLT/JLE/JSLT/JSLE"),
            (insn(0x04, 0, 0, 1), "v3: ALU32"),
            (insn(0x16, 0, 1, 0), "v3: JMP32"),
            (insn(0xdb, 1, 0, 1), "v3: atomics"),
            (insn(0x3f, 1, 1, 0), "v4: sdiv/smod"),
            (insn(0xbf, 1, 8, 0), "v4: movsx"),
            (insn(0x81, 1, 0, 0), "v4: ldsx"),
            (insn(0xd7, 0, 0, 16), "v4: bswap"),
            (insn(0x06, 0, 0, 3), "v4: gotol"),
            (insn(0xdb, 1, 0, 0x100), "v4: load-acquire/store-release"),
            (insn(0x85, 1, 0, 0), "v1: BPF-to-BPF calls"),
        ];
        for (code, expected) in table {
            assert_eq!(
                report(code, false, false).to_string(),
                *expected,
                "{code:02x?}"
            );
        }
        let mixed: Vec<u8> = [
            insn(0x04, 0, 0, 1),
            insn(0xdb, 1, 0, 1),
            insn(0x16, 0, 1, 0),
        ]
        .concat();
        assert_eq!(
            report(&mixed, true, true).to_string(),
            "v3: ALU32, JMP32, atomics, global data, maps"
        );
    }
}
