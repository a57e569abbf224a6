//! BPF-to-BPF calls inlined for rbpf's JIT, which runs a callee in its caller's stack
//! frame. Each call site gets a copy of its callee: the callee's frame placed below
//! the part of its caller's frame that the caller uses, its `r10`-based accesses and
//! stack pointers moved there, its `exit` a jump past the copy, and r6-r9 saved
//! around it and restored after (the interpreter restores them on return). Code that
//! cannot be inlined faithfully (recursion, a jump out of a function, a frame pointer
//! used other than as an address, frames that do not fit rbpf's 512-byte stack)
//! keeps its calls, and the JIT is skipped as before.

use crate::exec::interp::{FRAME_SIZE, MAX_FRAMES};
use nethooks_obj::isa::{self, Insn};

/// Bytes below a frame where the caller's r6-r9 are kept during an inlined call.
const SAVE_AREA: i64 = 32;

/// `code` with every BPF-to-BPF call inlined, or why it cannot be. Code without
/// local calls comes back unchanged.
pub fn inline_calls(code: &[u8]) -> Result<Vec<u8>, String> {
    let insns: Vec<Insn> = (0..code.len() / 8)
        .map(|i| {
            Insn::at(code, i).unwrap_or(Insn {
                op: 0,
                dst: 0,
                src: 0,
                off: 0,
                imm: 0,
            })
        })
        .collect();
    if !insns.iter().any(|&i| isa::is_local_call(i)) {
        return Ok(code.to_vec());
    }
    let functions = functions(&insns)?;
    let mut out = Vec::new();
    emit(&insns, &functions, 0, 0, &mut Vec::new(), &mut out)?;
    Ok(out.iter().flat_map(|i| i.to_bytes()).collect())
}

/// A function: its instructions and the bytes of its frame it uses.
#[derive(Debug, Clone, Copy)]
struct Function {
    start: usize,
    end: usize,
    frame_use: i64,
}

/// The functions of linked code: the entry at 0 and each call target, each up to
/// the next; every jump must stay in its function.
fn functions(insns: &[Insn]) -> Result<Vec<Function>, String> {
    let mut starts = vec![0usize];
    for (pc, &insn) in insns.iter().enumerate() {
        if isa::is_local_call(insn) {
            let target = target(pc, i64::from(insn.imm))
                .filter(|&t| t < insns.len())
                .ok_or("a call outside the code")?;
            starts.push(target);
        }
    }
    starts.sort_unstable();
    starts.dedup();
    let mut functions = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(insns.len());
        let mut frame_use = 0i64;
        let mut pc = start;
        while pc < end {
            let insn = insns[pc];
            let base_is_r10 = match insn.class() {
                isa::CLASS_LDX => insn.src == 10,
                isa::CLASS_ST | isa::CLASS_STX => insn.dst == 10,
                _ => false,
            };
            if base_is_r10 {
                frame_use = frame_use.max(-i64::from(insn.off));
            }
            if matches!(insn.class(), isa::CLASS_ALU | isa::CLASS_ALU64)
                && insn.uses_reg()
                && insn.src == 10
            {
                if !(insn.class() == isa::CLASS_ALU64
                    && insn.code() == isa::ALU_MOV
                    && insn.off == 0)
                {
                    return Err("the frame pointer is used in arithmetic".to_owned());
                }
                // `rX = r10; rX += -N`, as clang takes a stack buffer's address: the
                // buffer lies between r10 - N and r10. Any other stack pointer may
                // reach the whole frame.
                frame_use = match insns.get(pc + 1) {
                    Some(next)
                        if next.op == isa::ADD64_IMM && next.dst == insn.dst && next.imm < 0 =>
                    {
                        frame_use.max(-i64::from(next.imm))
                    }
                    _ => FRAME_SIZE as i64,
                };
            }
            if let Some(to) = jump_target(pc, insn)
                && !(start..end).contains(&to)
            {
                return Err("a jump leaves its function".to_owned());
            }
            pc += if insn.op == isa::LD_DW_IMM { 2 } else { 1 };
        }
        functions.push(Function {
            start,
            end,
            frame_use: (frame_use + 7) / 8 * 8,
        });
    }
    Ok(functions)
}

