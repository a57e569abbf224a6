//! The runner's own checking interpreter: the eBPF instruction set through cpu v4,
//! every memory access checked against the regions a run owns (context, global data,
//! and map values, which the run's memory callback renews after each helper call)
//! and the live stack frames, BPF-to-BPF calls with a 512-byte frame each, and an
//! instruction budget, so that no input can hang or escape it.
//!
//! Code must have passed [`nethooks_obj::check::check`]; what it cannot know statically
//! (addresses, falling off the end) is checked here as the program runs.

use std::marker::PhantomData;
use std::ops::Range;

use nethooks_obj::isa::*;

mod alu;
mod decode;

use alu::{alu32, alu64, sign_extend};
pub use decode::Code;
use decode::{IMM, Op, REGS, Step};

/// Bytes of one stack frame.
pub const FRAME_SIZE: usize = 512;
/// Deepest nesting of frames (the entry function's included), as in Linux.
pub const MAX_FRAMES: usize = 8;

/// Memory a program may touch, other than its stack.
pub struct Region<'a> {
    start: usize,
    len: usize,
    ptr: *mut u8,
    writable: bool,
    name: String,
    _bytes: PhantomData<&'a mut [u8]>,
}

impl<'a> Region<'a> {
    /// `bytes`, under `name` in error messages. The region keeps only a pointer, so
    /// helpers may write to the same bytes through their arguments during a run.
    pub fn new(name: impl Into<String>, bytes: &'a mut [u8], writable: bool) -> Region<'a> {
        Region {
            start: bytes.as_ptr() as usize,
            len: bytes.len(),
            ptr: bytes.as_mut_ptr(),
            writable,
            name: name.into(),
            _bytes: PhantomData,
        }
    }
}

impl Region<'static> {
    /// `len` bytes at `start` that the run does not borrow (map values).
    ///
    /// # Safety
    /// The bytes must stay valid, and writable when `writable`, until the region is
    /// replaced (see [`MemoryFn`]) or the run ends.
    pub unsafe fn raw(
        name: impl Into<String>,
        start: usize,
        len: usize,
        writable: bool,
    ) -> Region<'static> {
        Region {
            start,
            len,
            ptr: start as *mut u8,
            writable,
            name: name.into(),
            _bytes: PhantomData,
        }
    }
}

/// Why a run stopped without returning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// It executed `max_insns` instructions and had not exited.
    Budget { max_insns: u64 },
    /// Instruction `insn` did something no program may do.
    Fault { insn: usize, why: String },
    /// A helper reported a problem (recorded by the doubles).
    Helper { insn: usize, why: String },
}

/// Calls helper `id` with r1..r5, given the live stack; returns r0.
pub type HelperFn<'h> = dyn FnMut(u32, [u64; 5], Range<usize>) -> Result<u64, String> + 'h;

/// Memory that comes and goes during a run (map values): called at the start and
/// after each helper call; `Some` replaces the changing regions (sorted by address,
/// not overlapping).
pub type MemoryFn<'m> = dyn FnMut() -> Option<Vec<Region<'static>>> + 'm;

struct Frame {
    return_to: usize,
    saved: [u64; 4],
    frame_pointer: u64,
}

/// The interpreter's stack, all [`MAX_FRAMES`] frames of it, kept from run to run by
/// a caller that runs a program many times: each run starts on zeroes, and only the
/// part a run may have written is zeroed again.
pub struct Stack {
    words: Vec<u64>,
    /// The lowest word a store or a helper may have written since the last reset.
    dirty_from: usize,
}

impl Default for Stack {
    fn default() -> Stack {
        let words = vec![0; FRAME_SIZE * MAX_FRAMES / 8];
        let dirty_from = words.len();
        Stack { words, dirty_from }
    }
}

impl Stack {
    /// Zeroes what the last run may have written.
    fn reset(&mut self) {
        self.words[self.dirty_from..].fill(0);
        self.dirty_from = self.words.len();
    }

    /// Notes that the bytes from `addr` on, up to the top, may have been written.
    fn written_from(&mut self, addr: usize) {
        let word = addr.saturating_sub(self.words.as_ptr() as usize) / 8;
        self.dirty_from = self.dirty_from.min(word);
    }
}

/// What one program's runs keep between them (a [`crate::Program`] holds one): its
/// code decoded, again only when the bytes change (global data that moved), and a
/// stack, so an ordinary run neither decodes nor allocates a stack.
#[derive(Default)]
pub struct Prepared {
    decoded: Option<(Vec<u8>, Code)>,
    stack: Stack,
}

