//! The hash maps: [`HashMap`], [`LruHashMap`] and [`PerCpuHashMap`], one definition
//! for the three (they differ only in their map type and its documented results).

use ebpf_nethooks_maps::MapType;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use super::typed::TypedMap;

macro_rules! hash_map {
    ($(#[$doc:meta])* $name:ident, $map_type:expr) => {
        $(#[$doc])*
        ///
        /// Declare it with [`map!`](crate::map); see the [module docs](super) for
        /// what keys and values may be and why [`get`](Self::get) copies.
        #[repr(transparent)]
        pub struct $name<K, V>(TypedMap<K, V>);

        impl<K, V> $name<K, V>
        where
            K: IntoBytes + FromBytes + Immutable,
            V: IntoBytes + FromBytes + Immutable,
        {
            /// A map of at most `max_entries` entries (where the map type enforces
            /// it); `flags` must be 0.
            pub const fn with_max_entries(max_entries: u32, flags: u32) -> Self {
                $name(TypedMap::new($map_type, max_entries, flags))
            }

            /// A copy of the value under `key` (`bpf_map_lookup_elem`), or `None`.
            #[inline(always)]
            pub fn get(&self, key: &K) -> Option<V> {
                self.0.get(key)
            }

            /// The address of the live value under `key`, or `None`. Dereferencing
            /// it is `unsafe`: see "Reads and aliasing" in the [module docs](super).
            #[inline(always)]
            pub fn get_ptr(&self, key: &K) -> Option<*const V> {
                self.0.get_ptr_mut(key).map(|value| value.cast_const())
            }

            /// The address of the live value under `key`, to change it in place, or
            /// `None`. Dereferencing it is `unsafe`: see "Reads and aliasing" in the
            /// [module docs](super).
            #[inline(always)]
            pub fn get_ptr_mut(&self, key: &K) -> Option<*mut V> {
                self.0.get_ptr_mut(key)
            }

            /// Stores `value` under `key` (`bpf_map_update_elem`): `flags`
            /// [`BPF_ANY`](super::BPF_ANY), [`BPF_NOEXIST`](super::BPF_NOEXIST) or
            /// [`BPF_EXIST`](super::BPF_EXIST). The error is the helper's negative
            /// result.
            #[inline(always)]
            pub fn insert(&self, key: &K, value: &V, flags: u64) -> Result<(), i64> {
                self.0.insert(key, value, flags)
            }

            /// Removes the entry under `key` (`bpf_map_delete_elem`);
            /// `Err(-EBPF_KEY_NOT_FOUND)` when there is none.
            #[inline(always)]
            pub fn remove(&self, key: &K) -> Result<(), i64> {
                self.0.remove(key)
            }

            /// Host only: every entry, sorted by key bytes. Leaves LRU order alone.
            #[cfg(not(target_arch = "bpf"))]
            pub fn entries(&self) -> alloc::vec::Vec<(K, V)> {
                self.0.entries()
            }

            /// Host only: removes every entry.
            #[cfg(not(target_arch = "bpf"))]
            pub fn clear(&self) {
                self.0.clear();
            }
        }
    };
}

hash_map!(
    /// `BPF_MAP_TYPE_HASH`: values of type `V` under keys of type `K`. eBPF for
    /// Windows does not enforce `max_entries` on it (it only sizes the buckets).
    HashMap,
    MapType::HASH
);

hash_map!(
    /// `BPF_MAP_TYPE_LRU_HASH`: a hash map of at most `max_entries` entries; when it is
    /// full, an insert of a new key evicts the least recently used entry (an insert,
    /// an update and a program's lookup count as a use).
    LruHashMap,
    MapType::LRU_HASH
);

hash_map!(
    /// `BPF_MAP_TYPE_PERCPU_HASH`: a hash map with one value per CPU under each key; a
    /// program reads and writes the current CPU's. An insert of an existing key
    /// writes that value whatever the flags. On the host it runs as on one CPU.
    PerCpuHashMap,
    MapType::PERCPU_HASH
);
