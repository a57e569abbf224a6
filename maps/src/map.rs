//! [`Map`]: one map of a loaded object, with the operations of the map helpers
//! (`docs/general-helpers-abi.md` §5.2, §5.4) on byte keys and values. Each operation returns what the helper
//! would (0 or a negative `ebpf_result_t`), or a [`MapError`] when the call itself is
//! wrong (a key of the wrong size, an operation the type lacks): the verifier rules
//! those out upstream, so the helpers have no result for them.

use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;
use core::ptr::NonNull;

use crate::array::ArrayMap;
use crate::definition::MapDefinition;
use crate::error::MapError;
use crate::hash::HashMap;
use crate::queue::QueueMap;
use crate::ringbuf::RingBuffer;
use crate::types::MapType;

enum Storage {
    Array(ArrayMap),
    Hash(HashMap),
    Queue(QueueMap),
    RingBuf(RingBuffer),
}

/// One map. Per-CPU types run as on one CPU (CPU 0): a program's lookup and update
/// reach that CPU's value, and [`Map::value`] returns it.
pub struct Map {
    definition: MapDefinition,
    storage: Storage,
}

impl core::fmt::Debug for Map {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Map")
            .field("definition", &self.definition)
            .finish_non_exhaustive()
    }
}

impl Map {
    /// An empty map (arrays zeroed) for `definition`, once it passes
    /// [`MapDefinition::validate`].
    pub fn new(definition: MapDefinition) -> Result<Map, MapError> {
        definition.validate()?;
        let d = &definition;
        let per_cpu = d.map_type.is_per_cpu();
        let storage = match d.map_type {
            MapType::ARRAY | MapType::PERCPU_ARRAY => Storage::Array(
                ArrayMap::new(d.key_size, d.value_size, d.max_entries, per_cpu).map_err(|why| {
                    MapError::BadDefinition {
                        map: d.name.clone(),
                        why,
                    }
                })?,
            ),
            MapType::HASH | MapType::PERCPU_HASH => {
                Storage::Hash(HashMap::new(d.value_size, None, per_cpu))
            }
            MapType::LRU_HASH | MapType::LRU_PERCPU_HASH => {
                Storage::Hash(HashMap::new(d.value_size, Some(d.max_entries), per_cpu))
            }
            MapType::QUEUE => Storage::Queue(QueueMap::new(d.max_entries, false)),
            MapType::STACK => Storage::Queue(QueueMap::new(d.max_entries, true)),
            MapType::RINGBUF => Storage::RingBuf(RingBuffer::new(d.max_entries)),
            other => {
                return Err(MapError::Unsupported {
                    map: d.name.clone(),
                    map_type: other,
                });
            }
        };
        Ok(Map {
            definition,
            storage,
        })
    }

    /// The definition the map was created from.
    pub fn definition(&self) -> &MapDefinition {
        &self.definition
    }

    /// The map's name (its symbol, or BTF VAR).
    pub fn name(&self) -> &str {
        &self.definition.name
    }

    fn wrong(&self, operation: &'static str) -> MapError {
        MapError::Operation {
            map: self.definition.name.clone(),
            map_type: self.definition.map_type,
            operation,
        }
    }

    /// `Ok` when `got` bytes are the `expected`; else the error `wrong` makes.
    fn check_size(
        &self,
        expected: u32,
        got: usize,
        wrong: fn(String, u32, usize) -> MapError,
    ) -> Result<(), MapError> {
        if got == expected as usize {
            return Ok(());
        }
        Err(wrong(self.definition.name.clone(), expected, got))
    }

    fn check_key(&self, key: &[u8]) -> Result<(), MapError> {
        let wrong = |map, expected, got| MapError::KeySize { map, expected, got };
        self.check_size(self.definition.key_size, key.len(), wrong)
    }

    fn check_value(&self, value: &[u8]) -> Result<(), MapError> {
        let wrong = |map, expected, got| MapError::ValueSize { map, expected, got };
        self.check_size(self.definition.value_size, value.len(), wrong)
    }

    /// `bpf_map_lookup_elem` from a program: the address of the live value (valid
    /// while the entry lives, and until the run ends once replaced or deleted), or
    /// `None` for NULL. Refreshes an LRU map's recency.
    pub fn lookup(&mut self, key: &[u8]) -> Result<Option<NonNull<u8>>, MapError> {
        self.check_key(key)?;
        match &mut self.storage {
            Storage::Array(a) => Ok(a.lookup(key)),
            Storage::Hash(h) => Ok(h.lookup(key)),
            _ => Err(self.wrong("lookup")),
        }
    }

    /// A user-mode lookup: a copy of the value. Leaves LRU recency alone.
    pub fn value(&self, key: &[u8]) -> Result<Option<Vec<u8>>, MapError> {
        self.check_key(key)?;
        match &self.storage {
            Storage::Array(a) => Ok(a.value(key)),
            Storage::Hash(h) => Ok(h.value(key)),
            _ => Err(self.wrong("lookup")),
        }
    }

    /// `bpf_map_update_elem`: 0 or a negative `ebpf_result_t`.
    pub fn update(&mut self, key: &[u8], value: &[u8], flags: u64) -> Result<i64, MapError> {
        self.check_key(key)?;
        self.check_value(value)?;
        match &mut self.storage {
            Storage::Array(a) => Ok(a.update(key, value, flags)),
            Storage::Hash(h) => Ok(h.update(key, value, flags)),
            _ => Err(self.wrong("update")),
        }
    }

