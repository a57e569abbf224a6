//! [`TypedMap`]: a map with typed keys and values over the platform's byte-level
//! map (`RawMap`), which every public map type wraps; and the definition each
//! static compiles to.

use core::marker::PhantomData;

use ebpf_nethooks_maps::{MapType, ebpf_map_definition_in_file_t, in_file_definition};
use zerocopy::{FromBytes, Immutable, IntoBytes};

use super::RawMap;

/// The definition of a map of `map_type` with keys `K` and values `V`. Panics (a
/// compile error in a static's initialiser) when `flags` is not 0 or `V` needs an
/// alignment over 8.
pub(crate) const fn definition<K, V>(
    map_type: MapType,
    max_entries: u32,
    flags: u32,
) -> ebpf_map_definition_in_file_t {
    assert!(
        flags == 0,
        "eBPF for Windows' map definition (ebpf_map_definition_in_file_t) has no flags member: pass 0"
    );
    assert!(
        core::mem::align_of::<V>() <= 8,
        "map values are 8-byte aligned: a value type may need an alignment of at most 8"
    );
    in_file_definition(
        map_type,
        core::mem::size_of::<K>() as u32,
        core::mem::size_of::<V>() as u32,
        max_entries,
    )
}

/// A helper's result: 0 is `Ok`, a negative `ebpf_result_t` the error.
pub(crate) fn result(r: i64) -> Result<(), i64> {
    if r < 0 { Err(r) } else { Ok(()) }
}

/// A map with keys `K` and values `V`; on BPF exactly the 32-byte definition.
#[repr(transparent)]
pub(crate) struct TypedMap<K, V> {
    raw: RawMap,
    // `fn() -> _`: the map holds bytes, not `K`s and `V`s, so they do not decide
    // whether the static is `Sync`.
    _types: PhantomData<fn() -> (K, V)>,
}

impl<K, V> TypedMap<K, V>
where
    K: IntoBytes + FromBytes + Immutable,
    V: IntoBytes + FromBytes + Immutable,
{
    pub(crate) const fn new(map_type: MapType, max_entries: u32, flags: u32) -> Self {
        TypedMap {
            raw: RawMap::new(definition::<K, V>(map_type, max_entries, flags)),
            _types: PhantomData,
        }
    }

    #[inline(always)]
    pub(crate) fn get(&self, key: &K) -> Option<V> {
        // SAFETY: the value is `size_of::<V>()` bytes of map memory, 8-byte aligned,
        // and any bytes are a valid `V` (`FromBytes`).
        self.raw
            .read(key, |value| unsafe { value.cast::<V>().read() })
    }

    #[inline(always)]
    pub(crate) fn get_ptr_mut(&self, key: &K) -> Option<*mut V> {
        let value = self.raw.lookup(key);
        (!value.is_null()).then_some(value.cast::<V>())
    }

    #[inline(always)]
    pub(crate) fn insert(&self, key: &K, value: &V, flags: u64) -> Result<(), i64> {
        result(self.raw.update(key, value, flags))
    }

    #[inline(always)]
    pub(crate) fn remove(&self, key: &K) -> Result<(), i64> {
        result(self.raw.delete(key))
    }
}

#[cfg(not(target_arch = "bpf"))]
impl<K, V> TypedMap<K, V>
where
    K: IntoBytes + FromBytes + Immutable,
    V: IntoBytes + FromBytes + Immutable,
{
    pub(crate) fn entries(&self) -> alloc::vec::Vec<(K, V)> {
        fn read<T: FromBytes>(bytes: &[u8]) -> T {
            T::read_from_bytes(bytes)
                .unwrap_or_else(|_| unreachable!("the map's sizes are those of its types"))
        }
        self.raw
            .entries()
            .iter()
            .map(|(key, value)| (read(key), read(value)))
            .collect()
    }

    pub(crate) fn clear(&self) {
        self.raw.clear();
    }
}