impl Prepared {
    /// `code` decoded, and the stack to run it on.
    pub fn get(&mut self, code: &[u8]) -> (&Code, &mut Stack) {
        if !matches!(&self.decoded, Some((bytes, _)) if bytes.as_slice() == code) {
            self.decoded = None;
        }
        let (_, decoded) = self
            .decoded
            .get_or_insert_with(|| (code.to_vec(), Code::new(code)));
        (decoded, &mut self.stack)
    }
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let steps = self
            .decoded
            .as_ref()
            .map_or(0, |(_, code)| code.steps.len());
        f.debug_struct("Prepared").field("steps", &steps).finish()
    }
}

struct Machine<'a, 'r, 's> {
    regions: &'a [Region<'r>],
    /// Regions of [`MemoryFn`], sorted by address.
    changing: Vec<Region<'static>>,
    stack: &'s mut Stack,
    frames: Vec<Frame>,
}

/// Runs checked `code` with r1 = `r1` until it exits, faults or exceeds `max_insns`.
pub fn run(
    code: &[u8],
    r1: u64,
    regions: &[Region<'_>],
    max_insns: u64,
    helper: &mut HelperFn<'_>,
) -> Result<u64, Stop> {
    run_with_memory(code, r1, regions, max_insns, helper, &mut || None)
}

/// [`run`] with memory that changes as helpers run (see [`MemoryFn`]).
pub fn run_with_memory(
    code: &[u8],
    r1: u64,
    regions: &[Region<'_>],
    max_insns: u64,
    helper: &mut HelperFn<'_>,
    memory: &mut MemoryFn<'_>,
) -> Result<u64, Stop> {
    run_on_stack(
        &mut Stack::default(),
        &Code::new(code),
        r1,
        regions,
        max_insns,
        helper,
        memory,
    )
}

/// [`run_with_memory`] on `stack`, which a caller that runs programs many times keeps
/// with the decoded `code` (no allocation per run; the run starts on zeroes all the
/// same).
pub fn run_on_stack(
    stack: &mut Stack,
    code: &Code,
    r1: u64,
    regions: &[Region<'_>],
    max_insns: u64,
    helper: &mut HelperFn<'_>,
    memory: &mut MemoryFn<'_>,
) -> Result<u64, Stop> {
    stack.reset();
    let mut m = Machine {
        regions,
        changing: memory().unwrap_or_default(),
        stack,
        frames: Vec::new(),
    };
    // For the run's pointer check and messages (nothing without a run in progress).
    crate::helpers::session::set_whole_stack(m.stack.words.as_ptr() as usize..m.stack_top());
    let mut regs = [0u64; REGS];
    regs[1] = r1;
    regs[10] = m.stack_top() as u64;
    let mut pc = 0usize;
    let mut executed = 0u64;
    loop {
        if executed >= max_insns {
            return Err(Stop::Budget { max_insns });
        }
        executed += 1;
        let step = *code.steps.get(pc).ok_or_else(|| Stop::Fault {
            insn: pc,
            why: "ran past the end of the program without `exit`".to_owned(),
        })?;
        regs[usize::from(IMM)] = step.imm;
        let (dst, operand) = (usize::from(step.dst), usize::from(step.operand));
        let s = regs[operand];
        let mut next = pc + 1;
        // A conditional jump: to the target when `$taken`.
        macro_rules! branch {
            ($taken:expr) => {
                if $taken {
                    next = step.target.ok_or_else(|| outside(pc, "a jump"))?;
                }
            };
        }
        let d = regs[dst];
        let (d32, s32) = (d as u32, s as u32);
        match step.op {
            Op::Add64 => regs[dst] = d.wrapping_add(s),
            Op::Sub64 => regs[dst] = d.wrapping_sub(s),
            Op::Mul64 => regs[dst] = d.wrapping_mul(s),
            Op::Or64 => regs[dst] = d | s,
            Op::And64 => regs[dst] = d & s,
            Op::Lsh64 => regs[dst] = d << (s & 63),
            Op::Rsh64 => regs[dst] = d >> (s & 63),
            Op::Xor64 => regs[dst] = d ^ s,
            Op::Mov64 => regs[dst] = s,
            Op::Arsh64 => regs[dst] = ((d as i64) >> (s & 63)) as u64,
            Op::Other64 => regs[dst] = alu64(step.insn, d, regs[usize::from(step.insn.src)]),
            Op::Add32 => regs[dst] = u64::from(d32.wrapping_add(s32)),
            Op::Sub32 => regs[dst] = u64::from(d32.wrapping_sub(s32)),
            Op::Mul32 => regs[dst] = u64::from(d32.wrapping_mul(s32)),
            Op::Or32 => regs[dst] = u64::from(d32 | s32),
            Op::And32 => regs[dst] = u64::from(d32 & s32),
            Op::Lsh32 => regs[dst] = u64::from(d32 << (s32 & 31)),
            Op::Rsh32 => regs[dst] = u64::from(d32 >> (s32 & 31)),
            Op::Xor32 => regs[dst] = u64::from(d32 ^ s32),
            Op::Mov32 => regs[dst] = u64::from(s32),
            Op::Arsh32 => regs[dst] = u64::from(((d32 as i32) >> (s32 & 31)) as u32),
            Op::Other32 => regs[dst] = alu32(step.insn, d, regs[usize::from(step.insn.src)]),
            Op::Jeq => branch!(d == s),
            Op::Jgt => branch!(d > s),
            Op::Jge => branch!(d >= s),
            Op::Jset => branch!(d & s != 0),
            Op::Jne => branch!(d != s),
            Op::Jsgt => branch!((d as i64) > (s as i64)),
            Op::Jsge => branch!((d as i64) >= (s as i64)),
            Op::Jlt => branch!(d < s),
            Op::Jle => branch!(d <= s),
            Op::Jslt => branch!((d as i64) < (s as i64)),
            Op::Jsle => branch!((d as i64) <= (s as i64)),
            Op::Jeq32 => branch!(d32 == s32),
            Op::Jgt32 => branch!(d32 > s32),
            Op::Jge32 => branch!(d32 >= s32),
            Op::Jset32 => branch!(d32 & s32 != 0),
            Op::Jne32 => branch!(d32 != s32),
            Op::Jsgt32 => branch!((d32 as i32) > (s32 as i32)),
            Op::Jsge32 => branch!((d32 as i32) >= (s32 as i32)),
            Op::Jlt32 => branch!(d32 < s32),
            Op::Jle32 => branch!(d32 <= s32),
            Op::Jslt32 => branch!((d32 as i32) < (s32 as i32)),
            Op::Jsle32 => branch!((d32 as i32) <= (s32 as i32)),
            Op::Ja => branch!(true),
            Op::Load1 => regs[dst] = m.load_n::<1>(load_address(&regs, step), pc)?,
            Op::Load2 => regs[dst] = m.load_n::<2>(load_address(&regs, step), pc)?,
            Op::Load4 => regs[dst] = m.load_n::<4>(load_address(&regs, step), pc)?,
            Op::Load8 => regs[dst] = m.load_n::<8>(load_address(&regs, step), pc)?,
            Op::LoadSigned => {
                let size = usize::from(step.size);
                regs[dst] = sign_extend(m.load(load_address(&regs, step), size, pc)?, size * 8);
            }
            Op::Store1 => m.store_n::<1>(d.wrapping_add(step.insn.off as u64), s, pc)?,
            Op::Store2 => m.store_n::<2>(d.wrapping_add(step.insn.off as u64), s, pc)?,
            Op::Store4 => m.store_n::<4>(d.wrapping_add(step.insn.off as u64), s, pc)?,
            Op::Store8 => m.store_n::<8>(d.wrapping_add(step.insn.off as u64), s, pc)?,
            Op::Atomic => m.atomic(step.insn, &mut regs, pc)?,
            Op::LoadImm64 => {
                regs[dst] = step.imm;
                next = pc + 2;
            }
            Op::CallLocal => {
                if m.frames.len() + 1 >= MAX_FRAMES {
                    return Err(Stop::Fault {
                        insn: pc,
                        why: format!("a BPF-to-BPF call nested deeper than {MAX_FRAMES} frames"),
                    });
                }
                m.frames.push(Frame {
                    return_to: pc + 1,
                    saved: [regs[6], regs[7], regs[8], regs[9]],
                    frame_pointer: regs[10],
                });
                // `check` refuses every write to r10, so this cannot wrap; if it
                // did, the next stack access would fault, not the runner.
                regs[10] = regs[10].wrapping_sub(FRAME_SIZE as u64);
                next = step.target.ok_or_else(|| outside(pc, "a call"))?;
            }
            Op::CallHelper => {
                let args = [regs[1], regs[2], regs[3], regs[4], regs[5]];
                // A helper may write anywhere in the live frames.
                let live = m.live_stack();
                m.stack.written_from(live.start);
                regs[0] = helper(step.insn.imm as u32, args, live)
                    .map_err(|why| Stop::Helper { insn: pc, why })?;
                if let Some(changing) = memory() {
                    m.changing = changing;
                }
            }
            Op::Exit => match m.frames.pop() {
                None => return Ok(regs[0]),
                Some(frame) => {
                    regs[6..10].copy_from_slice(&frame.saved);
                    regs[10] = frame.frame_pointer;
                    next = frame.return_to;
                }
            },
            Op::Unreachable => {
                return Err(Stop::Fault {
                    insn: pc,
                    why: "reached the second half of a 64-bit immediate load".to_owned(),
                });
            }
        }
        pc = next;
    }
}

/// The address a load reads: `src + off`.
fn load_address(regs: &[u64; REGS], step: Step) -> u64 {
    regs[usize::from(step.insn.src)].wrapping_add(step.insn.off as u64)
}

/// The fault of a jump or call whose target lies outside the code.
fn outside(pc: usize, what: &str) -> Stop {
    Stop::Fault {
        insn: pc,
        why: format!("{what} outside the code"),
    }
}

impl Machine<'_, '_, '_> {
    fn stack_top(&self) -> usize {
        self.stack.words.as_ptr() as usize + self.stack.words.len() * 8
    }

    /// The frames of the running call chain: the current one and its callers'.
    fn live_stack(&self) -> Range<usize> {
        let top = self.stack_top();
        top - FRAME_SIZE * (self.frames.len() + 1)..top
    }

    /// A host pointer to `size` bytes at `addr` if the program may access them.
    fn resolve(
        &mut self,
        addr: u64,
        size: usize,
        store: bool,
        what: &str,
        pc: usize,
    ) -> Result<*mut u8, Stop> {
        let start = addr as usize;
        let fault = |why: String| Stop::Fault { insn: pc, why };
        let end = start
            .checked_add(size)
            .filter(|_| addr <= usize::MAX as u64);
        if let Some(end) = end {
            let stack = self.live_stack();
            if stack.start <= start && end <= stack.end {
                if store {
                    self.stack.written_from(start);
                }
                let base = self.stack.words.as_mut_ptr().cast::<u8>();
                // In bounds: inside the stack vector, checked just above.
                return Ok(base.wrapping_add(start - self.stack.words.as_ptr() as usize));
            }
            // The changing regions are sorted: only the last one starting at or
            // before `start` can hold it.
            let after = self.changing.partition_point(|r| r.start <= start);
            let candidate = after.checked_sub(1).map(|i| &self.changing[i]);
            for r in self.regions.iter().chain(candidate) {
                if r.start <= start && end <= r.start + r.len {
                    if store && !r.writable {
                        return Err(fault(format!(
                            "{what} of {size} bytes at {}, in read-only {}",
                            self.locate(addr),
                            r.name
                        )));
                    }
                    return Ok(r.ptr.wrapping_add(start - r.start));
                }
            }
        }
        let mut names: Vec<&str> = self.regions.iter().map(|r| r.name.as_str()).collect();
        for r in &self.changing {
            if !names.contains(&r.name.as_str()) {
                names.push(&r.name);
            }
        }
        Err(fault(format!(
            "out of bounds memory {what} (insn #{pc}): {size} bytes at {}, outside the stack and {}",
            self.locate(addr),
            names.join(", ")
        )))
    }

    /// `addr` by its offset in the memory it is near, never as a host address.
    fn locate(&self, addr: u64) -> String {
        let stack = self.stack.words.as_ptr() as usize..self.stack_top();
        let mut regions: Vec<(&str, Range<usize>)> = vec![(crate::exec::pointers::STACK, stack)];
        for r in self.regions.iter().chain(&self.changing) {
            regions.push((r.name.as_str(), r.start..r.start + r.len));
        }
        crate::exec::pointers::describe_address(addr, &regions)
    }

    /// Where `N` bytes at `addr` are when they lie in the first region (the context)
    /// or the live stack, the two a program touches most; `None` sends the access to
    /// [`Machine::resolve`], which checks every region and says what is wrong.
    #[inline(always)]
    fn quick<const N: usize>(&mut self, addr: u64, store: bool) -> Option<*mut u8> {
        let start = usize::try_from(addr).ok()?;
        let within = |base: usize, len: usize| {
            let offset = start.wrapping_sub(base);
            (offset < len && N <= len - offset).then_some(offset)
        };
        if let Some(r) = self.regions.first()
            && (r.writable || !store)
            && let Some(offset) = within(r.start, r.len)
        {
            return Some(r.ptr.wrapping_add(offset));
        }
        let live = self.live_stack();
        let offset = within(live.start, live.len())?;
        if store {
            self.stack.written_from(start);
        }
        let base = self.stack.words.as_mut_ptr().cast::<u8>();
        Some(base.wrapping_add(live.start - self.stack.words.as_ptr() as usize + offset))
    }

    #[inline(always)]
    fn load_n<const N: usize>(&mut self, addr: u64, pc: usize) -> Result<u64, Stop> {
        match self.quick::<N>(addr, false) {
            // SAFETY: `quick` found the `N` bytes inside memory of this run.
            Some(ptr) => Ok(unsafe { read(ptr, N) }),
            None => self.load(addr, N, pc),
        }
    }

    #[inline(always)]
    fn store_n<const N: usize>(&mut self, addr: u64, value: u64, pc: usize) -> Result<(), Stop> {
        match self.quick::<N>(addr, true) {
            // SAFETY: as in `load_n`, and the memory is writable.
            Some(ptr) => {
                unsafe { write(ptr, N, value) };
                Ok(())
            }
            None => self.store(addr, N, value, pc),
        }
    }

    fn load(&mut self, addr: u64, size: usize, pc: usize) -> Result<u64, Stop> {
        let ptr = self.resolve(addr, size, false, "load", pc)?;
        // SAFETY: `resolve` checked that `size` bytes at `ptr` lie in memory of this run.
        Ok(unsafe { read(ptr, size) })
    }

    fn store(&mut self, addr: u64, size: usize, value: u64, pc: usize) -> Result<(), Stop> {
        let ptr = self.resolve(addr, size, true, "store", pc)?;
        // SAFETY: as in `load`, and the region is writable.
        unsafe { write(ptr, size, value) };
        Ok(())
    }

    /// BPF_ATOMIC: the runner is single-threaded, so a plain read-modify-write is atomic.
    fn atomic(&mut self, insn: Insn, regs: &mut [u64; REGS], pc: usize) -> Result<(), Stop> {
        let (dst, src, size) = (usize::from(insn.dst), usize::from(insn.src), insn.size());
        if insn.imm == LOAD_ACQUIRE {
            regs[dst] = self.load(regs[src].wrapping_add(insn.off as u64), size, pc)?;
            return Ok(());
        }
        let addr = regs[dst].wrapping_add(insn.off as u64);
        if insn.imm == STORE_RELEASE {
            return self.store(addr, size, regs[src], pc);
        }
        let ptr = self.resolve(addr, size, true, "atomic access", pc)?;
        // SAFETY: checked by `resolve` as for a store.
        let old = unsafe { read(ptr, size) };
        let mask = if size == 8 {
            u64::MAX
        } else {
            u64::from(u32::MAX)
        };
        let operand = regs[src];
        let new = match insn.imm & !ATOMIC_FETCH {
            ATOMIC_ADD => old.wrapping_add(operand),
            ATOMIC_OR => old | operand,
            ATOMIC_AND => old & operand,
            ATOMIC_XOR => old ^ operand,
            _ if insn.imm == ATOMIC_XCHG => operand,
            // CMPXCHG: store if r0 holds the old value; r0 gets the old value.
            _ => {
                let matched = regs[0] & mask == old;
                regs[0] = old;
                if matched { operand } else { old }
            }
        };
        // SAFETY: as above.
        unsafe { write(ptr, size, new & mask) };
        if insn.imm & ATOMIC_FETCH != 0 && insn.imm != ATOMIC_CMPXCHG {
            regs[src] = old;
        }
        Ok(())
    }
}

/// # Safety
/// `size` (1, 2, 4 or 8) bytes at `ptr` must be readable.
unsafe fn read(ptr: *const u8, size: usize) -> u64 {
    unsafe {
        match size {
            1 => u64::from(ptr.read()),
            2 => u64::from(ptr.cast::<u16>().read_unaligned()),
            4 => u64::from(ptr.cast::<u32>().read_unaligned()),
            _ => ptr.cast::<u64>().read_unaligned(),
        }
    }
}

/// # Safety
/// `size` (1, 2, 4 or 8) bytes at `ptr` must be writable.
unsafe fn write(ptr: *mut u8, size: usize, value: u64) {
    unsafe {
        match size {
            1 => ptr.write(value as u8),
            2 => ptr.cast::<u16>().write_unaligned(value as u16),
            4 => ptr.cast::<u32>().write_unaligned(value as u32),
            _ => ptr.cast::<u64>().write_unaligned(value),
        }
    }
}

#[cfg(test)]
mod tests;
