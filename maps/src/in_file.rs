//! `ebpf_map_definition_in_file_t` (`docs/general-helpers-abi.md` §3.4, §4.2): the record of a legacy `maps`
//! section, generated into the bindings from `spec/bpf_helpers.toml` and re-exported
//! here. A C program declares it as `struct bpf_map_def`; a Rust program gets one
//! from each map static of `ebpf_nethooks::maps` on `target_arch = "bpf"`; the
//! runner reads it back from the object. This module adds the two constructors its
//! users need, as free functions because the struct is another crate's.

pub use ebpf_nethooks_bindings::general::ebpf_map_definition_in_file_t;
use ebpf_nethooks_bindings::general::{ebpf_map_type_t, ebpf_pin_type_t};

use crate::types::MapType;

/// Bytes of [`ebpf_map_definition_in_file_t`].
pub const IN_FILE_SIZE: usize = core::mem::size_of::<ebpf_map_definition_in_file_t>();

/// `LIBBPF_PIN_NONE` (`ebpf_pin_type_t`, `docs/general-helpers-abi.md` §3.3): the map is not pinned.
pub const LIBBPF_PIN_NONE: u32 = ebpf_pin_type_t::LIBBPF_PIN_NONE.0 as u32;
/// `LIBBPF_PIN_BY_NAME`: the map is pinned at `<pin root>/<map name>`.
pub const LIBBPF_PIN_BY_NAME: u32 = ebpf_pin_type_t::LIBBPF_PIN_BY_NAME.0 as u32;

/// A definition of a map of `map_type` that is not pinned and not a template
/// (members a map does not use are 0).
pub const fn in_file_definition(
    map_type: MapType,
    key_size: u32,
    value_size: u32,
    max_entries: u32,
) -> ebpf_map_definition_in_file_t {
    ebpf_map_definition_in_file_t {
        map_type: ebpf_map_type_t(map_type.0 as i32),
        key_size,
        value_size,
        max_entries,
        inner_map_idx: 0,
        pinning: ebpf_pin_type_t::LIBBPF_PIN_NONE,
        id: 0,
        inner_id: 0,
    }
}

/// A record as a loader copies it (`docs/general-helpers-abi.md` §4.2): zero-filled when `record` is shorter
/// than [`IN_FILE_SIZE`] bytes, truncated when longer; members little-endian.
pub fn read_in_file(record: &[u8]) -> ebpf_map_definition_in_file_t {
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
        map_type: ebpf_map_type_t(member(0) as i32),
        key_size: member(1),
        value_size: member(2),
        max_entries: member(3),
        inner_map_idx: member(4),
        pinning: ebpf_pin_type_t(member(5) as i32),
        id: member(6),
        inner_id: member(7),
    }
}

/// The members of `record` in declaration order, as numbers.
pub fn in_file_members(record: &ebpf_map_definition_in_file_t) -> [u32; 8] {
    [
        record.map_type.0 as u32,
        record.key_size,
        record.value_size,
        record.max_entries,
        record.inner_map_idx,
        record.pinning.0 as u32,
        record.id,
        record.inner_id,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_record_is_32_bytes_of_8_members() {
        assert_eq!(IN_FILE_SIZE, 32);
        assert_eq!(core::mem::align_of::<ebpf_map_definition_in_file_t>(), 4);
    }

    #[test]
    fn a_record_reads_back_member_by_member_and_short_records_are_zero_filled() {
        let members: [u32; 8] = [1, 4, 8, 64, 5, 1, 7, 9];
        let mut record = [0u8; 40];
        for (i, m) in members.iter().enumerate() {
            record[4 * i..4 * i + 4].copy_from_slice(&m.to_le_bytes());
        }
        assert_eq!(in_file_members(&read_in_file(&record)), members);
        assert_eq!(
            in_file_members(&read_in_file(&record[..16])),
            in_file_members(&in_file_definition(MapType::HASH, 4, 8, 64))
        );
    }
}
