//! `BPF_MAP_TYPE_QUEUE` (FIFO) and `BPF_MAP_TYPE_STACK` (LIFO) (`docs/general-helpers-abi.md` §5.2): no key,
//! `max_entries` values, reached by push, pop and peek.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use crate::types::{BPF_EXIST, result::*};

pub struct QueueMap {
    /// Oldest first.
    values: VecDeque<Vec<u8>>,
    capacity: usize,
    /// A stack pops its newest value; a queue its oldest.
    lifo: bool,
}

impl QueueMap {
    pub fn new(capacity: u32, lifo: bool) -> QueueMap {
        QueueMap {
            values: VecDeque::new(),
            capacity: capacity as usize,
            lifo,
        }
    }

    /// Appends `value`. Full: with `flags & BPF_EXIST` the oldest value (the queue's
    /// head, the stack's bottom) is dropped first and the push returns 0; else `-29`.
    pub fn push(&mut self, value: &[u8], flags: u64) -> i64 {
        if self.values.len() >= self.capacity {
            if flags & BPF_EXIST == 0 {
                return -EBPF_OUT_OF_SPACE;
            }
            self.values.pop_front();
        }
        self.values.push_back(value.to_vec());
        EBPF_SUCCESS
    }

    /// The next value (queue: oldest, stack: newest), removed when `remove`;
    /// `Err(-7)` when empty.
    pub fn take(&mut self, remove: bool) -> Result<Vec<u8>, i64> {
        let value = match (self.lifo, remove) {
            (true, true) => self.values.pop_back(),
            (false, true) => self.values.pop_front(),
            (true, false) => self.values.back().cloned(),
            (false, false) => self.values.front().cloned(),
        };
        value.ok_or(-EBPF_OBJECT_NOT_FOUND)
    }

    /// The values in the order pops would return them.
    pub fn entries(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        let pairs = self.values.iter().map(|v| (Vec::new(), v.clone()));
        if self.lifo {
            pairs.rev().collect()
        } else {
            pairs.collect()
        }
    }
}
