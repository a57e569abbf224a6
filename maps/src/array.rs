//! `BPF_MAP_TYPE_ARRAY` and `BPF_MAP_TYPE_PERCPU_ARRAY` (`docs/general-helpers-abi.md` §5.2, "ARRAY"): a key's
//! first 4 bytes are a `uint32_t` index into `max_entries` zeroed slots.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::ops::Range;
use core::ptr::NonNull;

use crate::storage::{Arena, MAX_MAP_BYTES};
use crate::types::{BPF_NOEXIST, result::*};

pub struct ArrayMap {
    arena: Arena,
    len: u32,
    key_size: usize,
    /// Per-CPU (one CPU here): `BPF_NOEXIST` does not fail on an in-range index.
    per_cpu: bool,
}

impl ArrayMap {
    /// `Err` with the bytes wanted when the slots exceed [`MAX_MAP_BYTES`].
    pub fn new(key_size: u32, value_size: u32, len: u32, per_cpu: bool) -> Result<Self, String> {
        let arena = Arena::with_slots(value_size, len).ok_or_else(|| {
            let stride = value_size.max(1).next_multiple_of(8) as u64;
            format!(
                "its {len} slots of {stride} bytes need {} bytes, more than the runner's {MAX_MAP_BYTES} per map",
                u64::from(len) * stride
            )
        })?;
        Ok(ArrayMap {
            arena,
            len,
            key_size: key_size as usize,
            per_cpu,
        })
    }

    /// The in-range index `key` names.
    fn index(&self, key: &[u8]) -> Option<u32> {
        let index = u32::from_le_bytes([key[0], key[1], key[2], key[3]]);
        (index < self.len).then_some(index)
    }

    /// Pointer to slot `index`; NULL if `index >= max_entries`.
    pub fn lookup(&self, key: &[u8]) -> Option<NonNull<u8>> {
        self.index(key).map(|i| self.arena.ptr(Arena::nth(i)))
    }

    pub fn value(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.index(key).map(|i| self.arena.read(Arena::nth(i)))
    }

    /// `-6` out of range; `-6` for `BPF_NOEXIST` (not per-CPU); any other flags succeed.
    pub fn update(&mut self, key: &[u8], value: &[u8], flags: u64) -> i64 {
        let Some(index) = self.index(key) else {
            return -EBPF_INVALID_ARGUMENT;
        };
        if flags == BPF_NOEXIST && !self.per_cpu {
            return -EBPF_INVALID_ARGUMENT;
        }
        self.arena.write(Arena::nth(index), value);
        EBPF_SUCCESS
    }

    /// Zeroes the slot: 0, or `-6` out of range.
    pub fn delete(&mut self, key: &[u8]) -> i64 {
        match self.index(key) {
            Some(index) => {
                self.arena.zero(Arena::nth(index));
                EBPF_SUCCESS
            }
            None => -EBPF_INVALID_ARGUMENT,
        }
    }

    /// Every slot, by index; each key is the index in its first 4 bytes.
    pub fn entries(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        (0..self.len)
            .map(|i| {
                let mut key = vec![0u8; self.key_size];
                key[..4].copy_from_slice(&i.to_le_bytes());
                (key, self.arena.read(Arena::nth(i)))
            })
            .collect()
    }

    pub fn memory(&self) -> Vec<Range<usize>> {
        self.arena.ranges((0..self.len).map(Arena::nth))
    }
}