fn target(pc: usize, offset: i64) -> Option<usize> {
    usize::try_from(pc as i64 + 1 + offset).ok()
}

/// Where a jump (not a call or exit) at `pc` goes.
fn jump_target(pc: usize, insn: Insn) -> Option<usize> {
    let class = insn.class();
    if !(class == isa::CLASS_JMP || class == isa::CLASS_JMP32)
        || insn.op == isa::CALL
        || insn.op == isa::EXIT
    {
        return None;
    }
    if class == isa::CLASS_JMP32 && insn.code() == isa::JMP_JA {
        return target(pc, i64::from(insn.imm));
    }
    target(pc, i64::from(insn.off))
}

/// Emits function `index` with its frame `frame` bytes below the entry's r10;
/// `active` are the functions being emitted (a call to one is recursion).
fn emit(
    insns: &[Insn],
    functions: &[Function],
    index: usize,
    frame: i64,
    active: &mut Vec<usize>,
    out: &mut Vec<Insn>,
) -> Result<(), String> {
    let f = functions[index];
    if active.contains(&index) {
        return Err("a recursive call".to_owned());
    }
    if active.len() >= MAX_FRAMES || frame + f.frame_use > FRAME_SIZE as i64 {
        return Err(format!(
            "its frames need more than rbpf's {FRAME_SIZE}-byte stack once inlined"
        ));
    }
    active.push(index);
    // Where each instruction of `f` lands in `out` (none: the second slot of an lddw).
    let mut new_pc: Vec<Option<usize>> = vec![None; f.end - f.start];
    // (position in `out`, original target) of jumps, and positions of exits.
    let mut jumps = Vec::new();
    let mut exits = Vec::new();
    let mut pc = f.start;
    while pc < f.end {
        new_pc[pc - f.start] = Some(out.len());
        let mut insn = insns[pc];
        let moves_frame = |off: i16| -> Result<i16, String> {
            i16::try_from(i64::from(off) - frame)
                .map_err(|_| "a stack offset out of range".to_owned())
        };
        match insn.class() {
            isa::CLASS_LDX if insn.src == 10 => insn.off = moves_frame(insn.off)?,
            isa::CLASS_ST | isa::CLASS_STX if insn.dst == 10 => insn.off = moves_frame(insn.off)?,
            _ => {}
        }
        if insn.op == isa::LD_DW_IMM {
            out.push(insn);
            out.push(insns.get(pc + 1).copied().ok_or("a truncated lddw")?);
            pc += 2;
            continue;
        }
        if isa::is_local_call(insn) {
            let callee_start = target(pc, i64::from(insn.imm)).ok_or("a call outside the code")?;
            let callee = functions
                .iter()
                .position(|g| g.start == callee_start)
                .ok_or("a call into the middle of a function")?;
            let save = frame + f.frame_use;
            for (k, reg) in (6u8..=9).enumerate() {
                out.push(Insn {
                    op: isa::STX_DW,
                    dst: 10,
                    src: reg,
                    off: (-(save + 8 * (k as i64 + 1))) as i16,
                    imm: 0,
                });
            }
            emit(insns, functions, callee, save + SAVE_AREA, active, out)?;
            for (k, reg) in (6u8..=9).enumerate() {
                out.push(Insn {
                    op: isa::LDX_DW,
                    dst: reg,
                    src: 10,
                    off: (-(save + 8 * (k as i64 + 1))) as i16,
                    imm: 0,
                });
            }
            pc += 1;
            continue;
        }
        if insn.op == isa::EXIT && index != 0 {
            exits.push(out.len());
            out.push(Insn {
                op: isa::JA,
                dst: 0,
                src: 0,
                off: 0,
                imm: 0,
            });
            pc += 1;
            continue;
        }
        let stack_pointer =
            matches!(insn.class(), isa::CLASS_ALU64) && insn.uses_reg() && insn.src == 10;
        if let Some(to) = jump_target(pc, insn) {
            jumps.push((out.len(), to));
        }
        out.push(insn);
        if stack_pointer && frame != 0 {
            // rX = r10 in the callee: its own frame pointer.
            out.push(Insn {
                op: isa::ADD64_IMM,
                dst: insn.dst,
                src: 0,
                off: 0,
                imm: -(frame as i32),
            });
        }
        pc += 1;
    }
    let end = out.len();
    for (at, to) in jumps {
        let new_to = new_pc[to - f.start].ok_or("a jump into the middle of an lddw")?;
        let offset = new_to as i64 - at as i64 - 1;
        let j = &mut out[at];
        if j.class() == isa::CLASS_JMP32 && j.code() == isa::JMP_JA {
            j.imm = i32::try_from(offset).map_err(|_| "a jump out of range")?;
        } else {
            j.off = i16::try_from(offset).map_err(|_| "a jump out of range once inlined")?;
        }
    }
    for at in exits {
        out[at].off = i16::try_from(end as i64 - at as i64 - 1)
            .map_err(|_| "a jump out of range once inlined")?;
    }
    active.pop();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::interp;

    use nethooks_obj::isa::encode as i;

    fn run(code: &[u8]) -> u64 {
        let mut no_helper =
            |_: u32, _: [u64; 5], _: std::ops::Range<usize>| Err("no helper".to_owned());
        interp::run(code, 0, &[], 1000, &mut no_helper).unwrap()
    }

    #[test]
    fn an_inlined_call_keeps_its_own_frame_and_the_callers_registers() {
        let code: Vec<u8> = [
            i(0xb7, 6, 0, 0, 5),   // r6 = 5
            i(0x7b, 10, 6, -8, 0), // *(u64 *)(r10 - 8) = r6
            i(0xb7, 1, 0, 0, 3),   // r1 = 3
            i(0x85, 0, 1, 0, 4),   // call +4 (local)
            i(0x79, 1, 10, -8, 0), // r1 = *(u64 *)(r10 - 8): 5, not the callee's 3
            i(0x0f, 0, 1, 0, 0),   // r0 += r1
            i(0x0f, 0, 6, 0, 0),   // r0 += r6: 5 again, restored
            i(0x95, 0, 0, 0, 0),   // exit
            i(0xb7, 6, 0, 0, 100), // callee: r6 = 100
            i(0x7b, 10, 1, -8, 0), // *(u64 *)(r10 - 8) = r1, in its own frame
            i(0xbf, 2, 10, 0, 0),  // r2 = r10
            i(0x07, 2, 0, 0, -8),  // r2 += -8
            i(0x79, 0, 2, 0, 0),   // r0 = *(u64 *)(r2 + 0): 3
            i(0x0f, 0, 6, 0, 0),   // r0 += r6: 103
            i(0x95, 0, 0, 0, 0),   // exit
        ]
        .concat();
        let inlined = inline_calls(&code).unwrap();
        assert!(
            (0..inlined.len() / 8).all(|k| !isa::is_local_call(Insn::at(&inlined, k).unwrap())),
            "a call is left"
        );
        assert_eq!(run(&code), 113);
        assert_eq!(run(&inlined), 113);
    }

    #[test]
    fn code_that_cannot_be_inlined_says_why() {
        let recursion = [i(0x85, 0, 1, 0, -1), i(0x95, 0, 0, 0, 0)].concat();
        assert_eq!(inline_calls(&recursion), Err("a recursive call".to_owned()));
        let arithmetic = [
            i(0x85, 0, 1, 0, 1),
            i(0x95, 0, 0, 0, 0),
            i(0x0f, 2, 10, 0, 0), // r2 += r10
            i(0x95, 0, 0, 0, 0),
        ]
        .concat();
        assert_eq!(
            inline_calls(&arithmetic),
            Err("the frame pointer is used in arithmetic".to_owned())
        );
        let plain = [i(0xb7, 0, 0, 0, 1), i(0x95, 0, 0, 0, 0)].concat();
        assert_eq!(inline_calls(&plain), Ok(plain.clone()));
    }
}
