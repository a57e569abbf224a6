//! Value storage with stable addresses: fixed-size slots in chunks that never move,
//! so a pointer a lookup returns stays valid while its slot is live (and, for a
//! replaced or deleted hash value, until the run ends: see `retire`).
//!
//! A program (in the runner's VM, or a Rust program on the host) writes to slots
//! through the raw pointers handed out, so this crate, too, touches slot memory only
//! through raw pointers (never through a `&mut` to a chunk,
//! which would assert exclusive access that the VM's pointers break).

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;
use core::ops::Range;
use core::ptr::NonNull;

/// Most bytes of value storage one map may hold; past it an insert fails as an
/// allocation failure would (`-EBPF_NO_MEMORY`), and larger arrays are refused.
pub const MAX_MAP_BYTES: usize = 64 << 20;

/// Slots in a hash map's first chunk; each next chunk doubles, up to [`MAX_CHUNK_SLOTS`].
const FIRST_CHUNK_SLOTS: usize = 16;
const MAX_CHUNK_SLOTS: usize = 4096;

/// A zeroed allocation of 8-byte words that is freed on drop and never moves.
struct Chunk {
    ptr: NonNull<u64>,
    words: usize,
}

// SAFETY: a chunk owns its allocation exclusively, like the `Box<[u64]>` it was.
unsafe impl Send for Chunk {}

impl Chunk {
    /// `None` when the memory cannot be had (never aborts).
    fn zeroed(words: usize) -> Option<Chunk> {
        let mut v: Vec<u64> = Vec::new();
        v.try_reserve_exact(words.max(1)).ok()?;
        v.resize(words.max(1), 0);
        let boxed: Box<[u64]> = v.into_boxed_slice();
        let words = boxed.len();
        let ptr = NonNull::new(Box::into_raw(boxed).cast::<u64>())?;
        Some(Chunk { ptr, words })
    }
}

impl Drop for Chunk {
    fn drop(&mut self) {
        // SAFETY: `ptr` and `words` are those of the boxed slice `zeroed` leaked.
        unsafe {
            drop(Box::from_raw(core::ptr::slice_from_raw_parts_mut(
                self.ptr.as_ptr(),
                self.words,
            )));
        }
    }
}

/// One slot: its chunk and index there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot {
    chunk: u32,
    index: u32,
}

/// Slots of `value_size` bytes, each 8-byte aligned (a stride of `value_size`
/// rounded up to 8, as eBPF for Windows lays out per-CPU values).
pub struct Arena {
    value_size: usize,
    stride: usize,
    chunks: Vec<(Chunk, usize)>,
    /// Slots handed out: `used` of the last chunk, all of the others.
    used: usize,
    free: Vec<Slot>,
    limit_bytes: usize,
    bytes: usize,
}

impl Arena {
    /// An empty arena for values of `value_size` bytes.
    pub fn new(value_size: u32) -> Arena {
        let value_size = value_size as usize;
        Arena {
            value_size,
            stride: value_size.max(1).next_multiple_of(8),
            chunks: Vec::new(),
            used: 0,
            free: Vec::new(),
            limit_bytes: MAX_MAP_BYTES,
            bytes: 0,
        }
    }

    /// An arena whose slots 0..`count` are all allocated now, zeroed, in one chunk
    /// (an array); `None` when that is more than [`MAX_MAP_BYTES`].
    pub fn with_slots(value_size: u32, count: u32) -> Option<Arena> {
        let mut arena = Arena::new(value_size);
        let bytes = (count as usize).checked_mul(arena.stride)?;
        if bytes > arena.limit_bytes {
            return None;
        }
        arena
            .chunks
            .push((Chunk::zeroed(bytes / 8)?, count as usize));
        arena.used = count as usize;
        arena.bytes = bytes;
        Some(arena)
    }

    /// Slot `index` of an arena made by [`Arena::with_slots`].
    pub fn nth(index: u32) -> Slot {
        Slot { chunk: 0, index }
    }

    /// A zeroed slot, or `None` once the map holds [`MAX_MAP_BYTES`].
    pub fn alloc(&mut self) -> Option<Slot> {
        if let Some(slot) = self.free.pop() {
            return Some(slot);
        }
        let room = self
            .chunks
            .last()
            .is_some_and(|(_, slots)| self.used < *slots);
        if !room {
            let slots = self
                .chunks
                .last()
                .map_or(FIRST_CHUNK_SLOTS, |(_, s)| (s * 2).min(MAX_CHUNK_SLOTS));
            let left = self.limit_bytes.saturating_sub(self.bytes) / self.stride;
            let slots = slots.min(left);
            if slots == 0 {
                return None;
            }
            let chunk = Chunk::zeroed(slots * self.stride / 8)?;
            self.bytes += slots * self.stride;
            self.chunks.push((chunk, slots));
            self.used = 0;
        }
        let slot = Slot {
            chunk: (self.chunks.len() - 1) as u32,
            index: self.used as u32,
        };
        self.used += 1;
        Some(slot)
    }

    /// Zeroes `slot` and makes it available to [`Arena::alloc`] again.
    pub fn release(&mut self, slot: Slot) {
        self.zero(slot);
        self.free.push(slot);
    }

    /// The address of `slot`'s first byte.
    pub fn ptr(&self, slot: Slot) -> NonNull<u8> {
        let (chunk, _) = &self.chunks[slot.chunk as usize];
        // SAFETY: slots are only made for indices inside their chunk.
        unsafe {
            chunk
                .ptr
                .cast::<u8>()
                .add(slot.index as usize * self.stride)
        }
    }

    /// The value in `slot`.
    pub fn read(&self, slot: Slot) -> Vec<u8> {
        let mut out = vec![0u8; self.value_size];
        // SAFETY: the slot holds `value_size` bytes; `out` is a separate allocation.
        unsafe {
            core::ptr::copy_nonoverlapping(
                self.ptr(slot).as_ptr(),
                out.as_mut_ptr(),
                self.value_size,
            );
        }
        out
    }

    /// Copies `value` (of `value_size` bytes: the caller checked) into `slot`.
    pub fn write(&mut self, slot: Slot, value: &[u8]) {
        let n = value.len().min(self.value_size);
        // SAFETY: the slot holds `value_size` bytes; `value` cannot overlap map
        // storage unless it is a slot's own bytes, which `copy` allows.
        unsafe { core::ptr::copy(value.as_ptr(), self.ptr(slot).as_ptr(), n) }
    }

    pub fn zero(&mut self, slot: Slot) {
        // SAFETY: the slot holds `stride` bytes.
        unsafe { core::ptr::write_bytes(self.ptr(slot).as_ptr(), 0, self.stride) }
    }

    /// The addresses of the values of `slots`, sorted, adjacent ones merged.
    pub fn ranges(&self, slots: impl Iterator<Item = Slot>) -> Vec<Range<usize>> {
        let mut starts: Vec<usize> = slots.map(|s| self.ptr(s).as_ptr() as usize).collect();
        starts.sort_unstable();
        let mut ranges: Vec<Range<usize>> = Vec::new();
        for start in starts {
            let end = start + self.value_size;
            match ranges.last_mut() {
                Some(last) if last.end == start => last.end = end,
                _ => ranges.push(start..end),
            }
        }
        ranges
    }
}
