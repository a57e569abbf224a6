//! The maps of a loaded object ([`Maps`]): one in-memory map of the shared crate
//! `ebpf_nethooks_maps` per definition the object declares (read by
//! `nethooks_obj::map_def`), by index and name, with the handles a program sees and
//! the memory it may reach. The map semantics themselves (types, creation rules,
//! the documented results of the map helpers) are the shared crate's, re-exported
//! here.
//!
//! Nothing here knows helper IDs: the helpers that call these operations are wired
//! by the run API.

use std::ops::Range;

pub use ebpf_nethooks_maps::definition;
pub use ebpf_nethooks_maps::{
    BPF_ANY, BPF_EXIST, BPF_MAP_TYPE_MAX, BPF_NOEXIST, EBPF_RINGBUF_MAX_RECORD_SIZE, MAP_TYPES,
    MAX_MAP_BYTES, Map, MapDefinition, MapError, MapType, MapTypeInfo, RINGBUF_HEADER_SIZE,
    record_footprint, result,
};
pub use nethooks_obj::map_def::MapReference;

/// The value a map's address takes in a program (`lddw` of a map, a helper's
/// `void* map`): `MAP_HANDLE_BASE + index * MAP_HANDLE_STRIDE`. Not memory: the
/// checking interpreter faults on any access through it, and the same object gets
/// the same handles in every run.
pub const MAP_HANDLE_BASE: u64 = 0xffff_a000_0000_0000;
pub const MAP_HANDLE_STRIDE: u64 = 0x1000;

/// Memory a program may read and write: the live values of map `map`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryRange {
    /// Index of the map in [`Maps`].
    pub map: usize,
    pub range: Range<usize>,
}

/// All maps of a loaded object, by index (the order of [`MapDefinition`]s given,
/// as [`crate::loader::BpfObject::maps`] lists them) and by name.
#[derive(Debug, Default)]
pub struct Maps {
    maps: Vec<Map>,
}

impl Maps {
    /// Creates one empty map per definition; the first that cannot be created
    /// (unsupported type, broken creation rule) is the error.
    pub fn new(definitions: Vec<MapDefinition>) -> Result<Maps, MapError> {
        let maps = definitions
            .into_iter()
            .map(Map::new)
            .collect::<Result<_, _>>()?;
        Ok(Maps { maps })
    }

    pub fn len(&self) -> usize {
        self.maps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.maps.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Map> {
        self.maps.iter()
    }

    pub fn get(&self, index: usize) -> Option<&Map> {
        self.maps.get(index)
    }

    pub fn get_mut(&mut self, index: usize) -> Option<&mut Map> {
        self.maps.get_mut(index)
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.maps.iter().position(|m| m.name() == name)
    }

    pub fn by_name(&self, name: &str) -> Option<&Map> {
        self.maps.iter().find(|m| m.name() == name)
    }

    pub fn by_name_mut(&mut self, name: &str) -> Option<&mut Map> {
        self.maps.iter_mut().find(|m| m.name() == name)
    }

    /// The handle of map `index` (see [`MAP_HANDLE_BASE`]).
    pub fn handle(&self, index: usize) -> Option<u64> {
        (index < self.maps.len()).then(|| MAP_HANDLE_BASE + index as u64 * MAP_HANDLE_STRIDE)
    }

    /// The map a helper's `void* map` argument names, if it is a handle of one.
    pub fn index_of_handle(&self, handle: u64) -> Option<usize> {
        let offset = handle.checked_sub(MAP_HANDLE_BASE)?;
        if !offset.is_multiple_of(MAP_HANDLE_STRIDE) {
            return None;
        }
        let index = usize::try_from(offset / MAP_HANDLE_STRIDE).ok()?;
        (index < self.maps.len()).then_some(index)
    }

    /// Every map value a program may touch, sorted by address. Inserts and deletes
    /// change it: read it again after each map helper.
    pub fn memory(&self) -> Vec<MemoryRange> {
        let mut ranges: Vec<MemoryRange> = self
            .maps
            .iter()
            .enumerate()
            .flat_map(|(map, m)| {
                m.memory()
                    .into_iter()
                    .map(move |range| MemoryRange { map, range })
            })
            .collect();
        ranges.sort_by_key(|r| r.range.start);
        ranges
    }

    /// Whether `start..end` lies inside one map value.
    pub fn contains(&self, start: usize, end: usize) -> bool {
        self.memory()
            .iter()
            .any(|r| r.range.start <= start && end <= r.range.end)
    }

    /// Ends a program run: values that replaced or deleted entries left readable
    /// for the run are freed.
    pub fn end_run(&mut self) {
        self.maps.iter_mut().for_each(Map::end_run);
    }

    /// Maps with the same definitions and contents, in storage of their own (see
    /// [`Map::duplicate`]): the run API runs the JIT from the state the checking
    /// interpreter started from, and a cloned `Program` gets maps of its own.
    pub fn duplicate(&self) -> Maps {
        Maps {
            maps: self.maps.iter().map(Map::duplicate).collect(),
        }
    }
}
