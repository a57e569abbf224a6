//! `ebpf_map_definition_in_file_t` (facts 3.4, 4.2): the record of a legacy `maps`
//! section. A C program declares it as `struct bpf_map_def`; a Rust program gets one
//! from each map static of `ebpf_nethooks::maps` on `target_arch = "bpf"`; the
//! runner reads it back from the object.

use crate::types::MapType;

/// Bytes of [`ebpf_map_definition_in_file_t`].
pub const IN_FILE_SIZE: usize = 32;

/// `LIBBPF_PIN_NONE` (`ebpf_pin_type_t`, facts 3.3): the map is not pinned.
pub const LIBBPF_PIN_NONE: u32 = 0;
/// `LIBBPF_PIN_BY_NAME`: the map is pinned at `<pin root>/<map name>`.
pub const LIBBPF_PIN_BY_NAME: u32 = 1;

/// `struct _ebpf_map_definition_in_file` (32 bytes, alignment 4, no padding; the
/// same layout on x86-64, ARM64 and BPF). Members a map does not use are 0.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ebpf_map_definition_in_file_t {
    /// `type`: the map's `ebpf_map_type_t` (named as the bindings will name it).
    pub map_type: u32,
    /// Key bytes.
    pub key_size: u32,
    /// Value bytes.
    pub value_size: u32,
    /// Capacity (a ring buffer's bytes).
    pub max_entries: u32,
    /// For map-in-map: 0-based index (within the `maps` section) of the inner template.
    pub inner_map_idx: u32,
    /// `ebpf_pin_type_t`: [`LIBBPF_PIN_NONE`] or [`LIBBPF_PIN_BY_NAME`].
    pub pinning: u32,
    /// Identifier of this definition as a template.
    pub id: u32,
    /// For map-in-map: `id` of the inner template.
    pub inner_id: u32,
}

const _: () = assert!(core::mem::size_of::<ebpf_map_definition_in_file_t>() == IN_FILE_SIZE);
const _: () = assert!(core::mem::align_of::<ebpf_map_definition_in_file_t>() == 4);

impl ebpf_map_definition_in_file_t {
    /// A definition of a map of `map_type` that is not pinned and not a template.
    pub const fn new(map_type: MapType, key_size: u32, value_size: u32, max_entries: u32) -> Self {
        ebpf_map_definition_in_file_t {
            map_type: map_type.0,
            key_size,
            value_size,
            max_entries,
            inner_map_idx: 0,
            pinning: LIBBPF_PIN_NONE,
            id: 0,
            inner_id: 0,
        }
    }

    /// A record as a loader copies it (facts 4.2): zero-filled when `record` is
    /// shorter than 32 bytes, truncated when longer; members little-endian.
    pub fn from_record(record: &[u8]) -> Self {
        let mut bytes = [0u8; IN_FILE_SIZE];
        let n = record.len().min(IN_FILE_SIZE);
        bytes[..n].copy_from_slice(&record[..n]);
        let member = |i: usize| {
            u32::from_le_bytes([
                bytes[4 * i],
                bytes[4 * i + 1],
                bytes[4 * i + 2],
                bytes[4 * i + 3],
            ])
        };
        ebpf_map_definition_in_file_t {
            map_type: member(0),
            key_size: member(1),
            value_size: member(2),
            max_entries: member(3),
            inner_map_idx: member(4),
            pinning: member(5),
            id: member(6),
            inner_id: member(7),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_member_by_member_and_short_records_are_zero_filled() {
        let members: [u32; 8] = [1, 4, 8, 64, 5, 1, 7, 9];
        let mut record = [0u8; 40];
        for (i, m) in members.iter().enumerate() {
            record[4 * i..4 * i + 4].copy_from_slice(&m.to_le_bytes());
        }
        let def = ebpf_map_definition_in_file_t::from_record(&record);
        assert_eq!(
            [
                def.map_type,
                def.key_size,
                def.value_size,
                def.max_entries,
                def.inner_map_idx,
                def.pinning,
                def.id,
                def.inner_id
            ],
            members
        );
        let short = ebpf_map_definition_in_file_t::from_record(&record[..16]);
        assert_eq!(
            short,
            ebpf_map_definition_in_file_t::new(MapType::HASH, 4, 8, 64)
        );
    }
}
