//! `BPF_MAP_TYPE_HASH`, `PERCPU_HASH`, `LRU_HASH` and `LRU_PERCPU_HASH` (`docs/general-helpers-abi.md` §5.2):
//! byte-wise key equality; entries kept sorted by key so listings are deterministic.
//!
//! Recency for LRU is exact: an insert, an update and a program's lookup make a key
//! the most recently used; a user-mode read ([`HashMap::value`]) does not. (eBPF for
//! Windows approximates this with generations; a test cannot tell them apart.)

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::ops::Range;
use core::ptr::NonNull;

use crate::storage::{Arena, Slot};
use crate::types::{BPF_ANY, BPF_EXIST, BPF_NOEXIST, result::*};

struct Entry {
    slot: Slot,
    /// The LRU clock when last used.
    used: u64,
}

pub struct HashMap {
    arena: Arena,
    entries: BTreeMap<Vec<u8>, Entry>,
    /// Capacity for LRU maps (HASH and PERCPU_HASH enforce none).
    lru_capacity: Option<usize>,
    /// LRU clock -> key.
    recency: BTreeMap<u64, Vec<u8>>,
    clock: u64,
    per_cpu: bool,
    /// Slots of replaced or deleted values, readable until [`HashMap::end_run`].
    retired: Vec<Slot>,
}

impl HashMap {
    pub fn new(value_size: u32, lru_capacity: Option<u32>, per_cpu: bool) -> HashMap {
        HashMap {
            arena: Arena::new(value_size),
            entries: BTreeMap::new(),
            lru_capacity: lru_capacity.map(|c| c as usize),
            recency: BTreeMap::new(),
            clock: 0,
            per_cpu,
            retired: Vec::new(),
        }
    }

    fn touch(&mut self, key: &[u8]) {
        let Some(entry) = self.entries.get_mut(key) else {
            return;
        };
        if self.lru_capacity.is_none() {
            return;
        }
        self.recency.remove(&entry.used);
        self.clock += 1;
        entry.used = self.clock;
        self.recency.insert(self.clock, key.to_vec());
    }

    /// A program's lookup: the value's address; refreshes LRU recency.
    pub fn lookup(&mut self, key: &[u8]) -> Option<NonNull<u8>> {
        let slot = self.entries.get(key)?.slot;
        self.touch(key);
        Some(self.arena.ptr(slot))
    }

    /// A user-mode read: the value's bytes; leaves LRU recency alone.
    pub fn value(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.entries.get(key).map(|e| self.arena.read(e.slot))
    }

    pub fn update(&mut self, key: &[u8], value: &[u8], flags: u64) -> i64 {
        let exists = self.entries.contains_key(key);
        if self.per_cpu && exists {
            // Per-CPU: the current CPU's slot is written in place; flags only
            // matter when the entry is created.
            let slot = self.entries[key].slot;
            self.arena.write(slot, value);
            self.touch(key);
            return EBPF_SUCCESS;
        }
        match flags {
            BPF_ANY => {}
            BPF_NOEXIST if exists => return -EBPF_OBJECT_ALREADY_EXISTS,
            BPF_NOEXIST => {}
            BPF_EXIST if !exists => return -EBPF_KEY_NOT_FOUND,
            BPF_EXIST => {}
            _ => return -EBPF_INVALID_ARGUMENT,
        }
        if !exists && self.lru_capacity.is_some_and(|c| self.entries.len() >= c) {
            self.evict_least_recent();
        }
        let Some(slot) = self.arena.alloc() else {
            return -EBPF_NO_MEMORY;
        };
        self.arena.write(slot, value);
        // Replacing swaps in a fresh copy; the old one stays readable for the run.
        let old = self.entries.insert(key.to_vec(), Entry { slot, used: 0 });
        if let Some(old) = old {
            self.retired.push(old.slot);
            self.recency.remove(&old.used);
        }
        self.touch(key);
        EBPF_SUCCESS
    }

    fn evict_least_recent(&mut self) {
        let evicted = self.recency.pop_first();
        if let Some(entry) = evicted.and_then(|(_, key)| self.entries.remove(&key)) {
            self.retired.push(entry.slot);
        }
    }

    /// 0, or `-19` when the key is absent.
    pub fn delete(&mut self, key: &[u8]) -> i64 {
        match self.remove(key) {
            Some(_) => EBPF_SUCCESS,
            None => -EBPF_KEY_NOT_FOUND,
        }
    }

    /// Removes the entry; its value stays readable until the run ends.
    pub fn remove(&mut self, key: &[u8]) -> Option<NonNull<u8>> {
        let entry = self.entries.remove(key)?;
        self.recency.remove(&entry.used);
        self.retired.push(entry.slot);
        Some(self.arena.ptr(entry.slot))
    }

    /// Keys from least to most recently used (LRU maps; empty otherwise).
    pub fn recency(&self) -> Vec<Vec<u8>> {
        self.recency.values().cloned().collect()
    }

    pub fn entries(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        self.entries
            .iter()
            .map(|(k, e)| (k.clone(), self.arena.read(e.slot)))
            .collect()
    }

    /// Live values, and retired ones not yet released.
    pub fn memory(&self) -> Vec<Range<usize>> {
        let live = self.entries.values().map(|e| e.slot);
        self.arena.ranges(live.chain(self.retired.iter().copied()))
    }

    /// Releases the values that replaced or deleted entries left behind.
    pub fn end_run(&mut self) {
        for slot in core::mem::take(&mut self.retired) {
            self.arena.release(slot);
        }
    }
}
