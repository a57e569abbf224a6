//! [`RingBuf`]: `BPF_MAP_TYPE_RINGBUF`, records that user mode consumes.

use ebpf_nethooks_maps::MapType;
use zerocopy::{Immutable, IntoBytes};

use super::RawMap;
use super::typed::{definition, result};

/// `BPF_MAP_TYPE_RINGBUF`: a ring of `byte_size` bytes (a power of two) of records,
/// each 8 bytes of header and its data padded to a multiple of 8, which user mode
/// consumes oldest first.
///
/// Declare it with [`map!`](crate::map).
#[repr(transparent)]
pub struct RingBuf(RawMap);

impl RingBuf {
    /// A ring buffer of `byte_size` bytes, a power of two; `flags` must be 0.
    pub const fn with_byte_size(byte_size: u32, flags: u32) -> Self {
        // No key; the "value size" of a ring buffer is 0 and `max_entries` its bytes.
        RingBuf(RawMap::new(definition::<(), ()>(
            MapType::RINGBUF,
            byte_size,
            flags,
        )))
    }

    /// The same as [`RingBuf::with_byte_size`]: a ring buffer's `max_entries` is its
    /// size in bytes.
    pub const fn with_max_entries(max_entries: u32, flags: u32) -> Self {
        RingBuf::with_byte_size(max_entries, flags)
    }

    /// Appends the bytes of `data` as one record (`bpf_ringbuf_output`; `flags` is
    /// ignored by eBPF for Windows). The error is the helper's negative result:
    /// `-EBPF_INVALID_ARGUMENT` for an empty record or one larger than the ring,
    /// `-EBPF_NO_MEMORY` when the ring has no room for it now. On BPF the record is
    /// copied to the program's stack (512 bytes) first, so keep records small.
    #[inline(always)]
    pub fn output<T: IntoBytes + Immutable>(&self, data: &T, flags: u64) -> Result<(), i64> {
        result(self.0.output(data, flags))
    }

    /// Host only: the records not yet consumed, oldest first.
    #[cfg(not(target_arch = "bpf"))]
    pub fn records(&self) -> alloc::vec::Vec<alloc::vec::Vec<u8>> {
        self.0.records()
    }

    /// Host only: consumes every record.
    #[cfg(not(target_arch = "bpf"))]
    pub fn clear(&self) {
        self.0.clear();
    }
}