    /// `bpf_map_delete_elem`: 0 or a negative `ebpf_result_t`.
    pub fn delete(&mut self, key: &[u8]) -> Result<i64, MapError> {
        self.check_key(key)?;
        match &mut self.storage {
            Storage::Array(a) => Ok(a.delete(key)),
            Storage::Hash(h) => Ok(h.delete(key)),
            _ => Err(self.wrong("delete")),
        }
    }

    /// `bpf_map_lookup_and_delete_elem`: the removed value's address (readable until
    /// the run ends), or `None`; always `None` for arrays.
    pub fn lookup_and_delete(&mut self, key: &[u8]) -> Result<Option<NonNull<u8>>, MapError> {
        self.check_key(key)?;
        match &mut self.storage {
            Storage::Array(_) => Ok(None),
            Storage::Hash(h) => Ok(h.remove(key)),
            _ => Err(self.wrong("lookup_and_delete")),
        }
    }

    /// `bpf_map_push_elem` on a queue or stack.
    pub fn push(&mut self, value: &[u8], flags: u64) -> Result<i64, MapError> {
        self.check_value(value)?;
        match &mut self.storage {
            Storage::Queue(q) => Ok(q.push(value, flags)),
            _ => Err(self.wrong("push")),
        }
    }

    /// `bpf_map_pop_elem` (`remove`) or `bpf_map_peek_elem`: 0 with the value
    /// copied to `out` (of `value_size` bytes), or `-EBPF_OBJECT_NOT_FOUND`.
    pub fn pop(&mut self, out: &mut [u8], remove: bool) -> Result<i64, MapError> {
        self.check_value(out)?;
        let operation = if remove { "pop" } else { "peek" };
        match &mut self.storage {
            Storage::Queue(q) => Ok(match q.take(remove) {
                Ok(value) => {
                    out.copy_from_slice(&value);
                    0
                }
                Err(result) => result,
            }),
            _ => Err(self.wrong(operation)),
        }
    }

    /// What [`Map::output`] of `size` bytes would return now (to check a size
    /// before reading the program's data).
    pub fn output_check(&self, size: u64) -> Result<i64, MapError> {
        match &self.storage {
            Storage::RingBuf(r) => Ok(r.check(size)),
            _ => Err(self.wrong("ringbuf_output")),
        }
    }

    /// `bpf_ringbuf_output`: appends `data` as one record; `flags` is ignored.
    pub fn output(&mut self, data: &[u8], flags: u64) -> Result<i64, MapError> {
        match &mut self.storage {
            Storage::RingBuf(r) => Ok(r.output(data, flags)),
            _ => Err(self.wrong("ringbuf_output")),
        }
    }

    /// A ring buffer's records not yet consumed, oldest first (empty for other maps).
    pub fn records(&self) -> Vec<&[u8]> {
        match &self.storage {
            Storage::RingBuf(r) => r.records(),
            _ => Vec::new(),
        }
    }

    /// Takes a ring buffer's records, freeing their space.
    pub fn consume(&mut self) -> Vec<Vec<u8>> {
        match &mut self.storage {
            Storage::RingBuf(r) => r.consume(),
            _ => Vec::new(),
        }
    }

    /// Bytes a ring buffer's records take (headers and padding included).
    pub fn ring_used(&self) -> u64 {
        match &self.storage {
            Storage::RingBuf(r) => r.used(),
            _ => 0,
        }
    }

    /// Keys from least to most recently used, for LRU maps (empty for others).
    pub fn recency(&self) -> Vec<Vec<u8>> {
        match &self.storage {
            Storage::Hash(h) => h.recency(),
            _ => Vec::new(),
        }
    }

    /// Key and value of every entry: arrays by index (every slot), hashes sorted by
    /// key bytes, queues and stacks in pop order with empty keys; a ring buffer has
    /// none (see [`Map::records`]).
    pub fn entries(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        match &self.storage {
            Storage::Array(a) => a.entries(),
            Storage::Hash(h) => h.entries(),
            Storage::Queue(q) => q.entries(),
            Storage::RingBuf(_) => Vec::new(),
        }
    }

    /// The addresses of the values a program may reach through lookups, sorted.
    /// They change with inserts and deletes: read them again after each.
    pub fn memory(&self) -> Vec<Range<usize>> {
        match &self.storage {
            Storage::Array(a) => a.memory(),
            Storage::Hash(h) => h.memory(),
            _ => Vec::new(),
        }
    }

    /// Empties the map as a user-mode caller would: hash entries deleted, array
    /// slots zeroed, queue values and ring records taken. Storage is kept, so
    /// pointers handed out before still point at map memory (now zeroed or reused).
    pub fn clear(&mut self) {
        match &mut self.storage {
            Storage::Array(a) => {
                for (key, _) in a.entries() {
                    a.delete(&key);
                }
            }
            Storage::Hash(h) => {
                for (key, _) in h.entries() {
                    h.delete(&key);
                }
                h.end_run();
            }
            Storage::Queue(q) => while q.take(true).is_ok() {},
            Storage::RingBuf(r) => {
                r.consume();
            }
        }
    }

    /// Ends a program run: frees values that replaced or deleted entries left
    /// readable for the run.
    pub fn end_run(&mut self) {
        if let Storage::Hash(h) = &mut self.storage {
            h.end_run();
        }
    }
}
