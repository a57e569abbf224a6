//! A map's definition as the object declares it, in either convention (legacy
//! `maps` records, BTF `.maps`), and the creation rules of `ebpf_map_create`.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::MapError;
use crate::in_file::ebpf_map_definition_in_file_t;
use crate::types::{BPF_MAP_TYPE_MAX, MapType};

/// One map of an object. Members the convention does not have are 0.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MapDefinition {
    /// The map's symbol (legacy) or BTF VAR name.
    pub name: String,
    /// The map's `ebpf_map_type_t`.
    pub map_type: MapType,
    /// Key bytes.
    pub key_size: u32,
    /// Value bytes.
    pub value_size: u32,
    /// Capacity (for a ring buffer, its bytes).
    pub max_entries: u32,
    /// BTF `map_flags` (the in-file struct has no flags member).
    pub map_flags: u32,
    /// `ebpf_pin_type_t`: 0 `LIBBPF_PIN_NONE`, 1 `LIBBPF_PIN_BY_NAME`.
    pub pinning: u32,
    /// Legacy `inner_map_idx`: index in its `maps` section of the inner template.
    pub inner_map_idx: u32,
    /// Legacy `id`; for BTF, the map's struct type id (as bpf2c numbers it).
    pub id: u32,
    /// Legacy `inner_id`; for BTF, the type id of the `values` template's struct.
    pub inner_id: u32,
    /// BTF `__array(values, ...)` initialisers: slot and the symbol put there.
    pub initial_values: Vec<(u32, String)>,
    /// The ELF section that declares it: `maps` or `maps/<any>` (legacy; the record
    /// index there is `offset / size`), or `.maps` (BTF). Empty for one built in code.
    pub section: String,
    /// Where the map's symbol starts in `section`.
    pub offset: u64,
    /// The bytes of the map's symbol.
    pub size: u64,
}

impl MapDefinition {
    /// A definition built in code (tests, scenarios), with everything else 0.
    pub fn new(
        name: &str,
        map_type: MapType,
        key_size: u32,
        value_size: u32,
        max_entries: u32,
    ) -> MapDefinition {
        MapDefinition {
            name: name.to_owned(),
            map_type,
            key_size,
            value_size,
            max_entries,
            map_flags: 0,
            pinning: 0,
            inner_map_idx: 0,
            id: 0,
            inner_id: 0,
            initial_values: Vec::new(),
            section: String::new(),
            offset: 0,
            size: 0,
        }
    }

    /// The definition a legacy record declares, for the map named `name`.
    pub fn from_in_file(name: &str, record: &ebpf_map_definition_in_file_t) -> MapDefinition {
        let mut d = MapDefinition::new(
            name,
            MapType::from(record.map_type),
            record.key_size,
            record.value_size,
            record.max_entries,
        );
        d.inner_map_idx = record.inner_map_idx;
        d.pinning = record.pinning.0 as u32;
        d.id = record.id;
        d.inner_id = record.inner_id;
        d
    }

    /// Checks the creation rules of `ebpf_map_create` (`docs/general-helpers-abi.md` §3.4), then that the
    /// type is emulated.
    pub fn validate(&self) -> Result<(), MapError> {
        let bad = |why: String| MapError::BadDefinition {
            map: self.name.clone(),
            why,
        };
        let t = self.map_type;
        if t.0 >= BPF_MAP_TYPE_MAX {
            return Err(bad(format!(
                "its type {t} is at or above BPF_MAP_TYPE_MAX ({BPF_MAP_TYPE_MAX})"
            )));
        }
        if self.max_entries == 0 {
            return Err(bad("`max_entries` is 0".to_owned()));
        }
        let keyless = [
            MapType::QUEUE,
            MapType::STACK,
            MapType::RINGBUF,
            MapType::PERF_EVENT_ARRAY,
        ];
        if self.key_size == 0 && !keyless.contains(&t) {
            return Err(bad(format!(
                "`key_size` is 0, which only queues, stacks, ring buffers and perf event arrays may have (type {t})"
            )));
        }
        if self.value_size == 0 && t != MapType::RINGBUF && t != MapType::PERF_EVENT_ARRAY {
            return Err(bad(format!(
                "`value_size` is 0, which only ring buffers and perf event arrays may have (type {t})"
            )));
        }
        if t == MapType::RINGBUF {
            if self.key_size != 0 {
                return Err(bad(format!(
                    "a ring buffer needs `key_size` 0, not {}",
                    self.key_size
                )));
            }
            if !self.max_entries.is_power_of_two() {
                return Err(bad(format!(
                    "a ring buffer's `max_entries` (its bytes) must be a power of two, not {}",
                    self.max_entries
                )));
            }
        }
        if !t.is_supported() {
            return Err(MapError::Unsupported {
                map: self.name.clone(),
                map_type: t,
            });
        }
        if matches!(t, MapType::ARRAY | MapType::PERCPU_ARRAY) && self.key_size < 4 {
            return Err(bad(format!(
                "an array's key is read as a uint32_t index, so it needs `key_size` of at least 4, not {}",
                self.key_size
            )));
        }
        Ok(())
    }
}
