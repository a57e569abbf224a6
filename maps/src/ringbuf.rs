//! `BPF_MAP_TYPE_RINGBUF` (`docs/general-helpers-abi.md` §5.4): `max_entries` bytes (a power of two) of
//! records, each an 8-byte header and its data padded to a multiple of 8. The map
//! keeps each record's data in order until a consumer takes them.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use crate::types::result::*;

/// `EBPF_RINGBUF_MAX_RECORD_SIZE`: `(1ULL << 30) - 1`.
pub const EBPF_RINGBUF_MAX_RECORD_SIZE: u64 = (1 << 30) - 1;
/// Bytes of a record's header `{ uint32_t length; uint32_t page_offset; }`.
pub const RINGBUF_HEADER_SIZE: u64 = 8;

/// Bytes a record of `size` data bytes takes in the ring.
pub fn record_footprint(size: u64) -> u64 {
    size.saturating_add(RINGBUF_HEADER_SIZE + 7) & !7
}

pub struct RingBuffer {
    capacity: u64,
    used: u64,
    records: VecDeque<Vec<u8>>,
}

impl RingBuffer {
    pub fn new(capacity: u32) -> RingBuffer {
        RingBuffer {
            capacity: u64::from(capacity),
            used: 0,
            records: VecDeque::new(),
        }
    }

    /// What `bpf_ringbuf_output` of `size` bytes would return now, before the data
    /// is read: `-6` for 0 bytes, more than the largest record, or a record larger
    /// than the ring; `-12` when the ring lacks the free space now; else 0.
    pub fn check(&self, size: u64) -> i64 {
        if size == 0 || size > EBPF_RINGBUF_MAX_RECORD_SIZE {
            return -EBPF_INVALID_ARGUMENT;
        }
        let footprint = record_footprint(size);
        if footprint > self.capacity {
            return -EBPF_INVALID_ARGUMENT;
        }
        if self.used + footprint > self.capacity {
            return -EBPF_NO_MEMORY;
        }
        EBPF_SUCCESS
    }

    /// `bpf_ringbuf_output`: appends `data` as one record; `flags` is ignored.
    pub fn output(&mut self, data: &[u8], _flags: u64) -> i64 {
        let size = data.len() as u64;
        let result = self.check(size);
        if result == EBPF_SUCCESS {
            self.used += record_footprint(size);
            self.records.push_back(data.to_vec());
        }
        result
    }

    /// The records not yet consumed, oldest first.
    pub fn records(&self) -> Vec<&[u8]> {
        self.records.iter().map(Vec::as_slice).collect()
    }

    /// Takes every record, oldest first, freeing their space (the consumer side).
    pub fn consume(&mut self) -> Vec<Vec<u8>> {
        self.used = 0;
        self.records.drain(..).collect()
    }

    /// Bytes the records take, headers and padding included.
    pub fn used(&self) -> u64 {
        self.used
    }
}
